//! The dataset record and its parts.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{merkle::Hash, AssetRef, CheckpointId, DatasetId};
use scale_info::TypeInfo;

/// Where a dataset's records came from.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum DatasetOrigin<Parents> {
	/// Collected from people.
	Human,
	/// Produced by a model: bound to the checkpoint that generated it, the generation
	/// parameters and the filtering policy applied.
	Synthetic { generator: CheckpointId, params_hash: Hash, policy_hash: Hash },
	/// Computed from other anchored datasets by a transform (dedup, filtering, mixing).
	Derived { parents: Parents, transform_hash: Hash },
}

/// The origin as a call carries it: parents in a plain list, checked against the bound.
pub type OriginInput = DatasetOrigin<alloc::vec::Vec<DatasetId>>;

/// The origin as stored.
pub type BoundedOrigin<MaxParents> = DatasetOrigin<BoundedVec<DatasetId, MaxParents>>;

impl<Parents> DatasetOrigin<Parents> {
	/// Maps the parents' container, leaving the rest.
	pub fn map_parents<P, E>(
		self,
		f: impl FnOnce(Parents) -> Result<P, E>,
	) -> Result<DatasetOrigin<P>, E> {
		Ok(match self {
			Self::Human => DatasetOrigin::Human,
			Self::Synthetic { generator, params_hash, policy_hash } => {
				DatasetOrigin::Synthetic { generator, params_hash, policy_hash }
			},
			Self::Derived { parents, transform_hash } => {
				DatasetOrigin::Derived { parents: f(parents)?, transform_hash }
			},
		})
	}
}

impl<Parents> DatasetOrigin<Parents> {
	/// Whether `other` is of the same kind: both human, both synthetic or both derived.
	pub fn same_kind<Other>(&self, other: &DatasetOrigin<Other>) -> bool {
		matches!(
			(self, other),
			(Self::Human, DatasetOrigin::Human)
				| (Self::Synthetic { .. }, DatasetOrigin::Synthetic { .. })
				| (Self::Derived { .. }, DatasetOrigin::Derived { .. })
		)
	}
}

impl<Parents: AsRef<[DatasetId]>> DatasetOrigin<Parents> {
	/// The assets the dataset was made from: its generator, or its parents.
	pub fn inputs(&self) -> alloc::vec::Vec<AssetRef> {
		match self {
			Self::Human => alloc::vec::Vec::new(),
			Self::Synthetic { generator, .. } => alloc::vec![AssetRef::Checkpoint(*generator)],
			Self::Derived { parents, .. } => {
				parents.as_ref().iter().copied().map(AssetRef::Dataset).collect()
			},
		}
	}
}

impl OriginInput {
	/// How many parents the origin names: the size component of a registration's weight.
	pub fn parent_count(&self) -> u32 {
		match self {
			Self::Derived { parents, .. } => parents.len() as u32,
			_ => 0,
		}
	}
}

/// Why a dataset was revoked.
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
pub enum RevocationReason {
	/// The people the data came from withdrew their consent.
	ConsentWithdrawn,
	/// A legal order (takedown, court ruling); the usual reason of a root-origin revocation.
	LegalTakedown,
	/// The data is wrong: mislabelled, corrupted, poisoned.
	Defective,
	/// The license under which the data was published ended or was breached.
	LicenseViolation,
	/// Any other reason, documented off chain.
	Other,
}

impl RevocationReason {
	/// The kind of taint a revocation for this reason leaves on what was made from the data.
	pub fn taint_kind(self) -> provenance_primitives::TaintKind {
		use provenance_primitives::TaintKind;
		match self {
			Self::ConsentWithdrawn => TaintKind::ConsentWithdrawn,
			Self::LicenseViolation => TaintKind::LicenseViolated,
			Self::LegalTakedown | Self::Defective | Self::Other => TaintKind::DataRevoked,
		}
	}
}

/// Whether a dataset may still be used.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum DatasetStatus<BlockNumber> {
	Active,
	Revoked { at: BlockNumber, reason: RevocationReason },
}

/// A set of revoked records of a dataset, committed as the Merkle root over their leaves
/// (same leaf encoding as the dataset's root) and their count.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct RevocationSet<BlockNumber> {
	pub root: Hash,
	pub count: u64,
	pub published_at: BlockNumber,
}

/// An anchored dataset.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen, MaxParents))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Dataset<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
	MaxParents: Get<u32>,
> {
	pub owner: AccountId,
	/// RFC 6962 SHA-256 Merkle root over the records.
	pub root: Hash,
	pub record_count: u64,
	pub byte_size: u64,
	/// Where the data can be fetched: ipfs://, ar://, hf://, s3:// or https://.
	pub uri: BoundedVec<u8, MaxUriLen>,
	/// Hash of the datasheet.
	pub metadata_hash: Hash,
	pub origin: BoundedOrigin<MaxParents>,
	/// Made for commercial use (its inputs' licenses allowed it).
	pub commercial: bool,
	/// The dataset this one is a new version of.
	pub previous_version: Option<DatasetId>,
	pub status: DatasetStatus<BlockNumber>,
	/// Records revoked without revoking the whole dataset.
	pub revocation_set: Option<RevocationSet<BlockNumber>>,
	pub created_at: BlockNumber,
	/// Who paid the deposit (the first owner); it stays held from them for the record's life.
	pub depositor: AccountId,
	pub deposit: Balance,
}
