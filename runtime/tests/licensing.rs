//! Licenses and royalties in the runtime, driven by signed transactions: the standard terms
//! of the genesis, a lab buying a license to train a commercial model, share-alike terms
//! passing to the model, payments to the model paying the dataset's royalty, and claims.

use crate::common::{genesis_of, Signer};
use frame_support::traits::fungible::Inspect;
use pallet_datasets::DatasetOrigin;
use pallet_licenses::{Derivatives, Policy, TermsSpec};
use pallet_royalties::{StackEntry, Totals};
use provenance_primitives::AssetRef;
use provenance_runtime::{
	genesis_config_presets::standard_terms_spdx, Balances, Licenses, Royalties, Runtime,
	RuntimeCall, UNIT,
};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie};
use sp_runtime::DispatchError;

/// Terms ids of the genesis: CC-BY-4.0, CC-BY-SA-4.0, CC-BY-NC-4.0, ...
const CC_BY_SA: u32 = 1;
const CC_BY_NC: u32 = 2;

fn register_dataset(signer: &mut Signer, who: Sr25519Keyring, seed: u8) -> u64 {
	let id = pallet_datasets::NextDatasetId::<Runtime>::get();
	signer.apply(
		who,
		RuntimeCall::Datasets(pallet_datasets::Call::register {
			root: [seed; 32],
			record_count: 1_000,
			byte_size: 1 << 20,
			uri: b"hf://datasets/lab/corpus".to_vec(),
			metadata_hash: [0; 32],
			data_origin: DatasetOrigin::Human,
			commercial: false,
			max_stack_bps: None,
		}),
	);
	id
}

fn register_checkpoint(
	signer: &mut Signer,
	who: Sr25519Keyring,
	seed: u8,
	datasets: Vec<u64>,
	commercial: bool,
) -> Result<u64, DispatchError> {
	let id = pallet_checkpoints::NextCheckpointId::<Runtime>::get();
	signer
		.try_apply(
			who,
			RuntimeCall::Checkpoints(pallet_checkpoints::Call::register {
				weights_hash: [seed; 32],
				parents: vec![],
				datasets,
				excludes: vec![],
				uri: b"hf://lab/model".to_vec(),
				metadata_hash: [0; 32],
				commercial,
				max_stack_bps: None,
			}),
		)
		.map(|()| id)
}

fn licenses(call: pallet_licenses::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Licenses(call)
}

fn royalties(call: pallet_royalties::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Royalties(call)
}

fn licenses_error(error: pallet_licenses::Error<Runtime>) -> Result<u64, DispatchError> {
	Err(error.into())
}

#[test]
fn the_genesis_holds_the_standard_terms_with_the_hashes_of_their_texts() {
	genesis_of("development").execute_with(|| {
		let spdx: Vec<_> = standard_terms_spdx().collect();
		assert_eq!(pallet_licenses::NextTermsId::<Runtime>::get(), spdx.len() as u32);
		for (id, name) in spdx.iter().enumerate() {
			let terms = pallet_licenses::AllTerms::<Runtime>::get(id as u32).expect("terms exist");
			let path = format!("{}/../docs/terms/{name}.txt", env!("CARGO_MANIFEST_DIR"));
			let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
			assert_eq!(terms.spec.terms_hash, sp_io::hashing::sha2_256(&text), "{name}");
			assert_eq!(terms.author, None);
		}
		let share_alike = pallet_licenses::AllTerms::<Runtime>::get(CC_BY_SA).unwrap();
		assert_eq!(share_alike.spec.derivatives, Derivatives::ShareAlike);
		assert!(!pallet_licenses::AllTerms::<Runtime>::get(CC_BY_NC).unwrap().spec.commercial_use);
	});
}

