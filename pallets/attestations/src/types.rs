//! The attester and run records (training runs and evaluations), verdicts, challenges and
//! slashes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{merkle::Hash, CheckpointId, DatasetId, EvaluationId};
use scale_info::TypeInfo;
use sp_runtime::traits::{Saturating, Zero};

/// Whether an attester takes new runs.
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
pub enum AttesterStatus {
	/// Commits verdicts; its bonded stake counts towards quorums.
	Active,
	/// Chose to take no new runs (its stake stays bonded and slashable).
	Chilled,
	/// Put out for repeated upheld faults: its stake is unbonding and it may not bond again.
	Removed,
}

/// Stake that was unbonded and is released at block `unlock_at`; slashable until then.
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
pub struct UnbondingChunk<Balance, BlockNumber> {
	pub amount: Balance,
	pub unlock_at: BlockNumber,
}

/// A staked attester. Its hold is always `bonded` plus the sum of `unbonding`.
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
#[scale_info(skip_type_params(MaxChunks))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Attester<
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxChunks: Get<u32>,
> {
	pub status: AttesterStatus,
	/// Stake that backs new verdicts.
	pub bonded: Balance,
	/// Stake on its way out, oldest first.
	pub unbonding: BoundedVec<UnbondingChunk<Balance, BlockNumber>, MaxChunks>,
	/// Upheld challenges, judge-free faults and absences so far; they outlive its stake.
	pub faults: u32,
	/// Challenges against its verdicts that wait for a ruling; it may not withdraw meanwhile.
	pub open_challenges: u32,
	/// Runs in a row that settled while it was active without a verdict of its own.
	pub missed: u32,
	/// When it last became active or was chilled: it votes, and its absence counts, only on
	/// runs declared after it became active; it may come back no sooner than a run lasts
	/// after it was chilled.
	pub status_since: BlockNumber,
}

impl<
		Balance: Clone + PartialEq + Eq + core::fmt::Debug + Copy + Saturating + Zero,
		BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxChunks: Get<u32>,
	> Attester<Balance, BlockNumber, MaxChunks>
{
	/// Everything held: bonded and unbonding.
	pub fn total(&self) -> Balance {
		self.unbonding.iter().fold(self.bonded, |sum, chunk| sum.saturating_add(chunk.amount))
	}

	/// Stops taking new runs from block `now`.
	pub fn chill(&mut self, now: BlockNumber) {
		self.status = AttesterStatus::Chilled;
		self.status_since = now;
	}

	/// The stake that counts towards quorums: bonded, while active.
	pub fn active_stake(&self) -> Balance {
		match self.status {
			AttesterStatus::Active => self.bonded,
			AttesterStatus::Chilled | AttesterStatus::Removed => Zero::zero(),
		}
	}
}

/// What an attester says about a run.
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
pub enum Verdict {
	/// What the run declared produces its declared output (the weights, the score).
	Valid,
	/// They do not, or the run cannot be reproduced from what was declared.
	Invalid,
}

impl Verdict {
	/// The other verdict.
	pub fn opposite(self) -> Self {
		match self {
			Self::Valid => Self::Invalid,
			Self::Invalid => Self::Valid,
		}
	}

	/// The run outcome this verdict argues for.
	pub fn outcome(self) -> Outcome {
		match self {
			Self::Valid => Outcome::Attested,
			Self::Invalid => Outcome::Rejected,
		}
	}
}

/// A revealed verdict: what the attester committed to.
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
pub struct Statement {
	pub verdict: Verdict,
	/// The output the attester found: the weights hash at the end of the training run, the
	/// result digest of the evaluation.
	pub output_hash: Hash,
	/// Digest of the attester's report (published off chain).
	pub report_hash: Hash,
}

impl Statement {
	/// A `Valid` verdict on another output than the run declared contradicts itself: the
	/// chain sees that without a judge.
	pub fn contradicts(&self, declared_output: &Hash) -> bool {
		self.verdict == Verdict::Valid && self.output_hash != *declared_output
	}
}

/// The result quorum gives a run.
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
pub enum Outcome {
	/// Quorum found the run valid.
	Attested,
	/// Quorum found it invalid.
	Rejected,
}

