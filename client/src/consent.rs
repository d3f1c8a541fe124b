//! Contributors' consent on the client side: the contributor tree a dataset's owner names, the
//! proof bundle each contributor is given, and the set memberships that answer a withdrawal.
//!
//! The contributors file (`prov consent contributors`) is a JSON array of
//! `{"account": SS58, "records": ["0x<record leaf hash>", ...]}`, one entry per contributor, in
//! tree order; a record leaf hash is the leaf of the record under the dataset's root (`prov hash`
//! computes them). A bundle is what `withdraw_consent` takes, as JSON in the call's own field
//! names: `{"dataset", "account", "contributor": {"recordsRoot", "recordsCount", "index",
//! "path"}, "records": [{"leaf", "index", "path"}]}`, so that polkadot.js passes its parts as
//! they are.

use crate::{parse_hash, to_hex};
use provenance_primitives::merkle::{self, Hash, NativeSha256};
use serde::{Deserialize, Serialize};
use sp_core::crypto::{AccountId32, Ss58Codec};
use std::collections::{BTreeSet, HashMap};

/// One line of the contributors file.
#[derive(Clone, Debug, Deserialize)]
pub struct Contributor {
	pub account: String,
	pub records: Vec<String>,
}

/// A contributor's place in the contributor tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
	pub records_root: String,
	pub records_count: u64,
	pub index: u64,
	pub path: Vec<String>,
}

/// A record under a contributor's records root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordProof {
	pub leaf: String,
	pub index: u64,
	pub path: Vec<String>,
}

/// What a contributor needs to withdraw consent for any of their records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
	pub dataset: u64,
	pub account: String,
	pub contributor: Membership,
	pub records: Vec<RecordProof>,
}

/// The contributor tree of `contributors`: its root and every contributor's bundle for
/// `dataset`. Refuses an account named twice, a contributor without records, a record named
/// twice (by anyone) and malformed accounts or hashes.
pub fn contributor_tree(
	dataset: u64,
	contributors: &[Contributor],
) -> Result<(Hash, Vec<Bundle>), String> {
	if contributors.is_empty() {
		return Err("no contributors".into());
	}
	let mut accounts = BTreeSet::new();
	let mut seen = BTreeSet::new();
	let mut parsed = Vec::with_capacity(contributors.len());
	for entry in contributors {
		let account = AccountId32::from_ss58check(&entry.account)
			.map_err(|e| format!("{}: not an SS58 account ({e:?})", entry.account))?;
		if !accounts.insert(account.clone()) {
			return Err(format!("{} is named twice", entry.account));
		}
		if entry.records.is_empty() {
			return Err(format!("{} has no records", entry.account));
		}
		let records = entry.records.iter().map(|r| parse_hash(r)).collect::<Result<Vec<_>, _>>()?;
		if let Some(twice) = records.iter().find(|r| !seen.insert(**r)) {
			return Err(format!("record {} is named twice", to_hex(twice)));
		}
		parsed.push((account, records));
	}
	let memberships: Vec<(Hash, u64)> = parsed
		.iter()
		.map(|(_, records)| (merkle::root::<NativeSha256>(records), records.len() as u64))
		.collect();
	let leaves: Vec<Hash> = parsed
		.iter()
		.zip(&memberships)
		.map(|((account, _), (root, count))| {
			merkle::contributor_leaf::<NativeSha256, _>(account, root, *count)
		})
		.collect();
	let root = merkle::root::<NativeSha256>(&leaves);
	let hexes = |hashes: Vec<Hash>| hashes.iter().map(|h| to_hex(h)).collect();
	let bundles = parsed
		.iter()
		.zip(memberships)
		.enumerate()
		.map(|(index, ((account, records), (records_root, records_count)))| Bundle {
			dataset,
			account: account.to_ss58check(),
			contributor: Membership {
				records_root: to_hex(&records_root),
				records_count,
				index: index as u64,
				path: hexes(audit_path(&leaves, index as u64)),
			},
			records: records
				.iter()
				.enumerate()
				.map(|(k, leaf)| RecordProof {
					leaf: to_hex(leaf),
					index: k as u64,
					path: hexes(audit_path(records, k as u64)),
				})
				.collect(),
		})
		.collect();
	Ok((root, bundles))
}

