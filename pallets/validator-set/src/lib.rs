//! # Validator set
//!
//! The accounts whose session keys author blocks (Aura) and finalize them (GRANDPA). Root
//! (later governance) adds and removes validators while the chain runs: no restart, no fork.
//!
//! ## How a change takes effect
//!
//! This pallet is the session pallet's [`SessionManager`]: at each session rotation it hands
//! over the new set if it changed. The session pallet queues a set for one session before
//! enacting it, and enacting it is what moves the Aura authorities and schedules the GRANDPA
//! authority change (finalized blocks then carry it to every node). Rotations happen every
//! `PeriodicRotation` (e.g. hourly) and, after a change, in the next two blocks ([`Pallet`]
//! is also the session pallet's [`ShouldEndSession`]): one rotation queues the new set, the
//! next enacts it, so a change holds from two blocks after the call that made it.
//!
//! ## Joining and leaving
//!
//! An operator starts a node with the chain spec, lets it sync, generates session keys on it
//! (`author_rotateKeys`) and registers them with `session.set_keys` from its account; then
//! root adds the account ([`Pallet::add_validator`]), which needs the keys registered. Key
//! rotation is `author_rotateKeys` and `session.set_keys` again; the new keys are used from
//! the session after next. [`Pallet::remove_validator`] takes an account out. Add a validator
//! only when its node runs: GRANDPA needs more than two thirds of the validators online to
//! finalize.
//!
//! ## Never a session without authorities
//!
//! A validator can purge its session keys (`session.purge_keys`) while it is in the set, and the
//! session pallet drops validators without keys from the sessions it starts: a set of
//! validators is only as good as its validators *with keys*. So a removal must leave at least
//! `MinValidators` validators with keys, a rotation hands the session pallet only the
//! validators with keys (and none at all while fewer than `MinValidators` have them: the
//! running set stays), and [`NonEmptySessions`] keeps Aura and GRANDPA on their last
//! authorities rather than hand them an empty set, which would halt the chain.
//!
//! ## Offences
//!
//! As the offences pallet's `OnOffenceHandler`, a validator proven to have equivocated (GRANDPA
//! votes for two blocks in one round) is removed the same way, two blocks on, unless that would
//! leave fewer than `MinValidators`; then it stays and `OffenderKept` says so.
//!
//! ## Calls
//! - [`Pallet::add_validator`], [`Pallet::remove_validator`]: `AddRemoveOrigin`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use pallet_session::{SessionManager, ShouldEndSession};
	use sp_runtime::{traits::StaticLookup, Perbill};
	use sp_staking::{
		offence::{OffenceDetails, OnOffenceHandler},
		SessionIndex,
	};

	type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// Rotations forced after a change: one queues the new set, the next enacts it.
	const ROTATIONS_PER_CHANGE: u8 = 2;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_session::Config<ValidatorId = <Self as frame_system::Config>::AccountId>
	{
		/// Who adds and removes validators: root now, governance later.
		type AddRemoveOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// When sessions end if nothing changes (`pallet_session::PeriodicSessions`).
		type PeriodicRotation: ShouldEndSession<BlockNumberFor<Self>>;
		/// The most validators.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// The fewest validators; removals stop here.
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The validators, as the next session rotation hands them to the session pallet.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Session rotations still to force so that the last change takes effect: at
	/// `ROTATIONS_PER_CHANGE`, the set changed since it was last handed to the session pallet.
	#[pallet::storage]
	pub type ForcedRotations<T> = StorageValue<_, u8, ValueQuery>;

	/// The validators of the genesis; each needs session keys in the session pallet's genesis.
	/// Without any, the session pallet's genesis keys choose them.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		// A genesis that does not hold is refused when its chain spec is built, before any
		// chain runs.
		#[allow(clippy::expect_used)]
		fn build(&self) {
			if self.validators.is_empty() {
				return;
			}
			let validators: BoundedVec<_, T::MaxValidators> =
				self.validators.clone().try_into().expect("at most MaxValidators at genesis");
			assert!(
				validators.len() as u32 >= T::MinValidators::get(),
				"at least MinValidators at genesis"
			);
			Validators::<T>::put(validators);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joins the validators two blocks from now.
		ValidatorAdded { who: T::AccountId },
		/// `who` leaves the validators two blocks from now.
		ValidatorRemoved { who: T::AccountId },
		/// The session pallet took the new set; it is enacted at the next rotation.
		NewSetQueued { session: SessionIndex, validators: Vec<T::AccountId> },
		/// `who` committed an offence in `session` (a proven equivocation) and leaves the
		/// validators two blocks from now.
		OffenderRemoved { who: T::AccountId, session: SessionIndex },
		/// `who` committed an offence in `session` but stays: removing it would leave fewer than
		/// `MinValidators` validators with keys. `AddRemoveOrigin` should add validators.
		OffenderKept { who: T::AccountId, session: SessionIndex },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// The set holds `MaxValidators` already.
		TooManyValidators,
		/// The set would fall below `MinValidators` validators with session keys.
		TooFewValidators,
		/// The account has not registered session keys (`session.set_keys`).
		NoSessionKeys,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "a chain needs a validator");
			assert!(T::MinValidators::get() <= T::MaxValidators::get());
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `who` to the validators; it authors and votes from two blocks on.
		///
		/// - origin: `AddRemoveOrigin`.
		/// - `who`: an account with session keys registered, not a validator yet.
		///
		/// Emits `ValidatorAdded`. Complexity: O(validators), bounded by `MaxValidators`.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			ensure!(pallet_session::NextKeys::<T>::contains_key(&who), Error::<T>::NoSessionKeys);
			Validators::<T>::try_mutate(|validators| {
				ensure!(!validators.contains(&who), Error::<T>::AlreadyValidator);
				validators.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)
			})?;
			Self::schedule_rotations();
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(())
		}

		/// Removes `who` from the validators; it stops authoring and voting two blocks on.
		/// Its session keys stay registered until it purges them (`session.purge_keys`).
		///
		/// - origin: `AddRemoveOrigin`.
		/// - `who`: a validator; at least `MinValidators` others with session keys stay.
		///
		/// Emits `ValidatorRemoved`. Complexity: O(validators), bounded by `MaxValidators`.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::remove(&who)?;
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Takes `who` out of the set, leaving at least `MinValidators` validators with keys,
		/// and makes the change take effect.
		fn remove(who: &T::AccountId) -> Result<(), Error<T>> {
			Validators::<T>::try_mutate(|validators| {
				let index =
					validators.iter().position(|v| v == who).ok_or(Error::<T>::NotValidator)?;
				validators.remove(index);
				ensure!(
					Self::with_keys(validators).len() as u32 >= T::MinValidators::get(),
					Error::<T>::TooFewValidators
				);
				Ok(())
			})?;
			Self::schedule_rotations();
			Ok(())
		}

		/// Makes the next two blocks rotate sessions, the first handing over the changed set.
		fn schedule_rotations() {
			ForcedRotations::<T>::put(ROTATIONS_PER_CHANGE);
		}

		/// The validators among `validators` with session keys registered.
		fn with_keys(validators: &[T::AccountId]) -> Vec<T::AccountId> {
			validators
				.iter()
				.filter(|v| pallet_session::NextKeys::<T>::contains_key(v))
				.cloned()
				.collect()
		}

		/// - the set holds `MinValidators` to `MaxValidators` distinct accounts;
		/// - rotations are forced only after a change.
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let validators = Validators::<T>::get();
			ensure!(
				validators.len() as u32 >= T::MinValidators::get(),
				"fewer validators than MinValidators"
			);
			for (i, validator) in validators.iter().enumerate() {
				ensure!(!validators[..i].contains(validator), "a validator is listed twice");
			}
			ensure!(
				ForcedRotations::<T>::get() <= ROTATIONS_PER_CHANGE,
				"more forced rotations than a change needs"
			);
			Ok(())
		}
	}

	impl<T: Config> SessionManager<T::AccountId> for Pallet<T> {
		fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
			let left = ForcedRotations::<T>::get();
			ForcedRotations::<T>::put(left.saturating_sub(1));
			if left != ROTATIONS_PER_CHANGE {
				return None;
			}
			// Validators without keys would be dropped by the session pallet anyway; too few
			// with keys, and the running set stays.
			let validators = Self::with_keys(&Validators::<T>::get());
			if (validators.len() as u32) < T::MinValidators::get() {
				return None;
			}
			Self::deposit_event(Event::NewSetQueued {
				session: new_index,
				validators: validators.clone(),
			});
			Some(validators)
		}

		fn new_session_genesis(_: SessionIndex) -> Option<Vec<T::AccountId>> {
			let validators = Validators::<T>::get();
			(!validators.is_empty()).then(|| validators.into_inner())
		}

		fn end_session(_: SessionIndex) {}

		fn start_session(_: SessionIndex) {}
	}

	/// Offences (`pallet_offences`: a GRANDPA equivocation proven with a key-ownership proof)
	/// remove the offender from the set, as `remove_validator` would, unless that leaves too few
	/// validators. Validators do not bond, so nothing is slashed: the set is chosen by
	/// `AddRemoveOrigin`, and an offender is out until it chooses again.
	impl<T: Config, FullIdentification>
		OnOffenceHandler<T::AccountId, (T::AccountId, FullIdentification), Weight> for Pallet<T>
	{
		fn on_offence(
			offenders: &[OffenceDetails<T::AccountId, (T::AccountId, FullIdentification)>],
			_slash_fraction: &[Perbill],
			session: SessionIndex,
		) -> Weight {
			for OffenceDetails { offender: (who, _), .. } in offenders {
				let who = who.clone();
				match Self::remove(&who) {
					Ok(()) => Self::deposit_event(Event::OffenderRemoved { who, session }),
					Err(Error::<T>::TooFewValidators) => {
						Self::deposit_event(Event::OffenderKept { who, session })
					},
					// Out of the set already.
					Err(_) => {},
				}
			}
			let removals = offenders.len() as u64;
			<T as Config>::WeightInfo::remove_validator(T::MaxValidators::get())
				.saturating_mul(removals)
		}
	}

	impl<T: Config> ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
		fn should_end_session(now: BlockNumberFor<T>) -> bool {
			ForcedRotations::<T>::get() > 0 || T::PeriodicRotation::should_end_session(now)
		}
	}
}

