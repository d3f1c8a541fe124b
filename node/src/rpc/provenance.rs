//! The `provenance_*` JSON-RPC methods: the provenance, attestations, royalties and evaluations
//! runtime APIs at a block (default: the best block), answered as plain JSON (see
//! [`super::scale_json`]).
//!
//! Every method is read-only and bounded: pages hold at most
//! [`MAX_PAGE_LEN`](provenance_primitives::storage::MAX_PAGE_LEN) items and lineage walks stop
//! at the runtime's `MaxLineageWalk` assets, so the namespace is safe to expose. The methods,
//! their parameters and examples are listed in `docs/rpc.md`.

use std::{collections::HashMap, sync::Arc};

use codec::{Decode, Encode};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use parking_lot::Mutex;
use provenance_primitives::{
	api::{
		AttestationsApi as _, ConsentApi as _, EvaluationsApi as _, LicensesApi as _,
		ProvenanceApi as _, RoyaltiesApi as _,
	},
	merkle::SumNode,
	storage::MAX_PAGE_LEN,
	AssetRef, CheckpointId, DatasetId, EvaluationId, RunId, TermsId,
};
use provenance_runtime::{opaque::Block, AccountId, BlockNumber};
use scale_info::PortableRegistry;
use serde::Deserialize;
use serde_json::value::RawValue;
use sp_api::{ApiError, CallApiAt, CallContext, Metadata, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use sp_rpc::number::NumberOrHex;
use sp_runtime::traits::Block as BlockT;

use super::scale_json::{to_json, with_field};
use crate::service::FullClient;

type BlockHash = <Block as BlockT>::Hash;

/// An answer: the JSON text [`to_json`] wrote, sent as it is.
type Answer = Box<RawValue>;

/// An asset: `{"dataset": ID}` or `{"checkpoint": ID}`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Asset {
	Dataset(DatasetId),
	Checkpoint(CheckpointId),
}

/// A node of a contributor pool's sum tree: `{"hash": "0x…", "sum": number or hex}`.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct SumNodeJson {
	pub hash: H256,
	pub sum: NumberOrHex,
}

/// `value` as a `u128`, or a parameter error naming `what`.
fn to_u128(value: NumberOrHex, what: &str) -> RpcResult<u128> {
	value.try_into().map_err(|_| error(code::PARAMS, format!("{what} does not fit 128 bits")))
}

impl From<Asset> for AssetRef {
	fn from(asset: Asset) -> Self {
		match asset {
			Asset::Dataset(id) => AssetRef::Dataset(id),
			Asset::Checkpoint(id) => AssetRef::Checkpoint(id),
		}
	}
}

