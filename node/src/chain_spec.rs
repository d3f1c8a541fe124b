//! The chain specifications the node knows by name; any other is read from a file.

use provenance_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::ChainType;

/// A chain spec of this runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The properties wallets and explorers read: token symbol, decimals and address format.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The wasm runtime was not built (SKIP_WASM_BUILD set?); build without it.".to_string()
	})
}

/// `--dev`: one validator (Alice), from the runtime's `development` preset.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Provenance Development")
		.with_id("provenance_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain local`: two validators (Alice, Bob), from the runtime's `local_testnet` preset.
/// chain-specs/local-testnet.json is this spec in raw form.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Provenance Local Testnet")
		.with_id("provenance_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain live`: the live network's genesis, from the runtime's `live` preset: the founders'
/// validators, council and dispute panel, and no sudo key.
pub fn live_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Provenance")
		.with_id("provenance")
		.with_chain_type(ChainType::Live)
		.with_genesis_config_preset_name(provenance_runtime::genesis_config_presets::LIVE_PRESET)
		.with_properties(properties())
		.build())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sc_executor_common::runtime_blob::RuntimeBlob;

	/// The node is compiled with the runtime's benchmarks and try-runtime hooks natively (one
	/// feature set for builds and tests), but the wasm runtime it ships has neither.
	#[test]
	fn the_shipped_wasm_runtime_has_no_benchmark_or_try_runtime_api() {
		let blob =
			RuntimeBlob::uncompress_if_needed(wasm_binary().expect("the wasm runtime is built"))
				.expect("the wasm runtime decompresses");
		let version = sc_executor::read_embedded_version(&blob)
			.expect("the version section decodes")
			.expect("the wasm runtime embeds its version");
		let api_id = |name: &str| sp_crypto_hashing::blake2_64(name.as_bytes());
		let has_api = |name: &str| version.apis.iter().any(|(api, _)| *api == api_id(name));
		assert!(has_api("Core") && has_api("GenesisBuilder"), "{:?}", version.apis);
		// The same names find both APIs in the native runtime, which has the features.
		if cfg!(feature = "native-runtime-checks") {
			for name in ["Benchmark", "TryRuntime"] {
				let native = &provenance_runtime::VERSION.apis;
				assert!(native.iter().any(|(api, _)| *api == api_id(name)), "native: {name}");
			}
		}
		assert!(!has_api("Benchmark"), "the shipped wasm runtime has the benchmark API");
		assert!(!has_api("TryRuntime"), "the shipped wasm runtime has the try-runtime API");
	}
}
