//! Tests of the validator-set pallet: root adds and removes validators, each change is
//! enacted two blocks later through the session pallet, and bad changes get named errors.

use crate::{mock::*, pallet::*};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn register_keys(who: u64) {
	assert_ok!(set_keys(who, who));
}

#[test]
fn the_genesis_validators_author_from_the_start() {
	new_test_ext(|| {
		assert_eq!(enacted(), GENESIS.to_vec());
		assert_eq!(Validators::<Test>::get().into_inner(), GENESIS.to_vec());
	});
}

#[test]
fn an_added_validator_is_enacted_two_blocks_later_without_waiting_for_the_period() {
	new_test_ext(|| {
		register_keys(3);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		System::assert_last_event(Event::ValidatorAdded { who: 3 }.into());
		run_to_block(2);
		assert_eq!(enacted(), vec![1, 2], "queued, not yet enacted");
		assert_eq!(pallet_session::QueuedKeys::<Test>::get().len(), 3);
		run_to_block(3);
		assert_eq!(enacted(), vec![1, 2, 3]);
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![1, 2, 3]);
		// No more forced rotations: the next is the periodic one at block 10.
		let session = pallet_session::CurrentIndex::<Test>::get();
		run_to_block(9);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), session);
		run_to_block(10);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), session + 1);
		assert_eq!(enacted(), vec![1, 2, 3]);
	});
}

#[test]
fn a_removed_validator_stops_two_blocks_later() {
	new_test_ext(|| {
		register_keys(3);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		run_to_block(3);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 1));
		System::assert_last_event(Event::ValidatorRemoved { who: 1 }.into());
		run_to_block(5);
		assert_eq!(enacted(), vec![2, 3]);
	});
}

#[test]
fn bad_changes_get_named_errors_and_change_nothing() {
	new_test_ext(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(1), 3),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 3),
			Error::<Test>::NoSessionKeys
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadyValidator
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 3),
			Error::<Test>::NotValidator
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::TooFewValidators
		);
		for who in [3, 4, 5] {
			register_keys(who);
		}
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn rotated_keys_need_a_proof_and_are_queued_at_the_next_rotation() {
	new_test_ext(|| {
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(1), keys(101), vec![]),
			pallet_session::Error::<Test>::InvalidProof
		);
		assert_ok!(set_keys(1, 101));
		run_to_block(10);
		let key_of_1 = || pallet_session::Pallet::<Test>::load_keys(&1).map(|keys| keys.dummy);
		assert_eq!(key_of_1(), Some(101.into()));
		let active_key = || {
			pallet_session::QueuedKeys::<Test>::get()
				.into_iter()
				.find(|(who, _)| *who == 1)
				.map(|(_, keys)| keys.dummy)
		};
		assert_eq!(active_key(), Some(101.into()), "queued at the first rotation");
	});
}

// --- attacks ---

/// `MinValidators` counted validators, not validators with session keys: with validator 1's
/// keys purged, removing 2 left {1, 3}, of which only 3 can author.
#[test]
fn removal_keeps_enough_validators_with_keys() {
	new_test_ext(|| {
		register_keys(3);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		run_to_block(3);
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(1)));
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::TooFewValidators
		);
	});
}

/// Every validator purges its keys: the session pallet would hand Aura and GRANDPA an empty
/// set at the next rotation and the chain would halt.
#[test]
fn a_rotation_never_hands_over_an_empty_set() {
	new_test_ext(|| {
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(1)));
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(2)));
		run_to_block(30);
		assert_eq!(enacted(), GENESIS.to_vec());
	});
}

/// An offence reported for `offenders` in session 0, as `pallet_offences` hands it over.
fn report_offence(offenders: &[u64]) {
	use sp_staking::offence::{OffenceDetails, OnOffenceHandler};
	let details: Vec<_> = offenders
		.iter()
		.map(|who| OffenceDetails { offender: (*who, ()), reporters: vec![9] })
		.collect();
	let fractions = vec![sp_runtime::Perbill::zero(); offenders.len()];
	<ValidatorSet as OnOffenceHandler<u64, (u64, ()), _>>::on_offence(&details, &fractions, 0);
}

#[test]
fn an_offender_is_removed_unless_too_few_would_stay() {
	new_test_ext(|| {
		register_keys(3);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		run_to_block(3);

		report_offence(&[1]);
		System::assert_last_event(Event::OffenderRemoved { who: 1, session: 0 }.into());
		run_to_block(5);
		assert_eq!(enacted(), vec![2, 3]);

		// A second report of a removed validator changes nothing; one that would leave a
		// single validator (`MinValidators` is 2) keeps the offender and says so.
		report_offence(&[1, 2]);
		System::assert_last_event(Event::OffenderKept { who: 2, session: 0 }.into());
		assert_eq!(Validators::<Test>::get().into_inner(), vec![2, 3]);
		assert_eq!(ForcedRotations::<Test>::get(), 0, "nothing changed, nothing to rotate");
	});
}
