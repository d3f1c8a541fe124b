//! Random sequences of every call of every provenance pallet, from a handful of accounts, with
//! roots, proxies, batches, wrong origins and boundary values, blocks advanced between them
//! (jumps of one block to whole challenge windows), and the invariants of every pallet checked
//! after each block: what an attacker with many accounts and no plan would throw at the chain.
//!
//! `RANDOM_CALLS` calls (default 100,000) from `RANDOM_SEED` (default a fixed one);
//! `scripts/fuzz-runtime` runs it longer from random seeds and prints the seed of a failure.

use crate::common::genesis_of;
use codec::Encode;
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{OnIdle, OnInitialize},
	weights::Weight,
};
use pallet_attestations::{commitment_of, signed_statement_payload, Statement, Verdict};
use pallet_datasets::{DatasetOrigin, RevocationReason};
use pallet_licenses::{Derivatives, Policy, TermsSpec};
use provenance_primitives::{
	merkle::{self, Hash, NativeSha256, SumNode},
	testing::XorShift,
	AssetRef, CompromiseReason,
};
use provenance_runtime::{
	configs::ProxyType, AccountId, AllPalletsWithSystem, Balance, Balances, BlockNumber, Runtime,
	RuntimeCall, RuntimeOrigin, System, UNIT,
};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, Perbill};
use std::collections::BTreeMap;

const KEYS: [Sr25519Keyring; 6] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
];

/// What the generator remembers to make calls that can succeed: salts of commitments,
/// revoked records, pool trees.
#[derive(Default)]
struct Model {
	/// (run, attester) -> the statement committed to.
	commitments: BTreeMap<(u64, usize), Statement>,
	/// Dataset -> how many records its revocation set holds.
	revoked: BTreeMap<u64, u64>,
	/// Pool -> its leaves: (account index, weight).
	pools: BTreeMap<u64, Vec<(usize, u128)>>,
}

fn account(i: usize) -> AccountId {
	KEYS[i].to_account_id()
}

fn revoked_leaves(count: u64) -> Vec<Hash> {
	(0..count as u32).map(|i| merkle::leaf_hash::<NativeSha256>(&i.to_le_bytes())).collect()
}

/// The contributor tree every dataset may name: account `i` gave one record, the `i`-th of
/// [`revoked_leaves`], so that a revocation set of more than `i` records answers its withdrawal.
fn contributor_leaves() -> Vec<Hash> {
	(0..KEYS.len())
		.map(|i| {
			let record = revoked_leaves(i as u64 + 1)[i];
			merkle::contributor_leaf::<NativeSha256, _>(&account(i), &record, 1)
		})
		.collect()
}

/// A random consent call: name the contributors, withdraw `who`'s record, answer a withdrawal
/// (with set proofs that hold when the set holds the record), clear one.
fn consent_call(rng: &mut XorShift, model: &Model, who: usize) -> RuntimeCall {
	use pallet_datasets::Call as D;
	let id = rng.below(next_dataset() + 1);
	let tree = contributor_leaves();
	let withdrawal = rng.below(pallet_datasets::NextWithdrawalId::<Runtime>::get() + 1);
	match rng.below(4) {
		0 => RuntimeCall::Datasets(D::set_contributor_root {
			id,
			root: merkle::root::<NativeSha256>(&tree),
			leaves: rng.pick(&[tree.len() as u64, 0, 1]),
		}),
		1 => {
			let record = revoked_leaves(who as u64 + 1)[who];
			let path =
				merkle::inclusion_proof::<NativeSha256>(&tree, who as u64).unwrap_or_default();
			RuntimeCall::Datasets(D::withdraw_consent {
				id,
				contributor: pallet_datasets::ContributorProof {
					records_root: record,
					records_count: 1,
					index: who as u64,
					path,
				},
				records: vec![pallet_datasets::RecordProof {
					leaf: record,
					index: 0,
					path: vec![],
				}],
				reason: pallet_datasets::ConsentReason::Other,
			})
		},
		2 => {
			let filed = pallet_datasets::Withdrawals::<Runtime>::get(withdrawal);
			let proofs = filed
				.map(|w| {
					let index = KEYS
						.iter()
						.position(|k| k.to_account_id() == w.contributor)
						.unwrap_or_default() as u64;
					let set = revoked_leaves(model.revoked.get(&w.dataset).copied().unwrap_or(0));
					let path =
						merkle::inclusion_proof::<NativeSha256>(&set, index).unwrap_or_default();
					vec![pallet_datasets::SetMembership { index, path }]
				})
				.unwrap_or_default();
			RuntimeCall::Datasets(D::answer_withdrawal { withdrawal, proofs })
		},
		_ => RuntimeCall::Datasets(D::clear_withdrawal { withdrawal }),
	}
}

