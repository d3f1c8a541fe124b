//! The state database the node runs on (vendor/sc-state-db): the pinning of states must not
//! wait on work that needs none of the state database's lock. Every RPC call and transaction
//! validation pins the state it reads, so a read held up by ParityDB writing a full block's
//! commit, or a full block's journal record being encoded, would otherwise stall every query
//! behind it (BENCHMARKS.md, the eleventh and fourteenth runs).

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
	let (entered, release) = SlowKey::open_gate();

	// Block 2 goes into the overlay: its journal record, which holds every trie node the block
	// writes, is being encoded.
	let inserter = {
		let state_db = state_db.clone();
		thread::spawn(move || {
			let changeset =
				ChangeSet { inserted: vec![(SlowKey, b"node".to_vec())], deleted: vec![] };
			state_db.insert_block(&H256::repeat_byte(2), 2, &block_1, changeset).is_ok()
		})
	};
	entered.recv_timeout(Duration::from_secs(10)).expect("the insertion encodes the record");

	// Meanwhile an RPC call pins block 1's state.
	let (pinned_while_encoding, pinner) = pin_from_another_thread(&state_db, block_1);

	let _ = release.send(());
	let inserted = inserter.join().expect("the inserter does not panic");
	pinner.join().expect("the pinner does not panic");

	assert_eq!(pinned_while_encoding, Ok(true), "pinning waited for the journal record's encoding");
	assert!(inserted, "block 2 goes into the overlay");
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
	let (_, state_db) = StateDb::open(NoMeta, Some(PruningMode::blocks_pruning(256)), true, true)
		.expect("a new state database opens");
	let (genesis, block) = (H256::repeat_byte(0), H256::repeat_byte(1));
	state_db
		.insert_block(&block, 1, &genesis, ChangeSet::default())
		.expect("block 1 goes into the overlay");
	(Arc::new(state_db), block)
}

/// A trie node key whose encoding, once the test opens the gate, says it has started and waits
/// to be let go.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct SlowKey;

/// The encoding's ends of the gate's channels.
struct Gate {
	started: Sender<()>,
	go: Receiver<()>,
}

static SLOW_KEY_GATE: Mutex<Option<Gate>> = Mutex::new(None);

impl SlowKey {
	/// Returns the test's ends: told when an encoding starts, lets it finish.
	fn open_gate() -> (Receiver<()>, Sender<()>) {
		let ((started, started_rx), (go_tx, go)) = (channel(), channel());
		if let Ok(mut gate) = SLOW_KEY_GATE.lock() {
			*gate = Some(Gate { started, go });
		}
		(started_rx, go_tx)
	}
}

impl Encode for SlowKey {
	fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
		if let Ok(gate) = SLOW_KEY_GATE.lock() {
			if let Some(gate) = gate.as_ref() {
				let _ = gate.started.send(());
				let _ = gate.go.recv_timeout(Duration::from_secs(10));
			}
		}
		dest.write(b"slow");
	}
}

impl Decode for SlowKey {
	fn decode<I: Input>(input: &mut I) -> Result<Self, codec::Error> {
		<[u8; 4]>::decode(input).map(|_| SlowKey)
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
