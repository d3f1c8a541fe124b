//! The transaction pool the node runs (vendor/sc-transaction-pool, `--pool-type single-state`):
//! after each best block it validates again a sender's first ready transaction (what the block
//! did to the sender shows there, and a failure removes the sender's later ones with it), and
//! every other ready transaction only every ten best blocks, its validation at submission
//! counted. Upstream's single-state pool validated every ready transaction again after every
//! best block: under a burst, thousands of runtime calls a block on the cores the author builds
//! the next block with (BENCHMARKS.md, "What changed in the nineteenth run"; vendor/README.md).
//! A transaction found valid as it was stays in place; upstream took it and its sender's later
//! ones out of the pool and put them back.

use async_trait::async_trait;
use codec::Encode;
use futures::executor::block_on;
use parking_lot::Mutex;
use provenance_runtime::opaque::Block;
use sc_transaction_pool::{BasicPool, ChainApi, ValidateTransactionPriority};
use sc_transaction_pool_api::{
	error::Error, ChainEvent, InPoolTransaction, MaintainedTransactionPool, TransactionPool,
	TransactionSource,
};
use sp_blockchain::{HashAndNumber, TreeRoute};
use sp_core::H256;
use sp_runtime::{
	generic::BlockId,
	traits::{BlakeTwo256, Block as BlockT, Hash as _, Header as _},
	transaction_validity::{InvalidTransaction, TransactionValidity, ValidTransaction},
	OpaqueExtrinsic,
};
use std::{
	collections::{HashMap, HashSet},
	sync::Arc,
	time::Duration,
};

type Header = <Block as BlockT>::Header;

/// A chain whose blocks are numbered on forks that meet at genesis (fork 0 is the first), with
/// the transactions the test puts in them. A transaction
/// is `[sender, nonce]`: it provides its own bytes and requires its sender's previous nonce
/// unless that is on chain, and is valid until the test spends its sender or it, or (as a
/// mortal transaction) until block 1,000.
#[derive(Default)]
struct Chain {
	/// How often each transaction was validated.
	validations: Mutex<HashMap<Vec<u8>, usize>>,
	spent_senders: Mutex<HashSet<u8>>,
	spent: Mutex<HashSet<Vec<u8>>>,
	/// The transactions of each block that has any.
	bodies: Mutex<HashMap<H256, Vec<OpaqueExtrinsic>>>,
}

/// Block `number` of `fork`; block 0 is genesis, on every fork.
fn block(fork: u8, number: u32) -> H256 {
	let fork = if number == 0 { 0 } else { u64::from(fork) };
	H256::from_low_u64_be(fork << 32 | u64::from(number))
}

/// Block `number` of the first fork.
fn hash_of(number: u32) -> H256 {
	block(0, number)
}

fn number_of(hash: &H256) -> u32 {
	hash.to_low_u64_be() as u32
}

fn fork_of(hash: &H256) -> u8 {
	(hash.to_low_u64_be() >> 32) as u8
}

/// The blocks from genesis (left out) to `at`.
fn chain_to(at: &H256) -> impl Iterator<Item = H256> {
	let fork = fork_of(at);
	(1..=number_of(at)).map(move |number| block(fork, number))
}

fn transaction(sender: u8, nonce: u8) -> OpaqueExtrinsic {
	OpaqueExtrinsic::from_blob(vec![sender, nonce])
}

impl Chain {
	fn validate(&self, at: H256, transaction: &OpaqueExtrinsic) -> TransactionValidity {
		let bytes = transaction.encode();
		*self.validations.lock().entry(bytes.clone()).or_default() += 1;
		let [.., sender, nonce] = bytes[..] else { return Err(InvalidTransaction::Call.into()) };
		if self.spent_senders.lock().contains(&sender) || self.spent.lock().contains(&bytes) {
			return Err(InvalidTransaction::Payment.into());
		}
		let bodies = self.bodies.lock();
		let on_chain = |previous: &Vec<u8>| {
			chain_to(&at)
				.filter_map(|block| bodies.get(&block))
				.flatten()
				.any(|included| included.encode() == *previous)
		};
		let requires: Vec<_> = nonce
			.checked_sub(1)
			.map(|previous| self::transaction(sender, previous).encode())
			.filter(|previous| !on_chain(previous))
			.into_iter()
			.collect();
		Ok(ValidTransaction {
			priority: 1,
			requires,
			provides: vec![bytes],
			longevity: 1_000u64.saturating_sub(number_of(&at).into()),
			propagate: true,
		})
	}

