//! Benchmarks of the royalties pallet's calls, each at the bounds of its components.

use super::*;
use crate::pallet::Pallet as Royalties;
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use provenance_primitives::{
	merkle::{self, HostSha256, SumNode},
	AssetRef,
};
use sp_runtime::{traits::Zero, Perbill};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	fund::<T>(account(name, index, 0))
}

/// The signer of a measured call: `whitelisted_caller`, whose account the transaction's nonce
/// check already reads, writes and is charged for in the same extrinsic (as in polkadot-sdk's
/// own benchmarks), so the call's weight does not charge that account again.
fn funded_caller<T: Config>() -> T::AccountId {
	fund::<T>(whitelisted_caller())
}

/// `who`, with enough for the deposits of the most assets a benchmark makes, and its payments.
fn fund<T: Config>(who: T::AccountId) -> T::AccountId {
	T::Currency::set_balance(&who, 1_000_000_000_000_000_000u64.try_into().unwrap_or_default());
	who
}

/// An asset whose stack holds `s` ancestors (its inputs, each with a 1 bp royalty), all with
/// splits of `e` entries and a pool (`pooled_split`). A payment's cost depends on the stack,
/// not on how deep in the lineage its entries are: the stack was fixed at registration.
fn asset_with<T: Config>(owner: &T::AccountId, s: u32, e: u32) -> AssetRef {
	let inputs: Vec<_> = (0..s).map(|i| T::BenchmarkHelper::asset(owner, i, vec![], 1)).collect();
	let asset = T::BenchmarkHelper::asset(owner, 1_000, inputs.clone(), 0);
	if e > 0 {
		for each in inputs.into_iter().chain([asset]) {
			let (split, pool) = pooled_split::<T>(e);
			Royalties::<T>::set_split(
				RawOrigin::Signed(owner.clone()).into(),
				each,
				split,
				Some(pool),
			)
			.expect("sets the split");
		}
	}
	asset
}

/// The dearest split to pay into: `e` distinct accounts sharing half the whole, and a pool the
/// rest, so that a payment credits both.
fn pooled_split<T: Config>(e: u32) -> (Vec<(T::AccountId, Perbill)>, PoolSpec) {
	let mut split = entries::<T>(e);
	split[0].1 = Perbill::from_parts(split[0].1.deconstruct() / 2);
	let pool_share =
		Perbill::one().deconstruct() - split.iter().map(|(_, s)| s.deconstruct()).sum::<u32>();
	let pool = PoolSpec {
		root: [1; 32],
		leaves: 1_000_000,
		total_weight: 1_000_000,
		share: Perbill::from_parts(pool_share),
	};
	(split, pool)
}

/// `e` distinct accounts sharing the whole.
fn entries<T: Config>(e: u32) -> Vec<(T::AccountId, Perbill)> {
	let share = Perbill::from_rational(1, e);
	let mut entries: Vec<_> = (0..e).map(|i| (account("beneficiary", i, 0), share)).collect();
	let short = Perbill::one().deconstruct() - share.deconstruct() * e;
	entries[0].1 = Perbill::from_parts(share.deconstruct() + short);
	entries
}

