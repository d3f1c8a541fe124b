//! Contributors' consent: the tree, withdrawals, answers, the deadline sweep, and the attacks
//! on them (docs/security.md, C1–C6).

use super::*;
use crate::{ConsentReason, ContributorProof, RecordProof, SetMembership, WithdrawalState};
use frame_support::traits::Hooks;
use provenance_primitives::traits::DatasetInspect;
use provenance_primitives::TaintKind;

/// Eight records: BOB gave records 0..4, CAROL records 4..8.
fn dataset_leaves() -> Vec<Hash> {
	records(8)
}

fn own_records(who: u64) -> Vec<Hash> {
	let leaves = dataset_leaves();
	match who {
		BOB => leaves[..4].to_vec(),
		CAROL => leaves[4..].to_vec(),
		_ => vec![leaves[0]],
	}
}

fn contributor_leaves() -> Vec<Hash> {
	[BOB, CAROL]
		.iter()
		.map(|who| {
			let own = own_records(*who);
			merkle::contributor_leaf::<NativeSha256, _>(
				who,
				&merkle::root::<NativeSha256>(&own),
				own.len() as u64,
			)
		})
		.collect()
}

/// Registers ALICE's dataset of the eight records and names BOB and CAROL its contributors.
fn dataset_with_contributors() -> u64 {
	let id = NextDatasetId::<Test>::get();
	let leaves = dataset_leaves();
	assert_ok!(Datasets::register(
		RuntimeOrigin::signed(ALICE),
		merkle::root::<NativeSha256>(&leaves),
		leaves.len() as u64,
		1_000,
		URI.to_vec(),
		[0; 32],
		DatasetOrigin::Human,
		false,
		None,
	));
	assert_ok!(Datasets::set_contributor_root(
		RuntimeOrigin::signed(ALICE),
		id,
		merkle::root::<NativeSha256>(&contributor_leaves()),
		2,
	));
	id
}

/// `who`'s place in the contributor tree, as BOB (leaf 0) or CAROL (leaf 1) would prove it.
fn membership_of(who: u64, as_leaf_of: u64) -> ContributorProof<Vec<Hash>> {
	let own = own_records(who);
	let index = if as_leaf_of == BOB { 0 } else { 1 };
	ContributorProof {
		records_root: merkle::root::<NativeSha256>(&own),
		records_count: own.len() as u64,
		index,
		path: merkle::inclusion_proof::<NativeSha256>(&contributor_leaves(), index).unwrap(),
	}
}

/// `who`'s `k`-th own record with its place under their records root.
fn own_record(who: u64, k: u64) -> RecordProof<Vec<Hash>> {
	let own = own_records(who);
	RecordProof {
		leaf: own[k as usize],
		index: k,
		path: merkle::inclusion_proof::<NativeSha256>(&own, k).unwrap(),
	}
}

fn withdraw(who: u64, id: u64, ks: &[u64]) -> DispatchResultLike {
	Datasets::withdraw_consent(
		RuntimeOrigin::signed(who),
		id,
		membership_of(who, who),
		ks.iter().map(|k| own_record(who, *k)).collect(),
		ConsentReason::NoLongerConsent,
	)
}

/// Publishes the revocation set of the dataset's first `count` records (extending the last).
fn revoke_first(id: u64, count: usize) {
	let leaves = dataset_leaves();
	let proof = Records::<Test>::get(id)
		.unwrap()
		.revocation_set
		.map(|last| merkle::consistency_proof::<NativeSha256>(&leaves[..count], last.count))
		.unwrap_or_default()
		.unwrap_or_default();
	assert_ok!(Datasets::publish_revocation_set(
		RuntimeOrigin::signed(ALICE),
		id,
		merkle::root::<NativeSha256>(&leaves[..count]),
		count as u64,
		proof,
	));
}

