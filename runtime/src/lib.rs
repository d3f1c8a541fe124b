//! # provenance-runtime
//!
//! The runtime of provenance-chain: a solochain with Aura block production (6 s slots),
//! GRANDPA finality, balances and transaction payment (fees to the treasury and the block
//! author), a council and a dispute panel that govern it (`governance`; sudo only on the
//! development presets), a treasury, and the organisation tooling labs need (utility batches,
//! multisig, proxies). The provenance pallets (datasets, checkpoints, attestations, licenses,
//! royalties, evaluations) take the pallet indices 20..=29.
//!
//! Chain properties that clients read from the chain spec ([`TOKEN_SYMBOL`],
//! [`TOKEN_DECIMALS`], [`SS58_PREFIX`]) are defined here, next to the values the runtime uses,
//! so the two cannot disagree.

#![cfg_attr(not(feature = "std"), no_std)]
// `frame_support::runtime` expands recursively per pallet.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod council_root;
pub mod genesis_config_presets;
pub mod governance;
pub mod weights;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;

/// Opaque types: what the node needs to know about blocks without knowing the runtime's
/// extrinsic format.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: Aura for block production, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The version of the runtime. Bump `spec_version` on every change of runtime logic and
/// `transaction_version` on every change of call indices or their arguments.
#[cfg(not(feature = "upgrade-probe"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("provenance"),
	impl_name: alloc::borrow::Cow::Borrowed("provenance-node"),
	authoring_version: 1,
	spec_version: 127,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 4,
	system_version: 1,
};

/// The upgrade probe's version: one `spec_version` and one `transaction_version` after
/// [`VERSION`] (keep them so when bumping it), so that the upgrade test sees clients sign with
/// the live versions.
#[cfg(feature = "upgrade-probe")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("provenance"),
	impl_name: alloc::borrow::Cow::Borrowed("provenance-node"),
	authoring_version: 1,
	spec_version: 128,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 5,
	system_version: 1,
};

/// Compiled always (`frame_support::runtime` resolves the path even for a pallet it leaves
/// out), part of the runtime only with `upgrade-probe`.
pub mod upgrade_probe;

/// Target block time. Aura's slot duration and the timestamp pallet follow from it.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration; one block per slot.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute, hour and day, for periods expressed in blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// The token's symbol, as wallets and explorers show it.
pub const TOKEN_SYMBOL: &str = "PROV";
/// Decimal places of the token: one `UNIT` is `10^TOKEN_DECIMALS` of the smallest unit.
pub const TOKEN_DECIMALS: u8 = 12;
/// The SS58 address prefix (42: the generic Substrate prefix, until a network registers one).
pub const SS58_PREFIX: u16 = 42;

/// One whole token.
pub const UNIT: Balance = 10u128.pow(TOKEN_DECIMALS as u32);
pub const MILLI_UNIT: Balance = UNIT / 1_000;
pub const MICRO_UNIT: Balance = MILLI_UNIT / 1_000;

/// The smallest balance an account may hold; below it the account is reaped.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Block number type.
pub type BlockNumber = u32;
/// Signature type of transactions.
pub type Signature = MultiSignature;
/// Account id: the public key behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction index of an account.
pub type Nonce = u32;
/// Hash of a block or of storage.
pub type Hash = sp_core::H256;
/// Hashing algorithm of the chain.
pub type Hashing = BlakeTwo256;
/// The address format of transactions: any account lookup the chain supports.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block as it travels between nodes, with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions of this release, checked on every signed transaction, in order.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on runtime upgrade, each once (by the pallet's storage version).
type Migrations = (
	pallet_checkpoints::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_attestations::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_datasets::migrations::v1::MigrateV0ToV1<Runtime>,
	governance::OpenTreasuryAccount,
);

/// Executive: dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// The block's author, whom fees and tips pay. Before the session pallet, so that the author
	/// is found among the validators the block was authored by, not those a rotation in this
	/// block brings in.
	#[runtime::pallet_index(9)]
	pub type Authorship = pallet_authorship;

	// Before the session pallet, whose session manager it is, and both before Aura and
	// GRANDPA, whose authorities the session pallet sets.
	#[runtime::pallet_index(7)]
	pub type ValidatorSet = pallet_validator_set;

	#[runtime::pallet_index(8)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(11)]
	pub type Multisig = pallet_multisig;

	#[runtime::pallet_index(12)]
	pub type Proxy = pallet_proxy;

	// 13..=18: governance (`governance`).
	#[runtime::pallet_index(13)]
	pub type Treasury = pallet_treasury;

	#[runtime::pallet_index(14)]
	pub type Council = pallet_collective<Instance1>;

	#[runtime::pallet_index(15)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	#[runtime::pallet_index(16)]
	pub type DisputePanel = pallet_collective<Instance2>;

	#[runtime::pallet_index(17)]
	pub type DisputePanelMembership = pallet_membership<Instance2>;

	#[runtime::pallet_index(18)]
	pub type CouncilRoot = crate::council_root;

	/// Proven offences of validators.
	#[runtime::pallet_index(19)]
	pub type Offences = pallet_offences;

	/// The validators of past sessions, for key-ownership proofs.
	#[runtime::pallet_index(30)]
	pub type Historical = pallet_session::historical;

	// 20..=29: the provenance pallets.
	#[runtime::pallet_index(20)]
	pub type Datasets = pallet_datasets;

	#[runtime::pallet_index(21)]
	pub type Checkpoints = pallet_checkpoints;

	#[runtime::pallet_index(22)]
	pub type Attestations = pallet_attestations;

	#[runtime::pallet_index(23)]
	pub type Licenses = pallet_licenses;

	#[runtime::pallet_index(24)]
	pub type Royalties = pallet_royalties;

	#[runtime::pallet_index(25)]
	pub type Evaluations = pallet_evaluations;

	/// Only in the upgrade probe (`upgrade-probe`): the call an upgrade adds.
	#[cfg(feature = "upgrade-probe")]
	#[runtime::pallet_index(99)]
	pub type UpgradeProbe = crate::upgrade_probe;
}

/// The transaction extensions a signer attaches: immortal, with `nonce` and `tip`, metadata
/// hash check off (signers that verify metadata turn it on).
pub fn tx_extension(nonce: Nonce, tip: Balance) -> TxExtension {
	(
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(tip),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// Signs `call` as `signer` with `nonce` and `tip`, for the chain whose genesis hash is
/// `genesis_hash`: what a wallet does, for the node's benchmarks and for tests.
#[cfg(feature = "std")]
pub fn sign_transaction(
	call: RuntimeCall,
	signer: &sp_core::sr25519::Pair,
	nonce: Nonce,
	tip: Balance,
	genesis_hash: Hash,
) -> UncheckedExtrinsic {
	use codec::Encode;
	use sp_core::Pair;

	let extension = tx_extension(nonce, tip);
	// What the extensions add to the signed payload without sending it: spec and transaction
	// versions, the genesis hash (twice: once for `CheckGenesis`, once as the immortal era's
	// block) and no metadata hash.
	let implicit = (
		(),
		(),
		VERSION.spec_version,
		VERSION.transaction_version,
		genesis_hash,
		genesis_hash,
		(),
		(),
		(),
		None,
		(),
	);
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let account: AccountId = signer.public().into();
	UncheckedExtrinsic::new_signed(call, account.into(), signature.into(), extension)
}
