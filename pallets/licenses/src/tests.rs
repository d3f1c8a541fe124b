//! Tests of the licenses pallet: terms and their errors, licenses and grants, the derivative
//! check with share-alike, and the upstream royalty it gives the royalties pallet.

use crate::{mock::*, pallet::*, AssetLicense, Derivatives, Grant, Policy, TermsSpec};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use provenance_primitives::{
	traits::{DerivativeCheck, UpstreamRoyalty},
	AssetRef,
};

const DATA: AssetRef = AssetRef::Dataset(0);
const MODEL: AssetRef = AssetRef::Checkpoint(0);

fn spec(derivatives: Derivatives, commercial_use: bool) -> TermsSpec<u64, u64> {
	TermsSpec {
		commercial_use,
		derivatives,
		attribution: true,
		fee: 1_000,
		upstream_royalty_bps: 500,
		duration: Some(100),
		terms_hash: [7; 32],
	}
}

/// Standard terms 0: commercial, derivatives allowed; 1: share-alike, non-commercial;
/// 2: no derivatives; 3: another share-alike.
fn standard() -> Vec<(TermsSpec<u64, u64>, Vec<u8>)> {
	vec![
		(spec(Derivatives::Allowed, true), b"https://example.org/open".to_vec()),
		(spec(Derivatives::ShareAlike, false), b"https://example.org/sa-nc".to_vec()),
		(spec(Derivatives::NotAllowed, true), b"https://example.org/nd".to_vec()),
		(spec(Derivatives::ShareAlike, true), b"https://example.org/sa".to_vec()),
	]
}

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn offer(asset: AssetRef, terms: u32, policy: Policy) {
	MockAssets::register(asset, OWNER);
	assert_ok!(Licenses::set_license(signed(OWNER), asset, terms, policy));
}

#[test]
fn genesis_terms_exist() {
	new_test_ext(standard(), || {
		assert_eq!(NextTermsId::<Test>::get(), 4);
		let terms = AllTerms::<Test>::get(1).unwrap();
		assert_eq!(terms.spec.derivatives, Derivatives::ShareAlike);
		assert_eq!(terms.author, None);
	});
}

#[test]
fn publishing_terms_holds_a_deposit_and_bad_terms_are_rejected() {
	new_test_ext(vec![], || {
		let uri = b"ipfs://terms".to_vec();
		assert_ok!(Licenses::create_terms(
			signed(OWNER),
			spec(Derivatives::Allowed, true),
			uri.clone()
		));
		let terms = AllTerms::<Test>::get(0).unwrap();
		assert_eq!(terms.author, Some(OWNER));
		assert!(terms.deposit > 100);
		assert_eq!(
			Balances::balance_on_hold(
				&RuntimeHoldReason::Licenses(crate::HoldReason::TermsDeposit),
				&OWNER
			),
			terms.deposit
		);
		System::assert_last_event(
			Event::TermsCreated {
				id: 0,
				author: OWNER,
				spec: spec(Derivatives::Allowed, true),
				uri: uri.clone().try_into().unwrap(),
				deposit: terms.deposit,
			}
			.into(),
		);
		let greedy = TermsSpec { upstream_royalty_bps: 10_001, ..spec(Derivatives::Allowed, true) };
		assert_noop!(
			Licenses::create_terms(signed(OWNER), greedy, uri.clone()),
			Error::<Test>::RoyaltyTooHigh
		);
		let instant = TermsSpec { duration: Some(0), ..spec(Derivatives::Allowed, true) };
		assert_noop!(
			Licenses::create_terms(signed(OWNER), instant, uri),
			Error::<Test>::ZeroDuration
		);
		assert_noop!(
			Licenses::create_terms(signed(OWNER), spec(Derivatives::Allowed, true), vec![b'x'; 65]),
			Error::<Test>::UriTooLong
		);
	});
}

