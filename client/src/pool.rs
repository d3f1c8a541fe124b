//! Contributor pools on the client side: the sum tree a data owner commits to with a split
//! (`PoolSpec`), built from a CSV of accounts and weights, and the proofs file the owner
//! publishes so that each contributor finds their leaf by account and claims.
//!
//! The CSV has one `account,weight` per line (SS58, a positive integer); blank lines, lines
//! starting with `#` and an `account,weight` header are skipped; an account appears once. The
//! proofs file is JSON: `{"format", "root", "totalWeight", "leaves", "contributors": [{"account",
//! "weight", "index", "proof": [{"hash", "sum"}]}]}`, weights as decimal strings and sums as
//! `0x` hex, so that `provenance_poolClaimable` and polkadot.js take a proof as it is. A leaf is
//! the pallet's: `sum_leaf(SCALE((account, weight)), weight)`.

use crate::{parse_hash, to_hex};
use codec::Encode;
use provenance_primitives::merkle::{self, NativeSha256, SumNode};
use serde::{Deserialize, Serialize};
use sp_core::crypto::{AccountId32, Ss58Codec};
use std::collections::BTreeSet;

/// What a proofs file says it is.
pub const FORMAT: &str = "provenance-chain contributor pool v1";

/// A pool's commitment and every contributor's proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolFile {
	pub format: String,
	pub root: String,
	pub total_weight: String,
	pub leaves: u64,
	pub contributors: Vec<Leaf>,
}

/// A contributor's leaf and its audit path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaf {
	pub account: String,
	pub weight: String,
	pub index: u64,
	pub proof: Vec<Node>,
}

/// A sum-tree node as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
	pub hash: String,
	pub sum: String,
}

impl PoolFile {
	/// What the file commits to: the root, leaves and total weight that a split sets on chain.
	pub fn commitment(&self) -> Result<([u8; 32], u64, u128), String> {
		if self.format != FORMAT {
			return Err(format!("not a pool proofs file: \"format\" is not \"{FORMAT}\""));
		}
		let total_weight =
			self.total_weight.parse().map_err(|_| "totalWeight is not a number".to_owned())?;
		Ok((parse_hash(&self.root)?, self.leaves, total_weight))
	}
}

impl Node {
	fn of(node: &SumNode) -> Self {
		Node { hash: to_hex(&node.hash), sum: format!("{:#x}", node.sum) }
	}

	/// The node, or why it is malformed.
	pub fn parse(&self) -> Result<SumNode, String> {
		let sum = u128::from_str_radix(self.sum.trim_start_matches("0x"), 16)
			.map_err(|_| format!("{}: not a hex sum", self.sum))?;
		Ok(SumNode { hash: parse_hash(&self.hash)?, sum })
	}
}

/// The leaf of `account` with `weight`, as the royalties pallet computes it.
pub fn leaf(account: &[u8; 32], weight: u128) -> SumNode {
	merkle::sum_leaf::<NativeSha256>(&(account, weight).encode(), weight)
}

/// The accounts and weights of a contributors CSV, in order.
pub fn parse_csv(text: &str) -> Result<Vec<([u8; 32], u128)>, String> {
	let mut seen = BTreeSet::new();
	let mut contributors = Vec::new();
	for (number, line) in text.lines().enumerate().map(|(i, line)| (i + 1, line.trim())) {
		if line.is_empty() || line.starts_with('#') || (number == 1 && line == "account,weight") {
			continue;
		}
		let (account, weight) =
			line.split_once(',').ok_or_else(|| format!("line {number}: not ACCOUNT,WEIGHT"))?;
		let account = AccountId32::from_ss58check(account.trim())
			.map_err(|e| format!("line {number}: {account}: not an SS58 account ({e:?})"))?;
		let weight: u128 = weight
			.trim()
			.parse()
			.ok()
			.filter(|weight| *weight > 0)
			.ok_or_else(|| format!("line {number}: {weight}: not a positive integer weight"))?;
		if !seen.insert(account.clone()) {
			return Err(format!("line {number}: {account} appears twice: add its weights up"));
		}
		contributors.push((account.into(), weight));
	}
	if contributors.is_empty() {
		return Err("no contributors".into());
	}
	Ok(contributors)
}

/// The pool of `contributors`, with every leaf's proof.
pub fn build(contributors: &[([u8; 32], u128)]) -> Result<PoolFile, String> {
	let leaves: Vec<SumNode> =
		contributors.iter().map(|(account, weight)| leaf(account, *weight)).collect();
	let root =
		merkle::sum_root::<NativeSha256>(&leaves).ok_or("the weights add up past 128 bits")?;
	let contributors = contributors
		.iter()
		.zip(0u64..)
		.map(|((account, weight), index)| {
			let proof = merkle::sum_inclusion_proof::<NativeSha256>(&leaves, index)
				.ok_or("the weights add up past 128 bits")?;
			Ok(Leaf {
				account: AccountId32::from(*account).to_ss58check(),
				weight: weight.to_string(),
				index,
				proof: proof.iter().map(Node::of).collect(),
			})
		})
		.collect::<Result<Vec<_>, String>>()?;
	Ok(PoolFile {
		format: FORMAT.into(),
		root: to_hex(&root.hash),
		total_weight: root.sum.to_string(),
		leaves: leaves.len() as u64,
		contributors,
	})
}

/// `account`'s leaf in `pool`: its weight, index and audit path.
pub fn find(pool: &PoolFile, account: &[u8; 32]) -> Result<(u128, u64, Vec<SumNode>), String> {
	pool.commitment()?;
	let ss58 = AccountId32::from(*account).to_ss58check();
	let found = pool
		.contributors
		.iter()
		.find(|leaf| {
			AccountId32::from_ss58check(&leaf.account).ok().map(<[u8; 32]>::from) == Some(*account)
		})
		.ok_or_else(|| format!("{ss58} is not in the pool"))?;
	let weight = found.weight.parse().map_err(|_| format!("{}: not a weight", found.weight))?;
	let proof = found.proof.iter().map(Node::parse).collect::<Result<_, _>>()?;
	Ok((weight, found.index, proof))
}

#[cfg(test)]
mod tests {
	use super::*;

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
	const CHARLIE: &str = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";

	#[test]
	fn every_contributor_proves_their_weight_under_the_root() {
		let csv =
			format!("account,weight\n{ALICE},120\n\n# late joiner\n{BOB}, 30\n{CHARLIE},50\n");
		let contributors = parse_csv(&csv).unwrap();
		let pool = build(&contributors).unwrap();
		assert_eq!((pool.leaves, pool.total_weight.as_str()), (3, "200"));
		let root = SumNode { hash: parse_hash(&pool.root).unwrap(), sum: 200 };
		for (account, weight) in &contributors {
			let (found, index, proof) = find(&pool, account).unwrap();
			assert_eq!(found, *weight);
			let offset = merkle::verify_sum_inclusion::<NativeSha256>(
				&leaf(account, found),
				index,
				pool.leaves,
				&proof,
				&root,
			)
			.unwrap();
			assert!(offset < 200);
		}
		let stranger = [9u8; 32];
		assert!(find(&pool, &stranger).is_err());
	}

	#[test]
	fn a_bad_line_a_repeated_account_or_no_one_is_refused() {
		assert!(parse_csv(&format!("{ALICE},0")).is_err(), "weight zero");
		assert!(parse_csv(ALICE).is_err(), "no weight");
		assert!(parse_csv("bob,3").is_err(), "not an account");
		assert!(parse_csv(&format!("{ALICE},3\n{ALICE},4")).is_err(), "twice");
		assert!(parse_csv("# nobody\n").is_err());
	}
}
