//! # Parameters
//!
//! The periods, amounts and shares attestation runs on are runtime parameters, not constants:
//! each network sets them in its genesis (a development chain settles a run in minutes, a live
//! one gives attesters hours to check and a week to challenge), and `ParametersOrigin` (root,
//! later governance) changes them with [`Pallet::set_parameters`](crate::Pallet::set_parameters).
//! They are one storage value, [`Parameters`](crate::Parameters), read and set as ordinary
//! storage and calls by any client; each change is an event with the whole new value.
//!
//! ## Runs keep the rules they were declared under
//!
//! A run copies the [`RunRules`] in force when it is declared and is decided, challenged,
//! slashed and settled by them to its end: a change can neither shorten a window someone is
//! counting on nor raise a slash after the verdicts are in. [`AttesterRules`] (the least stake,
//! the unbonding period, how many faults and missed runs are tolerated) apply as they are
//! now, to every attester.
//!
//! ## The relations every set of parameters keeps
//!
//! A change that breaks one is refused with the error named here; so is a genesis that does.
//!
//! - Quorum: `quorum_stake` above one half (`QuorumStakeTooLow`), or two verdicts could both win;
//!   `quorum_count` at least one (`ZeroQuorumCount`) and at most the attesters that can be active
//!   (`QuorumCountTooHigh`), or no run could ever be decided.
//! - Periods: a commit and a reveal phase of at least a block each (`ZeroPeriod`), that fit in a
//!   run's longest duration (`RunDurationTooShort`); a challenge window no shorter than the reveal
//!   phase (`ChallengePeriodTooShort`), or a run could be final while reveals are open.
//! - Unbonding: longer than a run may last plus its challenge window (`UnbondingTooShort`), and
//!   longer than what is left of the windows of runs declared under replaced rules
//!   (`UnbondingBelowOpenRuns`), so that no stake behind a verdict leaves before the verdict's
//!   window closes. The pallet keeps the block by which every run of replaced rules is past its
//!   window ([`UnbondingFloor`](crate::UnbondingFloor)), so lowering the unbonding period step by
//!   step does not get round it. A run's window never ends later than its deadline plus its
//!   challenge period, however late a ruling decides it again.
//! - Faults: `max_faults` at least one (`ZeroMaxFaults`); a wrong verdict and an unrevealed or
//!   absent one each cost a share of the stake (`ZeroSlash`), or committing both ways would be free
//!   again; only runs that pay something ask for attendance (`ZeroAttendanceReward`), or spam runs
//!   of one planck would make honest attesters absent.
//! - Bonds and slashes: a challenge holds a bond (`ZeroChallengeBond`), which is what makes
//!   challenging honest verdicts cost money; whoever proves a fault of the smallest stake allowed
//!   is paid at least the bond it risked (`ChallengeUnrewarded`), so that proving a fault is worth
//!   it; and that share is at most one half of the slash (`ChallengerShareTooHigh`), so that an
//!   attester cannot recover most of its own slash by proving it from a second account.
//!
//! Attester rules apply to every attester at once: an attester below a raised `min_stake`, or with
//! `max_faults` faults after a lowering, commits no verdict and cannot bond or activate again until
//! it complies; an attester chilled while runs of replaced rules are open waits out the longest run
//! of those rules before it activates again.

use crate::pallet::{Config, Error, Pallet, ParametersOf};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{
	traits::{AtLeast32BitUnsigned, Saturating, Zero},
	Perbill,
};

/// What every attester is held to, as the network sets it now.
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
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct AttesterRules<Balance, BlockNumber> {
	/// The least an attester may have bonded.
	pub min_stake: Balance,
	/// Blocks from `unbond` to `withdraw_unbonded`.
	pub unbonding_period: BlockNumber,
	/// Faults after which an attester is removed.
	pub max_faults: u32,
	/// Runs in a row an active attester may let settle without committing a verdict; one more
	/// is a fault: it is slashed the run's `unrevealed_slash` and chilled.
	pub max_missed_runs: u32,
}

/// What a run is declared, decided, challenged and settled under: copied into the run when it
/// is declared.
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
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RunRules<Balance, BlockNumber> {
	/// The shortest commit phase a run may have.
	pub min_commit_period: BlockNumber,
	/// Blocks of the reveal phase: the last ones before a run's deadline.
	pub reveal_period: BlockNumber,
	/// The furthest a run's deadline may be from its declaration.
	pub max_run_duration: BlockNumber,
	/// Blocks after a decision during which verdicts may be challenged.
	pub challenge_period: BlockNumber,
	/// The fewest attesters that must reveal a verdict for it to decide a run.
	pub quorum_count: u32,
	/// The least share of the quorum's base stake that must back a verdict; above one half.
	pub quorum_stake: Perbill,
	/// The share of a verdict's stake slashed for a wrong verdict.
	pub slash_fraction: Perbill,
	/// The share of a verdict's stake forfeit when it is never revealed, and of an absent
	/// attester's stake.
	pub unrevealed_slash: Perbill,
	/// The share of a slash paid to whoever proved the fault.
	pub challenger_share: Perbill,
	/// The bond a challenge holds.
	pub challenge_bond: Balance,
	/// The least reward a run must hold for an absence from it to count.
	pub attendance_reward: Balance,
}

