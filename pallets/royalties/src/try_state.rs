//! Invariants of the royalties pallet, checked in tests and under try-runtime.

use crate::pallet::*;
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{traits::Zero, Perbill, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - the pallet account holds exactly what is claimable plus what pools have not paid out, and
	///   its existential deposit;
	/// - no pool paid out more than it accrued, and no contributor claimed more than it could;
	/// - every split's shares make the whole and name existing pools, and every proofs-file URI
	///   an existing pool;
	/// - every account holds, for the pallet's records, exactly the deposits they name it for.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut deposits = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut add = |deposit: &DepositOf<T>| {
			deposits
				.entry(deposit.depositor.clone())
				.or_default()
				.saturating_accrue(deposit.amount);
		};
		let mut owed = BalanceOf::<T>::zero();
		for (_, _, entry) in Claimable::<T>::iter() {
			ensure!(!entry.amount.is_zero(), "a zero claimable entry is stored");
			owed.saturating_accrue(entry.amount);
			add(&entry.deposit);
		}
		for (id, pool) in Pools::<T>::iter() {
			ensure!(pool.paid <= pool.accrued, "a pool paid out more than it accrued");
			ensure!(id < NextPoolId::<T>::get(), "pool id not below NextPoolId");
			let claimed = PoolClaims::<T>::iter_prefix(id)
				.fold(BalanceOf::<T>::zero(), |sum, (_, leaf)| sum.saturating_add(leaf.claimed));
			ensure!(claimed == pool.paid, "pool claims disagree with what it paid");
			owed.saturating_accrue(pool.accrued.saturating_sub(pool.paid));
			add(&pool.deposit);
		}
		for (_, _, leaf) in PoolClaims::<T>::iter() {
			add(&leaf.deposit);
		}
		for (id, uri) in PoolUris::<T>::iter() {
			ensure!(Pools::<T>::contains_key(id), "a proofs-file URI outlives its pool");
			add(&uri.deposit);
		}
		let held = T::Currency::balance(&Self::account_id());
		ensure!(
			held == owed.saturating_add(T::Currency::minimum_balance()),
			"the pallet account does not hold exactly what is owed and its deposit"
		);
		for (_, split) in Splits::<T>::iter() {
			let pool_share = split.pool.map(|(_, share)| share).unwrap_or_default();
			let total =
				split.entries.iter().fold(pool_share.deconstruct() as u64, |sum, (_, share)| {
					sum + share.deconstruct() as u64
				});
			ensure!(total == Perbill::one().deconstruct() as u64, "split shares do not sum");
			if let Some((pool, _)) = split.pool {
				ensure!(Pools::<T>::contains_key(pool), "split names a missing pool");
			}
			add(&split.deposit);
		}
		for (depositor, amount) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::RecordDeposit.into(), &depositor)
					== amount,
				"an account's held deposits differ from its records'"
			);
		}
		Ok(())
	}
}
