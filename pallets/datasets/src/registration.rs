//! Anchoring: one dataset ([`Pallet::register`], [`Pallet::register_version`]) or the shards of
//! one upload of human data at once ([`Pallet::register_batch`]). Every dataset gets its
//! record, indexes, deposit and `DatasetRegistered` event the same way; a batch holds its
//! shards' deposits together.

use crate::*;
use frame_support::{ensure, pallet_prelude::*, traits::fungible::MutateHold};
use provenance_primitives::{
	merkle::Hash,
	traits::{CheckpointInspect, DerivativeCheck, OnAssetRegistered, Registration},
	AssetRef, DatasetId,
};
use sp_runtime::{traits::Zero, ArithmeticError, DispatchResult};

/// What the caller anchors; what a dataset has that is not its origin.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ShardInput {
	/// RFC 6962 SHA-256 Merkle root over the records.
	pub root: Hash,
	/// Leaves under `root`, at least 1.
	pub record_count: u64,
	pub byte_size: u64,
	/// ipfs://, ar://, hf://, s3:// or https://, at most `MaxUriLen` bytes.
	pub uri: alloc::vec::Vec<u8>,
	/// Hash of the datasheet.
	pub metadata_hash: Hash,
}

/// The checked origin of what is anchored, its inputs, and the share-alike terms they pass on.
pub(crate) struct CheckedOrigin<T: Config> {
	origin: BoundedOrigin<T::MaxParents>,
	inputs: alloc::vec::Vec<AssetRef>,
	share_alike: Option<provenance_primitives::TermsId>,
}

impl<T: Config> Pallet<T> {
	/// [`Pallet::register`]'s weight: human data by its own benchmark, data with inputs by
	/// `register`'s over their count (a synthetic dataset's generator is one).
	pub(crate) fn register_weight(data_origin: &OriginInput, uri: &[u8]) -> Weight {
		match data_origin.input_count() {
			0 => T::WeightInfo::register_human(),
			inputs => T::WeightInfo::register(
				inputs.min(T::MaxParents::get()),
				(uri.len() as u32).min(T::MaxUriLen::get()),
			),
		}
	}

	/// Anchors `shard` for `who` with `data_origin`, as a version of `previous_version` if any,
	/// holding its deposit.
	pub(crate) fn do_register(
		who: T::AccountId,
		previous_version: Option<DatasetId>,
		shard: ShardInput,
		data_origin: OriginInput,
		commercial: bool,
		max_stack_bps: Option<u16>,
	) -> DispatchResult {
		let checked = Self::check_registration(&who, previous_version, data_origin, commercial)?;
		let id = NextDatasetId::<T>::get();
		let deposit =
			Self::anchor(id, &who, previous_version, shard, &checked, commercial, max_stack_bps)?;
		NextDatasetId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		T::Currency::hold(&HoldReason::DatasetDeposit.into(), &who, deposit)
	}

	/// Anchors every shard of `shards` for `who` as human data, holding their deposits
	/// together. All are anchored or none.
	///
	/// Only human data: a synthetic or derived shard also writes reverse indexes, a royalty
	/// stack and inherited terms that the batch's benchmark (of human shards) does not weigh,
	/// so such datasets are registered one by one, each with its own weight.
	pub(crate) fn do_register_batch(
		who: T::AccountId,
		shards: alloc::vec::Vec<ShardInput>,
		commercial: bool,
	) -> DispatchResult {
		ensure!(!shards.is_empty(), Error::<T>::EmptyBatch);
		let checked = Self::check_registration(&who, None, DatasetOrigin::Human, commercial)?;
		let mut total = BalanceOf::<T>::zero();
		let mut id = NextDatasetId::<T>::get();
		for shard in shards {
			let deposit = Self::anchor(id, &who, None, shard, &checked, commercial, None)?;
			total = total.checked_add(&deposit).ok_or(ArithmeticError::Overflow)?;
			id = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		}
		NextDatasetId::<T>::put(id);
		T::Currency::hold(&HoldReason::DatasetDeposit.into(), &who, total)
	}

	/// Checks an origin and whether its inputs' licences (and those of `previous_version`)
	/// allow `who` to derive from them.
	fn check_registration(
		who: &T::AccountId,
		previous_version: Option<DatasetId>,
		data_origin: OriginInput,
		commercial: bool,
	) -> Result<CheckedOrigin<T>, DispatchError> {
		let origin = Self::check_origin(data_origin)?;
		let inputs = origin.inputs();
		// A version carries its predecessor's obligations: its share-alike terms pass on.
		let mut licensed = inputs.clone();
		licensed.extend(previous_version.map(AssetRef::Dataset));
		let share_alike = T::Licenses::check_derivative(who, &licensed, commercial)?;
		Ok(CheckedOrigin { origin, inputs, share_alike })
	}

