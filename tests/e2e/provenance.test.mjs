// Datasets and checkpoints as a lab and an explorer reach them through polkadot.js and the
// plain-JSON provenance_* methods: anchor a dataset and a model trained on it, check a record
// against the anchored root with a proof built client-side, revoke the dataset, and watch the
// taint reach the model (and not the past: answers at an older block stay what they were).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { auditPath, leafHash, mth } from './merkle.mjs';
import { rpc, rpcResponse } from './network.mjs';
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
      root, rows.length, 4096, 'hf://datasets/lab/corpus', new Uint8Array(32).fill(1), { Human: null }, false, null,
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

    // The same over provenance_*: plain JSON, hex bytes, SS58 accounts, balances as strings.
    const hex = (bytes) => u8aToHex(bytes);
    const dataset = await rpc(node.rpcUrl, 'provenance_dataset', [datasetId]);
    assert.equal(dataset.owner, alice.address);
    assert.equal(dataset.root, hex(root));
    assert.equal(dataset.recordCount, 7);
    assert.equal(dataset.uri, hex(stringToU8a('hf://datasets/lab/corpus')));
    assert.equal(dataset.origin, 'Human');
    assert.equal(dataset.commercial, false);
    assert.equal(dataset.previousVersion, null);
    assert.equal(dataset.deposit, (await api.call.provenanceApi.dataset(datasetId)).unwrap().deposit.toString());
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_datasetByRoot', [hex(root)]), [datasetId, dataset]);
    assert.equal(await rpc(node.rpcUrl, 'provenance_dataset', [datasetId + 1000]), null);
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_verifyRecord', [datasetId, hex(leaves[3]), 3, proof.map(hex)]),
      { ok: null },
    );
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_verifyRecord', [datasetId, hex(leaves[4]), 3, proof.map(hex)]),
      { err: 'NotIncluded' },
    );
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_verifyRecord', [datasetId, hex(leaves[3]), 3, proof.map(hex), true]),
      { err: 'NoRevocationSet' },
    );

    const trained = await sendAndFinalize(api, api.tx.checkpoints.register(
      new Uint8Array(32).fill(7), [], [datasetId], [], 'hf://lab/model-7b', new Uint8Array(32).fill(2), false, null,
    ), alice);
    const checkpointEvent = trained.events.find(({ event }) => api.events.checkpoints.CheckpointRegistered.is(event));
    const checkpointId = checkpointEvent.event.data.id.toNumber();
    assert.equal((await api.call.provenanceApi.taint(checkpointId)).unwrap().state.type, 'Clean');
    const ancestors = await api.call.provenanceApi.ancestors({ Checkpoint: checkpointId }, 5);
    assert.deepEqual(ancestors.map((n) => n.asset.toJSON()), [{ dataset: datasetId }]);

    const weights = hex(new Uint8Array(32).fill(7));
    const [byWeights, checkpoint] = await rpc(node.rpcUrl, 'provenance_checkpointByWeights', [weights]);
    assert.equal(byWeights, checkpointId);
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_checkpoint', [checkpointId]), checkpoint);
    assert.equal(checkpoint.weightsHash, weights);
    assert.deepEqual(checkpoint.datasets, [datasetId]);
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_ancestors', [{ checkpoint: checkpointId }, 5]),
      [{ asset: { dataset: datasetId }, depth: 1 }],
    );
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_descendants', [{ dataset: datasetId }, 0, 10]),
      { items: [{ asset: { checkpoint: checkpointId }, depth: 1 }], next: null },
    );
    const tooLong = await rpcResponse(node.rpcUrl, 'provenance_descendants', [{ dataset: datasetId }, 0, 1001]);
    assert.equal(tooLong.error?.code, 9002, 'a page longer than 1000 is refused');
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_taint', [checkpointId]),
      { state: 'Clean', compromised: null, propagationPending: false },
    );
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_syntheticShare', [checkpointId]), {
      totalRecords: '7', syntheticRecords: '0', partsPerMillion: 0, selfConsuming: false, complete: true,
    });
    const beforeRevocation = trained.finalizedHash;

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
    assert.deepEqual(report.state.asTainted.sources.map((s) => [s.origin.asDataset.toNumber(), s.kind.type]),
      [[datasetId, 'ConsentWithdrawn']]);
    const clean = await api.call.provenanceApi.cleanAncestor(checkpointId);
    assert.ok(clean.isNone, 'no clean checkpoint in its line');

    assert.deepEqual(
      (await rpc(node.rpcUrl, 'provenance_taint', [checkpointId])).state,
      { tainted: { sources: [{ origin: { dataset: datasetId }, kind: 'ConsentWithdrawn' }], kinds: ['ConsentWithdrawn'], truncated: false } },
    );
    assert.equal(await rpc(node.rpcUrl, 'provenance_cleanAncestor', [checkpointId]), null);
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_taint', [checkpointId, beforeRevocation]),
      { state: 'Clean', compromised: null, propagationPending: false },
      'asked at a block before the revocation, the answer is what it was then',
    );
  });
});
