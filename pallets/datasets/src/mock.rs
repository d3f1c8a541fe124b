//! A minimal runtime for the datasets pallet's tests, with checkpoints and the taint engine
//! stood in by thread-local sets.

use crate as pallet_datasets;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use provenance_primitives::{
	traits::{
		CheckpointInspect, DerivativeCheck, OnAssetRegistered, OnDatasetRevoked, Registration,
	},
	AssetRef, CheckpointId, DatasetId, TermsId,
};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use std::{
	cell::RefCell,
	collections::{BTreeMap, BTreeSet},
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Datasets: pallet_datasets,
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

thread_local! {
	static CHECKPOINTS: RefCell<BTreeSet<CheckpointId>> = const { RefCell::new(BTreeSet::new()) };
	static TAINTED: RefCell<BTreeSet<AssetRef>> = const { RefCell::new(BTreeSet::new()) };
	static REVOCATIONS: RefCell<Vec<DatasetId>> = const { RefCell::new(Vec::new()) };
	static LICENSES: RefCell<MockLicenses> = RefCell::new(MockLicenses::default());
}

/// Checkpoints that exist and assets that are tainted, as the tests set them.
pub struct MockCheckpoints;

impl MockCheckpoints {
	pub fn add(id: CheckpointId) {
		CHECKPOINTS.with(|c| c.borrow_mut().insert(id));
	}

	pub fn taint(asset: AssetRef) {
		TAINTED.with(|t| t.borrow_mut().insert(asset));
	}
}

impl CheckpointInspect for MockCheckpoints {
	fn checkpoint_exists(id: CheckpointId) -> bool {
		CHECKPOINTS.with(|c| c.borrow().contains(&id))
	}

	fn is_tainted(asset: AssetRef) -> bool {
		TAINTED.with(|t| t.borrow().contains(&asset))
	}

	fn taint_kinds(asset: AssetRef) -> Vec<provenance_primitives::TaintKind> {
		Self::is_tainted(asset)
			.then_some(provenance_primitives::TaintKind::DataRevoked)
			.into_iter()
			.collect()
	}
}

/// Records the revocations the pallet reports.
pub struct RecordRevocations;

impl RecordRevocations {
	pub fn reported() -> Vec<DatasetId> {
		REVOCATIONS.with(|r| r.borrow().clone())
	}
}

impl OnDatasetRevoked for RecordRevocations {
	fn on_dataset_revoked(id: DatasetId) {
		REVOCATIONS.with(|r| r.borrow_mut().push(id));
	}
}

/// Licenses and royalties as the tests set them: inputs whose terms forbid commercial use,
/// inputs with share-alike terms, and whether royalties refuse new assets; with what the
/// pallet told them.
#[derive(Default)]
pub struct MockLicenses {
	pub non_commercial: BTreeSet<AssetRef>,
	pub share_alike: BTreeMap<AssetRef, TermsId>,
	pub refuse_registration: bool,
	pub inherited: Vec<(AssetRef, TermsId)>,
	pub registered: Vec<RegistrationTold>,
}

/// A registration as the royalties were told of it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RegistrationTold {
	pub asset: AssetRef,
	pub registrant: u64,
	pub inputs: Vec<AssetRef>,
	pub previous_version: Option<AssetRef>,
}

impl MockLicenses {
	pub fn with<R>(f: impl FnOnce(&mut MockLicenses) -> R) -> R {
		LICENSES.with(|l| f(&mut l.borrow_mut()))
	}

	/// The assets the royalties were told of, in order.
	pub fn registered_assets() -> Vec<AssetRef> {
		Self::with(|l| l.registered.iter().map(|told| told.asset).collect())
	}
}

impl DerivativeCheck<u64> for MockLicenses {
	fn check_derivative(
		_: &u64,
		inputs: &[AssetRef],
		commercial: bool,
	) -> Result<Option<TermsId>, DispatchError> {
		Self::with(|l| {
			if commercial && inputs.iter().any(|input| l.non_commercial.contains(input)) {
				return Err(DispatchError::Other("NotCommercial"));
			}
			Ok(inputs.iter().find_map(|input| l.share_alike.get(input).copied()))
		})
	}

	fn inherit_terms(asset: AssetRef, terms: TermsId) {
		Self::with(|l| l.inherited.push((asset, terms)));
	}
}

impl OnAssetRegistered<u64> for MockLicenses {
	fn on_asset_registered(registration: Registration<'_, u64>, _: Option<u16>) -> DispatchResult {
		Self::with(|l| {
			if l.refuse_registration {
				return Err(DispatchError::Other("StackTooHigh"));
			}
			l.registered.push(RegistrationTold {
				asset: registration.asset,
				registrant: *registration.registrant,
				inputs: registration.inputs.to_vec(),
				previous_version: registration.previous_version,
			});
			Ok(())
		})
	}
}

impl pallet_datasets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Checkpoints = MockCheckpoints;
	type OnRevoked = RecordRevocations;
	type Licenses = MockLicenses;
	type OnRegistered = MockLicenses;
	#[cfg(feature = "runtime-benchmarks")]
	type LicenseFactory = ();
	type ForceOrigin = EnsureRoot<u64>;
	type DepositBase = ConstU64<100>;
	type DepositPerByte = ConstU64<1>;
	type MaxUriLen = ConstU32<64>;
	type MaxParents = ConstU32<4>;
	type MaxBatchShards = ConstU32<3>;
	type MaxWithdrawnRecords = ConstU32<4>;
	type DefaultAnswerPeriod = ConstU64<10>;
	type ParametersOrigin = EnsureRoot<u64>;
	type MaxExpiriesPerBlock = ConstU32<2>;
	type WeightInfo = ();
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
/// A contributor besides BOB.
pub const CAROL: u64 = 4;
/// An account with too little to pay a deposit.
pub const POOR: u64 = 3;

/// Runs `test` on a fresh chain at block 1 and checks the pallet's invariants after it.
pub fn new_test_ext(test: impl FnOnce()) {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000_000), (BOB, 1_000_000), (POOR, 50), (CAROL, 1_000_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		test();
		Datasets::do_try_state().expect("invariants hold");
	});
	CHECKPOINTS.with(|c| c.borrow_mut().clear());
	TAINTED.with(|t| t.borrow_mut().clear());
	REVOCATIONS.with(|r| r.borrow_mut().clear());
	LICENSES.with(|l| *l.borrow_mut() = MockLicenses::default());
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
