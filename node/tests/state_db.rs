//! The state database the node runs on (vendor/sc-state-db): the pinning of states must not
//! wait on work that needs none of the state database's lock. Every RPC call and transaction
//! validation pins the state it reads, so a read held up by ParityDB writing a full block's
//! commit, or a full block's trie nodes being encoded into its journal record, copied into
//! its commit, freed or removed from the overlay all at once, would otherwise stall every
//! query behind it (BENCHMARKS.md, the twelfth, fourteenth and fifteenth runs; vendor/README.md).

use codec::{Decode, Encode, Input, Output};
use sc_state_db::{ChangeSet, MetaDb, NodeDb, PruningMode, StateDb};
use sp_core::H256;
use std::{
	sync::{
		mpsc::{channel, Receiver, RecvTimeoutError, Sender},
		Arc, Mutex,
	},
	thread::{self, JoinHandle},
	time::Duration,
};

/// A backing database whose node reads wait until the test lets them go.
struct SlowDb {
	entered: Mutex<Sender<()>>,
	release: Mutex<Receiver<()>>,
}

impl NodeDb for SlowDb {
	type Error = ();
	type Key = [u8];

	fn get(&self, _key: &[u8]) -> Result<Option<Vec<u8>>, ()> {
		let _ = self.entered.lock().map(|entered| entered.send(()));
		let _ = self.release.lock().map(|release| release.recv());
		Ok(Some(b"node".to_vec()))
	}
}

#[test]
fn a_state_read_waiting_on_the_database_does_not_hold_up_pinning() {
	let (entered_tx, entered) = channel();
	let (release, release_rx) = channel();
	let db = Arc::new(SlowDb { entered: Mutex::new(entered_tx), release: Mutex::new(release_rx) });
	let (state_db, block) = state_db_with_block_1::<Vec<u8>>();

	// A read of a node that is not in the overlay goes to the database, which is busy.
	let reader = {
		let (state_db, db) = (state_db.clone(), db.clone());
		thread::spawn(move || state_db.get(&b"trie node".to_vec(), db.as_ref()))
	};
	entered.recv_timeout(Duration::from_secs(10)).expect("the read reaches the database");

	// Meanwhile an RPC call pins block 1's state.
	let (pinned_while_reading, pinner) = pin_from_another_thread(&state_db, block);

	// (Let the read finish whatever happened, so that neither thread is left waiting.)
	let _ = release.send(());
	let read = reader.join().expect("the reader does not panic");
	pinner.join().expect("the pinner does not panic");

	assert_eq!(pinned_while_reading, Ok(true), "pinning waited for the database's read");
	assert_eq!(read.ok().flatten(), Some(b"node".to_vec()));
}

#[test]
fn encoding_a_blocks_journal_record_does_not_hold_up_pinning() {
	let (state_db, block_1) = state_db_with_block_1::<SlowKey>();
	let (entered, release) = Slow::Encoding.open_gate();

	// Block 2 goes into the overlay: its journal record, which holds every trie node the block
	// writes, is being encoded.
	let inserter = {
		let state_db = state_db.clone();
		thread::spawn(move || insert_block_2(&state_db, block_1, Slow::Encoding))
	};
	entered.recv_timeout(Duration::from_secs(10)).expect("the insertion encodes the record");

	// Meanwhile an RPC call pins block 1's state.
	let (pinned_while_encoding, pinner) = pin_from_another_thread(&state_db, block_1);

	let _ = release.send(());
	let inserted = inserter.join().expect("the inserter does not panic");
	pinner.join().expect("the pinner does not panic");

	assert_eq!(pinned_while_encoding, Ok(true), "pinning waited for the journal record's encoding");
	assert!(inserted.is_some(), "block 2 goes into the overlay");
}

#[test]
fn copying_a_canonicalized_blocks_values_into_its_commit_does_not_hold_up_pinning() {
	let (state_db, block_1) = state_db_with_block_1::<SlowKey>();
	let block_2 = insert_block_2(&state_db, block_1, Slow::Cloning).expect("block 2 is inserted");
	state_db.canonicalize_block(&block_1).expect("block 1 is finalized");
	let (entered, release) = Slow::Cloning.open_gate();

	// Block 2 is finalized: the trie nodes it wrote are being copied into the commit that
	// writes them to the database.
	let canonicalizer = {
		let state_db = state_db.clone();
		thread::spawn(move || state_db.canonicalize_block(&block_2).ok())
	};
	entered.recv_timeout(Duration::from_secs(10)).expect("the finalization copies the values");

	let (pinned_while_copying, pinner) = pin_from_another_thread(&state_db, block_1);

	let _ = release.send(());
	let commit = canonicalizer.join().expect("the canonicalizer does not panic");
	pinner.join().expect("the pinner does not panic");

	assert_eq!(pinned_while_copying, Ok(true), "pinning waited for the values' copy");
	let written: Vec<_> = commit.map(|commit| commit.data.inserted).unwrap_or_default();
	assert_eq!(written, vec![(SlowKey(Slow::Cloning, 0), b"node".to_vec())]);
}

