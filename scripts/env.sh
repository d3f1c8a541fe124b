# Sourced by the scripts: one cargo target directory outside the work tree, shared by every
# script, session and CI run, so that nothing is compiled twice.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/provenance-chain/target}"
# The node the scripts and the end-to-end tests run: the dev-profile build (dependencies
# optimised, see [profile.dev] in Cargo.toml), the same artifacts `cargo test` uses.
export PROVENANCE_NODE="${PROVENANCE_NODE:-$CARGO_TARGET_DIR/debug/provenance-node}"
# The target directory is outside the work tree, so tell the wasm builder where the workspace
# (and its Cargo.lock) is: the wasm runtime is built with the same locked versions.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$(pwd)}"
