//! Benchmarks of the licenses pallet's calls.

use super::*;
use crate::pallet::Pallet as Licenses;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	fund::<T>(account(name, 0, 0))
}

/// The signer of a measured call: `whitelisted_caller`, whose account the transaction's nonce
/// check already reads, writes and is charged for in the same extrinsic (as in polkadot-sdk's
/// own benchmarks), so the call's weight does not charge that account again.
fn funded_caller<T: Config>() -> T::AccountId {
	fund::<T>(whitelisted_caller())
}

/// `who`, with plenty to hold deposits and pay fees.
fn fund<T: Config>(who: T::AccountId) -> T::AccountId {
	T::Currency::set_balance(&who, 1_000_000_000_000u64.try_into().unwrap_or_default());
	who
}

fn spec<T: Config>() -> TermsSpecOf<T> {
	TermsSpec {
		commercial_use: true,
		derivatives: Derivatives::ShareAlike,
		attribution: true,
		fee: 1_000u32.into(),
		upstream_royalty_bps: 100,
		duration: Some(100u32.into()),
		terms_hash: [1; 32],
	}
}

/// Terms 0, published by `author`, with the longest URI.
fn terms<T: Config>(author: &T::AccountId) -> provenance_primitives::TermsId {
	let id = NextTermsId::<T>::get();
	Licenses::<T>::create_terms(
		RawOrigin::Signed(author.clone()).into(),
		spec::<T>(),
		vec![b'u'; T::MaxUriLen::get() as usize],
	)
	.expect("publishes terms");
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_terms() {
		let author = funded_caller::<T>();
		let uri = vec![b'u'; T::MaxUriLen::get() as usize];
		let id = NextTermsId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(author), spec::<T>(), uri);

		assert!(AllTerms::<T>::contains_key(id));
	}

	#[benchmark]
	fn set_license() {
		let owner = funded_caller::<T>();
		let id = terms::<T>(&owner);
		let asset = T::BenchmarkHelper::asset(&owner, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, id, Policy::Licensed);

		assert!(AssetLicenses::<T>::get(asset).is_some());
	}

	/// With a fee paid into the asset's royalties.
	#[benchmark]
	fn acquire_license() {
		let owner = funded::<T>("owner");
		let id = terms::<T>(&owner);
		let asset = T::BenchmarkHelper::asset(&owner, 0);
		Licenses::<T>::set_license(RawOrigin::Signed(owner).into(), asset, id, Policy::Licensed)
			.expect("offers the asset");
		let licensee = funded_caller::<T>();

		let max_fee = AllTerms::<T>::get(id).map(|terms| terms.spec.fee).unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(licensee.clone()), asset, id, max_fee);

		assert!(Grants::<T>::contains_key(asset, &licensee));
	}

	#[benchmark]
	fn relinquish() {
		let owner = funded::<T>("owner");
		let id = terms::<T>(&owner);
		let asset = T::BenchmarkHelper::asset(&owner, 0);
		Licenses::<T>::set_license(RawOrigin::Signed(owner).into(), asset, id, Policy::Licensed)
			.expect("offers the asset");
		let licensee = funded_caller::<T>();
		let max_fee = AllTerms::<T>::get(id).map(|terms| terms.spec.fee).unwrap_or_default();
		Licenses::<T>::acquire_license(
			RawOrigin::Signed(licensee.clone()).into(),
			asset,
			id,
			max_fee,
		)
		.expect("acquires a license");

		#[extrinsic_call]
		_(RawOrigin::Signed(licensee.clone()), asset);

		assert!(!Grants::<T>::contains_key(asset, &licensee));
	}

	impl_benchmark_test_suite!(Licenses, crate::mock::new_bench_ext(), crate::mock::Test);
}
