//! Weights of the licenses pallet's calls.
//!
//! PROVISIONAL: a flat estimate until the pallet is in the runtime and
//! `scripts/benchmark pallet_licenses` replaces this file with the weights measured by the
//! v2 benchmarks in `benchmarking.rs`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_licenses`.
pub trait WeightInfo {
	fn create_terms() -> Weight;
	fn set_license() -> Weight;
	fn acquire_license() -> Weight;
	fn relinquish() -> Weight;
}

/// Weights for `pallet_licenses` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_terms() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn set_license() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn acquire_license() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
	fn relinquish() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8_u64, 8_u64))
	}
}

impl WeightInfo for () {
	fn create_terms() -> Weight { Weight::zero() }
	fn set_license() -> Weight { Weight::zero() }
	fn acquire_license() -> Weight { Weight::zero() }
	fn relinquish() -> Weight { Weight::zero() }
}
