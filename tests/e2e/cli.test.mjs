// The `prov` CLI against a dev node, as a lab uses it: hash a corpus and anchor it, register a
// model trained on it, verify a file against the anchored root, print the lineage, revoke the
// corpus and see the model tainted. Failures come back with the exit codes `prov --help` lists.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provBinary, startNode } from './node.mjs';
import { rpc, waitFor } from './network.mjs';

describe('prov against a dev node', () => {
  let node;
  let url;
  const work = mkdtempSync(join(tmpdir(), 'provenance-cli-'));
  const corpus = join(work, 'corpus');

  /** Runs prov with `args` (and --url, --json), returning { code, out, stderr }. */
  const prov = (...args) => {
    const run = spawnSync(provBinary(), [...args, '--url', url, '--json'], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(run.error, undefined, `prov ${args.join(' ')}: ${run.error}`);
    const out = run.stdout.trim() ? JSON.parse(run.stdout) : null;
    return { code: run.status, out, stderr: run.stderr };
  };
  const ok = (...args) => {
    const run = prov(...args);
    assert.equal(run.code, 0, `prov ${args.join(' ')} failed: ${JSON.stringify(run.out)} ${run.stderr}`);
    return run.out;
  };

  before(async () => {
    node = await startNode(['--dev', '--tmp']);
    url = node.rpcUrl.replace(/^http/, 'ws');
    mkdirSync(join(corpus, 'shard-0'), { recursive: true });
    mkdirSync(join(corpus, 'shard-1'), { recursive: true });
    for (let i = 0; i < 6; i += 1) {
      writeFileSync(join(corpus, `shard-${i % 2}`, `part-${i}.jsonl`), `{"text": "record ${i}"}\n`.repeat(i + 1));
    }
    writeFileSync(join(work, 'datasheet.md'), '# corpus\nsix shards of test records\n');
  });

  after(async () => {
    await node?.stop();
  });

  let datasetId;
  let checkpointId;
  const tree = {};

  it('hashes the corpus and anchors it with the same root, records and bytes', () => {
    Object.assign(tree, ok('hash', corpus));
    assert.equal(tree.form, 'directory');
    assert.equal(tree.records, 6);
    const anchored = ok('dataset', 'register', corpus, '--uri', 'hf://lab/corpus', '--datasheet',
      join(work, 'datasheet.md'), '--signer', 'alice', '--finalized');
    assert.equal(anchored.finalized, true);
    assert.equal(anchored.root, tree.root);
    datasetId = anchored.dataset;
    return rpc(node.rpcUrl, 'provenance_dataset', [datasetId]).then((dataset) => {
      assert.equal(dataset.root, tree.root);
      assert.equal(dataset.recordCount, tree.records);
      assert.equal(dataset.byteSize, tree.bytes);
      assert.equal(dataset.owner, '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    });
  });

  it('refuses the same root twice from one owner with the pallet error and exit code 5', () => {
    const again = prov('dataset', 'register', corpus, '--uri', 'hf://lab/copy', '--metadata-hash',
      `0x${'11'.repeat(32)}`, '--signer', 'alice');
    assert.equal(again.code, 5, JSON.stringify(again.out));
    assert.equal(again.out.error, 'rejected');
    assert.match(again.out.message, /Datasets\(RootAlreadyAnchored\)/);
  });

  it('verifies a file against the anchored root, and fails on a changed byte', () => {
    const proved = ok('hash', corpus, '--proof', 'shard-1/part-3.jsonl');
    const proofPath = join(work, 'proof.json');
    writeFileSync(proofPath, JSON.stringify(proved));
    const file = join(corpus, 'shard-1', 'part-3.jsonl');
    const verified = ok('verify', file, '--dataset', String(datasetId), '--proof', proofPath);
    assert.equal(verified.verified, true);
    assert.equal(verified.root, tree.root);

    const changed = join(work, 'changed.jsonl');
    writeFileSync(changed, `{"text": "record 4"}\n`.repeat(4));
    const mismatch = prov('verify', changed, '--dataset', String(datasetId), '--proof', proofPath);
    assert.equal(mismatch.code, 1);
    assert.equal(mismatch.out.error, 'mismatch');

    const otherDataset = prov('verify', file, '--dataset', String(datasetId + 100), '--proof', proofPath);
    assert.equal(otherDataset.code, 1, 'no such dataset');
  });

  it('registers a model trained on the corpus and prints its lineage', () => {
    const registered = ok('checkpoint', 'register', '--weights-hash', `0x${'ab'.repeat(32)}`,
      '--dataset', String(datasetId), '--uri', 'hf://lab/model', '--metadata-hash', `0x${'cd'.repeat(32)}`,
      '--signer', 'alice', '--finalized');
    checkpointId = registered.checkpoint;
    const tuned = ok('checkpoint', 'register', '--weights-hash', `0x${'ef'.repeat(32)}`,
      '--parent', `${checkpointId}:fine-tune`, '--uri', 'hf://lab/model-tuned',
      '--metadata-hash', `0x${'cd'.repeat(32)}`, '--signer', 'bob', '--finalized');
    const lineage = ok('lineage', `checkpoint:${tuned.checkpoint}`);
    assert.deepEqual(lineage.root, { checkpoint: tuned.checkpoint });
    assert.equal(lineage.truncated, false);
    const byKey = Object.fromEntries(lineage.assets.map((a) => [JSON.stringify(a.asset), a]));
    const top = byKey[JSON.stringify({ checkpoint: tuned.checkpoint })];
    assert.deepEqual(top.inputs, [{ asset: { checkpoint: checkpointId }, relation: 'fine-tune of' }]);
    const base = byKey[JSON.stringify({ checkpoint: checkpointId })];
    assert.deepEqual(base.inputs, [{ asset: { dataset: datasetId }, relation: 'trained on' }]);
    assert.equal(base.state.taint, 'Clean');
    assert.equal(byKey[JSON.stringify({ dataset: datasetId })].state.status, 'Active');
    assert.equal(base.state.license, null, 'no license terms attached');
  });

  it('pays the model and its owner claims the revenue', async () => {
    const paid = ok('pay', `checkpoint:${checkpointId}`, '2.5PROV', '--signer', 'charlie');
    assert.equal(paid.paid, (25n * 10n ** 11n).toString());
    const owed = await rpc(node.rpcUrl, 'provenance_claimable', ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', null, 10]);
    assert.deepEqual(owed, [[{ checkpoint: checkpointId }, paid.paid]]);
    const claimed = ok('claim', `checkpoint:${checkpointId}`, '--signer', 'alice');
    assert.equal(claimed.claimed, paid.paid);
    const nothingLeft = prov('claim', `checkpoint:${checkpointId}`, '--signer', 'alice');
    assert.equal(nothingLeft.code, 5, 'nothing more to claim');
  });

  /** Exports the receipt of `asset` into a file; returns [path, receipt, trusted block hash]. */
  const exportReceipt = async (asset, name) => {
    const receipt = ok('receipt', 'export', asset);
    const path = join(work, name);
    writeFileSync(path, JSON.stringify(receipt));
    // The block hash the user trusts comes from elsewhere than the receipt: here, the node.
    const trusted = await rpc(node.rpcUrl, 'chain_getBlockHash', [receipt.block.number]);
    return [path, receipt, trusted];
  };

  it('exports a receipt of the model that verifies offline against a trusted block hash', async () => {
    const [path, receipt, trusted] = await exportReceipt(`checkpoint:${checkpointId + 1}`, 'receipt.json');
    assert.equal(receipt.block.hash, trusted);
    assert.equal(receipt.entries.length, 9, 'record, taint and license of the two models and the corpus');
    const verified = spawnSync(provBinary(), ['receipt', 'verify', path, '--trusted-block', trusted, '--json'], { encoding: 'utf8' });
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    const result = JSON.parse(verified.stdout);
    assert.equal(result.assets, 3);
    assert.deepEqual(result.tainted, []);
    assert.deepEqual(result.revokedDatasets, []);
  });

  /** The corpus as a taint source: revoked because consent was withdrawn. */
  const corpusSource = () => ({ origin: { dataset: datasetId }, kind: 'ConsentWithdrawn' });

  it('revokes the corpus and the lineage shows both models tainted by it', async () => {
    const revoked = ok('dataset', 'revoke', String(datasetId), '--reason', 'consent-withdrawn', '--signer', 'alice');
    assert.equal(revoked.revoked, true);
    const notOwner = prov('dataset', 'revoke', String(datasetId), '--reason', 'other', '--signer', 'bob');
    assert.equal(notOwner.code, 5);
    await waitFor('the taint to reach the fine-tuned model in a finalized block', async () => {
      const finalized = await rpc(node.rpcUrl, 'chain_getFinalizedHead', []);
      const state = await rpc(node.rpcUrl, 'provenance_taint', [checkpointId + 1, finalized]);
      return state.propagationPending === false && state.state !== 'Clean';
    });
    const lineage = ok('lineage', `checkpoint:${checkpointId + 1}`);
    for (const asset of lineage.assets.filter((a) => a.asset.checkpoint !== undefined)) {
      assert.deepEqual(asset.state.taint, { tainted: { sources: [corpusSource()], kinds: ['ConsentWithdrawn'], truncated: false } }, JSON.stringify(asset));
    }
    const data = lineage.assets.find((a) => a.asset.dataset === datasetId);
    assert.equal(data.state.status.revoked.reason, 'ConsentWithdrawn');
  });

  it('refuses a receipt with any byte of a record, proof or header changed', async () => {
    const [path, receipt, trusted] = await exportReceipt(`checkpoint:${checkpointId + 1}`, 'tainted-receipt.json');
    const verify = (document, block = trusted) => {
      writeFileSync(path, JSON.stringify(document));
      return spawnSync(provBinary(), ['receipt', 'verify', path, '--trusted-block', block, '--json'], { encoding: 'utf8' });
    };
    const good = verify(receipt);
    assert.equal(good.status, 0, good.stdout);
    const result = JSON.parse(good.stdout);
    assert.deepEqual(result.revokedDatasets, [datasetId]);
    assert.deepEqual(
      result.tainted.map((t) => [JSON.stringify(t.asset), t.sources, t.kinds]).sort(),
      [{ checkpoint: checkpointId }, { checkpoint: checkpointId + 1 }, { dataset: datasetId }]
        .map((asset) => [JSON.stringify(asset), [corpusSource()], ['ConsentWithdrawn']]).sort(),
      'the corpus and both models carry the corpus as taint source',
    );

    /** A copy of the receipt with one hex digit flipped at `at` (a string index) of `get(copy)`. */
    const flipped = (get, set, at) => {
      const copy = structuredClone(receipt);
      const hex = get(copy);
      const digit = hex[at] === '0' ? '1' : '0';
      set(copy, hex.slice(0, at) + digit + hex.slice(at + 1));
      return copy;
    };
    const record = receipt.entries.findIndex((e) => e.item === 'record' && e.asset.dataset === datasetId);
    const cases = {
      'a byte of a record': flipped((r) => r.entries[record].value, (r, v) => { r.entries[record].value = v; }, 20),
      'a byte of a proof node': flipped((r) => r.proof[0], (r, v) => { r.proof[0] = v; }, 40),
      'a byte of the header': flipped((r) => r.block.header, (r, v) => { r.block.header = v; }, 10),
      'a byte of the last proof node': flipped((r) => r.proof.at(-1), (r, v) => { r.proof[r.proof.length - 1] = v; }, 12),
    };
    const withoutTaint = structuredClone(receipt);
    withoutTaint.entries = withoutTaint.entries.filter((e) => !(e.item === 'taint' && e.asset.checkpoint === checkpointId));
    cases['a taint entry left out'] = withoutTaint;
    for (const [what, document] of Object.entries(cases)) {
      const run = verify(document);
      assert.equal(run.status, 1, `${what}: ${run.stdout} ${run.stderr}`);
      assert.equal(JSON.parse(run.stdout).error, 'mismatch', what);
    }
    const otherBlock = await rpc(node.rpcUrl, 'chain_getBlockHash', [receipt.block.number - 1]);
    assert.equal(verify(receipt, otherBlock).status, 1, 'another trusted block');
  });

  it('serves as an attester: verifies a new run, commits once, keeps the salt across a restart', async () => {
    ok('attester', 'bond', '1000PROV', '--signer', 'charlie');
    const data = ok('dataset', 'register', '--root', `0x${'77'.repeat(32)}`, '--records', '10', '--bytes', '100',
      '--uri', 'hf://lab/run-data', '--metadata-hash', `0x${'11'.repeat(32)}`, '--signer', 'alice');
    const stateDir = join(work, 'attester');
    const serve = () => {
      const child = spawn(provBinary(), ['attester', 'serve', '--verifier',
        `cat > '${join(work, 'verifier-input.json')}'; echo '{"verdict": "valid", "report": "reproduced"}'`,
        '--poll', '1', '--state-dir', stateDir, '--signer', 'charlie', '--url', url, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const lines = [];
      createInterface({ input: child.stdout }).on('line', (line) => lines.push(JSON.parse(line)));
      const stop = () => new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', resolve);
        child.kill('SIGTERM');
      });
      return { lines, stop };
    };
    let server = serve();
    try {
      const declared = ok('run', 'declare', '--dataset', String(data.dataset), '--config-hash', `0x${'01'.repeat(32)}`,
        '--code-hash', `0x${'02'.repeat(32)}`, '--environment-hash', `0x${'03'.repeat(32)}`,
        '--statement-digest', `0x${'04'.repeat(32)}`, '--weights-hash', `0x${'05'.repeat(32)}`,
        '--training-log-root', `0x${'06'.repeat(32)}`, '--reward', '10PROV', '--deadline', '+200', '--signer', 'alice');
      const charlie = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
      await waitFor('the attester to commit', () => server.lines.find((l) => l.event === 'committed' && l.run === declared.run), 60_000);
      const verdicts = await rpc(node.rpcUrl, 'provenance_verdicts', [declared.run]);
      assert.deepEqual(verdicts.map(([who]) => who), [charlie]);
      const input = JSON.parse(readFileSync(join(work, 'verifier-input.json'), 'utf8'));
      assert.equal(input.run, declared.run);
      assert.deepEqual(input.claim.training.datasets, [data.dataset]);
      const vote = JSON.parse(readFileSync(join(stateDir, `run-${declared.run}.json`), 'utf8'));
      assert.equal(vote.committed, true);
      assert.equal(vote.revealed, false);
      assert.match(vote.salt, /^0x[0-9a-f]{64}$/);

      await server.stop();
      server = serve();
      await new Promise((r) => setTimeout(r, 8_000));
      assert.deepEqual(server.lines.filter((l) => l.event !== undefined), [], 'nothing to do after a restart: no second commit');
      assert.equal((await rpc(node.rpcUrl, 'provenance_run', [declared.run])).commits, 1);
      assert.deepEqual(JSON.parse(readFileSync(join(stateDir, `run-${declared.run}.json`), 'utf8')), vote, 'the salt is kept');

      // A reveal before the commit phase ends is refused by the chain, with the pallet's error.
      const early = prov('attester', 'reveal', String(declared.run), '--state-dir', stateDir, '--signer', 'charlie');
      assert.equal(early.code, 5);
      assert.match(early.out.message, /RevealPhaseNotStarted/);
    } finally {
      await server.stop();
    }
  });

  it('answers a wrong key, a node that is down and a bad argument with their exit codes', () => {
    const badKey = prov('dataset', 'revoke', '0', '--reason', 'other', '--signer', 'not a valid phrase');
    assert.equal(badKey.code, 2);
    const down = spawnSync(provBinary(), ['lineage', '0', '--url', 'ws://127.0.0.1:9', '--json'], { encoding: 'utf8' });
    assert.equal(down.status, 4);
    assert.equal(JSON.parse(down.stdout).error, 'node');
    const badArg = spawnSync(provBinary(), ['dataset', 'revoke', '0', '--reason', 'boredom'], { encoding: 'utf8' });
    assert.equal(badArg.status, 2);
  });
});
