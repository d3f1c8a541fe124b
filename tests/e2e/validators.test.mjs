// Validator-set governance on a running network, the way an operator and root do it: Charlie
// starts a node, generates session keys on it (author_rotateKeysWithOwner) and registers them;
// root adds Charlie and Charlie's node authors and votes; root removes Bob, Bob's node is
// stopped, and Alice and Charlie go on finalizing. No restart, no fork.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { addValidator, finalized, nodeKey, removeValidator, waitFor } from './network.mjs';
import { startNode } from './node.mjs';

const spec = fileURLToPath(new URL('../../chain-specs/local-testnet.json', import.meta.url));

describe('validator set on a running network', () => {
  const nodes = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('adds a validator by root and removes one, without a restart', { timeout: 600_000 }, async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    const [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));

    const aliceNode = await startNode(['--chain', spec, '--alice', '--tmp', '--node-key', nodeKey(1)]);
    nodes.push(aliceNode);
    const bootnode = `/ip4/127.0.0.1/tcp/${aliceNode.p2pPort}/p2p/${(await aliceNode.api.rpc.system.localPeerId()).toString()}`;
    const bobNode = await startNode(['--chain', spec, '--bob', '--tmp', '--node-key', nodeKey(2), '--bootnodes', bootnode]);
    nodes.push(bobNode);
    // Charlie's node: a validator node with an empty keystore, like a new operator's.
    const charlieNode = await startNode(['--chain', spec, '--validator', '--tmp', '--node-key', nodeKey(3), '--bootnodes', bootnode]);
    nodes.push(charlieNode);
    const api = aliceNode.api;
    await waitFor('the network finalizes', async () => (await finalized(api)).number >= 1);

    // The operator generates keys on Charlie's node and registers them; root adds Charlie;
    // Charlie's node authors a block that every node finalizes.
    await addValidator(api, charlieNode.rpcUrl, charlie, alice);
    const authored = await api.rpc.chain.getFinalizedHead();
    const onCharlie = await charlieNode.api.rpc.chain.getBlockHash((await api.rpc.chain.getHeader(authored)).number);
    assert.equal(onCharlie.toHex(), authored.toHex(), 'Charlie has the same chain');

    // Root removes Bob; once GRANDPA's set is Alice and Charlie, Bob's node is stopped and
    // finality goes on without him.
    await removeValidator(api, bob.address, alice, 2);
    await bobNode.stop();
    const before = (await finalized(api)).number;
    await waitFor('finality without Bob', async () => (await finalized(api)).number >= before + 3);
    assert.deepEqual(
      (await api.query.validatorSet.validators()).map((v) => v.toString()),
      [alice.address, charlie.address],
    );
  });
});
