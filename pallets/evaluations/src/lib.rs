//! # Evaluations and deployments
//!
//! Claims about a checkpoint beyond how it was trained: the scores it gets on benchmarks, and
//! where it serves.
//!
//! ## Evaluations
//!
//! Anyone declares that a checkpoint scores `score` (fixed point, millionths) on `metric`
//! with an evaluation harness (its code hash) in an environment (its hash) on an anchored
//! dataset ([`Pallet::declare_evaluation`]), with a deposit and a reward for attesters. The
//! claim rides on the attestations pallet ([`EvaluationRuns`]): its staked attesters re-run the
//! evaluation and commit, then reveal, a verdict on the digest of the declared result
//! ([`provenance_primitives::evaluation_result_digest`]); quorum, the challenge window,
//! slashing and settlement are that pallet's, unchanged. When the run settles this pallet is
//! told ([`OnEvaluationSettled`]) and the evaluation is `Attested`, `Rejected` or `Expired`. An
//! attested clean score enters its dataset and metric's leaderboard (the best
//! `MaxLeaderboardLen`); an attested score that is contaminated, or whose contamination is
//! unknown, is ranked apart ([`FlaggedLeaderboards`]), never among the clean ones.
//!
//! ## Contamination
//!
//! A score on a test set the model learned from proves little. When an evaluation is declared,
//! the checkpoint's training lineage (its training data, its ancestors', the parents of derived
//! datasets, the lineage of synthetic data's generators) is searched for the evaluation
//! dataset's version family (the dataset, its earlier and later versions). A dataset derived
//! from one of those, however many hops away, brings it into the lineage too. The result,
//! [`Contamination`], is part of the record, of every event about the evaluation and of every
//! query answer. A lineage or version family too large to search in one call gives `Unknown`,
//! never `Clean`.
//!
//! ## Deployments
//!
//! An operator registers that a checkpoint serves at an endpoint (the hash of its identifier)
//! from the current block ([`Pallet::deploy`]) and ends it ([`Pallet::end_deployment`]). The
//! chain cannot see who controls an endpoint, so each operator speaks for itself: an endpoint
//! has one history per operator, in which one deployment at a time is live (a new one by the
//! same operator ends the last: a model swap), and "what did this operator serve here at block
//! N" has one answer ([`Pallet::served_at`]). No operator can fill or block another's history,
//! and a history has no length bound to fill: each entry is paid for by its deployment's
//! deposit. A client checks which operator an endpoint names as its own (as it checks who
//! anchored a root). An operator has at most `MaxLiveDeployments` live deployments of one
//! checkpoint, so deploying a lab's model does not take places from anyone else. When a
//! checkpoint turns tainted, each of its live deployments gets a `DeployedModelTainted` event,
//! in bounded pages of the taint propagation, and queries show the deployment as serving a
//! tainted model.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod try_state;
pub mod types;
pub mod weights;

