//! Governance in the runtime, through signed transactions: every governed call is refused from
//! a plain account and from a motion of too few members, and accepted at its threshold; the
//! dispute panel rules a challenge and an unruled one lapses; the council authorizes an upgrade
//! and spends from the treasury; fees pay the block's author and the treasury.

use crate::{
	attestations::attested_run,
	common::{genesis_of, last_fee_paid_by, register_checkpoint, register_dataset, Signer},
};
use codec::Encode;
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{fungible::Inspect, Hooks},
	weights::Weight,
};
use pallet_collective::{Instance1, Instance2};
use provenance_runtime::{
	genesis_config_presets::ENDOWMENT,
	governance::{TreasuryAccount, TREASURY_FEE_PERCENT},
	sign_transaction, AccountId, Balance, Balances, Executive, Header, Runtime, RuntimeCall,
	RuntimeEvent, System, Treasury, DAYS, UNIT, WASM_BINARY,
};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_keyring::Sr25519Keyring::{
	self, Alice, AliceStash, Bob, BobStash, Charlie, CharlieStash, Dave, Eve, Ferdie,
};
use sp_runtime::{
	traits::{BlakeTwo256, Hash, Header as _},
	Digest, DigestItem, DispatchError, DispatchResult,
};

type CollectiveCall<I> = pallet_collective::Call<Runtime, I>;

/// Moves `call` through a motion of a collective: the first of `ayes` proposes it with the
/// threshold `ayes.len()`, each of them votes aye (a proposer's vote is not implied), and the
/// proposer closes it. Returns what the
/// call did, as the collective's `Executed` event reports it.
fn motion<I: 'static>(
	signer: &mut Signer,
	body: fn(CollectiveCall<I>) -> RuntimeCall,
	ayes: &[Sr25519Keyring],
	call: RuntimeCall,
) -> DispatchResult
where
	Runtime: pallet_collective::Config<I, Proposal = RuntimeCall>,
	RuntimeEvent: TryInto<pallet_collective::Event<Runtime, I>>,
{
	let length_bound = call.encoded_size() as u32;
	let index = pallet_collective::ProposalCount::<Runtime, I>::get();
	let proposal_hash = BlakeTwo256::hash_of(&call);
	let proposal_weight_bound = call.get_dispatch_info().call_weight;
	let threshold = ayes.len() as u32;
	let propose =
		CollectiveCall::<I>::propose { threshold, proposal: Box::new(call), length_bound };
	signer.apply(ayes[0], body(propose));
	// A threshold below two executes at once, as one member's motion.
	if threshold >= 2 {
		for who in ayes {
			let vote = CollectiveCall::<I>::vote { proposal: proposal_hash, index, approve: true };
			signer.apply(*who, body(vote));
		}
		let close = CollectiveCall::<I>::close {
			proposal_hash,
			index,
			proposal_weight_bound,
			length_bound,
		};
		signer.apply(ayes[0], body(close));
	}
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event.try_into() {
			Ok(pallet_collective::Event::Executed { proposal_hash: hash, result })
				if hash == proposal_hash =>
			{
				Some(result)
			},
			_ => None,
		})
		.expect("the motion was executed")
}

fn council(call: CollectiveCall<Instance1>) -> RuntimeCall {
	RuntimeCall::Council(call)
}

fn panel(call: CollectiveCall<Instance2>) -> RuntimeCall {
	RuntimeCall::DisputePanel(call)
}

fn as_root(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::CouncilRoot(provenance_runtime::council_root::Call::dispatch_as_root {
		call: Box::new(call),
	})
}

/// What the collective's `Executed` event reports of a `dispatch_as_root` whose call ran.
fn dispatched_as_root() -> DispatchResult {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::CouncilRoot(
				provenance_runtime::council_root::Event::DispatchedAsRoot { result },
			) => Some(result),
			_ => None,
		})
		.expect("a call was dispatched as root")
}

/// The council of the development presets, grown to seven seats so that a majority (4), two
/// thirds (5) and three quarters (6) each take a different number of members.
const SEVEN: [Sr25519Keyring; 7] = [Alice, Bob, Charlie, Dave, Eve, Ferdie, AliceStash];

