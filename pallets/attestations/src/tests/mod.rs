//! Tests of the attestations pallet: the attester lifecycle, run declaration, commit-reveal
//! and quorum, challenges and judge-free faults, slashing, settlement and linking; runs on
//! evaluation claims through the same machinery.

use crate::{mock::*, pallet::*, types::*, Error};

mod attacks;
mod parameters;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use frame_system::RawOrigin;
use pallet_datasets::{DatasetOrigin, RevocationReason};
use provenance_primitives::{
	merkle::Hash,
	traits::{EvaluationRuns, FinalRuns, RunSettlement},
	AssetRef, CheckpointId, DatasetId, RunId,
};
use sp_runtime::{testing::TestSignature, DispatchError, Perbill};

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn hash(n: u32) -> Hash {
	let mut h = [0x22; 32];
	h[..4].copy_from_slice(&n.to_le_bytes());
	h
}

fn weights(n: u32) -> Hash {
	let mut h = [0x77; 32];
	h[..4].copy_from_slice(&n.to_le_bytes());
	h
}

fn dataset(n: u32) -> DatasetId {
	let id = pallet_datasets::NextDatasetId::<Test>::get();
	assert_ok!(Datasets::register(
		signed(LAB),
		hash(n),
		100,
		1,
		b"ipfs://data".to_vec(),
		[0; 32],
		DatasetOrigin::Human,
		false,
		None
	));
	id
}

fn checkpoint(weights_hash: Hash, datasets: Vec<DatasetId>) -> CheckpointId {
	let id = pallet_checkpoints::NextCheckpointId::<Test>::get();
	assert_ok!(Checkpoints::register(
		signed(LAB),
		weights_hash,
		vec![],
		datasets,
		vec![],
		b"hf://lab/model".to_vec(),
		[0; 32],
		false,
		None
	));
	id
}

fn bond(who: u64, amount: u64) {
	assert_ok!(Attestations::bond(signed(who), amount));
}

/// Bonds A, B and C with 1000 each.
fn three_attesters() {
	for who in [A, B, C] {
		bond(who, 1_000);
	}
}

const REWARD: u64 = 900;
/// Deadline of the runs `declare` makes: 20 blocks on, the commit phase ends 5 before.
const RUN_BLOCKS: u64 = 20;

fn try_declare(
	datasets: Vec<DatasetId>,
	base_checkpoints: Vec<CheckpointId>,
	output: Hash,
	reward: u64,
	deadline: u64,
) -> frame_support::dispatch::DispatchResult {
	Attestations::declare_run(
		signed(LAB),
		datasets,
		base_checkpoints,
		hash(901),
		hash(902),
		hash(903),
		hash(904),
		output,
		hash(905),
		reward,
		deadline,
	)
}

/// Declares a run on a fresh dataset with output `weights(n)`.
fn declare(n: u32) -> RunId {
	let id = NextRunId::<Test>::get();
	let data = dataset(1_000 + id as u32);
	assert_ok!(try_declare(
		vec![data],
		vec![],
		weights(n),
		REWARD,
		System::block_number() + RUN_BLOCKS
	));
	id
}

fn run(id: RunId) -> RunOf<Test> {
	Runs::<Test>::get(id).expect("run exists")
}

/// The datasets training run `id` declared.
fn run_datasets(id: RunId) -> Vec<DatasetId> {
	match run(id).claim {
		Claim::Training(claim) => claim.datasets.into_inner(),
		Claim::Evaluation(_) => panic!("run {id} is a training run"),
	}
}

fn commit(id: RunId, who: u64, verdict: Verdict) {
	let statement = statement(verdict, run(id).output_hash);
	assert_ok!(Attestations::commit_verdict(signed(who), id, commitment(id, who, &statement)));
}

fn reveal(id: RunId, who: u64, verdict: Verdict) {
	let statement = statement(verdict, run(id).output_hash);
	assert_ok!(Attestations::reveal_verdict(signed(who), id, statement, salt(who)));
}

fn to_reveal_phase(id: RunId) {
	run_to(run(id).commit_end + 1);
}

/// Every attester commits, then reveals in order.
fn vote(id: RunId, votes: &[(u64, Verdict)]) {
	for (who, verdict) in votes {
		commit(id, *who, *verdict);
	}
	to_reveal_phase(id);
	for (who, verdict) in votes {
		reveal(id, *who, *verdict);
	}
}

fn window_end(id: RunId) -> u64 {
	match run(id).status {
		RunStatus::Decided { window_end, .. } => window_end,
		status => panic!("run {id} is not decided: {status:?}"),
	}
}

fn settle(id: RunId) {
	assert_ok!(Attestations::settle_run(signed(CHALLENGER), id));
}

