//! Tests of the checkpoints pallet: registration and its errors, the lineage indexes and
//! queries, and taint propagation, remediation and synthetic share across both pallets.

use crate::{mock::*, pallet::*, ParentEdge, Relation};

mod attacks;
mod compromise;
mod consent;
mod pipeline;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_datasets::{DatasetOrigin, OriginInput, RevocationReason};
use provenance_primitives::{
	api::{LineageNode, TaintState},
	merkle::Hash,
	traits::{AssetLineage, DatasetInspect, LinkOutcome, LinkRun, RunInputs},
	AssetRef, CheckpointId, DatasetId, TaintKind, TaintSource,
};

const URI: &[u8] = b"hf://lab/model";

fn hash(n: u32) -> Hash {
	let mut h = [0x11; 32];
	h[..4].copy_from_slice(&n.to_le_bytes());
	h
}

fn dataset_with(who: u64, n: u32, records: u64, origin: OriginInput) -> DatasetId {
	let id = pallet_datasets::NextDatasetId::<Test>::get();
	assert_ok!(Datasets::register(
		RuntimeOrigin::signed(who),
		hash(1_000_000 + n),
		records,
		1,
		b"ipfs://data".to_vec(),
		[0; 32],
		origin,
		false,
		None
	));
	id
}

fn human(n: u32) -> DatasetId {
	dataset_with(ALICE, n, 100, DatasetOrigin::Human)
}

fn synthetic(n: u32, records: u64, generator: CheckpointId) -> DatasetId {
	dataset_with(
		ALICE,
		n,
		records,
		DatasetOrigin::Synthetic { generator, params_hash: [1; 32], policy_hash: [2; 32] },
	)
}

fn edge(checkpoint: CheckpointId, relation: Relation) -> ParentEdge {
	ParentEdge { checkpoint, relation }
}

fn try_register(
	n: u32,
	parents: Vec<ParentEdge>,
	datasets: Vec<DatasetId>,
	excludes: Vec<DatasetId>,
) -> frame_support::dispatch::DispatchResult {
	let excludes = excludes.into_iter().map(AssetRef::Dataset).collect();
	try_register_excluding(n, parents, datasets, excludes)
}

fn try_register_excluding(
	n: u32,
	parents: Vec<ParentEdge>,
	datasets: Vec<DatasetId>,
	excludes: Vec<AssetRef>,
) -> frame_support::dispatch::DispatchResult {
	let registered = Checkpoints::register(
		RuntimeOrigin::signed(ALICE),
		hash(n),
		parents,
		datasets,
		excludes,
		URI.to_vec(),
		[5; 32],
		false,
		None,
	);
	registered.map(|_| ()).map_err(|e| e.error)
}

fn checkpoint(n: u32, parents: Vec<ParentEdge>, datasets: Vec<DatasetId>) -> CheckpointId {
	let id = NextCheckpointId::<Test>::get();
	assert_ok!(try_register(n, parents, datasets, vec![]));
	id
}

fn revoke(id: DatasetId) {
	assert_ok!(Datasets::revoke(
		RuntimeOrigin::signed(ALICE),
		id,
		RevocationReason::ConsentWithdrawn
	));
}

fn state(id: CheckpointId) -> TaintState {
	Checkpoints::taint_report(id).expect("exists").state
}

/// The source revoked dataset `id` is, with the kind its revocation gives it.
fn revoked_source(id: DatasetId) -> TaintSource {
	let kind = Datasets::dataset(id).expect("exists").taint_kind;
	TaintSource { origin: AssetRef::Dataset(id), kind }
}

/// Tainted by these revoked datasets, each of the kind its revocation gives it.
fn tainted(sources: Vec<DatasetId>) -> TaintState {
	tainted_by(sources.into_iter().map(revoked_source).collect(), false)
}

/// Tainted by these sources (sorted by origin), and `truncated`.
fn tainted_by(sources: Vec<TaintSource>, truncated: bool) -> TaintState {
	let mut kinds: Vec<TaintKind> = sources.iter().map(|s| s.kind).collect();
	kinds.sort();
	kinds.dedup();
	TaintState::Tainted { sources, kinds, truncated }
}

/// The `pending` of every `TaintPropagation` event, in order.
fn propagation_events() -> Vec<bool> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Checkpoints(Event::TaintPropagation { pending }) => Some(pending),
			_ => None,
		})
		.collect()
}