/// The code or environment hash a random run declared (or any hash, when it has none).
fn pipeline(rng: &mut XorShift) -> Hash {
	let run = pallet_attestations::Runs::<Runtime>::get(rng.below(next_run() + 1));
	match run.map(|run| run.claim) {
		Some(pallet_attestations::Claim::Training(claim)) => {
			if rng.chance(2) {
				claim.code_hash
			} else {
				claim.environment_hash
			}
		},
		_ => hash(rng),
	}
}

fn pool_leaves(leaves: &[(usize, u128)]) -> Vec<SumNode> {
	leaves
		.iter()
		.map(|(who, weight)| {
			merkle::sum_leaf::<NativeSha256>(&(account(*who), *weight).encode(), *weight)
		})
		.collect()
}

fn hash(rng: &mut XorShift) -> Hash {
	[rng.below(8) as u8; 32]
}

fn asset(rng: &mut XorShift) -> AssetRef {
	let id = rng.below(next_dataset().max(next_checkpoint()) + 2);
	if rng.chance(2) {
		AssetRef::Dataset(id)
	} else {
		AssetRef::Checkpoint(id)
	}
}

fn next_dataset() -> u64 {
	pallet_datasets::NextDatasetId::<Runtime>::get()
}

fn next_checkpoint() -> u64 {
	pallet_checkpoints::NextCheckpointId::<Runtime>::get()
}

fn next_run() -> u64 {
	pallet_attestations::NextRunId::<Runtime>::get()
}

fn ids(rng: &mut XorShift, next: u64, most: u64) -> Vec<u64> {
	(0..rng.below(most + 1)).map(|_| rng.below(next + 1)).collect()
}

fn amount(rng: &mut XorShift) -> Balance {
	match rng.below(5) {
		0 => 0,
		1 => rng.below(1_000) as Balance,
		2 => UNIT * rng.below(100) as Balance,
		3 => 1_000 * UNIT + UNIT * rng.below(3_000) as Balance,
		_ => Balance::MAX,
	}
}

/// A deadline at or around the bounds the parameters in force set.
fn deadline(rng: &mut XorShift) -> BlockNumber {
	let rules = pallet_attestations::Parameters::<Runtime>::get().runs;
	let shortest = rules.min_commit_period + rules.reveal_period;
	System::block_number()
		+ rng.pick(&[
			0,
			shortest - 1,
			shortest,
			shortest + 10,
			rules.max_run_duration,
			rules.max_run_duration + 1,
		])
}

/// The attestation parameters in force with one of them changed, to a value that may break
/// a relation.
fn parameters(rng: &mut XorShift) -> pallet_attestations::ParametersOf<Runtime> {
	let mut parameters = pallet_attestations::Parameters::<Runtime>::get();
	let runs = &mut parameters.runs;
	match rng.below(7) {
		0 => runs.challenge_period = rng.pick(&[0, 5, 10, 100, 100_800]),
		1 => runs.quorum_count = rng.below(5) as u32,
		2 => runs.quorum_stake = Perbill::from_percent(40 + rng.below(61) as u32),
		3 => runs.max_run_duration = rng.pick(&[10, 300, 201_600]),
		4 => runs.slash_fraction = Perbill::from_percent(rng.below(101) as u32),
		5 => runs.challenge_bond = amount(rng),
		_ => parameters.attesters.unbonding_period = rng.pick(&[100, 320, 1_000, 403_200]),
	}
	parameters
}

