//! Invariants of the attestations pallet, checked in tests and under try-runtime.

use crate::{pallet::*, types::*, HoldReason};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - each attester's held stake is its bonded plus its unbonding stake, and `ActiveSet` holds
	///   exactly the active ones with their bonded stake, at most `MaxAttesters`; no removed
	///   account is an attester, and no attester's faults wait in `PastFaults`;
	/// - each challenger's held bond is the bonds of its open challenges, and each open challenge
	///   (and nothing else) has a ruling deadline, indexed by it;
	/// - each attester's and run's count of open challenges is the number of challenges;
	/// - no run is both final (or expired) and disputed;
	/// - a run's tallies are its revealed, unslashed verdicts, `commits` counts its votes and
	///   `committed_stake` adds up their stake; at most one verdict reaches quorum;
	/// - each slashed verdict has a slash record;
	/// - each lab's held reward is the reward of its unsettled runs, and its held deposit the
	///   deposits of its runs;
	/// - output claims point at runs with that output that are open, decided or attested;
	/// - the parameters in force keep every relation of the `parameters` module.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			Self::check_parameters(
				&Parameters::<T>::get(),
				UnbondingFloor::<T>::get().remaining(now)
			)
			.is_ok(),
			"the parameters in force break a relation"
		);
		let active_set = ActiveSet::<T>::get();
		let mut active = 0u32;
		for (who, attester) in Attesters::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::AttesterStake.into(), &who)
					== attester.total(),
				"held stake is not bonded plus unbonding"
			);
			ensure!(!Removed::<T>::contains_key(&who), "a removed account is an attester");
			ensure!(!PastFaults::<T>::contains_key(&who), "an attester's faults are in PastFaults");
			let place = active_set.iter().find(|(member, _)| *member == who).map(|(_, s)| *s);
			if attester.status == AttesterStatus::Active {
				active.saturating_inc();
				ensure!(place == Some(attester.bonded), "an active attester has no place");
			} else {
				ensure!(place.is_none(), "an inactive attester holds a place");
			}
			let challenges = Challenges::<T>::iter().filter(|(_, accused, _)| *accused == who);
			ensure!(
				challenges.count() as u32 == attester.open_challenges,
				"attester's open challenges disagree"
			);
		}
		ensure!(active_set.len() as u32 == active, "ActiveSet holds others than the active");
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (run, accused, challenge) in Challenges::<T>::iter() {
			bonds.entry(challenge.challenger).or_default().saturating_accrue(challenge.bond);
			let deadline = ChallengeDeadlines::<T>::get(run, &accused)
				.ok_or("an open challenge has no ruling deadline")?;
			ensure!(
				RulingDeadlines::<T>::contains_key(deadline, (run, accused)),
				"an open challenge is not indexed by its ruling deadline"
			);
		}
		ensure!(
			ChallengeDeadlines::<T>::iter_keys().count() == Challenges::<T>::iter_keys().count()
				&& RulingDeadlines::<T>::iter_keys().count()
					== Challenges::<T>::iter_keys().count(),
			"a ruling deadline outlives its challenge"
		);
		for (challenger, bond) in bonds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ChallengeBond.into(), &challenger)
					== bond,
				"held challenge bond is not the bonds of open challenges"
			);
		}

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
			let mut committed = BalanceOf::<T>::zero();
			for (attester, vote) in Votes::<T>::iter_prefix(id) {
				commits.saturating_inc();
				committed.saturating_accrue(vote.stake);
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
			ensure!(committed == run.committed_stake, "committed stake disagrees with the votes");
			ensure!(run.valid == valid && run.invalid == invalid, "tallies disagree");
			ensure!(
				!(Self::reaches_quorum(&valid, &run) && Self::reaches_quorum(&invalid, &run)),
				"both verdicts reach quorum"
			);
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
		for (weights_hash, claimant, id) in OutputClaims::<T>::iter() {
			let run = Runs::<T>::get(id).ok_or("output claim of a missing run")?;
			ensure!(run.output_hash == weights_hash, "output claim of another output");
			ensure!(run.claimant == claimant, "output claim of another claimant");
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
