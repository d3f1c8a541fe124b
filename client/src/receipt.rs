//! Receipts: an asset's lineage as self-contained JSON, checkable without any node.
//!
//! A receipt holds a finalized block's header, the storage entries of every record of the
//! asset's lineage with their taint entries, and the state proof (trie nodes) of those entries
//! against the header's state root. Verifying it checks that the header hashes to the block
//! hash the user trusts, that the proof yields exactly the entries' values from the state root,
//! that each entry is stored under the key its asset gives, and that the lineage is closed:
//! every input of every record is in the receipt.

use crate::{
	chain::Chain,
	lineage::{self, asset_json, name, Record},
	parse_hash, to_hex,
	types::{BlockNumber, Map, TaintSet},
	Failure,
};
use codec::{Decode, Encode};
use jsonrpsee::rpc_params;
use provenance_primitives::AssetRef;
use serde_json::{json, Value};
use sp_core::{Blake2Hasher, H256};
use std::collections::BTreeMap;
use subxt::config::substrate::SubstrateHeader;

/// A block header as the node serves and hashes it.
type Header = SubstrateHeader<H256>;

/// What a receipt says it is, and the version of its layout.
pub const FORMAT: &str = "provenance-chain lineage receipt v2";

/// The storage entries a receipt proves for each asset: its record, its taint and its license.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
	Record,
	Taint,
	License,
}

impl Item {
	const ALL: [Item; 3] = [Item::Record, Item::Taint, Item::License];

	fn name(self) -> &'static str {
		match self {
			Item::Record => "record",
			Item::Taint => "taint",
			Item::License => "license",
		}
	}

	fn parse(name: &str) -> Option<Self> {
		Item::ALL.into_iter().find(|item| item.name() == name)
	}

	fn key(self, asset: AssetRef) -> Vec<u8> {
		match self {
			Item::Record => Record::storage_key(asset),
			Item::Taint => Map::Taint.key(&asset),
			Item::License => lineage::license_key(asset),
		}
	}
}

/// Exports the receipt of `asset` at the node's finalized block.
pub async fn export(chain: &Chain, asset: AssetRef) -> Result<Value, Failure> {
	let at: H256 = chain.request("chain_getFinalizedHead", rpc_params![]).await?;
	let header: Header = chain.request("chain_getHeader", rpc_params![at]).await?;
	let header_bytes = header.encode();
	if H256(sp_crypto_hashing::blake2_256(&header_bytes)) != at {
		return Err(Failure::Node(format!("the header of block {at:?} does not hash to it")));
	}
	let lineage = lineage::read(chain, asset, at).await?;
	if lineage.truncated {
		return Err(Failure::Usage(format!(
			"the lineage of {} has more than {} assets: too large for a receipt",
			name(asset),
			lineage::MAX_ASSETS
		)));
	}
	let wanted: Vec<(AssetRef, Item, Vec<u8>)> = lineage
		.nodes
		.keys()
		.flat_map(|asset| Item::ALL.map(|item| (*asset, item, item.key(*asset))))
		.collect();
	let keys: Vec<String> = wanted.iter().map(|(_, _, key)| to_hex(key)).collect();
	let read_proof: Value = chain.request("state_getReadProof", rpc_params![keys, at]).await?;
	let proof: Vec<Vec<u8>> = read_proof["proof"]
		.as_array()
		.ok_or_else(|| Failure::Node("state_getReadProof: no proof in the answer".into()))?
		.iter()
		.map(|node| decode_hex(node, "a proof node").map_err(|e| Failure::Node(e.message().into())))
		.collect::<Result<_, _>>()?;
	// The values come out of the proof itself: what the receipt carries is what it proves.
	let proved = check_proof(header.state_root, &proof, wanted.iter().map(|(_, _, key)| key))
		.map_err(|e| Failure::Node(format!("the node's proof does not check: {}", e.message())))?;
	let entries: Vec<Value> = wanted
		.iter()
		.map(|(asset, item, key)| {
			json!({
				"asset": asset_json(*asset),
				"item": item.name(),
				"key": to_hex(key),
				"value": proved.get(key).cloned().flatten().map(|value| to_hex(&value)),
			})
		})
		.collect();
	Ok(json!({
		"format": FORMAT,
		"asset": asset_json(asset),
		"block": { "hash": to_hex(at.as_bytes()), "number": header.number, "header": to_hex(&header_bytes) },
		"entries": entries,
		"proof": proof.iter().map(|node| to_hex(node)).collect::<Vec<_>>(),
	}))
}

/// What a verified receipt shows.
pub struct Verified {
	pub asset: AssetRef,
	pub block: H256,
	pub number: BlockNumber,
	pub records: BTreeMap<AssetRef, Record>,
	/// The assets with a taint entry, and its sources (revoked datasets, compromised
	/// checkpoints) with their kinds.
	pub tainted: BTreeMap<AssetRef, TaintSet>,
	/// The assets offered under a license.
	pub licenses: BTreeMap<AssetRef, lineage::License>,
}

