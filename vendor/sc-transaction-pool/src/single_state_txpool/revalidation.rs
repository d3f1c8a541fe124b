// This file is part of Substrate.

// Copyright (C) Parity Technologies (UK) Ltd.
// SPDX-License-Identifier: GPL-3.0-or-later WITH Classpath-exception-2.0

// This program is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.

// This program is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the
// GNU General Public License for more details.

// You should have received a copy of the GNU General Public License
// along with this program. If not, see <https://www.gnu.org/licenses/>.

//! Pool periodic revalidation.

use crate::graph::{
	base_pool::Transaction, BlockHash, ChainApi, ExtrinsicHash, ValidateTransactionPriority,
	ValidatedTransaction,
};
use futures::prelude::*;
use indexmap::IndexMap;
use sc_utils::mpsc::{tracing_unbounded, TracingUnboundedReceiver, TracingUnboundedSender};
use sp_runtime::{
	generic::BlockId,
	traits::SaturatedConversion,
	transaction_validity::{TransactionValidityError, ValidTransaction},
};
use std::{
	collections::{BTreeMap, HashMap, HashSet},
	pin::Pin,
	sync::Arc,
	time::Duration,
};
use tracing::{debug, trace, warn};

const BACKGROUND_REVALIDATION_INTERVAL: Duration = Duration::from_millis(200);

const MIN_BACKGROUND_REVALIDATION_BATCH_SIZE: usize = 20;

/// Rounds (best blocks the pool is told of) between two validations of a ready transaction that
/// another ready transaction provides for (a later nonce of a sender with an earlier one ready),
/// counted from the round its last validation found it valid in; its validation at
/// submission (or its promotion from the future queue) counts as the round it is first seen
/// ready in. Transactions nothing ready provides for (a sender's first) are validated again
/// every round: a block that spends its sender's balance or upgrades the runtime shows there,
/// and a failed validation removes the sender's later transactions with it. A later nonce that
/// stops being valid while its sender's first still is (its own fee no longer payable) waits
/// for the period, or for the first's inclusion (vendor/README.md of provenance-chain).
const REVALIDATION_PERIOD: u64 = 10;

const LOG_TARGET: &str = "txpool::revalidation";

type Pool<Api> = crate::graph::Pool<Api, ()>;

/// A ready transaction offered for revalidation after a best block.
pub struct ReadyTransaction<Hash> {
	hash: Hash,
	/// Nothing else ready provides a tag it requires: its sender's first.
	head: bool,
}

/// The pool's ready transactions, each marked whether it heads its sender's chain, from one
/// pass over the ready set.
pub fn ready_transactions<Api: ChainApi>(
	pool: &Pool<Api>,
) -> Vec<ReadyTransaction<ExtrinsicHash<Api>>> {
	let ready: Vec<_> = pool.validated_pool().ready().collect();
	let provided: HashSet<_> = ready.iter().flat_map(|tx| tx.provides.iter()).collect();
	ready
		.iter()
		.map(|tx| ReadyTransaction {
			hash: tx.hash,
			head: !tx.requires.iter().any(|tag| provided.contains(tag)),
		})
		.collect()
}

/// Payload from queue to worker.
struct WorkerPayload<Api: ChainApi> {
	at: BlockHash<Api>,
	transactions: Vec<ReadyTransaction<ExtrinsicHash<Api>>>,
}

/// Async revalidation worker.
///
/// Implements future and can be spawned in place or in background.
struct RevalidationWorker<Api: ChainApi> {
	api: Arc<Api>,
	pool: Arc<Pool<Api>>,
	best_block: BlockHash<Api>,
	block_ordered: BTreeMap<BlockHash<Api>, HashSet<ExtrinsicHash<Api>>>,
	members: HashMap<ExtrinsicHash<Api>, BlockHash<Api>>,
	/// The queued transactions that were heads at the latest round.
	queued_heads: HashSet<ExtrinsicHash<Api>>,
	/// Best blocks seen (one payload each).
	round: u64,
	/// The round each ready transaction was first seen in or (later) last found valid in.
	validated_in: HashMap<ExtrinsicHash<Api>, u64>,
}

impl<Api: ChainApi> Unpin for RevalidationWorker<Api> {}

