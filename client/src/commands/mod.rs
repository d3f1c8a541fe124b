//! The command line: what each `prov` command reads, does and prints.

use clap::{ArgGroup, Args, Parser, Subcommand};
use jsonrpsee::rpc_params;
use provenance_cli::{
	attester::{self, Store},
	calls::{call, events, Address, Bytes, Call, ToValue, TrainingRun},
	chain::{Chain, Included},
	fields,
	hash::{self, Form, Item, Proof, Tree},
	keys,
	lineage::{self as chain_lineage, asset_json, Lineage, Record},
	parse_hash,
	progress::Progress,
	receipt, to_hex,
	types::{
		self, Balance, ConsentReason, DatasetOrigin, DatasetStatus, ParentEdge, Relation,
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

mod assets;
mod attest;
mod consent;
mod evaluate;
mod files;
mod lineage;
mod market;
mod royalties;

use self::{
	assets::{CheckpointCommand, DatasetCommand, RevocationSetCommand},
	attest::{AttesterCommand, RunCommand},
	consent::ConsentCommand,
	evaluate::{DeploymentsArgs, EndpointArgs, EvalCommand},
	files::{HashArgs, VerifyArgs},
	lineage::{LineageArgs, ReceiptCommand},
	market::{LicenseCommand, TermsCommand},
	royalties::{PoolCommand, RoyaltiesCommand, SplitCommand},
};

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
	/// Licences: offer an asset under terms, see what it is offered under and who holds a
	/// licence, acquire one to derive from an asset under a Licensed policy.
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
	/// Contributor pools: build one from a CSV with the proofs file to publish, claim your part
	/// with it, show one.
	#[command(subcommand)]
	Pool(PoolCommand),
	/// Set how an asset's income is divided: accounts and a contributor pool.
	#[command(subcommand)]
	Split(SplitCommand),
	/// An asset's split, royalty stack and totals; what an account may claim.
	#[command(subcommand)]
	Royalties(RoyaltiesCommand),
	/// Licence terms: write them, show them.
	#[command(subcommand)]
	Terms(TermsCommand),
	/// Evaluations: declare a score for attesters to reproduce, show scores and leaderboards.
	#[command(subcommand)]
	Eval(EvalCommand),
	/// Deploy a checkpoint at an endpoint (ending your live deployment there, if any).
	Deploy {
		checkpoint: u64,
		#[command(flatten)]
		endpoint: EndpointArgs,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// End a deployment of yours.
	Undeploy {
		deployment: u64,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// A checkpoint's deployments, or an operator's history at an endpoint, with their taint.
	Deployments(DeploymentsArgs),
	/// Follows ASSET: prints each event of a finalized block that names it (taint, revocation,
	/// runs, payments, licences, deployments), one line each (JSON with --json), until stopped.
	Watch {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
	},
	/// Publish a dataset's revocation set (the records revoked so far) from a file, with its
	/// consistency proof against the set on chain; or compute a set's root offline.
	#[command(subcommand)]
	RevocationSet(RevocationSetCommand),
	/// Prints the completion script of SHELL (bash, zsh, fish, elvish, powershell) to stdout,
	/// e.g. `prov completions bash > ~/.local/share/bash-completion/completions/prov`.
	Completions { shell: clap_complete::Shell },
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

/// A signing key.
#[derive(Args)]
struct KeyArgs {
	/// The signing key: a dev account (alice … ferdie), a seed phrase or a secret URI.
	#[arg(long)]
	signer: Option<String>,
	/// A file holding the signing key's secret URI or seed phrase.
	#[arg(long)]
	key_file: Option<PathBuf>,
}

impl KeyArgs {
	fn key(&self) -> Result<keys::Key, Failure> {
		keys::signer(self.signer.as_deref(), self.key_file.as_deref())
	}
}

#[derive(Args)]
struct TxArgs {
	#[command(flatten)]
	key: KeyArgs,
	/// Wait until the block holding the transaction is finalized, not only included.
	#[arg(long)]
	finalized: bool,
	/// Act for ACCOUNT (SS58) as its proxy: the signing key is a proxy of ACCOUNT of a type
	/// that allows the call (an attester's hot key of type `Attester` for its stash, a lab's
	/// `Registrar` key); the call is sent as `proxy.proxy`.
	#[arg(long = "as", value_name = "ACCOUNT")]
	real: Option<String>,
}

impl TxArgs {
	/// The signing key and the account it acts for.
	fn signer(&self) -> Result<keys::Signer, Failure> {
		let key = self.key.key()?;
		let real = self.real.as_deref().map(keys::account_of).transpose()?;
		Ok(keys::Signer::new(key, real))
	}
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
		Command::Hash(args) => files::hash_command(&args, &out),
		Command::Completions { shell } => completions(shell),
		Command::Pool(PoolCommand::Build { csv, out: path }) => {
			royalties::build_pool(&csv, &path, &out)
		},
		Command::RevocationSet(RevocationSetCommand::Build { revoked, from }) => {
			assets::build_revocation_set(&revoked, from, &out)
		},
		Command::Receipt(ReceiptCommand::Verify { receipt, trusted_block }) => {
			lineage::verify_receipt(&receipt, trusted_block, &out)
		},
		command => tokio::runtime::Runtime::new()
			.map_err(|e| Failure::Node(format!("cannot start the async runtime: {e}")))?
			.block_on(chain_command(command, &cli.url, &out)),
	}
}

/// `prov watch ASSET`.
async fn watch(chain: &Chain, asset: AssetRef, out: &Output) -> Result<(), Failure> {
	use std::io::Write;
	chain
		.follow_finalized(|event| {
			if !provenance_cli::watch::names(asset, &event.pallet, &event.fields) {
				return;
			}
			let line = json!({
				"block": event.block,
				"hash": format!("{:?}", event.hash),
				"pallet": event.pallet,
				"event": event.name,
				"fields": event.fields,
			});
			out.print(line, || {
				format!("#{} {}.{} {}", event.block, event.pallet, event.name, event.fields)
			});
			// Each line as it happens, also into a pipe.
			let _ = std::io::stdout().flush();
		})
		.await
}

/// `prov completions SHELL`.
fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
	use clap::CommandFactory;
	use std::io::Write;
	let mut script = Vec::new();
	clap_complete::generate(shell, &mut Cli::command(), "prov", &mut script);
	match std::io::stdout().write_all(&script) {
		Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
			Err(Failure::Input(format!("stdout: {e}")))
		},
		_ => Ok(()),
	}
}

async fn chain_command(command: Command, url: &str, out: &Output) -> Result<(), Failure> {
	let chain = Chain::connect(url).await?;
	match command {
		Command::Hash(args) => files::hash_command(&args, out),
		Command::Completions { shell } => completions(shell),
		Command::Pool(PoolCommand::Build { csv, out: path }) => {
			royalties::build_pool(&csv, &path, out)
		},
		Command::Verify(args) => files::verify(&chain, &args, out).await,
		Command::Dataset(command) => assets::dataset_command(&chain, command, out).await,
		Command::Checkpoint(command) => assets::checkpoint_command(&chain, command, out).await,
		Command::Lineage(args) => lineage::lineage(&chain, args, out).await,
		Command::Receipt(ReceiptCommand::Export { asset }) => {
			lineage::export_receipt(&chain, asset).await
		},
		Command::Receipt(ReceiptCommand::Verify { receipt, trusted_block }) => {
			lineage::verify_receipt(&receipt, trusted_block, out)
		},
		Command::Run(command) => attest::run_command(&chain, command, out).await,
		Command::Attester(command) => attest::attester_command(&chain, command, out).await,
		Command::Consent(command) => consent::consent_command(&chain, command, out).await,
		Command::License(command) => market::license_command(&chain, command, out).await,
		Command::Terms(command) => market::terms_command(&chain, command, out).await,
		Command::Pay { asset, amount, tx } => market::pay(&chain, asset, amount, &tx, out).await,
		Command::Claim { asset, tx } => market::claim(&chain, asset, &tx, out).await,
		Command::Pool(command) => royalties::pool_command(&chain, command, out).await,
		Command::Eval(command) => evaluate::eval_command(&chain, command, out).await,
		Command::Deploy { checkpoint, endpoint, tx } => {
			evaluate::deploy(&chain, checkpoint, &endpoint, &tx, out).await
		},
		Command::Undeploy { deployment, tx } => {
			evaluate::undeploy(&chain, deployment, &tx, out).await
		},
		Command::Deployments(args) => evaluate::deployments(&chain, args, out).await,
		Command::Watch { asset } => watch(&chain, asset, out).await,
		Command::RevocationSet(command) => {
			assets::revocation_set_command(&chain, command, out).await
		},
		Command::Split(command) => royalties::split_command(&chain, command, out).await,
		Command::Royalties(command) => royalties::royalties_command(&chain, command, out).await,
	}
}

/// The most entries a listing command shows (the node's page limit).
const PAGE: u32 = 1_000;

/// Prints what a `provenance_*` query answers. `null` (nothing of the kind) fails as a
/// mismatch, with `missing` as its message.
async fn show(
	chain: &Chain,
	method: &str,
	params: jsonrpsee::core::params::ArrayParams,
	missing: &str,
	out: &Output,
) -> Result<(), Failure> {
	let answer: Value = chain.request(method, params).await?;
	if answer.is_null() {
		return Err(Failure::Mismatch(missing.to_owned()));
	}
	out.print(answer.clone(), || format!("{answer:#}"));
	Ok(())
}

/// A deadline given as a block number or `+N` blocks from the best block.
async fn deadline_of(chain: &Chain, text: &str) -> Result<u32, Failure> {
	match text.strip_prefix('+') {
		Some(blocks) => {
			let blocks: u32 =
				blocks.parse().map_err(|_| Failure::Usage(format!("{text}: not +BLOCKS")))?;
			Ok(chain.best().await?.1.saturating_add(blocks))
		},
		None => text.parse().map_err(|_| Failure::Usage(format!("{text}: not a block number"))),
	}
}

/// A file of `0x` hashes, one per line (blank lines skipped): record leaves of a revocation set.
fn read_hashes(path: &Path) -> Result<Vec<Hash>, Failure> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	text.lines()
		.filter(|line| !line.trim().is_empty())
		.map(|line| {
			parse_hash(line.trim()).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
		})
		.collect()
}

/// A JSON file as `T`.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Failure> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	serde_json::from_str(&text).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
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

/// A JSON value as a short label: strings bare, the rest as JSON.
fn compact(value: &Value) -> String {
	match value {
		Value::String(text) => text.clone(),
		other => other.to_string(),
	}
}

async fn submit(chain: &Chain, call: Call, tx: &TxArgs) -> Result<Included, Failure> {
	let signer = tx.signer()?;
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

#[cfg(test)]
mod tests {
	use super::{assets::parse_parent, *};

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
