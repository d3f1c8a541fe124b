//! `prov lineage` and `prov receipt`: an asset's lineage as a tree, receipts exported and verified offline.

use super::*;

#[derive(Args)]
pub(super) struct LineageArgs {
	/// The asset: checkpoint:ID or dataset:ID (a bare ID is a checkpoint).
	#[arg(value_parser = parse_asset)]
	asset: AssetRef,
}

#[derive(Subcommand)]
pub(super) enum ReceiptCommand {
	/// Prints the receipt of ASSET at the node's finalized block: its lineage's records and
	/// taint with their state proofs and the block header.
	Export {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
	},
	/// Checks a receipt offline: the header against a block hash you trust, every record and
	/// taint entry against the header's state root, and that the lineage is complete.
	Verify {
		receipt: PathBuf,
		/// The hash of the receipt's block, from a node or explorer you trust.
		#[arg(long, value_parser = receipt::parse_block_hash)]
		trusted_block: H256,
	},
}

pub(super) async fn lineage(chain: &Chain, args: LineageArgs, out: &Output) -> Result<(), Failure> {
	let root = args.asset;
	let at: H256 = chain.request("chain_getBlockHash", rpc_params![]).await?;
	let lineage = chain_lineage::read(chain, root, at).await?;
	// The state the records do not hold, from the node at the same block: taint (computed
	// through the lineage) and the status of each checkpoint's training run.
	let mut states = BTreeMap::new();
	for (asset, node) in &lineage.nodes {
		let asset_id = match asset {
			AssetRef::Dataset(id) | AssetRef::Checkpoint(id) => *id,
		};
		let state = match &node.record {
			Record::Dataset(_) => {
				let dataset: Value =
					chain.request("provenance_dataset", rpc_params![asset_id, at]).await?;
				json!({ "status": dataset["status"] })
			},
			Record::Checkpoint(checkpoint) => {
				let id = asset_id;
				let taint: Value = chain.request("provenance_taint", rpc_params![id, at]).await?;
				let run = match checkpoint.run {
					Some(run) => {
						let record: Value =
							chain.request("provenance_run", rpc_params![run, at]).await?;
						json!({ "id": run, "status": record["status"] })
					},
					None => Value::Null,
				};
				json!({ "taint": taint["state"], "compromised": taint["compromised"], "run": run })
			},
		};
		let mut state = state;
		state["license"] = chain_lineage::license_json(
			chain_lineage::read_license(chain, *asset, at).await?.as_ref(),
		);
		states.insert(*asset, state);
	}
	let assets: Vec<Value> = lineage
		.nodes
		.iter()
		.map(|(asset, node)| {
			let inputs: Vec<Value> = node
				.record
				.inputs()
				.into_iter()
				.map(|(input, how)| json!({ "asset": asset_json(input), "relation": how.words() }))
				.collect();
			json!({ "asset": asset_json(*asset), "state": states[asset], "inputs": inputs })
		})
		.collect();
	let result = json!({
		"root": asset_json(root),
		"at": format!("{at:?}"),
		"assets": assets,
		"truncated": lineage.truncated,
	});
	out.print(result, || {
		let mut text = String::new();
		draw(&lineage, &states, root, None, ("", ""), &mut BTreeSet::new(), &mut text);
		if lineage.truncated {
			text.push_str(&format!("(stopped after {} assets)\n", chain_lineage::MAX_ASSETS));
		}
		text.trim_end().to_owned()
	});
	Ok(())
}