/// Revalidate batch of transaction.
///
/// Each transaction is validated  against chain, and invalid are
/// removed from the `pool`, while valid are resubmitted if their validity changed. Returns the
/// transactions found valid: the others left the pool, or are to be tried again.
async fn batch_revalidate<Api: ChainApi>(
	pool: Arc<Pool<Api>>,
	api: Arc<Api>,
	at: BlockHash<Api>,
	batch: impl IntoIterator<Item = ReadyTransaction<ExtrinsicHash<Api>>>,
) -> Vec<ExtrinsicHash<Api>> {
	// This conversion should work. Otherwise, for unknown block the revalidation shall be skipped,
	// all the transactions will be kept in the validated pool, and can be scheduled for
	// revalidation with the next request.
	let block_number = match api.block_id_to_number(&BlockId::Hash(at)) {
		Ok(Some(n)) => n,
		Ok(None) => {
			trace!(
				target: LOG_TARGET,
				?at,
				"Revalidation skipped: could not get block number"
			);
			return Vec::new();
		},
		Err(error) => {
			trace!(
				target: LOG_TARGET,
				?at,
				?error,
				"Revalidation skipped."
			);
			return Vec::new();
		},
	};

	let mut invalid_hashes = Vec::new();
	let mut revalidated = IndexMap::new();
	let mut valid = Vec::new();

	let validation_results = futures::future::join_all(batch.into_iter().filter_map(|queued| {
		let ReadyTransaction { hash: ext_hash, head } = queued;
		pool.validated_pool().ready_by_hash(&ext_hash).map(|ext| {
			api.validate_transaction(
				at,
				ext.source.clone().into(),
				ext.data.clone(),
				ValidateTransactionPriority::Submitted,
			)
			.map(move |validation_result| (validation_result, ext_hash, ext, head))
		})
	}))
	.await;

	for (validation_result, tx_hash, ext, head) in validation_results {
		match validation_result {
			Ok(Err(TransactionValidityError::Invalid(error))) => {
				trace!(
					target: LOG_TARGET,
					?tx_hash,
					?error,
					"Revalidation: invalid."
				);
				invalid_hashes.push(tx_hash);
			},
			Ok(Err(TransactionValidityError::Unknown(error))) => {
				// skipping unknown, they might be pushed by valid or invalid transaction
				// when latter resubmitted.
				trace!(
					target: LOG_TARGET,
					?tx_hash,
					?error,
					"Unknown during revalidation."
				);
			},
			Ok(Ok(validity))
				if unchanged(&*ext, head, &validity, block_number.saturated_into()) =>
			{
				trace!(
					target: LOG_TARGET,
					?tx_hash,
					"Revalidation: valid as it was, kept in place."
				);
				valid.push(tx_hash);
			},
			Ok(Ok(validity)) => {
				valid.push(tx_hash);
				revalidated.insert(
					tx_hash,
					ValidatedTransaction::valid_at(
						block_number.saturated_into::<u64>(),
						tx_hash,
						ext.source.clone(),
						ext.data.clone(),
						api.hash_and_length(&ext.data).1,
						validity,
					),
				);
			},
			Err(error) => {
				trace!(
					target: LOG_TARGET,
					?tx_hash,
					?error,
					"Removing due to error during revalidation."
				);
				invalid_hashes.push(tx_hash);
			},
		}
	}

	pool.validated_pool().remove_invalid(&invalid_hashes);
	if revalidated.len() > 0 {
		pool.resubmit(revalidated);
	}
	valid
}

/// Whether `validity`, found at block `at`, is what the pool holds for `ready` already:
/// resubmitting it would take its sender's later transactions out and put them back unchanged,
/// under the pool's write lock, behind transactions of the same priority that came later. Not
/// for a `head` (nothing ready provides for it) that still requires a tag: its predecessor is
/// neither on chain nor ready (say a re-organisation retracted it and it did not come back), and
/// resubmitted it goes to the future queue to wait for it, as upstream's resubmission put it.
fn unchanged<Hash, Extrinsic>(
	ready: &Transaction<Hash, Extrinsic>,
	head: bool,
	validity: &ValidTransaction,
	at: u64,
) -> bool {
	!(head && !validity.requires.is_empty())
		&& ready.priority == validity.priority
		&& ready.requires == validity.requires
		&& ready.provides == validity.provides
		&& ready.propagate == validity.propagate
		&& ready.valid_till == at.saturating_add(validity.longevity)
}

