//! Weights for `pallet_evaluations`. Replaced by `scripts/benchmark pallet_evaluations`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_evaluations`.
pub trait WeightInfo {
	fn declare_evaluation(l: u32, v: u32, ) -> Weight;
	fn deploy() -> Weight;
	fn end_deployment() -> Weight;
	fn on_evaluation_settled() -> Weight;
	fn on_checkpoint_tainted(n: u32, ) -> Weight;
}

/// Weights for `pallet_evaluations` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn declare_evaluation(l: u32, v: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(20_000_000, 1_000).saturating_mul(l.into()))
			.saturating_add(Weight::from_parts(20_000_000, 1_000).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(l.into())))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn deploy() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn end_deployment() -> Weight {
		Weight::from_parts(300_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn on_evaluation_settled() -> Weight {
		Weight::from_parts(300_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn on_checkpoint_tainted(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 5_000)
			.saturating_add(Weight::from_parts(50_000_000, 1_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
	}
}


impl WeightInfo for () {
	fn declare_evaluation(l: u32, v: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(Weight::from_parts(20_000_000, 1_000).saturating_mul(l.into()))
			.saturating_add(Weight::from_parts(20_000_000, 1_000).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(l.into())))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn deploy() -> Weight {
		Weight::from_parts(500_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn end_deployment() -> Weight {
		Weight::from_parts(300_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn on_evaluation_settled() -> Weight {
		Weight::from_parts(300_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn on_checkpoint_tainted(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 5_000)
			.saturating_add(Weight::from_parts(50_000_000, 1_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
	}
}
