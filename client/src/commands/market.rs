//! `prov terms`, `prov license`, `prov pay` and `prov claim`: licence terms written, assets
//! offered under them, licences bought, revenue paid, royalties claimed.

use super::*;
use provenance_cli::types::{Derivatives, Policy, TermsSpec};

#[derive(Subcommand)]
pub(super) enum TermsCommand {
	/// Writes licence terms anyone may offer their assets under (a deposit is held for them).
	Create(Box<TermsArgs>),
	/// Terms: their spec, URI, author and deposit.
	Show { id: u32 },
}

#[derive(Args)]
#[command(group(ArgGroup::new("text_hash").required(true).args(["text", "terms_hash"])))]
pub(super) struct TermsArgs {
	/// What a licence costs, paid into the asset's royalties (planck, or "2PROV").
	#[arg(long, value_parser = parse_amount, default_value = "0")]
	fee: Balance,
	/// Commercial use allowed.
	#[arg(long)]
	commercial: bool,
	/// allowed, share-alike or not-allowed.
	#[arg(long, value_parser = parse_derivatives, default_value = "allowed")]
	derivatives: Derivatives,
	/// Attribution required.
	#[arg(long)]
	attribution: bool,
	/// The share of every payment to a derivative reserved for the asset (basis points).
	#[arg(long, default_value_t = 0)]
	upstream_royalty_bps: u16,
	/// How many blocks a licence lasts; default: for good.
	#[arg(long)]
	duration: Option<u32>,
	/// The full legal text; its SHA-256 is recorded.
	#[arg(long)]
	text: Option<PathBuf>,
	/// The legal text's hash, instead of --text.
	#[arg(long, value_parser = parse_hash)]
	terms_hash: Option<Hash>,
	/// Where the text lives.
	#[arg(long)]
	uri: String,
	#[command(flatten)]
	tx: TxArgs,
}

fn parse_derivatives(text: &str) -> Result<Derivatives, String> {
	match text {
		"allowed" => Ok(Derivatives::Allowed),
		"share-alike" => Ok(Derivatives::ShareAlike),
		"not-allowed" => Ok(Derivatives::NotAllowed),
		_ => Err(format!("{text}: derivatives are allowed, share-alike or not-allowed")),
	}
}

fn parse_policy(text: &str) -> Result<Policy, String> {
	match text {
		"open" => Ok(Policy::Open),
		"licensed" => Ok(Policy::Licensed),
		_ => Err(format!("{text}: a policy is open or licensed")),
	}
}

pub(super) async fn terms_command(
	chain: &Chain,
	command: TermsCommand,
	out: &Output,
) -> Result<(), Failure> {
	match command {
		TermsCommand::Create(args) => {
			let terms_hash = document_hash(&args.text, args.terms_hash)?;
			let spec = TermsSpec {
				commercial_use: args.commercial,
				derivatives: args.derivatives,
				attribution: args.attribution,
				fee: args.fee,
				upstream_royalty_bps: args.upstream_royalty_bps,
				duration: args.duration,
				terms_hash,
			};
			let uri = Bytes(args.uri.clone().into_bytes());
			let included =
				submit(chain, call("Licenses", "create_terms", fields![spec, uri]), &args.tx)
					.await?;
			let events::TermsCreated { id } = included.event()?;
			out.transaction(
				&included,
				json!({ "terms": id, "termsHash": to_hex(&terms_hash) }),
				format!("terms {id} created"),
			);
			Ok(())
		},
		TermsCommand::Show { id } => {
			show(chain, "provenance_terms", rpc_params![id], &format!("no terms {id}"), out).await
		},
	}
}

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
	/// Gives up your licence of ASSET (live or expired; no refund of the fee), releasing the
	/// grant's deposit.
	Relinquish {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// Offers ASSET (you own it) under terms, with a policy: open (anyone may derive from it
	/// within the terms) or licensed (deriving needs a licence).
	Set {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
		#[arg(long)]
		terms: u32,
		#[arg(long, value_parser = parse_policy)]
		policy: Policy,
		#[command(flatten)]
		tx: TxArgs,
	},
	/// What ASSET is offered under (terms, policy, inherited share-alike terms) and the
	/// licences granted of it.
	Show {
		#[arg(value_parser = parse_asset)]
		asset: AssetRef,
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
		LicenseCommand::Set { asset, terms, policy, tx } => {
			let set = call("Licenses", "set_license", fields![asset, terms, policy]);
			let included = submit(chain, set, &tx).await?;
			included.event::<events::LicenseSet>()?;
			out.transaction(
				&included,
				json!({ "asset": asset_json(asset), "terms": terms, "policy": format!("{policy:?}") }),
				format!("{} offered under terms {terms} ({policy:?})", chain_lineage::name(asset)),
			);
			Ok(())
		},
		LicenseCommand::Show { asset } => {
			let license: Value =
				chain.request("provenance_license", rpc_params![asset_json(asset)]).await?;
			let grants: Value = chain
				.request("provenance_grants", rpc_params![asset_json(asset), None::<Value>, PAGE])
				.await?;
			let answer = json!({ "asset": asset_json(asset), "offer": license, "grants": grants });
			out.print(answer.clone(), || format!("{answer:#}"));
			Ok(())
		},
		LicenseCommand::Relinquish { asset, tx } => {
			let included =
				submit(chain, call("Licenses", "relinquish", fields![asset]), &tx).await?;
			out.transaction(
				&included,
				json!({ "asset": asset_json(asset), "relinquished": true }),
				format!("licence of {} given up", chain_lineage::name(asset)),
			);
			Ok(())
		},
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