fn stake_held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::AttesterStake.into(), &who)
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn attester(who: u64) -> AttesterOf<Test> {
	Attesters::<Test>::get(who).expect("is an attester")
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Attestations(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Explorers rebuild from events alone what storage holds: each attester's record (its last
/// `AttesterUpdated`), each run's stake snapshot (`RunDeclared`) and standing tallies (its
/// last `RunTallied`), and each verdict's commitment and stake (`VerdictCommitted`).
fn assert_events_rebuild_attesters_and_runs() {
	use std::collections::BTreeMap;
	let mut attesters = BTreeMap::new();
	let mut runs = BTreeMap::new();
	for event in events() {
		match event {
			Event::AttesterUpdated { attester, record } => {
				attesters.insert(attester, record);
			},
			Event::RunDeclared { run, stake_snapshot, .. } => {
				runs.insert(run, (stake_snapshot, Tally::default(), Tally::default()));
			},
			Event::RunTallied { run, valid, invalid } => {
				let entry = runs.get_mut(&run).expect("tallied after it was declared");
				(entry.1, entry.2) = (valid, invalid);
			},
			Event::VerdictCommitted { run, attester, stake, commitment } => {
				let vote = Votes::<Test>::get(run, attester).expect("votes are kept");
				assert_eq!((vote.stake, vote.commitment), (stake, commitment));
			},
			_ => {},
		}
	}
	for (who, record) in &attesters {
		assert_eq!(&Attesters::<Test>::get(who), record, "attester {who}");
	}
	assert_eq!(
		Attesters::<Test>::iter_keys().filter(|who| !attesters.contains_key(who)).count(),
		0,
		"every attester was announced"
	);
	for (id, (stake_snapshot, valid, invalid)) in runs {
		let record = run(id);
		assert_eq!(
			(record.stake_snapshot, record.valid, record.invalid),
			(stake_snapshot, valid, invalid)
		);
	}
}

fn slash_of(who: u64, id: RunId) -> SlashRecordOf<Test> {
	Slashes::<Test>::get(who, id).expect("slashed")
}

// --- attesters ---

#[test]
fn bonding_holds_stake_and_counts_it_active() {
	new_test_ext(|| {
		bond(A, 1_000);
		assert_ok!(Attestations::bond_extra(signed(A), 500));
		assert_eq!(stake_held(A), 1_500);
		assert_eq!(attester(A).bonded, 1_500);
		assert_eq!(Attestations::active_stake(), 1_500);
		assert_eq!(
			events().last(),
			Some(&Event::Bonded { attester: A, amount: 500, bonded: 1_500 })
		);
	});
}

#[test]
fn bad_bonds_are_rejected() {
	new_test_ext(|| {
		assert_noop!(Attestations::bond(signed(A), 999), Error::<Test>::BelowMinimum);
		assert_noop!(Attestations::bond_extra(signed(A), 10), Error::<Test>::NotAttester);
		bond(A, 1_000);
		assert_noop!(Attestations::bond(signed(A), 1_000), Error::<Test>::AlreadyAttester);
		assert!(
			Attestations::bond(signed(B), BALANCE * 2).is_err(),
			"cannot hold more than it has"
		);
		for who in [B, C, D, E, 16] {
			bond(who, 1_000);
		}
		assert_noop!(Attestations::bond(signed(17), 1_000), Error::<Test>::TooManyAttesters);
	});
}

#[test]
fn unbonding_waits_the_period_then_leaves() {
	new_test_ext(|| {
		bond(A, 3_000);
		assert_noop!(Attestations::unbond(signed(A), 2_500), Error::<Test>::BelowMinimum);
		assert_noop!(Attestations::unbond(signed(A), 3_001), Error::<Test>::BelowMinimum);
		assert_noop!(Attestations::unbond(signed(A), 0), Error::<Test>::BelowMinimum);
		assert_ok!(Attestations::unbond(signed(A), 1_000));
		assert_eq!(Attestations::active_stake(), 2_000);
		assert_eq!(stake_held(A), 3_000, "unbonding stake stays held");
		run_to(2);
		assert_ok!(Attestations::unbond(signed(A), 2_000));
		assert_eq!(attester(A).status, AttesterStatus::Chilled);
		assert_eq!(Attestations::active_stake(), 0);
		assert_noop!(Attestations::withdraw_unbonded(signed(A)), Error::<Test>::NothingToWithdraw);

		run_to(61);
		assert_ok!(Attestations::withdraw_unbonded(signed(A)));
		assert_eq!(stake_held(A), 2_000);
		run_to(62);
		assert_ok!(Attestations::withdraw_unbonded(signed(A)));
		assert_eq!(stake_held(A), 0);
		assert!(!Attesters::<Test>::contains_key(A));
		assert_eq!(free(A), BALANCE);
		assert_eq!(
			events().last(),
			Some(&Event::Withdrawn { attester: A, amount: 2_000, gone: true })
		);
		bond(A, 1_000);
		assert_events_rebuild_attesters_and_runs();
	});
}

#[test]
fn unbonding_chunks_are_bounded() {
	new_test_ext(|| {
		bond(A, 10_000);
		for block in 1..=3 {
			run_to(block);
			assert_ok!(Attestations::unbond(signed(A), 100));
			assert_ok!(Attestations::unbond(signed(A), 100));
		}
		assert_eq!(attester(A).unbonding.len(), 3, "same-block unbonds share a chunk");
		run_to(4);
		assert_noop!(Attestations::unbond(signed(A), 100), Error::<Test>::TooManyUnbondingChunks);
	});
}

#[test]
fn chill_and_activate() {
	new_test_ext(|| {
		three_attesters();
		assert_ok!(Attestations::chill(signed(A)));
		assert_eq!(Attestations::active_stake(), 2_000);
		assert_noop!(Attestations::chill(signed(A)), Error::<Test>::NotActive);
		let id = declare(1);
		assert_eq!(run(id).stake_snapshot, 2_000);
		let s = statement(Verdict::Valid, weights(1));
		assert_noop!(
			Attestations::commit_verdict(signed(A), id, commitment(id, A, &s)),
			Error::<Test>::NotActive
		);
		// Back no sooner than a run lasts after the chill.
		assert_noop!(Attestations::activate(signed(A)), Error::<Test>::TooEarly);
		run_to(System::block_number() + 30);
		assert_ok!(Attestations::activate(signed(A)));
		assert_noop!(Attestations::activate(signed(A)), Error::<Test>::AlreadyActive);
		assert_eq!(Attestations::active_stake(), 3_000);
		let later = declare(2);
		commit(later, A, Verdict::Valid);
		assert_noop!(Attestations::activate(signed(D)), Error::<Test>::NotAttester);
	});
}

// --- declaring runs ---

#[test]
fn declaring_a_run_holds_reward_and_deposit() {
	new_test_ext(|| {
		three_attesters();
		let base = checkpoint(weights(500), vec![]);
		let data = dataset(1);
		assert_ok!(try_declare(vec![data], vec![base], weights(1), REWARD, 21));
		let record = run(0);
		assert_eq!(record.commit_end, 16);
		assert_eq!(record.stake_snapshot, 3_000);
		assert_eq!(record.status, RunStatus::Open);
		assert_eq!(record.deposit, Attestations::deposit_for(&record));
		assert_eq!(Balances::balance_on_hold(&HoldReason::RunReward.into(), &LAB), REWARD);
		assert_eq!(Balances::balance_on_hold(&HoldReason::RunDeposit.into(), &LAB), record.deposit);
		assert_eq!(OutputClaims::<Test>::get(weights(1), LAB), Some(0));
		assert!(matches!(events().last(), Some(Event::RunDeclared { run: 0, .. })));
	});
}

#[test]
fn bad_run_declarations_are_rejected() {
	new_test_ext(|| {
		let data = dataset(1);
		assert_noop!(
			try_declare(vec![data], vec![], weights(1), 10, 21),
			Error::<Test>::NoActiveStake
		);
		three_attesters();
		let base = checkpoint(weights(500), vec![]);
		let out = weights(1);
		let cases: Vec<(Vec<DatasetId>, Vec<CheckpointId>, u64, u64, Error<Test>)> = vec![
			(vec![data; 5], vec![], 10, 21, Error::<Test>::TooManyDatasets),
			(vec![], vec![base; 3], 10, 21, Error::<Test>::TooManyBaseCheckpoints),
			(vec![data, data], vec![], 10, 21, Error::<Test>::DuplicateInput),
			(vec![], vec![base, base], 10, 21, Error::<Test>::DuplicateInput),
			(vec![data + 100], vec![], 10, 21, Error::<Test>::UnknownDataset),
			(vec![], vec![base + 100], 10, 21, Error::<Test>::UnknownCheckpoint),
			(vec![data], vec![], 0, 21, Error::<Test>::ZeroReward),
			// The commit phase would end before block 1 + min_commit_period.
			(vec![data], vec![], 10, 7, Error::<Test>::BadDeadline),
			(vec![data], vec![], 10, 32, Error::<Test>::BadDeadline),
		];
		for (datasets, bases, reward, deadline, error) in cases {
			assert_noop!(try_declare(datasets, bases, out, reward, deadline), error);
		}
		assert_ok!(try_declare(vec![data], vec![], out, 10, 8));
		assert_noop!(try_declare(vec![], vec![], out, 10, 21), Error::<Test>::OutputClaimed);
		assert!(
			try_declare(vec![], vec![], weights(2), BALANCE * 2, 21).is_err(),
			"the lab cannot hold a reward it does not have"
		);

		let revoked = dataset(2);
		assert_ok!(Datasets::revoke(signed(LAB), revoked, RevocationReason::ConsentWithdrawn));
		assert_noop!(
			try_declare(vec![revoked], vec![], weights(3), 10, 21),
			Error::<Test>::DatasetRevoked
		);
		let used = dataset(3);
		let trained = checkpoint(weights(501), vec![used]);
		assert_ok!(Datasets::revoke(signed(LAB), used, RevocationReason::ConsentWithdrawn));
		for _ in 0..10 {
			<Checkpoints as frame_support::traits::Hooks<u64>>::on_idle(
				1,
				frame_support::weights::Weight::MAX,
			);
		}
		assert!(pallet_checkpoints::Taint::<Test>::contains_key(AssetRef::Checkpoint(trained)));
		// A tainted base is allowed: an unlearning run starts from one.
		assert_ok!(try_declare(vec![], vec![trained], weights(3), 10, 21));
	});
}

// --- commit, reveal, quorum ---

#[test]
fn happy_path_attests_finalises_pays_and_links() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Invalid)]);
		let end = window_end(id);
		assert_eq!(end, 17 + 10, "decided at the second reveal, in block 17");
		assert!(events().contains(&Event::RunDecided {
			run: id,
			outcome: Outcome::Attested,
			window_end: end
		}));
		assert_eq!(run(id).invalid, Tally { count: 1, stake: 1_000 }, "reveals count after quorum");

		assert_noop!(Attestations::settle_run(signed(LAB), id), Error::<Test>::TooEarly);
		run_to(end + 1);
		let before = (free(A), free(B), free(C), free(LAB));
		settle(id);
		assert_eq!(run(id).status, RunStatus::Final { outcome: Outcome::Attested });
		assert_eq!(free(A), before.0 + 450);
		assert_eq!(free(B), before.1 + 450);
		assert_eq!(free(C), before.2, "a verdict that did not stand is not paid");
		assert_eq!(free(LAB), before.3);
		assert_eq!(Balances::balance_on_hold(&HoldReason::RunReward.into(), &LAB), 0);
		assert!(events().contains(&Event::RunFinalized {
			run: id,
			outcome: Outcome::Attested,
			attesters: 2,
			paid: 900,
			refund: 0
		}));
		assert_eq!(Attestations::final_run(&weights(1), &LAB).map(|(run, _)| run), Some(id));
		assert_noop!(Attestations::settle_run(signed(LAB), id), Error::<Test>::RunSettled);

		// Run first, checkpoint second: the checkpoint finds its run when it registers.
		let model = checkpoint(weights(1), run_datasets(id));
		assert_eq!(pallet_checkpoints::Records::<Test>::get(model).unwrap().run, Some(id));
		assert_events_rebuild_attesters_and_runs();
	});
}

