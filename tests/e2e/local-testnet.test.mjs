// The committed local testnet spec: two validators started from chain-specs/local-testnet.json
// find each other, author blocks in turn and finalize them with GRANDPA.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { nodeKey, sleep } from './network.mjs';
import { startNode } from './node.mjs';

const spec = fileURLToPath(new URL('../../chain-specs/local-testnet.json', import.meta.url));
// A validator of a non-dev chain needs a network key; fixed ones keep the test repeatable.

describe('local testnet from chain-specs/local-testnet.json', () => {
  const nodes = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('two validators peer, author and finalize', { timeout: 240_000 }, async () => {
    const alice = await startNode(['--chain', spec, '--alice', '--tmp', '--node-key', nodeKey(1)]);
    nodes.push(alice);
    const alicePeerId = (await alice.api.rpc.system.localPeerId()).toString();
    const bob = await startNode([
      '--chain', spec, '--bob', '--tmp', '--node-key', nodeKey(2),
      '--bootnodes', `/ip4/127.0.0.1/tcp/${alice.p2pPort}/p2p/${alicePeerId}`,
    ]);
    nodes.push(bob);

    for (const { api } of nodes) {
      assert.equal((await api.rpc.system.chain()).toString(), 'Provenance Local Testnet');
    }
    assert.equal(alice.api.genesisHash.toHex(), bob.api.genesisHash.toHex());

    // Both authorities must vote for GRANDPA to finalize with two validators, so a finalized
    // block past genesis on both nodes shows peering, authoring and voting all work.
    const deadline = Date.now() + 180_000;
    let finalized = [0, 0];
    while (Math.min(...finalized) < 3) {
      assert.ok(Date.now() < deadline, `finality stalled at ${finalized}; logs: ${alice.logPath} ${bob.logPath}`);
      await sleep(2_000);
      finalized = await Promise.all(nodes.map(async ({ api }) =>
        (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber()));
    }
    const hashes = await Promise.all(nodes.map(({ api }) => api.rpc.chain.getBlockHash(3)));
    assert.equal(hashes[0].toHex(), hashes[1].toHex(), 'both nodes finalized the same block 3');
    const peers = (await alice.api.rpc.system.health()).peers.toNumber();
    assert.ok(peers >= 1, `alice has ${peers} peers`);
  });
});
