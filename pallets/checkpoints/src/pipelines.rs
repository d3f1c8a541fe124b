//! Compromised pipelines: the training code and environment a checkpoint's attested run
//! declared, and the reports and declarations that mark such a hash compromised.

use crate::{pallet::*, PipelineReport, TaintWork};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{BalancedHold, MutateHold},
		tokens::Precision,
		OnUnbalanced,
	},
};
use provenance_primitives::{merkle::Hash, storage::page_of, AssetRef, CheckpointId};
use sp_runtime::{traits::Zero, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Records the pipeline (`[code hash, environment hash]`) the linked run of checkpoint `id`
	/// declared; returns whether either hash is compromised. A run that declared none (an
	/// evaluation's) records nothing.
	pub(crate) fn record_pipeline(id: CheckpointId, pipeline: &[Hash]) -> bool {
		let [code_hash, environment_hash] = pipeline else { return false };
		Pipelines::<T>::insert(id, (*code_hash, *environment_hash));
		PipelineUsers::<T>::insert(code_hash, id, ());
		PipelineUsers::<T>::insert(environment_hash, id, ());
		Self::deposit_event(Event::PipelineRecorded {
			checkpoint: id,
			code_hash: *code_hash,
			environment_hash: *environment_hash,
		});
		Self::pipeline_compromised(id)
	}

	/// Whether the pipeline of checkpoint `id`'s linked run is reported or declared compromised.
	pub(crate) fn pipeline_compromised(id: CheckpointId) -> bool {
		Pipelines::<T>::get(id).is_some_and(|(code, environment)| {
			CompromisedPipelines::<T>::contains_key(code)
				|| CompromisedPipelines::<T>::contains_key(environment)
		})
	}

	pub(crate) fn do_report_pipeline(
		pipeline: Hash,
		evidence: Hash,
		reporter: Option<T::AccountId>,
	) -> DispatchResult {
		if let Some(report) = CompromisedPipelines::<T>::get(pipeline) {
			// `ForceOrigin` declaring a pipeline someone reported upholds the report.
			ensure!(reporter.is_none() && !report.confirmed, Error::<T>::PipelineAlreadyReported);
			return Self::do_rule_pipeline(pipeline, true);
		}
		if reporter.is_some() {
			ensure!(
				!RejectedPipelines::<T>::contains_key(pipeline),
				Error::<T>::PipelineReportRejected
			);
		} else {
			RejectedPipelines::<T>::remove(pipeline);
		}
		let bond = match &reporter {
			Some(who) => {
				let bond = T::PipelineReportBond::get();
				T::Currency::hold(&HoldReason::PipelineReportBond.into(), who, bond)?;
				bond
			},
			None => Zero::zero(),
		};
		let at = frame_system::Pallet::<T>::block_number();
		CompromisedPipelines::<T>::insert(
			pipeline,
			PipelineReport {
				evidence,
				at,
				reporter: reporter.clone().map(|who| (who, bond)),
				confirmed: reporter.is_none(),
			},
		);
		Self::deposit_event(Event::PipelineCompromised { pipeline, evidence, reporter, bond });
		Self::enqueue_pipeline_users(pipeline);
		Ok(())
	}

	pub(crate) fn do_rule_pipeline(pipeline: Hash, upheld: bool) -> DispatchResult {
		let mut report =
			CompromisedPipelines::<T>::get(pipeline).ok_or(Error::<T>::UnknownPipelineReport)?;
		let reason = HoldReason::PipelineReportBond.into();
		let mut forfeited = Zero::zero();
		let reporter = report.reporter.as_ref().map(|(who, _)| who.clone());
		if upheld {
			ensure!(!report.confirmed, Error::<T>::AlreadyConfirmed);
			if let Some((who, bond)) = report.reporter.take() {
				T::Currency::release(&reason, &who, bond, Precision::BestEffort)?;
			}
			report.confirmed = true;
			CompromisedPipelines::<T>::insert(pipeline, report);
		} else {
			RejectedPipelines::<T>::insert(pipeline, frame_system::Pallet::<T>::block_number());
			if let Some((who, bond)) = report.reporter {
				let (credit, _) =
					<T::Currency as BalancedHold<T::AccountId>>::slash(&reason, &who, bond);
				forfeited = frame_support::traits::Imbalance::peek(&credit);
				T::OnForfeit::on_unbalanced(credit);
			}
			CompromisedPipelines::<T>::remove(pipeline);
			Self::enqueue_pipeline_users(pipeline);
		}
		Self::deposit_event(Event::PipelineReportRuled { pipeline, upheld, reporter, forfeited });
		Ok(())
	}

	fn enqueue_pipeline_users(pipeline: Hash) {
		Self::enqueue(TaintWork::PipelineUsers { pipeline, after: None });
	}

	/// Queues the recomputation of one page of the checkpoints whose runs declared `pipeline`,
	/// and the next page if there is one.
	pub(crate) fn recompute_pipeline_users(pipeline: Hash, after: Option<CheckpointId>) {
		let batch = T::FanoutBatch::get();
		let users = page_of::<PipelineUsers<T>, _, _, _>(pipeline, after, batch);
		users.iter().for_each(|id| Self::enqueue_recompute(AssetRef::Checkpoint(*id), false));
		if users.len() as u32 == batch {
			if let Some(last) = users.last() {
				Self::enqueue(TaintWork::PipelineUsers { pipeline, after: Some(*last) });
			}
		}
	}
}
