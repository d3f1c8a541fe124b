//! Checkpoints flagged as compromised, and the kinds taint carries: each revocation reason
//! gives its kind, a flag taints the whole line with `ModelCompromised`, and every kind is
//! repaired by the clean ancestor, a retrain, or an unlearning whose run is final.

use super::*;
use provenance_primitives::{traits::CheckpointInspect, CompromiseReason};

const EVIDENCE: Hash = [0xEE; 32];

fn flag(id: CheckpointId) {
	assert_ok!(Checkpoints::flag_compromised(
		RuntimeOrigin::signed(ALICE),
		id,
		CompromiseReason::Backdoored,
		EVIDENCE
	));
}

fn compromised(id: CheckpointId) -> TaintSource {
	TaintSource { origin: AssetRef::Checkpoint(id), kind: TaintKind::ModelCompromised }
}

fn revoke_for(id: DatasetId, reason: RevocationReason) {
	assert_ok!(Datasets::revoke(RuntimeOrigin::signed(ALICE), id, reason));
}

#[test]
fn each_revocation_reason_gives_its_kind() {
	new_test_ext(|| {
		let reasons = [
			(RevocationReason::ConsentWithdrawn, TaintKind::ConsentWithdrawn),
			(RevocationReason::LicenseViolation, TaintKind::LicenseViolated),
			(RevocationReason::LegalTakedown, TaintKind::DataRevoked),
			(RevocationReason::Defective, TaintKind::DataRevoked),
			(RevocationReason::Other, TaintKind::DataRevoked),
		];
		for (n, (reason, kind)) in reasons.into_iter().enumerate() {
			let data = human(n as u32);
			let model = checkpoint(n as u32, vec![], vec![data]);
			revoke_for(data, reason);
			propagate();
			let source = TaintSource { origin: AssetRef::Dataset(data), kind };
			assert_eq!(state(model), tainted_by(vec![source], false), "{reason:?}");
		}
	});
}

#[test]
fn a_revocation_set_gives_data_revoked_and_a_whole_revocation_then_changes_the_kind() {
	new_test_ext(|| {
		let data = human(1);
		let model = checkpoint(1, vec![], vec![data]);
		System::set_block_number(5);
		assert_ok!(Datasets::publish_revocation_set(
			RuntimeOrigin::signed(ALICE),
			data,
			[9; 32],
			1,
			vec![]
		));
		propagate();
		let source = AssetRef::Dataset(data);
		let partly = TaintSource { origin: source, kind: TaintKind::DataRevoked };
		assert_eq!(state(model), tainted_by(vec![partly], false));

		System::reset_events();
		revoke_for(data, RevocationReason::LicenseViolation);
		propagate();
		let whole = TaintSource { origin: source, kind: TaintKind::LicenseViolated };
		assert_eq!(state(model), tainted_by(vec![whole], false));
		let model_events: Vec<_> =
			taint_events().into_iter().filter(|e| e.0 == AssetRef::Checkpoint(model)).collect();
		assert_eq!(model_events, vec![(AssetRef::Checkpoint(model), source, whole.kind)]);
		assert!(!System::events()
			.iter()
			.any(|r| matches!(r.event, RuntimeEvent::Checkpoints(Event::TaintCleared { .. }))));
	});
}