/// Where the dataset records at `indices` sit in the set of its first `count` records.
fn set_memberships(count: usize, indices: &[u64]) -> Vec<SetMembership<Vec<Hash>>> {
	let leaves = dataset_leaves();
	indices
		.iter()
		.map(|i| SetMembership {
			index: *i,
			path: merkle::inclusion_proof::<NativeSha256>(&leaves[..count], *i).unwrap(),
		})
		.collect()
}

fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Datasets::on_initialize(next);
	}
}

fn consent_hold(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ConsentDeposit.into(), &who)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Datasets(e) = r.event { Some(e) } else { None })
		.collect()
}

#[test]
fn the_contributor_tree_is_set_once_by_the_owner() {
	new_test_ext(|| {
		let id = human(ALICE, 1);
		let set = |who, leaves| {
			Datasets::set_contributor_root(RuntimeOrigin::signed(who), id, [3; 32], leaves)
		};
		assert_noop!(set(BOB, 2), Error::<Test>::NotOwner);
		assert_noop!(set(ALICE, 0), Error::<Test>::ZeroContributors);
		assert_noop!(
			Datasets::set_contributor_root(RuntimeOrigin::signed(ALICE), 99, [3; 32], 2),
			Error::<Test>::NotFound
		);
		assert_ok!(set(ALICE, 2));
		let tree = Contributors::<Test>::get(id).unwrap();
		assert_eq!((tree.root, tree.leaves, tree.depositor), ([3; 32], 2, ALICE));
		assert_eq!(consent_hold(ALICE), tree.deposit);
		assert_eq!(
			last_event(),
			Event::ContributorTreeSet { id, root: [3; 32], leaves: 2, deposit: tree.deposit }
		);
		// C5: no second tree can drop a contributor ahead of a withdrawal.
		assert_noop!(set(ALICE, 1), Error::<Test>::ContributorsAlreadySet);
		let revoked = human(ALICE, 2);
		assert_ok!(Datasets::revoke(
			RuntimeOrigin::signed(ALICE),
			revoked,
			RevocationReason::Other
		));
		assert_noop!(
			Datasets::set_contributor_root(RuntimeOrigin::signed(ALICE), revoked, [3; 32], 2),
			Error::<Test>::AlreadyRevoked
		);
	});
}

#[test]
fn a_contributor_withdraws_without_the_owner_and_holds_the_deposit() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		System::set_block_number(5);
		assert_ok!(withdraw(BOB, id, &[1, 3]));
		let withdrawal = Withdrawals::<Test>::get(0).unwrap();
		let records = vec![own_records(BOB)[1], own_records(BOB)[3]];
		assert_eq!(withdrawal.records.to_vec(), records);
		assert_eq!((withdrawal.filed_at, withdrawal.deadline), (5, 15));
		assert_eq!(withdrawal.state, WithdrawalState::Open);
		assert_eq!(consent_hold(BOB), withdrawal.deposit);
		assert_eq!(withdrawal.deposit, Datasets::withdrawal_deposit(&withdrawal));
		assert_eq!(
			last_event(),
			Event::ConsentWithdrawn {
				withdrawal: 0,
				dataset: id,
				contributor: BOB,
				records: withdrawal.records.clone(),
				reason: ConsentReason::NoLongerConsent,
				deadline: 15,
				deposit: withdrawal.deposit,
			}
		);
		assert_eq!(Consent::<Test>::get(id).open, 1);
		assert_eq!(WithdrawnRecords::<Test>::get(id, records[0]), Some(0));
		assert!(Deadlines::<Test>::contains_key(15, 0));
		// Public at once, through the queries.
		assert_eq!(Datasets::withdrawals_of(BOB, None, 10), vec![(0, withdrawal.clone())]);
		let consent = Datasets::dataset_consent(id, None, 10).unwrap();
		assert_eq!((consent.state.open, consent.answer_period), (1, 10));
		assert_eq!(consent.withdrawals, vec![(0, withdrawal)]);
		// Nothing tainted before the deadline.
		assert!(!Datasets::dataset(id).unwrap().unusable());
		assert!(RecordRevocations::reported().is_empty());
	});
}