/// The taint events emitted so far, as (asset, source, kind).
fn taint_events() -> Vec<(AssetRef, AssetRef, TaintKind)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Checkpoints(Event::CheckpointTainted { checkpoint, source, kind }) => {
				Some((AssetRef::Checkpoint(checkpoint), source, kind))
			},
			RuntimeEvent::Checkpoints(Event::DatasetTainted { dataset, source, kind }) => {
				Some((AssetRef::Dataset(dataset), source, kind))
			},
			_ => None,
		})
		.collect()
}

#[test]
fn register_indexes_edges_and_holds_a_deposit() {
	new_test_ext(|| {
		let data = human(1);
		let base = checkpoint(1, vec![], vec![data]);
		let tuned = checkpoint(2, vec![edge(base, Relation::FineTune)], vec![]);
		let record = Records::<Test>::get(tuned).unwrap();
		assert_eq!(record.parents.to_vec(), vec![edge(base, Relation::FineTune)]);
		assert_eq!(Children::<Test>::get(base, tuned), Some(Relation::FineTune));
		assert!(DatasetUsers::<Test>::contains_key(data, base));
		assert_eq!(CheckpointByWeights::<Test>::get(hash(2)), Some(tuned));
		assert_eq!(state(tuned), TaintState::Clean);
		let held = Balances::balance_on_hold(&HoldReason::CheckpointDeposit.into(), &ALICE);
		assert_eq!(held, Records::<Test>::get(base).unwrap().deposit + record.deposit);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Checkpoints(Event::CheckpointRegistered { id, owner: ALICE, run: None, .. }) if *id == tuned
		)));
	});
}

#[test]
fn a_base_checkpoint_is_charged_by_its_own_benchmark_and_any_other_by_its_counts() {
	use crate::WeightInfo;
	use frame_support::dispatch::GetDispatchInfo;
	let register = |parents: Vec<ParentEdge>, datasets: Vec<DatasetId>, excludes: Vec<AssetRef>| {
		crate::Call::<Test>::register {
			weights_hash: hash(1),
			parents,
			datasets,
			excludes,
			uri: URI.to_vec(),
			metadata_hash: [0; 32],
			commercial: false,
			max_stack_bps: None,
		}
		.get_dispatch_info()
		.call_weight
	};
	let parent = || vec![edge(0, Relation::FineTune)];
	assert_eq!(register(vec![], vec![], vec![]), <() as WeightInfo>::register_base());
	assert_eq!(register(parent(), vec![], vec![]), <() as WeightInfo>::register(1, 0, 0));
	assert_eq!(register(vec![], vec![0, 1], vec![]), <() as WeightInfo>::register(0, 2, 0));
	let exclusion = vec![AssetRef::Dataset(0)];
	assert_eq!(register(vec![], vec![], exclusion), <() as WeightInfo>::register(0, 0, 1));
}

#[test]
fn bad_registrations_get_named_errors_and_change_nothing() {
	new_test_ext(|| {
		let data = human(1);
		let other = human(2);
		let base = checkpoint(1, vec![], vec![data]);
		let ft = |c| edge(c, Relation::FineTune);
		assert_noop!(
			try_register(1, vec![], vec![], vec![]),
			Error::<Test>::WeightsAlreadyRegistered
		);
		assert_noop!(try_register(9, vec![ft(7)], vec![], vec![]), Error::<Test>::UnknownParent);
		assert_noop!(
			try_register(9, vec![ft(base), ft(base)], vec![], vec![]),
			Error::<Test>::DuplicateParent
		);
		assert_noop!(
			try_register(9, vec![ft(base); 5], vec![], vec![]),
			Error::<Test>::TooManyParents
		);
		assert_noop!(try_register(9, vec![], vec![77], vec![]), Error::<Test>::UnknownDataset);
		assert_noop!(
			try_register(9, vec![], vec![data, data], vec![]),
			Error::<Test>::DuplicateDataset
		);
		assert_noop!(
			try_register(9, vec![], vec![data; 7], vec![]),
			Error::<Test>::TooManyDatasets
		);
		assert_noop!(
			try_register(9, vec![ft(base)], vec![], vec![data]),
			Error::<Test>::ExcludesWithoutUnlearning
		);
		assert_noop!(
			try_register(9, vec![edge(base, Relation::Unlearning)], vec![], vec![other]),
			Error::<Test>::NotATaintSource
		);
		let long_uri = [URI, &[b'x'; 60]].concat();
		assert_noop!(
			Checkpoints::register(
				RuntimeOrigin::signed(ALICE),
				hash(9),
				vec![],
				vec![],
				vec![],
				long_uri,
				[0; 32],
				false,
				None
			),
			Error::<Test>::UriTooLong
		);
		assert_noop!(
			Checkpoints::register(
				RuntimeOrigin::signed(ALICE),
				hash(9),
				vec![],
				vec![],
				vec![],
				b"file:///x".to_vec(),
				[0; 32],
				false,
				None
			),
			Error::<Test>::UnsupportedUriScheme
		);

		revoke(other);
		assert_noop!(try_register(9, vec![], vec![other], vec![]), Error::<Test>::DatasetRevoked);
		revoke(data);
		propagate();
		assert_noop!(try_register(9, vec![ft(base)], vec![], vec![]), Error::<Test>::ParentTainted);
		let derived_later = NextCheckpointId::<Test>::get();
		assert_eq!(derived_later, 1);
	});
}

