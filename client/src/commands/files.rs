//! `prov hash` and `prov verify`: Merkle roots and proofs of local data, checked against a dataset on chain.

use super::*;

#[derive(Args)]
pub(super) struct HashArgs {
	#[command(flatten)]
	input: InputArgs,
	/// Prove one leaf: a file's path relative to the directory, or a line's index (from 0).
	#[arg(long, value_name = "ITEM")]
	proof: Option<String>,
}

#[derive(Args)]
pub(super) struct VerifyArgs {
	/// The file (for a directory dataset) or the line (for a line-oriented one) to check.
	file: PathBuf,
	/// The dataset's id on chain.
	#[arg(long)]
	dataset: u64,
	/// The proof, as `prov hash PATH --proof ITEM --json` writes it.
	#[arg(long)]
	proof: PathBuf,
}

pub(super) fn hash_command(args: &HashArgs, out: &Output) -> Result<(), Failure> {
	let item =
		args.proof.as_ref().map(|item| match args.input.path.is_dir() || args.input.manifest {
			true => Item::Path(item.clone()),
			false => item.parse().map(Item::Line).unwrap_or_else(|_| Item::Path(item.clone())),
		});
	let (tree, proof) = args.input.hash(item.as_ref())?;
	let mut result = tree_json(&tree);
	if let Some(proof) = &proof {
		result["proof"] = proof_json(proof);
	}
	out.print(result, || {
		let bytes = tree.bytes.map(|b| format!(", {b} bytes")).unwrap_or_default();
		let mut text = format!(
			"{}  {} records{bytes} ({})",
			to_hex(&tree.root),
			tree.records,
			tree.form.name()
		);
		if let Some(proof) = &proof {
			text.push_str(&format!(
				"\nleaf {} at index {} of {}",
				to_hex(&proof.leaf),
				proof.index,
				proof.size
			));
			proof.path.iter().for_each(|h| text.push_str(&format!("\n  {}", to_hex(h))));
		}
		text
	});
	Ok(())
}

fn tree_json(tree: &Tree) -> Value {
	json!({
		"form": tree.form.name(),
		"root": to_hex(&tree.root),
		"records": tree.records,
		"bytes": tree.bytes,
	})
}

fn proof_json(proof: &Proof) -> Value {
	let item = match &proof.item {
		Item::Path(path) => json!({ "path": path }),
		Item::Line(index) => json!({ "line": index }),
	};
	json!({
		"item": item,
		"index": proof.index,
		"size": proof.size,
		"leaf": to_hex(&proof.leaf),
		"path": proof.path.iter().map(|h| to_hex(h)).collect::<Vec<_>>(),
	})
}

pub(super) async fn verify(chain: &Chain, args: &VerifyArgs, out: &Output) -> Result<(), Failure> {
	let text = std::fs::read_to_string(&args.proof)
		.map_err(|e| Failure::Input(format!("{}: {e}", args.proof.display())))?;
	let document: Value = serde_json::from_str(&text)
		.map_err(|e| Failure::Input(format!("{}: {e}", args.proof.display())))?;
	let proof = &document["proof"];
	let index = u64_field(&proof["index"], "proof.index")?;
	let size = u64_field(&proof["size"], "proof.size")?;
	let path = proof["path"]
		.as_array()
		.ok_or_else(|| Failure::Input("proof.path: not a list".into()))?
		.iter()
		.map(|h| hash_field(h, "proof.path"))
		.collect::<Result<Vec<_>, _>>()?;
	let leaf = match (&proof["item"]["path"], &proof["item"]["line"]) {
		(Value::String(item), _) => {
			merkle::file_leaf::<NativeSha256>(&file_digest(&args.file)?, item)
		},
		(_, Value::Number(_)) => {
			let mut line = Vec::new();
			std::fs::File::open(&args.file)
				.and_then(|mut f| f.read_to_end(&mut line))
				.map_err(|e| Failure::Input(format!("{}: {e}", args.file.display())))?;
			merkle::leaf_hash::<NativeSha256>(merkle::line_data(&line))
		},
		_ => return Err(Failure::Input("proof.item: neither a path nor a line".into())),
	};
	if leaf != hash_field(&proof["leaf"], "proof.leaf")? {
		return Err(Failure::Mismatch(format!(
			"{} is not the record the proof was made for",
			args.file.display()
		)));
	}
	let dataset: Value = chain.request("provenance_dataset", rpc_params![args.dataset]).await?;
	if dataset.is_null() {
		return Err(Failure::Mismatch(format!("there is no dataset {}", args.dataset)));
	}
	let root = hash_field(&dataset["root"], "the dataset's root")?;
	let records = u64_field(&dataset["recordCount"], "the dataset's record count")?;
	if size != records {
		return Err(Failure::Mismatch(format!(
			"the proof is for {size} records, dataset {} has {records}",
			args.dataset
		)));
	}
	merkle::verify_inclusion::<NativeSha256>(&leaf, index, size, &path, &root).map_err(|e| {
		Failure::Mismatch(format!(
			"the proof does not lead to dataset {}'s root: {e:?}",
			args.dataset
		))
	})?;
	// The chain checks it too, by the same code in the runtime.
	let on_chain: Value = chain
		.request(
			"provenance_verifyRecord",
			rpc_params![
				args.dataset,
				to_hex(&leaf),
				index,
				path.iter().map(|h| to_hex(h)).collect::<Vec<_>>()
			],
		)
		.await?;
	if on_chain.get("ok").is_none() {
		return Err(Failure::Mismatch(format!(
			"the chain does not confirm the record: {on_chain}"
		)));
	}
	let status = &dataset["status"];
	out.print(json!({ "verified": true, "dataset": args.dataset, "index": index, "leaf": to_hex(&leaf), "root": to_hex(&root), "status": status }), || {
		format!("{} is record {index} of dataset {} (root {}, status {})", args.file.display(), args.dataset, to_hex(&root), compact(status))
	});
	Ok(())
}
