//! Tests of the royalties pallet: splits and their errors, payments up the lineage, rounding,
//! contributor pools and their proofs, and a property test that nothing is created or lost.

use crate::{mock::*, pallet::*, Deposit, PoolSpec, Split, StackEntry, Totals};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use provenance_primitives::{
	merkle::{self, NativeSha256, SumNode},
	testing::XorShift,
	AssetRef,
};
use sp_runtime::Perbill;

const DATA: AssetRef = AssetRef::Dataset(0);
const MODEL: AssetRef = AssetRef::Checkpoint(0);

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn register(asset: AssetRef, inputs: Vec<AssetRef>, royalty_bps: u16) {
	assert_ok!(MockLineage::register(asset, OWNER, inputs, royalty_bps));
}

fn percent(n: u32) -> Perbill {
	Perbill::from_percent(n)
}

fn owed(who: u64, asset: AssetRef) -> u64 {
	Claimable::<Test>::get(who, asset).map_or(0, |owed| owed.amount)
}

/// What `who` holds for the pallet's records.
fn deposits_of(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::RecordDeposit.into(), &who)
}

/// The deposit of a split of `entries` entries of a dataset: its key (prefix, twox64 hash,
/// the `AssetRef`) and value (the entries of 8 + 4 bytes, the pool option, the deposit).
fn split_deposit(entries: u64, pool: bool) -> u64 {
	let key = 32 + 8 + 9;
	let value = 1 + 12 * entries + if pool { 13 } else { 1 } + 16;
	DEPOSIT_BASE + DEPOSIT_PER_BYTE * (key + value)
}

/// The deposit of a pool: key (prefix, twox64 hash, id) and value (asset, spec, accrued,
/// paid, deposit).
const POOL_DEPOSIT: u64 = DEPOSIT_BASE + DEPOSIT_PER_BYTE * ((32 + 8 + 8) + (9 + 60 + 8 + 8 + 16));

/// The deposit of a claimable entry: key (prefix, blake2_128 and account, twox64 and
/// `AssetRef`) and value (amount, deposit).
const ENTRY_DEPOSIT: u64 = DEPOSIT_BASE + DEPOSIT_PER_BYTE * ((32 + 24 + 17) + (8 + 16));

/// The deposit of a leaf's claim record: key (prefix, two twox64-hashed u64) and value
/// (claimed, deposit).
const LEAF_DEPOSIT: u64 = DEPOSIT_BASE + DEPOSIT_PER_BYTE * ((32 + 16 + 16) + (8 + 16));

/// What the pallet account holds besides its existential deposit.
fn held() -> u64 {
	Balances::balance(&Royalties::account_id()) - Balances::minimum_balance()
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Royalties(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn bad_splits_are_rejected() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let whole = vec![(10, percent(100))];
		assert_noop!(
			Royalties::set_split(signed(OWNER), MODEL, whole.clone(), None),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Royalties::set_split(signed(PAYER), DATA, whole, None),
			Error::<Test>::NotOwner
		);
		let five = (10..15).map(|who| (who, percent(20))).collect();
		assert_noop!(
			Royalties::set_split(signed(OWNER), DATA, five, None),
			Error::<Test>::TooManyEntries
		);
		assert_noop!(
			Royalties::set_split(
				signed(OWNER),
				DATA,
				vec![(10, percent(50)), (10, percent(50))],
				None
			),
			Error::<Test>::DuplicateBeneficiary
		);
		for shares in
			[vec![(10, percent(50)), (11, percent(49))], vec![(10, percent(60)), (11, percent(41))]]
		{
			assert_noop!(
				Royalties::set_split(signed(OWNER), DATA, shares, None),
				Error::<Test>::SharesDoNotSum
			);
		}
		assert_noop!(
			Royalties::set_split(signed(OWNER), DATA, vec![], None),
			Error::<Test>::SharesDoNotSum
		);
		let empty = PoolSpec { root: [0; 32], leaves: 0, total_weight: 10, share: percent(100) };
		assert_noop!(
			Royalties::set_split(signed(OWNER), DATA, vec![], Some(empty)),
			Error::<Test>::EmptyPool
		);
		let weightless = PoolSpec { leaves: 3, total_weight: 0, ..empty };
		assert_noop!(
			Royalties::set_split(signed(OWNER), DATA, vec![], Some(weightless)),
			Error::<Test>::EmptyPool
		);
	});
}