impl<Api: ChainApi> RevalidationWorker<Api> {
	fn new(api: Arc<Api>, pool: Arc<Pool<Api>>, best_block: BlockHash<Api>) -> Self {
		Self {
			api,
			pool,
			best_block,
			block_ordered: Default::default(),
			members: Default::default(),
			queued_heads: Default::default(),
			round: 0,
			validated_in: Default::default(),
		}
	}

	fn prepare_batch(&mut self) -> Vec<ReadyTransaction<ExtrinsicHash<Api>>> {
		let mut queued_exts = Vec::new();
		let mut left =
			std::cmp::max(MIN_BACKGROUND_REVALIDATION_BATCH_SIZE, self.members.len() / 4);

		// Take maximum of count transaction by order
		// which they got into the pool
		while left > 0 {
			let first_block = match self.block_ordered.keys().next().cloned() {
				Some(bn) => bn,
				None => break,
			};
			let mut block_drained = false;
			if let Some(extrinsics) = self.block_ordered.get_mut(&first_block) {
				let to_queue = extrinsics.iter().take(left).cloned().collect::<Vec<_>>();
				if to_queue.len() == extrinsics.len() {
					block_drained = true;
				} else {
					for xt in &to_queue {
						extrinsics.remove(xt);
					}
				}
				left -= to_queue.len();
				queued_exts.extend(to_queue);
			}

			if block_drained {
				self.block_ordered.remove(&first_block);
			}
		}

		queued_exts
			.into_iter()
			.map(|hash| {
				self.members.remove(&hash);
				ReadyTransaction { hash, head: self.queued_heads.remove(&hash) }
			})
			.collect()
	}

	fn len(&self) -> usize {
		self.block_ordered.iter().map(|b| b.1.len()).sum()
	}

	fn push(&mut self, worker_payload: WorkerPayload<Api>) {
		// we don't add something that already scheduled for revalidation
		let transactions = worker_payload.transactions;
		let block_number = worker_payload.at;
		self.round += 1;
		let round = self.round;
		// A ready transaction's entry is renewed when it is found valid; one neither renewed for
		// twice `REVALIDATION_PERIOD` nor waiting in the queue (which may lag) is of a transaction
		// that left the pool.
		let members = &self.members;
		self.validated_in.retain(|hash, seen| {
			members.contains_key(hash) || round - *seen < 2 * REVALIDATION_PERIOD
		});

		for ReadyTransaction { hash: tx_hash, head } in transactions {
			// we don't add something that already scheduled for revalidation, but note whether it
			// heads its chain now, at the block it will be validated at
			if self.members.contains_key(&tx_hash) {
				if head {
					self.queued_heads.insert(tx_hash);
				} else {
					self.queued_heads.remove(&tx_hash);
				}
				trace!(
					target: LOG_TARGET,
					?tx_hash,
					"Skipped adding for revalidation: Already there."
				);

				continue;
			}

			// Nor, unless nothing ready provides for it, a transaction validated fewer than
			// `REVALIDATION_PERIOD` rounds ago: by the last revalidation, or at its submission,
			// which the round it is first seen in stands for.
			let due = match self.validated_in.get(&tx_hash) {
				Some(seen) => head || round - seen >= REVALIDATION_PERIOD,
				None => head,
			};
			if !due {
				self.validated_in.entry(tx_hash).or_insert(round);
				trace!(
					target: LOG_TARGET,
					?tx_hash,
					"Skipped adding for revalidation: validated recently."
				);
				continue;
			}

			self.block_ordered
				.entry(block_number)
				.and_modify(|value| {
					value.insert(tx_hash);
				})
				.or_insert_with(|| {
					let mut bt = HashSet::new();
					bt.insert(tx_hash);
					bt
				});
			self.members.insert(tx_hash, block_number);
			if head {
				self.queued_heads.insert(tx_hash);
			}
		}
	}

