//! provenance-node: the node of provenance-chain.

// The errors are sc-cli's and sc-service's, which their APIs take and return as they are.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
