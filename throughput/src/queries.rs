//! Lineage queries, on an idle node and while the load runs: `provenance_ancestors` at depth
//! 64, a page of 1,000 `provenance_descendants` and `provenance_taint`, one after another on
//! their own connection, each timed from request to answer.
//!
//! The queries run on a thread and an async runtime of their own, as an explorer would in a
//! process of its own: the load's signing, submissions and block tracking never hold up the
//! task that reads their answers, so what is timed is the node. The thread starts before the
//! load gives up its priority ([`crate::yield_cores_to_node`]), and keeps the one a client on
//! another machine would have.

use crate::report::{Call, QueryReport};
use jsonrpsee::{core::client::ClientT, core::params::ArrayParams, rpc_params};
use provenance_cli::Failure;
use provenance_primitives::{CheckpointId, DatasetId};
use serde_json::{json, Value};
use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		mpsc, Arc,
	},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// The lineage the queries walk: a dataset with many derived datasets, and the deepest
/// checkpoint of a chain of fine-tunes trained on it.
#[derive(Clone, Copy)]
pub struct Lineage {
	pub root: DatasetId,
	pub deepest: CheckpointId,
}

/// Depth of the ancestors query and page size of the descendants query.
pub const DEPTH: u32 = 64;
pub const PAGE: u32 = 1_000;

/// Pause between rounds, so that the queries sample the whole load rather than load it.
const PAUSE: Duration = Duration::from_millis(25);

/// Rounds of the queries on the idle node: what they cost with the cores to themselves.
pub const IDLE_ROUNDS: usize = 200;

/// What a sampling job sends back: the latencies of each query.
type Latencies = Result<Vec<QueryReport>, Failure>;

/// A sampling job, run on the sampler's thread.
type Job = Box<dyn FnOnce() + Send>;

/// The thread the queries run on, one sampling at a time, each on its own connection to `url`.
pub struct Sampler {
	url: String,
	jobs: mpsc::Sender<Job>,
}

/// A sampling under way; [`Sampling::latencies`] once it ends.
pub struct Sampling(mpsc::Receiver<Latencies>);

impl Sampling {
	/// The latencies the sampling measured, once it ends.
	pub async fn latencies(self) -> Latencies {
		let Sampling(answer) = self;
		tokio::task::spawn_blocking(move || answer.recv())
			.await
			.ok()
			.and_then(Result::ok)
			.unwrap_or_else(|| Err(Failure::Node("the query sampler failed".into())))
	}
}

impl Sampler {
	/// Starts the thread, at the priority of the thread that calls this.
	pub fn start(url: &str) -> Self {
		let (jobs, queue) = mpsc::channel::<Job>();
		std::thread::spawn(move || queue.into_iter().for_each(|job| job()));
		Sampler { url: url.to_owned(), jobs }
	}

	/// Queries `lineage` on the idle node, `IDLE_ROUNDS` times.
	pub async fn idle(&self, lineage: Lineage) -> Latencies {
		self.spawn(lineage, |round| round >= IDLE_ROUNDS).latencies().await
	}

	/// Starts querying `lineage` until `stop` is set.
	pub fn until(&self, lineage: Lineage, stop: Arc<AtomicBool>) -> Sampling {
		self.spawn(lineage, move |_| stop.load(Ordering::SeqCst))
	}

	/// Queries `lineage` on the sampler's thread, with a single-threaded runtime and a
	/// connection of its own, round after round until `done` (given the rounds so far) says so.
	fn spawn(&self, lineage: Lineage, done: impl Fn(usize) -> bool + Send + 'static) -> Sampling {
		let url = self.url.clone();
		let (answer, latencies) = mpsc::channel();
		let job: Job = Box::new(move || {
			let measured = tokio::runtime::Builder::new_current_thread()
				.enable_all()
				.build()
				.map_err(|e| Failure::Node(format!("the query sampler's runtime: {e}")))
				.and_then(|runtime| runtime.block_on(sample(&url, lineage, done)));
			// (A sampling nobody waits for any more has nobody to tell.)
			let _ = answer.send(measured);
		});
		// (A thread that is gone drops the answer's sender: `latencies` reports it.)
		let _ = self.jobs.send(job);
		Sampling(latencies)
	}
}

/// Queries `lineage` round after round until `done` (given the rounds so far) says so.
async fn sample(
	url: &str,
	lineage: Lineage,
	done: impl Fn(usize) -> bool,
) -> Result<Vec<QueryReport>, Failure> {
	let client = crate::connect(url).await?;
	let methods: [(&str, ArrayParams); 3] = [
		("provenance_ancestors", rpc_params![json!({ "checkpoint": lineage.deepest }), DEPTH]),
		("provenance_descendants", rpc_params![json!({ "dataset": lineage.root }), 0, PAGE]),
		("provenance_taint", rpc_params![lineage.deepest]),
	];
	let mut calls = vec![Vec::new(); methods.len()];
	let mut items = vec![0; methods.len()];
	let mut rounds = 0;
	while !done(rounds) {
		rounds += 1;
		for (index, (method, params)) in methods.iter().enumerate() {
			let asked_at_ms =
				SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |t| t.as_millis() as u64);
			let started = Instant::now();
			let answer: Result<Value, _> = client.request(method, params.clone()).await;
			let millis = started.elapsed().as_secs_f64() * 1000.0;
			match answer {
				Ok(value) => {
					calls[index].push(Call { asked_at_ms, millis });
					items[index] = item_count(&value);
				},
				Err(error) => eprintln!("prov-throughput: {method}: {error}"),
			}
		}
		tokio::time::sleep(PAUSE).await;
	}
	Ok(methods
		.iter()
		.zip(calls)
		.zip(items)
		.map(|(((method, _), calls), items)| QueryReport::new(method, calls, items))
		.collect())
}

/// Items in an answer: the length of its list (`ancestors`), of its `items` (a page), or of
/// its taint `sources`.
fn item_count(value: &Value) -> usize {
	value
		.as_array()
		.or_else(|| value["items"].as_array())
		.or_else(|| value["sources"].as_array())
		.map_or(0, Vec::len)
}
