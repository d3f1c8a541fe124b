//! Builds the wasm runtime the node ships.
//!
//! The scripts compile this crate natively with `runtime-benchmarks` and `try-runtime` (one
//! host feature set for the node, the tests and the tools), but the wasm runtime is the
//! production one: those features, and the optional dependencies they switch on, are hidden
//! from substrate-wasm-builder (it reads the enabled features from `CARGO_FEATURE_*`), except
//! those `PROVENANCE_WASM_FEATURES` names: `runtime-benchmarks` for the wasm scripts/benchmark
//! measures, `try-runtime` for one that try-runtime-cli checks migrations with.

#[cfg(feature = "std")]
fn main() {
	/// Each developer feature with the optional dependencies only it switches on.
	const DEVELOPER_FEATURES: [(&str, &[&str]); 2] = [
		(
			"runtime-benchmarks",
			&["RUNTIME_BENCHMARKS", "FRAME_BENCHMARKING", "FRAME_SYSTEM_BENCHMARKING", "SP_IO"],
		),
		("try-runtime", &["TRY_RUNTIME", "FRAME_TRY_RUNTIME"]),
	];
	println!("cargo:rerun-if-env-changed=PROVENANCE_WASM_FEATURES");
	let wanted = std::env::var("PROVENANCE_WASM_FEATURES").unwrap_or_default();
	for (feature, variables) in DEVELOPER_FEATURES {
		if !wanted.split(',').any(|w| w.trim() == feature) {
			for variable in variables {
				std::env::remove_var(format!("CARGO_FEATURE_{variable}"));
			}
		}
	}

	#[cfg(feature = "metadata-hash")]
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("PROV", 12)
		.build();

	#[cfg(not(feature = "metadata-hash"))]
	substrate_wasm_builder::WasmBuilder::build_using_defaults();

	// The upgrade probe: the same runtime one version later with one more pallet, which the
	// end-to-end test sets as the new code of a dev chain under a running `prov`. Its blob has
	// its own name (`upgrade_probe_wasm.rs.compact.compressed.wasm` in the wasm project), so the
	// node's `WASM_BINARY` stays the production runtime.
	println!("cargo:rerun-if-env-changed=PROVENANCE_UPGRADE_PROBE");
	if std::env::var("PROVENANCE_UPGRADE_PROBE").is_ok_and(|probe| probe == "1") {
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("upgrade-probe")
			.set_file_name("upgrade_probe_wasm.rs")
			.build();
	}
}

#[cfg(not(feature = "std"))]
fn main() {}