#[test]
fn a_lab_licenses_data_for_a_commercial_model_and_its_income_pays_the_data_up_the_lineage() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());

		// Alice publishes a corpus under her own terms: 10 PROV a grant, 10% upstream royalty.
		let corpus = register_dataset(&mut signer, Alice, 1);
		let terms = pallet_licenses::NextTermsId::<Runtime>::get();
		signer.apply(
			Alice,
			licenses(pallet_licenses::Call::create_terms {
				spec: TermsSpec {
					commercial_use: true,
					derivatives: Derivatives::Allowed,
					attribution: true,
					fee: 10 * UNIT,
					upstream_royalty_bps: 1_000,
					duration: None,
					terms_hash: [7; 32],
				},
				uri: b"https://lab.example/terms/corpus".to_vec(),
			}),
		);
		signer.apply(
			Alice,
			licenses(pallet_licenses::Call::set_license {
				asset: AssetRef::Dataset(corpus),
				terms,
				policy: Policy::Licensed,
			}),
		);

		// Bob cannot train on it without a grant; with one he can, and the fee is Alice's.
		assert_eq!(
			register_checkpoint(&mut signer, Bob, 1, vec![corpus], true),
			licenses_error(pallet_licenses::Error::NoLiveGrant)
		);
		signer.apply(
			Bob,
			licenses(pallet_licenses::Call::acquire_license {
				asset: AssetRef::Dataset(corpus),
				terms,
				max_fee: 10 * UNIT,
			}),
		);
		assert_eq!(
			pallet_royalties::Claimable::<Runtime>::get(&alice, AssetRef::Dataset(corpus))
				.map(|owed| owed.amount),
			Some(10 * UNIT)
		);
		let model = register_checkpoint(&mut signer, Bob, 1, vec![corpus], true).unwrap();
		assert_eq!(
			Royalties::royalties_of(AssetRef::Checkpoint(model)).unwrap().stack.into_inner(),
			vec![StackEntry { ancestor: AssetRef::Dataset(corpus), bps: 1_000, depth: 1 }]
		);

		// Charlie pays for using the model: 10% goes up to the corpus.
		signer.apply(
			Charlie,
			royalties(pallet_royalties::Call::pay {
				asset: AssetRef::Checkpoint(model),
				amount: 100 * UNIT,
			}),
		);
		assert_eq!(
			Royalties::claimable_page(alice.clone(), None, 10),
			vec![(AssetRef::Dataset(corpus), 20 * UNIT)]
		);
		assert_eq!(
			Royalties::claimable_page(bob.clone(), None, 10),
			vec![(AssetRef::Checkpoint(model), 90 * UNIT)]
		);
		assert_eq!(
			Royalties::royalties_of(AssetRef::Dataset(corpus)).unwrap().totals,
			Totals { paid_in: 10 * UNIT, royalties_in: 10 * UNIT, royalties_out: 0 }
		);

		let before = Balances::balance(&alice);
		signer.apply(
			Alice,
			royalties(pallet_royalties::Call::claim { asset: AssetRef::Dataset(corpus) }),
		);
		let fee_paid = before + 20 * UNIT - Balances::balance(&alice);
		assert!(fee_paid < UNIT / 100, "Alice got her 20 PROV less a fee of {fee_paid}");
		assert!(Royalties::claimable_page(alice, None, 10).is_empty());
		Royalties::do_try_state().expect("royalties invariants hold");
		Licenses::do_try_state().expect("licenses invariants hold");
	});
}

#[test]
fn standard_terms_keep_non_commercial_data_out_of_commercial_models_and_pass_share_alike_on() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let non_commercial = register_dataset(&mut signer, Alice, 1);
		let share_alike = register_dataset(&mut signer, Alice, 2);
		for (dataset, terms) in [(non_commercial, CC_BY_NC), (share_alike, CC_BY_SA)] {
			signer.apply(
				Alice,
				licenses(pallet_licenses::Call::set_license {
					asset: AssetRef::Dataset(dataset),
					terms,
					policy: Policy::Open,
				}),
			);
		}

		assert_eq!(
			register_checkpoint(&mut signer, Bob, 1, vec![non_commercial], true),
			licenses_error(pallet_licenses::Error::NotForCommercialUse)
		);
		let research = register_checkpoint(&mut signer, Bob, 1, vec![non_commercial], false);
		assert!(research.is_ok());

		let model = register_checkpoint(&mut signer, Bob, 2, vec![share_alike], true).unwrap();
		assert_eq!(
			pallet_licenses::AssetLicenses::<Runtime>::get(AssetRef::Checkpoint(model)),
			Some(pallet_licenses::AssetLicense { terms: CC_BY_SA, policy: Policy::Licensed })
		);
		assert!(
			!pallet_checkpoints::Records::<Runtime>::get(research.unwrap()).unwrap().commercial
		);
		assert!(pallet_checkpoints::Records::<Runtime>::get(model).unwrap().commercial);
	});
}
