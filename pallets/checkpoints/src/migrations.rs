//! Storage migrations of the checkpoints pallet.

use crate::{pallet::*, Checkpoint, ParentEdge};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;
use provenance_primitives::{
	merkle::Hash, traits::DatasetInspect, AssetRef, DatasetId, RunId, TaintKind, TaintSource,
};
use sp_runtime::Saturating;

/// Version 1 (runtime spec 104): taint sources carry their kind and may be checkpoints, and a
/// checkpoint's `excludes` name assets.
///
/// Every source stored before was a revoked dataset: it takes the kind the dataset's
/// revocation gives it now. A set cut at the bound (`truncated`) could hold only revoked
/// datasets past it; their kinds are unknown, so it keeps `DataRevoked` for them. Every
/// exclusion was a dataset. The stored sizes grow by 2 bytes a source and 1 an exclusion
/// (within the deposits' room for a checkpoint record, which pre-paid its bounds).
///
/// It runs in the upgrade's block: one read and write per checkpoint and per tainted asset,
/// and one dataset read per taint source. Fit for a chain of some thousands of records; a
/// larger one would run it as a `pallet-migrations` stepped migration.
pub mod v1 {
	use super::*;

	/// A taint set of version 0: revoked datasets only.
	#[derive(Encode, Decode)]
	pub struct TaintSetV0<MaxSources: Get<u32>> {
		pub sources: BoundedVec<DatasetId, MaxSources>,
		pub truncated: bool,
	}

	/// A checkpoint record of version 0: exclusions are dataset ids.
	#[derive(Encode, Decode)]
	pub struct CheckpointV0<AccountId, Balance, BlockNumber, MaxUriLen, MaxParents, MaxDatasets>
	where
		MaxUriLen: Get<u32>,
		MaxParents: Get<u32>,
		MaxDatasets: Get<u32>,
	{
		pub owner: AccountId,
		pub weights_hash: Hash,
		pub parents: BoundedVec<ParentEdge, MaxParents>,
		pub datasets: BoundedVec<DatasetId, MaxDatasets>,
		pub excludes: BoundedVec<DatasetId, MaxDatasets>,
		pub run: Option<RunId>,
		pub run_mismatch: Option<RunId>,
		pub uri: BoundedVec<u8, MaxUriLen>,
		pub metadata_hash: Hash,
		pub commercial: bool,
		pub created_at: BlockNumber,
		pub depositor: AccountId,
		pub deposit: Balance,
	}

	pub type CheckpointV0Of<T> = CheckpointV0<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxUriLen,
		<T as Config>::MaxParents,
		<T as Config>::MaxDatasets,
	>;

	/// The set `old` is in version 1.
	pub fn taint_set<T: Config>(old: TaintSetV0<T::MaxTaintSources>) -> TaintSetOf<T> {
		let mut set = TaintSetOf::<T>::default();
		for dataset in old.sources {
			let kind = T::Datasets::dataset(dataset)
				.map_or(TaintKind::DataRevoked, |summary| summary.taint_kind);
			set.insert(TaintSource { origin: AssetRef::Dataset(dataset), kind });
		}
		if old.truncated {
			set.left_out(TaintKind::DataRevoked);
		}
		set
	}

	/// The record `old` is in version 1.
	pub fn checkpoint<T: Config>(old: CheckpointV0Of<T>) -> CheckpointOf<T> {
		Checkpoint {
			owner: old.owner,
			weights_hash: old.weights_hash,
			parents: old.parents,
			datasets: old.datasets,
			excludes: BoundedVec::truncate_from(
				old.excludes.into_iter().map(AssetRef::Dataset).collect(),
			),
			run: old.run,
			run_mismatch: old.run_mismatch,
			uri: old.uri,
			metadata_hash: old.metadata_hash,
			commercial: old.commercial,
			created_at: old.created_at,
			depositor: old.depositor,
			deposit: old.deposit,
		}
	}

	/// Translates `Records` and `Taint`; use [`MigrateV0ToV1`], which runs it once.
	pub struct InnerMigrateV0ToV1<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut records, mut sets, mut sources) = (0u64, 0u64, 0u64);
			Records::<T>::translate::<CheckpointV0Of<T>, _>(|_, old| {
				records.saturating_inc();
				Some(checkpoint::<T>(old))
			});
			Taint::<T>::translate::<TaintSetV0<T::MaxTaintSources>, _>(|_, old| {
				sets.saturating_inc();
				sources.saturating_accrue(old.sources.len() as u64);
				Some(taint_set::<T>(old))
			});
			let items = records.saturating_add(sets);
			T::DbWeight::get().reads_writes(items.saturating_add(sources), items)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let counts =
				(Records::<T>::iter_keys().count() as u64, Taint::<T>::iter_keys().count() as u64);
			Ok(counts.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (records, sets) = <(u64, u64)>::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade counts do not decode")?;
			ensure!(Records::<T>::iter().count() as u64 == records, "a checkpoint record was lost");
			ensure!(Taint::<T>::iter().count() as u64 == sets, "a taint set was lost");
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
