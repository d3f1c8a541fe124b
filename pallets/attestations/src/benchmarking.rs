//! Benchmarks of the attestations pallet's calls, each in its heaviest path at the bounds.

use super::*;
use crate::pallet::Pallet as Attestations;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::{pallet_prelude::BlockNumberFor, Pallet as System, RawOrigin};
use provenance_primitives::{
	traits::{CheckpointFactory, DatasetFactory, LinkRun},
	AssetRef,
};
use sp_runtime::{
	traits::{One, Saturating, Zero},
	PerThing,
};

fn parameters<T: Config>() -> ParametersOf<T> {
	Parameters::<T>::get()
}

fn min_stake<T: Config>() -> BalanceOf<T> {
	parameters::<T>().attesters.min_stake
}

/// The signer of a measured call: `whitelisted_caller`, whose account the transaction's nonce
/// check already reads, writes and is charged for in the same extrinsic (as in polkadot-sdk's
/// own benchmarks), so the call's weight does not charge that account again.
fn funded_caller<T: Config>() -> T::AccountId {
	fund::<T>(whitelisted_caller())
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	fund::<T>(account(name, index, 0))
}

/// `who`, with plenty to bond, stake and hold deposits.
fn fund<T: Config>(who: T::AccountId) -> T::AccountId {
	let plenty = min_stake::<T>().saturating_mul(1_000u32.into())
		+ parameters::<T>().runs.challenge_bond.saturating_mul(100u32.into())
		+ T::RunDepositBase::get().saturating_mul(1_000u32.into())
		+ T::RunDepositPerByte::get().saturating_mul(1_000_000u32.into())
		+ 10_000_000u32.into();
	T::Currency::set_balance(&who, plenty);
	who
}

/// Bonds `who` with twice the minimum, so a slash leaves it above nothing.
fn bonded<T: Config>(who: &T::AccountId) {
	Attestations::<T>::bond(RawOrigin::Signed(who.clone()).into(), min_stake::<T>() * 2u32.into())
		.expect("bonds");
}

/// `n` attesters bonded at the minimum, so that any slash takes them below it and chills them.
fn minimal_attesters<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who = funded::<T>("minimal", i);
			Attestations::<T>::bond(RawOrigin::Signed(who.clone()).into(), min_stake::<T>())
				.expect("bonds");
			who
		})
		.collect()
}

/// Fills the active set with attesters bonded at the minimum.
fn full_set_of_minimal_bonds<T: Config>() {
	minimal_attesters::<T>(
		T::MaxAttesters::get().saturating_sub(ActiveSet::<T>::get().len() as u32),
	);
}

fn attesters<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who = funded::<T>("attester", i);
			bonded::<T>(&who);
			who
		})
		.collect()
}

fn output(n: u32) -> Hash {
	let mut hash = [0xA7; 32];
	hash[..4].copy_from_slice(&n.to_le_bytes());
	hash
}

fn set_block<T: Config>(n: BlockNumberFor<T>) {
	System::<T>::set_block_number(n);
}

fn now<T: Config>() -> BlockNumberFor<T> {
	System::<T>::block_number()
}

/// Declares a run on `d` datasets and `c` base checkpoints, with the longest deadline.
fn run_with<T: Config>(lab: &T::AccountId, seed: u32, d: u32, c: u32) -> RunId {
	let datasets: Vec<_> =
		(0..d).map(|i| T::BenchmarkHelper::create_dataset(lab, seed * 1_000 + i)).collect();
	let bases: Vec<_> =
		(0..c).map(|i| T::BenchmarkHelper::create_checkpoint(lab, seed * 1_000 + i)).collect();
	let id = NextRunId::<T>::get();
	Attestations::<T>::declare_run(
		RawOrigin::Signed(lab.clone()).into(),
		datasets,
		bases,
		[1; 32],
		[2; 32],
		[3; 32],
		[4; 32],
		output(seed),
		[5; 32],
		min_stake::<T>(),
		now::<T>().saturating_add(parameters::<T>().runs.max_run_duration),
	)
	.expect("declares");
	id
}

fn run<T: Config>(lab: &T::AccountId, seed: u32) -> RunId {
	run_with::<T>(lab, seed, 1, 0)
}

fn honest(run: RunId, verdict: Verdict) -> Statement {
	Statement { verdict, output_hash: output(run as u32), report_hash: [9; 32] }
}

