//! # Royalties
//!
//! Pays the people behind an asset whenever someone pays for it, and its ancestors' owners
//! whenever someone pays for what was made from them.
//!
//! ## Splits and pools
//!
//! An asset's owner sets its [`Split`] ([`Pallet::set_split`]): up to `MaxSplitEntries`
//! (account, share) entries, plus optionally one contributor pool, all shares together
//! making the whole. An asset without a split pays its owner.
//!
//! ## Contributor pools
//!
//! A pool commits to any number of contributors with one root, so a dataset with a million
//! contributors costs one hash on chain; a contributor claims its part with a proof. The root
//! is that of a Merkle sum tree ([`provenance_primitives::merkle::SumNode`]): the RFC 6962 tree
//! shape with SHA-256, one leaf per contributor holding `SCALE((account, weight: u128))` with
//! its weight as the leaf's sum, and every inner node committing to its children's hashes and
//! sums, `SHA256(0x01 || left.hash || LE128(left.sum) || right.hash || LE128(right.sum))`. The
//! root's sum is the pool's `total_weight`; `primitives/vectors/provenance.json` holds worked
//! examples.
//!
//! Contributors need their leaf and its audit path: the owner publishes them in a proofs file
//! and says on chain where ([`Pallet::set_pool_uri`], a deposit held for the record until the
//! pool closes). Whoever reads the file checks it against the root, so the URI can withhold the
//! proofs but not change what anyone is owed.
//!
//! The sums are what keeps a pool honest. Checking a proof recomputes every sum on the path,
//! so the leaves that can prove their place under a root have weights adding up to at most the
//! root's sum, and each proof also fixes the leaf's *range* `[offset, offset + weight)` of
//! `[0, total_weight)`, `offset` being the weight of the leaves before it. An owner who promises
//! two contributors weight 1 each under a total of 1 gets a root nobody can prove against, and
//! every contributor given the tree can check that the weights add up to the total committed on
//! chain. A contributor of range `[o, o + w)` is owed `floor(A (o + w) / W) - floor(A o / W)` of
//! the `A` its pool accrued (`W` the total weight): the ranges tile `[0, W)`, so these parts add
//! up to exactly `A`, with no rounding dust left in the pool. Whatever a proof says, a claim
//! never moves more than the pool accrued less what it paid out, checked in the call, so no
//! pool can reach into the royalties other assets are owed. (A range's part can shrink by a
//! unit as `A` grows, so parts claimed at different times may ask for a unit more than is
//! there; the last claimant is then paid what the pool holds and the rest as it accrues.)
//!
//! ## Payments and the royalty stack
//!
//! An asset's *royalty stack* is every ancestor within `MaxStackDepth` edges whose license
//! terms reserve an upstream royalty, each with its rate, each once however many paths lead
//! to it (at the depth of the shortest). It is fixed when the asset is registered
//! ([`OnAssetRegistered`]), from its direct inputs: each input with the rate its terms
//! reserve for it (the terms of the grant it holds, for a licensed input), and the entries of
//! each input's own stack one edge further, so fixing it costs O(inputs × `MaxStackEntries`)
//! however large the lineage. A new version of a dataset also keeps its predecessor's stack, at
//! the same depths: re-anchoring a derivative does not shed what it owes upstream. A
//! registration may bound the stack it accepts, so that an input's owner who raises its
//! royalty while the registration waits in the mempool makes it fail instead of cost more.
//! Registration fails if the stack holds more than `MaxStackEntries` ancestors or the rates add up
//! to more than `MaxStackBps`, so that a payment never owes more than it carries. A payment to an
//! asset ([`Pallet::pay`]) first credits each ancestor in the stack its rate of the payment, then
//! divides the rest by the asset's split; an ancestor's part is divided by the ancestor's own
//! split.
//!
//! ## Claims and rounding
//!
//! Payments go to the pallet's account; beneficiaries pull what they are owed
//! ([`Pallet::claim`], [`Pallet::claim_from_pool`]). Each share is rounded down and what
//! rounding leaves of a payment goes to the first entry of the split (the pool when there
//! is none), so every unit paid is owed to someone. A contributor claims its part of its pool
//! (above) less what its leaf claimed before: it can claim again as the pool accrues, never
//! twice for the same accrual. The pallet account always holds exactly what is claimable plus
//! what pools have not paid out (`try_state`).
//!
//! ## Deposits
//!
//! Every record the pallet keeps for someone holds a deposit, `DepositBase + DepositPerByte *
//! (key and value bytes)`, from whoever made the chain keep it, released to them when the
//! record goes: a split from the owner who set it, until a split replaces it; a pool from the
//! owner who created it, until it is closed ([`Pallet::close_pool`]: no longer its asset's pool
//! and everything it accrued paid out); a claimable entry from the payer whose payment created
//! it, until it is claimed; a leaf's claim record from its claimant, until its pool is closed
//! and the record cleared ([`Pallet::clear_leaf_claim`]). So making state for others costs its
//! maker, not the chain, and nobody can lock another account's deposit.
//!
//! ## Calls
//! - [`Pallet::set_split`]: the owner divides an asset's income;
//! - [`Pallet::pay`]: anyone pays an asset;
//! - [`Pallet::claim`], [`Pallet::claim_from_pool`]: beneficiaries take what they are owed;
//! - [`Pallet::close_pool`], [`Pallet::clear_leaf_claim`]: anyone removes a paid-out pool and then
//!   its claim records, returning their deposits.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod try_state;
pub mod types;
pub mod weights;