/// Draws `asset` with its state and, the first time it appears, its inputs below it.
fn draw(
	lineage: &Lineage,
	states: &BTreeMap<AssetRef, Value>,
	asset: AssetRef,
	how: Option<chain_lineage::Input>,
	(lead, indent): (&str, &str),
	shown: &mut BTreeSet<AssetRef>,
	text: &mut String,
) {
	let label = how.map(|how| format!("{} ", how.words())).unwrap_or_default();
	let state = match states.get(&asset) {
		None => "not read".to_owned(),
		Some(state) if state.get("status").is_some() => compact(&state["status"]),
		Some(state) => {
			let run = match state["run"]["id"].as_u64() {
				Some(run) => format!(", run {run} {}", compact(&state["run"]["status"])),
				None => String::new(),
			};
			let flag = match &state["compromised"] {
				Value::Null => String::new(),
				flag => format!(", compromised: {}", compact(&flag["reason"])),
			};
			format!("{}{flag}{run}", compact(&state["taint"]))
		},
	};
	let state = match states.get(&asset).map(|state| &state["license"]) {
		Some(Value::Object(license)) => {
			format!("{state}, license: terms {} {}", license["terms"], compact(&license["policy"]))
		},
		_ => state,
	};
	let first = shown.insert(asset);
	let repeat = if first { "" } else { " (inputs above)" };
	text.push_str(&format!("{lead}{label}{} [{state}]{repeat}\n", chain_lineage::name(asset)));
	let Some(node) = lineage.nodes.get(&asset).filter(|_| first) else { return };
	let inputs = node.record.inputs();
	for (i, (input, how)) in inputs.iter().enumerate() {
		let (branch, next) =
			if i + 1 == inputs.len() { ("└─ ", "   ") } else { ("├─ ", "│  ") };
		let (lead, indent) = (format!("{indent}{branch}"), format!("{indent}{next}"));
		draw(lineage, states, *input, Some(*how), (&lead, &indent), shown, text);
	}
}

pub(super) fn verify_receipt(
	path: &Path,
	trusted_block: H256,
	out: &Output,
) -> Result<(), Failure> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	let document: Value = serde_json::from_str(&text)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	let verified = receipt::verify(&document, trusted_block)?;
	let tainted: Vec<Value> = verified
		.tainted
		.iter()
		.map(|(asset, taint)| {
			let sources: Vec<Value> = taint
				.sources
				.iter()
				.map(|s| json!({ "origin": asset_json(s.origin), "kind": format!("{:?}", s.kind) }))
				.collect();
			let kinds: Vec<String> = taint.kinds.iter().map(|k| format!("{k:?}")).collect();
			json!({
				"asset": asset_json(*asset),
				"sources": sources,
				"kinds": kinds,
				"truncated": taint.truncated,
			})
		})
		.collect();
	let revoked: Vec<u64> = verified
		.records
		.iter()
		.filter_map(|(asset, record)| match (asset, record) {
			(AssetRef::Dataset(id), Record::Dataset(dataset)) => {
				matches!(dataset.status, DatasetStatus::Revoked { .. }).then_some(*id)
			},
			_ => None,
		})
		.collect();
	let licenses: Vec<Value> = verified
		.licenses
		.iter()
		.map(|(asset, license)| json!({ "asset": asset_json(*asset), "license": chain_lineage::license_json(Some(license)) }))
		.collect();
	let result = json!({
		"verified": true,
		"licenses": licenses,
		"asset": asset_json(verified.asset),
		"block": format!("{:?}", verified.block),
		"number": verified.number,
		"assets": verified.records.len(),
		"tainted": tainted,
		"revokedDatasets": revoked,
	});
	out.print(result, || {
		format!(
			"receipt of {} verified at block #{} {:?}: {} assets, {} tainted, revoked datasets {revoked:?}",
			chain_lineage::name(verified.asset),
			verified.number,
			verified.block,
			verified.records.len(),
			verified.tainted.len()
		)
	});
	Ok(())
}

/// `prov receipt export`, which needs the node (`verify` is run without one, by [`super::run`]).
pub(super) async fn export_receipt(chain: &Chain, asset: AssetRef) -> Result<(), Failure> {
	let receipt = receipt::export(chain, asset).await?;
	println!("{receipt:#}");
	Ok(())
}
