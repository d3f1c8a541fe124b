// Attestations as attesters and a lab reach them through polkadot.js: three attesters bond, a
// lab anchors a dataset and declares a training run on it, the attesters commit verdicts
// computed client-side, and an explorer reads the run, its verdicts and the attesters back
// through the runtime API; root changes the attestation parameters.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { bnToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { rpc } from './network.mjs';
import { sendAndFinalize, startNode } from './node.mjs';

const UNIT = 10n ** 12n;
const OUTPUT = new Uint8Array(32).fill(0x0f);

// commitment = blake2_256(SCALE(run: u64, attester: AccountId32, statement, salt: [u8; 32])),
// statement = { verdict: Valid (0) | Invalid (1), output_hash, report_hash }.
const commitment = (run, account, verdict, report, salt) => blake2AsU8a(u8aConcat(
  bnToU8a(run, { bitLength: 64, isLe: true }),
  account,
  [verdict === 'Valid' ? 0 : 1],
  OUTPUT,
  report,
  salt,
));

describe('attestations over JSON-RPC', () => {
  let node;
  let api;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    api = node.api;
    keyring = new Keyring({ type: 'sr25519' });
  });

  after(async () => {
    await node?.stop();
  });

  it('bonds attesters, declares a run and commits verdicts', { timeout: 240_000 }, async () => {
    const alice = keyring.addFromUri('//Alice');
    const attesters = ['//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
    const bonded = await Promise.all(attesters.map((who) =>
      sendAndFinalize(api, api.tx.attestations.bond(1_000n * UNIT), who)));
    bonded.forEach((result) => assert.equal(result.dispatchError, undefined));

    const anchored = await sendAndFinalize(api, api.tx.datasets.register(
      new Uint8Array(32).fill(9), 100, 4096, 'hf://datasets/lab/corpus', new Uint8Array(32), { Human: null }, false, null,
    ), alice);
    const datasetId = anchored.events
      .find(({ event }) => api.events.datasets.DatasetRegistered.is(event)).event.data.id;

    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const deadline = now + 200; // 20 minutes: inside the development chain's longest run
    const declared = await sendAndFinalize(api, api.tx.attestations.declareRun(
      [datasetId], [], new Uint8Array(32).fill(1), new Uint8Array(32).fill(2),
      new Uint8Array(32).fill(3), new Uint8Array(32).fill(4), OUTPUT, new Uint8Array(32).fill(5),
      30n * UNIT, deadline,
    ), alice);
    assert.equal(declared.dispatchError, undefined);
    const runEvent = declared.events.find(({ event }) => api.events.attestations.RunDeclared.is(event));
    const runId = runEvent.event.data.run.toNumber();
    assert.equal(runEvent.event.data.reward.toBigInt(), 30n * UNIT);

    const commitments = attesters.map((who, i) =>
      commitment(runId, who.publicKey, 'Valid', new Uint8Array(32).fill(i), new Uint8Array(32).fill(100 + i)));
    const committed = await Promise.all(attesters.map((who, i) =>
      sendAndFinalize(api, api.tx.attestations.commitVerdict(runId, commitments[i]), who)));
    committed.forEach((result) => assert.equal(result.dispatchError, undefined));

    const run = (await api.call.attestationsApi.run(runId)).unwrap();
    assert.equal(run.status.type, 'Open');
    assert.equal(run.commits.toNumber(), 3);
    assert.equal(run.stakeSnapshot.toBigInt(), 3_000n * UNIT);
    assert.equal(run.deadline.toNumber(), deadline);

    const verdicts = await api.call.attestationsApi.verdicts(runId);
    const byAccount = new Map(verdicts.map(([account, vote]) => [account.toString(), vote]));
    attesters.forEach((who, i) => {
      const vote = byAccount.get(who.address);
      assert.ok(vote, `${who.address} committed`);
      assert.equal(u8aToHex(vote.commitment), u8aToHex(commitments[i]));
      assert.ok(vote.revealed.isNone);
    });

    const bob = (await api.call.attestationsApi.attester(attesters[0].address)).unwrap();
    assert.equal(bob.status.type, 'Active');
    assert.equal(bob.bonded.toBigInt(), 1_000n * UNIT);

    // The same through the plain-JSON provenance_* methods.
    const asJson = await rpc(node.rpcUrl, 'provenance_run', [runId]);
    assert.equal(asJson.claimant, alice.address);
    assert.deepEqual(asJson.claim.training.datasets, [datasetId.toNumber()]);
    assert.equal(asJson.outputHash, u8aToHex(OUTPUT));
    assert.equal(asJson.reward, (30n * UNIT).toString());
    assert.equal(asJson.status, 'Open');
    assert.equal(asJson.commits, 3);
    assert.equal(asJson.committedStake, (3_000n * UNIT).toString());
    const jsonVerdicts = new Map(await rpc(node.rpcUrl, 'provenance_verdicts', [runId]));
    attesters.forEach((who, i) => assert.deepEqual(jsonVerdicts.get(who.address), {
      commitment: u8aToHex(commitments[i]), stake: (1_000n * UNIT).toString(), revealed: null, slashed: false,
    }));
    const { statusSince, ...attesterJson } = await rpc(node.rpcUrl, 'provenance_attester', [attesters[0].address]);
    assert.ok(Number.isInteger(statusSince) && statusSince <= now, 'active since its bond');
    assert.deepEqual(attesterJson, {
      status: 'Active', bonded: (1_000n * UNIT).toString(), unbonding: [], faults: 0, openChallenges: 0, missed: 0,
    });
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_slashes', [attesters[0].address, null, 10]), []);
    assert.equal(await rpc(node.rpcUrl, 'provenance_attester', [alice.address]), null);
    const model = await sendAndFinalize(api, api.tx.checkpoints.register(
      OUTPUT, [], [datasetId], [], 'hf://lab/model', new Uint8Array(32), false, null,
    ), alice);
    const checkpointId = model.events
      .find(({ event }) => api.events.checkpoints.CheckpointRegistered.is(event)).event.data.id.toNumber();
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_runsOfCheckpoint', [checkpointId, null, 10]),
      [[runId, await rpc(node.rpcUrl, 'provenance_run', [runId])]],
    );

    // The lab cannot claim the same output twice.
    const again = await sendAndFinalize(api, api.tx.attestations.declareRun(
      [datasetId], [], new Uint8Array(32), new Uint8Array(32), new Uint8Array(32), new Uint8Array(32),
      OUTPUT, new Uint8Array(32), UNIT, deadline,
    ), alice);
    assert.ok(again.dispatchError?.isModule, 'a module error');
    assert.equal(api.registry.findMetaError(again.dispatchError.asModule).name, 'OutputClaimed');
  });

  it('shows the parameters as storage, and root changes them only within their relations', { timeout: 120_000 }, async () => {
    const alice = keyring.addFromUri('//Alice');
    const parameters = (await api.query.attestations.parameters()).toJSON();
    assert.deepEqual(
      [parameters.runs.minCommitPeriod, parameters.runs.revealPeriod, parameters.runs.challengePeriod,
        parameters.runs.maxRunDuration, parameters.attesters.unbondingPeriod, parameters.runs.quorumCount],
      [5, 5, 10, 300, 320, 3],
      'the development chain settles a run in minutes',
    );
    const sudo = async (changed) => {
      const result = await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.attestations.setParameters(changed)), alice);
      const { sudoResult } = result.events.find(({ event }) => api.events.sudo.Sudid.is(event)).event.data;
      return sudoResult.isErr ? api.registry.findMetaError(sudoResult.asErr.asModule).name : 'ok';
    };
    const withRuns = (runs) => ({ ...parameters, runs: { ...parameters.runs, ...runs } });
    assert.equal(await sudo(withRuns({ quorumStake: 500_000_000 })), 'QuorumStakeTooLow');
    assert.equal(await sudo(withRuns({ maxRunDuration: 400 })), 'UnbondingTooShort');
    assert.deepEqual((await api.query.attestations.parameters()).toJSON(), parameters, 'refused changes change nothing');

    const longer = withRuns({ challengePeriod: 15 });
    const set = await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.attestations.setParameters(longer)), alice);
    const event = set.events.find(({ event }) => api.events.attestations.ParametersSet.is(event));
    assert.deepEqual(event.event.data.parameters.toJSON(), longer);
    assert.deepEqual((await api.query.attestations.parameters()).toJSON(), longer);
    // Runs declared before keep the window they were declared with.
    const [, first] = (await api.query.attestations.runs.entries())[0];
    assert.equal(first.unwrap().rules.challengePeriod.toNumber(), 10);
  });
});
