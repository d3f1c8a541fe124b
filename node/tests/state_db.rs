//! The state database the node runs on (vendor/sc-state-db): a state read that waits on the
//! backing database must not hold up the pinning of states. Every RPC call and transaction
//! validation pins the state it reads, so a read held up by ParityDB writing a full block's
//! commit would otherwise stall every query behind it (BENCHMARKS.md, the eleventh run).

use sc_state_db::{ChangeSet, MetaDb, NodeDb, PruningMode, StateDb};
use sp_core::H256;
use std::{
	sync::{
		mpsc::{channel, Receiver, Sender},
		Arc, Mutex,
	},
	thread,
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
	let (_, state_db) = StateDb::<H256, Vec<u8>, _>::open(
		NoMeta,
		Some(PruningMode::blocks_pruning(256)),
		true,
		true,
	)
	.expect("a new state database opens");
	let state_db = Arc::new(state_db);
	let (genesis, block) = (H256::repeat_byte(0), H256::repeat_byte(1));
	state_db
		.insert_block(&block, 1, &genesis, ChangeSet::default())
		.expect("block 1 goes into the overlay");

	// A read of a node that is not in the overlay goes to the database, which is busy.
	let reader = {
		let (state_db, db) = (state_db.clone(), db.clone());
		thread::spawn(move || state_db.get(&b"trie node".to_vec(), db.as_ref()))
	};
	entered.recv_timeout(Duration::from_secs(10)).expect("the read reaches the database");

	// Meanwhile an RPC call pins block 1's state.
	let (pinned_tx, pinned) = channel();
	let pinner = {
		let state_db = state_db.clone();
		thread::spawn(move || {
			let _ = pinned_tx.send(state_db.pin(&block, 1, || true).is_ok());
		})
	};
	let pinned_while_reading = pinned.recv_timeout(Duration::from_secs(5));

	// (Let the read finish whatever happened, so that neither thread is left waiting.)
	let _ = release.send(());
	let read = reader.join().expect("the reader does not panic");
	pinner.join().expect("the pinner does not panic");

	assert_eq!(pinned_while_reading, Ok(true), "pinning waited for the database's read");
	assert_eq!(read.ok().flatten(), Some(b"node".to_vec()));
}

/// The state database's metadata store: empty, as a new node's.
struct NoMeta;

impl MetaDb for NoMeta {
	type Error = ();

	fn get_meta(&self, _key: &[u8]) -> Result<Option<Vec<u8>>, ()> {
		Ok(None)
	}
}
