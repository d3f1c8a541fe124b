//! License terms, asset licenses and grants.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use provenance_primitives::{merkle::Hash, TermsId};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// What a license lets a licensee make from the asset.
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
	Serialize,
	Deserialize,
)]
pub enum Derivatives {
	/// Derivatives under any terms.
	Allowed,
	/// Derivatives, which carry these same terms.
	ShareAlike,
	/// No derivatives: use only.
	NotAllowed,
}

/// The substance of a license, as an author states it.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
pub struct TermsSpec<Balance, BlockNumber> {
	pub commercial_use: bool,
	pub derivatives: Derivatives,
	pub attribution: bool,
	/// Paid into the asset's royalties for each grant.
	pub fee: Balance,
	/// The share of every payment to a derivative reserved for the asset, in basis points.
	pub upstream_royalty_bps: u16,
	/// How long a grant lasts; `None`: for good.
	pub duration: Option<BlockNumber>,
	/// SHA-256 of the full legal text.
	pub terms_hash: Hash,
}

/// License terms on chain: the spec, where its text lives, who wrote it and its deposit.
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
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Terms<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxUriLen: Get<u32>,
> {
	pub spec: TermsSpec<Balance, BlockNumber>,
	pub uri: BoundedVec<u8, MaxUriLen>,
	/// `None` for the standard terms of the genesis.
	pub author: Option<AccountId>,
	pub deposit: Balance,
}

/// Whether deriving from an asset needs a grant.
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
pub enum Policy {
	/// Anyone may derive, under the terms.
	Open,
	/// Deriving needs a live grant.
	Licensed,
}

/// The terms an asset is offered under.
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
pub struct AssetLicense {
	pub terms: TermsId,
	pub policy: Policy,
}

/// A license an account holds on an asset.
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
pub struct Grant<Balance, BlockNumber> {
	/// The terms it was granted under (they stay, whatever the asset's terms become).
	pub terms: TermsId,
	/// The first block it no longer holds; `None`: for good.
	pub expires_at: Option<BlockNumber>,
	/// Held from the licensee for the record until it is given up.
	pub deposit: Balance,
}

/// What an asset is offered under, as the `LicensesApi` answers it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct LicenseView<Terms> {
	/// The terms and policy its owner set, if any.
	pub license: Option<AssetLicense>,
	/// Those terms.
	pub terms: Option<Terms>,
	/// Share-alike terms it took from its inputs: it stays under them.
	pub inherited: Option<TermsId>,
}
