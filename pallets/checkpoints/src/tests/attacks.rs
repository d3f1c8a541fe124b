//! The attacks of `docs/security.md` on lineage and taint, each as the attacker would run it.

use super::*;
use provenance_primitives::{
	api::TaintState,
	merkle::{self, NativeSha256},
};

/// Publishes the first `count` of a fixed list of revoked records as `id`'s revocation set,
/// extending the set of the first `previous` (0: the first set).
fn publish(
	who: u64,
	id: DatasetId,
	count: u64,
	previous: u64,
) -> frame_support::dispatch::DispatchResult {
	let leaves: Vec<Hash> =
		(0..count as u32).map(|i| merkle::leaf_hash::<NativeSha256>(&i.to_le_bytes())).collect();
	let proof = match previous {
		0 => vec![],
		_ => merkle::consistency_proof::<NativeSha256>(&leaves, previous).unwrap_or_default(),
	};
	let root = merkle::root::<NativeSha256>(&leaves);
	Datasets::publish_revocation_set(RuntimeOrigin::signed(who), id, root, count, proof)
}

/// Bob publishes the same revocation set 1,000 times (a batch costs him a few fees); each
/// publish queued another fan-out ahead of everyone else's revocations. Now the same set is
/// refused, and 1,000 sets that each extend the last (valid publications) still queue one
/// recomputation of Bob's dataset: Alice's revocation reaches her model within two blocks.
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
		assert_ok!(publish(BOB, spam, 1, 0));
		assert_noop!(
			publish(BOB, spam, 1, 1),
			pallet_datasets::Error::<Test>::RevocationSetUnchanged
		);
		for count in 2..=1_000 {
			assert_ok!(publish(BOB, spam, count, count - 1));
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
		assert_ok!(publish(ALICE, data, 1, 0));
		propagate();
		System::set_block_number(5);
		let later = checkpoint(2, vec![], vec![data]);
		assert_eq!(state(later), TaintState::Clean);
		System::set_block_number(6);
		assert_noop!(
			publish(ALICE, data, 1, 1),
			pallet_datasets::Error::<Test>::RevocationSetUnchanged
		);
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
		assert_ok!(publish(ALICE, data, 1, 0));
		propagate();
		assert_eq!(state(parent), tainted(vec![data]));
		System::set_block_number(5);
		MockRuns::finalize(hash(3), 7, vec![data], vec![parent]);
		let unlearned = NextCheckpointId::<Test>::get();
		assert_ok!(try_register(
			3,
			vec![edge(parent, Relation::Unlearning)],
			vec![data],
			vec![data]
		));
		propagate();
		assert!(matches!(state(unlearned), TaintState::Remediated { .. }));
		// More records of the dataset it trained on are revoked: that taint is not the
		// parent's, and no exclusion clears it.
		System::set_block_number(10);
		assert_ok!(publish(ALICE, data, 2, 1));
		propagate();
		assert_eq!(state(unlearned), tainted(vec![data]));
	});
}
