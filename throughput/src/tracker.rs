//! Follows the node's best and finalized blocks and finds the load's transactions in them: by
//! the hash of each extrinsic of each best block, as an explorer would, with the block's
//! timestamp, consumed weight and failed extrinsics.

use crate::{connect, TxHash};
use jsonrpsee::{
	core::client::{ClientT, SubscriptionClientT},
	rpc_params,
	ws_client::WsClient,
};
use provenance_cli::{chain::Chain, Failure};
use scale_decode::DecodeAsType;
use serde::Serialize;
use serde_json::Value;
use sp_core::H256;
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
};

/// A block the load ran through.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockRecord {
	pub number: u32,
	pub timestamp_ms: u64,
	pub extrinsics: usize,
	/// Bytes of the extrinsics.
	pub length: usize,
	/// Consumed weight of all dispatch classes, in picoseconds of reference time.
	pub weight_ps: u64,
	/// The load's transactions in the block, per phase.
	pub included: HashMap<usize, u32>,
	/// Of those, the ones that failed in dispatch, per phase.
	pub failed: HashMap<usize, u32>,
}

#[derive(Default)]
struct State {
	/// The phase each submitted transaction belongs to.
	expected: HashMap<TxHash, usize>,
	/// Transactions of the load found in a best block, and its number.
	included: HashMap<usize, u64>,
	blocks: Vec<BlockRecord>,
	best: u32,
	finalized: u32,
	/// The largest best - finalized seen at a new best block, per phase running then.
	max_lag: HashMap<usize, u32>,
	running: Option<usize>,
}

/// The blocks seen so far and where the load's transactions landed.
#[derive(Clone)]
pub struct Tracker {
	state: Arc<Mutex<State>>,
}

/// `System.BlockWeight`: the weight consumed per dispatch class.
#[derive(DecodeAsType)]
struct PerClass {
	normal: Weight,
	operational: Weight,
	mandatory: Weight,
}

#[derive(DecodeAsType)]
struct Weight {
	ref_time: u64,
	#[allow(dead_code)]
	proof_size: u64,
}

