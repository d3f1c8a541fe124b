//! The configuration of each pallet in the runtime.

use crate::governance::{
	CouncilMajority, CouncilTwoThirds, PanelTwoThirds, TreasuryAccount, FEE_DESTINATION_ACCOUNTS,
};
use crate::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, DAYS, EXISTENTIAL_DEPOSIT, HOURS, MICRO_UNIT, MILLI_UNIT, SLOT_DURATION, SS58_PREFIX,
	UNIT, VERSION,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::dispatch::DispatchClass;
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		tokens::imbalance::ResolveTo, ConstBool, ConstU128, ConstU32, ConstU64, ConstU8,
		InstanceFilter, VariantCountOf,
	},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
	PalletId,
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use scale_info::TypeInfo;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{One, Verify},
	Perbill,
};

/// Share of a block's weight and length that normal (user) transactions may fill; the rest
/// is kept for operational and mandatory work.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Compute a block may take: two seconds of the 6 s slot.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);
/// The weight normal transactions may fill: `NORMAL_DISPATCH_RATIO` of the block's.
fn normal_block_weight() -> Weight {
	Weight::from_parts(
		NORMAL_DISPATCH_RATIO.mul_floor(MAXIMUM_BLOCK_WEIGHT.ref_time()),
		NORMAL_DISPATCH_RATIO.mul_floor(MAXIMUM_BLOCK_WEIGHT.proof_size()),
	)
}
/// The pallets' id counters (`NextDatasetId` and the other `Next*Id`), whitelisted in their
/// benchmarks: each is one key, which a block reads and commits once however many calls take
/// an id, so the block's base weight pays for them (security T6). The runtime tests hold this
/// to the number of keys the pallets whitelist.
pub const ID_COUNTERS: u64 = 8;
/// Maximum encoded size of a block.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: sp_version::RuntimeVersion = VERSION;

	/// Two seconds of compute per 6 s block, leaving time for import and networking, with the
	/// measured cost of an empty block and of an extrinsic's checks (runtime/src/weights/).
	/// A block also pays for reading and writing the accounts fees go to and the id counters,
	/// once.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(crate::weights::block_weights::BlockExecutionWeight::get().saturating_add(
			<Runtime as frame_system::Config>::DbWeight::get().reads_writes(
				FEE_DESTINATION_ACCOUNTS + ID_COUNTERS,
				FEE_DESTINATION_ACCOUNTS + ID_COUNTERS,
			),
		))
		.for_class(DispatchClass::all(), |class| {
			class.base_extrinsic = crate::weights::extrinsic_weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |class| {
			class.max_total = Some(normal_block_weight());
		})
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			class.reserved = Some(MAXIMUM_BLOCK_WEIGHT.saturating_sub(normal_block_weight()));
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO.mul_floor(*max)
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// ParityDB, the node's database, measured by `benchmark storage` on the state a load
	/// leaves (261,800 keys; writes in batches of a thousand with their root and commit):
	/// 23.8 µs a read, 72.1 µs a write (BENCHMARKS.md).
	type DbWeight = crate::weights::paritydb_weights::constants::ParityDbWeight;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	/// The transaction extensions' storage accesses; their execution is in the extrinsic base
	/// weight, which `benchmark overhead` measured with every extension run.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// Refuses membership changes that would empty a governing body.
	type BaseCallFilter = crate::governance::KeepsBodiesSeated;
}

/// The most validators: Aura's and GRANDPA's bound on authorities.
pub type MaxValidators = ConstU32<32>;

