//! The Merkle tree of provenance-chain: exactly RFC 6962 (Certificate Transparency, also
//! RFC 9162 §2.1) with SHA-256.
//!
//! - `leaf = SHA256(0x00 || data)`, `node = SHA256(0x01 || left || right)`;
//! - the tree of `n > 1` leaves splits at `k`, the largest power of two smaller than `n`: its root
//!   is `node(root(leaves[..k]), root(leaves[k..]))`;
//! - the empty tree's root is `SHA256()`;
//! - an inclusion proof is the RFC 6962 audit path, verified with RFC 9162 §2.1.3.2.
//!
//! Dataset roots (over records), checkpoint weight roots (over files) and contributor pools all
//! use this one tree, so a root can be rebuilt from a `sha256sum` manifest and checked with any
//! transparency-log tooling. The hash function is a parameter ([`Sha256`]) so that the runtime
//! can use its host function and clients a native implementation, over the same code. The
//! runtime only verifies; building roots and proofs is for clients (feature `std`).

#[cfg(feature = "std")]
use alloc::vec::Vec;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// SHA-256 over the concatenation of `parts`.
pub trait Sha256 {
	fn digest(parts: &[&[u8]]) -> Hash;
}

/// SHA-256 in Rust (the `sha2` crate), for clients and tests.
pub struct NativeSha256;

impl Sha256 for NativeSha256 {
	fn digest(parts: &[&[u8]]) -> Hash {
		use sha2::Digest;
		let mut hasher = sha2::Sha256::new();
		for part in parts {
			hasher.update(part);
		}
		hasher.finalize().into()
	}
}

/// SHA-256 through the runtime's host function.
#[cfg(feature = "runtime")]
pub struct HostSha256;

#[cfg(feature = "runtime")]
impl Sha256 for HostSha256 {
	fn digest(parts: &[&[u8]]) -> Hash {
		sp_io::hashing::sha2_256(&parts.concat())
	}
}

/// The root of the empty tree, `SHA256()`.
pub fn empty_root<H: Sha256>() -> Hash {
	H::digest(&[])
}

/// The hash of a leaf holding `data`.
pub fn leaf_hash<H: Sha256>(data: &[u8]) -> Hash {
	H::digest(&[&[0x00], data])
}

/// The hash of an inner node over two subtrees.
pub fn node_hash<H: Sha256>(left: &Hash, right: &Hash) -> Hash {
	H::digest(&[&[0x01], left, right])
}

/// The leaf of a file in a directory tree, and of its line in a `sha256sum` manifest:
/// `data = SHA256(file bytes) || path`, where `path` is relative to the directory, with '/'
/// separators, in UTF-8. A directory's leaves are ordered by the bytes of their paths.
pub fn file_leaf<H: Sha256>(file_digest: &Hash, path: &str) -> Hash {
	H::digest(&[&[0x00], file_digest, path.as_bytes()])
}

/// The leaf of a contributor in a dataset's contributor tree: `data = SCALE((account,
/// records_root, records_count: u64))`, where `records_root` is the tree over the leaf hashes of
/// the records the account contributed (the same leaves as the dataset's root).
pub fn contributor_leaf<H: Sha256, AccountId: codec::Encode>(
	account: &AccountId,
	records_root: &Hash,
	records_count: u64,
) -> Hash {
	leaf_hash::<H>(&codec::Encode::encode(&(account, records_root, records_count)))
}

/// The data of a line of a line-oriented file (JSONL, CSV, text): the line without its ending,
/// `"\n"` or `"\r\n"`. Each line is a leaf ([`leaf_hash`]); a final line ending starts no new line.
pub fn line_data(line: &[u8]) -> &[u8] {
	let line = line.strip_suffix(b"\n").unwrap_or(line);
	line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(feature = "std")]
/// The largest power of two smaller than `n` (`n >= 2`): where a tree of `n` leaves splits.
fn split_point(n: u64) -> u64 {
	debug_assert!(n >= 2);
	1u64 << (63 - (n - 1).leading_zeros())
}

#[cfg(feature = "std")]
/// The root over `leaves`, already hashed with [`leaf_hash`].
pub fn root<H: Sha256>(leaves: &[Hash]) -> Hash {
	let mut builder = RootBuilder::<H>::new();
	for leaf in leaves {
		builder.push(*leaf);
	}
	builder.root()
}

