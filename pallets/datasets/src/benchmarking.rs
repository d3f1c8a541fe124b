//! Benchmarks of the datasets pallet's calls, at the bounds of their components.

use super::*;
use crate::pallet::{
	AnswerPeriod, Contributors, DeadlineCursor, Deadlines, NextDatasetId, Pallet as Datasets,
	Records, Withdrawals,
};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use provenance_primitives::{
	merkle::{self, Hash},
	traits::LicenseFactory,
	AssetRef,
};
use sp_runtime::traits::StaticLookup;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	funded_index::<T>(name, 0)
}

/// The signer of a measured call: `whitelisted_caller`, whose account the transaction's nonce
/// check already reads, writes and is charged for in the same extrinsic (as in polkadot-sdk's
/// own benchmarks), so the call's weight does not charge that account again.
fn funded_caller<T: Config>() -> T::AccountId {
	fund::<T>(whitelisted_caller())
}

fn root_of(n: u32) -> Hash {
	let mut root = [0xAB; 32];
	root[..4].copy_from_slice(&n.to_le_bytes());
	root
}

/// A URI of exactly `len` bytes (at least the scheme).
fn uri_of(len: u32) -> Vec<u8> {
	let mut uri = b"https://".to_vec();
	uri.resize((len as usize).max(9), b'a');
	uri
}

/// Registers `n` human datasets owned by `who`, with roots from `first_seed` on, returning
/// their ids.
fn parents<T: Config>(who: &T::AccountId, first_seed: u32, n: u32) -> Vec<u64> {
	(0..n)
		.map(|i| {
			let id = NextDatasetId::<T>::get();
			Datasets::<T>::register(
				RawOrigin::Signed(who.clone()).into(),
				root_of(first_seed + i),
				10,
				10,
				uri_of(16),
				[0; 32],
				DatasetOrigin::Human,
				false,
				None,
			)
			.expect("registers");
			id
		})
		.collect()
}

/// The origin with `p` parents: `Human` for none, `Derived` otherwise, from parents of
/// another owner that license them to `who` (the costliest derivative check).
fn origin_with<T: Config>(who: &T::AccountId, p: u32) -> OriginInput {
	if p == 0 {
		DatasetOrigin::Human
	} else {
		let parents = parents::<T>(&funded::<T>("licensor"), 1_000, p);
		for parent in &parents {
			T::LicenseFactory::license(AssetRef::Dataset(*parent), who);
		}
		DatasetOrigin::Derived { parents, transform_hash: [1; 32] }
	}
}

/// An account of `name` and `index` with plenty to hold deposits.
fn funded_index<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	fund::<T>(account(name, index, 0))
}

/// `who`, with plenty to hold deposits.
fn fund<T: Config>(who: T::AccountId) -> T::AccountId {
	let plenty =
		T::DepositBase::get() * 1_000u32.into() + T::DepositPerByte::get() * 1_000_000u32.into();
	T::Currency::set_balance(&who, plenty);
	who
}

/// A tree of `2^64 - 1` leaves whose first ones (at most 32) are `leaves`: its root and each
/// leaf's audit path of `MAX_AUDIT_PATH_LEN` hashes, the costliest a call checks. The first 32
/// leaves form a complete subtree (built here level by level: the client-side tree builders are
/// not in the runtime); above it, made-up siblings to the right.
fn deep_tree(leaves: &[Hash]) -> (Hash, Vec<Vec<Hash>>) {
	use provenance_primitives::merkle::{node_hash, HostSha256};
	let mut levels = vec![leaves.to_vec()];
	levels[0].resize(32, [0x5A; 32]);
	while levels.last().map_or(0, Vec::len) > 1 {
		let below = levels.last().cloned().unwrap_or_default();
		levels.push(below.chunks(2).map(|p| node_hash::<HostSha256>(&p[0], &p[1])).collect());
	}
	let above: Vec<Hash> = (0..MAX_AUDIT_PATH_LEN - 5).map(|i| [i as u8; 32]).collect();
	let subtree_root = levels.last().and_then(|top| top.first()).copied().unwrap_or_default();
	let tree_root = above.iter().fold(subtree_root, |acc, s| node_hash::<HostSha256>(&acc, s));
	let paths = (0..leaves.len())
		.map(|i| {
			let mut path: Vec<Hash> =
				levels[..5].iter().enumerate().map(|(k, level)| level[(i >> k) ^ 1]).collect();
			path.extend(above.iter().copied());
			path
		})
		.collect();
	(tree_root, paths)
}

