//! The load: accounts derived from one seed and funded by Alice, and the transactions of each
//! phase signed up front (round-robin over the accounts, nonces counted here), so that
//! submitting them measures the node and not the signer.

use crate::{load::Phase, queries::Lineage, Tx};
use jsonrpsee::rpc_params;
use provenance_cli::{
	calls::{call, Address, Bytes, Call, ToValue},
	chain::{Chain, Signing},
	fields,
	keys::{self, Key, Signer},
	types::{DatasetOrigin, ParentEdge, Relation},
	Failure,
};
use provenance_primitives::{CheckpointId, DatasetId};
use std::sync::Arc;
use subxt::dynamic::Value;

/// Blocks a load transaction stays valid for: long enough for the longest phase to drain, short
/// enough that one stuck behind a refused predecessor leaves the pool as `Invalid`.
const MORTALITY: u64 = 256;

/// What Alice gives each load account (in planck): enough for the deposits and fees of every
/// phase.
const FUNDING: u128 = 5_000 * UNIT;
const UNIT: u128 = 1_000_000_000_000;

/// The URI of every anchor (ten bytes, as a short content address), its records and bytes.
const URI: &[u8] = b"ipfs://bfy";
const RECORDS: u64 = 1_000;
const BYTES: u64 = 1 << 20;

/// Checkpoints in the chain of fine-tunes the queries walk (the ancestors query's depth).
const LINEAGE_DEPTH: u32 = crate::queries::DEPTH;

pub struct Plan {
	chain: Arc<Chain>,
	keys: Vec<Key>,
	nonces: Vec<u64>,
	/// Makes every hash the load anchors unique.
	counter: u64,
}

impl Plan {
	/// `accounts` load accounts (`//Load//0`…), with their next nonces.
	pub async fn new(chain: Arc<Chain>, accounts: u32) -> Result<Self, Failure> {
		let mut keys = Vec::new();
		let mut nonces = Vec::new();
		for index in 0..accounts.max(1) {
			let key = keys::signer(Some(&format!("//Load//{index}")), None)?;
			let nonce = chain.request("system_accountNextIndex", rpc_params![key.ss58()]).await?;
			keys.push(key);
			nonces.push(nonce);
		}
		Ok(Plan { chain, keys, nonces, counter: 0 })
	}

	/// Alice funds every load account in one `Utility.batch_all`.
	pub async fn fund(&self) -> Result<(), Failure> {
		let transfers = self.keys.iter().map(|key| {
			let dest = Address(key.account());
			let value = FUNDING;
			as_value(&call("Balances", "transfer_keep_alive", fields![dest, value]))
		});
		let calls = Value::unnamed_composite(transfers);
		let batch = call("Utility", "batch_all", [("calls", calls)]);
		let alice = Signer::new(keys::signer(Some("alice"), None)?, None);
		self.chain.submit(&batch, &alice, false).await?;
		Ok(())
	}

	/// A dataset and a chain of [`LINEAGE_DEPTH`] fine-tunes trained on it, all by the first
	/// account (in nonce order, so each parent exists when its child is registered).
	pub async fn lineage_chain(&mut self) -> Result<(Phase, Lineage), Failure> {
		let signing = self.chain.signing_at_best().await?;
		let (hash, _) = self.chain.best().await?;
		let root: DatasetId =
			self.chain.fetch(("Datasets", "NextDatasetId"), (), hash).await?.unwrap_or(0);
		let first: CheckpointId =
			self.chain.fetch(("Checkpoints", "NextCheckpointId"), (), hash).await?.unwrap_or(0);
		let mut calls = vec![self.anchor(DatasetOrigin::Human)];
		for depth in 0..LINEAGE_DEPTH {
			let checkpoint = CheckpointId::from(depth);
			let (parents, datasets) = match checkpoint {
				0 => (vec![], vec![root]),
				_ => (vec![fine_tune(first + checkpoint - 1)], vec![]),
			};
			calls.push(self.checkpoint(parents, datasets));
		}
		let txs =
			calls.iter().map(|call| self.sign(&signing, 0, call)).collect::<Result<Vec<_>, _>>()?;
		let lineage = Lineage { root, deepest: first + CheckpointId::from(LINEAGE_DEPTH) - 1 };
		let phase = Phase {
			name: "lineage".into(),
			kind: "1 anchor + 64 checkpoints, one account",
			txs,
			window: None,
			records_per_tx: 1,
		};
		Ok((phase, lineage))
	}

	/// `count` datasets derived from the lineage's root, by all accounts.
	pub async fn derived_fan(&mut self, lineage: Lineage, count: u32) -> Result<Phase, Failure> {
		let parents = vec![lineage.root];
		self.round_robin("derived", "Datasets.register (derived)", count, None, |plan| {
			let transform_hash = plan.unique();
			plan.anchor(DatasetOrigin::Derived { parents: parents.clone(), transform_hash })
		})
		.await
	}