	/// Background worker main loop.
	///
	/// It does two things: periodically tries to process some transactions
	/// from the queue and also accepts messages to enqueue some more
	/// transactions from the pool.
	pub async fn run(
		mut self,
		from_queue: TracingUnboundedReceiver<WorkerPayload<Api>>,
		interval: Duration,
	) {
		let interval_fut = futures_timer::Delay::new(interval);
		let from_queue = from_queue.fuse();
		futures::pin_mut!(interval_fut, from_queue);
		let this = &mut self;

		loop {
			futures::select! {
				// Using `fuse()` in here is okay, because we reset the interval when it has fired.
				_ = (&mut interval_fut).fuse() => {
					let next_batch = this.prepare_batch();
					let batch_len = next_batch.len();

					let valid = batch_revalidate(this.pool.clone(), this.api.clone(), this.best_block, next_batch).await;
					// Their next validation is due a period from now; a transaction not answered
					// (its block unknown, its validity `Unknown`) is tried again at the next round.
					let round = this.round;
					this.validated_in.extend(valid.into_iter().map(|hash| (hash, round)));

					if batch_len > 0 || this.len() > 0 {
						trace!(
							target: LOG_TARGET,
							batch_len,
							queue_len = this.len(),
							"Revalidated transactions. Left in the queue for revalidation."
						);
					}

					interval_fut.reset(interval);
				},
				workload = from_queue.next() => {
					match workload {
						Some(worker_payload) => {
							this.best_block = worker_payload.at;
							this.push(worker_payload);

							if this.members.len() > 0 {
								trace!(
									target: LOG_TARGET,
									at = ?this.best_block,
									transactions = ?this.members,
									"Updated revalidation queue."
								);
							}

							continue;
						},
						// R.I.P. worker!
						None => break,
					}
				}
			}
		}
	}
}

/// Revalidation queue.
///
/// Can be configured background (`new_background`)
/// or immediate (just `new`).
pub struct RevalidationQueue<Api: ChainApi> {
	pool: Arc<Pool<Api>>,
	api: Arc<Api>,
	background: Option<TracingUnboundedSender<WorkerPayload<Api>>>,
}

impl<Api: ChainApi> RevalidationQueue<Api>
where
	Api: 'static,
{
	/// New revalidation queue without background worker.
	pub fn new(api: Arc<Api>, pool: Arc<Pool<Api>>) -> Self {
		Self { api, pool, background: None }
	}

	/// New revalidation queue with background worker.
	pub fn new_with_interval(
		api: Arc<Api>,
		pool: Arc<Pool<Api>>,
		interval: Duration,
		best_block: BlockHash<Api>,
	) -> (Self, Pin<Box<dyn Future<Output = ()> + Send>>) {
		let (to_worker, from_queue) = tracing_unbounded("mpsc_revalidation_queue", 100_000);

		let worker = RevalidationWorker::new(api.clone(), pool.clone(), best_block);

		let queue = Self { api, pool, background: Some(to_worker) };

		(queue, worker.run(from_queue, interval).boxed())
	}

	/// New revalidation queue with background worker.
	pub fn new_background(
		api: Arc<Api>,
		pool: Arc<Pool<Api>>,
		best_block: BlockHash<Api>,
	) -> (Self, Pin<Box<dyn Future<Output = ()> + Send>>) {
		Self::new_with_interval(api, pool, BACKGROUND_REVALIDATION_INTERVAL, best_block)
	}

	/// Queue some transaction for later revalidation.
	///
	/// If queue configured with background worker, this will return immediately.
	/// If queue configured without background worker, this will resolve after
	/// revalidation is actually done.
	pub async fn revalidate_later(
		&self,
		at: BlockHash<Api>,
		transactions: Vec<ReadyTransaction<ExtrinsicHash<Api>>>,
	) {
		if transactions.len() > 0 {
			debug!(
				target: LOG_TARGET,
				transaction_count = transactions.len(),
				"Sent transactions to revalidation queue."
			);
		}

		if let Some(ref to_worker) = self.background {
			if let Err(error) = to_worker.unbounded_send(WorkerPayload { at, transactions }) {
				warn!(
					target: LOG_TARGET,
					?error,
					"Failed to update background worker."
				);
			}
		} else {
			debug!(
				target: LOG_TARGET,
				"Batch revalidate direct call."
			);
			let pool = self.pool.clone();
			let api = self.api.clone();
			batch_revalidate(pool, api, at, transactions).await;
		}
	}
}