fn audit_path(leaves: &[Hash], index: u64) -> Vec<Hash> {
	merkle::inclusion_proof::<NativeSha256>(leaves, index).unwrap_or_default()
}

/// Where each of `records` sits in the revocation set whose records are `revoked` (in the set's
/// order): (index, audit path), or the first record the set lacks.
pub fn set_memberships(revoked: &[Hash], records: &[Hash]) -> Result<Vec<(u64, Vec<Hash>)>, Hash> {
	let position: HashMap<&Hash, u64> =
		revoked.iter().enumerate().map(|(i, leaf)| (leaf, i as u64)).collect();
	records
		.iter()
		.map(|record| {
			let index = *position.get(record).ok_or(*record)?;
			Ok((index, audit_path(revoked, index)))
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
	const DAVE: &str = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";

	fn leaf(n: u8) -> String {
		to_hex(&merkle::leaf_hash::<NativeSha256>(&[n]))
	}

	fn contributors() -> Vec<Contributor> {
		vec![
			Contributor { account: BOB.into(), records: vec![leaf(0), leaf(1), leaf(2)] },
			Contributor { account: DAVE.into(), records: vec![leaf(3)] },
		]
	}

	#[test]
	fn every_bundle_proves_its_contributor_and_records_against_the_root() {
		let (root, bundles) = contributor_tree(7, &contributors()).unwrap();
		assert_eq!(bundles.len(), 2);
		for bundle in &bundles {
			let account = AccountId32::from_ss58check(&bundle.account).unwrap();
			let records_root = parse_hash(&bundle.contributor.records_root).unwrap();
			let path: Vec<Hash> =
				bundle.contributor.path.iter().map(|h| parse_hash(h).unwrap()).collect();
			let leaf = merkle::contributor_leaf::<NativeSha256, _>(
				&account,
				&records_root,
				bundle.contributor.records_count,
			);
			assert!(merkle::verify_inclusion::<NativeSha256>(
				&leaf,
				bundle.contributor.index,
				2,
				&path,
				&root
			)
			.is_ok());
			for record in &bundle.records {
				let path: Vec<Hash> = record.path.iter().map(|h| parse_hash(h).unwrap()).collect();
				assert!(merkle::verify_inclusion::<NativeSha256>(
					&parse_hash(&record.leaf).unwrap(),
					record.index,
					bundle.contributor.records_count,
					&path,
					&records_root
				)
				.is_ok());
			}
		}
	}

	#[test]
	fn bad_contributor_files_are_refused() {
		let mut twice = contributors();
		twice[1].account = BOB.into();
		assert!(contributor_tree(0, &twice).unwrap_err().contains("named twice"));
		let mut shared = contributors();
		shared[1].records.push(leaf(0));
		assert!(contributor_tree(0, &shared).unwrap_err().contains("record"));
		let mut empty = contributors();
		empty[0].records.clear();
		assert!(contributor_tree(0, &empty).unwrap_err().contains("no records"));
		assert!(contributor_tree(0, &[]).is_err());
	}

	#[test]
	fn set_memberships_prove_each_record_or_name_the_missing_one() {
		let revoked: Vec<Hash> = (0..5).map(|n| merkle::leaf_hash::<NativeSha256>(&[n])).collect();
		let root = merkle::root::<NativeSha256>(&revoked);
		let found = set_memberships(&revoked, &[revoked[3], revoked[1]]).unwrap();
		for ((index, path), record) in found.iter().zip([revoked[3], revoked[1]]) {
			assert!(
				merkle::verify_inclusion::<NativeSha256>(&record, *index, 5, path, &root).is_ok()
			);
		}
		let missing = merkle::leaf_hash::<NativeSha256>(&[9]);
		assert_eq!(set_memberships(&revoked, &[missing]), Err(missing));
	}
}