/// A pool of one contributor that accrued a payment, paid it out to its claim and was
/// replaced: ready to close. The asset changed hands after the pool was set, so its deposit and
/// its proofs file's are held from two accounts.
fn paid_out_pool<T: Config>() -> PoolId {
	let first_owner = funded::<T>("owner", 0);
	let asset = T::BenchmarkHelper::asset(&first_owner, 0, vec![], 0);
	let contributor = funded::<T>("contributor", 0);
	let weight: u128 = 1;
	let leaf = merkle::sum_leaf::<HostSha256>(&(&contributor, weight).encode(), weight);
	let pool = PoolSpec { root: leaf.hash, leaves: 1, total_weight: 1, share: Perbill::one() };
	let pool_id = NextPoolId::<T>::get();
	Royalties::<T>::set_split(
		RawOrigin::Signed(first_owner.clone()).into(),
		asset,
		vec![],
		Some(pool),
	)
	.expect("sets the split");
	let payer = funded::<T>("payer", 0);
	Royalties::<T>::pay(RawOrigin::Signed(payer).into(), asset, 1_000_000u32.into()).expect("pays");
	Royalties::<T>::claim_from_pool(
		RawOrigin::Signed(contributor).into(),
		pool_id,
		weight,
		0,
		vec![],
	)
	.expect("claims");
	let owner = funded::<T>("successor", 0);
	T::BenchmarkHelper::transfer(asset, &first_owner, &owner).expect("hands the asset over");
	Royalties::<T>::set_pool_uri(
		RawOrigin::Signed(owner.clone()).into(),
		pool_id,
		Some(uri::<T>(b'a')),
	)
	.expect("publishes the proofs file");
	Royalties::<T>::set_split(RawOrigin::Signed(owner).into(), asset, entries::<T>(1), None)
		.expect("replaces the split");
	pool_id
}