#[test]
fn a_dataset_derived_from_tainted_data_takes_no_training_run() {
	new_test_ext(|| {
		let data = human(1);
		let base = checkpoint(1, vec![], vec![data]);
		let made = synthetic(2, 50, base);
		revoke(data);
		propagate();
		assert!(Taint::<Test>::contains_key(AssetRef::Dataset(made)));
		assert_noop!(try_register(9, vec![], vec![made], vec![]), Error::<Test>::DatasetTainted);
		// Nor does a tainted generator make new synthetic data.
		assert_noop!(
			Datasets::register(
				RuntimeOrigin::signed(ALICE),
				hash(77),
				1,
				1,
				b"ipfs://x".to_vec(),
				[0; 32],
				DatasetOrigin::Synthetic {
					generator: base,
					params_hash: [0; 32],
					policy_hash: [0; 32]
				},
				false,
				None
			),
			pallet_datasets::Error::<Test>::GeneratorTainted
		);
	});
}

#[test]
fn ownership_moves() {
	new_test_ext(|| {
		let id = checkpoint(1, vec![], vec![]);
		assert_noop!(
			Checkpoints::transfer_ownership(RuntimeOrigin::signed(BOB), id, BOB),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Checkpoints::transfer_ownership(RuntimeOrigin::signed(ALICE), id, ALICE),
			Error::<Test>::AlreadyOwner
		);
		assert_noop!(
			Checkpoints::transfer_ownership(RuntimeOrigin::signed(ALICE), 5, BOB),
			Error::<Test>::NotFound
		);
		assert_ok!(Checkpoints::transfer_ownership(RuntimeOrigin::signed(ALICE), id, BOB));
		let record = Records::<Test>::get(id).unwrap();
		assert_eq!((record.owner, record.depositor), (BOB, ALICE));
	});
}

#[test]
fn revocation_taints_every_descendant_over_many_blocks_once_each() {
	new_test_ext(|| {
		// A lineage wider and deeper than a block's budget (5 steps, fan-out pages of 3):
		// 10 checkpoints trained on the dataset, each the root of a chain of 5 fine-tunes,
		// and a merge of two chains (a diamond).
		let data = human(1);
		let mut all = Vec::new();
		let mut chain_ends = Vec::new();
		let mut n = 0;
		for _ in 0..10 {
			n += 1;
			let mut parent = checkpoint(n, vec![], vec![data]);
			all.push(parent);
			for _ in 0..5 {
				n += 1;
				parent = checkpoint(n, vec![edge(parent, Relation::FineTune)], vec![]);
				all.push(parent);
			}
			chain_ends.push(parent);
		}
		let merged = checkpoint(
			999,
			vec![edge(chain_ends[0], Relation::Merge), edge(chain_ends[1], Relation::Merge)],
			vec![],
		);
		all.push(merged);
		let unrelated = checkpoint(1000, vec![], vec![human(2)]);
		System::reset_events();

		revoke(data);
		assert_eq!(next_block() > 0, true, "one block is not enough");
		assert!(Checkpoints::taint_report(merged).unwrap().propagation_pending);
		assert_eq!(state(merged), TaintState::Clean, "not reached yet");
		let blocks = propagate();
		assert!(blocks > 10, "took {blocks} blocks");
		// Explorers heard the work start once and end once, though steps queued more work
		// on the way.
		assert_eq!(propagation_events(), vec![true, false]);

		for id in &all {
			assert_eq!(state(*id), tainted(vec![data]), "checkpoint {id}");
		}
		assert_eq!(state(unrelated), TaintState::Clean);
		let events = taint_events();
		assert_eq!(events.len(), all.len() + 1, "one event per checkpoint, one for the dataset");
		let source = AssetRef::Dataset(data);
		assert!(events.contains(&(source, source, TaintKind::ConsentWithdrawn)));
		for id in &all {
			assert_eq!(events.iter().filter(|e| e.0 == AssetRef::Checkpoint(*id)).count(), 1);
		}
		assert!(!Checkpoints::taint_report(merged).unwrap().propagation_pending);
		assert_eq!(QueuedRecompute::<Test>::iter().count(), 0);
	});
}

