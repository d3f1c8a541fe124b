//! Proxy types as allow-lists: every call of every pallet of the runtime, each proxy type, and
//! what it may do. The expected lists are written out here, apart from the runtime's filter,
//! so that a call added to a pallet fails this test until someone decides which proxies may
//! make it.

use crate::common::{genesis_of, Signer};
use codec::Decode;
use frame_metadata::RuntimeMetadata;
use frame_support::traits::InstanceFilter;
use provenance_runtime::{configs::ProxyType, Runtime, RuntimeCall, RuntimeEvent, System, UNIT};
use scale_info::TypeDef;
use sp_keyring::Sr25519Keyring::{Alice, Bob};

/// One call of each kind the runtime has, with its pallet and call names: decoded from the
/// pallet and call indices the metadata lists, every argument zero (an empty list, the first
/// variant, a remark for a nested call).
fn every_call() -> Vec<(String, String, RuntimeCall)> {
	let RuntimeMetadata::V14(metadata) = Runtime::metadata().1 else {
		panic!("the runtime's default metadata is v14")
	};
	let mut calls = Vec::new();
	for pallet in metadata.pallets {
		let Some(call_type) = pallet.calls else { continue };
		let Some(TypeDef::Variant(variants)) =
			metadata.types.resolve(call_type.ty.id).map(|ty| ty.type_def.clone())
		else {
			panic!("{}'s calls are an enum", pallet.name)
		};
		for variant in variants.variants {
			let mut bytes = vec![pallet.index, variant.index];
			bytes.extend([0u8; 512]);
			let call = RuntimeCall::decode(&mut &bytes[..]).unwrap_or_else(|e| {
				panic!("{}::{} decodes from zeros: {e}", pallet.name, variant.name)
			});
			calls.push((pallet.name.to_string(), variant.name.to_string(), call));
		}
	}
	calls
}

/// What each proxy type may call, by pallet and call name; `"*"`: every call of the pallet.
fn allowed(proxy: ProxyType, pallet: &str, call: &str) -> bool {
	let batches = ["batch", "batch_all", "force_batch"];
	let registrar = [
		("Datasets", "register"),
		("Datasets", "register_version"),
		("Datasets", "register_batch"),
		("Datasets", "publish_revocation_set"),
		("Datasets", "revoke"),
		("Datasets", "answer_withdrawal"),
		("Checkpoints", "register"),
		("Checkpoints", "flag_compromised"),
	];
	let attester = [("Attestations", "commit_verdict"), ("Attestations", "reveal_verdict")];
	let non_transfer = [
		("System", "remark"),
		("System", "remark_with_event"),
		("Session", "*"),
		("Utility", "*"),
		("Proxy", "add_proxy"),
		("Proxy", "remove_proxy"),
		("Proxy", "remove_proxies"),
		("Proxy", "reject_announcement"),
		("Proxy", "remove_announcement"),
		("Datasets", "set_contributor_root"),
		("Datasets", "withdraw_consent"),
		("Datasets", "clear_withdrawal"),
		("Attestations", "chill"),
		("Attestations", "activate"),
		("Attestations", "unbond"),
		("Attestations", "withdraw_unbonded"),
		("Attestations", "report_equivocation"),
		("Attestations", "settle_run"),
		("Licenses", "create_terms"),
		("Royalties", "claim"),
		("Royalties", "claim_from_pool"),
		("Royalties", "close_pool"),
		("Royalties", "clear_leaf_claim"),
		("Evaluations", "deploy"),
		("Evaluations", "end_deployment"),
	];
	let listed =
		|list: &[(&str, &str)]| list.iter().any(|(p, c)| *p == pallet && (*c == "*" || *c == call));
	match proxy {
		ProxyType::Any => true,
		ProxyType::NonTransfer => listed(&non_transfer) || listed(&registrar) || listed(&attester),
		ProxyType::CancelProxy => {
			(pallet, call) == ("Proxy", "reject_announcement")
				|| pallet == "Utility"
				|| pallet == "Multisig"
		},
		ProxyType::Attester => {
			listed(&attester) || (pallet == "Utility" && batches.contains(&call))
		},
		ProxyType::Registrar => {
			listed(&registrar) || (pallet == "Utility" && batches.contains(&call))
		},
	}
}

const TYPES: [ProxyType; 5] = [
	ProxyType::Any,
	ProxyType::NonTransfer,
	ProxyType::CancelProxy,
	ProxyType::Attester,
	ProxyType::Registrar,
];

#[test]
fn each_proxy_type_allows_exactly_its_list_of_every_call() {
	let calls = every_call();
	assert!(calls.len() > 60, "the runtime's calls: {}", calls.len());
	for proxy in TYPES {
		for (pallet, name, call) in &calls {
			assert_eq!(
				proxy.filter(call),
				allowed(proxy, pallet, name),
				"{proxy:?} on {pallet}::{name}"
			);
		}
	}
}

#[test]
fn no_proxy_but_any_moves_funds_or_reaches_root() {
	let money = [
		("Balances", "*"),
		("Sudo", "*"),
		// Governance: spending, root, and the votes that lead to them.
		("Treasury", "*"),
		("CouncilRoot", "*"),
		("Council", "*"),
		("DisputePanel", "*"),
		("CouncilMembership", "*"),
		("DisputePanelMembership", "*"),
		("Royalties", "pay"),
		("Royalties", "set_split"),
		("Licenses", "acquire_license"),
		("Licenses", "set_license"),
		("Attestations", "declare_run"),
		("Attestations", "bond"),
		("Attestations", "bond_extra"),
		("Attestations", "challenge"),
		("Evaluations", "declare_evaluation"),
		("Datasets", "transfer_ownership"),
		("Checkpoints", "transfer_ownership"),
		("Proxy", "proxy"),
		("Multisig", "as_multi"),
	];
	for (pallet, name, call) in every_call() {
		let moves = money.iter().any(|(p, c)| *p == pallet && (*c == "*" || *c == name));
		if !moves {
			continue;
		}
		for proxy in [ProxyType::NonTransfer, ProxyType::Attester, ProxyType::Registrar] {
			assert!(!proxy.filter(&call), "{proxy:?} may call {pallet}::{name}");
		}
	}
}

