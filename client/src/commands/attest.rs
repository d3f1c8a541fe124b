//! `prov run` and `prov attester`: declare training runs; bond, commit, reveal and serve as an attester.

use super::*;

#[derive(Subcommand)]
pub(super) enum RunCommand {
	/// Declares a training run: its inputs, what ran, its output weights and a reward held for
	/// the attesters.
	Declare(Box<RunArgs>),
	/// A run: its claim, phase, tally and status.
	Show { run: u64 },
	/// Settles a run after its challenge window (or an undecided one after its deadline): pays
	/// the attesters whose verdict stood and refunds the rest of the reward. Anyone may.
	Settle {
		run: u64,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Proves that an attester equivocated: EVIDENCE is a statement it signed
	/// (`prov attester sign-statement`) other than the one it revealed. It is slashed without a
	/// judge and the reporter gets a share of the slash.
	ReportEquivocation {
		#[arg(long)]
		evidence: PathBuf,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Challenges ATTESTER's revealed verdict on RUN within its challenge window, holding the
	/// run's challenge bond until the ruling.
	Challenge {
		run: u64,
		/// The attester (SS58).
		attester: String,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Args)]
#[command(group(ArgGroup::new("output").required(true).args(["weights", "weights_hash"])))]
pub(super) struct RunArgs {
	/// Datasets trained on (comma-separated ids).
	#[arg(long = "dataset", value_delimiter = ',')]
	datasets: Vec<u64>,
	/// Base checkpoints trained from (comma-separated ids).
	#[arg(long = "base", value_delimiter = ',')]
	base_checkpoints: Vec<u64>,
	#[arg(long, value_parser = parse_hash)]
	config_hash: Hash,
	#[arg(long, value_parser = parse_hash)]
	code_hash: Hash,
	#[arg(long, value_parser = parse_hash)]
	environment_hash: Hash,
	/// Digest of the in-toto / SLSA provenance statement of the run.
	#[arg(long, value_parser = parse_hash)]
	statement_digest: Hash,
	/// The output weights: a directory to hash (or with --manifest its manifest).
	#[arg(long)]
	weights: Option<PathBuf>,
	#[arg(long, requires = "weights")]
	manifest: bool,
	/// The output weights' root, instead of --weights.
	#[arg(long, value_parser = parse_hash)]
	weights_hash: Option<Hash>,
	/// Merkle root of the training log.
	#[arg(long, value_parser = parse_hash)]
	training_log_root: Hash,
	/// Reward for the attesters (planck, or "10PROV").
	#[arg(long, value_parser = parse_amount)]
	reward: Balance,
	/// The last block of the reveal phase: a block number, or +N blocks from now.
	#[arg(long)]
	deadline: String,
	#[command(flatten)]
	tx: TxArgs,
}

async fn declare_run(chain: &Chain, args: RunArgs, out: &Output) -> Result<(), Failure> {
	let weights_hash = match (&args.weights, args.weights_hash) {
		(Some(path), _) => {
			InputArgs { path: path.clone(), manifest: args.manifest, quiet: out.json }
				.hash(None)?
				.0
				.root
		},
		(None, Some(hash)) => hash,
		(None, None) => return Err(Failure::Usage("give --weights or --weights-hash".into())),
	};
	let run = TrainingRun {
		datasets: args.datasets.clone(),
		base_checkpoints: args.base_checkpoints.clone(),
		config_hash: args.config_hash,
		code_hash: args.code_hash,
		environment_hash: args.environment_hash,
		statement_digest: args.statement_digest,
		weights_hash,
		training_log_root: args.training_log_root,
		reward: args.reward,
		deadline: deadline_of(chain, &args.deadline).await?,
	};
	let deadline = run.deadline;
	let included = submit(chain, run.declare(), &args.tx).await?;
	let events::RunDeclared { run, commit_end } = included.event()?;
	let result = json!({ "run": run, "weightsHash": to_hex(&weights_hash), "commitEnd": commit_end, "deadline": deadline });
	out.transaction(
		&included,
		result,
		format!("run {run} declared: commits until block {commit_end}, reveals until {deadline}"),
	);
	Ok(())
}

#[derive(Subcommand)]
pub(super) enum AttesterCommand {
	/// Bonds stake (planck, or "1000PROV") as an attester.
	Bond {
		#[arg(value_parser = parse_amount)]
		amount: Balance,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Bonds AMOUNT more (you are an attester).
	BondExtra {
		#[arg(value_parser = parse_amount)]
		amount: Balance,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Signs a statement on RUN off chain (printed as JSON), as an attester gives a lab its
	/// verdict before revealing it. Signing one that differs from what you reveal is
	/// equivocation: anyone holding it may have you slashed (`prov run report-equivocation`).
	SignStatement {
		run: u64,
		#[command(flatten)]
		statement: StatementArgs,
		#[command(flatten)]
		key: KeyArgs,
	},
	/// Starts unbonding stake: it stays held, and slashable, for the unbonding period.
	Unbond {
		#[arg(value_parser = parse_amount)]
		amount: Balance,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Withdraws the stake whose unbonding period is over.
	Withdraw {
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Stops being drawn for new runs (verdicts already committed still count).
	Chill {
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Becomes drawable for runs again after a chill.
	Activate {
		#[command(flatten)]
		tx: TxArgs,
	},
	/// An attester's stake, unbonding chunks, state and faults (default: the signer's, with
	/// --signer; or --account).
	Status {
		/// An SS58 account.
		#[arg(long, conflicts_with_all = ["signer", "key_file"])]
		account: Option<String>,
		#[command(flatten)]
		key: KeyArgs,
	},
	/// Commits a verdict on a run; the statement and a fresh salt are kept in the state
	/// directory for the reveal.
	Commit {
		run: u64,
		#[command(flatten)]
		statement: StatementArgs,
		#[command(flatten)]
		state: StateArgs,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Reveals the verdict committed on a run, from the state directory.
	Reveal {
		run: u64,
		#[command(flatten)]
		state: StateArgs,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Follows new runs and attests them: runs the verifier on each run in its commit phase
	/// (the run as JSON on stdin; `{"verdict": "valid"|"invalid", "outputHash"?, "report"?}` on
	/// stdout), commits, and reveals in the reveal phase. Prints one line per action.
	Serve {
		/// The verifier, a shell command.
		#[arg(long)]
		verifier: String,
		/// Seconds the verifier may take on one run.
		#[arg(long, default_value_t = 3600)]
		verifier_timeout: u64,
		/// Seconds between looks at the chain.
		#[arg(long, default_value_t = 6)]
		poll: u64,
		#[command(flatten)]
		state: StateArgs,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Args)]
pub(super) struct StateArgs {
	/// Where votes and their salts are kept (default: ~/.local/share/prov/<account>).
	#[arg(long)]
	state_dir: Option<PathBuf>,
}

pub(super) async fn attester_command(
	chain: &Chain,
	command: AttesterCommand,
	out: &Output,
) -> Result<(), Failure> {
	let store = |state: &StateArgs, tx: &TxArgs| -> Result<(keys::Signer, Store), Failure> {
		let signer = tx.signer()?;
		let dir = state.state_dir.clone().unwrap_or_else(|| Store::default_dir(&signer.ss58()));
		Ok((signer, Store::open(&dir)?))
	};
	match command {
		AttesterCommand::Bond { amount, tx } => {
			let included =
				submit(chain, call("Attestations", "bond", fields![amount]), &tx).await?;
			out.transaction(
				&included,
				json!({ "bonded": amount.to_string() }),
				format!("bonded {amount} planck"),
			);
			Ok(())
		},
		AttesterCommand::BondExtra { amount, tx } => {
			let included =
				submit(chain, call("Attestations", "bond_extra", fields![amount]), &tx).await?;
			let events::Bonded { bonded } = included.event()?;
			out.transaction(
				&included,
				json!({ "added": amount.to_string(), "bonded": bonded.to_string() }),
				format!("bonded {amount} planck more: {bonded} in all"),
			);
			Ok(())
		},
		AttesterCommand::SignStatement { run, statement, key } => {
			let key = key.key()?;
			let statement = statement.of(chain, run).await?;
			let genesis: H256 = chain.request("chain_getBlockHash", rpc_params![0]).await?;
			let signature = key.sign(&types::statement_payload(&genesis.0, run, &statement));
			out.print(
				json!({
					"format": SIGNED_STATEMENT,
					"run": run,
					"attester": key.ss58(),
					"statement": {
						"verdict": attester::verdict_name(statement.verdict),
						"outputHash": to_hex(&statement.output_hash),
						"reportHash": to_hex(&statement.report_hash),
					},
					"signature": to_hex(&signature),
				}),
				|| {
					format!(
						"signed a {} statement on run {run}",
						attester::verdict_name(statement.verdict)
					)
				},
			);
			Ok(())
		},
		AttesterCommand::Unbond { amount, tx } => {
			let included =
				submit(chain, call("Attestations", "unbond", fields![amount]), &tx).await?;
			let events::Unbonding { amount, unlock_at } = included.event()?;
			out.transaction(
				&included,
				json!({ "unbonding": amount.to_string(), "unlockAt": unlock_at }),
				format!("unbonding {amount} planck, withdrawable after block {unlock_at}"),
			);
			Ok(())
		},
		AttesterCommand::Withdraw { tx } => {
			let withdraw = call("Attestations", "withdraw_unbonded", []);
			let included = submit(chain, withdraw, &tx).await?;
			let events::Withdrawn { amount, gone } = included.event()?;
			out.transaction(
				&included,
				json!({ "withdrawn": amount.to_string(), "gone": gone }),
				format!(
					"withdrew {amount} planck{}",
					if gone { "; no stake left: no longer an attester" } else { "" }
				),
			);
			Ok(())
		},
		AttesterCommand::Chill { tx } => {
			let included = submit(chain, call("Attestations", "chill", []), &tx).await?;
			included.event::<events::Chilled>()?;
			out.transaction(&included, json!({ "chilled": true }), "chilled".into());
			Ok(())
		},
		AttesterCommand::Activate { tx } => {
			let included = submit(chain, call("Attestations", "activate", []), &tx).await?;
			included.event::<events::Activated>()?;
			out.transaction(&included, json!({ "active": true }), "active again".into());
			Ok(())
		},
		AttesterCommand::Status { account, key } => {
			let account = match account {
				Some(account) => account,
				None => key.key()?.ss58(),
			};
			let missing = format!("{account} is not an attester");
			show(chain, "provenance_attester", rpc_params![account], &missing, out).await
		},
		AttesterCommand::Commit { run, statement, state, tx } => {
			let (signer, store) = store(&state, &tx)?;
			let statement = statement.of(chain, run).await?;
			let vote = attester::commit(chain, &signer, &store, run, statement).await?;
			let verdict = attester::verdict_name(vote.statement.verdict);
			out.print(json!({ "run": run, "committed": true, "verdict": verdict }), || {
				format!(
					"committed a {verdict} verdict on run {run}; its salt is kept for the reveal"
				)
			});
			Ok(())
		},
		AttesterCommand::Reveal { run, state, tx } => {
			let (signer, store) = store(&state, &tx)?;
			let vote = attester::reveal(chain, &signer, &store, run).await?;
			let verdict = attester::verdict_name(vote.statement.verdict);
			out.print(json!({ "run": run, "revealed": true, "verdict": verdict }), || {
				format!("revealed the {verdict} verdict on run {run}")
			});
			Ok(())
		},
		AttesterCommand::Serve { verifier, verifier_timeout, poll, state, tx } => {
			let (signer, store) = store(&state, &tx)?;
			let verifier = attester::Verifier {
				command: verifier,
				timeout: Duration::from_secs(verifier_timeout),
			};
			let json = out.json;
			attester::serve(chain, &signer, &store, &verifier, Duration::from_secs(poll), |line| {
				if json {
					println!("{line}");
				} else {
					println!("{}", compact(&line));
				}
			})
			.await
		},
	}
}

pub(super) async fn run_command(
	chain: &Chain,
	command: RunCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		RunCommand::Declare(args) => declare_run(chain, *args, out).await,
		RunCommand::Show { run } => {
			show(chain, "provenance_run", rpc_params![run], &format!("there is no run {run}"), out)
				.await
		},
		RunCommand::Settle { run, tx } => {
			let included =
				submit(chain, call("Attestations", "settle_run", fields![run]), &tx).await?;
			let (result, text) = match included.event::<events::RunFinalized>() {
				Ok(events::RunFinalized { outcome, attesters, paid, refund }) => (
					json!({ "run": run, "outcome": format!("{outcome:?}"), "attesters": attesters, "paid": paid.to_string(), "refund": refund.to_string() }),
					format!("run {run} final: {outcome:?}; {paid} planck to {attesters} attesters, {refund} back to the lab"),
				),
				Err(_) => {
					let events::RunExpired { refund } = included.event()?;
					(
						json!({ "run": run, "outcome": "Expired", "refund": refund.to_string() }),
						format!("run {run} expired undecided; {refund} planck back to the lab"),
					)
				},
			};
			out.transaction(&included, result, text);
			Ok(())
		},
		RunCommand::ReportEquivocation { evidence, tx } => {
			let document: Value = read_json(&evidence)?;
			let what = |field: &str| format!("{}: {field}", evidence.display());
			if document["format"] != SIGNED_STATEMENT {
				return Err(Failure::Input(what("not a signed statement")));
			}
			let run = u64_field(&document["run"], &what("run"))?;
			let attester = keys::account_of(document["attester"].as_str().unwrap_or_default())?;
			let stated = &document["statement"];
			let statement = Statement {
				verdict: attester::parse_verdict(stated["verdict"].as_str().unwrap_or_default())
					.map_err(Failure::Input)?,
				output_hash: hash_field(&stated["outputHash"], &what("statement.outputHash"))?,
				report_hash: hash_field(&stated["reportHash"], &what("statement.reportHash"))?,
			};
			let signature = document["signature"]
				.as_str()
				.and_then(|text| hex::decode(text.trim_start_matches("0x")).ok())
				.filter(|bytes| bytes.len() == 64)
				.ok_or_else(|| Failure::Input(what("signature: not 64 bytes of hex")))?;
			let evidence = CallValue::named_composite([
				("statement", statement.to_value()),
				(
					"signature",
					CallValue::unnamed_variant("Sr25519", [CallValue::from_bytes(signature)]),
				),
			]);
			let report = call(
				"Attestations",
				"report_equivocation",
				[
					("run", run.to_value()),
					("attester", attester.to_value()),
					("evidence", evidence),
				],
			);
			let included = submit(chain, report, &tx).await?;
			let events::Slashed { slashed, reward } = included.event()?;
			out.transaction(
				&included,
				json!({ "run": run, "slashed": slashed.to_string(), "reward": reward.to_string() }),
				format!("the attester was slashed {slashed} planck on run {run}; {reward} to you"),
			);
			Ok(())
		},
		RunCommand::Challenge { run, attester, tx } => {
			let attester = keys::account_of(&attester)?;
			let challenge = call("Attestations", "challenge", fields![run, attester]);
			let included = submit(chain, challenge, &tx).await?;
			let events::Challenged { bond } = included.event()?;
			out.transaction(
				&included,
				json!({ "run": run, "challenged": true, "bond": bond.to_string() }),
				format!("challenged the verdict on run {run}; {bond} planck held until the ruling"),
			);
			Ok(())
		},
	}
}

/// What a signed statement file says it is.
const SIGNED_STATEMENT: &str = "provenance-chain signed statement v1";

/// An attester's statement on a run, as committed or signed.
#[derive(Args)]
pub(super) struct StatementArgs {
	/// valid or invalid.
	#[arg(long, value_parser = attester::parse_verdict)]
	verdict: Verdict,
	/// The output you found (default: the run's declared output).
	#[arg(long, value_parser = parse_hash)]
	output_hash: Option<Hash>,
	/// Your report; its SHA-256 is stated.
	#[arg(long)]
	report: Option<PathBuf>,
}

impl StatementArgs {
	/// The statement on `run`.
	async fn of(&self, chain: &Chain, run: u64) -> Result<Statement, Failure> {
		let output_hash = match self.output_hash {
			Some(hash) => hash,
			None => {
				let record: Value = chain.request("provenance_run", rpc_params![run]).await?;
				hash_field(&record["outputHash"], &format!("run {run}'s output"))?
			},
		};
		let report_hash = self.report.as_deref().map(file_digest).transpose()?.unwrap_or_default();
		Ok(Statement { verdict: self.verdict, output_hash, report_hash })
	}
}
