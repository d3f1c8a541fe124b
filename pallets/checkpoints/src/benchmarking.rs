//! Benchmarks of the checkpoints pallet's calls and of the taint propagation steps, each at
//! the bounds of its components.

use super::*;
use crate::pallet::{
	Compromised, CompromisedPipelines, NextCheckpointId, Pallet as Checkpoints, Pipelines, Records,
	Taint, TaintQueueBounds,
};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use provenance_primitives::{
	merkle::Hash,
	traits::{DatasetFactory, LicenseFactory, RunFactory, RunInputs},
	AssetRef, CheckpointId, CompromiseReason, DatasetId, TaintKind, TaintSource,
};
use sp_runtime::traits::StaticLookup;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	fund::<T>(account(name, 0, 0))
}

/// The signer of a measured call: `whitelisted_caller`, whose account the transaction's nonce
/// check already reads, writes and is charged for in the same extrinsic (as in polkadot-sdk's
/// own benchmarks), so the call's weight does not charge that account again.
fn funded_caller<T: Config>() -> T::AccountId {
	fund::<T>(whitelisted_caller())
}

/// `who`, with plenty to hold deposits and a pipeline report's bond.
fn fund<T: Config>(who: T::AccountId) -> T::AccountId {
	let plenty = T::DepositBase::get() * 100_000u32.into()
		+ T::DepositPerByte::get() * 100_000_000u32.into()
		+ T::PipelineReportBond::get() * 2u32.into();
	T::Currency::set_balance(&who, plenty);
	who
}

fn weights(n: u32) -> Hash {
	let mut hash = [0xCE; 32];
	hash[..4].copy_from_slice(&n.to_le_bytes());
	hash
}

fn uri() -> Vec<u8> {
	let mut uri = b"https://".to_vec();
	uri.resize(T_URI_LEN, b'm');
	uri
}

/// The URI length benchmarks use: long, but the weight does not depend on it.
const T_URI_LEN: usize = 64;

fn datasets<T: Config>(owner: &T::AccountId, first_seed: u32, n: u32) -> Vec<DatasetId> {
	(0..n).map(|i| T::DatasetFactory::create_dataset(owner, first_seed + i)).collect()
}

fn checkpoint<T: Config>(
	owner: &T::AccountId,
	seed: u32,
	parents: Vec<ParentEdge>,
	datasets: Vec<DatasetId>,
) -> u64 {
	let id = NextCheckpointId::<T>::get();
	Checkpoints::<T>::register(
		RawOrigin::Signed(owner.clone()).into(),
		weights(seed),
		parents,
		datasets,
		vec![],
		uri(),
		[0; 32],
		false,
		None,
	)
	.expect("registers");
	id
}

/// A final, attested training run of `claimant` on `weights_hash` from `datasets` and
/// `base_checkpoints`, whose environment is reported compromised: registering the checkpoint
/// of that lineage links it, records its pipeline and taints the checkpoint.
fn final_run_on_a_reported_pipeline<T: Config>(
	claimant: &T::AccountId,
	weights_hash: Hash,
	datasets: Vec<DatasetId>,
	base_checkpoints: Vec<CheckpointId>,
) {
	let (code, environment) = ([0xC1; 32], [0xE1; 32]);
	let pipeline = vec![code, environment];
	let inputs = RunInputs { datasets, base_checkpoints, pipeline };
	T::RunFactory::create_final_run(claimant, weights_hash, inputs);
	// The environment, not the code: the check reads the code's report first and the
	// environment's only when the code is clean, so this is the path with both reads.
	let reporter = funded::<T>("reporter");
	Checkpoints::<T>::report_compromised_pipeline(
		RawOrigin::Signed(reporter).into(),
		environment,
		[7; 32],
	)
	.expect("reports");
}

/// Runs queued propagation until the queue is empty.
fn drain_queue<T: Config>() {
	loop {
		let (head, tail) = TaintQueueBounds::<T>::get();
		if head >= tail {
			break;
		}
		Checkpoints::<T>::propagate_taint(frame_support::weights::Weight::MAX);
	}
}

/// Where [`full_taint`]'s made-up sources start, past any dataset a benchmark registers.
const FULL_TAINT: u64 = 1_000_000;

/// A taint set full of made-up sources, of every kind, numbered from `first`.
fn full_taint<T: Config>(first: u64) -> TaintSetOf<T> {
	let kinds = [
		TaintKind::DataRevoked,
		TaintKind::ConsentWithdrawn,
		TaintKind::ModelCompromised,
		TaintKind::PipelineCompromised,
		TaintKind::LicenseViolated,
	];
	let sources: Vec<TaintSource> = (0..T::MaxTaintSources::get() as u64)
		.map(|s| TaintSource {
			origin: AssetRef::Dataset(first + s),
			kind: kinds[s as usize % kinds.len()],
		})
		.collect();
	let mut kinds = kinds.to_vec();
	kinds.truncate(sources.len());
	kinds.sort();
	TaintSet {
		sources: BoundedVec::truncate_from(sources),
		kinds: BoundedVec::truncate_from(kinds),
		truncated: false,
	}
}

