// Validator-set governance on a running network, the way an operator and root do it: Charlie
// starts a node, generates session keys on it (author_rotateKeysWithOwner) and registers them;
// root adds Charlie and Charlie's node authors and votes; root removes Bob, Bob's node is
// stopped, and Alice and Charlie go on finalizing. No restart, no fork.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToBn, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { sendAndFinalize, startNode } from './node.mjs';

const spec = fileURLToPath(new URL('../../chain-specs/local-testnet.json', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nodeKey = (n) => n.toString(16).padStart(64, '0');

/** Polls `check` every 2 s until it returns a truthy value, failing after `ms`. */
async function waitFor(what, check, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `${what}: not within ${ms} ms`);
    await sleep(2_000);
  }
}

/** A raw JSON-RPC call over HTTP, for methods polkadot.js does not decorate. */
async function rpc(node, method, params) {
  const res = await fetch(node.rpcUrl.replace('ws://', 'http://'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  assert.equal(body.error, undefined, `${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const finalizedNumber = async (api) =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** The Aura key that authored block `hash`: the slot's authority of that block's set. */
async function auraAuthor(api, hash) {
  const header = await api.rpc.chain.getHeader(hash);
  const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  const slot = u8aToBn(preRuntime.asPreRuntime[1].toU8a(true), { isLe: true });
  const authorities = await (await api.at(header.parentHash)).query.aura.authorities();
  return authorities[slot.modn(authorities.length)].toHex();
}

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
    await waitFor('the network finalizes', async () => (await finalizedNumber(api)) >= 1);

    // The operator generates keys on Charlie's node, owned by Charlie's account, and registers them.
    const owner = u8aToHex(decodeAddress(charlie.address));
    const generated = await rpc(charlieNode, 'author_rotateKeysWithOwner', [owner]);
    assert.ok(generated.proof, 'the runtime proves ownership of the keys');
    const set = await sendAndFinalize(api, api.tx.session.setKeys(generated.keys, generated.proof), charlie);
    assert.equal(set.dispatchError, undefined);
    const charlieAura = u8aToHex(hexToU8a(generated.keys).slice(0, 32));

    // Root adds Charlie; two blocks later Aura's set holds Charlie's key.
    const added = await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.validatorSet.addValidator(charlie.address)), alice);
    const sudid = added.events.find(({ event }) => api.events.sudo.Sudid.is(event));
    assert.ok(sudid.event.data.sudoResult.isOk, `addValidator: ${sudid.event.data.sudoResult.toString()}`);
    await waitFor('Charlie in the Aura set', async () =>
      (await api.query.aura.authorities()).map((k) => k.toHex()).includes(charlieAura));

    // Charlie's node authors a block that every node finalizes.
    const authored = await waitFor('a finalized block authored by Charlie', async () => {
      const head = await api.rpc.chain.getFinalizedHead();
      return (await auraAuthor(api, head)) === charlieAura ? head : null;
    }, 180_000);
    const onCharlie = await charlieNode.api.rpc.chain.getBlockHash((await api.rpc.chain.getHeader(authored)).number);
    assert.equal(onCharlie.toHex(), authored.toHex(), 'Charlie has the same chain');

    // Root removes Bob; once GRANDPA's set is Alice and Charlie, Bob's node is stopped and
    // finality goes on without him.
    const removed = await sendAndFinalize(api, api.tx.sudo.sudo(api.tx.validatorSet.removeValidator(bob.address)), alice);
    assert.ok(removed.events.find(({ event }) => api.events.sudo.Sudid.is(event)).event.data.sudoResult.isOk);
    await waitFor('a GRANDPA set of two, finalized', async () => {
      const finalized = await api.at(await api.rpc.chain.getFinalizedHead());
      return (await finalized.call.grandpaApi.grandpaAuthorities()).length === 2;
    });
    await bobNode.stop();
    const before = await finalizedNumber(api);
    await waitFor('finality without Bob', async () => (await finalizedNumber(api)) >= before + 3);
    assert.deepEqual(
      (await api.query.validatorSet.validators()).map((v) => v.toString()),
      [alice.address, charlie.address],
    );
  });
});
