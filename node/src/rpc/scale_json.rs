//! SCALE-encoded values as plain JSON, read through their types in the runtime's metadata.
//!
//! The rules, the same for every answer of the `provenance_*` methods:
//! - a struct is an object with its fields in camelCase, in their declaration order; a struct
//!   of one unnamed field (a bounded vector, a newtype) is that field; of several, an array;
//! - an enum variant without data is its name (`"Clean"`); with data, an object of one key, the
//!   name in camelCase (`{"dataset": 3}`); `Option` is `null` or the value; `()` is `null`;
//! - bytes (any sequence or array of `u8`, hashes included) are `0x`-prefixed hex;
//! - an account id is its SS58 address;
//! - integers up to 64 bits are numbers; 128-bit and wider ones (balances) are decimal strings,
//!   since JavaScript's numbers lose precision beyond 2^53.

use codec::{Compact, Decode};
use scale_info::{form::PortableForm, Field, PortableRegistry, TypeDef, TypeDefPrimitive};
use serde::Serialize;
use serde_json::value::RawValue;
use sp_core::crypto::{AccountId32, Ss58Codec};

/// Decodes `bytes` as a value of type `type_id` in `registry` and writes it as JSON; all of
/// `bytes` must be used. The text is written as the value is decoded, with no tree of JSON
/// values between (a page of a thousand items would allocate and free each of them), and
/// objects keep the declaration order of their fields.
pub fn to_json(
	registry: &PortableRegistry,
	type_id: u32,
	bytes: &[u8],
) -> Result<Box<RawValue>, String> {
	let mut input = bytes;
	let mut json = Json {
		registry,
		out: Vec::with_capacity(bytes.len().saturating_mul(4)),
		name: String::new(),
	};
	json.value(type_id, &mut input)?;
	if !input.is_empty() {
		return Err(format!("{} bytes left after the value of type {type_id}", input.len()));
	}
	let text = String::from_utf8(json.out).map_err(|e| e.to_string())?;
	RawValue::from_string(text).map_err(|e| e.to_string())
}

/// `object` with `"name": value` added as its last field; anything but an object (`null`) is
/// returned as it is.
pub fn with_field(
	object: Box<RawValue>,
	name: &str,
	value: &RawValue,
) -> Result<Box<RawValue>, String> {
	let Some(fields) = object.get().strip_suffix('}').filter(|text| text.starts_with('{')) else {
		return Ok(object);
	};
	let separator = if fields == "{" { "" } else { "," };
	let name = serde_json::to_string(name).map_err(|e| e.to_string())?;
	RawValue::from_string(format!("{fields}{separator}{name}:{}}}", value.get()))
		.map_err(|e| e.to_string())
}

/// JSON text being written from SCALE input, by the types of `registry`.
struct Json<'a> {
	registry: &'a PortableRegistry,
	out: Vec<u8>,
	/// The key being written, in camelCase (one buffer for every key).
	name: String,
}