parameter_types! {
	/// Sessions end hourly when the validator set does not change (and two blocks after a
	/// change, see `pallet_validator_set`).
	pub const SessionPeriod: BlockNumber = HOURS;
	pub const SessionOffset: BlockNumber = 0;
	/// Held from an account while it has session keys registered: its `NextKeys` entry and
	/// one key-owner entry per key.
	pub const SessionKeyDeposit: Balance = deposit(3, 64 + 2 * (32 + 8 + 32));
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = crate::ValidatorSet;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	/// The validator set, with each session's validators noted for key-ownership proofs.
	type SessionManager =
		pallet_session::historical::NoteHistoricalRoot<Runtime, HistoricalValidatorSet>;
	/// Aura and GRANDPA, never handed a session without authorities.
	type SessionHandler = pallet_validator_set::NonEmptySessions<
		<crate::SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders,
	>;
	type Keys = crate::SessionKeys;
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

/// Sessions whose validator sets stay provable: a week of hourly sessions, as long as a GRANDPA
/// equivocation may be reported.
const KEPT_SESSIONS: u32 = 7 * 24;

/// The validator set as the historical session manager: a validator's full identification is
/// `()` (validators do not bond), and the roots of sessions older than [`KEPT_SESSIONS`] are
/// pruned, so the historical record stays bounded.
pub struct HistoricalValidatorSet;

impl pallet_session::SessionManager<AccountId> for HistoricalValidatorSet {
	fn new_session(new_index: u32) -> Option<alloc::vec::Vec<AccountId>> {
		<crate::ValidatorSet as pallet_session::SessionManager<_>>::new_session(new_index)
	}
	fn new_session_genesis(new_index: u32) -> Option<alloc::vec::Vec<AccountId>> {
		<crate::ValidatorSet as pallet_session::SessionManager<_>>::new_session_genesis(new_index)
	}
	fn end_session(end_index: u32) {
		<crate::ValidatorSet as pallet_session::SessionManager<_>>::end_session(end_index)
	}
	fn start_session(start_index: u32) {
		<crate::ValidatorSet as pallet_session::SessionManager<_>>::start_session(start_index)
	}
}

impl pallet_session::historical::SessionManager<AccountId, ()> for HistoricalValidatorSet {
	/// The new set when the validator set changed; otherwise the queued set again when a
	/// queued validator's keys were rotated or the previous session has no root (the first
	/// session after the upgrade that brought this in). The historical pallet then records a
	/// root with the keys each validator holds: without it, the last root would keep naming a
	/// rotated-away key as the validator's, and whoever held that old key could forge reports
	/// against it.
	fn new_session(new_index: u32) -> Option<alloc::vec::Vec<(AccountId, ())>> {
		crate::Historical::prune_up_to(new_index.saturating_sub(KEPT_SESSIONS));
		<Self as pallet_session::SessionManager<_>>::new_session(new_index)
			.or_else(|| {
				let queued = pallet_session::QueuedKeys::<Runtime>::get();
				let rekeyed = queued.iter().any(|(validator, keys)| {
					pallet_session::NextKeys::<Runtime>::get(validator).as_ref() != Some(keys)
				});
				let unrecorded = pallet_session::historical::HistoricalSessions::<Runtime>::get(
					new_index.saturating_sub(1),
				)
				.is_none();
				(rekeyed || unrecorded)
					.then(|| queued.into_iter().map(|(validator, _)| validator).collect())
			})
			.map(|validators| validators.into_iter().map(|v| (v, ())).collect())
	}
	fn new_session_genesis(new_index: u32) -> Option<alloc::vec::Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session_genesis(new_index)
			.map(|validators| validators.into_iter().map(|v| (v, ())).collect())
	}
	fn start_session(start_index: u32) {
		<Self as pallet_session::SessionManager<_>>::start_session(start_index)
	}
	fn end_session(end_index: u32) {
		<Self as pallet_session::SessionManager<_>>::end_session(end_index)
	}
}

/// Every validator of a session is identified by its account alone.
pub struct AccountOnly;

impl sp_runtime::traits::Convert<AccountId, Option<()>> for AccountOnly {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = AccountOnly;
}

