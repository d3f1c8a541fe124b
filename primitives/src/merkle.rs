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
//! can use its host function and clients a native implementation, over the same code.

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

/// The data of a line of a line-oriented file (JSONL, CSV, text): the line without its ending,
/// `"\n"` or `"\r\n"`. Each line is a leaf ([`leaf_hash`]); a final line ending starts no new line.
pub fn line_data(line: &[u8]) -> &[u8] {
	let line = line.strip_suffix(b"\n").unwrap_or(line);
	line.strip_suffix(b"\r").unwrap_or(line)
}

/// The largest power of two smaller than `n` (`n >= 2`): where a tree of `n` leaves splits.
fn split_point(n: u64) -> u64 {
	debug_assert!(n >= 2);
	1u64 << (63 - (n - 1).leading_zeros())
}

/// The root over `leaves`, already hashed with [`leaf_hash`].
pub fn root<H: Sha256>(leaves: &[Hash]) -> Hash {
	let mut builder = RootBuilder::<H>::new();
	for leaf in leaves {
		builder.push(*leaf);
	}
	builder.root()
}

/// Builds a root from leaf hashes arriving one at a time, holding one hash per level
/// (`O(log n)` memory): what hashing a large dataset as a stream needs.
pub struct RootBuilder<H> {
	/// Roots of perfect subtrees, left to right, with their heights strictly decreasing.
	stack: Vec<(u32, Hash)>,
	leaves: u64,
	_hasher: core::marker::PhantomData<H>,
}

impl<H: Sha256> Default for RootBuilder<H> {
	fn default() -> Self {
		Self::new()
	}
}

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

/// The audit path of leaf `index` among `leaves` (leaf hashes), or `None` when `index` is out
/// of range.
pub fn inclusion_proof<H: Sha256>(leaves: &[Hash], index: u64) -> Option<Vec<Hash>> {
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
			path.push(root::<H>(&leaves[lo + k..hi]));
			hi = lo + k;
		} else {
			path.push(root::<H>(&leaves[lo..lo + k]));
			lo += k;
		}
	}
	path.reverse();
	Some(path)
}

/// Why an inclusion proof does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
	/// The leaf index is not below the tree size.
	IndexOutOfRange,
	/// The path has more or fewer hashes than a tree of this size needs.
	WrongPathLength,
	/// The path leads to another root.
	RootMismatch,
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
	if index >= size {
		return Err(ProofError::IndexOutOfRange);
	}
	let (mut fnode, mut snode) = (index, size - 1);
	let mut hash = *leaf;
	for sibling in proof {
		if snode == 0 {
			return Err(ProofError::WrongPathLength);
		}
		if fnode & 1 == 1 || fnode == snode {
			hash = node_hash::<H>(sibling, &hash);
			if fnode & 1 == 0 {
				while fnode & 1 == 0 && fnode != 0 {
					fnode >>= 1;
					snode >>= 1;
				}
			}
		} else {
			hash = node_hash::<H>(&hash, sibling);
		}
		fnode >>= 1;
		snode >>= 1;
	}
	if snode != 0 {
		return Err(ProofError::WrongPathLength);
	}
	if &hash != root {
		return Err(ProofError::RootMismatch);
	}
	Ok(())
}
