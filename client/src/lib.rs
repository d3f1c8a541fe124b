//! `prov`, the command-line client of provenance-chain: hashes datasets and weights by the
//! chain's Merkle spec, registers them with signed transactions, and verifies files and
//! lineages against the chain.

pub mod attester;
pub mod calls;
pub mod chain;
pub mod consent;
pub mod fetch;
pub mod hash;
pub mod keys;
pub mod lineage;
pub mod pool;
pub mod progress;
pub mod receipt;
pub mod types;
pub mod watch;

use std::fmt;

/// Why a command failed; each kind has its own exit code, so that scripts can tell a claim
/// that does not hold from a node that is down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
	/// What was checked does not hold: a proof, a root, a record (exit code 1).
	Mismatch(String),
	/// The command line asks for something impossible (exit code 2, as for clap's own errors).
	Usage(String),
	/// An input file cannot be read or is malformed (exit code 3).
	Input(String),
	/// The node cannot be reached, answered with an error, or runs a runtime whose calls or
	/// events `prov` cannot build or read (exit code 4).
	Node(String),
	/// The chain refused the transaction, or dispatched it with an error (exit code 5).
	Rejected(String),
}

impl Failure {
	/// The kind, as `--json` output names it.
	pub fn kind(&self) -> &'static str {
		match self {
			Failure::Mismatch(_) => "mismatch",
			Failure::Usage(_) => "usage",
			Failure::Input(_) => "input",
			Failure::Node(_) => "node",
			Failure::Rejected(_) => "rejected",
		}
	}

	pub fn message(&self) -> &str {
		match self {
			Failure::Mismatch(m)
			| Failure::Usage(m)
			| Failure::Input(m)
			| Failure::Node(m)
			| Failure::Rejected(m) => m,
		}
	}

	pub fn exit_code(&self) -> u8 {
		match self {
			Failure::Mismatch(_) => 1,
			Failure::Usage(_) => 2,
			Failure::Input(_) => 3,
			Failure::Node(_) => 4,
			Failure::Rejected(_) => 5,
		}
	}
}

impl fmt::Display for Failure {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "{}: {}", self.kind(), self.message())
	}
}

/// `0x`-prefixed lowercase hex, as the chain's JSON-RPC writes bytes.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A 32-byte hash from hex, with or without `0x`.
pub fn parse_hash(text: &str) -> Result<[u8; 32], String> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	hex::decode(digits)
		.ok()
		.and_then(|bytes| bytes.try_into().ok())
		.ok_or_else(|| format!("{text}: not a 32-byte hex hash"))
}
