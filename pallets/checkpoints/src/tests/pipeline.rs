//! Compromised pipelines: a code or environment hash reported or declared compromised taints
//! the checkpoints whose attested runs declared it, and what was made from them, and no others;
//! a rejected report forfeits its bond and clears the taint; the line is repaired by a retrain
//! or an unlearning on a clean pipeline.

use super::*;
use provenance_primitives::RunId;
use sp_runtime::{DispatchError, TokenError};

const CODE: Hash = [0xC0; 32];
const CLEAN_CODE: Hash = [0xC1; 32];
const ENV: Hash = [0xE0; 32];
const EVIDENCE: Hash = [0xEE; 32];

/// Checkpoint `n` trained on a fresh dataset by a final run (`run`) that declared `pipeline`.
fn trained_on(n: u32, run: RunId, pipeline: [Hash; 2]) -> CheckpointId {
	let data = human(n);
	MockRuns::finalize_on(hash(n), run, vec![data], vec![], pipeline.to_vec());
	checkpoint(n, vec![], vec![data])
}

fn pipeline_source(id: CheckpointId) -> TaintSource {
	TaintSource { origin: AssetRef::Checkpoint(id), kind: TaintKind::PipelineCompromised }
}

fn report(who: u64, pipeline: Hash) -> frame_support::dispatch::DispatchResult {
	Checkpoints::report_compromised_pipeline(RuntimeOrigin::signed(who), pipeline, EVIDENCE)
}

fn bond_held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::PipelineReportBond.into(), &who)
}

#[test]
fn a_declared_code_hash_taints_the_checkpoints_whose_runs_used_it_and_their_descendants_only() {
	new_test_ext(|| {
		let used = trained_on(1, 1, [CODE, ENV]);
		let other = trained_on(2, 2, [CLEAN_CODE, [0xE1; 32]]);
		let tuned = checkpoint(3, vec![edge(used, Relation::FineTune)], vec![]);
		let unattested = checkpoint(4, vec![], vec![human(4)]);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(Event::PipelineRecorded {
				checkpoint: used,
				code_hash: CODE,
				environment_hash: ENV,
			})));
		assert_noop!(
			Checkpoints::force_declare_compromised_pipeline(
				RuntimeOrigin::signed(ALICE),
				CODE,
				EVIDENCE
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Checkpoints::force_declare_compromised_pipeline(
			RuntimeOrigin::root(),
			CODE,
			EVIDENCE
		));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(Event::PipelineCompromised {
				pipeline: CODE,
				evidence: EVIDENCE,
				reporter: None,
				bond: 0,
			})));
		propagate();
		for id in [used, tuned] {
			assert_eq!(state(id), tainted_by(vec![pipeline_source(used)], false));
		}
		for id in [other, unattested] {
			assert_eq!(state(id), TaintState::Clean);
		}
		assert_noop!(
			try_register(5, vec![edge(used, Relation::Adapter)], vec![], vec![]),
			Error::<Test>::ParentTainted
		);
		assert_noop!(
			Checkpoints::force_declare_compromised_pipeline(RuntimeOrigin::root(), CODE, EVIDENCE),
			Error::<Test>::PipelineAlreadyReported
		);
	});
}

#[test]
fn an_environment_hash_taints_as_a_code_hash_does_and_a_run_linked_later_is_tainted_at_once() {
	new_test_ext(|| {
		assert_ok!(Checkpoints::force_declare_compromised_pipeline(
			RuntimeOrigin::root(),
			ENV,
			EVIDENCE
		));
		let data = human(1);
		let model = checkpoint(1, vec![], vec![data]);
		propagate();
		assert_eq!(state(model), TaintState::Clean);
		// Its run becomes final after it registered: linking records the pipeline.
		let declared = RunInputs {
			datasets: vec![data],
			base_checkpoints: vec![],
			pipeline: vec![CLEAN_CODE, ENV],
		};
		assert_eq!(
			Checkpoints::link_run(&hash(1), 9, &ALICE, &declared),
			LinkOutcome::Linked(model)
		);
		propagate();
		assert_eq!(state(model), tainted_by(vec![pipeline_source(model)], false));
	});
}