/// Reports offences of validators still in the set, and refuses the others as duplicates: an
/// offender is removed at its first report, so the reports that follow would only fill the
/// offences pallet's storage, for free (a successful equivocation report pays no fee; a refused
/// one does).
pub struct SittingValidatorOffences;

impl<O> sp_staking::offence::ReportOffence<AccountId, IdentificationTuple, O>
	for SittingValidatorOffences
where
	O: sp_staking::offence::Offence<IdentificationTuple>,
{
	fn report_offence(
		reporters: alloc::vec::Vec<AccountId>,
		offence: O,
	) -> Result<(), sp_staking::offence::OffenceError> {
		let sitting = pallet_validator_set::Validators::<Runtime>::get();
		if offence.offenders().iter().any(|(offender, _)| !sitting.contains(offender)) {
			return Err(sp_staking::offence::OffenceError::DuplicateReport);
		}
		<crate::Offences as sp_staking::offence::ReportOffence<_, _, O>>::report_offence(
			reporters, offence,
		)
	}

	fn is_known_offence(offenders: &[IdentificationTuple], time_slot: &O::Slot) -> bool {
		<crate::Offences as sp_staking::offence::ReportOffence<_, _, O>>::is_known_offence(
			offenders, time_slot,
		)
	}
}

type IdentificationTuple = pallet_session::historical::IdentificationTuple<Runtime>;

/// Proven offences (GRANDPA equivocations) remove the offender from the validator set.
impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = crate::ValidatorSet;
}

impl pallet_validator_set::Config for Runtime {
	type AddRemoveOrigin = CouncilTwoThirds;
	type PeriodicRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type MaxValidators = MaxValidators;
	type MinValidators = ConstU32<1>;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxValidators;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxValidators;
	type MaxNominators = ConstU32<0>;
	/// As many sets as sessions stay provable.
	type MaxSetIdSessionEntries = ConstU64<{ KEPT_SESSIONS as u64 }>;
	/// Which validator held a GRANDPA key in a session: a proof against the historical roots.
	type KeyOwnerProof = sp_session::MembershipProof;
	/// An equivocation (two votes in one round) is reported by anyone, or unsigned by the node
	/// that saw it, within a week; the offence removes the validator.
	type EquivocationReportSystem = pallet_grandpa::EquivocationReportSystem<
		Self,
		SittingValidatorOffences,
		crate::Historical,
		ReportLongevity,
	>;
}

/// How long an equivocation report stays valid: a week of blocks.
type ReportLongevity = ConstU64<{ 7 * DAYS as u64 }>;

/// Unsigned transactions the runtime itself builds (GRANDPA equivocation reports from the
/// node's offchain context).
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = crate::UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> crate::UncheckedExtrinsic {
		crate::UncheckedExtrinsic::new_bare(call)
	}
}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// 80% of fees to the treasury, the rest and tips to the block author.
	type OnChargeTransaction = FungibleAdapter<Balances, crate::governance::DealWithFees>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// One unit of fee per picosecond of weight: a balance transfer costs about 0.001 PROV.
	type WeightToFee = IdentityFee<Balance>;
	/// One micro-PROV per byte, so that large anchors pay for the block space they take.
	type LengthToFee = frame_support::weights::ConstantMultiplier<Balance, ConstU128<MICRO_UNIT>>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	/// The fee payment's storage accesses, as the other extensions' (frame_system's), but for
	/// the sender's account, which `CheckNonce` pays for.
	type WeightInfo = crate::weights::FeePaymentAfterNonce<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

parameter_types! {
	/// Deposit for a multisig operation: a base plus a factor per signatory, so the storage
	/// an open operation takes is paid for until it executes or is cancelled.
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	pub const AnnouncementDepositFactor: Balance = deposit(0, 66);
}

/// What each storage item holds: 0.02 PROV.
const DEPOSIT_PER_ITEM: Balance = 20 * MILLI_UNIT;
/// What each byte in state holds: 0.0001 PROV.
const DEPOSIT_PER_BYTE: Balance = 100 * MICRO_UNIT;

