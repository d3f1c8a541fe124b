// Helpers for tests that watch a network of nodes and change its validator set: used by the
// end-to-end tests and by the zombienet tests' scripts (zombienet/checks.js).
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { hexToU8a, u8aToBn, u8aToHex } from '@polkadot/util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { sendAndFinalize } from './node.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The `--node-key` of the `n`th node of a test network: fixed, so peers know its id. */
export const nodeKey = (n) => n.toString(16).padStart(64, '0');

/** A polkadot.js API connected to the node at `url`. */
export const connect = (url) => ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });

/** The sr25519 key pair of a development account by node name: 'eve' is //Eve. */
export async function devAccount(name) {
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519' }).addFromUri(`//${name[0].toUpperCase()}${name.slice(1)}`);
}

/** Polls `check` every 2 s until it returns a truthy value, failing after `ms`. */
export async function waitFor(what, check, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `${what}: not within ${ms} ms`);
    await sleep(2_000);
  }
}

/** A raw JSON-RPC call over HTTP to the node at `rpcUrl` (ws:// or http://): { result, error }. */
export async function rpcResponse(rpcUrl, method, params) {
  const res = await fetch(rpcUrl.replace(/^ws/, 'http'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return res.json();
}

/** A raw JSON-RPC call's result; fails on an error answer. */
export async function rpc(rpcUrl, method, params) {
  const body = await rpcResponse(rpcUrl, method, params);
  assert.equal(body.error, undefined, `${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** The node's finalized head: { number, hash }. */
export async function finalized(api) {
  const hash = await api.rpc.chain.getFinalizedHead();
  return { number: (await api.rpc.chain.getHeader(hash)).number.toNumber(), hash: hash.toHex() };
}

/** The number of the node's best block. */
export const bestNumber = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();

/** The Aura key that authored block `hash`: the slot's authority of that block's set. */
export async function auraAuthor(api, hash) {
  const header = await api.rpc.chain.getHeader(hash);
  const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  const slot = u8aToBn(preRuntime.asPreRuntime[1].toU8a(true), { isLe: true });
  const authorities = await (await api.at(header.parentHash)).query.aura.authorities();
  return authorities[slot.modn(authorities.length)].toHex();
}

/** Sends `call` as root through sudo and asserts that the call itself succeeded. */
async function sudo(api, call, sudoKey) {
  const { events } = await sendAndFinalize(api, api.tx.sudo.sudo(call), sudoKey);
  const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
  assert.ok(sudid.event.data.sudoResult.isOk, `${call.method.method}: ${sudid.event.data.sudoResult.toString()}`);
}

/**
 * Makes `operator` a validator the way docs/operators.md tells an operator to: session keys
 * generated on the operator's node (`author_rotateKeysWithOwner` at `operatorRpcUrl`),
 * registered with `session.setKeys`, then root adds the account. Waits until a finalized
 * block is authored by the new key and returns that key (hex).
 */
export async function addValidator(api, operatorRpcUrl, operator, sudoKey) {
  const generated = await rpc(operatorRpcUrl, 'author_rotateKeysWithOwner', [u8aToHex(decodeAddress(operator.address))]);
  assert.ok(generated.proof, 'the runtime proves ownership of the keys');
  const set = await sendAndFinalize(api, api.tx.session.setKeys(generated.keys, generated.proof), operator);
  assert.equal(set.dispatchError, undefined);
  const auraKey = u8aToHex(hexToU8a(generated.keys).slice(0, 32));

  await sudo(api, api.tx.validatorSet.addValidator(operator.address), sudoKey);
  await waitFor('the new key in the Aura set', async () =>
    (await api.query.aura.authorities()).map((k) => k.toHex()).includes(auraKey));
  await waitFor('a finalized block authored by the new validator', async () =>
    (await auraAuthor(api, (await finalized(api)).hash)) === auraKey, 180_000);
  return auraKey;
}

/** Root removes `account`; waits until the finalized GRANDPA set has `setSize` members. */
export async function removeValidator(api, account, sudoKey, setSize) {
  await sudo(api, api.tx.validatorSet.removeValidator(account), sudoKey);
  await waitFor(`a finalized GRANDPA set of ${setSize}`, async () => {
    const at = await api.at((await finalized(api)).hash);
    return (await at.call.grandpaApi.grandpaAuthorities()).length === setSize;
  });
}