#[test]
fn payments_to_unknown_assets_or_of_nothing_are_rejected() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		assert_noop!(Royalties::pay(signed(PAYER), MODEL, 100), Error::<Test>::UnknownAsset);
		assert_noop!(Royalties::pay(signed(PAYER), DATA, 0), Error::<Test>::ZeroPayment);
		assert_noop!(Royalties::claim(signed(OWNER), DATA), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn an_asset_without_a_split_pays_its_owner() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let paid = Royalties::pay(signed(PAYER), DATA, 1_000).expect("pays");
		// Charged for its stack (none: weighed as one), not the longest stack.
		let charged = <() as crate::WeightInfo>::pay(1);
		assert_eq!(paid.actual_weight, Some(charged));
		assert!(charged.all_lt(<() as crate::WeightInfo>::pay(4)));
		assert_eq!(owed(OWNER, DATA), 1_000);
		assert_eq!(held(), 1_000);
		let before = Balances::total_balance(&OWNER);
		assert_ok!(Royalties::claim(signed(OWNER), DATA));
		assert_eq!(Balances::total_balance(&OWNER), before + 1_000);
		assert_noop!(Royalties::claim(signed(OWNER), DATA), Error::<Test>::NothingToClaim);
		assert_eq!(
			AssetTotals::<Test>::get(DATA),
			crate::Totals { paid_in: 1_000, royalties_in: 0, royalties_out: 0 }
		);
	});
}

#[test]
fn rounding_leftovers_go_to_the_first_entry() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let third = Perbill::from_parts(333_333_333);
		let split = vec![(10, Perbill::from_parts(333_333_334)), (11, third), (12, third)];
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, split, None));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 10));
		assert_eq!([owed(10, DATA), owed(11, DATA), owed(12, DATA)], [4, 3, 3]);
		// A payment too small for every share: the unit goes to the first entry.
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 1));
		assert_eq!([owed(10, DATA), owed(11, DATA), owed(12, DATA)], [5, 3, 3]);
		assert_eq!(held(), 11);
	});
}

#[test]
fn ancestors_take_their_royalty_once_however_many_paths_lead_to_them() {
	new_test_ext(|| {
		// DATA (10%) <- BASE (5%) <- MODEL, and MODEL also trained on DATA directly.
		let base = AssetRef::Checkpoint(1);
		register(DATA, vec![], 1_000);
		register(base, vec![DATA], 500);
		register(MODEL, vec![base, DATA], 0);
		assert_eq!(
			Stacks::<Test>::get(MODEL).unwrap().into_inner(),
			vec![
				StackEntry { ancestor: base, bps: 500, depth: 1 },
				StackEntry { ancestor: DATA, bps: 1_000, depth: 1 },
			]
		);
		assert_ok!(Royalties::pay(signed(PAYER), MODEL, 1_000));
		assert_eq!(owed(OWNER, DATA), 100);
		assert_eq!(owed(OWNER, base), 50);
		assert_eq!(owed(OWNER, MODEL), 850);
		assert!(events().contains(&Event::RoyaltyPaid { from: MODEL, to: DATA, amount: 100 }));
		assert_eq!(AssetTotals::<Test>::get(MODEL).royalties_out, 150);
		assert_eq!(AssetTotals::<Test>::get(DATA).royalties_in, 100);
		// Paying the base pays its own stack only.
		assert_ok!(Royalties::pay(signed(PAYER), base, 100));
		assert_eq!(owed(OWNER, DATA), 110);
		assert_eq!(owed(OWNER, base), 140);
	});
}