#[test]
fn the_development_presets_seat_a_council_and_a_dispute_panel() {
	genesis_of("development").execute_with(|| {
		let accounts = |keys: &[Sr25519Keyring]| {
			let mut accounts: Vec<AccountId> = keys.iter().map(|k| k.to_account_id()).collect();
			accounts.sort();
			accounts
		};
		assert_eq!(
			pallet_collective::Members::<Runtime, Instance1>::get(),
			accounts(&[Alice, Bob, Charlie])
		);
		assert_eq!(
			pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get().to_vec(),
			accounts(&[Alice, Bob, Charlie])
		);
		assert_eq!(
			pallet_collective::Members::<Runtime, Instance2>::get(),
			accounts(&[Alice, Bob, Charlie])
		);
	});
}

#[test]
fn every_governed_call_needs_its_body_at_its_threshold() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let seven: Vec<AccountId> = SEVEN.iter().map(|k| k.to_account_id()).collect();
		let reset = RuntimeCall::CouncilMembership(pallet_membership::Call::reset_members {
			members: seven,
		});
		// Seats decide who reaches three quarters, so changing them takes three quarters.
		assert_eq!(
			motion(&mut signer, council, &[Alice, Bob], reset.clone()),
			Err(DispatchError::BadOrigin)
		);
		assert_eq!(motion(&mut signer, council, &[Alice, Bob, Charlie], reset), Ok(()));
		assert_eq!(pallet_collective::Members::<Runtime, Instance1>::get().len(), 7);

		// Records the governed calls act on: dataset 0 and checkpoint 0.
		let dataset = register_dataset(&mut signer, 1, pallet_datasets::DatasetOrigin::Human);
		register_checkpoint(&mut signer, [3; 32], vec![dataset]);
		signer.apply(
			Alice,
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: TreasuryAccount::get().into(),
				value: 1_000 * UNIT,
			}),
		);

		let parameters = pallet_attestations::Parameters::<Runtime>::get();
		// (body, members needed, call, what the call does once its origin is accepted)
		let council_calls: Vec<(usize, RuntimeCall, DispatchResult)> = vec![
			(
				4,
				RuntimeCall::Datasets(pallet_datasets::Call::set_answer_period { period: 20 }),
				Ok(()),
			),
			(
				5,
				RuntimeCall::Attestations(pallet_attestations::Call::set_parameters { parameters }),
				Ok(()),
			),
			(
				5,
				RuntimeCall::Datasets(pallet_datasets::Call::force_revoke {
					id: 0,
					reason: pallet_datasets::RevocationReason::LegalTakedown,
				}),
				Ok(()),
			),
			(
				5,
				RuntimeCall::ValidatorSet(pallet_validator_set::Call::remove_validator {
					who: Alice.to_account_id().into(),
				}),
				Err(pallet_validator_set::Error::<Runtime>::TooFewValidators.into()),
			),
			(
				5,
				RuntimeCall::Treasury(pallet_treasury::Call::spend_local {
					amount: 10 * UNIT,
					beneficiary: Dave.to_account_id().into(),
				}),
				Ok(()),
			),
			(
				5,
				RuntimeCall::ValidatorSet(pallet_validator_set::Call::add_validator {
					who: Ferdie.to_account_id().into(),
				}),
				Err(pallet_validator_set::Error::<Runtime>::NoSessionKeys.into()),
			),
			(
				5,
				RuntimeCall::Treasury(pallet_treasury::Call::spend {
					asset_kind: Box::new(()),
					amount: 10 * UNIT,
					beneficiary: Box::new(Dave.to_account_id()),
					valid_from: None,
				}),
				Ok(()),
			),
			(4, RuntimeCall::Treasury(pallet_treasury::Call::void_spend { index: 0 }), Ok(())),
			(
				4,
				RuntimeCall::Treasury(pallet_treasury::Call::remove_approval { proposal_id: 0 }),
				Ok(()),
			),
			(
				6,
				RuntimeCall::CouncilMembership(pallet_membership::Call::set_prime {
					who: Alice.to_account_id().into(),
				}),
				Ok(()),
			),
			(
				5,
				RuntimeCall::DisputePanelMembership(pallet_membership::Call::add_member {
					who: BobStash.to_account_id().into(),
				}),
				Ok(()),
			),
			(
				6,
				as_root(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
				Ok(()),
			),
		];
		for (needed, call, accepted) in council_calls {
			let signed = call.clone().dispatch_signed(Eve);
			assert_eq!(signed, Err(DispatchError::BadOrigin), "signed: {call:?}");
			let too_few = motion(&mut signer, council, &SEVEN[..needed - 1], call.clone());
			assert_eq!(too_few, Err(DispatchError::BadOrigin), "{} members: {call:?}", needed - 1);
			let at_threshold = motion(&mut signer, council, &SEVEN[..needed], call.clone());
			assert_eq!(at_threshold, accepted, "{needed} members: {call:?}");
		}
		assert!(pallet_datasets::Records::<Runtime>::get(0)
			.is_some_and(|r| matches!(r.status, pallet_datasets::DatasetStatus::Revoked { .. })));

		// The dispute panel (Alice, Bob, Charlie and now BobStash): two thirds are three of four.
		let panel_calls: Vec<(usize, RuntimeCall, DispatchResult)> = vec![
			(
				3,
				RuntimeCall::Checkpoints(pallet_checkpoints::Call::force_flag_compromised {
					id: 0,
					reason: provenance_primitives::CompromiseReason::Backdoored,
					evidence: [5; 32],
				}),
				Ok(()),
			),
			(
				3,
				RuntimeCall::Checkpoints(pallet_checkpoints::Call::force_unflag_compromised {
					id: 0,
				}),
				Ok(()),
			),
			(
				3,
				RuntimeCall::Checkpoints(
					pallet_checkpoints::Call::force_declare_compromised_pipeline {
						pipeline: [6; 32],
						evidence: [7; 32],
					},
				),
				Ok(()),
			),
			(
				3,
				RuntimeCall::Checkpoints(pallet_checkpoints::Call::rule_pipeline_report {
					pipeline: [8; 32],
					upheld: true,
				}),
				Err(pallet_checkpoints::Error::<Runtime>::UnknownPipelineReport.into()),
			),
			(
				3,
				RuntimeCall::Attestations(pallet_attestations::Call::resolve_challenge {
					run: 0,
					attester: Dave.to_account_id(),
					upheld: true,
				}),
				Err(pallet_attestations::Error::<Runtime>::UnknownRun.into()),
			),
		];
		let members = [Alice, Bob, Charlie, BobStash];
		for (needed, call, accepted) in panel_calls {
			assert_eq!(call.clone().dispatch_signed(Alice), Err(DispatchError::BadOrigin));
			let too_few = motion(&mut signer, panel, &members[..needed - 1], call.clone());
			assert_eq!(too_few, Err(DispatchError::BadOrigin), "{call:?}");
			assert_eq!(motion(&mut signer, panel, &members[..needed], call.clone()), accepted);
		}
		// The panel does not rule on what the council decides.
		let parameters =
			RuntimeCall::Datasets(pallet_datasets::Call::set_answer_period { period: 30 });
		assert_eq!(motion(&mut signer, panel, &members, parameters), Err(DispatchError::BadOrigin));
	});
}

