//! Tests of the evaluations pallet: evaluation claims attested through the attestations
//! pallet, contamination found through versions and derived datasets, leaderboards,
//! deployments and their histories, and tainted models still serving.

use crate::{mock::*, pallet::*, types::*, Error};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_attestations::{commitment_of, RunStatus, Statement, Verdict};
use pallet_datasets::{DatasetOrigin, RevocationReason};
use provenance_primitives::{
	evaluation_result_digest, merkle::Hash, CheckpointId, DatasetId, EvaluationId,
};
use std::collections::BTreeSet;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn hash(n: u32) -> Hash {
	let mut h = [0x33; 32];
	h[..4].copy_from_slice(&n.to_le_bytes());
	h
}

fn register(n: u32, origin: DatasetOrigin<Vec<DatasetId>>) -> DatasetId {
	let id = pallet_datasets::NextDatasetId::<Test>::get();
	assert_ok!(Datasets::register(
		signed(LAB),
		hash(n),
		100,
		1,
		b"ipfs://data".to_vec(),
		[0; 32],
		origin,
		false,
		None
	));
	id
}

fn dataset(n: u32) -> DatasetId {
	register(n, DatasetOrigin::Human)
}

fn derived(n: u32, parent: DatasetId) -> DatasetId {
	register(n, DatasetOrigin::Derived { parents: vec![parent], transform_hash: [0; 32] })
}