fn commit<T: Config>(run: RunId, who: &T::AccountId, statement: &Statement) {
	Attestations::<T>::commit_verdict(
		RawOrigin::Signed(who.clone()).into(),
		run,
		commitment_of(run, who, statement, &[7; 32]),
	)
	.expect("commits");
}

fn reveal<T: Config>(run: RunId, who: &T::AccountId, statement: Statement) {
	Attestations::<T>::reveal_verdict(
		RawOrigin::Signed(who.clone()).into(),
		run,
		statement,
		[7; 32],
	)
	.expect("reveals");
}

fn to_reveal_phase<T: Config>(run: RunId) {
	let commit_end = Runs::<T>::get(run).expect("run exists").commit_end;
	set_block::<T>(commit_end + One::one());
}

/// `voters` commit and reveal `Valid`; returns the run, decided.
fn decided<T: Config>(lab: &T::AccountId, voters: &[T::AccountId]) -> RunId {
	let id = run::<T>(lab, 0);
	for who in voters {
		commit::<T>(id, who, &honest(id, Verdict::Valid));
	}
	to_reveal_phase::<T>(id);
	for who in voters {
		reveal::<T>(id, who, honest(id, Verdict::Valid));
	}
	assert!(matches!(Runs::<T>::get(id).map(|r| r.status), Some(RunStatus::Decided { .. })));
	id
}

/// A decided run with the first attester's verdict challenged; returns the run and attester.
fn challenged_verdict<T: Config>() -> (RunId, T::AccountId) {
	let mut voters = attesters::<T>(parameters::<T>().runs.quorum_count);
	let lab = funded::<T>("lab", 0);
	let id = decided::<T>(&lab, &voters);
	let accused = voters.swap_remove(0);
	let challenger = funded::<T>("challenger", 0);
	Attestations::<T>::challenge(RawOrigin::Signed(challenger).into(), id, accused.clone())
		.expect("challenges");
	(id, accused)
}

