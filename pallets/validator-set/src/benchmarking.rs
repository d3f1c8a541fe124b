//! Benchmarks of the validator-set pallet's calls, with the set at its bounds.

use super::*;
use crate::pallet::Validators;
use alloc::vec::Vec;
use codec::Decode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use sp_runtime::traits::{StaticLookup, TrailingZeroInput};

/// Makes the set `v` made-up validators, each with session keys (each is read).
fn set_of<T: Config>(v: u32) -> Vec<T::AccountId> {
	let validators: Vec<T::AccountId> = (0..v).map(|i| account("validator", i, 0)).collect();
	for validator in &validators {
		let keys = T::Keys::decode(&mut TrailingZeroInput::zeroes()).expect("keys decode");
		pallet_session::NextKeys::<T>::insert(validator, keys);
	}
	Validators::<T>::put(BoundedVec::truncate_from(validators.clone()));
	validators
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `v` validators before the call.
	#[benchmark]
	fn add_validator(
		v: Linear<{ T::MinValidators::get() }, { T::MaxValidators::get() - 1 }>,
	) -> Result<(), BenchmarkError> {
		set_of::<T>(v);
		let joining: T::AccountId = account("joining", 0, 0);
		let keys = T::Keys::decode(&mut TrailingZeroInput::zeroes()).expect("keys decode");
		pallet_session::NextKeys::<T>::insert(&joining, keys);
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lookup = T::Lookup::unlookup(joining.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup);

		assert!(Validators::<T>::get().contains(&joining));
		Ok(())
	}

	/// `v` validators before the call; the last one leaves.
	#[benchmark]
	fn remove_validator(
		v: Linear<{ T::MinValidators::get() + 1 }, { T::MaxValidators::get() }>,
	) -> Result<(), BenchmarkError> {
		let leaving = set_of::<T>(v).pop().expect("v >= 1");
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lookup = T::Lookup::unlookup(leaving.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup);

		assert!(!Validators::<T>::get().contains(&leaving));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::genesis_ext(), crate::mock::Test);
}