#[test]
fn queries_page_what_an_account_may_claim_and_show_an_assets_royalties() {
	new_test_ext(|| {
		let assets: Vec<_> = (0..4).map(AssetRef::Dataset).collect();
		for asset in &assets {
			register(*asset, vec![], 100);
			assert_ok!(Royalties::pay(signed(PAYER), *asset, 10));
		}
		register(MODEL, assets.clone(), 0);
		assert_ok!(Royalties::pay(signed(PAYER), MODEL, 1_000));
		let first = Royalties::claimable_page(OWNER, None, 3);
		assert_eq!(first.len(), 3);
		let rest = Royalties::claimable_page(OWNER, first.last().map(|(asset, _)| *asset), 3);
		assert_eq!(rest.len(), 2);
		let mut all: Vec<_> = first.into_iter().chain(rest).collect();
		all.sort();
		let mut expected: Vec<_> = assets.iter().map(|asset| (*asset, 20)).collect();
		expected.push((MODEL, 960));
		expected.sort();
		assert_eq!(all, expected);

		let royalties = Royalties::royalties_of(MODEL).unwrap();
		assert_eq!(royalties.split, None);
		assert_eq!(royalties.stack.len(), 4);
		assert_eq!(royalties.totals, Totals { paid_in: 1_000, royalties_in: 0, royalties_out: 40 });
		assert_eq!(Royalties::royalties_of(assets[0]).unwrap().totals.royalties_in, 10);
		assert_eq!(Royalties::royalties_of(AssetRef::Dataset(99)), None);
	});
}

#[test]
fn stacks_reach_through_assets_without_royalty_up_to_the_depth_bound() {
	new_test_ext(|| {
		// DATA (10%) <- 1 <- 2 <- 3 <- 4, the middle ones reserving nothing; depth bound 3.
		register(DATA, vec![], 1_000);
		let line: Vec<_> = (1..=4).map(AssetRef::Checkpoint).collect();
		let mut previous = DATA;
		for asset in &line {
			register(*asset, vec![previous], 0);
			previous = *asset;
		}
		assert_eq!(
			Stacks::<Test>::get(line[2]).unwrap().into_inner(),
			vec![StackEntry { ancestor: DATA, bps: 1_000, depth: 3 }]
		);
		assert!(Stacks::<Test>::get(line[3]).is_none());
		assert_ok!(Royalties::pay(signed(PAYER), line[2], 1_000));
		assert_eq!(owed(OWNER, DATA), 100);
		assert_ok!(Royalties::pay(signed(PAYER), line[3], 1_000));
		assert_eq!(owed(OWNER, DATA), 100);
	});
}

#[test]
fn a_new_version_keeps_its_predecessors_stack_at_the_same_depths() {
	new_test_ext(|| {
		// DATA (10%) <- 1; version 2 of 1 is re-anchored from nothing, as human data.
		register(DATA, vec![], 1_000);
		let derived = AssetRef::Dataset(1);
		register(derived, vec![DATA], 0);
		let version = AssetRef::Dataset(2);
		assert_ok!(MockLineage::register_version(version, OWNER, vec![], Some(derived), 0, None));
		assert_eq!(Stacks::<Test>::get(version), Stacks::<Test>::get(derived));
		assert_eq!(
			Stacks::<Test>::get(version).unwrap().into_inner(),
			vec![StackEntry { ancestor: DATA, bps: 1_000, depth: 1 }]
		);
		// Its bound counts what it inherits.
		assert_eq!(
			MockLineage::register_version(
				AssetRef::Dataset(3),
				OWNER,
				vec![],
				Some(derived),
				0,
				Some(999)
			),
			Err(Error::<Test>::StackAboveLimit.into())
		);
	});
}

#[test]
fn a_stack_over_the_bound_fails_registration() {
	new_test_ext(|| {
		register(DATA, vec![], 3_000);
		register(AssetRef::Dataset(1), vec![], 2_001);
		assert_eq!(
			MockLineage::register(MODEL, OWNER, vec![DATA, AssetRef::Dataset(1)], 0),
			Err(Error::<Test>::StackTooHigh.into())
		);
		let inputs: Vec<_> = (10..15).map(AssetRef::Dataset).collect();
		for input in &inputs {
			register(*input, vec![], 1);
		}
		assert_eq!(
			MockLineage::register(MODEL, OWNER, inputs, 0),
			Err(Error::<Test>::StackTooLong.into())
		);
		assert!(Stacks::<Test>::get(MODEL).is_none());
	});
}

/// The sum-tree leaf of contributor `who` with `weight`.
fn contributor(who: u64, weight: u128) -> SumNode {
	merkle::sum_leaf::<NativeSha256>(&(who, weight).encode(), weight)
}