#[test]
fn only_the_owner_offers_an_asset_under_existing_terms() {
	new_test_ext(standard(), || {
		assert_noop!(
			Licenses::set_license(signed(OWNER), DATA, 0, Policy::Open),
			Error::<Test>::UnknownAsset
		);
		MockAssets::register(DATA, OWNER);
		assert_noop!(
			Licenses::set_license(signed(LICENSEE), DATA, 0, Policy::Open),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Licenses::set_license(signed(OWNER), DATA, 9, Policy::Open),
			Error::<Test>::UnknownTerms
		);
		assert_ok!(Licenses::set_license(signed(OWNER), DATA, 0, Policy::Licensed));
		assert_eq!(
			AssetLicenses::<Test>::get(DATA),
			Some(AssetLicense { terms: 0, policy: Policy::Licensed })
		);
		assert_eq!(Licenses::upstream_royalty_bps(DATA, &LICENSEE), 500);
		assert_eq!(Licenses::upstream_royalty_bps(MODEL, &LICENSEE), 0);
	});
}

#[test]
fn a_grant_pays_the_fee_into_the_assets_royalties_and_expires() {
	new_test_ext(standard(), || {
		offer(DATA, 0, Policy::Licensed);
		assert_ok!(Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000));
		assert_eq!(
			Grants::<Test>::get(DATA, LICENSEE),
			Some(Grant { terms: 0, expires_at: Some(101), deposit: GRANT_DEPOSIT })
		);
		assert_eq!(
			pallet_royalties::Claimable::<Test>::get(OWNER, DATA).map(|owed| owed.amount),
			Some(1_000)
		);
		assert_noop!(
			Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000),
			Error::<Test>::AlreadyLicensed
		);
		assert_eq!(Licenses::check_derivative(&LICENSEE, &[DATA], true), Ok(None));

		System::set_block_number(101);
		assert_eq!(
			Licenses::check_derivative(&LICENSEE, &[DATA], true),
			Err(Error::<Test>::NoLiveGrant.into())
		);
		// Renewing an expired grant keeps its deposit; giving it up releases it.
		assert_ok!(Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::GrantDeposit.into(), &LICENSEE),
			GRANT_DEPOSIT
		);
		assert_ok!(Licenses::relinquish(signed(LICENSEE), DATA));
		assert_eq!(Balances::balance_on_hold(&HoldReason::GrantDeposit.into(), &LICENSEE), 0);
		assert_noop!(Licenses::relinquish(signed(LICENSEE), DATA), Error::<Test>::NoGrant);
	});
}

#[test]
fn grants_need_a_licensed_usable_asset() {
	new_test_ext(standard(), || {
		MockAssets::register(MODEL, OWNER);
		assert_noop!(
			Licenses::acquire_license(signed(LICENSEE), MODEL, 0, 1_000),
			Error::<Test>::NotLicensable
		);
		offer(DATA, 0, Policy::Open);
		assert_noop!(
			Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000),
			Error::<Test>::NoGrantNeeded
		);
		assert_ok!(Licenses::set_license(signed(OWNER), DATA, 0, Policy::Licensed));
		MockAssets::make_unusable(DATA);
		assert_noop!(
			Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000),
			Error::<Test>::AssetUnusable
		);
	});
}

#[test]
fn the_derivative_check_follows_the_terms() {
	new_test_ext(standard(), || {
		let nd = AssetRef::Dataset(2);
		let sa_nc = AssetRef::Dataset(1);
		offer(DATA, 0, Policy::Licensed);
		offer(sa_nc, 1, Policy::Open);
		offer(nd, 2, Policy::Open);
		MockAssets::register(MODEL, OWNER);

		// No terms: anyone may derive.
		assert_eq!(Licenses::check_derivative(&LICENSEE, &[MODEL], true), Ok(None));
		// Licensed: a grant first; the owner needs none.
		assert_eq!(
			Licenses::check_derivative(&LICENSEE, &[DATA], false),
			Err(Error::<Test>::NoLiveGrant.into())
		);
		assert_eq!(Licenses::check_derivative(&OWNER, &[DATA, nd], true), Ok(None));
		// No derivatives.
		assert_eq!(
			Licenses::check_derivative(&LICENSEE, &[nd], false),
			Err(Error::<Test>::DerivativesNotAllowed.into())
		);
		// Non-commercial share-alike: fine for a non-commercial derivative, which inherits it.
		assert_eq!(
			Licenses::check_derivative(&LICENSEE, &[sa_nc], true),
			Err(Error::<Test>::NotForCommercialUse.into())
		);
		assert_eq!(Licenses::check_derivative(&LICENSEE, &[sa_nc, MODEL], false), Ok(Some(1)));
		let derived = AssetRef::Dataset(9);
		Licenses::inherit_terms(derived, 1);
		assert_eq!(
			AssetLicenses::<Test>::get(derived),
			Some(AssetLicense { terms: 1, policy: Policy::Licensed })
		);
		// Two different share-alike terms cannot be mixed.
		let sa = AssetRef::Dataset(3);
		offer(sa, 3, Policy::Open);
		assert_eq!(
			Licenses::check_derivative(&LICENSEE, &[sa_nc, sa], false),
			Err(Error::<Test>::ConflictingShareAlike.into())
		);
	});
}

