//! `prov watch`: the events of finalized blocks that name an asset, as JSON lines, for a lab's
//! alerting. Events are decoded by the node's metadata into plain JSON (bytes and accounts as
//! `0x` hex, numbers past 2^53 as strings, enums as `"Name"` or `{"Name": fields}`), so new
//! events and fields of a later runtime are reported without a new `prov`.

use provenance_primitives::AssetRef;
use serde_json::{json, Map, Value};
use subxt::ext::scale_value::{self, Composite, Primitive, ValueDef};

/// An event's fields (or any decoded value) as JSON.
pub fn to_json(value: &scale_value::Value<()>) -> Value {
	match &value.value {
		ValueDef::Composite(composite) => composite_json(composite),
		ValueDef::Variant(variant) => match &variant.values {
			Composite::Named(fields) if fields.is_empty() => json!(variant.name),
			Composite::Unnamed(fields) if fields.is_empty() => json!(variant.name),
			Composite::Unnamed(fields) if fields.len() == 1 => {
				json!({ variant.name.clone(): fields.first().map(to_json) })
			},
			values => json!({ variant.name.clone(): composite_json(values) }),
		},
		ValueDef::BitSequence(bits) => {
			json!(bits.iter().map(|bit| u8::from(bit)).collect::<Vec<_>>())
		},
		ValueDef::Primitive(primitive) => match primitive {
			Primitive::Bool(b) => json!(b),
			Primitive::Char(c) => json!(c.to_string()),
			Primitive::String(s) => json!(s),
			Primitive::U128(n) => number(*n),
			Primitive::I128(n) => json!(n.to_string()),
			Primitive::U256(bytes) | Primitive::I256(bytes) => json!(crate::to_hex(bytes)),
		},
	}
}

/// An integer as a JSON number when it is exact in JavaScript, else as a decimal string.
fn number(n: u128) -> Value {
	const MAX_SAFE_INTEGER: u128 = (1 << 53) - 1;
	if n <= MAX_SAFE_INTEGER {
		json!(n as u64)
	} else {
		json!(n.to_string())
	}
}

fn composite_json(composite: &Composite<()>) -> Value {
	match composite {
		Composite::Named(fields) => Value::Object(
			fields
				.iter()
				.map(|(name, value)| (name.clone(), to_json(value)))
				.collect::<Map<_, _>>(),
		),
		Composite::Unnamed(values) => match (bytes_of(values), values.as_slice()) {
			(Some(bytes), _) if !bytes.is_empty() => json!(crate::to_hex(&bytes)),
			// A newtype of bytes (an account, a hash) is its bytes.
			(_, [inner]) if matches!(to_json(inner), Value::String(_)) => to_json(inner),
			_ => Value::Array(values.iter().map(to_json).collect()),
		},
	}
}

/// The bytes of a sequence whose items are all bytes (hashes, accounts, URIs).
fn bytes_of(values: &[scale_value::Value<()>]) -> Option<Vec<u8>> {
	values
		.iter()
		.map(|value| match value.value {
			ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(n).ok(),
			_ => None,
		})
		.collect()
}

/// Whether an event of `pallet` with `fields` (as [`to_json`] writes them) names `asset`: an
/// `AssetRef` of it anywhere in the fields, a `dataset` or `checkpoint` field with its id, or
/// the `id` of its own pallet's events.
pub fn names(asset: AssetRef, pallet: &str, fields: &Value) -> bool {
	let (variant, key, own_pallet, id) = match asset {
		AssetRef::Dataset(id) => ("Dataset", "dataset", "Datasets", id),
		AssetRef::Checkpoint(id) => ("Checkpoint", "checkpoint", "Checkpoints", id),
	};
	let is_id = |value: &Value| value.as_u64() == Some(id);
	let top = fields.as_object();
	let by_field = top.is_some_and(|top| {
		top.get(key).is_some_and(is_id)
			|| (pallet == own_pallet && top.get("id").is_some_and(is_id))
	});
	by_field || holds_ref(fields, variant, id)
}

/// Whether `value` holds `{variant: id}` (an `AssetRef`) at any depth.
fn holds_ref(value: &Value, variant: &str, id: u64) -> bool {
	match value {
		Value::Object(map) => {
			(map.len() == 1 && map.get(variant).and_then(Value::as_u64) == Some(id))
				|| map.values().any(|inner| holds_ref(inner, variant, id))
		},
		Value::Array(items) => items.iter().any(|inner| holds_ref(inner, variant, id)),
		_ => false,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use scale_value::Value as V;

	#[test]
	fn values_become_plain_json() {
		let account = V::unnamed_composite([V::from_bytes([7u8; 32])]);
		let event = V::named_composite([
			("asset", V::unnamed_variant("Dataset", [V::u128(3)])),
			("account", account),
			("amount", V::u128(u128::from(u64::MAX))),
			("small", V::u128(42)),
			("reason", V::unnamed_variant("Defective", [])),
			("outcome", V::named_variant("Contaminated", [("found", V::u128(2))])),
			("pool", V::unnamed_variant("Some", [V::u128(1)])),
		]);
		assert_eq!(
			to_json(&event),
			json!({
				"asset": { "Dataset": 3 },
				"account": crate::to_hex(&[7u8; 32]),
				"amount": u64::MAX.to_string(),
				"small": 42,
				"reason": "Defective",
				"outcome": { "Contaminated": { "found": 2 } },
				"pool": { "Some": 1 },
			})
		);
	}

	#[test]
	fn an_event_names_an_asset_by_ref_by_field_or_by_its_own_id() {
		let paid = json!({ "asset": { "Dataset": 3 }, "amount": 10 });
		assert!(names(AssetRef::Dataset(3), "Royalties", &paid));
		assert!(
			!names(AssetRef::Checkpoint(3), "Royalties", &paid),
			"a checkpoint is not a dataset"
		);
		let royalty = json!({ "from": { "Checkpoint": 9 }, "to": { "Dataset": 3 } });
		assert!(names(AssetRef::Dataset(3), "Royalties", &royalty));
		let deployed = json!({ "deployment": 1, "checkpoint": 9 });
		assert!(names(AssetRef::Checkpoint(9), "Evaluations", &deployed));
		let revoked = json!({ "id": 3, "reason": "Defective" });
		assert!(names(AssetRef::Dataset(3), "Datasets", &revoked));
		assert!(!names(AssetRef::Dataset(3), "Checkpoints", &revoked), "another pallet's id");
		assert!(!names(AssetRef::Dataset(4), "Datasets", &revoked));
	}
}