/// A pool over `leaves` with `share`: its spec and each leaf's proof.
fn pool_of(leaves: &[SumNode], share: Perbill) -> (PoolSpec, Vec<Vec<SumNode>>) {
	let root = merkle::sum_root::<NativeSha256>(leaves).unwrap();
	let proofs = (0..leaves.len())
		.map(|i| merkle::sum_inclusion_proof::<NativeSha256>(leaves, i as u64).unwrap())
		.collect();
	(
		PoolSpec { root: root.hash, leaves: leaves.len() as u64, total_weight: root.sum, share },
		proofs,
	)
}

/// A pool of `contributors` with weights 1, 2, 3, ...: its spec and each leaf's proof.
fn pool(contributors: &[u64], share: Perbill) -> (PoolSpec, Vec<Vec<SumNode>>) {
	let leaves: Vec<SumNode> =
		contributors.iter().enumerate().map(|(i, who)| contributor(*who, i as u128 + 1)).collect();
	pool_of(&leaves, share)
}

#[test]
fn contributors_claim_their_weight_of_each_accrual_once() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let contributors = [21, 22, 23, 24, 25];
		let (spec, proofs) = pool(&contributors, percent(60));
		assert_ok!(Royalties::set_split(
			signed(OWNER),
			DATA,
			vec![(OWNER, percent(40))],
			Some(spec)
		));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 1_500));
		assert_eq!(Pools::<Test>::get(0).unwrap().accrued, 900);
		assert_eq!(owed(OWNER, DATA), 600);

		// Weight 3 of 15, the range [3, 6): 900 * 6 / 15 - 900 * 3 / 15 = 180.
		assert_eq!(Royalties::pool_claimable(0, &23, 3, 2, &proofs[2]), Some(180));
		assert_eq!(Royalties::pool_claimable(0, &23, 4, 2, &proofs[2]), None, "a wrong weight");
		let before = Balances::total_balance(&23);
		assert_ok!(Royalties::claim_from_pool(signed(23), 0, 3, 2, proofs[2].clone()));
		assert_eq!(Balances::total_balance(&23), before + 180);
		assert_eq!(Royalties::pool_claimable(0, &23, 3, 2, &proofs[2]), Some(0));
		assert_noop!(
			Royalties::claim_from_pool(signed(23), 0, 3, 2, proofs[2].clone()),
			Error::<Test>::NothingToClaim
		);
		// Someone else's leaf, a wrong weight, a long proof, an unknown pool.
		assert_noop!(
			Royalties::claim_from_pool(signed(24), 0, 3, 2, proofs[2].clone()),
			Error::<Test>::BadProof
		);
		assert_noop!(
			Royalties::claim_from_pool(signed(24), 0, 5, 3, proofs[3].clone()),
			Error::<Test>::BadProof
		);
		assert_noop!(
			Royalties::claim_from_pool(signed(24), 0, 4, 3, vec![SumNode::default(); 21]),
			Error::<Test>::ProofTooLong
		);
		assert_noop!(
			Royalties::claim_from_pool(signed(24), 7, 4, 3, proofs[3].clone()),
			Error::<Test>::UnknownPool
		);

		// More accrues: 23 claims only the new part.
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 500));
		assert_ok!(Royalties::claim_from_pool(signed(23), 0, 3, 2, proofs[2].clone()));
		assert_eq!(Balances::total_balance(&23), before + 240);
		assert!(events().contains(&Event::PoolClaimed {
			pool: 0,
			index: 2,
			account: 23,
			amount: 60,
			claimed: 240
		}));
	});
}

#[test]
fn a_replaced_pool_stays_claimable() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let (spec, proofs) = pool(&[21, 22], percent(100));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(spec)));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 300));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![(OWNER, percent(100))], None));
		assert_eq!(
			Splits::<Test>::get(DATA),
			Some(Split {
				entries: BoundedVec::truncate_from(vec![(OWNER, percent(100))]),
				pool: None,
				deposit: Deposit { depositor: OWNER, amount: split_deposit(1, false) },
			})
		);
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 100));
		assert_ok!(Royalties::claim_from_pool(signed(22), 0, 2, 1, proofs[1].clone()));
		assert_eq!(Pools::<Test>::get(0).unwrap().paid, 200);
		assert_eq!(owed(OWNER, DATA), 100);
	});
}

