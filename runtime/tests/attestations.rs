//! The attestations pallet in the runtime, driven by signed transactions: attesters bond, a
//! lab declares a run, verdicts are committed and revealed, the run is settled and linked to
//! its checkpoint; an equivocation is proven with a real sr25519 signature; the run's training
//! code is reported compromised and the checkpoint it vouches for is tainted by its pipeline.

use crate::common::{genesis_of, last_fee_paid_by, register_dataset, Signer};
use codec::Encode;
use frame_support::traits::{fungible::InspectHold, IntegrityTest};
use pallet_attestations::{
	commitment_of, signed_statement_payload, Fault, Outcome, RunStatus, SignedStatement, Statement,
	Verdict,
};
use provenance_runtime::{
	governance::TreasuryAccount, AllPalletsWithSystem, Attestations, Balances, BlockNumber,
	Runtime, RuntimeCall, RuntimeHoldReason, System, UNIT,
};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Dispatchable, MultiSignature};

const OUTPUT: [u8; 32] = [0x0F; 32];

fn attestations(call: pallet_attestations::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Attestations(call)
}

fn statement(verdict: Verdict) -> Statement {
	Statement { verdict, output_hash: OUTPUT, report_hash: [verdict as u8; 32] }
}

fn salt(who: Sr25519Keyring) -> [u8; 32] {
	sp_io::hashing::blake2_256(&who.to_account_id().encode())
}

#[test]
fn the_pallets_configuration_is_consistent() {
	genesis_of("development").execute_with(AllPalletsWithSystem::integrity_test);
}

/// `attesters` bond and attest run 0 (Alice's, on her dataset 0) `Valid` unanimously; returns
/// the end of the run's challenge window.
pub fn attested_run(signer: &mut Signer, attesters: [Sr25519Keyring; 4]) -> BlockNumber {
	for who in attesters {
		signer.apply(who, attestations(pallet_attestations::Call::bond { amount: 1_000 * UNIT }));
	}
	let dataset = register_dataset(signer, 1, pallet_datasets::DatasetOrigin::Human);
	// The longest run the chain's parameters allow.
	let deadline: BlockNumber = 1
		+ pallet_attestations::Parameters::<provenance_runtime::Runtime>::get()
			.runs
			.max_run_duration;
	signer.apply(
		Alice,
		attestations(pallet_attestations::Call::declare_run {
			datasets: vec![dataset],
			base_checkpoints: vec![],
			config_hash: [3; 32],
			code_hash: [4; 32],
			environment_hash: [5; 32],
			statement_digest: [6; 32],
			weights_hash: OUTPUT,
			training_log_root: [7; 32],
			reward: 40 * UNIT,
			deadline,
		}),
	);
	for who in attesters {
		let commitment =
			commitment_of(0, &who.to_account_id(), &statement(Verdict::Valid), &salt(who));
		signer.apply(
			who,
			attestations(pallet_attestations::Call::commit_verdict { run: 0, commitment }),
		);
	}

	let run = pallet_attestations::Runs::<Runtime>::get(0).unwrap();
	System::set_block_number(run.commit_end + 1);
	for who in attesters {
		signer.apply(
			who,
			attestations(pallet_attestations::Call::reveal_verdict {
				run: 0,
				statement: statement(Verdict::Valid),
				salt: salt(who),
			}),
		);
	}
	let RunStatus::Decided { outcome: Outcome::Attested, window_end } =
		pallet_attestations::Runs::<Runtime>::get(0).unwrap().status
	else {
		panic!("four of four attesters decide the run");
	};
	window_end
}

