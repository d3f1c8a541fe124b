//! Who decides what: the council and the dispute panel (each a `pallet-collective` whose
//! members a `pallet-membership` keeps), the origins each governed call takes, the treasury,
//! and where transaction fees go. `docs/operators.md` ("Governance") lists every decision with
//! its body and threshold.
//!
//! Every governed origin also accepts root, which on the development presets is the sudo key
//! and on the live network only a council motion at three quarters (`CouncilRoot`).

use crate::{
	AccountId, Balance, Balances, Council, DisputePanel, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, RuntimeOrigin, System, DAYS, EXISTENTIAL_DEPOSIT,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::{Balanced, Credit, HoldConsideration, Inspect, Mutate},
		tokens::{imbalance::ResolveTo, PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, Contains, EitherOf, EitherOfDiverse, Imbalance, OnRuntimeUpgrade, OnUnbalanced,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureWithSuccess};
use pallet_collective::{EnsureProportionAtLeast, EnsureProportionMoreThan};
use sp_runtime::{traits::AccountIdConversion, FixedU128};

/// The council: decides parameters, the validator set, takedowns, members, spending and
/// (at three quarters) whatever needs root, such as runtime upgrades.
pub type CouncilCollective = pallet_collective::Instance1;
/// The dispute panel: rules on attestation challenges and on evidence about checkpoints.
pub type DisputePanelCollective = pallet_collective::Instance2;

type Root = EnsureRoot<AccountId>;
/// More than half of the council.
type CouncilMoreThanHalf = EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>;
/// Two thirds of the council.
type CouncilTwoThirdsOnly = EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;

/// Root, or a council motion carried by more than half of its members.
pub type CouncilMajority = EitherOfDiverse<Root, CouncilMoreThanHalf>;
/// Root, or a council motion carried by two thirds of its members.
pub type CouncilTwoThirds = EitherOfDiverse<Root, CouncilTwoThirdsOnly>;
/// A council motion carried by three quarters of its members: what may act as root.
pub type CouncilThreeQuarters = EnsureProportionAtLeast<AccountId, CouncilCollective, 3, 4>;
/// Root, or a council motion carried by three quarters: who may change the council's seats,
/// since seats decide who reaches three quarters.
pub type CouncilRootOrThreeQuarters = EitherOfDiverse<Root, CouncilThreeQuarters>;
/// Root, or a dispute panel motion carried by two thirds of its members.
pub type PanelTwoThirds =
	EitherOfDiverse<Root, EnsureProportionAtLeast<AccountId, DisputePanelCollective, 2, 3>>;

parameter_types! {
	/// A motion may take at most half a block: enough for any governed call but a runtime
	/// upgrade, which goes by `authorize_upgrade` and `apply_authorized_upgrade`.
	pub MaxMotionWeight: Weight =
		crate::configs::RuntimeBlockWeights::get().max_block.saturating_div(2);
}

/// A council seat count that keeps each threshold distinct (13: 7 for a majority, 9 for two
/// thirds, 10 for three quarters).
pub type MaxCouncilMembers = ConstU32<13>;
/// The dispute panel's largest size.
pub type MaxPanelMembers = ConstU32<9>;

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	/// A week to vote; a motion closes as soon as its outcome is certain.
	type MotionDuration = ConstU32<{ 7 * DAYS }>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = MaxCouncilMembers;
	type DefaultVote = NonVotersAgainst;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Members change only through `CouncilMembership`.
	type SetMembersOrigin = Root;
	type MaxProposalWeight = MaxMotionWeight;
	type DisapproveOrigin = CouncilMajority;
	type KillOrigin = CouncilTwoThirds;
	type Consideration = ProposalDeposit<CouncilProposalHold>;
}

impl pallet_collective::Config<DisputePanelCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	/// Three days to vote: a challenge not ruled by its deadline lapses anyway
	/// (`pallet_attestations`, the challenge period after the window).
	type MotionDuration = ConstU32<{ 3 * DAYS }>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = MaxPanelMembers;
	type DefaultVote = NonVotersAgainst;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = Root;
	type MaxProposalWeight = MaxMotionWeight;
	/// The council clears the panel's queue of motions that should not stand.
	type DisapproveOrigin = CouncilMajority;
	type KillOrigin = CouncilTwoThirds;
	type Consideration = ProposalDeposit<PanelProposalHold>;
}

