//! Weights of the attestations pallet's calls.
//!
//! PROVISIONAL: a flat estimate until `scripts/benchmark pallet_attestations` replaces this
//! file with the weights measured by the v2 benchmarks in `benchmarking.rs`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_attestations`.
pub trait WeightInfo {
	fn bond() -> Weight;
	fn bond_extra() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn chill() -> Weight;
	fn activate() -> Weight;
	fn declare_run(d: u32, c: u32, ) -> Weight;
	fn commit_verdict() -> Weight;
	fn reveal_verdict() -> Weight;
	fn challenge() -> Weight;
	fn resolve_challenge_upheld() -> Weight;
	fn resolve_challenge_dismissed() -> Weight;
	fn report_equivocation() -> Weight;
	fn settle_run(v: u32, ) -> Weight;
	fn expire_run() -> Weight;
}

/// Weights for `pallet_attestations` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn bond() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn chill() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn activate() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn declare_run(d: u32, c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(Weight::from_parts(20_000_000, 3_000).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2_u64, 1_u64).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn commit_verdict() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn reveal_verdict() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn challenge() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn resolve_challenge_upheld() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn resolve_challenge_dismissed() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn report_equivocation() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn settle_run(v: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(Weight::from_parts(20_000_000, 3_000).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2_u64, 1_u64).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn expire_run() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
}

impl WeightInfo for () {
	fn bond() -> Weight { Weight::zero() }
	fn bond_extra() -> Weight { Weight::zero() }
	fn unbond() -> Weight { Weight::zero() }
	fn withdraw_unbonded() -> Weight { Weight::zero() }
	fn chill() -> Weight { Weight::zero() }
	fn activate() -> Weight { Weight::zero() }
	fn declare_run(_d: u32, _c: u32, ) -> Weight { Weight::zero() }
	fn commit_verdict() -> Weight { Weight::zero() }
	fn reveal_verdict() -> Weight { Weight::zero() }
	fn challenge() -> Weight { Weight::zero() }
	fn resolve_challenge_upheld() -> Weight { Weight::zero() }
	fn resolve_challenge_dismissed() -> Weight { Weight::zero() }
	fn report_equivocation() -> Weight { Weight::zero() }
	fn settle_run(_v: u32, ) -> Weight { Weight::zero() }
	fn expire_run() -> Weight { Weight::zero() }
}
