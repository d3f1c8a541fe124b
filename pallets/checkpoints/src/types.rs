//! The checkpoint record, lineage edges and the taint engine's work items.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{merkle::Hash, AssetRef, CheckpointId, DatasetId, RunId};
use scale_info::TypeInfo;

/// How a checkpoint was made from a parent checkpoint. The first four are Hugging Face's
/// `base_model_relation` values.
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
pub enum Relation {
	/// Trained further from the parent's weights.
	FineTune,
	/// An adapter (LoRA and the like) on top of the parent.
	Adapter,
	/// One of several parents merged into one model.
	Merge,
	/// The parent at lower precision.
	Quantization,
	/// Trained to imitate the parent.
	Distillation,
	/// The parent with the influence of named revoked datasets removed: the way out of taint.
	Unlearning,
}

/// An edge to a parent checkpoint.
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
pub struct ParentEdge {
	pub checkpoint: CheckpointId,
	pub relation: Relation,
}

/// A registered model checkpoint.
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
#[scale_info(skip_type_params(MaxUriLen, MaxParents, MaxDatasets))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Checkpoint<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
	MaxParents: Get<u32>,
	MaxDatasets: Get<u32>,
> {
	pub owner: AccountId,
	/// RFC 6962 SHA-256 Merkle root over the weight files; registered once per owner.
	pub weights_hash: Hash,
	pub parents: BoundedVec<ParentEdge, MaxParents>,
	/// The datasets it was trained or tuned on.
	pub datasets: BoundedVec<DatasetId, MaxDatasets>,
	/// With an `Unlearning` parent: the revoked datasets whose influence it removes.
	pub excludes: BoundedVec<DatasetId, MaxDatasets>,
	/// The final training run that produced these weights, once there is one: a run its owner
	/// declared with exactly its datasets and parents.
	pub run: Option<RunId>,
	/// A final attested run its owner declared for these weights with another lineage than
	/// this checkpoint registered: it vouches for nothing here.
	pub run_mismatch: Option<RunId>,
	pub uri: BoundedVec<u8, MaxUriLen>,
	/// Hash of the model card.
	pub metadata_hash: Hash,
	/// For commercial use (its inputs' licenses allowed it).
	pub commercial: bool,
	pub created_at: BlockNumber,
	/// Who paid the deposit; it stays held from them for the record's life.
	pub depositor: AccountId,
	pub deposit: Balance,
}

/// The revoked datasets an asset descends from, sorted; `truncated` when there were more
/// than the bound.
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
#[scale_info(skip_type_params(MaxSources))]
pub struct TaintSet<MaxSources: Get<u32>> {
	pub sources: BoundedVec<DatasetId, MaxSources>,
	pub truncated: bool,
}

impl<MaxSources: Get<u32>> Default for TaintSet<MaxSources> {
	fn default() -> Self {
		Self { sources: Default::default(), truncated: false }
	}
}

impl<MaxSources: Get<u32>> TaintSet<MaxSources> {
	/// Adds `source`, keeping the set sorted; past the bound the set only records that it is
	/// truncated.
	pub fn insert(&mut self, source: DatasetId) {
		if let Err(at) = self.sources.binary_search(&source) {
			if self.sources.try_insert(at, source).is_err() {
				self.truncated = true;
			}
		}
	}

	/// Adds every source of `other`.
	pub fn extend(&mut self, other: &Self) {
		other.sources.iter().for_each(|s| self.insert(*s));
		self.truncated |= other.truncated;
	}

	/// Removes `source`.
	pub fn remove(&mut self, source: &DatasetId) {
		if let Ok(at) = self.sources.binary_search(source) {
			self.sources.remove(at);
		}
	}

	pub fn is_empty(&self) -> bool {
		self.sources.is_empty() && !self.truncated
	}

	pub fn contains(&self, source: &DatasetId) -> bool {
		self.sources.binary_search(source).is_ok()
	}
}

/// Which children of an asset a fan-out step lists.
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
pub enum ChildKind {
	/// Datasets derived from a dataset.
	DerivedDatasets,
	/// Checkpoints trained on a dataset.
	TrainedCheckpoints,
	/// Checkpoints made from a checkpoint.
	ChildCheckpoints,
	/// Synthetic datasets a checkpoint generated.
	GeneratedDatasets,
}

impl ChildKind {
	/// The kinds of children an asset has, in the order a fan-out visits them.
	pub fn first_for(asset: &AssetRef) -> Self {
		match asset {
			AssetRef::Dataset(_) => Self::DerivedDatasets,
			AssetRef::Checkpoint(_) => Self::ChildCheckpoints,
		}
	}

	/// The kind visited after this one, if any.
	pub fn next(self) -> Option<Self> {
		match self {
			Self::DerivedDatasets => Some(Self::TrainedCheckpoints),
			Self::ChildCheckpoints => Some(Self::GeneratedDatasets),
			Self::TrainedCheckpoints | Self::GeneratedDatasets => None,
		}
	}
}

/// One bounded step of taint propagation.
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
pub enum TaintWork {
	/// Recompute the taint of `asset` from its inputs; when it changed (or a fan-out was asked
	/// for, see [`crate::QueuedRecompute`]), fan out to its children.
	Recompute { asset: AssetRef },
	/// Queue recomputation of one page of `asset`'s children of `kind`, after `after`.
	Fanout { asset: AssetRef, kind: ChildKind, after: Option<u64> },
	/// Tell `OnCheckpointTainted` of one more page about tainted `checkpoint`, after `after`.
	Warn { checkpoint: CheckpointId, after: Option<u64> },
}