/// A random call of a provenance pallet (or of the organisation tools around them) that
/// account `who` could make, using what `model` remembers.
fn provenance_call(rng: &mut XorShift, model: &mut Model, who: usize) -> RuntimeCall {
	use pallet_attestations::Call as A;
	use pallet_checkpoints::Call as C;
	use pallet_datasets::Call as D;
	use pallet_evaluations::Call as E;
	use pallet_licenses::Call as L;
	use pallet_royalties::Call as R;
	let uri = if rng.chance(20) { b"ftp://x".to_vec() } else { b"hf://lab/x".to_vec() };
	let max_stack_bps = rng.pick(&[None, Some(0), Some(100), Some(u16::MAX)]);
	// State stays small enough to check every block: past a few hundred records, the calls
	// that add them give way to those that change them.
	let full = next_dataset() > 300 || next_checkpoint() > 300 || next_run() > 300;
	match if full { 3 + rng.below(27) } else { rng.below(30) } {
		0..=2 => {
			let data_origin = match rng.below(3) {
				0 => DatasetOrigin::Human,
				1 => DatasetOrigin::Synthetic {
					generator: rng.below(next_checkpoint() + 1),
					params_hash: hash(rng),
					policy_hash: hash(rng),
				},
				_ => DatasetOrigin::Derived {
					parents: ids(rng, next_dataset(), 3),
					transform_hash: hash(rng),
				},
			};
			let (root, record_count) = (hash(rng), rng.pick(&[0, 1, 10, 1_000, u64::MAX]));
			let commercial = rng.chance(2);
			if rng.chance(3) {
				RuntimeCall::Datasets(D::register_version {
					previous: rng.below(next_dataset() + 1),
					root,
					record_count,
					byte_size: 1,
					uri,
					metadata_hash: hash(rng),
					data_origin,
					commercial,
					max_stack_bps,
				})
			} else {
				RuntimeCall::Datasets(D::register {
					root,
					record_count,
					byte_size: 1,
					uri,
					metadata_hash: hash(rng),
					data_origin,
					commercial,
					max_stack_bps,
				})
			}
		},
		3 => {
			let id = rng.below(next_dataset() + 1);
			let last = model.revoked.get(&id).copied().unwrap_or(0);
			let count = if rng.chance(5) { last } else { last + 1 + rng.below(4) };
			let leaves = revoked_leaves(count);
			let proof = match (last, rng.chance(10)) {
				(0, _) => vec![],
				(_, true) => vec![[1; 32]],
				(_, false) => {
					merkle::consistency_proof::<NativeSha256>(&leaves, last).unwrap_or_default()
				},
			};
			model.revoked.insert(id, count);
			RuntimeCall::Datasets(D::publish_revocation_set {
				id,
				root: merkle::root::<NativeSha256>(&leaves),
				count,
				proof,
			})
		},
		4 => RuntimeCall::Datasets(D::revoke {
			id: rng.below(next_dataset() + 1),
			reason: RevocationReason::ConsentWithdrawn,
		}),
		5 if rng.chance(2) => RuntimeCall::Datasets(D::transfer_ownership {
			id: rng.below(next_dataset() + 1),
			new_owner: account(rng.below(6) as usize).into(),
		}),
		5 => consent_call(rng, model, who),
		6..=7 if !full => {
			let parents = ids(rng, next_checkpoint(), 2)
				.into_iter()
				.map(|checkpoint| pallet_checkpoints::ParentEdge {
					checkpoint,
					relation: rng.pick(&[
						pallet_checkpoints::Relation::FineTune,
						pallet_checkpoints::Relation::Merge,
						pallet_checkpoints::Relation::Unlearning,
					]),
				})
				.collect();
			RuntimeCall::Checkpoints(C::register {
				weights_hash: hash(rng),
				parents,
				datasets: ids(rng, next_dataset(), 3),
				excludes: (0..rng.below(2)).map(|_| asset(rng)).collect(),
				uri,
				metadata_hash: hash(rng),
				commercial: rng.chance(2),
				max_stack_bps,
			})
		},
		8 if rng.chance(4) => RuntimeCall::Checkpoints(C::flag_compromised {
			id: rng.below(next_checkpoint() + 1),
			reason: rng.pick(&[CompromiseReason::Backdoored, CompromiseReason::Poisoned]),
			evidence: hash(rng),
		}),
		8 => RuntimeCall::Checkpoints(C::transfer_ownership {
			id: rng.below(next_checkpoint() + 1),
			new_owner: account(rng.below(6) as usize).into(),
		}),
		9 => RuntimeCall::Attestations(match rng.below(6) {
			0 => A::bond { amount: amount(rng) },
			1 => A::bond_extra { amount: amount(rng) },
			2 => A::unbond { amount: amount(rng) },
			3 => A::withdraw_unbonded {},
			4 => A::chill {},
			_ => A::activate {},
		}),
		6..=7 | 10..=11 if full => {
			RuntimeCall::Attestations(A::settle_run { run: rng.below(next_run() + 1) })
		},
		10..=11 => RuntimeCall::Attestations(A::declare_run {
			datasets: ids(rng, next_dataset(), 2),
			base_checkpoints: ids(rng, next_checkpoint(), 1),
			config_hash: hash(rng),
			code_hash: hash(rng),
			environment_hash: hash(rng),
			statement_digest: hash(rng),
			weights_hash: hash(rng),
			training_log_root: hash(rng),
			reward: amount(rng),
			deadline: deadline(rng),
		}),
		12..=13 => {
			let run = rng.below(next_run() + 1);
			let output = pallet_attestations::Runs::<Runtime>::get(run)
				.map_or([0; 32], |record| record.output_hash);
			let statement = Statement {
				verdict: if rng.chance(3) { Verdict::Invalid } else { Verdict::Valid },
				output_hash: if rng.chance(10) { hash(rng) } else { output },
				report_hash: hash(rng),
			};
			model.commitments.insert((run, who), statement);
			let salt = [who as u8; 32];
			RuntimeCall::Attestations(A::commit_verdict {
				run,
				commitment: commitment_of(run, &account(who), &statement, &salt),
			})
		},
		14..=15 => {
			let run = rng.below(next_run() + 1);
			let statement = model.commitments.get(&(run, who)).copied().unwrap_or(Statement {
				verdict: Verdict::Valid,
				output_hash: [0; 32],
				report_hash: [0; 32],
			});
			RuntimeCall::Attestations(A::reveal_verdict { run, statement, salt: [who as u8; 32] })
		},
		16 => {
			let run = rng.below(next_run() + 1);
			let attester = rng.below(6) as usize;
			if rng.chance(2) {
				RuntimeCall::Attestations(A::challenge { run, attester: account(attester) })
			} else {
				// Evidence signed with the attester's real key, of a statement other than the
				// one it committed.
				let mut statement =
					model.commitments.get(&(run, attester)).copied().unwrap_or(Statement {
						verdict: Verdict::Valid,
						output_hash: [0; 32],
						report_hash: [0; 32],
					});
				statement.report_hash = hash(rng);
				let payload = signed_statement_payload(&System::block_hash(0), run, &statement);
				let signature = KEYS[attester].pair().sign(&payload).into();
				RuntimeCall::Attestations(A::report_equivocation {
					run,
					attester: account(attester),
					evidence: pallet_attestations::SignedStatement { statement, signature },
				})
			}
		},
		17 => RuntimeCall::Attestations(A::settle_run { run: rng.below(next_run() + 1) }),
		18 => RuntimeCall::Licenses(L::create_terms {
			spec: TermsSpec {
				commercial_use: rng.chance(2),
				derivatives: rng.pick(&[
					Derivatives::Allowed,
					Derivatives::ShareAlike,
					Derivatives::NotAllowed,
				]),
				attribution: true,
				fee: amount(rng) % (1_000 * UNIT),
				upstream_royalty_bps: rng.pick(&[0, 1, 500, 5_000, 10_000, 10_001]),
				duration: rng.pick(&[None, Some(0), Some(100)]),
				terms_hash: hash(rng),
			},
			uri: b"https://terms".to_vec(),
		}),
		19 => RuntimeCall::Licenses(L::set_license {
			asset: asset(rng),
			terms: rng.below(10) as u32,
			policy: if rng.chance(2) { Policy::Open } else { Policy::Licensed },
		}),
		20 => {
			let asset = asset(rng);
			let terms = pallet_licenses::AssetLicenses::<Runtime>::get(asset)
				.map_or(0, |license| license.terms);
			RuntimeCall::Licenses(L::acquire_license {
				asset,
				terms,
				max_fee: rng.pick(&[0, 10 * UNIT, Balance::MAX]),
			})
		},
		21 => RuntimeCall::Licenses(L::relinquish { asset: asset(rng) }),
		22 => {
			let entries: Vec<(AccountId, Perbill)> = (0..rng.below(3))
				.map(|_| {
					(account(rng.below(6) as usize), Perbill::from_percent(rng.below(101) as u32))
				})
				.collect();
			let pool = rng.chance(2).then(|| {
				let leaves: Vec<(usize, u128)> = (0..1 + rng.below(4))
					.map(|_| (rng.below(6) as usize, 1 + rng.below(10) as u128))
					.collect();
				let root =
					merkle::sum_root::<NativeSha256>(&pool_leaves(&leaves)).unwrap_or_default();
				model.pools.insert(pallet_royalties::NextPoolId::<Runtime>::get(), leaves.clone());
				let taken: u32 = entries.iter().map(|(_, s)| s.deconstruct()).sum();
				pallet_royalties::PoolSpec {
					root: root.hash,
					leaves: leaves.len() as u64,
					total_weight: if rng.chance(10) { root.sum / 2 } else { root.sum },
					share: Perbill::from_parts(1_000_000_000u32.saturating_sub(taken)),
				}
			});
			RuntimeCall::Royalties(R::set_split { asset: asset(rng), entries, pool })
		},
		23..=24 => {
			RuntimeCall::Royalties(R::pay { asset: asset(rng), amount: amount(rng) % (100 * UNIT) })
		},
		25 => RuntimeCall::Royalties(R::claim { asset: asset(rng) }),
		26 => {
			let pool = rng.below(pallet_royalties::NextPoolId::<Runtime>::get() + 1);
			let leaves = model.pools.get(&pool).cloned().unwrap_or_default();
			let index = rng.below(leaves.len() as u64 + 1);
			match rng.below(4) {
				0 => return RuntimeCall::Royalties(R::close_pool { pool }),
				1 => return RuntimeCall::Royalties(R::clear_leaf_claim { pool, index }),
				_ => {},
			}
			let nodes = pool_leaves(&leaves);
			let proof =
				merkle::sum_inclusion_proof::<NativeSha256>(&nodes, index).unwrap_or_default();
			let weight = leaves.get(index as usize).map_or(1, |(_, weight)| *weight);
			RuntimeCall::Royalties(R::claim_from_pool { pool, weight, index, proof })
		},
		27 => RuntimeCall::Evaluations(E::declare_evaluation {
			checkpoint: rng.below(next_checkpoint() + 1),
			dataset: rng.below(next_dataset() + 1),
			harness_hash: hash(rng),
			environment_hash: hash(rng),
			metric: rng.pick(&[b"accuracy".to_vec(), vec![], vec![b'x'; 65]]),
			score: rng.pick(&[0, 912_000, u64::MAX]),
			reward: amount(rng),
			deadline: deadline(rng),
		}),
		28 => RuntimeCall::Evaluations(E::deploy {
			checkpoint: rng.below(next_checkpoint() + 1),
			endpoint: hash(rng),
		}),
		_ => RuntimeCall::Evaluations(E::end_deployment {
			deployment: rng.below(pallet_evaluations::NextDeploymentId::<Runtime>::get() + 1),
		}),
	}
}

