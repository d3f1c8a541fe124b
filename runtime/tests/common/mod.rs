//! What the runtime integration tests share: a chain at the genesis of a preset, built the
//! way a node builds it (by the wasm runtime's genesis builder API), and a block to apply
//! transactions in.

// Each test crate uses a part of this module.
#![allow(dead_code)]

use provenance_runtime::{sign_transaction, Executive, Header, RuntimeCall, System, WASM_BINARY};
use sc_chain_spec::GenesisConfigBuilderRuntimeCaller;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Header as _, DispatchResult};
use std::collections::BTreeMap;

/// The wasm runtime's genesis builder.
pub fn genesis_builder() -> GenesisConfigBuilderRuntimeCaller<'static> {
	GenesisConfigBuilderRuntimeCaller::new(WASM_BINARY.expect("the wasm runtime is built"))
}

/// Externalities holding the genesis state of `preset`, built by the wasm runtime.
pub fn genesis_of(preset: &str) -> sp_io::TestExternalities {
	let storage = genesis_builder()
		.get_storage_for_named_preset(Some(&preset.to_string()))
		.unwrap_or_else(|e| panic!("{preset}: {e}"));
	sp_io::TestExternalities::new(storage)
}

/// Starts block 1 on top of genesis and returns the genesis hash transactions sign against.
pub fn start_block_one() -> sp_core::H256 {
	let genesis_hash = System::block_hash(0);
	let header =
		Header::new(1, Default::default(), Default::default(), genesis_hash, Default::default());
	Executive::initialize_block(&header);
	genesis_hash
}

/// Signs and applies calls with each signer's next nonce.
pub struct Signer {
	pub genesis_hash: sp_core::H256,
	pub nonces: BTreeMap<Sr25519Keyring, u32>,
}

impl Signer {
	/// Starts block 1 and signs against its genesis.
	pub fn at_block_one() -> Self {
		Signer { genesis_hash: start_block_one(), nonces: BTreeMap::new() }
	}

	/// Applies `call` signed by `who` and returns what it dispatched to; the transaction
	/// itself must be valid.
	pub fn try_apply(&mut self, who: Sr25519Keyring, call: RuntimeCall) -> DispatchResult {
		let nonce = self.nonces.entry(who).or_default();
		let xt = sign_transaction(call.clone(), &who.pair(), *nonce, 0, self.genesis_hash);
		*nonce += 1;
		let applied = Executive::apply_extrinsic(xt);
		applied.unwrap_or_else(|e| panic!("{who:?}: {call:?} is invalid: {e:?}"))
	}

	/// Applies `call` signed by `who`; it must succeed.
	pub fn apply(&mut self, who: Sr25519Keyring, call: RuntimeCall) {
		let result = self.try_apply(who, call.clone());
		assert_eq!(result, Ok(()), "{who:?}: {call:?}");
	}
}

/// The fee `who` paid for its last transaction in this block.
pub fn last_fee_paid_by(who: &provenance_runtime::AccountId) -> provenance_runtime::Balance {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			provenance_runtime::RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid {
					who: payer,
					actual_fee,
					..
				},
			) if payer == *who => Some(actual_fee),
			_ => None,
		})
		.unwrap_or_else(|| panic!("{who:?} paid no fee in this block"))
}

/// Alice registers a dataset of `data_origin` with the root `[root; 32]`; returns its id.
pub fn register_dataset(
	signer: &mut Signer,
	root: u8,
	data_origin: pallet_datasets::DatasetOrigin<Vec<u64>>,
) -> u64 {
	let id = pallet_datasets::NextDatasetId::<provenance_runtime::Runtime>::get();
	signer.apply(
		Sr25519Keyring::Alice,
		RuntimeCall::Datasets(pallet_datasets::Call::register {
			root: [root; 32],
			record_count: 1_000,
			byte_size: 100,
			uri: b"hf://datasets/lab/data".to_vec(),
			metadata_hash: [0; 32],
			data_origin,
			commercial: false,
			max_stack_bps: None,
		}),
	);
	id
}

/// Alice registers a base checkpoint with `weights_hash`, trained on `datasets`; returns its id.
pub fn register_checkpoint(signer: &mut Signer, weights_hash: [u8; 32], datasets: Vec<u64>) -> u64 {
	let id = pallet_checkpoints::NextCheckpointId::<provenance_runtime::Runtime>::get();
	signer.apply(
		Sr25519Keyring::Alice,
		RuntimeCall::Checkpoints(pallet_checkpoints::Call::register {
			weights_hash,
			parents: vec![],
			datasets,
			excludes: vec![],
			uri: b"hf://lab/model".to_vec(),
			metadata_hash: [0; 32],
			commercial: false,
			max_stack_bps: None,
		}),
	);
	id
}
