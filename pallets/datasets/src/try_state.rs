//! Invariants of the datasets pallet, checked in tests and under try-runtime.

use crate::{pallet::*, ConsentState, DatasetOrigin, HoldReason, WithdrawalState};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - ids are below `NextDatasetId`, and every reference points to an older dataset;
	/// - the root index (per owner) and the reverse indexes agree with the records, both ways;
	/// - each depositor's held deposit is the sum of the deposits of its records;
	/// - see [`Self::try_state_consent`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_consent()?;
		let next_id = NextDatasetId::<T>::get();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let (mut derived_edges, mut generated_edges, mut version_edges) = (0usize, 0usize, 0usize);
		for (id, dataset) in Records::<T>::iter() {
			ensure!(id < next_id, "dataset id not below NextDatasetId");
			ensure!(
				RootAnchors::<T>::get(dataset.root, &dataset.owner) == Some(id),
				"per-owner root index disagrees"
			);
			match &dataset.origin {
				DatasetOrigin::Human => {},
				DatasetOrigin::Synthetic { generator, .. } => {
					ensure!(
						GeneratedBy::<T>::contains_key(generator, id),
						"missing generator edge"
					);
					generated_edges += 1;
				},
				DatasetOrigin::Derived { parents, .. } => {
					for parent in parents {
						ensure!(
							*parent < id && Records::<T>::contains_key(parent),
							"dangling parent"
						);
						ensure!(
							DerivedChildren::<T>::contains_key(parent, id),
							"missing child edge"
						);
						derived_edges += 1;
					}
				},
			}
			if let Some(previous) = dataset.previous_version {
				ensure!(previous < id && Records::<T>::contains_key(previous), "dangling version");
				ensure!(NewerVersions::<T>::contains_key(previous, id), "missing version edge");
				version_edges += 1;
			}
			let sum = held.entry(dataset.depositor.clone()).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(dataset.deposit);
		}
		ensure!(RootAnchors::<T>::iter().count() == Records::<T>::iter().count(), "stray root");
		ensure!(DerivedChildren::<T>::iter().count() == derived_edges, "stray child edge");
		ensure!(GeneratedBy::<T>::iter().count() == generated_edges, "stray generator edge");
		ensure!(NewerVersions::<T>::iter().count() == version_edges, "stray version edge");
		for (who, deposits) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::DatasetDeposit.into(), &who);
			ensure!(on_hold == deposits, "held deposit differs from the records' deposits");
		}
		Ok(())
	}

	/// - each dataset's consent counters count its open and unanswered withdrawals, and it is
	///   in breach (since some block) exactly while one is unanswered;
	/// - every open withdrawal has its deadline entry and no other withdrawal has one;
	/// - the record and per-dataset and per-contributor indexes agree with the withdrawals;
	/// - each account's consent hold is the sum of its trees' and withdrawals' deposits.
	fn try_state_consent() -> Result<(), TryRuntimeError> {
		let next_id = NextWithdrawalId::<T>::get();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut counters: BTreeMap<u64, ConsentState<BlockNumberFor<T>>> = BTreeMap::new();
		let (mut records, mut open) = (0usize, 0usize);
		for (id, tree) in Contributors::<T>::iter() {
			ensure!(Records::<T>::contains_key(id), "contributor tree of no dataset");
			let sum = held.entry(tree.depositor).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(tree.deposit);
		}
		for (id, withdrawal) in Withdrawals::<T>::iter() {
			ensure!(id < next_id, "withdrawal id not below NextWithdrawalId");
			ensure!(
				Contributors::<T>::contains_key(withdrawal.dataset),
				"withdrawal from a dataset without contributors"
			);
			let state = counters.entry(withdrawal.dataset).or_default();
			match withdrawal.state {
				WithdrawalState::Open => {
					state.open += 1;
					open += 1;
					ensure!(
						Deadlines::<T>::contains_key(withdrawal.deadline, id),
						"open withdrawal without its deadline"
					);
				},
				WithdrawalState::Unanswered { .. } => state.unanswered += 1,
				WithdrawalState::Answered { .. } => {},
			}
			for leaf in &withdrawal.records {
				ensure!(
					WithdrawnRecords::<T>::get(withdrawal.dataset, leaf) == Some(id),
					"withdrawn record index disagrees"
				);
				records += 1;
			}
			ensure!(
				WithdrawalsByDataset::<T>::contains_key(withdrawal.dataset, id),
				"missing dataset index entry"
			);
			ensure!(
				WithdrawalsByContributor::<T>::contains_key(&withdrawal.contributor, id),
				"missing contributor index entry"
			);
			let sum = held.entry(withdrawal.contributor.clone()).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(withdrawal.deposit);
		}
		ensure!(WithdrawnRecords::<T>::iter().count() == records, "stray withdrawn record");
		ensure!(Deadlines::<T>::iter().count() == open, "stray deadline");
		let withdrawals = Withdrawals::<T>::iter().count();
		ensure!(WithdrawalsByDataset::<T>::iter().count() == withdrawals, "stray dataset entry");
		ensure!(
			WithdrawalsByContributor::<T>::iter().count() == withdrawals,
			"stray contributor entry"
		);
		for (id, state) in Consent::<T>::iter() {
			let counted = counters.remove(&id).unwrap_or_default();
			ensure!(state.open == counted.open, "open withdrawals miscounted");
			ensure!(state.unanswered == counted.unanswered, "unanswered withdrawals miscounted");
			ensure!(
				state.non_compliant_since.is_some() == (state.unanswered > 0),
				"breach and unanswered withdrawals disagree"
			);
		}
		ensure!(
			counters.values().all(|c| c.open == 0 && c.unanswered == 0),
			"withdrawals of a dataset without counters"
		);
		for (who, deposits) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::ConsentDeposit.into(), &who);
			ensure!(on_hold == deposits, "consent hold differs from the deposits");
		}
		Ok(())
	}
}
