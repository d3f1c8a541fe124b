//! Storage migrations of the attestations pallet.

use crate::{pallet::*, RunStatus};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use sp_runtime::Saturating;

/// Version 1 (runtime spec 108): open challenges have a ruling deadline.
///
/// A challenge opened before gets the deadline it would have had, the end of its run's
/// challenge window plus its challenge period, but never less than a full challenge period
/// from the upgrade: a body that had no deadline is not held to one already past. One read per
/// challenge and its run, two writes; a chain has few challenges open at a time.
pub mod v1 {
	use super::*;

	/// Indexes the open challenges by ruling deadline; use [`MigrateV0ToV1`], which runs it once.
	pub struct InnerMigrateV0ToV1<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let now = frame_system::Pallet::<T>::block_number();
			let mut challenges = 0u64;
			for (run, attester, _) in Challenges::<T>::iter() {
				challenges.saturating_inc();
				let Some(record) = Runs::<T>::get(run) else { continue };
				let window_end = match record.status {
					RunStatus::Decided { window_end, .. } => window_end,
					_ => now,
				};
				let deadline = window_end.max(now).saturating_add(record.rules.challenge_period);
				ChallengeDeadlines::<T>::insert(run, &attester, deadline);
				RulingDeadlines::<T>::insert(deadline, (run, attester), ());
			}
			T::DbWeight::get()
				.reads_writes(challenges.saturating_mul(2), challenges.saturating_mul(2))
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration to version 1, run once: only when the stored version is 0.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
