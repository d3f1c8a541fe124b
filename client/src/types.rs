//! The runtime's records as `prov` reads them from stored bytes: the lineage it walks and the
//! receipts it checks offline, where no node's metadata is at hand. They mirror the pallets'
//! types field for field in SCALE (a `BoundedVec` is a `Vec`, an account its 32 bytes) without
//! depending on the runtime; `client/tests/vectors.rs` decodes what the runtime encodes
//! (`primitives/vectors/client.json`, written by the runtime's `client_vectors` test), so a
//! change on either side fails a test instead of a user's receipt.

use codec::{Decode, Encode};
use provenance_primitives::{
	merkle::Hash, AssetRef, CheckpointId, DatasetId, RunId, TaintKind, TaintSource, TermsId,
};

pub type AccountId = [u8; 32];
pub type Balance = u128;
pub type BlockNumber = u32;

/// Decimals of the PROV token (the chain's `tokenDecimals` property).
pub const TOKEN_DECIMALS: u32 = 12;

#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum DatasetOrigin {
	Human,
	Synthetic { generator: CheckpointId, params_hash: Hash, policy_hash: Hash },
	Derived { parents: Vec<DatasetId>, transform_hash: Hash },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum RevocationReason {
	ConsentWithdrawn,
	LegalTakedown,
	Defective,
	LicenseViolation,
	Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum DatasetStatus {
	Active,
	Revoked { at: BlockNumber, reason: RevocationReason },
}

#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RevocationSet {
	pub root: Hash,
	pub count: u64,
	pub published_at: BlockNumber,
}

/// `pallet_datasets::Dataset`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Dataset {
	pub owner: AccountId,
	pub root: Hash,
	pub record_count: u64,
	pub byte_size: u64,
	pub uri: Vec<u8>,
	pub metadata_hash: Hash,
	pub origin: DatasetOrigin,
	pub commercial: bool,
	pub previous_version: Option<DatasetId>,
	pub status: DatasetStatus,
	pub revocation_set: Option<RevocationSet>,
	pub created_at: BlockNumber,
	pub depositor: AccountId,
	pub deposit: Balance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Relation {
	FineTune,
	Adapter,
	Merge,
	Quantization,
	Distillation,
	Unlearning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ParentEdge {
	pub checkpoint: CheckpointId,
	pub relation: Relation,
}

/// `pallet_checkpoints::Checkpoint`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Checkpoint {
	pub owner: AccountId,
	pub weights_hash: Hash,
	pub parents: Vec<ParentEdge>,
	pub datasets: Vec<DatasetId>,
	pub excludes: Vec<AssetRef>,
	pub run: Option<RunId>,
	pub run_mismatch: Option<RunId>,
	pub uri: Vec<u8>,
	pub metadata_hash: Hash,
	pub commercial: bool,
	pub created_at: BlockNumber,
	pub depositor: AccountId,
	pub deposit: Balance,
}

/// `pallet_checkpoints::TaintSet`: an asset's taint sources and their kinds.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct TaintSet {
	pub sources: Vec<TaintSource>,
	pub kinds: Vec<TaintKind>,
	pub truncated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Policy {
	Open,
	Licensed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Derivatives {
	Allowed,
	ShareAlike,
	NotAllowed,
}

/// `pallet_licenses::TermsSpec`: what a licence allows and costs.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct TermsSpec {
	pub commercial_use: bool,
	pub derivatives: Derivatives,
	pub attribution: bool,
	pub fee: Balance,
	pub upstream_royalty_bps: u16,
	pub duration: Option<BlockNumber>,
	pub terms_hash: Hash,
}

/// `pallet_licenses::AssetLicense`: the terms an asset is offered under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AssetLicense {
	pub terms: TermsId,
	pub policy: Policy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Verdict {
	Valid,
	Invalid,
}

/// `pallet_attestations::Statement`: what an attester commits to and reveals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Statement {
	pub verdict: Verdict,
	pub output_hash: Hash,
	pub report_hash: Hash,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum ConsentReason {
	NoLongerConsent,
	NeverConsented,
	TermsChanged,
	Other,
}

/// A part in billionths (`sp_runtime::Perbill`): a share of a split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Perbill(pub u32);

impl Perbill {
	/// A percentage with up to seven decimals ("40%", "12.5%").
	pub fn parse_percent(text: &str) -> Result<Self, String> {
		let invalid = || format!("{text}: a share is a percentage (\"40%\", \"12.5%\")");
		let number = text.strip_suffix('%').ok_or_else(invalid)?.trim();
		let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
		if whole.is_empty()
			|| fraction.len() > 7
			|| !(whole.chars().chain(fraction.chars())).all(|c| c.is_ascii_digit())
		{
			return Err(invalid());
		}
		let parts: u64 = format!("{whole}{fraction:0<7}").parse().map_err(|_| invalid())?;
		u32::try_from(parts)
			.ok()
			.filter(|parts| *parts <= 1_000_000_000)
			.map(Perbill)
			.ok_or_else(invalid)
	}
}

/// `pallet_royalties::PoolSpec`: a contributor pool's commitment and share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct PoolSpec {
	pub root: Hash,
	pub leaves: u64,
	pub total_weight: u128,
	pub share: Perbill,
}

/// The commitment of `attester` to `statement` on `run` (`pallet_attestations::commitment_of`).
pub fn commitment(run: RunId, attester: &AccountId, statement: &Statement, salt: &Hash) -> Hash {
	sp_crypto_hashing::blake2_256(&(run, attester, statement, salt).encode())
}

/// The bytes an attester signs to state `statement` about `run` off chain
/// (`pallet_attestations::signed_statement_payload`): the evidence of an equivocation when it
/// differs from what the attester revealed.
pub fn statement_payload(genesis: &Hash, run: RunId, statement: &Statement) -> Vec<u8> {
	(b"provenance/statement", genesis, run, statement).encode()
}

/// The stored maps `prov` reads by key, all `Twox64Concat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Map {
	DatasetRecords,
	CheckpointRecords,
	Taint,
	AssetLicenses,
}

impl Map {
	/// Pallet and storage names, as the metadata gives them.
	pub fn names(self) -> (&'static str, &'static str) {
		match self {
			Map::DatasetRecords => ("Datasets", "Records"),
			Map::CheckpointRecords => ("Checkpoints", "Records"),
			Map::Taint => ("Checkpoints", "Taint"),
			Map::AssetLicenses => ("Licenses", "AssetLicenses"),
		}
	}

	/// The storage key of `key` in this map.
	pub fn key(self, key: &impl Encode) -> Vec<u8> {
		let (pallet, item) = self.names();
		let encoded = key.encode();
		[
			&sp_crypto_hashing::twox_128(pallet.as_bytes())[..],
			&sp_crypto_hashing::twox_128(item.as_bytes()),
			&sp_crypto_hashing::twox_64(&encoded),
			&encoded,
		]
		.concat()
	}
}
