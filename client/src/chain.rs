//! A provenance-chain node over JSON-RPC (WebSocket): queries, and transactions signed here and
//! followed until they are in a block (or finalized), with their events.

use crate::{to_hex, Failure};
use codec::{Decode, Encode};
use jsonrpsee::{
	core::client::{ClientT, Subscription, SubscriptionClientT},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use provenance_runtime::{self as runtime, RuntimeCall, RuntimeError, RuntimeEvent};
use serde_json::Value;
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use std::time::Duration;

/// The node `prov` talks to, checked to run the runtime `prov` was built with.
pub struct Chain {
	client: WsClient,
	genesis: H256,
}

/// How long a transaction may take to reach a block (or finality) before `prov` gives up.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(300);

/// A transaction in a block, with the events it emitted there.
pub struct Included {
	pub block: H256,
	pub finalized: bool,
	pub events: Vec<RuntimeEvent>,
}

impl Included {
	/// The first event `pick` recognises; `what` names it in the error when there is none.
	pub fn event<T>(
		&self,
		what: &str,
		pick: impl Fn(&RuntimeEvent) -> Option<T>,
	) -> Result<T, Failure> {
		self.events
			.iter()
			.find_map(pick)
			.ok_or_else(|| Failure::Node(format!("the transaction emitted no {what}")))
	}
}

impl Chain {
	/// Connects to `url` (`ws://` or `wss://`) and checks that the node runs the runtime this
	/// `prov` encodes calls for.
	pub async fn connect(url: &str) -> Result<Self, Failure> {
		let client = WsClientBuilder::default()
			.request_timeout(Duration::from_secs(60))
			.build(url)
			.await
			.map_err(|e| Failure::Node(format!("{url}: {e}")))?;
		let chain = Chain { client, genesis: H256::zero() };
		let version: Value = chain.request("state_getRuntimeVersion", rpc_params![]).await?;
		let spec_name = version["specName"].as_str().unwrap_or_default();
		let spec_version = version["specVersion"].as_u64().unwrap_or_default();
		let built_for = &runtime::VERSION;
		if spec_name != built_for.spec_name || spec_version != u64::from(built_for.spec_version) {
			return Err(Failure::Node(format!(
				"{url} runs {spec_name} {spec_version}, this prov was built for {} {}: use the prov \
				 built with the node's runtime",
				built_for.spec_name, built_for.spec_version
			)));
		}
		let genesis: H256 = chain.request("chain_getBlockHash", rpc_params![0]).await?;
		Ok(Chain { genesis, ..chain })
	}

	/// Calls a JSON-RPC method.
	pub async fn request<T: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: jsonrpsee::core::params::ArrayParams,
	) -> Result<T, Failure> {
		self.client
			.request(method, params)
			.await
			.map_err(|e| Failure::Node(format!("{method}: {e}")))
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

	/// Signs `call` with `signer`, submits it and waits until it is in a block, or finalized when
	/// `finalized`. A transaction the pool refuses or that fails in its block is `Rejected`, with
	/// the pallet's error name.
	pub async fn submit(
		&self,
		call: RuntimeCall,
		signer: &sr25519::Pair,
		finalized: bool,
	) -> Result<Included, Failure> {
		let account = runtime::AccountId::from(signer.public()).to_ss58check();
		let nonce: runtime::Nonce =
			self.request("system_accountNextIndex", rpc_params![account]).await?;
		let extrinsic =
			to_hex(&runtime::sign_transaction(call, signer, nonce, self.genesis).encode());
		let mut statuses: Subscription<Value> = self
			.client
			.subscribe(
				"author_submitAndWatchExtrinsic",
				rpc_params![extrinsic.clone()],
				"author_unwatchExtrinsic",
			)
			.await
			.map_err(|e| Failure::Rejected(e.to_string()))?;
		let block =
			tokio::time::timeout(INCLUSION_TIMEOUT, wait_for_block(&mut statuses, finalized))
				.await
				.map_err(|_| {
					Failure::Node(format!(
						"the transaction was not included in {INCLUSION_TIMEOUT:?}"
					))
				})??;
		let events = self.events_of(&extrinsic, block).await?;
		failure_of(&events).map_or(Ok(()), Err)?;
		Ok(Included { block, finalized, events })
	}

	/// The events `extrinsic` (hex) emitted in `block`.
	async fn events_of(&self, extrinsic: &str, block: H256) -> Result<Vec<RuntimeEvent>, Failure> {
		let body: Value = self.request("chain_getBlock", rpc_params![block]).await?;
		let index = body["block"]["extrinsics"]
			.as_array()
			.and_then(|extrinsics| extrinsics.iter().position(|x| x.as_str() == Some(extrinsic)))
			.ok_or_else(|| {
				Failure::Node(format!("block {block:?} does not hold the transaction"))
			})?;
		let key = frame_support::storage::storage_prefix(b"System", b"Events");
		let bytes = self.storage(&key, block).await?.unwrap_or_default();
		let records =
			Vec::<frame_system::EventRecord<RuntimeEvent, runtime::Hash>>::decode(&mut &bytes[..])
				.map_err(|e| Failure::Node(format!("events of {block:?}: {e}")))?;
		let phase = frame_system::Phase::ApplyExtrinsic(index as u32);
		Ok(records.into_iter().filter(|r| r.phase == phase).map(|r| r.event).collect())
	}
}

/// Follows a submitted transaction's statuses to the block that holds it.
async fn wait_for_block(
	statuses: &mut Subscription<Value>,
	finalized: bool,
) -> Result<H256, Failure> {
	let mut in_block = None;
	while let Some(status) = statuses.next().await {
		let status = status.map_err(|e| Failure::Node(format!("transaction status: {e}")))?;
		let hash_of = |key: &str| -> Option<H256> {
			status.get(key).and_then(|hash| serde_json::from_value(hash.clone()).ok())
		};
		if let Some(block) = hash_of("finalized") {
			return Ok(block);
		}
		if let Some(block) = hash_of("inBlock") {
			if !finalized {
				return Ok(block);
			}
			in_block = Some(block);
		} else if status.get("retracted").is_some() {
			in_block = None;
		} else if let Some(reason) = ["usurped", "dropped", "invalid", "finalityTimeout"]
			.into_iter()
			.find(|reason| status.get(reason).is_some() || status.as_str() == Some(reason))
		{
			return Err(Failure::Rejected(format!("the transaction was {reason}")));
		}
	}
	in_block.ok_or_else(|| Failure::Node("the node ended the transaction's subscription".into()))
}

/// The error a failed transaction reports in its events, by pallet and error name.
fn failure_of(events: &[RuntimeEvent]) -> Option<Failure> {
	events.iter().find_map(|event| match event {
		RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. }) => {
			let described = RuntimeError::from_dispatch_error(*dispatch_error)
				.map(|error| format!("{error:?}"))
				.unwrap_or_else(|| format!("{dispatch_error:?}"));
			Some(Failure::Rejected(described))
		},
		_ => None,
	})
}