/// A random call with its origin: mostly a provenance call by a signed account, sometimes
/// root, a root-only call from a signed account, a proxy, a batch.
fn random_call(rng: &mut XorShift, model: &mut Model) -> (RuntimeOrigin, RuntimeCall) {
	let who = rng.below(6) as usize;
	let signed = RuntimeOrigin::signed(account(who));
	match rng.below(40) {
		0 => {
			let attester = account(rng.below(6) as usize);
			let run = rng.below(next_run() + 1);
			let call = RuntimeCall::Attestations(pallet_attestations::Call::resolve_challenge {
				run,
				attester,
				upheld: rng.chance(2),
			});
			// Root rules; a signed account may not.
			(if rng.chance(2) { RuntimeOrigin::root() } else { signed }, call)
		},
		1 => {
			let checkpoint = rng.below(next_checkpoint() + 1);
			let call = match rng.below(6) {
				0 => RuntimeCall::Datasets(pallet_datasets::Call::force_revoke {
					id: rng.below(next_dataset() + 1),
					reason: RevocationReason::LegalTakedown,
				}),
				1 => RuntimeCall::Checkpoints(pallet_checkpoints::Call::force_flag_compromised {
					id: checkpoint,
					reason: CompromiseReason::WeightsTampered,
					evidence: hash(rng),
				}),
				2 => RuntimeCall::Checkpoints(pallet_checkpoints::Call::force_unflag_compromised {
					id: checkpoint,
				}),
				3 => RuntimeCall::Checkpoints(
					pallet_checkpoints::Call::force_declare_compromised_pipeline {
						pipeline: pipeline(rng),
						evidence: hash(rng),
					},
				),
				4 => RuntimeCall::Checkpoints(pallet_checkpoints::Call::rule_pipeline_report {
					pipeline: pipeline(rng),
					upheld: rng.chance(2),
				}),
				_ => RuntimeCall::Checkpoints(
					pallet_checkpoints::Call::report_compromised_pipeline {
						pipeline: pipeline(rng),
						evidence: hash(rng),
					},
				),
			};
			(if rng.chance(2) { RuntimeOrigin::root() } else { signed }, call)
		},
		2 => {
			let call = provenance_call(rng, model, who);
			// A signed call from root fails at `ensure_signed`.
			(RuntimeOrigin::root(), call)
		},
		3 => {
			let proxy_type = rng.pick(&[
				ProxyType::Any,
				ProxyType::NonTransfer,
				ProxyType::Attester,
				ProxyType::Registrar,
			]);
			let delegate = account(rng.below(6) as usize).into();
			(
				signed,
				RuntimeCall::Proxy(pallet_proxy::Call::add_proxy {
					delegate,
					proxy_type,
					delay: 0,
				}),
			)
		},
		4..=5 => {
			let real = rng.below(6) as usize;
			let call = provenance_call(rng, model, real);
			let proxied = RuntimeCall::Proxy(pallet_proxy::Call::proxy {
				real: account(real).into(),
				force_proxy_type: None,
				call: Box::new(call),
			});
			(signed, proxied)
		},
		6..=7 => {
			let calls = (0..1 + rng.below(3)).map(|_| provenance_call(rng, model, who)).collect();
			let batch = if rng.chance(2) {
				pallet_utility::Call::batch { calls }
			} else {
				pallet_utility::Call::batch_all { calls }
			};
			(signed, RuntimeCall::Utility(batch))
		},
		8 => {
			let parameters = parameters(rng);
			let call =
				RuntimeCall::Attestations(pallet_attestations::Call::set_parameters { parameters });
			(if rng.chance(2) { RuntimeOrigin::root() } else { signed }, call)
		},
		_ => (signed, provenance_call(rng, model, who)),
	}
}