/// Makes assets with a lineage and license rates, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an asset owned by `owner` (funded by the caller), made from `inputs`, whose
	/// terms reserve `royalty_bps`, and fixes its royalty stack; `seed` makes it unique.
	fn asset(
		owner: &AccountId,
		seed: u32,
		inputs: alloc::vec::Vec<provenance_primitives::AssetRef>,
		royalty_bps: u16,
	) -> provenance_primitives::AssetRef;

	/// Hands `asset`, owned by `from`, to `to`: deposits `from` held for it stay held from
	/// `from`.
	fn transfer(
		asset: provenance_primitives::AssetRef,
		from: &AccountId,
		to: &AccountId,
	) -> frame_support::dispatch::DispatchResult;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use codec::Encode;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::{Precision, Preservation},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use provenance_primitives::{
		merkle::{self, HostSha256, SumNode},
		traits::{AssetLineage, OnAssetRegistered, Registration, RoyaltyPayments, UpstreamRoyalty},
		AssetRef,
	};
	use sp_runtime::{
		traits::{AccountIdConversion, CheckedAdd, Saturating, Zero},
		Perbill, SaturatedConversion,
	};

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
	pub type SplitOf<T> = Split<AccountIdOf<T>, BalanceOf<T>, <T as Config>::MaxSplitEntries>;
	pub type StackOf<T> = BoundedVec<StackEntry, <T as Config>::MaxStackEntries>;
	pub type PoolOf<T> = Pool<AccountIdOf<T>, BalanceOf<T>>;
	pub type DepositOf<T> = Deposit<AccountIdOf<T>, BalanceOf<T>>;
	pub type OwedOf<T> = Owed<AccountIdOf<T>, BalanceOf<T>>;
	pub type LeafClaimOf<T> = LeafClaim<AccountIdOf<T>, BalanceOf<T>>;
	pub type PoolUriOf<T> = PoolUri<AccountIdOf<T>, BalanceOf<T>, <T as Config>::MaxUriLen>;
	pub type UriOf<T> = BoundedVec<u8, <T as Config>::MaxUriLen>;
	pub type AssetRoyaltiesOf<T> = AssetRoyalties<SplitOf<T>, StackOf<T>, BalanceOf<T>>;

	/// Basis points in the whole.
	const BPS: u32 = 10_000;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency payments are made in, and deposits held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// What every record (split, pool, claimable entry, leaf claim) holds whatever its
		/// size.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// What each byte of a record, with its key, holds.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// The id of the account that holds what is owed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Owners of assets (a registration hands over its inputs itself).
		type Lineage: AssetLineage<Self::AccountId>;
		/// The upstream royalty of each asset (its license terms).
		type Terms: UpstreamRoyalty<Self::AccountId>;
		/// The most direct entries in a split.
		#[pallet::constant]
		type MaxSplitEntries: Get<u32>;
		/// How many edges up a royalty stack reaches.
		#[pallet::constant]
		type MaxStackDepth: Get<u32>;
		/// The most ancestors with a royalty in one stack.
		#[pallet::constant]
		type MaxStackEntries: Get<u32>;
		/// The most a stack may take of a payment, in basis points.
		#[pallet::constant]
		type MaxStackBps: Get<u16>;
		/// The longest pool inclusion proof (a tree of 2^MaxProofLen leaves).
		#[pallet::constant]
		type MaxProofLen: Get<u32>;
		/// The longest URI of a pool's proofs file.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// Makes assets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a split, pool, claimable entry or leaf claim, until it goes.
		RecordDeposit,
	}

	/// Splits, by asset; an asset without one pays its owner.
	#[pallet::storage]
	pub type Splits<T: Config> = StorageMap<_, Twox64Concat, AssetRef, SplitOf<T>>;

	/// Royalty stacks, by asset: each ancestor owed a share of payments, with its rate and
	/// how many edges up it is.
	#[pallet::storage]
	pub type Stacks<T: Config> = StorageMap<_, Twox64Concat, AssetRef, StackOf<T>>;

	/// The id the next pool gets.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextPoolId<T> = StorageValue<_, PoolId, ValueQuery>;

	/// Contributor pools, by id; a pool stays when a split replaces it, until it has paid out
	/// everything it accrued and is closed.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, PoolId, PoolOf<T>>;

	/// What each leaf of each pool has claimed, by pool and leaf index.
	#[pallet::storage]
	pub type PoolClaims<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Twox64Concat, u64, LeafClaimOf<T>>;

	/// What each account may claim, by asset.
	#[pallet::storage]
	pub type Claimable<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, AssetRef, OwedOf<T>>;

	/// Where each pool's proofs file is published, by pool; removed with the pool.
	#[pallet::storage]
	pub type PoolUris<T: Config> = StorageMap<_, Twox64Concat, PoolId, PoolUriOf<T>>;

	/// Running totals, by asset.
	#[pallet::storage]
	pub type AssetTotals<T: Config> =
		StorageMap<_, Twox64Concat, AssetRef, Totals<BalanceOf<T>>, ValueQuery>;

	/// Opens the pallet account with the existential deposit, which it keeps for good: a
	/// payment smaller than that deposit would otherwise fail while the account is empty.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		// A genesis that does not hold is refused when its chain spec is built, before any
		// chain runs.
		#[allow(clippy::expect_used)]
		fn build(&self) {
			let account = Pallet::<T>::account_id();
			let missing =
				T::Currency::minimum_balance().saturating_sub(T::Currency::balance(&account));
			if !missing.is_zero() {
				T::Currency::mint_into(&account, missing).expect("genesis mints the deposit");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An asset's royalty stack was fixed at its registration.
		StackFixed { asset: AssetRef, stack: StackOf<T>, total_bps: u32 },
		/// An asset's split was set; `pool` is the new pool, if any.
		SplitSet { asset: AssetRef, split: SplitOf<T>, pool: Option<PoolId> },
		/// Pool `pool` of `asset` was opened by a split (`SplitSet` follows): contributors claim
		/// against the sum tree of `spec`; `deposit` is held from the asset's owner until the
		/// pool is closed.
		PoolOpened { pool: PoolId, asset: AssetRef, spec: PoolSpec, deposit: DepositOf<T> },
		/// `payer` paid `amount` to `asset`.
		Paid { asset: AssetRef, payer: T::AccountId, amount: BalanceOf<T> },
		/// Out of a payment to `from`, `amount` went to its ancestor `to`.
		RoyaltyPaid { from: AssetRef, to: AssetRef, amount: BalanceOf<T> },
		/// `account` is owed `amount` more from `asset`.
		Credited { asset: AssetRef, account: T::AccountId, amount: BalanceOf<T> },
		/// Pool `pool` of `asset` accrued `amount`.
		PoolCredited { asset: AssetRef, pool: PoolId, amount: BalanceOf<T> },
		/// `account` claimed `amount` it was owed from `asset`.
		Claimed { asset: AssetRef, account: T::AccountId, amount: BalanceOf<T> },
		/// The contributor of leaf `index` of pool `pool` claimed `amount`; `claimed` is
		/// everything that leaf has claimed so far.
		PoolClaimed {
			pool: PoolId,
			index: u64,
			account: T::AccountId,
			amount: BalanceOf<T>,
			claimed: BalanceOf<T>,
		},
		/// Pool `pool` of `asset`, replaced and paid out, was removed; its owner's deposit was
		/// released.
		PoolClosed { pool: PoolId, asset: AssetRef, deposit: DepositOf<T> },
		/// The claim record of leaf `index` of the closed pool `pool` was removed; its
		/// claimant's deposit was released.
		LeafClaimCleared { pool: PoolId, index: u64, deposit: DepositOf<T> },
		/// The proofs file of pool `pool` of `asset` is published at `uri` from now on;
		/// `deposit` is held for the record (the one it replaces, if any, was released).
		PoolUriSet { pool: PoolId, asset: AssetRef, uri: UriOf<T>, deposit: DepositOf<T> },
		/// The proofs-file URI of pool `pool` was removed (by its owner, or with the closed
		/// pool); its deposit was released.
		PoolUriCleared { pool: PoolId, deposit: DepositOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No asset has this reference.
		UnknownAsset,
		/// The caller does not own the asset.
		NotOwner,
		/// More entries than `MaxSplitEntries`.
		TooManyEntries,
		/// An account is named twice in the split.
		DuplicateBeneficiary,
		/// The shares of the split (and its pool) do not make the whole.
		SharesDoNotSum,
		/// A pool with no leaves or no weight.
		EmptyPool,
		/// The payment is zero.
		ZeroPayment,
		/// Nothing is owed to the caller.
		NothingToClaim,
		/// No pool has this id.
		UnknownPool,
		/// The proof is longer than `MaxProofLen`.
		ProofTooLong,
		/// The proof does not put the caller's leaf in the pool's tree.
		BadProof,
		/// The pool holds nothing more to pay out now.
		PoolOverdrawn,
		/// The ancestors' royalties add up to more than `MaxStackBps`.
		StackTooHigh,
		/// More ancestors with a royalty than `MaxStackEntries`.
		StackTooLong,
		/// The stack is higher than the registration accepts.
		StackAboveLimit,
		/// The pool is its asset's current pool.
		PoolInUse,
		/// The pool has not paid out everything it accrued.
		PoolNotPaidOut,
		/// The pool is still open.
		PoolOpen,
		/// No claim record for this leaf.
		UnknownLeafClaim,
		/// The URI is longer than `MaxUriLen`.
		UriTooLong,
		/// The URI's scheme is not one of `ipfs://`, `ar://`, `hf://`, `s3://` or `https://`.
		UnsupportedUriScheme,
		/// The pool has no proofs-file URI.
		NoPoolUri,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				u32::from(T::MaxStackBps::get()) < BPS,
				"MaxStackBps must leave the asset a part"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets how `asset`'s income is divided from now on. A pool it replaces keeps what it
		/// accrued for its contributors, until they have claimed it all ([`Pallet::close_pool`]).
		///
		/// - origin: signed, the asset's owner, who holds the deposits of the split and its new
		///   pool; the deposit of the split it replaces is released to whoever held it.
		/// - `entries`: up to `MaxSplitEntries` distinct accounts with their shares.
		/// - `pool`: a contributor pool and its share; with `entries`, the whole.
		///
		/// Emits `SplitSet`. Complexity: O(entries²), entries bounded.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_split(
			(entries.len() as u32).min(T::MaxSplitEntries::get())
		))]
		pub fn set_split(
			origin: OriginFor<T>,
			asset: AssetRef,
			entries: Vec<(T::AccountId, Perbill)>,
			pool: Option<PoolSpec>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let owner = T::Lineage::owner(asset).ok_or(Error::<T>::UnknownAsset)?;
			ensure!(owner == who, Error::<T>::NotOwner);
			let entries: BoundedVec<_, T::MaxSplitEntries> =
				entries.try_into().map_err(|_| Error::<T>::TooManyEntries)?;
			let mut total: u64 = 0;
			for (i, (account, share)) in entries.iter().enumerate() {
				ensure!(
					!entries.iter().take(i).any(|(other, _)| other == account),
					Error::<T>::DuplicateBeneficiary
				);
				total = total.saturating_add(share.deconstruct().into());
			}
			if let Some(spec) = &pool {
				ensure!(spec.leaves > 0 && spec.total_weight > 0, Error::<T>::EmptyPool);
				total = total.saturating_add(spec.share.deconstruct().into());
			}
			ensure!(total == u64::from(Perbill::one().deconstruct()), Error::<T>::SharesDoNotSum);

			if let Some(replaced) = Splits::<T>::get(asset) {
				Self::release(&replaced.deposit);
			}
			let pool_id = match pool {
				Some(spec) => {
					let id = NextPoolId::<T>::get();
					let next = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
					NextPoolId::<T>::put(next);
					let mut record = PoolOf::<T> {
						asset,
						spec,
						accrued: Zero::zero(),
						paid: Zero::zero(),
						deposit: Deposit { depositor: who.clone(), amount: Zero::zero() },
					};
					record.deposit.amount =
						Self::deposit_for(Pools::<T>::hashed_key_for(id).len(), &record);
					Self::hold(&record.deposit)?;
					Self::deposit_event(Event::PoolOpened {
						pool: id,
						asset,
						spec,
						deposit: record.deposit.clone(),
					});
					Pools::<T>::insert(id, record);
					Some((id, spec.share))
				},
				None => None,
			};
			let mut split = SplitOf::<T> {
				entries,
				pool: pool_id,
				deposit: Deposit { depositor: who, amount: Zero::zero() },
			};
			split.deposit.amount =
				Self::deposit_for(Splits::<T>::hashed_key_for(asset).len(), &split);
			Self::hold(&split.deposit)?;
			Splits::<T>::insert(asset, split.clone());
			Self::deposit_event(Event::SplitSet { asset, split, pool: pool_id.map(|(id, _)| id) });
			Ok(())
		}

		/// Pays `amount` to `asset`: its royalty stack takes its rates first, the rest is
		/// divided by its split.
		///
		/// - origin: signed, anyone; `amount` leaves its account, and it holds the deposit of each
		///   claimable entry the payment creates, released when that entry is claimed.
		///
		/// Emits `Paid`, `RoyaltyPaid` per ancestor, and `Credited` / `PoolCredited` per
		/// share. Complexity: O(stack × split); charged for the asset's actual stack (and the
		/// largest splits), the rest of the worst case refunded.
		#[pallet::call_index(1)]
		#[pallet::weight(<Pallet<T> as RoyaltyPayments<_, _>>::max_pay_weight())]
		pub fn pay(
			origin: OriginFor<T>,
			asset: AssetRef,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let payer = ensure_signed(origin)?;
			let stack = Self::do_pay(&payer, asset, amount)?;
			Ok(Some(T::WeightInfo::pay(stack.max(1))).into())
		}

		/// Takes what the caller is owed from `asset`; the entry's deposit goes back to the payer
		/// who held it.
		///
		/// - origin: signed, an account with a claimable balance from `asset`.
		///
		/// Emits `Claimed`. Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim(origin: OriginFor<T>, asset: AssetRef) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let Owed { amount, deposit } =
				Claimable::<T>::take(&who, asset).ok_or(Error::<T>::NothingToClaim)?;
			T::Currency::transfer(&Self::account_id(), &who, amount, Preservation::Expendable)?;
			Self::release(&deposit);
			Self::deposit_event(Event::Claimed { asset, account: who, amount });
			Ok(())
		}

		/// Takes the caller's part of pool `pool`: its range's part of everything the pool
		/// accrued (see the crate docs), less what its leaf claimed before.
		///
		/// - origin: signed, a contributor.
		/// - `weight`, `index`, `proof`: its leaf `(caller, weight)` at `index` and the sum-tree
		///   audit path to the pool's root (at most `MaxProofLen` nodes).
		///
		/// The leaf's first claim holds the deposit of its claim record from the caller, until
		/// the pool is closed and the record cleared ([`Pallet::clear_leaf_claim`]).
		///
		/// Fails with `BadProof` unless the leaf proves its place; never pays out more than the
		/// pool accrued less what it paid (`PoolOverdrawn` when that is nothing).
		///
		/// Emits `PoolClaimed`. Complexity: O(proof).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::claim_from_pool(
			(proof.len() as u32).min(T::MaxProofLen::get())
		))]
		pub fn claim_from_pool(
			origin: OriginFor<T>,
			pool: PoolId,
			weight: u128,
			index: u64,
			proof: Vec<SumNode>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(proof.len() as u32 <= T::MaxProofLen::get(), Error::<T>::ProofTooLong);
			let mut record = Pools::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?;
			let offset = Self::verify_leaf(&record, &who, weight, index, &proof)?;
			let previous = PoolClaims::<T>::get(pool, index);
			let claimed = previous.as_ref().map(|leaf| leaf.claimed).unwrap_or_default();
			let owed = Self::pool_entitlement(&record, offset, weight).saturating_sub(claimed);
			ensure!(!owed.is_zero(), Error::<T>::NothingToClaim);
			// A range's part, rounded at both ends, can shrink by a unit as the pool grows, so
			// parts claimed at different times may add up to a unit more than was accrued: pay
			// what the pool holds, the rest once it accrues more.
			let amount = owed.min(record.accrued.saturating_sub(record.paid));
			ensure!(!amount.is_zero(), Error::<T>::PoolOverdrawn);
			record.paid = record.paid.checked_add(&amount).ok_or(Error::<T>::PoolOverdrawn)?;
			T::Currency::transfer(&Self::account_id(), &who, amount, Preservation::Expendable)?;
			let claimed = claimed.saturating_add(amount);
			let leaf = match previous {
				Some(leaf) => LeafClaim { claimed, ..leaf },
				None => {
					let mut leaf = LeafClaim {
						claimed,
						deposit: Deposit { depositor: who.clone(), amount: Zero::zero() },
					};
					leaf.deposit.amount = Self::deposit_for(
						PoolClaims::<T>::hashed_key_for(pool, index).len(),
						&leaf,
					);
					Self::hold(&leaf.deposit)?;
					leaf
				},
			};
			PoolClaims::<T>::insert(pool, index, leaf);
			Pools::<T>::insert(pool, record);
			Self::deposit_event(Event::PoolClaimed { pool, index, account: who, amount, claimed });
			Ok(())
		}

		/// Removes a pool its asset's split no longer names once it has paid out everything it
		/// accrued, releasing its owner's deposit (and the deposit of its proofs-file URI). Its
		/// leaves' claim records can then be cleared.
		///
		/// - origin: signed, anyone.
		///
		/// Fails with `PoolInUse` while the pool is its asset's, `PoolNotPaidOut` while its
		/// contributors are owed anything. Emits `PoolClosed` (and `PoolUriCleared`).
		/// Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::close_pool())]
		pub fn close_pool(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			ensure_signed(origin)?;
			let record = Pools::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?;
			let current = Splits::<T>::get(record.asset).and_then(|split| split.pool);
			ensure!(current.map(|(id, _)| id) != Some(pool), Error::<T>::PoolInUse);
			ensure!(record.paid == record.accrued, Error::<T>::PoolNotPaidOut);
			Pools::<T>::remove(pool);
			Self::release(&record.deposit);
			if let Some(uri) = PoolUris::<T>::take(pool) {
				Self::release(&uri.deposit);
				Self::deposit_event(Event::PoolUriCleared { pool, deposit: uri.deposit });
			}
			Self::deposit_event(Event::PoolClosed {
				pool,
				asset: record.asset,
				deposit: record.deposit,
			});
			Ok(())
		}

		/// Removes the claim record of leaf `index` of the closed pool `pool`, releasing its
		/// claimant's deposit.
		///
		/// - origin: signed, anyone.
		///
		/// Emits `LeafClaimCleared`. Complexity: O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::clear_leaf_claim())]
		pub fn clear_leaf_claim(origin: OriginFor<T>, pool: PoolId, index: u64) -> DispatchResult {
			ensure_signed(origin)?;
			ensure!(!Pools::<T>::contains_key(pool), Error::<T>::PoolOpen);
			let leaf = PoolClaims::<T>::take(pool, index).ok_or(Error::<T>::UnknownLeafClaim)?;
			Self::release(&leaf.deposit);
			Self::deposit_event(Event::LeafClaimCleared { pool, index, deposit: leaf.deposit });
			Ok(())
		}

		/// Publishes where pool `pool`'s proofs file is (every contributor's leaf and audit path,
		/// the format `prov pool build` writes), so that a contributor finds its leaf from the
		/// chain alone; `None` removes it. The file is checked against the pool's root by whoever
		/// reads it, so the URI points at the file but cannot change what anyone is owed.
		///
		/// - origin: signed, the current owner of the pool's asset, who holds the record's deposit
		///   (by its bytes); the deposit of the URI it replaces is released to whoever held it.
		/// - `uri`: up to `MaxUriLen` bytes, `ipfs://`, `ar://`, `hf://`, `s3://` or `https://`.
		///
		/// Any open pool of the asset may have one, replaced pools too (their contributors still
		/// claim). Emits `PoolUriSet` or `PoolUriCleared`. Complexity: O(uri).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_pool_uri())]
		pub fn set_pool_uri(
			origin: OriginFor<T>,
			pool: PoolId,
			uri: Option<Vec<u8>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let asset = Pools::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?.asset;
			let owner = T::Lineage::owner(asset).ok_or(Error::<T>::UnknownAsset)?;
			ensure!(owner == who, Error::<T>::NotOwner);
			let Some(uri) = uri else {
				let replaced = PoolUris::<T>::take(pool).ok_or(Error::<T>::NoPoolUri)?;
				Self::release(&replaced.deposit);
				Self::deposit_event(Event::PoolUriCleared { pool, deposit: replaced.deposit });
				return Ok(());
			};
			let uri: UriOf<T> = uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
			ensure!(
				provenance_primitives::is_supported_uri(&uri),
				Error::<T>::UnsupportedUriScheme
			);
			let mut record =
				PoolUriOf::<T> { uri, deposit: Deposit { depositor: who, amount: Zero::zero() } };
			record.deposit.amount =
				Self::deposit_for(PoolUris::<T>::hashed_key_for(pool).len(), &record);
			if let Some(replaced) = PoolUris::<T>::get(pool) {
				Self::release(&replaced.deposit);
			}
			Self::hold(&record.deposit)?;
			PoolUris::<T>::insert(pool, &record);
			Self::deposit_event(Event::PoolUriSet {
				pool,
				asset,
				uri: record.uri,
				deposit: record.deposit,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The account that holds what is owed.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) assets `who` may claim from, with the amounts,
		/// after the asset `after`.
		pub fn claimable_page(
			who: T::AccountId,
			after: Option<AssetRef>,
			limit: u32,
		) -> Vec<(AssetRef, BalanceOf<T>)> {
			provenance_primitives::storage::entries_page_of::<Claimable<T>, _, _, _>(
				who, after, limit,
			)
			.into_iter()
			.map(|(asset, owed)| (asset, owed.amount))
			.collect()
		}

		/// The deposit of a record of `key_len` bytes of key holding `value`.
		pub fn deposit_for(key_len: usize, value: &impl Encode) -> BalanceOf<T> {
			provenance_primitives::storage::deposit(
				T::DepositBase::get(),
				T::DepositPerByte::get(),
				key_len.saturating_add(value.encoded_size()).saturated_into(),
			)
		}

		fn hold(deposit: &DepositOf<T>) -> DispatchResult {
			if deposit.amount.is_zero() {
				return Ok(());
			}
			T::Currency::hold(&HoldReason::RecordDeposit.into(), &deposit.depositor, deposit.amount)
		}

		/// Releases `deposit`; best effort, as nothing else can take it.
		fn release(deposit: &DepositOf<T>) {
			let _ = T::Currency::release(
				&HoldReason::RecordDeposit.into(),
				&deposit.depositor,
				deposit.amount,
				Precision::BestEffort,
			);
		}

		/// What the contributor `who` of `weight` at leaf `index` may claim from `pool` now, or
		/// `None` when the pool is unknown or the proof does not hold.
		pub fn pool_claimable(
			pool: PoolId,
			who: &T::AccountId,
			weight: u128,
			index: u64,
			proof: &[SumNode],
		) -> Option<BalanceOf<T>> {
			let record = Pools::<T>::get(pool)?;
			let offset = Self::verify_leaf(&record, who, weight, index, proof).ok()?;
			Some(Self::pool_entitlement(&record, offset, weight).saturating_sub(
				PoolClaims::<T>::get(pool, index).map(|leaf| leaf.claimed).unwrap_or_default(),
			))
		}

		/// Checks that `(who, weight)` is leaf `index` of `pool`'s sum tree by `proof`; returns
		/// the leaf's offset.
		fn verify_leaf(
			pool: &PoolOf<T>,
			who: &T::AccountId,
			weight: u128,
			index: u64,
			proof: &[SumNode],
		) -> Result<u128, Error<T>> {
			let leaf = merkle::sum_leaf::<HostSha256>(&(who, weight).encode(), weight);
			let root = SumNode { hash: pool.spec.root, sum: pool.spec.total_weight };
			merkle::verify_sum_inclusion::<HostSha256>(&leaf, index, pool.spec.leaves, proof, &root)
				.map_err(|_| Error::<T>::BadProof)
		}

		/// `asset`'s split, stack and totals, if it exists.
		pub fn royalties_of(asset: AssetRef) -> Option<AssetRoyaltiesOf<T>> {
			T::Lineage::owner(asset)?;
			Some(AssetRoyalties {
				split: Splits::<T>::get(asset),
				stack: Stacks::<T>::get(asset).unwrap_or_default(),
				totals: AssetTotals::<T>::get(asset),
			})
		}

		/// The part of everything `pool` accrued owed to the range `[offset, offset + weight)`:
		/// `floor(A (offset + weight) / W) - floor(A offset / W)`, so that the parts of ranges
		/// tiling `[0, W)` add up to exactly `A`.
		pub fn pool_entitlement(pool: &PoolOf<T>, offset: u128, weight: u128) -> BalanceOf<T> {
			let accrued: u128 = pool.accrued.saturated_into();
			let total = pool.spec.total_weight;
			let up_to = |point: u128| {
				sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
					accrued,
					point.min(total),
					total,
					sp_runtime::Rounding::Down,
				)
				.unwrap_or_default()
			};
			up_to(offset.saturating_add(weight)).saturating_sub(up_to(offset)).saturated_into()
		}

		/// Moves `amount` from `payer` to `asset`'s beneficiaries; returns the length of the
		/// stack it paid.
		fn do_pay(
			payer: &T::AccountId,
			asset: AssetRef,
			amount: BalanceOf<T>,
		) -> Result<u32, DispatchError> {
			ensure!(!amount.is_zero(), Error::<T>::ZeroPayment);
			T::Lineage::owner(asset).ok_or(Error::<T>::UnknownAsset)?;
			T::Currency::transfer(payer, &Self::account_id(), amount, Preservation::Preserve)?;
			Self::deposit_event(Event::Paid { asset, payer: payer.clone(), amount });
			let mut deposits = BalanceOf::<T>::zero();
			let stack_len = Self::distribute(payer, asset, amount, &mut deposits);
			Self::hold(&Deposit { depositor: payer.clone(), amount: deposits })?;
			Ok(stack_len)
		}

		/// Credits `amount`, already in the pallet account, to `asset`: the stack first, then
		/// the split; adds the deposits of the claimable entries it creates, `payer`'s, to
		/// `deposits`. Returns the length of the stack.
		fn distribute(
			payer: &T::AccountId,
			asset: AssetRef,
			amount: BalanceOf<T>,
			deposits: &mut BalanceOf<T>,
		) -> u32 {
			let stack = Stacks::<T>::get(asset).unwrap_or_default();
			let stack_len = stack.len() as u32;
			let mut rest = amount;
			for StackEntry { ancestor, bps, .. } in stack {
				let part = Perbill::from_rational(u32::from(bps), BPS).mul_floor(amount);
				if part.is_zero() {
					continue;
				}
				rest.saturating_reduce(part);
				AssetTotals::<T>::mutate(ancestor, |t| t.royalties_in.saturating_accrue(part));
				Self::deposit_event(Event::RoyaltyPaid { from: asset, to: ancestor, amount: part });
				Self::credit(payer, ancestor, part, deposits);
			}
			AssetTotals::<T>::mutate(asset, |t| {
				t.paid_in.saturating_accrue(amount);
				t.royalties_out.saturating_accrue(amount.saturating_sub(rest));
			});
			Self::credit(payer, asset, rest, deposits);
			stack_len
		}

		/// Divides `amount` by `asset`'s split (its owner's, without one). What rounding
		/// leaves goes to the first entry, or the pool when there is no entry.
		fn credit(
			payer: &T::AccountId,
			asset: AssetRef,
			amount: BalanceOf<T>,
			deposits: &mut BalanceOf<T>,
		) {
			let split = match Splits::<T>::get(asset) {
				Some(split) => split,
				None => {
					if let Some(owner) = T::Lineage::owner(asset) {
						Self::credit_account(payer, asset, &owner, amount, deposits);
					}
					return;
				},
			};
			let mut parts: Vec<BalanceOf<T>> =
				split.entries.iter().map(|(_, share)| share.mul_floor(amount)).collect();
			let mut pool_part = split.pool.map(|(_, share)| share.mul_floor(amount));
			let allotted = parts
				.iter()
				.chain(pool_part.iter())
				.fold(BalanceOf::<T>::zero(), |sum, part| sum.saturating_add(*part));
			let dust = amount.saturating_sub(allotted);
			match (parts.first_mut(), pool_part.as_mut()) {
				(Some(first), _) => first.saturating_accrue(dust),
				(None, Some(pool)) => pool.saturating_accrue(dust),
				(None, None) => {},
			}
			for ((account, _), part) in split.entries.iter().zip(parts) {
				Self::credit_account(payer, asset, account, part, deposits);
			}
			if let (Some((pool, _)), Some(part)) = (split.pool, pool_part) {
				if !part.is_zero() {
					Pools::<T>::mutate(pool, |record| {
						if let Some(record) = record {
							record.accrued.saturating_accrue(part);
						}
					});
					Self::deposit_event(Event::PoolCredited { asset, pool, amount: part });
				}
			}
		}

		/// Owes `amount` more to `account` from `asset`; a new entry's deposit is `payer`'s.
		fn credit_account(
			payer: &T::AccountId,
			asset: AssetRef,
			account: &T::AccountId,
			amount: BalanceOf<T>,
			deposits: &mut BalanceOf<T>,
		) {
			if amount.is_zero() {
				return;
			}
			Claimable::<T>::mutate(account, asset, |entry| match entry {
				Some(owed) => owed.amount.saturating_accrue(amount),
				None => {
					let mut owed = OwedOf::<T> {
						amount,
						deposit: Deposit { depositor: payer.clone(), amount: Zero::zero() },
					};
					owed.deposit.amount = Self::deposit_for(
						Claimable::<T>::hashed_key_for(account, asset).len(),
						&owed,
					);
					deposits.saturating_accrue(owed.deposit.amount);
					*entry = Some(owed);
				},
			});
			Self::deposit_event(Event::Credited { asset, account: account.clone(), amount });
		}

		/// The royalty stack of the asset `registration` made, from its inputs and their stacks
		/// (and its predecessor's), with the sum of its rates.
		pub fn stack_of(
			registration: &Registration<'_, T::AccountId>,
		) -> Result<(StackOf<T>, u32), Error<T>> {
			let max_depth = T::MaxStackDepth::get();
			let mut stack = StackOf::<T>::default();
			let mut add = |entry: StackEntry| -> Result<(), Error<T>> {
				if entry.bps == 0 || entry.depth > max_depth {
					return Ok(());
				}
				match stack.iter_mut().find(|known| known.ancestor == entry.ancestor) {
					Some(known) if known.depth > entry.depth => *known = entry,
					Some(_) => {},
					None => stack.try_push(entry).map_err(|_| Error::<T>::StackTooLong)?,
				}
				Ok(())
			};
			for &input in registration.inputs {
				// Only an input's royalty depends on who registered the asset.
				let bps = T::Terms::upstream_royalty_bps(input, registration.registrant);
				add(StackEntry { ancestor: input, bps, depth: 1 })?;
				for inherited in Stacks::<T>::get(input).unwrap_or_default() {
					add(StackEntry { depth: inherited.depth.saturating_add(1), ..inherited })?;
				}
			}
			if let Some(previous) = registration.previous_version {
				Stacks::<T>::get(previous)
					.unwrap_or_default()
					.into_iter()
					.try_for_each(&mut add)?;
			}
			let total_bps = stack.iter().map(|entry| u32::from(entry.bps)).sum::<u32>();
			ensure!(total_bps <= u32::from(T::MaxStackBps::get()), Error::<T>::StackTooHigh);
			Ok((stack, total_bps))
		}
	}

	impl<T: Config> RoyaltyPayments<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn pay(payer: &T::AccountId, asset: AssetRef, amount: BalanceOf<T>) -> DispatchResult {
			Self::do_pay(payer, asset, amount).map(|_| ())
		}

		fn max_pay_weight() -> Weight {
			T::WeightInfo::pay(T::MaxStackEntries::get())
		}
	}

	impl<T: Config> OnAssetRegistered<T::AccountId> for Pallet<T> {
		fn on_asset_registered(
			registration: Registration<'_, T::AccountId>,
			max_stack_bps: Option<u16>,
		) -> DispatchResult {
			let (stack, total_bps) = Self::stack_of(&registration)?;
			let asset = registration.asset;
			ensure!(
				max_stack_bps.is_none_or(|bound| total_bps <= u32::from(bound)),
				Error::<T>::StackAboveLimit
			);
			if !stack.is_empty() {
				Stacks::<T>::insert(asset, stack.clone());
				Self::deposit_event(Event::StackFixed { asset, stack, total_bps });
			}
			Ok(())
		}
	}
}