/// Every method calls into the runtime, so each is `blocking` (as polkadot-sdk's `state_call`):
/// it runs on the server's pool for blocking work, and a page of a thousand descendants does
/// not hold up one of the few async workers that serve the submissions and other connections.
#[rpc(server, namespace = "provenance")]
pub trait ProvenanceRpc {
	/// The dataset `id`, or `null`.
	#[method(name = "dataset", blocking)]
	fn dataset(&self, id: DatasetId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[id, dataset]` of the dataset anchoring Merkle root `root`, or `null`.
	#[method(name = "datasetByRoot", blocking)]
	fn dataset_by_root(&self, root: H256, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[[id, dataset], ...]`: every dataset anchoring `root`, one per owner, earliest first.
	#[method(name = "datasetsByRoot", blocking)]
	fn datasets_by_root(&self, root: H256, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// The checkpoint `id`, or `null`.
	#[method(name = "checkpoint", blocking)]
	fn checkpoint(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[id, checkpoint]` of the checkpoint with weights root `weights_hash`, or `null`.
	#[method(name = "checkpointByWeights", blocking)]
	fn checkpoint_by_weights(&self, weights_hash: H256, at: Option<BlockHash>)
		-> RpcResult<Answer>;

	/// `[[id, checkpoint], ...]`: every checkpoint with weights root `weights_hash`, one per
	/// owner, earliest first.
	#[method(name = "checkpointsByWeights", blocking)]
	fn checkpoints_by_weights(
		&self,
		weights_hash: H256,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// What `asset` was made from, nearest first, up to `max_depth` edges away.
	#[method(name = "ancestors", blocking)]
	fn ancestors(&self, asset: Asset, max_depth: u32, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// What was made from `asset`, nearest first: `{items, next}`, `limit` items from `offset`.
	#[method(name = "descendants", blocking)]
	fn descendants(
		&self,
		asset: Asset,
		offset: u32,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// Whether checkpoint `id` descends from revoked data, or `null` for no such checkpoint.
	#[method(name = "taint", blocking)]
	fn taint(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// The nearest checkpoint of `id`'s model line with no tainted input, or `null`.
	#[method(name = "cleanAncestor", blocking)]
	fn clean_ancestor(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// How much of what checkpoint `id` learned from is synthetic.
	#[method(name = "syntheticShare", blocking)]
	fn synthetic_share(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// Whether the record with leaf hash `leaf` is at `index` of dataset `id`:
	/// `{"ok": null}` or `{"err": REASON}`. With `revoked`, in its revocation set.
	#[method(name = "verifyRecord", blocking)]
	fn verify_record(
		&self,
		id: DatasetId,
		leaf: H256,
		index: u64,
		proof: Vec<H256>,
		revoked: Option<bool>,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// The training run `id`, or `null`.
	#[method(name = "run", blocking)]
	fn run(&self, id: RunId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[[run id, run], ...]`: the runs declared with checkpoint `id`'s weights, after run
	/// `after`, at most `limit`.
	#[method(name = "runsOfCheckpoint", blocking)]
	fn runs_of_checkpoint(
		&self,
		id: CheckpointId,
		after: Option<RunId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `[[attester, verdict], ...]`: every verdict committed on run `id`.
	#[method(name = "verdicts", blocking)]
	fn verdicts(&self, id: RunId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// The attester `who`, or `null`.
	#[method(name = "attester", blocking)]
	fn attester(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[[run id, slash], ...]`: the slashes of `who` after run `after`, at most `limit`.
	#[method(name = "slashes", blocking)]
	fn slashes(
		&self,
		who: AccountId,
		after: Option<RunId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `[[asset, amount], ...]`: what `who` may claim, by asset after `after`, at most `limit`.
	#[method(name = "claimable", blocking)]
	fn claimable(
		&self,
		who: AccountId,
		after: Option<Asset>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// What `who`, of weight `weight` at leaf `index` of contributor pool `pool`, may claim
	/// from it now, by the leaf's sum-tree audit path `proof` (`[{hash, sum}, ...]`); `null`
	/// for no such pool or a proof that does not hold.
	#[method(name = "poolClaimable", blocking)]
	fn pool_claimable(
		&self,
		pool: u64,
		who: AccountId,
		weight: NumberOrHex,
		index: u64,
		proof: Vec<SumNodeJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// The asset's royalty split, royalty stack and totals, or `null`.
	#[method(name = "royalties", blocking)]
	fn royalties(&self, asset: Asset, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// The contributor pool `id` with the URI of its proofs file (`null` when unset), or `null`.
	#[method(name = "pool", blocking)]
	fn pool(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// The evaluation `id` with its contamination finding and status, or `null`.
	#[method(name = "evaluation", blocking)]
	fn evaluation(&self, id: EvaluationId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[[evaluation id, evaluation], ...]`: the evaluations of checkpoint `id` after
	/// `after`, at most `limit`.
	#[method(name = "evaluationsOfCheckpoint", blocking)]
	fn evaluations_of_checkpoint(
		&self,
		id: CheckpointId,
		after: Option<EvaluationId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `[[evaluation id, evaluation], ...]`: the evaluations on benchmark dataset `id`.
	#[method(name = "evaluationsOnDataset", blocking)]
	fn evaluations_on_dataset(
		&self,
		id: DatasetId,
		after: Option<EvaluationId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `[[evaluation id, evaluation], ...]`: attested clean scores of `metric` (text) on
	/// dataset `id`, best first.
	#[method(name = "leaderboard", blocking)]
	fn leaderboard(
		&self,
		id: DatasetId,
		metric: String,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `[[evaluation id, evaluation], ...]`: attested scores of `metric` on dataset `id` that
	/// are contaminated or of unknown contamination, best first, ranked apart.
	#[method(name = "flaggedLeaderboard", blocking)]
	fn flagged_leaderboard(
		&self,
		id: DatasetId,
		metric: String,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `{deployment, tainted, kinds}` of deployment `id`, or `null`.
	#[method(name = "deployment", blocking)]
	fn deployment(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[[deployment id, {deployment, tainted, kinds}], ...]`: `operator`'s deployments at `endpoint`
	/// (the hash of its identifier), oldest first, `limit` from the `offset`th.
	#[method(name = "deploymentsAt", blocking)]
	fn deployments_at(
		&self,
		endpoint: H256,
		operator: AccountId,
		offset: u32,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `[[deployment id, {deployment, tainted, kinds}], ...]`: the deployments of checkpoint `id`.
	#[method(name = "deploymentsOfCheckpoint", blocking)]
	fn deployments_of_checkpoint(
		&self,
		id: CheckpointId,
		after: Option<u64>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// The consent withdrawal `id` (dataset, contributor, records, reason, deadline, state), or
	/// `null`.
	#[method(name = "withdrawal", blocking)]
	fn withdrawal(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[[withdrawal id, withdrawal], ...]`: the withdrawals `who` filed and has not cleared.
	#[method(name = "withdrawalsOf", blocking)]
	fn withdrawals_of(
		&self,
		who: AccountId,
		after: Option<u64>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// Dataset `id`'s consent: `{contributors, answerPeriod, state: {open, unanswered,
	/// nonCompliantSince, answeredAny}, overdue, withdrawals}`, or `null`.
	#[method(name = "datasetConsent", blocking)]
	fn dataset_consent(
		&self,
		id: DatasetId,
		after: Option<u64>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// For checkpoint `id`: `{datasets: [{dataset, open, unanswered, overdue,
	/// nonCompliantSince}], complete}`, the datasets of its lineage with open or unanswered
	/// withdrawals; or `null`.
	#[method(name = "modelConsent", blocking)]
	fn model_consent(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[deployment id, {deployment, tainted, kinds}]` of what `operator` served at `endpoint` at
	/// block `block`, or `null`.
	#[method(name = "servedAt", blocking)]
	fn served_at(
		&self,
		endpoint: H256,
		operator: AccountId,
		block: BlockNumber,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;

	/// `{license: {terms, policy} | null, terms: {spec, uri, author, deposit} | null,
	/// inherited: terms id | null}`: what the asset is offered under, or `null` for neither a
	/// licence nor inherited terms.
	#[method(name = "license", blocking)]
	fn license(&self, asset: Asset, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// The terms `id`, or `null`.
	#[method(name = "terms", blocking)]
	fn terms(&self, id: TermsId, at: Option<BlockHash>) -> RpcResult<Answer>;

	/// `[[licensee, {terms, expiresAt, deposit}], ...]`: the licences granted of the asset, after
	/// the licensee `after`, at most `limit`.
	#[method(name = "grants", blocking)]
	fn grants(
		&self,
		asset: Asset,
		after: Option<AccountId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer>;
}

/// The types of the runtime API answers, from one runtime version's metadata.
struct AnswerTypes {
	registry: PortableRegistry,
	/// (API, method) -> type id of its answer.
	outputs: HashMap<(String, String), u32>,
}

/// Serves [`ProvenanceRpcServer`] from the node's runtime APIs.
pub struct Provenance {
	client: Arc<FullClient>,
	/// The answer types of the runtime versions asked last, by spec version, most recent
	/// last: queries `at` blocks on both sides of an upgrade read each metadata once.
	types: Mutex<Vec<(u32, Arc<AnswerTypes>)>>,
}

/// How many runtime versions' answer types the cache keeps.
const CACHED_VERSIONS: usize = 4;

/// JSON-RPC error codes of the namespace.
mod code {
	/// The runtime API call failed (unknown block, runtime without the API).
	pub const RUNTIME: i32 = 9000;
	/// The answer could not be rendered (metadata without its type).
	pub const RENDER: i32 = 9001;
	/// A parameter is out of range.
	pub const PARAMS: i32 = 9002;
}

fn error(code: i32, message: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(code, message.to_string(), None::<()>)
}

type Runtime<'a> = sp_api::ApiRef<'a, <FullClient as ProvideRuntimeApi<Block>>::Api>;

impl Provenance {
	pub fn new(client: Arc<FullClient>) -> Self {
		Self { client, types: Mutex::new(Vec::new()) }
	}

	/// Runs `call` against the runtime API at `at` (default: best block) and renders its
	/// answer by the metadata type of `api`'s `method`.
	fn answer<R: Encode>(
		&self,
		at: Option<BlockHash>,
		api: &str,
		method: &str,
		call: impl FnOnce(&Runtime, BlockHash) -> Result<R, ApiError>,
	) -> RpcResult<Answer> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let runtime = self.client.runtime_api();
		let types = self.answer_types(&runtime, at)?;
		let answer = call(&runtime, at).map_err(|e| error(code::RUNTIME, e))?;
		let type_id = types
			.outputs
			.get(&(api.to_owned(), method.to_owned()))
			.ok_or_else(|| error(code::RENDER, format!("the runtime has no {api}.{method}")))?;
		to_json(&types.registry, *type_id, &answer.encode()).map_err(|e| error(code::RENDER, e))
	}

	/// Whether the runtime at `at` has the runtime API method `api.method`.
	fn has_method(&self, at: Option<BlockHash>, api: &str, method: &str) -> RpcResult<bool> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let types = self.answer_types(&self.client.runtime_api(), at)?;
		Ok(types.outputs.contains_key(&(api.to_owned(), method.to_owned())))
	}

	/// The answer types of the runtime at `at`, read from its metadata once per version. The
	/// version comes from the executor's cache of the runtime at `at` (no call into it).
	fn answer_types(&self, runtime: &Runtime, at: BlockHash) -> RpcResult<Arc<AnswerTypes>> {
		let version = self
			.client
			.runtime_version_at(at, CallContext::Offchain)
			.map_err(|e| error(code::RUNTIME, e))?
			.spec_version;
		if let Some((_, types)) = self.types.lock().iter().find(|(cached, _)| *cached == version) {
			return Ok(types.clone());
		}
		let opaque = runtime
			.metadata_at_version(at, 15)
			.map_err(|e| error(code::RUNTIME, e))?
			.ok_or_else(|| error(code::RENDER, "the runtime has no metadata v15"))?;
		let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(metadata)) =
			RuntimeMetadataPrefixed::decode(&mut &opaque[..])
				.map_err(|e| error(code::RENDER, e))?
		else {
			return Err(error(code::RENDER, "metadata v15 asked, another version given"));
		};
		let outputs = metadata
			.apis
			.iter()
			.flat_map(|api| {
				api.methods
					.iter()
					.map(|method| ((api.name.clone(), method.name.clone()), method.output.id))
			})
			.collect();
		let types = Arc::new(AnswerTypes { registry: metadata.types, outputs });
		let mut cache = self.types.lock();
		cache.retain(|(cached, _)| *cached != version);
		if cache.len() >= CACHED_VERSIONS {
			cache.remove(0);
		}
		cache.push((version, types.clone()));
		Ok(types)
	}
}

/// `limit`, refused beyond [`MAX_PAGE_LEN`] rather than cut silently.
fn page_limit(limit: u32) -> RpcResult<u32> {
	if limit > MAX_PAGE_LEN {
		return Err(error(code::PARAMS, format!("limit {limit} is above {MAX_PAGE_LEN}")));
	}
	Ok(limit)
}

const PROVENANCE: &str = "ProvenanceApi";
const ATTESTATIONS: &str = "AttestationsApi";
const ROYALTIES: &str = "RoyaltiesApi";
const EVALUATIONS: &str = "EvaluationsApi";
const CONSENT: &str = "ConsentApi";
const LICENSES: &str = "LicensesApi";

impl ProvenanceRpcServer for Provenance {
	fn dataset(&self, id: DatasetId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "dataset", |api, at| api.dataset(at, id))
	}

	fn dataset_by_root(&self, root: H256, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "dataset_by_root", |api, at| api.dataset_by_root(at, root.0))
	}

	fn datasets_by_root(&self, root: H256, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "datasets_by_root", |api, at| api.datasets_by_root(at, root.0))
	}

	fn checkpoint(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "checkpoint", |api, at| api.checkpoint(at, id))
	}

	fn checkpoints_by_weights(
		&self,
		weights_hash: H256,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "checkpoints_by_weights", |api, at| {
			api.checkpoints_by_weights(at, weights_hash.0)
		})
	}

	fn checkpoint_by_weights(
		&self,
		weights_hash: H256,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "checkpoint_by_weights", |api, at| {
			api.checkpoint_by_weights(at, weights_hash.0)
		})
	}

	fn ancestors(&self, asset: Asset, max_depth: u32, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "ancestors", |api, at| {
			api.ancestors(at, asset.into(), max_depth)
		})
	}

	fn descendants(
		&self,
		asset: Asset,
		offset: u32,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, PROVENANCE, "descendants", |api, at| {
			api.descendants(at, asset.into(), offset, limit)
		})
	}

	fn taint(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "taint", |api, at| api.taint(at, id))
	}

	fn clean_ancestor(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "clean_ancestor", |api, at| api.clean_ancestor(at, id))
	}

	fn synthetic_share(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, PROVENANCE, "synthetic_share", |api, at| api.synthetic_share(at, id))
	}

	fn verify_record(
		&self,
		id: DatasetId,
		leaf: H256,
		index: u64,
		proof: Vec<H256>,
		revoked: Option<bool>,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let proof: Vec<_> = proof.into_iter().map(|hash| hash.0).collect();
		if revoked.unwrap_or(false) {
			self.answer(at, PROVENANCE, "verify_revoked_record", |api, at| {
				api.verify_revoked_record(at, id, leaf.0, index, proof)
			})
		} else {
			self.answer(at, PROVENANCE, "verify_record", |api, at| {
				api.verify_record(at, id, leaf.0, index, proof)
			})
		}
	}

	fn run(&self, id: RunId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, ATTESTATIONS, "run", |api, at| api.run(at, id))
	}

	fn runs_of_checkpoint(
		&self,
		id: CheckpointId,
		after: Option<RunId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, ATTESTATIONS, "runs_of_checkpoint", |api, at| {
			api.runs_of_checkpoint(at, id, after, limit)
		})
	}

	fn verdicts(&self, id: RunId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, ATTESTATIONS, "verdicts", |api, at| api.verdicts(at, id))
	}

