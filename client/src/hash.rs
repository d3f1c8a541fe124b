//! `prov hash`: the Merkle root of a directory, a line-oriented file or a `sha256sum` manifest,
//! by the chain's Merkle spec (`provenance_primitives::merkle`), and inclusion proofs.
//!
//! Input is streamed: files are read in blocks, never whole; files of a directory and blocks of
//! lines are hashed on every core (rayon), their leaves pushed into the tree in order.

use crate::{progress::Progress, Failure};
use provenance_primitives::merkle::{self, Hash, NativeSha256, RootBuilder};
use rayon::prelude::*;
use sha2::Digest;
use std::{
	fs::File,
	io::{self, BufRead, BufReader, Read},
	path::{Path, PathBuf},
	sync::mpsc,
};

/// How an input is cut into leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
	/// One leaf per regular file: `SHA256(file) || relative path`, ordered by path bytes.
	Directory,
	/// One leaf per line, without its ending.
	Lines,
	/// `<sha256>  <path>` lines, as `sha256sum` prints them: the root of the directory described.
	Manifest,
}

impl Form {
	pub fn name(self) -> &'static str {
		match self {
			Form::Directory => "directory",
			Form::Lines => "lines",
			Form::Manifest => "manifest",
		}
	}
}

/// Which leaf to prove: a file's relative path (directory, manifest) or a line's index (lines,
/// from 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
	Path(String),
	Line(u64),
}

/// A hashed input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
	pub form: Form,
	pub root: Hash,
	/// Leaves: files or lines (a dataset's `record_count`).
	pub records: u64,
	/// Bytes read (a dataset's `byte_size`); a manifest does not tell.
	pub bytes: Option<u64>,
}

/// An inclusion proof of one leaf: what `prov verify` and the chain's `verify_record` check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
	pub item: Item,
	pub index: u64,
	/// The tree size the proof is for.
	pub size: u64,
	pub leaf: Hash,
	/// The RFC 6962 audit path, from the leaf up.
	pub path: Vec<Hash>,
}

/// Bytes read from a file at a time.
const READ_BLOCK: usize = 1 << 20;
/// Bytes of a line-oriented file hashed as one parallel batch.
const LINE_BATCH: usize = 8 << 20;

/// Hashes `input` as `form`, with a proof of `item` when one is asked for.
pub fn hash(
	input: &Path,
	form: Form,
	item: Option<&Item>,
	progress: &Progress,
) -> Result<(Tree, Option<Proof>), Failure> {
	// A path names its leaf as the spec writes it, whatever "./" it came with.
	let item = item.map(|item| match item {
		Item::Path(path) => Item::Path(normalise(path).to_owned()),
		line => line.clone(),
	});
	let item = item.as_ref();
	match form {
		Form::Directory => {
			let files = list_files(input)?;
			progress.set_total(files.iter().map(|f| f.size).sum());
			let digests = files
				.par_iter()
				.map_init(
					|| vec![0u8; READ_BLOCK],
					|buffer, file| digest_file(&file.full, buffer, progress),
				)
				.collect::<Result<Vec<Hash>, Failure>>()?;
			let leaves: Vec<Hash> = files
				.par_iter()
				.zip(&digests)
				.map(|(file, digest)| merkle::file_leaf::<NativeSha256>(digest, &file.path))
				.collect();
			let bytes = files.iter().map(|f| f.size).sum();
			let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
			finish(form, leaves, Some(bytes), item, |item| index_of_path(&paths, item))
		},
		Form::Manifest => {
			let entries = read_manifest(input)?;
			let leaves: Vec<Hash> = entries
				.par_iter()
				.map(|(path, digest)| merkle::file_leaf::<NativeSha256>(digest, path))
				.collect();
			let paths: Vec<&str> = entries.iter().map(|(path, _)| path.as_str()).collect();
			finish(form, leaves, None, item, |item| index_of_path(&paths, item))
		},
		Form::Lines => hash_lines(input, item, progress),
	}
}

/// The tree over `leaves`, and the proof of `item` located by `index_of`.
fn finish(
	form: Form,
	leaves: Vec<Hash>,
	bytes: Option<u64>,
	item: Option<&Item>,
	index_of: impl Fn(&Item) -> Result<u64, Failure>,
) -> Result<(Tree, Option<Proof>), Failure> {
	let tree = Tree {
		form,
		root: merkle::root::<NativeSha256>(&leaves),
		records: leaves.len() as u64,
		bytes,
	};
	let proof = item.map(|item| prove(&leaves, item.clone(), index_of(item)?)).transpose()?;
	Ok((tree, proof))
}

