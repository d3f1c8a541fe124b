//! SCALE-encoded values as plain JSON, read through their types in the runtime's metadata.
//!
//! The rules, the same for every answer of the `provenance_*` methods:
//! - a struct is an object with its fields in camelCase; a struct of one unnamed field (a bounded
//!   vector, a newtype) is that field; of several, an array;
//! - an enum variant without data is its name (`"Clean"`); with data, an object of one key, the
//!   name in camelCase (`{"dataset": 3}`); `Option` is `null` or the value; `()` is `null`;
//! - bytes (any sequence or array of `u8`, hashes included) are `0x`-prefixed hex;
//! - an account id is its SS58 address;
//! - integers up to 64 bits are numbers; 128-bit and wider ones (balances) are decimal strings,
//!   since JavaScript's numbers lose precision beyond 2^53.

use codec::{Compact, Decode};
use scale_info::{form::PortableForm, Field, PortableRegistry, TypeDef, TypeDefPrimitive};
use serde_json::{Map, Value};
use sp_core::crypto::{AccountId32, Ss58Codec};

/// Decodes `bytes` as a value of type `type_id` in `registry` and renders it as JSON; all of
/// `bytes` must be used.
pub fn to_json(registry: &PortableRegistry, type_id: u32, bytes: &[u8]) -> Result<Value, String> {
	let mut input = bytes;
	let value = decode(registry, type_id, &mut input)?;
	if !input.is_empty() {
		return Err(format!("{} bytes left after the value of type {type_id}", input.len()));
	}
	Ok(value)
}

fn decode(registry: &PortableRegistry, type_id: u32, input: &mut &[u8]) -> Result<Value, String> {
	let ty =
		registry.resolve(type_id).ok_or_else(|| format!("no type {type_id} in the metadata"))?;
	let path = &ty.path.segments;
	if path.last().is_some_and(|name| name == "AccountId32") {
		let raw = <[u8; 32]>::decode(input).map_err(|e| e.to_string())?;
		return Ok(Value::String(AccountId32::from(raw).to_ss58check()));
	}
	match &ty.type_def {
		TypeDef::Composite(composite) => fields(registry, &composite.fields, input),
		TypeDef::Variant(def) => {
			let index = u8::decode(input).map_err(|e| e.to_string())?;
			let variant = def
				.variants
				.iter()
				.find(|v| v.index == index)
				.ok_or_else(|| format!("no variant {index} of type {type_id}"))?;
			let is_option = path.len() == 1 && path[0] == "Option";
			match (is_option, variant.fields.is_empty()) {
				(true, true) => Ok(Value::Null),
				(true, false) => fields(registry, &variant.fields, input),
				(false, true) => Ok(Value::String(variant.name.clone())),
				(false, false) => {
					let inner = fields(registry, &variant.fields, input)?;
					Ok(Value::Object(Map::from_iter([(camel_case(&variant.name), inner)])))
				},
			}
		},
		TypeDef::Sequence(seq) => {
			let len = Compact::<u32>::decode(input).map_err(|e| e.to_string())?.0;
			items(registry, seq.type_param.id, len, input)
		},
		TypeDef::Array(array) => items(registry, array.type_param.id, array.len, input),
		TypeDef::Tuple(tuple) if tuple.fields.is_empty() => Ok(Value::Null),
		TypeDef::Tuple(tuple) => tuple
			.fields
			.iter()
			.map(|field| decode(registry, field.id, input))
			.collect::<Result<_, _>>()
			.map(Value::Array),
		TypeDef::Primitive(primitive) => decode_primitive(primitive, input),
		TypeDef::Compact(compact) => {
			let value = Compact::<u128>::decode(input).map_err(|e| e.to_string())?.0;
			let wide = registry.resolve(compact.type_param.id).is_some_and(|ty| {
				matches!(ty.type_def, TypeDef::Primitive(TypeDefPrimitive::U128))
			});
			Ok(if wide {
				Value::String(value.to_string())
			} else {
				u64::try_from(value).map_err(|e| e.to_string())?.into()
			})
		},
		TypeDef::BitSequence(_) => Err(format!("type {type_id}: bit sequences are not rendered")),
	}
}

/// The fields of a struct or an enum variant.
fn fields(
	registry: &PortableRegistry,
	fields: &[Field<PortableForm>],
	input: &mut &[u8],
) -> Result<Value, String> {
	match fields {
		[single] if single.name.is_none() => decode(registry, single.ty.id, input),
		_ if fields.iter().all(|f| f.name.is_some()) => {
			let mut object = Map::new();
			for field in fields {
				let name = field.name.as_deref().unwrap_or_default();
				object.insert(camel_case(name), decode(registry, field.ty.id, input)?);
			}
			Ok(Value::Object(object))
		},
		_ => fields
			.iter()
			.map(|field| decode(registry, field.ty.id, input))
			.collect::<Result<_, _>>()
			.map(Value::Array),
	}
}

/// `len` values of type `item`: hex when they are bytes.
fn items(
	registry: &PortableRegistry,
	item: u32,
	len: u32,
	input: &mut &[u8],
) -> Result<Value, String> {
	let is_byte = registry
		.resolve(item)
		.is_some_and(|ty| matches!(ty.type_def, TypeDef::Primitive(TypeDefPrimitive::U8)));
	if is_byte {
		let len = len as usize;
		if input.len() < len {
			return Err(format!("{len} bytes announced, {} left", input.len()));
		}
		let (bytes, rest) = input.split_at(len);
		*input = rest;
		return Ok(Value::String(sp_core::bytes::to_hex(bytes, false)));
	}
	let mut values = Vec::with_capacity((len as usize).min(input.len()));
	for _ in 0..len {
		values.push(decode(registry, item, input)?);
	}
	Ok(Value::Array(values))
}

