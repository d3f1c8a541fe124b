//! Calls and events by name: `prov` sends each call as pallet, call and named fields, and the
//! connected node's metadata encodes it; it reads events the same way. A runtime upgrade that
//! keeps a call's name and fields (appending calls, reordering pallets, new event fields)
//! leaves `prov` working; one that changes them fails with a named error before anything is
//! signed.

use crate::types::{
	ConsentReason, DatasetOrigin, Derivatives, ParentEdge, Perbill, Policy, PoolSpec, Relation,
	RevocationReason, Statement, TermsSpec, Verdict,
};
use provenance_primitives::{merkle::Hash, AssetRef, CompromiseReason};
use subxt::{dynamic::Value, ext::scale_value::Composite, tx::DynamicPayload};

/// A call to send: pallet, call name and its fields by name.
pub type Call = DynamicPayload<Composite<()>>;

/// The call `pallet.name` with `fields`.
pub fn call<'a>(
	pallet: &str,
	name: &str,
	fields: impl IntoIterator<Item = (&'a str, Value)>,
) -> Call {
	subxt::dynamic::tx(pallet, name, Composite::named(fields))
}

/// `call` sent by a proxy of `real`: `Proxy.proxy(real, None, call)`, which the runtime
/// dispatches as `real` when the signer is its proxy of a type that allows the call.
pub fn as_proxy(real: &Hash, call: &Call) -> Call {
	subxt::dynamic::tx(
		"Proxy",
		"proxy",
		Composite::named([
			("real", Address(*real).to_value()),
			("force_proxy_type", Value::unnamed_variant("None", [])),
			("call", as_value(call)),
		]),
	)
}

/// `call` as the value of a `RuntimeCall` argument (a proxied call, `Utility.batch_all`'s
/// `calls`).
pub fn as_value(call: &Call) -> Value {
	Value::unnamed_variant(
		call.pallet_name(),
		[Value::variant(call.call_name(), call.call_data().clone())],
	)
}

/// A training run as `Attestations.declare_run` takes it.
pub struct TrainingRun {
	pub datasets: Vec<u64>,
	pub base_checkpoints: Vec<u64>,
	pub config_hash: Hash,
	pub code_hash: Hash,
	pub environment_hash: Hash,
	/// Digest of the off-chain provenance statement.
	pub statement_digest: Hash,
	/// The output, as its checkpoint registers it.
	pub weights_hash: Hash,
	pub training_log_root: Hash,
	/// Paid to the attesters whose verdict stands (planck).
	pub reward: u128,
	/// The last block of the reveal phase.
	pub deadline: u32,
}

impl TrainingRun {
	/// `Attestations.declare_run` of this run.
	pub fn declare(&self) -> Call {
		call(
			"Attestations",
			"declare_run",
			[
				("datasets", self.datasets.to_value()),
				("base_checkpoints", self.base_checkpoints.to_value()),
				("config_hash", self.config_hash.to_value()),
				("code_hash", self.code_hash.to_value()),
				("environment_hash", self.environment_hash.to_value()),
				("statement_digest", self.statement_digest.to_value()),
				("weights_hash", self.weights_hash.to_value()),
				("training_log_root", self.training_log_root.to_value()),
				("reward", self.reward.to_value()),
				("deadline", self.deadline.to_value()),
			],
		)
	}
}

/// The fields of a call from local variables of the same names: `fields![id, reason]`.
#[macro_export]
macro_rules! fields {
	($($name:ident),* $(,)?) => {
		[$((stringify!($name), $crate::calls::ToValue::to_value(&$name))),*]
	};
}

/// A call argument as the metadata-typed value it is encoded from.
pub trait ToValue {
	fn to_value(&self) -> Value;
}

impl<T: ToValue + ?Sized> ToValue for &T {
	fn to_value(&self) -> Value {
		(**self).to_value()
	}
}