	fn attester(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, ATTESTATIONS, "attester", |api, at| api.attester(at, who))
	}

	fn slashes(
		&self,
		who: AccountId,
		after: Option<RunId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, ATTESTATIONS, "slashes", |api, at| api.slashes(at, who, after, limit))
	}

	fn claimable(
		&self,
		who: AccountId,
		after: Option<Asset>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, ROYALTIES, "claimable", |api, at| {
			api.claimable(at, who, after.map(Into::into), limit)
		})
	}

	fn pool_claimable(
		&self,
		pool: u64,
		who: AccountId,
		weight: NumberOrHex,
		index: u64,
		proof: Vec<SumNodeJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let weight = to_u128(weight, "weight")?;
		let proof = proof
			.into_iter()
			.map(|node| Ok(SumNode { hash: node.hash.0, sum: to_u128(node.sum, "a sum")? }))
			.collect::<RpcResult<Vec<_>>>()?;
		self.answer(at, ROYALTIES, "pool_claimable", |api, at| {
			api.pool_claimable(at, pool, who, weight, index, proof)
		})
	}

	fn royalties(&self, asset: Asset, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, ROYALTIES, "royalties", |api, at| api.royalties(at, asset.into()))
	}

	fn pool(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Answer> {
		let at = Some(at.unwrap_or_else(|| self.client.info().best_hash));
		let pool = self.answer(at, ROYALTIES, "pool", |api, at| api.pool(at, id))?;
		if pool.get() == "null" {
			return Ok(pool);
		}
		// Runtimes before `RoyaltiesApi` v2 (spec 107) keep no URI.
		let uri = if self.has_method(at, ROYALTIES, "pool_uri")? {
			self.answer(at, ROYALTIES, "pool_uri", |api, at| api.pool_uri(at, id))?
		} else {
			RawValue::NULL.to_owned()
		};
		with_field(pool, "uri", &uri).map_err(|e| error(code::RENDER, e))
	}

	fn evaluation(&self, id: EvaluationId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, EVALUATIONS, "evaluation", |api, at| api.evaluation(at, id))
	}

	fn evaluations_of_checkpoint(
		&self,
		id: CheckpointId,
		after: Option<EvaluationId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, EVALUATIONS, "evaluations_of_checkpoint", |api, at| {
			api.evaluations_of_checkpoint(at, id, after, limit)
		})
	}

	fn evaluations_on_dataset(
		&self,
		id: DatasetId,
		after: Option<EvaluationId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, EVALUATIONS, "evaluations_on_dataset", |api, at| {
			api.evaluations_on_dataset(at, id, after, limit)
		})
	}

	fn leaderboard(
		&self,
		id: DatasetId,
		metric: String,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		self.answer(at, EVALUATIONS, "leaderboard", |api, at| {
			api.leaderboard(at, id, metric.into_bytes())
		})
	}

	fn flagged_leaderboard(
		&self,
		id: DatasetId,
		metric: String,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		self.answer(at, EVALUATIONS, "flagged_leaderboard", |api, at| {
			api.flagged_leaderboard(at, id, metric.into_bytes())
		})
	}

	fn deployment(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, EVALUATIONS, "deployment", |api, at| api.deployment(at, id))
	}

	fn deployments_at(
		&self,
		endpoint: H256,
		operator: AccountId,
		offset: u32,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, EVALUATIONS, "deployments_at", |api, at| {
			api.deployments_at(at, endpoint.0, operator, offset, limit)
		})
	}

	fn deployments_of_checkpoint(
		&self,
		id: CheckpointId,
		after: Option<u64>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, EVALUATIONS, "deployments_of_checkpoint", |api, at| {
			api.deployments_of_checkpoint(at, id, after, limit)
		})
	}

	fn served_at(
		&self,
		endpoint: H256,
		operator: AccountId,
		block: BlockNumber,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		self.answer(at, EVALUATIONS, "served_at", |api, at| {
			api.served_at(at, endpoint.0, operator, block)
		})
	}

	fn withdrawal(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, CONSENT, "withdrawal", |api, at| api.withdrawal(at, id))
	}

	fn withdrawals_of(
		&self,
		who: AccountId,
		after: Option<u64>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, CONSENT, "withdrawals_of", |api, at| {
			api.withdrawals_of(at, who, after, limit)
		})
	}

	fn dataset_consent(
		&self,
		id: DatasetId,
		after: Option<u64>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, CONSENT, "dataset_consent", |api, at| {
			api.dataset_consent(at, id, after, limit)
		})
	}

	fn model_consent(&self, id: CheckpointId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, CONSENT, "model_consent", |api, at| api.model_consent(at, id))
	}

	fn license(&self, asset: Asset, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, LICENSES, "license", |api, at| api.license(at, asset.into()))
	}

	fn terms(&self, id: TermsId, at: Option<BlockHash>) -> RpcResult<Answer> {
		self.answer(at, LICENSES, "terms", |api, at| api.terms(at, id))
	}

	fn grants(
		&self,
		asset: Asset,
		after: Option<AccountId>,
		limit: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Answer> {
		let limit = page_limit(limit)?;
		self.answer(at, LICENSES, "grants", |api, at| api.grants(at, asset.into(), after, limit))
	}
}