#[test]
fn bad_withdrawals_get_named_errors_and_change_nothing() {
	new_test_ext(|| {
		let plain = human(ALICE, 9);
		assert_noop!(withdraw(BOB, plain, &[0]), Error::<Test>::NoContributorTree);
		assert_noop!(withdraw(BOB, 77, &[0]), Error::<Test>::NotFound);
		let id = dataset_with_contributors();
		assert_noop!(withdraw(BOB, id, &[]), Error::<Test>::NoRecords);
		assert_noop!(withdraw(BOB, id, &[0, 1, 2, 3, 0]), Error::<Test>::TooManyRecords);
		assert_noop!(withdraw(BOB, id, &[2, 2]), Error::<Test>::DuplicateRecord);
		let mut long = own_record(BOB, 0);
		long.path = vec![[0; 32]; 65];
		assert_noop!(
			Datasets::withdraw_consent(
				RuntimeOrigin::signed(BOB),
				id,
				membership_of(BOB, BOB),
				vec![long],
				ConsentReason::Other
			),
			Error::<Test>::ProofTooLong
		);
		let mut wrong_index = own_record(BOB, 0);
		wrong_index.index = 1;
		assert_noop!(
			Datasets::withdraw_consent(
				RuntimeOrigin::signed(BOB),
				id,
				membership_of(BOB, BOB),
				vec![wrong_index],
				ConsentReason::Other
			),
			Error::<Test>::RecordNotContributed
		);
		assert_ok!(withdraw(BOB, id, &[0]));
		assert_noop!(withdraw(BOB, id, &[1, 0]), Error::<Test>::RecordAlreadyWithdrawn);
		assert_noop!(
			Datasets::withdraw_consent(
				RuntimeOrigin::signed(POOR),
				id,
				membership_of(POOR, BOB),
				vec![own_record(POOR, 0)],
				ConsentReason::Other
			),
			Error::<Test>::NotAContributor
		);
		assert_ok!(Datasets::revoke(RuntimeOrigin::signed(ALICE), id, RevocationReason::Other));
		assert_noop!(withdraw(CAROL, id, &[0]), Error::<Test>::AlreadyRevoked);
	});
}

/// C3: the leaf is rebuilt from the caller, and the records must sit under the caller's own
/// records root.
#[test]
fn a_contributor_cannot_withdraw_anothers_records() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		// CAROL presents BOB's place in the tree: the leaf built for CAROL is not there.
		let bobs = membership_of(BOB, BOB);
		assert_noop!(
			Datasets::withdraw_consent(
				RuntimeOrigin::signed(CAROL),
				id,
				bobs.clone(),
				vec![own_record(BOB, 0)],
				ConsentReason::Other
			),
			Error::<Test>::NotAContributor
		);
		// BOB names one of CAROL's records under his own records root.
		let mut carols = own_record(CAROL, 0);
		carols.path = own_record(BOB, 0).path;
		assert_noop!(
			Datasets::withdraw_consent(
				RuntimeOrigin::signed(BOB),
				id,
				bobs,
				vec![carols],
				ConsentReason::Other
			),
			Error::<Test>::RecordNotContributed
		);
	});
}

