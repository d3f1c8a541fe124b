//! Storage helpers the pallets share (feature `runtime`).

use alloc::vec::Vec;
use codec::FullCodec;
use frame_support::{
	sp_runtime::{traits::One, Saturating},
	storage::{IterableStorageDoubleMap, StorageDoubleMap, StorageValue},
};

/// What a record holds for the state it takes: `base` plus `per_byte` for each of `bytes`.
pub fn deposit<Balance: Saturating + From<u32>>(
	base: Balance,
	per_byte: Balance,
	bytes: u32,
) -> Balance {
	base.saturating_add(per_byte.saturating_mul(bytes.into()))
}

/// The most items one page of a query holds, whatever the caller asks for.
pub const MAX_PAGE_LEN: u32 = 1_000;

/// One page of a reverse index: up to `limit` (at most [`MAX_PAGE_LEN`]) second keys under `first`
/// of the double map `M`, in storage order, starting after the second key `after` (the last key of
/// the page before). Reads at most `limit` keys.
pub fn page_of<M, K1, K2, V>(first: K1, after: Option<K2>, limit: u32) -> Vec<K2>
where
	M: IterableStorageDoubleMap<K1, K2, V> + StorageDoubleMap<K1, K2, V>,
	K1: FullCodec + Clone,
	K2: FullCodec,
	V: FullCodec,
{
	let keys = match after {
		Some(after) => M::iter_key_prefix_from(first.clone(), M::hashed_key_for(first, after)),
		None => M::iter_key_prefix(first),
	};
	keys.take(limit.min(MAX_PAGE_LEN) as usize).collect()
}

/// One page of entries of the double map `M` under `first`, paged as [`page_of`]: up to
/// `limit` (at most [`MAX_PAGE_LEN`]) (second key, value) pairs after the second key `after`.
pub fn entries_page_of<M, K1, K2, V>(first: K1, after: Option<K2>, limit: u32) -> Vec<(K2, V)>
where
	M: IterableStorageDoubleMap<K1, K2, V> + StorageDoubleMap<K1, K2, V>,
	K1: FullCodec + Clone,
	K2: FullCodec,
	V: FullCodec,
{
	let entries = match after {
		Some(after) => M::iter_prefix_from(first.clone(), M::hashed_key_for(first, after)),
		None => M::iter_prefix(first),
	};
	entries.take(limit.min(MAX_PAGE_LEN) as usize).collect()
}

/// The most deadline blocks one [`sweep_deadlines`] looks at (empty ones included): how fast a
/// lagging cursor catches up.
pub const MAX_DEADLINE_PROBES: u32 = 16;

/// Sweeps the deadline index `Index` (deadline block, key) up to `now`: takes out at most `max`
/// entries over at most [`MAX_DEADLINE_PROBES`] deadline blocks, from the first block not swept
/// yet (`Cursor`, `None` until the first sweep), and hands each key to `due`; what is left rolls
/// to the next sweep. Returns how many entries were due and how many blocks were probed.
pub fn sweep_deadlines<Index, Cursor, BlockNumber, Key>(
	now: BlockNumber,
	max: u32,
	mut due: impl FnMut(Key),
) -> (u32, u32)
where
	Index: IterableStorageDoubleMap<BlockNumber, Key, ()> + StorageDoubleMap<BlockNumber, Key, ()>,
	Cursor: StorageValue<BlockNumber, Query = Option<BlockNumber>>,
	BlockNumber: FullCodec + Copy + PartialOrd + One + Saturating,
	Key: FullCodec,
{
	let mut cursor = Cursor::get().unwrap_or(now);
	let (mut swept, mut probes) = (0u32, 0u32);
	while cursor <= now && probes < MAX_DEADLINE_PROBES {
		probes.saturating_inc();
		let room = max.saturating_sub(swept) as usize;
		let keys: Vec<Key> = Index::iter_key_prefix(cursor).take(room.saturating_add(1)).collect();
		let more = keys.len() > room;
		for key in keys.into_iter().take(room) {
			Index::remove(cursor, &key);
			due(key);
			swept.saturating_inc();
		}
		if more {
			break;
		}
		cursor = cursor.saturating_add(One::one());
	}
	Cursor::put(cursor);
	(swept, probes)
}
