//! Lineage queries behind the runtime API: walks over the DAG, bounded by `MaxLineageWalk`.

use crate::{pallet::*, ChildKind, ParentEdge};
use alloc::{
	collections::{BTreeMap, BTreeSet, VecDeque},
	vec::Vec,
};
use frame_support::traits::Get;
use provenance_primitives::{
	api::{CompromiseReport, LineageNode, Page, SyntheticShare, TaintReport, TaintState},
	traits::{AssetLineage, DatasetInspect, OriginSummary},
	AssetRef, CheckpointId, DatasetId,
};
use sp_runtime::SaturatedConversion;

/// What a checkpoint with `parents` and `datasets` was made from, its parents first.
pub(crate) fn checkpoint_inputs(parents: &[ParentEdge], datasets: &[DatasetId]) -> Vec<AssetRef> {
	let parents = parents.iter().map(|edge| AssetRef::Checkpoint(edge.checkpoint));
	parents.chain(datasets.iter().map(|dataset| AssetRef::Dataset(*dataset))).collect()
}

impl<T: Config> Pallet<T> {
	/// What `asset` was made from: a checkpoint's parents and datasets, a synthetic dataset's
	/// generator, a derived dataset's parents.
	pub fn inputs(asset: AssetRef) -> Vec<AssetRef> {
		match asset {
			AssetRef::Checkpoint(id) => Records::<T>::get(id)
				.map(|c| checkpoint_inputs(&c.parents, &c.datasets))
				.unwrap_or_default(),
			AssetRef::Dataset(id) => match T::Datasets::lineage(id).map(|d| d.origin) {
				Some(OriginSummary::Synthetic { generator }) => {
					alloc::vec![AssetRef::Checkpoint(generator)]
				},
				Some(OriginSummary::Derived { parents }) => {
					parents.into_iter().map(AssetRef::Dataset).collect()
				},
				Some(OriginSummary::Human) | None => Vec::new(),
			},
		}
	}

	/// Up to `limit` children of `asset` of every kind.
	pub fn children(asset: AssetRef, limit: u32) -> Vec<AssetRef> {
		let mut children = Vec::new();
		let mut kind = Some(ChildKind::first_for(&asset));
		while let Some(k) = kind {
			let room = limit.saturating_sub(children.len() as u32);
			if room == 0 {
				break;
			}
			children.extend(Self::children_page(asset, k, None, room));
			kind = k.next();
		}
		children
	}

	/// Breadth-first walk from `start` along `next`, up to `max_depth` edges and `wanted`
	/// (at most `MaxLineageWalk`) assets; `start` itself is not listed. The walk ends as soon
	/// as it has found `wanted`: a page of descendants reads no further than the page.
	fn walk(
		start: AssetRef,
		max_depth: u32,
		wanted: u32,
		next: impl Fn(AssetRef, u32) -> Vec<AssetRef>,
	) -> Vec<LineageNode> {
		let budget = T::MaxLineageWalk::get().min(wanted);
		let mut seen = BTreeSet::from([start]);
		let mut queue = VecDeque::from([(start, 0u32)]);
		let mut found = Vec::new();
		while let Some((asset, depth)) = queue.pop_front() {
			if (found.len() as u32) >= budget {
				break;
			}
			if depth >= max_depth {
				continue;
			}
			for neighbour in next(asset, budget.saturating_sub(found.len() as u32)) {
				if (found.len() as u32) >= budget {
					return found;
				}
				if seen.insert(neighbour) {
					found.push(LineageNode { asset: neighbour, depth: depth.saturating_add(1) });
					queue.push_back((neighbour, depth.saturating_add(1)));
				}
			}
		}
		found
	}

	/// What `asset` was made from, nearest first, up to `max_depth` edges away.
	pub fn ancestors(asset: AssetRef, max_depth: u32) -> Vec<LineageNode> {
		Self::walk(asset, max_depth, u32::MAX, |a, _| Self::inputs(a))
	}

	/// What was made from `asset`, nearest first: `limit` (at most `MaxLineageWalk`) items
	/// from `offset`.
	pub fn descendants(asset: AssetRef, offset: u32, limit: u32) -> Page<LineageNode> {
		let limit = limit.min(T::MaxLineageWalk::get());
		let wanted = offset.saturating_add(limit).saturating_add(1);
		let all = Self::walk(asset, u32::MAX, wanted, |a, room| Self::children(a, room));
		let all: Vec<_> = all.into_iter().take(wanted as usize).collect();
		let has_more = all.len() as u32 > offset.saturating_add(limit);
		let items: Vec<_> = all.into_iter().skip(offset as usize).take(limit as usize).collect();
		Page { next: has_more.then(|| offset.saturating_add(limit)), items }
	}

	/// Whether checkpoint `id` descends from revoked data or a compromised model, and whether
	/// it was flagged itself.
	pub fn taint_report(id: CheckpointId) -> Option<TaintReport> {
		let checkpoint = Records::<T>::get(id)?;
		let state = match Taint::<T>::get(AssetRef::Checkpoint(id)) {
			Some(taint) => TaintState::Tainted {
				sources: taint.sources.into_inner(),
				kinds: taint.kinds.into_inner(),
				truncated: taint.truncated,
			},
			None if checkpoint.run.is_some() && !checkpoint.excludes.is_empty() => {
				TaintState::Remediated { excluded: checkpoint.excludes.into_inner() }
			},
			None => TaintState::Clean,
		};
		let compromised = Compromised::<T>::get(id).map(|c| CompromiseReport {
			reason: c.reason,
			evidence: c.evidence,
			at: c.at.saturated_into(),
			forced: c.forced,
		});
		let (head, tail) = TaintQueueBounds::<T>::get();
		Some(TaintReport { state, compromised, propagation_pending: head < tail })
	}