fn prove(leaves: &[Hash], item: Item, index: u64) -> Result<Proof, Failure> {
	let path = merkle::inclusion_proof::<NativeSha256>(leaves, index).ok_or_else(|| {
		Failure::Input(format!(
			"leaf {index} is out of range: the input has {} leaves",
			leaves.len()
		))
	})?;
	Ok(Proof { item, index, size: leaves.len() as u64, leaf: leaves[index as usize], path })
}

fn index_of_path(sorted_paths: &[&str], item: &Item) -> Result<u64, Failure> {
	let Item::Path(path) = item else {
		return Err(Failure::Usage("a directory or manifest proves a file: pass its path".into()));
	};
	sorted_paths
		.binary_search_by(|p| p.as_bytes().cmp(path.as_bytes()))
		.map(|i| i as u64)
		.map_err(|_| Failure::Input(format!("{path}: no such file in the input")))
}

/// A path as the spec writes it: relative, '/'-separated, without a leading "./".
fn normalise(path: &str) -> &str {
	let mut path = path;
	while let Some(rest) = path.strip_prefix("./") {
		path = rest;
	}
	path
}

/// A regular file found under the hashed directory.
struct FileEntry {
	/// Relative to the directory, '/'-separated.
	path: String,
	full: PathBuf,
	size: u64,
}

/// The regular files under `root`, sorted by the bytes of their relative paths. Symbolic links
/// are not followed (a link is not a regular file of the dataset).
fn list_files(root: &Path) -> Result<Vec<FileEntry>, Failure> {
	let io_error = |path: &Path, e: io::Error| Failure::Input(format!("{}: {e}", path.display()));
	let mut files = Vec::new();
	let mut pending = vec![(root.to_path_buf(), String::new())];
	while let Some((dir, prefix)) = pending.pop() {
		for entry in std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))? {
			let entry = entry.map_err(|e| io_error(&dir, e))?;
			let full = entry.path();
			let name = entry.file_name().into_string().map_err(|name| {
				Failure::Input(format!("{}: the path is not UTF-8 ({name:?})", full.display()))
			})?;
			let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
			let kind = entry.file_type().map_err(|e| io_error(&full, e))?;
			if kind.is_dir() {
				pending.push((full, path));
			} else if kind.is_file() {
				let size = entry.metadata().map_err(|e| io_error(&full, e))?.len();
				files.push(FileEntry { path, full, size });
			}
		}
	}
	files.par_sort_unstable_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
	Ok(files)
}

/// SHA-256 of a file, read in blocks of `buffer`'s size.
fn digest_file(path: &Path, buffer: &mut [u8], progress: &Progress) -> Result<Hash, Failure> {
	let io_error = |e: io::Error| Failure::Input(format!("{}: {e}", path.display()));
	let mut file = File::open(path).map_err(io_error)?;
	let mut hasher = sha2::Sha256::new();
	loop {
		let read = match file.read(buffer) {
			Ok(0) => break,
			Ok(read) => read,
			Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
			Err(e) => return Err(io_error(e)),
		};
		hasher.update(&buffer[..read]);
		progress.advance(read as u64);
	}
	Ok(hasher.finalize().into())
}

/// A manifest's entries, `(path, digest)`, sorted by path bytes. Accepts `sha256sum`'s text
/// (`<hex>  <path>`) and binary (`<hex> *<path>`) lines and its escaped names (a line starting
/// with '\' has "\\" and "\n" escapes in its path); blank lines are skipped.
fn read_manifest(input: &Path) -> Result<Vec<(String, Hash)>, Failure> {
	let file =
		File::open(input).map_err(|e| Failure::Input(format!("{}: {e}", input.display())))?;
	let mut entries = Vec::new();
	for (number, line) in BufReader::new(file).lines().enumerate() {
		let line = line.map_err(|e| Failure::Input(format!("{}: {e}", input.display())))?;
		let malformed = || {
			Failure::Input(format!(
				"{}:{}: not a sha256sum line (\"<64 hex digits>  <path>\")",
				input.display(),
				number + 1
			))
		};
		if line.trim().is_empty() {
			continue;
		}
		let (escaped, line) = match line.strip_prefix('\\') {
			Some(rest) => (true, rest),
			None => (false, line.as_str()),
		};
		let (digest, rest) = line.split_at_checked(64).ok_or_else(malformed)?;
		let path =
			rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *")).ok_or_else(malformed)?;
		let digest: Hash = hex::decode(digest)
			.ok()
			.and_then(|bytes| bytes.try_into().ok())
			.ok_or_else(malformed)?;
		let path = if escaped { unescape(path).ok_or_else(malformed)? } else { path.to_owned() };
		entries.push((normalise(&path).to_owned(), digest));
	}
	entries.par_sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
	if let Some(pair) = entries.windows(2).find(|pair| pair[0].0 == pair[1].0) {
		return Err(Failure::Input(format!("{}: {} is listed twice", input.display(), pair[0].0)));
	}
	Ok(entries)
}

