//! The load: accounts derived from one seed and funded by Alice, and the transactions of each
//! phase signed up front (round-robin over the accounts, nonces counted here), so that
//! submitting them measures the node and not the signer.

use crate::{load::Phase, queries::Lineage, Tx};
use jsonrpsee::rpc_params;
use provenance_cli::{
	calls::{as_value, call, Address, Bytes, Call, ToValue, TrainingRun},
	chain::{Chain, Signing},
	fields,
	keys::{self, Key, Signer},
	types::{self, DatasetOrigin, ParentEdge, Relation, Statement, Verdict},
	Failure,
};
use provenance_primitives::{merkle::Hash, CheckpointId, DatasetId, RunId};
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

/// What each attester bonds: the development chain's `min_stake`.
const ATTESTER_BOND: u128 = 1_000 * UNIT;
/// What each training run pays the attesters whose verdict stands.
const RUN_REWARD: u128 = UNIT;
/// Blocks from signing the runs to the end of their commit phase: the runs' own inclusion and
/// the development chain's `min_commit_period` (5 blocks), with room for every commitment.
const COMMIT_BLOCKS: u32 = 12;
/// The development chain's `reveal_period`: the reveal phase follows the commit phase.
const REVEAL_BLOCKS: u32 = 5;

/// An attester's verdict on a run: committed in one phase, revealed in the next.
struct Vote {
	account: usize,
	run: RunId,
	statement: Statement,
	salt: Hash,
}

pub struct Plan {
	chain: Arc<Chain>,
	keys: Vec<Key>,
	nonces: Vec<u64>,
	/// Makes every hash the load anchors unique.
	counter: u64,
	/// The verdicts committed and not yet revealed.
	votes: Vec<Vote>,
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
		Ok(Plan { chain, keys, nonces, counter: 0, votes: Vec::new() })
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
		let phase = Phase::all_at_once("lineage", "1 anchor + 64 checkpoints, one account", txs);
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

	/// Every account but the first (the lab of the runs) bonds [`ATTESTER_BOND`] and becomes
	/// an attester.
	pub async fn attester_bonds(&mut self) -> Result<Phase, Failure> {
		let signing = self.chain.signing_at_best().await?;
		let amount = ATTESTER_BOND;
		let bond = call("Attestations", "bond", fields![amount]);
		let txs = (1..self.keys.len())
			.map(|account| self.sign(&signing, account, &bond))
			.collect::<Result<Vec<_>, _>>()?;
		Ok(Phase::all_at_once("attester bonds", "Attestations.bond", txs))
	}

	/// `count` training runs on the lineage's root, declared by the first account, whose commit
	/// phase ends [`COMMIT_BLOCKS`] after the best block. Returns them with their first id.
	pub async fn runs(&mut self, lineage: Lineage, count: u32) -> Result<(Phase, RunId), Failure> {
		let signing = self.chain.signing_at_best().await?;
		let (hash, best) = self.chain.best().await?;
		let first: RunId =
			self.chain.fetch(("Attestations", "NextRunId"), (), hash).await?.unwrap_or(0);
		let deadline = best + COMMIT_BLOCKS + REVEAL_BLOCKS;
		let mut txs = Vec::with_capacity(count as usize);
		for _ in 0..count {
			let run = TrainingRun {
				datasets: vec![lineage.root],
				base_checkpoints: Vec::new(),
				config_hash: self.unique(),
				code_hash: self.unique(),
				environment_hash: self.unique(),
				statement_digest: self.unique(),
				weights_hash: self.unique(),
				training_log_root: self.unique(),
				reward: RUN_REWARD,
				deadline,
			};
			txs.push(self.sign(&signing, 0, &run.declare())?);
		}
		Ok((Phase::all_at_once("training runs", "Attestations.declare_run", txs), first))
	}

	/// Every attester commits a `Valid` verdict on each of the `count` runs from `first`, each
	/// with its own salt (kept for [`Plan::reveals`]).
	pub async fn commits(&mut self, first: RunId, count: u32) -> Result<Phase, Failure> {
		let signing = self.chain.signing_at_best().await?;
		let mut txs = Vec::new();
		for run in first..first + RunId::from(count) {
			let declared: serde_json::Value =
				self.chain.request("provenance_run", rpc_params![run]).await?;
			let output_hash = declared["outputHash"]
				.as_str()
				.and_then(|hex| provenance_cli::parse_hash(hex).ok())
				.ok_or_else(|| Failure::Node(format!("run {run}: not declared ({declared})")))?;
			let statement =
				Statement { verdict: Verdict::Valid, output_hash, report_hash: [0; 32] };
			for account in 1..self.keys.len() {
				let salt = self.unique();
				let commitment =
					types::commitment(run, &self.keys[account].account(), &statement, &salt);
				txs.push(self.sign(
					&signing,
					account,
					&call("Attestations", "commit_verdict", fields![run, commitment]),
				)?);
				self.votes.push(Vote { account, run, statement, salt });
			}
		}
		Ok(Phase::all_at_once("verdict commits", "Attestations.commit_verdict", txs))
	}

	/// Every committed verdict revealed.
	pub async fn reveals(&mut self) -> Result<Phase, Failure> {
		let signing = self.chain.signing_at_best().await?;
		let votes = std::mem::take(&mut self.votes);
		let txs = votes
			.iter()
			.map(|Vote { account, run, statement, salt }| {
				let reveal = call("Attestations", "reveal_verdict", fields![run, statement, salt]);
				self.sign(&signing, *account, &reveal)
			})
			.collect::<Result<Vec<_>, _>>()?;
		Ok(Phase::all_at_once("verdict reveals", "Attestations.reveal_verdict", txs))
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