/// Dispatches `call` from `who` without a transaction, for the origin check alone.
trait DispatchSigned {
	fn dispatch_signed(self, who: Sr25519Keyring) -> DispatchResult;
}

impl DispatchSigned for RuntimeCall {
	fn dispatch_signed(self, who: Sr25519Keyring) -> DispatchResult {
		use sp_runtime::traits::Dispatchable;
		self.dispatch(provenance_runtime::RuntimeOrigin::signed(who.to_account_id()))
			.map(|_| ())
			.map_err(|e| e.error)
	}
}

#[test]
fn the_panel_rules_one_challenge_and_another_lapses_at_its_deadline() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		// No member of the panel (Alice, Bob, Charlie) attests the run.
		let window_end = attested_run(&mut signer, [Dave, Eve, AliceStash, BobStash]);
		let challenge = |attester: Sr25519Keyring| {
			RuntimeCall::Attestations(pallet_attestations::Call::challenge {
				run: 0,
				attester: attester.to_account_id(),
			})
		};
		signer.apply(CharlieStash, challenge(Dave));
		signer.apply(CharlieStash, challenge(Eve));
		let bond = pallet_attestations::Parameters::<Runtime>::get().runs.challenge_bond;
		let held = || {
			use frame_support::traits::fungible::InspectHold;
			Balances::balance_on_hold(
				&provenance_runtime::RuntimeHoldReason::Attestations(
					pallet_attestations::HoldReason::ChallengeBond,
				),
				&CharlieStash.to_account_id(),
			)
		};
		assert_eq!(held(), 2 * bond);

		// The panel finds Dave's verdict right: the challenge is dismissed and its bond goes to
		// the treasury.
		let treasury_before = Balances::balance(&TreasuryAccount::get());
		let dismiss = RuntimeCall::Attestations(pallet_attestations::Call::resolve_challenge {
			run: 0,
			attester: Dave.to_account_id(),
			upheld: false,
		});
		assert_eq!(
			motion(&mut signer, panel, &[Alice], dismiss.clone()),
			Err(DispatchError::BadOrigin)
		);
		assert_eq!(motion(&mut signer, panel, &[Alice, Bob], dismiss), Ok(()));
		assert_eq!(held(), bond);
		assert!(Balances::balance(&TreasuryAccount::get()) >= treasury_before + bond);

		// Nobody rules on Eve's: at its deadline it lapses, the bond goes back and the
		// verdict stands.
		let deadline =
			pallet_attestations::ChallengeDeadlines::<Runtime>::get(0, Eve.to_account_id())
				.expect("the open challenge has a deadline");
		let period = pallet_attestations::Parameters::<Runtime>::get().runs.challenge_period;
		assert_eq!(deadline, window_end + period);
		for block in System::block_number() + 1..=deadline {
			System::set_block_number(block);
			provenance_runtime::Attestations::on_initialize(block);
		}
		assert_eq!(held(), 0);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Attestations(pallet_attestations::Event::ChallengeLapsed { run: 0, attester, .. })
				if *attester == Eve.to_account_id()
		)));
		signer.apply(
			Dave,
			RuntimeCall::Attestations(pallet_attestations::Call::settle_run { run: 0 }),
		);
		assert!(matches!(
			pallet_attestations::Runs::<Runtime>::get(0).unwrap().status,
			pallet_attestations::RunStatus::Final {
				outcome: pallet_attestations::Outcome::Attested
			}
		));
	});
}