/// A session handler that hands Aura and GRANDPA (`Inner`) each new session's validators,
/// unless there are none: with every validator's keys purged, the session pallet would start a
/// session without authorities and the chain would halt; they keep their last set instead.
pub struct NonEmptySessions<Inner>(core::marker::PhantomData<Inner>);

impl<AccountId, Inner: pallet_session::SessionHandler<AccountId>>
	pallet_session::SessionHandler<AccountId> for NonEmptySessions<Inner>
{
	const KEY_TYPE_IDS: &'static [sp_runtime::KeyTypeId] = Inner::KEY_TYPE_IDS;

	fn on_genesis_session<Ks: sp_runtime::traits::OpaqueKeys>(validators: &[(AccountId, Ks)]) {
		Inner::on_genesis_session(validators)
	}

	fn on_new_session<Ks: sp_runtime::traits::OpaqueKeys>(
		changed: bool,
		validators: &[(AccountId, Ks)],
		queued_validators: &[(AccountId, Ks)],
	) {
		if !validators.is_empty() {
			Inner::on_new_session(changed, validators, queued_validators)
		}
	}

	fn on_before_session_ending() {
		Inner::on_before_session_ending()
	}

	fn on_disabled(validator_index: u32) {
		Inner::on_disabled(validator_index)
	}
}