/// Undoes `sha256sum`'s escaping of a path: "\\" and "\n".
fn unescape(path: &str) -> Option<String> {
	let mut out = String::with_capacity(path.len());
	let mut chars = path.chars();
	while let Some(c) = chars.next() {
		out.push(match c {
			'\\' => match chars.next()? {
				'\\' => '\\',
				'n' => '\n',
				_ => return None,
			},
			c => c,
		});
	}
	Some(out)
}

/// Hashes a line-oriented file: a reader thread cuts it into batches that end at a line end,
/// the lines of each batch are hashed on every core while the next batch is read.
fn hash_lines(
	input: &Path,
	item: Option<&Item>,
	progress: &Progress,
) -> Result<(Tree, Option<Proof>), Failure> {
	let io_error = |e: io::Error| Failure::Input(format!("{}: {e}", input.display()));
	let file = File::open(input).map_err(io_error)?;
	progress.set_total(file.metadata().map_err(io_error)?.len());
	let wanted = match item {
		None => None,
		Some(Item::Line(index)) => Some(*index),
		Some(Item::Path(_)) => {
			return Err(Failure::Usage("a line-oriented file proves a line: pass its index".into()))
		},
	};
	// Leaves are kept only for a proof (32 bytes a line); the root alone needs O(log n).
	let mut kept = wanted.map(|_| Vec::new());
	let mut builder = RootBuilder::<NativeSha256>::new();
	let (batches, receiver) = mpsc::sync_channel::<io::Result<Vec<u8>>>(2);
	let mut bytes = 0u64;
	std::thread::scope(|scope| -> Result<(), Failure> {
		scope.spawn(move || read_line_batches(file, batches));
		for batch in receiver {
			let batch = batch.map_err(io_error)?;
			bytes += batch.len() as u64;
			// Every batch but the last ends with '\n'; that ending starts no further line.
			let body = batch.strip_suffix(b"\n").unwrap_or(&batch);
			let leaves: Vec<Hash> = body
				.par_split(|byte| *byte == b'\n')
				.map(|line| merkle::leaf_hash::<NativeSha256>(merkle::line_data(line)))
				.collect();
			leaves.iter().for_each(|leaf| builder.push(*leaf));
			if let Some(kept) = kept.as_mut() {
				kept.extend_from_slice(&leaves);
			}
			progress.advance(batch.len() as u64);
		}
		Ok(())
	})?;
	let tree = Tree {
		form: Form::Lines,
		root: builder.root(),
		records: builder.len(),
		bytes: Some(bytes),
	};
	let proof = match (kept, wanted) {
		(Some(leaves), Some(index)) => Some(prove(&leaves, Item::Line(index), index)?),
		_ => None,
	};
	Ok((tree, proof))
}

/// Reads `file` in batches of about [`LINE_BATCH`] bytes, each ending at a '\n' (the last one
/// may not), and sends them in order; a line longer than a batch makes a longer batch.
fn read_line_batches(mut file: File, batches: mpsc::SyncSender<io::Result<Vec<u8>>>) {
	let mut carry = Vec::new();
	loop {
		let mut batch = std::mem::take(&mut carry);
		let start = batch.len();
		batch.resize(start + LINE_BATCH, 0);
		let filled = match read_full(&mut file, &mut batch[start..]) {
			Ok(filled) => filled,
			Err(e) => {
				let _ = batches.send(Err(e));
				return;
			},
		};
		batch.truncate(start + filled);
		if filled == 0 {
			// End of the file: what is left is the last line, without an ending.
			if !batch.is_empty() {
				let _ = batches.send(Ok(batch));
			}
			return;
		}
		match batch.iter().rposition(|byte| *byte == b'\n') {
			Some(last_end) => {
				carry = batch.split_off(last_end + 1);
				if batches.send(Ok(batch)).is_err() {
					return;
				}
			},
			None => carry = batch,
		}
	}
}

/// Reads until `buffer` is full or the file ends; returns how much was read.
fn read_full(file: &mut File, buffer: &mut [u8]) -> io::Result<usize> {
	let mut filled = 0;
	while filled < buffer.len() {
		match file.read(&mut buffer[filled..]) {
			Ok(0) => break,
			Ok(read) => filled += read,
			Err(e) if e.kind() == io::ErrorKind::Interrupted => {},
			Err(e) => return Err(e),
		}
	}
	Ok(filled)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn manifest_paths_are_unescaped_and_normalised() {
		assert_eq!(unescape(r"a\\b\nc").as_deref(), Some("a\\b\nc"));
		assert_eq!(unescape(r"bad\x"), None);
		assert_eq!(normalise("././data/x"), "data/x");
		assert_eq!(normalise("data/./x"), "data/./x");
	}
}
