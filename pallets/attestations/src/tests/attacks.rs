//! The attacks of `docs/security.md` on attestations, each as the attacker would run it (and
//! the migration that brings challenges opened before ruling deadlines under them).

use super::*;
use provenance_primitives::testing::XorShift;

/// An attester reports its own equivocation in the reveal block: its verdict leaves the tally
/// (it recovers the reporter's share of its slash) and, slashed, it could no longer be
/// challenged, so a colluding quorum's `Attested` would stand unchallengeable.
#[test]
fn a_self_report_cannot_shield_a_verdict() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		let other = statement(Verdict::Invalid, weights(1));
		assert_noop!(
			Attestations::report_equivocation(signed(A), id, A, sign(A, id, other)),
			Error::<Test>::OwnReport
		);
	});
}

#[test]
fn a_slashed_verdict_can_still_be_challenged_and_the_run_corrected() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		let other = statement(Verdict::Invalid, weights(1));
		assert_ok!(Attestations::report_equivocation(signed(D), id, A, sign(A, id, other)));
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, true));
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Rejected, .. }));
	});
}

/// A and B decide the run; A's verdict is then slashed for equivocation. What stands (B's
/// 1000 of 3000) is no quorum: the run is open again rather than attested by a slashed vote.
#[test]
fn slashing_a_deciding_verdict_recomputes_the_decision() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		commit(id, A, Verdict::Valid);
		commit(id, B, Verdict::Valid);
		to_reveal_phase(id);
		reveal(id, A, Verdict::Valid);
		reveal(id, B, Verdict::Valid);
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Attested, .. }));
		let other = statement(Verdict::Invalid, weights(1));
		assert_ok!(Attestations::report_equivocation(signed(D), id, A, sign(A, id, other)));
		assert_eq!(run(id).status, RunStatus::Open);
		assert!(events().contains(&Event::RunReopened { run: id }));
	});
}

/// The quorum's base is the active stake when the run was declared; stake bonded afterwards
/// votes with its full weight, so both verdicts could reach quorum and the first to reveal
/// would win.
#[test]
fn stake_bonded_after_declaration_cannot_decide_both_ways() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		bond(E, 1_000);
		let id = declare(1);
		// Fresh accounts may not vote on a run declared before they were active; stake bonded
		// on top of an active attester's does.
		run_to(2);
		bond(16, 5_000);
		assert_noop!(
			Attestations::commit_verdict(signed(16), id, [0; 32]),
			Error::<Test>::NotActive
		);
		assert_ok!(Attestations::bond_extra(signed(D), 4_000));
		assert_ok!(Attestations::bond_extra(signed(E), 4_000));
		commit(id, A, Verdict::Valid);
		commit(id, B, Verdict::Valid);
		commit(id, D, Verdict::Invalid);
		commit(id, E, Verdict::Invalid);
		to_reveal_phase(id);
		for (who, verdict) in
			[(A, Verdict::Valid), (B, Verdict::Valid), (D, Verdict::Invalid), (E, Verdict::Invalid)]
		{
			reveal(id, who, verdict);
		}
		let record = run(id);
		assert!(
			!(Attestations::reaches_quorum(&record.valid, &record)
				&& Attestations::reaches_quorum(&record.invalid, &record)),
			"both verdicts reach quorum"
		);
		assert!(matches!(record.status, RunStatus::Decided { outcome: Outcome::Rejected, .. }));
	});
}

/// Anyone could declare a run on a lab's registered weights and hold the output for up to
/// `max_run_duration`, again and again.
#[test]
fn a_squatter_cannot_block_the_owner_of_registered_weights() {
	new_test_ext(|| {
		three_attesters();
		let data = dataset(1);
		checkpoint(weights(1), vec![data]);
		assert_ok!(Attestations::declare_run(
			signed(CHALLENGER),
			vec![data],
			vec![],
			hash(901),
			hash(902),
			hash(903),
			hash(904),
			weights(1),
			hash(905),
			1,
			System::block_number() + RUN_BLOCKS,
		));
		assert_ok!(try_declare(
			vec![data],
			vec![],
			weights(1),
			REWARD,
			System::block_number() + RUN_BLOCKS
		));
	});
}

