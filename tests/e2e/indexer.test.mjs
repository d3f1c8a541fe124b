// The indexer keeps an exact copy of the registry when the node it follows restarts, and when
// the chain reorganises under it: blocks it indexed before they were final are rolled back and
// the new best chain's are indexed instead (the typeorm store's hot blocks). What it holds is
// checked against the runtime APIs at its block each time (`assertIndexMatchesChain`).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { assertIndexMatchesChain, caughtUp, freePort, startIndexer } from './indexer.mjs';
import { bestNumber, nodeKey, rpc, sleep, waitFor } from './network.mjs';
import { eventsOf, sendAndFinalize, startNode } from './node.mjs';

/** Sends `tx` signed by `signer`; resolves with the hash of the block it is in (final or not). */
function inBlock(tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, { nonce: -1 }, ({ status, dispatchError }) => {
      if (status.isInBlock) {
        if (dispatchError) reject(new Error(`${tx.method.section}.${tx.method.method}: ${dispatchError.toString()}`));
        else resolve(status.asInBlock.toHex());
      } else if (status.isDropped || status.isInvalid) {
        reject(new Error(`${tx.method.section}.${tx.method.method}: ${status.type}`));
      }
    }).catch(reject);
  });
}

describe('the indexer through node restarts and a reorganisation', () => {
  const stops = [];
  after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  });

  it('loses and duplicates nothing when its node restarts', { timeout: 400_000 }, async () => {
    await cryptoWaitReady();
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const basePath = mkdtempSync(join(tmpdir(), 'provenance-restarted-'));
    const rpcPort = await freePort();
    const args = ['--dev', '--base-path', basePath];
    let node = await startNode(args, { rpcPort });
    stops.push(() => node.stop());
    assert.equal(node.rpcUrl, `ws://127.0.0.1:${rpcPort}`);
    const url = node.rpcUrl;
    // Bytes anyone chooses that a database could refuse: a NUL in a URI, a licence lasting
    // three billion blocks (past a 32-bit signed integer). The index keeps them as they are.
    await sendAndFinalize(node.api, node.api.tx.utility.batchAll([
      node.api.tx.datasets.register(new Uint8Array(32).fill(1), 10, 1_000, 'hf://lab/before\u0000', new Uint8Array(32), 'Human', false, null),
      node.api.tx.licenses.createTerms({
        commercialUse: true, derivatives: 'Allowed', attribution: true, fee: 0, upstreamRoyaltyBps: 0,
        duration: 3_000_000_000, termsHash: new Uint8Array(32).fill(4),
      }, 'https://lab.example/long-terms'),
    ]), alice);
    const indexer = await startIndexer(url);
    stops.push(() => indexer.stop());
    await caughtUp(indexer, await bestNumber(node.api));

    // The node goes away for a while; the indexer waits for it and carries on.
    await node.stop();
    await sleep(15_000);
    assert.equal(indexer.exited, null, 'the indexer outlives its node');
    node = await startNode(args, { rpcPort });
    assert.equal(node.rpcUrl, url, 'the node is back where the indexer looks for it');
    const resumed = await sendAndFinalize(node.api, node.api.tx.datasets.register(new Uint8Array(32).fill(2), 10, 1_000,
      'hf://lab/after', new Uint8Array(32), 'Human', false, null), alice);
    assert.equal(eventsOf(resumed, 'datasets', 'DatasetRegistered')[0].id.toNumber(), 1);
    // Bob bonds and Alice declares a training run on the new dataset: an open run, whose
    // phase the explorer reads from the index.
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
    await sendAndFinalize(node.api, node.api.tx.attestations.bond(1_000n * 10n ** 12n), bob);
    const deadline = (await bestNumber(node.api)) + 200;
    const declared = await sendAndFinalize(node.api, node.api.tx.attestations.declareRun([1], [],
      new Uint8Array(32).fill(1), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3), new Uint8Array(32).fill(4),
      new Uint8Array(32).fill(5), new Uint8Array(32).fill(6), 10n ** 13n, deadline), alice);
    const run = eventsOf(declared, 'attestations', 'RunDeclared')[0];
    await caughtUp(indexer, await bestNumber(node.api));
    const { counts } = await assertIndexMatchesChain(indexer, url);
    assert.equal(counts.datasets, 2);
    const { openRuns } = await indexer.gql('{ openRuns { id claimKind status phase commitEnd deadline at } }');
    assert.deepEqual(openRuns.map(({ at, ...open }) => open), [{
      id: String(run.run.toNumber()), claimKind: 'Training', status: 'Open', phase: 'Commit',
      commitEnd: run.commitEnd.toNumber(), deadline,
    }]);
    assert.ok(openRuns[0].at <= run.commitEnd.toNumber(), 'the index is before the commit phase ends');
  });

  it('rolls back what it indexed on a fork the chain left', { timeout: 600_000 }, async () => {
    await cryptoWaitReady();
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    // Two validators of the local chain that cannot reach each other: each authors its own
    // fork in its own slots, and neither is final (GRANDPA needs both). Bob starts first, so
    // his fork is the longer one.
    const validator = (name, n) => ['--chain', 'local', `--${name}`, '--force-authoring', '--tmp', '--node-key', nodeKey(n)];
    const bob = await startNode(validator('bob', 2));
    stops.push(() => bob.stop());
    await waitFor('Bob\'s fork three blocks ahead', async () => (await bestNumber(bob.api)) >= 3, 120_000);
    const aliceNode = await startNode(validator('alice', 1));
    stops.push(() => aliceNode.stop());
    const api = aliceNode.api;

    // Alice's first transaction differs on the two forks: on hers she publishes licence terms,
    // on Bob's (sent to his node) she anchors a dataset. Once the forks meet, only one of
    // them can stand.
    const onAlicesFork = await inBlock(api.tx.licenses.createTerms({
      commercialUse: false, derivatives: 'Allowed', attribution: true, fee: 0, upstreamRoyaltyBps: 0,
      duration: null, termsHash: new Uint8Array(32).fill(3),
    }, 'https://alice.example/terms'), alice);
    await inBlock(bob.api.tx.datasets.register(new Uint8Array(32).fill(7), 10, 1_000, 'hf://lab/set-7',
      new Uint8Array(32), 'Human', false, null), alice);
    const forkBlock = (await api.rpc.chain.getHeader(onAlicesFork)).number.toNumber();

    // The indexer follows Alice's node: it indexes her fork before anything is final.
    const indexer = await startIndexer(aliceNode.rpcUrl);
    stops.push(() => indexer.stop());
    const indexed = await caughtUp(indexer, forkBlock);
    assert.equal(indexed.finalizedHeight, 0, 'nothing is final yet: the blocks are hot');
    const fork = await indexer.gql('{ terms(where: { author_isNull: false }, limit: 10) { id } assets(limit: 10) { id } }');
    assert.deepEqual(fork, { terms: [{ id: '6' }], assets: [] });
    assert.ok((await bestNumber(bob.api)) > (await bestNumber(api)), 'Bob\'s fork is longer');

    // The forks meet: Alice's node takes Bob's longer fork. Her terms' block leaves the chain
    // and the transaction with it (its nonce is used on Bob's fork by the anchor).
    const bobPeer = `/ip4/127.0.0.1/tcp/${bob.p2pPort}/p2p/${(await bob.api.rpc.system.localPeerId()).toString()}`;
    await rpc(aliceNode.rpcUrl, 'system_addReservedPeer', [bobPeer]);
    await waitFor('the terms\' block left the chain', async () =>
      (await api.rpc.chain.getBlockHash(forkBlock)).toHex() !== onAlicesFork, 180_000);
    await waitFor('GRANDPA finalizing again', async () =>
      (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() > forkBlock, 240_000);
    await caughtUp(indexer, await bestNumber(api));

    // The index is the chain's: the anchor, and no terms of the abandoned fork.
    const { hash, counts } = await assertIndexMatchesChain(indexer, aliceNode.rpcUrl);
    const at = await api.rpc.chain.getHeader(hash);
    assert.equal((await api.rpc.chain.getBlockHash(at.number)).toHex(), hash, 'the indexer is on the chain');
    assert.deepEqual(await indexer.gql('{ terms(where: { author_isNull: false }, limit: 10) { id } assets(limit: 10) { id } }'),
      { terms: [], assets: [{ id: 'dataset-0' }] });
    assert.equal(counts.terms, 6, 'the genesis terms only');
  });
});
