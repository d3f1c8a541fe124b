//! Genesis presets: the initial state of the `development` and `local_testnet` chains.
//!
//! A chain spec is built from a preset (`chain-spec-builder`, or the node's `--dev` and
//! `--chain local`), so these are the single source of each network's genesis.

use crate::{
	configs::{LiveAttestationParameters, LIVE_RUN_RULES},
	AccountId, BalancesConfig, BlockNumber, Runtime, RuntimeGenesisConfig, SessionKeys, SudoConfig,
	UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use hex_literal::hex;
use pallet_attestations::{AttestationParameters, ParametersOf, RunRules};
use pallet_licenses::{Derivatives, TermsSpec};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each endowed development account starts with.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// The attestation parameters of the development and local test networks: a run is
/// committed (from 30 s), revealed (30 s), challenged (60 s) and settled in about two minutes
/// of 6 s blocks, and lasts at most half an hour; stake is released 32 minutes after
/// unbonding. Amounts and shares are the live network's.
pub const TESTNET_ATTESTATION_PARAMETERS: ParametersOf<Runtime> = AttestationParameters {
	attesters: pallet_attestations::AttesterRules {
		unbonding_period: 320,
		..LiveAttestationParameters::get().attesters
	},
	runs: RunRules {
		min_commit_period: 5,
		reveal_period: 5,
		max_run_duration: 300,
		challenge_period: 10,
		..LIVE_RUN_RULES
	},
};

/// The development and local test networks give an owner 10 blocks (a minute) to revoke the
/// records of a consent withdrawal; the live network two weeks (`DefaultAnswerPeriod`).
pub const TESTNET_ANSWER_PERIOD: BlockNumber = 10;

/// The genesis of a network: its validators (account, Aura key, GRANDPA key), its root key
/// and who holds the first tokens. The session pallet makes the validators' keys the Aura and
/// GRANDPA authorities.
fn testnet_genesis(
	initial_validators: Vec<(AccountId, AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		validator_set: pallet_validator_set::GenesisConfig {
			validators: initial_validators.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		session: pallet_session::GenesisConfig {
			keys: initial_validators
				.iter()
				.map(|(account, aura, grandpa)| {
					let keys = SessionKeys { aura: aura.clone(), grandpa: grandpa.clone() };
					(account.clone(), account.clone(), keys)
				})
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		licenses: pallet_licenses::GenesisConfig { terms: standard_terms() },
		attestations: pallet_attestations::GenesisConfig {
			parameters: Some(TESTNET_ATTESTATION_PARAMETERS),
		},
		datasets: pallet_datasets::GenesisConfig { answer_period: Some(TESTNET_ANSWER_PERIOD) },
	})
}

/// The account, Aura (sr25519) and GRANDPA (ed25519) keys of a development validator.
fn validator(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, AuraId, GrandpaId) {
	(aura.to_account_id(), aura.public().into(), grandpa.public().into())
}

/// A single-validator chain for development: Alice authors and finalizes, Alice is root,
/// and the well-known development accounts are endowed.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// A local testnet: Alice and Bob validate, Alice is root, the well-known development
/// accounts are endowed.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// A standard license: its SPDX id, whether it allows commercial use, derivatives and
/// attribution, and the SHA-256 of its text (`docs/terms/<id>.txt`).
struct StandardLicense {
	spdx: &'static str,
	commercial_use: bool,
	derivatives: Derivatives,
	attribution: bool,
	text_sha256: [u8; 32],
	legal_code: &'static str,
}

/// The Creative Commons licenses datasets are most often published under, as terms 0 to 5:
/// no fee, no upstream royalty, for good. Labs publish terms with fees and royalties
/// themselves (`Licenses::create_terms`).
const STANDARD_LICENSES: [StandardLicense; 6] = [
	StandardLicense {
		spdx: "CC-BY-4.0",
		commercial_use: true,
		derivatives: Derivatives::Allowed,
		attribution: true,
		text_sha256: hex!("4c3c0cad4496cdf420b45909eeba725243fb7709878fc1f8dff9e39357773b46"),
		legal_code: "https://creativecommons.org/licenses/by/4.0/legalcode",
	},
	StandardLicense {
		spdx: "CC-BY-SA-4.0",
		commercial_use: true,
		derivatives: Derivatives::ShareAlike,
		attribution: true,
		text_sha256: hex!("c871544d989d2db1b0d0b7788f5591f56731c039c7d51e7a8f8da74c5679115a"),
		legal_code: "https://creativecommons.org/licenses/by-sa/4.0/legalcode",
	},
	StandardLicense {
		spdx: "CC-BY-NC-4.0",
		commercial_use: false,
		derivatives: Derivatives::Allowed,
		attribution: true,
		text_sha256: hex!("03f934cfa32989708620362ba71120abc1cbb58e26b6f681eb1cd45e4ddaa8b3"),
		legal_code: "https://creativecommons.org/licenses/by-nc/4.0/legalcode",
	},
	StandardLicense {
		spdx: "CC-BY-ND-4.0",
		commercial_use: true,
		derivatives: Derivatives::NotAllowed,
		attribution: true,
		text_sha256: hex!("0272fc6a6b6cd5a4bb95294bc4f9b4380927c287434dc52f62d36251838f6d2b"),
		legal_code: "https://creativecommons.org/licenses/by-nd/4.0/legalcode",
	},
	StandardLicense {
		spdx: "CC0-1.0",
		commercial_use: true,
		derivatives: Derivatives::Allowed,
		attribution: false,
		text_sha256: hex!("6d489af6292662d9e36d34ce49423784984a5f6e41d7b58f49b01264df59fa03"),
		legal_code: "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
	},
	StandardLicense {
		spdx: "CC-BY-NC-SA-4.0",
		commercial_use: false,
		derivatives: Derivatives::ShareAlike,
		attribution: true,
		text_sha256: hex!("1faf336bbda9ec2b78dd9e2e04833ef2bbf6ef2ee04a363b1046a4f4ea9c2eee"),
		legal_code: "https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode",
	},
];

/// The standard licenses as genesis terms of the licenses pallet.
pub fn standard_terms() -> Vec<(TermsSpec<crate::Balance, BlockNumber>, Vec<u8>)> {
	STANDARD_LICENSES
		.iter()
		.map(|license| {
			let spec = TermsSpec {
				commercial_use: license.commercial_use,
				derivatives: license.derivatives,
				attribution: license.attribution,
				fee: 0,
				upstream_royalty_bps: 0,
				duration: None,
				terms_hash: license.text_sha256,
			};
			(spec, license.legal_code.as_bytes().to_vec())
		})
		.collect()
}

/// The SPDX ids of the standard terms, by terms id; for tests and tools.
pub fn standard_terms_spdx() -> impl Iterator<Item = &'static str> {
	STANDARD_LICENSES.iter().map(|license| license.spdx)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