/// An account given where a call takes an address (`MultiAddress::Id`).
pub struct Address(pub [u8; 32]);

impl ToValue for Address {
	fn to_value(&self) -> Value {
		Value::unnamed_variant("Id", [self.0.to_value()])
	}
}

/// Bytes (a URI): SCALE `Vec<u8>`.
pub struct Bytes(pub Vec<u8>);

impl ToValue for Bytes {
	fn to_value(&self) -> Value {
		Value::from_bytes(&self.0)
	}
}

impl ToValue for Hash {
	fn to_value(&self) -> Value {
		Value::from_bytes(self)
	}
}

macro_rules! numbers {
	($($number:ty),*) => {$(
		impl ToValue for $number {
			fn to_value(&self) -> Value {
				Value::u128(u128::from(*self))
			}
		}
	)*};
}
numbers!(u16, u32, u64, u128);

impl ToValue for bool {
	fn to_value(&self) -> Value {
		Value::bool(*self)
	}
}

impl<T: ToValue> ToValue for Vec<T> {
	fn to_value(&self) -> Value {
		Value::unnamed_composite(self.iter().map(ToValue::to_value))
	}
}

impl<A: ToValue, B: ToValue> ToValue for (A, B) {
	fn to_value(&self) -> Value {
		Value::unnamed_composite([self.0.to_value(), self.1.to_value()])
	}
}

impl<T: ToValue> ToValue for Option<T> {
	fn to_value(&self) -> Value {
		match self {
			Some(value) => Value::unnamed_variant("Some", [value.to_value()]),
			None => Value::unnamed_variant("None", []),
		}
	}
}

impl ToValue for AssetRef {
	fn to_value(&self) -> Value {
		match self {
			AssetRef::Dataset(id) => Value::unnamed_variant("Dataset", [id.to_value()]),
			AssetRef::Checkpoint(id) => Value::unnamed_variant("Checkpoint", [id.to_value()]),
		}
	}
}

impl ToValue for DatasetOrigin {
	fn to_value(&self) -> Value {
		match self {
			DatasetOrigin::Human => Value::named_variant::<_, &str, _>("Human", []),
			DatasetOrigin::Synthetic { generator, params_hash, policy_hash } => {
				Value::named_variant("Synthetic", fields![generator, params_hash, policy_hash])
			},
			DatasetOrigin::Derived { parents, transform_hash } => {
				Value::named_variant("Derived", fields![parents, transform_hash])
			},
		}
	}
}

impl ToValue for ParentEdge {
	fn to_value(&self) -> Value {
		let ParentEdge { checkpoint, relation } = self;
		Value::named_composite(fields![checkpoint, relation])
	}
}

impl ToValue for Perbill {
	fn to_value(&self) -> Value {
		self.0.to_value()
	}
}

impl ToValue for PoolSpec {
	fn to_value(&self) -> Value {
		let PoolSpec { root, leaves, total_weight, share } = self;
		Value::named_composite(fields![root, leaves, total_weight, share])
	}
}

impl ToValue for TermsSpec {
	fn to_value(&self) -> Value {
		let TermsSpec {
			commercial_use,
			derivatives,
			attribution,
			fee,
			upstream_royalty_bps,
			duration,
			terms_hash,
		} = self;
		Value::named_composite(fields![
			commercial_use,
			derivatives,
			attribution,
			fee,
			upstream_royalty_bps,
			duration,
			terms_hash
		])
	}
}

impl ToValue for Statement {
	fn to_value(&self) -> Value {
		let Statement { verdict, output_hash, report_hash } = self;
		Value::named_composite(fields![verdict, output_hash, report_hash])
	}
}

/// Enums without fields, sent by their variant's name.
macro_rules! unit_enums {
	($($enum:ty),*) => {$(
		impl ToValue for $enum {
			fn to_value(&self) -> Value {
				Value::unnamed_variant(format!("{self:?}"), [])
			}
		}
	)*};
}
unit_enums!(
	RevocationReason,
	ConsentReason,
	Relation,
	Verdict,
	CompromiseReason,
	Derivatives,
	Policy
);

