//! The command line: what each `prov` command reads, does and prints.

use clap::{ArgGroup, Args, Parser, Subcommand};
use jsonrpsee::rpc_params;
use provenance_cli::calls::ToValue;
use provenance_cli::{
	attester::{self, Store},
	calls::{call, events, Bytes, Call},
	chain::{Chain, Included},
	fields,
	hash::{self, Form, Item, Proof, Tree},
	keys,
	lineage::{self, asset_json, Lineage, Record},
	parse_hash,
	progress::Progress,
	receipt, to_hex,
	types::{
		Balance, ConsentReason, DatasetOrigin, DatasetStatus, ParentEdge, Relation,
		RevocationReason, Statement, Verdict, TOKEN_DECIMALS,
	},
	Failure,
};
use provenance_primitives::{
	merkle::{self, Hash, NativeSha256},
	AssetRef,
};
use serde_json::{json, Value};
use sha2::Digest;
use sp_core::H256;
use std::{
	collections::{BTreeMap, BTreeSet},
	io::Read,
	path::{Path, PathBuf},
	time::Duration,
};
use subxt::dynamic::Value as CallValue;

#[derive(Parser)]
#[command(name = "prov", version, about = "The command-line client of provenance-chain.")]
#[command(after_help = "Exit codes: 0 done; 1 what was checked does not hold; 2 usage; 3 input \
                        file; 4 node unreachable or erring; 5 transaction rejected.")]
