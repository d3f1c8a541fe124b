//! The attacks of `docs/security.md` on lineage and taint, each as the attacker would run it.

use super::*;
use provenance_primitives::api::TaintState;

fn publish(who: u64, id: DatasetId, root: Hash, count: u64) -> frame_support::dispatch::DispatchResult {
	Datasets::publish_revocation_set(RuntimeOrigin::signed(who), id, root, count)
}

/// Bob publishes the same revocation set 1,000 times (a batch costs him a few fees); each
/// publish queued another fan-out ahead of everyone else's revocations.
#[test]
fn republishing_a_revocation_set_cannot_stall_taint() {
	new_test_ext(|| {
		let spam = dataset_with(BOB, 1, 1_000, DatasetOrigin::Human);
		assert_ok!(Checkpoints::register(
			RuntimeOrigin::signed(BOB),
			hash(1),
			vec![],
			vec![spam],
			vec![],
			URI.to_vec(),
			[5; 32],
			false,
			None,
		));
		let data = human(2);
		let model = checkpoint(3, vec![], vec![data]);
		for _ in 0..1_000 {
			let _ = publish(BOB, spam, [9; 32], 1);
		}
		revoke(data);
		next_block();
		next_block();
		assert_eq!(state(model), tainted(vec![data]));
	});
}

/// Republishing an unchanged set re-stamped its publication and tainted checkpoints trained
/// on the dataset after the set was first published, which left those records out.
#[test]
fn republishing_an_unchanged_set_does_not_taint_what_came_after() {
	new_test_ext(|| {
		let data = human(1);
		assert_ok!(publish(ALICE, data, [9; 32], 1));
		propagate();
		System::set_block_number(5);
		let later = checkpoint(2, vec![], vec![data]);
		assert_eq!(state(later), TaintState::Clean);
		System::set_block_number(6);
		let _ = publish(ALICE, data, [9; 32], 1);
		propagate();
		assert_eq!(state(later), TaintState::Clean);
	});
}

/// The owner's weights could be registered by whoever saw them first.
#[test]
fn a_front_runner_cannot_take_registered_weights() {
	new_test_ext(|| {
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
		assert_ok!(try_register(1, vec![], vec![], vec![]));
	});
}

/// An unlearning checkpoint's exclusions removed its sources whatever path they came by: one
/// that also trains on the unlearned dataset stayed clean when more of its records were
/// revoked later.
#[test]
fn exclusions_clear_only_the_unlearned_parents_taint() {
	new_test_ext(|| {
		let data = human(1);
		let parent = checkpoint(2, vec![], vec![data]);
		System::set_block_number(2);
		assert_ok!(publish(ALICE, data, [1; 32], 1));
		propagate();
		assert_eq!(state(parent), tainted(vec![data]));
		System::set_block_number(5);
		MockRuns::finalize(hash(3), 7, vec![data], vec![parent]);
		let unlearned = NextCheckpointId::<Test>::get();
		assert_ok!(try_register(3, vec![edge(parent, Relation::Unlearning)], vec![data], vec![data]));
		propagate();
		assert!(matches!(state(unlearned), TaintState::Remediated { .. }));
		// More records of the dataset it trained on are revoked: that taint is not the
		// parent's, and no exclusion clears it.
		System::set_block_number(10);
		assert_ok!(publish(ALICE, data, [2; 32], 2));
		propagate();
		assert_eq!(state(unlearned), tainted(vec![data]));
	});
}