#[test]
fn a_checkpoint_registered_first_is_linked_when_its_run_is_final() {
	new_test_ext(|| {
		three_attesters();
		let data = dataset(7);
		let model = checkpoint(weights(1), vec![data]);
		let deadline = System::block_number() + RUN_BLOCKS;
		// The run must name the checkpoint's own lineage.
		let other = dataset(8);
		assert_noop!(
			try_declare(vec![other], vec![], weights(1), REWARD, deadline),
			Error::<Test>::LineageMismatch
		);
		let id = NextRunId::<Test>::get();
		assert_ok!(try_declare(vec![data], vec![], weights(1), REWARD, deadline));
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		assert_eq!(pallet_checkpoints::Records::<Test>::get(model).unwrap().run, None);
		run_to(window_end(id) + 1);
		settle(id);
		assert_eq!(pallet_checkpoints::Records::<Test>::get(model).unwrap().run, Some(id));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(pallet_checkpoints::Event::RunLinked {
				checkpoint: model,
				run: id
			})));
		// 900 over three equal stakes: 300 each, nothing left over.
		assert!(events().contains(&Event::RunFinalized {
			run: id,
			outcome: Outcome::Attested,
			attesters: 3,
			paid: 900,
			refund: 0
		}));
	});
}

#[test]
fn commit_and_reveal_errors_change_nothing() {
	new_test_ext(|| {
		three_attesters();
		bond(LAB, 1_000);
		let id = declare(1);
		let s = statement(Verdict::Valid, weights(1));
		let c = commitment(id, A, &s);
		assert_noop!(Attestations::commit_verdict(signed(A), 9, c), Error::<Test>::UnknownRun);
		assert_noop!(Attestations::commit_verdict(signed(LAB), id, c), Error::<Test>::OwnRun);
		assert_noop!(Attestations::commit_verdict(signed(D), id, c), Error::<Test>::NotAttester);
		assert_noop!(
			Attestations::reveal_verdict(signed(A), id, s, salt(A)),
			Error::<Test>::NoVerdict
		);
		commit(id, A, Verdict::Valid);
		assert_noop!(
			Attestations::commit_verdict(signed(A), id, c),
			Error::<Test>::AlreadyCommitted
		);
		assert_noop!(
			Attestations::reveal_verdict(signed(A), id, s, salt(A)),
			Error::<Test>::RevealPhaseNotStarted
		);
		to_reveal_phase(id);
		let late = commitment(id, B, &s);
		assert_noop!(
			Attestations::commit_verdict(signed(B), id, late),
			Error::<Test>::CommitPhaseOver
		);
		let other = statement(Verdict::Invalid, weights(1));
		assert_noop!(
			Attestations::reveal_verdict(signed(A), id, other, salt(A)),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Attestations::reveal_verdict(signed(A), id, s, salt(B)),
			Error::<Test>::CommitmentMismatch
		);
		reveal(id, A, Verdict::Valid);
		assert_noop!(
			Attestations::reveal_verdict(signed(A), id, s, salt(A)),
			Error::<Test>::AlreadyRevealed
		);
		run_to(run(id).deadline + 1);
		assert_noop!(
			Attestations::reveal_verdict(signed(A), id, s, salt(A)),
			Error::<Test>::RevealPhaseOver
		);
	});
}

