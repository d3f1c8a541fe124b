//! # Attestations
//!
//! Staked attesters check the claims declared about checkpoints and vouch for them, or not,
//! with their stake on the line: how a checkpoint was trained (a lab's training run), and what
//! it scores on a benchmark (an evaluation, declared through the evaluations pallet with
//! [`EvaluationRuns`]). Every kind of claim is a *run* with a declared output and goes through
//! the same commit-reveal, quorum, challenges, slashing and settlement; what the attesters
//! agree on is what the chain believes.
//!
//! The periods, amounts and shares named in `snake_case` below are runtime [`parameters`]:
//! each network sets them in its genesis, `ParametersOrigin` changes them, and a run keeps
//! those it was declared under.
//!
//! ## Attesters
//!
//! An account becomes an attester by bonding at least `min_stake` ([`Pallet::bond`]),
//! held from its balance. Its *bonded* stake backs the verdicts it commits and counts towards
//! quorums while it is active. [`Pallet::unbond`] moves stake into an *unbonding* chunk that
//! is released by [`Pallet::withdraw_unbonded`] `unbonding_period` blocks later; until then it
//! can still be slashed, and no withdrawal happens while a challenge against the attester is
//! open. [`Pallet::chill`] stops taking new runs, [`Pallet::activate`] resumes.
//!
//! At most `MaxAttesters` attesters are active at once, and the places go to stake, not to
//! arrival order: when the set is full, a bond (or a reactivation) larger than the smallest
//! active one takes its place, and that attester is chilled (`Displaced`). Minimal bonds
//! therefore cannot fill the set to keep a larger attester out.
//!
//! ## Training runs and verdicts
//!
//! A lab declares a run ([`Pallet::declare_run`]): the datasets and base checkpoints it
//! trained on (which must exist; the datasets neither revoked nor tainted, while a base may be
//! tainted: an unlearning run starts from one), hashes of its
//! configuration, code and environment, the digest of its off-chain provenance statement,
//! the output weights hash, the training-log root, a reward held from the lab for the
//! attesters, and a deadline. The run has two phases before the deadline:
//!
//! 1. *commit*, up to `deadline - reveal_period`: each active attester commits `blake2_256((run,
//!    attester, statement, salt))` ([`commitment_of`]), where the statement is a [`Verdict`], the
//!    weights hash it found and its report's hash;
//! 2. *reveal*, to the deadline: each reveals its statement and salt.
//!
//! Nobody sees a verdict before every commit is in, so nobody can copy one; the attester's
//! account is part of the commitment, so nobody can copy a commitment either.
//!
//! A verdict wins when at least `quorum_count` attesters revealed it *and* their stake at commit
//! time is at least `quorum_stake` of the quorum's base: the active stake when the run was
//! declared, or the stake committed on the run, whichever is larger. The first verdict to win
//! decides the run (`Attested` or `Rejected`) and opens the challenge window of
//! `challenge_period` blocks. Both verdicts' stakes are parts of the committed stake and
//! `quorum_stake` is above one half, so two verdicts can never both win, however much stake is
//! bonded after the declaration (a base fixed at the declaration alone would let fresh bonds
//! carry both). Reveals keep coming in to the deadline. A run without a winner at the deadline
//! expires and its reward goes back to the lab. When slashes take a deciding verdict out of
//! its tally, the run is decided again from the verdicts that stand ([`slashing`]).
//!
//! A lab holds at most one open, decided or attested run per output, and another account's run
//! on the same output does not stand in its way: only a run by the checkpoint's owner is ever
//! linked to the checkpoint, so squatting an output blocks no one. On its own registered
//! checkpoint, a run must name the checkpoint's datasets and parents (`LineageMismatch`).
//!
//! ## Challenges, faults and slashing
//!
//! See [`slashing`] for the rules and the reasoning behind them: who may be slashed, for what,
//! by how much, where the funds go, and why no one escapes a slash by unbonding.
//!
//! ## Settlement
//!
//! After the window, with no challenge open, anyone calls [`Pallet::settle_run`]: the run is
//! `Final`, its reward is split by stake among the attesters whose verdict stood (the one the
//! run ended with, not slashed; per head, a Sybil's many small attesters would out-earn one
//! large one) and the rest, with any share an account cannot take, goes back to the claimant.
//! Verdicts committed and never revealed forfeit `unrevealed_slash` of their stake, and active
//! attesters that gave no verdict count a missed run ([`slashing`]). An attested final
//! training run is linked to its claimant's checkpoint with its output weights, whichever of
//! the two was registered first, if the checkpoint registered the run's datasets and base
//! checkpoints; otherwise the checkpoint records the run as a mismatch and the run vouches for
//! nothing registered ([`FinalRuns`] and [`LinkRun`]). The evaluations pallet is told how an
//! evaluation's run settled ([`OnEvaluationSettled`]). An expired run is settled the same way.
//!
//! ## Calls
//! - attesters: [`Pallet::bond`], [`Pallet::bond_extra`], [`Pallet::unbond`],
//!   [`Pallet::withdraw_unbonded`], [`Pallet::chill`], [`Pallet::activate`],
//!   [`Pallet::commit_verdict`], [`Pallet::reveal_verdict`];
//! - labs: [`Pallet::declare_run`];
//! - anyone: [`Pallet::challenge`], [`Pallet::report_equivocation`], [`Pallet::settle_run`];
//! - `DisputeOrigin`: [`Pallet::resolve_challenge`];
//! - `ParametersOrigin`: [`Pallet::set_parameters`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use parameters::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod parameters;
pub mod slashing;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod try_state;
pub mod types;
pub mod weights;

use codec::Encode;
use provenance_primitives::{merkle::Hash, RunId};

/// The commitment an attester publishes for `statement` about `run`: `blake2_256` of
/// `(run, attester, statement, salt)`, SCALE-encoded.
pub fn commitment_of<AccountId: Encode>(
	run: RunId,
	attester: &AccountId,
	statement: &Statement,
	salt: &Hash,
) -> Hash {
	sp_io::hashing::blake2_256(&(run, attester, statement, salt).encode())
}