#[test]
fn flagging_taints_the_checkpoint_at_once_and_every_descendant_over_blocks() {
	new_test_ext(|| {
		let base = checkpoint(1, vec![], vec![]);
		let mut line = vec![];
		let mut parent = base;
		for n in 2..12 {
			parent = checkpoint(n, vec![edge(parent, Relation::FineTune)], vec![]);
			line.push(parent);
		}
		let generated = synthetic(1, 10, base);
		let unrelated = checkpoint(20, vec![], vec![]);
		System::reset_events();

		flag(base);
		// At once: nothing but an unlearning can start from it from this block on.
		assert_eq!(state(base), tainted_by(vec![compromised(base)], false));
		assert_noop!(
			try_register(30, vec![edge(base, Relation::FineTune)], vec![], vec![]),
			Error::<Test>::ParentTainted
		);
		assert!(!Checkpoints::is_usable(AssetRef::Checkpoint(base)));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(Event::CheckpointCompromised {
				checkpoint: base,
				reason: CompromiseReason::Backdoored,
				evidence: EVIDENCE,
				forced: false,
			})));
		let report = Checkpoints::taint_report(base).unwrap();
		let flag = report.compromised.expect("flagged");
		assert_eq!(
			(flag.reason, flag.evidence, flag.at, flag.forced),
			(CompromiseReason::Backdoored, EVIDENCE, 1, false)
		);
		assert!(report.propagation_pending);

		propagate();
		for id in &line {
			assert_eq!(state(*id), tainted_by(vec![compromised(base)], false), "checkpoint {id}");
			assert_eq!(Checkpoints::taint_report(*id).unwrap().compromised, None);
		}
		assert_eq!(state(unrelated), TaintState::Clean);
		let events = taint_events();
		assert!(events.contains(&(
			AssetRef::Dataset(generated),
			AssetRef::Checkpoint(base),
			TaintKind::ModelCompromised
		)));
		assert_eq!(events.len(), line.len() + 2, "one per tainted asset");
		// Data it generated cannot be trained on.
		assert_noop!(
			try_register(31, vec![], vec![generated], vec![]),
			Error::<Test>::DatasetTainted
		);
		// The nearest clean checkpoint of the line is none: the flagged one is its root.
		assert_eq!(Checkpoints::clean_ancestor(line[3]), None);
	});
}

#[test]
fn flags_are_the_owners_and_the_force_origins_and_errors_change_nothing() {
	new_test_ext(|| {
		let model = checkpoint(1, vec![], vec![]);
		let reason = CompromiseReason::Poisoned;
		assert_noop!(
			Checkpoints::flag_compromised(RuntimeOrigin::signed(ALICE), 9, reason, EVIDENCE),
			Error::<Test>::NotFound
		);
		assert_noop!(
			Checkpoints::flag_compromised(RuntimeOrigin::signed(BOB), model, reason, EVIDENCE),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Checkpoints::force_flag_compromised(
				RuntimeOrigin::signed(ALICE),
				model,
				reason,
				EVIDENCE
			),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Checkpoints::force_flag_compromised(RuntimeOrigin::root(), 9, reason, EVIDENCE),
			Error::<Test>::NotFound
		);
		assert_noop!(
			Checkpoints::force_unflag_compromised(RuntimeOrigin::root(), model),
			Error::<Test>::NotCompromised
		);
		flag(model);
		assert_noop!(
			Checkpoints::flag_compromised(RuntimeOrigin::signed(ALICE), model, reason, EVIDENCE),
			Error::<Test>::AlreadyCompromised
		);
		assert_noop!(
			Checkpoints::force_flag_compromised(RuntimeOrigin::root(), model, reason, EVIDENCE),
			Error::<Test>::AlreadyCompromised
		);
		// The owner cannot withdraw it; a new owner neither.
		assert_noop!(
			Checkpoints::force_unflag_compromised(RuntimeOrigin::signed(ALICE), model),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Checkpoints::transfer_ownership(RuntimeOrigin::signed(ALICE), model, BOB));
		assert!(Compromised::<Test>::contains_key(model));

		// Root flags any checkpoint, Bob's included.
		let other = checkpoint(2, vec![], vec![]);
		assert_ok!(Checkpoints::force_flag_compromised(
			RuntimeOrigin::root(),
			other,
			reason,
			EVIDENCE
		));
		assert!(Compromised::<Test>::get(other).unwrap().forced);
	});
}