	/// `count` transfers between the load accounts, all at once.
	pub async fn transfers(&mut self, count: u32) -> Result<Phase, Failure> {
		let accounts = self.keys.iter().map(Key::account).collect::<Vec<_>>();
		let mut next = 0;
		self.round_robin("transfers burst", "Balances.transfer_keep_alive", count, None, |_| {
			next += 1;
			let dest = Address(accounts[next % accounts.len()]);
			let value = UNIT;
			call("Balances", "transfer_keep_alive", fields![dest, value])
		})
		.await
	}

	/// `count` single anchors of human data.
	pub async fn anchors(&mut self, count: u32, window: u64) -> Result<Phase, Failure> {
		self.round_robin("anchors", "Datasets.register", count, Some(window), |plan| {
			plan.anchor(DatasetOrigin::Human)
		})
		.await
	}

	/// `batches` batch registrations of `shards` human-data shards each, with at most
	/// `window` shards accepted and not yet included at a time.
	pub async fn anchor_batches(
		&mut self,
		batches: u32,
		shards: u32,
		window: u64,
	) -> Result<Phase, Failure> {
		let name = format!("anchor batches of {shards}");
		let window = Some((window / u64::from(shards.max(1))).max(1));
		let mut phase = self
			.round_robin(&name, "Datasets.register_batch", batches, window, |plan| {
				let shards = Value::unnamed_composite((0..shards).map(|_| plan.shard()));
				let commercial = false.to_value();
				call("Datasets", "register_batch", [("shards", shards), ("commercial", commercial)])
			})
			.await?;
		phase.records_per_tx = shards;
		Ok(phase)
	}

	/// `count` registrations of base checkpoints (no parent checkpoint, no dataset).
	pub async fn checkpoints(&mut self, count: u32, window: u64) -> Result<Phase, Failure> {
		self.round_robin("checkpoints", "Checkpoints.register", count, Some(window), |plan| {
			plan.checkpoint(vec![], vec![])
		})
		.await
	}

	/// `count` calls made by `make`, signed round-robin by the accounts.
	async fn round_robin(
		&mut self,
		name: &str,
		kind: &'static str,
		count: u32,
		window: Option<u64>,
		mut make: impl FnMut(&mut Self) -> Call,
	) -> Result<Phase, Failure> {
		let signing = self.chain.signing_at_best().await?;
		let mut txs = Vec::with_capacity(count as usize);
		for index in 0..count as usize {
			let call = make(self);
			txs.push(self.sign(&signing, index % self.keys.len(), &call)?);
		}
		Ok(Phase { name: name.into(), kind, txs, window, records_per_tx: 1 })
	}

	fn sign(&mut self, signing: &Signing, account: usize, call: &Call) -> Result<Tx, Failure> {
		let nonce = self.nonces[account];
		let signed = signing.sign(call, &self.keys[account], nonce, MORTALITY)?;
		self.nonces[account] += 1;
		Ok(Tx { hash: signed.hash().0, hex: provenance_cli::to_hex(signed.encoded()) })
	}

	/// A hash no other transaction of the load uses.
	fn unique(&mut self) -> [u8; 32] {
		self.counter += 1;
		sp_crypto_hashing::blake2_256(&self.counter.to_le_bytes())
	}

	fn anchor(&mut self, data_origin: DatasetOrigin) -> Call {
		let root = self.unique();
		let (record_count, byte_size, uri) = (RECORDS, BYTES, Bytes(URI.to_vec()));
		let (metadata_hash, commercial, max_stack_bps) = ([0u8; 32], false, None::<u16>);
		call(
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
				max_stack_bps
			],
		)
	}

	/// A shard of a batch registration (`ShardInput`), with the fields of [`Plan::anchor`].
	fn shard(&mut self) -> Value {
		let root = self.unique();
		let (record_count, byte_size, uri) = (RECORDS, BYTES, Bytes(URI.to_vec()));
		let metadata_hash = [0u8; 32];
		Value::named_composite(fields![root, record_count, byte_size, uri, metadata_hash])
	}

	fn checkpoint(&mut self, parents: Vec<ParentEdge>, datasets: Vec<DatasetId>) -> Call {
		let weights_hash = self.unique();
		let excludes: Vec<provenance_primitives::AssetRef> = vec![];
		let (uri, metadata_hash, commercial) = (Bytes(URI.to_vec()), [0u8; 32], false);
		let max_stack_bps = None::<u16>;
		call(
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
				max_stack_bps
			],
		)
	}
}

fn fine_tune(checkpoint: CheckpointId) -> ParentEdge {
	ParentEdge { checkpoint, relation: Relation::FineTune }
}

/// A call as the value of a `RuntimeCall` argument (`Utility.batch_all`'s `calls`).
fn as_value(call: &Call) -> Value {
	Value::unnamed_variant(
		call.pallet_name(),
		[Value::variant(call.call_name(), call.call_data().clone())],
	)
}
