// A contributor withdraws consent without the dataset's owner. The lab names its contributors
// with `prov consent contributors` (which writes each contributor's proof bundle); Bob files his
// withdrawal through polkadot.js with his bundle; it is public at once (`provenance_withdrawalsOf`).
// The lab lets the deadline pass: the dataset is in breach, the model trained on it turns
// tainted `ConsentWithdrawn`, and the operator serving the model is warned with that kind.
// The lab then revokes Bob's records and answers with `prov consent answer`: the breach ends.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { leafHash, mth } from './merkle.mjs';
import { rpc, waitFor } from './network.mjs';
import { eventsOf, provAgainst, sendAndFinalize, startNode } from './node.mjs';

describe('consent held by contributors', () => {
  let node;
  let api;
  let alice;
  let bob;
  let charlie;
  const work = mkdtempSync(join(tmpdir(), 'provenance-consent-'));

  /** Runs prov with `args` against the node, failing unless it exits 0; its JSON answer. */
  let prov;

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    prov = provAgainst(node);
    api = node.api;
    const keyring = new Keyring({ type: 'sr25519' });
    [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    await node?.stop();
  });

  it('a withdrawal left unanswered taints the model and warns its deployment; the answer ends the breach', { timeout: 400_000 }, async () => {
    // Six records: Bob gave the first three, Dave the others.
    const leaves = [0, 1, 2, 3, 4, 5].map((i) => leafHash(new TextEncoder().encode(`{"text":"essay ${i}"}`)));
    // The dataset and the model trained on it, in one batch.
    const dataset = (await api.query.datasets.nextDatasetId()).toNumber();
    const registered = await sendAndFinalize(api, api.tx.utility.batchAll([
      api.tx.datasets.register(mth(leaves), leaves.length, 6_000, 'hf://lab/essays', new Uint8Array(32), 'Human', false, null),
      api.tx.checkpoints.register(new Uint8Array(32).fill(0x91), [], [dataset], [], 'hf://lab/essay-model', new Uint8Array(32), false, null),
    ]), alice);
    assert.equal(eventsOf(registered, 'datasets', 'DatasetRegistered')[0].id.toNumber(), dataset);
    const model = eventsOf(registered, 'checkpoints', 'CheckpointRegistered')[0].id.toNumber();
    const dave = new Keyring({ type: 'sr25519' }).addFromUri('//Dave');
    const contributorsFile = join(work, 'contributors.json');
    writeFileSync(contributorsFile, JSON.stringify([
      { account: bob.address, records: leaves.slice(0, 3).map((l) => u8aToHex(l)) },
      { account: dave.address, records: leaves.slice(3).map((l) => u8aToHex(l)) },
    ]));
    const bundles = join(work, 'bundles');
    const named = prov('consent', 'contributors', String(dataset), '--contributors', contributorsFile,
      '--out-dir', bundles, '--signer', 'alice');
    assert.equal(named.leaves, 2);

    // Charlie deploys the model while Bob withdraws consent for two of his records through
    // polkadot.js, with his bundle.
    const bundle = JSON.parse(readFileSync(join(bundles, `${bob.address}.json`), 'utf8'));
    const firstBlock = (await api.rpc.chain.getHeader()).number.toNumber();
    const endpoint = new Uint8Array(32).fill(0xC2);
    const [deployed, filed] = await Promise.all([
      sendAndFinalize(api, api.tx.evaluations.deploy(model, endpoint), charlie),
      sendAndFinalize(api, api.tx.datasets.withdrawConsent(dataset, bundle.contributor, bundle.records.slice(0, 2), 'NoLongerConsent'), bob),
    ]);
    const deployment = eventsOf(deployed, 'evaluations', 'Deployed')[0].deployment.toNumber();
    assert.equal(filed.dispatchError, undefined);
    const [event] = eventsOf(filed, 'datasets', 'ConsentWithdrawn');
    const withdrawal = event.withdrawal.toNumber();
    const deadline = event.deadline.toNumber();
    assert.deepEqual(event.records.map((r) => r.toHex()), [u8aToHex(leaves[0]), u8aToHex(leaves[1])]);

    // Public at once, for Bob and for the dataset.
    const mine = await rpc(node.rpcUrl, 'provenance_withdrawalsOf', [bob.address, null, 10]);
    assert.deepEqual(mine.map(([id, w]) => [id, w.dataset, w.state, w.deadline]), [[withdrawal, dataset, 'Open', deadline]]);
    const open = await rpc(node.rpcUrl, 'provenance_datasetConsent', [dataset, null, 10]);
    assert.deepEqual([open.state.open, open.state.unanswered, open.answerPeriod], [1, 0, 10]);
    assert.deepEqual(prov('consent', 'show', '--model', String(model)).datasets.map((d) => [d.dataset, d.open]), [[dataset, 1]]);

    // The deadline passes unanswered: breach, taint with its kind, and the operator's warning.
    const tainted = await waitFor('the model tainted by the breach', async () => {
      const state = await rpc(node.rpcUrl, 'provenance_taint', [model]);
      return state.propagationPending === false && state.state !== 'Clean' && state;
    }, 150_000);
    assert.deepEqual(tainted.state, {
      tainted: { sources: [{ origin: { dataset }, kind: 'ConsentWithdrawn' }], kinds: ['ConsentWithdrawn'], truncated: false },
    });
    const breached = await rpc(node.rpcUrl, 'provenance_modelConsent', [model]);
    assert.deepEqual(breached.datasets.map((d) => [d.dataset, d.open, d.unanswered]), [[dataset, 0, 1]]);
    assert.equal(breached.complete, true);
    const warnings = [];
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let n = firstBlock; n <= best; n += 1) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      events.filter(({ event: e }) => api.events.evaluations.DeployedModelTainted.is(e)).forEach(({ event: e }) => warnings.push(e.data));
      events.filter(({ event: e }) => api.events.datasets.DatasetNonCompliant.is(e)).forEach(({ event: e }) => assert.equal(e.data.id.toNumber(), dataset));
    }
    assert.deepEqual(warnings.map((w) => [w.deployment.toNumber(), w.operator.toString(), w.checkpoint.toNumber(), w.kinds.map((k) => k.type)]),
      [[deployment, charlie.address, model, ['ConsentWithdrawn']]]);
    assert.ok(best >= deadline);

    // The lab complies late: it revokes Bob's two records and answers with prov.
    const set = await sendAndFinalize(api, api.tx.datasets.publishRevocationSet(dataset, mth(leaves.slice(0, 2)), 2, []), alice);
    assert.equal(set.dispatchError, undefined);
    const revokedFile = join(work, 'revoked.txt');
    writeFileSync(revokedFile, `${leaves.slice(0, 2).map((l) => u8aToHex(l)).join('\n')}\n`);
    const answered = prov('consent', 'answer', String(withdrawal), '--revoked', revokedFile, '--signer', 'alice', '--finalized');
    assert.deepEqual([answered.withdrawal, answered.late, answered.compliant], [withdrawal, true, true]);
    const after = await rpc(node.rpcUrl, 'provenance_datasetConsent', [dataset, null, 10]);
    assert.deepEqual([after.state.unanswered, after.state.nonCompliantSince], [0, null]);
    assert.deepEqual(after.withdrawals.map(([, w]) => Object.keys(w.state)), [['answered']]);
    assert.deepEqual((await rpc(node.rpcUrl, 'provenance_modelConsent', [model])).datasets, []);
    // The model was trained on the withdrawn records: it stays tainted, with the kind that says
    // why; a model trained on the dataset now is clean.
    const still = await rpc(node.rpcUrl, 'provenance_taint', [model]);
    assert.deepEqual(still.state.tainted.kinds, ['ConsentWithdrawn']);

    // Bob clears his answered withdrawal with prov and gets his deposit back.
    const cleared = prov('consent', 'clear', String(withdrawal), '--signer', 'bob', '--finalized');
    assert.equal(cleared.cleared, withdrawal);
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_withdrawalsOf', [bob.address, null, 10]), []);
  });
});