fn decode_primitive(primitive: &TypeDefPrimitive, input: &mut &[u8]) -> Result<Value, String> {
	fn read<T: Decode>(input: &mut &[u8]) -> Result<T, String> {
		T::decode(input).map_err(|e| e.to_string())
	}
	Ok(match primitive {
		TypeDefPrimitive::Bool => Value::Bool(read(input)?),
		TypeDefPrimitive::Str => Value::String(read(input)?),
		TypeDefPrimitive::Char => return Err("char is not a SCALE type".into()),
		TypeDefPrimitive::U8 => read::<u8>(input)?.into(),
		TypeDefPrimitive::U16 => read::<u16>(input)?.into(),
		TypeDefPrimitive::U32 => read::<u32>(input)?.into(),
		TypeDefPrimitive::U64 => read::<u64>(input)?.into(),
		TypeDefPrimitive::U128 => Value::String(read::<u128>(input)?.to_string()),
		TypeDefPrimitive::I8 => read::<i8>(input)?.into(),
		TypeDefPrimitive::I16 => read::<i16>(input)?.into(),
		TypeDefPrimitive::I32 => read::<i32>(input)?.into(),
		TypeDefPrimitive::I64 => read::<i64>(input)?.into(),
		TypeDefPrimitive::I128 => Value::String(read::<i128>(input)?.to_string()),
		TypeDefPrimitive::U256 | TypeDefPrimitive::I256 => {
			Value::String(sp_core::bytes::to_hex(&read::<[u8; 32]>(input)?, false))
		},
	})
}

/// `weights_hash` -> `weightsHash`, `Dataset` -> `dataset`.
fn camel_case(name: &str) -> String {
	let mut out = String::with_capacity(name.len());
	let mut upper = false;
	for (i, c) in name.chars().enumerate() {
		match c {
			'_' => upper = true,
			c if i == 0 => out.extend(c.to_lowercase()),
			c if upper => {
				out.extend(c.to_uppercase());
				upper = false;
			},
			c => out.push(c),
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use scale_info::{meta_type, Registry, TypeInfo};
	use serde_json::json;

	#[derive(Encode, TypeInfo)]
	enum State {
		Clean,
		Tainted { sources: Vec<u64>, truncated: bool },
		Asset(u64),
	}

	#[derive(Encode, TypeInfo)]
	struct Wrapper(Vec<u32>);

	#[derive(Encode, TypeInfo)]
	struct Record {
		owner: AccountId32,
		weights_hash: [u8; 32],
		uri: Vec<u8>,
		deposit: u128,
		#[codec(compact)]
		reward: u128,
		#[codec(compact)]
		count: u32,
		previous_version: Option<u64>,
		next: Option<u64>,
		states: Vec<State>,
		wrapped: Wrapper,
		pair: (u8, bool),
		outcome: Result<(), State>,
	}

	fn render<T: Encode + TypeInfo + 'static>(value: &T) -> Result<Value, String> {
		let mut registry = Registry::new();
		let id = registry.register_type(&meta_type::<T>()).id;
		to_json(&PortableRegistry::from(registry), id, &value.encode())
	}

	#[test]
	fn renders_records_as_plain_json() {
		let alice = sp_keyring::Sr25519Keyring::Alice.to_account_id();
		let record = Record {
			owner: alice.clone(),
			weights_hash: [0xab; 32],
			uri: b"hf://lab".to_vec(),
			deposit: 123_000_000_000_000_000_000,
			reward: 5,
			count: 7,
			previous_version: None,
			next: Some(3),
			states: vec![
				State::Clean,
				State::Tainted { sources: vec![1, 2], truncated: false },
				State::Asset(9),
			],
			wrapped: Wrapper(vec![4, 5]),
			pair: (1, true),
			outcome: Ok(()),
		};
		assert_eq!(
			render(&record).unwrap(),
			json!({
				"owner": alice.to_ss58check(),
				"weightsHash": format!("0x{}", "ab".repeat(32)),
				"uri": "0x68663a2f2f6c6162",
				"deposit": "123000000000000000000",
				"reward": "5",
				"count": 7,
				"previousVersion": null,
				"next": 3,
				"states": ["Clean", {"tainted": {"sources": [1, 2], "truncated": false}}, {"asset": 9}],
				"wrapped": [4, 5],
				"pair": [1, true],
				"outcome": {"ok": null},
			})
		);
		assert_eq!(render(&Err::<(), State>(State::Clean)).unwrap(), json!({"err": "Clean"}));
	}

	#[test]
	fn refuses_bytes_that_do_not_fit_the_type() {
		let mut registry = Registry::new();
		let id = registry.register_type(&meta_type::<(u64, Vec<u8>)>()).id;
		let registry = PortableRegistry::from(registry);
		let mut bytes = (7u64, vec![1u8, 2, 3]).encode();
		assert!(to_json(&registry, id, &bytes[..bytes.len() - 1]).is_err(), "truncated");
		bytes.push(0);
		assert!(to_json(&registry, id, &bytes).is_err(), "trailing bytes");
		assert!(to_json(&registry, id + 1000, &bytes).is_err(), "unknown type");
	}
}