impl Outcome {
	/// The verdict that agrees with this outcome.
	pub fn verdict(self) -> Verdict {
		match self {
			Self::Attested => Verdict::Valid,
			Self::Rejected => Verdict::Invalid,
		}
	}
}

/// Where a run is in its life.
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
pub enum RunStatus<BlockNumber> {
	/// Taking commits, then reveals, until quorum or the deadline.
	Open,
	/// Quorum reached (or a ruling corrected it); challenges are taken until `window_end`.
	Decided { outcome: Outcome, window_end: BlockNumber },
	/// Past the window with no open dispute: settled for good, reward paid.
	Final { outcome: Outcome },
	/// Missed quorum by the deadline; the reward went back to the lab.
	Expired,
}

/// Revealed verdicts of one kind: how many and how much stake backs them.
#[derive(
	Clone,
	Copy,
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
pub struct Tally<Balance> {
	pub count: u32,
	pub stake: Balance,
}

/// What a training run used: a lab's claim that these produced the run's output weights.
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
#[scale_info(skip_type_params(MaxDatasets, MaxBaseCheckpoints))]
pub struct TrainingClaim<MaxDatasets: Get<u32>, MaxBaseCheckpoints: Get<u32>> {
	/// The datasets it trained on.
	pub datasets: BoundedVec<DatasetId, MaxDatasets>,
	/// The checkpoints it started from.
	pub base_checkpoints: BoundedVec<CheckpointId, MaxBaseCheckpoints>,
	pub config_hash: Hash,
	pub code_hash: Hash,
	pub environment_hash: Hash,
	/// Digest of the off-chain provenance statement.
	pub statement_digest: Hash,
	/// Root over the training log.
	pub training_log_root: Hash,
}

impl<MaxDatasets: Get<u32>, MaxBaseCheckpoints: Get<u32>>
	TrainingClaim<MaxDatasets, MaxBaseCheckpoints>
{
	/// What the run declares it started from.
	pub fn inputs(&self) -> provenance_primitives::traits::RunInputs {
		provenance_primitives::traits::RunInputs {
			datasets: self.datasets.to_vec(),
			base_checkpoints: self.base_checkpoints.to_vec(),
			pipeline: alloc::vec![self.code_hash, self.environment_hash],
		}
	}
}

/// What a run asks attesters to check. Every kind goes through the same commit-reveal,
/// quorum, challenge window and slashing; only what is checked, and what happens when the
/// run settles, differ.
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
#[scale_info(skip_type_params(MaxDatasets, MaxBaseCheckpoints))]
pub enum Claim<MaxDatasets: Get<u32>, MaxBaseCheckpoints: Get<u32>> {
	/// A lab's training run; the run's output is the RFC 6962 root over the weight files, as
	/// checkpoints register them. Settled attested, it is linked to that checkpoint.
	Training(TrainingClaim<MaxDatasets, MaxBaseCheckpoints>),
	/// An evaluation the evaluations pallet recorded: its harness, run in its environment on its
	/// dataset, gives its checkpoint its declared score. The run's output is
	/// [`provenance_primitives::evaluation_result_digest`] of the declared result; the
	/// evaluations pallet learns how the run settled.
	Evaluation(EvaluationId),
}

/// A claim declared for attesters to check: a training run, an evaluation.
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
#[scale_info(skip_type_params(MaxDatasets, MaxBaseCheckpoints))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Run<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxDatasets: Get<u32>,
	MaxBaseCheckpoints: Get<u32>,