#[test]
fn on_idle_respects_the_weight_it_is_given() {
	new_test_ext(|| {
		let data = human(1);
		for n in 0..4 {
			checkpoint(n, vec![], vec![data]);
		}
		revoke(data);
		use frame_support::traits::Hooks;
		let (head, tail) = TaintQueueBounds::<Test>::get();
		assert_eq!(
			Checkpoints::on_idle(2, frame_support::weights::Weight::zero()),
			frame_support::weights::Weight::zero()
		);
		assert_eq!(TaintQueueBounds::<Test>::get(), (head, tail), "no weight, no step");
	});
}

#[test]
fn taint_runs_through_synthetic_loops_and_self_consumption_is_seen() {
	new_test_ext(|| {
		// human -> A -> generates S1 -> B (fine-tune of A, trained on S1) -> generates S2
		// -> C (fine-tune of B, trained on S2 and on a second human set).
		let h = dataset_with(ALICE, 1, 600, DatasetOrigin::Human);
		let a = checkpoint(1, vec![], vec![h]);
		let s1 = synthetic(2, 200, a);
		let b = checkpoint(2, vec![edge(a, Relation::FineTune)], vec![s1]);
		let s2 = synthetic(3, 100, b);
		let h2 = dataset_with(ALICE, 4, 100, DatasetOrigin::Human);
		let c = checkpoint(3, vec![edge(b, Relation::FineTune)], vec![s2, h2]);

		let share = Checkpoints::synthetic_share(c).unwrap();
		assert_eq!((share.total_records, share.synthetic_records), (1_000, 300));
		assert_eq!(share.parts_per_million, 300_000);
		assert!(share.self_consuming && share.complete);
		let share_a = Checkpoints::synthetic_share(a).unwrap();
		assert_eq!((share_a.synthetic_records, share_a.self_consuming), (0, false));

		revoke(h);
		propagate();
		for id in [a, b, c] {
			assert_eq!(state(id), tainted(vec![h]));
		}
		for set in [s1, s2] {
			let event = (AssetRef::Dataset(set), AssetRef::Dataset(h), TaintKind::ConsentWithdrawn);
			assert!(taint_events().contains(&event));
		}
		assert_eq!(Checkpoints::clean_ancestor(c), None, "the whole line is tainted");
	});
}

#[test]
fn a_derived_dataset_counts_its_parents_synthetic_share() {
	new_test_ext(|| {
		let gen = checkpoint(1, vec![], vec![]);
		let s = synthetic(1, 300, gen);
		let h = dataset_with(ALICE, 2, 100, DatasetOrigin::Human);
		let mix = dataset_with(
			ALICE,
			3,
			200,
			DatasetOrigin::Derived { parents: vec![s, h], transform_hash: [0; 32] },
		);
		let model = checkpoint(2, vec![], vec![mix]);
		let share = Checkpoints::synthetic_share(model).unwrap();
		assert_eq!((share.total_records, share.synthetic_records), (200, 150));
		assert!(!share.self_consuming, "the generator is not the model's ancestor");
	});
}