/// A checkpoint with the most parents, each with a full taint set, and the most datasets:
/// the costliest one to recompute.
fn costliest_to_recompute<T: Config>(owner: &T::AccountId) -> u64 {
	let parents: Vec<ParentEdge> = (0..T::MaxParents::get())
		.map(|i| ParentEdge {
			checkpoint: checkpoint::<T>(owner, i, vec![], vec![]),
			relation: Relation::Merge,
		})
		.collect();
	let trained_on = datasets::<T>(owner, 0, T::MaxDatasets::get());
	let id = checkpoint::<T>(owner, 10_000, parents.clone(), trained_on);
	for edge in &parents {
		Taint::<T>::insert(AssetRef::Checkpoint(edge.checkpoint), full_taint::<T>(FULL_TAINT));
	}
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A base checkpoint (no parents, datasets or exclusions) for commercial use, on its
	/// costliest path: its weights are the output of the caller's final training run, which
	/// it links, on a pipeline reported compromised, which taints it.
	#[benchmark]
	fn register_base() {
		let caller = funded_caller::<T>();
		final_run_on_a_reported_pipeline::<T>(&caller, weights(9_999), vec![], vec![]);
		let id = NextCheckpointId::<T>::get();

		#[extrinsic_call]
		register(
			RawOrigin::Signed(caller),
			weights(9_999),
			vec![],
			vec![],
			vec![],
			uri(),
			[1; 32],
			true,
			Some(u16::MAX),
		);

		assert!(Records::<T>::get(id).is_some_and(|checkpoint| checkpoint.run.is_some()));
		assert!(Pipelines::<T>::contains_key(id));
		assert!(Taint::<T>::contains_key(AssetRef::Checkpoint(id)));
	}

	/// `p` parents, all `Unlearning` edges (the only edges a tainted parent may have): the
	/// first from a checkpoint tainted by `e` revoked datasets, which it excludes, the others
	/// from checkpoints whose taint sets are full with those and made-up sources, so that
	/// every parent's set is merged and the union stays complete (a truncated set skips
	/// listing the kinds anew at each exclusion); `d` datasets; all of another owner, licensed
	/// to the caller under terms with an upstream royalty (the costliest derivative check and
	/// royalty stack), for a commercial checkpoint that the caller's final training run on a
	/// reported pipeline links (its pipeline recorded, the checkpoint queued to be tainted).
	#[benchmark]
	fn register(
		p: Linear<1, { T::MaxParents::get() }>,
		d: Linear<0, { T::MaxDatasets::get() }>,
		e: Linear<0, { T::MaxDatasets::get() }>,
	) {
		let caller = funded_caller::<T>();
		let licensor = funded::<T>("licensor");
		let revoked = datasets::<T>(&licensor, 0, e);
		let tainted = checkpoint::<T>(&licensor, 0, vec![], revoked.clone());
		revoked.iter().for_each(|d| T::DatasetFactory::revoke_dataset(*d));
		drain_queue::<T>();
		let mut parents = vec![ParentEdge { checkpoint: tainted, relation: Relation::Unlearning }];
		let mut full = Taint::<T>::get(AssetRef::Checkpoint(tainted)).unwrap_or_default();
		for source in full_taint::<T>(FULL_TAINT).sources {
			if full.sources.len() as u32 >= T::MaxTaintSources::get() {
				break;
			}
			full.insert(source);
		}
		for i in 1..p {
			let parent = checkpoint::<T>(&licensor, i, vec![], vec![]);
			Taint::<T>::insert(AssetRef::Checkpoint(parent), full.clone());
			parents.push(ParentEdge { checkpoint: parent, relation: Relation::Unlearning });
		}
		let trained_on = datasets::<T>(&licensor, 1_000, d);
		let inputs = parents
			.iter()
			.map(|edge| AssetRef::Checkpoint(edge.checkpoint))
			.chain(trained_on.iter().map(|d| AssetRef::Dataset(*d)));
		inputs.for_each(|input| T::LicenseFactory::license(input, &caller));
		let base_checkpoints = parents.iter().map(|edge| edge.checkpoint).collect();
		final_run_on_a_reported_pipeline::<T>(
			&caller,
			weights(9_999),
			trained_on.clone(),
			base_checkpoints,
		);
		let id = NextCheckpointId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			weights(9_999),
			parents,
			trained_on,
			revoked.into_iter().map(AssetRef::Dataset).collect(),
			uri(),
			[1; 32],
			true,
			Some(u16::MAX),
		);

		assert!(Records::<T>::get(id).is_some_and(|checkpoint| checkpoint.run.is_some()));
		assert!(Pipelines::<T>::contains_key(id));
		// Without exclusions the full union and the pipeline's own source overflow the set.
		let taint = Taint::<T>::get(AssetRef::Checkpoint(id)).unwrap_or_default();
		assert!(e == 0 || !taint.truncated, "every exclusion relists the kinds");
	}

	#[benchmark]
	fn transfer_ownership() {
		let caller = funded_caller::<T>();
		let id = checkpoint::<T>(&caller, 0, vec![], vec![]);
		let new_owner: T::AccountId = account("new", 0, 0);
		let lookup = T::Lookup::unlookup(new_owner.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, lookup);

		assert_eq!(Records::<T>::get(id).map(|c| c.owner), Some(new_owner));
	}

	/// Flagging the checkpoint that is costliest to recompute: its own set replaces a clean
	/// one (every source emits an event) and a fan-out is queued. (Warning its deployments is
	/// weighed by `OnCheckpointTainted` and added to the call's weight.)
	#[benchmark]
	fn flag_compromised() {
		let caller = funded_caller::<T>();
		let id = costliest_to_recompute::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, CompromiseReason::Backdoored, [7; 32]);

		// Its own source is past the bound of the full set it inherits: the set is cut.
		assert!(Compromised::<T>::contains_key(id));
		assert!(Taint::<T>::get(AssetRef::Checkpoint(id)).is_some_and(|taint| taint.truncated));
	}

	/// Withdrawing the flag of the checkpoint that is costliest to recompute.
	#[benchmark]
	fn force_unflag_compromised() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller");
		let id = costliest_to_recompute::<T>(&caller);
		Checkpoints::<T>::flag_compromised(
			RawOrigin::Signed(caller).into(),
			id,
			CompromiseReason::Poisoned,
			[7; 32],
		)
		.expect("flags");
		let origin =
			T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(!Compromised::<T>::contains_key(id));
		assert_eq!(Taint::<T>::get(AssetRef::Checkpoint(id)), Some(full_taint::<T>(FULL_TAINT)));
		Ok(())
	}

	/// Recomputing the checkpoint that is costliest to recompute: the new set replaces a
	/// clean one (every source emits an event), the queue's bookkeeping is read and written,
	/// and a fan-out is queued.
	#[benchmark]
	fn taint_recompute() {
		let caller = funded::<T>("caller");
		let id = costliest_to_recompute::<T>(&caller);
		let asset = AssetRef::Checkpoint(id);
		crate::QueuedRecompute::<T>::insert(asset, true);

		#[block]
		{
			Checkpoints::<T>::run_step(TaintWork::Recompute { asset });
		}

		assert_eq!(Taint::<T>::get(asset), Some(full_taint::<T>(FULL_TAINT)));
	}

	/// Queueing one full page of children, each marked queued, and the next page.
	#[benchmark]
	fn taint_fanout() {
		let caller = funded::<T>("caller");
		let parent = checkpoint::<T>(&caller, 0, vec![], vec![]);
		let edge = ParentEdge { checkpoint: parent, relation: Relation::FineTune };
		for i in 0..T::FanoutBatch::get() {
			checkpoint::<T>(&caller, 1 + i, vec![edge], vec![]);
		}
		let asset = AssetRef::Checkpoint(parent);
		let (_, tail_before) = TaintQueueBounds::<T>::get();

		#[block]
		{
			Checkpoints::<T>::run_step(TaintWork::Fanout {
				asset,
				kind: ChildKind::ChildCheckpoints,
				after: None,
			});
		}

		let (_, tail_after) = TaintQueueBounds::<T>::get();
		assert_eq!(tail_after - tail_before, T::FanoutBatch::get() as u64 + 1);
	}

	/// Queueing the recomputation of one full page of a pipeline's users, and the next page.
	#[benchmark]
	fn taint_pipeline_users() {
		let caller = funded::<T>("caller");
		let pipeline = [0xC0; 32];
		for i in 0..T::FanoutBatch::get() {
			let id = checkpoint::<T>(&caller, 1 + i, vec![], vec![]);
			Checkpoints::<T>::record_pipeline(id, &[pipeline, [0xE0; 32]]);
		}
		let (_, tail_before) = TaintQueueBounds::<T>::get();

		#[block]
		{
			Checkpoints::<T>::run_step(TaintWork::PipelineUsers { pipeline, after: None });
		}

		let (_, tail_after) = TaintQueueBounds::<T>::get();
		assert_eq!(tail_after - tail_before, T::FanoutBatch::get() as u64 + 1);
	}

	#[benchmark]
	fn report_compromised_pipeline() {
		let reporter = funded_caller::<T>();
		let pipeline = [0xC0; 32];

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), pipeline, [7; 32]);

		assert!(CompromisedPipelines::<T>::contains_key(pipeline));
	}

	/// Rejecting a bonded report: the bond is slashed and the users queued again.
	#[benchmark]
	fn rule_pipeline_report() -> Result<(), BenchmarkError> {
		let reporter = funded::<T>("reporter");
		let pipeline = [0xC0; 32];
		Checkpoints::<T>::report_compromised_pipeline(
			RawOrigin::Signed(reporter).into(),
			pipeline,
			[7; 32],
		)
		.expect("reports");
		let origin =
			T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, pipeline, false);

		assert!(!CompromisedPipelines::<T>::contains_key(pipeline));
		Ok(())
	}

	impl_benchmark_test_suite!(Checkpoints, crate::mock::new_bench_ext(), crate::mock::Test);
}