/// A lab registers a checkpoint with no datasets (no licence checks, no royalties, no taint)
/// and gets it attested by a run that names them.
#[test]
fn a_run_links_only_to_a_checkpoint_with_its_lineage() {
	new_test_ext(|| {
		three_attesters();
		let data = dataset(1);
		let deadline = System::block_number() + RUN_BLOCKS;
		// On its own registered checkpoint, a run with another lineage is refused outright.
		checkpoint(weights(1), vec![]);
		assert_noop!(
			try_declare(vec![data], vec![], weights(1), REWARD, deadline),
			Error::<Test>::LineageMismatch
		);
		// Declared first, the checkpoint registered afterwards without the datasets: the run is
		// attested about its claim, but vouches for nothing registered.
		let id = NextRunId::<Test>::get();
		assert_ok!(try_declare(vec![data], vec![], weights(2), REWARD, deadline));
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		run_to(window_end(id) + 1);
		settle(id);
		let model = checkpoint(weights(2), vec![]);
		let record = pallet_checkpoints::Records::<Test>::get(model).unwrap();
		assert_eq!((record.run, record.run_mismatch), (None, Some(id)));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Checkpoints(pallet_checkpoints::Event::RunLineageMismatch {
				checkpoint: model,
				run: id
			})));
	});
}

/// A commit that is never revealed cost nothing, so a Sybil could commit both ways and
/// reveal whichever wins.
#[test]
fn an_unrevealed_commit_forfeits_part_of_the_stake() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		let id = declare(1);
		commit(id, D, Verdict::Invalid);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		run_to(window_end(id) + 1);
		settle(id);
		assert!(stake_held(D) < 1_000, "D kept its whole stake");
	});
}

/// Rewards were split per head: a Sybil's many small attesters took more than one large one.
#[test]
fn rewards_are_shared_by_stake() {
	new_test_ext(|| {
		bond(A, 1_000);
		bond(B, 1_000);
		bond(C, 2_000);
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		let before = (free(A), free(C));
		run_to(window_end(id) + 1);
		settle(id);
		assert_eq!(free(A) - before.0, REWARD / 4);
		assert_eq!(free(C) - before.1, REWARD / 2);
	});
}

/// Minimum bonds filled every attester place in arrival order and an honest attester with ten
/// times the minimum was refused.
#[test]
fn a_larger_bond_takes_the_place_of_the_smallest() {
	new_test_ext(|| {
		for who in 30..36u64 {
			assert_ok!(Balances::force_set_balance(RawOrigin::Root.into(), who, BALANCE));
			bond(who, 1_000);
		}
		bond(A, 10_000);
		assert_eq!(attester(A).status, AttesterStatus::Active);
	});
}

/// An attester slashed to nothing, or that withdrew everything, before `max_faults` was
/// deleted with its faults and could bond again clean.
#[test]
fn faults_outlive_the_stake() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		let other = statement(Verdict::Invalid, weights(1));
		assert_ok!(Attestations::report_equivocation(signed(D), id, A, sign(A, id, other)));
		assert_eq!(attester(A).faults, 1);
		assert_ok!(Attestations::unbond(signed(A), attester(A).bonded));
		run_to(System::block_number() + 61);
		assert_ok!(Attestations::withdraw_unbonded(signed(A)));
		bond(A, 1_000);
		assert_eq!(attester(A).faults, 1);
		assert_events_rebuild_attesters_and_runs();
	});
}

/// A winner whose share is below the existential deposit and whose account is gone made
/// `settle_run` fail for good, locking the reward, the deposit and the output.
#[test]
fn a_winner_that_cannot_receive_its_share_does_not_lock_settlement() {
	new_test_ext(|| {
		three_attesters();
		let id = NextRunId::<Test>::get();
		let data = dataset(1);
		assert_ok!(try_declare(
			vec![data],
			vec![],
			weights(1),
			3,
			System::block_number() + RUN_BLOCKS
		));
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		// A leaves: everything it held goes, and its account is reaped.
		assert_ok!(Attestations::unbond(signed(A), 1_000));
		run_to(System::block_number() + 61);
		assert_ok!(Attestations::withdraw_unbonded(signed(A)));
		assert_ok!(Balances::transfer_all(signed(A), LAB, false));
		assert!(!frame_system::Account::<Test>::contains_key(A));
		run_to(window_end(id).max(System::block_number()) + 1);
		settle(id);
		assert!(matches!(run(id).status, RunStatus::Final { .. }));
	});
}

/// Stake that never votes was a free veto: with more than a third of the stake absent, no run
/// could reach quorum. An attester absent from more than `max_missed_runs` (3 here) runs in a
/// row is slashed, chilled and counted a fault; its stake leaves the quorum's base.
#[test]
fn persistent_absence_is_a_fault() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		for n in 1..=4u32 {
			let id = declare(n);
			vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
			run_to(window_end(id) + 1);
			settle(id);
			if n < 4 {
				assert_eq!(attester(D).missed, n, "run {n} missed");
				assert_eq!(attester(D).status, AttesterStatus::Active);
			}
		}
		let absent = attester(D);
		assert_eq!((absent.status, absent.faults, absent.missed), (AttesterStatus::Chilled, 1, 0));
		assert_eq!(slash_of(D, 3).fault, Fault::Absent);
		assert_eq!(stake_held(D), 900, "10% of its bonded stake");
		// The ones who voted missed nothing.
		assert_eq!(attester(A).missed, 0);
		assert_events_rebuild_attesters_and_runs();
	});
}

