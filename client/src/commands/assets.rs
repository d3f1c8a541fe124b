//! `prov dataset` and `prov checkpoint`: anchor, version and revoke datasets; register and flag checkpoints.

use super::*;

#[derive(Subcommand)]
pub(super) enum DatasetCommand {
	/// Anchor a dataset: its root, record count and size come from hashing PATH (or --root,
	/// --records and --bytes).
	Register(DatasetArgs),
	/// Anchor a new version of dataset PREVIOUS (same owner).
	Version {
		/// The dataset this one supersedes.
		#[arg(long)]
		previous: u64,
		#[command(flatten)]
		dataset: DatasetArgs,
	},
	/// Hands dataset ID (you own it) to another account; the deposit stays held from you.
	Transfer(TransferArgs),
	/// Revoke a dataset: every checkpoint trained on it turns tainted.
	Revoke {
		id: u64,
		/// consent-withdrawn, legal-takedown, defective, license-violation or other.
		#[arg(long, value_parser = parse_reason)]
		reason: RevocationReason,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Args)]
#[command(group(ArgGroup::new("content").required(true).args(["path", "root"])))]
#[command(group(ArgGroup::new("datasheet_hash").required(true).args(["datasheet", "metadata_hash"])))]
pub(super) struct DatasetArgs {
	/// A directory, a line-oriented file, or with --manifest a sha256sum manifest, to hash.
	path: Option<PathBuf>,
	/// Read PATH as a sha256sum manifest (give --bytes: a manifest does not tell sizes).
	#[arg(long, requires = "path")]
	manifest: bool,
	/// The Merkle root, instead of hashing PATH.
	#[arg(long, value_parser = parse_hash, requires_all = ["records", "bytes"])]
	root: Option<Hash>,
	/// Records under the root (with --root).
	#[arg(long)]
	records: Option<u64>,
	/// Bytes of the data (with --root or --manifest).
	#[arg(long)]
	bytes: Option<u64>,
	/// Where the data is: ipfs://, ar://, hf://, s3:// or https://.
	#[arg(long)]
	uri: String,
	/// The datasheet; its SHA-256 is recorded.
	#[arg(long)]
	datasheet: Option<PathBuf>,
	/// The datasheet's hash, instead of --datasheet.
	#[arg(long, value_parser = parse_hash)]
	metadata_hash: Option<Hash>,
	/// Datasets this one was derived from (comma-separated ids).
	#[arg(long, value_delimiter = ',', requires = "transform_hash", conflicts_with = "generator")]
	derived_from: Vec<u64>,
	/// Hash of the transformation that derived it.
	#[arg(long, value_parser = parse_hash)]
	transform_hash: Option<Hash>,
	/// The checkpoint that generated this (synthetic) data.
	#[arg(long, requires_all = ["params_hash", "policy_hash"])]
	generator: Option<u64>,
	/// Hash of the generation parameters (synthetic data).
	#[arg(long, value_parser = parse_hash)]
	params_hash: Option<Hash>,
	/// Hash of the generation policy (synthetic data).
	#[arg(long, value_parser = parse_hash)]
	policy_hash: Option<Hash>,
	/// Declare the data usable commercially.
	#[arg(long)]
	commercial: bool,
	/// The highest royalty stack (basis points of every payment owed upstream) to accept: the
	/// registration fails rather than owe more, whatever an input's owner changes meanwhile.
	#[arg(long)]
	max_stack_bps: Option<u16>,
	#[command(flatten)]
	tx: TxArgs,
}

