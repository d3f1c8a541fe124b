// One `prov` binary across a runtime upgrade: a dev chain runs the runtime this build ships,
// `prov attester serve` follows it, and a lab registers, reads lineage and receipts and declares
// a run; then the council authorizes the upgrade probe's code by a motion (three of three, as
// root) and anyone applies it: the same runtime one spec_version and one transaction_version
// later with one more call. The same `prov`
// binary and the same serve process keep working: they encode calls and decode events by the
// node's metadata and sign with its live versions, mortal for 64 blocks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { eventsOf, motion, probeWasm, provAgainst, provBinary, sendAndFinalize, startNode } from './node.mjs';
import { waitFor } from './network.mjs';

describe('prov across a runtime upgrade', () => {
  let node;
  let api;
  let prov;
  let serve;
  let alice;
  const work = mkdtempSync(join(tmpdir(), 'provenance-upgrade-'));
  const hash = (byte) => `0x${byte.repeat(32)}`;

  before(async () => {
    assert.ok(probeWasm(), 'no upgrade probe: build with PROVENANCE_UPGRADE_PROBE=1 (scripts/env.sh sets it)');
    await cryptoWaitReady();
    alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    node = await startNode(['--dev', '--tmp']);
    api = node.api;
    prov = provAgainst(node);
    prov('attester', 'bond', '1000PROV', '--signer', 'ferdie');
    const child = spawn(provBinary(), ['attester', 'serve', '--verifier', `echo '{"verdict": "valid"}'`,
      '--poll', '1', '--state-dir', join(work, 'attester'), '--signer', 'ferdie', '--url', node.rpcUrl, '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(JSON.parse(line)));
    serve = { child, lines };
  });

  after(async () => {
    if (serve?.child.exitCode === null) serve.child.kill('SIGTERM');
    await node?.stop();
  });

  /** What a lab does with prov: anchor, register, read the lineage, export and verify a receipt, declare a run. */
  const labRound = async (n) => {
    const data = prov('dataset', 'register', '--root', hash(`7${n}`), '--records', '10', '--bytes', '100',
      '--uri', `hf://lab/data-${n}`, '--metadata-hash', hash('11'), '--signer', 'alice');
    const model = prov('checkpoint', 'register', '--weights-hash', hash(`5${n}`), '--dataset', String(data.dataset),
      '--uri', `hf://lab/model-${n}`, '--metadata-hash', hash('22'), '--signer', 'alice', '--finalized');
    const lineage = prov('lineage', String(model.checkpoint));
    assert.deepEqual(lineage.assets.map((a) => a.asset), [{ dataset: data.dataset }, { checkpoint: model.checkpoint }]);
    const receiptPath = join(work, `receipt-${n}.json`);
    const receipt = prov('receipt', 'export', String(model.checkpoint));
    writeFileSync(receiptPath, JSON.stringify(receipt));
    const verified = prov('receipt', 'verify', receiptPath, '--trusted-block', receipt.block.hash);
    assert.equal(verified.assets, 2);
    const run = prov('run', 'declare', '--dataset', String(data.dataset), '--config-hash', hash('01'),
      '--code-hash', hash('02'), '--environment-hash', hash('03'), '--statement-digest', hash('04'),
      '--weights-hash', hash(`5${n}`), '--training-log-root', hash('06'), '--reward', '10PROV',
      '--deadline', '+14', '--signer', 'alice');
    await waitFor(`serve to commit on run ${run.run}`,
      () => serve.lines.find((l) => l.event === 'committed' && l.run === run.run), 90_000);
    return { data, model, run };
  };

  /** The era of the extrinsic in `block` that called `section.method`. */
  const eraOf = async (block, section, method) => {
    const { block: { extrinsics } } = await api.rpc.chain.getBlock(block);
    const extrinsic = extrinsics.find((x) => x.method.section === section && x.method.method === method);
    assert.ok(extrinsic, `no ${section}.${method} in ${block}`);
    return extrinsic.era;
  };

  let before1;
  let specBefore;

  it('works with the runtime the chain starts with, signing mortal transactions', async () => {
    specBefore = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
    before1 = await labRound(1);
    const era = await eraOf(before1.model.block, 'checkpoints', 'register');
    assert.ok(era.isMortalEra, 'prov signs mortal transactions');
    assert.equal(era.asMortalEra.period.toNumber(), 64);
  });

  it('keeps working, the same binary and serve process, after the code is upgraded', async () => {
    const code = u8aToHex(readFileSync(probeWasm()));
    // (polkadot.js reads the events of the upgrade block with the new runtime's type registry
    // and fails to decode them, so the upgrade is checked by the runtime's own record.)
    const keyring = new Keyring({ type: 'sr25519' });
    const [bob, dave] = ['//Bob', '//Dave'].map((uri) => keyring.addFromUri(uri));
    const authorize = api.tx.councilRoot.dispatchAsRoot(api.tx.system.authorizeUpgrade(blake2AsHex(code, 256)));
    const authorized = await motion(api, 'council', [alice, bob], authorize);
    assert.equal(eventsOf(authorized, 'council', 'Executed')[0].result.asErr.isBadOrigin, true,
      'two of three council members cannot act as root');
    const carried = await motion(api, 'council', [alice, bob, keyring.addFromUri('//Charlie')], authorize);
    assert.ok(eventsOf(carried, 'council', 'Executed')[0].result.isOk);
    assert.ok(eventsOf(carried, 'councilRoot', 'DispatchedAsRoot')[0].result.isOk);
    assert.equal(eventsOf(carried, 'system', 'UpgradeAuthorized').length, 1);
    // Anyone may apply the authorized code: Dave, who is neither on the council nor root.
    await sendAndFinalize(api, api.tx.system.applyAuthorizedUpgrade(code), dave);
    await waitFor('the new runtime', async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() === specBefore + 1, 60_000);
    const upgraded = (await api.query.system.lastRuntimeUpgrade()).unwrap();
    assert.equal(upgraded.specVersion.toNumber(), specBefore + 1, 'the runtime records the upgrade');
    assert.equal((await api.rpc.state.getRuntimeVersion()).transactionVersion.toNumber(),
      (await api.rpc.state.getRuntimeVersion(before1.model.block)).transactionVersion.toNumber() + 1,
      'a new transaction version: prov signs with the live one');

    // The run declared before the upgrade is revealed after it, by the same serve process.
    await waitFor(`serve to reveal run ${before1.run.run}`,
      () => serve.lines.find((l) => l.event === 'revealed' && l.run === before1.run.run), 120_000);
    const after1 = await labRound(2);
    assert.equal(after1.model.checkpoint, before1.model.checkpoint + 1);
    const era = await eraOf(after1.model.block, 'checkpoints', 'register');
    assert.equal(era.asMortalEra.period.toNumber(), 64);

    // The call only the new runtime has is live.
    await api.isReady;
    assert.ok(api.tx.upgradeProbe?.ping, 'polkadot.js sees the new call');
    const ping = await sendAndFinalize(api, api.tx.upgradeProbe.ping(), alice);
    assert.equal(eventsOf(ping, 'upgradeProbe', 'Pinged').length, 1);
    assert.deepEqual(serve.lines.filter((l) => l.event === 'error'), [], 'serve never failed');
  });
});
