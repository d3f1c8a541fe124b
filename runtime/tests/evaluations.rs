//! The evaluations pallet in the runtime, driven by signed transactions: a lab's model is
//! evaluated on a benchmark its training data was derived from two hops away (contaminated),
//! attesters re-run the evaluation through the attestations pallet's run and the score is
//! attested onto the leaderboard with its flag; the model is deployed at two endpoints and a
//! revocation upstream warns both.

use crate::common::{genesis_of, register_dataset, Signer};
use codec::Encode;
use frame_support::traits::Hooks;
use pallet_attestations::{commitment_of, Outcome, RunStatus, Statement, Verdict};
use pallet_datasets::DatasetOrigin;
use pallet_evaluations::{Contamination, EvaluationStatus};
use provenance_primitives::evaluation_result_digest;
use provenance_runtime::{
	Checkpoints, Evaluations, Runtime, RuntimeCall, RuntimeEvent, System, UNIT,
};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Ferdie};

fn salt(who: Sr25519Keyring) -> [u8; 32] {
	sp_io::hashing::blake2_256(&who.to_account_id().encode())
}

#[test]
fn a_contaminated_score_is_attested_with_its_flag_and_deployments_hear_of_taint() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let attesters = [Bob, Charlie, Dave];
		for who in attesters {
			signer.apply(
				who,
				RuntimeCall::Attestations(pallet_attestations::Call::bond { amount: 1_000 * UNIT }),
			);
		}
		let benchmark = register_dataset(&mut signer, 1, DatasetOrigin::Human);
		let filtered = register_dataset(
			&mut signer,
			2,
			DatasetOrigin::Derived { parents: vec![benchmark], transform_hash: [0; 32] },
		);
		let mixed = register_dataset(
			&mut signer,
			3,
			DatasetOrigin::Derived { parents: vec![filtered], transform_hash: [0; 32] },
		);
		signer.apply(
			Alice,
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::register {
				weights_hash: [9; 32],
				parents: vec![],
				datasets: vec![mixed],
				excludes: vec![],
				uri: b"hf://lab/model".to_vec(),
				metadata_hash: [0; 32],
				commercial: false,
				max_stack_bps: None,
			}),
		);
		// The longest run the chain's parameters allow.
		let deadline = 1 + pallet_attestations::Parameters::<provenance_runtime::Runtime>::get()
			.runs
			.max_run_duration;
		signer.apply(
			Ferdie,
			RuntimeCall::Evaluations(pallet_evaluations::Call::declare_evaluation {
				checkpoint: 0,
				dataset: benchmark,
				harness_hash: [4; 32],
				environment_hash: [5; 32],
				metric: b"accuracy".to_vec(),
				score: 912_000,
				reward: 30 * UNIT,
				deadline,
			}),
		);
		let evaluation = Evaluations::evaluation(0).expect("declared");
		assert_eq!(evaluation.contamination, Contamination::Contaminated { found: benchmark });

		let statement = Statement {
			verdict: Verdict::Valid,
			output_hash: evaluation_result_digest(
				0,
				benchmark,
				&[4; 32],
				&[5; 32],
				b"accuracy",
				912_000,
			),
			report_hash: [6; 32],
		};
		let run = evaluation.run;
		for who in attesters {
			let commitment = commitment_of(run, &who.to_account_id(), &statement, &salt(who));
			signer.apply(
				who,
				RuntimeCall::Attestations(pallet_attestations::Call::commit_verdict {
					run,
					commitment,
				}),
			);
		}
		let record = pallet_attestations::Runs::<Runtime>::get(run).unwrap();
		System::set_block_number(record.commit_end + 1);
		for who in attesters {
			signer.apply(
				who,
				RuntimeCall::Attestations(pallet_attestations::Call::reveal_verdict {
					run,
					statement,
					salt: salt(who),
				}),
			);
		}
		let RunStatus::Decided { outcome: Outcome::Attested, window_end } =
			pallet_attestations::Runs::<Runtime>::get(run).unwrap().status
		else {
			panic!("three of three attesters decide the run");
		};
		System::set_block_number(window_end + 1);
		signer.apply(Bob, RuntimeCall::Attestations(pallet_attestations::Call::settle_run { run }));
		assert_eq!(Evaluations::evaluation(0).unwrap().status, EvaluationStatus::Attested);
		// A contaminated score is ranked apart, never among the clean ones.
		assert!(Evaluations::leaderboard(benchmark, b"accuracy").is_empty());
		let board = Evaluations::flagged_leaderboard(benchmark, b"accuracy");
		assert_eq!(board.len(), 1);
		assert_eq!(board[0].1.contamination, Contamination::Contaminated { found: benchmark });

		// Two operators serve the model; the benchmark's owner withdraws consent upstream.
		for (who, endpoint) in [(Charlie, [0xE1; 32]), (Dave, [0xE2; 32])] {
			signer.apply(
				who,
				RuntimeCall::Evaluations(pallet_evaluations::Call::deploy {
					checkpoint: 0,
					endpoint,
				}),
			);
		}
		signer.apply(
			Alice,
			RuntimeCall::Datasets(pallet_datasets::Call::revoke {
				id: benchmark,
				reason: pallet_datasets::RevocationReason::ConsentWithdrawn,
			}),
		);
		System::reset_events();
		for _ in 0..5 {
			Checkpoints::on_idle(System::block_number(), frame_support::weights::Weight::MAX);
		}
		let warned = System::events()
			.into_iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::Evaluations(
						pallet_evaluations::Event::DeployedModelTainted { .. }
					)
				)
			})
			.count();
		assert_eq!(warned, 2, "each live deployment is warned");
		assert!(
			Evaluations::served_at([0xE1; 32], &Charlie.to_account_id(), System::block_number())
				.unwrap()
				.1
				.tainted
		);
		Evaluations::do_try_state().unwrap();
		pallet_attestations::Pallet::<Runtime>::do_try_state().unwrap();
	});
}