	/// The checkpoints of `id`'s model line, parents first: itself, then its ancestors
	/// through parent edges, nearest first.
	fn model_line(id: CheckpointId) -> Vec<CheckpointId> {
		let ancestors = Self::walk(AssetRef::Checkpoint(id), u32::MAX, u32::MAX, |a, _| match a {
			AssetRef::Checkpoint(c) => Records::<T>::get(c)
				.map(|c| c.parents.iter().map(|e| AssetRef::Checkpoint(e.checkpoint)).collect())
				.unwrap_or_default(),
			AssetRef::Dataset(_) => Vec::new(),
		});
		core::iter::once(id).chain(ancestors.into_iter().map(|n| n.asset.id())).collect()
	}

	/// The nearest checkpoint in `id`'s line, itself first, with no tainted input.
	pub fn clean_ancestor(id: CheckpointId) -> Option<CheckpointId> {
		if !Records::<T>::contains_key(id) {
			return None;
		}
		Self::model_line(id)
			.into_iter()
			.find(|c| !Taint::<T>::contains_key(AssetRef::Checkpoint(*c)))
	}

	/// How much of what checkpoint `id` and its ancestors were trained on is synthetic, and
	/// whether any of it was generated by those ancestors.
	pub fn synthetic_share(id: CheckpointId) -> Option<SyntheticShare> {
		if !Records::<T>::contains_key(id) {
			return None;
		}
		let line = Self::model_line(id);
		let ancestors: BTreeSet<CheckpointId> = line.iter().skip(1).copied().collect();
		let trained_on: BTreeSet<DatasetId> = line
			.iter()
			.filter_map(|c| Records::<T>::get(c))
			.flat_map(|c| c.datasets.into_inner())
			.collect();

		// (records, synthetic records, generated by an ancestor) per dataset; a derived
		// dataset's synthetic records are its parents' synthetic share of its own records.
		let mut memo: BTreeMap<DatasetId, (u128, u128, bool)> = BTreeMap::new();
		let mut stack: Vec<(DatasetId, bool)> = trained_on.iter().map(|d| (*d, false)).collect();
		let budget = T::MaxLineageWalk::get() as usize;
		let mut complete = true;
		while let Some((dataset, parents_done)) = stack.pop() {
			if memo.contains_key(&dataset) {
				continue;
			}
			if memo.len() >= budget {
				complete = false;
				break;
			}
			let Some(summary) = T::Datasets::dataset(dataset) else {
				memo.insert(dataset, (0, 0, false));
				continue;
			};
			let records = summary.record_count as u128;
			let entry = match summary.origin {
				OriginSummary::Human => (records, 0, false),
				OriginSummary::Synthetic { generator } => {
					(records, records, ancestors.contains(&generator))
				},
				OriginSummary::Derived { parents } if !parents_done => {
					stack.push((dataset, true));
					stack.extend(
						parents.into_iter().filter(|p| !memo.contains_key(p)).map(|p| (p, false)),
					);
					continue;
				},
				OriginSummary::Derived { parents } => {
					let (mut total, mut synthetic, mut own) = (0u128, 0u128, false);
					for parent in parents {
						let (r, s, o) = memo.get(&parent).copied().unwrap_or_default();
						total = total.saturating_add(r);
						synthetic = synthetic.saturating_add(s);
						own |= o;
					}
					let share =
						records.saturating_mul(synthetic).checked_div(total).unwrap_or_default();
					(records, share, own)
				},
			};
			memo.insert(dataset, entry);
		}

		let (mut total_records, mut synthetic_records, mut self_consuming) = (0u128, 0u128, false);
		for dataset in &trained_on {
			let (r, s, o) = memo.get(dataset).copied().unwrap_or_default();
			total_records = total_records.saturating_add(r);
			synthetic_records = synthetic_records.saturating_add(s);
			self_consuming |= o;
		}
		let parts_per_million = synthetic_records
			.saturating_mul(1_000_000)
			.checked_div(total_records)
			.unwrap_or_default() as u32;
		Some(SyntheticShare {
			total_records,
			synthetic_records,
			parts_per_million,
			self_consuming,
			complete,
		})
	}
}

impl<T: Config> AssetLineage<T::AccountId> for Pallet<T> {
	fn owner(asset: AssetRef) -> Option<T::AccountId> {
		match asset {
			AssetRef::Checkpoint(id) => Records::<T>::get(id).map(|c| c.owner),
			AssetRef::Dataset(id) => T::Datasets::lineage(id).map(|d| d.owner),
		}
	}

	fn is_usable(asset: AssetRef) -> bool {
		let live = match asset {
			AssetRef::Checkpoint(id) => Records::<T>::contains_key(id),
			AssetRef::Dataset(id) => T::Datasets::dataset(id).is_some_and(|d| !d.unusable()),
		};
		live && !Taint::<T>::contains_key(asset)
	}
}
