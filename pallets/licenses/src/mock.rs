//! A runtime for the licenses pallet's tests: the royalties pallet takes the fees, and a
//! table of assets the tests register stands for datasets and checkpoints.

use crate as pallet_licenses;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId};
use provenance_primitives::{traits::AssetLineage, AssetRef};
use sp_runtime::BuildStorage;
use std::{cell::RefCell, collections::BTreeMap};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Royalties: pallet_royalties,
		Licenses: pallet_licenses,
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
	/// Owner and usability of each asset.
	static ASSETS: RefCell<BTreeMap<AssetRef, (u64, bool)>> = const { RefCell::new(BTreeMap::new()) };
}

/// The tests' assets.
pub struct MockAssets;

impl MockAssets {
	pub fn register(asset: AssetRef, owner: u64) {
		ASSETS.with(|a| a.borrow_mut().insert(asset, (owner, true)));
	}

	/// Revokes or taints `asset`.
	pub fn make_unusable(asset: AssetRef) {
		ASSETS.with(|a| a.borrow_mut().get_mut(&asset).map(|entry| entry.1 = false));
	}
}

impl AssetLineage<u64> for MockAssets {
	fn owner(asset: AssetRef) -> Option<u64> {
		ASSETS.with(|a| a.borrow().get(&asset).map(|entry| entry.0))
	}

	fn is_usable(asset: AssetRef) -> bool {
		ASSETS.with(|a| a.borrow().get(&asset).is_some_and(|entry| entry.1))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_royalties::BenchmarkHelper<u64> for MockAssets {
	fn asset(owner: &u64, seed: u32, _: Vec<AssetRef>, _: u16) -> AssetRef {
		let asset = AssetRef::Dataset(seed.into());
		Self::register(asset, *owner);
		asset
	}

	fn transfer(asset: AssetRef, from: &u64, to: &u64) -> frame_support::dispatch::DispatchResult {
		ASSETS.with(|a| match a.borrow_mut().get_mut(&asset) {
			Some(entry) if entry.0 == *from => {
				entry.0 = *to;
				Ok(())
			},
			_ => Err(sp_runtime::DispatchError::Other("not the owner's asset")),
		})
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockAssets {
	fn asset(owner: &u64, seed: u32) -> AssetRef {
		let asset = AssetRef::Dataset(seed.into());
		Self::register(asset, *owner);
		asset
	}
}

parameter_types! {
	pub const RoyaltiesPalletId: PalletId = PalletId(*b"prov/roy");
	pub const MaxStackBps: u16 = 5_000;
}

impl pallet_royalties::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = frame_support::traits::ConstU64<100>;
	type DepositPerByte = frame_support::traits::ConstU64<1>;
	type PalletId = RoyaltiesPalletId;
	type Lineage = MockAssets;
	type Terms = Licenses;
	type MaxSplitEntries = ConstU32<4>;
	type MaxStackDepth = ConstU32<3>;
	type MaxStackEntries = ConstU32<4>;
	type MaxStackBps = MaxStackBps;
	type MaxProofLen = ConstU32<20>;
	type MaxUriLen = ConstU32<64>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockAssets;
	type WeightInfo = ();
}

impl pallet_licenses::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = MockAssets;
	type Payments = Royalties;
	type DepositBase = frame_support::traits::ConstU64<100>;
	type DepositPerByte = frame_support::traits::ConstU64<1>;
	type MaxUriLen = ConstU32<64>;
	type GrantDeposit = frame_support::traits::ConstU64<GRANT_DEPOSIT>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockAssets;
	type WeightInfo = ();
}

pub const GRANT_DEPOSIT: u64 = 50;
pub const OWNER: u64 = 1;
pub const LICENSEE: u64 = 2;
pub const BALANCE: u64 = 1_000_000;

/// Runs `test` at block 1 with funded accounts 1 to 9 and the standard terms of `terms`, and
/// checks the pallet's invariants after it.
pub fn new_test_ext(terms: Vec<(crate::TermsSpecOf<Test>, Vec<u8>)>, test: impl FnOnce()) {
	ASSETS.with(|a| a.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|who| (who, BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_licenses::GenesisConfig::<Test> { terms }.assimilate_storage(&mut storage).unwrap();
	pallet_royalties::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		test();
		Licenses::do_try_state().expect("licenses invariants hold");
		Royalties::do_try_state().expect("royalties invariants hold");
	});
}

/// Externalities for the benchmark tests.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	ASSETS.with(|a| a.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_royalties::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
