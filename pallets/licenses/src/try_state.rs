//! Invariants of the licenses pallet, checked in tests and under try-runtime.

use crate::{pallet::*, HoldReason};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - each author's held deposit is the sum of the deposits of its terms, each licensee's the
	///   sum of the deposits of its grants;
	/// - every license and grant names existing terms; ids are below `NextTermsId`;
	/// - an asset with inherited share-alike terms is offered under them.
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
		let mut grant_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, licensee, grant) in Grants::<T>::iter() {
			ensure!(AllTerms::<T>::contains_key(grant.terms), "a grant names missing terms");
			grant_deposits.entry(licensee).or_default().saturating_accrue(grant.deposit);
		}
		for (licensee, deposit) in grant_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::GrantDeposit.into(), &licensee)
					== deposit,
				"held deposit is not the deposits of the licensee's grants"
			);
		}
		for (asset, terms) in InheritedTerms::<T>::iter() {
			ensure!(
				AssetLicenses::<T>::get(asset).map(|license| license.terms) == Some(terms),
				"an asset is not offered under the share-alike terms it inherited"
			);
		}
		Ok(())
	}
}