/// The deposit for `items` storage items taking `bytes` bytes in all.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	(items as Balance)
		.saturating_mul(DEPOSIT_PER_ITEM)
		.saturating_add((bytes as Balance).saturating_mul(DEPOSIT_PER_BYTE))
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = crate::weights::MultisigAsAccount<Runtime>;
	type BlockNumberProvider = System;
}

/// What a proxy may do on behalf of the account that appointed it. Every type but `Any` is an
/// allow-list, as Polkadot's are: a call not named is refused, so a call added later is
/// refused until someone decides which proxies may make it. Through a batch, each inner call
/// is checked the same way.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Every call.
	#[default]
	Any,
	/// Calls that neither move the account's funds or assets to others nor put them where
	/// someone else can take them: registering and revoking records, attesting with stake
	/// already bonded, claiming what the account is owed, deployments, session keys, managing
	/// its own proxies. Not: transfers, payments, licence purchases, splits, bonds, run rewards,
	/// challenges, ownership transfers, multisig or proxy calls on other accounts, sudo.
	NonTransfer,
	/// Only rejecting announcements of other proxies.
	CancelProxy,
	/// An attester's hot key, as `prov attester serve` runs with: commit and reveal verdicts.
	Attester,
	/// A lab's registrar key: register datasets, their versions and checkpoints, publish
	/// revocation sets and revoke datasets.
	Registrar,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		use pallet_attestations::Call as Attestations;
		use pallet_checkpoints::Call as Checkpoints;
		use pallet_datasets::Call as Datasets;
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => matches!(
				call,
				RuntimeCall::System(
					frame_system::Call::remark { .. }
						| frame_system::Call::remark_with_event { .. }
				) | RuntimeCall::Session(..)
					| RuntimeCall::Utility(..)
					| RuntimeCall::Proxy(
						pallet_proxy::Call::add_proxy { .. }
							| pallet_proxy::Call::remove_proxy { .. }
							| pallet_proxy::Call::remove_proxies { .. }
							| pallet_proxy::Call::reject_announcement { .. }
							| pallet_proxy::Call::remove_announcement { .. }
					) | RuntimeCall::Datasets(
					Datasets::register { .. }
						| Datasets::register_version { .. }
						| Datasets::register_batch { .. }
						| Datasets::publish_revocation_set { .. }
						| Datasets::revoke { .. }
						| Datasets::set_contributor_root { .. }
						| Datasets::answer_withdrawal { .. }
						| Datasets::withdraw_consent { .. }
						| Datasets::clear_withdrawal { .. }
				) | RuntimeCall::Checkpoints(
					Checkpoints::register { .. } | Checkpoints::flag_compromised { .. }
				) | RuntimeCall::Attestations(
					Attestations::commit_verdict { .. }
						| Attestations::reveal_verdict { .. }
						| Attestations::chill { .. }
						| Attestations::activate { .. }
						| Attestations::unbond { .. }
						| Attestations::withdraw_unbonded { .. }
						| Attestations::report_equivocation { .. }
						| Attestations::settle_run { .. }
				) | RuntimeCall::Licenses(pallet_licenses::Call::create_terms { .. })
					| RuntimeCall::Royalties(
						pallet_royalties::Call::claim { .. }
							| pallet_royalties::Call::claim_from_pool { .. }
							| pallet_royalties::Call::close_pool { .. }
							| pallet_royalties::Call::clear_leaf_claim { .. }
					) | RuntimeCall::Evaluations(
					pallet_evaluations::Call::deploy { .. }
						| pallet_evaluations::Call::end_deployment { .. }
				)
			),
			ProxyType::CancelProxy => matches!(
				call,
				RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement { .. })
					| RuntimeCall::Utility(..)
					| RuntimeCall::Multisig(..)
			),
			ProxyType::Attester => matches!(
				call,
				RuntimeCall::Attestations(
					Attestations::commit_verdict { .. } | Attestations::reveal_verdict { .. }
				) | RuntimeCall::Utility(
					pallet_utility::Call::batch { .. }
						| pallet_utility::Call::batch_all { .. }
						| pallet_utility::Call::force_batch { .. }
				)
			),
			ProxyType::Registrar => matches!(
				call,
				RuntimeCall::Datasets(
					Datasets::register { .. }
						| Datasets::register_version { .. }
						| Datasets::register_batch { .. }
						| Datasets::publish_revocation_set { .. }
						| Datasets::revoke { .. }
						| Datasets::answer_withdrawal { .. }
				) | RuntimeCall::Checkpoints(
					Checkpoints::register { .. } | Checkpoints::flag_compromised { .. }
				) | RuntimeCall::Utility(
					pallet_utility::Call::batch { .. }
						| pallet_utility::Call::batch_all { .. }
						| pallet_utility::Call::force_batch { .. }
				)
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, ProxyType::Attester | ProxyType::Registrar) => true,
			_ => false,
		}
	}
}

