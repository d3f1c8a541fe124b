//! Who decides what: the council and the dispute panel (each a `pallet-collective` whose
//! members a `pallet-membership` keeps), the origins each governed call takes, the treasury,
//! and where transaction fees go. `docs/operators.md` ("Governance") lists every decision with
//! its body and threshold.
//!
//! Every governed origin also accepts root, which on the development presets is the sudo key
//! and on the live network only a council motion at three quarters (`CouncilRoot`).

use crate::{
	AccountId, Balance, Balances, Council, DisputePanel, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, System, DAYS,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		tokens::{imbalance::ResolveTo, PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, EitherOf, EitherOfDiverse, Imbalance, OnUnbalanced,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureWithSuccess};
use pallet_collective::{EnsureProportionAtLeast, EnsureProportionMoreThan};
use sp_runtime::traits::AccountIdConversion;

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
	/// Members who did not vote count as voting with the prime member, if there is one.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Members change only through `CouncilMembership`.
	type SetMembersOrigin = Root;
	type MaxProposalWeight = MaxMotionWeight;
	type DisapproveOrigin = Root;
	type KillOrigin = Root;
	/// Only members propose, so no deposit: the proposal bound is theirs to keep.
	type Consideration = ();
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
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = Root;
	type MaxProposalWeight = MaxMotionWeight;
	type DisapproveOrigin = Root;
	type KillOrigin = Root;
	type Consideration = ();
}

/// The council's members: added, removed, swapped, reset and given a prime member by two
/// thirds of the council.
impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = CouncilTwoThirds;
	type RemoveOrigin = CouncilTwoThirds;
	type SwapOrigin = CouncilTwoThirds;
	type ResetOrigin = CouncilTwoThirds;
	type PrimeOrigin = CouncilTwoThirds;
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