#[test]
fn a_bonded_report_taints_at_once_and_a_rejected_one_forfeits_the_bond_and_clears() {
	new_test_ext(|| {
		let model = trained_on(1, 1, [CODE, ENV]);
		let tuned = checkpoint(2, vec![edge(model, Relation::FineTune)], vec![]);
		let issuance = Balances::total_issuance();
		assert_ok!(report(BOB, CODE));
		assert_eq!(bond_held(BOB), 1_000);
		assert_noop!(report(ALICE, CODE), Error::<Test>::PipelineAlreadyReported);
		propagate();
		assert_eq!(state(tuned), tainted_by(vec![pipeline_source(model)], false));

		assert_noop!(
			Checkpoints::rule_pipeline_report(RuntimeOrigin::signed(ALICE), CODE, false),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Checkpoints::rule_pipeline_report(RuntimeOrigin::root(), ENV, false),
			Error::<Test>::UnknownPipelineReport
		);
		assert_ok!(Checkpoints::rule_pipeline_report(RuntimeOrigin::root(), CODE, false));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(Event::PipelineReportRuled {
				pipeline: CODE,
				upheld: false,
				reporter: Some(BOB),
				forfeited: 1_000,
			})));
		assert_eq!(bond_held(BOB), 0);
		// The mock's `OnForfeit` burns it.
		assert_eq!(Balances::total_issuance(), issuance - 1_000);
		assert_eq!(Balances::free_balance(BOB), 10_000_000 - 1_000);
		propagate();
		for id in [model, tuned] {
			assert_eq!(state(id), TaintState::Clean);
		}
		// A rejected report cannot be filed again from another account; root may declare it.
		assert_noop!(report(ALICE, CODE), Error::<Test>::PipelineReportRejected);
		assert_ok!(Checkpoints::force_declare_compromised_pipeline(
			RuntimeOrigin::root(),
			CODE,
			EVIDENCE
		));
		propagate();
		assert_eq!(state(tuned), tainted_by(vec![pipeline_source(model)], false));
	});
}

/// A report filed ahead of a declaration does not stand in its way: the declaration upholds it.
#[test]
fn a_declaration_upholds_a_pending_report() {
	new_test_ext(|| {
		assert_ok!(report(BOB, CODE));
		assert_ok!(Checkpoints::force_declare_compromised_pipeline(
			RuntimeOrigin::root(),
			CODE,
			EVIDENCE
		));
		assert_eq!(bond_held(BOB), 0);
		let report = CompromisedPipelines::<Test>::get(CODE).unwrap();
		assert!(report.confirmed && report.reporter.is_none());
	});
}

#[test]
fn an_upheld_report_releases_the_bond_and_stays_in_force() {
	new_test_ext(|| {
		let model = trained_on(1, 1, [CODE, ENV]);
		assert_ok!(report(BOB, ENV));
		assert_ok!(Checkpoints::rule_pipeline_report(RuntimeOrigin::root(), ENV, true));
		assert_eq!(bond_held(BOB), 0);
		assert_eq!(Balances::free_balance(BOB), 10_000_000);
		assert_noop!(
			Checkpoints::rule_pipeline_report(RuntimeOrigin::root(), ENV, true),
			Error::<Test>::AlreadyConfirmed
		);
		propagate();
		assert_eq!(state(model), tainted_by(vec![pipeline_source(model)], false));
		// A mistaken declaration can still be withdrawn: no bond to forfeit.
		assert_ok!(Checkpoints::rule_pipeline_report(RuntimeOrigin::root(), ENV, false));
		propagate();
		assert_eq!(state(model), TaintState::Clean);
	});
}

#[test]
fn a_reporter_without_the_bond_cannot_report() {
	new_test_ext(|| {
		assert_noop!(report(3, CODE), TokenError::FundsUnavailable);
	});
}

