//! A contributor's consent withdrawal in the runtime: filed with a signed transaction and a
//! deposit, swept by the runtime's own hooks at its deadline (the development preset gives 10
//! blocks), the breach taints the model trained on the data and warns the model's deployment,
//! the consent queries report it, and the owner's late answer ends it.

use crate::common::{genesis_of, Signer};
use frame_support::{
	traits::{fungible::InspectHold, OnIdle, OnInitialize},
	weights::Weight,
};
use pallet_datasets::{ConsentReason, ContributorProof, DatasetOrigin, RecordProof, SetMembership};
use provenance_primitives::{
	api::TaintState,
	merkle::{self, NativeSha256},
	traits::TrainingLineage,
	AssetRef, TaintKind, TaintSource,
};
use provenance_runtime::{
	AllPalletsWithSystem, Balances, BlockNumber, Checkpoints, Datasets, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, System,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};

fn datasets(call: pallet_datasets::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Datasets(call)
}

/// Runs the runtime's hooks up to block `n`: the deadline sweep, then propagation.
fn run_to(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(next);
		<AllPalletsWithSystem as OnIdle<BlockNumber>>::on_idle(
			next,
			Weight::from_parts(500_000_000_000, 5 * 1024 * 1024),
		);
	}
}

#[test]
fn an_unanswered_withdrawal_taints_the_model_and_warns_its_deployment_until_the_owner_complies() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let record = merkle::leaf_hash::<NativeSha256>(b"{\"text\":\"an essay\"}");
		let calls = [
			datasets(pallet_datasets::Call::register {
				root: record,
				record_count: 1,
				byte_size: 20,
				uri: b"hf://datasets/lab/essays".to_vec(),
				metadata_hash: [2; 32],
				data_origin: DatasetOrigin::Human,
				commercial: false,
				max_stack_bps: None,
			}),
			datasets(pallet_datasets::Call::set_contributor_root {
				id: 0,
				root: merkle::contributor_leaf::<NativeSha256, _>(&Bob.to_account_id(), &record, 1),
				leaves: 1,
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
		];
		for call in calls {
			signer.apply(Alice, call);
		}
		signer.apply(
			Charlie,
			RuntimeCall::Evaluations(pallet_evaluations::Call::deploy {
				checkpoint: 0,
				endpoint: [0xE0; 32],
			}),
		);
		signer.apply(
			Bob,
			datasets(pallet_datasets::Call::withdraw_consent {
				id: 0,
				contributor: ContributorProof {
					records_root: record,
					records_count: 1,
					index: 0,
					path: vec![],
				},
				records: vec![RecordProof { leaf: record, index: 0, path: vec![] }],
				reason: ConsentReason::NeverConsented,
			}),
		);
		let withdrawal = Datasets::withdrawal(0).expect("filed");
		assert_eq!(withdrawal.deadline, 11, "the development preset's 10-block answer period");
		let held = Balances::balance_on_hold(
			&RuntimeHoldReason::Datasets(pallet_datasets::HoldReason::ConsentDeposit),
			&Bob.to_account_id(),
		);
		assert_eq!(held, withdrawal.deposit);

		run_to(10);
		assert_eq!(Checkpoints::taint_report(0).unwrap().state, TaintState::Clean);
		run_to(11);
		let source =
			TaintSource { origin: AssetRef::Dataset(0), kind: TaintKind::ConsentWithdrawn };
		let tainted = TaintState::Tainted {
			sources: vec![source],
			kinds: vec![TaintKind::ConsentWithdrawn],
			truncated: false,
		};
		assert_eq!(Checkpoints::taint_report(0).unwrap().state, tainted);
		let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		assert!(events.contains(&RuntimeEvent::Datasets(
			pallet_datasets::Event::DatasetNonCompliant { id: 0, since: 11 }
		)));
		assert!(events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Evaluations(pallet_evaluations::Event::DeployedModelTainted {
				checkpoint: 0,
				kinds,
				..
			}) if kinds.to_vec() == vec![TaintKind::ConsentWithdrawn]
		)));
		let model = Datasets::model_consent(Checkpoints::lineage_datasets(0));
		assert_eq!(
			model.datasets.iter().map(|d| (d.dataset, d.unanswered)).collect::<Vec<_>>(),
			vec![(0, 1)]
		);

		// The owner complies late: revokes the record and answers in one batch.
		signer.apply(
			Alice,
			RuntimeCall::Utility(pallet_utility::Call::batch_all {
				calls: vec![
					datasets(pallet_datasets::Call::publish_revocation_set {
						id: 0,
						root: record,
						count: 1,
						proof: vec![],
					}),
					datasets(pallet_datasets::Call::answer_withdrawal {
						withdrawal: 0,
						proofs: vec![SetMembership { index: 0, path: vec![] }],
					}),
				],
			}),
		);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Datasets(pallet_datasets::Event::DatasetCompliant { id: 0 })));
		assert!(Datasets::model_consent(Checkpoints::lineage_datasets(0)).datasets.is_empty());
		Datasets::do_try_state().expect("datasets invariants hold");
	});
}