/// Makes the datasets, checkpoints and attesters an evaluation needs, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, BlockNumber>:
	provenance_primitives::traits::DatasetFactory<AccountId>
	+ provenance_primitives::traits::CheckpointFactory<AccountId>
{
	/// Makes sure some attester has active stake.
	fn activate_attester();
	/// A deadline the attestations pallet takes for a run declared now.
	fn run_deadline() -> BlockNumber;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{collections::BTreeSet, vec::Vec};
	use codec::Encode;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use provenance_primitives::{
		evaluation_result_digest,
		merkle::Hash,
		storage::{page_of, MAX_PAGE_LEN},
		traits::{
			CheckpointInspect, DatasetInspect, EvaluationRuns, OnCheckpointTainted,
			OnEvaluationSettled, RunSettlement, TrainingLineage,
		},
		AssetRef, CheckpointId, DatasetId, EvaluationId, RunId, TaintKind,
	};
	use sp_runtime::traits::{Saturating, Zero};

	/// Id of a deployment; sequential from 0.
	pub type DeploymentId = u64;
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type EvaluationOf<T> = Evaluation<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxMetricLen,
	>;
	pub type DeploymentOf<T> =
		Deployment<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	pub type DeploymentViewOf<T> = DeploymentView<DeploymentOf<T>>;
	pub type LeaderboardOf<T> = Leaderboard<<T as Config>::MaxLeaderboardLen>;

	/// Bytes of a deployment's entry in its endpoint history: the keys (16-byte hashed
	/// account, 8-byte hashed place) and the id, and its share of the history's length.
	const HISTORY_ENTRY_BYTES: u32 = 32 + 16 + 32 + 8 + 4 + 8 + 4;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an evaluation record.
		EvaluationDeposit,
		/// The deposit of a deployment record.
		DeploymentDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// The datasets pallet: benchmarks are anchored datasets with versions.
		type Datasets: DatasetInspect<Self::AccountId, BlockNumberFor<Self>>;
		/// The checkpoints pallet: what is evaluated and deployed, its lineage and taint.
		type Checkpoints: CheckpointInspect + TrainingLineage;
		/// The attestations pallet: runs that re-check evaluations.
		type Runs: EvaluationRuns<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// The longest metric name.
		#[pallet::constant]
		type MaxMetricLen: Get<u32>;
		/// The highest score (millionths).
		#[pallet::constant]
		type MaxScore: Get<u64>;
		/// The most datasets of a version family the contamination check collects.
		#[pallet::constant]
		type MaxVersionFamily: Get<u32>;
		/// The most entries of a leaderboard.
		#[pallet::constant]
		type MaxLeaderboardLen: Get<u32>;
		/// The most live deployments of one checkpoint by one operator.
		#[pallet::constant]
		type MaxLiveDeployments: Get<u32>;
		/// The deposit every record holds, whatever its size.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// The deposit per byte of a record and its index entries.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// Makes datasets, checkpoints and attesters for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, BlockNumberFor<Self>>;
		/// Weights of the calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next evaluation gets.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextEvaluationId<T> = StorageValue<_, EvaluationId, ValueQuery>;

	/// The evaluations, by id.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Twox64Concat, EvaluationId, EvaluationOf<T>>;

	/// Reverse index: (checkpoint, evaluation of it).
	#[pallet::storage]
	pub type EvaluationsByCheckpoint<T> =
		StorageDoubleMap<_, Twox64Concat, CheckpointId, Twox64Concat, EvaluationId, ()>;

	/// Reverse index: (benchmark dataset, evaluation on it).
	#[pallet::storage]
	pub type EvaluationsByDataset<T> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Twox64Concat, EvaluationId, ()>;

	/// The best attested clean scores by (dataset, `blake2_256` of the metric name), best first;
	/// equal scores in the order they were attested.
	#[pallet::storage]
	pub type Leaderboards<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Identity, Hash, LeaderboardOf<T>, ValueQuery>;

	/// The best attested scores that are contaminated or of unknown contamination, ranked as
	/// [`Leaderboards`] but apart from the clean ones.
	#[pallet::storage]
	pub type FlaggedLeaderboards<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DatasetId, Identity, Hash, LeaderboardOf<T>, ValueQuery>;

	/// The id the next deployment gets.
	///
	/// Whitelisted in benchmarks, like `pallet_balances::TotalIssuance`: one key, read once and
	/// written once a block however many calls use it (docs/security.md, T6).
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type NextDeploymentId<T> = StorageValue<_, DeploymentId, ValueQuery>;

	/// The deployments, by id.
	#[pallet::storage]
	pub type Deployments<T: Config> = StorageMap<_, Twox64Concat, DeploymentId, DeploymentOf<T>>;

	/// Each operator's deployments at an endpoint, by (endpoint, operator, place in the
	/// history), oldest first; only the last may be live.
	#[pallet::storage]
	pub type EndpointHistory<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Identity, Hash>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, u32>,
		),
		DeploymentId,
	>;

	/// How long each operator's history at each endpoint is.
	#[pallet::storage]
	pub type EndpointHistoryLen<T: Config> =
		StorageDoubleMap<_, Identity, Hash, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Reverse index: (checkpoint, a deployment of it).
	#[pallet::storage]
	pub type DeploymentsByCheckpoint<T> =
		StorageDoubleMap<_, Twox64Concat, CheckpointId, Twox64Concat, DeploymentId, ()>;

	/// The live deployments of each checkpoint: those its taint is reported to.
	#[pallet::storage]
	pub type LiveDeployments<T> =
		StorageDoubleMap<_, Twox64Concat, CheckpointId, Twox64Concat, DeploymentId, ()>;

	/// How many live deployments of each checkpoint each operator has.
	#[pallet::storage]
	pub type LiveCount<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CheckpointId,
		Blake2_128Concat,
		T::AccountId,
		u32,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An evaluation was declared; attesters re-check it in `run`.
		EvaluationDeclared {
			evaluation: EvaluationId,
			declarer: T::AccountId,
			checkpoint: CheckpointId,
			dataset: DatasetId,
			metric: BoundedVec<u8, T::MaxMetricLen>,
			score: u64,
			contamination: Contamination,
			run: RunId,
			/// The harness and environment the score was measured with: with the checkpoint,
			/// dataset, metric and score they make the run's output hash.
			harness_hash: Hash,
			environment_hash: Hash,
			deposit: BalanceOf<T>,
		},
		/// Attesters reproduced the evaluation's score; `rank` is its place on the
		/// leaderboard (from 0; the flagged board unless it is clean), if it made it, and
		/// `evicted` the evaluation a full board dropped from its end to make room.
		EvaluationAttested {
			evaluation: EvaluationId,
			checkpoint: CheckpointId,
			dataset: DatasetId,
			score: u64,
			contamination: Contamination,
			rank: Option<u32>,
			evicted: Option<EvaluationId>,
		},
		/// Attesters could not reproduce the evaluation's score.
		EvaluationRejected {
			evaluation: EvaluationId,
			checkpoint: CheckpointId,
			contamination: Contamination,
		},
		/// The evaluation's run expired without quorum.
		EvaluationExpired {
			evaluation: EvaluationId,
			checkpoint: CheckpointId,
			contamination: Contamination,
		},
		/// A checkpoint serves at an endpoint from block `from`; `replaced` is the operator's
		/// deployment it took over from there. `tainted`: the checkpoint is tainted already.
		/// `deposit`: held from the operator for the record.
		Deployed {
			deployment: DeploymentId,
			operator: T::AccountId,
			checkpoint: CheckpointId,
			endpoint: Hash,
			from: BlockNumberFor<T>,
			replaced: Option<DeploymentId>,
			tainted: bool,
			deposit: BalanceOf<T>,
		},
		/// A deployment stopped serving at block `until`.
		DeploymentEnded {
			deployment: DeploymentId,
			checkpoint: CheckpointId,
			endpoint: Hash,
			until: BlockNumberFor<T>,
		},
		/// The checkpoint a live deployment serves turned tainted, or gained a kind of taint:
		/// its operator should pull it. `kinds` are all the kinds it carries now (a licence
		/// problem, a security one).
		DeployedModelTainted {
			deployment: DeploymentId,
			operator: T::AccountId,
			checkpoint: CheckpointId,
			endpoint: Hash,
			kinds: Vec<TaintKind>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No checkpoint has this id.
		UnknownCheckpoint,
		/// No dataset has this id: the benchmark must be anchored.
		UnknownDataset,
		/// The benchmark dataset is revoked.
		DatasetRevoked,
		/// The benchmark dataset is in breach of a contributor's consent withdrawal.
		DatasetNonCompliant,
		/// The metric name is empty.
		EmptyMetric,
		/// The metric name is longer than `MaxMetricLen`.
		MetricTooLong,
		/// The score is above `MaxScore`.
		ScoreOutOfRange,
		/// No deployment has this id.
		UnknownDeployment,
		/// Only the deployment's operator may end it.
		NotOperator,
		/// The deployment has ended already.
		AlreadyEnded,
		/// The operator serves this checkpoint at this endpoint already.
		AlreadyDeployed,
		/// The operator has `MaxLiveDeployments` live deployments of the checkpoint.
		TooManyLiveDeployments,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxMetricLen::get() > 0, "MaxMetricLen must be positive");
			assert!(T::MaxVersionFamily::get() > 0, "MaxVersionFamily must be positive");
			assert!(T::MaxLiveDeployments::get() > 0, "MaxLiveDeployments must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Declares that `checkpoint` scores `score` on `metric` with the harness and
		/// environment given on the anchored `dataset`, and opens an attestation run on it.
		///
		/// - origin: signed; pays the record's deposit and `reward` (held for the attesters whose
		///   verdict stands, as for a training run).
		/// - `checkpoint`: exists. `dataset`: anchored and not revoked.
		/// - `metric`: 1 to `MaxMetricLen` bytes. `score`: millionths, at most `MaxScore`.
		/// - `reward`, `deadline`: the run's, with the attestations pallet's rules.
		///
		/// The contamination check walks the checkpoint's lineage and the dataset's versions.
		/// Emits `EvaluationDeclared` (and the attestations pallet's `RunDeclared`).
		/// Complexity: O(lineage + versions), both bounded.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::declare_evaluation(
			T::Checkpoints::max_lineage_walk(),
			T::MaxVersionFamily::get(),
		).saturating_add(T::Runs::open_evaluation_run_weight()))]
		pub fn declare_evaluation(
			origin: OriginFor<T>,
			checkpoint: CheckpointId,
			dataset: DatasetId,
			harness_hash: Hash,
			environment_hash: Hash,
			metric: Vec<u8>,
			score: u64,
			#[pallet::compact] reward: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> DispatchResultWithPostInfo {
			let declarer = ensure_signed(origin)?;
			ensure!(!metric.is_empty(), Error::<T>::EmptyMetric);
			let metric: BoundedVec<u8, T::MaxMetricLen> =
				metric.try_into().map_err(|_| Error::<T>::MetricTooLong)?;
			ensure!(score <= T::MaxScore::get(), Error::<T>::ScoreOutOfRange);
			ensure!(T::Checkpoints::checkpoint_exists(checkpoint), Error::<T>::UnknownCheckpoint);
			let benchmark = T::Datasets::dataset(dataset).ok_or(Error::<T>::UnknownDataset)?;
			ensure!(!benchmark.revoked, Error::<T>::DatasetRevoked);
			ensure!(!benchmark.consent_breached, Error::<T>::DatasetNonCompliant);
			let Checked { contamination, lineage, versions } =
				Self::contamination(checkpoint, dataset);

			let id = NextEvaluationId::<T>::get();
			let next_id = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			let digest = evaluation_result_digest(
				checkpoint,
				dataset,
				&harness_hash,
				&environment_hash,
				&metric,
				score,
			);
			let run = T::Runs::open_evaluation_run(&declarer, id, digest, reward, deadline)?;
			let mut record = EvaluationOf::<T> {
				declarer: declarer.clone(),
				checkpoint,
				dataset,
				harness_hash,
				environment_hash,
				metric,
				score,
				contamination,
				run,
				status: EvaluationStatus::Pending,
				declared_at: frame_system::Pallet::<T>::block_number(),
				deposit: Zero::zero(),
			};
			// The record and its two index entries.
			record.deposit = Self::deposit_for(record.encoded_size(), 0, 2);
			T::Currency::hold(&HoldReason::EvaluationDeposit.into(), &declarer, record.deposit)?;
			NextEvaluationId::<T>::put(next_id);
			EvaluationsByCheckpoint::<T>::insert(checkpoint, id, ());
			EvaluationsByDataset::<T>::insert(dataset, id, ());
			Self::deposit_event(Event::EvaluationDeclared {
				evaluation: id,
				declarer,
				checkpoint,
				dataset,
				metric: record.metric.clone(),
				score,
				contamination,
				run,
				harness_hash,
				environment_hash,
				deposit: record.deposit,
			});
			Records::<T>::insert(id, record);
			Ok(Some(
				T::WeightInfo::declare_evaluation(lineage, versions)
					.saturating_add(T::Runs::open_evaluation_run_weight()),
			)
			.into())
		}

		/// Registers that `checkpoint` serves at `endpoint` from this block, in the caller's
		/// history of that endpoint.
		///
		/// - origin: signed, the operator; pays the record's deposit (its history entry too).
		/// - `checkpoint`: exists; the operator has fewer than `MaxLiveDeployments` live
		///   deployments of it.
		/// - `endpoint`: the hash of the endpoint's identifier. The operator's live deployment
		///   there is ended by this one; other operators' histories are their own.
		///
		/// A tainted checkpoint may be deployed; the event and every query say it is tainted.
		/// Emits `Deployed` (and `DeploymentEnded` for a replaced one). Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::deploy())]
		pub fn deploy(
			origin: OriginFor<T>,
			checkpoint: CheckpointId,
			endpoint: Hash,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			ensure!(T::Checkpoints::checkpoint_exists(checkpoint), Error::<T>::UnknownCheckpoint);
			let length = EndpointHistoryLen::<T>::get(endpoint, &operator);
			let live = length
				.checked_sub(1)
				.and_then(|last| EndpointHistory::<T>::get((endpoint, &operator, last)))
				.and_then(|last| Deployments::<T>::get(last).map(|record| (last, record)))
				.filter(|(_, record)| record.until.is_none());
			let replaced = match live {
				Some((_, record)) if record.checkpoint == checkpoint => {
					return Err(Error::<T>::AlreadyDeployed.into())
				},
				Some((id, _)) => Some(id),
				None => None,
			};
			ensure!(
				LiveCount::<T>::get(checkpoint, &operator) < T::MaxLiveDeployments::get(),
				Error::<T>::TooManyLiveDeployments
			);
			let id = NextDeploymentId::<T>::get();
			let next_id = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			let next_length = length.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			let now = frame_system::Pallet::<T>::block_number();
			let mut record = DeploymentOf::<T> {
				operator: operator.clone(),
				checkpoint,
				endpoint,
				from: now,
				until: None,
				deposit: Zero::zero(),
			};
			// The record, its history entry and two checkpoint index entries.
			record.deposit = Self::deposit_for(record.encoded_size(), HISTORY_ENTRY_BYTES, 2);
			T::Currency::hold(&HoldReason::DeploymentDeposit.into(), &operator, record.deposit)?;
			if let Some(replaced) = replaced {
				Self::end(replaced)?;
			}
			NextDeploymentId::<T>::put(next_id);
			EndpointHistory::<T>::insert((endpoint, &operator, length), id);
			EndpointHistoryLen::<T>::insert(endpoint, &operator, next_length);
			DeploymentsByCheckpoint::<T>::insert(checkpoint, id, ());
			LiveDeployments::<T>::insert(checkpoint, id, ());
			LiveCount::<T>::mutate(checkpoint, &operator, |count| count.saturating_inc());
			let deposit = record.deposit;
			Deployments::<T>::insert(id, record);
			Self::deposit_event(Event::Deployed {
				deployment: id,
				operator,
				checkpoint,
				endpoint,
				from: now,
				replaced,
				tainted: T::Checkpoints::is_tainted(AssetRef::Checkpoint(checkpoint)),
				deposit,
			});
			Ok(())
		}

		/// Ends `deployment`: it served up to the block before this one.
		///
		/// - origin: signed, the deployment's operator; the deployment is live.
		///
		/// The record stays (with its deposit) as the endpoint's history. Emits
		/// `DeploymentEnded`. Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::end_deployment())]
		pub fn end_deployment(origin: OriginFor<T>, deployment: DeploymentId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Deployments::<T>::get(deployment).ok_or(Error::<T>::UnknownDeployment)?;
			ensure!(record.operator == who, Error::<T>::NotOperator);
			ensure!(record.until.is_none(), Error::<T>::AlreadyEnded);
			Self::end(deployment)
		}
	}

	/// A contamination check's result and how much it walked.
	pub struct Checked {
		pub contamination: Contamination,
		/// Assets of the checkpoint's lineage the walk visited.
		pub lineage: u32,
		/// Datasets of the version family collected.
		pub versions: u32,
	}

	impl<T: Config> Pallet<T> {
		/// Ends live deployment `id` at this block.
		fn end(id: DeploymentId) -> DispatchResult {
			let mut record = Deployments::<T>::get(id).ok_or(Error::<T>::UnknownDeployment)?;
			let until = frame_system::Pallet::<T>::block_number();
			record.until = Some(until);
			LiveDeployments::<T>::remove(record.checkpoint, id);
			LiveCount::<T>::mutate_exists(record.checkpoint, &record.operator, |count| {
				*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
			});
			Self::deposit_event(Event::DeploymentEnded {
				deployment: id,
				checkpoint: record.checkpoint,
				endpoint: record.endpoint,
				until,
			});
			Deployments::<T>::insert(id, record);
			Ok(())
		}

		/// The deposit of a record of `bytes`, with `extra` bytes of other entries and
		/// `index_entries` reverse-index entries.
		fn deposit_for(bytes: usize, extra: u32, index_entries: u32) -> BalanceOf<T> {
			// An index entry: two hashed 8-byte keys and their 16-byte hashes.
			let bytes = (bytes as u32)
				.saturating_add(extra)
				.saturating_add(index_entries.saturating_mul(2 * (16 + 8)));
			provenance_primitives::storage::deposit(
				T::DepositBase::get(),
				T::DepositPerByte::get(),
				bytes,
			)
		}

		/// Whether `dataset`'s version family is in `checkpoint`'s training lineage.
		pub fn contamination(checkpoint: CheckpointId, dataset: DatasetId) -> Checked {
			let (family, family_complete) = Self::version_family(dataset);
			let lineage = T::Checkpoints::lineage_datasets(checkpoint);
			let contamination =
				match lineage.datasets.into_iter().find(|ancestor| family.contains(ancestor)) {
					Some(found) => Contamination::Contaminated { found },
					None if family_complete && lineage.complete => Contamination::Clean,
					None => Contamination::Unknown,
				};
			Checked { contamination, lineage: lineage.visited, versions: family.len() as u32 }
		}

		/// `dataset`, its earlier versions and every later version of those (the whole
		/// version tree), at most `MaxVersionFamily`; `false` with them when there were more.
		/// The search forward goes from the oldest version through every version of the tree,
		/// those the walk back found too: each version has one previous, so each is reached once.
		pub fn version_family(dataset: DatasetId) -> (BTreeSet<DatasetId>, bool) {
			let budget = T::MaxVersionFamily::get() as usize;
			let mut family = BTreeSet::from([dataset]);
			let mut root = dataset;
			while let Some(previous) = T::Datasets::lineage(root).and_then(|d| d.previous_version) {
				if family.len() >= budget {
					return (family, false);
				}
				family.insert(previous);
				root = previous;
			}
			let mut queue = alloc::collections::VecDeque::from([root]);
			while let Some(version) = queue.pop_front() {
				let room = budget.saturating_sub(family.len());
				let mut after = None;
				loop {
					let page = T::Datasets::newer_versions(
						version,
						after,
						(room as u32).saturating_add(1),
					);
					for newer in &page {
						if family.insert(*newer) && family.len() > budget {
							family.remove(newer);
							return (family, false);
						}
						queue.push_back(*newer);
					}
					match page.last() {
						Some(last) if page.len() > room => after = Some(*last),
						_ => break,
					}
				}
			}
			(family, true)
		}

		/// Puts attested `evaluation` on its leaderboard if it ranks (the clean one, or the
		/// flagged one for a contaminated or unknown score); returns its rank there and the
		/// evaluation a full board dropped for it, if any.
		fn rank(
			id: EvaluationId,
			evaluation: &EvaluationOf<T>,
		) -> Option<(u32, Option<EvaluationId>)> {
			let metric = sp_io::hashing::blake2_256(&evaluation.metric);
			let insert = |board: &mut LeaderboardOf<T>| {
				let at = board.partition_point(|(score, _)| *score >= evaluation.score);
				let evicted = board.force_insert_keep_left(at, (evaluation.score, id)).ok()?;
				Some((at as u32, evicted.map(|(_, evicted)| evicted)))
			};
			match evaluation.contamination {
				Contamination::Clean => {
					Leaderboards::<T>::mutate(evaluation.dataset, metric, insert)
				},
				Contamination::Contaminated { .. } | Contamination::Unknown => {
					FlaggedLeaderboards::<T>::mutate(evaluation.dataset, metric, insert)
				},
			}
		}

		/// Evaluation `id`.
		pub fn evaluation(id: EvaluationId) -> Option<EvaluationOf<T>> {
			Records::<T>::get(id)
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) evaluations of `checkpoint` after `after`.
		pub fn evaluations_of_checkpoint(
			checkpoint: CheckpointId,
			after: Option<EvaluationId>,
			limit: u32,
		) -> Vec<(EvaluationId, EvaluationOf<T>)> {
			Self::with_records(page_of::<EvaluationsByCheckpoint<T>, _, _, _>(
				checkpoint, after, limit,
			))
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) evaluations on `dataset` after `after`, of
		/// any status.
		pub fn evaluations_on_dataset(
			dataset: DatasetId,
			after: Option<EvaluationId>,
			limit: u32,
		) -> Vec<(EvaluationId, EvaluationOf<T>)> {
			Self::with_records(page_of::<EvaluationsByDataset<T>, _, _, _>(dataset, after, limit))
		}

		/// The leaderboard of `metric` on `dataset`: attested clean evaluations, best first.
		pub fn leaderboard(
			dataset: DatasetId,
			metric: &[u8],
		) -> Vec<(EvaluationId, EvaluationOf<T>)> {
			let board = Leaderboards::<T>::get(dataset, sp_io::hashing::blake2_256(metric));
			Self::with_records(board.into_iter().map(|(_, id)| id).collect())
		}

		/// The attested evaluations of `metric` on `dataset` that are contaminated or of
		/// unknown contamination, best first: ranked apart from the leaderboard.
		pub fn flagged_leaderboard(
			dataset: DatasetId,
			metric: &[u8],
		) -> Vec<(EvaluationId, EvaluationOf<T>)> {
			let board = FlaggedLeaderboards::<T>::get(dataset, sp_io::hashing::blake2_256(metric));
			Self::with_records(board.into_iter().map(|(_, id)| id).collect())
		}

		fn with_records(ids: Vec<EvaluationId>) -> Vec<(EvaluationId, EvaluationOf<T>)> {
			ids.into_iter().filter_map(|id| Records::<T>::get(id).map(|e| (id, e))).collect()
		}

		/// Deployment `id`, with whether its checkpoint is tainted.
		pub fn deployment(id: DeploymentId) -> Option<DeploymentViewOf<T>> {
			Deployments::<T>::get(id).map(Self::view)
		}

		fn view(deployment: DeploymentOf<T>) -> DeploymentViewOf<T> {
			let kinds = T::Checkpoints::taint_kinds(AssetRef::Checkpoint(deployment.checkpoint));
			DeploymentView { deployment, tainted: !kinds.is_empty(), kinds }
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) of `operator`'s deployments at `endpoint`
		/// after the `offset` first, oldest first.
		pub fn deployments_at(
			endpoint: Hash,
			operator: &T::AccountId,
			offset: u32,
			limit: u32,
		) -> Vec<(DeploymentId, DeploymentViewOf<T>)> {
			let end = EndpointHistoryLen::<T>::get(endpoint, operator)
				.min(offset.saturating_add(limit.min(MAX_PAGE_LEN)));
			(offset..end)
				.filter_map(|at| EndpointHistory::<T>::get((endpoint, operator, at)))
				.filter_map(|id| Self::deployment(id).map(|view| (id, view)))
				.collect()
		}

		/// Up to `limit` (at most `MAX_PAGE_LEN`) deployments of `checkpoint` after `after`.
		pub fn deployments_of_checkpoint(
			checkpoint: CheckpointId,
			after: Option<DeploymentId>,
			limit: u32,
		) -> Vec<(DeploymentId, DeploymentViewOf<T>)> {
			page_of::<DeploymentsByCheckpoint<T>, _, _, _>(checkpoint, after, limit)
				.into_iter()
				.filter_map(|id| Self::deployment(id).map(|view| (id, view)))
				.collect()
		}

		/// What `operator` served at `endpoint` at block `at`, if anything. A binary search of
		/// its history: O(log history) reads.
		pub fn served_at(
			endpoint: Hash,
			operator: &T::AccountId,
			at: BlockNumberFor<T>,
		) -> Option<(DeploymentId, DeploymentViewOf<T>)> {
			let started_by = |place: u32| {
				EndpointHistory::<T>::get((endpoint, operator, place))
					.and_then(Deployments::<T>::get)
					.is_some_and(|record| record.from <= at)
			};
			// Deployments start in history order: the last one started by `at` is the candidate.
			let (mut lo, mut hi) = (0u32, EndpointHistoryLen::<T>::get(endpoint, operator));
			while lo < hi {
				let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
				if started_by(mid) {
					lo = mid.saturating_add(1);
				} else {
					hi = mid;
				}
			}
			let id = EndpointHistory::<T>::get((endpoint, operator, lo.checked_sub(1)?))?;
			let record = Deployments::<T>::get(id)?;
			record.served_at(at).then(|| (id, Self::view(record)))
		}
	}

	impl<T: Config> OnEvaluationSettled for Pallet<T> {
		fn on_evaluation_settled(id: EvaluationId, run: RunId, settlement: RunSettlement) {
			let Some(mut evaluation) = Records::<T>::get(id) else { return };
			if evaluation.run != run || evaluation.status != EvaluationStatus::Pending {
				return;
			}
			let (checkpoint, contamination) = (evaluation.checkpoint, evaluation.contamination);
			match settlement {
				RunSettlement::Attested => {
					evaluation.status = EvaluationStatus::Attested;
					let (rank, evicted) = Self::rank(id, &evaluation).unzip();
					Self::deposit_event(Event::EvaluationAttested {
						evaluation: id,
						checkpoint,
						dataset: evaluation.dataset,
						score: evaluation.score,
						contamination,
						rank,
						evicted: evicted.flatten(),
					});
				},
				RunSettlement::Rejected => {
					evaluation.status = EvaluationStatus::Rejected;
					Self::deposit_event(Event::EvaluationRejected {
						evaluation: id,
						checkpoint,
						contamination,
					});
				},
				RunSettlement::Expired => {
					evaluation.status = EvaluationStatus::Expired;
					Self::deposit_event(Event::EvaluationExpired {
						evaluation: id,
						checkpoint,
						contamination,
					});
				},
			}
			Records::<T>::insert(id, evaluation);
		}

		fn on_evaluation_settled_weight() -> Weight {
			T::WeightInfo::on_evaluation_settled()
		}
	}

	impl<T: Config> OnCheckpointTainted for Pallet<T> {
		fn on_checkpoint_tainted(
			checkpoint: CheckpointId,
			after: Option<u64>,
			limit: u32,
		) -> Option<u64> {
			let page = page_of::<LiveDeployments<T>, _, _, _>(checkpoint, after, limit);
			let kinds = T::Checkpoints::taint_kinds(AssetRef::Checkpoint(checkpoint));
			for deployment in &page {
				if let Some(record) = Deployments::<T>::get(deployment) {
					Self::deposit_event(Event::DeployedModelTainted {
						deployment: *deployment,
						operator: record.operator,
						checkpoint,
						endpoint: record.endpoint,
						kinds: kinds.clone(),
					});
				}
			}
			(page.len() as u32 == limit).then(|| page.last().copied()).flatten()
		}

		fn on_checkpoint_tainted_weight(limit: u32) -> Weight {
			T::WeightInfo::on_checkpoint_tainted(limit)
		}
	}
}