parameter_types! {
	/// What a dataset or checkpoint record holds whatever its size: one storage item.
	pub const RecordDepositBase: Balance = deposit(1, 0);
	/// What each byte a record and its index entries take in state holds.
	pub const RecordDepositPerByte: Balance = deposit(0, 1);
}

impl pallet_datasets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Checkpoints = crate::Checkpoints;
	type OnRevoked = crate::Checkpoints;
	type Licenses = crate::Licenses;
	type OnRegistered = crate::Royalties;
	#[cfg(feature = "runtime-benchmarks")]
	type LicenseFactory = crate::Licenses;
	/// Forced revocation is a takedown of someone else's record.
	type ForceOrigin = CouncilTwoThirds;
	type DepositBase = RecordDepositBase;
	type DepositPerByte = RecordDepositPerByte;
	/// Room for hf://, s3:// and https:// locations with revisions and paths.
	type MaxUriLen = ConstU32<512>;
	/// A data mixture of up to 16 sources.
	type MaxParents = ConstU32<16>;
	/// A lab anchors a thousand shards of one upload in one transaction.
	type MaxBatchShards = ConstU32<1_000>;
	/// A contributor with more records files several withdrawals.
	type MaxWithdrawnRecords = ConstU32<32>;
	/// Two weeks to revoke the records of a withdrawal (the presets set their own).
	type DefaultAnswerPeriod = ConstU32<{ 14 * DAYS }>;
	type ParametersOrigin = CouncilMajority;
	/// A block's deadlines past 64 roll to the next blocks: 64 expiries weigh about 0.05 s of a
	/// block's 2 s (debug-node weights), and an attacker must fill more than 64 deadlines a block
	/// to make the sweep lag.
	type MaxExpiriesPerBlock = ConstU32<64>;
	type WeightInfo = pallet_datasets::weights::SubstrateWeight<Runtime>;
}