#[test]
fn copying_a_commitment_does_not_reveal() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		commit(id, A, Verdict::Valid);
		// B copies A's commitment; after A reveals, B cannot reveal the same statement.
		let copied = Votes::<Test>::get(id, A).unwrap().commitment;
		assert_ok!(Attestations::commit_verdict(signed(B), id, copied));
		to_reveal_phase(id);
		reveal(id, A, Verdict::Valid);
		let s = statement(Verdict::Valid, weights(1));
		assert_noop!(
			Attestations::reveal_verdict(signed(B), id, s, salt(A)),
			Error::<Test>::CommitmentMismatch
		);
	});
}

#[test]
fn quorum_exactly_at_the_stake_threshold_decides() {
	new_test_ext(|| {
		// Snapshot 6000; 60% is 3600, held by B and C together exactly.
		bond(A, 2_400);
		bond(B, 2_000);
		bond(C, 1_600);
		let id = declare(1);
		for who in [A, B, C] {
			commit(id, who, Verdict::Valid);
		}
		to_reveal_phase(id);
		reveal(id, C, Verdict::Valid);
		assert_eq!(run(id).status, RunStatus::Open, "1600 of 6000, and one attester");
		reveal(id, B, Verdict::Valid);
		assert!(
			matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Attested, .. }),
			"B and C hold 3600 of 6000: exactly 60%"
		);
	});
}

