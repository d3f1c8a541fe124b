//! Invariants of the licenses pallet, checked in tests and under try-runtime.

use crate::{pallet::*, HoldReason};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - each author's held deposit is the sum of the deposits of its terms;
	/// - every license and grant names existing terms; ids are below `NextTermsId`.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, terms) in AllTerms::<T>::iter() {
			ensure!(id < NextTermsId::<T>::get(), "terms id not below NextTermsId");
			if let Some(author) = terms.author {
				held.entry(author).or_default().saturating_accrue(terms.deposit);
			}
		}
		for (author, deposit) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::TermsDeposit.into(), &author) == deposit,
				"held deposit is not the deposits of the author's terms"
			);
		}
		for (_, license) in AssetLicenses::<T>::iter() {
			ensure!(AllTerms::<T>::contains_key(license.terms), "a license names missing terms");
		}
		for (_, _, grant) in Grants::<T>::iter() {
			ensure!(AllTerms::<T>::contains_key(grant.terms), "a grant names missing terms");
		}
		Ok(())
	}
}
