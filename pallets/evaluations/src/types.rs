//! The evaluation and deployment records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{merkle::Hash, CheckpointId, DatasetId, RunId};
use scale_info::TypeInfo;

/// Whether the evaluation dataset is in the evaluated checkpoint's training lineage.
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
pub enum Contamination {
	/// Neither the dataset, nor a version of it, nor a dataset derived from one of those is
	/// in the lineage.
	Clean,
	/// The lineage holds `found`: the evaluation dataset, a version of it, or (two or more
	/// hops down) a dataset derived from one of those. The model may have seen the test set.
	Contaminated { found: DatasetId },
	/// Nothing found, but the lineage (or the dataset's versions) was larger than one check
	/// may walk: the score cannot be called clean.
	Unknown,
}

/// Where an evaluation's run is.
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
pub enum EvaluationStatus {
	/// Attesters are re-running it.
	Pending,
	/// Attesters reproduced the score; final.
	Attested,
	/// Attesters could not reproduce it; final.
	Rejected,
	/// No quorum by the run's deadline.
	Expired,
}

/// A claimed score of a checkpoint on an anchored evaluation dataset.
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
#[scale_info(skip_type_params(MaxMetricLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Evaluation<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxMetricLen: Get<u32>,
> {
	/// Who declared it: pays its deposit and the attesters' reward.
	pub declarer: AccountId,
	pub checkpoint: CheckpointId,
	/// The benchmark: an anchored dataset.
	pub dataset: DatasetId,
	/// Hash of the evaluation harness's code.
	pub harness_hash: Hash,
	/// Hash of the environment it ran in.
	pub environment_hash: Hash,
	/// The metric's name, e.g. `accuracy`, `pass@1`.
	pub metric: BoundedVec<u8, MaxMetricLen>,
	/// Fixed point: millionths (`1_000_000` is 1.0).
	pub score: u64,
	/// Found when it was declared, from the lineage as it was then.
	pub contamination: Contamination,
	/// The attestation run re-checking it.
	pub run: RunId,
	pub status: EvaluationStatus,
	pub declared_at: BlockNumber,
	/// Held from the declarer for the record's life.
	pub deposit: Balance,
}

/// A checkpoint serving at an endpoint over a span of blocks.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Deployment<AccountId, Balance, BlockNumber> {
	pub operator: AccountId,
	pub checkpoint: CheckpointId,
	/// Hash of the endpoint's identifier (a URL, a model id at a provider).
	pub endpoint: Hash,
	/// The first block it served.
	pub from: BlockNumber,
	/// The block it stopped serving (served up to the block before); `None` while live.
	pub until: Option<BlockNumber>,
	/// Held from the operator for the record's life.
	pub deposit: Balance,
}

impl<AccountId, Balance, BlockNumber: PartialOrd + Copy>
	Deployment<AccountId, Balance, BlockNumber>
{
	/// Whether it served at block `at`: from `from` up to, not including, `until`.
	pub fn served_at(&self, at: BlockNumber) -> bool {
		self.from <= at && self.until.map_or(true, |until| at < until)
	}
}

/// A deployment as queries show it: with whether its checkpoint is tainted now.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct DeploymentView<Deployment> {
	pub deployment: Deployment,
	/// The checkpoint descends from revoked data or a compromised model: the endpoint serves
	/// (or served) a tainted model.
	pub tainted: bool,
	/// The kinds of its taint, sorted (empty when clean).
	pub kinds: alloc::vec::Vec<provenance_primitives::TaintKind>,
}

/// The attested scores on one dataset and metric, best first: (score, evaluation).
pub type Leaderboard<Max> = BoundedVec<(u64, provenance_primitives::EvaluationId), Max>;