fn version(n: u32, previous: DatasetId) -> DatasetId {
	let id = pallet_datasets::NextDatasetId::<Test>::get();
	assert_ok!(Datasets::register_version(
		signed(LAB),
		previous,
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

fn checkpoint(n: u32, datasets: Vec<DatasetId>) -> CheckpointId {
	let id = pallet_checkpoints::NextCheckpointId::<Test>::get();
	assert_ok!(Checkpoints::register(
		signed(LAB),
		hash(10_000 + n),
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

const REWARD: u64 = 300;
const ACCURACY: &[u8] = b"accuracy";

fn try_declare(
	checkpoint: CheckpointId,
	dataset: DatasetId,
	metric: &[u8],
	score: u64,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Evaluations::declare_evaluation(
		signed(LAB),
		checkpoint,
		dataset,
		hash(1),
		hash(2),
		metric.to_vec(),
		score,
		REWARD,
		System::block_number() + 20,
	)
}

fn declare(checkpoint: CheckpointId, dataset: DatasetId, score: u64) -> EvaluationId {
	let id = NextEvaluationId::<Test>::get();
	assert_ok!(try_declare(checkpoint, dataset, ACCURACY, score));
	id
}

fn evaluation(id: EvaluationId) -> EvaluationOf<Test> {
	Records::<Test>::get(id).expect("evaluation exists")
}

fn bond_attesters() {
	for who in [ATTESTER_A, ATTESTER_B, ATTESTER_C] {
		assert_ok!(pallet_attestations::Pallet::<Test>::bond(signed(who), 1_000));
	}
}

/// The three attesters re-run evaluation `id` and find its declared result (or not), and the
/// run settles.
fn attest(ids: &[EvaluationId], reproduced: bool) {
	let runs: Vec<_> = ids.iter().map(|id| evaluation(*id)).collect();
	let statement_of = |e: &EvaluationOf<Test>| Statement {
		verdict: if reproduced { Verdict::Valid } else { Verdict::Invalid },
		output_hash: evaluation_result_digest(
			e.checkpoint,
			e.dataset,
			&e.harness_hash,
			&e.environment_hash,
			&e.metric,
			e.score,
		),
		report_hash: [7; 32],
	};
	for e in &runs {
		for who in [ATTESTER_A, ATTESTER_B, ATTESTER_C] {
			let commitment = commitment_of(e.run, &who, &statement_of(e), &[who as u8; 32]);
			assert_ok!(Attestations::commit_verdict(signed(who), e.run, commitment));
		}
	}
	let last = runs
		.iter()
		.map(|e| pallet_attestations::Runs::<Test>::get(e.run).unwrap())
		.fold((0, 0), |(commit_end, deadline), run| {
			(commit_end.max(run.commit_end), deadline.max(run.deadline))
		});
	run_to(last.0 + 1);
	for e in &runs {
		for who in [ATTESTER_A, ATTESTER_B, ATTESTER_C] {
			assert_ok!(Attestations::reveal_verdict(
				signed(who),
				e.run,
				statement_of(e),
				[who as u8; 32]
			));
		}
	}
	run_to(last.1 + 11);
	for e in &runs {
		assert!(matches!(
			pallet_attestations::Runs::<Test>::get(e.run).unwrap().status,
			RunStatus::Decided { .. }
		));
		assert_ok!(Attestations::settle_run(signed(LAB), e.run));
	}
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Evaluations(e) => Some(e),
			_ => None,
		})
		.collect()
}

// --- evaluations ---

#[test]
fn an_evaluation_is_attested_through_a_run_and_enters_the_leaderboard() {
	new_test_ext(|| {
		bond_attesters();
		let model = checkpoint(1, vec![dataset(1)]);
		let benchmark = dataset(2);
		let id = declare(model, benchmark, 870_000);
		let declared = evaluation(id);
		assert_eq!(declared.status, EvaluationStatus::Pending);
		assert_eq!(declared.contamination, Contamination::Clean);
		assert_eq!(
			pallet_attestations::Runs::<Test>::get(declared.run).unwrap().claim,
			pallet_attestations::Claim::Evaluation(id),
			"the run carries the evaluation"
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::EvaluationDeposit.into(), &LAB),
			declared.deposit
		);
		assert!(events().contains(&Event::EvaluationDeclared {
			evaluation: id,
			declarer: LAB,
			checkpoint: model,
			dataset: benchmark,
			metric: ACCURACY.to_vec().try_into().unwrap(),
			score: 870_000,
			contamination: Contamination::Clean,
			run: declared.run,
			harness_hash: declared.harness_hash,
			environment_hash: declared.environment_hash,
			deposit: declared.deposit,
		}));

		attest(&[id], true);
		assert_eq!(evaluation(id).status, EvaluationStatus::Attested);
		assert!(events().contains(&Event::EvaluationAttested {
			evaluation: id,
			checkpoint: model,
			dataset: benchmark,
			score: 870_000,
			contamination: Contamination::Clean,
			rank: Some(0),
			evicted: None,
		}));
		assert_eq!(Evaluations::leaderboard(benchmark, ACCURACY), vec![(id, evaluation(id))]);
		assert_eq!(
			Evaluations::evaluations_of_checkpoint(model, None, 10),
			vec![(id, evaluation(id))]
		);
		assert!(Evaluations::leaderboard(benchmark, b"f1").is_empty(), "per metric");
	});
}

#[test]
fn a_rejected_evaluation_stays_off_the_leaderboard() {
	new_test_ext(|| {
		bond_attesters();
		let model = checkpoint(1, vec![dataset(1)]);
		let benchmark = dataset(2);
		let id = declare(model, benchmark, 990_000);
		attest(&[id], false);
		assert_eq!(evaluation(id).status, EvaluationStatus::Rejected);
		assert!(Evaluations::leaderboard(benchmark, ACCURACY).is_empty());
		assert!(events().contains(&Event::EvaluationRejected {
			evaluation: id,
			checkpoint: model,
			contamination: Contamination::Clean,
		}));
		assert_eq!(
			Evaluations::evaluations_on_dataset(benchmark, None, 10),
			vec![(id, evaluation(id))],
			"still on record"
		);
	});
}

#[test]
fn the_leaderboard_keeps_the_best_scores_in_order() {
	new_test_ext(|| {
		bond_attesters();
		let benchmark = dataset(100);
		let scores = [500_000, 900_000, 700_000, 900_000, 100_000];
		let ids: Vec<_> = scores
			.iter()
			.enumerate()
			.map(|(i, score)| {
				declare(checkpoint(i as u32, vec![dataset(i as u32)]), benchmark, *score)
			})
			.collect();
		attest(&ids, true);
		let board: Vec<_> = Evaluations::leaderboard(benchmark, ACCURACY)
			.into_iter()
			.map(|(id, e)| (id, e.score))
			.collect();
		// MaxLeaderboardLen is 3; equal scores keep the order they were attested in.
		assert_eq!(board, vec![(ids[1], 900_000), (ids[3], 900_000), (ids[2], 700_000)]);
		// Explorers rebuild the board from the events: each entry's place, and what a full
		// board dropped for it.
		let placed: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::EvaluationAttested { evaluation, rank, evicted, .. } => {
					Some((evaluation, rank, evicted))
				},
				_ => None,
			})
			.collect();
		assert_eq!(
			placed,
			vec![
				(ids[0], Some(0), None),
				(ids[1], Some(0), None),
				(ids[2], Some(1), None),
				(ids[3], Some(1), Some(ids[0])),
				(ids[4], None, None),
			]
		);
	});
}

#[test]
fn contamination_is_found_through_a_derived_dataset_two_hops_away() {
	new_test_ext(|| {
		bond_attesters();
		let benchmark = dataset(1);
		let filtered = derived(2, benchmark);
		let deduplicated = derived(3, filtered);
		let model = checkpoint(1, vec![dataset(4), deduplicated]);
		let id = declare(model, benchmark, 950_000);
		let contaminated = Contamination::Contaminated { found: benchmark };
		assert_eq!(evaluation(id).contamination, contaminated);
		assert!(matches!(
			events().last(),
			Some(Event::EvaluationDeclared { contamination, .. }) if *contamination == contaminated
		));
		attest(&[id], true);
		assert!(events().iter().any(|e| matches!(
			e,
			Event::EvaluationAttested { contamination, .. } if *contamination == contaminated
		)));
		assert!(
			Evaluations::leaderboard(benchmark, ACCURACY).is_empty(),
			"never ranked among clean scores"
		);
		assert_eq!(
			Evaluations::flagged_leaderboard(benchmark, ACCURACY)[0].1.contamination,
			contaminated,
			"ranked apart, with its flag"
		);
	});
}

#[test]
fn contamination_is_found_through_another_version_of_the_benchmark() {
	new_test_ext(|| {
		bond_attesters();
		let first = dataset(1);
		let second = version(2, first);
		let third = version(3, second);
		let model = checkpoint(1, vec![first]);
		let later_model = checkpoint(2, vec![third]);
		let id = declare(model, third, 1);
		assert_eq!(evaluation(id).contamination, Contamination::Contaminated { found: first });
		let id = declare(later_model, first, 1);
		assert_eq!(evaluation(id).contamination, Contamination::Contaminated { found: third });
		let clean = declare(checkpoint(3, vec![dataset(9)]), second, 1);
		assert_eq!(evaluation(clean).contamination, Contamination::Clean);
	});
}

/// Found by an attacker's review: the search forward from the oldest version never went past
/// the versions the walk back had found, so a model trained on a later version, or on another
/// branch of the same tree, scored clean on a middle version.
#[test]
fn contamination_is_found_through_versions_after_and_beside_a_middle_version() {
	new_test_ext(|| {
		bond_attesters();
		let first = dataset(1);
		let second = version(2, first);
		let third = version(3, second);
		let branch = version(4, second);
		let trained_on_later = declare(checkpoint(1, vec![third]), second, 1);
		assert_eq!(
			evaluation(trained_on_later).contamination,
			Contamination::Contaminated { found: third }
		);
		let trained_on_branch = declare(checkpoint(2, vec![branch]), third, 1);
		assert_eq!(
			evaluation(trained_on_branch).contamination,
			Contamination::Contaminated { found: branch }
		);
		assert_eq!(
			Evaluations::version_family(second),
			(BTreeSet::from([first, second, third, branch]), true)
		);
	});
}

#[test]
fn a_version_family_too_large_to_search_is_not_called_clean() {
	new_test_ext(|| {
		bond_attesters();
		// MaxVersionFamily is 8: nine versions.
		let mut latest = dataset(1);
		for n in 2..=9 {
			latest = version(n, latest);
		}
		let id = declare(checkpoint(1, vec![dataset(50)]), latest, 1);
		assert_eq!(evaluation(id).contamination, Contamination::Unknown);
	});
}

#[test]
fn bad_evaluations_are_refused_and_change_nothing() {
	new_test_ext(|| {
		bond_attesters();
		let model = checkpoint(1, vec![dataset(1)]);
		let benchmark = dataset(2);
		let revoked = dataset(3);
		assert_ok!(Datasets::revoke(signed(LAB), revoked, RevocationReason::ConsentWithdrawn));
		assert_noop!(
			try_declare(model, benchmark, ACCURACY, 1_000_001),
			Error::<Test>::ScoreOutOfRange
		);
		assert_noop!(try_declare(99, benchmark, ACCURACY, 1), Error::<Test>::UnknownCheckpoint);
		assert_noop!(try_declare(model, 99, ACCURACY, 1), Error::<Test>::UnknownDataset);
		assert_noop!(try_declare(model, revoked, ACCURACY, 1), Error::<Test>::DatasetRevoked);
		assert_noop!(try_declare(model, benchmark, b"", 1), Error::<Test>::EmptyMetric);
		assert_noop!(try_declare(model, benchmark, &[b'a'; 17], 1), Error::<Test>::MetricTooLong);
		assert_noop!(
			Evaluations::declare_evaluation(
				signed(LAB),
				model,
				benchmark,
				hash(1),
				hash(2),
				ACCURACY.to_vec(),
				1,
				0,
				System::block_number() + 20
			),
			pallet_attestations::Error::<Test>::ZeroReward
		);
		assert_eq!(NextEvaluationId::<Test>::get(), 0);
	});
}

// --- deployments ---

const ENDPOINT: Hash = [0xE1; 32];

fn deploy(operator: u64, checkpoint: CheckpointId, endpoint: Hash) -> DeploymentId {
	let id = NextDeploymentId::<Test>::get();
	assert_ok!(Evaluations::deploy(signed(operator), checkpoint, endpoint));
	id
}

fn served(operator: u64, at: u64) -> Option<DeploymentId> {
	Evaluations::served_at(ENDPOINT, &operator, at).map(|(id, _)| id)
}

#[test]
fn an_endpoint_answers_what_served_there_at_any_block() {
	new_test_ext(|| {
		let (first, second) = (checkpoint(1, vec![dataset(1)]), checkpoint(2, vec![dataset(2)]));
		run_to(10);
		let a = deploy(OPERATOR, first, ENDPOINT);
		run_to(20);
		// The operator swaps the model: the first deployment ends where the second starts.
		let b = deploy(OPERATOR, second, ENDPOINT);
		assert!(events().contains(&Event::DeploymentEnded {
			deployment: a,
			checkpoint: first,
			endpoint: ENDPOINT,
			until: 20
		}));
		assert!(
			matches!(events().last(), Some(Event::Deployed { replaced: Some(r), .. }) if *r == a)
		);
		run_to(30);
		assert_ok!(Evaluations::end_deployment(signed(OPERATOR), b));
		run_to(40);
		let c = deploy(OPERATOR, first, ENDPOINT);
		assert_eq!(
			[9, 10, 19, 20, 29, 30, 39, 40, 50].map(|at| served(OPERATOR, at)),
			[None, Some(a), Some(a), Some(b), Some(b), None, None, Some(c), Some(c)]
		);
		assert_eq!(
			Evaluations::deployments_at(ENDPOINT, &OPERATOR, 0, 10)
				.into_iter()
				.map(|(id, _)| id)
				.collect::<Vec<_>>(),
			vec![a, b, c]
		);
		assert_eq!(
			Evaluations::deployments_at(ENDPOINT, &OPERATOR, 1, 1)
				.into_iter()
				.map(|(id, _)| id)
				.collect::<Vec<_>>(),
			vec![b]
		);
		// Another operator's claims at the same endpoint are its own history.
		let d = deploy(OTHER_OPERATOR, second, ENDPOINT);
		assert_eq!(served(OTHER_OPERATOR, 50), Some(d));
		assert_eq!(served(OPERATOR, 50), Some(c));
		let mut of_first: Vec<_> = Evaluations::deployments_of_checkpoint(first, None, 10)
			.into_iter()
			.map(|(id, view)| (id, view.deployment.until))
			.collect();
		of_first.sort();
		assert_eq!(of_first, vec![(a, Some(20)), (c, None)]);
	});
}

#[test]
fn bad_deployments_are_refused_and_change_nothing() {
	new_test_ext(|| {
		let model = checkpoint(1, vec![dataset(1)]);
		let other = checkpoint(2, vec![dataset(2)]);
		assert_noop!(
			Evaluations::deploy(signed(OPERATOR), 99, ENDPOINT),
			Error::<Test>::UnknownCheckpoint
		);
		let live = deploy(OPERATOR, model, ENDPOINT);
		assert_noop!(
			Evaluations::deploy(signed(OPERATOR), model, ENDPOINT),
			Error::<Test>::AlreadyDeployed
		);
		assert_noop!(
			Evaluations::end_deployment(signed(OTHER_OPERATOR), live),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			Evaluations::end_deployment(signed(OPERATOR), 7),
			Error::<Test>::UnknownDeployment
		);
		assert_ok!(Evaluations::end_deployment(signed(OPERATOR), live));
		assert_noop!(
			Evaluations::end_deployment(signed(OPERATOR), live),
			Error::<Test>::AlreadyEnded
		);
		// MaxLiveDeployments is 2 per checkpoint and operator.
		deploy(OPERATOR, model, [1; 32]);
		deploy(OPERATOR, model, [2; 32]);
		assert_noop!(
			Evaluations::deploy(signed(OPERATOR), model, [3; 32]),
			Error::<Test>::TooManyLiveDeployments
		);
		deploy(OPERATOR, other, ENDPOINT);
	});
}

#[test]
fn a_checkpoint_turning_tainted_warns_each_of_its_live_deployments() {
	new_test_ext(|| {
		let data = dataset(1);
		let model = checkpoint(1, vec![data]);
		let ended = deploy(OTHER_OPERATOR, model, [0xE3; 32]);
		assert_ok!(Evaluations::end_deployment(signed(OTHER_OPERATOR), ended));
		let first = deploy(OPERATOR, model, ENDPOINT);
		let second = deploy(OTHER_OPERATOR, model, [0xE2; 32]);
		assert!(!Evaluations::deployment(first).unwrap().tainted);

		assert_ok!(Datasets::revoke(signed(LAB), data, RevocationReason::ConsentWithdrawn));
		run_to(5);
		let mut warned: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::DeployedModelTainted { deployment, operator, checkpoint, .. } => {
					Some((deployment, operator, checkpoint))
				},
				_ => None,
			})
			.collect();
		warned.sort();
		assert_eq!(warned, vec![(first, OPERATOR, model), (second, OTHER_OPERATOR, model)]);
		assert!(Evaluations::deployment(first).unwrap().tainted, "queries show the taint");
		let (serving, view) = Evaluations::served_at(ENDPOINT, &OPERATOR, 5).expect("serves");
		assert!(serving == first && view.tainted, "what served shows the taint");
		assert!(Evaluations::deployment(ended).unwrap().tainted, "its history shows it too");

		// A later deployment of the tainted model is recorded, and says so.
		assert_ok!(Evaluations::end_deployment(signed(OTHER_OPERATOR), second));
		let later = deploy(OPERATOR, model, [0xE4; 32]);
		assert!(matches!(
			events().last(),
			Some(Event::Deployed { deployment, tainted: true, .. }) if *deployment == later
		));
	});
}