impl Json<'_> {
	fn value(&mut self, type_id: u32, input: &mut &[u8]) -> Result<(), String> {
		let registry = self.registry;
		let ty = registry
			.resolve(type_id)
			.ok_or_else(|| format!("no type {type_id} in the metadata"))?;
		let path = &ty.path.segments;
		if path.last().is_some_and(|name| name == "AccountId32") {
			let raw = <[u8; 32]>::decode(input).map_err(|e| e.to_string())?;
			return self.scalar(&AccountId32::from(raw).to_ss58check());
		}
		match &ty.type_def {
			TypeDef::Composite(composite) => self.fields(&composite.fields, input),
			TypeDef::Variant(def) => {
				let index = u8::decode(input).map_err(|e| e.to_string())?;
				let variant = def
					.variants
					.iter()
					.find(|v| v.index == index)
					.ok_or_else(|| format!("no variant {index} of type {type_id}"))?;
				let is_option = path.len() == 1 && path[0] == "Option";
				match (is_option, variant.fields.is_empty()) {
					(true, true) => {
						self.raw("null");
						Ok(())
					},
					(true, false) => self.fields(&variant.fields, input),
					(false, true) => self.scalar(&variant.name),
					(false, false) => {
						self.raw("{");
						self.key(&variant.name)?;
						self.fields(&variant.fields, input)?;
						self.raw("}");
						Ok(())
					},
				}
			},
			TypeDef::Sequence(seq) => {
				let len = Compact::<u32>::decode(input).map_err(|e| e.to_string())?.0;
				self.items(seq.type_param.id, len, input)
			},
			TypeDef::Array(array) => self.items(array.type_param.id, array.len, input),
			TypeDef::Tuple(tuple) if tuple.fields.is_empty() => {
				self.raw("null");
				Ok(())
			},
			TypeDef::Tuple(tuple) => self.array(tuple.fields.iter().map(|field| field.id), input),
			TypeDef::Primitive(primitive) => self.primitive(primitive, input),
			TypeDef::Compact(compact) => {
				let value = Compact::<u128>::decode(input).map_err(|e| e.to_string())?.0;
				let wide = registry.resolve(compact.type_param.id).is_some_and(|ty| {
					matches!(ty.type_def, TypeDef::Primitive(TypeDefPrimitive::U128))
				});
				if wide {
					self.scalar(&value.to_string())
				} else {
					self.scalar(&u64::try_from(value).map_err(|e| e.to_string())?)
				}
			},
			TypeDef::BitSequence(_) => {
				Err(format!("type {type_id}: bit sequences are not rendered"))
			},
		}
	}

	/// The fields of a struct or an enum variant.
	fn fields(&mut self, fields: &[Field<PortableForm>], input: &mut &[u8]) -> Result<(), String> {
		match fields {
			[single] if single.name.is_none() => self.value(single.ty.id, input),
			_ if fields.iter().all(|f| f.name.is_some()) => {
				self.raw("{");
				for (index, field) in fields.iter().enumerate() {
					if index > 0 {
						self.raw(",");
					}
					self.key(field.name.as_deref().unwrap_or_default())?;
					self.value(field.ty.id, input)?;
				}
				self.raw("}");
				Ok(())
			},
			_ => self.array(fields.iter().map(|field| field.ty.id), input),
		}
	}

	/// `len` values of type `item`: hex when they are bytes.
	fn items(&mut self, item: u32, len: u32, input: &mut &[u8]) -> Result<(), String> {
		let is_byte = self
			.registry
			.resolve(item)
			.is_some_and(|ty| matches!(ty.type_def, TypeDef::Primitive(TypeDefPrimitive::U8)));
		if is_byte {
			let len = len as usize;
			if input.len() < len {
				return Err(format!("{len} bytes announced, {} left", input.len()));
			}
			let (bytes, rest) = input.split_at(len);
			*input = rest;
			return self.scalar(&sp_core::bytes::to_hex(bytes, false));
		}
		self.array((0..len).map(|_| item), input)
	}

	/// An array of one value of each type in `types`.
	fn array(&mut self, types: impl Iterator<Item = u32>, input: &mut &[u8]) -> Result<(), String> {
		self.raw("[");
		for (index, type_id) in types.enumerate() {
			if index > 0 {
				self.raw(",");
			}
			self.value(type_id, input)?;
		}
		self.raw("]");
		Ok(())
	}

	fn primitive(&mut self, primitive: &TypeDefPrimitive, input: &mut &[u8]) -> Result<(), String> {
		fn read<T: Decode>(input: &mut &[u8]) -> Result<T, String> {
			T::decode(input).map_err(|e| e.to_string())
		}
		match primitive {
			TypeDefPrimitive::Bool => self.scalar(&read::<bool>(input)?),
			TypeDefPrimitive::Str => self.scalar(&read::<String>(input)?),
			TypeDefPrimitive::Char => Err("char is not a SCALE type".into()),
			TypeDefPrimitive::U8 => self.scalar(&read::<u8>(input)?),
			TypeDefPrimitive::U16 => self.scalar(&read::<u16>(input)?),
			TypeDefPrimitive::U32 => self.scalar(&read::<u32>(input)?),
			TypeDefPrimitive::U64 => self.scalar(&read::<u64>(input)?),
			TypeDefPrimitive::U128 => self.scalar(&read::<u128>(input)?.to_string()),
			TypeDefPrimitive::I8 => self.scalar(&read::<i8>(input)?),
			TypeDefPrimitive::I16 => self.scalar(&read::<i16>(input)?),
			TypeDefPrimitive::I32 => self.scalar(&read::<i32>(input)?),
			TypeDefPrimitive::I64 => self.scalar(&read::<i64>(input)?),
			TypeDefPrimitive::I128 => self.scalar(&read::<i128>(input)?.to_string()),
			TypeDefPrimitive::U256 | TypeDefPrimitive::I256 => {
				self.scalar(&sp_core::bytes::to_hex(&read::<[u8; 32]>(input)?, false))
			},
		}
	}

	/// A number, a boolean or an escaped string.
	fn scalar(&mut self, value: &(impl Serialize + ?Sized)) -> Result<(), String> {
		serde_json::to_writer(&mut self.out, value).map_err(|e| e.to_string())
	}

	/// `"name":`, the name in camelCase.
	fn key(&mut self, name: &str) -> Result<(), String> {
		let mut camel = std::mem::take(&mut self.name);
		camel.clear();
		camel_case(name, &mut camel);
		let written = self.scalar(camel.as_str());
		self.name = camel;
		written?;
		self.raw(":");
		Ok(())
	}

	fn raw(&mut self, text: &str) {
		self.out.extend_from_slice(text.as_bytes());
	}
}