	/// Stores the dataset `shard` makes with a checked origin as dataset `id` (the caller
	/// moves `NextDatasetId` past it): its record, indexes and event, the terms it inherits and
	/// its royalty stack. Returns the deposit to hold.
	fn anchor(
		id: DatasetId,
		who: &T::AccountId,
		previous_version: Option<DatasetId>,
		shard: ShardInput,
		checked: &CheckedOrigin<T>,
		commercial: bool,
		max_stack_bps: Option<u16>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let ShardInput { root, record_count, byte_size, uri, metadata_hash } = shard;
		let uri: BoundedVec<u8, T::MaxUriLen> =
			uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
		ensure!(provenance_primitives::is_supported_uri(&uri), Error::<T>::UnsupportedUriScheme);
		ensure!(record_count > 0, Error::<T>::ZeroRecords);
		ensure!(!RootAnchors::<T>::contains_key(root, who), Error::<T>::RootAlreadyAnchored);

		let now = frame_system::Pallet::<T>::block_number();
		let mut dataset = DatasetOf::<T> {
			owner: who.clone(),
			root,
			record_count,
			byte_size,
			uri,
			metadata_hash,
			origin: checked.origin.clone(),
			commercial,
			previous_version,
			status: DatasetStatus::Active,
			revocation_set: None,
			created_at: now,
			depositor: who.clone(),
			deposit: Default::default(),
		};
		dataset.deposit = Self::deposit_for(&dataset);

		match &dataset.origin {
			DatasetOrigin::Human => {},
			DatasetOrigin::Synthetic { generator, .. } => {
				GeneratedBy::<T>::insert(generator, id, ())
			},
			DatasetOrigin::Derived { parents, .. } => {
				parents.iter().for_each(|parent| DerivedChildren::<T>::insert(parent, id, ()))
			},
		}
		if let Some(previous) = previous_version {
			NewerVersions::<T>::insert(previous, id, ());
		}
		RootAnchors::<T>::insert(root, who, id);
		let deposit = dataset.deposit;
		Self::deposit_event(Event::DatasetRegistered {
			id,
			owner: who.clone(),
			root,
			record_count,
			byte_size,
			uri: dataset.uri.clone(),
			metadata_hash,
			origin: dataset.origin.clone(),
			commercial,
			previous_version,
			deposit,
		});
		Records::<T>::insert(id, dataset);
		let asset = AssetRef::Dataset(id);
		if let Some(terms) = checked.share_alike {
			T::Licenses::inherit_terms(asset, terms);
		}
		let registration = Registration {
			asset,
			registrant: who,
			inputs: &checked.inputs,
			previous_version: previous_version.map(AssetRef::Dataset),
		};
		T::OnRegistered::on_asset_registered(registration, max_stack_bps)?;
		Ok(deposit)
	}

	/// Checks an origin's references and bounds it.
	fn check_origin(
		data_origin: OriginInput,
	) -> Result<BoundedOrigin<T::MaxParents>, DispatchError> {
		if let DatasetOrigin::Synthetic { generator, .. } = &data_origin {
			ensure!(T::Checkpoints::checkpoint_exists(*generator), Error::<T>::UnknownGenerator);
			ensure!(
				!T::Checkpoints::is_tainted(AssetRef::Checkpoint(*generator)),
				Error::<T>::GeneratorTainted
			);
		}
		data_origin.map_parents(|parents| {
			ensure!(!parents.is_empty(), Error::<T>::NoParents);
			let bounded: BoundedVec<DatasetId, T::MaxParents> =
				parents.try_into().map_err(|_| Error::<T>::TooManyParents)?;
			for (i, parent) in bounded.iter().enumerate() {
				ensure!(!bounded.iter().take(i).any(|p| p == parent), Error::<T>::DuplicateParent);
				let record = Records::<T>::get(parent).ok_or(Error::<T>::UnknownParent)?;
				ensure!(matches!(record.status, DatasetStatus::Active), Error::<T>::ParentRevoked);
				ensure!(Consent::<T>::get(parent).unanswered == 0, Error::<T>::ParentNonCompliant);
				ensure!(
					!T::Checkpoints::is_tainted(AssetRef::Dataset(*parent)),
					Error::<T>::ParentTainted
				);
			}
			Ok::<_, DispatchError>(bounded)
		})
	}
}
