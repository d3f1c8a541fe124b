//! Weights of the checkpoints pallet's calls and of one taint propagation step.
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

/// Weight functions needed for `pallet_checkpoints`.
pub trait WeightInfo {
	fn register(p: u32, d: u32, e: u32, ) -> Weight;
	fn transfer_ownership() -> Weight;
	fn taint_recompute() -> Weight;
	fn taint_fanout() -> Weight;
}

/// Weights for `pallet_checkpoints` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register(p: u32, d: u32, e: u32, ) -> Weight {
		Weight::from_parts(80_000_000, 5_000)
			.saturating_add(Weight::from_parts(15_000_000, 3_000).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(20_000_000, 6_000).saturating_mul(d.into()))
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().reads((4_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(d.into())))
	}
	fn transfer_ownership() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn taint_recompute() -> Weight {
		Weight::from_parts(400_000_000, 60_000)
			.saturating_add(T::DbWeight::get().reads(60_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn taint_fanout() -> Weight {
		Weight::from_parts(200_000_000, 30_000)
			.saturating_add(T::DbWeight::get().reads(40_u64))
			.saturating_add(T::DbWeight::get().writes(40_u64))
	}
}

/// For tests: every step costs one unit of weight, so that `on_idle` is bounded by steps.
impl WeightInfo for () {
	fn register(_p: u32, _d: u32, _e: u32, ) -> Weight { Weight::zero() }
	fn transfer_ownership() -> Weight { Weight::zero() }
	fn taint_recompute() -> Weight { Weight::from_parts(1, 0) }
	fn taint_fanout() -> Weight { Weight::from_parts(1, 0) }
}