#[test]
fn quorum_needs_the_stake_share_and_the_count() {
	new_test_ext(|| {
		// Snapshot 6000, threshold 3600.
		bond(A, 1_001);
		bond(B, 2_599);
		bond(C, 2_400);
		let id = declare(1);
		vote(id, &[(B, Verdict::Valid), (A, Verdict::Valid)]);
		assert!(matches!(run(id).status, RunStatus::Decided { .. }), "1001 + 2599 = 3600");
	});
	new_test_ext(|| {
		bond(A, 1_000);
		bond(B, 2_599);
		bond(C, 2_401);
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid)]);
		assert_eq!(run(id).status, RunStatus::Open, "3599 is one short of 60%");
		assert_eq!(run(id).valid, Tally { count: 2, stake: 3_599 });
	});
}

#[test]
fn a_tie_decides_nothing_and_the_run_expires() {
	new_test_ext(|| {
		for who in [A, B, C, D] {
			bond(who, 1_000);
		}
		let id = declare(1);
		vote(
			id,
			&[
				(A, Verdict::Valid),
				(B, Verdict::Invalid),
				(C, Verdict::Valid),
				(D, Verdict::Invalid),
			],
		);
		assert_eq!(run(id).status, RunStatus::Open);
		let lab_before = free(LAB);
		assert_noop!(Attestations::settle_run(signed(A), id), Error::<Test>::TooEarly);
		run_to(run(id).deadline + 1);
		settle(id);
		assert_eq!(run(id).status, RunStatus::Expired);
		assert_eq!(free(LAB), lab_before + REWARD, "the reward goes back");
		assert!(events().contains(&Event::RunExpired { run: id, refund: REWARD }));
		assert_eq!(OutputClaims::<Test>::get(weights(1), LAB), None);
		assert_noop!(Attestations::settle_run(signed(A), id), Error::<Test>::RunSettled);
		// The output is free for a new run.
		let again = declare(1);
		assert_eq!(OutputClaims::<Test>::get(weights(1), LAB), Some(again));
	});
}

#[test]
fn stake_weighted_quorum_and_count_quorum_both_bind() {
	new_test_ext(|| {
		// A whale with 5000 against two with 1000 each: snapshot 7000, threshold 4200.
		bond(A, 5_000);
		bond(B, 1_000);
		bond(C, 1_000);
		let id = declare(1);
		vote(id, &[(B, Verdict::Invalid), (C, Verdict::Invalid), (A, Verdict::Valid)]);
		assert_eq!(
			run(id).status,
			RunStatus::Open,
			"two by count lack stake, one by stake lacks count"
		);

		set_quorum(1, Perbill::from_percent(60));
		let id = declare(2);
		vote(id, &[(B, Verdict::Invalid), (C, Verdict::Invalid), (A, Verdict::Valid)]);
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Attested, .. }));
	});
}

// --- challenges and slashing ---

#[test]
fn a_colluding_majority_is_caught_by_challenges() {
	new_test_ext(|| {
		for who in [A, B, C, D] {
			bond(who, 1_000);
		}
		set_quorum(2, Perbill::from_percent(70));
		let id = declare(1);
		vote(
			id,
			&[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid), (D, Verdict::Invalid)],
		);
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Attested, .. }));
		let treasury_before = free(TREASURY);
		let challenger_before = free(CHALLENGER);

		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		assert_eq!(Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &CHALLENGER), 100);
		assert_noop!(Attestations::settle_run(signed(D), id), Error::<Test>::TooEarly);
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, true));
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Rejected, .. }));
		assert_eq!(
			slash_of(A, id),
			SlashRecord { fault: Fault::Upheld, due: 500, slashed: 500, at: 17 }
		);
		assert_eq!(stake_held(A), 500);
		assert_eq!(free(CHALLENGER), challenger_before + 100, "bond back plus 20% of 500");
		assert_eq!(free(TREASURY), treasury_before + 400);
		assert_eq!(attester(A).status, AttesterStatus::Chilled, "500 is below the minimum");
		assert_eq!(attester(A).faults, 1);

		for who in [B, C] {
			assert_ok!(Attestations::challenge(signed(CHALLENGER), id, who));
			assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, who, true));
		}
		assert_eq!(run(id).valid, Tally::default(), "slashed verdicts leave the tally");
		run_to(window_end(id) + 1);
		let d_before = free(D);
		settle(id);
		assert_eq!(run(id).status, RunStatus::Final { outcome: Outcome::Rejected });
		assert_eq!(free(D), d_before + REWARD, "the one verdict that stood takes the reward");
		assert_eq!(OutputClaims::<Test>::get(weights(1), LAB), None);
		assert_eq!(Attestations::final_run(&weights(1), &LAB), None);
		assert_events_rebuild_attesters_and_runs();
	});
}

#[test]
fn a_griefing_challenger_loses_its_bond() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		let treasury_before = free(TREASURY);
		let challenger_before = free(CHALLENGER);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, false));
		assert_eq!(free(CHALLENGER), challenger_before - 100);
		assert_eq!(free(TREASURY), treasury_before + 100);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &CHALLENGER), 0);
		assert_eq!(stake_held(A), 1_000);
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Attested, .. }));
		assert!(events().contains(&Event::ChallengeDismissed {
			run: id,
			attester: A,
			challenger: CHALLENGER,
			forfeit: 100
		}));
		// The verdict may be challenged again, by someone ready to lose another bond.
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
	});
}

