//! `prov eval`, `prov deploy`, `prov undeploy` and `prov deployments`: scores declared with
//! their contamination finding, models deployed at endpoints and their histories.

use super::*;

#[derive(Subcommand)]
pub(super) enum EvalCommand {
	/// Declares CHECKPOINT's score on a benchmark dataset, for attesters to reproduce; the
	/// chain checks whether the model's lineage holds the benchmark (contamination).
	Declare(Box<EvalArgs>),
	/// An evaluation with its contamination finding and status; or --checkpoint's evaluations,
	/// --dataset's, or the leaderboard of --metric on --dataset.
	#[command(group(ArgGroup::new("what").required(true).args(["evaluation", "checkpoint", "dataset"])))]
	Show {
		evaluation: Option<u64>,
		#[arg(long)]
		checkpoint: Option<u64>,
		#[arg(long)]
		dataset: Option<u64>,
		/// With --dataset: the leaderboard of this metric (attested clean scores, best first).
		#[arg(long, requires = "dataset")]
		metric: Option<String>,
	},
}

#[derive(Args)]
pub(super) struct EvalArgs {
	#[arg(long)]
	checkpoint: u64,
	/// The benchmark dataset.
	#[arg(long)]
	dataset: u64,
	/// The hash of the evaluation harness (code and configuration).
	#[arg(long, value_parser = parse_hash)]
	harness_hash: Hash,
	#[arg(long, value_parser = parse_hash)]
	environment_hash: Hash,
	/// The metric's name ("accuracy", "pass@1").
	#[arg(long)]
	metric: String,
	/// The score, an integer in the metric's fixed-point unit.
	#[arg(long)]
	score: u64,
	/// Reward for the attesters who reproduce it (planck, or "10PROV").
	#[arg(long, value_parser = parse_amount)]
	reward: Balance,
	/// The last block of the reveal phase: a block number, or +N blocks from now.
	#[arg(long)]
	deadline: String,
	#[command(flatten)]
	tx: TxArgs,
}

/// Where a model is served: an endpoint's identifier (hashed with SHA-256) or its hash.
#[derive(Args)]
#[command(group(ArgGroup::new("where").required(true).args(["endpoint", "endpoint_hash"])))]
pub(super) struct EndpointArgs {
	/// The endpoint's identifier, e.g. its URL.
	#[arg(long)]
	endpoint: Option<String>,
	#[arg(long, value_parser = parse_hash)]
	endpoint_hash: Option<Hash>,
}

impl EndpointArgs {
	fn hash(&self) -> Hash {
		match (&self.endpoint, self.endpoint_hash) {
			(Some(endpoint), _) => sha2::Sha256::digest(endpoint.as_bytes()).into(),
			(None, hash) => hash.unwrap_or_default(),
		}
	}
}

#[derive(Args)]
pub(super) struct DeploymentsArgs {
	/// The deployments of this checkpoint.
	#[arg(long, required_unless_present = "endpoint_hash", conflicts_with = "operator")]
	checkpoint: Option<u64>,
	/// The history of --operator at an endpoint: its hash (`prov deploy` prints it).
	#[arg(long, value_parser = parse_hash, requires = "operator")]
	endpoint_hash: Option<Hash>,
	/// An SS58 account.
	#[arg(long)]
	operator: Option<String>,
}

pub(super) async fn eval_command(
	chain: &Chain,
	command: EvalCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		EvalCommand::Declare(args) => {
			let EvalArgs {
				checkpoint,
				dataset,
				harness_hash,
				environment_hash,
				metric,
				score,
				reward,
				deadline,
				tx,
			} = *args;
			let deadline = deadline_of(chain, &deadline).await?;
			let metric = Bytes(metric.into_bytes());
			let declare = call(
				"Evaluations",
				"declare_evaluation",
				fields![
					checkpoint,
					dataset,
					harness_hash,
					environment_hash,
					metric,
					score,
					reward,
					deadline
				],
			);
			let included = submit(chain, declare, &tx).await?;
			let events::EvaluationDeclared { evaluation, contamination, run } = included.event()?;
			out.transaction(
				&included,
				json!({ "evaluation": evaluation, "run": run, "contamination": contamination.to_json() }),
				format!("evaluation {evaluation} declared (run {run}): {contamination:?}"),
			);
			Ok(())
		},
		EvalCommand::Show { evaluation, checkpoint, dataset, metric } => {
			let (method, params) = match (evaluation, checkpoint, dataset, metric) {
				(Some(id), ..) => ("provenance_evaluation", rpc_params![id]),
				(_, Some(id), ..) => {
					("provenance_evaluationsOfCheckpoint", rpc_params![id, None::<u64>, PAGE])
				},
				(_, _, Some(id), Some(metric)) => {
					("provenance_leaderboard", rpc_params![id, metric])
				},
				(_, _, Some(id), None) => {
					("provenance_evaluationsOnDataset", rpc_params![id, None::<u64>, PAGE])
				},
				_ => {
					return Err(Failure::Usage("give EVALUATION, --checkpoint or --dataset".into()))
				},
			};
			show(chain, method, params, "no such evaluation", out).await
		},
	}
}

/// `prov deploy`.
pub(super) async fn deploy(
	chain: &Chain,
	checkpoint: u64,
	endpoint: &EndpointArgs,
	tx: &TxArgs,
	out: &Output,
) -> Result<(), Failure> {
	let endpoint = endpoint.hash();
	let included =
		submit(chain, call("Evaluations", "deploy", fields![checkpoint, endpoint]), tx).await?;
	let events::Deployed { deployment, replaced, tainted } = included.event()?;
	out.transaction(
		&included,
		json!({ "deployment": deployment, "checkpoint": checkpoint, "endpointHash": to_hex(&endpoint), "replaced": replaced, "tainted": tainted }),
		format!(
			"deployment {deployment}: checkpoint {checkpoint} at endpoint {}{}",
			to_hex(&endpoint),
			if tainted { " (the checkpoint is tainted)" } else { "" }
		),
	);
	Ok(())
}

/// `prov undeploy`.
pub(super) async fn undeploy(
	chain: &Chain,
	deployment: u64,
	tx: &TxArgs,
	out: &Output,
) -> Result<(), Failure> {
	let end = call("Evaluations", "end_deployment", fields![deployment]);
	let included = submit(chain, end, tx).await?;
	let events::DeploymentEnded { until } = included.event()?;
	out.transaction(
		&included,
		json!({ "deployment": deployment, "until": until }),
		format!("deployment {deployment} ended at block {until}"),
	);
	Ok(())
}

/// `prov deployments`.
pub(super) async fn deployments(
	chain: &Chain,
	args: DeploymentsArgs,
	out: &Output,
) -> Result<(), Failure> {
	let (method, params) = match (args.checkpoint, args.endpoint_hash, args.operator) {
		(Some(id), ..) => {
			("provenance_deploymentsOfCheckpoint", rpc_params![id, None::<u64>, PAGE])
		},
		(None, Some(endpoint), Some(operator)) => {
			keys::account_of(&operator)?;
			("provenance_deploymentsAt", rpc_params![to_hex(&endpoint), operator, 0, PAGE])
		},
		_ => {
			return Err(Failure::Usage(
				"give --checkpoint, or --endpoint-hash and --operator".into(),
			))
		},
	};
	show(chain, method, params, "", out).await
}
