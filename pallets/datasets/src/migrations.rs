//! Storage migrations of the datasets pallet.

use crate::pallet::*;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage::migration::clear_storage_prefix,
	traits::UncheckedOnRuntimeUpgrade,
};

/// Version 1 (runtime spec 118): no index of each root's first anchor.
///
/// `DatasetByRoot` (root to the earliest dataset anchoring it) cost every registration a read
/// and a write beside the owner's entry in [`RootAnchors`], which answers the same question:
/// the earliest anchor is the least id among a root's entries ([`Pallet::first_anchor_of`]).
/// Deposits held for it stay held until the datasets go; new datasets' deposits leave it out.
///
/// It runs in the upgrade's block: one read and one write per anchored root. Fit for a chain of
/// some ten thousand roots (an upgrade block's two seconds at ParityDB's weights); a larger one
/// would run it as a `pallet-migrations` stepped migration.
pub mod v1 {
	use super::*;

	/// The name the removed map was stored under.
	pub const FIRST_ANCHOR_INDEX: &[u8] = b"DatasetByRoot";

	pub struct InnerMigrateV0ToV1<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let removed = clear_storage_prefix(
				<Pallet<T> as PalletInfoAccess>::name().as_bytes(),
				FIRST_ANCHOR_INDEX,
				&[],
				None,
				None,
			);
			T::DbWeight::get().reads_writes(removed.loops.into(), removed.unique.into())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let prefix = frame_support::storage::storage_prefix(
				<Pallet<T> as PalletInfoAccess>::name().as_bytes(),
				FIRST_ANCHOR_INDEX,
			);
			ensure!(
				!frame_support::storage::unhashed::contains_prefixed_key(&prefix),
				"a first-anchor entry is left"
			);
			Pallet::<T>::do_try_state()
		}
	}

	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