#[test]
fn challenge_errors_change_nothing() {
	new_test_ext(|| {
		for who in [A, B, C, D] {
			bond(who, 1_000);
		}
		let id = declare(1);
		for who in [A, B, C] {
			commit(id, who, Verdict::Valid);
		}
		commit(id, D, Verdict::Valid);
		assert_noop!(Attestations::challenge(signed(CHALLENGER), id, A), Error::<Test>::NotDecided);
		assert_noop!(Attestations::challenge(signed(CHALLENGER), 7, A), Error::<Test>::UnknownRun);
		to_reveal_phase(id);
		for who in [A, B, C] {
			reveal(id, who, Verdict::Valid);
		}
		assert_noop!(Attestations::challenge(signed(A), id, A), Error::<Test>::OwnVerdict);
		assert_noop!(Attestations::challenge(signed(CHALLENGER), id, D), Error::<Test>::NoVerdict);
		assert_noop!(Attestations::challenge(signed(CHALLENGER), id, E), Error::<Test>::NoVerdict);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		assert_noop!(
			Attestations::challenge(signed(CHALLENGER), id, A),
			Error::<Test>::AlreadyChallenged
		);
		assert_noop!(
			Attestations::resolve_challenge(signed(CHALLENGER), id, A, true),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Attestations::resolve_challenge(RawOrigin::Root.into(), id, B, true),
			Error::<Test>::NoChallenge
		);
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, true));
		run_to(window_end(id) + 1);
		assert_noop!(
			Attestations::challenge(signed(CHALLENGER), id, B),
			Error::<Test>::ChallengeWindowClosed
		);
		settle(id);
		assert_noop!(
			Attestations::challenge(signed(CHALLENGER), id, B),
			Error::<Test>::ChallengeWindowClosed
		);
	});
}

#[test]
fn an_attester_cannot_unbond_out_of_a_pending_slash() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid)]);
		// A unbonds everything as soon as its verdict counted.
		assert_ok!(Attestations::unbond(signed(A), 1_000));
		let unlock_at = attester(A).unbonding[0].unlock_at;
		assert!(unlock_at > window_end(id), "unbonding outlasts the challenge window");
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		run_to(unlock_at);
		assert_noop!(Attestations::withdraw_unbonded(signed(A)), Error::<Test>::ChallengePending);
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, true));
		assert_eq!(slash_of(A, id).slashed, 500, "taken from the unbonding chunk");
		assert_eq!(stake_held(A), 500);
		assert_ok!(Attestations::withdraw_unbonded(signed(A)));
		assert_eq!(free(A), BALANCE - 500);
		assert!(!Attesters::<Test>::contains_key(A));
	});
}

#[test]
fn a_slash_larger_than_the_stake_takes_what_is_left() {
	new_test_ext(|| {
		bond(A, 1_000);
		bond(B, 1_000);
		bond(C, 1_000);
		let (r1, r2, r3) = (declare(1), declare(2), declare(3));
		assert_ok!(Attestations::bond_extra(signed(A), 1_000));
		for id in [r1, r2, r3] {
			for who in [A, B, C] {
				commit(id, who, Verdict::Valid);
			}
		}
		to_reveal_phase(r3);
		for id in [r1, r2, r3] {
			for who in [A, B, C] {
				reveal(id, who, Verdict::Valid);
			}
		}
		assert_eq!(Votes::<Test>::get(r1, A).unwrap().stake, 2_000);
		for id in [r1, r2] {
			assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
			assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, true));
		}
		// Two faults remove it, and two slashes of 1000 took its 2000.
		assert_eq!(slash_of(A, r2).slashed, 1_000);
		assert!(!Attesters::<Test>::contains_key(A), "nothing left: gone");
		assert!(Removed::<Test>::contains_key(A));
		assert!(events().contains(&Event::AttesterRemoved { attester: A, faults: 2 }));

		assert_ok!(Attestations::challenge(signed(CHALLENGER), r3, A));
		let challenger_before = free(CHALLENGER);
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), r3, A, true));
		assert_eq!(
			slash_of(A, r3),
			SlashRecord { fault: Fault::Upheld, due: 1_000, slashed: 0, at: 17 }
		);
		assert_eq!(free(CHALLENGER), challenger_before + 100, "only the bond comes back");
		assert!(matches!(run(r3).status, RunStatus::Decided { outcome: Outcome::Rejected, .. }));
		assert_noop!(Attestations::bond(signed(A), 1_000), Error::<Test>::RemovedForFaults);
		assert_events_rebuild_attesters_and_runs();
	});
}

#[test]
fn a_slash_reaches_into_unbonding_stake() {
	new_test_ext(|| {
		bond(A, 1_000);
		bond(B, 1_000);
		bond(C, 1_000);
		let (r1, r2) = (declare(1), declare(2));
		assert_ok!(Attestations::bond_extra(signed(A), 500));
		for id in [r1, r2] {
			for who in [A, B, C] {
				commit(id, who, Verdict::Valid);
			}
		}
		// Both verdicts carry 1500; then A unbonds 500 of it.
		assert_ok!(Attestations::unbond(signed(A), 500));
		to_reveal_phase(r2);
		for id in [r1, r2] {
			for who in [A, B, C] {
				reveal(id, who, Verdict::Valid);
			}
		}
		assert_ok!(Attestations::challenge(signed(CHALLENGER), r1, A));
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), r1, A, true));
		// 750 due, and 1000 bonded covers it.
		assert_eq!(attester(A).bonded, 250);
		assert_eq!(attester(A).unbonding[0].amount, 500);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), r2, A));
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), r2, A, true));
		// 750 due again: the 250 bonded, then the 500 unbonding.
		assert_eq!(
			slash_of(A, r2),
			SlashRecord { fault: Fault::Upheld, due: 750, slashed: 750, at: 17 }
		);
		assert_eq!(stake_held(A), 0);
		assert_events_rebuild_attesters_and_runs();
	});
}

