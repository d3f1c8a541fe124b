//! `prov consent`: contributors named, consent withdrawn and answered, withdrawals shown.

use super::*;

#[derive(Subcommand)]
pub(super) enum ConsentCommand {
	/// Names the contributors of dataset DATASET (you own it), once, from a JSON file of
	/// `[{"account": SS58, "records": ["0x<record leaf>", ...]}]`; writes each contributor's proof
	/// bundle to OUT_DIR/<account>.json, for them to withdraw consent with.
	Contributors {
		dataset: u64,
		#[arg(long)]
		contributors: PathBuf,
		#[arg(long)]
		out_dir: PathBuf,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Withdraws your consent for records of your bundle (their positions in it, comma-separated;
	/// all of them when omitted). The owner must revoke them before the deadline.
	Withdraw {
		#[arg(long)]
		bundle: PathBuf,
		#[arg(long, value_delimiter = ',')]
		records: Vec<usize>,
		/// no-longer-consent, never-consented, terms-changed or other.
		#[arg(long, value_parser = parse_consent_reason, default_value = "no-longer-consent")]
		reason: ConsentReason,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Proves that the records of WITHDRAWAL are revoked: --revoked is the dataset's revocation
	/// set, one record leaf hash per line in the set's order (omit it when the whole dataset is
	/// revoked). Anyone may answer.
	Answer {
		withdrawal: u64,
		#[arg(long)]
		revoked: Option<PathBuf>,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Removes your answered withdrawal and releases its deposit.
	Clear {
		withdrawal: u64,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// A withdrawal, an account's withdrawals, a dataset's consent, or the consent of the data
	/// a model learned from.
	#[command(group(ArgGroup::new("what").required(true).args(["withdrawal", "account", "dataset", "model"])))]
	Show {
		#[arg(long)]
		withdrawal: Option<u64>,
		/// An SS58 account: the withdrawals it filed.
		#[arg(long)]
		account: Option<String>,
		#[arg(long)]
		dataset: Option<u64>,
		/// A checkpoint id.
		#[arg(long)]
		model: Option<u64>,
	},
}

pub(super) async fn consent_command(
	chain: &Chain,
	command: ConsentCommand,
	out: &Output,
) -> Result<(), Failure> {
	use provenance_cli::consent::{self, Bundle};
	match command {
		ConsentCommand::Contributors { dataset, contributors, out_dir, tx } => {
			let entries: Vec<consent::Contributor> = read_json(&contributors)?;
			let (root, bundles) =
				consent::contributor_tree(dataset, &entries).map_err(Failure::Input)?;
			let (id, leaves) = (dataset, bundles.len() as u64);
			let set_root = call("Datasets", "set_contributor_root", fields![id, root, leaves]);
			let included = submit(chain, set_root, &tx).await?;
			std::fs::create_dir_all(&out_dir)
				.map_err(|e| Failure::Input(format!("{}: {e}", out_dir.display())))?;
			let mut written = Vec::with_capacity(bundles.len());
			for bundle in &bundles {
				let path = out_dir.join(format!("{}.json", bundle.account));
				let text = serde_json::to_string_pretty(bundle)
					.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
				std::fs::write(&path, text)
					.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
				written.push(path.display().to_string());
			}
			out.transaction(
				&included,
				json!({ "dataset": dataset, "root": to_hex(&root), "leaves": leaves, "bundles": written }),
				format!(
					"dataset {dataset} names {leaves} contributors; bundles in {}",
					out_dir.display()
				),
			);
			Ok(())
		},
		ConsentCommand::Withdraw { bundle, records, reason, tx } => {
			let bundle: Bundle = read_json(&bundle)?;
			let chosen: Vec<&consent::RecordProof> = if records.is_empty() {
				bundle.records.iter().collect()
			} else {
				records
					.iter()
					.map(|i| {
						bundle
							.records
							.get(*i)
							.ok_or_else(|| Failure::Usage(format!("the bundle has no record {i}")))
					})
					.collect::<Result<_, _>>()?
			};
			let hashes = |texts: &[String]| -> Result<Vec<Hash>, Failure> {
				texts.iter().map(|t| parse_hash(t).map_err(Failure::Input)).collect()
			};
			let (records_root, records_count, index, path) = (
				parse_hash(&bundle.contributor.records_root).map_err(Failure::Input)?,
				bundle.contributor.records_count,
				bundle.contributor.index,
				hashes(&bundle.contributor.path)?,
			);
			let contributor =
				CallValue::named_composite(fields![records_root, records_count, index, path]);
			let records = chosen
				.into_iter()
				.map(|r| {
					let (leaf, index, path) =
						(parse_hash(&r.leaf).map_err(Failure::Input)?, r.index, hashes(&r.path)?);
					Ok(CallValue::named_composite(fields![leaf, index, path]))
				})
				.collect::<Result<Vec<_>, Failure>>()?;
			let id = bundle.dataset;
			let withdraw = call(
				"Datasets",
				"withdraw_consent",
				[
					("id", id.to_value()),
					("contributor", contributor),
					("records", CallValue::unnamed_composite(records)),
					("reason", reason.to_value()),
				],
			);
			let included = submit(chain, withdraw, &tx).await?;
			let events::ConsentWithdrawn { withdrawal, deadline, records } = included.event()?;
			let count = records.len();
			out.transaction(
				&included,
				json!({ "withdrawal": withdrawal, "dataset": id, "records": count, "deadline": deadline }),
				format!(
					"withdrawal {withdrawal}: consent withdrawn for {count} records of dataset {id}; \
					 the owner must revoke them by block {deadline}"
				),
			);
			Ok(())
		},
		ConsentCommand::Answer { withdrawal, revoked, tx } => {
			let record: Value =
				chain.request("provenance_withdrawal", rpc_params![withdrawal]).await?;
			if record.is_null() {
				return Err(Failure::Usage(format!("no withdrawal {withdrawal}")));
			}
			let records = record["records"]
				.as_array()
				.ok_or_else(|| Failure::Node("provenance_withdrawal: no records".into()))?
				.iter()
				.map(|leaf| hash_field(leaf, "withdrawal record"))
				.collect::<Result<Vec<_>, _>>()?;
			let proofs = match revoked {
				None => Vec::new(),
				Some(path) => {
					let set = read_hashes(&path)?;
					consent::set_memberships(&set, &records)
						.map_err(|missing| {
							Failure::Mismatch(format!(
								"record {} is not in the revocation set",
								to_hex(&missing)
							))
						})?
						.into_iter()
						.map(|(index, path)| CallValue::named_composite(fields![index, path]))
						.collect()
				},
			};
			let answer = call(
				"Datasets",
				"answer_withdrawal",
				[
					("withdrawal", withdrawal.to_value()),
					("proofs", CallValue::unnamed_composite(proofs)),
				],
			);
			let included = submit(chain, answer, &tx).await?;
			let events::WithdrawalAnswered { late } = included.event()?;
			let compliant = included.event::<events::DatasetCompliant>().is_ok();
			out.transaction(
				&included,
				json!({ "withdrawal": withdrawal, "late": late, "compliant": compliant }),
				format!(
					"withdrawal {withdrawal} answered{}{}",
					if late { " late" } else { "" },
					if compliant { "; the dataset's breach is over" } else { "" }
				),
			);
			Ok(())
		},
		ConsentCommand::Clear { withdrawal, tx } => {
			let clear = call("Datasets", "clear_withdrawal", fields![withdrawal]);
			let included = submit(chain, clear, &tx).await?;
			let events::WithdrawalCleared { deposit } = included.event()?;
			out.transaction(
				&included,
				json!({ "cleared": withdrawal, "released": deposit.to_string() }),
				format!("withdrawal {withdrawal} cleared; {deposit} planck released"),
			);
			Ok(())
		},
		ConsentCommand::Show { withdrawal, account, dataset, model } => {
			let (method, params) = match (withdrawal, account, dataset, model) {
				(Some(id), ..) => ("provenance_withdrawal", rpc_params![id]),
				(_, Some(who), ..) => {
					("provenance_withdrawalsOf", rpc_params![who, None::<u64>, PAGE])
				},
				(_, _, Some(id), _) => {
					("provenance_datasetConsent", rpc_params![id, None::<u64>, PAGE])
				},
				(.., Some(id)) => ("provenance_modelConsent", rpc_params![id]),
				_ => {
					return Err(Failure::Usage(
						"give --withdrawal, --account, --dataset or --model".into(),
					))
				},
			};
			show(chain, method, params, "no such withdrawal, dataset or model", out).await
		},
	}
}

fn parse_consent_reason(text: &str) -> Result<ConsentReason, String> {
	use ConsentReason::*;
	Ok(match text {
		"no-longer-consent" => NoLongerConsent,
		"never-consented" => NeverConsented,
		"terms-changed" => TermsChanged,
		"other" => Other,
		_ => return Err(format!("{text}: not a consent reason")),
	})
}