impl pallet_checkpoints::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = crate::Datasets;
	type Runs = crate::Attestations;
	type OnCheckpointTainted = crate::Evaluations;
	type Licenses = crate::Licenses;
	type OnRegistered = crate::Royalties;
	#[cfg(feature = "runtime-benchmarks")]
	type LicenseFactory = crate::Licenses;
	type DepositBase = RecordDepositBase;
	type DepositPerByte = RecordDepositPerByte;
	type MaxUriLen = ConstU32<512>;
	/// A merge of up to 8 models.
	type MaxParents = ConstU32<8>;
	/// A training mixture of up to 64 datasets.
	type MaxDatasets = ConstU32<64>;
	type MaxTaintSources = ConstU32<64>;
	type FanoutBatch = ConstU32<32>;
	type MaxTaintStepsPerBlock = ConstU32<64>;
	type MaxLineageWalk = ConstU32<2_000>;
	/// Rulings on evidence that a checkpoint or pipeline is compromised.
	type ForceOrigin = PanelTwoThirds;
	/// A false report of a pipeline costs this much; a true one costs nothing.
	type PipelineReportBond = ConstU128<{ 1_000 * UNIT }>;
	type OnForfeit = ResolveTo<TreasuryAccount, Balances>;
	#[cfg(feature = "runtime-benchmarks")]
	type DatasetFactory = crate::Datasets;
	#[cfg(feature = "runtime-benchmarks")]
	type RunFactory = crate::Attestations;
	type WeightInfo = pallet_checkpoints::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The attestation parameters of a live network, and of any genesis that sets none; the
	/// development presets shorten the periods (`genesis_config_presets`).
	pub const LiveAttestationParameters: pallet_attestations::ParametersOf<Runtime> =
		pallet_attestations::AttestationParameters {
			attesters: pallet_attestations::AttesterRules {
				// 1000 PROV: a slash of a minimal attester (200) pays a challenger twice its bond.
				min_stake: 1_000 * UNIT,
				// 28 days: longer than a run (14 days) and its challenge window (7 days) together.
				unbonding_period: 28 * DAYS,
				// Three faults and out.
				max_faults: 3,
				// Ten runs in a row without a verdict and an active attester is absent.
				max_missed_runs: 10,
			},
			runs: LIVE_RUN_RULES,
		};
}

/// The rules of runs on a live network.
pub const LIVE_RUN_RULES: pallet_attestations::RunRulesOf<Runtime> =
	pallet_attestations::RunRules {
		min_commit_period: HOURS,
		// 6 hours to reveal: an attester that is briefly offline still gets its reveal in.
		reveal_period: 6 * HOURS,
		max_run_duration: 14 * DAYS,
		// 7 days for anyone to re-check an attested run and challenge it.
		challenge_period: 7 * DAYS,
		// At least three attesters agree: one or two keys cannot attest a run alone.
		quorum_count: 3,
		// Two thirds of active stake: above one half, so two verdicts cannot both win, and as much
		// stake as a BFT quorum.
		quorum_stake: Perbill::from_parts(666_666_667),
		// A wrong verdict costs a fifth of the stake that backed it.
		slash_fraction: Perbill::from_percent(20),
		// A verdict committed and never revealed costs 2% of its stake (20 PROV of a minimal
		// attester): more than the share of a reward a Sybil could win by revealing selectively.
		unrevealed_slash: Perbill::from_percent(2),
		// Half a slash goes to whoever proved the fault.
		challenger_share: Perbill::from_percent(50),
		// 100 PROV: a dismissed challenge costs half of what an upheld one against the smallest
		// attester earns.
		challenge_bond: 100 * UNIT,
		// Runs that pay less than 10 PROV ask no one to attend.
		attendance_reward: 10 * UNIT,
	};

impl pallet_attestations::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = crate::Datasets;
	type Checkpoints = crate::Checkpoints;
	type OnEvaluationSettled = crate::Evaluations;
	type DisputeOrigin = PanelTwoThirds;
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type OffchainSignature = crate::Signature;
	type OffchainPublic = <crate::Signature as Verify>::Signer;
	type ParametersOrigin = CouncilTwoThirds;
	type DefaultParameters = LiveAttestationParameters;
	/// Settlement pays every attester of a run in one call: bounded by this.
	type MaxAttesters = ConstU32<128>;
	/// Challenges a negligent dispute body left unruled, dismissed per block.
	type MaxLapsesPerBlock = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<16>;
	type RunDepositBase = RecordDepositBase;
	type RunDepositPerByte = RecordDepositPerByte;
	type MaxDatasets = ConstU32<64>;
	type MaxBaseCheckpoints = ConstU32<8>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AttestationsBenchmarkHelper;
	type WeightInfo = pallet_attestations::weights::SubstrateWeight<Runtime>;
}