impl Tracker {
	/// Starts following `url`'s blocks from the current best one on.
	pub async fn start(url: &str, chain: Arc<Chain>) -> Result<Self, Failure> {
		let (_, best) = chain.best().await?;
		let state = Arc::new(Mutex::new(State { best, finalized: best, ..State::default() }));
		let tracker = Tracker { state };
		let heads = connect(url).await?;
		let finalized = connect(url).await?;
		tokio::spawn(tracker.clone().follow_best(heads, chain));
		tokio::spawn(tracker.clone().follow_finalized(finalized));
		Ok(tracker)
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, State> {
		self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// Starts phase `phase`: its transactions are looked for in the blocks from now on.
	pub fn expect(&self, phase: usize, hashes: impl IntoIterator<Item = TxHash>) {
		let mut state = self.lock();
		state.expected.extend(hashes.into_iter().map(|hash| (hash, phase)));
		state.running = Some(phase);
	}

	/// Transactions of `phase` found in blocks so far.
	pub fn included(&self, phase: usize) -> u64 {
		self.lock().included.get(&phase).copied().unwrap_or(0)
	}

	/// The best and finalized block numbers.
	pub fn heads(&self) -> (u32, u32) {
		let state = self.lock();
		(state.best, state.finalized)
	}

	/// The blocks seen so far (those that held the load and those between).
	pub fn blocks(&self) -> Vec<BlockRecord> {
		self.lock().blocks.clone()
	}

	/// The largest finality lag seen while `phase` ran.
	pub fn max_lag(&self, phase: usize) -> u32 {
		self.lock().max_lag.get(&phase).copied().unwrap_or(0)
	}

	async fn follow_best(self, client: WsClient, chain: Arc<Chain>) {
		if let Err(failure) = self.follow_best_inner(client, chain).await {
			eprintln!("prov-throughput: following the best blocks stopped: {failure}");
		}
	}

	async fn follow_best_inner(&self, client: WsClient, chain: Arc<Chain>) -> Result<(), Failure> {
		let node = |e: &dyn std::fmt::Display| Failure::Node(format!("best blocks: {e}"));
		let mut heads = client
			.subscribe::<Value, _>(
				"chain_subscribeNewHeads",
				rpc_params![],
				"chain_unsubscribeNewHeads",
			)
			.await
			.map_err(|e| node(&e))?;
		let mut next = self.lock().best + 1;
		while let Some(header) = heads.next().await {
			let header = header.map_err(|e| node(&e))?;
			let number = block_number(&header).ok_or_else(|| node(&"a header without number"))?;
			while next <= number {
				let (mut record, hash, hashes) = read_block(&client, &chain, next).await?;
				let ours: HashMap<u32, usize> = {
					let state = self.lock();
					let phase_of = |(index, tx)| Some((index as u32, *state.expected.get(tx)?));
					hashes.iter().enumerate().filter_map(phase_of).collect()
				};
				for phase in ours.values() {
					*record.included.entry(*phase).or_default() += 1;
				}
				if !ours.is_empty() {
					for index in chain.failed_extrinsics(hash).await? {
						if let Some(phase) = ours.get(&index) {
							*record.failed.entry(*phase).or_default() += 1;
						}
					}
				}
				let mut state = self.lock();
				for (phase, count) in &record.included {
					*state.included.entry(*phase).or_default() += u64::from(*count);
				}
				state.best = next;
				let lag = next.saturating_sub(state.finalized);
				if let Some(phase) = state.running {
					let max = state.max_lag.entry(phase).or_default();
					*max = (*max).max(lag);
				}
				state.blocks.push(record);
				next += 1;
			}
		}
		Err(node(&"the node ended the subscription"))
	}

	async fn follow_finalized(self, client: WsClient) {
		let subscription = client
			.subscribe::<Value, _>(
				"chain_subscribeFinalizedHeads",
				rpc_params![],
				"chain_unsubscribeFinalizedHeads",
			)
			.await;
		let Ok(mut heads) = subscription else {
			eprintln!("prov-throughput: cannot follow the finalized blocks");
			return;
		};
		while let Some(Ok(header)) = heads.next().await {
			if let Some(number) = block_number(&header) {
				let mut state = self.lock();
				state.finalized = state.finalized.max(number);
			}
		}
	}
}

fn block_number(header: &Value) -> Option<u32> {
	header["number"]
		.as_str()
		.and_then(|hex| u32::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
}

/// Block `number` of the best chain, its hash and the hashes of its extrinsics in order.
async fn read_block(
	client: &WsClient,
	chain: &Chain,
	number: u32,
) -> Result<(BlockRecord, H256, Vec<TxHash>), Failure> {
	let node = |e: &dyn std::fmt::Display| Failure::Node(format!("block #{number}: {e}"));
	let hash: H256 =
		client.request("chain_getBlockHash", rpc_params![number]).await.map_err(|e| node(&e))?;
	let block: Value =
		client.request("chain_getBlock", rpc_params![hash]).await.map_err(|e| node(&e))?;
	let extrinsics = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
	let mut length = 0;
	let mut hashes = Vec::with_capacity(extrinsics.len());
	for extrinsic in &extrinsics {
		let bytes = hex::decode(extrinsic.as_str().unwrap_or_default().trim_start_matches("0x"))
			.map_err(|e| node(&e))?;
		length += bytes.len();
		hashes.push(sp_crypto_hashing::blake2_256(&bytes));
	}
	let timestamp_ms = chain.fetch::<(), u64>(("Timestamp", "Now"), (), hash).await?.unwrap_or(0);
	let weight: Option<PerClass> = chain.fetch(("System", "BlockWeight"), (), hash).await?;
	let weight_ps = weight.map_or(0, |w| {
		w.normal
			.ref_time
			.saturating_add(w.operational.ref_time)
			.saturating_add(w.mandatory.ref_time)
	});
	let record = BlockRecord {
		number,
		timestamp_ms,
		extrinsics: hashes.len(),
		length,
		weight_ps,
		included: HashMap::new(),
		failed: HashMap::new(),
	};
	Ok((record, hash, hashes))
}
