# Sourced by the scripts: one cargo target directory outside the work tree, shared by every
# script, session and CI run, so that nothing is compiled twice.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/provenance-chain/target}"
# The node the scripts and the end-to-end tests run: the dev-profile build (dependencies
# optimised, see [profile.dev] in Cargo.toml), the same artifacts `cargo test` uses.
export PROVENANCE_NODE="${PROVENANCE_NODE:-$CARGO_TARGET_DIR/debug/provenance-node}"
# The target directory is outside the work tree, so tell the wasm builder where the workspace
# (and its Cargo.lock) is: the wasm runtime is built with the same locked versions.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$(pwd)}"
# frame-benchmarking-cli's own wasm test runtime is only for `benchmark storage --mode
# validate-block`, a parachain mode: it is not built (it was a second wasm tree of ~200 crates).
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
# Clippy lints our crates as they are compiled (not the dependencies): it is the compiler of
# the workspace members in every build, so the scripts' builds and tests share one set of
# artifacts and no second, check-mode tree of the dependencies is built. Any warning fails.
export RUSTC_WORKSPACE_WRAPPER="${RUSTC_WORKSPACE_WRAPPER-clippy-driver}"
export CLIPPY_ARGS="${CLIPPY_ARGS--Dwarnings__CLIPPY_HACKERY__}"
# OpenSSL (which litep2p's WebRTC transport needs) from Debian's libssl-dev instead of
# compiling the vendored copy in every cold build (scripts/setup installs it).
export OPENSSL_NO_VENDOR=1
# Build the upgrade probe too (runtime/build.rs: a second wasm blob, the runtime one version
# later with one more call) for the end-to-end test that upgrades a dev chain under `prov`.
# Every build shares the setting: changing it re-runs the runtime's build script.
export PROVENANCE_UPGRADE_PROBE="${PROVENANCE_UPGRADE_PROBE-1}"
# The node's flags for loads of thousands of transactions a second (BENCHMARKS.md,
# docs/operators.md): the single-state transaction pool (the default fork-aware pool, handed
# 20,000 transactions, re-validated them into each new block's view out of nonce order,
# overflowed its future queue, a tenth of the ready one, and dropped most of them for good),
# holding 32,768 ready transactions (and 3,276 waiting for an earlier nonce) in at most 64 MiB,
# so that a 20,000-transaction burst is taken whole. The shared trie cache keeps its default
# size (1 GiB): in our patched database (vendor/sc-client-db) RPC calls and transaction
# validation use it, and a block's extrinsics run without it, as their weights are measured.
# scripts/run-dev, scripts/bench-throughput and the throughput test pass them.
export PROVENANCE_NODE_FLAGS="--pool-type single-state --pool-limit 32768 --pool-kbytes 65536"
