//! The provenance pallets wired into the runtime: a lab anchors a dataset and a model trained
//! on it with signed transactions, the dataset is revoked, `on_idle` carries the taint to the
//! model, and the queries the runtime API serves report it.

mod common;

use common::{genesis_of, start_block_one};
use frame_support::{
	traits::{fungible::InspectHold, Hooks},
	weights::Weight,
};
use pallet_datasets::{DatasetOrigin, RevocationReason};
use provenance_primitives::{
	api::TaintState,
	merkle::{self, NativeSha256},
};
use provenance_runtime::{
	sign_transaction, Balances, Checkpoints, Datasets, Executive, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, System,
};
use sp_keyring::Sr25519Keyring::Alice;

#[test]
fn revoking_a_dataset_taints_the_model_trained_on_it() {
	genesis_of("development").execute_with(|| {
		let genesis_hash = start_block_one();
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
			}),
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::register {
				weights_hash: [3; 32],
				parents: vec![],
				datasets: vec![0],
				excludes: vec![],
				uri: b"hf://lab/model".to_vec(),
				metadata_hash: [4; 32],
			}),
			RuntimeCall::Datasets(pallet_datasets::Call::revoke {
				id: 0,
				reason: RevocationReason::ConsentWithdrawn,
			}),
		];
		for (nonce, call) in calls.into_iter().enumerate() {
			let xt = sign_transaction(call, &Alice.pair(), nonce as u32, genesis_hash);
			assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));
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
		assert_eq!(report.state, TaintState::Tainted { sources: vec![0], truncated: false });
		assert!(!report.propagation_pending);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(pallet_checkpoints::Event::CheckpointTainted {
				checkpoint: 0,
				source: 0
			})));

		let proof = merkle::inclusion_proof::<NativeSha256>(&leaves, 2).unwrap();
		assert_eq!(Datasets::verify_record(0, &leaves[2], 2, &proof), Ok(()));
	});
}

/// The most bytes a record takes in state, with the runtime's bounds: a regression guard for
/// the deposit and state-growth arithmetic in the pallets' docs and the README.
#[test]
fn records_take_bounded_bytes() {
	use codec::MaxEncodedLen;
	assert_eq!(pallet_datasets::DatasetOf::<provenance_runtime::Runtime>::max_encoded_len(), 900);
	assert_eq!(
		pallet_checkpoints::CheckpointOf::<provenance_runtime::Runtime>::max_encoded_len(),
		1_772
	);
	assert_eq!(
		pallet_checkpoints::TaintSetOf::<provenance_runtime::Runtime>::max_encoded_len(),
		2 + 64 * 8 + 1
	);
	assert_eq!(pallet_attestations::RunOf::<provenance_runtime::Runtime>::max_encoded_len(), 917);
	// Status, bonded, 16 unbonding chunks of (balance, block), faults, open challenges.
	assert_eq!(
		pallet_attestations::AttesterOf::<provenance_runtime::Runtime>::max_encoded_len(),
		1 + 16 + 1 + 16 * 20 + 4 + 4
	);
	// Commitment, stake, the revealed statement, the slashed flag.
	assert_eq!(
		pallet_attestations::VoteOf::<provenance_runtime::Runtime>::max_encoded_len(),
		32 + 16 + 1 + 65 + 1
	);
}