#[test]
fn a_run_is_attested_settled_and_linked_and_an_equivocator_is_slashed() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let window_end = attested_run(&mut signer, [Bob, Charlie, Dave, Eve]);

		// Eve told someone else the run was invalid, and signed it.
		let other = statement(Verdict::Invalid);
		let payload = signed_statement_payload(&signer.genesis_hash, 0, &other);
		let signature: sr25519::Signature = Eve.pair().sign(&payload);
		let treasury_before = Balances::free_balance(TreasuryAccount::get());
		signer.apply(
			Alice,
			attestations(pallet_attestations::Call::report_equivocation {
				run: 0,
				attester: Eve.to_account_id(),
				evidence: SignedStatement {
					statement: other,
					signature: MultiSignature::Sr25519(signature),
				},
			}),
		);
		let slash = pallet_attestations::Slashes::<Runtime>::get(Eve.to_account_id(), 0).unwrap();
		assert_eq!(slash.fault, Fault::Equivocation);
		assert_eq!(slash.slashed, 200 * UNIT, "20% of 1000");
		// Half the slash, and Alice's fee: a block without a known author pays its fees to
		// the treasury whole.
		let fee = last_fee_paid_by(&Alice.to_account_id());
		assert_eq!(
			Balances::free_balance(TreasuryAccount::get()),
			treasury_before + 100 * UNIT + fee
		);
		let stake = |who: Sr25519Keyring| {
			Balances::balance_on_hold(
				&RuntimeHoldReason::Attestations(pallet_attestations::HoldReason::AttesterStake),
				&who.to_account_id(),
			)
		};
		assert_eq!(stake(Eve), 800 * UNIT);

		signer.apply(
			Alice,
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::register {
				weights_hash: OUTPUT,
				parents: vec![],
				datasets: vec![0],
				excludes: vec![],
				uri: b"hf://lab/model".to_vec(),
				metadata_hash: [8; 32],
				commercial: false,
				max_stack_bps: None,
			}),
		);
		System::set_block_number(window_end + 1);
		let bob_before = Balances::free_balance(Bob.to_account_id());
		signer.apply(Bob, attestations(pallet_attestations::Call::settle_run { run: 0 }));
		assert_eq!(
			pallet_attestations::Runs::<Runtime>::get(0).unwrap().status,
			RunStatus::Final { outcome: Outcome::Attested }
		);
		let fee_paid = bob_before + 40 * UNIT / 3 - Balances::free_balance(Bob.to_account_id());
		assert!(fee_paid < UNIT, "Bob got a third of the reward, less a fee");
		assert_eq!(
			pallet_checkpoints::Records::<Runtime>::get(0).unwrap().run,
			Some(0),
			"the checkpoint registered before the run was final is linked"
		);
		assert_eq!(Attestations::votes(0).len(), 4);
		Attestations::do_try_state().unwrap();

		// The run's training code turns out compromised: Ferdie reports it with a bond, root
		// upholds the report, and the checkpoint the run vouches for is tainted by its pipeline.
		assert_eq!(pallet_checkpoints::Pipelines::<Runtime>::get(0), Some(([4; 32], [5; 32])));
		signer.apply(
			Ferdie,
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::report_compromised_pipeline {
				pipeline: [4; 32],
				evidence: [9; 32],
			}),
		);
		let bond = |who: Sr25519Keyring| {
			Balances::balance_on_hold(
				&RuntimeHoldReason::Checkpoints(pallet_checkpoints::HoldReason::PipelineReportBond),
				&who.to_account_id(),
			)
		};
		assert_eq!(bond(Ferdie), 1_000 * UNIT);
		frame_support::assert_ok!(RuntimeCall::Checkpoints(
			pallet_checkpoints::Call::rule_pipeline_report { pipeline: [4; 32], upheld: true }
		)
		.dispatch(provenance_runtime::RuntimeOrigin::root()));
		assert_eq!(bond(Ferdie), 0);
		<provenance_runtime::Checkpoints as frame_support::traits::Hooks<BlockNumber>>::on_idle(
			window_end + 1,
			frame_support::weights::Weight::from_parts(500_000_000_000, 5 * 1024 * 1024),
		);
		let source = provenance_primitives::TaintSource {
			origin: provenance_primitives::AssetRef::Checkpoint(0),
			kind: provenance_primitives::TaintKind::PipelineCompromised,
		};
		assert_eq!(
			provenance_runtime::Checkpoints::taint_report(0).unwrap().state,
			provenance_primitives::api::TaintState::Tainted {
				sources: vec![source],
				kinds: vec![source.kind],
				truncated: false,
			}
		);
	});
}
