// Evaluations and deployments as a lab, an operator and an explorer reach them: a score
// claimed on a benchmark the model's training data was derived from is flagged
// contaminated in the event and in every answer (polkadot.js and provenance_*); an endpoint's
// deployment history answers what served there at a given block, and refuses a second
// operator while the first one's deployment is live.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { rpc } from './network.mjs';
import { sendAndFinalize, startNode } from './node.mjs';

const UNIT = 10n ** 12n;
const eventOf = (result, section, method) =>
  result.events.find(({ event }) => event.section === section && event.method === method)?.event;

describe('evaluations and deployments over JSON-RPC', () => {
  let node;
  let api;

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    api = node.api;
  });

  after(async () => {
    await node?.stop();
  });

  it('flags a contaminated score and keeps an endpoint history', { timeout: 300_000 }, async () => {
    const keyring = new Keyring({ type: 'sr25519' });
    const [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
    const bonded = sendAndFinalize(api, api.tx.attestations.bond(1_000n * UNIT), bob);

    const register = async (seed, origin) => {
      const result = await sendAndFinalize(api, api.tx.datasets.register(
        new Uint8Array(32).fill(seed), 1000, 4096, 'hf://datasets/lab/data', new Uint8Array(32), origin, false, null,
      ), alice);
      return eventOf(result, 'datasets', 'DatasetRegistered').data.id.toNumber();
    };
    const benchmark = await register(0x61, { Human: null });
    const derived = await register(0x62, { Derived: { parents: [benchmark], transformHash: new Uint8Array(32) } });
    const trained = await sendAndFinalize(api, api.tx.checkpoints.register(
      new Uint8Array(32).fill(0x63), [], [derived], [], 'hf://lab/model', new Uint8Array(32), false, null,
    ), alice);
    const model = eventOf(trained, 'checkpoints', 'CheckpointRegistered').data.id.toNumber();
    assert.equal((await bonded).dispatchError, undefined);

    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const declared = await sendAndFinalize(api, api.tx.evaluations.declareEvaluation(
      model, benchmark, new Uint8Array(32).fill(1), new Uint8Array(32).fill(2), 'accuracy', 912_000,
      10n * UNIT, now + 200,
    ), alice);
    assert.equal(declared.dispatchError, undefined);
    const event = eventOf(declared, 'evaluations', 'EvaluationDeclared');
    assert.deepEqual(event.data.contamination.toJSON(), { contaminated: { found: benchmark } });
    const id = event.data.evaluation.toNumber();

    const viaApi = (await api.call.evaluationsApi.evaluation(id)).unwrap();
    assert.equal(viaApi.status.type, 'Pending');
    const viaRpc = await rpc(node.rpcUrl, 'provenance_evaluation', [id]);
    assert.deepEqual(viaRpc.contamination, { contaminated: { found: benchmark } });
    assert.equal(viaRpc.score, 912_000);
    assert.equal(viaRpc.metric, u8aToHex(new TextEncoder().encode('accuracy')));
    assert.equal(viaRpc.status, 'Pending');
    assert.equal(viaRpc.declarer, alice.address);
    assert.equal((await rpc(node.rpcUrl, 'provenance_run', [viaRpc.run])).claim.evaluation, id);
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_evaluationsOfCheckpoint', [model, null, 10]), [[id, viaRpc]]);
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_evaluationsOnDataset', [benchmark, null, 10]), [[id, viaRpc]]);
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_leaderboard', [benchmark, 'accuracy']), [], 'not attested yet');

    // Charlie serves the model at an endpoint; Dave may not while it is live.
    const endpoint = new Uint8Array(32).fill(0xE1);
    const deployed = await sendAndFinalize(api, api.tx.evaluations.deploy(model, endpoint), charlie);
    const deployment = eventOf(deployed, 'evaluations', 'Deployed').data;
    const from = deployment.from.toNumber();
    // Another operator's claim at the endpoint is its own history, and blocks no one.
    const claimed = await sendAndFinalize(api, api.tx.evaluations.deploy(model, endpoint), dave);
    assert.equal(claimed.dispatchError, undefined);
    const ended = await sendAndFinalize(api, api.tx.evaluations.endDeployment(deployment.deployment), charlie);
    const until = eventOf(ended, 'evaluations', 'DeploymentEnded').data.until.toNumber();

    const [servedId, served] = await rpc(node.rpcUrl, 'provenance_servedAt', [u8aToHex(endpoint), charlie.address, from]);
    assert.equal(servedId, deployment.deployment.toNumber());
    const deposit = (await api.call.evaluationsApi.deployment(servedId)).unwrap().deployment.deposit.toString();
    assert.deepEqual(served, {
      deployment: {
        operator: charlie.address, checkpoint: model, endpoint: u8aToHex(endpoint), from, until,
        deposit,
      },
      tainted: false,
      kinds: [],
    });
    assert.equal(await rpc(node.rpcUrl, 'provenance_servedAt', [u8aToHex(endpoint), charlie.address, until]), null, 'ended');
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_deploymentsAt', [u8aToHex(endpoint), charlie.address, 0, 10]), [[servedId, served]]);
    const ofModel = await rpc(node.rpcUrl, 'provenance_deploymentsOfCheckpoint', [model, null, 10]);
    assert.deepEqual(ofModel.map(([id]) => id).sort(), [servedId, eventOf(claimed, 'evaluations', 'Deployed').data.deployment.toNumber()].sort());
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_deployment', [servedId]), served);
    const viaApiServed = (await api.call.evaluationsApi.servedAt(endpoint, charlie.address, from)).unwrap();
    assert.equal(viaApiServed[1].deployment.operator.toString(), charlie.address);
  });
});