#[derive(Subcommand)]
pub(super) enum CheckpointCommand {
	/// Register a checkpoint: its weights root comes from hashing WEIGHTS (a directory of weight
	/// files, or with --manifest their sha256sum manifest) or --weights-hash.
	Register(CheckpointArgs),
	/// Hands checkpoint ID (you own it) to another account; the deposit stays held from you.
	Transfer(TransferArgs),
	/// Reports a training code or environment hash as compromised: every checkpoint whose
	/// attested run declared it, and what was made from them, turns tainted until the report
	/// is rejected; the report holds the chain's pipeline-report bond, forfeit if rejected.
	ReportPipeline {
		#[arg(value_parser = parse_hash)]
		pipeline: Hash,
		#[command(flatten)]
		evidence: EvidenceArgs,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Flag a checkpoint you own as compromised (poisoned, backdoored, tampered weights): it
	/// and everything made from it turn tainted, and their deployments are warned. A flag
	/// cannot be withdrawn by its owner.
	FlagCompromised {
		id: u64,
		/// poisoned, backdoored, weights-tampered or other.
		#[arg(long, value_parser = parse_compromise)]
		reason: provenance_primitives::CompromiseReason,
		#[command(flatten)]
		evidence: EvidenceArgs,
		#[command(flatten)]
		tx: TxArgs,
	},
}

/// A record handed to another account: `dataset transfer` and `checkpoint transfer`.
#[derive(Args)]
pub(super) struct TransferArgs {
	id: u64,
	/// The new owner (SS58).
	#[arg(long)]
	to: String,
	#[command(flatten)]
	tx: TxArgs,
}

/// Evidence for a report or a flag: a file whose SHA-256 is recorded, or that hash.
#[derive(Args)]
pub(super) struct EvidenceArgs {
	/// The evidence (a report, an advisory, a trigger, the files); its SHA-256 is recorded.
	#[arg(long, required_unless_present = "evidence_hash")]
	evidence: Option<PathBuf>,
	/// The evidence's hash, instead of --evidence.
	#[arg(long, value_parser = parse_hash)]
	evidence_hash: Option<Hash>,
}

impl EvidenceArgs {
	/// The hash recorded on chain.
	fn hash(&self) -> Result<Hash, Failure> {
		document_hash(&self.evidence, self.evidence_hash)
	}
}

#[derive(Args)]
#[command(group(ArgGroup::new("weights_root").required(true).args(["weights", "weights_hash"])))]
#[command(group(ArgGroup::new("card_hash").required(true).args(["model_card", "metadata_hash"])))]
pub(super) struct CheckpointArgs {
	/// The directory of weight files (or their manifest, with --manifest).
	weights: Option<PathBuf>,
	#[arg(long, requires = "weights")]
	manifest: bool,
	/// The weights' Merkle root, instead of hashing WEIGHTS.
	#[arg(long, value_parser = parse_hash)]
	weights_hash: Option<Hash>,
	/// A parent checkpoint as ID:RELATION (fine-tune, adapter, merge, quantization,
	/// distillation, unlearning); repeat for several.
	#[arg(long = "parent", value_parser = parse_parent)]
	parents: Vec<ParentEdge>,
	/// Datasets it was trained or tuned on (comma-separated ids).
	#[arg(long = "dataset", value_delimiter = ',')]
	datasets: Vec<u64>,
	/// Taint sources an unlearning checkpoint removes (comma-separated): revoked datasets by
	/// id or dataset:ID, compromised checkpoints as checkpoint:ID.
	#[arg(long, value_delimiter = ',', value_parser = parse_excluded)]
	excludes: Vec<AssetRef>,
	/// Where the weights are.
	#[arg(long)]
	uri: String,
	/// The model card; its SHA-256 is recorded.
	#[arg(long)]
	model_card: Option<PathBuf>,
	/// The model card's hash, instead of --model-card.
	#[arg(long, value_parser = parse_hash)]
	metadata_hash: Option<Hash>,
	/// Declare the model usable commercially.
	#[arg(long)]
	commercial: bool,
	/// The highest royalty stack (basis points of every payment owed upstream) to accept: the
	/// registration fails rather than owe more, whatever an input's owner changes meanwhile.
	#[arg(long)]
	max_stack_bps: Option<u16>,
	#[command(flatten)]
	tx: TxArgs,
}

fn parse_reason(text: &str) -> Result<RevocationReason, String> {
	use RevocationReason::*;
	Ok(match text {
		"consent-withdrawn" => ConsentWithdrawn,
		"legal-takedown" => LegalTakedown,
		"defective" => Defective,
		"license-violation" => LicenseViolation,
		"other" => Other,
		_ => return Err(format!("{text}: not a revocation reason")),
	})
}

fn parse_compromise(text: &str) -> Result<provenance_primitives::CompromiseReason, String> {
	use provenance_primitives::CompromiseReason::*;
	Ok(match text {
		"poisoned" => Poisoned,
		"backdoored" => Backdoored,
		"weights-tampered" => WeightsTampered,
		"other" => Other,
		_ => return Err(format!("{text}: not a compromise reason")),
	})
}

/// An excluded taint source: dataset:ID or checkpoint:ID, a bare ID being a dataset.
fn parse_excluded(text: &str) -> Result<AssetRef, String> {
	match text.parse() {
		Ok(id) => Ok(AssetRef::Dataset(id)),
		Err(_) => parse_asset(text),
	}
}

pub(super) fn parse_parent(text: &str) -> Result<ParentEdge, String> {
	use Relation::*;
	let (id, relation) = text.split_once(':').ok_or("a parent is ID:RELATION")?;
	let checkpoint = id.parse().map_err(|_| format!("{id}: not a checkpoint id"))?;
	let relation = match relation {
		"fine-tune" => FineTune,
		"adapter" => Adapter,
		"merge" => Merge,
		"quantization" => Quantization,
		"distillation" => Distillation,
		"unlearning" => Unlearning,
		_ => return Err(format!("{relation}: not a relation")),
	};
	Ok(ParentEdge { checkpoint, relation })
}

async fn register_dataset(
	chain: &Chain,
	previous: Option<u64>,
	args: DatasetArgs,
	out: &Output,
) -> Result<(), Failure> {
	let (root, records, bytes) = match &args.path {
		Some(path) => {
			let input = InputArgs { path: path.clone(), manifest: args.manifest, quiet: out.json };
			let (tree, _) = input.hash(None)?;
			let bytes = tree.bytes.or(args.bytes).ok_or_else(|| {
				Failure::Usage("a manifest does not tell the data's size: give --bytes".into())
			})?;
			(tree.root, tree.records, bytes)
		},
		None => match (args.root, args.records, args.bytes) {
			(Some(root), Some(records), Some(bytes)) => (root, records, bytes),
			_ => return Err(Failure::Usage("--root needs --records and --bytes".into())),
		},
	};
	let data_origin = match (args.generator, args.derived_from.is_empty()) {
		(Some(generator), _) => DatasetOrigin::Synthetic {
			generator,
			params_hash: args.params_hash.unwrap_or_default(),
			policy_hash: args.policy_hash.unwrap_or_default(),
		},
		(None, false) => DatasetOrigin::Derived {
			parents: args.derived_from.clone(),
			transform_hash: args.transform_hash.unwrap_or_default(),
		},
		(None, true) => DatasetOrigin::Human,
	};
	let metadata_hash = document_hash(&args.datasheet, args.metadata_hash)?;
	let (record_count, byte_size) = (records, bytes);
	let uri = Bytes(args.uri.clone().into_bytes());
	let DatasetArgs { commercial, max_stack_bps, .. } = &args;
	let register = match previous {
		None => call(
			"Datasets",
			"register",
			fields![
				root,
				record_count,
				byte_size,
				uri,
				metadata_hash,
				data_origin,
				commercial,
				max_stack_bps,
			],
		),
		Some(previous) => call(
			"Datasets",
			"register_version",
			fields![
				previous,
				root,
				record_count,
				byte_size,
				uri,
				metadata_hash,
				data_origin,
				commercial,
				max_stack_bps,
			],
		),
	};
	let included = submit(chain, register, &args.tx).await?;
	let events::DatasetRegistered { id } = included.event()?;
	out.transaction(
		&included,
		json!({ "dataset": id, "root": to_hex(&root), "records": records, "bytes": bytes }),
		format!("dataset {id} anchored: root {}, {records} records, {bytes} bytes", to_hex(&root)),
	);
	Ok(())
}

async fn register_checkpoint(
	chain: &Chain,
	args: CheckpointArgs,
	out: &Output,
) -> Result<(), Failure> {
	let weights_hash = match (&args.weights, args.weights_hash) {
		(Some(path), _) => {
			let input = InputArgs { path: path.clone(), manifest: args.manifest, quiet: out.json };
			input.hash(None)?.0.root
		},
		(None, Some(hash)) => hash,
		(None, None) => return Err(Failure::Usage("give WEIGHTS or --weights-hash".into())),
	};
	let metadata_hash = document_hash(&args.model_card, args.metadata_hash)?;
	let CheckpointArgs { parents, datasets, excludes, commercial, max_stack_bps, .. } = &args;
	let uri = Bytes(args.uri.clone().into_bytes());
	let register = call(
		"Checkpoints",
		"register",
		fields![
			weights_hash,
			parents,
			datasets,
			excludes,
			uri,
			metadata_hash,
			commercial,
			max_stack_bps,
		],
	);
	let included = submit(chain, register, &args.tx).await?;
	let events::CheckpointRegistered { id } = included.event()?;
	out.transaction(
		&included,
		json!({ "checkpoint": id, "weightsHash": to_hex(&weights_hash) }),
		format!("checkpoint {id} registered: weights {}", to_hex(&weights_hash)),
	);
	Ok(())
}

pub(super) async fn dataset_command(
	chain: &Chain,
	command: DatasetCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		DatasetCommand::Register(args) => register_dataset(chain, None, args, out).await,
		DatasetCommand::Version { previous, dataset } => {
			register_dataset(chain, Some(previous), dataset, out).await
		},
		DatasetCommand::Transfer(TransferArgs { id, to, tx }) => {
			transfer(chain, AssetRef::Dataset(id), &to, &tx, out).await
		},
		DatasetCommand::Revoke { id, reason, tx } => {
			let included =
				submit(chain, call("Datasets", "revoke", fields![id, reason]), &tx).await?;
			out.transaction(
				&included,
				json!({ "dataset": id, "revoked": true }),
				format!("dataset {id} revoked"),
			);
			Ok(())
		},
	}
}

