//! Invariants of the checkpoints pallet, checked in tests and under try-runtime.

use crate::{pallet::*, HoldReason, TaintWork};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use provenance_primitives::{traits::DatasetInspect, AssetRef};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - ids are below `NextCheckpointId`; no edge points to a missing record, and parents are
	///   older than their children (the DAG is acyclic);
	/// - the weights indexes (first and per owner) and the reverse indexes agree with the records
	///   and forward edges, both ways;
	/// - each depositor's held deposit is the sum of the deposits of its records;
	/// - taint is stored only for existing assets, never empty; its sources are sorted by origin,
	///   one per origin, and its kinds are sorted and include every listed source's kind;
	/// - only existing checkpoints are flagged as compromised;
	/// - see [`Self::try_state_pipelines`];
	/// - the queue holds exactly the steps between its bounds; every asset marked as queued has one
	///   queued recomputation, every asset with a fan-out under way one fan-out step, and no asset
	///   more;
	/// - with the queue empty, every asset's stored taint is what its inputs give it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_pipelines()?;
		let next_id = NextCheckpointId::<T>::get();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let (mut child_edges, mut user_edges) = (0usize, 0usize);
		for (id, checkpoint) in Records::<T>::iter() {
			ensure!(id < next_id, "checkpoint id not below NextCheckpointId");
			ensure!(
				CheckpointsByWeights::<T>::get(checkpoint.weights_hash, &checkpoint.owner)
					== Some(id),
				"per-owner weights index disagrees"
			);
			let first = CheckpointByWeights::<T>::get(checkpoint.weights_hash)
				.ok_or("weights without a first checkpoint")?;
			ensure!(first <= id, "the first checkpoint of some weights is not the earliest");
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
			CheckpointsByWeights::<T>::iter().count() == Records::<T>::iter().count(),
			"stray weights index entry"
		);
		for (weights_hash, id) in CheckpointByWeights::<T>::iter() {
			let record = Records::<T>::get(id).ok_or("first checkpoint of weights is missing")?;
			ensure!(record.weights_hash == weights_hash, "first checkpoint has other weights");
		}
		ensure!(Children::<T>::iter().count() == child_edges, "stray child edge");
		ensure!(DatasetUsers::<T>::iter().count() == user_edges, "stray user edge");
		for (who, deposits) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::CheckpointDeposit.into(), &who);
			ensure!(on_hold == deposits, "held deposit differs from the records' deposits");
		}

		for (id, _) in Compromised::<T>::iter() {
			ensure!(Records::<T>::contains_key(id), "flag of a missing checkpoint");
		}
		for (asset, taint) in Taint::<T>::iter() {
			ensure!(!taint.is_empty(), "empty taint stored");
			ensure!(
				taint.sources.windows(2).all(|w| matches!(w, [a, b] if a.origin < b.origin)),
				"taint sources not sorted by origin"
			);
			ensure!(
				taint.kinds.windows(2).all(|w| matches!(w, [a, b] if a < b)),
				"kinds not sorted"
			);
			ensure!(
				taint.sources.iter().all(|s| taint.kinds.contains(&s.kind)),
				"a source's kind is missing from the kinds"
			);
			let exists = match asset {
				AssetRef::Checkpoint(id) => Records::<T>::contains_key(id),
				AssetRef::Dataset(id) => T::Datasets::dataset(id).is_some(),
			};
			ensure!(exists, "taint of a missing asset");
		}

		let (head, tail) = TaintQueueBounds::<T>::get();
		ensure!(head <= tail, "queue head past its tail");
		let mut queued = 0u64;
		let mut recomputes: BTreeMap<AssetRef, u32> = BTreeMap::new();
		let mut fanouts: BTreeMap<AssetRef, u32> = BTreeMap::new();
		for (seq, work) in TaintQueue::<T>::iter() {
			ensure!(head <= seq && seq < tail, "queued step outside the bounds");
			queued += 1;
			match work {
				TaintWork::Recompute { asset } => *recomputes.entry(asset).or_default() += 1,
				TaintWork::Fanout { asset, .. } => *fanouts.entry(asset).or_default() += 1,
				TaintWork::Warn { .. } | TaintWork::PipelineUsers { .. } => {},
			}
		}
		ensure!(queued == tail - head, "queue has gaps");
		ensure!(
			recomputes.len() == QueuedRecompute::<T>::iter().count()
				&& recomputes
					.iter()
					.all(|(asset, n)| { *n == 1 && QueuedRecompute::<T>::contains_key(asset) }),
			"queued recomputations disagree with QueuedRecompute"
		);
		ensure!(
			fanouts.len() == QueuedFanout::<T>::iter().count()
				&& fanouts
					.iter()
					.all(|(asset, n)| *n == 1 && QueuedFanout::<T>::contains_key(asset)),
			"queued fan-outs disagree with QueuedFanout"
		);
		if queued == 0 {
			for (id, _) in Records::<T>::iter() {
				let asset = AssetRef::Checkpoint(id);
				ensure!(
					Taint::<T>::get(asset).unwrap_or_default()
						== Self::taint_from_inputs(asset).unwrap_or_default(),
					"a checkpoint's stored taint is not what its inputs give it"
				);
			}
			for (asset, _) in Taint::<T>::iter() {
				ensure!(
					Taint::<T>::get(asset).unwrap_or_default()
						== Self::taint_from_inputs(asset).unwrap_or_default(),
					"an asset's stored taint is not what its inputs give it"
				);
			}
		}
		Ok(())
	}

	/// - every recorded pipeline belongs to an existing checkpoint with a linked run, and its
	///   code and environment hashes index it, and nothing else is indexed;
	/// - each reporter's held bond is the sum of the bonds of its reports not ruled on, and only
	///   reports not ruled on hold bonds.
	fn try_state_pipelines() -> Result<(), TryRuntimeError> {
		let mut entries = 0usize;
		for (id, (code, environment)) in Pipelines::<T>::iter() {
			let checkpoint = Records::<T>::get(id).ok_or("pipeline of a missing checkpoint")?;
			ensure!(checkpoint.run.is_some(), "pipeline of a checkpoint without a linked run");
			ensure!(
				PipelineUsers::<T>::contains_key(code, id)
					&& PipelineUsers::<T>::contains_key(environment, id),
				"pipeline not indexed"
			);
			entries += if code == environment { 1 } else { 2 };
		}
		ensure!(PipelineUsers::<T>::iter().count() == entries, "stray pipeline index entry");
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, report) in CompromisedPipelines::<T>::iter() {
			if let Some((who, bond)) = report.reporter {
				ensure!(!report.confirmed, "a confirmed report still holds its bond");
				let sum = bonds.entry(who).or_insert_with(Zero::zero);
				*sum = sum.saturating_add(bond);
			}
		}
		for (who, bond) in bonds {
			let held = T::Currency::balance_on_hold(&HoldReason::PipelineReportBond.into(), &who);
			ensure!(held == bond, "held report bond differs from the reports' bonds");
		}
		Ok(())
	}
}
