//! Contributors' consent: the contributor tree, withdrawals, their answers and the deadline
//! sweep, and the queries over them.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use provenance_primitives::{
	merkle::{self, Hash},
	storage::{deposit, page_of, MAX_PAGE_LEN},
	traits::{LineageDatasets, OnDatasetRevoked},
	DatasetId, WithdrawalId,
};
use sp_runtime::{
	traits::{One, Saturating},
	DispatchResult,
};

/// Bytes a contributor tree adds to state: the tree and the dataset's consent counters, with
/// their keys.
const TREE_BYTES: u32 = (16 + 32 + 8 + 4 + 32 + 16) + (16 + 4 + 4 + 5 + 1);
/// Bytes of a withdrawal's index entries besides its record: by dataset, by contributor and its
/// deadline (with their keys).
const WITHDRAWAL_INDEX_BYTES: u32 = (16 + 16) + (16 + 32 + 16) + (8 + 4 + 16);
/// Bytes of one withdrawn record's entry (dataset, leaf hash) -> withdrawal.
const WITHDRAWN_RECORD_BYTES: u32 = 16 + 16 + 32 + 8;
/// Bytes of the withdrawal record's key.
const WITHDRAWAL_KEY_BYTES: u32 = 16;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_contributor_root(
		who: T::AccountId,
		id: DatasetId,
		root: Hash,
		leaves: u64,
	) -> DispatchResult {
		let dataset = Records::<T>::get(id).ok_or(Error::<T>::NotFound)?;
		ensure!(dataset.owner == who, Error::<T>::NotOwner);
		ensure!(matches!(dataset.status, DatasetStatus::Active), Error::<T>::AlreadyRevoked);
		ensure!(!Contributors::<T>::contains_key(id), Error::<T>::ContributorsAlreadySet);
		ensure!(leaves > 0, Error::<T>::ZeroContributors);
		let amount = deposit(T::DepositBase::get(), T::DepositPerByte::get(), TREE_BYTES);
		T::Currency::hold(&HoldReason::ConsentDeposit.into(), &who, amount)?;
		let set_at = frame_system::Pallet::<T>::block_number();
		Contributors::<T>::insert(
			id,
			ContributorTree { root, leaves, set_at, depositor: who, deposit: amount },
		);
		Self::deposit_event(Event::ContributorTreeSet { id, root, leaves, deposit: amount });
		Ok(())
	}

	pub(crate) fn do_withdraw_consent(
		who: T::AccountId,
		id: DatasetId,
		contributor: ContributorProof<Vec<Hash>>,
		records: Vec<RecordProof<Vec<Hash>>>,
		reason: ConsentReason,
	) -> DispatchResult {
		let dataset = Records::<T>::get(id).ok_or(Error::<T>::NotFound)?;
		ensure!(matches!(dataset.status, DatasetStatus::Active), Error::<T>::AlreadyRevoked);
		let tree = Contributors::<T>::get(id).ok_or(Error::<T>::NoContributorTree)?;
		ensure!(!records.is_empty(), Error::<T>::NoRecords);
		ensure!(records.len() as u32 <= T::MaxWithdrawnRecords::get(), Error::<T>::TooManyRecords);
		Self::check_path_len(&contributor.path)?;
		let leaf = merkle::contributor_leaf::<merkle::HostSha256, _>(
			&who,
			&contributor.records_root,
			contributor.records_count,
		);
		merkle::verify_inclusion::<merkle::HostSha256>(
			&leaf,
			contributor.index,
			tree.leaves,
			&contributor.path,
			&tree.root,
		)
		.map_err(|_| Error::<T>::NotAContributor)?;
		let mut leaves: Vec<Hash> = Vec::with_capacity(records.len());
		for record in &records {
			Self::check_path_len(&record.path)?;
			ensure!(!leaves.contains(&record.leaf), Error::<T>::DuplicateRecord);
			merkle::verify_inclusion::<merkle::HostSha256>(
				&record.leaf,
				record.index,
				contributor.records_count,
				&record.path,
				&contributor.records_root,
			)
			.map_err(|_| Error::<T>::RecordNotContributed)?;
			ensure!(
				!WithdrawnRecords::<T>::contains_key(id, record.leaf),
				Error::<T>::RecordAlreadyWithdrawn
			);
			leaves.push(record.leaf);
		}
		let records: BoundedVec<Hash, T::MaxWithdrawnRecords> =
			leaves.try_into().map_err(|_| Error::<T>::TooManyRecords)?;

		let withdrawal = NextWithdrawalId::<T>::get();
		let next_id = withdrawal.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let deadline = now.saturating_add(AnswerPeriod::<T>::get());
		let mut record = WithdrawalOf::<T> {
			dataset: id,
			contributor: who.clone(),
			records,
			reason,
			filed_at: now,
			deadline,
			state: WithdrawalState::Open,
			deposit: Default::default(),
		};
		record.deposit = Self::withdrawal_deposit(&record);
		T::Currency::hold(&HoldReason::ConsentDeposit.into(), &who, record.deposit)?;

		for leaf in &record.records {
			WithdrawnRecords::<T>::insert(id, leaf, withdrawal);
		}
		WithdrawalsByDataset::<T>::insert(id, withdrawal, ());
		WithdrawalsByContributor::<T>::insert(&who, withdrawal, ());
		Deadlines::<T>::insert(deadline, withdrawal, ());
		Consent::<T>::mutate(id, |consent| consent.open.saturating_inc());
		NextWithdrawalId::<T>::put(next_id);
		Self::deposit_event(Event::ConsentWithdrawn {
			withdrawal,
			dataset: id,
			contributor: who,
			records: record.records.clone(),
			reason,
			deadline,
			deposit: record.deposit,
		});
		Withdrawals::<T>::insert(withdrawal, record);
		Ok(())
	}

	pub(crate) fn do_answer_withdrawal(
		who: T::AccountId,
		id: WithdrawalId,
		proofs: Vec<SetMembership<Vec<Hash>>>,
	) -> DispatchResult {
		let withdrawal = Withdrawals::<T>::get(id).ok_or(Error::<T>::UnknownWithdrawal)?;
		ensure!(
			!matches!(withdrawal.state, WithdrawalState::Answered { .. }),
			Error::<T>::AlreadyAnswered
		);
		let dataset = Records::<T>::get(withdrawal.dataset).ok_or(Error::<T>::NotFound)?;
		// A dataset revoked as a whole revokes every record: nothing to prove; its records were
		// revoked when it was.
		let mut set_answers = false;
		let mut revoked_at = frame_system::Pallet::<T>::block_number();
		if let DatasetStatus::Revoked { at, .. } = dataset.status {
			revoked_at = at;
		} else {
			let set = dataset.revocation_set.ok_or(Error::<T>::NoRevocationSet)?;
			set_answers = set.published_at >= withdrawal.filed_at;
			ensure!(proofs.len() == withdrawal.records.len(), Error::<T>::WrongProofCount);
			for (leaf, proof) in withdrawal.records.iter().zip(&proofs) {
				Self::check_path_len(&proof.path)?;
				merkle::verify_inclusion::<merkle::HostSha256>(
					leaf,
					proof.index,
					set.count,
					&proof.path,
					&set.root,
				)
				.map_err(|_| Error::<T>::RecordNotRevoked)?;
			}
		}
		Self::settle_answer(id, withdrawal, Some(who), revoked_at, set_answers);
		Ok(())
	}

	pub(crate) fn do_clear_withdrawal(who: T::AccountId, id: WithdrawalId) -> DispatchResult {
		let withdrawal = Withdrawals::<T>::get(id).ok_or(Error::<T>::UnknownWithdrawal)?;
		ensure!(withdrawal.contributor == who, Error::<T>::NotContributor);
		ensure!(
			matches!(withdrawal.state, WithdrawalState::Answered { .. }),
			Error::<T>::NotAnswered
		);
		T::Currency::release(
			&HoldReason::ConsentDeposit.into(),
			&who,
			withdrawal.deposit,
			Precision::BestEffort,
		)?;
		for leaf in &withdrawal.records {
			WithdrawnRecords::<T>::remove(withdrawal.dataset, leaf);
		}
		WithdrawalsByDataset::<T>::remove(withdrawal.dataset, id);
		WithdrawalsByContributor::<T>::remove(&who, id);
		Withdrawals::<T>::remove(id);
		Self::deposit_event(Event::WithdrawalCleared {
			withdrawal: id,
			dataset: withdrawal.dataset,
			contributor: who,
			deposit: withdrawal.deposit,
		});
		Ok(())
	}

	/// Marks withdrawal `id` answered (`by` proved it; `None`: its dataset was revoked whole),
	/// its records revoked at `revoked_at` (late from its deadline on, also when the sweep has
	/// not reached the deadline yet), updates its dataset's counters, and retaints the dataset's line when that changes its
	/// taint: its breach is over, or a revocation set published after the withdrawal
	/// (`set_answers`) now holds records withdrawn for consent, so what it taints is tainted
	/// `ConsentWithdrawn`. An answer that changes neither queues no work, so that answering
	/// withdrawals of records revoked long ago cannot flood the taint queue.
	fn settle_answer(
		id: WithdrawalId,
		mut withdrawal: WithdrawalOf<T>,
		by: Option<T::AccountId>,
		revoked_at: BlockNumberFor<T>,
		set_answers: bool,
	) {
		let now = frame_system::Pallet::<T>::block_number();
		let dataset = withdrawal.dataset;
		let mut compliant_again = false;
		let mut relabelled = false;
		let answered_any = Consent::<T>::mutate(dataset, |consent| {
			match withdrawal.state {
				WithdrawalState::Open => consent.open.saturating_dec(),
				WithdrawalState::Unanswered { .. } => {
					consent.unanswered.saturating_dec();
					if consent.unanswered == 0 {
						consent.non_compliant_since = None;
						compliant_again = true;
					}
				},
				WithdrawalState::Answered { .. } => {},
			}
			if set_answers && !consent.answered_any {
				consent.answered_any = true;
				relabelled = true;
			}
			consent.answered_any
		});
		if matches!(withdrawal.state, WithdrawalState::Open) {
			Deadlines::<T>::remove(withdrawal.deadline, id);
		}
		let late = revoked_at >= withdrawal.deadline;
		withdrawal.state = WithdrawalState::Answered { at: now, late };
		Withdrawals::<T>::insert(id, withdrawal);
		if compliant_again || relabelled {
			T::OnRevoked::on_dataset_revoked(dataset);
		}
		Self::deposit_event(Event::WithdrawalAnswered {
			withdrawal: id,
			dataset,
			by,
			late,
			answered_any,
		});
		if compliant_again {
			Self::deposit_event(Event::DatasetCompliant { id: dataset });
		}
	}

	/// Sweeps the withdrawals due by `now` ([`provenance_primitives::storage::sweep_deadlines`]:
	/// at most `MaxExpiriesPerBlock` of them, from the first block not swept yet; what is left
	/// rolls to the next block). Returns the weight used.
	pub(crate) fn sweep_deadlines(now: BlockNumberFor<T>) -> Weight {
		let (expired, probes) = provenance_primitives::storage::sweep_deadlines::<
			Deadlines<T>,
			DeadlineCursor<T>,
			_,
			_,
		>(now, T::MaxExpiriesPerBlock::get(), |id| Self::expire(id, now));
		T::WeightInfo::sweep_deadlines(expired)
			.saturating_add(T::DbWeight::get().reads_writes(probes.into(), 1))
	}

	/// Withdrawal `id` reached its deadline open: answered if its dataset was revoked whole
	/// meanwhile, else unanswered, and the dataset in breach.
	fn expire(id: WithdrawalId, now: BlockNumberFor<T>) {
		let Some(mut withdrawal) = Withdrawals::<T>::get(id) else { return };
		if !matches!(withdrawal.state, WithdrawalState::Open) {
			return;
		}
		let dataset = withdrawal.dataset;
		if let Some(DatasetStatus::Revoked { at, .. }) =
			Records::<T>::get(dataset).map(|d| d.status)
		{
			return Self::settle_answer(id, withdrawal, None, at, false);
		}
		let mut breach_begins = false;
		Consent::<T>::mutate(dataset, |consent| {
			consent.open.saturating_dec();
			consent.unanswered.saturating_inc();
			if consent.non_compliant_since.is_none() {
				consent.non_compliant_since = Some(now);
				breach_begins = true;
			}
		});
		withdrawal.state = WithdrawalState::Unanswered { since: now };
		let deadline = withdrawal.deadline;
		Withdrawals::<T>::insert(id, withdrawal);
		Self::deposit_event(Event::WithdrawalUnanswered { withdrawal: id, dataset, deadline });
		if breach_begins {
			T::OnRevoked::on_dataset_revoked(dataset);
			Self::deposit_event(Event::DatasetNonCompliant { id: dataset, since: now });
		}
	}

	fn check_path_len(path: &[Hash]) -> DispatchResult {
		ensure!(path.len() as u32 <= MAX_AUDIT_PATH_LEN, Error::<T>::ProofTooLong);
		Ok(())
	}

	/// The deposit of `withdrawal`: base plus the bytes of its record (in its largest state),
	/// its indexes and one entry per record.
	pub fn withdrawal_deposit(withdrawal: &WithdrawalOf<T>) -> BalanceOf<T> {
		let state_growth = (WithdrawalState::<BlockNumberFor<T>>::max_encoded_len() as u32)
			.saturating_sub(withdrawal.state.encoded_size() as u32);
		let bytes = (withdrawal.encoded_size() as u32)
			.saturating_add(state_growth)
			.saturating_add(WITHDRAWAL_KEY_BYTES)
			.saturating_add(WITHDRAWAL_INDEX_BYTES)
			.saturating_add(
				(withdrawal.records.len() as u32).saturating_mul(WITHDRAWN_RECORD_BYTES),
			);
		deposit(T::DepositBase::get(), T::DepositPerByte::get(), bytes)
	}

	/// Open withdrawals past their deadline that the sweep has not reached, by dataset (at most
	/// `MAX_PAGE_LEN` looked at: the sweep lags only when deadlines pile up).
	fn overdue_unswept() -> BTreeMap<DatasetId, u32> {
		let now = frame_system::Pallet::<T>::block_number();
		let mut overdue = BTreeMap::new();
		let Some(mut block) = DeadlineCursor::<T>::get() else { return overdue };
		let mut budget = MAX_PAGE_LEN as usize;
		while block <= now && budget > 0 {
			for id in Deadlines::<T>::iter_key_prefix(block).take(budget) {
				budget = budget.saturating_sub(1);
				if let Some(w) = Withdrawals::<T>::get(id) {
					overdue.entry(w.dataset).or_insert(0u32).saturating_inc();
				}
			}
			block = block.saturating_add(One::one());
			budget = budget.saturating_sub(1);
		}
		overdue
	}

	/// The withdrawal `id`.
	pub fn withdrawal(id: WithdrawalId) -> Option<WithdrawalOf<T>> {
		Withdrawals::<T>::get(id)
	}

	/// Up to `limit` withdrawals of `who` not cleared, after the withdrawal `after`.
	pub fn withdrawals_of(
		who: T::AccountId,
		after: Option<WithdrawalId>,
		limit: u32,
	) -> Vec<(WithdrawalId, WithdrawalOf<T>)> {
		page_of::<WithdrawalsByContributor<T>, _, _, _>(who, after, limit)
			.into_iter()
			.filter_map(|id| Withdrawals::<T>::get(id).map(|w| (id, w)))
			.collect()
	}

	/// Dataset `id`'s consent: its tree, counters and up to `limit` withdrawals after `after`.
	pub fn dataset_consent(
		id: DatasetId,
		after: Option<WithdrawalId>,
		limit: u32,
	) -> Option<DatasetConsentOf<T>> {
		if !Records::<T>::contains_key(id) {
			return None;
		}
		let withdrawals = page_of::<WithdrawalsByDataset<T>, _, _, _>(id, after, limit)
			.into_iter()
			.filter_map(|w| Withdrawals::<T>::get(w).map(|record| (w, record)))
			.collect();
		Some(DatasetConsent {
			contributors: Contributors::<T>::get(id),
			answer_period: AnswerPeriod::<T>::get(),
			state: Consent::<T>::get(id),
			overdue: Self::overdue_unswept().get(&id).copied().unwrap_or(0),
			withdrawals,
		})
	}

	/// The consent of the datasets a model's lineage walk found: those with open, overdue or
	/// unanswered withdrawals.
	pub fn model_consent(lineage: LineageDatasets) -> ModelConsent<BlockNumberFor<T>> {
		let overdue = Self::overdue_unswept();
		let datasets = lineage
			.datasets
			.into_iter()
			.filter_map(|dataset| {
				let state = Consent::<T>::get(dataset);
				let overdue = overdue.get(&dataset).copied().unwrap_or(0);
				(state.open > 0 || state.unanswered > 0).then_some(LineageConsent {
					dataset,
					open: state.open,
					unanswered: state.unanswered,
					overdue,
					non_compliant_since: state.non_compliant_since,
				})
			})
			.collect();
		ModelConsent { datasets, complete: lineage.complete }
	}
}
