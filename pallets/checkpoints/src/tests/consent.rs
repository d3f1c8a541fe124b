//! Contributors' consent as the taint engine sees it: a withdrawal answered in time taints only
//! what the revocation set does; one left unanswered taints everything made from the dataset,
//! `ConsentWithdrawn`, from its deadline until the owner complies.

use super::*;
use pallet_datasets::{ConsentReason, ContributorProof, RecordProof, SetMembership};
use provenance_primitives::merkle::{contributor_leaf, NativeSha256};

/// BOB's one record in the dataset.
const RECORD: Hash = [0xC0; 32];

/// ALICE's dataset `n`, naming BOB its only contributor (of `RECORD`).
fn dataset_with_contributor(n: u32) -> DatasetId {
	let id = human(n);
	assert_ok!(Datasets::set_contributor_root(
		RuntimeOrigin::signed(ALICE),
		id,
		contributor_leaf::<NativeSha256, _>(&BOB, &RECORD, 1),
		1
	));
	id
}

fn withdraw(dataset: DatasetId) {
	assert_ok!(Datasets::withdraw_consent(
		RuntimeOrigin::signed(BOB),
		dataset,
		ContributorProof { records_root: RECORD, records_count: 1, index: 0, path: vec![] },
		vec![RecordProof { leaf: RECORD, index: 0, path: vec![] }],
		ConsentReason::NoLongerConsent,
	));
}

/// The owner revokes `RECORD` and proves it for withdrawal `withdrawal`.
fn comply(dataset: DatasetId, withdrawal: u64) {
	assert_ok!(Datasets::publish_revocation_set(
		RuntimeOrigin::signed(ALICE),
		dataset,
		RECORD,
		1,
		vec![]
	));
	assert_ok!(Datasets::answer_withdrawal(
		RuntimeOrigin::signed(ALICE),
		withdrawal,
		vec![SetMembership { index: 0, path: vec![] }]
	));
}

fn consent_source(dataset: DatasetId) -> TaintSource {
	TaintSource { origin: AssetRef::Dataset(dataset), kind: TaintKind::ConsentWithdrawn }
}

fn run_past_deadline(withdrawal: u64) {
	let deadline = pallet_datasets::Withdrawals::<Test>::get(withdrawal).unwrap().deadline;
	while System::block_number() < deadline {
		next_block();
	}
}

#[test]
fn an_answer_in_time_taints_only_what_was_made_before_the_set() {
	new_test_ext(|| {
		let data = dataset_with_contributor(1);
		let model = checkpoint(1, vec![], vec![data]);
		withdraw(data);
		next_block();
		comply(data, 0);
		propagate();
		// The model was trained before the records were revoked: it is tainted, and the kind
		// says why.
		assert_eq!(state(model), tainted_by(vec![consent_source(data)], false));
		run_past_deadline(0);
		propagate();
		// A model trained after the answer is clean: the dataset was never in breach.
		let later = checkpoint(2, vec![], vec![data]);
		propagate();
		assert_eq!(state(later), TaintState::Clean);
		assert!(!Datasets::dataset(data).unwrap().consent_breached);
	});
}

#[test]
fn an_unanswered_withdrawal_taints_every_model_and_derived_asset_at_the_deadline() {
	new_test_ext(|| {
		let data = dataset_with_contributor(1);
		let model = checkpoint(1, vec![], vec![data]);
		let fine_tune = checkpoint(2, vec![edge(model, Relation::FineTune)], vec![]);
		let other = checkpoint(3, vec![], vec![human(2)]);
		withdraw(data);
		propagate();
		assert_eq!(state(fine_tune), TaintState::Clean);
		run_past_deadline(0);
		// In breach before the taint engine reaches it: no new training on it.
		assert_noop!(
			try_register(4, vec![], vec![data], vec![]),
			Error::<Test>::DatasetNonCompliant
		);
		propagate();
		for id in [model, fine_tune] {
			assert_eq!(state(id), tainted_by(vec![consent_source(data)], false));
		}
		assert_eq!(state(other), TaintState::Clean);
		// The owner complies late: the breach ends; the models made before the set keep the
		// taint of the records they learned, a model made now is clean.
		comply(data, 0);
		propagate();
		assert_eq!(state(model), tainted_by(vec![consent_source(data)], false));
		let retrained = checkpoint(5, vec![], vec![data]);
		propagate();
		assert_eq!(state(retrained), TaintState::Clean);
	});
}

#[test]
fn the_clean_ancestor_and_an_unlearning_repair_consent_withdrawn() {
	new_test_ext(|| {
		let base = checkpoint(1, vec![], vec![human(1)]);
		let data = dataset_with_contributor(2);
		let tuned = checkpoint(2, vec![edge(base, Relation::FineTune)], vec![data]);
		withdraw(data);
		run_past_deadline(0);
		propagate();
		assert_eq!(state(tuned), tainted_by(vec![consent_source(data)], false));
		assert_eq!(Checkpoints::clean_ancestor(tuned), Some(base));
		// Its run, declared from the tainted checkpoint alone, is final.
		MockRuns::finalize(hash(3), 4, vec![], vec![tuned]);
		let unlearned = NextCheckpointId::<Test>::get();
		assert_ok!(try_register(3, vec![edge(tuned, Relation::Unlearning)], vec![], vec![data]));
		propagate();
		assert_eq!(
			state(unlearned),
			TaintState::Remediated { excluded: vec![AssetRef::Dataset(data)] }
		);
	});
}
