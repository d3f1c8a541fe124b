//! Royalty splits, contributor pools and an asset's running totals.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{merkle::Hash, AssetRef};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// Id of a contributor pool; sequential from 0.
pub type PoolId = u64;

/// A contributor pool as its asset's owner declares it: the root of a Merkle sum tree with one
/// leaf per contributor, holding `SCALE((account, weight: u128))` with its weight as sum (the
/// crate docs give the tree).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PoolSpec {
	/// The hash of the sum tree's root.
	pub root: Hash,
	/// Leaves in the tree.
	pub leaves: u64,
	/// The sum of the root: the weights of all leaves together.
	pub total_weight: u128,
	/// The pool's share of what the asset receives.
	pub share: Perbill,
}

/// A deposit held for a record someone made the chain keep, released to `depositor` when the
/// record goes.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Deposit<AccountId, Balance> {
	pub depositor: AccountId,
	pub amount: Balance,
}

/// A contributor pool and what it received and paid out.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Pool<AccountId, Balance> {
	pub asset: AssetRef,
	pub spec: PoolSpec,
	/// Everything credited to the pool.
	pub accrued: Balance,
	/// Everything contributors claimed from it.
	pub paid: Balance,
	/// Held from the owner who created it until the pool is closed.
	pub deposit: Deposit<AccountId, Balance>,
}

/// Where a pool's proofs file is published (each contributor's leaf and audit path), and the
/// deposit its setter holds for the record until it is replaced, cleared or the pool closed.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUriLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen))]
pub struct PoolUri<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
> {
	pub uri: BoundedVec<u8, MaxUriLen>,
	pub deposit: Deposit<AccountId, Balance>,
}

/// What an account may claim from an asset, and the deposit of the payer whose payment
/// created the entry, released when it is claimed.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Owed<AccountId, Balance> {
	pub amount: Balance,
	pub deposit: Deposit<AccountId, Balance>,
}

/// What a pool's leaf has claimed, and the deposit its claimant holds for the record until
/// the pool is closed and the record cleared.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct LeafClaim<AccountId, Balance> {
	pub claimed: Balance,
	pub deposit: Deposit<AccountId, Balance>,
}

/// How an asset's income is divided: direct shares, and optionally a contributor pool;
/// together they make the whole.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxEntries))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen))]
pub struct Split<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxEntries: Get<u32>,
> {
	pub entries: BoundedVec<(AccountId, Perbill), MaxEntries>,
	/// The pool and its share.
	pub pool: Option<(PoolId, Perbill)>,
	/// Held from the owner who set it until a split replaces it.
	pub deposit: Deposit<AccountId, Balance>,
}

/// An ancestor in an asset's royalty stack.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct StackEntry {
	pub ancestor: AssetRef,
	/// Its rate of every payment, in basis points.
	pub bps: u16,
	/// Edges between it and the asset (1 for a direct input).
	pub depth: u32,
}

/// What an asset received, from payers and as royalties from descendants, and what it
/// passed on to ancestors.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Totals<Balance> {
	/// Paid to the asset directly.
	pub paid_in: Balance,
	/// Received as upstream royalty from payments to descendants.
	pub royalties_in: Balance,
	/// Passed up to its ancestors out of payments to it.
	pub royalties_out: Balance,
}

/// Everything about an asset's royalties, as queries return it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct AssetRoyalties<Split, Stack, Balance> {
	/// How its income is divided; `None`: all to its owner.
	pub split: Option<Split>,
	/// The ancestors owed a share of every payment to it.
	pub stack: Stack,
	pub totals: Totals<Balance>,
}
