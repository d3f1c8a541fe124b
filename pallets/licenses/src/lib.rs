//! # Licenses
//!
//! The terms under which datasets and models may be used and built on, and the grants that
//! let an account do so.
//!
//! ## Terms, licenses and grants
//!
//! [`Terms`] are records: commercial use or not, whether derivatives are allowed (freely,
//! share-alike, or not at all), attribution, a fee, an upstream royalty in basis points, how
//! long a grant lasts, and where the legal text is (URI and SHA-256). Anyone may publish
//! terms ([`Pallet::create_terms`], with a deposit); a few standard ones exist from genesis.
//!
//! An asset's owner offers it under terms with a [`Policy`] ([`Pallet::set_license`]):
//! `Open` (anyone may derive, under the terms) or `Licensed` (deriving needs a grant).
//! [`Pallet::acquire_license`] buys a grant: the fee is paid into the asset's royalties and
//! the grant records the terms it was bought under and its expiry. The buyer names the terms
//! and the most it pays, so an owner who sees the purchase coming cannot swap in dearer terms
//! first. A grant holds a deposit from the licensee for its record, released when the licensee
//! gives it up ([`Pallet::relinquish`]). A revoked or tainted asset takes no new grants.
//!
//! ## The derivative check
//!
//! Pallets that register derived assets ask [`DerivativeCheck`]: for each input with a
//! license (the owner's own assets aside), a `Licensed` one needs a live grant; the terms
//! (the grant's, or the asset's when it is `Open`) must allow derivatives, and commercial use
//! when the new asset is commercial. Share-alike terms pass to the new asset, which is then
//! offered `Licensed` under them and stays under them: its owner may change the policy, never
//! the terms (or a share-alike derivative could be offered as CC0 the block after it
//! registered); inputs with different share-alike terms cannot be mixed. The terms a
//! derivative was made under also give the upstream royalty it owes ([`UpstreamRoyalty`]):
//! the grant's terms for a licensed input, whatever the asset is offered under later.

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

