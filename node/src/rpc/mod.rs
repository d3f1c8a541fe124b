//! The node's JSON-RPC methods beyond those every Substrate node serves.

mod provenance;
mod scale_json;

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;

use crate::service::FullClient;
use provenance::{Provenance, ProvenanceRpcServer};

/// What the RPC methods need from the node.
pub struct FullDeps<P> {
	/// The client, to reach chain state and runtime APIs.
	pub client: Arc<FullClient>,
	/// The transaction pool.
	pub pool: Arc<P>,
}

/// The RPC methods of a full node: `system_accountNextIndex`, `payment_*` and `provenance_*`
/// on top of the standard set.
pub fn create_full<P>(
	deps: FullDeps<P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	P: TransactionPool<Block = provenance_runtime::opaque::Block> + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Provenance::new(client).into_rpc())?;

	Ok(module)
}
