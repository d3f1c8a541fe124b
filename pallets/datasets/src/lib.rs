//! # Datasets
//!
//! Anchors the datasets models are trained on: a dataset is a Merkle root over its records
//! (the RFC 6962 SHA-256 tree of `provenance_primitives::merkle`), with its size, where to
//! fetch it, the hash of its datasheet, and its origin:
//!
//! - `Human`: collected from people;
//! - `Synthetic { generator, .. }`: produced by a registered model checkpoint, which binds model
//!   output to the model that made it (how the chain tells human signal from a model's
//!   afterimages);
//! - `Derived { parents, .. }`: computed from other anchored datasets.
//!
//! A root is anchored once per owner: whoever sees a lab's published manifest, or its
//! registration in the mempool, can anchor the same root, but cannot keep the lab from
//! anchoring it too. Every anchor is kept and visible (by its owner in [`RootAnchors`]; the
//! earliest is [`Pallet::first_anchor_of`]); who published the data decides which account's
//! anchor to trust.
//!
//! A new version of a dataset points to the one it replaces and keeps its obligations: its
//! origin is of the same kind, and the share-alike terms and royalty stack of the previous
//! version pass on to it (a `Human` re-anchoring of a derived dataset would shed both).
//!
//! Records are never deleted: a dataset is revoked as a whole (by its owner, or by
//! `ForceOrigin` for legal takedowns), or its owner publishes a revocation set, a Merkle root
//! over the revoked records with their count, which anyone can check a record against. A
//! revocation set only grows: each new one must extend the last, proved with an RFC 6962
//! consistency proof, so no record once revoked can be taken out of it; publishing the same set
//! again is refused. Either tells `OnRevoked` (the lineage pallet), which taints what descends
//! from the data.
//!
//! A derived or synthetic dataset is a derivative of its inputs: registering one asks
//! `Licenses` whether their licenses allow it (and commercial use, when the dataset is
//! `commercial`), and takes on the share-alike terms they pass on. `OnRegistered` (the
//! royalties pallet) then fixes the upstream royalties its income owes; either refusing
//! fails the registration.
//!
//! A dataset's owner may name its contributors once ([`Pallet::set_contributor_root`]): a
//! Merkle tree binding each contributor's account to the records they gave. A contributor then
//! withdraws consent for their own records without the owner ([`Pallet::withdraw_consent`]),
//! and the withdrawal is public at once. The owner answers by revoking the records (a
//! revocation set holding them, or the whole dataset) before the deadline
//! (`AnswerPeriod`); anyone may prove the answer ([`Pallet::answer_withdrawal`]). A
//! withdrawal still open at its deadline puts the dataset in breach: it takes no new
//! derivatives and everything trained on it is tainted `ConsentWithdrawn` until every such
//! withdrawal is answered. The deadlines are swept in `on_initialize`, a bounded number per
//! block, before any transaction of the block.
//!
//! Every record holds a deposit, `DepositBase + DepositPerByte * bytes stored`, held from the
//! account that registered it with a balance hold for as long as the record exists.
//!
//! ## Calls
//! - [`Pallet::register`], [`Pallet::register_version`]: anchor a dataset;
//! - [`Pallet::register_batch`]: anchor the shards of one upload of human data, each a dataset;
//! - [`Pallet::transfer_ownership`]: hand a dataset to another account;
//! - [`Pallet::publish_revocation_set`]: revoke some records;
//! - [`Pallet::revoke`], [`Pallet::force_revoke`]: revoke the whole dataset;
//! - [`Pallet::set_contributor_root`], [`Pallet::withdraw_consent`],
//!   [`Pallet::answer_withdrawal`], [`Pallet::clear_withdrawal`]: contributors' consent.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use registration::ShardInput;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod consent;
pub mod migrations;
#[cfg(test)]
mod mock;
mod registration;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod try_state;
pub mod types;
pub mod weights;

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
		api::RecordProofError,
		merkle::{self, Hash},
		traits::{
			CheckpointInspect, DatasetInspect, DatasetLineage, DatasetSummary, DerivativeCheck,
			OnAssetRegistered, OnDatasetRevoked,
		},
		CheckpointId, DatasetId, TaintKind, WithdrawalId,
	};
	use sp_runtime::traits::{StaticLookup, Zero};

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type DatasetOf<T> = Dataset<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxUriLen,
		<T as Config>::MaxParents,
	>;
	pub type WithdrawalOf<T> = Withdrawal<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxWithdrawnRecords,
	>;
	pub type ContributorTreeOf<T> =
		ContributorTree<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	pub type DatasetConsentOf<T> = DatasetConsent<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		WithdrawalOf<T>,
	>;
	type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// Bytes of the root index entry each dataset adds besides its record: the owner's anchor.
	const ROOT_INDEX_BYTES: u32 = 16 + 32 + 16 + 32 + 8;
	/// Bytes a revocation set adds to the record once published.
	const REVOCATION_SET_BYTES: u32 = 32 + 8 + 4;
	/// Bytes of one reverse-index entry (parent, generator or previous version to the new
	/// dataset): two hashed 8-byte keys.
	const REVERSE_INDEX_BYTES: u32 = 2 * (8 + 8);
	/// The longest consistency proof between trees of up to 2^64 leaves: one hash per level
	/// and one more.
	pub const MAX_CONSISTENCY_PROOF_LEN: u32 = 64;
	/// The longest audit path: one hash per level of a tree of up to 2^64 leaves.
	pub const MAX_AUDIT_PATH_LEN: u32 = 64;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a dataset record.
		DatasetDeposit,
		/// The deposit of a contributor tree (from the owner) or of a consent withdrawal (from
		/// the contributor).
		ConsentDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Checkpoints: whether a generator exists, whether an asset is tainted.
		type Checkpoints: CheckpointInspect;
		/// Told of every revocation, to taint what descends from the data.
		type OnRevoked: OnDatasetRevoked;
		/// Whether the inputs' licenses allow a derived or synthetic dataset (the licenses
		/// pallet).
		type Licenses: DerivativeCheck<Self::AccountId>;
		/// Told of every new dataset; may refuse it (the royalties pallet).
		type OnRegistered: OnAssetRegistered<Self::AccountId>;
		/// Licenses the benchmarks' inputs, so that registrations pay for the whole check.
		#[cfg(feature = "runtime-benchmarks")]
		type LicenseFactory: provenance_primitives::traits::LicenseFactory<Self::AccountId>;
		/// May revoke any dataset (legal takedowns): root, later a council.
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The deposit every dataset holds, whatever its size.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// The deposit per byte a dataset's record and indexes take in state.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// The longest URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// The most parents a derived dataset may name.
		#[pallet::constant]
		type MaxParents: Get<u32>;
		/// The most shards one [`Pallet::register_batch`] anchors.
		#[pallet::constant]
		type MaxBatchShards: Get<u32>;
		/// The most records one consent withdrawal names.
		#[pallet::constant]
		type MaxWithdrawnRecords: Get<u32>;
		/// The answer period of a chain whose genesis sets none (see [`AnswerPeriod`]).
		#[pallet::constant]
		type DefaultAnswerPeriod: Get<BlockNumberFor<Self>>;
		/// May change the answer period: root, later governance.
		type ParametersOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The most withdrawal deadlines `on_initialize` sweeps in one block; more roll to the
		/// next blocks.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next dataset gets.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextDatasetId<T> = StorageValue<_, DatasetId, ValueQuery>;

	/// The datasets, by id.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Twox64Concat, DatasetId, DatasetOf<T>>;

	/// Each owner's anchor of a root: a root is anchored once per owner.
	#[pallet::storage]
	pub type RootAnchors<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Hash, Blake2_128Concat, T::AccountId, DatasetId>;

	/// Reverse index: (parent, derived dataset).
	#[pallet::storage]
	pub type DerivedChildren<T> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, DatasetId, ()>;

	/// Reverse index: (generator checkpoint, synthetic dataset).
	#[pallet::storage]
	pub type GeneratedBy<T> =
		StorageDoubleMap<_, Twox64Concat, CheckpointId, Twox64Concat, DatasetId, ()>;

	/// Reverse index: (dataset, a newer version of it).
	#[pallet::storage]
	pub type NewerVersions<T> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, DatasetId, ()>;

	/// The contributor tree of a dataset, set once by its owner.
	#[pallet::storage]
	pub type Contributors<T: Config> = StorageMap<_, Twox64Concat, DatasetId, ContributorTreeOf<T>>;

	/// A dataset's consent counters (only datasets with a contributor tree have them).
	#[pallet::storage]
	pub type Consent<T: Config> =
		StorageMap<_, Twox64Concat, DatasetId, ConsentState<BlockNumberFor<T>>, ValueQuery>;

	/// The id the next withdrawal gets.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextWithdrawalId<T> = StorageValue<_, WithdrawalId, ValueQuery>;

	/// Consent withdrawals, by id, until their contributor clears them.
	#[pallet::storage]
	pub type Withdrawals<T: Config> = StorageMap<_, Twox64Concat, WithdrawalId, WithdrawalOf<T>>;

	/// Which withdrawal names a record (dataset, record leaf hash): a record is withdrawn once.
	#[pallet::storage]
	pub type WithdrawnRecords<T> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Blake2_128Concat, Hash, WithdrawalId>;

	/// Index: (dataset, withdrawal) for withdrawals not cleared.
	#[pallet::storage]
	pub type WithdrawalsByDataset<T> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, WithdrawalId, ()>;

	/// Index: (contributor, withdrawal) for withdrawals not cleared.
	#[pallet::storage]
	pub type WithdrawalsByContributor<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, WithdrawalId, ()>;

	/// Open withdrawals by deadline: (deadline block, withdrawal).
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, WithdrawalId, ()>;

	/// Blocks a dataset's owner has to revoke the records of a consent withdrawal filed now; a
	/// withdrawal keeps the deadline it was filed with. Set in genesis, changed by
	/// `ParametersOrigin`.
	#[pallet::storage]
	pub type AnswerPeriod<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultAnswerPeriod>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The network's answer period; `None`: `DefaultAnswerPeriod`.
		pub answer_period: Option<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		// A zero period is refused when the chain spec is built, before any chain runs.
		#[allow(clippy::panic)]
		fn build(&self) {
			let period = self.answer_period.unwrap_or_else(T::DefaultAnswerPeriod::get);
			if period.is_zero() {
				panic!("the genesis answer period is zero");
			}
			// Stored even when it is the default, so that no runtime upgrade changes it.
			AnswerPeriod::<T>::put(period);
		}
	}

	/// The first block whose deadlines are not all swept yet (`None` until the first sweep).
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A dataset was anchored.
		DatasetRegistered {
			id: DatasetId,
			owner: T::AccountId,
			root: Hash,
			record_count: u64,
			byte_size: u64,
			uri: BoundedVec<u8, T::MaxUriLen>,
			metadata_hash: Hash,
			origin: BoundedOrigin<T::MaxParents>,
			commercial: bool,
			previous_version: Option<DatasetId>,
			deposit: BalanceOf<T>,
		},
		/// A dataset changed hands.
		OwnershipTransferred { id: DatasetId, from: T::AccountId, to: T::AccountId },
		/// Some records of a dataset were revoked: `root` commits to all `count` revoked
		/// records so far.
		RevocationSetPublished { id: DatasetId, root: Hash, count: u64 },
		/// A whole dataset was revoked; `forced` when by `ForceOrigin`, not the owner.
		DatasetRevoked { id: DatasetId, reason: RevocationReason, forced: bool },
		/// The owner named the dataset's contributors: `root` of a tree of `leaves`
		/// contributors.
		ContributorTreeSet { id: DatasetId, root: Hash, leaves: u64, deposit: BalanceOf<T> },
		/// A contributor withdrew consent for some of their records; the owner must revoke them
		/// before `deadline`.
		ConsentWithdrawn {
			withdrawal: WithdrawalId,
			dataset: DatasetId,
			contributor: T::AccountId,
			records: BoundedVec<Hash, T::MaxWithdrawnRecords>,
			reason: ConsentReason,
			deadline: BlockNumberFor<T>,
			deposit: BalanceOf<T>,
		},
		/// The withdrawn records are revoked; `by` proved it (`None`: the whole dataset was
		/// revoked when the deadline came); `late` when after the deadline. `answered_any`: a
		/// revocation set of the dataset has answered a withdrawal (now or before), so what it
		/// taints is tainted `ConsentWithdrawn`.
		WithdrawalAnswered {
			withdrawal: WithdrawalId,
			dataset: DatasetId,
			by: Option<T::AccountId>,
			late: bool,
			answered_any: bool,
		},
		/// The deadline passed with the records not revoked.
		WithdrawalUnanswered {
			withdrawal: WithdrawalId,
			dataset: DatasetId,
			deadline: BlockNumberFor<T>,
		},
		/// The dataset is in breach of a consent withdrawal: what was made from it is tainted
		/// `ConsentWithdrawn`.
		DatasetNonCompliant { id: DatasetId, since: BlockNumberFor<T> },
		/// Every withdrawal past its deadline is answered: the breach is over.
		DatasetCompliant { id: DatasetId },
		/// `ParametersOrigin` set the answer period of withdrawals filed from now on.
		AnswerPeriodSet { period: BlockNumberFor<T> },
		/// The contributor cleared an answered withdrawal; its deposit is released.
		WithdrawalCleared {
			withdrawal: WithdrawalId,
			dataset: DatasetId,
			contributor: T::AccountId,
			deposit: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No dataset has this id.
		NotFound,
		/// The caller does not own the dataset.
		NotOwner,
		/// The URI is longer than `MaxUriLen`.
		UriTooLong,
		/// The URI is not ipfs://, ar://, hf://, s3:// or https://.
		UnsupportedUriScheme,
		/// A dataset must hold at least one record.
		ZeroRecords,
		/// The account anchors this root already.
		RootAlreadyAnchored,
		/// A derived dataset names more parents than `MaxParents`.
		TooManyParents,
		/// A derived dataset names no parent.
		NoParents,
		/// A parent is named twice.
		DuplicateParent,
		/// A parent dataset does not exist.
		UnknownParent,
		/// A parent dataset is revoked.
		ParentRevoked,
		/// A parent dataset descends from revoked data.
		ParentTainted,
		/// The generator of a synthetic dataset is not a registered checkpoint.
		UnknownGenerator,
		/// The generator of a synthetic dataset descends from revoked data.
		GeneratorTainted,
		/// The dataset is already revoked.
		AlreadyRevoked,
		/// A revocation set must name at least one record.
		ZeroRevokedRecords,
		/// A revocation set cannot hold more records than the dataset.
		TooManyRevokedRecords,
		/// A revocation set only grows: it must hold at least the records of the last one.
		RevocationSetShrinks,
		/// The revocation set is the one published already.
		RevocationSetUnchanged,
		/// The consistency proof does not show that the new set extends the last one.
		NotAnExtension,
		/// The consistency proof is longer than `MAX_CONSISTENCY_PROOF_LEN` hashes.
		ProofTooLong,
		/// A new version's origin is of another kind than its predecessor's.
		OriginChanged,
		/// The dataset already belongs to that account.
		AlreadyOwner,
		/// A parent dataset is in breach of a contributor's consent withdrawal.
		ParentNonCompliant,
		/// The dataset's contributors are named already (a new version names others).
		ContributorsAlreadySet,
		/// A contributor tree must hold at least one contributor.
		ZeroContributors,
		/// The dataset names no contributors.
		NoContributorTree,
		/// The proof does not put the caller, with these records, in the contributor tree.
		NotAContributor,
		/// A withdrawal must name at least one record.
		NoRecords,
		/// A withdrawal names more records than `MaxWithdrawnRecords`.
		TooManyRecords,
		/// A record is named twice.
		DuplicateRecord,
		/// A record is not among the caller's records.
		RecordNotContributed,
		/// A record is withdrawn already.
		RecordAlreadyWithdrawn,
		/// No withdrawal has this id.
		UnknownWithdrawal,
		/// The withdrawal is answered already.
		AlreadyAnswered,
		/// The dataset has no revocation set to answer from.
		NoRevocationSet,
		/// An answer gives one set membership per withdrawn record, in order.
		WrongProofCount,
		/// A withdrawn record is not in the dataset's revocation set.
		RecordNotRevoked,
		/// Only the withdrawal's contributor may clear it.
		NotContributor,
		/// Only an answered withdrawal may be cleared.
		NotAnswered,
		/// The answer period must be at least a block.
		ZeroAnswerPeriod,
		/// A batch registration names no shard.
		EmptyBatch,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Sweeps the consent withdrawals due by now, before the block's transactions, so that
		/// no answer in the deadline's block is taken as in time and a full block postpones no
		/// breach.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::sweep_deadlines(now)
		}

		fn integrity_test() {
			assert!(!T::DefaultAnswerPeriod::get().is_zero(), "DefaultAnswerPeriod is zero");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "MaxExpiriesPerBlock is zero");
			assert!(T::MaxWithdrawnRecords::get() > 0, "MaxWithdrawnRecords is zero");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Anchors a dataset.
		///
		/// - origin: signed; the caller owns the dataset and pays its deposit.
		/// - `root`: RFC 6962 SHA-256 Merkle root over the records; anchored once per owner.
		/// - `record_count`: leaves under `root`, at least 1. `byte_size`: total size.
		/// - `uri`: ipfs://, ar://, hf://, s3:// or https://, at most `MaxUriLen` bytes.
		/// - `metadata_hash`: hash of the datasheet.
		/// - `data_origin`: `Human`, `Synthetic` from an untainted checkpoint, or `Derived` from
		///   1..=`MaxParents` distinct, live, untainted datasets, whose licenses allow it.
		/// - `commercial`: made for commercial use; the inputs' licenses must allow that too.
		/// - `max_stack_bps`: the highest royalty stack the caller accepts (`None`: any up to
		///   `MaxStackBps`), so that an input's owner cannot raise it while the call waits.
		///
		/// Emits `DatasetRegistered`. Complexity: O(parents).
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::register_weight(data_origin, uri))]
		pub fn register(
			origin: OriginFor<T>,
			root: Hash,
			record_count: u64,
			byte_size: u64,
			uri: Vec<u8>,
			metadata_hash: Hash,
			data_origin: OriginInput,
			commercial: bool,
			max_stack_bps: Option<u16>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let shard = ShardInput { root, record_count, byte_size, uri, metadata_hash };
			Self::do_register(who, None, shard, data_origin, commercial, max_stack_bps)
		}

		/// Anchors a new version of dataset `previous`; as [`Pallet::register`], and the
		/// caller must own `previous` (which may be revoked: a new version may be the fix). The
		/// origin is of the same kind as the predecessor's, and the predecessor's share-alike
		/// terms and royalty stack pass on to the version.
		///
		/// Emits `DatasetRegistered` with `previous_version`. Complexity: O(parents).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::register_version(
			data_origin.input_count().min(T::MaxParents::get()),
			(uri.len() as u32).min(T::MaxUriLen::get()),
		))]
		pub fn register_version(
			origin: OriginFor<T>,
			previous: DatasetId,
			root: Hash,
			record_count: u64,
			byte_size: u64,
			uri: Vec<u8>,
			metadata_hash: Hash,
			data_origin: OriginInput,
			commercial: bool,
			max_stack_bps: Option<u16>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let previous_record = Records::<T>::get(previous).ok_or(Error::<T>::NotFound)?;
			ensure!(previous_record.owner == who, Error::<T>::NotOwner);
			ensure!(previous_record.origin.same_kind(&data_origin), Error::<T>::OriginChanged);
			let shard = ShardInput { root, record_count, byte_size, uri, metadata_hash };
			Self::do_register(who, Some(previous), shard, data_origin, commercial, max_stack_bps)
		}

		/// Hands dataset `id` to `new_owner`. The deposit stays held from its depositor.
		///
		/// - origin: signed, the owner.
		/// - `new_owner`: an account that does not anchor the same root.
		///
		/// Emits `OwnershipTransferred`. Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::transfer_ownership())]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			id: DatasetId,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Records::<T>::try_mutate(id, |dataset| {
				let dataset = dataset.as_mut().ok_or(Error::<T>::NotFound)?;
				ensure!(dataset.owner == who, Error::<T>::NotOwner);
				ensure!(dataset.owner != new_owner, Error::<T>::AlreadyOwner);
				ensure!(
					!RootAnchors::<T>::contains_key(dataset.root, &new_owner),
					Error::<T>::RootAlreadyAnchored
				);
				RootAnchors::<T>::remove(dataset.root, &who);
				RootAnchors::<T>::insert(dataset.root, &new_owner, id);
				dataset.owner = new_owner.clone();
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::OwnershipTransferred { id, from: who, to: new_owner });
			Ok(())
		}

		/// Revokes some records of dataset `id`: `root` is the Merkle root over all revoked
		/// records so far (same leaves as the dataset's root), `count` how many there are.
		/// A set replaces the last one and only grows: `proof` is the RFC 6962 consistency proof
		/// from the last set to this one (empty for the first set). What was trained on the
		/// dataset before is tainted.
		///
		/// - origin: signed, the owner.
		/// - `proof`: at most `MAX_CONSISTENCY_PROOF_LEN` hashes.
		///
		/// Fails with `RevocationSetUnchanged` for the set published already, and with
		/// `NotAnExtension` for a set that does not keep every record of the last one.
		///
		/// Emits `RevocationSetPublished`. Complexity: O(proof); propagation runs in `on_idle`,
		/// one queued step per asset at most whatever is published meanwhile.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::publish_revocation_set(
			(proof.len() as u32).min(MAX_CONSISTENCY_PROOF_LEN)
		))]
		pub fn publish_revocation_set(
			origin: OriginFor<T>,
			id: DatasetId,
			root: Hash,
			count: u64,
			proof: Vec<Hash>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(proof.len() as u32 <= MAX_CONSISTENCY_PROOF_LEN, Error::<T>::ProofTooLong);
			Records::<T>::try_mutate(id, |dataset| {
				let dataset = dataset.as_mut().ok_or(Error::<T>::NotFound)?;
				ensure!(dataset.owner == who, Error::<T>::NotOwner);
				ensure!(
					matches!(dataset.status, DatasetStatus::Active),
					Error::<T>::AlreadyRevoked
				);
				ensure!(count > 0, Error::<T>::ZeroRevokedRecords);
				ensure!(count <= dataset.record_count, Error::<T>::TooManyRevokedRecords);
				if let Some(last) = &dataset.revocation_set {
					ensure!(count >= last.count, Error::<T>::RevocationSetShrinks);
					ensure!(
						count != last.count || root != last.root,
						Error::<T>::RevocationSetUnchanged
					);
					merkle::verify_consistency::<merkle::HostSha256>(
						last.count, count, &last.root, &root, &proof,
					)
					.map_err(|_| Error::<T>::NotAnExtension)?;
				}
				let published_at = frame_system::Pallet::<T>::block_number();
				dataset.revocation_set = Some(RevocationSet { root, count, published_at });
				Ok::<_, DispatchError>(())
			})?;
			T::OnRevoked::on_dataset_revoked(id);
			Self::deposit_event(Event::RevocationSetPublished { id, root, count });
			Ok(())
		}

		/// Revokes dataset `id` as a whole: it takes no new derivatives, and everything
		/// trained on it, or on data made from it, is tainted.
		///
		/// - origin: signed, the owner.
		///
		/// Emits `DatasetRevoked`. Complexity: O(1); tainting runs in `on_idle`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::revoke())]
		pub fn revoke(
			origin: OriginFor<T>,
			id: DatasetId,
			reason: RevocationReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke(id, reason, Some(who))
		}

		/// Revokes dataset `id` whoever owns it (a legal takedown); as [`Pallet::revoke`].
		///
		/// - origin: `ForceOrigin`.
		///
		/// Emits `DatasetRevoked` with `forced: true`. Complexity: O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke())]
		pub fn force_revoke(
			origin: OriginFor<T>,
			id: DatasetId,
			reason: RevocationReason,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_revoke(id, reason, None)
		}

		/// Names the contributors of dataset `id`, once: `root` of the RFC 6962 tree over
		/// `merkle::contributor_leaf`s, one per contributor, each binding an account to the tree of
		/// the record leaves it gave. The tree cannot be changed (a withdrawal's proof must not
		/// be swept away by a new tree): a mistake is fixed by a new version.
		///
		/// - origin: signed, the owner; pays the deposit of the tree and the consent counters.
		///
		/// Emits `ContributorTreeSet`. Complexity: O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_contributor_root())]
		pub fn set_contributor_root(
			origin: OriginFor<T>,
			id: DatasetId,
			root: Hash,
			leaves: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_contributor_root(who, id, root, leaves)
		}

		/// Withdraws the caller's consent for `records` of dataset `id`. Public at once; the
		/// owner must revoke the records within `AnswerPeriod` blocks, or the dataset is in
		/// breach from the deadline on.
		///
		/// - origin: signed, a contributor; holds the withdrawal's deposit until it is answered
		///   and cleared.
		/// - `contributor`: the caller's records root and count and its place in the dataset's
		///   contributor tree (audit path at most `MAX_AUDIT_PATH_LEN` hashes).
		/// - `records`: 1..=`MaxWithdrawnRecords` distinct record leaf hashes, each with its
		///   place under the caller's records root; none withdrawn already.
		///
		/// Emits `ConsentWithdrawn`. Complexity: O(records × path).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw_consent(
			(records.len() as u32).min(T::MaxWithdrawnRecords::get())
		))]
		pub fn withdraw_consent(
			origin: OriginFor<T>,
			id: DatasetId,
			contributor: ContributorProof<Vec<Hash>>,
			records: Vec<RecordProof<Vec<Hash>>>,
			reason: ConsentReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_consent(who, id, contributor, records, reason)
		}

		/// Proves that the records of `withdrawal` are revoked: `proofs` gives, for each record
		/// in order, its place in the dataset's current revocation set (none when the whole
		/// dataset is revoked). Anyone may answer: it only proves facts. An answer after the
		/// deadline ends the breach once every late withdrawal is answered.
		///
		/// - origin: signed, anyone.
		///
		/// Emits `WithdrawalAnswered`, and `DatasetCompliant` when it ends a breach.
		/// Complexity: O(records × path).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::answer_withdrawal(
			(proofs.len() as u32).min(T::MaxWithdrawnRecords::get())
		))]
		pub fn answer_withdrawal(
			origin: OriginFor<T>,
			withdrawal: WithdrawalId,
			proofs: Vec<SetMembership<Vec<Hash>>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_answer_withdrawal(who, withdrawal, proofs)
		}

		/// Removes an answered withdrawal and releases its deposit; its records may then be
		/// withdrawn again (such a withdrawal is answered at once by the same proofs).
		///
		/// - origin: signed, the withdrawal's contributor.
		///
		/// Emits `WithdrawalCleared`. Complexity: O(records).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::clear_withdrawal(T::MaxWithdrawnRecords::get()))]
		pub fn clear_withdrawal(origin: OriginFor<T>, withdrawal: WithdrawalId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_clear_withdrawal(who, withdrawal)
		}

		/// Sets the answer period of withdrawals filed from now on; those filed keep their
		/// deadlines.
		///
		/// - origin: `ParametersOrigin`.
		/// - `period`: at least one block.
		///
		/// Emits `AnswerPeriodSet`. Complexity: O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_answer_period())]
		pub fn set_answer_period(
			origin: OriginFor<T>,
			period: BlockNumberFor<T>,
		) -> DispatchResult {
			T::ParametersOrigin::ensure_origin(origin)?;
			ensure!(!period.is_zero(), Error::<T>::ZeroAnswerPeriod);
			AnswerPeriod::<T>::put(period);
			Self::deposit_event(Event::AnswerPeriodSet { period });
			Ok(())
		}

		/// Anchors the shards of one upload of human data at once: each shard becomes a dataset
		/// as [`Pallet::register`] makes it with a `Human` origin and no royalty stack, with its
		/// own record, deposit and `DatasetRegistered` event. The deposits are held together.
		/// All shards are anchored or none. (Synthetic and derived datasets carry reverse
		/// indexes, stacks and inherited terms: they are registered one by one.)
		///
		/// - origin: signed; the caller owns the datasets and pays their deposits.
		/// - `shards`: 1..=`MaxBatchShards`, each with a root the caller has not anchored.
		/// - `commercial`: made for commercial use.
		///
		/// Emits `DatasetRegistered` per shard, in order. Complexity: O(shards).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::register_batch(
			(shards.len() as u32).min(T::MaxBatchShards::get()),
		))]
		pub fn register_batch(
			origin: OriginFor<T>,
			shards: BoundedVec<ShardInput, T::MaxBatchShards>,
			commercial: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_batch(who, shards.into_inner(), commercial)
		}
	}

	impl<T: Config> Pallet<T> {
		fn do_revoke(
			id: DatasetId,
			reason: RevocationReason,
			by_owner: Option<T::AccountId>,
		) -> DispatchResult {
			Records::<T>::try_mutate(id, |dataset| {
				let dataset = dataset.as_mut().ok_or(Error::<T>::NotFound)?;
				if let Some(who) = &by_owner {
					ensure!(&dataset.owner == who, Error::<T>::NotOwner);
				}
				ensure!(
					matches!(dataset.status, DatasetStatus::Active),
					Error::<T>::AlreadyRevoked
				);
				let at = frame_system::Pallet::<T>::block_number();
				dataset.status = DatasetStatus::Revoked { at, reason };
				Ok::<_, DispatchError>(())
			})?;
			T::OnRevoked::on_dataset_revoked(id);
			Self::deposit_event(Event::DatasetRevoked { id, reason, forced: by_owner.is_none() });
			Ok(())
		}

		/// The deposit of `dataset`: base plus bytes of its record, its root index entries, its
		/// reverse-index entries (one per input and one for a previous version) and the
		/// revocation set it may publish.
		pub fn deposit_for(dataset: &DatasetOf<T>) -> BalanceOf<T> {
			let reverse_entries = (dataset.origin.inputs().len() as u32)
				.saturating_add(dataset.previous_version.is_some() as u32);
			let bytes = (dataset.encoded_size() as u32)
				.saturating_add(ROOT_INDEX_BYTES)
				.saturating_add(REVOCATION_SET_BYTES)
				.saturating_add(reverse_entries.saturating_mul(REVERSE_INDEX_BYTES));
			provenance_primitives::storage::deposit(
				T::DepositBase::get(),
				T::DepositPerByte::get(),
				bytes,
			)
		}

		/// The earliest dataset of [`Self::anchors_of`].
		pub fn first_anchor_of(root: Hash) -> Option<(DatasetId, DatasetOf<T>)> {
			let id = Self::anchor_page(root).min()?;
			Records::<T>::get(id).map(|dataset| (id, dataset))
		}

		/// Every dataset anchoring `root` (one per owner), earliest first, of the first
		/// `MAX_PAGE_LEN` in storage order (a root with more anchors, each a deposit, answers
		/// a page of them: clients trust an anchor by its owner, never by its order).
		pub fn anchors_of(root: Hash) -> Vec<(DatasetId, DatasetOf<T>)> {
			let mut ids: Vec<DatasetId> = Self::anchor_page(root).collect();
			ids.sort_unstable();
			ids.into_iter().filter_map(|id| Records::<T>::get(id).map(|d| (id, d))).collect()
		}

		/// The ids of the first `MAX_PAGE_LEN` anchors of `root` in storage order: what one
		/// query of a root reads at most.
		fn anchor_page(root: Hash) -> impl Iterator<Item = DatasetId> {
			RootAnchors::<T>::iter_prefix_values(root)
				.take(provenance_primitives::storage::MAX_PAGE_LEN as usize)
		}

		/// Whether the record with leaf hash `leaf` sits at `index` under the root of dataset
		/// `id`, by the audit path `proof`.
		pub fn verify_record(
			id: DatasetId,
			leaf: &Hash,
			index: u64,
			proof: &[Hash],
		) -> Result<(), RecordProofError> {
			let dataset = Records::<T>::get(id).ok_or(RecordProofError::UnknownDataset)?;
			merkle::verify_inclusion::<merkle::HostSha256>(
				leaf,
				index,
				dataset.record_count,
				proof,
				&dataset.root,
			)
			.map_err(Into::into)
		}

		/// Whether the record with leaf hash `leaf` sits at `index` in the revocation set of
		/// dataset `id`, by the audit path `proof`.
		pub fn verify_revoked_record(
			id: DatasetId,
			leaf: &Hash,
			index: u64,
			proof: &[Hash],
		) -> Result<(), RecordProofError> {
			let dataset = Records::<T>::get(id).ok_or(RecordProofError::UnknownDataset)?;
			let set = dataset.revocation_set.ok_or(RecordProofError::NoRevocationSet)?;
			merkle::verify_inclusion::<merkle::HostSha256>(leaf, index, set.count, proof, &set.root)
				.map_err(Into::into)
		}
	}

	impl<T: Config> DatasetInspect<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
		fn dataset(id: DatasetId) -> Option<DatasetSummary<T::AccountId, BlockNumberFor<T>>> {
			let d = Records::<T>::get(id)?;
			let consent = Consent::<T>::get(id);
			let active = matches!(d.status, DatasetStatus::Active);
			let consent_breached = active && consent.unanswered > 0;
			Some(DatasetSummary {
				owner: d.owner,
				record_count: d.record_count,
				created_at: d.created_at,
				revoked: !active,
				records_revoked_at: d.revocation_set.map(|set| set.published_at),
				consent_breached,
				taint_kind: match d.status {
					// A revocation with withdrawals left unanswered keeps the consent kind,
					// whatever reason the owner gives.
					DatasetStatus::Revoked { .. } if consent.unanswered > 0 => {
						TaintKind::ConsentWithdrawn
					},
					DatasetStatus::Revoked { reason, .. } => reason.taint_kind(),
					// In breach, or a revocation set that answers withdrawals of consent.
					DatasetStatus::Active if consent_breached || consent.answered_any => {
						TaintKind::ConsentWithdrawn
					},
					// Only a revocation set: the records' reasons are off chain.
					DatasetStatus::Active => TaintKind::DataRevoked,
				},
				origin: d.origin.summary(),
				previous_version: d.previous_version,
			})
		}

		fn lineage(id: DatasetId) -> Option<DatasetLineage<T::AccountId>> {
			let d = Records::<T>::get(id)?;
			Some(DatasetLineage {
				owner: d.owner,
				origin: d.origin.summary(),
				previous_version: d.previous_version,
			})
		}

		fn newer_versions(id: DatasetId, after: Option<DatasetId>, limit: u32) -> Vec<DatasetId> {
			provenance_primitives::storage::page_of::<NewerVersions<T>, _, _, _>(id, after, limit)
		}

		fn derived_children(
			parent: DatasetId,
			after: Option<DatasetId>,
			limit: u32,
		) -> Vec<DatasetId> {
			provenance_primitives::storage::page_of::<DerivedChildren<T>, _, _, _>(
				parent, after, limit,
			)
		}

		fn generated_by(
			generator: CheckpointId,
			after: Option<DatasetId>,
			limit: u32,
		) -> Vec<DatasetId> {
			provenance_primitives::storage::page_of::<GeneratedBy<T>, _, _, _>(
				generator, after, limit,
			)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> Pallet<T> {
		/// Anchors a human dataset (a new version of `previous`, if given) for benchmarks.
		fn create_for_benchmarks(
			owner: &T::AccountId,
			previous: Option<DatasetId>,
			seed: u32,
		) -> DatasetId {
			let id = NextDatasetId::<T>::get();
			let mut root = [0xDA; 32];
			root[..4].copy_from_slice(&seed.to_le_bytes());
			let shard = ShardInput {
				root,
				record_count: 1_000,
				byte_size: 1_000,
				uri: b"https://example.org/dataset".to_vec(),
				metadata_hash: [0; 32],
			};
			let registered = Self::do_register(
				owner.clone(),
				previous,
				shard,
				DatasetOrigin::Human,
				false,
				None,
			);
			debug_assert!(registered.is_ok(), "benchmark dataset registers: {registered:?}");
			id
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> provenance_primitives::traits::DatasetFactory<T::AccountId> for Pallet<T> {
		fn create_dataset(owner: &T::AccountId, seed: u32) -> DatasetId {
			Self::create_for_benchmarks(owner, None, seed)
		}

		fn create_version(owner: &T::AccountId, previous: DatasetId, seed: u32) -> DatasetId {
			Self::create_for_benchmarks(owner, Some(previous), seed)
		}

		fn revoke_dataset(id: DatasetId) {
			let revoked = Self::do_revoke(id, RevocationReason::Other, None);
			debug_assert!(revoked.is_ok(), "benchmark dataset revokes: {revoked:?}");
		}
	}
}