/// The council's members: added, removed, swapped, reset and given a prime member by three
/// quarters of the council. Two thirds could otherwise remove or add seats until they are three
/// quarters and act as root.
impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = CouncilRootOrThreeQuarters;
	type RemoveOrigin = CouncilRootOrThreeQuarters;
	type SwapOrigin = CouncilRootOrThreeQuarters;
	type ResetOrigin = CouncilRootOrThreeQuarters;
	type PrimeOrigin = CouncilRootOrThreeQuarters;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = MaxCouncilMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// The dispute panel's members: appointed by two thirds of the council, so that the panel
/// does not choose itself.
impl pallet_membership::Config<pallet_membership::Instance2> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = CouncilTwoThirds;
	type RemoveOrigin = CouncilTwoThirds;
	type SwapOrigin = CouncilTwoThirds;
	type ResetOrigin = CouncilTwoThirds;
	type PrimeOrigin = CouncilTwoThirds;
	type MembershipInitialized = DisputePanel;
	type MembershipChanged = DisputePanel;
	type MaxMembers = MaxPanelMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// Members who did not vote count against a motion when it closes at the end of its duration:
/// a motion passes by the ayes cast, never by absence (the sdk's `PrimeDefaultVote` would count
/// them with the prime member).
pub struct NonVotersAgainst;

impl pallet_collective::DefaultVote for NonVotersAgainst {
	fn default_vote(_prime_vote: Option<bool>, _yes: u32, _no: u32, _len: u32) -> bool {
		false
	}
}

parameter_types! {
	pub const CouncilProposalHold: RuntimeHoldReason =
		RuntimeHoldReason::Council(pallet_collective::HoldReason::ProposalSubmission);
	pub const PanelProposalHold: RuntimeHoldReason =
		RuntimeHoldReason::DisputePanel(pallet_collective::HoldReason::ProposalSubmission);
	/// What a motion holds when the body has no other open: 10 PROV.
	pub const ProposalDepositBase: Balance = 10 * crate::UNIT;
	pub const ProposalDepositRatio: FixedU128 = FixedU128::from_u32(2);
}

/// A proposal holds a deposit from its proposer that doubles with each motion already open
/// (10 PROV, then 20, 40, ...), so that one member cannot fill a body's queue
/// (`MaxProposals`) and stall the others; it is released (`release_proposal_cost`) once the
/// motion is closed or disapproved, and forfeited if the motion is killed.
type ProposalDeposit<Reason> = HoldConsideration<
	AccountId,
	Balances,
	Reason,
	pallet_collective::deposit::Geometric<ProposalDepositRatio, ProposalDepositBase>,
	u32,
>;

/// The fewest members either body keeps: a membership change that would leave fewer is
/// refused, so that no motion can empty a body and leave the live network without governance.
pub const MIN_BODY_MEMBERS: usize = 3;

/// The chain's call filter: refuses membership changes that would leave a body with fewer than
/// [`MIN_BODY_MEMBERS`] members (root, on the development presets, is not filtered).
pub struct KeepsBodiesSeated;

impl Contains<RuntimeCall> for KeepsBodiesSeated {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_membership::{Call, Instance1, Instance2};
		let distinct = |members: &[AccountId]| {
			members.iter().collect::<alloc::collections::BTreeSet<_>>().len()
		};
		match call {
			RuntimeCall::CouncilMembership(Call::remove_member { .. }) => {
				pallet_membership::Members::<Runtime, Instance1>::decode_len()
					.is_some_and(|seats| seats > MIN_BODY_MEMBERS)
			},
			RuntimeCall::DisputePanelMembership(Call::remove_member { .. }) => {
				pallet_membership::Members::<Runtime, Instance2>::decode_len()
					.is_some_and(|seats| seats > MIN_BODY_MEMBERS)
			},
			RuntimeCall::CouncilMembership(Call::reset_members { members })
			| RuntimeCall::DisputePanelMembership(Call::reset_members { members }) => {
				distinct(members) >= MIN_BODY_MEMBERS
			},
			_ => true,
		}
	}
}

impl crate::council_root::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RootOrigin = CouncilThreeQuarters;
	type DispatchWeight = SudoDispatchWeight;
}

parameter_types! {
	pub SudoDispatchWeight: Weight =
		<pallet_sudo::weights::SubstrateWeight<Runtime> as pallet_sudo::WeightInfo>::sudo();
}

