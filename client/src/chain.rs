//! A provenance-chain node over JSON-RPC (WebSocket): queries, and transactions signed here and
//! followed until they are in a block (or finalized), with their events.
//!
//! Calls are encoded and events decoded by the metadata of the runtime the node runs at the
//! block they are built at, and signed with that runtime's `spec_version` and
//! `transaction_version`: one `prov` works across runtime upgrades.

use crate::{
	calls::{self, Call},
	keys::Signer,
	to_hex, Failure,
};
use jsonrpsee::{
	core::client::ClientT,
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde_json::Value;
use sp_core::H256;
use std::{sync::Arc, time::Duration};
use subxt::{
	backend::LegacyBackend,
	config::DefaultExtrinsicParamsBuilder,
	error::{DispatchError, TransactionEventsError},
	events::DecodeAsEvent,
	extrinsics::ExtrinsicEvents,
	rpcs::RpcClient,
	tx::TransactionStatus,
	OnlineClient, PolkadotConfig,
};

/// The node `prov` talks to: its JSON-RPC methods, and its runtime's metadata.
pub struct Chain {
	rpc: Arc<WsClient>,
	api: OnlineClient<PolkadotConfig>,
}

/// How long a transaction may take to reach a block (or finality) before `prov` gives up.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(300);

/// Blocks a transaction stays valid for, from the block it is built at (as polkadot.js does):
/// one that is not included by then can never be, so a stalled `prov` cannot have it replayed
/// later.
pub const MORTALITY: u64 = 64;

/// The runtime `prov` speaks to (`specName`); its versions may change under it.
const SPEC_NAME: &str = "provenance";

/// An event of a finalized block, its fields decoded by the runtime of that block.
pub struct BlockEvent {
	pub block: u64,
	pub hash: H256,
	pub pallet: String,
	pub name: String,
	/// The fields as JSON ([`crate::watch::to_json`]).
	pub fields: Value,
}

/// A transaction in a block, with the events it emitted there.
pub struct Included {
	pub block: H256,
	pub finalized: bool,
	pub events: ExtrinsicEvents<PolkadotConfig>,
}

impl Included {
	/// The first event of type `E` the transaction emitted; `E`'s name in the error when none.
	pub fn event<E: DecodeAsEvent>(&self) -> Result<E, Failure> {
		let name = std::any::type_name::<E>().rsplit("::").next().unwrap_or_default();
		self.events
			.find_first::<E>()
			.ok_or_else(|| Failure::Node(format!("the transaction emitted no {name}")))?
			.map_err(|e| Failure::Node(format!("the {name} event does not decode: {e}")))
	}
}

impl Chain {
	/// Connects to `url` (`ws://` or `wss://`) and checks that the node runs provenance-chain.
	pub async fn connect(url: &str) -> Result<Self, Failure> {
		let rpc = WsClientBuilder::default()
			.request_timeout(Duration::from_secs(60))
			.build(url)
			.await
			.map_err(|e| Failure::Node(format!("{url}: {e}")))?;
		let rpc = Arc::new(rpc);
		let backend = LegacyBackend::<PolkadotConfig>::builder().build(RpcClient::new(rpc.clone()));
		let api = OnlineClient::from_backend_with_config(PolkadotConfig::new(), Arc::new(backend))
			.await
			.map_err(|e| Failure::Node(format!("{url}: {e}")))?;
		let chain = Chain { rpc, api };
		let version: Value = chain.request("state_getRuntimeVersion", rpc_params![]).await?;
		let spec_name = version["specName"].as_str().unwrap_or_default();
		if spec_name != SPEC_NAME {
			return Err(Failure::Node(format!(
				"{url} runs {spec_name}, not {SPEC_NAME}: prov is the client of provenance-chain"
			)));
		}
		Ok(chain)
	}

	/// Calls a JSON-RPC method.
	pub async fn request<T: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: jsonrpsee::core::params::ArrayParams,
	) -> Result<T, Failure> {
		self.rpc.request(method, params).await.map_err(|e| Failure::Node(format!("{method}: {e}")))
	}

	/// The value stored under `key` in the state of block `at`.
	pub async fn storage(&self, key: &[u8], at: H256) -> Result<Option<Vec<u8>>, Failure> {
		let value: Option<String> =
			self.request("state_getStorage", rpc_params![to_hex(key), at]).await?;
		value
			.map(|hex_bytes| {
				hex::decode(hex_bytes.trim_start_matches("0x"))
					.map_err(|e| Failure::Node(format!("state_getStorage: {e}")))
			})
			.transpose()
	}

	/// The value of storage item `pallet.item` under `key` at block `at`, decoded by the
	/// runtime's metadata at that block into `V` (which may name only the fields it reads).
	pub async fn fetch<K, V>(
		&self,
		(pallet, item): (&str, &str),
		key: K,
		at: H256,
	) -> Result<Option<V>, Failure>
	where
		K: subxt::ext::frame_decode::storage::IntoEncodableValues
			+ subxt::ext::frame_decode::storage::IntoDecodableValues,
		V: scale_decode::DecodeAsType,
	{
		let failed = |e: &dyn std::fmt::Display| Failure::Node(format!("{pallet}.{item}: {e}"));
		let client = self.api.at_block(at).await.map_err(|e| failed(&e))?;
		let address = subxt::dynamic::storage::<K, V>(pallet, item);
		let value = client.storage().try_fetch(address, key).await.map_err(|e| failed(&e))?;
		value.map(|value| value.decode()).transpose().map_err(|e| failed(&e))
	}

	/// Follows the finalized blocks from the next one on, for good, calling `on_event` with
	/// each of their events in order. Each block is read with the runtime it ran, so a runtime
	/// upgrade on the way is followed.
	pub async fn follow_finalized(
		&self,
		mut on_event: impl FnMut(BlockEvent),
	) -> Result<(), Failure> {
		let node = |what: &str, e: &dyn std::fmt::Display| Failure::Node(format!("{what}: {e}"));
		let mut blocks =
			self.api.stream_blocks().await.map_err(|e| node("finalized blocks", &e))?;
		while let Some(block) = blocks.next().await {
			let block = block.map_err(|e| node("finalized blocks", &e))?;
			let (number, hash) = (block.number(), block.hash());
			let what = format!("the events of block #{number}");
			let at = block.at().await.map_err(|e| node(&what, &e))?;
			let events = at.events().fetch().await.map_err(|e| node(&what, &e))?;
			for event in events.iter() {
				let event = event.map_err(|e| node(&what, &e))?;
				let fields = event
					.decode_fields_unchecked_as::<subxt::ext::scale_value::Value<()>>()
					.map_err(|e| node(&what, &e))?;
				on_event(BlockEvent {
					block: number,
					hash,
					pallet: event.pallet_name().to_owned(),
					name: event.event_name().to_owned(),
					fields: crate::watch::to_json(&fields),
				});
			}
		}
		Err(Failure::Node("the node ended the finalized blocks subscription".into()))
	}

	/// The best block's hash and number (the hash asked by the number of the best header, so
	/// that a block imported between the two requests cannot pair one block's hash with
	/// another's number).
	pub async fn best(&self) -> Result<(H256, u32), Failure> {
		let header: Value = self.request("chain_getHeader", rpc_params![]).await?;
		let number = header["number"]
			.as_str()
			.and_then(|hex| u32::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| Failure::Node("chain_getHeader: no block number".into()))?;
		let hash: Option<H256> = self.request("chain_getBlockHash", rpc_params![number]).await?;
		let hash = hash.ok_or_else(|| Failure::Node(format!("no block hash at {number}")))?;
		Ok((hash, number))
	}

	/// Signs `call` with `signer`, submits it and waits until it is in a block, or finalized when
	/// `finalized`. The call is encoded by the runtime at the best block and signed with its
	/// versions, mortal for [`MORTALITY`] blocks, with the next nonce the node's pool gives the
	/// signing key; a signer acting for another account sends it through `Proxy.proxy`. A
	/// transaction the pool refuses or that fails in its block (or whose proxied call fails) is
	/// `Rejected`, with the pallet's error name.
	pub async fn submit(
		&self,
		call: &Call,
		signer: &Signer,
		finalized: bool,
	) -> Result<Included, Failure> {
		let proxied = signer.real().map(|real| calls::as_proxy(real, call));
		let (call, key) = (proxied.as_ref().unwrap_or(call), signer.key());
		let nonce: u64 = self.request("system_accountNextIndex", rpc_params![key.ss58()]).await?;
		let transaction = self.signing_at_best().await?.sign(call, key, nonce, MORTALITY)?;
		let progress =
			transaction.submit_and_watch().await.map_err(|e| Failure::Rejected(e.to_string()))?;
		let in_block = tokio::time::timeout(INCLUSION_TIMEOUT, wait_for_block(progress, finalized))
			.await
			.map_err(|_| {
				Failure::Node(format!("the transaction was not included in {INCLUSION_TIMEOUT:?}"))
			})??;
		let block = in_block.block_hash();
		let events = in_block.wait_for_success().await.map_err(|e| match e {
			TransactionEventsError::ExtrinsicFailed(error) => Failure::Rejected(described(&error)),
			other => Failure::Node(format!("the events of block {block:?}: {other}")),
		})?;
		if proxied.is_some() {
			self.proxied_result(&events, block).await?;
		}
		Ok(Included { block, finalized, events })
	}

	/// Signs transactions against the runtime of the best block, mortal from it: for many
	/// transactions at once with nonces the caller tracks, no request per transaction.
	pub async fn signing_at_best(&self) -> Result<Signing, Failure> {
		let (hash, number) = self.best().await?;
		let at = self
			.api
			.at_block(hash)
			.await
			.map_err(|e| Failure::Node(format!("the runtime at block {hash:?}: {e}")))?;
		Ok(Signing { at, hash, number: number.into() })
	}

	/// The indices of the extrinsics of block `at` that failed (`System.ExtrinsicFailed`).
	pub async fn failed_extrinsics(&self, at: H256) -> Result<Vec<u32>, Failure> {
		let node = |e: &dyn std::fmt::Display| Failure::Node(format!("events of {at:?}: {e}"));
		let block = self.api.at_block(at).await.map_err(|e| node(&e))?;
		let events = block.events().fetch().await.map_err(|e| node(&e))?;
		let mut failed = Vec::new();
		for event in events.iter() {
			let event = event.map_err(|e| node(&e))?;
			if event.pallet_name() == "System" && event.event_name() == "ExtrinsicFailed" {
				if let subxt::events::Phase::ApplyExtrinsic(index) = event.phase() {
					failed.push(index);
				}
			}
		}
		Ok(failed)
	}

	/// The result of a proxied call, from the `Proxy.ProxyExecuted` event of its transaction.
	async fn proxied_result(
		&self,
		events: &ExtrinsicEvents<PolkadotConfig>,
		block: H256,
	) -> Result<(), Failure> {
		let node = |e: &dyn std::fmt::Display| Failure::Node(format!("block {block:?}: {e}"));
		let executed = events
			.iter()
			.filter_map(Result::ok)
			.find(|event| event.pallet_name() == "Proxy" && event.event_name() == "ProxyExecuted")
			.ok_or_else(|| Failure::Node("the proxy transaction executed no call".into()))?;
		// `result: Result<(), DispatchError>`: 0 for Ok, 1 and the error.
		match executed.field_bytes().split_first() {
			Some((0, _)) => Ok(()),
			Some((1, error)) => {
				let metadata = self.api.at_block(block).await.map_err(|e| node(&e))?.metadata();
				let error = DispatchError::decode_from(error, metadata).map_err(|e| node(&e))?;
				Err(Failure::Rejected(described(&error)))
			},
			_ => Err(Failure::Node("ProxyExecuted: no result".into())),
		}
	}
}