#[cfg(feature = "std")]
/// Builds a root from leaf hashes arriving one at a time, holding one hash per level
/// (`O(log n)` memory): what hashing a large dataset as a stream needs.
pub struct RootBuilder<H> {
	/// Roots of perfect subtrees, left to right, with their heights strictly decreasing.
	stack: Vec<(u32, Hash)>,
	leaves: u64,
	_hasher: core::marker::PhantomData<H>,
}

#[cfg(feature = "std")]
impl<H: Sha256> Default for RootBuilder<H> {
	fn default() -> Self {
		Self::new()
	}
}

#[cfg(feature = "std")]
impl<H: Sha256> RootBuilder<H> {
	pub fn new() -> Self {
		Self { stack: Vec::new(), leaves: 0, _hasher: core::marker::PhantomData }
	}

	/// Appends the next leaf hash.
	pub fn push(&mut self, leaf: Hash) {
		let mut entry = (0u32, leaf);
		while let Some(&(height, left)) = self.stack.last() {
			if height != entry.0 {
				break;
			}
			self.stack.pop();
			entry = (height + 1, node_hash::<H>(&left, &entry.1));
		}
		self.stack.push(entry);
		self.leaves += 1;
	}

	/// How many leaves were pushed.
	pub fn len(&self) -> u64 {
		self.leaves
	}

	/// Whether no leaf was pushed.
	pub fn is_empty(&self) -> bool {
		self.leaves == 0
	}

	/// The root of the leaves pushed so far. The perfect subtrees on the stack are exactly the
	/// RFC 6962 split of the tree, so folding them from the right gives its root.
	pub fn root(&self) -> Hash {
		let mut entries = self.stack.iter().rev();
		match entries.next() {
			None => empty_root::<H>(),
			Some(&(_, last)) => entries.fold(last, |right, (_, left)| node_hash::<H>(left, &right)),
		}
	}
}

#[cfg(feature = "std")]
/// The audit path of leaf `index` among `leaves` (leaf hashes), or `None` when `index` is out
/// of range.
pub fn inclusion_proof<H: Sha256>(leaves: &[Hash], index: u64) -> Option<Vec<Hash>> {
	audit_path(leaves, index, root::<H>)
}

#[cfg(feature = "std")]
/// The audit path of leaf `index` among `leaves`, with `root_of` giving a subtree's root: the
/// sibling subtrees' roots from the leaf up (RFC 6962 §2.1.1).
fn audit_path<N: Copy>(leaves: &[N], index: u64, root_of: impl Fn(&[N]) -> N) -> Option<Vec<N>> {
	if index >= leaves.len() as u64 {
		return None;
	}
	let mut path = Vec::new();
	let (mut lo, mut hi, index) = (0usize, leaves.len(), index as usize);
	// Walk down from the root, collecting the sibling subtree roots; the path lists them
	// from the leaf up, so it is reversed at the end.
	while hi - lo > 1 {
		let k = split_point((hi - lo) as u64) as usize;
		if index < lo + k {
			path.push(root_of(&leaves[lo + k..hi]));
			hi = lo + k;
		} else {
			path.push(root_of(&leaves[lo..lo + k]));
			lo += k;
		}
	}
	path.reverse();
	Some(path)
}

/// Why a proof does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
	/// The leaf index is not below the tree size, or the old tree of a consistency proof is
	/// larger than the new one.
	IndexOutOfRange,
	/// The path has more or fewer hashes than a tree of this size needs.
	WrongPathLength,
	/// The path leads to another root.
	RootMismatch,
	/// The weights of a sum tree add up to more than a `u128` holds.
	SumOverflow,
}

/// Checks that `leaf` (a leaf hash) sits at `index` in the tree of `size` leaves with `root`,
/// by the audit path `proof` (RFC 9162 §2.1.3.2). Costs one hash per path entry.
pub fn verify_inclusion<H: Sha256>(
	leaf: &Hash,
	index: u64,
	size: u64,
	proof: &[Hash],
	root: &Hash,
) -> Result<(), ProofError> {
	let computed = fold_path(*leaf, index, size, proof, |sibling, current, sibling_is_left| {
		Some(if sibling_is_left {
			node_hash::<H>(sibling, current)
		} else {
			node_hash::<H>(current, sibling)
		})
	})?;
	if &computed != root {
		return Err(ProofError::RootMismatch);
	}
	Ok(())
}