/// For random stakes, bonds after the declaration, unbonds, votes, reveal orders and
/// equivocation slashes, the two verdicts of a run never both reach quorum.
#[test]
fn for_random_stakes_bonds_unbonds_and_slashes_two_verdicts_never_both_reach_quorum() {
	let attesters = [A, B, C, D, E, 16, 17];
	for seed in 1..=300u64 {
		new_test_ext(|| {
			let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
			set_quorum(1 + rng.below(3) as u32, Perbill::from_percent(51 + rng.below(40) as u32));
			let before = 1 + rng.below(attesters.len() as u64 - 1) as usize;
			for who in &attesters[..before] {
				bond(*who, 1_000 + rng.below(5_000));
			}
			let id = declare(1);
			for who in &attesters[before..] {
				if rng.below(2) == 0 {
					// Refused when the places are full of larger bonds.
					let _ = Attestations::bond(signed(*who), 1_000 + rng.below(20_000));
				}
			}
			for who in &attesters[..before] {
				match rng.below(3) {
					0 => {
						let _ = Attestations::bond_extra(signed(*who), rng.below(20_000));
					},
					1 => {
						let bonded = attester(*who).bonded;
						let _ = Attestations::unbond(signed(*who), bonded);
					},
					_ => {},
				}
			}
			let mut votes = Vec::new();
			for who in attesters {
				let verdict = if rng.below(2) == 0 { Verdict::Valid } else { Verdict::Invalid };
				let statement = statement(verdict, run(id).output_hash);
				let committed =
					Attestations::commit_verdict(signed(who), id, commitment(id, who, &statement));
				if committed.is_ok() {
					votes.push((who, verdict));
				}
			}
			to_reveal_phase(id);
			while !votes.is_empty() {
				let (who, verdict) = votes.remove(rng.below(votes.len() as u64) as usize);
				reveal(id, who, verdict);
				if rng.below(4) == 0 {
					let other = statement(verdict.opposite(), run(id).output_hash);
					assert_ok!(Attestations::report_equivocation(
						signed(CHALLENGER),
						id,
						who,
						sign(who, id, other)
					));
				}
				let record = run(id);
				assert!(
					!(Attestations::reaches_quorum(&record.valid, &record)
						&& Attestations::reaches_quorum(&record.invalid, &record)),
					"seed {seed}: both verdicts reach quorum"
				);
			}
			assert_events_rebuild_attesters_and_runs();
		});
	}
}

/// The attacker's own verdict, `Valid` on other weights than the run declared, is slashed at
/// reveal and never counted; challenged and upheld (it is plainly wrong), the ruling would
/// have "corrected" an honestly attested run to `Rejected`.
#[test]
fn a_contradicting_verdict_cannot_be_used_to_overturn_a_run() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		let id = declare(1);
		let wrong = statement(Verdict::Valid, weights(2));
		assert_ok!(Attestations::commit_verdict(signed(D), id, commitment(id, D, &wrong)));
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		assert_ok!(Attestations::reveal_verdict(signed(D), id, wrong, salt(D)));
		assert_eq!(slash_of(D, id).fault, Fault::Contradiction);
		assert_noop!(
			Attestations::challenge(signed(CHALLENGER), id, D),
			Error::<Test>::AlreadySlashed
		);
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Attested, .. }));
	});
}

/// A deciding attester's second account reported its off-chain equivocation after the
/// challenge window, just before settlement, to reopen the run and let it expire.
#[test]
fn a_decision_cannot_be_reopened_after_its_window() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		run_to(window_end(id) + 1);
		let other = statement(Verdict::Invalid, weights(1));
		assert_noop!(
			Attestations::report_equivocation(signed(D), id, A, sign(A, id, other)),
			Error::<Test>::ChallengeWindowClosed
		);
		settle(id);
	});
}

/// An absent attester chilled and activated again to restart its count; activation waits a
/// run's length after a chill, and the count carries over.
#[test]
fn chilling_does_not_forgive_absences() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		for n in 1..=2u32 {
			let id = declare(n);
			vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
			run_to(window_end(id) + 1);
			settle(id);
		}
		assert_eq!(attester(D).missed, 2);
		assert_ok!(Attestations::chill(signed(D)));
		assert_noop!(Attestations::activate(signed(D)), Error::<Test>::TooEarly);
		run_to(System::block_number() + 30);
		assert_ok!(Attestations::activate(signed(D)));
		assert_eq!(attester(D).missed, 2);
	});
}

