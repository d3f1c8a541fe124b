//! A runtime for the evaluations pallet's tests: the real datasets, checkpoints and
//! attestations pallets beside it, so that lineage, runs and taint are the real ones.

use crate as pallet_evaluations;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	BuildStorage, Perbill,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Datasets: pallet_datasets,
		Checkpoints: pallet_checkpoints,
		Attestations: pallet_attestations,
		Evaluations: pallet_evaluations,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
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

impl pallet_checkpoints::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = Datasets;
	type Runs = Attestations;
	type OnCheckpointTainted = Evaluations;
	type Licenses = ();
	type OnRegistered = ();
	#[cfg(feature = "runtime-benchmarks")]
	type LicenseFactory = ();
	type DepositBase = ConstU64<100>;
	type DepositPerByte = ConstU64<1>;
	type MaxUriLen = ConstU32<64>;
	type MaxParents = ConstU32<4>;
	type MaxDatasets = ConstU32<8>;
	type MaxTaintSources = ConstU32<8>;
	type FanoutBatch = ConstU32<3>;
	type MaxTaintStepsPerBlock = ConstU32<50>;
	type ForceOrigin = EnsureRoot<u64>;
	type PipelineReportBond = ConstU64<1_000>;
	type OnForfeit = ();
	type MaxLineageWalk = ConstU32<100>;
	#[cfg(feature = "runtime-benchmarks")]
	type DatasetFactory = Datasets;
	#[cfg(feature = "runtime-benchmarks")]
	type RunFactory = Attestations;
	type WeightInfo = ();
}

parameter_types! {
	/// Short periods, a quorum of two with 60% of the stake; any reward asks for attendance.
	pub const AttestationParameters: pallet_attestations::ParametersOf<Test> =
		pallet_attestations::AttestationParameters {
			attesters: pallet_attestations::AttesterRules {
				min_stake: 1_000,
				unbonding_period: 60,
				max_faults: 2,
				max_missed_runs: 3,
			},
			runs: pallet_attestations::RunRules {
				min_commit_period: 2,
				reveal_period: 5,
				max_run_duration: 30,
				challenge_period: 10,
				quorum_count: 2,
				quorum_stake: Perbill::from_percent(60),
				slash_fraction: Perbill::from_percent(50),
				unrevealed_slash: Perbill::from_percent(10),
				challenger_share: Perbill::from_percent(20),
				challenge_bond: 100,
				attendance_reward: 1,
			},
		};
}

impl pallet_attestations::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = Datasets;
	type Checkpoints = Checkpoints;
	type OnEvaluationSettled = Evaluations;
	type DisputeOrigin = EnsureRoot<u64>;
	type OnSlash = ();
	type OffchainSignature = TestSignature;
	type OffchainPublic = UintAuthorityId;
	type ParametersOrigin = EnsureRoot<u64>;
	type DefaultParameters = AttestationParameters;
	type MaxAttesters = ConstU32<6>;
	type MaxLapsesPerBlock = ConstU32<2>;
	type MaxUnbondingChunks = ConstU32<3>;
	type RunDepositBase = ConstU64<10>;
	type RunDepositPerByte = ConstU64<1>;
	type MaxDatasets = ConstU32<4>;
	type MaxBaseCheckpoints = ConstU32<2>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
	type WeightInfo = ();
}

impl pallet_evaluations::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = Datasets;
	type Checkpoints = Checkpoints;
	type Runs = Attestations;
	type MaxMetricLen = ConstU32<16>;
	type MaxScore = ConstU64<1_000_000>;
	type MaxVersionFamily = ConstU32<8>;
	type MaxLeaderboardLen = ConstU32<3>;
	type MaxLiveDeployments = ConstU32<2>;
	type DepositBase = ConstU64<100>;
	type DepositPerByte = ConstU64<1>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
	type WeightInfo = ();
}

/// Makes datasets, checkpoints and attesters for the benchmarks with the mock's pallets.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use provenance_primitives::{
		traits::{CheckpointFactory, DatasetFactory},
		AssetRef,
	};

	impl DatasetFactory<u64> for MockHelper {
		fn create_dataset(owner: &u64, seed: u32) -> u64 {
			Datasets::create_dataset(owner, seed)
		}
		fn create_version(owner: &u64, previous: u64, seed: u32) -> u64 {
			Datasets::create_version(owner, previous, seed)
		}
		fn revoke_dataset(id: u64) {
			Datasets::revoke_dataset(id)
		}
	}

	impl CheckpointFactory<u64> for MockHelper {
		fn create_checkpoint_with(
			owner: &u64,
			weights_hash: provenance_primitives::merkle::Hash,
			inputs: Vec<AssetRef>,
		) -> u64 {
			Checkpoints::create_checkpoint_with(owner, weights_hash, inputs)
		}
		fn declare_pipeline_compromised(
			pipeline: provenance_primitives::merkle::Hash,
		) -> sp_runtime::DispatchResult {
			Checkpoints::declare_pipeline_compromised(pipeline)
		}
	}

	impl pallet_attestations::BenchmarkHelper<u64, TestSignature> for MockHelper {
		fn signer() -> u64 {
			7_777
		}
		fn sign(signer: &u64, message: &[u8]) -> TestSignature {
			TestSignature(*signer, message.to_vec())
		}
	}

	/// The attester the benchmarks bond.
	const ATTESTER_D: u64 = 14;

	impl crate::BenchmarkHelper<u64, u64> for MockHelper {
		fn activate_attester() {
			let _ = Balances::force_set_balance(RuntimeOrigin::root(), ATTESTER_D, BALANCE);
			let bonded = Attestations::bond(RuntimeOrigin::signed(ATTESTER_D), 1_000);
			debug_assert!(bonded.is_ok(), "benchmark attester bonds: {bonded:?}");
		}

		fn run_deadline() -> u64 {
			System::block_number() + 20
		}
	}
}

pub const LAB: u64 = 1;
pub const OPERATOR: u64 = 2;
pub const OTHER_OPERATOR: u64 = 3;
/// Attesters the tests bond.
pub const ATTESTER_A: u64 = 11;
pub const ATTESTER_B: u64 = 12;
pub const ATTESTER_C: u64 = 13;
pub const BALANCE: u64 = 1_000_000;

/// Runs `test` on a fresh chain at block 1 and checks the four pallets' invariants after it.
pub fn new_test_ext(test: impl FnOnce()) {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [LAB, OPERATOR, OTHER_OPERATOR, ATTESTER_A, ATTESTER_B, ATTESTER_C]
			.into_iter()
			.map(|who| (who, BALANCE))
			.collect(),
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
		Attestations::do_try_state().expect("attestations invariants hold");
		Evaluations::do_try_state().expect("evaluations invariants hold");
	});
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

/// Moves to block `n`, running the checkpoints pallet's idle work (taint propagation) on
/// the way.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		Checkpoints::on_idle(System::block_number(), Weight::MAX);
		System::set_block_number(System::block_number() + 1);
	}
}
