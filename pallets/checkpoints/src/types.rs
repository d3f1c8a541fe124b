//! The checkpoint record, lineage edges and the taint engine's work items.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{ConstU32, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{
	merkle::Hash, AssetRef, CheckpointId, CompromiseReason, DatasetId, RunId, TaintKind,
	TaintSource,
};
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
	/// The parent with the influence of named taint sources removed (revoked datasets, a
	/// compromised ancestor): the way out of taint.
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
	/// With an `Unlearning` parent: the taint sources whose influence it removes (revoked
	/// datasets, compromised checkpoints).
	pub excludes: BoundedVec<AssetRef, MaxDatasets>,
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

/// How many kinds of taint there are: the bound of [`TaintSet::kinds`].
pub type TaintKindCount = ConstU32<5>;

/// The sources of an asset's taint (revoked datasets, compromised checkpoints), one per
/// origin, sorted by origin; past the bound the set only records that it is `truncated`, but
/// `kinds` holds the kind of every source, so that a cut cannot hide what kind of problem an
/// asset has.
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
	pub sources: BoundedVec<TaintSource, MaxSources>,
	/// The kinds of all sources, listed or not, sorted.
	pub kinds: BoundedVec<TaintKind, TaintKindCount>,
	pub truncated: bool,
}

impl<MaxSources: Get<u32>> Default for TaintSet<MaxSources> {
	fn default() -> Self {
		Self { sources: Default::default(), kinds: Default::default(), truncated: false }
	}
}

impl<MaxSources: Get<u32>> TaintSet<MaxSources> {
	fn position(&self, origin: &AssetRef) -> Result<usize, usize> {
		self.sources.binary_search_by_key(origin, |s| s.origin)
	}

	fn add_kind(&mut self, kind: TaintKind) {
		if let Err(at) = self.kinds.binary_search(&kind) {
			// Cannot fail: the bound is the number of kinds.
			let _ = self.kinds.try_insert(at, kind);
		}
	}

	/// Adds `source`, keeping the set sorted by origin. An origin already there with another
	/// kind keeps the greater one (inputs disagree only while a change propagates). Past the
	/// bound the set only records that it is truncated, and the kind.
	pub fn insert(&mut self, source: TaintSource) {
		match self.position(&source.origin) {
			Ok(at) => {
				if let Some(listed) = self.sources.get_mut(at) {
					listed.kind = listed.kind.max(source.kind);
				}
			},
			Err(at) => {
				if self.sources.try_insert(at, source).is_err() {
					self.truncated = true;
				}
			},
		}
		self.add_kind(source.kind);
	}

	/// Records that sources of `kind` past the bound were left out.
	pub fn left_out(&mut self, kind: TaintKind) {
		self.truncated = true;
		self.add_kind(kind);
	}

	/// Adds every source of `other`.
	pub fn extend(&mut self, other: &Self) {
		other.sources.iter().for_each(|s| self.insert(*s));
		other.kinds.iter().for_each(|k| self.add_kind(*k));
		self.truncated |= other.truncated;
	}

	/// Removes the source from `origin`. The kinds are those of the sources left; a truncated
	/// set keeps them all, since the sources it does not list may have any.
	pub fn remove(&mut self, origin: &AssetRef) {
		if let Ok(at) = self.position(origin) {
			self.sources.remove(at);
			if !self.truncated {
				self.kinds.clear();
				let kinds: alloc::vec::Vec<_> = self.sources.iter().map(|s| s.kind).collect();
				kinds.into_iter().for_each(|k| self.add_kind(k));
			}
		}
	}

	pub fn is_empty(&self) -> bool {
		self.sources.is_empty() && !self.truncated
	}

	/// Whether a source from `origin` is listed.
	pub fn contains(&self, origin: &AssetRef) -> bool {
		self.position(origin).is_ok()
	}

	/// The listed source from `origin`.
	pub fn get(&self, origin: &AssetRef) -> Option<&TaintSource> {
		self.position(origin).ok().and_then(|at| self.sources.get(at))
	}
}

/// A checkpoint flagged as compromised.
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
pub struct Compromise<BlockNumber> {
	pub reason: CompromiseReason,
	/// Hash of the evidence (a report, a trigger, the tampered files).
	pub evidence: Hash,
	pub at: BlockNumber,
	/// Flagged by `ForceOrigin` rather than the owner.
	pub forced: bool,
}

/// A training code or environment hash declared compromised: every checkpoint whose linked,
/// attested run declared it is tainted `PipelineCompromised`, and so is what was made from it.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct PipelineReport<AccountId, Balance, BlockNumber> {
	/// Hash of the evidence (an advisory, the tampered build, the trigger).
	pub evidence: Hash,
	pub at: BlockNumber,
	/// Who reported it and the bond they hold until `ForceOrigin` rules; `None`: declared by
	/// `ForceOrigin`.
	pub reporter: Option<(AccountId, Balance)>,
	/// Declared or upheld by `ForceOrigin`; a report is in force before it is ruled on.
	pub confirmed: bool,
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
	/// Queue recomputation of one page of the checkpoints whose runs declared `pipeline` (a
	/// code or environment hash reported, declared or cleared), after `after`.
	PipelineUsers { pipeline: Hash, after: Option<CheckpointId> },
}