#[test]
fn a_retrain_or_an_unlearning_on_a_clean_pipeline_repairs_the_line() {
	new_test_ext(|| {
		let base = trained_on(1, 1, [CLEAN_CODE, ENV]);
		let data = human(2);
		MockRuns::finalize_on(hash(2), 2, vec![data], vec![base], vec![CODE, ENV]);
		let tuned = checkpoint(2, vec![edge(base, Relation::FineTune)], vec![data]);
		assert_ok!(Checkpoints::force_declare_compromised_pipeline(
			RuntimeOrigin::root(),
			CODE,
			EVIDENCE
		));
		propagate();
		assert_eq!(state(tuned), tainted_by(vec![pipeline_source(tuned)], false));
		assert_eq!(state(base), TaintState::Clean);
		assert_eq!(Checkpoints::clean_ancestor(tuned), Some(base));
		// A retrain from the clean ancestor on clean code is clean.
		MockRuns::finalize_on(hash(3), 3, vec![data], vec![base], vec![CLEAN_CODE, ENV]);
		let retrained = checkpoint(3, vec![edge(base, Relation::FineTune)], vec![data]);
		assert_eq!(state(retrained), TaintState::Clean);
		// An unlearning of the tainted line, its own run on clean code, excludes it.
		MockRuns::finalize_on(hash(4), 4, vec![], vec![tuned], vec![CLEAN_CODE, ENV]);
		let unlearned = NextCheckpointId::<Test>::get();
		assert_ok!(try_register_excluding(
			4,
			vec![edge(tuned, Relation::Unlearning)],
			vec![],
			vec![AssetRef::Checkpoint(tuned)]
		));
		assert_eq!(
			state(unlearned),
			TaintState::Remediated { excluded: vec![AssetRef::Checkpoint(tuned)] }
		);
		// An unlearning whose own run used the compromised code is tainted by itself.
		MockRuns::finalize_on(hash(5), 5, vec![], vec![tuned], vec![CODE, ENV]);
		let bad = NextCheckpointId::<Test>::get();
		assert_ok!(try_register_excluding(
			5,
			vec![edge(tuned, Relation::Unlearning)],
			vec![],
			vec![AssetRef::Checkpoint(tuned)]
		));
		assert_eq!(state(bad), tainted_by(vec![pipeline_source(bad)], false));
	});
}

/// Many reports of many hashes queue one paging step each; the users are recomputed a page at
/// a time, each once, however many of their hashes are reported.
#[test]
fn reports_of_both_hashes_recompute_each_user_once_per_wave() {
	new_test_ext(|| {
		let models: Vec<_> = (1..=5).map(|n| trained_on(n, n as u64, [CODE, ENV])).collect();
		assert_ok!(report(BOB, CODE));
		assert_ok!(report(ALICE, ENV));
		propagate();
		for id in &models {
			assert_eq!(state(*id), tainted_by(vec![pipeline_source(*id)], false));
		}
		let tainted_events = taint_events().len();
		assert_eq!(tainted_events, models.len());
	});
}

#[test]
fn a_registration_that_links_no_run_is_refunded_the_pipelines_storage_accesses() {
	new_test_ext(|| {
		let data = human(1);
		let register = |n| {
			Checkpoints::register(
				RuntimeOrigin::signed(ALICE),
				hash(n),
				vec![],
				vec![data],
				vec![],
				URI.to_vec(),
				[5; 32],
				false,
				None,
			)
			.map(|post| post.actual_weight)
		};
		let weight = Checkpoints::register_weight(&[], &[data], &[]);
		let refund = Checkpoints::unlinked_refund();
		assert!(refund.ref_time() > 0);
		// Linked to its final run, the pipeline recorded: charged in full.
		MockRuns::finalize_on(hash(1), 1, vec![data], vec![], vec![CODE, ENV]);
		assert_eq!(register(1), Ok(Some(weight)));
		assert!(Pipelines::<Test>::contains_key(0));
		// No run, or one of another lineage: nothing recorded, the pipeline's part refunded.
		assert_eq!(register(2), Ok(Some(weight - refund)));
		MockRuns::finalize_on(hash(3), 3, vec![], vec![], vec![CODE, ENV]);
		assert_eq!(register(3), Ok(Some(weight - refund)));
		assert!(!Pipelines::<Test>::contains_key(1) && !Pipelines::<Test>::contains_key(2));
		assert_eq!(Records::<Test>::get(2).and_then(|c| c.run_mismatch), Some(3));
	});
}
