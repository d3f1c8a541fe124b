//! # Slashing
//!
//! An attester's stake is what its word is worth: a verdict that turns out wrong costs it a
//! share of the stake that backed the verdict. This module decides who is slashed, for what,
//! by how much, and where the funds go. No other chain slashes attesters of training claims,
//! so the rules are spelt out here with the attack each one answers.
//!
//! ## Faults
//!
//! A verdict is slashed for one of these [`Fault`]s:
//!
//! - **Upheld**: someone challenged the verdict inside the run's challenge window (holding
//!   `challenge_bond`) and `DisputeOrigin` upheld the challenge. The judge is needed because
//!   whether a training run really produced its weights is a fact about the world, not about the
//!   chain.
//! - **Equivocation**: anyone but the attester shows a statement about the run, signed by the
//!   attester's key off chain, that differs from the statement it revealed. An attester that tells
//!   the lab one thing and the chain another is lying to someone; the signature proves it, so no
//!   judge is needed. The signed payload carries the genesis hash, so a statement made on another
//!   chain proves nothing here.
//! - **Contradiction**: the attester revealed `Valid` for weights other than the ones the run
//!   declared. The chain sees the mismatch itself, at the reveal, and the verdict is never counted.
//! - **Unrevealed**: the attester committed and never revealed. Were that free, a Sybil would
//!   commit both verdicts from two accounts and reveal whichever wins; so when the run settles,
//!   each unrevealed verdict forfeits `unrevealed_slash` of its stake. One missed reveal is not a
//!   fault (a node can be down), only a cost.
//! - **Absent**: an active attester let more than `max_missed_runs` runs in a row settle without a
//!   verdict (runs declared before it became active do not count). Stake that never votes would
//!   otherwise be a free veto: quorum is a share of the stake active when a run is declared, so
//!   more than a third of it abstaining would let every run expire. An absent attester forfeits
//!   `unrevealed_slash` of its bonded stake, is chilled (its stake leaves the quorum's base) and
//!   the absence counts as a fault.
//!
//! ## How much
//!
//! A slash for a wrong verdict is due of `slash_fraction` of the stake the verdict carried: the
//! attester's bonded stake when it committed, which is also the weight the verdict had in the
//! quorum. Slashing in proportion to the weight the verdict had makes a wrong verdict cost as
//! much as it could have swayed. The slash is taken from what the attester holds now: bonded
//! stake first, then unbonding chunks, newest first. If earlier slashes left less than is due,
//! all that is left is taken and the record keeps both numbers (`due`, `slashed`).
//!
//! ## Where the funds go
//!
//! When someone proved the fault (a challenger whose challenge was upheld, or the reporter of
//! an equivocation) they get `challenger_share` of what was slashed; a challenger also gets its
//! bond back. The rest goes to `OnSlash` (the treasury account in the runtime). A challenge
//! that is dismissed forfeits the bond to `OnSlash`, which is what makes griefing (challenging
//! honest verdicts to stall payouts) cost money. The share stays below the whole so that an
//! attester cannot recover most of its own slash through a second account, and the attester
//! itself may not report or challenge itself: a self-report would otherwise hand it the
//! reporter's share and, before this rule, make its verdict unchallengeable.
//!
//! ## Once per verdict, and the run still corrected
//!
//! A verdict is slashed at most once: [`Vote::slashed`] is set on the first slash, an
//! equivocation report against it fails, and a challenge upheld after another slash of the
//! same verdict does not slash again. But a slashed verdict can still be challenged, and an
//! upheld ruling still corrects the run: a colluding quorum that reports its own equivocations
//! in the reveal block cannot shield an `Attested` it bought. Each slash leaves one
//! [`SlashRecord`] under (attester, run).
//!
//! ## No escape by unbonding
//!
//! Unbonded stake stays held, and slashable, for `unbonding_period`, which is longer than a run
//! may last (`max_run_duration`) plus the challenge window, and longer than what is left of the
//! windows of runs declared under replaced parameters ([`crate::parameters`]): every verdict
//! committed before an unbond is past its window before that stake can leave. A window never
//! ends later than its run's deadline plus the run's challenge period, even when a late ruling
//! decides a reopened run again (a fresh window then would outlast stake unbonded when the run
//! reopened). While a challenge against an attester is open it cannot withdraw at all, until
//! the challenge is ruled or lapses.
//!
//! ## A ruling deadline
//!
//! `DisputeOrigin` rules on a challenge by its ruling deadline, the end of the run's challenge
//! window plus its challenge period. A challenge still open then lapses in `on_initialize`
//! (`ChallengeLapsed`, at most `MaxLapsesPerBlock` a block, the rest in the next): no verdict,
//! the bond goes back, the run's outcome stands and, the window being closed, the verdict cannot
//! be challenged again. A body that does not act cannot freeze a run's settlement or an
//! attester's stake, and a griefer's challenge delays a settlement by one challenge period at
//! most.
//!
//! ## Correcting the run
//!
//! A verdict found wrong means the run's outcome is the opposite of that verdict: an upheld
//! challenge against a `Valid` verdict makes the run `Rejected`, and the other way round, and
//! slashes no longer move an outcome a ruling set. A colluding majority is thus overturned by
//! one upheld challenge, and each of its members can be challenged in turn within the window.
//! A judge-free slash (equivocation) only takes the verdict out of its tally: if what stands
//! no longer reaches quorum, the run is decided by the other verdict if that one has quorum,
//! or reopened, so that no decision rests on a verdict found dishonest. Only verdicts that
//! agree with the final outcome and were not slashed share the reward.
//!
//! ## Repeat offenders
//!
//! Every fault but an unrevealed verdict counts. An attester with `max_faults` faults is removed:
//! its bonded stake starts unbonding, it takes no new runs, and once its stake is gone it may
//! not bond again. Faults outlive the stake: an attester that leaves (withdrawing everything,
//! or slashed to nothing) before `max_faults` comes back with the faults it had. An attester
//! whose bonded stake a slash leaves below `min_stake` is chilled until it bonds more.

