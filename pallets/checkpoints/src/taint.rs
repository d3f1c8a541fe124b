//! Taint propagation: the queue of bounded steps `on_idle` runs, and the computation of an
//! asset's taint from its inputs. The algorithm is described in the crate docs.

use crate::{pallet::*, ChildKind, Relation, TaintWork, WeightInfo};
use frame_support::{pallet_prelude::*, traits::Get};
use provenance_primitives::{
	storage::page_of,
	traits::{DatasetInspect, OnCheckpointTainted, OriginSummary},
	AssetRef, CheckpointId, DatasetId, TaintKind, TaintSource,
};

impl<T: Config> Pallet<T> {
	/// Runs queued propagation steps while `remaining` weight covers one more, at most
	/// `MaxTaintStepsPerBlock`; returns the weight used.
	pub(crate) fn propagate_taint(remaining: Weight) -> Weight {
		let warn = T::OnCheckpointTainted::on_checkpoint_tainted_weight(T::FanoutBatch::get());
		let step = T::WeightInfo::taint_recompute()
			.saturating_add(warn)
			.max(T::WeightInfo::taint_fanout())
			.max(T::WeightInfo::taint_pipeline_users());
		// The first read of the bounds, and the last (whether the queue is done) once steps ran.
		let read = T::DbWeight::get().reads(1);
		let mut used = read;
		if used.saturating_add(read).any_gt(remaining) {
			return Weight::zero();
		}
		let mut steps = 0;
		while steps < T::MaxTaintStepsPerBlock::get()
			&& used.saturating_add(step).saturating_add(read).all_lte(remaining)
		{
			let (head, tail) = TaintQueueBounds::<T>::get();
			if head >= tail {
				break;
			}
			// The step's work leaves the queue after the step: work it queues does not find the
			// queue empty, so explorers hear `pending: true` once per stretch of work.
			if let Some(work) = TaintQueue::<T>::take(head) {
				Self::run_step(work);
			}
			TaintQueueBounds::<T>::mutate(|(head, _)| *head = head.saturating_add(1));
			used.saturating_accrue(step);
			steps = steps.saturating_add(1);
		}
		if steps > 0 {
			used.saturating_accrue(read);
			let (head, tail) = TaintQueueBounds::<T>::get();
			if head >= tail {
				Self::deposit_event(Event::TaintPropagation { pending: false });
			}
		}
		used
	}

	pub(crate) fn enqueue(work: TaintWork) {
		let was_empty = TaintQueueBounds::<T>::mutate(|(head, tail)| {
			TaintQueue::<T>::insert(*tail, work);
			let was_empty = head >= tail;
			*tail = tail.saturating_add(1);
			was_empty
		});
		if was_empty {
			Self::deposit_event(Event::TaintPropagation { pending: true });
		}
	}

	/// Queues a recomputation of `asset`, and with `fanout` one of its children whether or
	/// not its own set changes. An asset is queued for recomputation at most once at a time:
	/// asking again only adds the fan-out to the recomputation already queued, so that no one
	/// can fill the queue by asking for the same work over and over.
	pub(crate) fn enqueue_recompute(asset: AssetRef, fanout: bool) {
		match QueuedRecompute::<T>::get(asset) {
			Some(queued) => {
				if fanout && !queued {
					QueuedRecompute::<T>::insert(asset, true);
				}
			},
			None => {
				QueuedRecompute::<T>::insert(asset, fanout);
				Self::enqueue(TaintWork::Recompute { asset });
			},
		}
	}

	/// Starts a fan-out to `asset`'s children. An asset has one fan-out at a time: asking
	/// while one is under way makes it start over once done, so that children it already
	/// passed see the newer change too.
	fn start_fanout(asset: AssetRef) {
		if QueuedFanout::<T>::contains_key(asset) {
			QueuedFanout::<T>::insert(asset, true);
			return;
		}
		QueuedFanout::<T>::insert(asset, false);
		Self::enqueue(TaintWork::Fanout { asset, kind: ChildKind::first_for(&asset), after: None });
	}