#[test]
fn freeing_a_synced_blocks_values_does_not_hold_up_pinning() {
	let (state_db, block_1) = state_db_with_block_1::<SlowKey>();
	let block_2 = insert_block_2(&state_db, block_1, Slow::Dropping).expect("block 2 is inserted");
	// The overlay lets go of block 2's trie nodes, which are being freed.
	let (syncer, release) =
		sync_until_a_key_is_dropped(&state_db, [block_1, block_2], Slow::Dropping);

	let (pinned_while_freeing, pinner) = pin_from_another_thread(&state_db, block_1);

	let _ = release.send(());
	syncer.join().expect("the syncer does not panic");
	pinner.join().expect("the pinner does not panic");

	assert_eq!(pinned_while_freeing, Ok(true), "pinning waited for the values to be freed");
}

#[test]
fn pinning_and_reading_go_on_between_the_removals_of_a_synced_blocks_trie_nodes() {
	let (state_db, block_1) = state_db_with_block_1::<SlowKey>();
	// A full block writes a few hundred thousand trie nodes: the overlay lets go of them a few
	// thousand at a time once they are on disk.
	let nodes = 20_000;
	let block_2 = H256::repeat_byte(2);
	let inserted = (0..nodes).map(|id| (SlowKey(Slow::Releasing, id), b"node".to_vec())).collect();
	let changeset = ChangeSet { inserted, deleted: vec![] };
	state_db.insert_block(&block_2, 2, &block_1, changeset).expect("block 2 is inserted");
	let (syncer, release) =
		sync_until_a_key_is_dropped(&state_db, [block_1, block_2], Slow::Releasing);

	// Meanwhile an RPC call pins block 1's state, and reads the last node block 2 wrote.
	let (pinned_while_releasing, pinner) = pin_from_another_thread(&state_db, block_1);
	let last_node = state_db.get(&SlowKey(Slow::Releasing, nodes - 1), &NoNodes).ok().flatten();

	let _ = release.send(());
	syncer.join().expect("the syncer does not panic");
	pinner.join().expect("the pinner does not panic");

	assert_eq!(pinned_while_releasing, Ok(true), "pinning waited for the nodes' removal");
	assert_eq!(
		last_node,
		Some(b"node".to_vec()),
		"the nodes were removed all at once, not a few thousand a hold of the lock"
	);
}

/// Finalizes `blocks`, whose commits are then on disk, and syncs the state database on a
/// thread of its own until it drops the first key slow at `slow` (`Dropping` or `Releasing`):
/// the syncing thread, and the gate's end that lets it go on.
fn sync_until_a_key_is_dropped(
	state_db: &Arc<StateDb<H256, SlowKey, NoMeta>>,
	blocks: [H256; 2],
	slow: Slow,
) -> (JoinHandle<()>, Sender<()>) {
	for block in blocks {
		state_db.canonicalize_block(&block).expect("the block is finalized");
	}
	let (entered, release) = slow.open_gate();
	let syncer = {
		let state_db = state_db.clone();
		thread::spawn(move || state_db.sync())
	};
	entered.recv_timeout(Duration::from_secs(10)).expect("the sync drops a key");
	(syncer, release)
}

/// Inserts block 2, a child of block 1 writing one trie node under a key slow at `slow`:
/// its hash, once in the overlay.
fn insert_block_2(
	state_db: &StateDb<H256, SlowKey, NoMeta>,
	block_1: H256,
	slow: Slow,
) -> Option<H256> {
	let block_2 = H256::repeat_byte(2);
	let changeset =
		ChangeSet { inserted: vec![(SlowKey(slow, 0), b"node".to_vec())], deleted: vec![] };
	state_db.insert_block(&block_2, 2, &block_1, changeset).ok().map(|_| block_2)
}