pub(super) async fn checkpoint_command(
	chain: &Chain,
	command: CheckpointCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		CheckpointCommand::Register(args) => register_checkpoint(chain, args, out).await,
		CheckpointCommand::Transfer(TransferArgs { id, to, tx }) => {
			transfer(chain, AssetRef::Checkpoint(id), &to, &tx, out).await
		},
		CheckpointCommand::ReportPipeline { pipeline, evidence, tx } => {
			let evidence = evidence.hash()?;
			let report =
				call("Checkpoints", "report_compromised_pipeline", fields![pipeline, evidence]);
			let included = submit(chain, report, &tx).await?;
			let events::PipelineCompromised { pipeline } = included.event()?;
			out.transaction(
				&included,
				json!({ "pipeline": to_hex(&pipeline), "evidence": to_hex(&evidence) }),
				format!("pipeline {} reported compromised", to_hex(&pipeline)),
			);
			Ok(())
		},
		CheckpointCommand::FlagCompromised { id, reason, evidence, tx } => {
			let evidence = evidence.hash()?;
			let flag = call("Checkpoints", "flag_compromised", fields![id, reason, evidence]);
			let included = submit(chain, flag, &tx).await?;
			out.transaction(
				&included,
				json!({ "checkpoint": id, "compromised": true, "evidence": to_hex(&evidence) }),
				format!("checkpoint {id} flagged as compromised ({reason:?})"),
			);
			Ok(())
		},
	}
}

