//! `prov pool`, `prov split` and `prov royalties`: a contributor pool built from a CSV and its
//! proofs file, an asset's split set with it, a contributor's claim found by account, and what
//! an asset or an account is owed.

use super::*;
use provenance_cli::{
	pool::{self, PoolFile},
	types::{Perbill, PoolSpec},
};

#[derive(Subcommand)]
pub(super) enum PoolCommand {
	/// Builds a contributor pool from a CSV of `account,weight` lines: prints its root, total
	/// weight and leaves, and writes the proofs file (--out) to publish to the contributors.
	Build {
		csv: PathBuf,
		#[arg(long)]
		out: PathBuf,
	},
	/// Claims the signer's part of pool POOL, with the proofs file its owner published (the
	/// signer's leaf is found by account).
	Claim {
		pool: u64,
		#[arg(long)]
		proofs: PathBuf,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// A pool: its asset, commitment, share, accrued and paid.
	Show { pool: u64 },
}

#[derive(Subcommand)]
pub(super) enum SplitCommand {
	/// Sets how ASSET's income is divided (you own it): accounts with their shares, and a
	/// contributor pool with its share; the shares add up to 100%.
	Set {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
		/// A beneficiary as ACCOUNT=SHARE ("5Grw…=40%"); repeat for several.
		#[arg(long = "to", value_parser = parse_entry)]
		entries: Vec<([u8; 32], Perbill)>,
		/// The pool's proofs file (`prov pool build --out`).
		#[arg(long, requires = "pool_share")]
		pool: Option<PathBuf>,
		/// The pool's share ("60%").
		#[arg(long, value_parser = Perbill::parse_percent, requires = "pool")]
		pool_share: Option<Perbill>,
		#[command(flatten)]
		tx: TxArgs,
	},
}

#[derive(Subcommand)]
pub(super) enum RoyaltiesCommand {
	/// An asset's split, royalty stack and totals.
	Show {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
	},
	/// What an account may claim, by asset.
	Claimable {
		/// An SS58 account.
		account: String,
	},
}

fn parse_entry(text: &str) -> Result<([u8; 32], Perbill), String> {
	let (account, share) = text.split_once('=').ok_or("a beneficiary is ACCOUNT=SHARE")?;
	let account = keys::account_of(account).map_err(|e| e.message().to_owned())?;
	Ok((account, Perbill::parse_percent(share)?))
}

pub(super) async fn pool_command(
	chain: &Chain,
	command: PoolCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		PoolCommand::Build { csv, out: path } => build_pool(&csv, &path, out),
		PoolCommand::Claim { pool, proofs, tx } => {
			let file: PoolFile = read_json(&proofs)?;
			let signer = tx.signer()?;
			let (weight, index, nodes) =
				pool::find(&file, &signer.account()).map_err(Failure::Input)?;
			let proof = CallValue::unnamed_composite(nodes.iter().map(|node| {
				let (hash, sum) = (node.hash, node.sum);
				CallValue::named_composite(fields![hash, sum])
			}));
			let claim = call(
				"Royalties",
				"claim_from_pool",
				[
					("pool", pool.to_value()),
					("weight", weight.to_value()),
					("index", index.to_value()),
					("proof", proof),
				],
			);
			let included = chain.submit(&claim, &signer, tx.finalized).await?;
			let events::PoolClaimed { amount, claimed } = included.event()?;
			out.transaction(
				&included,
				json!({ "pool": pool, "index": index, "claimed": amount.to_string(), "claimedInAll": claimed.to_string() }),
				format!("claimed {amount} planck from pool {pool} (leaf {index}; {claimed} in all)"),
			);
			Ok(())
		},
		PoolCommand::Show { pool } => {
			show(chain, "provenance_pool", rpc_params![pool], &format!("no pool {pool}"), out).await
		},
	}
}

/// `prov pool build`: needs no node.
pub(super) fn build_pool(csv: &Path, path: &Path, out: &Output) -> Result<(), Failure> {
	let text = std::fs::read_to_string(csv)
		.map_err(|e| Failure::Input(format!("{}: {e}", csv.display())))?;
	let contributors =
		pool::parse_csv(&text).map_err(|e| Failure::Input(format!("{}: {e}", csv.display())))?;
	let file = pool::build(&contributors).map_err(Failure::Input)?;
	let written = serde_json::to_string_pretty(&file)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	std::fs::write(path, written)
		.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
	out.print(
		json!({ "root": file.root, "totalWeight": file.total_weight, "leaves": file.leaves, "proofs": path.display().to_string() }),
		|| {
			format!(
				"pool root {}: {} contributors, total weight {}; proofs in {}",
				file.root,
				file.leaves,
				file.total_weight,
				path.display()
			)
		},
	);
	Ok(())
}

pub(super) async fn split_command(
	chain: &Chain,
	command: SplitCommand,
	out: &Output,
) -> Result<(), Failure> {
	let SplitCommand::Set { asset, entries, pool, pool_share, tx } = command;
	let pool = match (pool, pool_share) {
		(Some(path), Some(share)) => {
			let file: PoolFile = read_json(&path)?;
			if file.format != pool::FORMAT {
				return Err(Failure::Input(format!("{}: not a pool proofs file", path.display())));
			}
			let total_weight = file.total_weight.parse().map_err(|_| {
				Failure::Input(format!("{}: totalWeight is not a number", path.display()))
			})?;
			let root = parse_hash(&file.root).map_err(Failure::Input)?;
			Some(PoolSpec { root, leaves: file.leaves, total_weight, share })
		},
		_ => None,
	};
	let set = call("Royalties", "set_split", fields![asset, entries, pool]);
	let included = submit(chain, set, &tx).await?;
	let events::SplitSet { pool } = included.event()?;
	let name = chain_lineage::name(asset);
	out.transaction(
		&included,
		json!({ "asset": asset_json(asset), "pool": pool }),
		match pool {
			Some(pool) => format!("split of {name} set, with contributor pool {pool}"),
			None => format!("split of {name} set"),
		},
	);
	Ok(())
}

pub(super) async fn royalties_command(
	chain: &Chain,
	command: RoyaltiesCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		RoyaltiesCommand::Show { asset } => {
			let missing = format!("there is no {}", chain_lineage::name(asset));
			show(chain, "provenance_royalties", rpc_params![asset_json(asset)], &missing, out).await
		},
		RoyaltiesCommand::Claimable { account } => {
			keys::account_of(&account)?;
			let params = rpc_params![account, None::<Value>, PAGE];
			show(chain, "provenance_claimable", params, "", out).await
		},
	}
}