/// Walks the audit path `proof` of leaf `index` in a tree of `size` leaves up from `leaf`, as
/// RFC 9162 §2.1.3.2 does, combining with `node(sibling, current, sibling_is_left)`; returns the
/// root it reaches.
fn fold_path<N: Copy>(
	leaf: N,
	index: u64,
	size: u64,
	proof: &[N],
	mut node: impl FnMut(&N, &N, bool) -> Option<N>,
) -> Result<N, ProofError> {
	if index >= size {
		return Err(ProofError::IndexOutOfRange);
	}
	let (mut fnode, mut snode) = (index, size.saturating_sub(1));
	let mut current = leaf;
	for sibling in proof {
		if snode == 0 {
			return Err(ProofError::WrongPathLength);
		}
		if fnode & 1 == 1 || fnode == snode {
			current = node(sibling, &current, true).ok_or(ProofError::SumOverflow)?;
			if fnode & 1 == 0 {
				while fnode & 1 == 0 && fnode != 0 {
					fnode >>= 1;
					snode >>= 1;
				}
			}
		} else {
			current = node(sibling, &current, false).ok_or(ProofError::SumOverflow)?;
		}
		fnode >>= 1;
		snode >>= 1;
	}
	if snode != 0 {
		return Err(ProofError::WrongPathLength);
	}
	Ok(current)
}

#[cfg(feature = "std")]
/// The consistency proof from the tree of the first `old_size` of `leaves` to the tree of all
/// of them (RFC 6962 §2.1.2): what shows that the larger tree extends the smaller one. `None`
/// when `old_size` is 0 or more than the leaves.
pub fn consistency_proof<H: Sha256>(leaves: &[Hash], old_size: u64) -> Option<Vec<Hash>> {
	if old_size == 0 || old_size > leaves.len() as u64 {
		return None;
	}
	let mut proof = Vec::new();
	subproof::<H>(old_size as usize, leaves, true, &mut proof);
	Some(proof)
}

#[cfg(feature = "std")]
/// RFC 6962 §2.1.2 `SUBPROOF(m, leaves, complete)`, appended to `proof`.
fn subproof<H: Sha256>(m: usize, leaves: &[Hash], complete: bool, proof: &mut Vec<Hash>) {
	let n = leaves.len();
	if m == n {
		if !complete {
			proof.push(root::<H>(leaves));
		}
		return;
	}
	let k = split_point(n as u64) as usize;
	if m <= k {
		subproof::<H>(m, &leaves[..k], complete, proof);
		proof.push(root::<H>(&leaves[k..]));
	} else {
		subproof::<H>(m - k, &leaves[k..], false, proof);
		proof.push(root::<H>(&leaves[..k]));
	}
}

/// Checks that the tree of `new_size` leaves with `new_root` extends the tree of `old_size`
/// leaves with `old_root`, by the consistency proof `proof` (RFC 9162 §2.1.4.2): every leaf of
/// the old tree is in the new one, at the same place. Equal sizes need equal roots and an
/// empty proof; an empty old tree is extended by any tree. Costs two hashes per proof entry.
pub fn verify_consistency<H: Sha256>(
	old_size: u64,
	new_size: u64,
	old_root: &Hash,
	new_root: &Hash,
	proof: &[Hash],
) -> Result<(), ProofError> {
	if old_size > new_size {
		return Err(ProofError::IndexOutOfRange);
	}
	if old_size == new_size || old_size == 0 {
		if !proof.is_empty() {
			return Err(ProofError::WrongPathLength);
		}
		if old_size == new_size && old_root != new_root {
			return Err(ProofError::RootMismatch);
		}
		return Ok(());
	}
	// The path starts at the old root itself when the old tree is a perfect subtree of the new.
	let (seed, rest) = if old_size.is_power_of_two() {
		(old_root, proof)
	} else {
		proof.split_first().ok_or(ProofError::WrongPathLength)?
	};
	let (mut fnode, mut snode) = (old_size.saturating_sub(1), new_size.saturating_sub(1));
	while fnode & 1 == 1 {
		fnode >>= 1;
		snode >>= 1;
	}
	let (mut old_hash, mut new_hash) = (*seed, *seed);
	for sibling in rest {
		if snode == 0 {
			return Err(ProofError::WrongPathLength);
		}
		if fnode & 1 == 1 || fnode == snode {
			old_hash = node_hash::<H>(sibling, &old_hash);
			new_hash = node_hash::<H>(sibling, &new_hash);
			while fnode & 1 == 0 && fnode != 0 {
				fnode >>= 1;
				snode >>= 1;
			}
		} else {
			new_hash = node_hash::<H>(&new_hash, sibling);
		}
		fnode >>= 1;
		snode >>= 1;
	}
	if snode != 0 {
		return Err(ProofError::WrongPathLength);
	}
	if &old_hash != old_root || &new_hash != new_root {
		return Err(ProofError::RootMismatch);
	}
	Ok(())
}

