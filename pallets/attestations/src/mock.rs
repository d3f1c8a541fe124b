//! A runtime for the attestations pallet's tests: the real datasets and checkpoints pallets
//! beside it, so that inputs, linking and remediation are tested across all three.

use crate as pallet_attestations;
use crate::{commitment_of, Statement, Verdict};
use frame_support::{
	derive_impl, parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use provenance_primitives::{
	merkle::Hash,
	traits::{OnEvaluationSettled, RunSettlement},
	EvaluationId, RunId,
};
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
	/// Above 1, so that a reward share can be too small for a reaped account.
	type ExistentialDeposit = ConstU64<EXISTENTIAL_DEPOSIT>;
}

pub const EXISTENTIAL_DEPOSIT: u64 = 5;

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

pub const TREASURY: u64 = 99;

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	/// Short periods, a quorum of two with 60% of the stake, half a stake slashed for a wrong
	/// verdict.
	pub const MockParameters: crate::ParametersOf<Test> = crate::AttestationParameters {
		attesters: crate::AttesterRules {
			min_stake: 1_000,
			unbonding_period: 60,
			max_faults: 2,
			max_missed_runs: 3,
		},
		runs: crate::RunRules {
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
			attendance_reward: 100,
		},
	};
}

/// Sets the quorum of runs declared from now on.
pub fn set_quorum(count: u32, stake: Perbill) {
	crate::Parameters::<Test>::mutate(|parameters| {
		parameters.runs.quorum_count = count;
		parameters.runs.quorum_stake = stake;
	});
}

/// Makes what the benchmarks need with the mock's pallets; signs with [`TestSignature`].
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, TestSignature> for MockHelper {
	fn signer() -> u64 {
		7_777
	}
	fn sign(signer: &u64, message: &[u8]) -> TestSignature {
		TestSignature(*signer, message.to_vec())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl provenance_primitives::traits::DatasetFactory<u64> for MockHelper {
	fn create_dataset(owner: &u64, seed: u32) -> u64 {
		<Datasets as provenance_primitives::traits::DatasetFactory<u64>>::create_dataset(
			owner, seed,
		)
	}
	fn create_version(owner: &u64, previous: u64, seed: u32) -> u64 {
		<Datasets as provenance_primitives::traits::DatasetFactory<u64>>::create_version(
			owner, previous, seed,
		)
	}
	fn revoke_dataset(id: u64) {
		<Datasets as provenance_primitives::traits::DatasetFactory<u64>>::revoke_dataset(id)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl provenance_primitives::traits::CheckpointFactory<u64> for MockHelper {
	fn create_checkpoint_with(
		owner: &u64,
		weights_hash: Hash,
		inputs: Vec<provenance_primitives::AssetRef>,
	) -> u64 {
		<Checkpoints as provenance_primitives::traits::CheckpointFactory<u64>>::create_checkpoint_with(
			owner,
			weights_hash,
			inputs,
		)
	}
	fn declare_pipeline_compromised(pipeline: Hash) -> sp_runtime::DispatchResult {
		<Checkpoints as provenance_primitives::traits::CheckpointFactory<u64>>::declare_pipeline_compromised(
			pipeline,
		)
	}
}

impl pallet_attestations::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = Datasets;
	type Checkpoints = Checkpoints;
	type OnEvaluationSettled = RecordSettlements;
	type DisputeOrigin = EnsureRoot<u64>;
	type OnSlash = ResolveTo<Treasury, Balances>;
	type OffchainSignature = TestSignature;
	type OffchainPublic = UintAuthorityId;
	type ParametersOrigin = EnsureRoot<u64>;
	type DefaultParameters = MockParameters;
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

parameter_types! {
	/// Every evaluation run settlement the pallet reported, in order.
	pub static Settlements: Vec<(EvaluationId, RunId, RunSettlement)> = Vec::new();
}

/// Records what the pallet tells the evaluations pallet.
pub struct RecordSettlements;

impl OnEvaluationSettled for RecordSettlements {
	fn on_evaluation_settled(evaluation: EvaluationId, run: RunId, settlement: RunSettlement) {
		Settlements::mutate(|all| all.push((evaluation, run, settlement)));
	}
	fn on_evaluation_settled_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

pub const LAB: u64 = 1;
pub const CHALLENGER: u64 = 20;
/// Attesters the tests bond.
pub const A: u64 = 11;
pub const B: u64 = 12;
pub const C: u64 = 13;
pub const D: u64 = 14;
pub const E: u64 = 15;
pub const BALANCE: u64 = 1_000_000;

/// Runs `test` on a fresh chain at block 1 and checks the three pallets' invariants after it.
pub fn new_test_ext(test: impl FnOnce()) {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [LAB, CHALLENGER, A, B, C, D, E, 16, 17, TREASURY]
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

/// Moves to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// The statement an honest attester makes about a run with output `weights`.
pub fn statement(verdict: Verdict, weights: Hash) -> Statement {
	Statement { verdict, output_hash: weights, report_hash: [verdict as u8 + 1; 32] }
}

/// The salt attester `who` uses.
pub fn salt(who: u64) -> Hash {
	[who as u8; 32]
}

/// `who`'s commitment to `statement` on `run`.
pub fn commitment(run: RunId, who: u64, statement: &Statement) -> Hash {
	commitment_of(run, &who, statement, &salt(who))
}
