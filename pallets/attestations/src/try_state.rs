//! Invariants of the attestations pallet, checked in tests and under try-runtime.

use crate::{pallet::*, types::*, HoldReason};
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - each attester's held stake is its bonded plus its unbonding stake, and `ActiveStake` is
	///   the bonded stake of the active ones; no removed account is an attester;
	/// - each attester's and run's count of open challenges is the number of challenges;
	/// - no run is both final (or expired) and disputed;
	/// - a run's tallies are its revealed, unslashed verdicts, and `commits` counts its votes;
	/// - each slashed verdict has a slash record;
	/// - each lab's held reward is the reward of its unsettled runs, and its held deposit the
	///   deposits of its runs;
	/// - output claims point at runs with that output that are open, decided or attested.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut active = BalanceOf::<T>::zero();
		for (who, attester) in Attesters::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::AttesterStake.into(), &who)
					== attester.total(),
				"held stake is not bonded plus unbonding"
			);
			ensure!(!Removed::<T>::contains_key(&who), "a removed account is an attester");
			let challenges = Challenges::<T>::iter().filter(|(_, accused, _)| *accused == who);
			ensure!(
				challenges.count() as u32 == attester.open_challenges,
				"attester's open challenges disagree"
			);
			active.saturating_accrue(attester.active_stake());
		}
		ensure!(ActiveStake::<T>::get() == active, "ActiveStake is not the active bonded stake");
		ensure!(
			Attesters::<T>::count() <= T::MaxAttesters::get(),
			"more attesters than MaxAttesters"
		);

		let mut rewards: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let next_id = NextRunId::<T>::get();
		for (id, run) in Runs::<T>::iter() {
			ensure!(id < next_id, "run id not below NextRunId");
			let challenges = Challenges::<T>::iter_prefix(id).count() as u32;
			ensure!(challenges == run.open_challenges, "run's open challenges disagree");
			if matches!(run.status, RunStatus::Final { .. } | RunStatus::Expired) {
				ensure!(run.open_challenges == 0, "a settled run is disputed");
			} else {
				rewards.entry(run.claimant.clone()).or_default().saturating_accrue(run.reward);
			}
			deposits.entry(run.claimant.clone()).or_default().saturating_accrue(run.deposit);
			let (mut valid, mut invalid) = (Tally::default(), Tally::default());
			let mut commits = 0u32;
			for (attester, vote) in Votes::<T>::iter_prefix(id) {
				commits.saturating_inc();
				ensure!(
					vote.slashed == Slashes::<T>::contains_key(&attester, id),
					"slashed verdict without a slash record, or the other way round"
				);
				if let (Some(statement), false) = (vote.revealed, vote.slashed) {
					let tally: &mut Tally<BalanceOf<T>> = match statement.verdict {
						Verdict::Valid => &mut valid,
						Verdict::Invalid => &mut invalid,
					};
					tally.count.saturating_inc();
					tally.stake.saturating_accrue(vote.stake);
				}
			}
			ensure!(commits == run.commits, "commits disagree with the votes");
			ensure!(run.valid == valid && run.invalid == invalid, "tallies disagree");
			ensure!(
				matches!(run.claim, Claim::Evaluation(_))
					|| RunsByOutput::<T>::contains_key(run.output_hash, id),
				"training run not indexed by its output"
			);
		}
		for (lab, reward) in rewards {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::RunReward.into(), &lab) == reward,
				"held reward is not the reward of unsettled runs"
			);
		}
		for (lab, deposit) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::RunDeposit.into(), &lab) == deposit,
				"held deposit is not the deposits of the lab's runs"
			);
		}
		for (weights_hash, id) in OutputClaims::<T>::iter() {
			let run = Runs::<T>::get(id).ok_or("output claim of a missing run")?;
			ensure!(run.output_hash == weights_hash, "output claim of another output");
			ensure!(matches!(run.claim, Claim::Training(_)), "output claimed by an evaluation");
			ensure!(
				matches!(
					run.status,
					RunStatus::Open
						| RunStatus::Decided { .. }
						| RunStatus::Final { outcome: Outcome::Attested }
				),
				"output claimed by a rejected or expired run"
			);
		}
		Ok(())
	}
}
