//! The runtime's base and database weights, and the weights of the polkadot-sdk pallets whose
//! calls carry most of the load, all measured on this machine class by `scripts/benchmark`
//! (BENCHMARKS.md): an empty block and a no-op extrinsic (`benchmark overhead`), and
//! `frame_system`, `pallet_balances` and `pallet_utility` (`benchmark pallet`). Our pallets'
//! weights are in their own `weights.rs`. The database weights are still `RocksDbWeight`
//! (see `frame_system::Config::DbWeight` in configs.rs).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod pallet_balances;
pub mod pallet_utility;
