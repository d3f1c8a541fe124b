// Runs every *.test.mjs here, E2E_CONCURRENCY files at a time (default 1: with three at once
// beside the zombienet tests, one run in four failed, a story transaction refused by a node
// that took 20 s to start under the load). The files that take minutes start first, so that
// they do not finish last; the exit code is 1 when any test fails.
import { readdirSync } from 'node:fs';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const CONCURRENCY = Number(process.env.E2E_CONCURRENCY || 1);
const LONGEST_FIRST = ['story.test.mjs', 'royalties.test.mjs', 'attestations.test.mjs'];

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
