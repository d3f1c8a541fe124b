//! The attestation parameters: set by `ParametersOrigin`, checked against every relation the
//! pallet relies on, and kept by each run as they were when it was declared.

use super::*;
use crate::{AttestationParameters, Parameters, ParametersOf, SpanFloor, UnbondingFloor};
use sp_runtime::BuildStorage;

fn parameters() -> ParametersOf<Test> {
	Parameters::<Test>::get()
}

fn set(parameters: ParametersOf<Test>) -> frame_support::dispatch::DispatchResult {
	Attestations::set_parameters(RuntimeOrigin::root(), parameters)
}

/// The mock's parameters with a longer challenge window, a quorum of three and a smaller
/// slash: everything a run in flight would be hurt by if it changed under it.
fn stricter() -> ParametersOf<Test> {
	let mut parameters = MockParameters::get();
	parameters.runs.challenge_period = 15;
	parameters.runs.quorum_count = 3;
	parameters.runs.slash_fraction = Perbill::from_percent(40);
	parameters.runs.challenge_bond = 80;
	parameters.attesters.unbonding_period = 70;
	parameters
}

#[test]
fn root_sets_the_parameters_and_says_so() {
	new_test_ext(|| {
		assert_eq!(parameters(), MockParameters::get(), "the default until a change");
		assert_noop!(Attestations::set_parameters(signed(A), stricter()), DispatchError::BadOrigin);
		assert_ok!(set(stricter()));
		assert_eq!(parameters(), stricter());
		assert_eq!(events().last(), Some(&Event::ParametersSet { parameters: stricter() }));
	});
}

#[test]
fn a_run_keeps_the_rules_it_was_declared_under() {
	new_test_ext(|| {
		three_attesters();
		let old = declare(1);
		assert_ok!(set(stricter()));
		let new = declare(2);
		assert_eq!(run(old).rules, MockParameters::get().runs);
		assert_eq!(run(new).rules, stricter().runs);
		assert!(matches!(
			events().last(),
			Some(Event::RunDeclared { rules, .. }) if *rules == stricter().runs
		));

		// Two verdicts decide the old run (quorum two) but not the new one (quorum three).
		for who in [A, B] {
			commit(old, who, Verdict::Valid);
		}
		for who in [A, B, C] {
			commit(new, who, Verdict::Valid);
		}
		to_reveal_phase(old);
		for (id, who) in [(old, A), (old, B), (new, A), (new, B)] {
			reveal(id, who, Verdict::Valid);
		}
		let decided_at = System::block_number();
		assert_eq!(window_end(old), decided_at + 10, "the old window");
		assert_eq!(run(new).status, RunStatus::Open);
		reveal(new, C, Verdict::Valid);
		assert_eq!(window_end(new), decided_at + 15, "the new window");

		// A challenge of the old run holds the old bond, and the slash is the old share.
		assert_ok!(Attestations::challenge(signed(CHALLENGER), old, A));
		assert_eq!(Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &CHALLENGER), 100);
		assert_ok!(Attestations::resolve_challenge(RuntimeOrigin::root(), old, A, true));
		assert_eq!(slash_of(A, old).due, 500, "half of A's 1000");
		assert_ok!(Attestations::challenge(signed(CHALLENGER), new, B));
		assert_eq!(Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &CHALLENGER), 80);
		assert_ok!(Attestations::resolve_challenge(RuntimeOrigin::root(), new, B, true));
		assert_eq!(slash_of(B, new).due, 400, "two fifths of B's 1000");
	});
}

