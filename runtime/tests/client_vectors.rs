//! What `prov` decodes without the runtime: records, taint, licences, attestation commitments
//! and the storage keys they are read under, encoded here by the runtime's own types into
//! `primitives/vectors/client.json`. The client's `vectors` test decodes the same file with its
//! mirror types, so a change to a stored type fails one of the two tests. `UPDATE_VECTORS=1`
//! rewrites the file after a deliberate change (which also needs a receipt format bump).

use codec::Encode;
use pallet_checkpoints::{Checkpoint, CheckpointOf, ParentEdge, Relation, TaintSet, TaintSetOf};
use pallet_datasets::{
	Dataset, DatasetOf, DatasetOrigin, DatasetStatus, RevocationReason, RevocationSet,
};
use pallet_licenses::{AssetLicense, Policy};
use provenance_primitives::{AssetRef, TaintKind, TaintSource};
use provenance_runtime::{AccountId, Runtime};
use serde_json::{json, Value};

fn hex(bytes: &[u8]) -> String {
	format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn dataset(origin: DatasetOrigin<Vec<u64>>) -> DatasetOf<Runtime> {
	Dataset {
		owner: AccountId::from([1; 32]),
		root: [2; 32],
		record_count: 5,
		byte_size: 6,
		uri: b"ipfs://bafy".to_vec().try_into().unwrap(),
		metadata_hash: [3; 32],
		origin: origin.map_parents(|parents| parents.try_into()).unwrap(),
		commercial: true,
		previous_version: Some(9),
		status: DatasetStatus::Revoked { at: 10, reason: RevocationReason::LicenseViolation },
		revocation_set: Some(RevocationSet { root: [5; 32], count: 2, published_at: 11 }),
		created_at: 12,
		depositor: AccountId::from([6; 32]),
		deposit: 13,
	}
}

fn vectors() -> Value {
	let checkpoint: CheckpointOf<Runtime> = Checkpoint {
		owner: AccountId::from([1; 32]),
		weights_hash: [2; 32],
		parents: vec![ParentEdge { checkpoint: 1, relation: Relation::Merge }].try_into().unwrap(),
		datasets: vec![3, 4].try_into().unwrap(),
		excludes: vec![AssetRef::Dataset(4)].try_into().unwrap(),
		run: Some(5),
		run_mismatch: None,
		uri: b"hf://lab/model".to_vec().try_into().unwrap(),
		metadata_hash: [3; 32],
		commercial: false,
		created_at: 7,
		depositor: AccountId::from([6; 32]),
		deposit: 8,
	};
	let taint: TaintSetOf<Runtime> = TaintSet {
		sources: vec![TaintSource {
			origin: AssetRef::Dataset(2),
			kind: TaintKind::ConsentWithdrawn,
		}]
		.try_into()
		.unwrap(),
		kinds: vec![TaintKind::ConsentWithdrawn].try_into().unwrap(),
		truncated: true,
	};
	let statement = pallet_attestations::Statement {
		verdict: pallet_attestations::Verdict::Invalid,
		output_hash: [7; 32],
		report_hash: [8; 32],
	};
	let attester = AccountId::from([1; 32]);
	json!({
		"datasetDerived": hex(&dataset(DatasetOrigin::Derived { parents: vec![1, 2], transform_hash: [4; 32] }).encode()),
		"datasetSynthetic": hex(&dataset(DatasetOrigin::Synthetic { generator: 3, params_hash: [4; 32], policy_hash: [5; 32] }).encode()),
		"checkpoint": hex(&checkpoint.encode()),
		"taint": hex(&taint.encode()),
		"license": hex(&AssetLicense { terms: 3, policy: Policy::Licensed }.encode()),
		"statement": hex(&statement.encode()),
		"commitment": hex(&pallet_attestations::commitment_of(7, &attester, &statement, &[9; 32])),
		"statementPayload": hex(&pallet_attestations::signed_statement_payload(&[6u8; 32], 7, &statement)),
		"keys": {
			"datasetRecords7": hex(&pallet_datasets::Records::<Runtime>::hashed_key_for(7)),
			"checkpointRecords7": hex(&pallet_checkpoints::Records::<Runtime>::hashed_key_for(7)),
			"taintCheckpoint7": hex(&pallet_checkpoints::Taint::<Runtime>::hashed_key_for(AssetRef::Checkpoint(7))),
			"licenseDataset3": hex(&pallet_licenses::AssetLicenses::<Runtime>::hashed_key_for(AssetRef::Dataset(3))),
		},
	})
}

#[test]
fn the_client_vectors_are_what_the_runtime_encodes() {
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../primitives/vectors/client.json");
	let encoded = vectors();
	if std::env::var_os("UPDATE_VECTORS").is_some() {
		std::fs::write(path, format!("{}\n", serde_json::to_string_pretty(&encoded).unwrap()))
			.unwrap();
	}
	let published: Value =
		serde_json::from_str(&std::fs::read_to_string(path).expect(path)).expect("json");
	assert_eq!(
		published, encoded,
		"the runtime's stored types changed: mirror them in client/src/types.rs, then run this \
		 test with UPDATE_VECTORS=1"
	);
}