/// A dataset of `2^64 - 1` records naming its contributors, and one contributor's proofs for
/// `r` of their records, all at the deepest paths.
struct Consent<T: Config> {
	owner: T::AccountId,
	contributor: T::AccountId,
	dataset: u64,
	membership: ContributorProof<Vec<Hash>>,
	records: Vec<RecordProof<Vec<Hash>>>,
}

impl<T: Config> Consent<T> {
	fn new(r: u32) -> Self {
		let owner = funded::<T>("owner");
		let contributor = funded::<T>("contributor");
		let dataset = parents::<T>(&owner, 2_000, 1)[0];
		Records::<T>::mutate(dataset, |d| {
			if let Some(d) = d {
				d.record_count = u64::MAX;
			}
		});
		let leaves: Vec<Hash> = (0..r)
			.map(|i| {
				let mut leaf = [0xEC; 32];
				leaf[..4].copy_from_slice(&i.to_le_bytes());
				leaf
			})
			.collect();
		let (records_root, paths) = deep_tree(&leaves);
		let (tree_root, mut tree_paths) = deep_tree(&[merkle::contributor_leaf::<
			merkle::HostSha256,
			_,
		>(&contributor, &records_root, u64::MAX)]);
		Datasets::<T>::set_contributor_root(
			RawOrigin::Signed(owner.clone()).into(),
			dataset,
			tree_root,
			u64::MAX,
		)
		.expect("sets the tree");
		let membership = ContributorProof {
			records_root,
			records_count: u64::MAX,
			index: 0,
			path: tree_paths.pop().unwrap_or_default(),
		};
		let records = leaves
			.into_iter()
			.zip(paths)
			.enumerate()
			.map(|(index, (leaf, path))| RecordProof { leaf, index: index as u64, path })
			.collect();
		Self { owner, contributor, dataset, membership, records }
	}

	fn withdraw(&self) {
		Datasets::<T>::withdraw_consent(
			RawOrigin::Signed(self.contributor.clone()).into(),
			self.dataset,
			self.membership.clone(),
			self.records.clone(),
			ConsentReason::Other,
		)
		.expect("withdraws");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Human data, the common anchor: measured on its own, not read off `register`'s fit over
	/// its inputs. At the longest URI, without a component for its length: a URI's bytes cost
	/// a few nanoseconds each, below the drift of a run, and a slope that drift makes negative
	/// is dropped while the intercept fitted with it stays (spec 123's fit charged 102.6 us, a
	/// quarter above its fastest run; four later runs on that host fitted 87-88 us).
	#[benchmark]
	fn register_human() {
		let caller = funded_caller::<T>();
		let id = NextDatasetId::<T>::get();

		#[extrinsic_call]
		register(
			RawOrigin::Signed(caller),
			root_of(1),
			1_000_000,
			1 << 40,
			uri_of(T::MaxUriLen::get()),
			[2; 32],
			DatasetOrigin::Human,
			true,
			Some(u16::MAX),
		);

		assert!(Records::<T>::contains_key(id));
	}

	/// Data made from `p` inputs (a synthetic dataset's generator counts as one).
	#[benchmark]
	fn register(p: Linear<1, { T::MaxParents::get() }>, u: Linear<9, { T::MaxUriLen::get() }>) {
		let caller = funded_caller::<T>();
		let origin = origin_with::<T>(&caller, p);
		let id = NextDatasetId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			root_of(1),
			1_000_000,
			1 << 40,
			uri_of(u),
			[2; 32],
			origin,
			true,
			Some(u16::MAX),
		);

		assert!(Records::<T>::contains_key(id));
	}