#[test]
fn clean_ancestor_is_the_state_to_roll_back_to() {
	new_test_ext(|| {
		let clean_data = human(1);
		let bad_data = human(2);
		let base = checkpoint(1, vec![], vec![clean_data]);
		let ft1 = checkpoint(2, vec![edge(base, Relation::FineTune)], vec![bad_data]);
		let ft2 = checkpoint(3, vec![edge(ft1, Relation::FineTune)], vec![]);
		assert_eq!(Checkpoints::clean_ancestor(ft2), Some(ft2));
		revoke(bad_data);
		propagate();
		assert_eq!(Checkpoints::clean_ancestor(ft2), Some(base));
		assert_eq!(Checkpoints::clean_ancestor(base), Some(base));
		assert_eq!(Checkpoints::clean_ancestor(42), None);
	});
}

#[test]
fn unlearning_remediates_once_its_run_is_final() {
	new_test_ext(|| {
		let data = human(1);
		let base = checkpoint(1, vec![], vec![data]);
		revoke(data);
		propagate();
		assert_eq!(state(base), tainted(vec![data]));

		assert_ok!(try_register(2, vec![edge(base, Relation::Unlearning)], vec![], vec![data]));
		let unlearned = 1;
		assert_eq!(state(unlearned), tainted(vec![data]), "pending until its run is final");
		assert_noop!(
			try_register(3, vec![edge(unlearned, Relation::FineTune)], vec![], vec![]),
			Error::<Test>::ParentTainted
		);

		let declared =
			RunInputs { datasets: vec![], base_checkpoints: vec![base], pipeline: vec![] };
		// Only the owner's run with the checkpoint's own lineage is linked.
		assert_eq!(Checkpoints::link_run(&hash(2), 6, &BOB, &declared), LinkOutcome::NoCheckpoint);
		let other =
			RunInputs { datasets: vec![data], base_checkpoints: vec![base], pipeline: vec![] };
		assert_eq!(
			Checkpoints::link_run(&hash(2), 6, &ALICE, &other),
			LinkOutcome::LineageMismatch(unlearned)
		);
		assert_eq!(Records::<Test>::get(unlearned).unwrap().run_mismatch, Some(6));
		assert_eq!(
			Checkpoints::link_run(&hash(2), 7, &ALICE, &declared),
			LinkOutcome::Linked(unlearned)
		);
		assert_eq!(Records::<Test>::get(unlearned).unwrap().run, Some(7));
		propagate();
		assert_eq!(
			state(unlearned),
			TaintState::Remediated { excluded: vec![AssetRef::Dataset(data)] }
		);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(Event::TaintCleared {
				asset: AssetRef::Checkpoint(unlearned),
				source: AssetRef::Dataset(data),
				kind: TaintKind::ConsentWithdrawn,
			})));
		assert_eq!(Checkpoints::clean_ancestor(unlearned), Some(unlearned));
		// The remediated line takes derivatives again, clean ones.
		let next = checkpoint(3, vec![edge(unlearned, Relation::FineTune)], vec![]);
		assert_eq!(state(next), TaintState::Clean);
		// A second link is ignored.
		Checkpoints::link_run(&hash(2), 8, &ALICE, &declared);
		assert_eq!(Records::<Test>::get(unlearned).unwrap().run, Some(7));
	});
}

#[test]
fn a_run_final_before_registration_links_at_registration() {
	new_test_ext(|| {
		let data = human(1);
		let base = checkpoint(1, vec![], vec![data]);
		revoke(data);
		propagate();
		MockRuns::finalize(hash(2), 3, vec![], vec![base]);
		assert_ok!(try_register(2, vec![edge(base, Relation::Unlearning)], vec![], vec![data]));
		assert_eq!(Records::<Test>::get(1).unwrap().run, Some(3));
		assert_eq!(state(1), TaintState::Remediated { excluded: vec![AssetRef::Dataset(data)] });
	});
}

#[test]
fn a_revocation_set_taints_only_what_was_made_before_it() {
	new_test_ext(|| {
		let data = human(1);
		let before = checkpoint(1, vec![], vec![data]);
		System::set_block_number(5);
		assert_ok!(Datasets::publish_revocation_set(
			RuntimeOrigin::signed(ALICE),
			data,
			[9; 32],
			3,
			vec![]
		));
		propagate();
		let after = checkpoint(2, vec![], vec![data]);
		assert_eq!(state(before), tainted(vec![data]));
		assert_eq!(state(after), TaintState::Clean);
	});
}