/// Datasets, checkpoints and sr25519 signatures (from the benchmark keystore) for the
/// attestations benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct AttestationsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
mod attestations_benchmark_helper {
	use super::*;
	use alloc::vec::Vec;
	use provenance_primitives::traits::{CheckpointFactory, DatasetFactory};
	use sp_core::{crypto::KeyTypeId, sr25519};
	use sp_runtime::{traits::IdentifyAccount, MultiSignature, MultiSigner};

	const KEY_TYPE: KeyTypeId = KeyTypeId(*b"bnch");

	impl pallet_attestations::BenchmarkHelper<AccountId, MultiSignature>
		for AttestationsBenchmarkHelper
	{
		fn signer() -> AccountId {
			MultiSigner::Sr25519(sp_io::crypto::sr25519_generate(KEY_TYPE, None)).into_account()
		}

		fn sign(signer: &AccountId, message: &[u8]) -> MultiSignature {
			let public = sr25519::Public::from_raw(*signer.as_ref());
			// `signer` comes from `signer()`, so its key is in the benchmark keystore; without
			// it the all-zero signature fails the check the benchmark makes.
			let signature = sp_io::crypto::sr25519_sign(KEY_TYPE, &public, message)
				.unwrap_or_else(|| sr25519::Signature::from_raw([0; 64]));
			MultiSignature::Sr25519(signature)
		}
	}

	impl DatasetFactory<AccountId> for AttestationsBenchmarkHelper {
		fn create_dataset(owner: &AccountId, seed: u32) -> u64 {
			crate::Datasets::create_dataset(owner, seed)
		}

		fn create_version(owner: &AccountId, previous: u64, seed: u32) -> u64 {
			crate::Datasets::create_version(owner, previous, seed)
		}

		fn revoke_dataset(id: u64) {
			crate::Datasets::revoke_dataset(id)
		}
	}

	impl pallet_evaluations::BenchmarkHelper<AccountId, BlockNumber> for AttestationsBenchmarkHelper {
		fn activate_attester() {
			use frame_support::traits::fungible::Mutate;
			let attester: AccountId = frame_benchmarking::account("attester", 0, 0);
			let stake = pallet_attestations::Parameters::<Runtime>::get().attesters.min_stake;
			Balances::set_balance(&attester, stake.saturating_mul(2));
			let bonded = crate::Attestations::bond(RuntimeOrigin::signed(attester), stake);
			debug_assert!(bonded.is_ok(), "benchmark attester bonds: {bonded:?}");
		}

		fn run_deadline() -> BlockNumber {
			crate::System::block_number().saturating_add(
				pallet_attestations::Parameters::<Runtime>::get().runs.max_run_duration,
			)
		}
	}

	impl CheckpointFactory<AccountId> for AttestationsBenchmarkHelper {
		fn create_checkpoint_with(
			owner: &AccountId,
			weights_hash: provenance_primitives::merkle::Hash,
			inputs: Vec<provenance_primitives::AssetRef>,
		) -> u64 {
			crate::Checkpoints::create_checkpoint_with(owner, weights_hash, inputs)
		}

		fn declare_pipeline_compromised(
			pipeline: provenance_primitives::merkle::Hash,
		) -> sp_runtime::DispatchResult {
			crate::Checkpoints::declare_pipeline_compromised(pipeline)
		}
	}
}

#[cfg(feature = "upgrade-probe")]
impl crate::upgrade_probe::Config for Runtime {}

impl pallet_evaluations::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Datasets = crate::Datasets;
	type Checkpoints = crate::Checkpoints;
	type Runs = crate::Attestations;
	type MaxMetricLen = ConstU32<64>;
	/// Scores are millionths: up to a billion (1e15), room for any metric's range.
	type MaxScore = ConstU64<1_000_000_000_000_000>;
	type MaxVersionFamily = ConstU32<64>;
	type MaxLeaderboardLen = ConstU32<100>;
	/// Per operator and checkpoint.
	type MaxLiveDeployments = ConstU32<64>;
	type DepositBase = RecordDepositBase;
	type DepositPerByte = RecordDepositPerByte;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AttestationsBenchmarkHelper;
	type WeightInfo = pallet_evaluations::weights::SubstrateWeight<Runtime>;
}

