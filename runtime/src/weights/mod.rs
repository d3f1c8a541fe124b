//! The runtime's base and database weights, and the weights of the polkadot-sdk pallets whose
//! calls carry most of the load, all measured on this machine class by `scripts/benchmark`
//! (BENCHMARKS.md): an empty block and a no-op extrinsic (`benchmark overhead`), and
//! `frame_system`, `pallet_balances` and `pallet_utility` (`benchmark pallet`), the transaction
//! extensions' storage accesses (`frame_system_extensions`, `pallet_transaction_payment`: their
//! execution is in the extrinsic base weight), and ParityDB's read and write (`benchmark
//! storage` on a populated state, `frame_system::Config::DbWeight`). Our pallets' weights are
//! in their own `weights.rs`.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
// Generated: the CLI's template documents the struct's fields inside `parameter_types!`.
#[allow(unused_doc_comments)]
pub mod paritydb_weights;
