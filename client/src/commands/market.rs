//! `prov license`, `prov pay` and `prov claim`: licences bought, revenue paid, royalties claimed.

use super::*;

#[derive(Subcommand)]
pub(super) enum LicenseCommand {
	/// Acquires a license of an asset, paying its fee into the asset's royalties. The terms and
	/// fee are those the asset is offered under now (or --terms, --max-fee): if its owner
	/// changes them before the purchase is included, it fails instead of costing more.
	Acquire {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
		/// The terms to buy; default: those the asset is offered under now.
		#[arg(long)]
		terms: Option<u32>,
		/// The most to pay: plain integer planck, or PROV with a unit suffix; default: the
		/// fee of the terms now.
		#[arg(long, value_parser = parse_amount)]
		max_fee: Option<Balance>,
		#[command(flatten)]
		tx: TxArgs,
	},
}

/// The terms and most to pay of a license purchase: those given, else what `asset` is offered
/// under at the best block and the fee of those terms.
async fn license_quote(
	chain: &Chain,
	asset: AssetRef,
	terms: Option<u32>,
	max_fee: Option<Balance>,
) -> Result<(u32, Balance), Failure> {
	let at: H256 = chain.request("chain_getBlockHash", rpc_params![]).await?;
	let terms = match terms {
		Some(terms) => terms,
		None => chain_lineage::read_license(chain, asset, at)
			.await?
			.map(|license| license.terms)
			.ok_or_else(|| {
			Failure::Rejected(format!("{} is offered under no terms", chain_lineage::name(asset)))
		})?,
	};
	let max_fee = match max_fee {
		Some(max_fee) => max_fee,
		None => {
			/// The part of `pallet_licenses::Terms` read here, decoded by the node's metadata.
			#[derive(scale_decode::DecodeAsType)]
			struct Terms {
				spec: Spec,
			}
			#[derive(scale_decode::DecodeAsType)]
			struct Spec {
				fee: Balance,
			}
			let found: Option<Terms> = chain.fetch(("Licenses", "AllTerms"), (terms,), at).await?;
			found.ok_or_else(|| Failure::Rejected(format!("no terms {terms}")))?.spec.fee
		},
	};
	Ok((terms, max_fee))
}

pub(super) async fn license_command(
	chain: &Chain,
	command: LicenseCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		LicenseCommand::Acquire { asset, terms, max_fee, tx } => {
			let (terms, max_fee) = license_quote(chain, asset, terms, max_fee).await?;
			let acquire = call("Licenses", "acquire_license", fields![asset, terms, max_fee]);
			let included = submit(chain, acquire, &tx).await?;
			let events::LicenseGranted { terms, fee, expires_at: expires } = included.event()?;
			let result = json!({ "asset": asset_json(asset), "terms": terms, "fee": fee.to_string(), "expiresAt": expires });
			out.transaction(
				&included,
				result,
				format!(
					"licensed {} under terms {terms} for {fee} planck",
					chain_lineage::name(asset)
				),
			);
			Ok(())
		},
	}
}

/// `prov pay`: revenue to an asset.
pub(super) async fn pay(
	chain: &Chain,
	asset: AssetRef,
	amount: Balance,
	tx: &TxArgs,
	out: &Output,
) -> Result<(), Failure> {
	let included = submit(chain, call("Royalties", "pay", fields![asset, amount]), tx).await?;
	let result = json!({ "asset": asset_json(asset), "paid": amount.to_string() });
	out.transaction(
		&included,
		result,
		format!("paid {amount} planck to {}", chain_lineage::name(asset)),
	);
	Ok(())
}

/// `prov claim`: the signer's royalties on an asset.
pub(super) async fn claim(
	chain: &Chain,
	asset: AssetRef,
	tx: &TxArgs,
	out: &Output,
) -> Result<(), Failure> {
	let included = submit(chain, call("Royalties", "claim", fields![asset]), tx).await?;
	let events::Claimed { amount } = included.event()?;
	let result = json!({ "asset": asset_json(asset), "claimed": amount.to_string() });
	out.transaction(
		&included,
		result,
		format!("claimed {amount} planck from {}", chain_lineage::name(asset)),
	);
	Ok(())
}