	fn validations_of(&self, transaction: &OpaqueExtrinsic) -> usize {
		self.validations.lock().get(&transaction.encode()).copied().unwrap_or(0)
	}
}

#[async_trait]
impl ChainApi for Chain {
	type Block = Block;
	type Error = Error;

	async fn validate_transaction(
		&self,
		at: H256,
		_source: TransactionSource,
		transaction: Arc<OpaqueExtrinsic>,
		_priority: ValidateTransactionPriority,
	) -> Result<TransactionValidity, Error> {
		Ok(self.validate(at, &transaction))
	}

	fn validate_transaction_blocking(
		&self,
		at: H256,
		_source: TransactionSource,
		transaction: Arc<OpaqueExtrinsic>,
	) -> Result<TransactionValidity, Error> {
		Ok(self.validate(at, &transaction))
	}

	fn block_id_to_number(&self, at: &BlockId<Block>) -> Result<Option<u32>, Error> {
		Ok(Some(match at {
			BlockId::Number(number) => *number,
			BlockId::Hash(hash) => number_of(hash),
		}))
	}

	fn block_id_to_hash(&self, at: &BlockId<Block>) -> Result<Option<H256>, Error> {
		Ok(Some(match at {
			BlockId::Number(number) => hash_of(*number),
			BlockId::Hash(hash) => *hash,
		}))
	}

	fn hash_and_length(&self, transaction: &OpaqueExtrinsic) -> (H256, usize) {
		let bytes = transaction.encode();
		(BlakeTwo256::hash(&bytes), bytes.len())
	}

	async fn block_body(&self, at: H256) -> Result<Option<Vec<OpaqueExtrinsic>>, Error> {
		Ok(Some(self.bodies.lock().get(&at).cloned().unwrap_or_default()))
	}

	fn block_header(&self, at: H256) -> Result<Option<Header>, Error> {
		let number = number_of(&at);
		let parent = block(fork_of(&at), number.saturating_sub(1));
		Ok(Some(Header::new(
			number,
			Default::default(),
			Default::default(),
			parent,
			Default::default(),
		)))
	}

	fn tree_route(&self, from: H256, to: H256) -> Result<TreeRoute<Block>, Error> {
		let (route, pivot): (Vec<_>, _) = if fork_of(&from) == fork_of(&to) || number_of(&from) == 0
		{
			let enacted = chain_to(&to).skip(number_of(&from) as usize);
			(std::iter::once(from).chain(enacted).collect(), 0)
		} else {
			let retracted: Vec<_> = chain_to(&from).collect();
			let common = std::iter::once(hash_of(0));
			(
				retracted.iter().rev().copied().chain(common).chain(chain_to(&to)).collect(),
				retracted.len(),
			)
		};
		let route = route.into_iter().map(|hash| HashAndNumber { hash, number: number_of(&hash) });
		TreeRoute::new(route.collect(), pivot).map_err(Error::InvalidBlockId)
	}
}

/// Waits (at most ten seconds) until `done` holds: the pool's revalidation worker takes up
/// what a block queued at its next tick, every 200 ms.
fn wait_until(what: &str, done: impl Fn() -> bool) {
	for _ in 0..500 {
		if done() {
			// Let the worker finish the batch it took `done`'s transaction in.
			std::thread::sleep(Duration::from_millis(100));
			return;
		}
		std::thread::sleep(Duration::from_millis(20));
	}
	panic!("timed out waiting until {what}");
}

type Pool = BasicPool<Chain, Block>;

/// A pool over `chain` at block 0, and its revalidation worker, not yet started.
fn pool_over(chain: &Arc<Chain>) -> (Pool, impl std::future::Future<Output = ()> + Send) {
	BasicPool::new_test(chain.clone(), hash_of(0), hash_of(0), Default::default())
}

/// Tells `pool` that block `number` of the first fork is the best.
fn best(pool: &Pool, number: u32) {
	best_at(pool, hash_of(number))
}

fn best_at(pool: &Pool, hash: H256) {
	block_on(pool.maintain(ChainEvent::NewBestBlock { hash, tree_route: None }))
}

