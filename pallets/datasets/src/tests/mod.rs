//! Tests of the datasets pallet: every call, every named error, record proofs.

use crate::{mock::*, pallet::*, DatasetOrigin, DatasetStatus, OriginInput, RevocationReason};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use provenance_primitives::{
	api::RecordProofError,
	merkle::{self, Hash, NativeSha256},
	AssetRef,
};
use sp_runtime::{DispatchError, TokenError};

mod batch;
mod consent;

const URI: &[u8] = b"hf://datasets/lab/corpus";

fn root(n: u8) -> Hash {
	[n; 32]
}

fn register(who: u64, root: Hash, origin: OriginInput) -> DispatchResultLike {
	Datasets::register(
		RuntimeOrigin::signed(who),
		root,
		10,
		1_000,
		URI.to_vec(),
		[7; 32],
		origin,
		false,
		None,
	)
}

type DispatchResultLike = frame_support::dispatch::DispatchResult;

fn human(who: u64, n: u8) -> u64 {
	let id = NextDatasetId::<Test>::get();
	assert_ok!(register(who, root(n), DatasetOrigin::Human));
	id
}

fn derived(parents: Vec<u64>) -> OriginInput {
	DatasetOrigin::Derived { parents, transform_hash: [9; 32] }
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::Datasets(e) = r.event { Some(e) } else { None })
		.expect("a datasets event")
}

#[test]
fn register_anchors_the_root_and_holds_a_deposit() {
	new_test_ext(|| {
		assert_ok!(register(ALICE, root(1), DatasetOrigin::Human));
		let dataset = Records::<Test>::get(0).unwrap();
		assert_eq!(dataset.owner, ALICE);
		assert_eq!(dataset.record_count, 10);
		assert_eq!(dataset.status, DatasetStatus::Active);
		assert_eq!(Datasets::first_anchor_of(root(1)), Some((0, dataset.clone())));
		assert_eq!(NextDatasetId::<Test>::get(), 1);
		let expected_deposit = Datasets::deposit_for(&dataset);
		assert!(expected_deposit > 100, "base plus bytes");
		assert_eq!(dataset.deposit, expected_deposit);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::DatasetDeposit.into(), &ALICE),
			expected_deposit
		);
		assert_eq!(
			last_event(),
			Event::DatasetRegistered {
				id: 0,
				owner: ALICE,
				root: root(1),
				record_count: 10,
				byte_size: 1_000,
				uri: URI.to_vec().try_into().unwrap(),
				metadata_hash: [7; 32],
				origin: DatasetOrigin::Human,
				commercial: false,
				previous_version: None,
				deposit: expected_deposit,
			}
		);
	});
}

#[test]
fn a_longer_uri_costs_a_larger_deposit() {
	new_test_ext(|| {
		human(ALICE, 1);
		let long_uri = [URI, &[b'x'; 30]].concat();
		assert_ok!(Datasets::register(
			RuntimeOrigin::signed(ALICE),
			root(2),
			10,
			1_000,
			long_uri,
			[7; 32],
			DatasetOrigin::Human,
			false,
			None
		));
		let (short, long) =
			(Records::<Test>::get(0).unwrap().deposit, Records::<Test>::get(1).unwrap().deposit);
		assert_eq!(long - short, 30);
	});
}

