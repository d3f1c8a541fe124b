//! A runtime for the royalties pallet's tests, with a lineage and license rates the tests
//! set up.

use crate as pallet_royalties;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use provenance_primitives::{
	traits::{AssetLineage, OnAssetRegistered, Registration, UpstreamRoyalty},
	AssetRef,
};
use sp_runtime::BuildStorage;
use std::{cell::RefCell, collections::BTreeMap};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Royalties: pallet_royalties,
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

/// An asset the tests registered: its owner and its license's upstream royalty.
#[derive(Clone, Default)]
pub struct MockAsset {
	pub owner: u64,
	pub royalty_bps: u16,
}

thread_local! {
	static ASSETS: RefCell<BTreeMap<AssetRef, MockAsset>> = const { RefCell::new(BTreeMap::new()) };
}

/// The lineage and license rates of the tests' assets.
pub struct MockLineage;

impl MockLineage {
	/// Registers `asset` and fixes its royalty stack, as the registering pallets do.
	pub fn register(
		asset: AssetRef,
		owner: u64,
		inputs: Vec<AssetRef>,
		royalty_bps: u16,
	) -> frame_support::dispatch::DispatchResult {
		Self::register_bounded(asset, owner, inputs, royalty_bps, None)
	}

	/// As [`Self::register`], accepting a stack of at most `max_stack_bps`.
	pub fn register_bounded(
		asset: AssetRef,
		owner: u64,
		inputs: Vec<AssetRef>,
		royalty_bps: u16,
		max_stack_bps: Option<u16>,
	) -> frame_support::dispatch::DispatchResult {
		Self::register_version(asset, owner, inputs, None, royalty_bps, max_stack_bps)
	}

	/// As [`Self::register_bounded`], as a new version of `previous_version` if any.
	pub fn register_version(
		asset: AssetRef,
		owner: u64,
		inputs: Vec<AssetRef>,
		previous_version: Option<AssetRef>,
		royalty_bps: u16,
		max_stack_bps: Option<u16>,
	) -> frame_support::dispatch::DispatchResult {
		let registration =
			Registration { asset, registrant: &owner, inputs: &inputs, previous_version };
		Royalties::on_asset_registered(registration, max_stack_bps)?;
		ASSETS.with(|a| a.borrow_mut().insert(asset, MockAsset { owner, royalty_bps }));
		Ok(())
	}
}

impl AssetLineage<u64> for MockLineage {
	fn owner(asset: AssetRef) -> Option<u64> {
		ASSETS.with(|a| a.borrow().get(&asset).map(|x| x.owner))
	}

	fn is_usable(asset: AssetRef) -> bool {
		Self::owner(asset).is_some()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockLineage {
	fn asset(owner: &u64, seed: u32, inputs: Vec<AssetRef>, royalty_bps: u16) -> AssetRef {
		let asset = AssetRef::Checkpoint(seed.into());
		let registered = Self::register(asset, *owner, inputs, royalty_bps);
		assert_eq!(registered, Ok(()), "benchmark asset registers");
		asset
	}

	fn transfer(asset: AssetRef, from: &u64, to: &u64) -> frame_support::dispatch::DispatchResult {
		ASSETS.with(|a| match a.borrow_mut().get_mut(&asset) {
			Some(held) if held.owner == *from => {
				held.owner = *to;
				Ok(())
			},
			_ => Err(sp_runtime::DispatchError::Other("not the owner's asset")),
		})
	}
}

impl UpstreamRoyalty<u64> for MockLineage {
	fn upstream_royalty_bps(asset: AssetRef, _: &u64) -> u16 {
		ASSETS.with(|a| a.borrow().get(&asset).map_or(0, |x| x.royalty_bps))
	}
}

parameter_types! {
	pub const RoyaltiesPalletId: PalletId = PalletId(*b"prov/roy");
	pub const MaxStackBps: u16 = 5_000;
}

impl pallet_royalties::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = ConstU64<DEPOSIT_BASE>;
	type DepositPerByte = ConstU64<DEPOSIT_PER_BYTE>;
	type PalletId = RoyaltiesPalletId;
	type Lineage = MockLineage;
	type Terms = MockLineage;
	type MaxSplitEntries = ConstU32<4>;
	type MaxStackDepth = ConstU32<3>;
	type MaxStackEntries = ConstU32<4>;
	type MaxStackBps = MaxStackBps;
	type MaxProofLen = ConstU32<20>;
	type MaxUriLen = ConstU32<64>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockLineage;
	type WeightInfo = ();
}

pub const DEPOSIT_BASE: u64 = 1_000;
pub const DEPOSIT_PER_BYTE: u64 = 10;
pub const PAYER: u64 = 1;
pub const OWNER: u64 = 2;
pub const BALANCE: u64 = 1_000_000_000;

/// Runs `test` on a fresh chain at block 1 with funded accounts 1 to 40, and checks the
/// pallet's invariants after it.
pub fn new_test_ext(test: impl FnOnce()) {
	ASSETS.with(|a| a.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=40).map(|who| (who, BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_royalties::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		test();
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