/// `prov dataset transfer` and `prov checkpoint transfer`.
async fn transfer(
	chain: &Chain,
	asset: AssetRef,
	to: &str,
	tx: &TxArgs,
	out: &Output,
) -> Result<(), Failure> {
	let new_owner = Address(keys::account_of(to)?);
	let (pallet, id) = match asset {
		AssetRef::Dataset(id) => ("Datasets", id),
		AssetRef::Checkpoint(id) => ("Checkpoints", id),
	};
	let included =
		submit(chain, call(pallet, "transfer_ownership", fields![id, new_owner]), tx).await?;
	let name = chain_lineage::name(asset);
	out.transaction(
		&included,
		json!({ "asset": asset_json(asset), "owner": to }),
		format!("{name} now belongs to {to}"),
	);
	Ok(())
}

#[derive(Subcommand)]
pub(super) enum RevocationSetCommand {
	/// The root and count of the revocation set in REVOKED (one record leaf hash per line, in
	/// the set's order: the records published before first), and with --from N its consistency
	/// proof from its first N records. Needs no node.
	Build {
		revoked: PathBuf,
		#[arg(long)]
		from: Option<u64>,
	},
	/// Publishes dataset DATASET's revocation set from REVOKED (as for build; you own the
	/// dataset), with the proof that it extends the set on chain: what was trained on the
	/// dataset before is tainted.
	Publish {
		dataset: u64,
		revoked: PathBuf,
		#[command(flatten)]
		tx: TxArgs,
	},
}

