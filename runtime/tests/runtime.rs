//! Runtime integration tests: every genesis preset builds to storage, and signed
//! transactions go through the runtime's extension pipeline the way a node applies them.

use crate::common::{genesis_builder, genesis_of, start_block_one};
use frame_support::traits::fungible::Inspect;
use provenance_runtime::{
	genesis_config_presets::{get_preset, ENDOWMENT, LIVE_FOUNDER_ENDOWMENT, LIVE_PRESET},
	sign_transaction, Balances, BalancesCall, Executive, Runtime, RuntimeCall, RuntimeEvent,
	System, SystemCall, EXISTENTIAL_DEPOSIT, UNIT,
};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	DispatchError, TokenError,
};

#[test]
fn every_preset_builds_to_storage() {
	let names: Vec<String> = genesis_builder()
		.preset_names()
		.expect("the wasm runtime lists its presets")
		.iter()
		.map(|n| String::from_utf8_lossy(n.as_ref()).into_owned())
		.collect();
	assert_eq!(names, ["development", "local_testnet", "live"]);

	for (preset, validators) in [("development", 1), ("local_testnet", 2)] {
		genesis_of(preset).execute_with(|| {
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), validators, "{preset}");
			assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), validators);
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Alice.to_account_id()));
			let endowed = Sr25519Keyring::well_known().count() as u128;
			// And the existential deposits that open the royalties pallet's and the treasury's
			// accounts.
			let issued = endowed * ENDOWMENT + 2 * EXISTENTIAL_DEPOSIT;
			assert_eq!(Balances::total_issuance(), issued, "{preset}");
			assert_eq!(Balances::balance(&Bob.to_account_id()), ENDOWMENT);
		});
	}
}

#[test]
fn the_live_preset_has_no_sudo_key_and_is_governed_by_its_founders() {
	genesis_of(LIVE_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 3);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 3);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
			3
		);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance2>::get().len(),
			3
		);
		// The live network's periods, not the development ones.
		assert_eq!(
			pallet_attestations::Parameters::<Runtime>::get(),
			provenance_runtime::configs::LiveAttestationParameters::get()
		);
		assert_eq!(
			Balances::total_issuance(),
			9 * LIVE_FOUNDER_ENDOWMENT + 2 * EXISTENTIAL_DEPOSIT
		);
	});
}

#[test]
fn an_unknown_preset_is_none() {
	assert!(get_preset(&"mainnet".into()).is_none());
}

#[test]
fn the_wasm_runtime_is_built() {
	assert!(provenance_runtime::WASM_BINARY.is_some_and(|wasm| !wasm.is_empty()));
}

/// The runtime charges ParityDB's measured costs (the generated file's own test checks
/// frame_support's constants of the same name, not these), and they are plausible: at least
/// 1 µs, at most 1 ms, a write no cheaper than a read.
#[test]
fn storage_is_charged_at_paritydbs_measured_costs() {
	use frame_support::weights::{constants::WEIGHT_REF_TIME_PER_MICROS, RuntimeDbWeight};
	use provenance_runtime::weights::paritydb_weights::constants::ParityDbWeight;
	let charged: RuntimeDbWeight = <Runtime as frame_system::Config>::DbWeight::get();
	assert_eq!(charged, ParityDbWeight::get());
	let (read, write) = (charged.reads(1).ref_time(), charged.writes(1).ref_time());
	assert!(read >= WEIGHT_REF_TIME_PER_MICROS && read <= write);
	assert!(write <= 1_000 * WEIGHT_REF_TIME_PER_MICROS);
}

#[test]
fn a_signed_transfer_moves_funds_and_pays_a_fee() {
	genesis_of("development").execute_with(|| {
		let genesis_hash = start_block_one();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: bob.clone().into(),
			value: 5 * UNIT,
		});

		let xt = sign_transaction(call, &Alice.pair(), 0, 0, genesis_hash);
		assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));

		assert_eq!(Balances::balance(&bob), ENDOWMENT + 5 * UNIT);
		let fee = ENDOWMENT - 5 * UNIT - Balances::balance(&alice);
		assert!(fee > 0 && fee < UNIT / 100, "fee {fee}");
		assert_eq!(System::account_nonce(&alice), 1);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::TransactionPayment(pallet_transaction_payment::Event::TransactionFeePaid {
				who, actual_fee, ..
			}) if *who == alice && *actual_fee == fee
		)));
	});
}

/// The transaction extensions are charged their storage accesses at ParityDB's weights, not
/// their execution: `benchmark overhead` timed that already, in the extrinsic base weight of a
/// signed remark, so a transfer pays for running them once. The accesses: the sender's account,
/// read and written for the nonce, which the fee payment then reads from the state cache and
/// writes to the overlay (the test after the next); the treasury's account, which the fee also
/// writes, the block pays for once (the next test).
#[test]
fn the_extensions_charge_their_storage_accesses_not_their_execution_again() {
	use frame_support::dispatch::GetDispatchInfo;
	genesis_of("development").execute_with(|| {
		let genesis_hash = start_block_one();
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Bob.to_account_id().into(),
			value: UNIT,
		});
		let info = sign_transaction(call, &Alice.pair(), 0, 0, genesis_hash).get_dispatch_info();
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		assert_eq!(info.extension_weight.ref_time(), db.reads_writes(1, 1).ref_time());
	});
}

