//! What the runtime integration tests share: a chain at the genesis of a preset, built the
//! way a node builds it (by the wasm runtime's genesis builder API), and a block to apply
//! transactions in.

use provenance_runtime::{Executive, Header, System, WASM_BINARY};
use sc_chain_spec::GenesisConfigBuilderRuntimeCaller;
use sp_runtime::traits::Header as _;

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