use crate::{pallet::*, types::*};
use frame_support::traits::{
	fungible::{Balanced, BalancedHold},
	Imbalance, OnUnbalanced,
};
use provenance_primitives::RunId;
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// Slashes `attester` for its `vote` on `run` (which must not be slashed yet) and marks
	/// the vote slashed; `reporter`, who proved the fault, gets `challenger_share` of it.
	pub(crate) fn slash_verdict(
		run: RunId,
		rules: &RunRulesOf<T>,
		attester: &T::AccountId,
		vote: &mut VoteOf<T>,
		fault: Fault,
		reporter: Option<T::AccountId>,
	) {
		vote.slashed = true;
		Self::slash(run, rules, attester, vote.stake, fault, reporter);
	}

	/// The share of the stake a fault costs under `rules`.
	fn fraction(rules: &RunRulesOf<T>, fault: Fault) -> Perbill {
		match fault {
			Fault::Upheld | Fault::Equivocation | Fault::Contradiction => rules.slash_fraction,
			Fault::Unrevealed | Fault::Absent => rules.unrevealed_slash,
		}
	}

	/// Slashes `attester` the share of `stake` that `fault` costs under `run`'s `rules`;
	/// `reporter`, who proved the fault, gets `challenger_share` of it.
	pub(crate) fn slash(
		run: RunId,
		rules: &RunRulesOf<T>,
		attester: &T::AccountId,
		stake: BalanceOf<T>,
		fault: Fault,
		reporter: Option<T::AccountId>,
	) {
		let due = Self::fraction(rules, fault).mul_floor(stake);
		let mut slashed = BalanceOf::<T>::zero();
		let mut reward = BalanceOf::<T>::zero();
		if let Some(mut info) = Attesters::<T>::get(attester) {
			let taken = Self::take_stake(&mut info, due);
			let (credit, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
				&HoldReason::AttesterStake.into(),
				attester,
				taken,
			);
			slashed = credit.peek();
			let mut to_treasury = credit;
			if let Some(reporter) = &reporter {
				let (to_reporter, rest) =
					to_treasury.split(rules.challenger_share.mul_floor(slashed));
				to_treasury = rest;
				reward = to_reporter.peek();
				if let Err(unpaid) = T::Currency::resolve(reporter, to_reporter) {
					reward = Zero::zero();
					to_treasury = to_treasury.merge(unpaid);
				}
			}
			T::OnSlash::on_unbalanced(to_treasury);
			if fault.counts() {
				info.faults.saturating_inc();
			}
			Self::after_fault(attester, info, fault);
		}
		let at = frame_system::Pallet::<T>::block_number();
		Slashes::<T>::insert(attester, run, SlashRecord { fault, due, slashed, at });
		Self::deposit_event(Event::Slashed {
			run,
			attester: attester.clone(),
			fault,
			due,
			slashed,
			reporter,
			reward,
		});
	}

	/// Takes up to `due` from `info`'s stake, bonded first, then unbonding chunks newest
	/// first; returns how much.
	fn take_stake(info: &mut AttesterOf<T>, due: BalanceOf<T>) -> BalanceOf<T> {
		let mut left = due;
		let from_bonded = left.min(info.bonded);
		info.bonded.saturating_reduce(from_bonded);
		left.saturating_reduce(from_bonded);
		for chunk in info.unbonding.iter_mut().rev() {
			let take = left.min(chunk.amount);
			chunk.amount.saturating_reduce(take);
			left.saturating_reduce(take);
		}
		info.unbonding.retain(|chunk| !chunk.amount.is_zero());
		due.saturating_sub(left)
	}

	/// Stores a slashed attester: removed at `max_faults`, chilled when absent or below
	/// `min_stake`, gone from the set once it holds nothing.
	fn after_fault(attester: &T::AccountId, mut info: AttesterOf<T>, fault: Fault) {
		let rules = Parameters::<T>::get().attesters;
		if info.faults >= rules.max_faults && info.status != AttesterStatus::Removed {
			info.status = AttesterStatus::Removed;
			let bonded = info.bonded;
			if !bonded.is_zero() {
				// Merging into the last chunk cannot fail.
				let _ = Self::schedule_unbonding(&mut info, bonded, true);
			}
			Self::deposit_event(Event::AttesterRemoved {
				attester: attester.clone(),
				faults: info.faults,
			});
		} else if info.status == AttesterStatus::Active
			&& (fault == Fault::Absent || info.bonded < rules.min_stake)
		{
			info.chill(frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::Chilled { attester: attester.clone() });
		}
		Self::put_attester(attester, info);
	}
}
