// The dev chain as polkadot.js sees it: properties, metadata, a transfer that finalizes,
// and bad transactions rejected with a clear error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { sendAndFinalize, startNode } from './node.mjs';

const UNIT = 10n ** 12n;

describe('provenance-node --dev', () => {
  let node;
  let api;
  let alice;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    api = node.api;
    keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    alice = keyring.addFromUri('//Alice');
  });

  after(async () => {
    await node?.stop();
  });

  it('has the chain properties of the runtime', async () => {
    const properties = await api.rpc.system.properties();
    assert.equal(properties.ss58Format.unwrap().toNumber(), 42);
    assert.deepEqual(properties.tokenDecimals.unwrap().toJSON(), [12]);
    assert.deepEqual(properties.tokenSymbol.unwrap().toJSON(), ['PROV']);
    assert.equal(api.registry.chainSS58, 42);
    assert.deepEqual(api.registry.chainDecimals, [12]);
    assert.deepEqual(api.registry.chainTokens, ['PROV']);
    assert.equal((await api.rpc.system.chain()).toString(), 'Provenance Development');
    const version = api.runtimeVersion;
    assert.equal(version.specName.toString(), 'provenance');
    assert.ok(version.specVersion.toNumber() >= 100);
  });

  it('serves documented metadata that polkadot.js decodes without custom types', async () => {
    assert.ok(api.runtimeMetadata.version >= 15, `metadata v${api.runtimeMetadata.version}`);
    const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
    for (const name of ['System', 'Timestamp', 'Aura', 'Grandpa', 'Balances', 'TransactionPayment', 'Sudo', 'Utility', 'Multisig', 'Proxy',
      'Treasury', 'Council', 'CouncilMembership', 'DisputePanel', 'DisputePanelMembership', 'CouncilRoot', 'Offences', 'Historical',
      'Datasets', 'Checkpoints']) {
      assert.ok(pallets.includes(name), `pallet ${name} in ${pallets}`);
    }
    assert.ok(api.tx.balances.transferKeepAlive.meta.docs.length > 0, 'calls carry docs');
    // Runtime APIs are in the metadata, so polkadot.js reaches them as api.call.*.
    const nonce = await api.call.accountNonceApi.accountNonce(alice.address);
    assert.equal(nonce.toNumber(), (await api.query.system.account(alice.address)).nonce.toNumber());
    const presets = await api.call.genesisBuilder.presetNames();
    assert.deepEqual(presets.map((p) => p.toHuman()).sort(), ['development', 'live', 'local_testnet']);
  });

  it('includes and finalizes a signed balance transfer', async () => {
    const dest = keyring.addFromUri(mnemonicGenerate());
    const amount = 7n * UNIT;
    const tx = api.tx.balances.transferKeepAlive(dest.address, amount);
    const result = await sendAndFinalize(api, tx, alice);
    assert.equal(result.dispatchError, undefined);
    const names = result.events.map(({ event }) => `${event.section}.${event.method}`);
    assert.ok(names.includes('system.ExtrinsicSuccess'), names.join(','));
    const transfer = result.events.find(({ event }) => api.events.balances.Transfer.is(event));
    assert.ok(transfer, 'a Balances.Transfer event');
    assert.equal(transfer.event.data.to.toString(), dest.address);
    assert.equal(transfer.event.data.amount.toBigInt(), amount);
    assert.ok(result.events.some(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event)));

    // The finalized state holds the transfer, and finality reached the inclusion block.
    const finalizedApi = await api.at(result.finalizedHash);
    const account = await finalizedApi.query.system.account(dest.address);
    assert.equal(account.data.free.toBigInt(), amount);
    const includedNumber = (await api.rpc.chain.getHeader(result.blockHash)).number.toNumber();
    const finalizedNumber = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    assert.ok(finalizedNumber >= includedNumber);
  });

  it('rejects a transaction with a used nonce as outdated', async () => {
    const next = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    assert.ok(next > 0, 'Alice has sent a transaction before');
    const tx = api.tx.system.remark('0x00');
    await assert.rejects(
      tx.signAndSend(alice, { nonce: next - 1 }),
      /1010: Invalid Transaction: Transaction is outdated/,
    );
  });

  it('rejects a transaction from an account that cannot pay its fee', async () => {
    const pauper = keyring.addFromUri(mnemonicGenerate());
    const tx = api.tx.balances.transferKeepAlive(alice.address, UNIT);
    await assert.rejects(
      tx.signAndSend(pauper),
      /1010: Invalid Transaction: Inability to pay some fees/,
    );
  });

  it('fails a transfer of more than the sender holds with a named error, charging only the fee', async () => {
    const sender = keyring.addFromUri(mnemonicGenerate());
    await sendAndFinalize(api, api.tx.balances.transferKeepAlive(sender.address, UNIT), alice);
    const bob = keyring.addFromUri('//Bob');
    const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();

    const result = await sendAndFinalize(api, api.tx.balances.transferAllowDeath(bob.address, 10n * UNIT), sender);
    assert.ok(result.dispatchError, 'the dispatch failed');
    assert.ok(result.dispatchError.isToken || result.dispatchError.isModule, result.dispatchError.toString());
    const reason = result.dispatchError.isModule
      ? api.registry.findMetaError(result.dispatchError.asModule).name
      : result.dispatchError.asToken.type;
    assert.equal(reason, 'FundsUnavailable');
    assert.ok(result.events.some(({ event }) => api.events.system.ExtrinsicFailed.is(event)));

    const at = await api.at(result.finalizedHash);
    assert.equal((await at.query.system.account(bob.address)).data.free.toBigInt(), bobBefore);
    const senderAfter = (await at.query.system.account(sender.address)).data.free.toBigInt();
    assert.ok(senderAfter < UNIT && senderAfter > UNIT - UNIT / 100n, `only a fee was taken: ${senderAfter}`);
  });
});