	pub(crate) fn run_step(work: TaintWork) {
		match work {
			TaintWork::Recompute { asset } => {
				let fanout = QueuedRecompute::<T>::take(asset).unwrap_or_default();
				let Some(taint) = Self::taint_from_inputs(asset) else { return };
				if Self::store_taint(asset, taint) || fanout {
					Self::start_fanout(asset);
				}
			},
			TaintWork::Fanout { asset, kind, after } => {
				let batch = T::FanoutBatch::get();
				let children = Self::children_page(asset, kind, after, batch);
				children.iter().for_each(|child| Self::enqueue_recompute(*child, false));
				let next = if children.len() as u32 == batch {
					children.last().map(|last| (kind, Some(last.id())))
				} else {
					kind.next().map(|kind| (kind, None))
				};
				match next {
					Some((kind, after)) => Self::enqueue(TaintWork::Fanout { asset, kind, after }),
					None if QueuedFanout::<T>::take(asset).unwrap_or_default() => {
						Self::start_fanout(asset)
					},
					None => {},
				}
			},
			TaintWork::Warn { checkpoint, after } => Self::warn(checkpoint, after),
			TaintWork::PipelineUsers { pipeline, after } => {
				Self::recompute_pipeline_users(pipeline, after)
			},
		}
	}

	/// Tells `OnCheckpointTainted` of one page about tainted `checkpoint`, and queues the
	/// next page if there is one.
	pub(crate) fn warn(checkpoint: CheckpointId, after: Option<u64>) {
		let next =
			T::OnCheckpointTainted::on_checkpoint_tainted(checkpoint, after, T::FanoutBatch::get());
		if next.is_some() {
			Self::enqueue(TaintWork::Warn { checkpoint, after: next });
		}
	}

	/// One page of `asset`'s children of `kind`, after the child with id `after`.
	pub(crate) fn children_page(
		asset: AssetRef,
		kind: ChildKind,
		after: Option<u64>,
		limit: u32,
	) -> alloc::vec::Vec<AssetRef> {
		match (asset, kind) {
			(AssetRef::Dataset(id), ChildKind::DerivedDatasets) => {
				T::Datasets::derived_children(id, after, limit)
					.into_iter()
					.map(AssetRef::Dataset)
					.collect()
			},
			(AssetRef::Dataset(id), ChildKind::TrainedCheckpoints) => {
				page_of::<DatasetUsers<T>, _, _, _>(id, after, limit)
					.into_iter()
					.map(AssetRef::Checkpoint)
					.collect()
			},
			(AssetRef::Checkpoint(id), ChildKind::ChildCheckpoints) => {
				page_of::<Children<T>, _, _, _>(id, after, limit)
					.into_iter()
					.map(AssetRef::Checkpoint)
					.collect()
			},
			(AssetRef::Checkpoint(id), ChildKind::GeneratedDatasets) => {
				T::Datasets::generated_by(id, after, limit)
					.into_iter()
					.map(AssetRef::Dataset)
					.collect()
			},
			_ => alloc::vec::Vec::new(),
		}
	}

	/// Stores `taint` as `asset`'s set and emits an event per added source (or source whose
	/// kind changed) and per removed one, and one when its kinds changed; a checkpoint that
	/// gains a kind of taint it did not have warns its deployments. Returns whether the set
	/// changed.
	pub(crate) fn store_taint(asset: AssetRef, taint: TaintSetOf<T>) -> bool {
		let old = Taint::<T>::get(asset).unwrap_or_default();
		if old == taint {
			return false;
		}
		for source in taint.sources.iter().filter(|s| old.get(&s.origin) != Some(s)) {
			let (origin, kind) = (source.origin, source.kind);
			Self::deposit_event(match asset {
				AssetRef::Checkpoint(checkpoint) => {
					Event::CheckpointTainted { checkpoint, source: origin, kind }
				},
				AssetRef::Dataset(dataset) => {
					Event::DatasetTainted { dataset, source: origin, kind }
				},
			});
		}
		for source in old.sources.iter().filter(|s| !taint.contains(&s.origin)) {
			Self::deposit_event(Event::TaintCleared {
				asset,
				source: source.origin,
				kind: source.kind,
			});
		}
		let new_kind = taint.kinds.iter().any(|kind| !old.kinds.contains(kind));
		if taint.kinds != old.kinds || taint.truncated != old.truncated {
			Self::deposit_event(Event::TaintKindsChanged {
				asset,
				kinds: taint.kinds.clone(),
				truncated: taint.truncated,
			});
		}
		if taint.is_empty() {
			Taint::<T>::remove(asset);
		} else {
			Taint::<T>::insert(asset, taint);
			if let (AssetRef::Checkpoint(id), true) = (asset, new_kind) {
				Self::warn(id, None);
			}
		}
		true
	}