/// An `https://` URI of `MaxUriLen` bytes.
fn uri<T: Config>(fill: u8) -> Vec<u8> {
	let mut uri = b"https://".to_vec();
	uri.resize(T::MaxUriLen::get() as usize, fill);
	uri
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `e` entries and a pool, replacing a split whose deposit the asset's previous owner holds
	/// (released from that owner's holds, the new one held from the caller's).
	#[benchmark]
	fn set_split(e: Linear<1, { T::MaxSplitEntries::get() }>) {
		let previous = funded::<T>("owner", 0);
		let asset = T::BenchmarkHelper::asset(&previous, 0, vec![], 0);
		Royalties::<T>::set_split(
			RawOrigin::Signed(previous.clone()).into(),
			asset,
			entries::<T>(T::MaxSplitEntries::get()),
			None,
		)
		.expect("sets the split");
		let owner = funded_caller::<T>();
		T::BenchmarkHelper::transfer(asset, &previous, &owner).expect("hands the asset over");
		let (split, pool) = pooled_split::<T>(e);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, split, Some(pool));

		assert!(Splits::<T>::contains_key(asset));
	}

	/// `s` ancestors in the stack, each with the dearest split (the most entries and a pool),
	/// every entry credited new (so the payer holds a deposit for each). From one ancestor: an
	/// asset made from others is a checkpoint, and its storage stays the same kind for every
	/// `s`. A payment's work is the stack times the splits, which a line in the two cannot fit
	/// (it charged the deepest stack 29 % short); `pay` is charged at the dearest splits,
	/// so the benchmark measures along that line.
	#[benchmark]
	fn pay(s: Linear<1, { T::MaxStackEntries::get() }>) {
		let owner = funded::<T>("owner", 0);
		let asset = asset_with::<T>(&owner, s, T::MaxSplitEntries::get());
		let payer = funded_caller::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), asset, 1_000_000u32.into());

		assert_eq!(Stacks::<T>::get(asset).map_or(0, |stack| stack.len() as u32), s);
		// The dearest path was taken: every entry of the asset's split and its ancestors' was
		// credited new, and every pool accrued.
		let splits = s + 1;
		assert_eq!(Claimable::<T>::iter().count() as u32, splits * T::MaxSplitEntries::get());
		assert_eq!(
			Pools::<T>::iter().filter(|(_, pool)| !pool.accrued.is_zero()).count() as u32,
			splits
		);
	}

	#[benchmark]
	fn claim() {
		let owner = funded_caller::<T>();
		let asset = asset_with::<T>(&owner, 0, 0);
		let payer = funded::<T>("payer", 0);
		Royalties::<T>::pay(RawOrigin::Signed(payer).into(), asset, 1_000_000u32.into())
			.expect("pays");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), asset);

		assert!(!Claimable::<T>::contains_key(&owner, asset));
	}

	/// A proof of `p` hashes: a pool of 2^p leaves.
	#[benchmark]
	fn claim_from_pool(p: Linear<1, { T::MaxProofLen::get() }>) {
		let owner = funded::<T>("owner", 0);
		let asset = T::BenchmarkHelper::asset(&owner, 0, vec![], 0);
		let contributor = funded_caller::<T>();
		let weight: u128 = 1;
		// The contributor's leaf first, then siblings of 2^level leaves of weight 1 each: a
		// left-most path of p nodes in a tree of 2^p leaves.
		let mut node = merkle::sum_leaf::<HostSha256>(&(&contributor, weight).encode(), weight);
		let mut proof = vec![];
		for level in 0..p {
			let sibling = SumNode { hash: [level as u8; 32], sum: 1u128 << level };
			proof.push(sibling);
			node = merkle::sum_node::<HostSha256>(&node, &sibling).expect("no overflow");
		}
		let pool = PoolSpec {
			root: node.hash,
			leaves: 1u64 << p,
			total_weight: node.sum,
			share: Perbill::one(),
		};
		let pool_id = NextPoolId::<T>::get();
		Royalties::<T>::set_split(RawOrigin::Signed(owner).into(), asset, vec![], Some(pool))
			.expect("sets the split");
		let payer = funded::<T>("payer", 0);
		// Large enough that a weight of 1 in 2^MaxProofLen is owed something.
		let amount = (1u64 << 50).try_into().unwrap_or_default();
		Royalties::<T>::pay(RawOrigin::Signed(payer).into(), asset, amount).expect("pays");

		#[extrinsic_call]
		_(RawOrigin::Signed(contributor.clone()), pool_id, weight, 0, proof);

		assert!(PoolClaims::<T>::contains_key(pool_id, 0));
	}

	/// A URI of `MaxUriLen` bytes replacing another, whose deposit the asset's previous owner
	/// holds.
	#[benchmark]
	fn set_pool_uri() {
		let previous = funded::<T>("owner", 0);
		let asset = T::BenchmarkHelper::asset(&previous, 0, vec![], 0);
		let pool = PoolSpec { root: [1; 32], leaves: 1, total_weight: 1, share: Perbill::one() };
		let pool_id = NextPoolId::<T>::get();
		Royalties::<T>::set_split(
			RawOrigin::Signed(previous.clone()).into(),
			asset,
			vec![],
			Some(pool),
		)
		.expect("sets the split");
		Royalties::<T>::set_pool_uri(
			RawOrigin::Signed(previous.clone()).into(),
			pool_id,
			Some(uri::<T>(b'a')),
		)
		.expect("publishes the proofs file");
		let owner = funded_caller::<T>();
		T::BenchmarkHelper::transfer(asset, &previous, &owner).expect("hands the asset over");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), pool_id, Some(uri::<T>(b'b')));

		assert_eq!(
			PoolUris::<T>::get(pool_id).map(|record| record.uri.into_inner()),
			Some(uri::<T>(b'b'))
		);
	}

	/// A replaced pool that paid out everything, with a proofs-file URI.
	#[benchmark]
	fn close_pool() {
		let pool_id = paid_out_pool::<T>();
		let caller = funded_caller::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool_id);

		assert!(!Pools::<T>::contains_key(pool_id));
	}

	/// A leaf claim record of a closed pool.
	#[benchmark]
	fn clear_leaf_claim() {
		let pool_id = paid_out_pool::<T>();
		let caller = funded_caller::<T>();
		Royalties::<T>::close_pool(RawOrigin::Signed(caller.clone()).into(), pool_id)
			.expect("closes the pool");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool_id, 0);

		assert!(!PoolClaims::<T>::contains_key(pool_id, 0));
	}

	impl_benchmark_test_suite!(Royalties, crate::mock::new_bench_ext(), crate::mock::Test);
}