#[test]
fn an_answer_in_time_closes_the_withdrawal_and_taints_only_as_the_set_does() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[1, 3]));
		assert_noop!(
			Datasets::answer_withdrawal(RuntimeOrigin::signed(CAROL), 0, vec![]),
			Error::<Test>::NoRevocationSet
		);
		revoke_first(id, 4);
		assert_noop!(
			Datasets::answer_withdrawal(RuntimeOrigin::signed(CAROL), 0, set_memberships(4, &[1])),
			Error::<Test>::WrongProofCount
		);
		assert_noop!(
			Datasets::answer_withdrawal(RuntimeOrigin::signed(CAROL), 9, vec![]),
			Error::<Test>::UnknownWithdrawal
		);
		System::set_block_number(6);
		// Anyone may answer: it only proves facts.
		assert_ok!(Datasets::answer_withdrawal(
			RuntimeOrigin::signed(CAROL),
			0,
			set_memberships(4, &[1, 3])
		));
		assert_eq!(
			Withdrawals::<Test>::get(0).unwrap().state,
			WithdrawalState::Answered { at: 6, late: false }
		);
		assert_eq!(
			last_event(),
			Event::WithdrawalAnswered {
				withdrawal: 0,
				dataset: id,
				by: Some(CAROL),
				late: false,
				answered_any: true
			}
		);
		assert!(Consent::<Test>::get(id).answered_any);
		assert_noop!(
			Datasets::answer_withdrawal(
				RuntimeOrigin::signed(CAROL),
				0,
				set_memberships(4, &[1, 3])
			),
			Error::<Test>::AlreadyAnswered
		);
		assert!(!Deadlines::<Test>::contains_key(11, 0));
		// The deadline passes: nothing more happens.
		run_to(20);
		let summary = Datasets::dataset(id).unwrap();
		assert!(!summary.unusable());
		// What used the dataset before the set is tainted, now as consent withdrawn.
		assert_eq!(summary.taint_kind, TaintKind::ConsentWithdrawn);
		assert_eq!(RecordRevocations::reported(), vec![id, id]);
		assert!(!events().iter().any(|e| matches!(e, Event::DatasetNonCompliant { .. })));
	});
}

/// C4: an answer must prove each record in the current set; the deadline keeps running.
#[test]
fn an_answer_without_the_records_is_refused_and_the_deadline_still_runs() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[3]));
		// The owner revokes records 0..3 but not BOB's record 3.
		revoke_first(id, 3);
		assert_noop!(
			Datasets::answer_withdrawal(RuntimeOrigin::signed(ALICE), 0, set_memberships(3, &[2])),
			Error::<Test>::RecordNotRevoked
		);
		run_to(11);
		assert_eq!(
			Withdrawals::<Test>::get(0).unwrap().state,
			WithdrawalState::Unanswered { since: 11 }
		);
		assert!(Datasets::dataset(id).unwrap().consent_breached);
	});
}

#[test]
fn the_deadline_puts_the_dataset_in_breach_until_every_late_withdrawal_is_answered() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[0]));
		System::set_block_number(2);
		assert_ok!(withdraw(CAROL, id, &[0]));
		run_to(10);
		assert!(!Datasets::dataset(id).unwrap().consent_breached);
		run_to(11);
		let summary = Datasets::dataset(id).unwrap();
		assert!(summary.consent_breached && summary.unusable() && !summary.revoked);
		assert_eq!(summary.taint_kind, TaintKind::ConsentWithdrawn);
		assert_eq!(RecordRevocations::reported(), vec![id]);
		assert!(events().contains(&Event::WithdrawalUnanswered {
			withdrawal: 0,
			dataset: id,
			deadline: 11
		}));
		assert!(events().contains(&Event::DatasetNonCompliant { id, since: 11 }));
		// In breach, it takes no derivative.
		assert_noop!(
			register(ALICE, root(40), derived(vec![id])),
			Error::<Test>::ParentNonCompliant
		);
		run_to(12);
		let consent = Consent::<Test>::get(id);
		assert_eq!(
			(consent.open, consent.unanswered, consent.non_compliant_since),
			(0, 2, Some(11))
		);
		// The owner revokes BOB's record late: one breach left.
		revoke_first(id, 1);
		assert_ok!(Datasets::answer_withdrawal(
			RuntimeOrigin::signed(ALICE),
			0,
			set_memberships(1, &[0])
		));
		assert_eq!(
			Withdrawals::<Test>::get(0).unwrap().state,
			WithdrawalState::Answered { at: 12, late: true }
		);
		assert!(Datasets::dataset(id).unwrap().consent_breached);
		// CAROL's record 0 is the dataset's record 4.
		revoke_first(id, 5);
		assert_ok!(Datasets::answer_withdrawal(
			RuntimeOrigin::signed(BOB),
			1,
			set_memberships(5, &[4])
		));
		assert_eq!(last_event(), Event::DatasetCompliant { id });
		let summary = Datasets::dataset(id).unwrap();
		assert!(!summary.unusable());
		assert_eq!(Consent::<Test>::get(id).non_compliant_since, None);
		assert_ok!(register(ALICE, root(40), derived(vec![id])));
	});
}