#[test]
fn a_change_that_breaks_a_relation_is_refused_and_changes_nothing() {
	new_test_ext(|| {
		let breaking: [(fn(&mut ParametersOf<Test>), Error<Test>); 16] = [
			(|p| p.runs.quorum_stake = Perbill::from_percent(50), Error::QuorumStakeTooLow),
			(|p| p.runs.quorum_count = 0, Error::ZeroQuorumCount),
			(|p| p.runs.quorum_count = 7, Error::QuorumCountTooHigh),
			(|p| p.runs.reveal_period = 0, Error::ZeroPeriod),
			(|p| p.runs.min_commit_period = 0, Error::ZeroPeriod),
			(|p| p.runs.max_run_duration = 6, Error::RunDurationTooShort),
			(|p| p.runs.challenge_period = 4, Error::ChallengePeriodTooShort),
			(|p| p.attesters.unbonding_period = 40, Error::UnbondingTooShort),
			(|p| p.attesters.max_faults = 0, Error::ZeroMaxFaults),
			(|p| p.runs.slash_fraction = Perbill::zero(), Error::ZeroSlash),
			(|p| p.runs.attendance_reward = 0, Error::ZeroAttendanceReward),
			(|p| p.runs.challenge_bond = 0, Error::ZeroChallengeBond),
			(|p| p.runs.challenge_bond = 101, Error::ChallengeUnrewarded),
			(|p| p.attesters.min_stake = 1, Error::ChallengeUnrewarded),
			(|p| p.runs.challenger_share = Perbill::zero(), Error::ChallengeUnrewarded),
			(
				|p| p.runs.challenger_share = Perbill::from_percent(60),
				Error::ChallengerShareTooHigh,
			),
		];
		for (breaks, error) in breaking {
			let mut parameters = MockParameters::get();
			breaks(&mut parameters);
			assert_noop!(set(parameters), error);
		}
	});
}

/// Runs declared under a long window are open when the unbonding period is lowered in two
/// steps, each above the window of the rules it replaces: the second would let stake behind
/// the old runs' verdicts leave before their windows close.
#[test]
fn the_unbonding_period_cannot_be_lowered_step_by_step_below_an_open_runs_window() {
	new_test_ext(|| {
		three_attesters();
		// Rules of span 30 + 10 = 40 are in force; a run is declared under them.
		let old = declare(1);
		let mut short = MockParameters::get();
		short.runs.max_run_duration = 10;
		short.runs.challenge_period = 5;
		short.attesters.unbonding_period = 41;
		assert_ok!(set(short));
		// Span 15 now, but the old run's 40 still stands until block 1 + 40.
		short.attesters.unbonding_period = 16;
		assert_noop!(set(short), Error::<Test>::UnbondingBelowOpenRuns);
		assert_eq!(UnbondingFloor::<Test>::get().remaining(System::block_number()), 40);

		// An attester of the old run that unbonds now is still held past its window.
		vote(old, &[(A, Verdict::Valid), (B, Verdict::Valid)]);
		assert_ok!(Attestations::unbond(signed(A), 1_000));
		let unlock_at = attester(A).unbonding[0].unlock_at;
		assert!(unlock_at > window_end(old), "{unlock_at} is after the window");

		// Once every run of the old rules is past its window, the shorter period is allowed:
		// runs of the rules it replaces are past theirs within 15 blocks.
		run_to(1 + 40);
		assert_ok!(set(short));
		assert_eq!(parameters().attesters.unbonding_period, 16);
	});
}

#[test]
fn a_genesis_sets_its_parameters() {
	let mut parameters = MockParameters::get();
	parameters.runs.challenge_period = 12;
	let storage = RuntimeGenesisConfig {
		attestations: crate::GenesisConfig { parameters: Some(parameters) },
		..Default::default()
	}
	.build_storage()
	.expect("valid genesis");
	sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(Parameters::<Test>::get(), parameters);
	});
}

#[test]
#[should_panic(expected = "QuorumStakeTooLow")]
fn a_genesis_that_breaks_a_relation_is_refused() {
	let mut parameters: AttestationParameters<u64, u64> = MockParameters::get();
	parameters.runs.quorum_stake = Perbill::from_percent(40);
	let _ = RuntimeGenesisConfig {
		attestations: crate::GenesisConfig { parameters: Some(parameters) },
		..Default::default()
	}
	.build_storage();
}