/// Makes assets for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an asset owned (and paid for) by `owner`; `seed` makes it unique.
	fn asset(owner: &AccountId, seed: u32) -> provenance_primitives::AssetRef;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use provenance_primitives::{
		traits::{AssetLineage, DerivativeCheck, RoyaltyPayments, UpstreamRoyalty},
		AssetRef, TermsId,
	};
	use sp_runtime::traits::{Saturating, Zero};

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type TermsOf<T> = Terms<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxUriLen,
	>;
	pub type TermsSpecOf<T> = TermsSpec<BalanceOf<T>, BlockNumberFor<T>>;
	pub type GrantOf<T> = Grant<BalanceOf<T>, BlockNumberFor<T>>;

	/// Basis points in the whole.
	const BPS: u16 = 10_000;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a terms record.
		TermsDeposit,
		/// The deposit of a grant record.
		GrantDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency fees are paid and deposits held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Owners and state of assets.
		type Assets: AssetLineage<Self::AccountId>;
		/// Where license fees go: the asset's royalties.
		type Payments: RoyaltyPayments<Self::AccountId, BalanceOf<Self>>;
		/// The deposit every terms record holds.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// The deposit per byte of a terms record.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// The longest terms URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// The deposit a grant record holds from its licensee.
		#[pallet::constant]
		type GrantDeposit: Get<BalanceOf<Self>>;
		/// Makes assets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next terms get.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextTermsId<T> = StorageValue<_, TermsId, ValueQuery>;

	/// License terms, by id.
	#[pallet::storage]
	pub type AllTerms<T: Config> = StorageMap<_, Twox64Concat, TermsId, TermsOf<T>>;

	/// The terms and policy each asset is offered under.
	#[pallet::storage]
	pub type AssetLicenses<T> = StorageMap<_, Twox64Concat, AssetRef, AssetLicense>;

	/// Grants, by asset and licensee.
	#[pallet::storage]
	pub type Grants<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AssetRef, Blake2_128Concat, T::AccountId, GrantOf<T>>;

	/// Share-alike terms an asset took from its inputs: it stays under them.
	#[pallet::storage]
	pub type InheritedTerms<T> = StorageMap<_, Twox64Concat, AssetRef, TermsId>;

	/// Standard terms that exist from the genesis, each with the URI of its text.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub terms: Vec<(TermsSpecOf<T>, Vec<u8>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		// A genesis that does not hold is refused when its chain spec is built, before any
		// chain runs.
		#[allow(clippy::expect_used)]
		fn build(&self) {
			for (spec, uri) in &self.terms {
				let terms = Pallet::<T>::checked_terms(spec.clone(), uri.clone(), None)
					.expect("genesis terms are valid");
				Pallet::<T>::insert_terms(terms).expect("genesis terms fit the id space");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Terms were published; `uri` is where their text is.
		TermsCreated {
			id: TermsId,
			author: T::AccountId,
			spec: TermsSpecOf<T>,
			uri: BoundedVec<u8, T::MaxUriLen>,
			deposit: BalanceOf<T>,
		},
		/// An asset is offered under `terms` with `policy`.
		LicenseSet { asset: AssetRef, terms: TermsId, policy: Policy },
		/// `licensee` acquired a license of `asset`, paying `fee` into its royalties and
		/// holding `deposit` for the grant.
		LicenseGranted {
			asset: AssetRef,
			licensee: T::AccountId,
			terms: TermsId,
			fee: BalanceOf<T>,
			expires_at: Option<BlockNumberFor<T>>,
			deposit: BalanceOf<T>,
		},
		/// `licensee` gave its license of `asset` up.
		LicenseRelinquished { asset: AssetRef, licensee: T::AccountId },
		/// A new asset took share-alike `terms` from its inputs.
		TermsInherited { asset: AssetRef, terms: TermsId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The URI is longer than `MaxUriLen`.
		UriTooLong,
		/// The upstream royalty is more than 10,000 basis points.
		RoyaltyTooHigh,
		/// A grant of no duration.
		ZeroDuration,
		/// No terms have this id.
		UnknownTerms,
		/// No asset has this reference.
		UnknownAsset,
		/// The caller does not own the asset.
		NotOwner,
		/// The asset is offered under no terms.
		NotLicensable,
		/// The asset is `Open`: deriving needs no grant.
		NoGrantNeeded,
		/// The asset is revoked or tainted: it takes no new grants.
		AssetUnusable,
		/// The caller holds a live grant already.
		AlreadyLicensed,
		/// The caller holds no grant of the asset.
		NoGrant,
		/// A `Licensed` input and no live grant of it.
		NoLiveGrant,
		/// An input's terms allow no derivatives.
		DerivativesNotAllowed,
		/// An input's terms allow no commercial use.
		NotForCommercialUse,
		/// Inputs with different share-alike terms.
		ConflictingShareAlike,
		/// The asset carries share-alike terms from its inputs; it stays under them.
		ShareAlikeInherited,
		/// The asset is offered under other terms than the buyer named.
		TermsChanged,
		/// The fee is more than the buyer's limit.
		FeeAboveLimit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Publishes license terms; the caller holds their deposit.
		///
		/// - origin: signed.
		/// - `spec`: the terms; the upstream royalty at most 10,000 bp, a duration not zero.
		/// - `uri`: where the legal text is, at most `MaxUriLen` bytes.
		///
		/// Emits `TermsCreated`. Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_terms())]
		pub fn create_terms(
			origin: OriginFor<T>,
			spec: TermsSpecOf<T>,
			uri: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut terms = Self::checked_terms(spec.clone(), uri, Some(who.clone()))?;
			terms.deposit = provenance_primitives::storage::deposit(
				T::DepositBase::get(),
				T::DepositPerByte::get(),
				terms.encoded_size() as u32,
			);
			let (deposit, uri) = (terms.deposit, terms.uri.clone());
			T::Currency::hold(&HoldReason::TermsDeposit.into(), &who, deposit)?;
			let id = Self::insert_terms(terms)?;
			Self::deposit_event(Event::TermsCreated { id, author: who, spec, uri, deposit });
			Ok(())
		}

		/// Offers `asset` under `terms` with `policy`. Grants already made keep their terms.
		///
		/// - origin: signed, the asset's owner.
		/// - `terms`: the share-alike terms the asset took from its inputs, if it took any.
		///
		/// Emits `LicenseSet`. Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_license())]
		pub fn set_license(
			origin: OriginFor<T>,
			asset: AssetRef,
			terms: TermsId,
			policy: Policy,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let owner = T::Assets::owner(asset).ok_or(Error::<T>::UnknownAsset)?;
			ensure!(owner == who, Error::<T>::NotOwner);
			ensure!(AllTerms::<T>::contains_key(terms), Error::<T>::UnknownTerms);
			ensure!(
				InheritedTerms::<T>::get(asset).map_or(true, |inherited| inherited == terms),
				Error::<T>::ShareAlikeInherited
			);
			AssetLicenses::<T>::insert(asset, AssetLicense { terms, policy });
			Self::deposit_event(Event::LicenseSet { asset, terms, policy });
			Ok(())
		}

		/// Buys a license of `asset` under `terms`, paying at most `max_fee`: the fee goes into
		/// the asset's royalties, the grant lasts the terms' duration and holds a deposit for its
		/// record (an expired grant of the caller is replaced, its deposit carried over).
		///
		/// - origin: signed, without a live grant of the asset.
		/// - `asset`: `Licensed` under `terms`, neither revoked nor tainted.
		/// - `max_fee`: the most the caller pays; a higher fee fails with `FeeAboveLimit`, other
		///   terms with `TermsChanged`, so a purchase seen in the mempool cannot be repriced.
		///
		/// Emits `LicenseGranted` (and the royalties pallet's payment events). Complexity:
		/// O(1) plus a royalty payment, weighed at its worst.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::acquire_license().saturating_add(T::Payments::max_pay_weight()))]
		pub fn acquire_license(
			origin: OriginFor<T>,
			asset: AssetRef,
			terms: TermsId,
			#[pallet::compact] max_fee: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let license = AssetLicenses::<T>::get(asset).ok_or(Error::<T>::NotLicensable)?;
			ensure!(license.policy == Policy::Licensed, Error::<T>::NoGrantNeeded);
			ensure!(license.terms == terms, Error::<T>::TermsChanged);
			ensure!(T::Assets::is_usable(asset), Error::<T>::AssetUnusable);
			ensure!(Self::live_grant(asset, &who).is_none(), Error::<T>::AlreadyLicensed);
			let spec = AllTerms::<T>::get(terms).ok_or(Error::<T>::UnknownTerms)?.spec;
			let fee = spec.fee;
			ensure!(fee <= max_fee, Error::<T>::FeeAboveLimit);
			if !fee.is_zero() {
				T::Payments::pay(&who, asset, fee)?;
			}
			let deposit = match Grants::<T>::get(asset, &who) {
				Some(expired) => expired.deposit,
				None => {
					let deposit = T::GrantDeposit::get();
					T::Currency::hold(&HoldReason::GrantDeposit.into(), &who, deposit)?;
					deposit
				},
			};
			let now = frame_system::Pallet::<T>::block_number();
			let expires_at = spec.duration.map(|d| now.saturating_add(d));
			Grants::<T>::insert(asset, &who, Grant { terms, expires_at, deposit });
			Self::deposit_event(Event::LicenseGranted {
				asset,
				licensee: who,
				terms,
				fee,
				expires_at,
				deposit,
			});
			Ok(())
		}

		/// Gives up the caller's license of `asset` (no refund of the fee); the grant's deposit
		/// is released.
		///
		/// - origin: signed, with a grant of the asset, live or expired.
		///
		/// Emits `LicenseRelinquished`. Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::relinquish())]
		pub fn relinquish(origin: OriginFor<T>, asset: AssetRef) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let grant = Grants::<T>::take(asset, &who).ok_or(Error::<T>::NoGrant)?;
			T::Currency::release(
				&HoldReason::GrantDeposit.into(),
				&who,
				grant.deposit,
				frame_support::traits::tokens::Precision::BestEffort,
			)?;
			Self::deposit_event(Event::LicenseRelinquished { asset, licensee: who });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// `spec` and `uri` as a terms record, if they are valid.
		fn checked_terms(
			spec: TermsSpecOf<T>,
			uri: Vec<u8>,
			author: Option<T::AccountId>,
		) -> Result<TermsOf<T>, Error<T>> {
			let uri = uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
			ensure!(spec.upstream_royalty_bps <= BPS, Error::<T>::RoyaltyTooHigh);
			ensure!(spec.duration.map_or(true, |d| !d.is_zero()), Error::<T>::ZeroDuration);
			Ok(TermsOf::<T> { spec, uri, author, deposit: Zero::zero() })
		}

		fn insert_terms(terms: TermsOf<T>) -> Result<TermsId, DispatchError> {
			let id = NextTermsId::<T>::get();
			let next = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			NextTermsId::<T>::put(next);
			AllTerms::<T>::insert(id, terms);
			Ok(id)
		}

		/// `who`'s grant of `asset`, if it has not expired.
		pub fn live_grant(asset: AssetRef, who: &T::AccountId) -> Option<GrantOf<T>> {
			let now = frame_system::Pallet::<T>::block_number();
			Grants::<T>::get(asset, who).filter(|g| g.expires_at.map_or(true, |end| now < end))
		}

		/// What `asset` is offered under (`LicensesApi::license`).
		pub fn license_of(asset: AssetRef) -> Option<LicenseView<TermsOf<T>>> {
			let license = AssetLicenses::<T>::get(asset);
			let inherited = InheritedTerms::<T>::get(asset);
			if license.is_none() && inherited.is_none() {
				return None;
			}
			let terms = license.and_then(|license| AllTerms::<T>::get(license.terms));
			Some(LicenseView { license, terms, inherited })
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) grants of `asset` after the licensee `after`.
		pub fn grants_page(
			asset: AssetRef,
			after: Option<T::AccountId>,
			limit: u32,
		) -> Vec<(T::AccountId, GrantOf<T>)> {
			provenance_primitives::storage::entries_page_of::<Grants<T>, _, _, _>(
				asset, after, limit,
			)
		}
	}

	impl<T: Config> DerivativeCheck<T::AccountId> for Pallet<T> {
		fn check_derivative(
			who: &T::AccountId,
			inputs: &[AssetRef],
			commercial: bool,
		) -> Result<Option<TermsId>, DispatchError> {
			let mut share_alike = None;
			for input in inputs {
				let Some(license) = AssetLicenses::<T>::get(input) else { continue };
				let own = T::Assets::owner(*input).as_ref() == Some(who);
				let terms_id = match (own, license.policy) {
					(true, _) | (false, Policy::Open) => license.terms,
					(false, Policy::Licensed) => {
						Self::live_grant(*input, who).ok_or(Error::<T>::NoLiveGrant)?.terms
					},
				};
				let terms = AllTerms::<T>::get(terms_id).ok_or(Error::<T>::UnknownTerms)?;
				if !own {
					ensure!(
						terms.spec.derivatives != Derivatives::NotAllowed,
						Error::<T>::DerivativesNotAllowed
					);
					ensure!(
						!commercial || terms.spec.commercial_use,
						Error::<T>::NotForCommercialUse
					);
				}
				if terms.spec.derivatives == Derivatives::ShareAlike {
					ensure!(
						share_alike.map_or(true, |id| id == terms_id),
						Error::<T>::ConflictingShareAlike
					);
					share_alike = Some(terms_id);
				}
			}
			Ok(share_alike)
		}

		fn inherit_terms(asset: AssetRef, terms: TermsId) {
			AssetLicenses::<T>::insert(asset, AssetLicense { terms, policy: Policy::Licensed });
			InheritedTerms::<T>::insert(asset, terms);
			Self::deposit_event(Event::TermsInherited { asset, terms });
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> Pallet<T> {
		/// Offers `asset` with `policy` under new terms that allow commercial derivatives and
		/// reserve `royalty_bps`, for the benchmarks of other pallets.
		pub fn offer_for_benchmarks(asset: AssetRef, royalty_bps: u16, policy: Policy) -> TermsId {
			let spec = TermsSpecOf::<T> {
				commercial_use: true,
				derivatives: Derivatives::Allowed,
				attribution: true,
				fee: Zero::zero(),
				upstream_royalty_bps: royalty_bps,
				duration: None,
				terms_hash: [0; 32],
			};
			let terms =
				TermsOf::<T> { spec, uri: Default::default(), author: None, deposit: Zero::zero() };
			let id = Self::insert_terms(terms).expect("benchmarks use few terms ids");
			AssetLicenses::<T>::insert(asset, AssetLicense { terms: id, policy });
			id
		}
	}

	/// Datasets reserve a royalty of 1 bp, checkpoints none: a checkpoint made from the most
	/// datasets then has a full royalty stack, never an overfull one.
	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> provenance_primitives::traits::LicenseFactory<T::AccountId> for Pallet<T> {
		fn license(asset: AssetRef, licensee: &T::AccountId) {
			let royalty_bps = match asset {
				AssetRef::Dataset(_) => 1,
				AssetRef::Checkpoint(_) => 0,
			};
			let terms = Self::offer_for_benchmarks(asset, royalty_bps, Policy::Licensed);
			Grants::<T>::insert(
				asset,
				licensee,
				Grant { terms, expires_at: None, deposit: Zero::zero() },
			);
		}
	}

	impl<T: Config> UpstreamRoyalty<T::AccountId> for Pallet<T> {
		fn upstream_royalty_bps(asset: AssetRef, registrant: &T::AccountId) -> u16 {
			let Some(license) = AssetLicenses::<T>::get(asset) else { return 0 };
			let own = T::Assets::owner(asset).as_ref() == Some(registrant);
			let terms = match (own, license.policy) {
				(false, Policy::Licensed) => {
					Self::live_grant(asset, registrant).map_or(license.terms, |g| g.terms)
				},
				_ => license.terms,
			};
			AllTerms::<T>::get(terms).map_or(0, |terms| terms.spec.upstream_royalty_bps)
		}
	}
}
