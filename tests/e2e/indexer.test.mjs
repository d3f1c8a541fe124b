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

/** Anchors a dataset with root `n` as `signer`; resolves once it is in a block (final or not). */
function anchor(api, signer, n) {
  return new Promise((resolve, reject) => {
    api.tx.datasets.register(new Uint8Array(32).fill(n), 10, 1_000, `hf://lab/set-${n}`, new Uint8Array(32), 'Human', false, null)
      .signAndSend(signer, { nonce: -1 }, ({ status, dispatchError }) => {
        if (status.isInBlock) {
          if (dispatchError) reject(new Error(`anchor ${n}: ${dispatchError.toString()}`));
          else resolve({ blockHash: status.asInBlock.toHex() });
        } else if (status.isDropped || status.isInvalid) {
          reject(new Error(`anchor ${n}: ${status.type}`));
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
    await sendAndFinalize(node.api, node.api.tx.datasets.register(new Uint8Array(32).fill(1), 10, 1_000,
      'hf://lab/before', new Uint8Array(32), 'Human', false, null), alice);
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
    await caughtUp(indexer, await bestNumber(node.api));
    const { counts } = await assertIndexMatchesChain(indexer, url);
    assert.equal(counts.datasets, 2);
  });

  it('rolls back what it indexed on a fork the chain left', { timeout: 600_000 }, async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
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

    // A dataset anchored on Alice's fork, indexed there before anything is final.
    const anchored = await anchor(api, alice, 7);
    const forkBlock = (await api.rpc.chain.getHeader(anchored.blockHash)).number.toNumber();
    const indexer = await startIndexer(aliceNode.rpcUrl);
    stops.push(() => indexer.stop());
    const indexed = await caughtUp(indexer, forkBlock);
    assert.equal(indexed.finalizedHeight, 0, 'nothing is final yet: the blocks are hot');
    const before = await indexer.gql('{ assets(limit: 10, orderBy: id_ASC) { id createdAt } }');
    assert.deepEqual(before.assets, [{ id: 'dataset-0', createdAt: forkBlock }]);
    assert.ok((await bestNumber(bob.api)) > (await bestNumber(api)), 'Bob\'s fork is longer');

    // The two meet: Alice's node takes Bob's longer fork, and the block with the anchor is
    // no longer on the chain. Its transaction goes back to the pool and into a later block.
    const bobPeer = `/ip4/127.0.0.1/tcp/${bob.p2pPort}/p2p/${(await bob.api.rpc.system.localPeerId()).toString()}`;
    await rpc(aliceNode.rpcUrl, 'system_addReservedPeer', [bobPeer]);
    await waitFor('the anchor\'s block left the chain', async () =>
      (await api.rpc.chain.getBlockHash(forkBlock)).toHex() !== anchored.blockHash, 180_000);
    await waitFor('GRANDPA finalizing again', async () =>
      (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() > forkBlock, 240_000);
    await waitFor('the anchor back on the chain', async () => (await api.query.datasets.nextDatasetId()).toNumber() === 1, 120_000);
    const record = await rpc(aliceNode.rpcUrl, 'provenance_dataset', [0]);
    await caughtUp(indexer, await bestNumber(api));

    // The index holds the chain's one anchor, at the block it is in now, and nothing of the
    // abandoned fork.
    const { hash } = await assertIndexMatchesChain(indexer, aliceNode.rpcUrl);
    const canonical = await api.rpc.chain.getHeader(hash);
    assert.equal((await api.rpc.chain.getBlockHash(canonical.number)).toHex(), hash, 'the indexer is on the chain');
    const afterReorg = await indexer.gql('{ assets(limit: 10, orderBy: id_ASC) { id createdAt } }');
    assert.deepEqual(afterReorg.assets, [{ id: 'dataset-0', createdAt: record.createdAt }]);
  });
});