	/// Recomputes `asset`'s set now and, when it changed, fans the change out to its
	/// descendants in `on_idle`: for a change the caller must see take effect at once.
	pub(crate) fn recompute_now(asset: AssetRef) {
		if let Some(taint) = Self::taint_from_inputs(asset) {
			if Self::store_taint(asset, taint) {
				Self::start_fanout(asset);
			}
		}
	}

	/// The taint of `asset` from its inputs' current sets, or `None` if it does not exist.
	pub(crate) fn taint_from_inputs(asset: AssetRef) -> Option<TaintSetOf<T>> {
		match asset {
			AssetRef::Checkpoint(id) => {
				Records::<T>::get(id).map(|c| Self::taint_from_inputs_of_checkpoint(id, &c))
			},
			AssetRef::Dataset(id) => {
				let dataset = T::Datasets::dataset(id)?;
				let mut taint = TaintSetOf::<T>::default();
				if dataset.unusable() {
					taint.insert(TaintSource { origin: asset, kind: dataset.taint_kind });
				}
				match dataset.origin {
					OriginSummary::Human => {},
					OriginSummary::Synthetic { generator } => taint.extend(
						&Taint::<T>::get(AssetRef::Checkpoint(generator)).unwrap_or_default(),
					),
					OriginSummary::Derived { parents } => {
						for parent in parents {
							Self::inherit_from_dataset(&mut taint, parent, dataset.created_at);
						}
					},
				}
				Some(taint)
			},
		}
	}

	/// The taint of checkpoint `id` from its parents and datasets, and from itself when it is
	/// flagged as compromised. Once its run is final, its exclusions remove sources from what
	/// its `Unlearning` parents pass on, and only from that: a source reaching it by another
	/// parent or a dataset it trained on stays, and so does its own flag.
	pub(crate) fn taint_from_inputs_of_checkpoint(
		id: CheckpointId,
		checkpoint: &CheckpointOf<T>,
	) -> TaintSetOf<T> {
		let mut taint = TaintSetOf::<T>::default();
		let mut unlearned = TaintSetOf::<T>::default();
		for edge in &checkpoint.parents {
			let inherited =
				Taint::<T>::get(AssetRef::Checkpoint(edge.checkpoint)).unwrap_or_default();
			match edge.relation {
				Relation::Unlearning => unlearned.extend(&inherited),
				_ => taint.extend(&inherited),
			}
		}
		if checkpoint.run.is_some() {
			checkpoint.excludes.iter().for_each(|excluded| unlearned.remove(excluded));
		}
		taint.extend(&unlearned);
		for dataset in &checkpoint.datasets {
			Self::inherit_from_dataset(&mut taint, *dataset, checkpoint.created_at);
		}
		let origin = AssetRef::Checkpoint(id);
		if Compromised::<T>::contains_key(id) {
			taint.insert(TaintSource { origin, kind: TaintKind::ModelCompromised });
		}
		if Self::pipeline_compromised(id) {
			taint.insert(TaintSource { origin, kind: TaintKind::PipelineCompromised });
		}
		taint
	}

	/// Adds what a consumer created at `consumer_created_at` inherits from `dataset`: its set,
	/// and the dataset itself if records of it were revoked after the consumer was made.
	fn inherit_from_dataset(
		taint: &mut TaintSetOf<T>,
		dataset: DatasetId,
		consumer_created_at: frame_system::pallet_prelude::BlockNumberFor<T>,
	) {
		taint.extend(&Taint::<T>::get(AssetRef::Dataset(dataset)).unwrap_or_default());
		let Some(summary) = T::Datasets::dataset(dataset) else { return };
		if summary.records_revoked_at.is_some_and(|at| consumer_created_at < at) {
			let origin = AssetRef::Dataset(dataset);
			taint.insert(TaintSource { origin, kind: summary.taint_kind });
		}
	}
}
