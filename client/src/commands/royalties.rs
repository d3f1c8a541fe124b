//! `prov pool`, `prov split` and `prov royalties`: a contributor pool built from a CSV and its
//! proofs file, an asset's split set with it, a contributor's claim found by account, and what
//! an asset or an account is owed.

use super::*;
use provenance_cli::{
	fetch::{self, Gateways},
	pool::{self, PoolFile},
	types::{Perbill, PoolSpec},
};

/// The largest proofs file `prov pool claim` downloads (a pool of about two million
/// contributors).
const MAX_PROOFS_FILE: usize = 4 << 30;

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
	/// signer's leaf is found by account): fetched from the URI the pool has on chain, or read
	/// from --proofs. The file is checked against the pool's root before anything is sent.
	Claim {
		pool: u64,
		/// A proofs file at hand, instead of the one the pool's URI points at.
		#[arg(long)]
		proofs: Option<PathBuf>,
		/// The gateway `ipfs://` URIs are fetched through (an IPFS daemon's, for one); else
		/// $PROV_IPFS_GATEWAY, else https://ipfs.io.
		#[arg(long)]
		ipfs_gateway: Option<String>,
		/// The gateway `ar://` URIs are fetched through; else $PROV_ARWEAVE_GATEWAY, else
		/// https://arweave.net.
		#[arg(long)]
		arweave_gateway: Option<String>,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Publishes on chain where pool POOL's proofs file is (`ipfs://`, `ar://`, `hf://`, `s3://`
	/// or `https://`), so its contributors claim with `prov pool claim POOL` alone; you own its
	/// asset and hold a deposit for the record.
	Publish {
		pool: u64,
		uri: String,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Removes pool POOL's proofs-file URI, releasing its deposit.
	Unpublish {
		pool: u64,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Removes pool POOL once a new split replaced it and it paid out everything, releasing
	/// its owner's deposits; anyone may.
	Close {
		pool: u64,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Removes the claim record of leaf INDEX of the closed pool POOL, releasing its
	/// claimant's deposit; anyone may.
	ClearClaim {
		pool: u64,
		index: u64,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// A pool: its asset, commitment, share, accrued and paid, and its proofs-file URI.
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
		PoolCommand::Claim { pool, proofs, ipfs_gateway, arweave_gateway, tx } => {
			let on_chain = pool_on_chain(chain, pool).await?;
			let file: PoolFile = match proofs {
				Some(path) => read_json(&path)?,
				None => {
					let gateways = Gateways::chosen(ipfs_gateway, arweave_gateway);
					fetch_proofs(pool, &on_chain, &gateways).await?
				},
			};
			let (root, leaves, total_weight) = file.commitment().map_err(Failure::Input)?;
			if (root, leaves, total_weight) != on_chain.commitment()? {
				return Err(Failure::Mismatch(format!(
					"the proofs file is of root {} ({leaves} leaves, total weight {total_weight}), \
					 not of pool {pool}'s on chain ({}, {} leaves, total weight {})",
					file.root, on_chain.spec.root, on_chain.spec.leaves, on_chain.spec.total_weight
				)));
			}
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
		PoolCommand::Publish { pool, uri, tx } => {
			let published = Some(Bytes(uri.clone().into_bytes()));
			let publish = call(
				"Royalties",
				"set_pool_uri",
				[("pool", pool.to_value()), ("uri", published.to_value())],
			);
			let included = submit(chain, publish, &tx).await?;
			let events::PoolUriSet { deposit } = included.event()?;
			out.transaction(
				&included,
				json!({ "pool": pool, "uri": uri, "deposit": deposit.amount.to_string() }),
				format!("pool {pool}'s proofs file is at {uri} ({} planck held)", deposit.amount),
			);
			Ok(())
		},
		PoolCommand::Unpublish { pool, tx } => {
			let unpublish = call(
				"Royalties",
				"set_pool_uri",
				[("pool", pool.to_value()), ("uri", None::<Bytes>.to_value())],
			);
			let included = submit(chain, unpublish, &tx).await?;
			let events::PoolUriCleared { deposit } = included.event()?;
			out.transaction(
				&included,
				json!({ "pool": pool, "released": deposit.amount.to_string() }),
				format!(
					"pool {pool}'s proofs-file URI removed ({} planck released)",
					deposit.amount
				),
			);
			Ok(())
		},
		PoolCommand::Close { pool, tx } => {
			let included =
				submit(chain, call("Royalties", "close_pool", fields![pool]), &tx).await?;
			let events::PoolClosed { deposit } = included.event()?;
			out.transaction(
				&included,
				json!({ "pool": pool, "released": deposit.amount.to_string() }),
				format!("pool {pool} closed ({} planck released to its owner)", deposit.amount),
			);
			Ok(())
		},
		PoolCommand::ClearClaim { pool, index, tx } => {
			let clear = call("Royalties", "clear_leaf_claim", fields![pool, index]);
			let included = submit(chain, clear, &tx).await?;
			let events::LeafClaimCleared { deposit } = included.event()?;
			out.transaction(
				&included,
				json!({ "pool": pool, "index": index, "released": deposit.amount.to_string() }),
				format!(
					"claim record of leaf {index} of pool {pool} cleared ({} planck released)",
					deposit.amount
				),
			);
			Ok(())
		},
		PoolCommand::Show { pool } => {
			show(chain, "provenance_pool", rpc_params![pool], &format!("no pool {pool}"), out).await
		},
	}
}

/// A pool as `provenance_pool` answers it: what `prov` checks a proofs file against.
#[derive(serde::Deserialize)]
struct PoolOnChain {
	spec: PoolSpecOnChain,
	/// Hex bytes, or `null`.
	uri: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PoolSpecOnChain {
	root: String,
	leaves: u64,
	total_weight: String,
}

impl PoolOnChain {
	fn commitment(&self) -> Result<([u8; 32], u64, u128), Failure> {
		let malformed = |what: &str| Failure::Node(format!("provenance_pool: {what}"));
		let root = parse_hash(&self.spec.root).map_err(|e| malformed(&e))?;
		let total_weight =
			self.spec.total_weight.parse().map_err(|_| malformed("totalWeight is not a number"))?;
		Ok((root, self.spec.leaves, total_weight))
	}
}

async fn pool_on_chain(chain: &Chain, pool: u64) -> Result<PoolOnChain, Failure> {
	let answer: Option<PoolOnChain> = chain.request("provenance_pool", rpc_params![pool]).await?;
	answer.ok_or_else(|| Failure::Mismatch(format!("no pool {pool}")))
}

/// The proofs file `pool`'s URI on chain points at.
async fn fetch_proofs(
	pool: u64,
	on_chain: &PoolOnChain,
	gateways: &Gateways,
) -> Result<PoolFile, Failure> {
	let uri = on_chain.uri.as_deref().ok_or_else(|| {
		Failure::Input(format!(
			"pool {pool} has no proofs-file URI on chain: ask its owner for the file and pass --proofs"
		))
	})?;
	let uri = hex::decode(uri.trim_start_matches("0x"))
		.ok()
		.and_then(|bytes| String::from_utf8(bytes).ok())
		.ok_or_else(|| Failure::Input(format!("pool {pool}'s URI is not text: {uri}")))?;
	let url = fetch::url_of(&uri, gateways)
		.map_err(|e| Failure::Input(format!("{e} and pass --proofs")))?;
	let body = fetch::fetch(&url, MAX_PROOFS_FILE)
		.await
		.map_err(|e| Failure::Input(format!("pool {pool}'s proofs file ({uri}): {e}")))?;
	serde_json::from_slice(&body)
		.map_err(|e| Failure::Input(format!("pool {pool}'s proofs file ({uri}): {e}")))
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
			let (root, leaves, total_weight) = file
				.commitment()
				.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
			Some(PoolSpec { root, leaves, total_weight, share })
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
