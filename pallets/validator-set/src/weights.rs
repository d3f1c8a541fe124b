
//! Weights for `pallet_validator_set`: provisional, until `scripts/benchmark` generates them.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_validator_set`.
pub trait WeightInfo {
	fn add_validator(v: u32, ) -> Weight;
	fn remove_validator(v: u32, ) -> Weight;
}

/// Weights for `pallet_validator_set` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_validator(v: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(10_000_000, 32).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn remove_validator(v: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(10_000_000, 32).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn add_validator(v: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(10_000_000, 32).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn remove_validator(v: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(10_000_000, 32).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
}