pub struct Cli {
	/// The node's JSON-RPC endpoint (WebSocket).
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Print the result (or the error) as one JSON object on stdout.
	#[arg(long, global = true)]
	pub json: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// The Merkle root and record count of a directory, a line-oriented file (JSONL, CSV, text)
	/// or a sha256sum manifest; with --proof, the inclusion proof of one file or line.
	Hash(HashArgs),
	/// Checks a file against a dataset on chain: its leaf, its proof (from `prov hash --proof
	/// ... --json`) and the anchored root must agree.
	Verify(VerifyArgs),
	/// Anchor a dataset, register a new version of one, revoke one.
	#[command(subcommand)]
	Dataset(DatasetCommand),
	/// Register a model checkpoint with its parents and training data.
	#[command(subcommand)]
	Checkpoint(CheckpointCommand),
	/// The lineage of an asset as a tree, with taint, revocation and training-run state.
	Lineage(LineageArgs),
	/// A lineage receipt: export one from the node, verify one without any node.
	#[command(subcommand)]
	Receipt(ReceiptCommand),
	/// Declare a training run for staked attesters to check.
	#[command(subcommand)]
	Run(RunCommand),
	/// Attest training runs: bond stake, commit and reveal verdicts, or serve.
	#[command(subcommand)]
	Attester(AttesterCommand),
	/// Licenses: acquire one to derive from an asset under a Licensed policy.
	#[command(subcommand)]
	License(LicenseCommand),
	/// Pay revenue to an asset: its ancestors take their royalties, its split the rest.
	Pay {
		/// checkpoint:ID or dataset:ID.
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
		/// The amount: plain integer planck, or PROV with a unit suffix ("2.5PROV").
		#[arg(value_parser = parse_amount)]
		amount: Balance,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Contributors' consent: name a dataset's contributors, withdraw consent for your own
	/// records, answer a withdrawal, see withdrawals and what they touch.
	#[command(subcommand)]
	Consent(ConsentCommand),
	/// Claim the royalties accrued to the signer on an asset.
	Claim {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Subcommand)]
enum ReceiptCommand {
	/// Prints the receipt of ASSET at the node's finalized block: its lineage's records and
	/// taint with their state proofs and the block header.
	Export {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
	},
	/// Checks a receipt offline: the header against a block hash you trust, every record and
	/// taint entry against the header's state root, and that the lineage is complete.
	Verify {
		receipt: PathBuf,
		/// The hash of the receipt's block, from a node or explorer you trust.
		#[arg(long, value_parser = receipt::parse_block_hash)]
		trusted_block: H256,
	},
}

#[derive(Subcommand)]
enum RunCommand {
	/// Declares a training run: its inputs, what ran, its output weights and a reward held for
	/// the attesters.
	Declare(RunArgs),
}

#[derive(Args)]
#[command(group(ArgGroup::new("output").required(true).args(["weights", "weights_hash"])))]
struct RunArgs {
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

#[derive(Subcommand)]
enum AttesterCommand {
	/// Bonds stake (planck, or "1000PROV") as an attester.
	Bond {
		#[arg(value_parser = parse_amount)]
		amount: Balance,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Commits a verdict on a run; the statement and a fresh salt are kept in the state
	/// directory for the reveal.
	Commit {
		run: u64,
		/// valid or invalid.
		#[arg(long, value_parser = attester::parse_verdict)]
		verdict: Verdict,
		/// The output you found (default: the run's declared output).
		#[arg(long, value_parser = parse_hash)]
		output_hash: Option<Hash>,
		/// Your report; its SHA-256 is committed.
		#[arg(long)]
		report: Option<PathBuf>,
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
struct StateArgs {
	/// Where votes and their salts are kept (default: ~/.local/share/prov/<account>).
	#[arg(long)]
	state_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ConsentCommand {
	/// Names the contributors of dataset DATASET (you own it), once, from a JSON file of
	/// `[{"account": SS58, "records": ["0x<record leaf>", ...]}]`; writes each contributor's proof
	/// bundle to OUT_DIR/<account>.json, for them to withdraw consent with.
	Contributors {
		dataset: u64,
		#[arg(long)]
		contributors: PathBuf,
		#[arg(long)]
		out_dir: PathBuf,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Withdraws your consent for records of your bundle (their positions in it, comma-separated;
	/// all of them when omitted). The owner must revoke them before the deadline.
	Withdraw {
		#[arg(long)]
		bundle: PathBuf,
		#[arg(long, value_delimiter = ',')]
		records: Vec<usize>,
		/// no-longer-consent, never-consented, terms-changed or other.
		#[arg(long, value_parser = parse_consent_reason, default_value = "no-longer-consent")]
		reason: ConsentReason,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Proves that the records of WITHDRAWAL are revoked: --revoked is the dataset's revocation
	/// set, one record leaf hash per line in the set's order (omit it when the whole dataset is
	/// revoked). Anyone may answer.
	Answer {
		withdrawal: u64,
		#[arg(long)]
		revoked: Option<PathBuf>,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Removes your answered withdrawal and releases its deposit.
	Clear {
		withdrawal: u64,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// A withdrawal, an account's withdrawals, a dataset's consent, or the consent of the data
	/// a model learned from.
	#[command(group(ArgGroup::new("what").required(true).args(["withdrawal", "account", "dataset", "model"])))]
	Show {
		#[arg(long)]
		withdrawal: Option<u64>,
		/// An SS58 account: the withdrawals it filed.
		#[arg(long)]
		account: Option<String>,
		#[arg(long)]
		dataset: Option<u64>,
		/// A checkpoint id.
		#[arg(long)]
		model: Option<u64>,
	},
}

#[derive(Subcommand)]
enum LicenseCommand {
	/// Acquires a license of an asset, paying its fee into the asset's royalties. The terms and
	/// fee are those the asset is offered under now (or --terms, --max-fee): if its owner
	/// changes them before the purchase is included, it fails instead of costing more.
	Acquire {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
		/// The terms to buy; default: those the asset is offered under now.
		#[arg(long)]
		terms: Option<u32>,
		/// The most to pay: plain integer planck, or PROV with a unit suffix; default: the
		/// fee of the terms now.
		#[arg(long, value_parser = parse_amount)]
		max_fee: Option<Balance>,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Args)]
struct InputArgs {
	/// A directory, a line-oriented file, or with --manifest a sha256sum manifest.
	path: PathBuf,
	/// Read PATH as a sha256sum manifest: the root of the directory it lists.
	#[arg(long)]
	manifest: bool,
	/// No progress line on stderr.
	#[arg(long)]
	quiet: bool,
}

impl InputArgs {
	fn hash(&self, item: Option<&Item>) -> Result<(Tree, Option<Proof>), Failure> {
		let form = if self.manifest {
			Form::Manifest
		} else if self.path.is_dir() {
			Form::Directory
		} else {
			Form::Lines
		};
		let progress = Progress::new(!self.quiet);
		progress.show_while(|| hash::hash(&self.path, form, item, &progress))
	}
}

#[derive(Args)]
struct HashArgs {
	#[command(flatten)]
	input: InputArgs,
	/// Prove one leaf: a file's path relative to the directory, or a line's index (from 0).
	#[arg(long, value_name = "ITEM")]
	proof: Option<String>,
}

#[derive(Args)]
struct VerifyArgs {
	/// The file (for a directory dataset) or the line (for a line-oriented one) to check.
	file: PathBuf,
	/// The dataset's id on chain.
	#[arg(long)]
	dataset: u64,
	/// The proof, as `prov hash PATH --proof ITEM --json` writes it.
	#[arg(long)]
	proof: PathBuf,
}

#[derive(Args)]
struct TxArgs {
	/// The signing key: a dev account (alice … ferdie), a seed phrase or a secret URI.
	#[arg(long)]
	signer: Option<String>,
	/// A file holding the signing key's secret URI or seed phrase.
	#[arg(long)]
	key_file: Option<PathBuf>,
	/// Wait until the block holding the transaction is finalized, not only included.
	#[arg(long)]
	finalized: bool,
}

#[derive(Subcommand)]
enum DatasetCommand {
	/// Anchor a dataset: its root, record count and size come from hashing PATH (or --root,
	/// --records and --bytes).
	Register(DatasetArgs),
	/// Anchor a new version of dataset PREVIOUS (same owner).
	Version {
		/// The dataset this one supersedes.
		#[arg(long)]
		previous: u64,
		#[command(flatten)]
		dataset: DatasetArgs,
	},
	/// Revoke a dataset: every checkpoint trained on it turns tainted.
	Revoke {
		id: u64,
		/// consent-withdrawn, legal-takedown, defective, license-violation or other.
		#[arg(long, value_parser = parse_reason)]
		reason: RevocationReason,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Args)]
#[command(group(ArgGroup::new("content").required(true).args(["path", "root"])))]
#[command(group(ArgGroup::new("datasheet_hash").required(true).args(["datasheet", "metadata_hash"])))]
struct DatasetArgs {
	/// A directory, a line-oriented file, or with --manifest a sha256sum manifest, to hash.
	path: Option<PathBuf>,
	/// Read PATH as a sha256sum manifest (give --bytes: a manifest does not tell sizes).
	#[arg(long, requires = "path")]
	manifest: bool,
	/// The Merkle root, instead of hashing PATH.
	#[arg(long, value_parser = parse_hash, requires_all = ["records", "bytes"])]
	root: Option<Hash>,
	/// Records under the root (with --root).
	#[arg(long)]
	records: Option<u64>,
	/// Bytes of the data (with --root or --manifest).
	#[arg(long)]
	bytes: Option<u64>,
	/// Where the data is: ipfs://, ar://, hf://, s3:// or https://.
	#[arg(long)]
	uri: String,
	/// The datasheet; its SHA-256 is recorded.
	#[arg(long)]
	datasheet: Option<PathBuf>,
	/// The datasheet's hash, instead of --datasheet.
	#[arg(long, value_parser = parse_hash)]
	metadata_hash: Option<Hash>,
	/// Datasets this one was derived from (comma-separated ids).
	#[arg(long, value_delimiter = ',', requires = "transform_hash", conflicts_with = "generator")]
	derived_from: Vec<u64>,
	/// Hash of the transformation that derived it.
	#[arg(long, value_parser = parse_hash)]
	transform_hash: Option<Hash>,
	/// The checkpoint that generated this (synthetic) data.
	#[arg(long, requires_all = ["params_hash", "policy_hash"])]
	generator: Option<u64>,
	/// Hash of the generation parameters (synthetic data).
	#[arg(long, value_parser = parse_hash)]
	params_hash: Option<Hash>,
	/// Hash of the generation policy (synthetic data).
	#[arg(long, value_parser = parse_hash)]
	policy_hash: Option<Hash>,
	/// Declare the data usable commercially.
	#[arg(long)]
	commercial: bool,
	/// The highest royalty stack (basis points of every payment owed upstream) to accept: the
	/// registration fails rather than owe more, whatever an input's owner changes meanwhile.
	#[arg(long)]
	max_stack_bps: Option<u16>,
	#[command(flatten)]
	tx: TxArgs,
}

#[derive(Subcommand)]
enum CheckpointCommand {
	/// Register a checkpoint: its weights root comes from hashing WEIGHTS (a directory of weight
	/// files, or with --manifest their sha256sum manifest) or --weights-hash.
	Register(CheckpointArgs),
	/// Flag a checkpoint you own as compromised (poisoned, backdoored, tampered weights): it
	/// and everything made from it turn tainted, and their deployments are warned. A flag
	/// cannot be withdrawn by its owner.
	FlagCompromised {
		id: u64,
		/// poisoned, backdoored, weights-tampered or other.
		#[arg(long, value_parser = parse_compromise)]
		reason: provenance_primitives::CompromiseReason,
		/// The evidence (a report, a trigger, the files); its SHA-256 is recorded.
		#[arg(long, required_unless_present = "evidence_hash")]
		evidence: Option<PathBuf>,
		/// The evidence's hash, instead of --evidence.
		#[arg(long, value_parser = parse_hash)]
		evidence_hash: Option<Hash>,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Args)]
#[command(group(ArgGroup::new("weights_root").required(true).args(["weights", "weights_hash"])))]
#[command(group(ArgGroup::new("card_hash").required(true).args(["model_card", "metadata_hash"])))]
struct CheckpointArgs {
	/// The directory of weight files (or their manifest, with --manifest).
	weights: Option<PathBuf>,
	#[arg(long, requires = "weights")]
	manifest: bool,
	/// The weights' Merkle root, instead of hashing WEIGHTS.
	#[arg(long, value_parser = parse_hash)]
	weights_hash: Option<Hash>,
	/// A parent checkpoint as ID:RELATION (fine-tune, adapter, merge, quantization,
	/// distillation, unlearning); repeat for several.
	#[arg(long = "parent", value_parser = parse_parent)]
	parents: Vec<ParentEdge>,
	/// Datasets it was trained or tuned on (comma-separated ids).
	#[arg(long = "dataset", value_delimiter = ',')]
	datasets: Vec<u64>,
	/// Taint sources an unlearning checkpoint removes (comma-separated): revoked datasets by
	/// id or dataset:ID, compromised checkpoints as checkpoint:ID.
	#[arg(long, value_delimiter = ',', value_parser = parse_excluded)]
	excludes: Vec<AssetRef>,
	/// Where the weights are.
	#[arg(long)]
	uri: String,
	/// The model card; its SHA-256 is recorded.
	#[arg(long)]
	model_card: Option<PathBuf>,
	/// The model card's hash, instead of --model-card.
	#[arg(long, value_parser = parse_hash)]
	metadata_hash: Option<Hash>,
	/// Declare the model usable commercially.
	#[arg(long)]
	commercial: bool,
	/// The highest royalty stack (basis points of every payment owed upstream) to accept: the
	/// registration fails rather than owe more, whatever an input's owner changes meanwhile.
	#[arg(long)]
	max_stack_bps: Option<u16>,
	#[command(flatten)]
	tx: TxArgs,
}

#[derive(Args)]
struct LineageArgs {
	/// The asset: checkpoint:ID or dataset:ID (a bare ID is a checkpoint).
	#[arg(value_parser = parse_asset)]
	asset: AssetRef,
}

fn parse_reason(text: &str) -> Result<RevocationReason, String> {
	use RevocationReason::*;
	Ok(match text {
		"consent-withdrawn" => ConsentWithdrawn,
		"legal-takedown" => LegalTakedown,
		"defective" => Defective,
		"license-violation" => LicenseViolation,
		"other" => Other,
		_ => return Err(format!("{text}: not a revocation reason")),
	})
}

fn parse_compromise(text: &str) -> Result<provenance_primitives::CompromiseReason, String> {
	use provenance_primitives::CompromiseReason::*;
	Ok(match text {
		"poisoned" => Poisoned,
		"backdoored" => Backdoored,
		"weights-tampered" => WeightsTampered,
		"other" => Other,
		_ => return Err(format!("{text}: not a compromise reason")),
	})
}

/// An excluded taint source: dataset:ID or checkpoint:ID, a bare ID being a dataset.
fn parse_excluded(text: &str) -> Result<AssetRef, String> {
	match text.parse() {
		Ok(id) => Ok(AssetRef::Dataset(id)),
		Err(_) => parse_asset(text),
	}
}

fn parse_parent(text: &str) -> Result<ParentEdge, String> {
	use Relation::*;
	let (id, relation) = text.split_once(':').ok_or("a parent is ID:RELATION")?;
	let checkpoint = id.parse().map_err(|_| format!("{id}: not a checkpoint id"))?;
	let relation = match relation {
		"fine-tune" => FineTune,
		"adapter" => Adapter,
		"merge" => Merge,
		"quantization" => Quantization,
		"distillation" => Distillation,
		"unlearning" => Unlearning,
		_ => return Err(format!("{relation}: not a relation")),
	};
	Ok(ParentEdge { checkpoint, relation })
}

/// An amount: integer planck, or a decimal number of PROV with the suffix "PROV".
fn parse_amount(text: &str) -> Result<Balance, String> {
	let invalid =
		|| format!("{text}: an amount is integer planck or a number of PROV (\"2.5PROV\")");
	let Some(units) = text.strip_suffix("PROV").map(str::trim) else {
		return text.parse().map_err(|_| invalid());
	};
	let (whole, fraction) = units.split_once('.').unwrap_or((units, ""));
	let decimals = TOKEN_DECIMALS as usize;
	if fraction.len() > decimals || whole.is_empty() && fraction.is_empty() {
		return Err(invalid());
	}
	let digits = format!("{whole}{fraction:0<decimals$}");
	digits.parse().map_err(|_| invalid())
}

fn parse_consent_reason(text: &str) -> Result<ConsentReason, String> {
	use ConsentReason::*;
	Ok(match text {
		"no-longer-consent" => NoLongerConsent,
		"never-consented" => NeverConsented,
		"terms-changed" => TermsChanged,
		"other" => Other,
		_ => return Err(format!("{text}: not a consent reason")),
	})
}

fn parse_asset(text: &str) -> Result<AssetRef, String> {
	let (kind, id) = text.split_once(':').unwrap_or(("checkpoint", text));
	let id = id.parse().map_err(|_| format!("{id}: not an id"))?;
	match kind {
		"checkpoint" => Ok(AssetRef::Checkpoint(id)),
		"dataset" => Ok(AssetRef::Dataset(id)),
		_ => Err(format!("{kind}: an asset is checkpoint:ID or dataset:ID")),
	}
}

/// Runs the command, printing its result.
pub fn run(cli: Cli) -> Result<(), Failure> {
	let out = Output { json: cli.json };
	match cli.command {
		Command::Hash(args) => hash_command(&args, &out),
		Command::Receipt(ReceiptCommand::Verify { receipt, trusted_block }) => {
			verify_receipt(&receipt, trusted_block, &out)
		},
		command => tokio::runtime::Runtime::new()
			.map_err(|e| Failure::Node(format!("cannot start the async runtime: {e}")))?
			.block_on(chain_command(command, &cli.url, &out)),
	}
}

async fn chain_command(command: Command, url: &str, out: &Output) -> Result<(), Failure> {
	let chain = Chain::connect(url).await?;
	match command {
		Command::Hash(args) => hash_command(&args, out),
		Command::Verify(args) => verify(&chain, &args, out).await,
		Command::Dataset(DatasetCommand::Register(args)) => {
			register_dataset(&chain, None, args, out).await
		},
		Command::Dataset(DatasetCommand::Version { previous, dataset }) => {
			register_dataset(&chain, Some(previous), dataset, out).await
		},
		Command::Dataset(DatasetCommand::Revoke { id, reason, tx }) => {
			let included =
				submit(&chain, call("Datasets", "revoke", fields![id, reason]), &tx).await?;
			out.transaction(
				&included,
				json!({ "dataset": id, "revoked": true }),
				format!("dataset {id} revoked"),
			);
			Ok(())
		},
		Command::Checkpoint(CheckpointCommand::Register(args)) => {
			register_checkpoint(&chain, args, out).await
		},
		Command::Checkpoint(CheckpointCommand::FlagCompromised {
			id,
			reason,
			evidence,
			evidence_hash,
			tx,
		}) => {
			let evidence = document_hash(&evidence, evidence_hash)?;
			let flag = call("Checkpoints", "flag_compromised", fields![id, reason, evidence]);
			let included = submit(&chain, flag, &tx).await?;
			out.transaction(
				&included,
				json!({ "checkpoint": id, "compromised": true, "evidence": to_hex(&evidence) }),
				format!("checkpoint {id} flagged as compromised ({reason:?})"),
			);
			Ok(())
		},
		Command::Lineage(args) => lineage(&chain, args.asset, out).await,
		Command::Receipt(ReceiptCommand::Export { asset }) => {
			let receipt = receipt::export(&chain, asset).await?;
			println!("{receipt:#}");
			Ok(())
		},
		Command::Receipt(ReceiptCommand::Verify { receipt, trusted_block }) => {
			verify_receipt(&receipt, trusted_block, out)
		},
		Command::Run(RunCommand::Declare(args)) => declare_run(&chain, args, out).await,
		Command::Attester(command) => attester_command(&chain, command, out).await,
		Command::Consent(command) => consent_command(&chain, command, out).await,
		Command::License(LicenseCommand::Acquire { asset, terms, max_fee, tx }) => {
			let (terms, max_fee) = license_quote(&chain, asset, terms, max_fee).await?;
			let acquire = call("Licenses", "acquire_license", fields![asset, terms, max_fee]);
			let included = submit(&chain, acquire, &tx).await?;
			let events::LicenseGranted { terms, fee, expires_at: expires } = included.event()?;
			let result = json!({ "asset": asset_json(asset), "terms": terms, "fee": fee.to_string(), "expiresAt": expires });
			out.transaction(
				&included,
				result,
				format!("licensed {} under terms {terms} for {fee} planck", lineage::name(asset)),
			);
			Ok(())
		},
		Command::Pay { asset, amount, tx } => {
			let included =
				submit(&chain, call("Royalties", "pay", fields![asset, amount]), &tx).await?;
			let result = json!({ "asset": asset_json(asset), "paid": amount.to_string() });
			out.transaction(
				&included,
				result,
				format!("paid {amount} planck to {}", lineage::name(asset)),
			);
			Ok(())
		},
		Command::Claim { asset, tx } => {
			let included = submit(&chain, call("Royalties", "claim", fields![asset]), &tx).await?;
			let events::Claimed { amount } = included.event()?;
			let result = json!({ "asset": asset_json(asset), "claimed": amount.to_string() });
			out.transaction(
				&included,
				result,
				format!("claimed {amount} planck from {}", lineage::name(asset)),
			);
			Ok(())
		},
	}
}

fn verify_receipt(path: &Path, trusted_block: H256, out: &Output) -> Result<(), Failure> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	let document: Value = serde_json::from_str(&text)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	let verified = receipt::verify(&document, trusted_block)?;
	let tainted: Vec<Value> = verified
		.tainted
		.iter()
		.map(|(asset, taint)| {
			let sources: Vec<Value> = taint
				.sources
				.iter()
				.map(|s| json!({ "origin": asset_json(s.origin), "kind": format!("{:?}", s.kind) }))
				.collect();
			let kinds: Vec<String> = taint.kinds.iter().map(|k| format!("{k:?}")).collect();
			json!({
				"asset": asset_json(*asset),
				"sources": sources,
				"kinds": kinds,
				"truncated": taint.truncated,
			})
		})
		.collect();
	let revoked: Vec<u64> = verified
		.records
		.iter()
		.filter_map(|(asset, record)| match (asset, record) {
			(AssetRef::Dataset(id), Record::Dataset(dataset)) => {
				matches!(dataset.status, DatasetStatus::Revoked { .. }).then_some(*id)
			},
			_ => None,
		})
		.collect();
	let licenses: Vec<Value> = verified
		.licenses
		.iter()
		.map(|(asset, license)| json!({ "asset": asset_json(*asset), "license": lineage::license_json(Some(license)) }))
		.collect();
	let result = json!({
		"verified": true,
		"licenses": licenses,
		"asset": asset_json(verified.asset),
		"block": format!("{:?}", verified.block),
		"number": verified.number,
		"assets": verified.records.len(),
		"tainted": tainted,
		"revokedDatasets": revoked,
	});
	out.print(result, || {
		format!(
			"receipt of {} verified at block #{} {:?}: {} assets, {} tainted, revoked datasets {revoked:?}",
			lineage::name(verified.asset),
			verified.number,
			verified.block,
			verified.records.len(),
			verified.tainted.len()
		)
	});
	Ok(())
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
	let deadline = match args.deadline.strip_prefix('+') {
		Some(blocks) => {
			let blocks: u32 = blocks
				.parse()
				.map_err(|_| Failure::Usage(format!("{}: not +BLOCKS", args.deadline)))?;
			chain.best().await?.1.saturating_add(blocks)
		},
		None => args
			.deadline
			.parse()
			.map_err(|_| Failure::Usage(format!("{}: not a block number", args.deadline)))?,
	};
	let RunArgs {
		datasets,
		base_checkpoints,
		config_hash,
		code_hash,
		environment_hash,
		statement_digest,
		training_log_root,
		reward,
		..
	} = &args;
	let declare = call(
		"Attestations",
		"declare_run",
		fields![
			datasets,
			base_checkpoints,
			config_hash,
			code_hash,
			environment_hash,
			statement_digest,
			weights_hash,
			training_log_root,
			reward,
			deadline,
		],
	);
	let included = submit(chain, declare, &args.tx).await?;
	let events::RunDeclared { run, commit_end } = included.event()?;
	let result = json!({ "run": run, "weightsHash": to_hex(&weights_hash), "commitEnd": commit_end, "deadline": deadline });
	out.transaction(
		&included,
		result,
		format!("run {run} declared: commits until block {commit_end}, reveals until {deadline}"),
	);
	Ok(())
}

/// The terms and most to pay of a license purchase: those given, else what `asset` is offered
/// under at the best block and the fee of those terms.
async fn license_quote(
	chain: &Chain,
	asset: AssetRef,
	terms: Option<u32>,
	max_fee: Option<Balance>,
) -> Result<(u32, Balance), Failure> {
	let at: H256 = chain.request("chain_getBlockHash", rpc_params![]).await?;
	let terms = match terms {
		Some(terms) => terms,
		None => {
			lineage::read_license(chain, asset, at).await?.map(|license| license.terms).ok_or_else(
				|| Failure::Rejected(format!("{} is offered under no terms", lineage::name(asset))),
			)?
		},
	};
	let max_fee = match max_fee {
		Some(max_fee) => max_fee,
		None => {
			/// The part of `pallet_licenses::Terms` read here, decoded by the node's metadata.
			#[derive(scale_decode::DecodeAsType)]
			struct Terms {
				spec: Spec,
			}
			#[derive(scale_decode::DecodeAsType)]
			struct Spec {
				fee: Balance,
			}
			let found: Option<Terms> = chain.fetch(("Licenses", "AllTerms"), (terms,), at).await?;
			found.ok_or_else(|| Failure::Rejected(format!("no terms {terms}")))?.spec.fee
		},
	};
	Ok((terms, max_fee))
}

async fn consent_command(
	chain: &Chain,
	command: ConsentCommand,
	out: &Output,
) -> Result<(), Failure> {
	use provenance_cli::consent::{self, Bundle};
	match command {
		ConsentCommand::Contributors { dataset, contributors, out_dir, tx } => {
			let entries: Vec<consent::Contributor> = read_json(&contributors)?;
			let (root, bundles) =
				consent::contributor_tree(dataset, &entries).map_err(Failure::Input)?;
			let (id, leaves) = (dataset, bundles.len() as u64);
			let set_root = call("Datasets", "set_contributor_root", fields![id, root, leaves]);
			let included = submit(chain, set_root, &tx).await?;
			std::fs::create_dir_all(&out_dir)
				.map_err(|e| Failure::Input(format!("{}: {e}", out_dir.display())))?;
			let mut written = Vec::with_capacity(bundles.len());
			for bundle in &bundles {
				let path = out_dir.join(format!("{}.json", bundle.account));
				let text = serde_json::to_string_pretty(bundle)
					.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
				std::fs::write(&path, text)
					.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
				written.push(path.display().to_string());
			}
			out.transaction(
				&included,
				json!({ "dataset": dataset, "root": to_hex(&root), "leaves": leaves, "bundles": written }),
				format!(
					"dataset {dataset} names {leaves} contributors; bundles in {}",
					out_dir.display()
				),
			);
			Ok(())
		},
		ConsentCommand::Withdraw { bundle, records, reason, tx } => {
			let bundle: Bundle = read_json(&bundle)?;
			let chosen: Vec<&consent::RecordProof> = if records.is_empty() {
				bundle.records.iter().collect()
			} else {
				records
					.iter()
					.map(|i| {
						bundle
							.records
							.get(*i)
							.ok_or_else(|| Failure::Usage(format!("the bundle has no record {i}")))
					})
					.collect::<Result<_, _>>()?
			};
			let hashes = |texts: &[String]| -> Result<Vec<Hash>, Failure> {
				texts.iter().map(|t| parse_hash(t).map_err(Failure::Input)).collect()
			};
			let (records_root, records_count, index, path) = (
				parse_hash(&bundle.contributor.records_root).map_err(Failure::Input)?,
				bundle.contributor.records_count,
				bundle.contributor.index,
				hashes(&bundle.contributor.path)?,
			);
			let contributor =
				CallValue::named_composite(fields![records_root, records_count, index, path]);
			let records = chosen
				.into_iter()
				.map(|r| {
					let (leaf, index, path) =
						(parse_hash(&r.leaf).map_err(Failure::Input)?, r.index, hashes(&r.path)?);
					Ok(CallValue::named_composite(fields![leaf, index, path]))
				})
				.collect::<Result<Vec<_>, Failure>>()?;
			let id = bundle.dataset;
			let withdraw = call(
				"Datasets",
				"withdraw_consent",
				[
					("id", id.to_value()),
					("contributor", contributor),
					("records", CallValue::unnamed_composite(records)),
					("reason", reason.to_value()),
				],
			);
			let included = submit(chain, withdraw, &tx).await?;
			let events::ConsentWithdrawn { withdrawal, deadline, records } = included.event()?;
			let count = records.len();
			out.transaction(
				&included,
				json!({ "withdrawal": withdrawal, "dataset": id, "records": count, "deadline": deadline }),
				format!(
					"withdrawal {withdrawal}: consent withdrawn for {count} records of dataset {id}; \
					 the owner must revoke them by block {deadline}"
				),
			);
			Ok(())
		},
		ConsentCommand::Answer { withdrawal, revoked, tx } => {
			let record: Value =
				chain.request("provenance_withdrawal", rpc_params![withdrawal]).await?;
			if record.is_null() {
				return Err(Failure::Usage(format!("no withdrawal {withdrawal}")));
			}
			let records = record["records"]
				.as_array()
				.ok_or_else(|| Failure::Node("provenance_withdrawal: no records".into()))?
				.iter()
				.map(|leaf| hash_field(leaf, "withdrawal record"))
				.collect::<Result<Vec<_>, _>>()?;
			let proofs = match revoked {
				None => Vec::new(),
				Some(path) => {
					let text = std::fs::read_to_string(&path)
						.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
					let set = text
						.lines()
						.filter(|line| !line.trim().is_empty())
						.map(|line| parse_hash(line.trim()).map_err(Failure::Input))
						.collect::<Result<Vec<_>, _>>()?;
					consent::set_memberships(&set, &records)
						.map_err(|missing| {
							Failure::Mismatch(format!(
								"record {} is not in the revocation set",
								to_hex(&missing)
							))
						})?
						.into_iter()
						.map(|(index, path)| CallValue::named_composite(fields![index, path]))
						.collect()
				},
			};
			let answer = call(
				"Datasets",
				"answer_withdrawal",
				[
					("withdrawal", withdrawal.to_value()),
					("proofs", CallValue::unnamed_composite(proofs)),
				],
			);
			let included = submit(chain, answer, &tx).await?;
			let events::WithdrawalAnswered { late } = included.event()?;
			let compliant = included.event::<events::DatasetCompliant>().is_ok();
			out.transaction(
				&included,
				json!({ "withdrawal": withdrawal, "late": late, "compliant": compliant }),
				format!(
					"withdrawal {withdrawal} answered{}{}",
					if late { " late" } else { "" },
					if compliant { "; the dataset's breach is over" } else { "" }
				),
			);
			Ok(())
		},
		ConsentCommand::Clear { withdrawal, tx } => {
			let clear = call("Datasets", "clear_withdrawal", fields![withdrawal]);
			let included = submit(chain, clear, &tx).await?;
			let events::WithdrawalCleared { deposit } = included.event()?;
			out.transaction(
				&included,
				json!({ "cleared": withdrawal, "released": deposit.to_string() }),
				format!("withdrawal {withdrawal} cleared; {deposit} planck released"),
			);
			Ok(())
		},
		ConsentCommand::Show { withdrawal, account, dataset, model } => {
			let answer: Value = match (withdrawal, account, dataset, model) {
				(Some(id), ..) => chain.request("provenance_withdrawal", rpc_params![id]).await?,
				(_, Some(who), ..) => {
					chain
						.request(
							"provenance_withdrawalsOf",
							rpc_params![who, None::<u64>, SHOW_PAGE],
						)
						.await?
				},
				(_, _, Some(id), _) => {
					chain
						.request(
							"provenance_datasetConsent",
							rpc_params![id, None::<u64>, SHOW_PAGE],
						)
						.await?
				},
				(.., Some(id)) => chain.request("provenance_modelConsent", rpc_params![id]).await?,
				_ => {
					return Err(Failure::Usage(
						"give --withdrawal, --account, --dataset or --model".into(),
					))
				},
			};
			if answer.is_null() {
				return Err(Failure::Mismatch("no such withdrawal, dataset or model".into()));
			}
			out.print(answer.clone(), || format!("{answer:#}"));
			Ok(())
		},
	}
}

/// The most withdrawals `prov consent show` lists (the node's page limit).
const SHOW_PAGE: u32 = 1_000;

/// A JSON file as `T`.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Failure> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	serde_json::from_str(&text).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
}

async fn attester_command(
	chain: &Chain,
	command: AttesterCommand,
	out: &Output,
) -> Result<(), Failure> {
	let store = |state: &StateArgs, tx: &TxArgs| -> Result<(keys::Key, Store), Failure> {
		let signer = keys::signer(tx.signer.as_deref(), tx.key_file.as_deref())?;
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
		AttesterCommand::Commit { run, verdict, output_hash, report, state, tx } => {
			let (signer, store) = store(&state, &tx)?;
			let output_hash = match output_hash {
				Some(hash) => hash,
				None => {
					let record: Value = chain.request("provenance_run", rpc_params![run]).await?;
					hash_field(&record["outputHash"], &format!("run {run}'s output"))?
				},
			};
			let report_hash = report.as_deref().map(file_digest).transpose()?.unwrap_or_default();
			let statement = Statement { verdict, output_hash, report_hash };
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

/// How results are printed: plain lines, or one JSON object with `--json`.
struct Output {
	json: bool,
}

impl Output {
	fn print(&self, json: Value, text: impl FnOnce() -> String) {
		if self.json {
			println!("{json}");
		} else {
			println!("{}", text());
		}
	}

	fn transaction(&self, included: &Included, mut result: Value, text: String) {
		result["block"] = json!(format!("{:?}", included.block));
		result["finalized"] = json!(included.finalized);
		let state = if included.finalized { "finalized" } else { "included" };
		self.print(result, || format!("{text} ({state} in block {:?})", included.block));
	}
}

fn tree_json(tree: &Tree) -> Value {
	json!({
		"form": tree.form.name(),
		"root": to_hex(&tree.root),
		"records": tree.records,
		"bytes": tree.bytes,
	})
}

fn proof_json(proof: &Proof) -> Value {
	let item = match &proof.item {
		Item::Path(path) => json!({ "path": path }),
		Item::Line(index) => json!({ "line": index }),
	};
	json!({
		"item": item,
		"index": proof.index,
		"size": proof.size,
		"leaf": to_hex(&proof.leaf),
		"path": proof.path.iter().map(|h| to_hex(h)).collect::<Vec<_>>(),
	})
}

fn hash_command(args: &HashArgs, out: &Output) -> Result<(), Failure> {
	let item =
		args.proof.as_ref().map(|item| match args.input.path.is_dir() || args.input.manifest {
			true => Item::Path(item.clone()),
			false => item.parse().map(Item::Line).unwrap_or_else(|_| Item::Path(item.clone())),
		});
	let (tree, proof) = args.input.hash(item.as_ref())?;
	let mut result = tree_json(&tree);
	if let Some(proof) = &proof {
		result["proof"] = proof_json(proof);
	}
	out.print(result, || {
		let bytes = tree.bytes.map(|b| format!(", {b} bytes")).unwrap_or_default();
		let mut text = format!(
			"{}  {} records{bytes} ({})",
			to_hex(&tree.root),
			tree.records,
			tree.form.name()
		);
		if let Some(proof) = &proof {
			text.push_str(&format!(
				"\nleaf {} at index {} of {}",
				to_hex(&proof.leaf),
				proof.index,
				proof.size
			));
			proof.path.iter().for_each(|h| text.push_str(&format!("\n  {}", to_hex(h))));
		}
		text
	});
	Ok(())
}

/// SHA-256 of a whole file, streamed: datasheets, model cards, files to verify.
fn file_digest(path: &Path) -> Result<Hash, Failure> {
	let mut file = std::fs::File::open(path)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	let mut hasher = sha2::Sha256::new();
	std::io::copy(&mut file, &mut hasher)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	Ok(hasher.finalize().into())
}

/// A JSON field holding `0x` hex of 32 bytes.
fn hash_field(value: &Value, what: &str) -> Result<Hash, Failure> {
	value
		.as_str()
		.and_then(|text| parse_hash(text).ok())
		.ok_or_else(|| Failure::Input(format!("{what}: not a 32-byte hex hash")))
}

fn u64_field(value: &Value, what: &str) -> Result<u64, Failure> {
	value.as_u64().ok_or_else(|| Failure::Input(format!("{what}: not a number")))
}

async fn verify(chain: &Chain, args: &VerifyArgs, out: &Output) -> Result<(), Failure> {
	let text = std::fs::read_to_string(&args.proof)
		.map_err(|e| Failure::Input(format!("{}: {e}", args.proof.display())))?;
	let document: Value = serde_json::from_str(&text)
		.map_err(|e| Failure::Input(format!("{}: {e}", args.proof.display())))?;
	let proof = &document["proof"];
	let index = u64_field(&proof["index"], "proof.index")?;
	let size = u64_field(&proof["size"], "proof.size")?;
	let path = proof["path"]
		.as_array()
		.ok_or_else(|| Failure::Input("proof.path: not a list".into()))?
		.iter()
		.map(|h| hash_field(h, "proof.path"))
		.collect::<Result<Vec<_>, _>>()?;
	let leaf = match (&proof["item"]["path"], &proof["item"]["line"]) {
		(Value::String(item), _) => {
			merkle::file_leaf::<NativeSha256>(&file_digest(&args.file)?, item)
		},
		(_, Value::Number(_)) => {
			let mut line = Vec::new();
			std::fs::File::open(&args.file)
				.and_then(|mut f| f.read_to_end(&mut line))
				.map_err(|e| Failure::Input(format!("{}: {e}", args.file.display())))?;
			merkle::leaf_hash::<NativeSha256>(merkle::line_data(&line))
		},
		_ => return Err(Failure::Input("proof.item: neither a path nor a line".into())),
	};
	if leaf != hash_field(&proof["leaf"], "proof.leaf")? {
		return Err(Failure::Mismatch(format!(
			"{} is not the record the proof was made for",
			args.file.display()
		)));
	}
	let dataset: Value = chain.request("provenance_dataset", rpc_params![args.dataset]).await?;
	if dataset.is_null() {
		return Err(Failure::Mismatch(format!("there is no dataset {}", args.dataset)));
	}
	let root = hash_field(&dataset["root"], "the dataset's root")?;
	let records = u64_field(&dataset["recordCount"], "the dataset's record count")?;
	if size != records {
		return Err(Failure::Mismatch(format!(
			"the proof is for {size} records, dataset {} has {records}",
			args.dataset
		)));
	}
	merkle::verify_inclusion::<NativeSha256>(&leaf, index, size, &path, &root).map_err(|e| {
		Failure::Mismatch(format!(
			"the proof does not lead to dataset {}'s root: {e:?}",
			args.dataset
		))
	})?;
	// The chain checks it too, by the same code in the runtime.
	let on_chain: Value = chain
		.request(
			"provenance_verifyRecord",
			rpc_params![
				args.dataset,
				to_hex(&leaf),
				index,
				path.iter().map(|h| to_hex(h)).collect::<Vec<_>>()
			],
		)
		.await?;
	if on_chain.get("ok").is_none() {
		return Err(Failure::Mismatch(format!(
			"the chain does not confirm the record: {on_chain}"
		)));
	}
	let status = &dataset["status"];
	out.print(json!({ "verified": true, "dataset": args.dataset, "index": index, "leaf": to_hex(&leaf), "root": to_hex(&root), "status": status }), || {
		format!("{} is record {index} of dataset {} (root {}, status {})", args.file.display(), args.dataset, to_hex(&root), compact(status))
	});
	Ok(())
}

/// A JSON value as a short label: strings bare, the rest as JSON.
fn compact(value: &Value) -> String {
	match value {
		Value::String(text) => text.clone(),
		other => other.to_string(),
	}
}

async fn submit(chain: &Chain, call: Call, tx: &TxArgs) -> Result<Included, Failure> {
	let signer = keys::signer(tx.signer.as_deref(), tx.key_file.as_deref())?;
	chain.submit(&call, &signer, tx.finalized).await
}

/// `Hash` of a document given as a file (hashed) or as a hash.
fn document_hash(file: &Option<PathBuf>, hash: Option<Hash>) -> Result<Hash, Failure> {
	match (file, hash) {
		(Some(file), _) => file_digest(file),
		(None, Some(hash)) => Ok(hash),
		(None, None) => Err(Failure::Usage("give the document or its hash".into())),
	}
}

async fn register_dataset(
	chain: &Chain,
	previous: Option<u64>,
	args: DatasetArgs,
	out: &Output,
) -> Result<(), Failure> {
	let (root, records, bytes) = match &args.path {
		Some(path) => {
			let input = InputArgs { path: path.clone(), manifest: args.manifest, quiet: out.json };
			let (tree, _) = input.hash(None)?;
			let bytes = tree.bytes.or(args.bytes).ok_or_else(|| {
				Failure::Usage("a manifest does not tell the data's size: give --bytes".into())
			})?;
			(tree.root, tree.records, bytes)
		},
		None => match (args.root, args.records, args.bytes) {
			(Some(root), Some(records), Some(bytes)) => (root, records, bytes),
			_ => return Err(Failure::Usage("--root needs --records and --bytes".into())),
		},
	};
	let data_origin = match (args.generator, args.derived_from.is_empty()) {
		(Some(generator), _) => DatasetOrigin::Synthetic {
			generator,
			params_hash: args.params_hash.unwrap_or_default(),
			policy_hash: args.policy_hash.unwrap_or_default(),
		},
		(None, false) => DatasetOrigin::Derived {
			parents: args.derived_from.clone(),
			transform_hash: args.transform_hash.unwrap_or_default(),
		},
		(None, true) => DatasetOrigin::Human,
	};
	let metadata_hash = document_hash(&args.datasheet, args.metadata_hash)?;
	let (record_count, byte_size) = (records, bytes);
	let uri = Bytes(args.uri.clone().into_bytes());
	let DatasetArgs { commercial, max_stack_bps, .. } = &args;
	let register = match previous {
		None => call(
			"Datasets",
			"register",
			fields![
				root,
				record_count,
				byte_size,
				uri,
				metadata_hash,
				data_origin,
				commercial,
				max_stack_bps,
			],
		),
		Some(previous) => call(
			"Datasets",
			"register_version",
			fields![
				previous,
				root,
				record_count,
				byte_size,
				uri,
				metadata_hash,
				data_origin,
				commercial,
				max_stack_bps,
			],
		),
	};
	let included = submit(chain, register, &args.tx).await?;
	let events::DatasetRegistered { id } = included.event()?;
	out.transaction(
		&included,
		json!({ "dataset": id, "root": to_hex(&root), "records": records, "bytes": bytes }),
		format!("dataset {id} anchored: root {}, {records} records, {bytes} bytes", to_hex(&root)),
	);
	Ok(())
}

async fn register_checkpoint(
	chain: &Chain,
	args: CheckpointArgs,
	out: &Output,
) -> Result<(), Failure> {
	let weights_hash = match (&args.weights, args.weights_hash) {
		(Some(path), _) => {
			let input = InputArgs { path: path.clone(), manifest: args.manifest, quiet: out.json };
			input.hash(None)?.0.root
		},
		(None, Some(hash)) => hash,
		(None, None) => return Err(Failure::Usage("give WEIGHTS or --weights-hash".into())),
	};
	let metadata_hash = document_hash(&args.model_card, args.metadata_hash)?;
	let CheckpointArgs { parents, datasets, excludes, commercial, max_stack_bps, .. } = &args;
	let uri = Bytes(args.uri.clone().into_bytes());
	let register = call(
		"Checkpoints",
		"register",
		fields![
			weights_hash,
			parents,
			datasets,
			excludes,
			uri,
			metadata_hash,
			commercial,
			max_stack_bps,
		],
	);
	let included = submit(chain, register, &args.tx).await?;
	let events::CheckpointRegistered { id } = included.event()?;
	out.transaction(
		&included,
		json!({ "checkpoint": id, "weightsHash": to_hex(&weights_hash) }),
		format!("checkpoint {id} registered: weights {}", to_hex(&weights_hash)),
	);
	Ok(())
}

async fn lineage(chain: &Chain, root: AssetRef, out: &Output) -> Result<(), Failure> {
	let at: H256 = chain.request("chain_getBlockHash", rpc_params![]).await?;
	let lineage = lineage::read(chain, root, at).await?;
	// The state the records do not hold, from the node at the same block: taint (computed
	// through the lineage) and the status of each checkpoint's training run.
	let mut states = BTreeMap::new();
	for (asset, node) in &lineage.nodes {
		let asset_id = match asset {
			AssetRef::Dataset(id) | AssetRef::Checkpoint(id) => *id,
		};
		let state = match &node.record {
			Record::Dataset(_) => {
				let dataset: Value =
					chain.request("provenance_dataset", rpc_params![asset_id, at]).await?;
				json!({ "status": dataset["status"] })
			},
			Record::Checkpoint(checkpoint) => {
				let id = asset_id;
				let taint: Value = chain.request("provenance_taint", rpc_params![id, at]).await?;
				let run = match checkpoint.run {
					Some(run) => {
						let record: Value =
							chain.request("provenance_run", rpc_params![run, at]).await?;
						json!({ "id": run, "status": record["status"] })
					},
					None => Value::Null,
				};
				json!({ "taint": taint["state"], "compromised": taint["compromised"], "run": run })
			},
		};
		let mut state = state;
		state["license"] =
			lineage::license_json(lineage::read_license(chain, *asset, at).await?.as_ref());
		states.insert(*asset, state);
	}
	let assets: Vec<Value> = lineage
		.nodes
		.iter()
		.map(|(asset, node)| {
			let inputs: Vec<Value> = node
				.record
				.inputs()
				.into_iter()
				.map(|(input, how)| json!({ "asset": asset_json(input), "relation": how.words() }))
				.collect();
			json!({ "asset": asset_json(*asset), "state": states[asset], "inputs": inputs })
		})
		.collect();
	let result = json!({
		"root": asset_json(root),
		"at": format!("{at:?}"),
		"assets": assets,
		"truncated": lineage.truncated,
	});
	out.print(result, || {
		let mut text = String::new();
		draw(&lineage, &states, root, None, ("", ""), &mut BTreeSet::new(), &mut text);
		if lineage.truncated {
			text.push_str(&format!("(stopped after {} assets)\n", lineage::MAX_ASSETS));
		}
		text.trim_end().to_owned()
	});
	Ok(())
}

/// Draws `asset` with its state and, the first time it appears, its inputs below it.
fn draw(
	lineage: &Lineage,
	states: &BTreeMap<AssetRef, Value>,
	asset: AssetRef,
	how: Option<lineage::Input>,
	(lead, indent): (&str, &str),
	shown: &mut BTreeSet<AssetRef>,
	text: &mut String,
) {
	let label = how.map(|how| format!("{} ", how.words())).unwrap_or_default();
	let state = match states.get(&asset) {
		None => "not read".to_owned(),
		Some(state) if state.get("status").is_some() => compact(&state["status"]),
		Some(state) => {
			let run = match state["run"]["id"].as_u64() {
				Some(run) => format!(", run {run} {}", compact(&state["run"]["status"])),
				None => String::new(),
			};
			let flag = match &state["compromised"] {
				Value::Null => String::new(),
				flag => format!(", compromised: {}", compact(&flag["reason"])),
			};
			format!("{}{flag}{run}", compact(&state["taint"]))
		},
	};
	let state = match states.get(&asset).map(|state| &state["license"]) {
		Some(Value::Object(license)) => {
			format!("{state}, license: terms {} {}", license["terms"], compact(&license["policy"]))
		},
		_ => state,
	};
	let first = shown.insert(asset);
	let repeat = if first { "" } else { " (inputs above)" };
	text.push_str(&format!("{lead}{label}{} [{state}]{repeat}\n", lineage::name(asset)));
	let Some(node) = lineage.nodes.get(&asset).filter(|_| first) else { return };
	let inputs = node.record.inputs();
	for (i, (input, how)) in inputs.iter().enumerate() {
		let (branch, next) =
			if i + 1 == inputs.len() { ("└─ ", "   ") } else { ("├─ ", "│  ") };
		let (lead, indent) = (format!("{indent}{branch}"), format!("{indent}{next}"));
		draw(lineage, states, *input, Some(*how), (&lead, &indent), shown, text);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_are_planck_or_prov() {
		assert_eq!(parse_amount("42"), Ok(42));
		assert_eq!(parse_amount("2.5PROV"), Ok(2_500_000_000_000));
		assert_eq!(parse_amount("1000PROV"), Ok(1_000_000_000_000_000));
		assert_eq!(parse_amount("0.000000000001PROV"), Ok(1));
		for bad in ["0.0000000000001PROV", "PROV", "-1", "1.5", "2,5PROV", "1e3"] {
			assert!(parse_amount(bad).is_err(), "{bad}");
		}
	}

	#[test]
	fn assets_and_parents_parse_as_documented() {
		assert_eq!(parse_asset("7"), Ok(AssetRef::Checkpoint(7)));
		assert_eq!(parse_asset("dataset:3"), Ok(AssetRef::Dataset(3)));
		assert!(parse_asset("model:3").is_err());
		let edge = parse_parent("4:fine-tune").unwrap();
		assert_eq!((edge.checkpoint, edge.relation), (4, Relation::FineTune));
		assert!(parse_parent("4").is_err());
		assert!(parse_parent("4:copy").is_err());
	}

	#[test]
	fn the_command_line_is_consistent() {
		use clap::CommandFactory;
		Cli::command().debug_assert();
	}
}