/// The runtime of one block, to sign transactions for ([`Chain::signing_at_best`]).
pub struct Signing {
	at: subxt::client::ClientAtBlock<
		PolkadotConfig,
		subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
	>,
	hash: H256,
	number: u64,
}

/// A signed transaction, ready to submit.
pub type Signed = subxt::tx::SubmittableTransaction<
	PolkadotConfig,
	subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
>;

impl Signing {
	/// `call` signed by `key` with `nonce`, valid for `mortality` blocks (a power of two) from
	/// the block this signs at.
	pub fn sign(
		&self,
		call: &Call,
		key: &crate::keys::Key,
		nonce: u64,
		mortality: u64,
	) -> Result<Signed, Failure> {
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
			.nonce(nonce)
			.mortal_from_unchecked(mortality, self.number, self.hash)
			.build();
		self.at
			.tx()
			.create_signable_offline(call, params)
			.and_then(|mut signable| signable.sign(key))
			.map_err(|e| {
				Failure::Node(format!(
					"{}.{} cannot be built for the node's runtime: {e}",
					call.pallet_name(),
					call.call_name()
				))
			})
	}
}

type InBlock = subxt::tx::TransactionInBlock<
	PolkadotConfig,
	subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
>;

/// Follows a submitted transaction's statuses to the block that holds it.
async fn wait_for_block(
	mut progress: subxt::tx::TransactionProgress<
		PolkadotConfig,
		subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
	>,
	finalized: bool,
) -> Result<InBlock, Failure> {
	while let Some(status) = progress.next().await {
		match status.map_err(|e| Failure::Node(format!("transaction status: {e}")))? {
			TransactionStatus::InFinalizedBlock(block) => return Ok(block),
			TransactionStatus::InBestBlock(block) if !finalized => return Ok(block),
			TransactionStatus::Invalid { message } => {
				return Err(Failure::Rejected(format!("the transaction was invalid: {message}")))
			},
			TransactionStatus::Dropped { message } => {
				return Err(Failure::Rejected(format!("the transaction was dropped: {message}")))
			},
			TransactionStatus::Error { message } => {
				return Err(Failure::Node(format!("the node failed the transaction: {message}")))
			},
			_ => {},
		}
	}
	Err(Failure::Node("the node ended the transaction's subscription".into()))
}

/// A dispatch error as `Pallet(Error)` (`Datasets(RootAlreadyAnchored)`), else as the node
/// describes it.
fn described(error: &DispatchError) -> String {
	match error {
		DispatchError::Module(module) => match module.details() {
			Ok(details) => format!("{}({})", details.pallet.name(), details.variant.name),
			Err(_) => module.to_string(),
		},
		other => other.to_string(),
	}
}
