//! The provenance pallets wired into the runtime: a lab anchors a dataset and a model trained
//! on it with signed transactions, the dataset is revoked, `on_idle` carries the taint to the
//! model, and the queries the runtime API serves report it.

use crate::common::{genesis_of, Signer};
use frame_support::{
	traits::{fungible::InspectHold, Hooks},
	weights::Weight,
};
use pallet_checkpoints::{ParentEdge, Relation};
use pallet_datasets::{DatasetOrigin, RevocationReason};
use provenance_primitives::{
	api::TaintState,
	merkle::{self, NativeSha256},
	AssetRef, CompromiseReason, TaintKind, TaintSource,
};
use provenance_runtime::{
	Balances, Checkpoints, Datasets, RuntimeCall, RuntimeEvent, RuntimeHoldReason, System,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob};

#[test]
fn revoking_a_dataset_taints_the_model_trained_on_it() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let leaves: Vec<_> = (0..5)
			.map(|i| merkle::leaf_hash::<NativeSha256>(format!("row {i}").as_bytes()))
			.collect();
		let root = merkle::root::<NativeSha256>(&leaves);
		let calls = [
			RuntimeCall::Datasets(pallet_datasets::Call::register {
				root,
				record_count: 5,
				byte_size: 40,
				uri: b"hf://datasets/lab/corpus".to_vec(),
				metadata_hash: [2; 32],
				data_origin: DatasetOrigin::Human,
				commercial: false,
				max_stack_bps: None,
			}),
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::register {
				weights_hash: [3; 32],
				parents: vec![],
				datasets: vec![0],
				excludes: vec![],
				uri: b"hf://lab/model".to_vec(),
				metadata_hash: [4; 32],
				commercial: false,
				max_stack_bps: None,
			}),
			RuntimeCall::Datasets(pallet_datasets::Call::revoke {
				id: 0,
				reason: RevocationReason::ConsentWithdrawn,
			}),
		];
		for call in calls {
			signer.apply(Alice, call);
		}

		let dataset = pallet_datasets::Records::<provenance_runtime::Runtime>::get(0).unwrap();
		let checkpoint =
			pallet_checkpoints::Records::<provenance_runtime::Runtime>::get(0).unwrap();
		let held = |reason| Balances::balance_on_hold(&reason, &Alice.to_account_id());
		assert_eq!(
			held(RuntimeHoldReason::Datasets(pallet_datasets::HoldReason::DatasetDeposit)),
			dataset.deposit
		);
		assert_eq!(
			held(RuntimeHoldReason::Checkpoints(pallet_checkpoints::HoldReason::CheckpointDeposit)),
			checkpoint.deposit
		);
		assert!(dataset.deposit > provenance_runtime::configs::RecordDepositBase::get());

		assert_eq!(Checkpoints::taint_report(0).unwrap().state, TaintState::Clean);
		Checkpoints::on_idle(1, Weight::from_parts(500_000_000_000, 5 * 1024 * 1024));
		let report = Checkpoints::taint_report(0).unwrap();
		let revoked =
			TaintSource { origin: AssetRef::Dataset(0), kind: TaintKind::ConsentWithdrawn };
		let kinds = vec![TaintKind::ConsentWithdrawn];
		assert_eq!(
			report.state,
			TaintState::Tainted { sources: vec![revoked], kinds, truncated: false }
		);
		assert!(!report.propagation_pending);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(pallet_checkpoints::Event::CheckpointTainted {
				checkpoint: 0,
				source: AssetRef::Dataset(0),
				kind: TaintKind::ConsentWithdrawn,
			})));

		let proof = merkle::inclusion_proof::<NativeSha256>(&leaves, 2).unwrap();
		assert_eq!(Datasets::verify_record(0, &leaves[2], 2, &proof), Ok(()));
	});
}

