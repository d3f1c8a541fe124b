//! One phase of load: pre-signed transactions submitted over JSON-RPC as fast as the node takes
//! them (or keeping at most a window of them in its pool), then followed until every accepted
//! one is in a block, or the chain stops including them.

use crate::{
	report::{PhaseReport, Refusal},
	tracker::Tracker,
	Tx,
};
use futures::StreamExt;
use jsonrpsee::{core::client::ClientT, rpc_params, ws_client::WsClient};
use std::{
	collections::BTreeMap,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

/// Requests in flight per connection.
const IN_FLIGHT_PER_CONNECTION: usize = 128;

/// Blocks without a new inclusion, once everything is submitted, after which the accepted
/// transactions still missing are counted as lost.
const STALL_BLOCKS: u32 = 5;

/// A phase: its name, what its transactions do, and them, in submission order.
pub struct Phase {
	pub name: String,
	pub kind: &'static str,
	pub txs: Vec<Tx>,
	/// At most this many accepted and not yet included at a time (`None`: all at once).
	pub window: Option<u64>,
	/// Records each transaction anchors (shards of a batch; 1 for the others).
	pub records_per_tx: u32,
}

impl Phase {
	/// `txs`, one record each, submitted all at once.
	pub fn all_at_once(name: &str, kind: &'static str, txs: Vec<Tx>) -> Self {
		Phase { name: name.into(), kind, txs, window: None, records_per_tx: 1 }
	}
}

/// Submits `phase` through `connections` and follows it to the end.
pub async fn run(
	id: usize,
	phase: Phase,
	connections: &[Arc<WsClient>],
	tracker: &Tracker,
) -> PhaseReport {
	let total = phase.txs.len() as u64;
	tracker.expect(id, phase.txs.iter().map(|tx| tx.hash));
	let (_, finalized_before) = tracker.heads();
	let started = Instant::now();
	let accepted = Arc::new(AtomicU64::new(0));
	let refusals = submit_all(id, &phase, connections, tracker, &accepted).await;
	let submit_time = started.elapsed();
	let accepted = accepted.load(Ordering::SeqCst);

	// Wait for the accepted ones, until they are all in or the chain stops including them.
	let (mut last_count, mut last_progress) = (tracker.included(id), tracker.heads().0);
	loop {
		let included = tracker.included(id);
		let (best, _) = tracker.heads();
		if included >= accepted {
			break;
		}
		if included > last_count {
			(last_count, last_progress) = (included, best);
		} else if best >= last_progress + STALL_BLOCKS {
			break;
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	// And for finality to reach the last block that held some.
	let blocks = tracker.blocks();
	let last = blocks.iter().rev().find(|b| b.included.contains_key(&id)).map(|b| b.number);
	let finality_wait = Instant::now();
	if let Some(last) = last {
		while tracker.heads().1 < last && finality_wait.elapsed() < Duration::from_secs(60) {
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}
	let (_, finalized) = tracker.heads();
	PhaseReport::new(
		id,
		&phase,
		total,
		accepted,
		refusals,
		submit_time,
		&tracker.blocks(),
		finalized.max(finalized_before),
		tracker.max_lag(id),
	)
}

/// Submits every transaction of `phase`, counting those the node accepts; returns why the
/// others were refused.
async fn submit_all(
	id: usize,
	phase: &Phase,
	connections: &[Arc<WsClient>],
	tracker: &Tracker,
	accepted: &Arc<AtomicU64>,
) -> BTreeMap<String, Refusal> {
	let in_flight = IN_FLIGHT_PER_CONNECTION * connections.len();
	let results = futures::stream::iter(phase.txs.iter().enumerate())
		.map(|(index, tx)| {
			let client = connections[index % connections.len()].clone();
			let accepted = accepted.clone();
			async move {
				if let Some(window) = phase.window {
					while accepted.load(Ordering::SeqCst).saturating_sub(tracker.included(id))
						>= window
					{
						tokio::time::sleep(Duration::from_millis(20)).await;
					}
				}
				let result: Result<String, _> =
					client.request("author_submitExtrinsic", rpc_params![&tx.hex]).await;
				match result {
					Ok(_) => {
						accepted.fetch_add(1, Ordering::SeqCst);
						None
					},
					Err(error) => Some(error.to_string()),
				}
			}
		})
		.buffer_unordered(in_flight)
		.collect::<Vec<_>>()
		.await;
	let mut refusals = BTreeMap::<String, Refusal>::new();
	for reason in results.into_iter().flatten() {
		refusals.entry(reason).or_default().count += 1;
	}
	refusals
}
