//! Storage helpers the pallets share (feature `runtime`).

use alloc::vec::Vec;
use codec::FullCodec;
use frame_support::storage::{IterableStorageDoubleMap, StorageDoubleMap};

/// One page of a reverse index: up to `limit` second keys under `first` of the double map
/// `M`, in storage order, starting after the second key `after` (the last key of the page
/// before). Reads at most `limit` keys.
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
	keys.take(limit as usize).collect()
}