/// A lab flags its model as backdoored with a signed transaction and the sudo key flags another
/// as tampered: each line is tainted with `ModelCompromised` once `on_idle` runs, a stranger's
/// flag is refused, and the reports name each flag.
#[test]
fn flagged_checkpoints_taint_their_lines_through_on_idle() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let register = |seed: u8, parents: Vec<ParentEdge>| {
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::register {
				weights_hash: [seed; 32],
				parents,
				datasets: vec![],
				excludes: vec![],
				uri: b"hf://lab/model".to_vec(),
				metadata_hash: [4; 32],
				commercial: false,
				max_stack_bps: None,
			})
		};
		let fine_tune = |checkpoint| vec![ParentEdge { checkpoint, relation: Relation::FineTune }];
		let flag = |id, reason| {
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::flag_compromised {
				id,
				reason,
				evidence: [9; 32],
			})
		};
		let force_flag =
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::force_flag_compromised {
				id: 2,
				reason: CompromiseReason::WeightsTampered,
				evidence: [8; 32],
			});
		for call in [
			register(1, vec![]),
			register(2, fine_tune(0)),
			register(3, vec![]),
			register(4, fine_tune(2)),
			flag(0, CompromiseReason::Backdoored),
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(force_flag.clone()) }),
		] {
			signer.apply(Alice, call);
		}
		assert!(signer.try_apply(Bob, flag(1, CompromiseReason::Poisoned)).is_err());
		assert!(signer.try_apply(Bob, force_flag).is_err());

		Checkpoints::on_idle(1, Weight::from_parts(500_000_000_000, 5 * 1024 * 1024));
		for (flagged, descendant, forced) in [(0, 1, false), (2, 3, true)] {
			let source = TaintSource {
				origin: AssetRef::Checkpoint(flagged),
				kind: TaintKind::ModelCompromised,
			};
			let tainted = TaintState::Tainted {
				sources: vec![source],
				kinds: vec![TaintKind::ModelCompromised],
				truncated: false,
			};
			let report = Checkpoints::taint_report(descendant).unwrap();
			assert_eq!((report.state, report.compromised), (tainted, None));
			assert!(!report.propagation_pending);
			let flag = Checkpoints::taint_report(flagged).unwrap().compromised.unwrap();
			assert_eq!(flag.forced, forced);
		}
	});
}

/// The most bytes a record takes in state, with the runtime's bounds: a regression guard for
/// the deposit and state-growth arithmetic in the pallets' docs and the README.
#[test]
fn records_take_bounded_bytes() {
	use codec::MaxEncodedLen;
	assert_eq!(pallet_datasets::DatasetOf::<provenance_runtime::Runtime>::max_encoded_len(), 901);
	assert_eq!(
		pallet_datasets::WithdrawalOf::<provenance_runtime::Runtime>::max_encoded_len(),
		1_096
	);
	assert_eq!(
		pallet_checkpoints::CheckpointOf::<provenance_runtime::Runtime>::max_encoded_len(),
		1_846
	);
	// 64 sources of (asset, kind), the kinds of all of them, whether it was cut.
	assert_eq!(
		pallet_checkpoints::TaintSetOf::<provenance_runtime::Runtime>::max_encoded_len(),
		2 + 64 * 10 + 1 + 5 + 1
	);
	// A training run's claim, the largest kind (one byte tells the kinds apart), and the rules
	// it was declared under: four periods, a count, four shares and two amounts (68 bytes).
	assert_eq!(
		pallet_attestations::RunOf::<provenance_runtime::Runtime>::max_encoded_len(),
		935 + 4 * 4 + 4 + 4 * 4 + 2 * 16
	);
	// Declarer, checkpoint, dataset, harness and environment hashes, a 64-byte metric, score,
	// contamination, run, status, declared at, deposit (a length of 64 takes 2 bytes).
	assert_eq!(
		pallet_evaluations::EvaluationOf::<provenance_runtime::Runtime>::max_encoded_len(),
		32 + 8 + 8 + 64 + (2 + 64) + 8 + (1 + 8) + 8 + 1 + 4 + 16
	);
	// Operator, checkpoint, endpoint, from, until, deposit.
	assert_eq!(
		pallet_evaluations::DeploymentOf::<provenance_runtime::Runtime>::max_encoded_len(),
		32 + 8 + 32 + 4 + (1 + 4) + 16
	);
	// Status, bonded, 16 unbonding chunks of (balance, block), faults, open challenges,
	// missed runs, active since.
	assert_eq!(
		pallet_attestations::AttesterOf::<provenance_runtime::Runtime>::max_encoded_len(),
		1 + 16 + 1 + 16 * 20 + 4 + 4 + 4 + 4
	);
	// Commitment, stake, the revealed statement, the slashed flag.
	assert_eq!(
		pallet_attestations::VoteOf::<provenance_runtime::Runtime>::max_encoded_len(),
		32 + 16 + 1 + 65 + 1
	);
}

/// The licenses' and royalties' records, likewise.
#[test]
fn license_and_royalty_records_take_bounded_bytes() {
	use codec::MaxEncodedLen;
	type Runtime = provenance_runtime::Runtime;
	// Spec (flags, fee, royalty, duration, text hash), a 512-byte URI, author, deposit.
	assert_eq!(pallet_licenses::TermsOf::<Runtime>::max_encoded_len(), 58 + 514 + 33 + 16);
	// 16 entries of (account, share), the pool with its share, the deposit (account, amount).
	assert_eq!(pallet_royalties::SplitOf::<Runtime>::max_encoded_len(), 1 + 16 * 36 + 13 + 48);
	// 64 entries of (asset, rate, depth).
	assert_eq!(pallet_royalties::StackOf::<Runtime>::max_encoded_len(), 2 + 64 * 15);
	// Asset, spec (root, leaves, total weight, share), accrued, paid, deposit.
	assert_eq!(pallet_royalties::PoolOf::<Runtime>::max_encoded_len(), 9 + 60 + 16 + 16 + 48);
}