/// Signs statements with an attester's key, for the equivocation benchmark.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// An account whose key the runtime can sign with.
	fn signer() -> AccountId;
	/// `signer`'s signature of `message`.
	fn sign(signer: &AccountId, message: &[u8]) -> Signature;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, Inspect, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
			OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;
	use provenance_primitives::{
		storage::{entries_page_of, page_of},
		traits::{
			CheckpointInspect, DatasetInspect, EvaluationRuns, FinalRuns, LinkRun,
			OnEvaluationSettled, RunInputs, RunSettlement,
		},
		AssetRef, CheckpointId, DatasetId, EvaluationId,
	};
	use sp_runtime::{
		traits::{IdentifyAccount, Saturating, Verify, Zero},
		SaturatedConversion,
	};

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type CreditOf<T> =
		fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
	pub type AttesterOf<T> =
		Attester<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxUnbondingChunks>;
	pub type ClaimOf<T> = Claim<<T as Config>::MaxDatasets, <T as Config>::MaxBaseCheckpoints>;
	pub type RunOf<T> = Run<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxDatasets,
		<T as Config>::MaxBaseCheckpoints,
	>;
	pub type ParametersOf<T> = AttestationParameters<BalanceOf<T>, BlockNumberFor<T>>;
	pub type RunRulesOf<T> = RunRules<BalanceOf<T>, BlockNumberFor<T>>;
	pub type AttesterRulesOf<T> = AttesterRules<BalanceOf<T>, BlockNumberFor<T>>;
	pub type VoteOf<T> = Vote<BalanceOf<T>>;
	pub type SlashRecordOf<T> = SlashRecord<BalanceOf<T>, BlockNumberFor<T>>;
	pub type SignedStatementOf<T> = SignedStatement<<T as Config>::OffchainSignature>;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An attester's stake, bonded or unbonding.
		AttesterStake,
		/// A run's reward, until it is paid out or refunded.
		RunReward,
		/// The deposit of a run record.
		RunDeposit,
		/// A challenger's bond, until the challenge is resolved.
		ChallengeBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency stakes, rewards, bonds and deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// The datasets pallet: a run's datasets must exist and be usable.
		type Datasets: DatasetInspect<Self::AccountId, BlockNumberFor<Self>>;
		/// The checkpoints pallet: base checkpoints must exist; final runs are linked to it.
		type Checkpoints: CheckpointInspect + LinkRun<Self::AccountId>;
		/// Told how each run on an evaluation settled (the evaluations pallet).
		type OnEvaluationSettled: OnEvaluationSettled;
		/// Who rules on challenges.
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Where slashed stake and forfeit bonds go (beyond a challenger's share).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;
		/// A signature over a statement made off chain: evidence of equivocation.
		type OffchainSignature: Verify<Signer = Self::OffchainPublic> + Parameter;
		/// The key behind an [`Config::OffchainSignature`]; it identifies an account.
		type OffchainPublic: IdentifyAccount<AccountId = Self::AccountId>;
		/// Who may change the attestation [`Parameters`].
		type ParametersOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The parameters of a chain whose genesis sets none.
		type DefaultParameters: Get<ParametersOf<Self>>;
		/// The most active attesters at once: the places go to the largest bonds.
		#[pallet::constant]
		type MaxAttesters: Get<u32>;
		/// The most unbonding chunks one attester may have.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;
		/// The deposit every run holds, whatever its size.
		#[pallet::constant]
		type RunDepositBase: Get<BalanceOf<Self>>;
		/// The deposit per byte of a run's record.
		#[pallet::constant]
		type RunDepositPerByte: Get<BalanceOf<Self>>;
		/// The most datasets a run may name.
		#[pallet::constant]
		type MaxDatasets: Get<u32>;
		/// The most base checkpoints a run may name.
		#[pallet::constant]
		type MaxBaseCheckpoints: Get<u32>;
		/// The most challenges one block dismisses for lapsing unruled; more due at once roll
		/// over to the next blocks.
		#[pallet::constant]
		type MaxLapsesPerBlock: Get<u32>;
		/// Makes datasets, checkpoints and signatures for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OffchainSignature>
			+ provenance_primitives::traits::DatasetFactory<Self::AccountId>
			+ provenance_primitives::traits::CheckpointFactory<Self::AccountId>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	#[pallet::type_value]
	pub fn DefaultParametersOf<T: Config>() -> ParametersOf<T> {
		T::DefaultParameters::get()
	}

	/// The attestation parameters in force ([`parameters`]): the rules of runs declared from
	/// now on, and of every attester.
	#[pallet::storage]
	pub type Parameters<T: Config> =
		StorageValue<_, ParametersOf<T>, ValueQuery, DefaultParametersOf<T>>;

	/// The span of run and challenge window that runs declared under replaced parameters may
	/// still need, and until when: the unbonding period stays above it ([`parameters`]).
	#[pallet::storage]
	pub type UnbondingFloor<T: Config> = StorageValue<_, SpanFloor<BlockNumberFor<T>>, ValueQuery>;

	/// The attesters.
	#[pallet::storage]
	pub type Attesters<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, AttesterOf<T>>;

	/// Accounts removed for repeated faults, once their stake left: they may not bond again.
	#[pallet::storage]
	pub type Removed<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>>;

	/// Faults of accounts that left the set before `max_faults`: they come back with them.
	#[pallet::storage]
	pub type PastFaults<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32>;

	/// The active attesters with their bonded stake: the places, at most `MaxAttesters`.
	#[pallet::storage]
	pub type ActiveSet<T: Config> =
		StorageValue<_, BoundedVec<(T::AccountId, BalanceOf<T>), T::MaxAttesters>, ValueQuery>;

	/// The id the next run gets.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextRunId<T> = StorageValue<_, RunId, ValueQuery>;

	/// The runs, by id.
	#[pallet::storage]
	pub type Runs<T: Config> = StorageMap<_, Twox64Concat, RunId, RunOf<T>>;

	/// Every run declared for an output weights hash.
	#[pallet::storage]
	pub type RunsByOutput<T> = StorageDoubleMap<_, Blake2_128Concat, Hash, Twox64Concat, RunId, ()>;

	/// The run each claimant has on an output weights hash: open, decided or final and
	/// attested. One per claimant at a time, so that no one holds another lab's output; a
	/// rejected or expired run frees it.
	#[pallet::storage]
	pub type OutputClaims<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Hash, Blake2_128Concat, T::AccountId, RunId>;

	/// Verdicts, by run and attester.
	#[pallet::storage]
	pub type Votes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RunId, Blake2_128Concat, T::AccountId, VoteOf<T>>;

	/// Open challenges, by run and challenged attester.
	#[pallet::storage]
	pub type Challenges<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RunId,
		Blake2_128Concat,
		T::AccountId,
		Challenge<T::AccountId, BalanceOf<T>>,
	>;

	/// The block by which each open challenge must be ruled, by run and challenged attester:
	/// the end of the run's challenge window plus its challenge period. Unruled by then, it
	/// lapses.
	#[pallet::storage]
	pub type ChallengeDeadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RunId, Blake2_128Concat, T::AccountId, BlockNumberFor<T>>;

	/// Open challenges by ruling deadline: (deadline block, (run, challenged attester)).
	#[pallet::storage]
	pub type RulingDeadlines<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Blake2_128Concat,
		(RunId, T::AccountId),
		(),
	>;

	/// The first block whose ruling deadlines are not all swept yet (`None` until the first
	/// sweep).
	#[pallet::storage]
	pub type RulingCursor<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	/// Slashes, by attester and run: at most one per verdict.
	#[pallet::storage]
	pub type Slashes<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, RunId, SlashRecordOf<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The network's attestation parameters; `None`: `DefaultParameters`.
		pub parameters: Option<ParametersOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		// Parameters that break a relation are refused when the chain spec is built, before
		// any chain runs.
		#[allow(clippy::panic)]
		fn build(&self) {
			let parameters = self.parameters.unwrap_or_else(T::DefaultParameters::get);
			if let Err(error) = Pallet::<T>::check_parameters(&parameters, Zero::zero()) {
				panic!("genesis attestation parameters break a relation: {error:?}");
			}
			// Stored even when they are the default, so that no runtime upgrade changes them.
			Parameters::<T>::put(parameters);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The attestation parameters changed: runs declared from now on, and every attester,
		/// are under `parameters`.
		ParametersSet { parameters: ParametersOf<T> },
		/// An account bonded stake (first bond or more).
		Bonded { attester: T::AccountId, amount: BalanceOf<T>, bonded: BalanceOf<T> },
		/// Stake started unbonding; it is released at `unlock_at`.
		Unbonding { attester: T::AccountId, amount: BalanceOf<T>, unlock_at: BlockNumberFor<T> },
		/// Unbonded stake was released; `gone`: the attester has nothing left and left the set.
		Withdrawn { attester: T::AccountId, amount: BalanceOf<T>, gone: bool },
		/// An attester stopped taking new runs.
		Chilled { attester: T::AccountId },
		/// A larger bond took `attester`'s place among the active attesters: it is chilled.
		Displaced { attester: T::AccountId, by: T::AccountId },
		/// An attester takes new runs again.
		Activated { attester: T::AccountId },
		/// An attester was removed for repeated faults; its stake unbonds.
		AttesterRemoved { attester: T::AccountId, faults: u32 },
		/// An attester's record after any change to it (stake, unbonding chunks, status,
		/// faults, open challenges, missed runs); `None`: it left, with nothing bonded or
		/// unbonding and no open challenge.
		AttesterUpdated { attester: T::AccountId, record: Option<AttesterOf<T>> },
		/// A run was declared: a lab's training run, or an evaluation.
		RunDeclared {
			run: RunId,
			claimant: T::AccountId,
			claim: ClaimOf<T>,
			output_hash: Hash,
			reward: BalanceOf<T>,
			deposit: BalanceOf<T>,
			commit_end: BlockNumberFor<T>,
			deadline: BlockNumberFor<T>,
			/// The active stake of all attesters at the declaration: the base of the stake
			/// quorum unless more is committed.
			stake_snapshot: BalanceOf<T>,
			/// The rules the run is decided, challenged and settled under.
			rules: RunRulesOf<T>,
		},
		/// An attester committed a verdict: `commitment` hashes its statement and salt.
		VerdictCommitted {
			run: RunId,
			attester: T::AccountId,
			stake: BalanceOf<T>,
			commitment: Hash,
		},
		/// An attester revealed its verdict.
		VerdictRevealed { run: RunId, attester: T::AccountId, statement: Statement },
		/// The standing verdicts of a run changed (one revealed, or a revealed one slashed):
		/// their counts and stake now.
		RunTallied { run: RunId, valid: Tally<BalanceOf<T>>, invalid: Tally<BalanceOf<T>> },
		/// Quorum decided a run (or a ruling corrected the decision); challenges are taken
		/// until `window_end`.
		RunDecided { run: RunId, outcome: Outcome, window_end: BlockNumberFor<T> },
		/// A verdict was challenged; `DisputeOrigin` rules by `ruling_deadline`, or the
		/// challenge lapses.
		Challenged {
			run: RunId,
			attester: T::AccountId,
			challenger: T::AccountId,
			bond: BalanceOf<T>,
			ruling_deadline: BlockNumberFor<T>,
		},
		/// A challenge reached its ruling deadline unruled and was dismissed without a verdict:
		/// the bond went back to the challenger, the run's outcome stands.
		ChallengeLapsed {
			run: RunId,
			attester: T::AccountId,
			challenger: T::AccountId,
			bond: BalanceOf<T>,
		},
		/// A challenge was upheld; its bond went back to the challenger.
		ChallengeUpheld { run: RunId, attester: T::AccountId, challenger: T::AccountId },
		/// A challenge was dismissed; its bond is forfeit.
		ChallengeDismissed {
			run: RunId,
			attester: T::AccountId,
			challenger: T::AccountId,
			forfeit: BalanceOf<T>,
		},
		/// An attester was slashed for its verdict on `run`. `slashed` of the `due` amount
		/// was taken (less when its stake was smaller); `reward` of it went to `reporter`, the
		/// rest to `OnSlash`.
		Slashed {
			run: RunId,
			attester: T::AccountId,
			fault: Fault,
			due: BalanceOf<T>,
			slashed: BalanceOf<T>,
			reporter: Option<T::AccountId>,
			reward: BalanceOf<T>,
		},
		/// A run is final; `paid` went to the `attesters` whose verdict stood, in proportion to
		/// their stake, and `refund` back to the lab.
		RunFinalized {
			run: RunId,
			outcome: Outcome,
			attesters: u32,
			paid: BalanceOf<T>,
			refund: BalanceOf<T>,
		},
		/// An attester was paid for its verdict.
		RewardPaid { run: RunId, attester: T::AccountId, amount: BalanceOf<T> },
		/// A run missed quorum by its deadline; its reward went back to the lab.
		RunExpired { run: RunId, refund: BalanceOf<T> },
		/// Slashes took a run's deciding verdicts below quorum: it is open again, and decided
		/// anew by the verdicts that stand and those still to be revealed.
		RunReopened { run: RunId },
		/// A ruling fixed the run's outcome as `outcome` (changed or not: `RunDecided` says
		/// when it changed); slashes no longer decide it again.
		RunRuled { run: RunId, outcome: Outcome },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The bond is below `min_stake`, or would leave less than it bonded.
		BelowMinimum,
		/// The account is an attester already.
		AlreadyAttester,
		/// The account is not an attester.
		NotAttester,
		/// `MaxAttesters` attesters are active, each with at least as much bonded.
		TooManyAttesters,
		/// The account was removed for repeated faults.
		RemovedForFaults,
		/// More unbonding chunks than `MaxUnbondingChunks`; withdraw first.
		TooManyUnbondingChunks,
		/// No unbonding stake is due.
		NothingToWithdraw,
		/// A challenge against the attester waits for a ruling.
		ChallengePending,
		/// The attester is chilled or removed.
		NotActive,
		/// The attester is active already.
		AlreadyActive,
		/// More datasets than `MaxDatasets`.
		TooManyDatasets,
		/// More base checkpoints than `MaxBaseCheckpoints`.
		TooManyBaseCheckpoints,
		/// A dataset or base checkpoint is named twice.
		DuplicateInput,
		/// A dataset does not exist.
		UnknownDataset,
		/// A base checkpoint does not exist.
		UnknownCheckpoint,
		/// A dataset is revoked.
		DatasetRevoked,
		/// A dataset is in breach of a contributor's consent withdrawal.
		DatasetNonCompliant,
		/// An input descends from revoked data.
		InputTainted,
		/// The caller has a run on these output weights already.
		OutputClaimed,
		/// The caller's checkpoint with these weights registered another lineage than the run
		/// declares.
		LineageMismatch,
		/// The reward is zero.
		ZeroReward,
		/// The deadline leaves less than `min_commit_period` plus `reveal_period`, or is further
		/// than `max_run_duration`.
		BadDeadline,
		/// No attester has active stake.
		NoActiveStake,
		/// No run has this id.
		UnknownRun,
		/// The lab may not attest its own run.
		OwnRun,
		/// The attester committed a verdict on this run already.
		AlreadyCommitted,
		/// The run has `MaxAttesters` verdicts.
		TooManyVerdicts,
		/// The commit phase is over.
		CommitPhaseOver,
		/// The reveal phase has not started.
		RevealPhaseNotStarted,
		/// The reveal phase is over.
		RevealPhaseOver,
		/// The attester has no verdict on this run (or has not revealed it).
		NoVerdict,
		/// The attester revealed already.
		AlreadyRevealed,
		/// The statement and salt do not hash to the commitment.
		CommitmentMismatch,
		/// The run has not been decided.
		NotDecided,
		/// The challenge window is closed.
		ChallengeWindowClosed,
		/// The verdict is challenged already.
		AlreadyChallenged,
		/// An attester may not challenge its own verdict.
		OwnVerdict,
		/// The verdict was slashed already.
		AlreadySlashed,
		/// No open challenge of this verdict.
		NoChallenge,
		/// The signed statement is the one the attester revealed.
		SameStatement,
		/// The signature is not the attester's over the statement.
		BadSignature,
		/// The run is final or expired.
		RunSettled,
		/// The run's deadline or challenge window has not passed, or a challenge is open.
		TooEarly,
		/// An attester may not report its own fault.
		OwnReport,
		/// Parameters: `quorum_stake` is not above one half.
		QuorumStakeTooLow,
		/// Parameters: `quorum_count` is zero.
		ZeroQuorumCount,
		/// Parameters: the commit or the reveal phase is zero blocks.
		ZeroPeriod,
		/// Parameters: a commit and a reveal phase do not fit in `max_run_duration`.
		RunDurationTooShort,
		/// Parameters: the challenge window is shorter than the reveal phase.
		ChallengePeriodTooShort,
		/// Parameters: the unbonding period does not outlast a run and its challenge window.
		UnbondingTooShort,
		/// Parameters: the unbonding period does not outlast the windows of runs declared under
		/// replaced parameters; lower it once they are past.
		UnbondingBelowOpenRuns,
		/// Parameters: `quorum_count` is above `MaxAttesters`.
		QuorumCountTooHigh,
		/// Parameters: `max_faults` is zero.
		ZeroMaxFaults,
		/// Parameters: a wrong, unrevealed or absent verdict would cost nothing.
		ZeroSlash,
		/// Parameters: runs paying nothing would ask attesters to attend.
		ZeroAttendanceReward,
		/// Parameters: a challenge would hold no bond.
		ZeroChallengeBond,
		/// Parameters: proving a fault of the smallest stake would pay less than the bond.
		ChallengeUnrewarded,
		/// Parameters: the challenger's share is above one half of a slash.
		ChallengerShareTooHigh,
		/// The attester has `max_faults` faults (the limit was lowered): it takes no runs.
		TooManyFaults,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Dismisses the challenges whose ruling deadline passed unruled, before the block's
		/// transactions, so that no run or stake stays frozen by a body that does not rule.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::sweep_ruling_deadlines(now)
		}

		fn integrity_test() {
			assert!(T::MaxLapsesPerBlock::get() > 0, "MaxLapsesPerBlock must be positive");
			assert!(
				Self::check_parameters(&T::DefaultParameters::get(), Zero::zero()).is_ok(),
				"DefaultParameters must keep every relation of the parameters module"
			);
			assert!(T::MaxUnbondingChunks::get() > 0, "MaxUnbondingChunks must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Becomes an attester with `amount` bonded (held from the caller). When
		/// `MaxAttesters` are active, a bond larger than the smallest active one takes its
		/// place, and that attester is chilled.
		///
		/// - origin: signed, not an attester, never removed for faults; faults it had when it left
		///   come back.
		/// - `amount`: at least `min_stake`.
		///
		/// Emits `Bonded` (and `Displaced`). Complexity: O(MaxAttesters).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::bond())]
		pub fn bond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Attesters::<T>::contains_key(&who), Error::<T>::AlreadyAttester);
			ensure!(!Removed::<T>::contains_key(&who), Error::<T>::RemovedForFaults);
			let rules = Parameters::<T>::get().attesters;
			ensure!(amount >= rules.min_stake, Error::<T>::BelowMinimum);
			let faults = PastFaults::<T>::get(&who).unwrap_or_default();
			ensure!(faults < rules.max_faults, Error::<T>::TooManyFaults);
			Self::make_room(&who, amount)?;
			T::Currency::hold(&HoldReason::AttesterStake.into(), &who, amount)?;
			let attester = AttesterOf::<T> {
				status: AttesterStatus::Active,
				bonded: amount,
				unbonding: Default::default(),
				faults,
				open_challenges: 0,
				missed: 0,
				status_since: frame_system::Pallet::<T>::block_number(),
			};
			PastFaults::<T>::remove(&who);
			Self::put_attester(&who, attester);
			Self::deposit_event(Event::Bonded { attester: who, amount, bonded: amount });
			Ok(())
		}

		/// Bonds `amount` more.
		///
		/// - origin: signed, an attester that was not removed.
		///
		/// Emits `Bonded`. Complexity: O(MaxAttesters).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut attester = Attesters::<T>::get(&who).ok_or(Error::<T>::NotAttester)?;
			ensure!(attester.status != AttesterStatus::Removed, Error::<T>::RemovedForFaults);
			T::Currency::hold(&HoldReason::AttesterStake.into(), &who, amount)?;
			attester.bonded.saturating_accrue(amount);
			let bonded = attester.bonded;
			Self::put_attester(&who, attester);
			Self::deposit_event(Event::Bonded { attester: who, amount, bonded });
			Ok(())
		}

		/// Starts unbonding `amount`: it stays held, and slashable, for `unbonding_period`.
		///
		/// - origin: signed, an attester.
		/// - `amount`: at most its bonded stake, leaving nothing or at least `min_stake`; unbonding
		///   everything chills the attester.
		///
		/// Emits `Unbonding` (and `Chilled`). Complexity: O(MaxAttesters).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut attester = Attesters::<T>::get(&who).ok_or(Error::<T>::NotAttester)?;
			ensure!(!amount.is_zero() && amount <= attester.bonded, Error::<T>::BelowMinimum);
			let left = attester.bonded.saturating_sub(amount);
			ensure!(
				left.is_zero() || left >= Parameters::<T>::get().attesters.min_stake,
				Error::<T>::BelowMinimum
			);
			let unlock_at = Self::schedule_unbonding(&mut attester, amount, false)?;
			let chilled = left.is_zero() && attester.status == AttesterStatus::Active;
			if chilled {
				attester.chill(frame_system::Pallet::<T>::block_number());
			}
			Self::put_attester(&who, attester);
			Self::deposit_event(Event::Unbonding { attester: who.clone(), amount, unlock_at });
			if chilled {
				Self::deposit_event(Event::Chilled { attester: who });
			}
			Ok(())
		}

		/// Releases the caller's unbonding stake that is due; an attester left with nothing
		/// leaves the set (its faults are remembered).
		///
		/// - origin: signed, an attester with no open challenge against it.
		///
		/// Emits `Withdrawn`. Complexity: O(MaxUnbondingChunks + MaxAttesters).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut attester = Attesters::<T>::get(&who).ok_or(Error::<T>::NotAttester)?;
			ensure!(attester.open_challenges == 0, Error::<T>::ChallengePending);
			let now = frame_system::Pallet::<T>::block_number();
			let mut amount = BalanceOf::<T>::zero();
			attester.unbonding.retain(|chunk| {
				let due = chunk.unlock_at <= now;
				if due {
					amount.saturating_accrue(chunk.amount);
				}
				!due
			});
			ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
			T::Currency::release(
				&HoldReason::AttesterStake.into(),
				&who,
				amount,
				Precision::Exact,
			)?;
			let gone = Self::put_attester(&who, attester);
			Self::deposit_event(Event::Withdrawn { attester: who, amount, gone });
			Ok(())
		}

		/// Stops taking new runs; verdicts already committed stand and the stake stays bonded.
		///
		/// - origin: signed, an active attester.
		///
		/// Emits `Chilled`. Complexity: O(MaxAttesters).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::chill())]
		pub fn chill(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut attester = Attesters::<T>::get(&who).ok_or(Error::<T>::NotAttester)?;
			ensure!(attester.status == AttesterStatus::Active, Error::<T>::NotActive);
			attester.chill(frame_system::Pallet::<T>::block_number());
			Self::put_attester(&who, attester);
			Self::deposit_event(Event::Chilled { attester: who });
			Ok(())
		}

		/// Takes new runs again; as [`Pallet::bond`], a full set makes room for a larger bond.
		/// Missed runs in a row are not forgiven by chilling.
		///
		/// - origin: signed, a chilled attester with at least `min_stake` bonded, active last at
		///   least `max_run_duration` blocks ago.
		///
		/// Emits `Activated` (and `Displaced`). Complexity: O(MaxAttesters).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::activate())]
		pub fn activate(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut attester = Attesters::<T>::get(&who).ok_or(Error::<T>::NotAttester)?;
			match attester.status {
				AttesterStatus::Active => return Err(Error::<T>::AlreadyActive.into()),
				AttesterStatus::Removed => return Err(Error::<T>::RemovedForFaults.into()),
				AttesterStatus::Chilled => {},
			}
			let parameters = Parameters::<T>::get();
			Self::ensure_in_rules(&attester, &parameters.attesters)?;
			let now = frame_system::Pallet::<T>::block_number();
			// Back no sooner than a run lasts after leaving (under the rules in force, or under
			// replaced ones whose runs may be open): chilling and activating again would
			// otherwise restart `status_since` and dodge the absences of the runs whose snapshot
			// counted it.
			let longest_run = parameters
				.runs
				.max_run_duration
				.max(UnbondingFloor::<T>::get().longest_run_at(now));
			ensure!(now >= attester.status_since.saturating_add(longest_run), Error::<T>::TooEarly);
			Self::make_room(&who, attester.bonded)?;
			attester.status = AttesterStatus::Active;
			attester.status_since = now;
			Self::put_attester(&who, attester);
			Self::deposit_event(Event::Activated { attester: who });
			Ok(())
		}

		/// Declares a training run for attesters to check.
		///
		/// - origin: signed, the lab; it pays the reward and the record's deposit (held).
		/// - `datasets`, `base_checkpoints`: distinct and existing, at most `MaxDatasets` and
		///   `MaxBaseCheckpoints`; datasets neither revoked nor tainted (a base checkpoint may be
		///   tainted: an unlearning run starts from one). When the caller has registered the
		///   checkpoint with `weights_hash`, they must be its datasets and parents.
		/// - `config_hash`, `code_hash`, `environment_hash`: what ran; `statement_digest`: the
		///   off-chain provenance statement; `training_log_root`: the training log.
		/// - `weights_hash`: the output, as its checkpoint registers it; the caller may have one
		///   open, decided or attested run on it at a time (others' runs do not stand in its way,
		///   and only the checkpoint owner's run is ever linked to it).
		/// - `reward`: non-zero, paid to the attesters whose verdict stands.
		/// - `deadline`: the last block of the reveal phase; at least `min_commit_period +
		///   reveal_period` and at most `max_run_duration` blocks away.
		///
		/// Emits `RunDeclared`. Complexity: O(datasets + base_checkpoints).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::declare_run(
			(datasets.len() as u32).min(T::MaxDatasets::get()),
			(base_checkpoints.len() as u32).min(T::MaxBaseCheckpoints::get()),
		))]
		pub fn declare_run(
			origin: OriginFor<T>,
			datasets: Vec<DatasetId>,
			base_checkpoints: Vec<CheckpointId>,
			config_hash: Hash,
			code_hash: Hash,
			environment_hash: Hash,
			statement_digest: Hash,
			weights_hash: Hash,
			training_log_root: Hash,
			#[pallet::compact] reward: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> DispatchResult {
			let lab = ensure_signed(origin)?;
			let datasets: BoundedVec<DatasetId, T::MaxDatasets> =
				datasets.try_into().map_err(|_| Error::<T>::TooManyDatasets)?;
			let base_checkpoints: BoundedVec<CheckpointId, T::MaxBaseCheckpoints> =
				base_checkpoints.try_into().map_err(|_| Error::<T>::TooManyBaseCheckpoints)?;
			for (i, id) in datasets.iter().enumerate() {
				ensure!(!datasets.iter().take(i).any(|d| d == id), Error::<T>::DuplicateInput);
				let dataset = T::Datasets::dataset(*id).ok_or(Error::<T>::UnknownDataset)?;
				ensure!(!dataset.revoked, Error::<T>::DatasetRevoked);
				ensure!(!dataset.consent_breached, Error::<T>::DatasetNonCompliant);
				ensure!(
					!T::Checkpoints::is_tainted(AssetRef::Dataset(*id)),
					Error::<T>::InputTainted
				);
			}
			for (i, id) in base_checkpoints.iter().enumerate() {
				ensure!(
					!base_checkpoints.iter().take(i).any(|c| c == id),
					Error::<T>::DuplicateInput
				);
				ensure!(T::Checkpoints::checkpoint_exists(*id), Error::<T>::UnknownCheckpoint);
			}
			ensure!(
				!OutputClaims::<T>::contains_key(weights_hash, &lab),
				Error::<T>::OutputClaimed
			);
			let inputs = RunInputs {
				datasets: datasets.to_vec(),
				base_checkpoints: base_checkpoints.to_vec(),
				pipeline: Vec::new(),
			};
			if let Some((_, lineage)) = T::Checkpoints::lineage_of(&weights_hash, &lab) {
				ensure!(lineage.same_as(&inputs), Error::<T>::LineageMismatch);
			}
			let claim = Claim::Training(TrainingClaim {
				datasets,
				base_checkpoints,
				config_hash,
				code_hash,
				environment_hash,
				statement_digest,
				training_log_root,
			});
			let id = Self::open_run(&lab, claim, weights_hash, reward, deadline)?;
			OutputClaims::<T>::insert(weights_hash, &lab, id);
			RunsByOutput::<T>::insert(weights_hash, id, ());
			Ok(())
		}

		/// Commits a verdict on `run`: [`commitment_of`] its statement and a secret salt.
		///
		/// - origin: signed, an attester other than the run's lab, active since before the run was
		///   declared, once per run, during the commit phase. Its bonded stake now is the verdict's
		///   weight; a verdict committed and never revealed forfeits `unrevealed_slash` of it when
		///   the run settles.
		///
		/// Emits `VerdictCommitted`. Complexity: O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::commit_verdict())]
		pub fn commit_verdict(
			origin: OriginFor<T>,
			run: RunId,
			commitment: Hash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Runs::<T>::get(run).ok_or(Error::<T>::UnknownRun)?;
			ensure!(record.claimant != who, Error::<T>::OwnRun);
			let mut attester = Attesters::<T>::get(&who).ok_or(Error::<T>::NotAttester)?;
			ensure!(attester.status == AttesterStatus::Active, Error::<T>::NotActive);
			// Only stake in the run's snapshot votes: accounts activated afterwards cannot
			// cycle through a free place to fill the run's verdicts.
			ensure!(attester.status_since <= record.declared_at, Error::<T>::NotActive);
			Self::ensure_in_rules(&attester, &Parameters::<T>::get().attesters)?;
			ensure!(
				frame_system::Pallet::<T>::block_number() <= record.commit_end,
				Error::<T>::CommitPhaseOver
			);
			ensure!(!Votes::<T>::contains_key(run, &who), Error::<T>::AlreadyCommitted);
			// Attesters slashed to nothing leave the set and free their places, so the set's
			// bound alone does not bound a run's verdicts; settlement pays them all in one call.
			ensure!(record.commits < T::MaxAttesters::get(), Error::<T>::TooManyVerdicts);
			record.commits.saturating_inc();
			let stake = attester.bonded;
			record.committed_stake.saturating_accrue(stake);
			if attester.missed != 0 {
				attester.missed = 0;
				Self::store_attester(&who, Some(attester));
			}
			Votes::<T>::insert(
				run,
				&who,
				VoteOf::<T> { commitment, stake, revealed: None, slashed: false },
			);
			Runs::<T>::insert(run, record);
			Self::deposit_event(Event::VerdictCommitted { run, attester: who, stake, commitment });
			Ok(())
		}

		/// Reveals the caller's committed verdict on `run`.
		///
		/// - origin: signed, an attester with a commitment on `run`, during the reveal phase.
		/// - `statement`, `salt`: what was committed to.
		///
		/// A `Valid` verdict on other weights than the run declared contradicts itself: it is
		/// slashed at once and not counted. Otherwise it counts, and the first verdict to
		/// reach quorum decides the run.
		///
		/// Emits `VerdictRevealed`, and `RunDecided` or `Slashed`. Complexity: O(1). Charged
		/// for a slash; a counted verdict is refunded down to its own path's weight.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::reveal_verdict())]
		pub fn reveal_verdict(
			origin: OriginFor<T>,
			run: RunId,
			statement: Statement,
			salt: Hash,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut record = Runs::<T>::get(run).ok_or(Error::<T>::UnknownRun)?;
			let mut vote = Votes::<T>::get(run, &who).ok_or(Error::<T>::NoVerdict)?;
			ensure!(
				matches!(record.status, RunStatus::Open | RunStatus::Decided { .. }),
				Error::<T>::RunSettled
			);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now > record.commit_end, Error::<T>::RevealPhaseNotStarted);
			ensure!(now <= record.deadline, Error::<T>::RevealPhaseOver);
			ensure!(vote.revealed.is_none(), Error::<T>::AlreadyRevealed);
			ensure!(
				commitment_of(run, &who, &statement, &salt) == vote.commitment,
				Error::<T>::CommitmentMismatch
			);
			vote.revealed = Some(statement);
			Self::deposit_event(Event::VerdictRevealed { run, attester: who.clone(), statement });
			let actual_weight = if statement.contradicts(&record.output_hash) {
				Self::slash_verdict(
					run,
					&record.rules,
					&who,
					&mut vote,
					Fault::Contradiction,
					None,
				);
				None
			} else {
				let tally = record.tally_mut(statement.verdict);
				tally.count.saturating_inc();
				tally.stake.saturating_accrue(vote.stake);
				let tally = *tally;
				Self::deposit_event(Event::RunTallied {
					run,
					valid: record.valid,
					invalid: record.invalid,
				});
				if record.status == RunStatus::Open && Self::reaches_quorum(&tally, &record) {
					let outcome = statement.verdict.outcome();
					let window_end = now.saturating_add(record.rules.challenge_period);
					record.status = RunStatus::Decided { outcome, window_end };
					Self::deposit_event(Event::RunDecided { run, outcome, window_end });
				}
				Some(T::WeightInfo::reveal_verdict_counted())
			};
			Votes::<T>::insert(run, &who, vote);
			Runs::<T>::insert(run, record);
			Ok(actual_weight.into())
		}

		/// Challenges `attester`'s verdict on a decided `run`, holding `challenge_bond` from
		/// the caller until `DisputeOrigin` rules.
		///
		/// - origin: signed, not the attester; inside the run's challenge window.
		/// - the verdict must be revealed and not challenged already. A verdict slashed for
		///   equivocation may still be challenged (an upheld ruling corrects the run); one slashed
		///   for contradicting the run's output may not: it was never counted.
		///
		/// Emits `Challenged`. Complexity: O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::challenge())]
		pub fn challenge(
			origin: OriginFor<T>,
			run: RunId,
			attester: T::AccountId,
		) -> DispatchResult {
			let challenger = ensure_signed(origin)?;
			ensure!(challenger != attester, Error::<T>::OwnVerdict);
			let mut record = Runs::<T>::get(run).ok_or(Error::<T>::UnknownRun)?;
			let window_end = match record.status {
				RunStatus::Decided { window_end, .. } => {
					ensure!(
						frame_system::Pallet::<T>::block_number() <= window_end,
						Error::<T>::ChallengeWindowClosed
					);
					window_end
				},
				RunStatus::Open => return Err(Error::<T>::NotDecided.into()),
				RunStatus::Final { .. } | RunStatus::Expired => {
					return Err(Error::<T>::ChallengeWindowClosed.into())
				},
			};
			let vote = Votes::<T>::get(run, &attester).ok_or(Error::<T>::NoVerdict)?;
			ensure!(vote.revealed.is_some(), Error::<T>::NoVerdict);
			// A contradicting verdict was never counted and is wrong on its face: a ruling on
			// it would say nothing about the run, so it cannot be used to overturn one.
			ensure!(
				Slashes::<T>::get(&attester, run).map(|s| s.fault) != Some(Fault::Contradiction),
				Error::<T>::AlreadySlashed
			);
			ensure!(!Challenges::<T>::contains_key(run, &attester), Error::<T>::AlreadyChallenged);
			let bond = record.rules.challenge_bond;
			// After the window, so that a lapsed challenge's verdict cannot be challenged again.
			let ruling_deadline = window_end.saturating_add(record.rules.challenge_period);
			T::Currency::hold(&HoldReason::ChallengeBond.into(), &challenger, bond)?;
			record.open_challenges.saturating_inc();
			Runs::<T>::insert(run, record);
			// An attester that already left can still be found wrong: the run is corrected
			// even when there is no stake left to slash.
			if let Some(mut accused) = Attesters::<T>::get(&attester) {
				accused.open_challenges.saturating_inc();
				Self::store_attester(&attester, Some(accused));
			}
			Challenges::<T>::insert(
				run,
				&attester,
				Challenge { challenger: challenger.clone(), bond },
			);
			ChallengeDeadlines::<T>::insert(run, &attester, ruling_deadline);
			RulingDeadlines::<T>::insert(ruling_deadline, (run, attester.clone()), ());
			Self::deposit_event(Event::Challenged {
				run,
				attester,
				challenger,
				bond,
				ruling_deadline,
			});
			Ok(())
		}

		/// Rules on the challenge of `attester`'s verdict on `run`.
		///
		/// - origin: `DisputeOrigin`.
		/// - `upheld`: the verdict was wrong. The attester is slashed (unless it was already, for
		///   this verdict), the challenger gets its bond back and `challenger_share` of the slash,
		///   and the run's outcome becomes the opposite of the verdict. Otherwise the challenger's
		///   bond is forfeit to `OnSlash`.
		///
		/// Emits `ChallengeUpheld` with `Slashed` (and `RunDecided` if the outcome changed),
		/// or `ChallengeDismissed`. Complexity: O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::resolve_challenge_upheld()
			.max(T::WeightInfo::resolve_challenge_dismissed()))]
		pub fn resolve_challenge(
			origin: OriginFor<T>,
			run: RunId,
			attester: T::AccountId,
			upheld: bool,
		) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			let (challenge, mut record) = Self::close_challenge(run, &attester)?;
			let mut vote = Votes::<T>::get(run, &attester).ok_or(Error::<T>::NoVerdict)?;
			if upheld {
				T::Currency::release(
					&HoldReason::ChallengeBond.into(),
					&challenge.challenger,
					challenge.bond,
					Precision::BestEffort,
				)?;
				Self::deposit_event(Event::ChallengeUpheld {
					run,
					attester: attester.clone(),
					challenger: challenge.challenger.clone(),
				});
				if !vote.slashed {
					Self::untally(run, &mut record, &vote);
					Self::slash_verdict(
						run,
						&record.rules,
						&attester,
						&mut vote,
						Fault::Upheld,
						Some(challenge.challenger),
					);
					Votes::<T>::insert(run, &attester, vote);
				}
				if let Some(statement) = vote.revealed {
					Self::rule(run, &mut record, statement.verdict.opposite().outcome());
				}
			} else {
				let (credit, _) = <T::Currency as fungible::BalancedHold<T::AccountId>>::slash(
					&HoldReason::ChallengeBond.into(),
					&challenge.challenger,
					challenge.bond,
				);
				T::OnSlash::on_unbalanced(credit);
				Self::deposit_event(Event::ChallengeDismissed {
					run,
					attester,
					challenger: challenge.challenger,
					forfeit: challenge.bond,
				});
			}
			Runs::<T>::insert(run, record);
			Ok(())
		}

		/// Proves that `attester` equivocated on `run`: it signed a statement other than the
		/// one it revealed. It is slashed without a judge; the caller gets `challenger_share`
		/// of the slash. If the verdict was one of those that decided the run and what stands
		/// without it no longer reaches quorum, the run is decided again (or reopened).
		///
		/// - origin: signed, anyone but the attester; while the run is open or inside its challenge
		///   window.
		/// - `evidence`: the statement and the attester's signature of
		///   [`signed_statement_payload`].
		///
		/// Emits `Slashed` (and `RunDecided` or `RunReopened`). Complexity: O(1) plus one
		/// signature check.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::report_equivocation())]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			run: RunId,
			attester: T::AccountId,
			evidence: SignedStatementOf<T>,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			ensure!(reporter != attester, Error::<T>::OwnReport);
			let mut record = Runs::<T>::get(run).ok_or(Error::<T>::UnknownRun)?;
			let now = frame_system::Pallet::<T>::block_number();
			match record.status {
				RunStatus::Open => {},
				// Past the window the decision stands: a report then could only be used to
				// reopen a run just before its settlement.
				RunStatus::Decided { window_end, .. } => {
					ensure!(now <= window_end, Error::<T>::ChallengeWindowClosed)
				},
				RunStatus::Final { .. } | RunStatus::Expired => {
					return Err(Error::<T>::RunSettled.into())
				},
			}
			let mut vote = Votes::<T>::get(run, &attester).ok_or(Error::<T>::NoVerdict)?;
			let revealed = vote.revealed.ok_or(Error::<T>::NoVerdict)?;
			ensure!(!vote.slashed, Error::<T>::AlreadySlashed);
			ensure!(evidence.statement != revealed, Error::<T>::SameStatement);
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let payload = signed_statement_payload(&genesis, run, &evidence.statement);
			ensure!(evidence.signature.verify(&payload[..], &attester), Error::<T>::BadSignature);
			Self::untally(run, &mut record, &vote);
			Self::slash_verdict(
				run,
				&record.rules,
				&attester,
				&mut vote,
				Fault::Equivocation,
				Some(reporter),
			);
			Votes::<T>::insert(run, &attester, vote);
			Self::redecide(run, &mut record);
			Runs::<T>::insert(run, record);
			Ok(())
		}

		/// Settles `run`: an open run past its deadline expires and its reward goes back to
		/// the lab; a decided run past its challenge window becomes final, its reward is split
		/// by stake among the attesters whose verdict stood, and an attested run is linked to
		/// its claimant's checkpoint with its output weights. Either way no challenge may be
		/// open; verdicts committed and never revealed forfeit `unrevealed_slash` of their
		/// stake, and active attesters without a verdict count a missed run.
		///
		/// - origin: signed, anyone.
		///
		/// Emits `RunExpired`, or `RewardPaid` per attester and `RunFinalized`; `Slashed` per
		/// unrevealed verdict or absence fault. Complexity: O(commits + MaxAttesters).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::settle_run(T::MaxAttesters::get())
			.max(T::WeightInfo::expire_run(T::MaxAttesters::get()))
			.saturating_add(T::WeightInfo::note_absences(T::MaxAttesters::get()))
			.saturating_add(T::OnEvaluationSettled::on_evaluation_settled_weight()))]
		pub fn settle_run(origin: OriginFor<T>, run: RunId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut record = Runs::<T>::get(run).ok_or(Error::<T>::UnknownRun)?;
			let now = frame_system::Pallet::<T>::block_number();
			let weight = match record.status {
				RunStatus::Open => {
					ensure!(
						now > record.deadline && record.open_challenges == 0,
						Error::<T>::TooEarly
					);
					Self::settle_votes(run, &record.rules, None);
					let looked_at = Self::note_absences(run, &record);
					let refund = Self::refund_reward(&record, record.reward)?;
					record.status = RunStatus::Expired;
					Self::deposit_event(Event::RunExpired { run, refund });
					Self::on_settled(run, &record, RunSettlement::Expired)
						.saturating_add(T::WeightInfo::expire_run(record.commits))
						.saturating_add(T::WeightInfo::note_absences(looked_at))
				},
				RunStatus::Decided { outcome, window_end } => {
					ensure!(now > window_end && record.open_challenges == 0, Error::<T>::TooEarly);
					let commits = record.commits;
					let winners = Self::settle_votes(run, &record.rules, Some(outcome));
					let looked_at = Self::note_absences(run, &record);
					Self::pay_reward(run, &record, outcome, winners)?;
					record.status = RunStatus::Final { outcome };
					let settlement = match outcome {
						Outcome::Attested => RunSettlement::Attested,
						Outcome::Rejected => RunSettlement::Rejected,
					};
					Self::on_settled(run, &record, settlement)
						.saturating_add(T::WeightInfo::settle_run(commits))
						.saturating_add(T::WeightInfo::note_absences(looked_at))
				},
				RunStatus::Final { .. } | RunStatus::Expired => {
					return Err(Error::<T>::RunSettled.into())
				},
			};
			Runs::<T>::insert(run, record);
			Ok(Some(weight).into())
		}

		/// Sets the attestation parameters: runs declared from now on are under the new run
		/// rules (runs already declared keep theirs), every attester under the new attester
		/// rules.
		///
		/// - origin: `ParametersOrigin`.
		/// - `parameters`: must keep every relation of the [`parameters`] module; among them, an
		///   unbonding period longer than a run and its window under these rules and under those of
		///   every run that may still be open.
		///
		/// Emits `ParametersSet`. Complexity: O(1).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_parameters())]
		pub fn set_parameters(origin: OriginFor<T>, parameters: ParametersOf<T>) -> DispatchResult {
			T::ParametersOrigin::ensure_origin(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			let replaced = Parameters::<T>::get().runs;
			let floor = UnbondingFloor::<T>::get().after_replacing(&replaced, now);
			Self::check_parameters(&parameters, floor.remaining(now))?;
			UnbondingFloor::<T>::put(floor);
			Parameters::<T>::put(parameters);
			Self::deposit_event(Event::ParametersSet { parameters });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Declares run `claim` by `claimant` with output `output_hash`: checks the reward,
		/// the deadline and that some attester has active stake, holds the reward and the
		/// deposit, and stores the run. Returns its id.
		pub(crate) fn open_run(
			claimant: &T::AccountId,
			claim: ClaimOf<T>,
			output_hash: Hash,
			reward: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> Result<RunId, DispatchError> {
			ensure!(!reward.is_zero(), Error::<T>::ZeroReward);
			let now = frame_system::Pallet::<T>::block_number();
			let rules = Parameters::<T>::get().runs;
			let commit_end = deadline.saturating_sub(rules.reveal_period);
			ensure!(
				commit_end >= now.saturating_add(rules.min_commit_period)
					&& deadline <= now.saturating_add(rules.max_run_duration),
				Error::<T>::BadDeadline
			);
			let stake_snapshot = Self::active_stake();
			ensure!(!stake_snapshot.is_zero(), Error::<T>::NoActiveStake);

			let id = NextRunId::<T>::get();
			let next_id = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			let mut run = RunOf::<T> {
				claimant: claimant.clone(),
				claim,
				output_hash,
				reward,
				deposit: Zero::zero(),
				declared_at: now,
				commit_end,
				deadline,
				stake_snapshot,
				commits: 0,
				committed_stake: Zero::zero(),
				valid: Default::default(),
				invalid: Default::default(),
				status: RunStatus::Open,
				open_challenges: 0,
				ruled: false,
				rules,
			};
			run.deposit = Self::deposit_for(&run);
			T::Currency::hold(&HoldReason::RunReward.into(), claimant, reward)?;
			T::Currency::hold(&HoldReason::RunDeposit.into(), claimant, run.deposit)?;
			NextRunId::<T>::put(next_id);
			Self::deposit_event(Event::RunDeclared {
				run: id,
				claimant: claimant.clone(),
				claim: run.claim.clone(),
				output_hash,
				reward,
				deposit: run.deposit,
				commit_end,
				deadline,
				stake_snapshot,
				rules,
			});
			Runs::<T>::insert(id, run);
			Ok(id)
		}

		/// What follows a run's settlement, by its kind: an attested training run is linked to
		/// its claimant's checkpoint, a rejected or expired one frees its output; an
		/// evaluation's pallet is told. Returns the weight of what was done beyond the
		/// settlement itself.
		fn on_settled(run: RunId, record: &RunOf<T>, settlement: RunSettlement) -> Weight {
			match (&record.claim, settlement) {
				(Claim::Training(claim), RunSettlement::Attested) => {
					T::Checkpoints::link_run(
						&record.output_hash,
						run,
						&record.claimant,
						&claim.inputs(),
					);
					Weight::zero()
				},
				(Claim::Training(_), RunSettlement::Rejected | RunSettlement::Expired) => {
					OutputClaims::<T>::remove(record.output_hash, &record.claimant);
					Weight::zero()
				},
				(Claim::Evaluation(evaluation), _) => {
					T::OnEvaluationSettled::on_evaluation_settled(*evaluation, run, settlement);
					T::OnEvaluationSettled::on_evaluation_settled_weight()
				},
			}
		}

		/// The bonded stake of every active attester.
		pub fn active_stake() -> BalanceOf<T> {
			ActiveSet::<T>::get()
				.iter()
				.fold(Zero::zero(), |sum: BalanceOf<T>, (_, stake)| sum.saturating_add(*stake))
		}

		/// Takes the open challenge of `attester`'s verdict on `run` off the books (its ruling
		/// deadline, and the run's and the attester's counts of open challenges); returns it with
		/// the run, for the caller to store.
		fn close_challenge(
			run: RunId,
			attester: &T::AccountId,
		) -> Result<(Challenge<T::AccountId, BalanceOf<T>>, RunOf<T>), Error<T>> {
			let mut record = Runs::<T>::get(run).ok_or(Error::<T>::UnknownRun)?;
			let challenge = Challenges::<T>::take(run, attester).ok_or(Error::<T>::NoChallenge)?;
			if let Some(deadline) = ChallengeDeadlines::<T>::take(run, attester) {
				RulingDeadlines::<T>::remove(deadline, (run, attester.clone()));
			}
			record.open_challenges.saturating_dec();
			if let Some(mut accused) = Attesters::<T>::get(attester) {
				accused.open_challenges.saturating_dec();
				Self::put_attester(attester, accused);
			}
			Ok((challenge, record))
		}

		/// Dismisses the challenges whose ruling deadline passed by `now`
		/// ([`provenance_primitives::storage::sweep_deadlines`]: at most `MaxLapsesPerBlock`, the
		/// rest in the next blocks). Returns the weight used.
		pub(crate) fn sweep_ruling_deadlines(now: BlockNumberFor<T>) -> Weight {
			let (lapsed, probes) = provenance_primitives::storage::sweep_deadlines::<
				RulingDeadlines<T>,
				RulingCursor<T>,
				_,
				_,
			>(now, T::MaxLapsesPerBlock::get(), |(run, attester)| {
				Self::lapse(run, attester)
			});
			T::WeightInfo::sweep_ruling_deadlines(lapsed)
				.saturating_add(T::DbWeight::get().reads_writes(probes.into(), 1))
		}

		/// The challenge of `attester`'s verdict on `run` reached its ruling deadline unruled:
		/// dismissed without a verdict. Its bond goes back (the challenger is not at fault for a
		/// body that did not rule) and the run's outcome stands; the window being closed, the
		/// verdict cannot be challenged again.
		fn lapse(run: RunId, attester: T::AccountId) {
			let Ok((challenge, record)) = Self::close_challenge(run, &attester) else { return };
			Runs::<T>::insert(run, record);
			let _ = T::Currency::release(
				&HoldReason::ChallengeBond.into(),
				&challenge.challenger,
				challenge.bond,
				Precision::BestEffort,
			);
			Self::deposit_event(Event::ChallengeLapsed {
				run,
				attester,
				challenger: challenge.challenger,
				bond: challenge.bond,
			});
		}

		/// Stores `attester` and its place among the active ones. An attester that holds nothing
		/// and has no open challenge leaves the set instead (a removed one for good, one with
		/// faults leaving them in `PastFaults`); returns whether it left.
		pub(crate) fn put_attester(who: &T::AccountId, mut attester: AttesterOf<T>) -> bool {
			ActiveSet::<T>::mutate(|set| {
				set.retain(|(member, _)| member != who);
				let stake = attester.active_stake();
				// `make_room` admitted every attester that turned active; a full set here would
				// be a bug, and the attester then stays out, chilled.
				if !stake.is_zero() && set.try_push((who.clone(), stake)).is_err() {
					attester.chill(frame_system::Pallet::<T>::block_number());
				}
			});
			let gone = attester.total().is_zero() && attester.open_challenges == 0;
			if !gone {
				Self::store_attester(who, Some(attester));
			} else {
				if attester.status == AttesterStatus::Removed {
					Removed::<T>::insert(who, frame_system::Pallet::<T>::block_number());
				} else if attester.faults > 0 {
					PastFaults::<T>::insert(who, attester.faults);
				}
				Self::store_attester(who, None);
			}
			gone
		}

		/// Writes `who`'s record (`None` removes it) and tells explorers what it now is: every
		/// change to an attester goes through here.
		fn store_attester(who: &T::AccountId, record: Option<AttesterOf<T>>) {
			match &record {
				Some(attester) => Attesters::<T>::insert(who, attester),
				None => Attesters::<T>::remove(who),
			}
			Self::deposit_event(Event::AttesterUpdated { attester: who.clone(), record });
		}

		/// Makes a place among the active attesters for `who` with `stake`: when `MaxAttesters`
		/// are active, the one with the least bonded is chilled if `stake` is more.
		fn make_room(who: &T::AccountId, stake: BalanceOf<T>) -> DispatchResult {
			let set = ActiveSet::<T>::get();
			if (set.len() as u32) < T::MaxAttesters::get() {
				return Ok(());
			}
			let (smallest, least) = set
				.iter()
				.min_by_key(|(_, stake)| *stake)
				.cloned()
				.ok_or(Error::<T>::TooManyAttesters)?;
			ensure!(stake > least, Error::<T>::TooManyAttesters);
			let mut displaced =
				Attesters::<T>::get(&smallest).ok_or(Error::<T>::TooManyAttesters)?;
			displaced.chill(frame_system::Pallet::<T>::block_number());
			Self::put_attester(&smallest, displaced);
			Self::deposit_event(Event::Displaced { attester: smallest, by: who.clone() });
			Ok(())
		}

		/// Moves `amount` of `attester`'s bonded stake into an unbonding chunk due
		/// `unbonding_period` from now (or later); returns when. A chunk due the same block takes
		/// it in; with `merge_when_full`, so does the last chunk once there are
		/// `MaxUnbondingChunks`.
		pub(crate) fn schedule_unbonding(
			attester: &mut AttesterOf<T>,
			amount: BalanceOf<T>,
			merge_when_full: bool,
		) -> Result<BlockNumberFor<T>, Error<T>> {
			let unlock_at = frame_system::Pallet::<T>::block_number()
				.saturating_add(Parameters::<T>::get().attesters.unbonding_period);
			attester.bonded.saturating_reduce(amount);
			let full = attester.unbonding.is_full();
			match attester.unbonding.last_mut() {
				// A merged chunk is never released earlier than it was due.
				Some(last) if last.unlock_at == unlock_at || (full && merge_when_full) => {
					last.amount.saturating_accrue(amount);
					last.unlock_at = last.unlock_at.max(unlock_at);
					Ok(last.unlock_at)
				},
				_ => {
					attester
						.unbonding
						.try_push(UnbondingChunk { amount, unlock_at })
						.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
					Ok(unlock_at)
				},
			}
		}

		/// Fails unless `attester` keeps the attester rules in force: at least `min_stake` bonded
		/// and fewer than `max_faults` faults (either may have changed since it bonded).
		fn ensure_in_rules(attester: &AttesterOf<T>, rules: &AttesterRulesOf<T>) -> DispatchResult {
			ensure!(attester.bonded >= rules.min_stake, Error::<T>::BelowMinimum);
			ensure!(attester.faults < rules.max_faults, Error::<T>::TooManyFaults);
			Ok(())
		}

		/// Whether `tally` decides `run`: enough attesters, and enough of the stake snapshot or
		/// of the stake committed, whichever is larger. Both verdicts' tallies are parts of the
		/// committed stake, so with `quorum_stake` above one half they cannot both reach it.
		pub fn reaches_quorum(tally: &Tally<BalanceOf<T>>, run: &RunOf<T>) -> bool {
			let base = run.stake_snapshot.max(run.committed_stake);
			tally.count >= run.rules.quorum_count
				&& tally.stake >= run.rules.quorum_stake.mul_ceil(base)
		}

		/// Takes a revealed, unslashed verdict out of its run's tally.
		fn untally(id: RunId, run: &mut RunOf<T>, vote: &VoteOf<T>) {
			if let (Some(statement), false) = (vote.revealed, vote.slashed) {
				let tally = run.tally_mut(statement.verdict);
				tally.count.saturating_dec();
				tally.stake.saturating_reduce(vote.stake);
				Self::deposit_event(Event::RunTallied {
					run: id,
					valid: run.valid,
					invalid: run.invalid,
				});
			}
		}

		/// Decides `run` again from the verdicts that stand, after a slash took one out: a
		/// decision quorum no longer holds goes to the other verdict if that one has quorum, or
		/// the run is open again (to be decided by reveals still to come, or to expire). A
		/// changed decision opens a new challenge window. Rulings are not undone.
		fn redecide(id: RunId, run: &mut RunOf<T>) {
			let RunStatus::Decided { outcome, .. } = run.status else { return };
			if run.ruled || Self::reaches_quorum(run.tally(outcome.verdict()), run) {
				return;
			}
			let other = outcome.verdict().opposite();
			if Self::reaches_quorum(run.tally(other), run) {
				Self::decide(id, run, other.outcome());
			} else {
				run.status = RunStatus::Open;
				Self::deposit_event(Event::RunReopened { run: id });
			}
		}

		/// A ruling found a verdict wrong: the run's outcome is `corrected`, whatever quorum
		/// says, and stays so.
		fn rule(id: RunId, run: &mut RunOf<T>, corrected: Outcome) {
			match run.status {
				RunStatus::Decided { outcome, window_end } => {
					run.ruled = true;
					if outcome != corrected {
						run.status = RunStatus::Decided { outcome: corrected, window_end };
						Self::deposit_event(Event::RunDecided {
							run: id,
							outcome: corrected,
							window_end,
						});
					}
				},
				RunStatus::Open => {
					run.ruled = true;
					Self::decide(id, run, corrected);
				},
				RunStatus::Final { .. } | RunStatus::Expired => return,
			}
			Self::deposit_event(Event::RunRuled { run: id, outcome: corrected });
		}

		/// Decides `run` as `outcome` and opens its challenge window, which ends no later than
		/// the deadline plus the challenge period: however late a ruling decides a run, stake
		/// unbonded since its declaration is still held to the end of its window.
		fn decide(id: RunId, run: &mut RunOf<T>, outcome: Outcome) {
			let window_end = frame_system::Pallet::<T>::block_number()
				.min(run.deadline)
				.saturating_add(run.rules.challenge_period);
			run.status = RunStatus::Decided { outcome, window_end };
			Self::deposit_event(Event::RunDecided { run: id, outcome, window_end });
		}

		/// Settles the verdicts of run `id`: an unrevealed one forfeits `unrevealed_slash` of its
		/// stake. Returns the attesters whose verdict agrees with `outcome` and stands, with
		/// their stake.
		fn settle_votes(
			id: RunId,
			rules: &RunRulesOf<T>,
			outcome: Option<Outcome>,
		) -> Vec<(T::AccountId, BalanceOf<T>)> {
			let mut winners = Vec::new();
			let votes: Vec<(T::AccountId, VoteOf<T>)> = Votes::<T>::iter_prefix(id).collect();
			for (attester, mut vote) in votes {
				match vote.revealed {
					None if !vote.slashed => {
						Self::slash_verdict(
							id,
							rules,
							&attester,
							&mut vote,
							Fault::Unrevealed,
							None,
						);
						Votes::<T>::insert(id, &attester, vote);
					},
					Some(statement)
						if !vote.slashed && Some(statement.verdict.outcome()) == outcome =>
					{
						winners.push((attester, vote.stake))
					},
					_ => {},
				}
			}
			winners
		}

		/// Counts a missed run for each attester active since before `run` was declared that
		/// gave no verdict on it, if the run had room and held at least `attendance_reward`;
		/// more than `max_missed_runs` in a row is an absence fault. Returns how many active
		/// attesters it looked at.
		pub(crate) fn note_absences(id: RunId, run: &RunOf<T>) -> u32 {
			let active = ActiveSet::<T>::get();
			let looked_at = active.len() as u32;
			// A run with no place left, or too small a reward to be worth checking, asks
			// nothing of those who stayed away: no one can spam runs to make attesters absent.
			if run.commits >= T::MaxAttesters::get() || run.reward < run.rules.attendance_reward {
				return looked_at;
			}
			let max_missed_runs = Parameters::<T>::get().attesters.max_missed_runs;
			for (who, _) in active {
				if who == run.claimant || Votes::<T>::contains_key(id, &who) {
					continue;
				}
				let Some(mut attester) = Attesters::<T>::get(&who) else { continue };
				if attester.status_since > run.declared_at {
					continue;
				}
				attester.missed.saturating_inc();
				let absent = attester.missed > max_missed_runs;
				if absent {
					attester.missed = 0;
				}
				let bonded = attester.bonded;
				Self::store_attester(&who, Some(attester));
				if absent {
					Self::slash(id, &run.rules, &who, bonded, Fault::Absent, None);
				}
			}
			looked_at
		}

		/// Pays `run`'s reward to `winners` in proportion to their stake; the remainder, and any
		/// share a winner's account cannot take, goes back to the lab.
		fn pay_reward(
			run: RunId,
			record: &RunOf<T>,
			outcome: Outcome,
			winners: Vec<(T::AccountId, BalanceOf<T>)>,
		) -> DispatchResult {
			let count = winners.len() as u32;
			let total_stake = winners
				.iter()
				.fold(BalanceOf::<T>::zero(), |sum, (_, stake)| sum.saturating_add(*stake));
			let mut paid_total = BalanceOf::<T>::zero();
			for (attester, stake) in winners {
				let share: BalanceOf<T> =
					sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
						record.reward.saturated_into(),
						stake.saturated_into(),
						total_stake.saturated_into(),
						sp_runtime::Rounding::Down,
					)
					.unwrap_or_default()
					.saturated_into();
				if share.is_zero() {
					continue;
				}
				// A winner whose account cannot take its share (reaped, and the share below the
				// existential deposit) is skipped: settlement never fails on one account.
				let paid = frame_support::storage::with_storage_layer(|| {
					T::Currency::transfer_on_hold(
						&HoldReason::RunReward.into(),
						&record.claimant,
						&attester,
						share,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Polite,
					)
				});
				if paid.is_ok() {
					paid_total.saturating_accrue(share);
					Self::deposit_event(Event::RewardPaid { run, attester, amount: share });
				}
			}
			let refund = Self::refund_reward(record, record.reward.saturating_sub(paid_total))?;
			Self::deposit_event(Event::RunFinalized {
				run,
				outcome,
				attesters: count,
				paid: paid_total,
				refund,
			});
			Ok(())
		}

		/// Releases `amount` of `run`'s reward back to its lab.
		fn refund_reward(
			run: &RunOf<T>,
			amount: BalanceOf<T>,
		) -> Result<BalanceOf<T>, DispatchError> {
			T::Currency::release(
				&HoldReason::RunReward.into(),
				&run.claimant,
				amount,
				Precision::Exact,
			)
		}

		/// The deposit of `run`: base plus the bytes of its record and output indexes.
		pub fn deposit_for(run: &RunOf<T>) -> BalanceOf<T> {
			// The record; a training run adds one `RunsByOutput` entry (output and run keys) and
			// one `OutputClaims` entry (output and claimant keys, the run).
			let indexes = match run.claim {
				Claim::Training(_) => (16 + 32 + 8 + 8) + (16 + 32 + 16 + 32 + 8),
				Claim::Evaluation(_) => 0,
			};
			let bytes = (run.encoded_size() as u32).saturating_add(indexes);
			provenance_primitives::storage::deposit(
				T::RunDepositBase::get(),
				T::RunDepositPerByte::get(),
				bytes,
			)
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) training runs declared for output weights
		/// `weights_hash`, after run `after`.
		pub fn runs_by_output(weights_hash: Hash, after: Option<RunId>, limit: u32) -> Vec<RunId> {
			page_of::<RunsByOutput<T>, _, _, _>(weights_hash, after, limit)
		}

		/// Every verdict on `run` (at most `MaxAttesters`).
		pub fn votes(run: RunId) -> Vec<(T::AccountId, VoteOf<T>)> {
			Votes::<T>::iter_prefix(run).collect()
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) slashes of `attester`, after the one for
		/// run `after`.
		pub fn slashes(
			attester: T::AccountId,
			after: Option<RunId>,
			limit: u32,
		) -> Vec<(RunId, SlashRecordOf<T>)> {
			entries_page_of::<Slashes<T>, _, _, _>(attester, after, limit)
		}
	}

	impl<T: Config> FinalRuns<T::AccountId> for Pallet<T> {
		fn final_run(weights_hash: &Hash, claimant: &T::AccountId) -> Option<(RunId, RunInputs)> {
			let run = OutputClaims::<T>::get(weights_hash, claimant)?;
			let record = Runs::<T>::get(run)?;
			match (record.status, record.claim) {
				(RunStatus::Final { outcome: Outcome::Attested }, Claim::Training(claim)) => {
					Some((run, claim.inputs()))
				},
				_ => None,
			}
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> provenance_primitives::traits::RunFactory<T::AccountId> for Pallet<T> {
		/// Writes the record of a run settled as attested, as settlement leaves it: no verdicts,
		/// holds or deposits (what linking a checkpoint to it reads is its claim and status).
		fn create_final_run(
			claimant: &T::AccountId,
			weights_hash: Hash,
			inputs: RunInputs,
		) -> RunId {
			let id = NextRunId::<T>::get();
			let now = frame_system::Pallet::<T>::block_number();
			let [code_hash, environment_hash] =
				<[Hash; 2]>::try_from(inputs.pipeline).unwrap_or_default();
			let claim = Claim::Training(TrainingClaim {
				datasets: BoundedVec::truncate_from(inputs.datasets),
				base_checkpoints: BoundedVec::truncate_from(inputs.base_checkpoints),
				config_hash: Hash::default(),
				code_hash,
				environment_hash,
				statement_digest: Hash::default(),
				training_log_root: Hash::default(),
			});
			let run = RunOf::<T> {
				claimant: claimant.clone(),
				claim,
				output_hash: weights_hash,
				reward: Zero::zero(),
				deposit: Zero::zero(),
				declared_at: now,
				commit_end: now,
				deadline: now,
				stake_snapshot: Zero::zero(),
				commits: 0,
				committed_stake: Zero::zero(),
				valid: Default::default(),
				invalid: Default::default(),
				status: RunStatus::Final { outcome: Outcome::Attested },
				open_challenges: 0,
				ruled: false,
				rules: Parameters::<T>::get().runs,
			};
			Runs::<T>::insert(id, run);
			OutputClaims::<T>::insert(weights_hash, claimant, id);
			RunsByOutput::<T>::insert(weights_hash, id, ());
			NextRunId::<T>::put(id.saturating_add(1));
			id
		}
	}

	impl<T: Config> EvaluationRuns<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
		fn open_evaluation_run(
			claimant: &T::AccountId,
			evaluation: EvaluationId,
			result_digest: Hash,
			reward: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> Result<RunId, DispatchError> {
			frame_support::storage::with_storage_layer(|| {
				Self::open_run(
					claimant,
					Claim::Evaluation(evaluation),
					result_digest,
					reward,
					deadline,
				)
			})
		}

		fn open_evaluation_run_weight() -> Weight {
			T::WeightInfo::declare_run(0, 0)
		}
	}
}