/// Every paying transaction writes the treasury's and the author's accounts, and every call
/// that takes an id its pallet's counter; a block commits each once: its base weight pays for
/// reading and writing them all, on top of an empty block's measured execution.
#[test]
fn a_block_pays_once_for_the_accounts_fees_go_to_and_the_id_counters() {
	let db = <Runtime as frame_system::Config>::DbWeight::get();
	let once = 2 + provenance_runtime::configs::ID_COUNTERS;
	assert_eq!(
		<Runtime as frame_system::Config>::BlockWeights::get().base_block,
		provenance_runtime::weights::block_weights::BlockExecutionWeight::get()
			.saturating_add(db.reads_writes(once, once))
	);
}

/// Every key our pallets whitelist in their benchmarks is an id counter the block pays for
/// once (security T6): one whitelisted without being counted there would go unpaid.
#[test]
fn every_key_the_pallets_benchmarks_leave_out_is_paid_by_the_block() {
	use frame_support::traits::WhitelistedStorageKeys;
	use provenance_runtime::{
		Attestations, Checkpoints, Datasets, Evaluations, Licenses, Royalties, ValidatorSet,
	};
	let whitelisted = [
		Datasets::whitelisted_storage_keys(),
		Checkpoints::whitelisted_storage_keys(),
		Attestations::whitelisted_storage_keys(),
		Licenses::whitelisted_storage_keys(),
		Royalties::whitelisted_storage_keys(),
		Evaluations::whitelisted_storage_keys(),
		ValidatorSet::whitelisted_storage_keys(),
	];
	let counted = whitelisted.iter().map(Vec::len).sum::<usize>() as u64;
	assert_eq!(counted, provenance_runtime::configs::ID_COUNTERS);
}

/// The fee payment's benchmark, run alone, counts the sender's account, read and written, and
/// nothing else (the treasury's is whitelisted): exactly what the runtime leaves out of its
/// weight because `CheckNonce` paid for it. A benchmark that came to count more must not lose
/// it.
#[test]
fn the_fee_payment_leaves_out_only_the_sender_account_the_nonce_paid_for() {
	use pallet_transaction_payment::WeightInfo;
	let db = <Runtime as frame_system::Config>::DbWeight::get();
	let measured = provenance_runtime::weights::pallet_transaction_payment::WeightInfo::<Runtime>::charge_transaction_payment();
	assert_eq!(measured.ref_time(), db.reads_writes(1, 1).ref_time());
	let charged =
		provenance_runtime::weights::FeePaymentAfterNonce::<Runtime>::charge_transaction_payment();
	assert_eq!(charged, measured.saturating_sub(db.reads_writes(1, 1)));
	assert_eq!(charged.ref_time(), 0);
	assert_eq!(charged.proof_size(), measured.proof_size());
}

#[test]
fn a_used_nonce_is_stale_and_a_future_one_is_not_yet_valid() {
	genesis_of("development").execute_with(|| {
		let genesis_hash = start_block_one();
		let remark = || RuntimeCall::System(SystemCall::remark { remark: vec![1] });
		assert_eq!(
			Executive::apply_extrinsic(sign_transaction(
				remark(),
				&Alice.pair(),
				0,
				0,
				genesis_hash
			)),
			Ok(Ok(()))
		);

		let replay = sign_transaction(remark(), &Alice.pair(), 0, 0, genesis_hash);
		assert_eq!(
			Executive::apply_extrinsic(replay),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		let future = sign_transaction(remark(), &Alice.pair(), 5, 0, genesis_hash);
		assert_eq!(
			Executive::apply_extrinsic(future),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Future))
		);
	});
}

#[test]
fn a_transaction_for_another_chain_has_a_bad_proof() {
	genesis_of("development").execute_with(|| {
		start_block_one();
		let call = RuntimeCall::System(SystemCall::remark { remark: vec![] });
		let xt = sign_transaction(call, &Alice.pair(), 0, 0, sp_core::H256::repeat_byte(7));
		assert_eq!(
			Executive::apply_extrinsic(xt),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
	});
}

#[test]
fn an_account_without_funds_cannot_pay_and_an_overdraft_fails_with_funds_unavailable() {
	genesis_of("development").execute_with(|| {
		let genesis_hash = start_block_one();
		let pauper = sp_core::sr25519::Pair::from_string("//Pauper", None).expect("valid uri");
		let call = |value| {
			RuntimeCall::Balances(BalancesCall::transfer_allow_death {
				dest: Dave.to_account_id().into(),
				value,
			})
		};

		let xt = sign_transaction(call(UNIT), &pauper, 0, 0, genesis_hash);
		assert_eq!(
			Executive::apply_extrinsic(xt),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);

		let charlie = Charlie.to_account_id();
		let xt = sign_transaction(call(2 * ENDOWMENT), &Charlie.pair(), 0, 0, genesis_hash);
		let outcome = Executive::apply_extrinsic(xt).expect("valid transaction");
		assert_eq!(outcome, Err(DispatchError::Token(TokenError::FundsUnavailable)));
		assert_eq!(Balances::balance(&Dave.to_account_id()), ENDOWMENT);
		assert!(Balances::balance(&charlie) > ENDOWMENT - UNIT / 100, "only the fee was taken");
	});
}