/// `weights_hash` -> `weightsHash`, `Dataset` -> `dataset`, appended to `out`.
fn camel_case(name: &str, out: &mut String) {
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
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use scale_info::{meta_type, Registry, TypeInfo};
	use serde_json::{json, Value};

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

	fn render_text<T: Encode + TypeInfo + 'static>(value: &T) -> Result<String, String> {
		let mut registry = Registry::new();
		let id = registry.register_type(&meta_type::<T>()).id;
		Ok(to_json(&PortableRegistry::from(registry), id, &value.encode())?.get().to_owned())
	}

	fn render<T: Encode + TypeInfo + 'static>(value: &T) -> Result<Value, String> {
		serde_json::from_str(&render_text(value)?).map_err(|e| e.to_string())
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
	fn writes_fields_in_declaration_order_and_escapes_strings() {
		#[derive(Encode, TypeInfo)]
		struct Note {
			zone: u8,
			text: String,
			after: Option<(u8, u128)>,
		}
		let note = Note { zone: 1, text: "a \"quoted\"\nline\\".into(), after: Some((2, 3)) };
		assert_eq!(
			render_text(&note).unwrap(),
			r#"{"zone":1,"text":"a \"quoted\"\nline\\","after":[2,"3"]}"#
		);
		assert_eq!(render_text(&Vec::<Note>::new()).unwrap(), "[]");
	}

	#[test]
	fn adds_a_field_to_objects_only() {
		let raw = |text: &str| RawValue::from_string(text.to_owned()).unwrap();
		let uri = raw(r#""0x00""#);
		let added = |object: &str| with_field(raw(object), "uri", &uri).unwrap().get().to_owned();
		assert_eq!(added("null"), "null");
		assert_eq!(added("[1]"), "[1]");
		assert_eq!(added("{}"), r#"{"uri":"0x00"}"#);
		assert_eq!(added(r#"{"a":{}}"#), r#"{"a":{},"uri":"0x00"}"#);
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
