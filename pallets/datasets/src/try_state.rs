//! Invariants of the datasets pallet, checked in tests and under try-runtime.

use crate::{pallet::*, DatasetOrigin, HoldReason};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - ids are below `NextDatasetId`, and every reference points to an older dataset;
	/// - the root indexes (first anchor and per owner) and the reverse indexes agree with the
	///   records, both ways;
	/// - each depositor's held deposit is the sum of the deposits of its records.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_id = NextDatasetId::<T>::get();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let (mut derived_edges, mut generated_edges, mut version_edges) = (0usize, 0usize, 0usize);
		for (id, dataset) in Records::<T>::iter() {
			ensure!(id < next_id, "dataset id not below NextDatasetId");
			ensure!(
				RootAnchors::<T>::get(dataset.root, &dataset.owner) == Some(id),
				"per-owner root index disagrees"
			);
			let first =
				DatasetByRoot::<T>::get(dataset.root).ok_or("root without a first anchor")?;
			ensure!(first <= id, "the first anchor of a root is not the earliest");
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
		for (root, id) in DatasetByRoot::<T>::iter() {
			let record = Records::<T>::get(id).ok_or("first anchor of a root is missing")?;
			ensure!(record.root == root, "first anchor of a root anchors another");
		}
		ensure!(DerivedChildren::<T>::iter().count() == derived_edges, "stray child edge");
		ensure!(GeneratedBy::<T>::iter().count() == generated_edges, "stray generator edge");
		ensure!(NewerVersions::<T>::iter().count() == version_edges, "stray version edge");
		for (who, deposits) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::DatasetDeposit.into(), &who);
			ensure!(on_hold == deposits, "held deposit differs from the records' deposits");
		}
		Ok(())
	}
}