#[test]
fn for_random_lineages_splits_and_payments_claims_add_up_to_payments() {
	for seed in 1..=40u64 {
		new_test_ext(|| {
			let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
			let mut assets: Vec<AssetRef> = Vec::new();
			for id in 0..12u64 {
				let asset = if rng.below(2) == 0 {
					AssetRef::Dataset(id)
				} else {
					AssetRef::Checkpoint(id)
				};
				let inputs: Vec<AssetRef> = (0..rng.below(3))
					.filter_map(|_| {
						(!assets.is_empty())
							.then(|| assets[rng.below(assets.len() as u64) as usize])
					})
					.collect();
				let bps = rng.below(1_500) as u16;
				if MockLineage::register(asset, OWNER, inputs, bps).is_ok() {
					assets.push(asset);
				}
			}
			for asset in &assets {
				if rng.below(3) == 0 {
					continue;
				}
				let n = 1 + rng.below(4) as u32;
				let mut parts: Vec<u32> = (0..n).map(|_| 1 + rng.below(1_000) as u32).collect();
				let sum: u32 = parts.iter().sum();
				let mut shares: Vec<Perbill> =
					parts.iter_mut().map(|p| Perbill::from_rational(*p, sum)).collect();
				let short = 1_000_000_000 - shares.iter().map(|s| s.deconstruct()).sum::<u32>();
				shares[0] = Perbill::from_parts(shares[0].deconstruct() + short);
				let entries =
					shares.into_iter().enumerate().map(|(i, s)| (10 + i as u64, s)).collect();
				assert_ok!(Royalties::set_split(signed(OWNER), *asset, entries, None));
			}
			let mut paid = 0u64;
			for _ in 0..30 {
				let asset = assets[rng.below(assets.len() as u64) as usize];
				let scale = if rng.below(2) == 0 { 10 } else { 100_000 };
				let amount = 1 + rng.below(scale);
				assert_ok!(Royalties::pay(signed(PAYER), asset, amount));
				paid += amount;
			}
			let total_before: u64 =
				(10..14).chain([OWNER]).map(|who| Balances::total_balance(&who)).sum();
			let owed: Vec<(u64, AssetRef)> = Claimable::<Test>::iter_keys().collect();
			for (who, asset) in owed {
				assert_ok!(Royalties::claim(signed(who), asset));
			}
			let total_after: u64 =
				(10..14).chain([OWNER]).map(|who| Balances::total_balance(&who)).sum();
			assert_eq!(total_after - total_before, paid, "seed {seed}: claims equal payments");
			assert_eq!(held(), 0, "seed {seed}: nothing left behind");
		});
	}
}

// --- attacks ---

/// Critical: an owner commits two leaves of weight 1 but declares a total weight of 1, pays
/// 100 in, and both leaves claim 100, taking another asset's unclaimed royalties.
#[test]
fn an_overcommitted_pool_cannot_pay_out_more_than_it_accrued() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		register(MODEL, vec![], 0);
		// Another owner's royalties wait in the pallet account.
		assert_ok!(Royalties::pay(signed(PAYER), MODEL, 1_000));
		let leaves = [contributor(21, 1), contributor(22, 1)];
		let (honest, proofs) = pool_of(&leaves, percent(100));
		assert_eq!(honest.total_weight, 2, "the root proves the total");
		// The owner declares the tree's root with a total of 1: no leaf proves against it.
		let lying = PoolSpec { total_weight: 1, ..honest };
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(lying)));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 100));
		for (index, who) in [21u64, 22].into_iter().enumerate() {
			assert_noop!(
				Royalties::claim_from_pool(signed(who), 0, 1, index as u64, proofs[index].clone()),
				Error::<Test>::BadProof
			);
		}
		// Declared honestly, the two leaves share exactly what the pool accrued.
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(honest)));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 101));
		let mut claimed = 0;
		for (index, who) in [21u64, 22].into_iter().enumerate() {
			let before = Balances::total_balance(&who);
			assert_ok!(Royalties::claim_from_pool(
				signed(who),
				1,
				1,
				index as u64,
				proofs[index].clone()
			));
			claimed += Balances::total_balance(&who) - before;
		}
		assert_eq!(claimed, 101, "50 and 51: no dust stays in the pool");
		assert_ok!(Royalties::claim(signed(OWNER), MODEL));
	});
}