#[test]
fn supersets_are_the_allow_lists_they_contain() {
	let calls = every_call();
	for a in TYPES {
		for b in TYPES {
			if a.is_superset(&b) {
				for (pallet, name, call) in &calls {
					assert!(
						!b.filter(call) || a.filter(call),
						"{a:?} claims to contain {b:?} but not {pallet}::{name}"
					);
				}
			}
		}
	}
}

/// A `NonTransfer` proxy of the sudo key was root, and moved the delegator's money through
/// `royalties.pay`: both are refused through `proxy.proxy`, inside a batch too.
#[test]
fn a_non_transfer_proxy_of_the_sudo_key_is_not_root() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		signer.apply(
			Alice,
			RuntimeCall::Proxy(pallet_proxy::Call::add_proxy {
				delegate: bob.clone().into(),
				proxy_type: ProxyType::NonTransfer,
				delay: 0,
			}),
		);
		let force_transfer = RuntimeCall::Balances(pallet_balances::Call::force_transfer {
			source: alice.clone().into(),
			dest: bob.clone().into(),
			value: 1_000 * UNIT,
		});
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(force_transfer) });
		let batched =
			RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![sudo.clone()] });
		for call in [sudo, batched] {
			System::reset_events();
			signer.apply(
				Bob,
				RuntimeCall::Proxy(pallet_proxy::Call::proxy {
					real: alice.clone().into(),
					force_proxy_type: None,
					call: Box::new(call),
				}),
			);
			let filtered = System::events().iter().any(|record| {
				matches!(
					&record.event,
					RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(e) })
						if *e == frame_system::Error::<Runtime>::CallFiltered.into()
				) || matches!(
					&record.event,
					RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { error, .. })
						if *error == frame_system::Error::<Runtime>::CallFiltered.into()
				)
			});
			assert!(filtered, "the proxied call is filtered: {:?}", System::events());
		}
	});
}

/// Our pallets' benchmarks leave the signer's account to the transaction's nonce check
/// (security T6). A call that a proxy, a derivative or a multisig makes runs as another
/// account, which no nonce check touched: each wrapper charges that account's read and write on
/// top of its own weight and the call's, in the weight it declares and in the one it reports.
#[test]
fn a_call_made_as_another_account_is_charged_that_accounts_read_and_write() {
	use codec::Encode;
	use frame_support::{
		dispatch::GetDispatchInfo,
		traits::{fungible::Mutate, Get},
	};
	use sp_runtime::traits::Dispatchable;
	let anchor = RuntimeCall::Datasets(pallet_datasets::Call::register {
		root: [1; 32],
		record_count: 1,
		byte_size: 1,
		uri: b"ipfs://shard".to_vec(),
		metadata_hash: [0; 32],
		data_origin: pallet_datasets::DatasetOrigin::Human,
		commercial: false,
		max_stack_bps: None,
	});
	let weight = |call: &RuntimeCall| call.get_dispatch_info().call_weight;
	let other_account = <Runtime as frame_system::Config>::DbWeight::get().reads_writes(1, 1);
	let call = weight(&anchor);

	let proxy = <<Runtime as pallet_proxy::Config>::WeightInfo as pallet_proxy::WeightInfo>::proxy(
		<Runtime as pallet_proxy::Config>::MaxProxies::get(),
	);
	let proxied = RuntimeCall::Proxy(pallet_proxy::Call::proxy {
		real: Bob.to_account_id().into(),
		force_proxy_type: None,
		call: Box::new(anchor.clone()),
	});
	assert_eq!(weight(&proxied), proxy + other_account + call);

	let derivative =
		<<Runtime as pallet_utility::Config>::WeightInfo as pallet_utility::WeightInfo>::as_derivative();
	let derived = RuntimeCall::Utility(pallet_utility::Call::as_derivative {
		index: 0,
		call: Box::new(anchor.clone()),
	});
	assert_eq!(weight(&derived), derivative + other_account + call);

	// A multisig reports its weight after the call, from the call's own report: a batch's.
	genesis_of("development").execute_with(|| {
		crate::common::start_block_one();
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![anchor] });
		let batched = weight(&batch);
		let multisig = <pallet_multisig::weights::SubstrateWeight<Runtime> as pallet_multisig::WeightInfo>::as_multi_threshold_1(
			batch.encode().len() as u32,
		);
		let mut signatories = vec![Alice.to_account_id(), Bob.to_account_id()];
		signatories.sort();
		let account = pallet_multisig::Pallet::<Runtime>::multi_account_id(&signatories, 1);
		provenance_runtime::Balances::set_balance(&account, 1_000 * UNIT);
		let shared = RuntimeCall::Multisig(pallet_multisig::Call::as_multi_threshold_1 {
			other_signatories: vec![Bob.to_account_id()],
			call: Box::new(batch),
		});
		let reported = shared
			.dispatch(provenance_runtime::RuntimeOrigin::signed(Alice.to_account_id()))
			.expect("the multisig anchors")
			.actual_weight
			.expect("a multisig reports its weight");
		assert_eq!(reported, multisig + other_account + batched);
	});
}