#[test]
fn withdrawing_a_false_flag_clears_the_line_and_a_new_flag_taints_it_again() {
	new_test_ext(|| {
		let base = checkpoint(1, vec![], vec![]);
		let tuned = checkpoint(2, vec![edge(base, Relation::FineTune)], vec![]);
		let merged = checkpoint(3, vec![edge(tuned, Relation::Merge)], vec![]);
		flag(base);
		propagate();
		System::reset_events();

		assert_ok!(Checkpoints::force_unflag_compromised(RuntimeOrigin::root(), base));
		assert_eq!(state(base), TaintState::Clean, "at once");
		propagate();
		for id in [tuned, merged] {
			assert_eq!(state(id), TaintState::Clean);
		}
		let cleared: Vec<AssetRef> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Checkpoints(Event::TaintCleared { asset, source, kind })
					if source == AssetRef::Checkpoint(base)
						&& kind == TaintKind::ModelCompromised =>
				{
					Some(asset)
				},
				_ => None,
			})
			.collect();
		let line = [base, tuned, merged].map(AssetRef::Checkpoint).to_vec();
		assert_eq!(cleared, line, "one per asset of the line");
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(Event::CompromiseWithdrawn { checkpoint: base })));

		assert_ok!(Checkpoints::force_flag_compromised(
			RuntimeOrigin::root(),
			base,
			CompromiseReason::WeightsTampered,
			EVIDENCE
		));
		propagate();
		assert_eq!(state(merged), tainted_by(vec![compromised(base)], false));
	});
}

#[test]
fn a_retrain_from_the_clean_ancestor_is_clean() {
	new_test_ext(|| {
		let data = human(1);
		let base = checkpoint(1, vec![], vec![data]);
		let poisoned = checkpoint(2, vec![edge(base, Relation::FineTune)], vec![]);
		let tuned = checkpoint(3, vec![edge(poisoned, Relation::Adapter)], vec![]);
		flag(poisoned);
		propagate();
		assert_eq!(Checkpoints::clean_ancestor(tuned), Some(base));
		let retrained = checkpoint(4, vec![edge(base, Relation::FineTune)], vec![data]);
		assert_eq!(state(retrained), TaintState::Clean);
	});
}

#[test]
fn an_unlearning_remediates_a_compromise_once_its_run_is_final() {
	new_test_ext(|| {
		let poisoned = checkpoint(1, vec![], vec![]);
		flag(poisoned);
		let source = AssetRef::Checkpoint(poisoned);
		let unlearning = edge(poisoned, Relation::Unlearning);
		assert_ok!(try_register_excluding(2, vec![unlearning], vec![], vec![source]));
		let repaired = 1;
		assert_eq!(state(repaired), tainted_by(vec![compromised(poisoned)], false));

		let declared =
			RunInputs { datasets: vec![], base_checkpoints: vec![poisoned], pipeline: vec![] };
		assert_eq!(
			Checkpoints::link_run(&hash(2), 4, &ALICE, &declared),
			LinkOutcome::Linked(repaired)
		);
		propagate();
		assert_eq!(state(repaired), TaintState::Remediated { excluded: vec![source] });
		assert_eq!(Checkpoints::clean_ancestor(repaired), Some(repaired));
		// The flagged checkpoint itself stays compromised: its own flag is never excluded.
		assert_eq!(state(poisoned), tainted_by(vec![compromised(poisoned)], false));
	});
}

#[test]
fn every_kind_a_line_carries_must_be_excluded() {
	new_test_ext(|| {
		let data = human(1);
		let poisoned = checkpoint(1, vec![], vec![data]);
		revoke_for(data, RevocationReason::LicenseViolation);
		flag(poisoned);
		propagate();
		let licence =
			TaintSource { origin: AssetRef::Dataset(data), kind: TaintKind::LicenseViolated };
		let both = tainted_by(vec![licence, compromised(poisoned)], false);
		assert_eq!(state(poisoned), both);

		let unlearning = edge(poisoned, Relation::Unlearning);
		let only_data = vec![AssetRef::Dataset(data)];
		assert_ok!(try_register_excluding(2, vec![unlearning], vec![], only_data));
		let declared =
			RunInputs { datasets: vec![], base_checkpoints: vec![poisoned], pipeline: vec![] };
		Checkpoints::link_run(&hash(2), 4, &ALICE, &declared);
		propagate();
		assert_eq!(state(1), tainted_by(vec![compromised(poisoned)], false));
	});
}

