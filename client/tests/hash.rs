//! `prov hash` against the primitives' vectors (RFC 6962's and ours), against `sha256sum`
//! manifests of the same files, and across its parallel batches.

use provenance_cli::{
	hash::{hash, Form, Item, Proof, Tree},
	progress::Progress,
	to_hex,
};
use provenance_primitives::merkle::{self, Hash, NativeSha256 as H};
use serde_json::Value;
use std::{
	path::{Path, PathBuf},
	process::Command,
};

fn vectors_dir() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../primitives/vectors")
}

fn vectors(name: &str) -> Value {
	let path = vectors_dir().join(name);
	serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn run(path: &Path, form: Form, item: Option<Item>) -> (Tree, Option<Proof>) {
	hash(path, form, item.as_ref(), &Progress::new(false)).unwrap()
}

fn hex32(value: &Value) -> Hash {
	hex::decode(value.as_str().unwrap()).unwrap().try_into().unwrap()
}

#[test]
fn the_three_forms_give_the_published_roots() {
	let forms = vectors("forms.json");
	for (key, form) in
		[("directory", Form::Directory), ("manifest", Form::Manifest), ("lines", Form::Lines)]
	{
		let case = &forms[key];
		let (tree, _) = run(&vectors_dir().join(case["path"].as_str().unwrap()), form, None);
		assert_eq!(to_hex(&tree.root), format!("0x{}", case["root"].as_str().unwrap()), "{key}");
		assert_eq!(tree.records, case["records"].as_u64().unwrap(), "{key}");
		let bytes = if form == Form::Manifest { None } else { case["bytes"].as_u64() };
		assert_eq!(tree.bytes, bytes, "{key}");
	}
}

#[test]
fn lines_of_the_rfc6962_leaves_give_the_reference_roots() {
	let v = vectors("rfc6962.json");
	let leaves: Vec<Vec<u8>> = v["leaves_hex"]
		.as_array()
		.unwrap()
		.iter()
		.map(|l| hex::decode(l.as_str().unwrap()).unwrap())
		.collect();
	let dir = tempfile::tempdir().unwrap();
	for case in v["roots"].as_array().unwrap() {
		let size = case["size"].as_u64().unwrap() as usize;
		let file = dir.path().join(format!("rfc-{size}.txt"));
		std::fs::write(
			&file,
			leaves[..size].iter().map(|l| [&l[..], b"\n"].concat()).collect::<Vec<_>>().concat(),
		)
		.unwrap();
		let (tree, _) = run(&file, Form::Lines, None);
		assert_eq!(tree.root, hex32(&case["root"]), "RFC 6962 root of {size}");
		assert_eq!(tree.records, size as u64);
	}
}

#[test]
fn lines_give_the_published_roots_and_proofs() {
	let v = vectors("provenance.json");
	let dir = tempfile::tempdir().unwrap();
	for case in v["trees"].as_array().unwrap() {
		let size = case["size"].as_u64().unwrap();
		let file = dir.path().join(format!("{size}.txt"));
		std::fs::write(&file, (0..size).map(|i| format!("{i}\n")).collect::<String>()).unwrap();
		for proof in case["proofs"].as_array().unwrap() {
			let index = proof["index"].as_u64().unwrap();
			let (tree, got) = run(&file, Form::Lines, Some(Item::Line(index)));
			assert_eq!(tree.root, hex32(&case["root"]));
			let got = got.unwrap();
			assert_eq!((got.index, got.size, got.leaf), (index, size, hex32(&proof["leaf_hash"])));
			let path: Vec<Hash> = proof["path"].as_array().unwrap().iter().map(hex32).collect();
			assert_eq!(got.path, path, "proof of {index} in {size}");
		}
		assert_eq!(run(&file, Form::Lines, None).0.root, hex32(&case["root"]), "root of {size}");
	}
}

/// Files of mixed sizes in nested directories, and the manifest `sha256sum` writes of them.
fn sample_directory(root: &Path) -> PathBuf {
	let data = root.join("data");
	for (i, size) in [0usize, 1, 1000, 70_000, 3 << 20].into_iter().enumerate() {
		let dir = data.join(format!("shard-{}", i % 2));
		std::fs::create_dir_all(&dir).unwrap();
		let bytes: Vec<u8> = (0..size).map(|b| (b * 31 + i) as u8).collect();
		std::fs::write(dir.join(format!("part {i}.bin")), bytes).unwrap();
	}
	let manifest = root.join("SHA256SUMS");
	let listing = Command::new("sh")
		.arg("-c")
		.arg("find . -type f -exec sha256sum {} + | sort -r")
		.current_dir(&data)
		.output()
		.expect("sha256sum runs");
	assert!(listing.status.success());
	std::fs::write(&manifest, listing.stdout).unwrap();
	data
}

#[test]
fn a_manifest_made_by_sha256sum_has_the_directory_root_and_proofs() {
	let scratch = tempfile::tempdir().unwrap();
	let data = sample_directory(scratch.path());
	let manifest = scratch.path().join("SHA256SUMS");
	let item = Item::Path("shard-0/part 2.bin".into());
	let (from_files, file_proof) = run(&data, Form::Directory, Some(item.clone()));
	let (from_manifest, manifest_proof) = run(&manifest, Form::Manifest, Some(item));
	assert_eq!(from_files.root, from_manifest.root);
	assert_eq!((from_files.records, from_files.bytes), (5, Some(1 + 1000 + 70_000 + (3 << 20))));
	assert_eq!(file_proof, manifest_proof);
	let proof = file_proof.unwrap();
	let digest: Hash = {
		use sha2::Digest;
		sha2::Sha256::digest(std::fs::read(data.join("shard-0/part 2.bin")).unwrap()).into()
	};
	assert_eq!(proof.leaf, merkle::file_leaf::<H>(&digest, "shard-0/part 2.bin"));
	assert_eq!(
		merkle::verify_inclusion::<H>(
			&proof.leaf,
			proof.index,
			proof.size,
			&proof.path,
			&from_files.root
		),
		Ok(())
	);
}

#[test]
fn batches_split_at_line_ends_whatever_the_line_lengths() {
	// 20 MiB of lines of varied lengths, CRLF and LF, empty lines, and a line longer than a
	// batch: the streamed root equals the root of the whole file split in memory.
	let mut content = Vec::new();
	let mut i = 0u64;
	while content.len() < 20 << 20 {
		let len = (i * 7919) % 600;
		content.extend(std::iter::repeat(b'a' + (i % 26) as u8).take(len as usize));
		content.extend_from_slice(if i.is_multiple_of(3) { b"\r\n" } else { b"\n" });
		if i == 5000 {
			content.extend(std::iter::repeat(b'x').take(9 << 20));
			content.push(b'\n');
		}
		i += 1;
	}
	content.extend_from_slice(b"last line without an ending");
	let file = tempfile::NamedTempFile::new().unwrap();
	std::fs::write(file.path(), &content).unwrap();
	let leaves: Vec<Hash> = content
		.split(|b| *b == b'\n')
		.map(|line| merkle::leaf_hash::<H>(merkle::line_data(line)))
		.collect();
	let (tree, proof) = run(file.path(), Form::Lines, Some(Item::Line(5001)));
	assert_eq!(tree.records, leaves.len() as u64);
	assert_eq!(tree.root, merkle::root::<H>(&leaves));
	assert_eq!(tree.bytes, Some(content.len() as u64));
	assert_eq!(proof.unwrap().path, merkle::inclusion_proof::<H>(&leaves, 5001).unwrap());
}

#[test]
fn empty_inputs_and_lone_line_ends() {
	let file = tempfile::NamedTempFile::new().unwrap();
	assert_eq!(run(file.path(), Form::Lines, None).0.root, merkle::empty_root::<H>());
	std::fs::write(file.path(), "\n").unwrap();
	let (tree, _) = run(file.path(), Form::Lines, None);
	assert_eq!((tree.records, tree.root), (1, merkle::leaf_hash::<H>(b"")));
	std::fs::write(file.path(), "a\r\n\r\nb").unwrap();
	let (tree, _) = run(file.path(), Form::Lines, None);
	let expected = [b"a".as_slice(), b"", b"b"].map(|l| merkle::leaf_hash::<H>(l));
	assert_eq!((tree.records, tree.root), (3, merkle::root::<H>(&expected)));
	let dir = tempfile::tempdir().unwrap();
	assert_eq!(run(dir.path(), Form::Directory, None).0.records, 0);
}

#[test]
fn the_cli_prints_roots_and_proofs_as_json_and_exits_with_meaningful_codes() {
	let prov = env!("CARGO_BIN_EXE_prov");
	let forms = vectors("forms.json");
	let dir = vectors_dir().join("forms/dir");
	let output = Command::new(prov)
		.args(["hash", "--json", "--proof", "./data/part-0.jsonl"])
		.arg(&dir)
		.output()
		.unwrap();
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(printed["root"], format!("0x{}", forms["directory"]["root"].as_str().unwrap()));
	assert_eq!(printed["records"], 8);
	assert_eq!(printed["proof"]["item"]["path"], "data/part-0.jsonl");
	assert_eq!(printed["proof"]["size"], 8);

	let missing = Command::new(prov)
		.args(["hash", "--json", "--proof", "no/such/file"])
		.arg(&dir)
		.output()
		.unwrap();
	assert_eq!(missing.status.code(), Some(3), "an item not in the input is an input error");
	let error: Value = serde_json::from_slice(&missing.stdout).unwrap();
	assert_eq!(error["error"], "input");
	let unreadable = Command::new(prov).args(["hash", "/no/such/path"]).output().unwrap();
	assert_eq!(unreadable.status.code(), Some(3));
	let usage = Command::new(prov).args(["hash"]).output().unwrap();
	assert_eq!(usage.status.code(), Some(2));
}
