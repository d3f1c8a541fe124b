//! # Checkpoints
//!
//! Registers model checkpoints and keeps the lineage DAG over datasets and checkpoints, with
//! the taint that revoked data leaves in it.
//!
//! ## Lineage
//!
//! A checkpoint names its parent checkpoints, each with a [`Relation`] (fine-tune, adapter,
//! merge, quantization, distillation, unlearning), and the datasets it was trained on. A
//! synthetic dataset points to the checkpoint that generated it and a derived dataset to its
//! parents (the datasets pallet). A record can only reference records that already exist, so
//! the graph is acyclic by construction. Reverse indexes ([`Children`], [`DatasetUsers`], and
//! the datasets pallet's) find the descendants of an asset without scanning.
//!
//! ## Taint
//!
//! The taint of an asset is the set of sources it descends from, each with its
//! [`TaintKind`](provenance_primitives::TaintKind): revoked datasets (data revoked, consent
//! withdrawn, license violated, by the revocation's reason) and checkpoints flagged as
//! compromised (poisoned, backdoored, tampered):
//!
//! - a dataset revoked as a whole taints itself;
//! - a checkpoint flagged as compromised ([`Pallet::flag_compromised`]) taints itself;
//! - a checkpoint whose linked, attested training run declared a code or environment hash
//!   that is reported or declared compromised taints itself (`PipelineCompromised`);
//! - a dataset with a revocation set (some records revoked) taints whatever used it *before* the
//!   set was published, which could not have left those records out;
//! - a derived dataset inherits its parents' taint, a synthetic one its generator's;
//! - a checkpoint inherits the taint of its parents and its datasets;
//! - a checkpoint with an `Unlearning` parent that names the sources it `excludes` (revoked
//!   datasets, a compromised ancestor) drops them once its training run is final: the line is
//!   *remediated*. A checkpoint retrained from its clean ancestor does not descend from the
//!   source at all.
//!
//! [`Taint`] stores the set per asset, so queries and the checks on new registrations read one
//! item. A new checkpoint's set is computed when it registers (its inputs are bounded). A
//! revocation changes the sets of every descendant, an unbounded number, so it is propagated
//! in bounded steps: the datasets pallet reports it ([`OnDatasetRevoked`]), which queues
//! work; `on_idle` runs queued steps while the block has weight left, at most
//! `MaxTaintStepsPerBlock`. A step either recomputes one asset's set from its inputs (and,
//! when the set changed, queues a fan-out to its children) or queues the recomputation of one
//! page of `FanoutBatch` children. Recomputing from inputs, instead of pushing a source
//! downwards, makes the walk idempotent and lets remediation remove sources the same way
//! revocation adds them; an asset is queued at most once at a time, so a diamond in the DAG
//! costs one recomputation per wave. Every change emits `CheckpointTainted` /
//! `DatasetTainted` or `TaintCleared`, one per asset and source, with the source's kind; a
//! checkpoint that gains a kind of taint warns its deployments ([`OnCheckpointTainted`]).
//!
//! ## Calls
//! - [`Pallet::register`]: register a checkpoint;
//! - [`Pallet::transfer_ownership`]: hand it to another account;
//! - [`Pallet::flag_compromised`]: its owner flags it as compromised (for good);
//! - [`Pallet::force_flag_compromised`], [`Pallet::force_unflag_compromised`]: `ForceOrigin`
//!   flags any checkpoint, or withdraws a false flag;
//! - [`Pallet::report_compromised_pipeline`] (anyone, with a bond),
//!   [`Pallet::force_declare_compromised_pipeline`] and [`Pallet::rule_pipeline_report`]
//!   (`ForceOrigin`): a training code or environment hash declared compromised taints every
//!   checkpoint whose attested run declared it, and what was made from them.
//!
//! [`OnCheckpointTainted`]: provenance_primitives::traits::OnCheckpointTainted

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod lineage;
pub mod migrations;
#[cfg(test)]
mod mock;
mod pipelines;
mod taint;
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
		traits::{
			fungible::{self, Inspect, Mutate, MutateHold},
			OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;
	use provenance_primitives::{
		merkle::Hash,
		traits::{
			DatasetInspect, DerivativeCheck, FinalRuns, LineageDatasets, LinkOutcome,
			OnAssetRegistered, OnCheckpointTainted, Registration, RunInputs,
		},
		AssetRef, CheckpointId, CompromiseReason, DatasetId, RunId, TaintKind,
	};
	use sp_runtime::traits::StaticLookup;

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type CheckpointOf<T> = Checkpoint<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxUriLen,
		<T as Config>::MaxParents,
		<T as Config>::MaxDatasets,
	>;
	pub type TaintSetOf<T> = TaintSet<<T as Config>::MaxTaintSources>;
	type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// Bytes of index entries each checkpoint adds besides its record: the two weights
	/// indexes (first and per owner), and per parent and dataset one reverse-index entry.
	const WEIGHTS_INDEX_BYTES: u32 = (16 + 32 + 8) + (16 + 32 + 16 + 32 + 8);
	/// Bytes a mismatched run adds to the record later.
	const RUN_MISMATCH_BYTES: u32 = 8;
	/// Bytes a [`Compromised`] entry takes (key and value), whoever flags the checkpoint: every
	/// checkpoint pays for the room of its flag when it registers.
	fn compromise_bytes<T: Config>() -> u32 {
		(Compromise::<BlockNumberFor<T>>::max_encoded_len() as u32).saturating_add(16 + 8)
	}
	const REVERSE_INDEX_BYTES: u32 = 8 + 8 + 8 + 8 + 1;

	/// What a pipeline report holds.
	pub type PipelineReportOf<T> =
		PipelineReport<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	pub type CreditOf<T> =
		fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
	/// Bytes the pipeline of a checkpoint's run takes once linked: the code and environment
	/// hashes, and one [`PipelineUsers`] entry each. Every checkpoint pays for them when it
	/// registers.
	const PIPELINE_BYTES: u32 = (16 + 8 + 64) + 2 * (16 + 32 + 8 + 8);

	/// 1: taint sources with kinds, exclusions naming assets ([`crate::migrations::v1`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a checkpoint record.
		CheckpointDeposit,
		/// The bond of a compromised-pipeline report, until `ForceOrigin` rules on it.
		PipelineReportBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// The datasets pallet.
		type Datasets: DatasetInspect<Self::AccountId, BlockNumberFor<Self>>;
		/// Final training runs (the attestations pallet), to link a checkpoint that registers
		/// after its run became final.
		type Runs: FinalRuns<Self::AccountId>;
		/// Told when a checkpoint turns tainted (the evaluations pallet warns its deployments).
		type OnCheckpointTainted: OnCheckpointTainted;
		/// Whether the inputs' licenses allow a checkpoint made from them (the licenses pallet).
		type Licenses: DerivativeCheck<Self::AccountId>;
		/// Told of every new checkpoint; may refuse it (the royalties pallet).
		type OnRegistered: OnAssetRegistered<Self::AccountId>;
		/// Licenses the benchmarks' inputs, so that registrations pay for the whole check.
		#[cfg(feature = "runtime-benchmarks")]
		type LicenseFactory: provenance_primitives::traits::LicenseFactory<Self::AccountId>;
		/// The deposit every checkpoint holds, whatever its size.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// The deposit per byte a checkpoint's record and indexes take in state.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// The longest URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// The most parent checkpoints one checkpoint may name.
		#[pallet::constant]
		type MaxParents: Get<u32>;
		/// The most datasets one checkpoint may name (and the most it may exclude).
		#[pallet::constant]
		type MaxDatasets: Get<u32>;
		/// The most taint sources stored per asset; past it the set is marked truncated.
		#[pallet::constant]
		type MaxTaintSources: Get<u32>;
		/// Children queued per fan-out step.
		#[pallet::constant]
		type FanoutBatch: Get<u32>;
		/// Taint propagation steps per block at most, however much weight is left.
		#[pallet::constant]
		type MaxTaintStepsPerBlock: Get<u32>;
		/// The most assets one lineage query walks.
		#[pallet::constant]
		type MaxLineageWalk: Get<u32>;
		/// Who may flag any checkpoint as compromised, and withdraw a flag.
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// What a reporter holds to report a pipeline compromised; forfeit if `ForceOrigin`
		/// rejects the report.
		#[pallet::constant]
		type PipelineReportBond: Get<BalanceOf<Self>>;
		/// Where forfeited report bonds go (the treasury).
		type OnForfeit: OnUnbalanced<CreditOf<Self>>;
		/// Makes datasets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type DatasetFactory: provenance_primitives::traits::DatasetFactory<Self::AccountId>;
		/// Makes final training runs, as `Runs` finds them, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type RunFactory: provenance_primitives::traits::RunFactory<Self::AccountId>;
		/// Weights of the calls and of a propagation step.
		type WeightInfo: WeightInfo;
	}

	/// The id the next checkpoint gets.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextCheckpointId<T> = StorageValue<_, CheckpointId, ValueQuery>;

	/// The checkpoints, by id.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Twox64Concat, CheckpointId, CheckpointOf<T>>;

	/// The first checkpoint registered with these weights.
	#[pallet::storage]
	pub type CheckpointByWeights<T> = StorageMap<_, Blake2_128Concat, Hash, CheckpointId>;

	/// Each owner's checkpoint with these weights. Weights are registered once per owner, so
	/// no one takes a lab's weights by registering them first: every registration is kept and
	/// visible, the earliest in [`CheckpointByWeights`].
	#[pallet::storage]
	pub type CheckpointsByWeights<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Hash, Blake2_128Concat, T::AccountId, CheckpointId>;

	/// Reverse index: (parent, child) and the child's relation to it.
	#[pallet::storage]
	pub type Children<T> =
		StorageDoubleMap<_, Twox64Concat, CheckpointId, Twox64Concat, CheckpointId, Relation>;

	/// Reverse index: (dataset, checkpoint trained on it).
	#[pallet::storage]
	pub type DatasetUsers<T> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, CheckpointId, ()>;

	/// The taint sources each tainted asset descends from; clean assets have no entry.
	#[pallet::storage]
	pub type Taint<T: Config> = StorageMap<_, Twox64Concat, AssetRef, TaintSetOf<T>>;

	/// Checkpoints flagged as compromised: each taints itself and its descendants.
	#[pallet::storage]
	pub type Compromised<T: Config> =
		StorageMap<_, Twox64Concat, CheckpointId, Compromise<BlockNumberFor<T>>>;

	/// Queued propagation steps, by sequence number.
	#[pallet::storage]
	pub type TaintQueue<T> = StorageMap<_, Twox64Concat, u64, TaintWork>;

	/// The code and environment hashes the linked, attested training run of a checkpoint
	/// declared.
	#[pallet::storage]
	pub type Pipelines<T> = StorageMap<_, Twox64Concat, CheckpointId, (Hash, Hash)>;

	/// Reverse index: (code or environment hash, checkpoint whose run declared it).
	#[pallet::storage]
	pub type PipelineUsers<T> =
		StorageDoubleMap<_, Blake2_128Concat, Hash, Twox64Concat, CheckpointId, ()>;

	/// Code and environment hashes reported or declared compromised.
	#[pallet::storage]
	pub type CompromisedPipelines<T: Config> =
		StorageMap<_, Blake2_128Concat, Hash, PipelineReportOf<T>>;

	/// Hashes whose report `ForceOrigin` rejected, with the block: only `ForceOrigin` may
	/// declare them again, so that a rejected report cannot be filed over and over from other
	/// accounts.
	#[pallet::storage]
	pub type RejectedPipelines<T: Config> =
		StorageMap<_, Blake2_128Concat, Hash, BlockNumberFor<T>>;

	/// The queue's bounds: the next step to run and the next free sequence number.
	#[pallet::storage]
	pub type TaintQueueBounds<T> = StorageValue<_, (u64, u64), ValueQuery>;

	/// Assets with a queued recomputation, so that none is queued twice; `true` when a fan-out
	/// to its children follows it whether or not its set changes.
	#[pallet::storage]
	pub type QueuedRecompute<T> = StorageMap<_, Twox64Concat, AssetRef, bool>;

	/// Assets whose fan-out is queued or under way, so that each has one at a time; `true` when
	/// it was asked for again meanwhile: it starts over from the first child once done.
	#[pallet::storage]
	pub type QueuedFanout<T> = StorageMap<_, Twox64Concat, AssetRef, bool>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A checkpoint was registered.
		CheckpointRegistered {
			id: CheckpointId,
			owner: T::AccountId,
			weights_hash: Hash,
			parents: BoundedVec<ParentEdge, T::MaxParents>,
			datasets: BoundedVec<DatasetId, T::MaxDatasets>,
			excludes: BoundedVec<AssetRef, T::MaxDatasets>,
			run: Option<RunId>,
			uri: BoundedVec<u8, T::MaxUriLen>,
			metadata_hash: Hash,
			commercial: bool,
			deposit: BalanceOf<T>,
		},
		/// A checkpoint changed hands.
		OwnershipTransferred { id: CheckpointId, from: T::AccountId, to: T::AccountId },
		/// A final training run was linked to the checkpoint with its output weights.
		RunLinked { checkpoint: CheckpointId, run: RunId },
		/// A final attested run of the checkpoint's owner on its weights declared another
		/// lineage than the checkpoint registered: it is not linked.
		RunLineageMismatch { checkpoint: CheckpointId, run: RunId },
		/// A checkpoint descends from taint source `source` (a revoked dataset, a compromised
		/// checkpoint, itself included), of `kind`; or the kind of that source changed.
		CheckpointTainted { checkpoint: CheckpointId, source: AssetRef, kind: TaintKind },
		/// A dataset descends from taint source `source` of `kind` (or the kind changed).
		DatasetTainted { dataset: DatasetId, source: AssetRef, kind: TaintKind },
		/// An asset no longer carries the taint of `source` of `kind` (remediated upstream,
		/// or a flag withdrawn).
		TaintCleared { asset: AssetRef, source: AssetRef, kind: TaintKind },
		/// A checkpoint was flagged as compromised: it and its descendants are tainted.
		CheckpointCompromised {
			checkpoint: CheckpointId,
			reason: CompromiseReason,
			evidence: Hash,
			forced: bool,
		},
		/// `ForceOrigin` withdrew a checkpoint's compromise flag.
		CompromiseWithdrawn { checkpoint: CheckpointId },
		/// The kinds of taint an asset carries, or whether its listed sources are `truncated`
		/// (more than `MaxTaintSources`), changed: all of them now (empty: clean). Sent with
		/// the per-source events, and also when only sources past the bound changed.
		TaintKindsChanged {
			asset: AssetRef,
			kinds: BoundedVec<TaintKind, TaintKindCount>,
			truncated: bool,
		},
		/// Taint propagation has work queued for `on_idle` (`pending`), or has done all of it:
		/// until then descendants may not yet carry an upstream change.
		TaintPropagation { pending: bool },
		/// The checkpoint's linked run declared this training code and environment.
		PipelineRecorded { checkpoint: CheckpointId, code_hash: Hash, environment_hash: Hash },
		/// A training code or environment hash was reported (`reporter` with its `bond`) or
		/// declared (`reporter: None`, by `ForceOrigin`) compromised: the checkpoints whose runs
		/// declared it turn tainted `PipelineCompromised`.
		PipelineCompromised {
			pipeline: Hash,
			evidence: Hash,
			reporter: Option<T::AccountId>,
			bond: BalanceOf<T>,
		},
		/// `ForceOrigin` ruled on a pipeline report: upheld (the bond is released and the
		/// report confirmed) or rejected (the report is removed, its taint cleared, and the
		/// reporter's bond, `forfeited`, goes to `OnForfeit`).
		PipelineReportRuled {
			pipeline: Hash,
			upheld: bool,
			reporter: Option<T::AccountId>,
			forfeited: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No checkpoint has this id.
		NotFound,
		/// The caller does not own the checkpoint.
		NotOwner,
		/// The checkpoint already belongs to that account.
		AlreadyOwner,
		/// The account has a checkpoint with these weights already.
		WeightsAlreadyRegistered,
		/// The URI is longer than `MaxUriLen`.
		UriTooLong,
		/// The URI is not ipfs://, ar://, hf://, s3:// or https://.
		UnsupportedUriScheme,
		/// More parents than `MaxParents`.
		TooManyParents,
		/// More datasets (or exclusions) than `MaxDatasets`.
		TooManyDatasets,
		/// A parent checkpoint is named twice.
		DuplicateParent,
		/// A dataset (or an excluded source) is named twice.
		DuplicateDataset,
		/// A parent checkpoint does not exist.
		UnknownParent,
		/// A dataset does not exist.
		UnknownDataset,
		/// A dataset is revoked.
		DatasetRevoked,
		/// A dataset is in breach of a contributor's consent withdrawal.
		DatasetNonCompliant,
		/// A dataset descends from revoked data.
		DatasetTainted,
		/// A parent descends from revoked data; only an `Unlearning` edge may start from it.
		ParentTainted,
		/// Exclusions need an `Unlearning` parent.
		ExcludesWithoutUnlearning,
		/// An excluded source is not a taint source of any `Unlearning` parent.
		NotATaintSource,
		/// The checkpoint is flagged as compromised already.
		AlreadyCompromised,
		/// The checkpoint is not flagged as compromised.
		NotCompromised,
		/// The pipeline is reported or declared compromised already.
		PipelineAlreadyReported,
		/// No report or declaration of this pipeline.
		UnknownPipelineReport,
		/// The report is confirmed already.
		AlreadyConfirmed,
		/// `ForceOrigin` rejected a report of this pipeline: only it may declare it now.
		PipelineReportRejected,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::propagate_taint(remaining)
		}

		fn integrity_test() {
			assert!(T::FanoutBatch::get() > 0, "FanoutBatch must be positive");
			assert!(T::MaxTaintStepsPerBlock::get() > 0, "MaxTaintStepsPerBlock must be positive");
			assert!(
				T::MaxTaintSources::get() >= T::MaxDatasets::get(),
				"MaxTaintSources must hold every dataset one checkpoint may exclude"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a checkpoint.
		///
		/// - origin: signed; the caller owns the checkpoint and pays its deposit.
		/// - `weights_hash`: RFC 6962 SHA-256 Merkle root over the weight files; once per owner
		///   (another account's registration of the same weights does not stand in the way).
		/// - `parents`: up to `MaxParents` distinct existing checkpoints with their relation; a
		///   tainted parent only through `Unlearning`.
		/// - `datasets`: up to `MaxDatasets` distinct, live, untainted datasets it was trained on.
		/// - `excludes`: with an `Unlearning` parent, the parent's taint sources it removes; they
		///   stop tainting this line once its training run is final.
		/// - `uri`: ipfs://, ar://, hf://, s3:// or https://; `metadata_hash`: the model card.
		/// - `commercial`: for commercial use. The licenses of the parents and datasets must allow
		///   the checkpoint (and commercial use, if so); it takes on their share-alike terms.
		/// - `max_stack_bps`: the highest royalty stack the caller accepts (`None`: any up to
		///   `MaxStackBps`), so that an input's owner cannot raise it while the call waits.
		///
		/// Emits `CheckpointRegistered`, and `CheckpointTainted` per source it inherits.
		/// Complexity: O(parents + datasets). The weight is of a registration that links the
		/// caller's final training run and records its pipeline; one that links none is
		/// refunded the pipeline's storage accesses.
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::register_weight(parents, datasets, excludes))]
		pub fn register(
			origin: OriginFor<T>,
			weights_hash: Hash,
			parents: Vec<ParentEdge>,
			datasets: Vec<DatasetId>,
			excludes: Vec<AssetRef>,
			uri: Vec<u8>,
			metadata_hash: Hash,
			commercial: bool,
			max_stack_bps: Option<u16>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let weight = Self::register_weight(&parents, &datasets, &excludes);
			let linked = Self::do_register(
				who,
				weights_hash,
				parents,
				datasets,
				excludes,
				uri,
				metadata_hash,
				commercial,
				max_stack_bps,
			)?;
			let refund = if linked { Weight::zero() } else { Self::unlinked_refund() };
			Ok(Some(weight.saturating_sub(refund)).into())
		}

		/// Hands checkpoint `id` to `new_owner`. The deposit stays held from its depositor.
		///
		/// - origin: signed, the owner.
		/// - `new_owner`: an account without a checkpoint of the same weights.
		///
		/// Emits `OwnershipTransferred`. Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::transfer_ownership())]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			id: CheckpointId,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Records::<T>::try_mutate(id, |checkpoint| {
				let checkpoint = checkpoint.as_mut().ok_or(Error::<T>::NotFound)?;
				ensure!(checkpoint.owner == who, Error::<T>::NotOwner);
				ensure!(checkpoint.owner != new_owner, Error::<T>::AlreadyOwner);
				let weights = checkpoint.weights_hash;
				ensure!(
					!CheckpointsByWeights::<T>::contains_key(weights, &new_owner),
					Error::<T>::WeightsAlreadyRegistered
				);
				CheckpointsByWeights::<T>::remove(weights, &who);
				CheckpointsByWeights::<T>::insert(weights, &new_owner, id);
				checkpoint.owner = new_owner.clone();
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::OwnershipTransferred { id, from: who, to: new_owner });
			Ok(())
		}

		/// Flags checkpoint `id` as compromised (poisoned, backdoored, tampered weights): it and
		/// everything made from it are tainted with `ModelCompromised`, and the deployments of
		/// every checkpoint that turns tainted are warned.
		///
		/// - origin: signed, the owner. The flag stays with the checkpoint (also when it changes
		///   hands); only `ForceOrigin` withdraws one, so that no one restarts the propagation
		///   over everyone's descendants by flagging and unflagging.
		/// - `reason`; `evidence`: hash of the evidence (a report, a trigger, the files).
		///
		/// The checkpoint's own taint changes at once: from this block on nothing can be made
		/// from it but through `Unlearning`. Its descendants follow in `on_idle`. Only this
		/// registration is flagged, not other owners' registrations of the same weights.
		/// Emits `CheckpointCompromised` and `CheckpointTainted`. Complexity: O(parents +
		/// datasets), as a registration.
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::flag_weight())]
		pub fn flag_compromised(
			origin: OriginFor<T>,
			id: CheckpointId,
			reason: CompromiseReason,
			evidence: Hash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let checkpoint = Records::<T>::get(id).ok_or(Error::<T>::NotFound)?;
			ensure!(checkpoint.owner == who, Error::<T>::NotOwner);
			Self::do_flag(id, reason, evidence, false)
		}

		/// Flags any checkpoint as compromised, as [`Pallet::flag_compromised`] does.
		///
		/// - origin: `ForceOrigin`.
		///
		/// Emits `CheckpointCompromised` (`forced`) and `CheckpointTainted`.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::flag_weight())]
		pub fn force_flag_compromised(
			origin: OriginFor<T>,
			id: CheckpointId,
			reason: CompromiseReason,
			evidence: Hash,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			ensure!(Records::<T>::contains_key(id), Error::<T>::NotFound);
			Self::do_flag(id, reason, evidence, true)
		}

		/// Withdraws checkpoint `id`'s compromise flag (a false flag, one made with a stolen
		/// key): its own taint is recomputed at once, its descendants' in `on_idle`.
		///
		/// - origin: `ForceOrigin`.
		///
		/// Emits `CompromiseWithdrawn`, and `TaintCleared` per asset the flag no longer taints.
		/// (Its recomputation may find a kind its inputs gained meanwhile, which warns its
		/// deployments: the weight covers one page.)
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::force_unflag_compromised().saturating_add(
			T::OnCheckpointTainted::on_checkpoint_tainted_weight(T::FanoutBatch::get())
		))]
		pub fn force_unflag_compromised(origin: OriginFor<T>, id: CheckpointId) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Compromised::<T>::take(id).ok_or(Error::<T>::NotCompromised)?;
			Self::deposit_event(Event::CompromiseWithdrawn { checkpoint: id });
			Self::recompute_now(AssetRef::Checkpoint(id));
			Ok(())
		}

		/// Reports training code or environment hash `pipeline` as compromised: every
		/// checkpoint whose linked, attested run declared it, and what was made from them, is
		/// tainted `PipelineCompromised` from now on, in `on_idle`, until `ForceOrigin` rejects
		/// the report.
		///
		/// - origin: signed; holds `PipelineReportBond` until `ForceOrigin` rules, forfeit if it
		///   rejects the report.
		/// - `evidence`: hash of the evidence (an advisory, the tampered build).
		///
		/// Emits `PipelineCompromised`. Complexity: O(1); the checkpoints follow in `on_idle`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::report_compromised_pipeline())]
		pub fn report_compromised_pipeline(
			origin: OriginFor<T>,
			pipeline: Hash,
			evidence: Hash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_pipeline(pipeline, evidence, Some(who))
		}

		/// Declares `pipeline` compromised, as [`Pallet::report_compromised_pipeline`] without a
		/// bond, confirmed at once; a pending report of it is upheld (its bond released), so that
		/// a report filed ahead of the declaration does not stand in its way.
		///
		/// - origin: `ForceOrigin`.
		///
		/// Emits `PipelineCompromised` with `reporter: None`. Complexity: O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::report_compromised_pipeline())]
		pub fn force_declare_compromised_pipeline(
			origin: OriginFor<T>,
			pipeline: Hash,
			evidence: Hash,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_report_pipeline(pipeline, evidence, None)
		}

		/// Rules on the report of `pipeline`: `upheld` confirms it and releases the reporter's
		/// bond; otherwise the report (or a mistaken declaration) is removed, the taint it
		/// caused cleared in `on_idle`, and the reporter's bond forfeit to `OnForfeit`.
		///
		/// - origin: `ForceOrigin`.
		///
		/// Emits `PipelineReportRuled`. Complexity: O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::rule_pipeline_report())]
		pub fn rule_pipeline_report(
			origin: OriginFor<T>,
			pipeline: Hash,
			upheld: bool,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_rule_pipeline(pipeline, upheld)
		}
	}

	impl<T: Config> Pallet<T> {
		/// [`Pallet::register`]'s weight: a base checkpoint (no parents, datasets or exclusions)
		/// by its own benchmark, any other by `register`'s over their counts.
		pub(crate) fn register_weight(
			parents: &[ParentEdge],
			datasets: &[DatasetId],
			excludes: &[AssetRef],
		) -> Weight {
			let count = |len: usize, max: u32| (len as u32).min(max);
			match (parents.len(), datasets.len(), excludes.len()) {
				(0, 0, 0) => T::WeightInfo::register_base(),
				(p, d, e) => T::WeightInfo::register(
					count(p, T::MaxParents::get()),
					count(d, T::MaxDatasets::get()),
					count(e, T::MaxDatasets::get()),
				),
			}
		}

		/// What a registration that links no training run does not do of what its weight
		/// charges: record the run's pipeline (one write, two user-index writes) and read the
		/// pipeline's two reports. It reads instead whether it has a pipeline at all, which the
		/// charged path finds already written: one of the two reads stays charged.
		pub(crate) fn unlinked_refund() -> Weight {
			T::DbWeight::get().reads_writes(1, 3)
		}

		/// A flag's weight: the call, and warning one page of the checkpoint's deployments.
		fn flag_weight() -> Weight {
			T::WeightInfo::flag_compromised().saturating_add(
				T::OnCheckpointTainted::on_checkpoint_tainted_weight(T::FanoutBatch::get()),
			)
		}

		fn do_flag(
			id: CheckpointId,
			reason: CompromiseReason,
			evidence: Hash,
			forced: bool,
		) -> DispatchResult {
			ensure!(!Compromised::<T>::contains_key(id), Error::<T>::AlreadyCompromised);
			let at = frame_system::Pallet::<T>::block_number();
			Compromised::<T>::insert(id, Compromise { reason, evidence, at, forced });
			Self::deposit_event(Event::CheckpointCompromised {
				checkpoint: id,
				reason,
				evidence,
				forced,
			});
			Self::recompute_now(AssetRef::Checkpoint(id));
			Ok(())
		}

		#[allow(clippy::too_many_arguments)]
		fn do_register(
			who: T::AccountId,
			weights_hash: Hash,
			parents: Vec<ParentEdge>,
			datasets: Vec<DatasetId>,
			excludes: Vec<AssetRef>,
			uri: Vec<u8>,
			metadata_hash: Hash,
			commercial: bool,
			max_stack_bps: Option<u16>,
		) -> Result<bool, DispatchError> {
			let uri: BoundedVec<u8, T::MaxUriLen> =
				uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
			ensure!(
				provenance_primitives::is_supported_uri(&uri),
				Error::<T>::UnsupportedUriScheme
			);
			ensure!(
				!CheckpointsByWeights::<T>::contains_key(weights_hash, &who),
				Error::<T>::WeightsAlreadyRegistered
			);
			let parents: BoundedVec<ParentEdge, T::MaxParents> =
				parents.try_into().map_err(|_| Error::<T>::TooManyParents)?;
			let datasets: BoundedVec<DatasetId, T::MaxDatasets> =
				datasets.try_into().map_err(|_| Error::<T>::TooManyDatasets)?;
			let excludes: BoundedVec<AssetRef, T::MaxDatasets> =
				excludes.try_into().map_err(|_| Error::<T>::TooManyDatasets)?;

			let mut unlearned_sources = TaintSetOf::<T>::default();
			for (i, edge) in parents.iter().enumerate() {
				ensure!(
					!parents.iter().take(i).any(|e| e.checkpoint == edge.checkpoint),
					Error::<T>::DuplicateParent
				);
				ensure!(Records::<T>::contains_key(edge.checkpoint), Error::<T>::UnknownParent);
				let taint = Taint::<T>::get(AssetRef::Checkpoint(edge.checkpoint));
				match (edge.relation, taint) {
					(Relation::Unlearning, Some(taint)) => unlearned_sources.extend(&taint),
					(Relation::Unlearning, None) => {},
					(_, Some(_)) => return Err(Error::<T>::ParentTainted.into()),
					(_, None) => {},
				}
			}
			for (i, dataset) in datasets.iter().enumerate() {
				ensure!(
					!datasets.iter().take(i).any(|d| d == dataset),
					Error::<T>::DuplicateDataset
				);
				let summary = T::Datasets::dataset(*dataset).ok_or(Error::<T>::UnknownDataset)?;
				ensure!(!summary.revoked, Error::<T>::DatasetRevoked);
				ensure!(!summary.consent_breached, Error::<T>::DatasetNonCompliant);
				ensure!(
					!Taint::<T>::contains_key(AssetRef::Dataset(*dataset)),
					Error::<T>::DatasetTainted
				);
			}
			if !excludes.is_empty() {
				ensure!(
					parents.iter().any(|e| e.relation == Relation::Unlearning),
					Error::<T>::ExcludesWithoutUnlearning
				);
			}
			for (i, excluded) in excludes.iter().enumerate() {
				ensure!(
					!excludes.iter().take(i).any(|d| d == excluded),
					Error::<T>::DuplicateDataset
				);
				ensure!(unlearned_sources.contains(excluded), Error::<T>::NotATaintSource);
			}

			let inputs = crate::lineage::checkpoint_inputs(&parents, &datasets);
			let share_alike = T::Licenses::check_derivative(&who, &inputs, commercial)?;

			let id = NextCheckpointId::<T>::get();
			let next_id = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			let lineage = RunInputs {
				datasets: datasets.to_vec(),
				base_checkpoints: parents.iter().map(|edge| edge.checkpoint).collect(),
				pipeline: Vec::new(),
			};
			let (run, run_mismatch, pipeline) = match T::Runs::final_run(&weights_hash, &who) {
				Some((run, declared)) if declared.same_as(&lineage) => {
					(Some(run), None, declared.pipeline)
				},
				Some((run, _)) => (None, Some(run), Vec::new()),
				None => (None, None, Vec::new()),
			};
			let mut checkpoint = CheckpointOf::<T> {
				owner: who.clone(),
				weights_hash,
				parents,
				datasets,
				excludes,
				run,
				run_mismatch,
				uri,
				metadata_hash,
				commercial,
				created_at: frame_system::Pallet::<T>::block_number(),
				depositor: who.clone(),
				deposit: Default::default(),
			};
			checkpoint.deposit = Self::deposit_for(&checkpoint);
			T::Currency::hold(&HoldReason::CheckpointDeposit.into(), &who, checkpoint.deposit)?;

			for edge in &checkpoint.parents {
				Children::<T>::insert(edge.checkpoint, id, edge.relation);
			}
			for dataset in &checkpoint.datasets {
				DatasetUsers::<T>::insert(dataset, id, ());
			}
			CheckpointsByWeights::<T>::insert(weights_hash, &who, id);
			if !CheckpointByWeights::<T>::contains_key(weights_hash) {
				CheckpointByWeights::<T>::insert(weights_hash, id);
			}
			NextCheckpointId::<T>::put(next_id);
			Self::deposit_event(Event::CheckpointRegistered {
				id,
				owner: who.clone(),
				weights_hash,
				parents: checkpoint.parents.clone(),
				datasets: checkpoint.datasets.clone(),
				excludes: checkpoint.excludes.clone(),
				run: checkpoint.run,
				uri: checkpoint.uri.clone(),
				metadata_hash,
				commercial,
				deposit: checkpoint.deposit,
			});
			if let Some(run) = run_mismatch {
				Self::deposit_event(Event::RunLineageMismatch { checkpoint: id, run });
			}
			Self::record_pipeline(id, &pipeline);
			let linked = checkpoint.run.is_some();
			let asset = AssetRef::Checkpoint(id);
			let taint = Self::taint_from_inputs_of_checkpoint(id, &checkpoint);
			Records::<T>::insert(id, checkpoint);
			Self::store_taint(asset, taint);
			if let Some(terms) = share_alike {
				T::Licenses::inherit_terms(asset, terms);
			}
			let registration =
				Registration { asset, registrant: &who, inputs: &inputs, previous_version: None };
			T::OnRegistered::on_asset_registered(registration, max_stack_bps)?;
			Ok(linked)
		}

		/// Every checkpoint with `weights_hash` (one per owner), earliest first, at most
		/// `MAX_PAGE_LEN`.
		pub fn registrations_of(weights_hash: Hash) -> Vec<(CheckpointId, CheckpointOf<T>)> {
			let mut ids: Vec<CheckpointId> =
				CheckpointsByWeights::<T>::iter_prefix_values(weights_hash)
					.take(provenance_primitives::storage::MAX_PAGE_LEN as usize)
					.collect();
			ids.sort_unstable();
			ids.into_iter().filter_map(|id| Records::<T>::get(id).map(|c| (id, c))).collect()
		}

		/// The deposit of `checkpoint`: base plus bytes of its record and index entries.
		pub fn deposit_for(checkpoint: &CheckpointOf<T>) -> BalanceOf<T> {
			let edges = checkpoint.parents.len().saturating_add(checkpoint.datasets.len()) as u32;
			let bytes = (checkpoint.encoded_size() as u32)
				.saturating_add(WEIGHTS_INDEX_BYTES)
				.saturating_add(RUN_MISMATCH_BYTES)
				.saturating_add(compromise_bytes::<T>())
				.saturating_add(PIPELINE_BYTES)
				.saturating_add(edges.saturating_mul(REVERSE_INDEX_BYTES));
			provenance_primitives::storage::deposit(
				T::DepositBase::get(),
				T::DepositPerByte::get(),
				bytes,
			)
		}
	}

	impl<T: Config> Pallet<T> {
		/// What `checkpoint` registered it was made from, as a run declares it.
		fn lineage(checkpoint: &CheckpointOf<T>) -> RunInputs {
			RunInputs {
				datasets: checkpoint.datasets.to_vec(),
				base_checkpoints: checkpoint.parents.iter().map(|edge| edge.checkpoint).collect(),
				pipeline: Vec::new(),
			}
		}
	}

	impl<T: Config> provenance_primitives::traits::LinkRun<T::AccountId> for Pallet<T> {
		fn link_run(
			weights_hash: &Hash,
			run: RunId,
			claimant: &T::AccountId,
			inputs: &RunInputs,
		) -> LinkOutcome {
			let Some(id) = CheckpointsByWeights::<T>::get(weights_hash, claimant) else {
				return LinkOutcome::NoCheckpoint;
			};
			let Some(mut checkpoint) = Records::<T>::get(id) else {
				return LinkOutcome::NoCheckpoint;
			};
			if checkpoint.run.is_some() {
				return LinkOutcome::Linked(id);
			}
			if !Self::lineage(&checkpoint).same_as(inputs) {
				checkpoint.run_mismatch = Some(run);
				Records::<T>::insert(id, checkpoint);
				Self::deposit_event(Event::RunLineageMismatch { checkpoint: id, run });
				return LinkOutcome::LineageMismatch(id);
			}
			checkpoint.run = Some(run);
			let remediates = !checkpoint.excludes.is_empty();
			Records::<T>::insert(id, checkpoint);
			Self::deposit_event(Event::RunLinked { checkpoint: id, run });
			let compromised = Self::record_pipeline(id, &inputs.pipeline);
			if remediates || compromised {
				// A final unlearning run removes its exclusions from this line's taint; a run on
				// a compromised pipeline taints it.
				Self::enqueue_recompute(AssetRef::Checkpoint(id), false);
			}
			LinkOutcome::Linked(id)
		}

		fn lineage_of(
			weights_hash: &Hash,
			owner: &T::AccountId,
		) -> Option<(CheckpointId, RunInputs)> {
			let id = CheckpointsByWeights::<T>::get(weights_hash, owner)?;
			Records::<T>::get(id).map(|checkpoint| (id, Self::lineage(&checkpoint)))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> provenance_primitives::traits::CheckpointFactory<T::AccountId> for Pallet<T> {
		fn create_checkpoint_with(
			owner: &T::AccountId,
			weights_hash: Hash,
			inputs: Vec<AssetRef>,
		) -> CheckpointId {
			let id = NextCheckpointId::<T>::get();
			let (mut parents, mut datasets) = (Vec::new(), Vec::new());
			for input in inputs {
				match input {
					AssetRef::Checkpoint(checkpoint) => {
						parents.push(ParentEdge { checkpoint, relation: Relation::Merge })
					},
					AssetRef::Dataset(dataset) => datasets.push(dataset),
				}
			}
			let registered = Self::do_register(
				owner.clone(),
				weights_hash,
				parents,
				datasets,
				Vec::new(),
				b"https://example.org/checkpoint".to_vec(),
				[0; 32],
				false,
				None,
			);
			debug_assert!(registered.is_ok(), "benchmark checkpoint registers: {registered:?}");
			id
		}

		fn declare_pipeline_compromised(pipeline: Hash) -> DispatchResult {
			Self::do_report_pipeline(pipeline, [0; 32], None)
		}
	}

	impl<T: Config> provenance_primitives::traits::CheckpointInspect for Pallet<T> {
		fn checkpoint_exists(id: CheckpointId) -> bool {
			Records::<T>::contains_key(id)
		}

		fn is_tainted(asset: AssetRef) -> bool {
			Taint::<T>::contains_key(asset)
		}

		fn taint_kinds(asset: AssetRef) -> Vec<TaintKind> {
			Taint::<T>::get(asset).map(|taint| taint.kinds.into_inner()).unwrap_or_default()
		}
	}

	impl<T: Config> provenance_primitives::traits::TrainingLineage for Pallet<T> {
		// The walk is bounded by `MaxLineageWalk`; `visited` is what a caller pays for.
		fn lineage_datasets(id: CheckpointId) -> LineageDatasets {
			let ancestors = Self::ancestors(AssetRef::Checkpoint(id), u32::MAX);
			let visited = ancestors.len() as u32;
			let datasets = ancestors
				.into_iter()
				.filter_map(|node| match node.asset {
					AssetRef::Dataset(dataset) => Some(dataset),
					AssetRef::Checkpoint(_) => None,
				})
				.collect();
			LineageDatasets { datasets, visited, complete: visited < T::MaxLineageWalk::get() }
		}

		fn max_lineage_walk() -> u32 {
			T::MaxLineageWalk::get()
		}
	}

	impl<T: Config> provenance_primitives::traits::OnDatasetRevoked for Pallet<T> {
		fn on_dataset_revoked(id: DatasetId) {
			// Its own set changes only on a whole revocation; a revocation set changes what
			// its users inherit, so fan out either way.
			Self::enqueue_recompute(AssetRef::Dataset(id), true);
		}
	}
}