/// A range's part, rounded at both ends, is not monotone in what the pool accrued: with
/// weights 2, 1, 2 the middle range [2, 3) of 5 is owed 1 of 2 but 0 of 3. Claimed at those two
/// moments the parts ask for 4 of 3; the last claimant is paid what the pool holds, never more,
/// and the rest once it accrues more.
#[test]
fn a_claim_never_moves_more_than_its_pool_holds() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let leaves = [contributor(21, 2), contributor(22, 1), contributor(23, 2)];
		let (spec, proofs) = pool_of(&leaves, percent(100));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(spec)));
		let claim = |who: u64, index: usize| {
			Royalties::claim_from_pool(
				signed(who),
				0,
				leaves[index].sum,
				index as u64,
				proofs[index].clone(),
			)
		};
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 2));
		assert_ok!(claim(22, 1));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 1));
		assert_ok!(claim(21, 0));
		let before = Balances::total_balance(&23);
		assert_ok!(claim(23, 2));
		assert_eq!(Balances::total_balance(&23) - before, 1, "owed 2, the pool holds 1");
		let pool = Pools::<Test>::get(0).unwrap();
		assert_eq!((pool.accrued, pool.paid), (3, 3));
		assert_noop!(claim(23, 2), Error::<Test>::PoolOverdrawn);
		// As the pool grows, each range gets its exact part: 2, 1, 2 of 5.
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 2));
		assert_ok!(claim(23, 2));
		assert_eq!(Balances::total_balance(&23) - before, 2);
		assert_ok!(claim(21, 0));
		let claimed = |index| PoolClaims::<Test>::get(0, index).map_or(0, |leaf| leaf.claimed);
		assert_eq!(claimed(0) + claimed(1), 3);
		assert_eq!(held(), 0, "everything paid out");
	});
}

#[test]
fn splits_and_pools_hold_their_owners_deposits_until_they_go() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let (spec, proofs) = pool(&[21, 22], percent(50));
		assert_ok!(Royalties::set_split(
			signed(OWNER),
			DATA,
			vec![(OWNER, percent(50))],
			Some(spec)
		));
		assert_eq!(deposits_of(OWNER), split_deposit(1, true) + POOL_DEPOSIT);
		// Explorers learn the pool's tree and deposit from the events.
		assert!(events().contains(&Event::PoolOpened {
			pool: 0,
			asset: DATA,
			spec,
			deposit: Deposit { depositor: OWNER, amount: POOL_DEPOSIT },
		}));
		// A new split releases the old one's deposit; the replaced pool keeps its own.
		let spec = PoolSpec { share: percent(100), ..spec };
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(spec)));
		assert_eq!(deposits_of(OWNER), split_deposit(0, true) + 2 * POOL_DEPOSIT);
		assert_noop!(Royalties::close_pool(signed(PAYER), 1), Error::<Test>::PoolInUse);
		// Pool 0, replaced before it accrued anything, goes at once.
		assert_ok!(Royalties::close_pool(signed(PAYER), 0));
		assert_eq!(deposits_of(OWNER), split_deposit(0, true) + POOL_DEPOSIT);
		assert!(events().contains(&Event::PoolClosed {
			pool: 0,
			asset: DATA,
			deposit: Deposit { depositor: OWNER, amount: POOL_DEPOSIT },
		}));

		// Pool 1 accrues 300, is replaced, and closes only once both leaves are paid.
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 300));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![(OWNER, percent(100))], None));
		assert_eq!(deposits_of(OWNER), split_deposit(1, false) + POOL_DEPOSIT);
		assert_ok!(Royalties::claim_from_pool(signed(21), 1, 1, 0, proofs[0].clone()));
		assert_noop!(Royalties::close_pool(signed(PAYER), 1), Error::<Test>::PoolNotPaidOut);
		assert_ok!(Royalties::claim_from_pool(signed(22), 1, 2, 1, proofs[1].clone()));
		assert_ok!(Royalties::close_pool(signed(PAYER), 1));
		assert_eq!(deposits_of(OWNER), split_deposit(1, false));
		assert_noop!(
			Royalties::claim_from_pool(signed(22), 1, 2, 1, proofs[1].clone()),
			Error::<Test>::UnknownPool
		);
	});
}

