//! provenance-node: the node of provenance-chain.

// The errors are sc-cli's and sc-service's, which their APIs take and return as they are.
#![allow(clippy::result_large_err)]

// The benchmark CLI brings pallet-staking, which does not build when try-runtime reaches
// pallet-session (as the default `native-runtime-checks` makes it).
#[cfg(all(feature = "runtime-benchmarks", feature = "native-runtime-checks"))]
compile_error!(
	"build the benchmark node with `--no-default-features --features runtime-benchmarks` \
	 (scripts/benchmark)"
);

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
