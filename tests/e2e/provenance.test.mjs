// Datasets and checkpoints as a lab and an explorer reach them through polkadot.js: anchor a
// dataset and a model trained on it, check a record against the anchored root with a proof
// built client-side, revoke the dataset, and watch the taint reach the model.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { auditPath, leafHash, mth } from './merkle.mjs';
import { sendAndFinalize, startNode } from './node.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('datasets and checkpoints over JSON-RPC', () => {
  let node;
  let api;
  let alice;

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    api = node.api;
    alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  });

  after(async () => {
    await node?.stop();
  });

  it('anchors, proves, revokes and taints', { timeout: 180_000 }, async () => {
    const rows = Array.from({ length: 7 }, (_, i) => stringToU8a(`{"id":${i},"text":"sample ${i}"}`));
    const leaves = rows.map(leafHash);
    const root = mth(leaves);

    const anchored = await sendAndFinalize(api, api.tx.datasets.register(
      root, rows.length, 4096, 'hf://datasets/lab/corpus', new Uint8Array(32).fill(1), { Human: null }, false,
    ), alice);
    assert.equal(anchored.dispatchError, undefined);
    const registered = anchored.events.find(({ event }) => api.events.datasets.DatasetRegistered.is(event));
    assert.ok(registered, 'DatasetRegistered');
    const datasetId = registered.event.data.id.toNumber();
    assert.equal(u8aToHex(registered.event.data.root), u8aToHex(root));

    const byRoot = await api.call.provenanceApi.datasetByRoot(root);
    assert.equal(byRoot.unwrap()[0].toNumber(), datasetId);
    const proof = auditPath(3, leaves);
    const verified = await api.call.provenanceApi.verifyRecord(datasetId, leaves[3], 3, proof);
    assert.ok(verified.isOk, `record 3 verifies: ${verified.toString()}`);
    const wrong = await api.call.provenanceApi.verifyRecord(datasetId, leaves[4], 3, proof);
    assert.equal(wrong.asErr.type, 'NotIncluded');

    const trained = await sendAndFinalize(api, api.tx.checkpoints.register(
      new Uint8Array(32).fill(7), [], [datasetId], [], 'hf://lab/model-7b', new Uint8Array(32).fill(2), false,
    ), alice);
    const checkpointEvent = trained.events.find(({ event }) => api.events.checkpoints.CheckpointRegistered.is(event));
    const checkpointId = checkpointEvent.event.data.id.toNumber();
    assert.equal((await api.call.provenanceApi.taint(checkpointId)).unwrap().state.type, 'Clean');
    const ancestors = await api.call.provenanceApi.ancestors({ Checkpoint: checkpointId }, 5);
    assert.deepEqual(ancestors.map((n) => n.asset.toJSON()), [{ dataset: datasetId }]);

    const revoked = await sendAndFinalize(api, api.tx.datasets.revoke(datasetId, 'ConsentWithdrawn'), alice);
    assert.ok(revoked.events.some(({ event }) => api.events.datasets.DatasetRevoked.is(event)));

    // Propagation runs in on_idle of the blocks that follow.
    let report;
    for (let i = 0; i < 30; i += 1) {
      report = (await api.call.provenanceApi.taint(checkpointId)).unwrap();
      if (report.state.isTainted) break;
      await sleep(2_000);
    }
    assert.ok(report.state.isTainted, `tainted: ${report.toString()}`);
    assert.deepEqual(report.state.asTainted.sources.map((s) => s.toNumber()), [datasetId]);
    const clean = await api.call.provenanceApi.cleanAncestor(checkpointId);
    assert.ok(clean.isNone, 'no clean checkpoint in its line');
  });
});