	/// `n` shards of human data with the longest URIs.
	#[benchmark]
	fn register_batch(n: Linear<1, { T::MaxBatchShards::get() }>) {
		let caller = funded_caller::<T>();
		let per_shard = T::DepositBase::get() + T::DepositPerByte::get() * 4_096u32.into();
		T::Currency::set_balance(&caller, per_shard * (n + 1).into());
		let shards: Vec<ShardInput> = (0..n)
			.map(|i| ShardInput {
				root: root_of(i),
				record_count: 1_000_000,
				byte_size: 1 << 40,
				uri: uri_of(T::MaxUriLen::get()),
				metadata_hash: [2; 32],
			})
			.collect();
		let shards = BoundedVec::try_from(shards).expect("n is at most MaxBatchShards");
		let first = NextDatasetId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), shards, true);

		assert_eq!(NextDatasetId::<T>::get(), first + u64::from(n));
	}

	#[benchmark]
	fn register_version(
		p: Linear<0, { T::MaxParents::get() }>,
		u: Linear<9, { T::MaxUriLen::get() }>,
	) {
		let caller = funded_caller::<T>();
		let origin = origin_with::<T>(&caller, p);
		// The predecessor has an origin of the same kind, as a version must.
		let previous = NextDatasetId::<T>::get();
		Datasets::<T>::register(
			RawOrigin::Signed(caller.clone()).into(),
			root_of(2_000),
			10,
			10,
			uri_of(16),
			[0; 32],
			origin.clone(),
			true,
			None,
		)
		.expect("registers the predecessor");
		let id = NextDatasetId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			previous,
			root_of(1),
			1_000,
			1_000,
			uri_of(u),
			[2; 32],
			origin,
			true,
			Some(u16::MAX),
		);

		assert_eq!(Records::<T>::get(id).and_then(|d| d.previous_version), Some(previous));
	}

	#[benchmark]
	fn transfer_ownership() {
		let caller = funded_caller::<T>();
		let id = parents::<T>(&caller, 2_000, 1)[0];
		let new_owner: T::AccountId = account("new", 0, 0);
		let lookup = T::Lookup::unlookup(new_owner.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, lookup);

		assert_eq!(Records::<T>::get(id).map(|d| d.owner), Some(new_owner));
	}

	/// A set that extends the last one by a consistency proof of `p` hashes.
	#[benchmark]
	fn publish_revocation_set(p: Linear<0, MAX_CONSISTENCY_PROOF_LEN>) {
		let caller = funded_caller::<T>();
		let id = parents::<T>(&caller, 2_000, 1)[0];
		Records::<T>::mutate(id, |d| {
			if let Some(d) = d {
				d.record_count = u64::MAX;
			}
		});
		// The worst case needs a proof of `p` hashes; the verification hashes them all
		// whether or not they prove anything, so a proof that fails at the end costs as much.
		let (old_count, count) = consistency_sizes(p);
		if old_count > 0 {
			Datasets::<T>::publish_revocation_set(
				RawOrigin::Signed(caller.clone()).into(),
				id,
				[2; 32],
				old_count,
				vec![],
			)
			.expect("the first set needs no proof");
		}
		let (old_root, root, proof) = consistency_example(old_count, count, p);
		if old_count > 0 {
			Records::<T>::mutate(id, |d| {
				if let Some(set) = d.as_mut().and_then(|d| d.revocation_set.as_mut()) {
					set.root = old_root;
				}
			});
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, root, count, proof);

		assert_eq!(
			Records::<T>::get(id).and_then(|d| d.revocation_set).map(|s| s.count),
			Some(count)
		);
	}

	#[benchmark]
	fn revoke() {
		let caller = funded_caller::<T>();
		let id = parents::<T>(&caller, 2_000, 1)[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, RevocationReason::ConsentWithdrawn);

		assert!(!matches!(Records::<T>::get(id).map(|d| d.status), Some(DatasetStatus::Active)));
	}

	#[benchmark]
	fn set_contributor_root() {
		let owner = funded::<T>("owner");
		let id = parents::<T>(&owner, 2_000, 1)[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, [7; 32], u64::MAX);

		assert!(Contributors::<T>::contains_key(id));
	}

	/// A withdrawal of `r` records, each proved by a path of `MAX_AUDIT_PATH_LEN` hashes, as is
	/// the contributor.
	#[benchmark]
	fn withdraw_consent(r: Linear<1, { T::MaxWithdrawnRecords::get() }>) {
		let consent = Consent::<T>::new(r);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(consent.contributor.clone()),
			consent.dataset,
			consent.membership.clone(),
			consent.records.clone(),
			ConsentReason::Other,
		);

		assert!(Withdrawals::<T>::contains_key(0));
	}

	/// A late answer of `r` records (the breach ends), each proved in a revocation set by a path
	/// of `MAX_AUDIT_PATH_LEN` hashes.
	#[benchmark]
	fn answer_withdrawal(r: Linear<1, { T::MaxWithdrawnRecords::get() }>) {
		let consent = Consent::<T>::new(r);
		consent.withdraw();
		let deadline = Withdrawals::<T>::get(0).map(|w| w.deadline).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(deadline);
		Datasets::<T>::sweep_deadlines(deadline);
		// The set of revoked records is the contributor's records tree itself.
		Datasets::<T>::publish_revocation_set(
			RawOrigin::Signed(consent.owner.clone()).into(),
			consent.dataset,
			consent.membership.records_root,
			u64::MAX,
			vec![],
		)
		.expect("the first set needs no proof");
		let proofs: Vec<_> = consent
			.records
			.iter()
			.map(|record| SetMembership { index: record.index, path: record.path.clone() })
			.collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(consent.owner), 0, proofs);

		assert!(matches!(
			Withdrawals::<T>::get(0).map(|w| w.state),
			Some(WithdrawalState::Answered { late: true, .. })
		));
	}

	#[benchmark]
	fn clear_withdrawal(r: Linear<1, { T::MaxWithdrawnRecords::get() }>) {
		let consent = Consent::<T>::new(r);
		consent.withdraw();
		Datasets::<T>::revoke(
			RawOrigin::Signed(consent.owner.clone()).into(),
			consent.dataset,
			RevocationReason::ConsentWithdrawn,
		)
		.expect("revokes");
		Datasets::<T>::answer_withdrawal(RawOrigin::Signed(consent.owner).into(), 0, vec![])
			.expect("a whole revocation answers");

		#[extrinsic_call]
		_(RawOrigin::Signed(consent.contributor), 0);

		assert!(!Withdrawals::<T>::contains_key(0));
	}

	/// `n` withdrawals of `n` datasets due in one block: each puts its dataset in breach.
	#[benchmark]
	fn sweep_deadlines(n: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		let owner = funded::<T>("owner");
		let datasets = parents::<T>(&owner, 3_000, n);
		for (i, id) in datasets.iter().enumerate() {
			let contributor = funded_index::<T>("contributor", i as u32);
			let record = [0xEC; 32];
			Datasets::<T>::set_contributor_root(
				RawOrigin::Signed(owner.clone()).into(),
				*id,
				merkle::contributor_leaf::<merkle::HostSha256, _>(&contributor, &record, 1),
				1,
			)
			.expect("sets the tree");
			Datasets::<T>::withdraw_consent(
				RawOrigin::Signed(contributor).into(),
				*id,
				ContributorProof { records_root: record, records_count: 1, index: 0, path: vec![] },
				vec![RecordProof { leaf: record, index: 0, path: vec![] }],
				ConsentReason::Other,
			)
			.expect("withdraws");
		}
		let deadline = frame_system::Pallet::<T>::block_number() + AnswerPeriod::<T>::get();
		frame_system::Pallet::<T>::set_block_number(deadline);
		DeadlineCursor::<T>::put(deadline);

		#[block]
		{
			Datasets::<T>::sweep_deadlines(deadline);
		}

		assert_eq!(Deadlines::<T>::iter().count(), 0);
	}

	#[benchmark]
	fn set_answer_period() -> Result<(), BenchmarkError> {
		let origin =
			T::ParametersOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 100u32.into());

		assert_eq!(AnswerPeriod::<T>::get(), 100u32.into());
		Ok(())
	}

	/// Tree sizes whose consistency proof has exactly `p` hashes: none for a first set; from 1
	/// leaf to 2^p (one hash per level); 64 from 2^62 + 1 leaves to 2^63.
	fn consistency_sizes(p: u32) -> (u64, u64) {
		match p {
			0 => (0, 5),
			1..=63 => (1, 1u64 << p),
			_ => ((1u64 << 62) + 1, 1u64 << 63),
		}
	}

	/// A consistency proof of `p` made-up hashes from a tree of `old_count` leaves to one of
	/// `count`, with the old and new roots it proves: the verifier's own walk (RFC 9162
	/// §2.1.4.2) run forwards, since no benchmark can hold trees of 2^63 leaves.
	fn consistency_example(old_count: u64, count: u64, p: u32) -> (Hash, Hash, Vec<Hash>) {
		use provenance_primitives::merkle::{node_hash, HostSha256};
		let proof: Vec<Hash> = (0..p).map(|i| [i as u8 + 10; 32]).collect();
		if old_count == 0 {
			return ([0; 32], [3; 32], proof);
		}
		let (seed, rest) = match old_count.is_power_of_two() {
			true => ([1u8; 32], &proof[..]),
			false => (proof[0], &proof[1..]),
		};
		let (mut fnode, mut snode) = (old_count - 1, count - 1);
		while fnode & 1 == 1 {
			fnode >>= 1;
			snode >>= 1;
		}
		let (mut old_hash, mut new_hash) = (seed, seed);
		for sibling in rest {
			if fnode & 1 == 1 || fnode == snode {
				old_hash = node_hash::<HostSha256>(sibling, &old_hash);
				new_hash = node_hash::<HostSha256>(sibling, &new_hash);
				while fnode & 1 == 0 && fnode != 0 {
					fnode >>= 1;
					snode >>= 1;
				}
			} else {
				new_hash = node_hash::<HostSha256>(&new_hash, sibling);
			}
			fnode >>= 1;
			snode >>= 1;
		}
		(old_hash, new_hash, proof)
	}

	impl_benchmark_test_suite!(Datasets, crate::mock::new_bench_ext(), crate::mock::Test);
}