/// Moves on by `blocks` (one block, or a jump over a phase of a run): the block's idle hooks
/// (taint propagation) run, then the next block's initialisation. Returns what was burnt as
/// dust meanwhile, and clears the block's events.
fn advance(blocks: BlockNumber) -> Balance {
	let now = System::block_number();
	<AllPalletsWithSystem as OnIdle<BlockNumber>>::on_idle(
		now,
		Weight::from_parts(2_000_000_000_000, u64::MAX),
	);
	System::set_block_number(now + blocks);
	<AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(now + blocks);
	let dust = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			provenance_runtime::RuntimeEvent::Balances(pallet_balances::Event::DustLost {
				amount,
				..
			}) => Some(amount),
			_ => None,
		})
		.sum();
	System::reset_events();
	dust
}

/// Every provenance pallet's invariants, and the issuance: no call mints or burns but dust
/// (fees are not charged in this test, slashes go to the treasury, rewards were held).
fn check_invariants(issuance: Balance, seed: u64, calls: usize) {
	let context = |what: &str, e: sp_runtime::TryRuntimeError| {
		panic!("seed {seed}, after {calls} calls: {what}: {e:?}")
	};
	pallet_datasets::Pallet::<Runtime>::do_try_state().unwrap_or_else(|e| context("datasets", e));
	pallet_checkpoints::Pallet::<Runtime>::do_try_state()
		.unwrap_or_else(|e| context("checkpoints", e));
	pallet_attestations::Pallet::<Runtime>::do_try_state()
		.unwrap_or_else(|e| context("attestations", e));
	pallet_licenses::Pallet::<Runtime>::do_try_state().unwrap_or_else(|e| context("licenses", e));
	pallet_royalties::Pallet::<Runtime>::do_try_state().unwrap_or_else(|e| context("royalties", e));
	pallet_evaluations::Pallet::<Runtime>::do_try_state()
		.unwrap_or_else(|e| context("evaluations", e));
	pallet_validator_set::Pallet::<Runtime>::do_try_state()
		.unwrap_or_else(|e| context("validator set", e));
	assert_eq!(Balances::total_issuance(), issuance, "seed {seed}, after {calls} calls: issuance");
}

fn env_or(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn random_calls_keep_every_invariant() {
	let seed = env_or("RANDOM_SEED", 0x5EED_0F_C4A1);
	let total = env_or("RANDOM_CALLS", 100_000) as usize;
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let mut issuance = Balances::total_issuance();
		let mut rng = XorShift(seed | 1);
		let mut model = Model::default();
		let (mut succeeded, mut calls) = (0usize, 0usize);
		while calls < total {
			for _ in 0..1 + rng.below(100) {
				let (origin, call) = random_call(&mut rng, &mut model);
				// Every call has a weight: a call whose weight cannot be computed would be one
				// no block could include.
				let _ = call.get_dispatch_info();
				if call.dispatch(origin).is_ok() {
					succeeded += 1;
				}
				calls += 1;
			}
			issuance -= advance(rng.pick(&[1, 1, 1, 10, 600, 3_700, 101_000]));
			check_invariants(issuance, seed, calls);
		}
		println!("seed {seed}: {calls} calls, {succeeded} dispatched without error");
		assert!(succeeded > calls / 20, "too few calls succeed to exercise anything: {succeeded}");
		assert!(next_run() > 0 && next_checkpoint() > 0 && next_dataset() > 0);
	});
}
