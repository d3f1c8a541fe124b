//! A runtime for the checkpoints pallet's tests: the real datasets pallet beside it, so that
//! lineage and taint are tested across both kinds of asset.

use crate as pallet_checkpoints;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use provenance_primitives::{
	merkle::Hash,
	traits::{FinalRuns, RunInputs},
	CheckpointId, DatasetId, RunId,
};
use sp_runtime::BuildStorage;
use std::{cell::RefCell, collections::BTreeMap};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Datasets: pallet_datasets,
		Checkpoints: pallet_checkpoints,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
	/// Storage accesses that weigh something, for the refunds that give them back.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_datasets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Checkpoints = Checkpoints;
	type OnRevoked = Checkpoints;
	type Licenses = ();
	type OnRegistered = ();
	#[cfg(feature = "runtime-benchmarks")]
	type LicenseFactory = ();
	type ForceOrigin = EnsureRoot<u64>;
	type DepositBase = ConstU64<100>;
	type DepositPerByte = ConstU64<1>;
	type MaxUriLen = ConstU32<64>;
	type MaxParents = ConstU32<4>;
	type MaxBatchShards = ConstU32<8>;
	type MaxWithdrawnRecords = ConstU32<4>;
	type DefaultAnswerPeriod = ConstU64<10>;
	type ParametersOrigin = frame_system::EnsureRoot<u64>;
	type MaxExpiriesPerBlock = ConstU32<4>;
	type WeightInfo = ();
}

thread_local! {
	static FINAL_RUNS: RefCell<BTreeMap<Hash, (RunId, RunInputs)>> = const { RefCell::new(BTreeMap::new()) };
}

/// Final runs by output weights, as the tests declare them (any claimant's).
pub struct MockRuns;

impl MockRuns {
	/// Run `run` on `weights_hash`, declared with `datasets` and `base_checkpoints`, is final.
	pub fn finalize(
		weights_hash: Hash,
		run: RunId,
		datasets: Vec<DatasetId>,
		base_checkpoints: Vec<CheckpointId>,
	) {
		Self::finalize_on(weights_hash, run, datasets, base_checkpoints, vec![])
	}

	/// As [`Self::finalize`], the run having declared `pipeline` (code and environment hashes).
	pub fn finalize_on(
		weights_hash: Hash,
		run: RunId,
		datasets: Vec<DatasetId>,
		base_checkpoints: Vec<CheckpointId>,
		pipeline: Vec<Hash>,
	) {
		let inputs = RunInputs { datasets, base_checkpoints, pipeline };
		FINAL_RUNS.with(|r| r.borrow_mut().insert(weights_hash, (run, inputs)));
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl provenance_primitives::traits::RunFactory<u64> for MockRuns {
	fn create_final_run(_: &u64, weights_hash: Hash, inputs: RunInputs) -> RunId {
		let run = FINAL_RUNS.with(|r| r.borrow().len() as RunId);
		Self::finalize_on(
			weights_hash,
			run,
			inputs.datasets,
			inputs.base_checkpoints,
			inputs.pipeline,
		);
		run
	}
}

impl FinalRuns<u64> for MockRuns {
	fn final_run(weights_hash: &Hash, _: &u64) -> Option<(RunId, RunInputs)> {
		FINAL_RUNS.with(|r| r.borrow().get(weights_hash).cloned())
	}
}

impl pallet_checkpoints::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = Datasets;
	type Runs = MockRuns;
	type OnCheckpointTainted = ();
	type Licenses = ();
	type OnRegistered = ();
	#[cfg(feature = "runtime-benchmarks")]
	type LicenseFactory = ();
	type DepositBase = ConstU64<100>;
	type DepositPerByte = ConstU64<1>;
	type MaxUriLen = ConstU32<64>;
	type MaxParents = ConstU32<4>;
	type MaxDatasets = ConstU32<6>;
	type MaxTaintSources = ConstU32<6>;
	type FanoutBatch = ConstU32<3>;
	type MaxTaintStepsPerBlock = ConstU32<5>;
	type MaxLineageWalk = ConstU32<100>;
	type ForceOrigin = EnsureRoot<u64>;
	type PipelineReportBond = ConstU64<1_000>;
	type OnForfeit = ();
	#[cfg(feature = "runtime-benchmarks")]
	type DatasetFactory = Datasets;
	#[cfg(feature = "runtime-benchmarks")]
	type RunFactory = MockRuns;
	type WeightInfo = ();
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;

/// Runs `test` on a fresh chain at block 1 and checks both pallets' invariants after it.
pub fn new_test_ext(test: impl FnOnce()) {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 10_000_000), (BOB, 10_000_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		test();
		Datasets::do_try_state().expect("datasets invariants hold");
		Checkpoints::do_try_state().expect("checkpoints invariants hold");
	});
	FINAL_RUNS.with(|r| r.borrow_mut().clear());
}

/// Moves to the next block (the datasets' deadline sweep first) and gives `on_idle` all the
/// weight it wants; returns how many propagation steps are still queued.
pub fn next_block() -> u64 {
	let now = System::block_number() + 1;
	System::set_block_number(now);
	Datasets::on_initialize(now);
	Checkpoints::on_idle(now, Weight::MAX);
	let (head, tail) = crate::TaintQueueBounds::<Test>::get();
	tail - head
}

/// Runs blocks until propagation is done; returns how many blocks it took.
pub fn propagate() -> u32 {
	let mut blocks = 1;
	while next_block() > 0 {
		blocks += 1;
		assert!(blocks < 10_000, "propagation does not end");
	}
	blocks
}

/// Externalities for the benchmark tests.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	let mut ext = sp_io::TestExternalities::new(
		frame_system::GenesisConfig::<Test>::default().build_storage().unwrap(),
	);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