/// Event types with the fields `prov` reads (the node may emit more: they are skipped).
macro_rules! events {
	($($pallet:ident . $name:ident { $($field:ident : $ty:ty),* $(,)? })*) => {$(
		#[derive(Debug, scale_decode::DecodeAsType)]
		pub struct $name { $(pub $field: $ty),* }

		impl subxt::events::DecodeAsEvent for $name {
			fn is_event(pallet: &str, event: &str) -> bool {
				pallet == stringify!($pallet) && event == stringify!($name)
			}
		}
	)*};
}

/// The events `prov` reports from.
pub mod events {
	use provenance_primitives::merkle::Hash;

	events! {
		Datasets.DatasetRegistered { id: u64 }
		Datasets.RevocationSetPublished { count: u64 }
		Datasets.ConsentWithdrawn { withdrawal: u64, deadline: u32, records: Vec<Hash> }
		Datasets.WithdrawalAnswered { late: bool }
		Datasets.DatasetCompliant {}
		Datasets.WithdrawalCleared { deposit: u128 }
		Checkpoints.CheckpointRegistered { id: u64 }
		Licenses.LicenseGranted { terms: u32, fee: u128, expires_at: Option<u32> }
		Royalties.Claimed { amount: u128 }
		Attestations.RunDeclared { run: u64, commit_end: u32 }
		Attestations.Unbonding { amount: u128, unlock_at: u32 }
		Attestations.Withdrawn { amount: u128, gone: bool }
		Attestations.Chilled {}
		Attestations.Activated {}
		Attestations.Challenged { bond: u128 }
		Attestations.RunFinalized { outcome: Outcome, attesters: u32, paid: u128, refund: u128 }
		Attestations.RunExpired { refund: u128 }
		Attestations.Slashed { slashed: u128, reward: u128 }
		Royalties.SplitSet { pool: Option<u64> }
		Royalties.PoolClaimed { amount: u128, claimed: u128 }
		Royalties.PoolUriSet { deposit: Deposit }
		Royalties.PoolUriCleared { deposit: Deposit }
		Royalties.PoolClosed { deposit: Deposit }
		Royalties.LeafClaimCleared { deposit: Deposit }
		Attestations.Bonded { bonded: u128 }
		Checkpoints.PipelineCompromised { pipeline: Hash }
		Evaluations.EvaluationDeclared { evaluation: u64, contamination: Contamination, run: u64 }
		Evaluations.Deployed { deployment: u64, replaced: Option<u64>, tainted: bool }
		Evaluations.DeploymentEnded { until: u32 }
		Licenses.TermsCreated { id: u32 }
		Licenses.LicenseSet { terms: u32 }
	}

	/// A deposit's amount (its depositor is skipped).
	#[derive(Debug, scale_decode::DecodeAsType)]
	pub struct Deposit {
		pub amount: u128,
	}

	/// Whether an evaluation's model learned from its benchmark.
	#[derive(Debug, scale_decode::DecodeAsType)]
	pub enum Contamination {
		Clean,
		Contaminated { found: u64 },
		Unknown,
	}

	impl Contamination {
		/// As the `provenance_*` methods write it: `"Clean"`, `{"contaminated": {"found":
		/// DATASET}}` or `"Unknown"`.
		pub fn to_json(&self) -> serde_json::Value {
			match self {
				Contamination::Clean => "Clean".into(),
				Contamination::Contaminated { found } => {
					serde_json::json!({ "contaminated": { "found": found } })
				},
				Contamination::Unknown => "Unknown".into(),
			}
		}
	}

	/// How a run was decided.
	#[derive(Debug, scale_decode::DecodeAsType)]
	pub enum Outcome {
		Attested,
		Rejected,
	}
}
