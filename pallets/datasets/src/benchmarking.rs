//! Benchmarks of the datasets pallet's calls, at the bounds of their components.

use super::*;
use crate::pallet::{NextDatasetId, Pallet as Datasets, Records};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use provenance_primitives::{merkle::Hash, traits::LicenseFactory, AssetRef};
use sp_runtime::traits::StaticLookup;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let plenty =
		T::DepositBase::get() * 1_000u32.into() + T::DepositPerByte::get() * 1_000_000u32.into();
	T::Currency::set_balance(&who, plenty);
	who
}

fn root_of(n: u32) -> Hash {
	let mut root = [0xAB; 32];
	root[..4].copy_from_slice(&n.to_le_bytes());
	root
}

/// A URI of exactly `len` bytes (at least the scheme).
fn uri_of(len: u32) -> Vec<u8> {
	let mut uri = b"https://".to_vec();
	uri.resize((len as usize).max(9), b'a');
	uri
}

/// Registers `n` human datasets owned by `who`, with roots from `first_seed` on, returning
/// their ids.
fn parents<T: Config>(who: &T::AccountId, first_seed: u32, n: u32) -> Vec<u64> {
	(0..n)
		.map(|i| {
			let id = NextDatasetId::<T>::get();
			Datasets::<T>::register(
				RawOrigin::Signed(who.clone()).into(),
				root_of(first_seed + i),
				10,
				10,
				uri_of(16),
				[0; 32],
				DatasetOrigin::Human,
				false,
			)
			.expect("registers");
			id
		})
		.collect()
}

/// The origin with `p` parents: `Human` for none, `Derived` otherwise, from parents of
/// another owner that license them to `who` (the costliest derivative check).
fn origin_with<T: Config>(who: &T::AccountId, p: u32) -> OriginInput {
	if p == 0 {
		DatasetOrigin::Human
	} else {
		let parents = parents::<T>(&funded::<T>("licensor"), 1_000, p);
		for parent in &parents {
			T::LicenseFactory::license(AssetRef::Dataset(*parent), who);
		}
		DatasetOrigin::Derived { parents, transform_hash: [1; 32] }
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register(p: Linear<0, { T::MaxParents::get() }>, u: Linear<9, { T::MaxUriLen::get() }>) {
		let caller = funded::<T>("caller");
		let origin = origin_with::<T>(&caller, p);
		let id = NextDatasetId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			root_of(1),
			1_000_000,
			1 << 40,
			uri_of(u),
			[2; 32],
			origin,
			true,
		);

		assert!(Records::<T>::contains_key(id));
	}

	#[benchmark]
	fn register_version(
		p: Linear<0, { T::MaxParents::get() }>,
		u: Linear<9, { T::MaxUriLen::get() }>,
	) {
		let caller = funded::<T>("caller");
		let previous = parents::<T>(&caller, 2_000, 1)[0];
		let origin = origin_with::<T>(&caller, p);
		let id = NextDatasetId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			previous,
			root_of(1),
			1_000,
			1_000,
			uri_of(u),
			[2; 32],
			origin,
			true,
		);

		assert_eq!(Records::<T>::get(id).and_then(|d| d.previous_version), Some(previous));
	}

	#[benchmark]
	fn transfer_ownership() {
		let caller = funded::<T>("caller");
		let id = parents::<T>(&caller, 2_000, 1)[0];
		let new_owner: T::AccountId = account("new", 0, 0);
		let lookup = T::Lookup::unlookup(new_owner.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, lookup);

		assert_eq!(Records::<T>::get(id).map(|d| d.owner), Some(new_owner));
	}

	#[benchmark]
	fn publish_revocation_set() {
		let caller = funded::<T>("caller");
		let id = parents::<T>(&caller, 2_000, 1)[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, [3; 32], 5);

		assert!(Records::<T>::get(id).and_then(|d| d.revocation_set).is_some());
	}

	#[benchmark]
	fn revoke() {
		let caller = funded::<T>("caller");
		let id = parents::<T>(&caller, 2_000, 1)[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, RevocationReason::ConsentWithdrawn);

		assert!(!matches!(Records::<T>::get(id).map(|d| d.status), Some(DatasetStatus::Active)));
	}

	impl_benchmark_test_suite!(Datasets, crate::mock::new_bench_ext(), crate::mock::Test);
}