/// Runs that pay less than `attendance_reward`, or have no place left, ask no one to attend:
/// spam runs cannot make honest attesters absent.
#[test]
fn spam_runs_make_no_one_absent() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		for n in 1..=5u32 {
			let id = NextRunId::<Test>::get();
			let data = dataset(100 + n);
			assert_ok!(try_declare(
				vec![data],
				vec![],
				weights(n),
				1,
				System::block_number() + RUN_BLOCKS
			));
			vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
			run_to(window_end(id) + 1);
			settle(id);
		}
		assert_eq!(attester(D).missed, 0);
		assert_eq!(attester(D).status, AttesterStatus::Active);
	});
}

/// Runs `on_initialize` of every block up to `n`, as the chain would.
fn initialize_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Attestations as frame_support::traits::Hooks<u64>>::on_initialize(next);
	}
}

/// A dispute body that never rules would freeze a challenged run's settlement and the
/// challenged attester's stake for good: unruled by its deadline, the challenge lapses.
#[test]
fn an_unruled_challenge_lapses_and_frees_the_run_and_the_stake() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		let challenger_before = free(CHALLENGER);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		let deadline = window_end(id) + run(id).rules.challenge_period;
		assert!(events().contains(&Event::Challenged {
			run: id,
			attester: A,
			challenger: CHALLENGER,
			bond: 100,
			ruling_deadline: deadline,
		}));

		initialize_to(deadline - 1);
		assert_noop!(Attestations::settle_run(signed(CHALLENGER), id), Error::<Test>::TooEarly);
		assert_eq!(attester(A).open_challenges, 1, "A's stake cannot leave while challenged");

		initialize_to(deadline);
		assert!(events().contains(&Event::ChallengeLapsed {
			run: id,
			attester: A,
			challenger: CHALLENGER,
			bond: 100,
		}));
		assert_eq!(free(CHALLENGER), challenger_before, "the bond went back");
		assert_eq!(Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &CHALLENGER), 0);
		assert_eq!(run(id).open_challenges, 0);
		assert_eq!(attester(A).open_challenges, 0);
		assert!(matches!(run(id).status, RunStatus::Decided { outcome: Outcome::Attested, .. }));
		assert_noop!(
			Attestations::challenge(signed(D), id, A),
			Error::<Test>::ChallengeWindowClosed
		);
		settle(id);
		assert_eq!(run(id).status, RunStatus::Final { outcome: Outcome::Attested });
		assert_events_rebuild_attesters_and_runs();
	});
}

#[test]
fn a_ruled_challenge_leaves_no_deadline_behind() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		let deadline = window_end(id) + run(id).rules.challenge_period;
		assert_ok!(Attestations::resolve_challenge(RawOrigin::Root.into(), id, A, false));
		assert_eq!(ChallengeDeadlines::<Test>::iter().count(), 0);
		assert_eq!(RulingDeadlines::<Test>::iter().count(), 0);
		initialize_to(deadline);
		assert!(!events().iter().any(|e| matches!(e, Event::ChallengeLapsed { .. })));
	});
}

/// Challenges due in one block beyond `MaxLapsesPerBlock` (2 in the mock) lapse in the next.
#[test]
fn lapses_beyond_the_block_bound_roll_over() {
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		for (accused, challenger) in [(A, CHALLENGER), (B, D), (C, E)] {
			assert_ok!(Attestations::challenge(signed(challenger), id, accused));
		}
		let deadline = window_end(id) + run(id).rules.challenge_period;
		initialize_to(deadline);
		let lapsed =
			|| events().iter().filter(|e| matches!(e, Event::ChallengeLapsed { .. })).count();
		assert_eq!(lapsed(), 2);
		assert_eq!(run(id).open_challenges, 1);
		initialize_to(deadline + 1);
		assert_eq!(lapsed(), 3);
		assert_eq!(run(id).open_challenges, 0);
		assert_eq!(RulingCursor::<Test>::get(), Some(deadline + 2));
	});
}

/// Challenges opened before ruling deadlines existed (storage version 0) get one at the
/// upgrade: never less than a full challenge period from it.
#[test]
fn challenges_open_before_the_upgrade_get_a_deadline() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext(|| {
		three_attesters();
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		let _ = ChallengeDeadlines::<Test>::clear(u32::MAX, None);
		let _ = RulingDeadlines::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Attestations>();
		let upgrade_at = window_end(id) + 5;
		System::set_block_number(upgrade_at);

		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();

		let deadline = upgrade_at + run(id).rules.challenge_period;
		assert_eq!(ChallengeDeadlines::<Test>::get(id, A), Some(deadline));
		assert!(RulingDeadlines::<Test>::contains_key(deadline, (id, A)));
		assert_eq!(Attestations::on_chain_storage_version(), StorageVersion::new(1));
		initialize_to(deadline);
		assert_eq!(run(id).open_challenges, 0, "it lapses at that deadline");
	});
}