#[test]
fn a_grant_keeps_the_terms_it_was_bought_under() {
	new_test_ext(standard(), || {
		offer(DATA, 0, Policy::Licensed);
		assert_ok!(Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000));
		assert_ok!(Licenses::set_license(signed(OWNER), DATA, 2, Policy::Licensed));
		assert_eq!(Licenses::check_derivative(&LICENSEE, &[DATA], true), Ok(None));
		assert_eq!(
			Licenses::check_derivative(&3, &[DATA], true),
			Err(Error::<Test>::NoLiveGrant.into())
		);
	});
}

// --- attacks ---

/// A share-alike derivative was offered under CC0 right after it registered, and a third
/// party then built a commercial derivative of it with no share-alike terms.
#[test]
fn inherited_share_alike_terms_cannot_be_shed() {
	new_test_ext(standard(), || {
		offer(DATA, 3, Policy::Open);
		MockAssets::register(MODEL, LICENSEE);
		assert_eq!(Licenses::check_derivative(&LICENSEE, &[DATA], true), Ok(Some(3)));
		Licenses::inherit_terms(MODEL, 3);
		assert_noop!(
			Licenses::set_license(signed(LICENSEE), MODEL, 0, Policy::Open),
			Error::<Test>::ShareAlikeInherited
		);
	});
}

/// The buyer signed for a 1,000 fee; the owner, seeing it in the mempool, swapped in terms with
/// a higher fee first, and the buyer was charged that.
#[test]
fn a_licence_purchase_cannot_be_repriced_in_flight() {
	new_test_ext(standard(), || {
		offer(DATA, 0, Policy::Licensed);
		let mut dear = spec(Derivatives::Allowed, true);
		dear.fee = 1_000_000;
		assert_ok!(Licenses::create_terms(signed(OWNER), dear, b"ipfs://dear".to_vec()));
		assert_ok!(Licenses::set_license(signed(OWNER), DATA, 4, Policy::Licensed));
		assert_noop!(
			Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000),
			Error::<Test>::TermsChanged
		);
		assert_noop!(
			Licenses::acquire_license(signed(LICENSEE), DATA, 4, 1_000),
			Error::<Test>::FeeAboveLimit
		);
	});
}

/// The royalty a derivative owes is that of the terms its maker bought, not whatever the
/// owner offers the asset under later.
#[test]
fn a_stack_uses_the_terms_of_the_grant() {
	new_test_ext(standard(), || {
		offer(DATA, 0, Policy::Licensed);
		assert_ok!(Licenses::acquire_license(signed(LICENSEE), DATA, 0, 1_000));
		let mut greedy = spec(Derivatives::Allowed, true);
		greedy.upstream_royalty_bps = 5_000;
		assert_ok!(Licenses::create_terms(signed(OWNER), greedy, b"ipfs://greedy".to_vec()));
		assert_ok!(Licenses::set_license(signed(OWNER), DATA, 4, Policy::Licensed));
		assert_eq!(Licenses::upstream_royalty_bps(DATA, &LICENSEE), 500);
		assert_eq!(Licenses::upstream_royalty_bps(DATA, &OWNER), 5_000);
	});
}
