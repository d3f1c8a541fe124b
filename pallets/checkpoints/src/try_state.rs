//! Invariants of the checkpoints pallet, checked in tests and under try-runtime.

use crate::{pallet::*, HoldReason, TaintWork};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use provenance_primitives::{traits::DatasetInspect, AssetRef};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - ids are below `NextCheckpointId`; no edge points to a missing record, and parents are
	///   older than their children (the DAG is acyclic);
	/// - the weights index and the reverse indexes agree with the forward edges, both ways;
	/// - each depositor's held deposit is the sum of the deposits of its records;
	/// - taint is stored only for existing assets, never empty;
	/// - the queue holds exactly the steps between its bounds, and every asset marked as queued has
	///   a queued recomputation.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_id = NextCheckpointId::<T>::get();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let (mut child_edges, mut user_edges) = (0usize, 0usize);
		for (id, checkpoint) in Records::<T>::iter() {
			ensure!(id < next_id, "checkpoint id not below NextCheckpointId");
			ensure!(
				CheckpointByWeights::<T>::get(checkpoint.weights_hash) == Some(id),
				"weights index disagrees"
			);
			for edge in &checkpoint.parents {
				ensure!(
					edge.checkpoint < id && Records::<T>::contains_key(edge.checkpoint),
					"dangling parent"
				);
				ensure!(
					Children::<T>::get(edge.checkpoint, id) == Some(edge.relation),
					"missing child edge"
				);
				child_edges += 1;
			}
			for dataset in &checkpoint.datasets {
				ensure!(T::Datasets::dataset(*dataset).is_some(), "dangling dataset");
				ensure!(DatasetUsers::<T>::contains_key(dataset, id), "missing user edge");
				user_edges += 1;
			}
			let sum = held.entry(checkpoint.depositor.clone()).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(checkpoint.deposit);
		}
		ensure!(
			CheckpointByWeights::<T>::iter().count() == Records::<T>::iter().count(),
			"stray weights index entry"
		);
		ensure!(Children::<T>::iter().count() == child_edges, "stray child edge");
		ensure!(DatasetUsers::<T>::iter().count() == user_edges, "stray user edge");
		for (who, deposits) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::CheckpointDeposit.into(), &who);
			ensure!(on_hold == deposits, "held deposit differs from the records' deposits");
		}

		for (asset, taint) in Taint::<T>::iter() {
			ensure!(!taint.is_empty(), "empty taint stored");
			let exists = match asset {
				AssetRef::Checkpoint(id) => Records::<T>::contains_key(id),
				AssetRef::Dataset(id) => T::Datasets::dataset(id).is_some(),
			};
			ensure!(exists, "taint of a missing asset");
		}

		let (head, tail) = TaintQueueBounds::<T>::get();
		ensure!(head <= tail, "queue head past its tail");
		let mut queued = 0u64;
		for (seq, work) in TaintQueue::<T>::iter() {
			ensure!(head <= seq && seq < tail, "queued step outside the bounds");
			queued += 1;
			if let TaintWork::Recompute { asset, .. } = work {
				ensure!(QueuedRecompute::<T>::contains_key(asset), "recompute not marked queued");
			}
		}
		ensure!(queued == tail - head, "queue has gaps");
		for (asset, ()) in QueuedRecompute::<T>::iter() {
			let is_queued = TaintQueue::<T>::iter_values()
				.any(|w| matches!(w, TaintWork::Recompute { asset: a, .. } if a == asset));
			ensure!(is_queued, "asset marked queued without a queued recompute");
		}
		Ok(())
	}
}
