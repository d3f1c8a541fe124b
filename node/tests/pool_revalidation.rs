//! The transaction pool the node runs (vendor/sc-transaction-pool, `--pool-type single-state`):
//! a ready transaction is validated again at most once every ten best blocks, its validation at
//! submission counted, as the fork-aware pool's mempool does. Upstream's single-state pool
//! validated every ready transaction again after every best block: under a burst that is every
//! transaction waiting for a block, thousands of runtime calls a block on the cores the author
//! builds the next block with (BENCHMARKS.md, "What changed in the nineteenth run";
//! vendor/README.md).

use async_trait::async_trait;
use codec::Encode;
use futures::executor::block_on;
use parking_lot::Mutex;
use provenance_runtime::opaque::Block;
use sc_transaction_pool::{BasicPool, ChainApi, ValidateTransactionPriority};
use sc_transaction_pool_api::{
	error::Error, ChainEvent, MaintainedTransactionPool, TransactionPool, TransactionSource,
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

/// A chain whose block `n` has hash `n` and no transactions, and whose transactions are valid
/// (each providing its own bytes) until the test marks them spent.
#[derive(Default)]
struct Chain {
	/// How often each transaction was validated.
	validations: Mutex<HashMap<Vec<u8>, usize>>,
	spent: Mutex<HashSet<Vec<u8>>>,
}

fn hash_of(number: u32) -> H256 {
	H256::from_low_u64_be(number.into())
}

fn number_of(hash: &H256) -> u32 {
	hash.to_low_u64_be() as u32
}

impl Chain {
	fn validate(&self, transaction: &OpaqueExtrinsic) -> TransactionValidity {
		let bytes = transaction.encode();
		*self.validations.lock().entry(bytes.clone()).or_default() += 1;
		if self.spent.lock().contains(&bytes) {
			return Err(InvalidTransaction::Stale.into());
		}
		Ok(ValidTransaction {
			priority: 1,
			requires: vec![],
			provides: vec![bytes],
			longevity: 1_000,
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
		_at: H256,
		_source: TransactionSource,
		transaction: Arc<OpaqueExtrinsic>,
		_priority: ValidateTransactionPriority,
	) -> Result<TransactionValidity, Error> {
		Ok(self.validate(&transaction))
	}

	fn validate_transaction_blocking(
		&self,
		_at: H256,
		_source: TransactionSource,
		transaction: Arc<OpaqueExtrinsic>,
	) -> Result<TransactionValidity, Error> {
		Ok(self.validate(&transaction))
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

	async fn block_body(&self, _at: H256) -> Result<Option<Vec<OpaqueExtrinsic>>, Error> {
		Ok(Some(vec![]))
	}

	fn block_header(&self, at: H256) -> Result<Option<Header>, Error> {
		let number = number_of(&at);
		let parent = hash_of(number.saturating_sub(1));
		Ok(Some(Header::new(
			number,
			Default::default(),
			Default::default(),
			parent,
			Default::default(),
		)))
	}

	fn tree_route(&self, from: H256, to: H256) -> Result<TreeRoute<Block>, Error> {
		let route = (number_of(&from)..=number_of(&to))
			.map(|number| HashAndNumber { hash: hash_of(number), number })
			.collect();
		TreeRoute::new(route, 0).map_err(Error::InvalidBlockId)
	}
}

/// Imports best blocks `numbers` one after another, giving the pool's revalidation worker
/// (every 200 ms) time to take up what each queues.
fn import(pool: &BasicPool<Chain, Block>, numbers: std::ops::RangeInclusive<u32>) {
	for number in numbers {
		block_on(
			pool.maintain(ChainEvent::NewBestBlock { hash: hash_of(number), tree_route: None }),
		);
		std::thread::sleep(Duration::from_millis(600));
	}
}

#[test]
fn a_ready_transaction_is_validated_again_every_ten_best_blocks_not_after_every_block() {
	let chain = Arc::new(Chain::default());
	let (pool, revalidation) =
		BasicPool::new_test(chain.clone(), hash_of(0), hash_of(0), Default::default());
	std::thread::spawn(move || block_on(revalidation));

	let transactions: Vec<_> = (0..3u8).map(|i| OpaqueExtrinsic::from_blob(vec![i])).collect();
	for transaction in &transactions {
		block_on(pool.submit_one(hash_of(0), TransactionSource::External, transaction.clone()))
			.expect("a valid transaction is taken");
	}
	assert_eq!(pool.status().ready, 3);
	// The second is spent by block 1 (say its sender's balance went elsewhere).
	chain.spent.lock().insert(transactions[1].encode());

	// First seen ready at block 1, then nine more blocks: no validation beyond the submission's;
	// the spent one stays ready (the block builder drops it when it fails to apply it).
	import(&pool, 1..=10);
	for transaction in &transactions {
		assert_eq!(chain.validations_of(transaction), 1, "validated again before ten blocks");
	}
	assert_eq!(pool.status().ready, 3);

	// Ten blocks after block 1: each is validated again, and the spent one leaves the pool.
	import(&pool, 11..=11);
	for transaction in &transactions {
		assert_eq!(chain.validations_of(transaction), 2, "validated again at the tenth block");
	}
	assert_eq!(pool.status().ready, 2);

	// And again ten blocks later, not before.
	import(&pool, 12..=20);
	assert_eq!(chain.validations_of(&transactions[0]), 2);
	import(&pool, 21..=21);
	assert_eq!(chain.validations_of(&transactions[0]), 3);
	assert_eq!(chain.validations_of(&transactions[2]), 3);
	assert_eq!(chain.validations_of(&transactions[1]), 2, "a transaction gone is not validated");
}
