//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, types::*, HoldReason};
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - each account's held deposits are those of its evaluations and deployments;
	/// - every leaderboard entry is an attested score of its dataset and metric, best first, clean
	///   ones on the leaderboard and the others on the flagged one;
	/// - the live index and counts agree with the records, within `MaxLiveDeployments`;
	/// - each operator's history at an endpoint is its deployments there, in order, without
	///   overlaps, and every deployment is in one history.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut evaluation_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let next_evaluation = NextEvaluationId::<T>::get();
		for (id, evaluation) in Records::<T>::iter() {
			ensure!(id < next_evaluation, "evaluation id not below NextEvaluationId");
			ensure!(
				EvaluationsByCheckpoint::<T>::contains_key(evaluation.checkpoint, id)
					&& EvaluationsByDataset::<T>::contains_key(evaluation.dataset, id),
				"evaluation not indexed"
			);
			ensure!(evaluation.score <= T::MaxScore::get(), "score above MaxScore");
			evaluation_deposits
				.entry(evaluation.declarer.clone())
				.or_default()
				.saturating_accrue(evaluation.deposit);
		}
		for (account, deposit) in evaluation_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::EvaluationDeposit.into(), &account)
					== deposit,
				"held evaluation deposit is not the deposits of the account's evaluations"
			);
		}
		for (clean, boards) in
			[(true, Leaderboards::<T>::iter()), (false, FlaggedLeaderboards::<T>::iter())]
		{
			for (dataset, metric, board) in boards {
				ensure!(
					board.windows(2).all(|pair| pair[0].0 >= pair[1].0),
					"leaderboard not best first"
				);
				for (score, id) in board {
					let evaluation = Records::<T>::get(id).ok_or("leaderboard entry missing")?;
					ensure!(
						evaluation.status == EvaluationStatus::Attested
							&& evaluation.score == score
							&& evaluation.dataset == dataset
							&& sp_io::hashing::blake2_256(&evaluation.metric) == metric,
						"leaderboard entry is not an attested score of its dataset and metric"
					);
					ensure!(
						(evaluation.contamination == Contamination::Clean) == clean,
						"a score is ranked with those of another contamination"
					);
				}
			}
		}

		let mut deployment_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut live: BTreeMap<(u64, T::AccountId), u32> = BTreeMap::new();
		let next_deployment = NextDeploymentId::<T>::get();
		for (id, deployment) in Deployments::<T>::iter() {
			ensure!(id < next_deployment, "deployment id not below NextDeploymentId");
			ensure!(
				DeploymentsByCheckpoint::<T>::contains_key(deployment.checkpoint, id),
				"deployment not indexed by checkpoint"
			);
			ensure!(
				LiveDeployments::<T>::contains_key(deployment.checkpoint, id)
					== deployment.until.is_none(),
				"live index disagrees with the record"
			);
			if deployment.until.is_none() {
				live.entry((deployment.checkpoint, deployment.operator.clone()))
					.or_default()
					.saturating_inc();
			}
			deployment_deposits
				.entry(deployment.operator.clone())
				.or_default()
				.saturating_accrue(deployment.deposit);
		}
		for (checkpoint, operator, count) in LiveCount::<T>::iter() {
			ensure!(live.remove(&(checkpoint, operator)) == Some(count), "live count disagrees");
			ensure!(count <= T::MaxLiveDeployments::get(), "more live deployments than allowed");
		}
		ensure!(live.is_empty(), "live deployments without a count");
		for (account, deposit) in deployment_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::DeploymentDeposit.into(), &account)
					== deposit,
				"held deployment deposit is not the deposits of the account's deployments"
			);
		}
		let mut entries = 0usize;
		for (endpoint, operator, length) in EndpointHistoryLen::<T>::iter() {
			let mut records = alloc::vec::Vec::new();
			for place in 0..length {
				let id = EndpointHistory::<T>::get((endpoint, &operator, place))
					.ok_or("history entry missing")?;
				let record =
					Deployments::<T>::get(id).ok_or("history names a missing deployment")?;
				ensure!(
					record.endpoint == endpoint && record.operator == operator,
					"history holds another endpoint's or operator's deployment"
				);
				records.push(record);
			}
			entries += length as usize;
			ensure!(
				records.windows(2).all(|pair| pair[0].from <= pair[1].from
					&& pair[0].until.is_some_and(|until| until <= pair[1].from)),
				"endpoint history overlaps or is out of order"
			);
		}
		ensure!(
			EndpointHistory::<T>::iter().count() == entries
				&& entries == Deployments::<T>::iter().count(),
			"every deployment is in exactly one history"
		);
		Ok(())
	}
}