#[test]
fn a_payment_holds_the_deposit_of_each_entry_it_creates_until_claimed() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		assert_ok!(Royalties::set_split(
			signed(OWNER),
			DATA,
			vec![(21, percent(50)), (22, percent(50))],
			None
		));
		let before = Balances::balance(&PAYER);
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 100));
		assert_eq!(deposits_of(PAYER), 2 * ENTRY_DEPOSIT);
		assert_eq!(before - Balances::balance(&PAYER), 100 + 2 * ENTRY_DEPOSIT);
		// Entries that exist take no new deposit, whoever pays.
		assert_ok!(Royalties::pay(signed(3), DATA, 100));
		assert_eq!(deposits_of(3), 0);
		assert_eq!(
			Claimable::<Test>::get(21, DATA).map(|owed| owed.deposit.depositor),
			Some(PAYER)
		);
		assert_ok!(Royalties::claim(signed(21), DATA));
		assert_eq!(deposits_of(PAYER), ENTRY_DEPOSIT);
		assert_ok!(Royalties::claim(signed(22), DATA));
		assert_eq!(deposits_of(PAYER), 0);
		assert_eq!(Balances::balance(&PAYER), before - 100);
	});
}

#[test]
fn a_payer_who_cannot_cover_the_deposits_pays_nothing() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let poor = 41;
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), poor, 1_000 + 2));
		assert!(Royalties::pay(signed(poor), DATA, 1_000).is_err());
		assert_eq!(owed(OWNER, DATA), 0);
		assert_eq!(Balances::balance(&poor), 1_002);
	});
}

#[test]
fn a_leaf_claim_record_holds_its_claimants_deposit_until_cleared() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let (spec, proofs) = pool(&[21, 22], percent(100));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(spec)));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 300));
		let before = Balances::total_balance(&21);
		assert_ok!(Royalties::claim_from_pool(signed(21), 0, 1, 0, proofs[0].clone()));
		assert_eq!(deposits_of(21), LEAF_DEPOSIT);
		assert_eq!(Balances::total_balance(&21), before + 100);
		// A later claim of the same leaf adds nothing to it.
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 300));
		assert_ok!(Royalties::claim_from_pool(signed(21), 0, 1, 0, proofs[0].clone()));
		assert_eq!(deposits_of(21), LEAF_DEPOSIT);
		assert_ok!(Royalties::claim_from_pool(signed(22), 0, 2, 1, proofs[1].clone()));
		assert_noop!(Royalties::clear_leaf_claim(signed(PAYER), 0, 0), Error::<Test>::PoolOpen);
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![(OWNER, percent(100))], None));
		assert_ok!(Royalties::close_pool(signed(PAYER), 0));
		assert_ok!(Royalties::clear_leaf_claim(signed(PAYER), 0, 0));
		assert_eq!(deposits_of(21), 0);
		assert_noop!(
			Royalties::clear_leaf_claim(signed(PAYER), 0, 0),
			Error::<Test>::UnknownLeafClaim
		);
		assert_ok!(Royalties::clear_leaf_claim(signed(PAYER), 0, 1));
		assert_eq!(deposits_of(22), 0);
		assert_eq!(PoolClaims::<Test>::iter().count(), 0);
	});
}

/// The figures: 200 pools for 0.15 PROV of fees. Each pool now holds its deposit from
/// its owner while it stands, so 200 pools hold 200 deposits.
#[test]
fn pools_made_by_the_hundred_hold_a_deposit_each() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let (spec, _) = pool(&[21, 22], percent(100));
		for _ in 0..200 {
			assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(spec)));
		}
		assert_eq!(deposits_of(OWNER), split_deposit(0, true) + 200 * POOL_DEPOSIT);
	});
}

/// The deposit of a pool's proofs-file URI of `len` bytes: key (prefix, twox64 hash, id) and
/// value (the bytes with their length, the deposit).
fn uri_deposit(len: u64) -> u64 {
	DEPOSIT_BASE + DEPOSIT_PER_BYTE * ((32 + 8 + 8) + (1 + len + 16))
}