/// The root of a revocation set and its consistency proof from its first `from` records.
fn revocation_set(set: &[Hash], from: Option<u64>) -> Result<(Hash, Vec<Hash>), Failure> {
	if set.is_empty() {
		return Err(Failure::Input("the revocation set is empty".into()));
	}
	let proof = match from {
		None | Some(0) => Vec::new(),
		Some(from) => merkle::consistency_proof::<NativeSha256>(set, from).ok_or_else(|| {
			Failure::Usage(format!("--from {from}: the set has {} records", set.len()))
		})?,
	};
	Ok((merkle::root::<NativeSha256>(set), proof))
}

/// `prov revocation-set build`: needs no node.
pub(super) fn build_revocation_set(
	revoked: &Path,
	from: Option<u64>,
	out: &Output,
) -> Result<(), Failure> {
	let set = read_hashes(revoked)?;
	let (root, proof) = revocation_set(&set, from)?;
	let proof: Vec<String> = proof.iter().map(|h| to_hex(h)).collect();
	out.print(json!({ "root": to_hex(&root), "count": set.len(), "proof": proof }), || {
		format!("revocation set root {}, {} records", to_hex(&root), set.len())
	});
	Ok(())
}

pub(super) async fn revocation_set_command(
	chain: &Chain,
	command: RevocationSetCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		RevocationSetCommand::Build { revoked, from } => build_revocation_set(&revoked, from, out),
		RevocationSetCommand::Publish { dataset, revoked, tx } => {
			let set = read_hashes(&revoked)?;
			let record: Value = chain.request("provenance_dataset", rpc_params![dataset]).await?;
			if record.is_null() {
				return Err(Failure::Mismatch(format!("there is no dataset {dataset}")));
			}
			let published = &record["revocationSet"];
			let from = match published["count"].as_u64() {
				None => None,
				Some(count) => {
					let prefix = set.get(..count as usize).ok_or_else(|| {
						Failure::Mismatch(format!(
							"{} has {} records, the published set {count}: it must extend it",
							revoked.display(),
							set.len()
						))
					})?;
					let published_root =
						hash_field(&published["root"], "the published set's root")?;
					if merkle::root::<NativeSha256>(prefix) != published_root {
						return Err(Failure::Mismatch(format!(
							"the first {count} records of {} are not the published set",
							revoked.display()
						)));
					}
					Some(count)
				},
			};
			let (root, proof) = revocation_set(&set, from)?;
			let (id, count) = (dataset, set.len() as u64);
			let publish =
				call("Datasets", "publish_revocation_set", fields![id, root, count, proof]);
			let included = submit(chain, publish, &tx).await?;
			let events::RevocationSetPublished { count } = included.event()?;
			out.transaction(
				&included,
				json!({ "dataset": dataset, "root": to_hex(&root), "count": count }),
				format!("dataset {dataset}: revocation set of {count} records published"),
			);
			Ok(())
		},
	}
}