/// The ready transactions in the order a block builder takes them.
fn ready_order(pool: &Pool) -> Vec<Vec<u8>> {
	pool.ready().map(|transaction| transaction.data().encode()).collect()
}

fn submit(pool: &Pool, transaction: &OpaqueExtrinsic) {
	block_on(pool.submit_one(hash_of(0), TransactionSource::External, transaction.clone()))
		.expect("a valid transaction is taken");
}

/// `transaction` as the pool holds it in its ready set.
fn in_pool(pool: &Pool, transaction: &OpaqueExtrinsic) -> Arc<impl InPoolTransaction> {
	pool.ready_transaction(&pool.hash_of(transaction)).expect("the transaction is ready")
}

#[test]
fn a_senders_first_transaction_is_validated_every_block_the_others_every_ten() {
	let chain = Arc::new(Chain::default());
	let (pool, revalidation) = pool_over(&chain);
	std::thread::spawn(move || block_on(revalidation));
	let best = |number: u32| best(&pool, number);

	// Sender 1 with three transactions, sender 2 with two.
	let (first, second, third) = (transaction(1, 0), transaction(1, 1), transaction(1, 2));
	let others = [transaction(2, 0), transaction(2, 1)];
	for submitted in [&first, &second, &third, &others[0], &others[1]] {
		submit(&pool, submitted);
	}
	assert_eq!(pool.status().ready, 5);
	let submitted = [&first, &second, &third].map(|transaction| in_pool(&pool, transaction));
	// By block 1 sender 2's balance went elsewhere, and sender 1's third transaction no longer
	// applies on its own (say it was mortal and its era ended).
	chain.spent_senders.lock().insert(2);
	chain.spent.lock().insert(third.encode());

	// Block 1: each sender's first transaction is validated again; sender 2's fails and takes
	// its second with it, never validated again.
	best(1);
	wait_until("sender 2 leaves the pool", || {
		chain.validations_of(&first) == 2 && pool.status().ready == 3
	});
	assert_eq!(chain.validations_of(&others[0]), 2);
	assert_eq!(chain.validations_of(&others[1]), 1);

	// Blocks 2 to 10: sender 1's first again at each; its later ones not, so the spent third
	// stays ready (the block builder drops it when it fails to apply it).
	for number in 2..=10 {
		best(number);
		wait_until("the first transaction is validated again", || {
			chain.validations_of(&first) == number as usize + 1
		});
		assert_eq!(chain.validations_of(&second), 1, "validated again before ten blocks");
		assert_eq!(chain.validations_of(&third), 1, "validated again before ten blocks");
		assert_eq!(pool.status().ready, 3);
		// The first, found valid as it was, stays where it is, and its sender's later ones too.
		for (transaction, as_submitted) in [&first, &second, &third].iter().zip(&submitted) {
			assert!(Arc::ptr_eq(&in_pool(&pool, transaction), as_submitted), "resubmitted");
		}
	}

	// Block 11, ten after the later ones were first seen ready: they are validated again, and
	// the spent third leaves the pool.
	best(11);
	wait_until("the spent third leaves the pool", || pool.status().ready == 2);
	assert_eq!(chain.validations_of(&second), 2);
	assert_eq!(chain.validations_of(&third), 2);
	assert_eq!(chain.validations_of(&first), 12);

	// Block 12 includes the first: the second, whose predecessor is now on chain, is its
	// sender's first ready transaction, and is validated again at every block from then on.
	chain.bodies.lock().insert(hash_of(12), vec![first.clone()]);
	best(12);
	// Its validity changed (it requires nothing now): the pool holds the new one.
	wait_until("the second is validated as its sender's first", || {
		chain.validations_of(&second) == 3
			&& pool.status().ready == 1
			&& in_pool(&pool, &second).requires().is_empty()
	});
	for number in 13..=15 {
		best(number);
		wait_until("the second is validated again", || {
			chain.validations_of(&second) == number as usize - 9
		});
	}
	assert_eq!(chain.validations_of(&first), 12, "an included transaction is not validated");
	assert_eq!(chain.validations_of(&third), 2, "a transaction gone is not validated");
	assert_eq!(pool.status().ready, 1);
}

