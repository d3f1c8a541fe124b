//! `register_batch`: the shards of one upload of human data, each a dataset with its own
//! record, deposit and event, anchored all or none.

use super::*;
use crate::ShardInput;
use frame_support::BoundedVec;

fn shard(n: u8) -> ShardInput {
	ShardInput {
		root: root(n),
		record_count: u64::from(n) + 1,
		byte_size: 1_000,
		uri: URI.to_vec(),
		metadata_hash: [n; 32],
	}
}

fn batch(who: u64, shards: Vec<ShardInput>) -> DispatchResultLike {
	let shards: BoundedVec<_, _> = shards.try_into().expect("within MaxBatchShards");
	Datasets::register_batch(RuntimeOrigin::signed(who), shards, true)
}

fn registered_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Datasets(e @ Event::DatasetRegistered { .. }) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn each_shard_is_a_dataset_with_its_own_deposit_and_event() {
	new_test_ext(|| {
		human(BOB, 1);
		System::reset_events();
		let first = NextDatasetId::<Test>::get();
		assert_ok!(batch(ALICE, vec![shard(10), shard(11), shard(12)]));

		assert_eq!(NextDatasetId::<Test>::get(), first + 3);
		let mut held = 0;
		let events = registered_events();
		assert_eq!(events.len(), 3);
		for (offset, n) in [10u8, 11, 12].into_iter().enumerate() {
			let id = first + offset as u64;
			let dataset = Records::<Test>::get(id).expect("a record per shard");
			assert_eq!(
				(dataset.owner, dataset.root, dataset.record_count),
				(ALICE, root(n), u64::from(n) + 1)
			);
			assert_eq!((dataset.origin.clone(), dataset.commercial), (DatasetOrigin::Human, true));
			assert_eq!(dataset.deposit, Datasets::deposit_for(&dataset));
			assert_eq!(RootAnchors::<Test>::get(root(n), ALICE), Some(id));
			held += dataset.deposit;
			assert_eq!(
				events[offset],
				Event::DatasetRegistered {
					id,
					owner: ALICE,
					root: root(n),
					record_count: u64::from(n) + 1,
					byte_size: 1_000,
					uri: URI.to_vec().try_into().unwrap(),
					metadata_hash: [n; 32],
					origin: DatasetOrigin::Human,
					commercial: true,
					previous_version: None,
					deposit: dataset.deposit,
				}
			);
		}
		assert_eq!(Balances::balance_on_hold(&HoldReason::DatasetDeposit.into(), &ALICE), held);
		let shards: Vec<_> = (first..first + 3).map(AssetRef::Dataset).collect();
		assert_eq!(MockLicenses::registered_assets()[1..], shards[..]);
		MockLicenses::with(|l| {
			assert!(l.inherited.is_empty());
			assert!(l.registered[1..].iter().all(|told| told.registrant == ALICE
				&& told.inputs.is_empty()
				&& told.previous_version.is_none()));
		});
	});
}

#[test]
fn a_bad_shard_fails_the_whole_batch() {
	new_test_ext(|| {
		human(ALICE, 1);
		let with = |change: fn(&mut ShardInput)| {
			let mut bad = shard(12);
			change(&mut bad);
			vec![shard(10), shard(11), bad]
		};
		assert_noop!(batch(ALICE, vec![]), Error::<Test>::EmptyBatch);
		assert_noop!(batch(ALICE, with(|s| s.root = root(10))), Error::<Test>::RootAlreadyAnchored);
		assert_noop!(batch(ALICE, with(|s| s.root = root(1))), Error::<Test>::RootAlreadyAnchored);
		assert_noop!(
			batch(ALICE, with(|s| s.uri = b"ftp://example.org/x".to_vec())),
			Error::<Test>::UnsupportedUriScheme
		);
		assert_noop!(batch(ALICE, with(|s| s.uri = vec![b'h'; 65])), Error::<Test>::UriTooLong);
		assert_noop!(batch(ALICE, with(|s| s.record_count = 0)), Error::<Test>::ZeroRecords);
		// POOR cannot pay the deposits: none is anchored.
		assert_noop!(
			batch(POOR, vec![shard(10), shard(11), shard(12)]),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
		MockLicenses::with(|l| l.refuse_registration = true);
		assert_noop!(batch(ALICE, vec![shard(10)]), DispatchError::Other("StackTooHigh"));
	});
}

/// A root anchored by another account (a front-runner copying the lab's manifest) does not
/// keep the lab's batch from anchoring it.
#[test]
fn a_front_runner_cannot_block_a_batch() {
	new_test_ext(|| {
		assert_ok!(register(BOB, root(11), DatasetOrigin::Human));
		assert_ok!(batch(ALICE, vec![shard(10), shard(11)]));
		assert!(RootAnchors::<Test>::get(root(11), ALICE).is_some());
		assert_eq!(
			Datasets::first_anchor_of(root(11)).map(|(id, _)| id),
			RootAnchors::<Test>::get(root(11), BOB)
		);
	});
}