> {
	/// Who declared it: pays the reward and the deposit, and may not attest it.
	pub claimant: AccountId,
	pub claim: Claim<MaxDatasets, MaxBaseCheckpoints>,
	/// What a `Valid` verdict must have found: the output weights of a training run, the
	/// result digest of an evaluation.
	pub output_hash: Hash,
	/// Paid to the attesters whose verdict stands; held from the claimant until then.
	pub reward: Balance,
	/// The deposit for the record, held from the claimant for its life.
	pub deposit: Balance,
	pub declared_at: BlockNumber,
	/// Commits are taken up to and including this block, reveals after it.
	pub commit_end: BlockNumber,
	/// The last block reveals are taken; without quorum by then the run expires.
	pub deadline: BlockNumber,
	/// Active stake of all attesters when the run was declared: the base of the stake
	/// quorum, unless more was committed.
	pub stake_snapshot: Balance,
	/// Verdicts committed.
	pub commits: u32,
	/// The stake behind every verdict committed. Quorum is a share of this or of the snapshot,
	/// whichever is larger, so that stake bonded after the declaration cannot make both
	/// verdicts reach quorum.
	pub committed_stake: Balance,
	/// Revealed `Valid` verdicts still standing (not slashed).
	pub valid: Tally<Balance>,
	/// Revealed `Invalid` verdicts still standing.
	pub invalid: Tally<Balance>,
	pub status: RunStatus<BlockNumber>,
	/// Challenges waiting for a ruling; the run cannot become final while there are any.
	pub open_challenges: u32,
	/// A ruling set the outcome: slashes no longer make quorum decide it again.
	pub ruled: bool,
	/// The rules in force when the run was declared: it is decided, challenged, slashed and
	/// settled by them to its end.
	pub rules: crate::RunRules<Balance, BlockNumber>,
}

impl<
		AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
		Balance: Clone + PartialEq + Eq + core::fmt::Debug,
		BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxDatasets: Get<u32>,
		MaxBaseCheckpoints: Get<u32>,
	> Run<AccountId, Balance, BlockNumber, MaxDatasets, MaxBaseCheckpoints>
{
	/// The tally of `verdict`.
	pub fn tally(&self, verdict: Verdict) -> &Tally<Balance> {
		match verdict {
			Verdict::Valid => &self.valid,
			Verdict::Invalid => &self.invalid,
		}
	}

	/// The tally of `verdict`, to change.
	pub fn tally_mut(&mut self, verdict: Verdict) -> &mut Tally<Balance> {
		match verdict {
			Verdict::Valid => &mut self.valid,
			Verdict::Invalid => &mut self.invalid,
		}
	}
}

/// One attester's verdict on one run.
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
pub struct Vote<Balance> {
	/// `blake2_256` of (run, attester, statement, salt), SCALE-encoded.
	pub commitment: Hash,
	/// The attester's bonded stake when it committed: its weight, and the base of its slash.
	pub stake: Balance,
	/// The statement, once revealed.
	pub revealed: Option<Statement>,
	/// Slashed once; never again for this verdict.
	pub slashed: bool,
}

/// A challenge of one attester's verdict on one run.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Challenge<AccountId, Balance> {
	pub challenger: AccountId,
	/// Held from the challenger; forfeit if the challenge is dismissed.
	pub bond: Balance,
}

/// Why an attester was slashed.
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
pub enum Fault {
	/// `DisputeOrigin` upheld a challenge of its verdict.
	Upheld,
	/// It signed a statement other than the one it revealed.
	Equivocation,
	/// It revealed `Valid` for weights other than the run declared.
	Contradiction,
	/// It committed a verdict and never revealed it (`unrevealed_slash`, not a fault).
	Unrevealed,
	/// It let `max_missed_runs` runs in a row settle without a verdict while active.
	Absent,
}

impl Fault {
	/// Whether it counts towards `max_faults`: an unrevealed verdict costs stake only.
	pub fn counts(self) -> bool {
		!matches!(self, Self::Unrevealed)
	}
}

/// A slash of one attester for its verdict on one run.
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
pub struct SlashRecord<Balance, BlockNumber> {
	pub fault: Fault,
	/// `slash_fraction` of the verdict's stake.
	pub due: Balance,
	/// What its stake covered of that.
	pub slashed: Balance,
	pub at: BlockNumber,
}

/// A statement with the attester's signature, as evidence of equivocation. The signed
/// message is [`signed_statement_payload`].
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct SignedStatement<Signature> {
	pub statement: Statement,
	pub signature: Signature,
}

/// The bytes an attester signs to state `statement` about `run` off chain: a domain tag, the
/// chain's genesis hash (so that a statement from another chain is no evidence here), the run
/// and the statement, SCALE-encoded.
pub fn signed_statement_payload<GenesisHash: Encode>(
	genesis_hash: &GenesisHash,
	run: provenance_primitives::RunId,
	statement: &Statement,
) -> alloc::vec::Vec<u8> {
	(b"provenance/statement", genesis_hash, run, statement).encode()
}
