//! The runtime APIs: what the node and clients may ask the runtime.

use crate::{
	AccountId, Attestations, Aura, Balance, Block, BlockNumber, Checkpoints, Datasets, Evaluations,
	Executive, Grandpa, InherentDataExt, Licenses, Nonce, Royalties, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	view_functions::{ViewFunctionDispatchError, ViewFunctionId},
	weights::Weight,
};
use provenance_primitives::{
	api::{LineageNode, Page, RecordProofError, SyntheticShare, TaintReport},
	merkle::Hash as Hash32,
	AssetRef, CheckpointId, DatasetId, RunId,
};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(id: ViewFunctionId, input: Vec<u8>) -> Result<Vec<u8>, ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;
			crate::Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl provenance_primitives::api::LicensesApi<
		Block,
		AccountId,
		pallet_licenses::LicenseView<pallet_licenses::TermsOf<Runtime>>,
		pallet_licenses::TermsOf<Runtime>,
		pallet_licenses::GrantOf<Runtime>,
	> for Runtime {
		fn license(
			asset: AssetRef,
		) -> Option<pallet_licenses::LicenseView<pallet_licenses::TermsOf<Runtime>>> {
			Licenses::license_of(asset)
		}

		fn terms(id: provenance_primitives::TermsId) -> Option<pallet_licenses::TermsOf<Runtime>> {
			pallet_licenses::AllTerms::<Runtime>::get(id)
		}

		fn grants(
			asset: AssetRef,
			after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, pallet_licenses::GrantOf<Runtime>)> {
			Licenses::grants_page(asset, after, limit)
		}
	}

	impl provenance_primitives::api::ConsentApi<
		Block,
		AccountId,
		pallet_datasets::WithdrawalOf<Runtime>,
		pallet_datasets::DatasetConsentOf<Runtime>,
		pallet_datasets::ModelConsent<BlockNumber>,
	> for Runtime {
		fn withdrawal(id: u64) -> Option<pallet_datasets::WithdrawalOf<Runtime>> {
			Datasets::withdrawal(id)
		}

		fn withdrawals_of(
			who: AccountId,
			after: Option<u64>,
			limit: u32,
		) -> Vec<(u64, pallet_datasets::WithdrawalOf<Runtime>)> {
			Datasets::withdrawals_of(who, after, limit)
		}

		fn dataset_consent(
			id: DatasetId,
			after: Option<u64>,
			limit: u32,
		) -> Option<pallet_datasets::DatasetConsentOf<Runtime>> {
			Datasets::dataset_consent(id, after, limit)
		}

		fn model_consent(id: CheckpointId) -> Option<pallet_datasets::ModelConsent<BlockNumber>> {
			use provenance_primitives::traits::TrainingLineage;
			pallet_checkpoints::Records::<Runtime>::contains_key(id)
				.then(|| Datasets::model_consent(Checkpoints::lineage_datasets(id)))
		}
	}

	#[api_version(2)]
	impl provenance_primitives::api::ProvenanceApi<
		Block,
		pallet_datasets::DatasetOf<Runtime>,
		pallet_checkpoints::CheckpointOf<Runtime>,
	> for Runtime {
		fn dataset(id: DatasetId) -> Option<pallet_datasets::DatasetOf<Runtime>> {
			pallet_datasets::Records::<Runtime>::get(id)
		}

		fn dataset_by_root(root: Hash32) -> Option<(DatasetId, pallet_datasets::DatasetOf<Runtime>)> {
			Datasets::first_anchor_of(root)
		}

		fn datasets_by_root(root: Hash32) -> Vec<(DatasetId, pallet_datasets::DatasetOf<Runtime>)> {
			Datasets::anchors_of(root)
		}

		fn checkpoint(id: CheckpointId) -> Option<pallet_checkpoints::CheckpointOf<Runtime>> {
			pallet_checkpoints::Records::<Runtime>::get(id)
		}

		fn checkpoint_by_weights(
			weights_hash: Hash32,
		) -> Option<(CheckpointId, pallet_checkpoints::CheckpointOf<Runtime>)> {
			let id = pallet_checkpoints::CheckpointByWeights::<Runtime>::get(weights_hash)?;
			pallet_checkpoints::Records::<Runtime>::get(id).map(|checkpoint| (id, checkpoint))
		}

		fn checkpoints_by_weights(
			weights_hash: Hash32,
		) -> Vec<(CheckpointId, pallet_checkpoints::CheckpointOf<Runtime>)> {
			Checkpoints::registrations_of(weights_hash)
		}

		fn ancestors(asset: AssetRef, max_depth: u32) -> Vec<LineageNode> {
			Checkpoints::ancestors(asset, max_depth)
		}

		fn descendants(asset: AssetRef, offset: u32, limit: u32) -> Page<LineageNode> {
			Checkpoints::descendants(asset, offset, limit)
		}

		fn taint(id: CheckpointId) -> Option<TaintReport> {
			Checkpoints::taint_report(id)
		}

		fn clean_ancestor(id: CheckpointId) -> Option<CheckpointId> {
			Checkpoints::clean_ancestor(id)
		}

		fn synthetic_share(id: CheckpointId) -> Option<SyntheticShare> {
			Checkpoints::synthetic_share(id)
		}

		fn verify_record(id: DatasetId, leaf: Hash32, index: u64, proof: Vec<Hash32>) -> Result<(), RecordProofError> {
			Datasets::verify_record(id, &leaf, index, &proof)
		}

		fn verify_revoked_record(id: DatasetId, leaf: Hash32, index: u64, proof: Vec<Hash32>) -> Result<(), RecordProofError> {
			Datasets::verify_revoked_record(id, &leaf, index, &proof)
		}
	}

	#[api_version(2)]
	impl provenance_primitives::api::RoyaltiesApi<
		Block,
		AccountId,
		Balance,
		pallet_royalties::AssetRoyaltiesOf<Runtime>,
		pallet_royalties::PoolOf<Runtime>,
	> for Runtime {
		fn claimable(who: AccountId, after: Option<AssetRef>, limit: u32) -> Vec<(AssetRef, Balance)> {
			Royalties::claimable_page(who, after, limit)
		}

		fn pool_claimable(
			pool: u64,
			who: AccountId,
			weight: u128,
			index: u64,
			proof: Vec<provenance_primitives::merkle::SumNode>,
		) -> Option<Balance> {
			Royalties::pool_claimable(pool, &who, weight, index, &proof)
		}

		fn royalties(asset: AssetRef) -> Option<pallet_royalties::AssetRoyaltiesOf<Runtime>> {
			Royalties::royalties_of(asset)
		}

		fn pool(id: u64) -> Option<pallet_royalties::PoolOf<Runtime>> {
			pallet_royalties::Pools::<Runtime>::get(id)
		}

		fn pool_uri(id: u64) -> Option<Vec<u8>> {
			pallet_royalties::PoolUris::<Runtime>::get(id).map(|record| record.uri.into_inner())
		}
	}

	#[api_version(2)]
	impl provenance_primitives::api::EvaluationsApi<
		Block,
		AccountId,
		pallet_evaluations::EvaluationOf<Runtime>,
		pallet_evaluations::DeploymentViewOf<Runtime>,
		BlockNumber,
	> for Runtime {
		fn evaluation(id: u64) -> Option<pallet_evaluations::EvaluationOf<Runtime>> {
			Evaluations::evaluation(id)
		}

		fn evaluations_of_checkpoint(
			id: CheckpointId,
			after: Option<u64>,
			limit: u32,
		) -> Vec<(u64, pallet_evaluations::EvaluationOf<Runtime>)> {
			Evaluations::evaluations_of_checkpoint(id, after, limit)
		}

		fn evaluations_on_dataset(
			id: DatasetId,
			after: Option<u64>,
			limit: u32,
		) -> Vec<(u64, pallet_evaluations::EvaluationOf<Runtime>)> {
			Evaluations::evaluations_on_dataset(id, after, limit)
		}

		fn leaderboard(id: DatasetId, metric: Vec<u8>) -> Vec<(u64, pallet_evaluations::EvaluationOf<Runtime>)> {
			Evaluations::leaderboard(id, &metric)
		}

		fn flagged_leaderboard(
			id: DatasetId,
			metric: Vec<u8>,
		) -> Vec<(u64, pallet_evaluations::EvaluationOf<Runtime>)> {
			Evaluations::flagged_leaderboard(id, &metric)
		}

		fn deployment(id: u64) -> Option<pallet_evaluations::DeploymentViewOf<Runtime>> {
			Evaluations::deployment(id)
		}

		fn deployments_at(
			endpoint: Hash32,
			operator: AccountId,
			offset: u32,
			limit: u32,
		) -> Vec<(u64, pallet_evaluations::DeploymentViewOf<Runtime>)> {
			Evaluations::deployments_at(endpoint, &operator, offset, limit)
		}

		fn deployments_of_checkpoint(
			id: CheckpointId,
			after: Option<u64>,
			limit: u32,
		) -> Vec<(u64, pallet_evaluations::DeploymentViewOf<Runtime>)> {
			Evaluations::deployments_of_checkpoint(id, after, limit)
		}

		fn served_at(
			endpoint: Hash32,
			operator: AccountId,
			at: BlockNumber,
		) -> Option<(u64, pallet_evaluations::DeploymentViewOf<Runtime>)> {
			Evaluations::served_at(endpoint, &operator, at)
		}
	}

	impl provenance_primitives::api::AttestationsApi<
		Block,
		AccountId,
		pallet_attestations::RunOf<Runtime>,
		pallet_attestations::VoteOf<Runtime>,
		pallet_attestations::AttesterOf<Runtime>,
		pallet_attestations::SlashRecordOf<Runtime>,
	> for Runtime {
		fn run(id: RunId) -> Option<pallet_attestations::RunOf<Runtime>> {
			pallet_attestations::Runs::<Runtime>::get(id)
		}

		fn runs_of_checkpoint(
			id: CheckpointId,
			after: Option<RunId>,
			limit: u32,
		) -> Vec<(RunId, pallet_attestations::RunOf<Runtime>)> {
			let Some(checkpoint) = pallet_checkpoints::Records::<Runtime>::get(id) else {
				return Vec::new();
			};
			Attestations::runs_by_output(checkpoint.weights_hash, after, limit)
				.into_iter()
				.filter_map(|run| pallet_attestations::Runs::<Runtime>::get(run).map(|r| (run, r)))
				.collect()
		}

		fn verdicts(id: RunId) -> Vec<(AccountId, pallet_attestations::VoteOf<Runtime>)> {
			Attestations::votes(id)
		}

		fn attester(who: AccountId) -> Option<pallet_attestations::AttesterOf<Runtime>> {
			pallet_attestations::Attesters::<Runtime>::get(who)
		}

		fn slashes(
			who: AccountId,
			after: Option<RunId>,
			limit: u32,
		) -> Vec<(RunId, pallet_attestations::SlashRecordOf<Runtime>)> {
			Attestations::slashes(who, after, limit)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();

			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use sp_storage::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let mut whitelist: Vec<TrackedStorageKey> =
				AllPalletsWithSystem::whitelisted_storage_keys();
			// Written by every paying transaction, paid for once by the block
			// (`governance::FEE_DESTINATION_ACCOUNTS`).
			whitelist.push(
				frame_system::Account::<Runtime>::hashed_key_for(
					crate::governance::TreasuryAccount::get(),
				)
				.into(),
			);

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		// try-runtime tooling reads a panic as a failed check, so failures panic here; this
		// API is compiled only into try-runtime builds, never into a chain's runtime.
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|e| panic!("try_runtime_upgrade failed: {e:?}"));
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|e| panic!("try_execute_block failed: {e:?}"))
		}
	}
}