#[test]
fn taint_sources_past_the_bound_are_marked_truncated() {
	new_test_ext(|| {
		let sets: Vec<_> = (0..8).map(human).collect();
		let left = checkpoint(1, vec![], sets[..4].to_vec());
		let right = checkpoint(2, vec![], sets[4..].to_vec());
		let model =
			checkpoint(3, vec![edge(left, Relation::Merge), edge(right, Relation::Merge)], vec![]);
		sets.iter().for_each(|d| revoke(*d));
		propagate();
		let listed = sets[..6].iter().map(|d| revoked_source(*d)).collect();
		assert_eq!(state(model), tainted_by(listed, true));
	});
}

#[test]
fn ancestors_and_descendants_walk_both_kinds_with_pages() {
	new_test_ext(|| {
		let h = human(1);
		let a = checkpoint(1, vec![], vec![h]);
		let s = synthetic(2, 10, a);
		let b = checkpoint(2, vec![edge(a, Relation::Distillation)], vec![s]);
		let ancestors = Checkpoints::ancestors(AssetRef::Checkpoint(b), 10);
		assert_eq!(
			ancestors,
			vec![
				LineageNode { asset: AssetRef::Checkpoint(a), depth: 1 },
				LineageNode { asset: AssetRef::Dataset(s), depth: 1 },
				LineageNode { asset: AssetRef::Dataset(h), depth: 2 },
			]
		);
		assert_eq!(Checkpoints::ancestors(AssetRef::Checkpoint(b), 1).len(), 2);

		let all = Checkpoints::descendants(AssetRef::Dataset(h), 0, 10);
		assert_eq!(all.next, None);
		let assets: Vec<_> = all.items.iter().map(|n| n.asset).collect();
		assert_eq!(assets.len(), 3);
		assert_eq!(assets[0], AssetRef::Checkpoint(a));
		assert!(
			assets.contains(&AssetRef::Dataset(s)) && assets.contains(&AssetRef::Checkpoint(b))
		);
		let first = Checkpoints::descendants(AssetRef::Dataset(h), 0, 2);
		assert_eq!((first.items.len(), first.next), (2, Some(2)));
		let second = Checkpoints::descendants(AssetRef::Dataset(h), 2, 2);
		assert_eq!((second.items.len(), second.next), (1, None));
		assert_eq!(second.items[0].asset, assets[2]);
	});
}

#[test]
fn owners_inputs_and_usability_answer_for_both_kinds() {
	new_test_ext(|| {
		let data = human(1);
		let other = dataset_with(BOB, 2, 10, DatasetOrigin::Human);
		let base = checkpoint(1, vec![], vec![data]);
		let tuned = checkpoint(2, vec![edge(base, Relation::FineTune)], vec![other]);
		let generated = synthetic(3, 10, tuned);
		type Lineage = Checkpoints;
		assert_eq!(<Lineage as AssetLineage<u64>>::owner(AssetRef::Dataset(other)), Some(BOB));
		assert_eq!(<Lineage as AssetLineage<u64>>::owner(AssetRef::Checkpoint(tuned)), Some(ALICE));
		assert_eq!(<Lineage as AssetLineage<u64>>::owner(AssetRef::Checkpoint(9)), None);
		assert_eq!(
			Checkpoints::inputs(AssetRef::Checkpoint(tuned)),
			vec![AssetRef::Checkpoint(base), AssetRef::Dataset(other)]
		);
		assert_eq!(
			Checkpoints::inputs(AssetRef::Dataset(generated)),
			vec![AssetRef::Checkpoint(tuned)]
		);
		let usable = |asset| <Lineage as AssetLineage<u64>>::is_usable(asset);
		assert!(usable(AssetRef::Checkpoint(tuned)) && usable(AssetRef::Dataset(generated)));
		assert!(!usable(AssetRef::Dataset(99)) && !usable(AssetRef::Checkpoint(99)));
		revoke(data);
		propagate();
		assert!(!usable(AssetRef::Dataset(data)), "revoked");
		assert!(!usable(AssetRef::Checkpoint(tuned)), "tainted");
		assert!(!usable(AssetRef::Dataset(generated)), "tainted through its generator");
		assert!(usable(AssetRef::Dataset(other)));
	});
}