parameter_types! {
	pub const TreasuryPalletId: PalletId = PalletId(*b"prov/trs");
	/// The treasury's account: slashed stake, forfeited bonds and 80% of fees go here.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// The most two thirds of the council may spend in one motion; more needs root (three
	/// quarters, through `CouncilRoot`).
	pub const CouncilSpendLimit: Balance = 1_000_000 * crate::UNIT;
	pub const MaxSpend: Balance = Balance::MAX;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = CouncilMajority;
	type RuntimeEvent = RuntimeEvent;
	/// Approved spends are paid weekly.
	type SpendPeriod = ConstU32<{ 7 * DAYS }>;
	/// Nothing is burned: what the council does not spend stays.
	type Burn = ();
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendOrigin = EitherOf<
		EnsureRootWithSuccess<AccountId, MaxSpend>,
		EnsureWithSuccess<CouncilTwoThirdsOnly, AccountId, CouncilSpendLimit>,
	>;
	/// Only the native token.
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	/// A spend approved by `spend` may be paid out for 30 days.
	type PayoutPeriod = ConstU32<{ 30 * DAYS }>;
	type BlockNumberProvider = System;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Opens the treasury's account with the existential deposit on a chain upgraded to
/// governance (a new chain's genesis does it, `pallet_treasury`'s genesis build), so that fee
/// shares below the existential deposit are kept, not dropped. Does nothing once the account
/// holds it.
pub struct OpenTreasuryAccount;

impl OnRuntimeUpgrade for OpenTreasuryAccount {
	fn on_runtime_upgrade() -> Weight {
		let treasury = TreasuryAccount::get();
		let missing = EXISTENTIAL_DEPOSIT.saturating_sub(Balances::balance(&treasury));
		if missing > 0 {
			let opened = Balances::mint_into(&treasury, missing);
			debug_assert!(opened.is_ok(), "the treasury's account opens: {opened:?}");
		}
		<Runtime as frame_system::Config>::DbWeight::get().reads_writes(1, 2)
	}
}

/// Fees and tips, as `pallet_transaction_payment` hands them over.
type FeeCredit = Credit<AccountId, Balances>;

/// Pays the block's author. What cannot be paid to it (no author known, or an amount below
/// the existential deposit of an empty account) goes to the treasury, so no fee is burned.
pub struct ToAuthor;

impl OnUnbalanced<FeeCredit> for ToAuthor {
	fn on_nonzero_unbalanced(credit: FeeCredit) {
		let unpaid = match pallet_authorship::Pallet::<Runtime>::author() {
			Some(author) => Balances::resolve(&author, credit).err(),
			None => Some(credit),
		};
		if let Some(unpaid) = unpaid {
			ResolveTo::<TreasuryAccount, Balances>::on_unbalanced(unpaid);
		}
	}
}

/// The share of each fee (tip aside) that goes to the treasury; the block author gets the rest
/// of the fee and the whole tip.
pub const TREASURY_FEE_PERCENT: u32 = 80;

/// The accounts fees are paid into, the treasury's and the block author's. Every paying
/// transaction writes both, but a block reads and commits each once however many pay into it:
/// the block's base weight pays for them (`RuntimeBlockWeights`), and the benchmarks leave the
/// treasury's account out of each call's count (their whitelist, in `apis.rs`; the author's
/// is not known to them), as polkadot-sdk's own runtimes whitelist their treasury's.
pub const FEE_DESTINATION_ACCOUNTS: u64 = 2;

/// Splits transaction fees: [`TREASURY_FEE_PERCENT`] of the fee to the treasury, the rest of
/// the fee and every tip to the block's author (as Polkadot's relay chain does).
pub struct DealWithFees;

impl OnUnbalanced<FeeCredit> for DealWithFees {
	fn on_unbalanceds(mut fees_then_tips: impl Iterator<Item = FeeCredit>) {
		if let Some(fees) = fees_then_tips.next() {
			let (to_treasury, mut to_author) =
				fees.ration(TREASURY_FEE_PERCENT, 100 - TREASURY_FEE_PERCENT);
			if let Some(tips) = fees_then_tips.next() {
				tips.merge_into(&mut to_author);
			}
			ResolveTo::<TreasuryAccount, Balances>::on_unbalanced(to_treasury);
			ToAuthor::on_unbalanced(to_author);
		}
	}
}

/// Aura's author of the block, as the account of that validator.
impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, crate::Aura>;
	type EventHandler = ();
}
