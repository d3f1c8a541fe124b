//! The runtime integration tests, one binary (each test binary links the executor and the
//! wasm runtime): genesis presets, signed transactions through the extension pipeline, and
//! each feature's story across pallets.

mod common;

mod attestations;
mod client_vectors;
mod consent;
mod evaluations;
mod governance;
mod licensing;
mod provenance;
mod proxies;
mod random_calls;
mod runtime;
mod validators;
