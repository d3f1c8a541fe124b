//! The dataset record and its parts.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{
	merkle::Hash, traits::OriginSummary, AssetRef, CheckpointId, DatasetId,
};
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

	/// The origin as other pallets see it.
	pub fn summary(&self) -> OriginSummary {
		match self {
			Self::Human => OriginSummary::Human,
			Self::Synthetic { generator, .. } => OriginSummary::Synthetic { generator: *generator },
			Self::Derived { parents, .. } => {
				OriginSummary::Derived { parents: parents.as_ref().to_vec() }
			},
		}
	}
}

impl OriginInput {
	/// How many inputs the origin names, the size component of a registration's weight: a
	/// derived dataset's parents, or a synthetic dataset's generator, whose checks (its record,
	/// taint, licence and royalty stack read, a reverse-index entry written) are a parent's.
	pub fn input_count(&self) -> u32 {
		match self {
			Self::Human => 0,
			Self::Synthetic { .. } => 1,
			Self::Derived { parents, .. } => parents.len() as u32,
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

/// The commitment to a dataset's contributors, set once by its owner: an RFC 6962 SHA-256
/// tree whose leaves are `SCALE((account, records_root, records_count: u64))`, where
/// `records_root` is the tree over the leaf hashes of the records that account contributed
/// (the same leaf hashes as the dataset's root): `merkle::contributor_leaf`.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct ContributorTree<AccountId, Balance, BlockNumber> {
	pub root: Hash,
	/// How many contributors the tree holds.
	pub leaves: u64,
	pub set_at: BlockNumber,
	/// Who paid the deposit of the tree and of the dataset's consent counters (the owner then).
	pub depositor: AccountId,
	pub deposit: Balance,
}

/// A contributor's proof that they are in a dataset's contributor tree.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct ContributorProof<Path> {
	/// Root of the tree over the leaf hashes of the caller's records.
	pub records_root: Hash,
	pub records_count: u64,
	/// The caller's leaf index in the contributor tree, and its audit path.
	pub index: u64,
	pub path: Path,
}

/// A record a contributor withdraws: its leaf hash, and where it sits under the contributor's
/// `records_root`.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct RecordProof<Path> {
	pub leaf: Hash,
	pub index: u64,
	pub path: Path,
}

/// Where a record sits in the dataset's current revocation set: its index and audit path.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct SetMembership<Path> {
	pub index: u64,
	pub path: Path,
}

/// Why a contributor withdraws consent.
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
pub enum ConsentReason {
	/// The contributor consented and no longer does.
	NoLongerConsent,
	/// The records were taken without consent.
	NeverConsented,
	/// The dataset's terms or use changed from what was consented to.
	TermsChanged,
	/// Any other reason, documented off chain.
	Other,
}

/// Where a withdrawal stands.
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
pub enum WithdrawalState<BlockNumber> {
	/// Filed; the owner has until the deadline to revoke the records.
	Open,
	/// The deadline passed with the records not revoked: the dataset is in breach.
	Unanswered { since: BlockNumber },
	/// The records are revoked (in the revocation set, or with the whole dataset); `late` when
	/// after the deadline.
	Answered { at: BlockNumber, late: bool },
}

/// A contributor's withdrawal of consent for some of their records of a dataset.
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
#[scale_info(skip_type_params(MaxRecords))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Withdrawal<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxRecords: Get<u32>,
> {
	pub dataset: DatasetId,
	pub contributor: AccountId,
	/// Leaf hashes of the withdrawn records.
	pub records: BoundedVec<Hash, MaxRecords>,
	pub reason: ConsentReason,
	pub filed_at: BlockNumber,
	/// The block from which, unanswered, the dataset is in breach.
	pub deadline: BlockNumber,
	pub state: WithdrawalState<BlockNumber>,
	/// Held from the contributor until they clear the answered withdrawal.
	pub deposit: Balance,
}

/// A dataset's consent counters.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ConsentState<BlockNumber> {
	/// Withdrawals filed and not yet due or answered.
	pub open: u32,
	/// Withdrawals past their deadline and not answered: the dataset is in breach while this
	/// is above zero.
	pub unanswered: u32,
	/// Since when the dataset is in breach.
	pub non_compliant_since: Option<BlockNumber>,
	/// Some withdrawal was answered: the revocation set holds records withdrawn for consent, so
	/// what it taints is tainted `ConsentWithdrawn`.
	pub answered_any: bool,
}

/// A dataset's consent, as the consent runtime API answers it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct DatasetConsent<AccountId, Balance, BlockNumber, Withdrawal> {
	pub contributors: Option<ContributorTree<AccountId, Balance, BlockNumber>>,
	/// Blocks an owner has to answer a withdrawal filed now.
	pub answer_period: BlockNumber,
	pub state: ConsentState<BlockNumber>,
	/// Open withdrawals past their deadline that the sweep has not reached yet: already a
	/// breach, counted apart so that a lagging sweep hides none.
	pub overdue: u32,
	/// Withdrawals not cleared, in storage order, from the cursor on.
	pub withdrawals: alloc::vec::Vec<(provenance_primitives::WithdrawalId, Withdrawal)>,
}

/// One dataset of a model's lineage and its consent counters.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct LineageConsent<BlockNumber> {
	pub dataset: DatasetId,
	pub open: u32,
	pub unanswered: u32,
	/// Open withdrawals past their deadline the sweep has not reached yet.
	pub overdue: u32,
	pub non_compliant_since: Option<BlockNumber>,
}

/// The consent state of the data a model learned from.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ModelConsent<BlockNumber> {
	/// The lineage's datasets with open, overdue or unanswered withdrawals, nearest first.
	pub datasets: alloc::vec::Vec<LineageConsent<BlockNumber>>,
	/// False when the lineage was larger than one walk visits: `datasets` covers the nearest.
	pub complete: bool,
}