#[test]
fn excluding_a_checkpoint_no_unlearning_parent_passes_on_fails() {
	new_test_ext(|| {
		let clean = checkpoint(1, vec![], vec![]);
		let poisoned = checkpoint(2, vec![], vec![]);
		flag(poisoned);
		assert_noop!(
			try_register_excluding(
				3,
				vec![edge(clean, Relation::Unlearning)],
				vec![],
				vec![AssetRef::Checkpoint(poisoned)]
			),
			Error::<Test>::NotATaintSource
		);
	});
}

/// Mallory registers Alice's weights as her own (registrations are per owner) and flags her
/// copy, hoping the flag follows the weights to Alice's model and its deployments.
#[test]
fn a_copycat_flagging_its_copy_does_not_taint_the_original() {
	new_test_ext(|| {
		let original = checkpoint(1, vec![], vec![]);
		let tuned = checkpoint(2, vec![edge(original, Relation::FineTune)], vec![]);
		let copy = NextCheckpointId::<Test>::get();
		assert_ok!(Checkpoints::register(
			RuntimeOrigin::signed(BOB),
			hash(1),
			vec![],
			vec![],
			vec![],
			URI.to_vec(),
			[5; 32],
			false,
			None,
		));
		assert_ok!(Checkpoints::flag_compromised(
			RuntimeOrigin::signed(BOB),
			copy,
			CompromiseReason::Backdoored,
			EVIDENCE
		));
		propagate();
		assert_eq!(state(copy), tainted_by(vec![compromised(copy)], false));
		assert_eq!(state(original), TaintState::Clean);
		assert_eq!(state(tuned), TaintState::Clean);
	});
}

/// A model trained on six revoked datasets and merged with a backdoored one: the set lists
/// only six sources (the bound), datasets first, so the compromised model falls off the list.
/// A deployer reading it would see a data problem, not a security one.
#[test]
fn truncation_cannot_hide_a_compromise() {
	new_test_ext(|| {
		let data: Vec<_> = (0..6).map(human).collect();
		let trained = checkpoint(1, vec![], data.clone());
		let backdoored = checkpoint(2, vec![], vec![]);
		let merged = checkpoint(
			3,
			vec![edge(trained, Relation::Merge), edge(backdoored, Relation::Merge)],
			vec![],
		);
		data.iter().for_each(|d| revoke_for(*d, RevocationReason::LicenseViolation));
		flag(backdoored);
		propagate();
		let TaintState::Tainted { sources, kinds, truncated } = state(merged) else {
			panic!("tainted");
		};
		assert!(truncated);
		assert!(!sources.contains(&compromised(backdoored)), "past the bound");
		assert_eq!(kinds, vec![TaintKind::ModelCompromised, TaintKind::LicenseViolated]);
		assert!(Checkpoints::taint_kinds(AssetRef::Checkpoint(merged))
			.contains(&TaintKind::ModelCompromised));
		// Explorers see it in events too, though no listed source changed.
		let kinds_events: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Checkpoints(Event::TaintKindsChanged { asset, kinds, truncated })
					if asset == AssetRef::Checkpoint(merged) =>
				{
					Some((kinds.into_inner(), truncated))
				},
				_ => None,
			})
			.collect();
		assert_eq!(
			kinds_events.last(),
			Some(&(vec![TaintKind::ModelCompromised, TaintKind::LicenseViolated], true))
		);
	});
}

/// Blocks until Alice's revocation taints her model when, before it, Bob's model with six
/// descendants is flagged and then withdrawn and flagged again `cycles` times in one block,
/// after a thousand refused repeats of the flag.
fn blocks_to_taint_after_flag_cycles(cycles: u32) -> u32 {
	let mut blocks = 0;
	new_test_ext(|| {
		let spam = checkpoint(1, vec![], vec![]);
		for n in 2..8 {
			checkpoint(n, vec![edge(spam, Relation::FineTune)], vec![]);
		}
		let data = human(1);
		let model = checkpoint(10, vec![], vec![data]);
		flag(spam);
		for _ in 0..1_000 {
			assert_noop!(
				Checkpoints::flag_compromised(
					RuntimeOrigin::signed(ALICE),
					spam,
					CompromiseReason::Other,
					EVIDENCE
				),
				Error::<Test>::AlreadyCompromised
			);
		}
		for _ in 0..cycles {
			assert_ok!(Checkpoints::force_unflag_compromised(RuntimeOrigin::root(), spam));
			assert_ok!(Checkpoints::force_flag_compromised(
				RuntimeOrigin::root(),
				spam,
				CompromiseReason::Other,
				EVIDENCE
			));
		}
		let (head, tail) = TaintQueueBounds::<Test>::get();
		assert!(tail - head <= 2, "{} steps queued", tail - head);
		revoke(data);
		while state(model) == TaintState::Clean {
			next_block();
			blocks += 1;
			assert!(blocks < 100, "never tainted");
		}
		assert_eq!(state(model), tainted(vec![data]));
	});
	blocks
}