/// Puts `who` one fault short of removal with its unbonding chunks full, so that a slash
/// also removes it and merges its bonded stake into the last chunk.
fn on_the_brink<T: Config>(who: &T::AccountId) {
	let mut attester = Attesters::<T>::get(who).expect("attester");
	attester.faults = parameters::<T>().attesters.max_faults.saturating_sub(1);
	Attesters::<T>::insert(who, attester);
	for _ in 0..T::MaxUnbondingChunks::get() {
		set_block::<T>(now::<T>() + One::one());
		Attestations::<T>::unbond(RawOrigin::Signed(who.clone()).into(), One::one())
			.expect("unbonds");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Into a full set of minimal bonds: the caller's larger bond displaces one.
	#[benchmark]
	fn bond() {
		full_set_of_minimal_bonds::<T>();
		let caller = funded_caller::<T>();
		let amount = min_stake::<T>() * 2u32.into();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), amount);

		assert!(ActiveSet::<T>::get().iter().any(|(who, _)| *who == caller));
	}

	#[benchmark]
	fn bond_extra() {
		let caller = funded_caller::<T>();
		bonded::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), min_stake::<T>());

		assert_eq!(
			Attesters::<T>::get(&caller).map(|a| a.bonded),
			Some(min_stake::<T>() * 3u32.into())
		);
	}

	/// With all chunks but one taken.
	#[benchmark]
	fn unbond() {
		let caller = funded_caller::<T>();
		bonded::<T>(&caller);
		for _ in 1..T::MaxUnbondingChunks::get() {
			set_block::<T>(now::<T>() + One::one());
			Attestations::<T>::unbond(RawOrigin::Signed(caller.clone()).into(), One::one())
				.expect("unbonds");
		}
		set_block::<T>(now::<T>() + One::one());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), One::one());

		assert_eq!(
			Attesters::<T>::get(&caller).map(|a| a.unbonding.len() as u32),
			Some(T::MaxUnbondingChunks::get())
		);
	}

	/// Every chunk due, and nothing left after: the attester leaves the set.
	#[benchmark]
	fn withdraw_unbonded() {
		let caller = funded_caller::<T>();
		bonded::<T>(&caller);
		let chunks = T::MaxUnbondingChunks::get();
		for i in 0..chunks {
			set_block::<T>(now::<T>() + One::one());
			let amount = if i + 1 == chunks {
				Attesters::<T>::get(&caller).map(|a| a.bonded).unwrap_or_default()
			} else {
				One::one()
			};
			Attestations::<T>::unbond(RawOrigin::Signed(caller.clone()).into(), amount)
				.expect("unbonds");
		}
		set_block::<T>(now::<T>() + parameters::<T>().attesters.unbonding_period);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!Attesters::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn chill() {
		let caller = funded_caller::<T>();
		bonded::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(Attestations::<T>::active_stake().is_zero());
	}

	/// Into a full set of minimal bonds: the caller displaces one.
	#[benchmark]
	fn activate() {
		let caller = funded_caller::<T>();
		bonded::<T>(&caller);
		Attestations::<T>::chill(RawOrigin::Signed(caller.clone()).into()).expect("chills");
		set_block::<T>(now::<T>().saturating_add(parameters::<T>().runs.max_run_duration));
		full_set_of_minimal_bonds::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!Attestations::<T>::active_stake().is_zero());
	}

	/// `d` datasets and `c` base checkpoints, each checked for existence and taint, on the
	/// output of a checkpoint the lab registered with them, whose lineage is checked too.
	#[benchmark]
	fn declare_run(
		d: Linear<0, { T::MaxDatasets::get() }>,
		c: Linear<0, { T::MaxBaseCheckpoints::get() }>,
	) {
		attesters::<T>(1);
		let lab = funded_caller::<T>();
		let datasets: Vec<_> =
			(0..d).map(|i| T::BenchmarkHelper::create_dataset(&lab, i)).collect();
		let bases: Vec<_> =
			(0..c).map(|i| T::BenchmarkHelper::create_checkpoint(&lab, i)).collect();
		let inputs = bases
			.iter()
			.map(|c| AssetRef::Checkpoint(*c))
			.chain(datasets.iter().map(|d| AssetRef::Dataset(*d)))
			.collect();
		T::BenchmarkHelper::create_checkpoint_with(&lab, output(0), inputs);
		let deadline = now::<T>().saturating_add(parameters::<T>().runs.max_run_duration);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(lab),
			datasets,
			bases,
			[1; 32],
			[2; 32],
			[3; 32],
			[4; 32],
			output(0),
			[5; 32],
			min_stake::<T>(),
			deadline,
		);

		assert!(Runs::<T>::contains_key(0));
	}

	#[benchmark]
	fn commit_verdict() {
		let voter = funded_caller::<T>();
		bonded::<T>(&voter);
		let lab = funded::<T>("lab", 0);
		let id = run::<T>(&lab, 0);
		let commitment = commitment_of(id, &voter, &honest(id, Verdict::Valid), &[7; 32]);

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), id, commitment);

		assert!(Votes::<T>::contains_key(id, &voter));
	}

	/// The heavier of a reveal's two paths: a contradiction, slashed at once, that removes
	/// the attester (the path that decides a run only updates the record).
	#[benchmark]
	fn reveal_verdict() {
		let voter = funded_caller::<T>();
		bonded::<T>(&voter);
		let lab = funded::<T>("lab", 0);
		let id = run::<T>(&lab, 0);
		let wrong = Statement { output_hash: output(9_999), ..honest(id, Verdict::Valid) };
		commit::<T>(id, &voter, &wrong);
		on_the_brink::<T>(&voter);
		to_reveal_phase::<T>(id);

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), id, wrong, [7; 32]);

		assert!(Slashes::<T>::contains_key(&voter, id));
	}

	/// The path that counts a verdict, at its heaviest: the reveal that brings the run to
	/// quorum and decides it.
	#[benchmark]
	fn reveal_verdict_counted() {
		let voter = funded_caller::<T>();
		bonded::<T>(&voter);
		let others = attesters::<T>(parameters::<T>().runs.quorum_count.saturating_sub(1));
		let lab = funded::<T>("lab", 0);
		let id = run::<T>(&lab, 0);
		for who in others.iter().chain([&voter]) {
			commit::<T>(id, who, &honest(id, Verdict::Valid));
		}
		to_reveal_phase::<T>(id);
		for who in &others {
			reveal::<T>(id, who, honest(id, Verdict::Valid));
		}
		assert!(matches!(Runs::<T>::get(id).map(|r| r.status), Some(RunStatus::Open)));

		#[extrinsic_call]
		reveal_verdict(RawOrigin::Signed(voter), id, honest(id, Verdict::Valid), [7; 32]);

		assert!(matches!(Runs::<T>::get(id).map(|r| r.status), Some(RunStatus::Decided { .. })));
	}

	#[benchmark]
	fn challenge() {
		let voters = attesters::<T>(parameters::<T>().runs.quorum_count);
		let lab = funded::<T>("lab", 0);
		let id = decided::<T>(&lab, &voters);
		let challenger = funded_caller::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(challenger), id, voters[0].clone());

		assert!(Challenges::<T>::contains_key(id, &voters[0]));
	}

	/// Upheld: a slash with a share to the challenger, the attester removed, the run's
	/// outcome reversed.
	#[benchmark]
	fn resolve_challenge_upheld() -> Result<(), BenchmarkError> {
		let (id, accused) = challenged_verdict::<T>();
		on_the_brink::<T>(&accused);
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		resolve_challenge(origin as T::RuntimeOrigin, id, accused.clone(), true);

		assert!(Slashes::<T>::contains_key(&accused, id));
		Ok(())
	}

	#[benchmark]
	fn resolve_challenge_dismissed() -> Result<(), BenchmarkError> {
		let (id, accused) = challenged_verdict::<T>();
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		resolve_challenge(origin as T::RuntimeOrigin, id, accused.clone(), false);

		assert!(!Challenges::<T>::contains_key(id, &accused));
		Ok(())
	}

	/// `n` challenges lapsing unruled in one block, each releasing its bond: `n` verdicts of one
	/// decided run challenged by `n` challengers.
	#[benchmark]
	fn sweep_ruling_deadlines(n: Linear<0, { T::MaxLapsesPerBlock::get() }>) {
		let voters = attesters::<T>(n.max(parameters::<T>().runs.quorum_count));
		let lab = funded::<T>("lab", 0);
		let id = decided::<T>(&lab, &voters);
		for (i, accused) in voters.iter().take(n as usize).enumerate() {
			let challenger = funded::<T>("challenger", i as u32);
			Attestations::<T>::challenge(RawOrigin::Signed(challenger).into(), id, accused.clone())
				.expect("challenges");
		}
		let record = Runs::<T>::get(id).expect("the run");
		let RunStatus::Decided { window_end, .. } = record.status else { panic!("decided") };
		let deadline = window_end + record.rules.challenge_period;
		set_block::<T>(deadline);
		RulingCursor::<T>::put(deadline);

		#[block]
		{
			Attestations::<T>::sweep_ruling_deadlines(deadline);
		}

		assert_eq!(Challenges::<T>::iter_prefix(id).count(), 0);
	}

	/// A signature check, then a slash that removes the attester.
	#[benchmark]
	fn report_equivocation() {
		let signer = fund::<T>(T::BenchmarkHelper::signer());
		bonded::<T>(&signer);
		let lab = funded::<T>("lab", 0);
		let id = run::<T>(&lab, 0);
		commit::<T>(id, &signer, &honest(id, Verdict::Valid));
		on_the_brink::<T>(&signer);
		to_reveal_phase::<T>(id);
		reveal::<T>(id, &signer, honest(id, Verdict::Valid));
		let other = honest(id, Verdict::Invalid);
		let genesis = System::<T>::block_hash(BlockNumberFor::<T>::zero());
		let signature =
			T::BenchmarkHelper::sign(&signer, &signed_statement_payload(&genesis, id, &other));
		let reporter = funded_caller::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter),
			id,
			signer.clone(),
			SignedStatement { statement: other, signature },
		);

		assert!(Slashes::<T>::contains_key(&signer, id));
	}

	/// `v` verdicts at their dearest: the fewest that can decide a run revealed and paid
	/// (`quorum_count` attesters whose stake alone reaches the quorum), every other one never
	/// revealed and slashed, which costs more than paying it, each of those bonded at the
	/// minimum so that its slash also chills it. The run is attested and linked to its lab's
	/// checkpoint on a pipeline whose environment (read after the clean code) was declared
	/// compromised, so the link also queues the checkpoint's taint.
	#[benchmark]
	fn settle_run(
		v: Linear<{ T::DefaultParameters::get().runs.quorum_count }, { T::MaxAttesters::get() }>,
	) {
		let rules = parameters::<T>().runs;
		let v = v.max(rules.quorum_count);
		let slashed = minimal_attesters::<T>(v - rules.quorum_count);
		// The deciders' stake, D, must be `quorum_stake` (q) of the whole, D plus the rest (R):
		// D ≥ q R / (1 - q), and a stake of the minimum more each covers the rounding.
		let rest = Attestations::<T>::active_stake();
		let needed = rest.saturating_mul(rules.quorum_stake.deconstruct().into())
			/ rules.quorum_stake.left_from_one().deconstruct().max(1).into();
		let stake = needed / rules.quorum_count.into() + min_stake::<T>();
		let deciders: Vec<_> = (0..rules.quorum_count)
			.map(|i| {
				let who = funded::<T>("decider", i);
				T::Currency::set_balance(&who, T::Currency::balance(&who).saturating_add(stake));
				Attestations::<T>::bond(RawOrigin::Signed(who.clone()).into(), stake)
					.expect("bonds");
				who
			})
			.collect();
		let lab = funded::<T>("lab", 0);
		let id = run::<T>(&lab, 0);
		let declared = Runs::<T>::get(id).expect("run");
		let Claim::Training(claim) = &declared.claim else { panic!("a training run") };
		let inputs = claim.datasets.iter().map(|d| AssetRef::Dataset(*d)).collect();
		let model = T::BenchmarkHelper::create_checkpoint_with(&lab, declared.output_hash, inputs);
		for who in deciders.iter().chain(&slashed) {
			commit::<T>(id, who, &honest(id, Verdict::Valid));
		}
		to_reveal_phase::<T>(id);
		for who in &deciders {
			reveal::<T>(id, who, honest(id, Verdict::Valid));
		}
		assert!(matches!(Runs::<T>::get(id).map(|r| r.status), Some(RunStatus::Decided { .. })));
		T::BenchmarkHelper::declare_pipeline_compromised(claim.environment_hash).expect("declares");
		set_block::<T>(declared.deadline.saturating_add(rules.challenge_period) + One::one());
		let caller = funded_caller::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(matches!(Runs::<T>::get(id).map(|r| r.status), Some(RunStatus::Final { .. })));
		assert_eq!(
			T::Checkpoints::lineage_of(&declared.output_hash, &lab).map(|(id, _)| id),
			Some(model)
		);
		for who in &slashed {
			assert_eq!(Slashes::<T>::get(who, id).map(|s| s.fault), Some(Fault::Unrevealed));
			assert_eq!(Attesters::<T>::get(who).map(|a| a.status), Some(AttesterStatus::Chilled));
		}
	}

	/// `v` verdicts, none revealed: each is slashed, and chilled (bonded at the minimum).
	#[benchmark]
	fn expire_run(v: Linear<1, { T::MaxAttesters::get() }>) {
		let voters = minimal_attesters::<T>(v);
		let lab = funded::<T>("lab", 0);
		let id = run::<T>(&lab, 0);
		for who in &voters {
			commit::<T>(id, who, &honest(id, Verdict::Valid));
		}
		let deadline = Runs::<T>::get(id).expect("run").deadline;
		set_block::<T>(deadline + One::one());
		let caller = funded_caller::<T>();

		#[extrinsic_call]
		settle_run(RawOrigin::Signed(caller), id);

		assert_eq!(Runs::<T>::get(id).map(|r| r.status), Some(RunStatus::Expired));
		for who in &voters {
			assert_eq!(Slashes::<T>::get(who, id).map(|s| s.fault), Some(Fault::Unrevealed));
			assert_eq!(Attesters::<T>::get(who).map(|a| a.status), Some(AttesterStatus::Chilled));
		}
	}

	/// `a` active attesters absent from a run, each at its last missed run: each is slashed
	/// and chilled.
	#[benchmark]
	fn note_absences(a: Linear<0, { T::MaxAttesters::get() }>) {
		let absent = attesters::<T>(a);
		for who in &absent {
			let mut attester = Attesters::<T>::get(who).expect("attester");
			attester.missed = parameters::<T>().attesters.max_missed_runs;
			Attesters::<T>::insert(who, attester);
		}
		let lab = funded::<T>("lab", 0);
		if a == 0 {
			attesters::<T>(1);
		}
		let id = run::<T>(&lab, 0);
		let record = Runs::<T>::get(id).expect("run");

		#[block]
		{
			Attestations::<T>::note_absences(id, &record);
		}

		for who in &absent {
			assert_eq!(Slashes::<T>::get(who, id).map(|s| s.fault), Some(Fault::Absent));
		}
	}

	/// Replaces parameters whose unbonding floor is still in force.
	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::ParametersOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut new = parameters::<T>();
		Attestations::<T>::set_parameters(origin.clone(), new).expect("sets");
		new.attesters.unbonding_period.saturating_inc();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new);

		assert_eq!(Parameters::<T>::get(), new);
		Ok(())
	}

	impl_benchmark_test_suite!(Attestations, crate::mock::new_bench_ext(), crate::mock::Test);
}
