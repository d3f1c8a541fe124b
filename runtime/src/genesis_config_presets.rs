//! Genesis presets: the initial state of the `development`, `local_testnet` and `live` chains.
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

/// Who governs a network from genesis: the sudo key (development presets only), the council
/// and the dispute panel.
struct Governors {
	root: Option<AccountId>,
	council: Vec<AccountId>,
	dispute_panel: Vec<AccountId>,
}

/// The genesis of a network: its validators (account, Aura key, GRANDPA key), who governs it
/// and who holds the first tokens. The session pallet makes the validators' keys the Aura and
/// GRANDPA authorities; the membership pallets seat the council and the panel. `testnet`
/// shortens the attestation and consent periods to the development ones.
fn genesis(
	initial_validators: Vec<(AccountId, AuraId, GrandpaId)>,
	endowed_accounts: Vec<(AccountId, crate::Balance)>,
	governors: Governors,
	testnet: bool,
) -> Value {
	let Governors { root, council, dispute_panel } = governors;
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed_accounts },
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
		sudo: SudoConfig { key: root },
		council_membership: pallet_membership::GenesisConfig {
			members: council.try_into().unwrap_or_default(),
		},
		dispute_panel_membership: pallet_membership::GenesisConfig {
			members: dispute_panel.try_into().unwrap_or_default(),
		},
		licenses: pallet_licenses::GenesisConfig { terms: standard_terms() },
		attestations: pallet_attestations::GenesisConfig {
			parameters: testnet.then_some(TESTNET_ATTESTATION_PARAMETERS),
		},
		datasets: pallet_datasets::GenesisConfig {
			answer_period: testnet.then_some(TESTNET_ANSWER_PERIOD),
		},
	})
}

/// A development network: validators as given, the well-known development accounts endowed,
/// Alice holding the sudo key, and Alice, Bob and Charlie both the council and the dispute
/// panel (two of them carry a motion of either; all three act as root).
fn testnet_genesis(initial_validators: Vec<(AccountId, AuraId, GrandpaId)>) -> Value {
	use Sr25519Keyring::*;
	let endowed = Sr25519Keyring::well_known().map(|k| (k.to_account_id(), ENDOWMENT)).collect();
	let governors = Governors {
		root: Some(Alice.to_account_id()),
		council: [Alice, Bob, Charlie].map(|k| k.to_account_id()).to_vec(),
		dispute_panel: [Alice, Bob, Charlie].map(|k| k.to_account_id()).to_vec(),
	};
	genesis(initial_validators, endowed, governors, true)
}

/// The account, Aura (sr25519) and GRANDPA (ed25519) keys of a development validator.
fn validator(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, AuraId, GrandpaId) {
	(aura.to_account_id(), aura.public().into(), grandpa.public().into())
}

/// A single-validator chain for development: Alice authors and finalizes.
pub fn development_config_genesis() -> Value {
	testnet_genesis(vec![validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)])
}

/// A local testnet: Alice and Bob validate.
pub fn local_config_genesis() -> Value {
	testnet_genesis(vec![
		validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
	])
}

/// The name of the live network's preset (`--chain live`).
pub const LIVE_PRESET: &str = "live";

/// What each founding validator and member of the live network starts with: enough for fees,
/// session keys and an attester's bond; everything else is issued by governance.
pub const LIVE_FOUNDER_ENDOWMENT: crate::Balance = 10_000 * UNIT;

/// The founders of the live network, as public keys: its validators (sr25519 account and Aura
/// key, ed25519 GRANDPA key), its council and its dispute panel. The launch replaces these with
/// the keys the founders generate offline (`docs/operators.md`, "Launching the live network");
/// no secret of them is in this repository.
mod live_founders {
	use hex_literal::hex;

	pub const VALIDATORS: [([u8; 32], [u8; 32]); 3] = [
		(
			hex!("ee1ecf05fc8ad9f75ce0fb5c2bedc6c1f2f83d5535e1022414e0d06d0db01250"),
			hex!("42046c237e6583d84fa9a512d66887094158dba4c2e4876cf1bb0e357221e0de"),
		),
		(
			hex!("8ab5e8f68efc34f1ad15834523de3f0defed39e10c1c1925c91f0b8a8a74a364"),
			hex!("8573ddd67c05cecbd03686aa38e7e20c16b54b2a8677aeaf6765b55a4de7a975"),
		),
		(
			hex!("461837bf295505e0ae1d5b056c403929f742ee35cf94da0f3d7ce126d2c6372b"),
			hex!("509eae7b9d0bc7ddbfed21967397bb9c03dfe20d660362f4f143233ef7bc8d2d"),
		),
	];
	pub const COUNCIL: [[u8; 32]; 3] = [
		hex!("36c4dc150e294f5fcbf60b5f49b02889352481810796117ecc4bd5389f995774"),
		hex!("a02c3af01ba0515bee70fa58695b468b376d36aa0bdc0f824a9c6791672e5a5a"),
		hex!("aada1fe9925b73fa1ef13fd57e548f3ea6a1f0a7c3343bceae06e637ff96d81e"),
	];
	pub const DISPUTE_PANEL: [[u8; 32]; 3] = [
		hex!("24ae88b43488371dd3f75d1ecbd4259d4f5d69e62e1816dc96ef38ace252b235"),
		hex!("b0f8cce92ffd34dfea193b7eb76ade87fc699c66f92ecba03d86494d18b9cb25"),
		hex!("00a91df9d646f0d17883efd873ebee1cf53ef31c64e3bab3c7c0dbbae2f99a0a"),
	];
}

/// The live network: the founders' validators, council and panel, live attestation and
/// consent periods, and no sudo key: every root decision is a council motion.
pub fn live_config_genesis() -> Value {
	use sp_core::{ed25519, sr25519};
	let validators: Vec<_> = live_founders::VALIDATORS
		.iter()
		.map(|(account, grandpa)| {
			let aura = sr25519::Public::from_raw(*account);
			(AccountId::from(*account), aura.into(), ed25519::Public::from_raw(*grandpa).into())
		})
		.collect();
	let council: Vec<AccountId> = live_founders::COUNCIL.map(AccountId::from).to_vec();
	let dispute_panel: Vec<AccountId> = live_founders::DISPUTE_PANEL.map(AccountId::from).to_vec();
	let endowed = validators
		.iter()
		.map(|(account, ..)| account)
		.chain(&council)
		.chain(&dispute_panel)
		.map(|account| (account.clone(), LIVE_FOUNDER_ENDOWMENT))
		.collect();
	genesis(validators, endowed, Governors { root: None, council, dispute_panel }, false)
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
		LIVE_PRESET => live_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(LIVE_PRESET),
	]
}