/// Repeated flags, and a hundred root flag/withdraw cycles in one block each restarting the
/// fan-out over the flagged model's line, delay another revocation no more than one cycle.
#[test]
fn repeated_flags_cannot_stall_taint() {
	let once = blocks_to_taint_after_flag_cycles(1);
	assert_eq!(blocks_to_taint_after_flag_cycles(100), once);
	assert!(once <= 6, "{once} blocks");
}

/// A chain upgraded from version 0: records and taint sets stored in the old encoding are
/// read in the new one, each source with the kind its dataset's revocation gives, and the
/// migration runs once.
#[test]
fn the_v1_migration_translates_records_and_taint_sets() {
	use crate::migrations::v1::{CheckpointV0, MigrateV0ToV1, TaintSetV0};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext(|| {
		let data = human(1);
		let other = human(2);
		let base = checkpoint(1, vec![], vec![data]);
		revoke_for(data, RevocationReason::LicenseViolation);
		propagate();
		let record = Records::<Test>::get(base).unwrap();
		let old_record = CheckpointV0 {
			owner: record.owner,
			weights_hash: record.weights_hash,
			parents: record.parents.clone(),
			datasets: record.datasets.clone(),
			excludes: frame_support::BoundedVec::truncate_from(vec![other]),
			run: record.run,
			run_mismatch: record.run_mismatch,
			uri: record.uri.clone(),
			metadata_hash: record.metadata_hash,
			commercial: record.commercial,
			created_at: record.created_at,
			depositor: record.depositor,
			deposit: record.deposit,
		};
		let asset = AssetRef::Checkpoint(base);
		let old_taint: TaintSetV0<frame_support::traits::ConstU32<6>> = TaintSetV0 {
			sources: frame_support::BoundedVec::truncate_from(vec![data]),
			truncated: true,
		};
		frame_support::storage::unhashed::put_raw(
			&Records::<Test>::hashed_key_for(base),
			&old_record.encode(),
		);
		frame_support::storage::unhashed::put_raw(
			&Taint::<Test>::hashed_key_for(asset),
			&old_taint.encode(),
		);
		StorageVersion::new(0).put::<Checkpoints>();

		MigrateV0ToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Checkpoints::on_chain_storage_version(), 1);
		// Every entry decodes in the new encoding (iteration skips those that do not; the
		// translation skips them too, with only a log line outside debug builds).
		assert_eq!(Records::<Test>::iter_keys().count(), Records::<Test>::iter().count());
		assert_eq!(Taint::<Test>::iter_keys().count(), Taint::<Test>::iter().count());
		let migrated = Records::<Test>::get(base).expect("decodes");
		assert_eq!(migrated.excludes.to_vec(), vec![AssetRef::Dataset(other)]);
		assert_eq!(migrated.deposit, record.deposit);
		let taint = Taint::<Test>::get(asset).expect("decodes");
		let licence =
			TaintSource { origin: AssetRef::Dataset(data), kind: TaintKind::LicenseViolated };
		assert_eq!(taint.sources.to_vec(), vec![licence]);
		assert_eq!(taint.kinds.to_vec(), vec![TaintKind::DataRevoked, TaintKind::LicenseViolated]);
		assert!(taint.truncated);
		// Once: a second run finds version 1 and leaves the state alone.
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Taint::<Test>::get(asset), Some(taint));
		// (The made-up exclusion and cut are not what the inputs give: back to the real state.)
		Records::<Test>::insert(base, record);
		Checkpoints::recompute_now(asset);
		propagate();
	});
}
