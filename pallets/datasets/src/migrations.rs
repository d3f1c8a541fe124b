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
/// Deposits held for it stay held with their datasets; new datasets' deposits leave it out.
///
/// It runs in the upgrade's block and removes at most [`v1::MAX_REMOVED`] entries (one read and
/// one write each, about half a second at ParityDB's weights), however many roots were anchored
/// before the upgrade was enacted: a chain with more keeps the rest, which nothing reads, until
/// a `pallet-migrations` stepped migration removes them.
pub mod v1 {
	use super::*;

	/// The name the removed map was stored under.
	pub const FIRST_ANCHOR_INDEX: &[u8] = b"DatasetByRoot";
	/// The most entries the upgrade's block removes.
	pub const MAX_REMOVED: u32 = 10_000;

	pub struct InnerMigrateV0ToV1<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let removed = clear_storage_prefix(
				<Pallet<T> as PalletInfoAccess>::name().as_bytes(),
				FIRST_ANCHOR_INDEX,
				&[],
				Some(MAX_REMOVED),
				None,
			);
			T::DbWeight::get().reads_writes(removed.loops.into(), removed.unique.into())
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let prefix = first_anchor_prefix::<T>();
			let entries = frame_support::storage::KeyPrefixIterator::new(
				prefix.to_vec(),
				prefix.to_vec(),
				|_| Ok(()),
			)
			.count() as u64;
			Ok(entries.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let entries = u64::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count")?;
			let left = frame_support::storage::unhashed::contains_prefixed_key(
				&first_anchor_prefix::<T>(),
			);
			ensure!(!left || entries > u64::from(MAX_REMOVED), "a first-anchor entry is left");
			Pallet::<T>::do_try_state()
		}
	}

	#[cfg(feature = "try-runtime")]
	fn first_anchor_prefix<T: Config>() -> [u8; 32] {
		frame_support::storage::storage_prefix(
			<Pallet<T> as PalletInfoAccess>::name().as_bytes(),
			FIRST_ANCHOR_INDEX,
		)
	}

	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