// --- attacks ---

/// A stranger deployed the lab's checkpoint up to `MaxLiveDeployments` and the lab's own
/// operator could not deploy it at all.
#[test]
fn a_stranger_cannot_use_up_a_checkpoints_deployments() {
	new_test_ext(|| {
		let model = checkpoint(1, vec![dataset(1)]);
		deploy(OTHER_OPERATOR, model, [1; 32]);
		deploy(OTHER_OPERATOR, model, [2; 32]);
		assert_ok!(Evaluations::deploy(signed(OPERATOR), model, ENDPOINT));
	});
}

/// Swapping two models back and forth filled an endpoint's history for good.
#[test]
fn swapping_models_cannot_fill_an_endpoint_history() {
	new_test_ext(|| {
		let (first, second) = (checkpoint(1, vec![dataset(1)]), checkpoint(2, vec![dataset(2)]));
		for round in 0..6u64 {
			run_to(10 + round);
			let model = if round % 2 == 0 { first } else { second };
			assert_ok!(Evaluations::deploy(signed(OPERATOR), model, ENDPOINT));
		}
	});
}

/// Endpoints were first come, first served: whoever deployed at another operator's endpoint
/// first kept it from that operator.
#[test]
fn a_squatter_cannot_block_an_endpoint() {
	new_test_ext(|| {
		let model = checkpoint(1, vec![dataset(1)]);
		deploy(OTHER_OPERATOR, model, ENDPOINT);
		assert_ok!(Evaluations::deploy(signed(OPERATOR), model, ENDPOINT));
	});
}
