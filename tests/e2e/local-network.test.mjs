// scripts/local-network, the operators' way to run several validators without zombienet:
// four validators from a generated spec all finalize, and the script stops every node it
// started when it exits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from './node.mjs';

const script = fileURLToPath(new URL('../../scripts/local-network', import.meta.url));

describe('scripts/local-network', () => {
  it('starts four validators that finalize, then stops them all', { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'provenance-network-'));
    try {
      const run = spawnSync('bash', [script, '4', '--check'], {
        env: { ...process.env, NETWORK_DIR: dir, PROVENANCE_NODE: nodeBinary() },
        encoding: 'utf8',
        timeout: 280_000,
        killSignal: 'SIGTERM',
      });
      assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
      const heights = run.stdout.match(/finalized heights: (.*)/);
      assert.ok(heights, run.stdout);
      assert.equal(heights[1].trim().split(/\s+/).length, 4);
      const left = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout
        .split('\n').filter((line) => line.includes(dir) && !line.includes('ps -eo'));
      assert.deepEqual(left, [], 'no node of the network is left running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