impl pallet_licenses::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = crate::Checkpoints;
	type Payments = crate::Royalties;
	type DepositBase = RecordDepositBase;
	type DepositPerByte = RecordDepositPerByte;
	type MaxUriLen = ConstU32<512>;
	/// A grant record: two hashed keys and its value.
	type GrantDeposit = ConstU128<{ deposit(1, 16 + 8 + 16 + 32 + 4 + 5 + 16) }>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AssetsBenchmarkHelper;
	type WeightInfo = pallet_licenses::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const RoyaltiesPalletId: PalletId = PalletId(*b"prov/roy");
	/// Ancestors together take at most half of any payment: the asset paid keeps the rest.
	pub const MaxStackBps: u16 = 5_000;
}

impl pallet_royalties::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = RecordDepositBase;
	type DepositPerByte = RecordDepositPerByte;
	type PalletId = RoyaltiesPalletId;
	type Lineage = crate::Checkpoints;
	type Terms = crate::Licenses;
	/// Direct beneficiaries; larger groups go in a contributor pool.
	type MaxSplitEntries = ConstU32<16>;
	/// Royalties reach eight generations up.
	type MaxStackDepth = ConstU32<8>;
	/// As many royalty-bearing ancestors as a checkpoint may name datasets.
	type MaxStackEntries = ConstU32<64>;
	type MaxStackBps = MaxStackBps;
	/// Pools of up to 2^32 contributors.
	type MaxProofLen = ConstU32<32>;
	type MaxUriLen = ConstU32<512>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AssetsBenchmarkHelper;
	type WeightInfo = pallet_royalties::weights::SubstrateWeight<Runtime>;
}

/// Datasets and checkpoints under licenses, for the licenses and royalties benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct AssetsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
mod assets_benchmark_helper {
	use super::*;
	use alloc::vec::Vec;
	use provenance_primitives::{
		traits::{CheckpointFactory, DatasetFactory},
		AssetRef,
	};

	impl pallet_licenses::BenchmarkHelper<AccountId> for AssetsBenchmarkHelper {
		fn asset(owner: &AccountId, seed: u32) -> AssetRef {
			AssetRef::Dataset(crate::Datasets::create_dataset(owner, seed))
		}
	}

	impl pallet_royalties::BenchmarkHelper<AccountId> for AssetsBenchmarkHelper {
		/// A human dataset without inputs, a checkpoint made from them otherwise; offered
		/// `Open` under terms reserving `royalty_bps`.
		fn asset(
			owner: &AccountId,
			seed: u32,
			inputs: Vec<AssetRef>,
			royalty_bps: u16,
		) -> AssetRef {
			let asset = if inputs.is_empty() {
				AssetRef::Dataset(crate::Datasets::create_dataset(owner, seed))
			} else {
				AssetRef::Checkpoint(crate::Checkpoints::create_derived_checkpoint(
					owner, seed, inputs,
				))
			};
			crate::Licenses::offer_for_benchmarks(
				asset,
				royalty_bps,
				pallet_licenses::Policy::Open,
			);
			asset
		}

		fn transfer(
			asset: AssetRef,
			from: &AccountId,
			to: &AccountId,
		) -> frame_support::dispatch::DispatchResult {
			let origin = RuntimeOrigin::signed(from.clone());
			match asset {
				AssetRef::Dataset(id) => {
					crate::Datasets::transfer_ownership(origin, id, to.clone().into())
				},
				AssetRef::Checkpoint(id) => {
					crate::Checkpoints::transfer_ownership(origin, id, to.clone().into())
				},
			}
		}
	}
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = sp_runtime::traits::BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}