/// Pins block 1's state on a thread of its own, as an RPC call does: whether it was pinned
/// within 5 s (an error if the pin was still waiting), and the thread to join once whatever
/// held it up is let go.
fn pin_from_another_thread<Key: sc_state_db::Hash>(
	state_db: &Arc<StateDb<H256, Key, NoMeta>>,
	block_1: H256,
) -> (Result<bool, RecvTimeoutError>, JoinHandle<()>) {
	let (pinned_tx, pinned) = channel();
	let state_db = state_db.clone();
	let pinner = thread::spawn(move || {
		let _ = pinned_tx.send(state_db.pin(&block_1, 1, || true).is_ok());
	});
	(pinned.recv_timeout(Duration::from_secs(5)), pinner)
}

/// A state database holding block 1 in its overlay, whose state can be pinned.
fn state_db_with_block_1<Key: sc_state_db::Hash>() -> (Arc<StateDb<H256, Key, NoMeta>>, H256) {
	// `ref_counting` false: ParityDB counts references itself (sc-client-db passes
	// `!db.supports_ref_counting()`).
	let (_, state_db) = StateDb::open(NoMeta, Some(PruningMode::blocks_pruning(256)), false, true)
		.expect("a new state database opens");
	let (genesis, block) = (H256::repeat_byte(0), H256::repeat_byte(1));
	state_db
		.insert_block(&block, 1, &genesis, ChangeSet::default())
		.expect("block 1 goes into the overlay");
	(Arc::new(state_db), block)
}

/// A trie node key (a step and an id) that, at that step of its life, once the test opens that
/// step's gate, says it has started and waits to be let go.
#[derive(Debug, Default, PartialEq, Eq, Hash)]
struct SlowKey(Slow, u32);

/// The step of a key's life that waits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
enum Slow {
	#[default]
	Encoding,
	Cloning,
	Dropping,
	/// Dropping too, with a gate of its own for the test of removals in chunks.
	Releasing,
}

/// The waiting step's ends of a gate's channels.
struct Gate {
	started: Sender<()>,
	go: Receiver<()>,
}

/// A gate for each step (the tests run side by side), used once: open until a key passes it.
static GATES: [Mutex<Option<Gate>>; 4] =
	[Mutex::new(None), Mutex::new(None), Mutex::new(None), Mutex::new(None)];

impl Slow {
	/// Opens the step's gate: returns the test's ends, told when a key starts the step and
	/// letting it finish.
	fn open_gate(self) -> (Receiver<()>, Sender<()>) {
		let ((started, started_rx), (go_tx, go)) = (channel(), channel());
		if let Ok(mut gate) = GATES[self as usize].lock() {
			*gate = Some(Gate { started, go });
		}
		(started_rx, go_tx)
	}

	/// Waits at the step's gate, if it is open.
	fn pass(self) {
		let gate = GATES[self as usize].lock().ok().and_then(|mut gate| gate.take());
		if let Some(gate) = gate {
			let _ = gate.started.send(());
			let _ = gate.go.recv_timeout(Duration::from_secs(10));
		}
	}
}

impl Clone for SlowKey {
	fn clone(&self) -> Self {
		if self.0 == Slow::Cloning {
			Slow::Cloning.pass();
		}
		SlowKey(self.0, self.1)
	}
}

impl Drop for SlowKey {
	fn drop(&mut self) {
		if matches!(self.0, Slow::Dropping | Slow::Releasing) {
			self.0.pass();
		}
	}
}

impl Encode for SlowKey {
	fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
		if self.0 == Slow::Encoding {
			Slow::Encoding.pass();
		}
		dest.push_byte(self.0 as u8);
		self.1.encode_to(dest);
	}
}

impl Decode for SlowKey {
	fn decode<I: Input>(input: &mut I) -> Result<Self, codec::Error> {
		let slow = match input.read_byte()? {
			0 => Slow::Encoding,
			1 => Slow::Cloning,
			2 => Slow::Dropping,
			3 => Slow::Releasing,
			_ => return Err("not a slow key".into()),
		};
		Ok(SlowKey(slow, u32::decode(input)?))
	}
}

impl AsRef<SlowKey> for SlowKey {
	fn as_ref(&self) -> &SlowKey {
		self
	}
}

/// A backing database without trie nodes: a node read from the state database is its
/// overlay's.
struct NoNodes;

impl NodeDb for NoNodes {
	type Error = ();
	type Key = SlowKey;

	fn get(&self, _key: &SlowKey) -> Result<Option<Vec<u8>>, ()> {
		Ok(None)
	}
}

/// The state database's metadata store: empty, as a new node's.
struct NoMeta;

impl MetaDb for NoMeta {
	type Error = ();

	fn get_meta(&self, _key: &[u8]) -> Result<Option<Vec<u8>>, ()> {
		Ok(None)
	}
}
