//! `prov-throughput`: loads a provenance-chain node with pre-signed transactions from many
//! accounts and measures what it includes per block and per second, what it refuses and why,
//! whether anything it accepted is lost, how long full blocks take to build against their
//! weight, and how fast lineage queries answer on the idle node and meanwhile.
//! `scripts/bench-throughput` runs it against a fresh dev node; BENCHMARKS.md holds its
//! figures.

mod load;
mod plan;
mod queries;
mod report;
mod tracker;

use clap::Parser;
use jsonrpsee::rpc_params;
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use provenance_cli::{chain::Chain, Failure};
use std::{
	path::PathBuf,
	process::ExitCode,
	sync::{atomic::AtomicBool, Arc},
	time::Duration,
};

/// A transaction's hash (blake2-256 of its bytes).
pub type TxHash = [u8; 32];

/// A signed transaction, as submitted.
pub struct Tx {
	pub hash: TxHash,
	pub hex: String,
}

#[derive(Parser)]
#[command(version, about)]
struct Cli {
	/// The node's JSON-RPC WebSocket.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Accounts the load is signed by (funded by Alice first).
	#[arg(long, default_value_t = 100)]
	accounts: u32,
	/// Transfers (`Balances.transfer_keep_alive`), submitted in one burst.
	#[arg(long, default_value_t = 20_000)]
	transfers: u32,
	/// Single anchors (`Datasets.register`), submitted with at most `--window` in the pool.
	#[arg(long, default_value_t = 20_000)]
	anchors: u32,
	/// Batch registrations (`Datasets.register_batch`), of `--batch-shards` shards each: by
	/// default 300,000 shards, which leave a state of about a million keys (where the
	/// database weights are measured).
	#[arg(long, default_value_t = 300)]
	batches: u32,
	/// Shards of each batch registration.
	#[arg(long, default_value_t = 1_000)]
	batch_shards: u32,
	/// Datasets derived from the lineage's root (the page the descendants query reads).
	#[arg(long, default_value_t = queries::PAGE)]
	fan: u32,
	/// Training runs (`Attestations.declare_run`) every other account, bonded as an attester,
	/// commits a verdict on and then reveals it.
	#[arg(long, default_value_t = 20)]
	runs: u32,
	/// Checkpoint registrations (`Checkpoints.register`, each a fine-tune of a checkpoint of
	/// the same account), with at most `--window` in the pool.
	#[arg(long, default_value_t = 5_000)]
	checkpoints: u32,
	/// At most this many accepted and not yet included transactions at a time, for the
	/// paced phases.
	#[arg(long, default_value_t = 24_000)]
	window: u64,
	/// Connections the transactions are submitted over.
	#[arg(long, default_value_t = 4)]
	connections: usize,
	/// The node's log, for how long it took to build each block.
	#[arg(long)]
	node_log: Option<PathBuf>,
	/// Writes the report as JSON here (Markdown goes to standard output).
	#[arg(long)]
	json: Option<PathBuf>,
}

/// A JSON-RPC WebSocket connection for many requests in flight.
pub async fn connect(url: &str) -> Result<WsClient, Failure> {
	WsClientBuilder::default()
		.max_concurrent_requests(4096)
		.request_timeout(Duration::from_secs(120))
		.build(url)
		.await
		.map_err(|e| Failure::Node(format!("{url}: {e}")))
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	// The sampler's thread keeps this thread's priority; everything else then gives it up.
	let sampler = queries::Sampler::start(&cli.url);
	yield_cores_to_node();
	let outcome = tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.on_thread_start(yield_cores_to_node)
		.build()
		.map_err(|e| Failure::Node(format!("the load's runtime: {e}")))
		.and_then(|runtime| runtime.block_on(run(cli, sampler)));
	match outcome {
		Ok(()) => ExitCode::SUCCESS,
		Err(failure) => {
			eprintln!("prov-throughput: {failure}");
			ExitCode::from(failure.exit_code())
		},
	}
}

