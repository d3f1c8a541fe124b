//! Lineage queries, on an idle node and while the load runs: `provenance_ancestors` at depth
//! 64, a page of 1,000 `provenance_descendants` and `provenance_taint`, one after another on
//! their own connection, each timed from request to answer.

use crate::report::QueryReport;
use jsonrpsee::{
	core::client::ClientT, core::params::ArrayParams, rpc_params, ws_client::WsClient,
};
use provenance_primitives::{CheckpointId, DatasetId};
use serde_json::{json, Value};
use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
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

/// Queries `lineage` on the idle node, `IDLE_ROUNDS` times.
pub async fn sample_idle(client: WsClient, lineage: Lineage) -> Vec<QueryReport> {
	sample(client, lineage, |round| round >= IDLE_ROUNDS).await
}

/// Queries `lineage` until `stop` is set.
pub async fn sample_under_load(
	client: WsClient,
	lineage: Lineage,
	stop: Arc<AtomicBool>,
) -> Vec<QueryReport> {
	sample(client, lineage, |_| stop.load(Ordering::SeqCst)).await
}

/// Queries `lineage` round after round until `done` (given the rounds so far) says so.
async fn sample(
	client: WsClient,
	lineage: Lineage,
	done: impl Fn(usize) -> bool,
) -> Vec<QueryReport> {
	let methods: [(&str, ArrayParams); 3] = [
		("provenance_ancestors", rpc_params![json!({ "checkpoint": lineage.deepest }), DEPTH]),
		("provenance_descendants", rpc_params![json!({ "dataset": lineage.root }), 0, PAGE]),
		("provenance_taint", rpc_params![lineage.deepest]),
	];
	let mut latencies = vec![Vec::new(); methods.len()];
	let mut items = vec![0; methods.len()];
	let mut rounds = 0;
	while !done(rounds) {
		rounds += 1;
		for (index, (method, params)) in methods.iter().enumerate() {
			let started = Instant::now();
			let answer: Result<Value, _> = client.request(method, params.clone()).await;
			let millis = started.elapsed().as_secs_f64() * 1000.0;
			match answer {
				Ok(value) => {
					latencies[index].push(millis);
					items[index] = item_count(&value);
				},
				Err(error) => eprintln!("prov-throughput: {method}: {error}"),
			}
		}
		tokio::time::sleep(PAUSE).await;
	}
	methods
		.iter()
		.zip(latencies)
		.zip(items)
		.map(|(((method, _), millis), items)| QueryReport::new(method, millis, items))
		.collect()
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
