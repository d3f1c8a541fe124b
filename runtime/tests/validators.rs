//! The validator set in the runtime: an operator registers session keys with a proof of
//! possession, root adds the account, and two blocks later Aura authors with its key and
//! GRANDPA has scheduled the change to a set that includes it; then root removes it again. A
//! validator proven to have equivocated in GRANDPA is removed the same way.

use crate::common::{genesis_of, Signer};
use codec::Encode;
use frame_support::traits::{Hooks, KeyOwnerProofSystem};
use provenance_runtime::{Runtime, RuntimeCall, Session, SessionKeys, System, ValidatorSet};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{ed25519, proof_of_possession::ProofOfPossessionGenerator, sr25519, Pair};
use sp_keyring::{
	Ed25519Keyring,
	Sr25519Keyring::{Alice, Bob, Charlie},
};

/// Bob's session keys and the proof, signed by both keys over his account, that he holds them:
/// what `author_rotateKeysWithOwner` returns on his node.
fn bob_keys_and_proof() -> (SessionKeys, Vec<u8>) {
	keys_and_proof(Bob.pair(), Ed25519Keyring::Bob.pair())
}

/// Session keys of Bob's made of `aura` and `grandpa`, and the proof that he holds them.
fn keys_and_proof(mut aura: sr25519::Pair, mut grandpa: ed25519::Pair) -> (SessionKeys, Vec<u8>) {
	let owner = Bob.to_account_id().encode();
	let keys = SessionKeys {
		aura: AuraId::from(aura.public()),
		grandpa: GrandpaId::from(grandpa.public()),
	};
	let proof =
		(aura.generate_proof_of_possession(&owner), grandpa.generate_proof_of_possession(&owner))
			.encode();
	(keys, proof)
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
		pallet_grandpa::Pallet::<Runtime>::on_finalize(next);
	}
}

fn aura_authorities() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

#[test]
fn root_adds_and_removes_a_validator_with_registered_keys_two_blocks_later() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let alice_aura = AuraId::from(Alice.public());
		assert_eq!(aura_authorities(), vec![alice_aura.clone()]);

		let (keys, proof) = bob_keys_and_proof();
		let add = RuntimeCall::ValidatorSet(pallet_validator_set::Call::add_validator {
			who: Bob.to_account_id().into(),
		});
		// Without keys on chain, root cannot add Bob (sudo reports the inner error).
		signer.apply(Alice, sudo(add.clone()));
		assert!(!pallet_validator_set::Validators::<Runtime>::get().contains(&Bob.to_account_id()));

		signer.apply(
			Bob,
			RuntimeCall::Session(pallet_session::Call::set_keys { keys: keys.clone(), proof }),
		);
		signer.apply(Alice, sudo(add));
		assert_eq!(
			pallet_validator_set::Validators::<Runtime>::get().into_inner(),
			vec![Alice.to_account_id(), Bob.to_account_id()]
		);

		run_to_block(2);
		assert_eq!(aura_authorities(), vec![alice_aura.clone()], "queued, not yet enacted");
		run_to_block(3);
		assert_eq!(aura_authorities(), vec![alice_aura.clone(), keys.aura.clone()]);
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		assert!(grandpa.iter().any(|(key, _)| *key == keys.grandpa), "GRANDPA set changed");
		assert_eq!(grandpa.len(), 2);

		let remove = RuntimeCall::ValidatorSet(pallet_validator_set::Call::remove_validator {
			who: Bob.to_account_id().into(),
		});
		signer.apply(Alice, sudo(remove));
		run_to_block(5);
		assert_eq!(aura_authorities(), vec![alice_aura]);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		ValidatorSet::do_try_state().expect("validator-set invariants hold");
	});
}

/// A GRANDPA prevote for block `target` in `round` of `set_id`, signed with `key`.
fn prevote(
	key: &ed25519::Pair,
	round: u64,
	set_id: u64,
	target: sp_core::H256,
) -> (finality_grandpa::Prevote<sp_core::H256, u32>, sp_consensus_grandpa::AuthoritySignature) {
	let prevote = finality_grandpa::Prevote { target_hash: target, target_number: 1 };
	let message = finality_grandpa::Message::Prevote(prevote.clone());
	let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
	(prevote, key.sign(&payload).into())
}

#[test]
fn a_proven_grandpa_equivocation_removes_the_validator() {
	genesis_of("local_testnet").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let bob_grandpa = Ed25519Keyring::Bob.pair();
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		// Bob prevotes for two different blocks in one round: a forged double vote.
		let (first, second) = (
			prevote(&bob_grandpa, 1, set_id, sp_core::H256::repeat_byte(1)),
			prevote(&bob_grandpa, 1, set_id, sp_core::H256::repeat_byte(2)),
		);
		let equivocation = finality_grandpa::Equivocation {
			round_number: 1,
			identity: GrandpaId::from(bob_grandpa.public()),
			first,
			second,
		};
		let proof = sp_consensus_grandpa::EquivocationProof::new(
			set_id,
			sp_consensus_grandpa::Equivocation::Prevote(equivocation),
		);
		let key_owner_proof = <provenance_runtime::Historical as KeyOwnerProofSystem<_>>::prove((
			sp_consensus_grandpa::KEY_TYPE,
			GrandpaId::from(bob_grandpa.public()),
		))
		.expect("Bob's GRANDPA key is in the session");
		let report = |proof| {
			RuntimeCall::Grandpa(pallet_grandpa::Call::report_equivocation {
				equivocation_proof: Box::new(proof),
				key_owner_proof: key_owner_proof.clone(),
			})
		};

		// Anyone may report it (Charlie, neither validator nor root).
		signer.apply(Charlie, report(proof.clone()));
		System::assert_has_event(
			pallet_validator_set::Event::OffenderRemoved { who: Bob.to_account_id(), session: 0 }
				.into(),
		);
		assert_eq!(
			pallet_validator_set::Validators::<Runtime>::get().into_inner(),
			vec![Alice.to_account_id()]
		);
		run_to_block(3);
		assert_eq!(aura_authorities(), vec![AuraId::from(Alice.public())]);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);

		// The same offence is not reported twice.
		assert_eq!(
			signer.try_apply(Charlie, report(proof)),
			Err(pallet_grandpa::Error::<Runtime>::DuplicateOffenceReport.into())
		);
		ValidatorSet::do_try_state().expect("validator-set invariants hold");
	});
}

#[test]
fn a_rotated_key_is_recorded_at_the_next_session_not_left_provable_as_the_old_one() {
	genesis_of("local_testnet").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let root_of = |session| {
			pallet_session::historical::HistoricalSessions::<Runtime>::get(session)
				.map(|(root, _)| root)
		};
		let session = pallet_session::CurrentIndex::<Runtime>::get();
		let before = root_of(session).expect("the genesis sessions are recorded");

		// Bob rotates his keys; the validator set does not change.
		let (keys, proof) = keys_and_proof(
			sr25519::Pair::from_string("//Bob//rotated", None).unwrap(),
			ed25519::Pair::from_string("//Bob//rotated", None).unwrap(),
		);
		signer.apply(Bob, RuntimeCall::Session(pallet_session::Call::set_keys { keys, proof }));
		let period = provenance_runtime::configs::SessionPeriod::get();
		run_to_block(period);
		let next = pallet_session::CurrentIndex::<Runtime>::get();
		assert_eq!(next, session + 1);
		// The rotation queued session `next + 1` with Bob's new keys and recorded a new root for
		// it; a copy of the last one would keep proving the rotated-away key his.
		let queued = root_of(next + 1).expect("the queued session is recorded");
		assert_ne!(queued, before);
	});
}