/// Verifies `receipt` against the hash of a block the user trusts. Any changed byte of the
/// header, an entry or a proof node makes it fail with [`Failure::Mismatch`].
pub fn verify(receipt: &Value, trusted_block: H256) -> Result<Verified, Failure> {
	if receipt["format"] != FORMAT {
		return Err(Failure::Input(format!("not a receipt: \"format\" is not \"{FORMAT}\"")));
	}
	let header_bytes = decode_hex(&receipt["block"]["header"], "block.header")?;
	let header = Header::decode(&mut &header_bytes[..])
		.map_err(|e| Failure::Mismatch(format!("the header does not decode: {e}")))?;
	let block = H256(sp_crypto_hashing::blake2_256(&header_bytes));
	let number = BlockNumber::try_from(header.number).map_err(|_| {
		Failure::Mismatch(format!("block number {} is out of range", header.number))
	})?;
	if block != trusted_block {
		return Err(Failure::Mismatch(format!(
			"the receipt's header is block {block:?}, not the trusted block {trusted_block:?}"
		)));
	}
	let asset = parse_asset(&receipt["asset"])?;
	let mut entries = BTreeMap::new();
	for entry in
		receipt["entries"].as_array().ok_or_else(|| Failure::Input("entries: not a list".into()))?
	{
		let asset = parse_asset(&entry["asset"])?;
		let item = entry["item"].as_str().and_then(Item::parse).ok_or_else(|| {
			Failure::Input(format!("entry item {}: not record, taint or license", entry["item"]))
		})?;
		let key = decode_hex(&entry["key"], "entry key")?;
		if key != item.key(asset) {
			return Err(Failure::Mismatch(format!(
				"the {} entry of {} is not under its key",
				item.name(),
				name(asset)
			)));
		}
		let value = match &entry["value"] {
			Value::Null => None,
			value => Some(decode_hex(value, "entry value")?),
		};
		entries.insert((asset, item), (key, value));
	}
	let proof: Vec<Vec<u8>> = receipt["proof"]
		.as_array()
		.ok_or_else(|| Failure::Input("proof: not a list".into()))?
		.iter()
		.map(|node| decode_hex(node, "a proof node"))
		.collect::<Result<_, _>>()?;
	let proved = check_proof(header.state_root, &proof, entries.values().map(|(key, _)| key))?;
	for ((asset, item), (key, value)) in &entries {
		if proved.get(key) != Some(value) {
			return Err(Failure::Mismatch(format!(
				"the {} of {} is not what the state root holds",
				item.name(),
				name(*asset)
			)));
		}
	}
	let mut records = BTreeMap::new();
	let mut tainted = BTreeMap::new();
	let mut licenses = BTreeMap::new();
	for ((asset, item), (_, value)) in &entries {
		let Some(value) = value else { continue };
		match item {
			Item::Record => {
				let record = Record::decode(*asset, value).map_err(|e| {
					Failure::Mismatch(format!(
						"the record of {} does not decode: {e}",
						name(*asset)
					))
				})?;
				records.insert(*asset, record);
			},
			Item::Taint => {
				let taint = TaintSet::decode(&mut &value[..]).map_err(|e| {
					Failure::Mismatch(format!("the taint of {} does not decode: {e}", name(*asset)))
				})?;
				tainted.insert(*asset, taint);
			},
			Item::License => {
				let license = lineage::License::decode(&mut &value[..]).map_err(|e| {
					Failure::Mismatch(format!(
						"the license of {} does not decode: {e}",
						name(*asset)
					))
				})?;
				licenses.insert(*asset, license);
			},
		}
	}
	// Closed: the asset and every input of every record, each with all its entries (proved
	// present or absent).
	let missing = std::iter::once(asset)
		.chain(
			records.values().flat_map(|record| record.inputs().into_iter().map(|(input, _)| input)),
		)
		.find(|asset| {
			!records.contains_key(asset)
				|| Item::ALL.iter().any(|item| !entries.contains_key(&(*asset, *item)))
		});
	if let Some(missing) = missing {
		return Err(Failure::Mismatch(format!("the receipt leaves out {}", name(missing))));
	}
	Ok(Verified { asset, block, number, records, tainted, licenses })
}

/// The values of `keys` in the state with `state_root`, by the trie nodes of `proof`.
fn check_proof<'a>(
	state_root: H256,
	proof: &[Vec<u8>],
	keys: impl Iterator<Item = &'a Vec<u8>>,
) -> Result<BTreeMap<Vec<u8>, Option<Vec<u8>>>, Failure> {
	let proof = sp_trie::StorageProof::new(proof.iter().cloned());
	let keys: Vec<&Vec<u8>> = keys.collect();
	sp_state_machine::read_proof_check::<Blake2Hasher, _>(state_root, proof, &keys)
		.map(|values| values.into_iter().collect())
		.map_err(|e| {
			Failure::Mismatch(format!("the state proof does not hold against the header: {e}"))
		})
}

fn decode_hex(value: &Value, what: &str) -> Result<Vec<u8>, Failure> {
	value
		.as_str()
		.and_then(|text| hex::decode(text.strip_prefix("0x").unwrap_or(text)).ok())
		.ok_or_else(|| Failure::Input(format!("{what}: not 0x-hex")))
}

fn parse_asset(value: &Value) -> Result<AssetRef, Failure> {
	match (value["dataset"].as_u64(), value["checkpoint"].as_u64()) {
		(Some(id), None) => Ok(AssetRef::Dataset(id)),
		(None, Some(id)) => Ok(AssetRef::Checkpoint(id)),
		_ => Err(Failure::Input(format!(
			"{value}: not an asset ({{\"dataset\": ID}} or {{\"checkpoint\": ID}})"
		))),
	}
}

/// Parses the block hash a user trusts.
pub fn parse_block_hash(text: &str) -> Result<H256, String> {
	parse_hash(text).map(H256)
}
