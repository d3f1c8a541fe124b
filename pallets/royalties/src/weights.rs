//! Weights of the royalties pallet's calls.
//!
//! PROVISIONAL: a flat estimate until the pallet is in the runtime and
//! `scripts/benchmark pallet_royalties` replaces this file with the weights measured by the
//! v2 benchmarks in `benchmarking.rs`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_royalties`.
pub trait WeightInfo {
	fn set_split(e: u32, ) -> Weight;
	fn pay(s: u32, e: u32, ) -> Weight;
	fn claim() -> Weight;
	fn claim_from_pool(p: u32, ) -> Weight;
}

/// Weights for `pallet_royalties` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_split(e: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(50_000_000, 3_000).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2_u64, 2_u64).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn pay(s: u32, e: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(50_000_000, 3_000).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2_u64, 2_u64).saturating_mul(s.into()))
			.saturating_add(Weight::from_parts(50_000_000, 3_000).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2_u64, 2_u64).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn claim() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn claim_from_pool(p: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(50_000_000, 3_000).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2_u64, 2_u64).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
}

impl WeightInfo for () {
	fn set_split(_e: u32, ) -> Weight { Weight::zero() }
	fn pay(_s: u32, _e: u32, ) -> Weight { Weight::zero() }
	fn claim() -> Weight { Weight::zero() }
	fn claim_from_pool(_p: u32, ) -> Weight { Weight::zero() }
}