// --- judge-free faults ---

fn sign(who: u64, id: RunId, statement: Statement) -> SignedStatementOf<Test> {
	let genesis = System::block_hash(0);
	SignedStatement {
		statement,
		signature: TestSignature(who, signed_statement_payload(&genesis, id, &statement)),
	}
}

#[test]
fn equivocation_is_slashed_without_a_judge() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		commit(id, A, Verdict::Valid);
		commit(id, B, Verdict::Valid);
		let other = statement(Verdict::Invalid, weights(1));
		assert_noop!(
			Attestations::report_equivocation(signed(CHALLENGER), id, A, sign(A, id, other)),
			Error::<Test>::NoVerdict
		);
		to_reveal_phase(id);
		reveal(id, A, Verdict::Valid);
		let same = statement(Verdict::Valid, weights(1));
		assert_noop!(
			Attestations::report_equivocation(signed(CHALLENGER), id, A, sign(A, id, same)),
			Error::<Test>::SameStatement
		);
		assert_noop!(
			Attestations::report_equivocation(signed(CHALLENGER), id, A, sign(B, id, other)),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			Attestations::report_equivocation(signed(CHALLENGER), id, A, sign(A, id + 1, other)),
			Error::<Test>::BadSignature
		);
		let before = free(CHALLENGER);
		assert_ok!(Attestations::report_equivocation(
			signed(CHALLENGER),
			id,
			A,
			sign(A, id, other)
		));
		assert_eq!(slash_of(A, id).fault, Fault::Equivocation);
		assert_eq!(free(CHALLENGER), before + 100);
		assert_eq!(run(id).valid, Tally::default());
		assert_noop!(
			Attestations::report_equivocation(signed(CHALLENGER), id, A, sign(A, id, other)),
			Error::<Test>::AlreadySlashed
		);
		// B and C decide without A.
		reveal(id, B, Verdict::Valid);
		assert_eq!(run(id).status, RunStatus::Open, "1000 of 3000 is short of quorum");
		assert_events_rebuild_attesters_and_runs();
	});
}

#[test]
fn a_counted_reveal_pays_for_its_own_path_and_a_slashed_one_for_the_slash() {
	use crate::WeightInfo;
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		let wrong = statement(Verdict::Valid, weights(2));
		assert_ok!(Attestations::commit_verdict(signed(A), id, commitment(id, A, &wrong)));
		commit(id, B, Verdict::Valid);
		to_reveal_phase(id);
		let slashed = Attestations::reveal_verdict(signed(A), id, wrong, salt(A));
		assert_eq!(slashed.map(|info| info.actual_weight), Ok(None));
		let valid = statement(Verdict::Valid, run(id).output_hash);
		let counted = Attestations::reveal_verdict(signed(B), id, valid, salt(B));
		let counted_weight = <() as WeightInfo>::reveal_verdict_counted();
		assert_eq!(counted.map(|info| info.actual_weight), Ok(Some(counted_weight)));
		assert!(counted_weight.all_lte(<() as WeightInfo>::reveal_verdict()));
	});
}

#[test]
fn a_valid_verdict_on_other_weights_is_slashed_at_reveal() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		let wrong = statement(Verdict::Valid, weights(2));
		assert_ok!(Attestations::commit_verdict(signed(A), id, commitment(id, A, &wrong)));
		commit(id, B, Verdict::Valid);
		commit(id, C, Verdict::Valid);
		to_reveal_phase(id);
		let treasury_before = free(TREASURY);
		assert_ok!(Attestations::reveal_verdict(signed(A), id, wrong, salt(A)));
		assert_eq!(slash_of(A, id).fault, Fault::Contradiction);
		assert_eq!(free(TREASURY), treasury_before + 500);
		assert_eq!(run(id).valid, Tally::default(), "not counted");
		reveal(id, B, Verdict::Valid);
		reveal(id, C, Verdict::Valid);
		run_to(window_end(id) + 1);
		settle(id);
		assert!(events().contains(&Event::RunFinalized {
			run: id,
			outcome: Outcome::Attested,
			attesters: 2,
			paid: 900,
			refund: 0
		}));
	});
}

#[test]
fn an_upheld_challenge_after_an_equivocation_slash_does_not_slash_twice() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		let other = statement(Verdict::Invalid, weights(1));
		assert_ok!(Attestations::report_equivocation(signed(D), id, A, sign(A, id, other)));
		assert_eq!(stake_held(A), 500);
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, true));
		assert_eq!(stake_held(A), 500, "one slash per verdict");
		assert_eq!(Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &CHALLENGER), 0);
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Rejected, .. }));
		run_to(window_end(id) + 1);
		settle(id);
		assert_noop!(
			Attestations::report_equivocation(signed(D), id, B, sign(B, id, other)),
			Error::<Test>::RunSettled
		);
	});
}

#[test]
fn remainders_of_the_reward_go_back_to_the_lab() {
	new_test_ext(|| {
		three_attesters();
		let id = NextRunId::<Test>::get();
		let data = dataset(1);
		assert_ok!(try_declare(vec![data], vec![], weights(1), 1_000, 21));
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		run_to(window_end(id) + 1);
		let lab_before = free(LAB);
		settle(id);
		assert_eq!(free(LAB), lab_before + 1);
		assert!(events().contains(&Event::RunFinalized {
			run: id,
			outcome: Outcome::Attested,
			attesters: 3,
			paid: 999,
			refund: 1
		}));
	});
}