/// The attestation parameters of a network.
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
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct AttestationParameters<Balance, BlockNumber> {
	pub attesters: AttesterRules<Balance, BlockNumber>,
	pub runs: RunRules<Balance, BlockNumber>,
}

/// What runs declared under replaced rules may still need: every one of them is past its
/// window by block `until`, and none lasts longer than `longest_run` blocks. Until then the
/// unbonding period stays above what is left to `until`, and a chilled attester activates no
/// sooner than `longest_run` after it left.
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
pub struct SpanFloor<BlockNumber> {
	pub until: BlockNumber,
	pub longest_run: BlockNumber,
}

impl<BlockNumber: AtLeast32BitUnsigned + Copy> SpanFloor<BlockNumber> {
	/// Blocks left at `now` until every run of replaced rules is past its window.
	pub fn remaining(self, now: BlockNumber) -> BlockNumber {
		self.until.saturating_sub(now)
	}

	/// The longest run of replaced rules that may still be open at `now`.
	pub fn longest_run_at(self, now: BlockNumber) -> BlockNumber {
		if now < self.until {
			self.longest_run
		} else {
			Zero::zero()
		}
	}

	/// The floor after `replaced` rules give way at block `now`: their runs, declared at `now`
	/// at the latest, are past their windows `replaced.span()` blocks from now.
	pub fn after_replacing<Balance>(
		self,
		replaced: &RunRules<Balance, BlockNumber>,
		now: BlockNumber,
	) -> Self {
		Self {
			until: self.until.max(now.saturating_add(replaced.span())),
			longest_run: self.longest_run_at(now).max(replaced.max_run_duration),
		}
	}
}

impl<Balance, BlockNumber> RunRules<Balance, BlockNumber>
where
	BlockNumber: AtLeast32BitUnsigned + Copy,
{
	/// The most blocks from a run's declaration to the end of its challenge window.
	pub fn span(&self) -> BlockNumber {
		self.max_run_duration.saturating_add(self.challenge_period)
	}
}

impl<T: Config> Pallet<T> {
	/// Checks every relation of the module docs; `open_runs`: the blocks the unbonding period
	/// must exceed for runs declared under replaced rules.
	pub fn check_parameters(
		parameters: &ParametersOf<T>,
		open_runs: BlockNumberFor<T>,
	) -> Result<(), Error<T>> {
		let (attesters, runs) = (&parameters.attesters, &parameters.runs);
		let fail_if = |broken: bool, error| if broken { Err(error) } else { Ok(()) };
		fail_if(runs.quorum_stake <= Perbill::from_percent(50), Error::<T>::QuorumStakeTooLow)?;
		fail_if(runs.quorum_count == 0, Error::<T>::ZeroQuorumCount)?;
		fail_if(runs.quorum_count > T::MaxAttesters::get(), Error::<T>::QuorumCountTooHigh)?;
		fail_if(
			runs.min_commit_period.is_zero() || runs.reveal_period.is_zero(),
			Error::<T>::ZeroPeriod,
		)?;
		fail_if(
			runs.max_run_duration < runs.min_commit_period.saturating_add(runs.reveal_period),
			Error::<T>::RunDurationTooShort,
		)?;
		fail_if(runs.challenge_period < runs.reveal_period, Error::<T>::ChallengePeriodTooShort)?;
		fail_if(attesters.unbonding_period <= runs.span(), Error::<T>::UnbondingTooShort)?;
		fail_if(attesters.unbonding_period <= open_runs, Error::<T>::UnbondingBelowOpenRuns)?;
		fail_if(attesters.max_faults == 0, Error::<T>::ZeroMaxFaults)?;
		fail_if(
			runs.slash_fraction.is_zero() || runs.unrevealed_slash.is_zero(),
			Error::<T>::ZeroSlash,
		)?;
		fail_if(runs.attendance_reward.is_zero(), Error::<T>::ZeroAttendanceReward)?;
		fail_if(runs.challenge_bond.is_zero(), Error::<T>::ZeroChallengeBond)?;
		let smallest_slash = runs.slash_fraction.mul_floor(attesters.min_stake);
		fail_if(
			runs.challenger_share.mul_floor(smallest_slash) < runs.challenge_bond,
			Error::<T>::ChallengeUnrewarded,
		)?;
		fail_if(
			runs.challenger_share > Perbill::from_percent(50),
			Error::<T>::ChallengerShareTooHigh,
		)
	}
}
