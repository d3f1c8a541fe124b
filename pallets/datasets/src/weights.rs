//! Weights of the datasets pallet's calls.
//!
//! PROVISIONAL: estimates written by hand from the storage each call touches, until
//! `scripts/benchmark` (which runs the v2 benchmarks in `benchmarking.rs` on a release node
//! built with `runtime-benchmarks`) replaces this file with measured weights.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_datasets`.
pub trait WeightInfo {
	fn register(p: u32, u: u32, ) -> Weight;
	fn register_version(p: u32, u: u32, ) -> Weight;
	fn transfer_ownership() -> Weight;
	fn publish_revocation_set() -> Weight;
	fn revoke() -> Weight;
}

/// Weights for `pallet_datasets` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register(p: u32, u: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(12_000_000, 3_000).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(u.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn register_version(p: u32, u: u32, ) -> Weight {
		Weight::from_parts(70_000_000, 5_000)
			.saturating_add(Weight::from_parts(12_000_000, 3_000).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(u.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(6_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn transfer_ownership() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn publish_revocation_set() -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn revoke() -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

/// For tests: no weight at all.
impl WeightInfo for () {
	fn register(_p: u32, _u: u32, ) -> Weight { Weight::zero() }
	fn register_version(_p: u32, _u: u32, ) -> Weight { Weight::zero() }
	fn transfer_ownership() -> Weight { Weight::zero() }
	fn publish_revocation_set() -> Weight { Weight::zero() }
	fn revoke() -> Weight { Weight::zero() }
}
