//! The pallet only the upgrade probe has (feature `upgrade-probe`, built by `runtime/build.rs`
//! when `PROVENANCE_UPGRADE_PROBE=1`): one call, so that the end-to-end upgrade test can show
//! the new runtime's calls are live while a `prov` built before it keeps working.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` called `ping`.
		Pinged { who: T::AccountId },
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Emits `Pinged`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::DbWeight::get().writes(1))]
		pub fn ping(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::deposit_event(Event::Pinged { who });
			Ok(())
		}
	}
}
