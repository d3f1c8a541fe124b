//! The runtime's stored types as `prov` decodes them: `primitives/vectors/client.json` is what
//! the runtime encodes (its `client_vectors` test writes and checks it). Each value decodes
//! into the client's mirror type with nothing left over and encodes back to the same bytes.

use codec::{Decode, Encode};
use provenance_cli::types::{
	self, AssetLicense, Checkpoint, Dataset, DatasetOrigin, DatasetStatus, Map, Policy, Relation,
	RevocationReason, Statement, TaintSet, Verdict,
};
use provenance_primitives::{AssetRef, TaintKind};
use serde_json::Value;

fn vectors() -> Value {
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../primitives/vectors/client.json");
	serde_json::from_str(&std::fs::read_to_string(path).expect(path)).expect("json")
}

fn bytes(value: &Value) -> Vec<u8> {
	hex::decode(value.as_str().expect("hex").trim_start_matches("0x")).expect("hex")
}

/// Decodes all of `value` as `T` and checks that `T` encodes it back unchanged.
fn round_trip<T: Decode + Encode>(value: &Value) -> T {
	let encoded = bytes(value);
	let mut input = &encoded[..];
	let decoded = T::decode(&mut input).expect("decodes");
	assert!(input.is_empty(), "bytes left over");
	assert_eq!(decoded.encode(), encoded);
	decoded
}

#[test]
fn records_taint_and_licenses_decode_as_the_runtime_encodes_them() {
	let v = vectors();
	let derived: Dataset = round_trip(&v["datasetDerived"]);
	assert_eq!(
		derived.origin,
		DatasetOrigin::Derived { parents: vec![1, 2], transform_hash: [4; 32] }
	);
	assert_eq!((derived.record_count, derived.byte_size, derived.deposit), (5, 6, 13));
	assert_eq!(
		derived.status,
		DatasetStatus::Revoked { at: 10, reason: RevocationReason::LicenseViolation }
	);
	assert_eq!(derived.uri, b"ipfs://bafy");
	let synthetic: Dataset = round_trip(&v["datasetSynthetic"]);
	assert!(matches!(synthetic.origin, DatasetOrigin::Synthetic { generator: 3, .. }));
	let checkpoint: Checkpoint = round_trip(&v["checkpoint"]);
	assert_eq!(checkpoint.parents[0].relation, Relation::Merge);
	assert_eq!(checkpoint.excludes, vec![AssetRef::Dataset(4)]);
	assert_eq!((checkpoint.run, checkpoint.deposit), (Some(5), 8));
	let taint: TaintSet = round_trip(&v["taint"]);
	assert_eq!((taint.kinds, taint.truncated), (vec![TaintKind::ConsentWithdrawn], true));
	let license: AssetLicense = round_trip(&v["license"]);
	assert_eq!(license, AssetLicense { terms: 3, policy: Policy::Licensed });
}

#[test]
fn commitments_and_storage_keys_are_the_runtimes() {
	let v = vectors();
	let statement: Statement = round_trip(&v["statement"]);
	assert_eq!(statement.verdict, Verdict::Invalid);
	assert_eq!(
		types::commitment(7, &[1; 32], &statement, &[9; 32]).to_vec(),
		bytes(&v["commitment"])
	);
	assert_eq!(types::statement_payload(&[6; 32], 7, &statement), bytes(&v["statementPayload"]));
	let keys = &v["keys"];
	assert_eq!(Map::DatasetRecords.key(&7u64), bytes(&keys["datasetRecords7"]));
	assert_eq!(Map::CheckpointRecords.key(&7u64), bytes(&keys["checkpointRecords7"]));
	assert_eq!(Map::Taint.key(&AssetRef::Checkpoint(7)), bytes(&keys["taintCheckpoint7"]));
	assert_eq!(Map::AssetLicenses.key(&AssetRef::Dataset(3)), bytes(&keys["licenseDataset3"]));
}