#[test]
fn a_transaction_waits_ten_blocks_from_its_validation_not_from_its_queueing() {
	let chain = Arc::new(Chain::default());
	let (pool, revalidation) = pool_over(&chain);
	let (first, second) = (transaction(1, 0), transaction(1, 1));
	submit(&pool, &first);
	submit(&pool, &second);

	// Twenty-five blocks come before the worker takes anything from its queue (a node busy
	// importing): the first is queued at block 1, the second at block 11, ten after it was
	// submitted, and both are validated once the worker runs, in block 25.
	for number in 1..=25 {
		best(&pool, number);
	}
	std::thread::spawn(move || block_on(revalidation));
	wait_until("the queue is worked off", || {
		chain.validations_of(&first) == 2 && chain.validations_of(&second) == 2
	});

	// So the second's next validation is due ten blocks after block 25, not after block 11.
	for number in 26..=34 {
		best(&pool, number);
		wait_until("the first is validated again", || {
			chain.validations_of(&first) == number as usize - 23
		});
		assert_eq!(chain.validations_of(&second), 2, "validated again at block {number}");
	}
	best(&pool, 35);
	wait_until("the second is validated again", || chain.validations_of(&second) == 3);
	assert_eq!(pool.status().ready, 2);
}

/// A pool that took a sender's first two transactions, of which block 1, the best, includes the
/// first: the second is released. Its revalidation worker has not run yet (a node busy
/// importing).
fn second_released_by_block_1(
	chain: &Arc<Chain>,
) -> (Pool, impl std::future::Future<Output = ()> + Send, OpaqueExtrinsic, OpaqueExtrinsic) {
	let (pool, revalidation) = pool_over(chain);
	let (first, second) = (transaction(1, 0), transaction(1, 1));
	submit(&pool, &first);
	submit(&pool, &second);
	chain.bodies.lock().insert(hash_of(1), vec![first.clone()]);
	best(&pool, 1);
	assert_eq!(ready_order(&pool), [second.encode()]);
	(pool, revalidation, first, second)
}

#[test]
fn a_reorganisation_puts_a_retracted_transaction_back_ahead_of_its_senders_later_ones() {
	let chain = Arc::new(Chain::default());
	let (pool, revalidation, first, second) = second_released_by_block_1(&chain);

	// Before the worker validates anything again (a node busy importing), a fork without block 1
	// becomes the best chain. The first is back in the pool, and the second, which requires it
	// again, comes after it: a block builder taking the second first would find its nonce early
	// and report it invalid.
	best_at(&pool, block(1, 2));
	assert_eq!(ready_order(&pool), [first.encode(), second.encode()]);
	let relinked = [&first, &second].map(|transaction| in_pool(&pool, transaction));

	// So it stays once the worker has validated both at the fork's block 2, each valid as the
	// pool holds it and kept in place (the second, queued when it headed its chain at block 1,
	// is no longer a head at the block it is validated at).
	std::thread::spawn(move || block_on(revalidation));
	wait_until("both are validated at the fork's block", || {
		chain.validations_of(&first) == 3 && chain.validations_of(&second) == 2
	});
	assert_eq!(ready_order(&pool), [first.encode(), second.encode()]);
	for (transaction, as_relinked) in [&first, &second].iter().zip(&relinked) {
		assert!(Arc::ptr_eq(&in_pool(&pool, transaction), as_relinked), "resubmitted");
	}
}

#[test]
fn a_transaction_whose_predecessor_a_reorganisation_drops_waits_in_the_future_queue() {
	let chain = Arc::new(Chain::default());
	let (pool, revalidation, first, _) = second_released_by_block_1(&chain);

	// A fork without block 1 becomes the best chain, on which the first no longer applies (say
	// its era ended): it does not come back, and the second, which requires it, cannot be
	// included before it. A block builder taking the second would find its nonce early and
	// report it invalid, so the pool moves it to the future queue, where the first finds it if
	// it is sent again.
	chain.spent.lock().insert(first.encode());
	best_at(&pool, block(1, 2));
	std::thread::spawn(move || block_on(revalidation));
	wait_until("the second waits in the future queue", || {
		let status = pool.status();
		status.ready == 0 && status.future == 1
	});
	assert_eq!(chain.validations_of(&first), 2, "at its submission and when put back");
}
