//! Types shared by the provenance-chain runtime, its pallets and its clients (`no_std`).
//!
//! - ids of the records and [`AssetRef`], a reference to either kind of asset;
//! - [`merkle`]: the one RFC 6962 SHA-256 Merkle tree used for dataset roots, weight roots and
//!   contributor pools, by the runtime and every client;
//! - [`traits`]: how the pallets ask each other about assets;
//! - `testing` (feature `std`): the generator the randomized tests share.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod api;
pub mod merkle;
#[cfg(feature = "runtime")]
pub mod storage;
#[cfg(feature = "std")]
pub mod testing;
pub mod traits;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Id of a dataset; sequential from 0.
pub type DatasetId = u64;
/// Id of a model checkpoint; sequential from 0.
pub type CheckpointId = u64;
/// Id of a training run; sequential from 0.
pub type RunId = u64;
/// Id of a set of license terms; sequential from 0.
pub type TermsId = u32;
/// Id of an evaluation claim; sequential from 0.
pub type EvaluationId = u64;
/// Id of a contributor's consent withdrawal; sequential from 0.
pub type WithdrawalId = u64;

/// A reference to an asset of either kind: the nodes of the lineage DAG.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum AssetRef {
	Dataset(DatasetId),
	Checkpoint(CheckpointId),
}

/// What made an asset unfit to use, so that a deployer can tell a licence problem from a
/// security one.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TaintKind {
	/// Data was revoked: a legal takedown, defective or poisoned records, or another reason.
	DataRevoked,
	/// The people the data came from withdrew their consent.
	ConsentWithdrawn,
	/// A model was flagged as poisoned, backdoored or tampered with.
	ModelCompromised,
	/// The training code or environment of a model was compromised.
	PipelineCompromised,
	/// The data's license ended or was breached.
	LicenseViolated,
}

/// Where an asset's taint comes from: the asset that went bad, and how.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct TaintSource {
	pub origin: AssetRef,
	pub kind: TaintKind,
}

/// Why a checkpoint was flagged as compromised.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum CompromiseReason {
	/// Trained on poisoned data: its outputs can be steered.
	Poisoned,
	/// Carries a backdoor: a trigger makes it misbehave.
	Backdoored,
	/// The published weights are not what was trained.
	WeightsTampered,
	/// Another reason, documented by the evidence.
	Other,
}

/// URI schemes an asset may be fetched from.
pub const URI_SCHEMES: [&[u8]; 5] = [b"ipfs://", b"ar://", b"hf://", b"s3://", b"https://"];

/// Whether `uri` is one of [`URI_SCHEMES`] followed by something.
pub fn is_supported_uri(uri: &[u8]) -> bool {
	URI_SCHEMES.iter().any(|scheme| uri.len() > scheme.len() && uri.starts_with(scheme))
}

/// The digest an evaluation's attesters vouch for: `blake2_256` of the SCALE-encoded
/// (checkpoint, dataset, harness hash, environment hash, metric, score).
#[cfg(feature = "runtime")]
pub fn evaluation_result_digest(
	checkpoint: CheckpointId,
	dataset: DatasetId,
	harness_hash: &merkle::Hash,
	environment_hash: &merkle::Hash,
	metric: &[u8],
	score: u64,
) -> merkle::Hash {
	sp_io::hashing::blake2_256(
		&(checkpoint, dataset, harness_hash, environment_hash, metric, score).encode(),
	)
}

impl AssetRef {
	/// The id of the dataset or checkpoint.
	pub fn id(&self) -> u64 {
		match self {
			Self::Dataset(id) | Self::Checkpoint(id) => *id,
		}
	}
}