#[test]
fn the_council_authorizes_an_upgrade_and_only_its_code_may_be_applied() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let wasm = WASM_BINARY.expect("the wasm runtime is built").to_vec();
		let code_hash = BlakeTwo256::hash(&wasm);
		let authorize =
			as_root(RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash }));

		// Two of three is not enough to act as root; the sudo key is not needed.
		assert_eq!(
			motion(&mut signer, council, &[Alice, Bob], authorize.clone()),
			Err(DispatchError::BadOrigin)
		);
		assert_eq!(motion(&mut signer, council, &[Alice, Bob, Charlie], authorize), Ok(()));
		assert_eq!(dispatched_as_root(), Ok(()));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { code_hash: hash, check_version: true })
				if hash == code_hash
		)));

		// Anyone may apply it, but only the authorized code (`upgrade.test.mjs` applies a newer
		// runtime this way on a running node).
		let other_code = RuntimeCall::System(frame_system::Call::apply_authorized_upgrade {
			code: b"other code".to_vec(),
		});
		assert_eq!(
			other_code.dispatch_signed(Eve),
			Err(frame_system::Error::<Runtime>::Unauthorized.into())
		);
	});
}

#[test]
fn the_council_spends_from_the_treasury_at_the_spend_period() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		signer.apply(
			Alice,
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: TreasuryAccount::get().into(),
				value: 1_000 * UNIT,
			}),
		);
		let dave_before = Balances::balance(&Dave.to_account_id());
		let spend = RuntimeCall::Treasury(pallet_treasury::Call::spend_local {
			amount: 600 * UNIT,
			beneficiary: Dave.to_account_id().into(),
		});
		assert_eq!(motion(&mut signer, council, &[Alice, Bob], spend), Ok(()));
		assert_eq!(pallet_treasury::Approvals::<Runtime>::get().len(), 1);

		let spend_period = 7 * DAYS;
		System::set_block_number(spend_period);
		Treasury::on_initialize(spend_period);
		assert_eq!(Balances::balance(&Dave.to_account_id()), dave_before + 600 * UNIT);
		assert!(pallet_treasury::Approvals::<Runtime>::get().is_empty());
	});
}

/// Starts block 1 authored in Aura slot 1: on the development chain, by Alice.
fn start_block_one_authored() -> sp_core::H256 {
	let genesis_hash = System::block_hash(0);
	let digest =
		Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(1u64).encode())] };
	let header = Header::new(1, Default::default(), Default::default(), genesis_hash, digest);
	Executive::initialize_block(&header);
	genesis_hash
}

#[test]
fn fees_pay_the_treasury_and_the_author_who_also_gets_the_tip() {
	genesis_of("development").execute_with(|| {
		let genesis_hash = start_block_one_authored();
		assert_eq!(pallet_authorship::Pallet::<Runtime>::author(), Some(Alice.to_account_id()));
		let balance = |who: &AccountId| -> Balance { Balances::balance(who) };
		let (alice, bob, treasury) =
			(Alice.to_account_id(), Bob.to_account_id(), TreasuryAccount::get());
		let (alice_before, treasury_before) = (balance(&alice), balance(&treasury));

		let tip = 3 * UNIT;
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![0; 100] });
		let xt = sign_transaction(remark, &Bob.pair(), 0, tip, genesis_hash);
		assert_eq!(Executive::apply_extrinsic(xt), Ok(Ok(())));

		let paid = last_fee_paid_by(&bob);
		let fee = paid - tip;
		let to_treasury = fee * TREASURY_FEE_PERCENT as Balance / 100;
		assert!(to_treasury > 0);
		assert_eq!(balance(&treasury), treasury_before + to_treasury);
		assert_eq!(balance(&alice), alice_before + (fee - to_treasury) + tip);
		assert_eq!(balance(&bob), ENDOWMENT - paid);
	});
}

