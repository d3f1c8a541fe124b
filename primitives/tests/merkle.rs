//! The Merkle tree against the RFC 6962 reference vectors and our own published vectors.

use provenance_primitives::merkle::{
	empty_root, inclusion_proof, leaf_hash, root, verify_inclusion, Hash, NativeSha256 as H,
	ProofError, RootBuilder,
};
use serde_json::Value;

fn hex32(v: &Value) -> Hash {
	hex::decode(v.as_str().expect("hex string")).expect("hex").try_into().expect("32 bytes")
}

fn vectors(name: &str) -> Value {
	let path = format!("{}/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
	serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("json")
}

#[test]
fn rfc6962_reference_roots_and_paths() {
	let v = vectors("rfc6962.json");
	assert_eq!(empty_root::<H>(), hex32(&v["empty_root"]));
	let leaves: Vec<Hash> = v["leaves_hex"]
		.as_array()
		.unwrap()
		.iter()
		.map(|l| leaf_hash::<H>(&hex::decode(l.as_str().unwrap()).unwrap()))
		.collect();
	for case in v["roots"].as_array().unwrap() {
		let size = case["size"].as_u64().unwrap() as usize;
		assert_eq!(root::<H>(&leaves[..size]), hex32(&case["root"]), "root of {size}");
	}
	let proofs = v["proofs"].as_array().unwrap();
	assert!(!proofs.is_empty());
	for case in proofs {
		let (size, index) = (case["size"].as_u64().unwrap(), case["index"].as_u64().unwrap());
		let path: Vec<Hash> = case["path"].as_array().unwrap().iter().map(hex32).collect();
		let tree = &leaves[..size as usize];
		assert_eq!(inclusion_proof::<H>(tree, index).unwrap(), path, "path {index} of {size}");
		let leaf = leaf_hash::<H>(&hex::decode(case["leaf_hex"].as_str().unwrap()).unwrap());
		assert_eq!(verify_inclusion::<H>(&leaf, index, size, &path, &root::<H>(tree)), Ok(()));
	}
}

#[test]
fn published_vectors_hold() {
	let v = vectors("provenance.json");
	for case in v["trees"].as_array().unwrap() {
		let size = case["size"].as_u64().unwrap();
		let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash::<H>(&leaf_data(i))).collect();
		let expected_root = hex32(&case["root"]);
		assert_eq!(root::<H>(&leaves), expected_root, "root of {size}");
		for proof in case["proofs"].as_array().unwrap() {
			let index = proof["index"].as_u64().unwrap();
			let path: Vec<Hash> = proof["path"].as_array().unwrap().iter().map(hex32).collect();
			assert_eq!(inclusion_proof::<H>(&leaves, index).unwrap(), path);
			assert_eq!(
				verify_inclusion::<H>(&leaves[index as usize], index, size, &path, &expected_root),
				Ok(())
			);
		}
	}
}

/// The data of leaf `i` in the published vectors: the ASCII decimal of `i`, as documented in
/// vectors/provenance.json.
fn leaf_data(i: u64) -> Vec<u8> {
	i.to_string().into_bytes()
}

#[test]
fn the_streaming_builder_agrees_with_the_recursive_definition() {
	for size in 0..70u64 {
		let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash::<H>(&leaf_data(i))).collect();
		let mut builder = RootBuilder::<H>::new();
		leaves.iter().for_each(|l| builder.push(*l));
		assert_eq!(builder.len(), size);
		assert_eq!(builder.root(), recursive_root(&leaves), "size {size}");
		assert_eq!(root::<H>(&leaves), recursive_root(&leaves));
	}
}

/// RFC 6962's MTH, written as the RFC states it.
fn recursive_root(leaves: &[Hash]) -> Hash {
	use provenance_primitives::merkle::node_hash;
	match leaves.len() {
		0 => empty_root::<H>(),
		1 => leaves[0],
		n => {
			let k = (1usize << (usize::BITS - (n - 1).leading_zeros())) / 2;
			node_hash::<H>(&recursive_root(&leaves[..k]), &recursive_root(&leaves[k..]))
		},
	}
}

#[test]
fn every_proof_of_every_small_tree_verifies_and_no_tampered_one_does() {
	for size in 1..40u64 {
		let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash::<H>(&leaf_data(i))).collect();
		let tree_root = root::<H>(&leaves);
		for index in 0..size {
			let path = inclusion_proof::<H>(&leaves, index).unwrap();
			let leaf = &leaves[index as usize];
			assert_eq!(verify_inclusion::<H>(leaf, index, size, &path, &tree_root), Ok(()));
			// Another leaf, another index, a flipped path byte, a short or long path: all fail.
			let other = leaf_hash::<H>(b"not in the tree");
			assert_eq!(
				verify_inclusion::<H>(&other, index, size, &path, &tree_root),
				Err(ProofError::RootMismatch)
			);
			if size > 1 {
				let wrong_index = (index + 1) % size;
				assert!(verify_inclusion::<H>(leaf, wrong_index, size, &path, &tree_root).is_err());
				let mut flipped = path.clone();
				flipped[0][0] ^= 1;
				assert!(verify_inclusion::<H>(leaf, index, size, &flipped, &tree_root).is_err());
				assert!(verify_inclusion::<H>(leaf, index, size, &path[1..], &tree_root).is_err());
			}
			let mut long = path.clone();
			long.push([0; 32]);
			assert_eq!(
				verify_inclusion::<H>(leaf, index, size, &long, &tree_root),
				Err(ProofError::WrongPathLength)
			);
		}
		assert_eq!(
			verify_inclusion::<H>(&leaves[0], size, size, &[], &tree_root),
			Err(ProofError::IndexOutOfRange)
		);
		assert!(inclusion_proof::<H>(&leaves, size).is_none());
	}
}
