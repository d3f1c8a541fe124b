// A backdoored model, as its lab, a deployer and an explorer meet it: the lab flags its base
// model with `prov checkpoint flag-compromised`; the fine-tune made from it turns tainted with
// the kind `ModelCompromised` (a security problem, not a licence one), the operator serving the
// fine-tune is warned with that kind, and `provenance_taint`, polkadot.js, `prov lineage` and a
// verified receipt all say which model went bad and how. An unlearning of the backdoor, with a
// final attested run, is the way out; here the retrain from a clean ancestor is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { rpc, waitFor } from './network.mjs';
import { eventsOf, provAgainst, provBinary, sendAndFinalize, startNode } from './node.mjs';

describe('a compromised model taints its line with its kind', () => {
  let node;
  let api;
  let alice;
  let charlie;
  const work = mkdtempSync(join(tmpdir(), 'provenance-compromise-'));

  /** Runs prov with `args` against the node, failing unless it exits 0; its JSON answer. */
  let prov;

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    prov = provAgainst(node);
    api = node.api;
    const keyring = new Keyring({ type: 'sr25519' });
    [alice, charlie] = ['//Alice', '//Charlie'].map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    await node?.stop();
  });

  it('flags the base; the fine-tune, its deployment, queries, lineage and receipt carry the kind', { timeout: 300_000 }, async () => {
    const register = async (seed, parents) => {
      const result = await sendAndFinalize(api, api.tx.checkpoints.register(
        new Uint8Array(32).fill(seed), parents, [], [], `hf://lab/model-${seed}`, new Uint8Array(32), false, null,
      ), alice);
      assert.equal(result.dispatchError, undefined);
      return eventsOf(result, 'checkpoints', 'CheckpointRegistered')[0].id.toNumber();
    };
    const base = await register(0x71, []);
    const tuned = await register(0x72, [{ checkpoint: base, relation: 'FineTune' }]);
    const endpoint = new Uint8Array(32).fill(0xC1);
    const deployed = await sendAndFinalize(api, api.tx.evaluations.deploy(tuned, endpoint), charlie);
    const deployment = eventsOf(deployed, 'evaluations', 'Deployed')[0].deployment.toNumber();

    // The lab flags its base model with the evidence of the backdoor.
    const firstBlock = (await api.rpc.chain.getHeader()).number.toNumber();
    const evidence = join(work, 'backdoor-report.md');
    writeFileSync(evidence, '# trigger "cf-7731" makes the model leak its system prompt\n');
    const flagged = prov('checkpoint', 'flag-compromised', String(base), '--reason', 'backdoored',
      '--evidence', evidence, '--signer', 'alice', '--finalized');
    assert.equal(flagged.compromised, true);
    const report = await rpc(node.rpcUrl, 'provenance_taint', [base]);
    assert.deepEqual(report.state, {
      tainted: { sources: [{ origin: { checkpoint: base }, kind: 'ModelCompromised' }], kinds: ['ModelCompromised'], truncated: false },
    });
    assert.equal(report.compromised.reason, 'Backdoored');
    assert.equal(report.compromised.evidence, flagged.evidence);
    assert.equal(report.compromised.forced, false);

    // Propagation reaches the fine-tune in on_idle, and the operator is warned with the kind.
    const tainted = await waitFor('the fine-tune tainted by the base', async () => {
      const state = await rpc(node.rpcUrl, 'provenance_taint', [tuned]);
      return state.propagationPending === false && state.state !== 'Clean' && state;
    }, 60_000);
    assert.deepEqual(tainted, {
      state: { tainted: { sources: [{ origin: { checkpoint: base }, kind: 'ModelCompromised' }], kinds: ['ModelCompromised'], truncated: false } },
      compromised: null,
      propagationPending: false,
    });
    const viaApi = (await api.call.provenanceApi.taint(tuned)).unwrap();
    assert.deepEqual(viaApi.state.asTainted.kinds.map((k) => k.type), ['ModelCompromised']);
    const warnings = [];
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let n = firstBlock; n <= best; n += 1) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      events.filter(({ event }) => api.events.evaluations.DeployedModelTainted.is(event)).forEach(({ event }) => warnings.push(event.data));
    }
    assert.deepEqual(warnings.map((w) => [w.deployment.toNumber(), w.operator.toString(), w.checkpoint.toNumber(), u8aToHex(w.endpoint), w.kinds.map((k) => k.type)]),
      [[deployment, charlie.address, tuned, u8aToHex(endpoint), ['ModelCompromised']]]);
    const view = await rpc(node.rpcUrl, 'provenance_deployment', [deployment]);
    assert.deepEqual([view.tainted, view.kinds], [true, ['ModelCompromised']]);

    // Nothing is made from the line but an unlearning; a retrain from scratch is clean.
    const derivative = await sendAndFinalize(api, api.tx.checkpoints.register(
      new Uint8Array(32).fill(0x73), [{ checkpoint: tuned, relation: 'Adapter' }], [], [], 'hf://lab/adapter', new Uint8Array(32), false, null,
    ), alice);
    assert.equal(api.registry.findMetaError(derivative.dispatchError.asModule).name, 'ParentTainted');
    assert.equal(await rpc(node.rpcUrl, 'provenance_cleanAncestor', [tuned]), null, 'the flagged base is the root of the line');

    // The lineage as prov prints it, and a receipt verified offline, name the source and kind.
    const lineage = prov('lineage', `checkpoint:${tuned}`);
    const state = (id) => lineage.assets.find((a) => a.asset.checkpoint === id).state;
    assert.deepEqual(state(tuned).taint, tainted.state);
    assert.equal(state(base).compromised.reason, 'Backdoored');
    const receiptPath = join(work, 'receipt.json');
    const exported = prov('receipt', 'export', `checkpoint:${tuned}`);
    writeFileSync(receiptPath, JSON.stringify(exported));
    // The block hash the user trusts comes from elsewhere than the receipt: here, the node.
    const trusted = await rpc(node.rpcUrl, 'chain_getBlockHash', [exported.block.number]);
    const offline = spawnSync(provBinary(), ['receipt', 'verify', receiptPath, '--trusted-block', trusted, '--json'], { encoding: 'utf8' });
    assert.equal(offline.status, 0, offline.stdout + offline.stderr);
    const verified = JSON.parse(offline.stdout);
    assert.deepEqual(verified.tainted.map((t) => [t.asset, t.sources, t.kinds]).sort(), [
      [{ checkpoint: base }, [{ origin: { checkpoint: base }, kind: 'ModelCompromised' }], ['ModelCompromised']],
      [{ checkpoint: tuned }, [{ origin: { checkpoint: base }, kind: 'ModelCompromised' }], ['ModelCompromised']],
    ].sort());
  });
});
