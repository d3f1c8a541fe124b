//! A runtime for the validator-set pallet's tests: the session pallet with one dummy key per
//! validator, rotating every 10 blocks, and a session handler that records the enacted set.

use crate as pallet_validator_set;
use codec::Encode;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use frame_system::EnsureRoot;
use pallet_session::SessionHandler;
use sp_runtime::{
	impl_opaque_keys,
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	BuildStorage, KeyTypeId, RuntimeAppPublic,
};
use std::cell::RefCell;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Session: pallet_session,
		ValidatorSet: pallet_validator_set,
	}
);

impl_opaque_keys! {
	pub struct MockSessionKeys {
		pub dummy: UintAuthorityId,
	}
}

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
	/// The validators the session handler was last told to use.
	static ENACTED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// The validators whose keys author and vote now.
pub fn enacted() -> Vec<u64> {
	ENACTED.with(|e| e.borrow().clone())
}

/// Stands in for Aura and GRANDPA: records the validators of each new session.
pub struct RecordingSessionHandler;

impl SessionHandler<u64> for RecordingSessionHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[UintAuthorityId::ID];

	fn on_genesis_session<K: OpaqueKeys>(validators: &[(u64, K)]) {
		ENACTED.with(|e| *e.borrow_mut() = validators.iter().map(|(v, _)| *v).collect());
	}

	fn on_new_session<K: OpaqueKeys>(_: bool, validators: &[(u64, K)], _: &[(u64, K)]) {
		ENACTED.with(|e| *e.borrow_mut() = validators.iter().map(|(v, _)| *v).collect());
	}

	fn on_disabled(_: u32) {}
}

parameter_types! {
	pub const Period: u64 = 10;
	pub const Offset: u64 = 0;
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = u64;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = ValidatorSet;
	type SessionHandler = crate::NonEmptySessions<RecordingSessionHandler>;
	type Keys = MockSessionKeys;
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<10>;
}

impl pallet_validator_set::Config for Test {
	type AddRemoveOrigin = EnsureRoot<u64>;
	type PeriodicRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type MaxValidators = ConstU32<4>;
	type MinValidators = ConstU32<2>;
	type WeightInfo = ();
}

/// The genesis validators.
pub const GENESIS: [u64; 2] = [1, 2];

/// Keys of account `who`.
pub fn keys(who: u64) -> MockSessionKeys {
	MockSessionKeys { dummy: UintAuthorityId(who) }
}

/// Registers `key` as `who`'s session key, with the proof that `who` holds it.
pub fn set_keys(who: u64, key: u64) -> sp_runtime::DispatchResult {
	let proof = UintAuthorityId(key).sign(&who.encode()).expect("test keys sign").encode();
	Session::set_keys(RuntimeOrigin::signed(who), MockSessionKeys { dummy: key.into() }, proof)
}

/// A chain whose validators are [`GENESIS`], with accounts 1 to 9 funded.
pub fn genesis_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..10).map(|who| (who, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_session::GenesisConfig::<Test> {
		keys: GENESIS.iter().map(|who| (*who, *who, keys(*who))).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_validator_set::GenesisConfig::<Test> { validators: GENESIS.to_vec() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on [`genesis_ext`]'s chain at block 1 and checks the pallet's invariants
/// after it.
pub fn new_test_ext(test: impl FnOnce()) {
	genesis_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().expect("invariants hold");
	});
}

/// Runs blocks until block `n`, with the session pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
	}
}
