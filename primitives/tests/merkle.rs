//! The Merkle tree against the RFC 6962 reference vectors and our own published vectors.

use provenance_primitives::merkle::{
	consistency_proof, empty_root, inclusion_proof, leaf_hash, root, sum_inclusion_proof, sum_leaf,
	sum_node, sum_root, verify_consistency, verify_inclusion, verify_sum_inclusion, Hash,
	NativeSha256 as H, ProofError, RootBuilder, SumNode,
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

fn hashes(v: &Value) -> Vec<Hash> {
	v.as_array().expect("array").iter().map(hex32).collect()
}

#[test]
fn rfc6962_reference_consistency_proofs_and_their_corruptions() {
	let v = vectors("rfc6962.json");
	let roots: Vec<Hash> =
		v["roots"].as_array().unwrap().iter().map(|r| hex32(&r["root"])).collect();
	let cases = v["consistency"].as_array().unwrap();
	assert_eq!(cases.len(), 5);
	for case in cases {
		let (old, new) = (case["old_size"].as_u64().unwrap(), case["new_size"].as_u64().unwrap());
		let proof = hashes(&case["proof"]);
		let (old_root, new_root) = (roots[old as usize - 1], roots[new as usize - 1]);
		assert_eq!(verify_consistency::<H>(old, new, &old_root, &new_root, &proof), Ok(()));
		if proof.is_empty() {
			continue;
		}
		// The probes of transparency-dev/merkle's verifier tests: every one must fail.
		let mut probes: Vec<(u64, u64, Hash, Hash, Vec<Hash>)> = vec![
			(old - 1, new, old_root, new_root, proof.clone()),
			(old + 1, new, old_root, new_root, proof.clone()),
			(old ^ 2, new, old_root, new_root, proof.clone()),
			(old, new * 2, old_root, new_root, proof.clone()),
			(old, new / 2, old_root, new_root, proof.clone()),
			(old, new, [7; 32], new_root, proof.clone()),
			(old, new, old_root, [7; 32], proof.clone()),
			(old, new, new_root, old_root, proof.clone()),
			(old, new, old_root, new_root, vec![]),
			(old, new, old_root, new_root, [proof.clone(), vec![old_root]].concat()),
			(old, new, old_root, new_root, [proof.clone(), vec![new_root]].concat()),
			(old, new, old_root, new_root, [vec![old_root], proof.clone()].concat()),
			(old, new, old_root, new_root, [vec![new_root], proof.clone()].concat()),
			(old, new, old_root, new_root, [vec![proof[0]], proof.clone()].concat()),
			(old, new, old_root, new_root, proof[..proof.len() - 1].to_vec()),
		];
		for i in 0..proof.len() {
			let mut flipped = proof.clone();
			flipped[i][0] ^= 16;
			probes.push((old, new, old_root, new_root, flipped));
		}
		for (i, (o, n, a, b, p)) in probes.into_iter().enumerate() {
			assert!(
				verify_consistency::<H>(o, n, &a, &b, &p).is_err(),
				"probe {i} of {old}->{new} verified"
			);
		}
	}
}

#[test]
fn consistency_proofs_are_the_published_ones_and_verify_for_every_pair_of_small_trees() {
	let v = vectors("provenance.json");
	let leaves: Vec<Hash> = (0..1000).map(|i| leaf_hash::<H>(&leaf_data(i))).collect();
	for case in v["consistency"].as_array().unwrap() {
		let (old, new) = (case["old_size"].as_u64().unwrap(), case["new_size"].as_u64().unwrap());
		let proof = hashes(&case["proof"]);
		assert_eq!(consistency_proof::<H>(&leaves[..new as usize], old).unwrap(), proof);
		let (a, b) = (hex32(&case["old_root"]), hex32(&case["new_root"]));
		assert_eq!(verify_consistency::<H>(old, new, &a, &b, &proof), Ok(()));
	}
	for new in 1..34u64 {
		let tree = &leaves[..new as usize];
		let new_root = root::<H>(tree);
		for old in 1..=new {
			let old_root = root::<H>(&tree[..old as usize]);
			let proof = consistency_proof::<H>(tree, old).unwrap();
			assert_eq!(verify_consistency::<H>(old, new, &old_root, &new_root, &proof), Ok(()));
			// A tree that rewrote one of the old leaves does not extend the old tree.
			let mut rewritten = tree.to_vec();
			rewritten[(old - 1) as usize] = leaf_hash::<H>(b"rewritten");
			let rewritten_root = root::<H>(&rewritten);
			let proof = consistency_proof::<H>(&rewritten, old).unwrap();
			assert_eq!(
				verify_consistency::<H>(old, new, &old_root, &rewritten_root, &proof),
				Err(ProofError::RootMismatch),
				"{old} -> {new}"
			);
		}
	}
	assert_eq!(verify_consistency::<H>(0, 5, &[1; 32], &[2; 32], &[]), Ok(()));
	assert_eq!(
		verify_consistency::<H>(5, 4, &[1; 32], &[2; 32], &[]),
		Err(ProofError::IndexOutOfRange)
	);
	assert!(consistency_proof::<H>(&leaves[..3], 0).is_none());
	assert!(consistency_proof::<H>(&leaves[..3], 4).is_none());
}

fn pool_leaf(account: &[u8], weight: u128) -> SumNode {
	sum_leaf::<H>(&[account, &weight.to_le_bytes()[..]].concat(), weight)
}

#[test]
fn sum_trees_are_the_published_ones_and_prove_offsets() {
	let v = vectors("provenance.json");
	for case in v["sum_trees"].as_array().unwrap() {
		let size = case["size"].as_u64().unwrap();
		let cases = case["leaves"].as_array().unwrap();
		let weight = |c: &Value| c["weight"].as_str().unwrap().parse::<u128>().unwrap();
		let leaves: Vec<SumNode> = cases
			.iter()
			.map(|c| pool_leaf(&hex::decode(c["account"].as_str().unwrap()).unwrap(), weight(c)))
			.collect();
		let total: u128 = case["total_weight"].as_str().unwrap().parse().unwrap();
		let expected = SumNode { hash: hex32(&case["root"]), sum: total };
		assert_eq!(sum_root::<H>(&leaves), Some(expected), "root of {size}");
		for (index, c) in cases.iter().enumerate() {
			let path: Vec<SumNode> = c["path"]
				.as_array()
				.unwrap()
				.iter()
				.map(|n| SumNode {
					hash: hex32(&n["hash"]),
					sum: n["sum"].as_str().unwrap().parse().unwrap(),
				})
				.collect();
			assert_eq!(sum_inclusion_proof::<H>(&leaves, index as u64).unwrap(), path);
			let offset: u128 = c["offset"].as_str().unwrap().parse().unwrap();
			assert_eq!(
				verify_sum_inclusion::<H>(&leaves[index], index as u64, size, &path, &expected),
				Ok(offset)
			);
		}
	}
}

#[test]
fn a_sum_tree_that_lies_about_a_sum_gives_failing_proofs() {
	let leaves: Vec<SumNode> = (1..=5u8).map(|i| pool_leaf(&[i; 32], i.into())).collect();
	let honest = sum_root::<H>(&leaves).unwrap();
	assert_eq!(honest.sum, 15);
	// The same leaves under a root that claims a smaller total: no leaf proves against it.
	let understated = SumNode { sum: 10, ..honest };
	for index in 0..5u64 {
		let path = sum_inclusion_proof::<H>(&leaves, index).unwrap();
		assert_eq!(
			verify_sum_inclusion::<H>(&leaves[index as usize], index, 5, &path, &understated),
			Err(ProofError::RootMismatch)
		);
		// A leaf that claims more weight than it was built with: its proof fails too.
		let inflated = SumNode { sum: 1_000, ..leaves[index as usize] };
		assert_eq!(
			verify_sum_inclusion::<H>(&inflated, index, 5, &path, &honest),
			Err(ProofError::RootMismatch)
		);
	}
	// An inner node whose sum understates its subtree: the root built on it commits to the
	// smaller total, and the leaves below that node cannot prove against it.
	let left = sum_root::<H>(&leaves[..4]).unwrap();
	let lying_left = SumNode { sum: 1, ..left };
	let lying_root = sum_node::<H>(&lying_left, &leaves[4]).unwrap();
	assert_eq!(lying_root.sum, 6);
	for index in 0..4u64 {
		let mut path = sum_inclusion_proof::<H>(&leaves, index).unwrap();
		*path.last_mut().unwrap() = leaves[4];
		assert_eq!(
			verify_sum_inclusion::<H>(&leaves[index as usize], index, 5, &path, &lying_root),
			Err(ProofError::RootMismatch)
		);
	}
	// Weights past u128::MAX make no tree.
	let huge = [pool_leaf(&[1; 32], u128::MAX), pool_leaf(&[2; 32], 1)];
	assert_eq!(sum_root::<H>(&huge), None);
	assert!(sum_inclusion_proof::<H>(&huge, 0).is_none());
}

#[test]
fn the_ranges_of_every_leaf_of_a_sum_tree_tile_its_total() {
	for size in 1..40u64 {
		let leaves: Vec<SumNode> =
			(0..size).map(|i| pool_leaf(&[i as u8; 32], u128::from(i % 7 + i * 3))).collect();
		let tree_root = sum_root::<H>(&leaves).unwrap();
		let mut next_offset = 0u128;
		for index in 0..size {
			let path = sum_inclusion_proof::<H>(&leaves, index).unwrap();
			let leaf = &leaves[index as usize];
			let offset = verify_sum_inclusion::<H>(leaf, index, size, &path, &tree_root).unwrap();
			assert_eq!(offset, next_offset, "leaf {index} of {size}");
			next_offset += leaf.sum;
		}
		assert_eq!(next_offset, tree_root.sum);
	}
}