#[test]
fn no_motion_empties_a_body_and_absent_members_do_not_vote_aye() {
	genesis_of("development").execute_with(|| {
		let mut signer = Signer::at_block_one();
		let filtered = Err(frame_system::Error::<Runtime>::CallFiltered.into());
		// Three members is the floor: none may be removed, and no reset may leave fewer.
		let remove = RuntimeCall::DisputePanelMembership(pallet_membership::Call::remove_member {
			who: Charlie.to_account_id().into(),
		});
		assert_eq!(motion(&mut signer, council, &[Alice, Bob, Charlie], remove), filtered);
		let reset = RuntimeCall::CouncilMembership(pallet_membership::Call::reset_members {
			members: vec![Alice.to_account_id(); 3],
		});
		assert_eq!(motion(&mut signer, council, &[Alice, Bob, Charlie], reset), filtered);
		assert_eq!(pallet_collective::Members::<Runtime, Instance1>::get().len(), 3);

		// A prime member's aye does not carry the members who did not vote.
		let prime = RuntimeCall::CouncilMembership(pallet_membership::Call::set_prime {
			who: Alice.to_account_id().into(),
		});
		assert_eq!(motion(&mut signer, council, &[Alice, Bob, Charlie], prime), Ok(()));
		let call = RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![1] });
		let proposal_hash = BlakeTwo256::hash_of(&call);
		let length_bound = call.encoded_size() as u32;
		let index = pallet_collective::ProposalCount::<Runtime, Instance1>::get();
		signer.apply(
			Alice,
			council(CollectiveCall::propose {
				threshold: 2,
				proposal: Box::new(call),
				length_bound,
			}),
		);
		signer.apply(
			Alice,
			council(CollectiveCall::vote { proposal: proposal_hash, index, approve: true }),
		);
		System::set_block_number(System::block_number() + 7 * DAYS);
		signer.apply(
			Bob,
			council(CollectiveCall::close {
				proposal_hash,
				index,
				proposal_weight_bound: Weight::from_parts(1_000_000_000, 100_000),
				length_bound,
			}),
		);
		System::assert_has_event(
			pallet_collective::Event::<Runtime, Instance1>::Disapproved { proposal_hash }.into(),
		);
	});
}

#[test]
fn a_proposal_holds_a_deposit_that_doubles_with_each_open_motion() {
	genesis_of("development").execute_with(|| {
		use frame_support::traits::fungible::InspectHold;
		let mut signer = Signer::at_block_one();
		let held = || {
			Balances::balance_on_hold(
				&provenance_runtime::RuntimeHoldReason::Council(
					pallet_collective::HoldReason::ProposalSubmission,
				),
				&Alice.to_account_id(),
			)
		};
		let propose = |remark: u8| {
			let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![remark] });
			let length_bound = call.encoded_size() as u32;
			council(CollectiveCall::propose {
				threshold: 2,
				proposal: Box::new(call),
				length_bound,
			})
		};
		signer.apply(Alice, propose(1));
		assert_eq!(held(), 10 * UNIT);
		signer.apply(Alice, propose(2));
		signer.apply(Alice, propose(3));
		assert_eq!(held(), (10 + 20 + 40) * UNIT, "each open motion doubles the next deposit");

		// A closed motion's deposit comes back to its proposer.
		let first = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		let proposal_hash = BlakeTwo256::hash_of(&first);
		for who in [Alice, Bob] {
			signer.apply(
				who,
				council(CollectiveCall::vote { proposal: proposal_hash, index: 0, approve: true }),
			);
		}
		signer.apply(
			Alice,
			council(CollectiveCall::close {
				proposal_hash,
				index: 0,
				proposal_weight_bound: first.get_dispatch_info().call_weight,
				length_bound: first.encoded_size() as u32,
			}),
		);
		signer.apply(Eve, council(CollectiveCall::release_proposal_cost { proposal_hash }));
		assert_eq!(held(), (20 + 40) * UNIT);
	});
}
