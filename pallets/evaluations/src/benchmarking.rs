//! Benchmarks of the evaluations pallet's calls and hooks, each in its heaviest path at the
//! bounds.

use super::*;
use crate::pallet::Pallet as Evaluations;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use provenance_primitives::{
	merkle::Hash,
	traits::{
		CheckpointFactory, DatasetFactory, OnCheckpointTainted, OnEvaluationSettled, RunSettlement,
	},
	AssetRef,
};
use sp_runtime::Saturating;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	fund::<T>(account(name, 0, 0))
}

/// The signer of a measured call: `whitelisted_caller`, whose account the transaction's nonce
/// check already reads, writes and is charged for in the same extrinsic (as in polkadot-sdk's
/// own benchmarks), so the call's weight does not charge that account again.
fn funded_caller<T: Config>() -> T::AccountId {
	fund::<T>(whitelisted_caller())
}

/// `who`, with plenty to hold deposits.
fn fund<T: Config>(who: T::AccountId) -> T::AccountId {
	let plenty = T::DepositBase::get()
		.saturating_add(T::DepositPerByte::get().saturating_mul(1_000_000u32.into()))
		.saturating_mul(10_000u32.into());
	T::Currency::set_balance(&who, plenty);
	who
}

/// A checkpoint whose lineage holds `datasets` datasets: a line of checkpoints, each trained
/// on its parent and one dataset of its own.
fn checkpoint_with_lineage<T: Config>(owner: &T::AccountId, datasets: u32) -> u64 {
	let mut parent = None;
	for i in 0..datasets {
		let dataset = T::BenchmarkHelper::create_dataset(owner, 10_000 + i);
		let mut inputs = vec![AssetRef::Dataset(dataset)];
		inputs.extend(parent.map(AssetRef::Checkpoint));
		parent = Some(T::BenchmarkHelper::create_derived_checkpoint(owner, 10_000 + i, inputs));
	}
	parent.unwrap_or_else(|| T::BenchmarkHelper::create_checkpoint(owner, 0))
}

/// The last of a line of `versions` versions of one dataset.
fn versioned_dataset<T: Config>(owner: &T::AccountId, versions: u32) -> u64 {
	let mut latest = T::BenchmarkHelper::create_dataset(owner, 20_000);
	for i in 1..versions {
		latest = T::BenchmarkHelper::create_version(owner, latest, 20_000 + i);
	}
	latest
}

fn endpoint(n: u32) -> Hash {
	let mut hash = [0xE0; 32];
	hash[..4].copy_from_slice(&n.to_le_bytes());
	hash
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A lineage walk visiting `l` assets (half datasets, none of them the benchmark's); a
	/// version family of `v`: the whole search, then the run.
	#[benchmark]
	fn declare_evaluation(
		l: Linear<2, 80>,
		v: Linear<1, { T::MaxVersionFamily::get() }>,
	) -> Result<(), BenchmarkError> {
		let lab = funded_caller::<T>();
		T::BenchmarkHelper::activate_attester();
		let checkpoint = checkpoint_with_lineage::<T>(&lab, l / 2);
		let benchmark = versioned_dataset::<T>(&lab, v);
		let metric = vec![b'm'; T::MaxMetricLen::get() as usize];

		#[extrinsic_call]
		_(
			RawOrigin::Signed(lab),
			checkpoint,
			benchmark,
			[1; 32],
			[2; 32],
			metric,
			T::MaxScore::get(),
			1_000u32.into(),
			T::BenchmarkHelper::run_deadline(),
		);

		let evaluation = Records::<T>::get(0).ok_or(BenchmarkError::Stop("declared"))?;
		assert_eq!(evaluation.contamination, Contamination::Clean);
		Ok(())
	}

	/// Replacing the operator's live deployment at the endpoint.
	#[benchmark]
	fn deploy() {
		let operator = funded_caller::<T>();
		let old = T::BenchmarkHelper::create_checkpoint(&operator, 1);
		let new = T::BenchmarkHelper::create_checkpoint(&operator, 2);
		Evaluations::<T>::deploy(RawOrigin::Signed(operator.clone()).into(), old, endpoint(0))
			.expect("deploys");

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), new, endpoint(0));

		assert_eq!(EndpointHistoryLen::<T>::get(endpoint(0), operator), 2);
	}

	#[benchmark]
	fn end_deployment() {
		let operator = funded_caller::<T>();
		let checkpoint = T::BenchmarkHelper::create_checkpoint(&operator, 1);
		Evaluations::<T>::deploy(
			RawOrigin::Signed(operator.clone()).into(),
			checkpoint,
			endpoint(0),
		)
		.expect("deploys");

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), 0);

		assert!(Deployments::<T>::get(0).is_some_and(|d| d.until.is_some()));
	}

	/// An attested evaluation that tops a full leaderboard.
	#[benchmark]
	fn on_evaluation_settled() -> Result<(), BenchmarkError> {
		let lab = funded::<T>("lab");
		T::BenchmarkHelper::activate_attester();
		let checkpoint = T::BenchmarkHelper::create_checkpoint(&lab, 1);
		let benchmark = T::BenchmarkHelper::create_dataset(&lab, 1);
		let metric = b"accuracy".to_vec();
		Evaluations::<T>::declare_evaluation(
			RawOrigin::Signed(lab).into(),
			checkpoint,
			benchmark,
			[1; 32],
			[2; 32],
			metric.clone(),
			T::MaxScore::get(),
			1_000u32.into(),
			T::BenchmarkHelper::run_deadline(),
		)
		.map_err(|_| BenchmarkError::Stop("declares"))?;
		let run = Records::<T>::get(0).ok_or(BenchmarkError::Stop("declared"))?.run;
		let full: BoundedVec<_, T::MaxLeaderboardLen> = (0..T::MaxLeaderboardLen::get())
			.map(|i| (0u64, 1_000 + u64::from(i)))
			.collect::<alloc::vec::Vec<_>>()
			.try_into()
			.map_err(|_| BenchmarkError::Stop("leaderboard"))?;
		Leaderboards::<T>::insert(benchmark, sp_io::hashing::blake2_256(&metric), full);

		#[block]
		{
			Evaluations::<T>::on_evaluation_settled(0, run, RunSettlement::Attested);
		}

		let board = Leaderboards::<T>::get(benchmark, sp_io::hashing::blake2_256(&metric));
		assert_eq!(board.first().map(|(_, id)| *id), Some(0));
		Ok(())
	}

	/// A checkpoint with `n` live deployments turns tainted.
	#[benchmark]
	fn on_checkpoint_tainted(n: Linear<0, { T::MaxLiveDeployments::get() }>) {
		let operator = funded::<T>("operator");
		let checkpoint = T::BenchmarkHelper::create_checkpoint(&operator, 1);
		for i in 0..n {
			Evaluations::<T>::deploy(
				RawOrigin::Signed(operator.clone()).into(),
				checkpoint,
				endpoint(i),
			)
			.expect("deploys");
		}

		#[block]
		{
			Evaluations::<T>::on_checkpoint_tainted(checkpoint, None, n);
		}

		assert_eq!(LiveCount::<T>::get(checkpoint, &operator), n);
	}

	impl_benchmark_test_suite!(Evaluations, crate::mock::new_bench_ext(), crate::mock::Test);
}