#[test]
fn bad_registrations_get_named_errors_and_change_nothing() {
	new_test_ext(|| {
		let parent = human(ALICE, 1);
		let call = |uri: &[u8], records: u64, r: Hash, origin: OriginInput| {
			Datasets::register(
				RuntimeOrigin::signed(ALICE),
				r,
				records,
				1,
				uri.to_vec(),
				[0; 32],
				origin,
				false,
				None,
			)
		};
		assert_noop!(
			call(&[b'h'; 65], 1, root(2), DatasetOrigin::Human),
			Error::<Test>::UriTooLong
		);
		assert_noop!(
			call(b"ftp://example.org/x", 1, root(2), DatasetOrigin::Human),
			Error::<Test>::UnsupportedUriScheme
		);
		assert_noop!(
			call(b"https://", 1, root(2), DatasetOrigin::Human),
			Error::<Test>::UnsupportedUriScheme
		);
		assert_noop!(call(URI, 0, root(2), DatasetOrigin::Human), Error::<Test>::ZeroRecords);
		assert_noop!(
			call(URI, 1, root(1), DatasetOrigin::Human),
			Error::<Test>::RootAlreadyAnchored
		);
		assert_noop!(call(URI, 1, root(2), derived(vec![])), Error::<Test>::NoParents);
		assert_noop!(
			call(URI, 1, root(2), derived(vec![parent; 5])),
			Error::<Test>::TooManyParents
		);
		assert_noop!(
			call(URI, 1, root(2), derived(vec![parent, parent])),
			Error::<Test>::DuplicateParent
		);
		assert_noop!(
			call(URI, 1, root(2), derived(vec![parent, 42])),
			Error::<Test>::UnknownParent
		);
		let synthetic = |generator| DatasetOrigin::Synthetic {
			generator,
			params_hash: [1; 32],
			policy_hash: [2; 32],
		};
		assert_noop!(call(URI, 1, root(2), synthetic(5)), Error::<Test>::UnknownGenerator);
		MockCheckpoints::add(5);
		MockCheckpoints::taint(AssetRef::Checkpoint(5));
		assert_noop!(call(URI, 1, root(2), synthetic(5)), Error::<Test>::GeneratorTainted);
		MockCheckpoints::taint(AssetRef::Dataset(parent));
		assert_noop!(call(URI, 1, root(2), derived(vec![parent])), Error::<Test>::ParentTainted);
		assert_noop!(
			Datasets::register(
				RuntimeOrigin::signed(POOR),
				root(3),
				1,
				1,
				URI.to_vec(),
				[0; 32],
				DatasetOrigin::Human,
				false,
				None
			),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
	});
}

#[test]
fn a_revoked_parent_takes_no_derivative() {
	new_test_ext(|| {
		let parent = human(ALICE, 1);
		assert_ok!(Datasets::revoke(
			RuntimeOrigin::signed(ALICE),
			parent,
			RevocationReason::Defective
		));
		assert_noop!(register(BOB, root(2), derived(vec![parent])), Error::<Test>::ParentRevoked);
	});
}

#[test]
fn origins_are_indexed_in_reverse() {
	new_test_ext(|| {
		let a = human(ALICE, 1);
		let b = human(BOB, 2);
		MockCheckpoints::add(3);
		assert_ok!(register(BOB, root(3), derived(vec![a, b])));
		assert_ok!(register(
			ALICE,
			root(4),
			DatasetOrigin::Synthetic { generator: 3, params_hash: [1; 32], policy_hash: [2; 32] }
		));
		use provenance_primitives::traits::DatasetInspect;
		assert_eq!(Datasets::derived_children(a, None, 10), vec![2]);
		assert_eq!(Datasets::derived_children(b, None, 10), vec![2]);
		assert_eq!(Datasets::generated_by(3, None, 10), vec![3]);
		// Paging: after the only child there is nothing.
		assert_eq!(Datasets::derived_children(a, Some(2), 10), Vec::<u64>::new());
	});
}

#[test]
fn a_datasets_lineage_is_its_summarys_owner_origin_and_predecessor() {
	new_test_ext(|| {
		use provenance_primitives::traits::{DatasetInspect, DatasetLineage, OriginSummary};
		let a = human(ALICE, 1);
		let b = human(BOB, 2);
		MockCheckpoints::add(3);
		assert_ok!(register(BOB, root(3), derived(vec![a, b])));
		assert_ok!(register(
			ALICE,
			root(4),
			DatasetOrigin::Synthetic { generator: 3, params_hash: [1; 32], policy_hash: [2; 32] }
		));
		assert_ok!(Datasets::register_version(
			RuntimeOrigin::signed(ALICE),
			a,
			root(5),
			10,
			1,
			URI.to_vec(),
			[0; 32],
			DatasetOrigin::Human,
			false,
			None,
		));
		let expected = [
			(a, ALICE, OriginSummary::Human, None),
			(2, BOB, OriginSummary::Derived { parents: vec![a, b] }, None),
			(3, ALICE, OriginSummary::Synthetic { generator: 3 }, None),
			(4, ALICE, OriginSummary::Human, Some(a)),
		];
		for (id, owner, origin, previous_version) in expected {
			let lineage = Datasets::lineage(id).expect("registered");
			assert_eq!(lineage, DatasetLineage { owner, origin, previous_version });
			let summary = Datasets::dataset(id).expect("registered");
			assert_eq!(
				(summary.owner, summary.origin, summary.previous_version),
				(lineage.owner, lineage.origin, lineage.previous_version)
			);
		}
		// A revoked dataset keeps its lineage; an unknown one has none.
		assert_ok!(Datasets::revoke(RuntimeOrigin::signed(ALICE), a, RevocationReason::Defective));
		assert_eq!(Datasets::lineage(a).map(|l| l.owner), Some(ALICE));
		assert_eq!(Datasets::lineage(99), None);
	});
}

/// A synthetic dataset was weighed as a human one, with no inputs, though its generator is
/// checked as a parent is (its record, taint, licence and royalty stack read, a reverse-index
/// entry written): registrations of synthetic data were charged less than they cost.
#[test]
fn a_synthetic_registration_is_weighed_with_its_generator() {
	use crate::weights::WeightInfo;
	use frame_support::dispatch::GetDispatchInfo;
	let synthetic =
		DatasetOrigin::Synthetic { generator: 3, params_hash: [1; 32], policy_hash: [2; 32] };
	let uri = URI.to_vec();
	let u = uri.len() as u32;
	let register = |data_origin: OriginInput| {
		crate::Call::<Test>::register {
			root: root(1),
			record_count: 10,
			byte_size: 1,
			uri: uri.clone(),
			metadata_hash: [0; 32],
			data_origin,
			commercial: false,
			max_stack_bps: None,
		}
		.get_dispatch_info()
		.call_weight
	};
	let version = |data_origin: OriginInput| {
		crate::Call::<Test>::register_version {
			previous: 0,
			root: root(1),
			record_count: 10,
			byte_size: 1,
			uri: uri.clone(),
			metadata_hash: [0; 32],
			data_origin,
			commercial: false,
			max_stack_bps: None,
		}
		.get_dispatch_info()
		.call_weight
	};
	assert!(<() as WeightInfo>::register(1, u).all_gt(<() as WeightInfo>::register(0, u)));
	assert_eq!(register(synthetic.clone()), <() as WeightInfo>::register(1, u));
	assert_eq!(register(derived(vec![0])), <() as WeightInfo>::register(1, u));
	assert_eq!(register(DatasetOrigin::Human), <() as WeightInfo>::register(0, u));
	assert_eq!(version(synthetic), <() as WeightInfo>::register_version(1, u));
	assert_eq!(version(DatasetOrigin::Human), <() as WeightInfo>::register_version(0, u));
}

#[test]
fn pages_of_children_cover_every_child_once() {
	new_test_ext(|| {
		let parent = human(ALICE, 1);
		for n in 0..7 {
			assert_ok!(register(ALICE, root(10 + n), derived(vec![parent])));
		}
		use provenance_primitives::traits::DatasetInspect;
		let mut seen = Vec::new();
		let mut after = None;
		loop {
			let page = Datasets::derived_children(parent, after, 3);
			seen.extend(page.iter().copied());
			if page.len() < 3 {
				break;
			}
			after = page.last().copied();
		}
		seen.sort();
		assert_eq!(seen, (1..=7).collect::<Vec<_>>());
	});
}

#[test]
fn versions_need_the_owner_and_link_back() {
	new_test_ext(|| {
		let v1 = human(ALICE, 1);
		let version = |who, previous| {
			Datasets::register_version(
				RuntimeOrigin::signed(who),
				previous,
				root(2),
				10,
				1,
				URI.to_vec(),
				[0; 32],
				DatasetOrigin::Human,
				false,
				None,
			)
		};
		assert_noop!(version(BOB, v1), Error::<Test>::NotOwner);
		assert_noop!(version(ALICE, 9), Error::<Test>::NotFound);
		assert_ok!(version(ALICE, v1));
		assert_eq!(Records::<Test>::get(1).unwrap().previous_version, Some(v1));
		assert!(NewerVersions::<Test>::contains_key(v1, 1));
	});
}

#[test]
fn ownership_moves_but_the_deposit_stays_with_the_depositor() {
	new_test_ext(|| {
		let id = human(ALICE, 1);
		assert_noop!(
			Datasets::transfer_ownership(RuntimeOrigin::signed(BOB), id, BOB),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Datasets::transfer_ownership(RuntimeOrigin::signed(ALICE), id, ALICE),
			Error::<Test>::AlreadyOwner
		);
		assert_noop!(
			Datasets::transfer_ownership(RuntimeOrigin::signed(ALICE), 7, BOB),
			Error::<Test>::NotFound
		);
		assert_ok!(Datasets::transfer_ownership(RuntimeOrigin::signed(ALICE), id, BOB));
		let dataset = Records::<Test>::get(id).unwrap();
		assert_eq!((dataset.owner, dataset.depositor), (BOB, ALICE));
		assert_eq!(last_event(), Event::OwnershipTransferred { id, from: ALICE, to: BOB });
		// The new owner acts on it; the old one no longer can.
		assert_noop!(
			Datasets::revoke(RuntimeOrigin::signed(ALICE), id, RevocationReason::Other),
			Error::<Test>::NotOwner
		);
		assert_ok!(Datasets::revoke(RuntimeOrigin::signed(BOB), id, RevocationReason::Other));
	});
}

#[test]
fn revocation_by_owner_or_force_once() {
	new_test_ext(|| {
		let a = human(ALICE, 1);
		let b = human(ALICE, 2);
		assert_noop!(
			Datasets::revoke(RuntimeOrigin::signed(BOB), a, RevocationReason::ConsentWithdrawn),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Datasets::force_revoke(RuntimeOrigin::signed(BOB), a, RevocationReason::LegalTakedown),
			DispatchError::BadOrigin
		);
		System::set_block_number(5);
		assert_ok!(Datasets::revoke(
			RuntimeOrigin::signed(ALICE),
			a,
			RevocationReason::ConsentWithdrawn
		));
		assert_eq!(
			Records::<Test>::get(a).unwrap().status,
			DatasetStatus::Revoked { at: 5, reason: RevocationReason::ConsentWithdrawn }
		);
		assert_eq!(
			last_event(),
			Event::DatasetRevoked {
				id: a,
				reason: RevocationReason::ConsentWithdrawn,
				forced: false
			}
		);
		assert_noop!(
			Datasets::revoke(RuntimeOrigin::signed(ALICE), a, RevocationReason::Other),
			Error::<Test>::AlreadyRevoked
		);
		assert_ok!(Datasets::force_revoke(
			RuntimeOrigin::root(),
			b,
			RevocationReason::LegalTakedown
		));
		assert_eq!(
			last_event(),
			Event::DatasetRevoked { id: b, reason: RevocationReason::LegalTakedown, forced: true }
		);
		assert_noop!(
			Datasets::force_revoke(RuntimeOrigin::root(), b, RevocationReason::LegalTakedown),
			Error::<Test>::AlreadyRevoked
		);
		assert_noop!(
			Datasets::force_revoke(RuntimeOrigin::root(), 9, RevocationReason::LegalTakedown),
			Error::<Test>::NotFound
		);
		assert_eq!(RecordRevocations::reported(), vec![a, b]);
		// The deposit stays held: the record stays.
		assert!(Balances::balance_on_hold(&HoldReason::DatasetDeposit.into(), &ALICE) > 0);
	});
}

/// A tree of `n` records and its leaf hashes.
fn records(n: u64) -> Vec<Hash> {
	(0..n)
		.map(|i| merkle::leaf_hash::<NativeSha256>(format!("{{\"row\":{i}}}").as_bytes()))
		.collect()
}

#[test]
fn revocation_sets_only_grow_and_are_checked() {
	new_test_ext(|| {
		let id = human(ALICE, 1);
		let leaves = records(10);
		let set_root = |count: usize| merkle::root::<NativeSha256>(&leaves[..count]);
		let proof = |old: u64, count: usize| {
			merkle::consistency_proof::<NativeSha256>(&leaves[..count], old).unwrap_or_default()
		};
		let set = |who, count: usize, proof: Vec<Hash>| {
			Datasets::publish_revocation_set(
				RuntimeOrigin::signed(who),
				id,
				set_root(count),
				count as u64,
				proof,
			)
		};
		assert_noop!(set(BOB, 2, vec![]), Error::<Test>::NotOwner);
		assert_noop!(
			Datasets::publish_revocation_set(RuntimeOrigin::signed(ALICE), id, [0; 32], 0, vec![]),
			Error::<Test>::ZeroRevokedRecords
		);
		assert_noop!(
			Datasets::publish_revocation_set(RuntimeOrigin::signed(ALICE), id, [0; 32], 11, vec![]),
			Error::<Test>::TooManyRevokedRecords
		);
		assert_noop!(set(ALICE, 2, vec![[0; 32]; 65]), Error::<Test>::ProofTooLong);
		System::set_block_number(3);
		assert_ok!(set(ALICE, 3, vec![]));
		let published = Records::<Test>::get(id).unwrap().revocation_set.unwrap();
		assert_eq!((published.count, published.published_at), (3, 3));
		assert_noop!(set(ALICE, 2, vec![]), Error::<Test>::RevocationSetShrinks);
		assert_noop!(set(ALICE, 3, vec![]), Error::<Test>::RevocationSetUnchanged);
		assert_noop!(set(ALICE, 4, vec![]), Error::<Test>::NotAnExtension);
		assert_ok!(set(ALICE, 4, proof(3, 4)));
		assert_eq!(last_event(), Event::RevocationSetPublished { id, root: set_root(4), count: 4 });
		assert_ok!(set(ALICE, 7, proof(4, 7)));
		assert_eq!(RecordRevocations::reported(), vec![id, id, id]);
		assert_ok!(Datasets::revoke(RuntimeOrigin::signed(ALICE), id, RevocationReason::Other));
		assert_noop!(set(ALICE, 8, proof(7, 8)), Error::<Test>::AlreadyRevoked);
	});
}

#[test]
fn record_proofs_against_the_root_and_the_revocation_set() {
	new_test_ext(|| {
		let leaves = records(10);
		let tree_root = merkle::root::<NativeSha256>(&leaves);
		assert_ok!(Datasets::register(
			RuntimeOrigin::signed(ALICE),
			tree_root,
			10,
			1,
			URI.to_vec(),
			[0; 32],
			DatasetOrigin::Human,
			false,
			None
		));
		let proof = merkle::inclusion_proof::<NativeSha256>(&leaves, 3).unwrap();
		assert_eq!(Datasets::verify_record(0, &leaves[3], 3, &proof), Ok(()));
		assert_eq!(
			Datasets::verify_record(0, &leaves[4], 3, &proof),
			Err(RecordProofError::NotIncluded)
		);
		assert_eq!(
			Datasets::verify_record(0, &leaves[3], 3, &proof[1..]),
			Err(RecordProofError::MalformedProof)
		);
		assert_eq!(
			Datasets::verify_record(0, &leaves[3], 10, &proof),
			Err(RecordProofError::IndexOutOfRange)
		);
		assert_eq!(
			Datasets::verify_record(1, &leaves[3], 3, &proof),
			Err(RecordProofError::UnknownDataset)
		);
		assert_eq!(
			Datasets::verify_revoked_record(0, &leaves[3], 0, &[]),
			Err(RecordProofError::NoRevocationSet)
		);

		// Records 2 and 7 are revoked: the set is the tree over their leaves.
		let revoked = vec![leaves[2], leaves[7]];
		let set_root = merkle::root::<NativeSha256>(&revoked);
		assert_ok!(Datasets::publish_revocation_set(
			RuntimeOrigin::signed(ALICE),
			0,
			set_root,
			2,
			vec![]
		));
		let proof = merkle::inclusion_proof::<NativeSha256>(&revoked, 1).unwrap();
		assert_eq!(Datasets::verify_revoked_record(0, &leaves[7], 1, &proof), Ok(()));
		assert_eq!(
			Datasets::verify_revoked_record(0, &leaves[3], 1, &proof),
			Err(RecordProofError::NotIncluded)
		);
	});
}

#[test]
fn derivatives_need_their_inputs_licenses_and_take_on_share_alike_terms() {
	new_test_ext(|| {
		let free = human(ALICE, 1);
		let non_commercial = human(ALICE, 2);
		let share_alike = human(ALICE, 3);
		MockLicenses::with(|l| {
			l.non_commercial.insert(AssetRef::Dataset(non_commercial));
			l.share_alike.insert(AssetRef::Dataset(share_alike), 7);
		});
		let derived =
			|parents: Vec<u64>| DatasetOrigin::Derived { parents, transform_hash: [1; 32] };
		let register_as = |n: u8, parents: Vec<u64>, commercial: bool| {
			Datasets::register(
				RuntimeOrigin::signed(BOB),
				root(n),
				10,
				1_000,
				URI.to_vec(),
				[7; 32],
				derived(parents),
				commercial,
				None,
			)
		};
		assert_noop!(
			register_as(10, vec![free, non_commercial], true),
			DispatchError::Other("NotCommercial")
		);
		let id = NextDatasetId::<Test>::get();
		assert_ok!(register_as(10, vec![free, non_commercial], false));
		assert!(!Records::<Test>::get(id).unwrap().commercial);
		assert_ok!(register_as(11, vec![free, share_alike], true));
		assert!(Records::<Test>::get(id + 1).unwrap().commercial);
		MockLicenses::with(|l| {
			assert_eq!(l.inherited, vec![(AssetRef::Dataset(id + 1), 7)]);
			let every_dataset: Vec<_> = (0..=id + 1).map(AssetRef::Dataset).collect();
			assert_eq!(l.registered, every_dataset);
		});
	});
}

#[test]
fn a_registration_the_royalties_refuse_changes_nothing() {
	new_test_ext(|| {
		MockLicenses::with(|l| l.refuse_registration = true);
		assert_noop!(
			register(ALICE, root(1), DatasetOrigin::Human),
			DispatchError::Other("StackTooHigh")
		);
	});
}

// --- attacks ---

/// Only the count of a revocation set had to grow: {X, Y} then {Y, Z} was accepted, and X no
/// longer proved revoked.
#[test]
fn a_revocation_set_cannot_be_rewritten_to_unrevoke_records() {
	new_test_ext(|| {
		let leaves = records(10);
		let id = human(ALICE, 1);
		let publish = |set: &[Hash], proof: Vec<Hash>| {
			Datasets::publish_revocation_set(
				RuntimeOrigin::signed(ALICE),
				id,
				merkle::root::<NativeSha256>(set),
				set.len() as u64,
				proof,
			)
		};
		assert_ok!(publish(&[leaves[0], leaves[1]], vec![]));
		// {Y, Z}: as many records, another root.
		assert_noop!(publish(&[leaves[1], leaves[2]], vec![]), Error::<Test>::NotAnExtension);
		// {Y, Z, W}: more records, but X is gone; its own consistency proof shows another
		// first two leaves.
		let rewritten = [leaves[1], leaves[2], leaves[3]];
		let proof = merkle::consistency_proof::<NativeSha256>(&rewritten, 2).unwrap();
		assert_noop!(publish(&rewritten, proof), Error::<Test>::NotAnExtension);
		// {X, Y, W} extends {X, Y}: X still proves revoked.
		let grown = [leaves[0], leaves[1], leaves[3]];
		let proof = merkle::consistency_proof::<NativeSha256>(&grown, 2).unwrap();
		assert_ok!(publish(&grown, proof));
		let path = merkle::inclusion_proof::<NativeSha256>(&grown, 0).unwrap();
		assert_eq!(Datasets::verify_revoked_record(id, &leaves[0], 0, &path), Ok(()));
	});
}

/// Whoever saw a lab's manifest, or its registration in the mempool, anchored the root first
/// and the lab could not anchor its own data.
#[test]
fn a_front_runner_cannot_take_a_root() {
	new_test_ext(|| {
		assert_ok!(register(BOB, root(1), DatasetOrigin::Human));
		assert_ok!(register(ALICE, root(1), DatasetOrigin::Human));
		// Both anchors stay, each its owner's; the earliest is the root's first.
		assert_eq!(RootAnchors::<Test>::get(root(1), BOB), Some(0));
		assert_eq!(RootAnchors::<Test>::get(root(1), ALICE), Some(1));
		assert_eq!(Datasets::first_anchor_of(root(1)).map(|(id, _)| id), Some(0));
		// An owner anchors a root once, and cannot be handed a second anchor of it.
		assert_noop!(
			register(ALICE, root(1), DatasetOrigin::Human),
			Error::<Test>::RootAlreadyAnchored
		);
		assert_noop!(
			Datasets::transfer_ownership(RuntimeOrigin::signed(BOB), 0, ALICE),
			Error::<Test>::RootAlreadyAnchored
		);
	});
}

/// A derived dataset's owner re-anchored it as `Human` data through `register_version`,
/// shedding its lineage with its share-alike terms and royalties.
#[test]
fn a_version_keeps_its_predecessors_origin_and_obligations() {
	new_test_ext(|| {
		let parent = human(ALICE, 1);
		assert_ok!(register(ALICE, root(2), derived(vec![parent])));
		let version = |origin: OriginInput| {
			Datasets::register_version(
				RuntimeOrigin::signed(ALICE),
				1,
				root(3),
				10,
				1_000,
				URI.to_vec(),
				[7; 32],
				origin,
				false,
				None,
			)
		};
		assert_noop!(version(DatasetOrigin::Human), Error::<Test>::OriginChanged);
		// The predecessor carries share-alike terms: the version takes them on.
		MockLicenses::with(|l| l.share_alike.insert(AssetRef::Dataset(1), 7));
		assert_ok!(version(derived(vec![parent])));
		assert!(MockLicenses::with(|l| l.inherited.contains(&(AssetRef::Dataset(2), 7))));
	});
}

/// Version 0 kept each root's first anchor in `DatasetByRoot`: the upgrade removes every entry,
/// once, and the first anchor is still found.
#[test]
fn the_upgrade_removes_the_first_anchor_index() {
	new_test_ext(|| {
		use crate::migrations::v1::{MigrateV0ToV1, FIRST_ANCHOR_INDEX};
		use frame_support::{
			storage::migration::{have_storage_value, put_storage_value},
			traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
			Blake2_128Concat, StorageHasher,
		};
		assert_ok!(register(BOB, root(1), DatasetOrigin::Human));
		assert_ok!(register(ALICE, root(1), DatasetOrigin::Human));
		assert_ok!(register(ALICE, root(2), DatasetOrigin::Human));
		let entries = [(root(1), 0u64), (root(2), 2)];
		for (root, id) in entries {
			put_storage_value(b"Datasets", FIRST_ANCHOR_INDEX, &Blake2_128Concat::hash(&root), id);
		}
		StorageVersion::new(0).put::<Datasets>();

		MigrateV0ToV1::<Test>::on_runtime_upgrade();

		for (root, _) in entries {
			let key = Blake2_128Concat::hash(&root);
			assert!(!have_storage_value(b"Datasets", FIRST_ANCHOR_INDEX, &key));
		}
		assert_eq!(Datasets::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Datasets::first_anchor_of(root(1)).map(|(id, _)| id), Some(0));
		assert_eq!(Datasets::first_anchor_of(root(2)).map(|(id, _)| id), Some(2));
		assert_eq!(Datasets::first_anchor_of(root(3)), None);
		// At version 1 it does nothing: an entry put back stays.
		put_storage_value(b"Datasets", FIRST_ANCHOR_INDEX, &Blake2_128Concat::hash(&root(1)), 0u64);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(have_storage_value(
			b"Datasets",
			FIRST_ANCHOR_INDEX,
			&Blake2_128Concat::hash(&root(1))
		));
	});
}

/// Roots anchored in bulk before an upgrade is enacted cannot make its block unbounded: it
/// removes at most `MAX_REMOVED` entries of the old index and leaves the rest, which nothing
/// reads.
#[test]
fn the_upgrade_removes_a_bounded_number_of_first_anchor_entries() {
	use crate::migrations::v1::{MigrateV0ToV1, FIRST_ANCHOR_INDEX, MAX_REMOVED};
	use codec::Encode;
	use frame_support::{
		storage::storage_prefix,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		Blake2_128Concat, StorageHasher,
	};
	use sp_runtime::BuildStorage;
	let prefix = storage_prefix(b"Datasets", FIRST_ANCHOR_INDEX);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	// In the database, as a chain's state is: the removal's bound applies to it.
	for n in 0..MAX_REMOVED + 5 {
		let key = [prefix.as_slice(), &Blake2_128Concat::hash(&n.to_le_bytes())].concat();
		storage.top.insert(key, 0u64.encode());
	}
	sp_io::TestExternalities::new(storage).execute_with(|| {
		StorageVersion::new(0).put::<Datasets>();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let mut left = 0;
		let mut key = prefix.to_vec();
		while let Some(next) = sp_io::storage::next_key(&key).filter(|k| k.starts_with(&prefix)) {
			left += 1;
			key = next;
		}
		assert_eq!(left, 5);
		assert_eq!(Datasets::on_chain_storage_version(), StorageVersion::new(1));
	});
}