#[test]
fn a_whole_revocation_answers_without_proofs() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[0]));
		assert_ok!(withdraw(CAROL, id, &[1]));
		assert_ok!(Datasets::revoke(
			RuntimeOrigin::signed(ALICE),
			id,
			RevocationReason::ConsentWithdrawn
		));
		assert_ok!(Datasets::answer_withdrawal(RuntimeOrigin::signed(BOB), 0, vec![]));
		// The sweep answers the other one itself at its deadline.
		run_to(11);
		assert_eq!(
			Withdrawals::<Test>::get(1).unwrap().state,
			WithdrawalState::Answered { at: 11, late: false }
		);
		assert!(events().contains(&Event::WithdrawalAnswered {
			withdrawal: 1,
			dataset: id,
			by: None,
			late: false,
			answered_any: Consent::<Test>::get(id).answered_any,
		}));
		assert_eq!(Consent::<Test>::get(id).unanswered, 0);
	});
}

/// C6: a block's deadlines past `MaxExpiriesPerBlock` (2 in the mock) roll to the next blocks.
#[test]
fn expiries_past_the_bound_roll_to_the_next_block() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[0]));
		assert_ok!(withdraw(BOB, id, &[1]));
		assert_ok!(withdraw(CAROL, id, &[0]));
		run_to(11);
		assert_eq!(Consent::<Test>::get(id).unanswered, 2);
		// The one left is overdue, and the queries say so before the sweep reaches it.
		assert_eq!(Datasets::dataset_consent(id, None, 10).unwrap().overdue, 1);
		run_to(12);
		assert_eq!(Consent::<Test>::get(id).unanswered, 3);
		assert_eq!(Datasets::dataset_consent(id, None, 10).unwrap().overdue, 0);
		assert_eq!(DeadlineCursor::<Test>::get(), Some(13));
	});
}

/// C2b: withdrawing and answering records revoked long ago, again and again, queues no taint
/// work: only an answer that ends a breach, or a first answer by a set published after its
/// withdrawal, retaints the dataset's line.
#[test]
fn answering_records_revoked_before_the_withdrawal_queues_no_taint_work() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		revoke_first(id, 4);
		let reported = RecordRevocations::reported().len();
		for round in 0..3u64 {
			System::set_block_number(2 + round);
			assert_ok!(withdraw(BOB, id, &[1]));
			assert_ok!(Datasets::answer_withdrawal(
				RuntimeOrigin::signed(CAROL),
				round,
				set_memberships(4, &[1])
			));
			assert_ok!(Datasets::clear_withdrawal(RuntimeOrigin::signed(BOB), round));
		}
		assert_eq!(RecordRevocations::reported().len(), reported);
		// Nor does it relabel what the set taints.
		assert_eq!(Datasets::dataset(id).unwrap().taint_kind, TaintKind::DataRevoked);
	});
}

/// A whole revocation with withdrawals left unanswered keeps the consent kind, whatever
/// reason the owner gives.
#[test]
fn a_revocation_in_breach_keeps_the_consent_kind() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[0]));
		run_to(11);
		assert_ok!(Datasets::revoke(RuntimeOrigin::signed(ALICE), id, RevocationReason::Defective));
		assert_eq!(Datasets::dataset(id).unwrap().taint_kind, TaintKind::ConsentWithdrawn);
		// Anyone answers it without proofs; the reason's kind then stands.
		assert_ok!(Datasets::answer_withdrawal(RuntimeOrigin::signed(CAROL), 0, vec![]));
		assert_eq!(Datasets::dataset(id).unwrap().taint_kind, TaintKind::DataRevoked);
	});
}

