// Runs every *.test.mjs here, E2E_CONCURRENCY files at a time (default 3; `scripts/test` runs
// them beside the zombienet tests: the tests wait on 6-second blocks most of the time, each
// against its own nodes on ports the nodes chose). The files that take minutes start first,
// so that they do not finish last; the exit code is 1 when any test fails.
import { readdirSync } from 'node:fs';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const CONCURRENCY = Number(process.env.E2E_CONCURRENCY || 3);
const LONGEST_FIRST = ['story.test.mjs', 'prov-users.test.mjs', 'royalties.test.mjs', 'attestations.test.mjs'];

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = (only.length ? only : readdirSync(dir).filter((f) => f.endsWith('.test.mjs')))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  .map((f) => (f.startsWith('/') ? f : `${dir}${f}`));

function rank(file) {
  const i = LONGEST_FIRST.indexOf(file);
  return i === -1 ? LONGEST_FIRST.length : i;
}

const stream = run({ files, concurrency: CONCURRENCY });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(new spec()).pipe(process.stdout);