#[test]
fn a_run_takes_at_most_max_attesters_verdicts_even_when_slashed_attesters_leave() {
	new_test_ext(|| {
		// Six attesters, the bound, commit on a long run; A also lies on two short runs.
		for who in [A, B, C, D, E, 16] {
			bond(who, 1_000);
		}
		let (r1, r2) = (declare(1), declare(2));
		let long = NextRunId::<Test>::get();
		assert_ok!(try_declare(vec![dataset(77)], vec![], weights(3), REWARD, 31));
		for who in [A, B, C, D, E, 16] {
			commit(long, who, Verdict::Valid);
		}
		let wrong = statement(Verdict::Valid, weights(99));
		for id in [r1, r2] {
			assert_ok!(Attestations::commit_verdict(signed(A), id, commitment(id, A, &wrong)));
		}
		// Revealing the lies slashes A to nothing; it leaves and frees its place in the set.
		to_reveal_phase(r1);
		for id in [r1, r2] {
			assert_ok!(Attestations::reveal_verdict(signed(A), id, wrong, salt(A)));
		}
		assert!(!Attesters::<Test>::contains_key(A));
		assert!(System::block_number() <= run(long).commit_end, "the long run still takes commits");
		// A newcomer takes the freed place, but votes only on runs declared after it came.
		bond(17, 1_000);
		let s = statement(Verdict::Valid, weights(3));
		assert_noop!(
			Attestations::commit_verdict(signed(17), long, commitment(long, 17, &s)),
			Error::<Test>::NotActive
		);
	});
}

// --- evaluation runs ---

/// Opens a run on evaluation `evaluation` by LAB whose result digest is `weights(n)`.
fn open_evaluation(evaluation: u64, n: u32) -> RunId {
	<Attestations as EvaluationRuns<u64, u64, u64>>::open_evaluation_run(
		&LAB,
		evaluation,
		weights(n),
		REWARD,
		System::block_number() + RUN_BLOCKS,
	)
	.expect("opens")
}

#[test]
fn evaluation_runs_go_through_the_same_verdicts_and_report_how_they_settled() {
	new_test_ext(|| {
		three_attesters();
		let attested = open_evaluation(7, 1);
		let rejected = open_evaluation(8, 2);
		let expired = open_evaluation(9, 3);
		assert_eq!(run(attested).claim, Claim::Evaluation(7));
		assert_eq!(run(attested).claimant, LAB);
		assert!(OutputClaims::<Test>::iter().next().is_none(), "evaluations claim no weights");
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::RunReward.into(), &LAB),
			3 * REWARD,
			"the claimant pays the rewards"
		);
		for id in [attested, rejected] {
			let verdict = if id == attested { Verdict::Valid } else { Verdict::Invalid };
			for who in [A, B, C] {
				commit(id, who, verdict);
			}
		}
		to_reveal_phase(attested);
		for who in [A, B, C] {
			reveal(attested, who, Verdict::Valid);
			reveal(rejected, who, Verdict::Invalid);
		}
		run_to(window_end(attested).max(run(expired).deadline) + 1);
		for id in [attested, rejected, expired] {
			settle(id);
		}
		assert_eq!(
			Settlements::get(),
			vec![
				(7, attested, RunSettlement::Attested),
				(8, rejected, RunSettlement::Rejected),
				(9, expired, RunSettlement::Expired),
			]
		);
		assert_eq!(
			<Attestations as FinalRuns<u64>>::final_run(&weights(1), &LAB),
			None,
			"an evaluation links no weights"
		);
	});
}

#[test]
fn a_valid_verdict_on_another_result_of_an_evaluation_is_slashed_at_reveal() {
	new_test_ext(|| {
		three_attesters();
		let id = open_evaluation(1, 1);
		let other_score = statement(Verdict::Valid, weights(2));
		assert_ok!(Attestations::commit_verdict(signed(A), id, commitment(id, A, &other_score)));
		to_reveal_phase(id);
		assert_ok!(Attestations::reveal_verdict(signed(A), id, other_score, salt(A)));
		assert_eq!(slash_of(A, id).fault, Fault::Contradiction);
	});
}

#[test]
fn an_evaluation_run_is_refused_like_a_training_run() {
	new_test_ext(|| {
		let open = |reward, deadline| {
			<Attestations as EvaluationRuns<u64, u64, u64>>::open_evaluation_run(
				&LAB,
				1,
				weights(1),
				reward,
				deadline,
			)
		};
		assert_noop!(open(REWARD, 21), Error::<Test>::NoActiveStake);
		three_attesters();
		assert_noop!(open(0, 21), Error::<Test>::ZeroReward);
		assert_noop!(open(REWARD, 3), Error::<Test>::BadDeadline);
		assert_noop!(open(BALANCE * 2, 21), sp_runtime::TokenError::FundsUnavailable);
		assert_eq!(NextRunId::<Test>::get(), 0, "nothing declared");
	});
}

#[test]
fn a_ruling_says_so_even_when_the_outcome_stands() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		let id = declare(1);
		vote(
			id,
			&[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid), (D, Verdict::Invalid)],
		);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, D));
		System::reset_events();
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, D, true));
		assert!(run(id).ruled);
		assert!(events().contains(&Event::RunRuled { run: id, outcome: Outcome::Attested }));
		assert!(!events().iter().any(|e| matches!(e, Event::RunDecided { .. })), "unchanged");
	});
}