#[test]
fn the_assets_owner_publishes_where_its_pools_proofs_file_is() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let (spec, _) = pool(&[21, 22], percent(100));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(spec)));
		let held_for_split = deposits_of(OWNER);
		let uri = b"ipfs://bafkreia".to_vec();

		// Only the asset's owner, only a known pool, only a bounded URI of a known scheme.
		assert_noop!(
			Royalties::set_pool_uri(signed(21), 0, Some(uri.clone())),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Royalties::set_pool_uri(signed(OWNER), 1, Some(uri.clone())),
			Error::<Test>::UnknownPool
		);
		assert_noop!(
			Royalties::set_pool_uri(signed(OWNER), 0, Some(b"http://pool.example/0".to_vec())),
			Error::<Test>::UnsupportedUriScheme
		);
		assert_noop!(
			Royalties::set_pool_uri(
				signed(OWNER),
				0,
				Some([b"https://".as_slice(), &[b'a'; 57]].concat())
			),
			Error::<Test>::UriTooLong
		);
		assert_noop!(Royalties::set_pool_uri(signed(OWNER), 0, None), Error::<Test>::NoPoolUri);

		assert_ok!(Royalties::set_pool_uri(signed(OWNER), 0, Some(uri.clone())));
		let deposit = Deposit { depositor: OWNER, amount: uri_deposit(uri.len() as u64) };
		assert_eq!(
			PoolUris::<Test>::get(0).map(|record| record.uri.into_inner()),
			Some(uri.clone())
		);
		assert_eq!(deposits_of(OWNER), held_for_split + deposit.amount);
		assert_eq!(
			events().last(),
			Some(&Event::PoolUriSet {
				pool: 0,
				asset: DATA,
				uri: BoundedVec::truncate_from(uri.clone()),
				deposit,
			})
		);

		// A new owner replaces it; the deposit of the old record goes back to its setter.
		assert_ok!(MockLineage::register(DATA, 5, vec![], 0));
		assert_noop!(
			Royalties::set_pool_uri(signed(OWNER), 0, Some(uri.clone())),
			Error::<Test>::NotOwner
		);
		let moved = b"https://pools.example/0.json".to_vec();
		assert_ok!(Royalties::set_pool_uri(signed(5), 0, Some(moved.clone())));
		assert_eq!(deposits_of(OWNER), held_for_split);
		assert_eq!(deposits_of(5), uri_deposit(moved.len() as u64));

		// Cleared by its owner: the deposit is released.
		assert_ok!(Royalties::set_pool_uri(signed(5), 0, None));
		assert_eq!(deposits_of(5), 0);
		assert!(!PoolUris::<Test>::contains_key(0));
		assert_eq!(
			events().last(),
			Some(&Event::PoolUriCleared {
				pool: 0,
				deposit: Deposit { depositor: 5, amount: uri_deposit(moved.len() as u64) },
			})
		);
	});
}

#[test]
fn a_replaced_pool_keeps_its_uri_until_it_closes() {
	new_test_ext(|| {
		register(DATA, vec![], 0);
		let (spec, proofs) = pool(&[21], percent(100));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![], Some(spec)));
		assert_ok!(Royalties::pay(signed(PAYER), DATA, 100));
		assert_ok!(Royalties::set_split(signed(OWNER), DATA, vec![(OWNER, percent(100))], None));
		let held_for_split = deposits_of(OWNER);

		// Its contributors still claim from it, so it may still say where the proofs are.
		let uri = b"ar://pool-0".to_vec();
		assert_ok!(Royalties::set_pool_uri(signed(OWNER), 0, Some(uri.clone())));
		assert_ok!(Royalties::claim_from_pool(signed(21), 0, 1, 0, proofs[0].clone()));
		assert_ok!(Royalties::close_pool(signed(PAYER), 0));
		assert!(!PoolUris::<Test>::contains_key(0));
		assert_eq!(deposits_of(OWNER), held_for_split - POOL_DEPOSIT);
		assert!(events().contains(&Event::PoolUriCleared {
			pool: 0,
			deposit: Deposit { depositor: OWNER, amount: uri_deposit(uri.len() as u64) },
		}));
		assert_noop!(
			Royalties::set_pool_uri(signed(OWNER), 0, Some(uri)),
			Error::<Test>::UnknownPool
		);
	});
}
