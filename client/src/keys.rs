//! The key a transaction is signed with: a dev account name, a secret URI (seed phrase, hex
//! seed, derivation path) or a file holding one.

use crate::{types::AccountId, Failure};
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use std::path::Path;
use subxt::{
	utils::{AccountId32, MultiSignature},
	PolkadotConfig,
};

/// An sr25519 signing key.
pub struct Key(sr25519::Pair);

impl Key {
	/// The account the key signs for.
	pub fn account(&self) -> AccountId {
		self.0.public().into()
	}

	/// The sr25519 signature of `message`.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		self.0.sign(message).into()
	}

	/// The account in SS58 (the generic prefix 42).
	pub fn ss58(&self) -> String {
		self.0.public().to_ss58check()
	}
}

impl subxt::tx::Signer<PolkadotConfig> for Key {
	fn account_id(&self) -> AccountId32 {
		AccountId32(self.account())
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		MultiSignature::Sr25519(self.0.sign(payload).into())
	}
}

/// The sr25519 key of `signer` (`alice`…`ferdie`, `//Alice`, a phrase, `0x` seed, with
/// optional `//hard/soft` derivations and `///password`) or of the secret URI in `key_file`.
pub fn signer(signer: Option<&str>, key_file: Option<&Path>) -> Result<Key, Failure> {
	let secret = match (signer, key_file) {
		(Some(signer), None) => dev_account_uri(signer).unwrap_or_else(|| signer.to_owned()),
		(None, Some(path)) => std::fs::read_to_string(path)
			.map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?
			.trim()
			.to_owned(),
		(None, None) => {
			return Err(Failure::Usage("a transaction needs a key: --signer or --key-file".into()))
		},
		(Some(_), Some(_)) => {
			return Err(Failure::Usage("give --signer or --key-file, not both".into()))
		},
	};
	// The secret stays out of the message: it may be a real seed phrase.
	sr25519::Pair::from_string(&secret, None).map(Key).map_err(|e| {
		Failure::Usage(format!("the key is neither a dev account nor a valid secret URI ({e:?})"))
	})
}

/// Who signs a transaction, and the account it acts for: the key's own, or with `real` the
/// account the key is a proxy of (an attester's hot key acting for its stash).
pub struct Signer {
	key: Key,
	real: Option<AccountId>,
}

impl Signer {
	pub fn new(key: Key, real: Option<AccountId>) -> Self {
		Signer { key, real }
	}

	/// The signing key.
	pub fn key(&self) -> &Key {
		&self.key
	}

	/// The account the key acts for as a proxy, if any.
	pub fn real(&self) -> Option<&AccountId> {
		self.real.as_ref()
	}

	/// The account the transaction acts for.
	pub fn account(&self) -> AccountId {
		self.real.unwrap_or_else(|| self.key.account())
	}

	/// [`Signer::account`] in SS58.
	pub fn ss58(&self) -> String {
		sp_core::crypto::AccountId32::from(self.account()).to_ss58check()
	}
}

/// The account an SS58 address names.
pub fn account_of(address: &str) -> Result<AccountId, Failure> {
	sp_core::crypto::AccountId32::from_ss58check(address)
		.map(Into::into)
		.map_err(|e| Failure::Usage(format!("{address}: not an SS58 account ({e:?})")))
}

/// The secret URI of a dev account named in lowercase (`alice` is `//Alice`).
fn dev_account_uri(name: &str) -> Option<String> {
	const DEV_ACCOUNTS: [&str; 6] = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];
	DEV_ACCOUNTS.contains(&name).then(|| {
		let mut uri = String::from("//");
		uri.push_str(&name[..1].to_uppercase());
		uri.push_str(&name[1..]);
		uri
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

	#[test]
	fn dev_names_uris_and_key_files_give_the_same_key() {
		let by_name = signer(Some("alice"), None).unwrap();
		assert_eq!(by_name.ss58(), ALICE);
		assert_eq!(signer(Some("//Alice"), None).unwrap().account(), by_name.account());
		let file = tempfile::NamedTempFile::new().unwrap();
		std::fs::write(file.path(), "//Alice\n").unwrap();
		assert_eq!(signer(None, Some(file.path())).unwrap().account(), by_name.account());
	}

	#[test]
	fn missing_double_or_malformed_keys_are_usage_errors() {
		assert!(matches!(signer(None, None), Err(Failure::Usage(_))));
		assert!(matches!(signer(Some("alice"), Some(Path::new("k"))), Err(Failure::Usage(_))));
		let Err(Failure::Usage(message)) = signer(Some("not a phrase at all"), None) else {
			panic!("a malformed secret is a usage error");
		};
		assert!(!message.contains("phrase at all"), "the secret is not echoed");
	}
}