/// A node of a Merkle sum tree: its hash and the sum of the weights of the leaves below it.
///
/// The sum tree has the shape of the RFC 6962 tree (same split points, same audit paths); its
/// nodes also carry sums, committed in their parents' hashes:
///
/// - a leaf with `data` and `weight`: `hash = SHA256(0x00 || data)`, `sum = weight`;
/// - an inner node: `hash = SHA256(0x01 || left.hash || LE128(left.sum) || right.hash ||
///   LE128(right.sum))`, `sum = left.sum + right.sum` (a sum past `u128::MAX` makes no tree);
/// - the empty tree: `(SHA256(), 0)`.
///
/// Whoever checks a leaf's audit path recomputes every sum on it, so a tree whose inner sums lie
/// gives its leaves proofs that fail: the leaves with valid proofs against a root `(hash, sum)`
/// have weights adding up to at most `sum`, and each proof also fixes where its leaf's range
/// `[offset, offset + weight)` lies in `[0, sum)` (see [`verify_sum_inclusion`]). A commitment
/// to a million weights thus proves their total, so no one can be promised more than the whole.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
	codec::MaxEncodedLen,
)]
pub struct SumNode {
	pub hash: Hash,
	pub sum: u128,
}

/// The sum-tree leaf holding `data` with `weight`.
pub fn sum_leaf<H: Sha256>(data: &[u8], weight: u128) -> SumNode {
	SumNode { hash: leaf_hash::<H>(data), sum: weight }
}

/// The sum-tree node over two subtrees, or `None` when their sums overflow.
pub fn sum_node<H: Sha256>(left: &SumNode, right: &SumNode) -> Option<SumNode> {
	let sum = left.sum.checked_add(right.sum)?;
	let hash = H::digest(&[
		&[0x01],
		&left.hash,
		&left.sum.to_le_bytes(),
		&right.hash,
		&right.sum.to_le_bytes(),
	]);
	Some(SumNode { hash, sum })
}

#[cfg(feature = "std")]
/// The root of the sum tree over `leaves` (made with [`sum_leaf`]), or `None` when the weights
/// overflow.
pub fn sum_root<H: Sha256>(leaves: &[SumNode]) -> Option<SumNode> {
	match leaves.len() {
		0 => Some(SumNode { hash: empty_root::<H>(), sum: 0 }),
		1 => leaves.first().copied(),
		n => {
			let k = split_point(n as u64) as usize;
			sum_node::<H>(&sum_root::<H>(&leaves[..k])?, &sum_root::<H>(&leaves[k..])?)
		},
	}
}

#[cfg(feature = "std")]
/// The audit path of leaf `index` among `leaves` in the sum tree: the sibling subtrees' roots
/// with their sums. `None` when `index` is out of range or the weights overflow.
pub fn sum_inclusion_proof<H: Sha256>(leaves: &[SumNode], index: u64) -> Option<Vec<SumNode>> {
	// Every subtree's sum is at most the whole tree's, so none overflows once it does not.
	sum_root::<H>(leaves)?;
	audit_path(leaves, index, |subtree| sum_root::<H>(subtree).unwrap_or_default())
}

/// Checks that `leaf` sits at `index` in the sum tree of `size` leaves whose root is `root`, by
/// the audit path `proof`. Returns the leaf's offset: the sum of the weights of the leaves
/// before it, so that its range `[offset, offset + leaf.sum)` lies within `[0, root.sum)` and
/// no other leaf with a valid proof has a range overlapping it.
pub fn verify_sum_inclusion<H: Sha256>(
	leaf: &SumNode,
	index: u64,
	size: u64,
	proof: &[SumNode],
	root: &SumNode,
) -> Result<u128, ProofError> {
	let mut offset: u128 = 0;
	let computed = fold_path(*leaf, index, size, proof, |sibling, current, sibling_is_left| {
		if sibling_is_left {
			// Whatever lies left of the path comes before the leaf.
			offset = offset.checked_add(sibling.sum)?;
			sum_node::<H>(sibling, current)
		} else {
			sum_node::<H>(current, sibling)
		}
	})?;
	if &computed != root {
		return Err(ProofError::RootMismatch);
	}
	Ok(offset)
}