/// C5, C6: the sweep runs in `on_initialize`, so an answer in the deadline's block is late; and
/// an answer after the deadline is late by the clock also before the sweep reaches it (when
/// deadlines piled up ahead of it).
#[test]
fn an_answer_after_the_deadline_is_late_swept_or_not() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[0]));
		assert_ok!(withdraw(CAROL, id, &[0]));
		// BOB's record 0 and CAROL's (the dataset's record 4) are in the set.
		revoke_first(id, 5);
		// No sweep yet: the block number moves without `on_initialize`.
		System::set_block_number(11);
		assert_ok!(Datasets::answer_withdrawal(
			RuntimeOrigin::signed(ALICE),
			0,
			set_memberships(5, &[0])
		));
		// The sweep of block 11 runs before its transactions.
		Datasets::on_initialize(11);
		assert_eq!(
			Withdrawals::<Test>::get(1).unwrap().state,
			WithdrawalState::Unanswered { since: 11 }
		);
		assert_ok!(Datasets::answer_withdrawal(
			RuntimeOrigin::signed(ALICE),
			1,
			set_memberships(5, &[4])
		));
		for withdrawal in [0, 1] {
			assert_eq!(
				Withdrawals::<Test>::get(withdrawal).unwrap().state,
				WithdrawalState::Answered { at: 11, late: true }
			);
		}
	});
}

/// C2: a record is withdrawn once while its withdrawal exists; once cleared, filing it again is
/// answered at once by anyone with the same proofs.
#[test]
fn clearing_releases_the_deposit_only_when_answered_and_a_refiling_is_answered_at_once() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[2]));
		assert_noop!(
			Datasets::clear_withdrawal(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::NotAnswered
		);
		revoke_first(id, 3);
		assert_ok!(Datasets::answer_withdrawal(
			RuntimeOrigin::signed(ALICE),
			0,
			set_memberships(3, &[2])
		));
		assert_noop!(
			Datasets::clear_withdrawal(RuntimeOrigin::signed(CAROL), 0),
			Error::<Test>::NotContributor
		);
		let deposit = Withdrawals::<Test>::get(0).unwrap().deposit;
		assert_ok!(Datasets::clear_withdrawal(RuntimeOrigin::signed(BOB), 0));
		assert_eq!(consent_hold(BOB), 0);
		assert_eq!(
			last_event(),
			Event::WithdrawalCleared { withdrawal: 0, dataset: id, contributor: BOB, deposit }
		);
		assert!(Datasets::withdrawals_of(BOB, None, 10).is_empty());
		assert_ok!(withdraw(BOB, id, &[2]));
		assert_ok!(Datasets::answer_withdrawal(
			RuntimeOrigin::signed(CAROL),
			1,
			set_memberships(3, &[2])
		));
		assert_eq!(Consent::<Test>::get(id).open, 0);
	});
}

#[test]
fn the_answer_period_is_set_by_its_origin_and_filed_deadlines_keep() {
	new_test_ext(|| {
		let id = dataset_with_contributors();
		assert_ok!(withdraw(BOB, id, &[0]));
		assert_noop!(
			Datasets::set_answer_period(RuntimeOrigin::signed(ALICE), 50),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Datasets::set_answer_period(RuntimeOrigin::root(), 0),
			Error::<Test>::ZeroAnswerPeriod
		);
		assert_ok!(Datasets::set_answer_period(RuntimeOrigin::root(), 50));
		assert_eq!(last_event(), Event::AnswerPeriodSet { period: 50 });
		assert_ok!(withdraw(CAROL, id, &[0]));
		assert_eq!(Withdrawals::<Test>::get(0).unwrap().deadline, 11);
		assert_eq!(Withdrawals::<Test>::get(1).unwrap().deadline, 51);
		run_to(11);
		assert_eq!(Consent::<Test>::get(id).unanswered, 1);
	});
}