/// A late ruling on a run that an equivocation report reopened after its deadline decided it
/// again with a fresh window: the stake of colluders who unbonded when the run reopened (so
/// that no one could challenge them) would leave before that window closed.
#[test]
fn a_late_ruling_opens_no_window_past_the_deadline_and_challenge_period() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 1_000);
		let id = declare(1);
		vote(id, &[(A, Verdict::Valid), (B, Verdict::Valid), (C, Verdict::Valid)]);
		assert_ok!(Attestations::challenge(signed(CHALLENGER), id, A));
		// B's second account reports B's equivocation: what stands (C alone) is no quorum.
		let other = statement(Verdict::Invalid, weights(1));
		assert_ok!(Attestations::report_equivocation(signed(E), id, B, sign(B, id, other)));
		assert_eq!(run(id).status, RunStatus::Open);
		let deadline = run(id).deadline;
		run_to(deadline + 10 + 5);
		assert_ok!(Attestations::resolve_challenge(RuntimeOrigin::root(), id, A, true));
		// Rejected by the ruling, but its window closed with the deadline's.
		assert_eq!(window_end(id), deadline + 10);
		assert_noop!(
			Attestations::challenge(signed(CHALLENGER), id, C),
			Error::<Test>::ChallengeWindowClosed
		);
	});
}

#[test]
fn attester_rules_apply_to_every_attester_at_once() {
	new_test_ext(|| {
		three_attesters();
		bond(D, 2_000);
		let mut raised = MockParameters::get();
		raised.attesters.min_stake = 1_500;
		raised.runs.challenge_bond = 100;
		assert_ok!(set(raised));
		let id = declare(1);
		let valid = statement(Verdict::Valid, weights(1));
		assert_noop!(
			Attestations::commit_verdict(signed(A), id, commitment(id, A, &valid)),
			Error::<Test>::BelowMinimum
		);
		assert_ok!(Attestations::commit_verdict(signed(D), id, commitment(id, D, &valid)));

		// D has a fault; a limit lowered to one stops it, and a departed attester with as many
		// may not bond again.
		let mut strict = raised;
		strict.attesters.max_faults = 1;
		assert_ok!(set(strict));
		Attesters::<Test>::mutate(D, |d| d.as_mut().map(|d| d.faults = 1));
		let next = declare(2);
		assert_noop!(
			Attestations::commit_verdict(signed(D), next, commitment(next, D, &valid)),
			Error::<Test>::TooManyFaults
		);
		PastFaults::<Test>::insert(E, 1);
		assert_noop!(Attestations::bond(signed(E), 2_000), Error::<Test>::TooManyFaults);
	});
}

/// An attester counted in the snapshot of a long run chills; the longest run is then cut
/// short. Activating again after the new, shorter cooldown would dodge the absences of the long
/// runs still open, so it waits out their length.
#[test]
fn a_shorter_longest_run_does_not_shorten_the_way_back_from_a_chill() {
	new_test_ext(|| {
		three_attesters();
		assert_ok!(Attestations::chill(signed(A)));
		let mut short = MockParameters::get();
		short.runs.max_run_duration = 10;
		short.runs.challenge_period = 5;
		assert_ok!(set(short));
		run_to(1 + 10);
		assert_noop!(Attestations::activate(signed(A)), Error::<Test>::TooEarly);
		run_to(1 + 30);
		assert_ok!(Attestations::activate(signed(A)));
	});
}

#[test]
fn the_floor_of_replaced_rules_ends_one_span_after_the_last_change() {
	let rules = MockParameters::get().runs; // run 30, window 10
	let mut old = rules;
	(old.max_run_duration, old.challenge_period) = (90, 10);
	// Rules of span 100 (a run of 90) replaced at block 10: runs past their windows by 110.
	let floor = SpanFloor::<u64>::default().after_replacing(&old, 10);
	assert_eq!(floor, SpanFloor { until: 110, longest_run: 90 });
	assert_eq!(
		(floor.remaining(60), floor.longest_run_at(109), floor.longest_run_at(110)),
		(50, 90, 0)
	);
	// Replacing rules of span 40 at block 80 keeps the later end; frequent changes do not pin
	// the floor: it ends 40 blocks after the last one.
	let floor = floor.after_replacing(&rules, 80);
	assert_eq!(floor, SpanFloor { until: 120, longest_run: 90 });
	let floor = floor.after_replacing(&rules, 119);
	assert_eq!((floor.remaining(119), floor.longest_run_at(130)), (40, 90));
	let floor = floor.after_replacing(&rules, 200);
	assert_eq!(floor, SpanFloor { until: 240, longest_run: 30 });
}