/// Lowers the calling thread's priority (nice 10, per thread on Linux) so that, on a machine
/// it shares with the node, the load's signing, submissions and block tracking take the cores
/// the node leaves: the clients of a chain are on other machines, and what is measured is the
/// node. The query sampler's thread keeps its priority, as the explorer it stands for would.
fn yield_cores_to_node() {
	// SAFETY: `setpriority` reads no memory of ours; `PRIO_PROCESS` with 0 is the calling
	// thread, and lowering a priority needs no privilege.
	let lowered = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, LOAD_NICE) };
	if lowered != 0 {
		eprintln!(
			"prov-throughput: the load keeps its priority: {}",
			std::io::Error::last_os_error()
		);
	}
}

/// The nice value of the load's threads (the node's and the sampler's stay at 0).
const LOAD_NICE: libc::c_int = 10;

async fn run(cli: Cli, sampler: queries::Sampler) -> Result<(), Failure> {
	let chain = Arc::new(Chain::connect(&cli.url).await?);
	let mut connections = Vec::new();
	for _ in 0..cli.connections.max(1) {
		connections.push(Arc::new(connect(&cli.url).await?));
	}
	let tracker = tracker::Tracker::start(&cli.url, chain.clone()).await?;
	let mut plan = plan::Plan::new(chain.clone(), cli.accounts).await?;
	eprintln!("prov-throughput: funding {} accounts", cli.accounts);
	plan.fund().await?;

	let mut reports = Vec::new();
	let measure = |reports: &Vec<report::PhaseReport>, phase: load::Phase| {
		eprintln!("prov-throughput: {} ({} transactions)", phase.name, phase.txs.len());
		load::run(reports.len(), phase, &connections, &tracker)
	};

	// The lineage the queries walk.
	let (phase, lineage) = plan.lineage_chain().await?;
	let report = measure(&reports, phase).await;
	reports.push(report);
	let phase = plan.derived_fan(lineage, cli.fan).await?;
	let report = measure(&reports, phase).await;
	reports.push(report);
	let idle_queries = sampler.idle(lineage).await?;

	let phase = plan.transfers(cli.transfers).await?;
	let report = measure(&reports, phase).await;
	reports.push(report);

	// Attestation: attesters bond, a lab declares runs, the attesters commit verdicts on them
	// and, once the commit phase is over, reveal them.
	if cli.runs > 0 {
		let phase = plan.attester_bonds().await?;
		let report = measure(&reports, phase).await;
		reports.push(report);
		let (phase, first_run) = plan.runs(lineage, cli.runs).await?;
		let report = measure(&reports, phase).await;
		reports.push(report);
		let phase = plan.commits(first_run, cli.runs).await?;
		let report = measure(&reports, phase).await;
		reports.push(report);
		let run: serde_json::Value =
			chain.request("provenance_run", rpc_params![first_run]).await?;
		let commit_end = run["commitEnd"]
			.as_u64()
			.ok_or_else(|| Failure::Node(format!("run {first_run}: no commit phase in {run}")))?;
		while u64::from(tracker.heads().0) < commit_end {
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
		let phase = plan.reveals().await?;
		let report = measure(&reports, phase).await;
		reports.push(report);
	}

	// Anchors, single and in batches, with the lineage queries running alongside: both
	// signed first, so that the queries sample the node's load and nothing else.
	let anchors = plan.anchors(cli.anchors, cli.window).await?;
	let batches = plan.anchor_batches(cli.batches, cli.batch_shards, cli.window).await?;
	let stop = Arc::new(AtomicBool::new(false));
	let sampling = sampler.until(lineage, stop.clone());
	for phase in [anchors, batches] {
		let report = measure(&reports, phase).await;
		reports.push(report);
	}
	stop.store(true, std::sync::atomic::Ordering::SeqCst);
	let query_reports = sampling.latencies().await?;

	let phase = plan.checkpoints(cli.checkpoints, cli.window).await?;
	let report = measure(&reports, phase).await;
	reports.push(report);

	let blocks = tracker.blocks();
	if let Some(path) = &cli.node_log {
		let log = std::fs::read_to_string(path)
			.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
		let proposals = report::proposals(&log);
		for report in &mut reports {
			report.add_full_blocks(&blocks, &proposals);
		}
	}
	print!("{}", report::markdown(&reports, &idle_queries, &query_reports));
	if let Some(path) = &cli.json {
		let json = serde_json::json!({
			"phases": reports,
			"idleQueries": idle_queries,
			"queries": query_reports,
			"blocks": blocks,
		});
		std::fs::write(path, serde_json::to_string_pretty(&json).unwrap_or_default())
			.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	}
	Ok(())
}
