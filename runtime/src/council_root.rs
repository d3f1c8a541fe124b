//! Root for the council: a motion carried at [`Config::RootOrigin`] (three quarters of the
//! council) dispatches one call as root. What only root may do in the sdk's own pallets
//! (`system.authorize_upgrade`, forced balance changes, `utility.dispatch_as`) reaches the
//! council this way, so that no key is root on the live network.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::UnfilteredDispatchable,
	};
	use frame_system::{pallet_prelude::*, RawOrigin};
	use sp_runtime::traits::Dispatchable;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The calls the council may dispatch as root.
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ GetDispatchInfo;
		/// Who may dispatch as root: the council at its highest threshold.
		type RootOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The weight of `dispatch_as_root` besides the call's own: `sudo.sudo`'s benchmarked
		/// weight, which does the same work and reads the sudo key besides.
		type DispatchWeight: Get<Weight>;
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The council dispatched a call as root; `result` is the call's own.
		DispatchedAsRoot { result: DispatchResult },
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatches `call` as root. Origin: [`Config::RootOrigin`].
		///
		/// The motion's own `Executed` event reports whether this call was allowed;
		/// `DispatchedAsRoot` reports what `call` did.
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::DispatchWeight::get().saturating_add(info.call_weight), info.class)
		})]
		pub fn dispatch_as_root(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResult {
			T::RootOrigin::ensure_origin(origin)?;
			let result = call.dispatch_bypass_filter(RawOrigin::Root.into());
			Self::deposit_event(Event::DispatchedAsRoot {
				result: result.map(|_| ()).map_err(|e| e.error),
			});
			Ok(())
		}
	}
}
