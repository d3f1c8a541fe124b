//! The node's database (vendor/sc-client-db): the shared trie cache holds what untrusted reads
//! (RPC calls, transaction validation) read, and a block's execution (the trusted context)
//! neither reads from it nor adds to it. Upstream merged every block's reads into the shared
//! cache under its write lock at the end of the block, which the queries and the next block's
//! reads waited on, so the node ran without a cache; a cache that only untrusted reads use keeps
//! the queries' trie nodes in memory, off ParityDB (BENCHMARKS.md; vendor/README.md).

use provenance_runtime::opaque::Block;
use sc_client_api::{
	backend::{Backend as _, BlockImportOperation as _, NewBlockState},
	TrieCacheContext,
};
use sc_client_db::{Backend, BlocksPruning, DatabaseSettings, DatabaseSource, PruningMode};
use sp_core::H256;
use sp_database::{ColumnId, Database, MemDb, Transaction};
use sp_runtime::{
	traits::{Block as BlockT, Header as _},
	StateVersion, Storage,
};
use sp_state_machine::Backend as _;
use std::sync::{
	atomic::{AtomicUsize, Ordering},
	Arc,
};

type Header = <Block as BlockT>::Header;

/// An in-memory database that counts the reads it answers.
#[derive(Default)]
struct CountingDb {
	inner: MemDb,
	reads: AtomicUsize,
}

impl Database<H256> for CountingDb {
	fn commit(&self, transaction: Transaction<H256>) -> sp_database::error::Result<()> {
		self.inner.commit(transaction)
	}

	fn get(&self, column: ColumnId, key: &[u8]) -> Option<Vec<u8>> {
		self.reads.fetch_add(1, Ordering::Relaxed);
		Database::<H256>::get(&self.inner, column, key)
	}
}

/// A node's database over `db`, with a 16 MiB shared trie cache.
fn database(db: Arc<CountingDb>) -> Backend<Block> {
	let settings = DatabaseSettings {
		trie_cache_maximum_size: Some(16 << 20),
		state_pruning: Some(PruningMode::ArchiveAll),
		source: DatabaseSource::Custom { db, require_create_flag: true },
		blocks_pruning: BlocksPruning::KeepAll,
		pruning_filters: Vec::new(),
		metrics_registry: None,
	};
	Backend::new(settings, 0).expect("a database opens on an empty store")
}

/// Commits block `number` on `parent` with a state of `entries` only, as best and final, as an
/// import does: on the parent's state, unless it is the genesis block.
fn commit_block(
	db: &Backend<Block>,
	number: u32,
	parent: H256,
	entries: &[(Vec<u8>, Vec<u8>)],
) -> H256 {
	let mut op = db.begin_operation().expect("an operation begins");
	if number > 0 {
		db.begin_state_operation(&mut op, parent).expect("the parent's state is kept");
	}
	let storage = Storage { top: entries.iter().cloned().collect(), ..Default::default() };
	let root = op.reset_storage(storage, StateVersion::V1).expect("the state is set");
	let header = Header::new(number, Default::default(), root, parent, Default::default());
	op.set_block_data(header.clone(), Some(Vec::new()), None, None, NewBlockState::Final, true)
		.expect("the block is set");
	db.commit_operation(op).expect("the block commits");
	header.hash()
}

#[test]
fn only_untrusted_reads_use_the_shared_trie_cache() {
	let store = Arc::new(CountingDb::default());
	let db = database(store.clone());
	let entries: Vec<_> =
		(0u32..256).map(|i| (i.to_le_bytes().to_vec(), vec![i as u8; 40])).collect();
	let genesis = commit_block(&db, 0, Default::default(), &entries);
	// Block 1 is read from the database itself (the genesis state is also kept in memory).
	let block = commit_block(&db, 1, genesis, &entries);
	// The database reads that reading every entry of block 1's state in `context` takes.
	let reads_of_all = |context| {
		let before = store.reads.load(Ordering::Relaxed);
		let state = db.state_at(block, context).expect("block 1's state is kept");
		for (key, value) in &entries {
			assert_eq!(state.storage(key).expect("the state reads"), Some(value.clone()));
		}
		store.reads.load(Ordering::Relaxed) - before
	};

	// Building or importing a block reads the database, and leaves nothing in the shared
	// cache for the next block: each time, every entry's trie nodes are read again.
	let first = reads_of_all(TrieCacheContext::Trusted);
	assert!(first >= entries.len(), "a block read {first} nodes for {} entries", entries.len());
	assert_eq!(reads_of_all(TrieCacheContext::Trusted), first, "a block's reads were cached");

	// An RPC call or a transaction's validation: what one read, the next finds in the cache.
	// The first reads the database: committing the blocks (their import operations' states)
	// put nothing into the cache either.
	assert!(reads_of_all(TrieCacheContext::Untrusted) > 0, "committing a block filled the cache");
	assert_eq!(reads_of_all(TrieCacheContext::Untrusted), 0, "an RPC call's reads were not kept");

	// A block still reads the database, whatever the cache now holds.
	assert_eq!(reads_of_all(TrieCacheContext::Trusted), first, "a block read from the cache");
}
