// prov-throughput against a dev node, at a small scale: every phase the benchmark runs
// (lineage, derived fan, transfer burst, attester bonds, training runs, verdict commits and
// their reveals after the commit phase, single and batch anchors with the lineage queries
// alongside, checkpoints) is taken whole, included, finalized and lost nowhere, the queries
// are timed on the idle node too, and the report carries the figures BENCHMARKS.md quotes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeBinary, startNode } from './node.mjs';

const throughputBinary = () => join(dirname(nodeBinary()), 'prov-throughput');
// The pool flags scripts/run-dev and scripts/bench-throughput pass (scripts/env.sh).
const POOL_FLAGS = (process.env.PROVENANCE_NODE_FLAGS || '').split(/\s+/).filter(Boolean);

describe('prov-throughput', () => {
  let node;
  let report;

  before(async () => {
    node = await startNode(['--dev', '--tmp', ...POOL_FLAGS]);
    const dir = mkdtempSync(join(tmpdir(), 'provenance-throughput-'));
    const json = join(dir, 'report.json');
    const run = spawnSync(throughputBinary(), [
      '--url', node.rpcUrl.replace('http', 'ws'),
      '--accounts', '8', '--fan', '20', '--transfers', '200', '--runs', '3', '--anchors', '200',
      '--batches', '4', '--batch-shards', '25', '--checkpoints', '40',
      '--node-log', node.logPath, '--json', json,
    ], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(run.status, 0, `prov-throughput: ${run.stdout}\n${run.stderr}`);
    report = JSON.parse(readFileSync(json, 'utf8'));
    report.markdown = run.stdout;
  });

  after(async () => {
    await node?.stop();
  });

  it('takes every phase whole: included, finalized, nothing refused, failed or lost', () => {
    const names = report.phases.map((p) => p.name);
    assert.deepEqual(names, [
      'lineage', 'derived', 'transfers burst', 'attester bonds', 'training runs', 'verdict commits',
      'verdict reveals', 'anchors', 'anchor batches of 25', 'checkpoints',
    ]);
    // Seven attesters (every account but the lab) commit and reveal a verdict on each of 3 runs.
    const expected = {
      lineage: 65, derived: 20, 'transfers burst': 200, 'attester bonds': 7, 'training runs': 3,
      'verdict commits': 21, 'verdict reveals': 21, anchors: 200, 'anchor batches of 25': 4, checkpoints: 40,
    };
    for (const phase of report.phases) {
      const what = `${phase.name}: ${JSON.stringify(phase)}`;
      assert.equal(phase.submitted, expected[phase.name], what);
      assert.deepEqual(phase.refused, {}, what);
      assert.equal(phase.accepted, phase.submitted, what);
      assert.equal(phase.included, phase.submitted, what);
      assert.equal(phase.failed, 0, what);
      assert.equal(phase.lost, 0, what);
      assert.equal(phase.finalized, phase.included, what);
      assert.ok(phase.perSecond > 0 && phase.blocks >= 1 && phase.maxPerBlock >= 1, what);
    }
    const batches = report.phases.find((p) => p.name === 'anchor batches of 25');
    assert.ok(Math.abs(batches.recordsPerSecond - 25 * batches.perSecond) < 1e-6, 'a batch counts its shards');
  });

  it('times the lineage queries, idle and under load, against the lineage it built', () => {
    for (const [queries, calls] of [[report.idleQueries, 200], [report.queries, undefined]]) {
      const byMethod = Object.fromEntries(queries.map((q) => [q.method, q]));
      assert.deepEqual(Object.keys(byMethod).sort(), ['provenance_ancestors', 'provenance_descendants', 'provenance_taint']);
      for (const query of queries) {
        assert.ok(query.calls > 0 && query.p50Ms > 0 && query.p99Ms >= query.p50Ms && query.maxMs >= query.p99Ms, JSON.stringify(query));
        if (calls !== undefined) assert.equal(query.calls, calls, JSON.stringify(query));
      }
      // 63 checkpoints and the dataset above the deepest of 64 fine-tunes.
      assert.equal(byMethod.provenance_ancestors.items, 64);
      // Everything made from the root: its 20 derived datasets and the 64 fine-tunes.
      assert.equal(byMethod.provenance_descendants.items, 84);
    }
  });

  it('reports in Markdown what BENCHMARKS.md quotes', () => {
    assert.match(report.markdown, /\| transfers burst \| Balances\.transfer_keep_alive \| 200 \| 0 \| 200 \|/);
    assert.match(report.markdown, /\| query \| load \|/);
    assert.match(report.markdown, /\| provenance_descendants \| idle \| 200 \| 84 \|/);
  });
});
