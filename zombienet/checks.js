// The checks the zombienet tests (zombienet/*.zndsl) run with `js-script ./checks.js with
// "CHECK,ARG..."`. Each connects to the nodes it names, asserts, prints what it measured
// (heights, finality lag, seconds) and disconnects. Network helpers are the end-to-end tests'.
const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');

const helpers = () => import(path.join(__dirname, '../tests/e2e/network.mjs'));
const report = (...line) => console.log('    [provenance]', ...line);
const since = (start) => `${Math.round((Date.now() - start) / 1000)} s`;
const stallFile = (networkInfo) => path.join(networkInfo.tmpDir, 'finality-stall.json');

/** Connects to the named nodes, runs `body(apis, helpers)` and disconnects whatever happens. */
async function withNodes(networkInfo, names, body) {
  const h = await helpers();
  const apis = await Promise.all(names.map((name) => h.connect(networkInfo.nodesByName[name].wsUri)));
  try {
    return await body(apis, h);
  } finally {
    await Promise.all(apis.map((api) => api.disconnect()));
  }
}

/** Asserts every node has `hash` at height `number`. */
async function sameBlock(apis, names, number, hash) {
  for (const [i, api] of apis.entries()) {
    const own = (await api.rpc.chain.getBlockHash(number)).toHex();
    assert.equal(own, hash, `${names[i]} has ${own} at #${number}, not ${hash}`);
  }
}

const checks = {
  /** Every named node finalizes three blocks past today's highest finalized head, the same ones. */
  async finalizing(networkInfo, names) {
    return withNodes(networkInfo, names, async (apis, h) => {
      const start = Date.now();
      const from = Math.max(...(await Promise.all(apis.map(async (api) => (await h.finalized(api)).number))));
      const target = from + 3;
      await h.waitFor(`${names.join(', ')} finalize #${target}`, async () =>
        (await Promise.all(apis.map(async (api) => (await h.finalized(api)).number))).every((n) => n >= target), 240_000);
      const hash = (await apis[0].rpc.chain.getBlockHash(target)).toHex();
      await sameBlock(apis, names, target, hash);
      const lags = await Promise.all(apis.map(async (api) => (await h.bestNumber(api)) - (await h.finalized(api)).number));
      report(`${names.join(', ')}: finalized #${from} -> #${target} in ${since(start)}; best - finalized: ${lags.join(', ')}`);
      return target;
    });
  },

  /**
   * With too few validators voting, the finalized head stays put for 30 s while the named
   * (running) nodes still import new blocks. Records the stalled head for `resumed`.
   */
  async stalled(networkInfo, names) {
    return withNodes(networkInfo, names, async (apis, h) => {
      const start = Date.now();
      let head = await h.finalized(apis[0]);
      let best = await h.bestNumber(apis[0]);
      let since_ = Date.now();
      const stalled = await h.waitFor('finality stalls for 30 s while blocks go on', async () => {
        const now = await h.finalized(apis[0]);
        if (now.hash !== head.hash) {
          [head, best, since_] = [now, await h.bestNumber(apis[0]), Date.now()];
          return null;
        }
        const grown = (await h.bestNumber(apis[0])) - best;
        return Date.now() - since_ >= 30_000 && grown >= 2 ? { ...head, best: best + grown } : null;
      }, 150_000);
      for (const [i, api] of apis.entries()) {
        const own = await h.finalized(api);
        assert.ok(own.number <= stalled.number, `${names[i]} finalized #${own.number} past the stall`);
        assert.ok((await h.bestNumber(api)) > stalled.number, `${names[i]} imports new blocks`);
      }
      fs.writeFileSync(stallFile(networkInfo), JSON.stringify(stalled));
      report(`finality stalled at #${stalled.number} while blocks went on to #${stalled.best} (${since(start)})`);
      return stalled.best - stalled.number;
    });
  },

  /** Finality passes the blocks made during the stall; the stalled head was not reverted. */
  async resumed(networkInfo, names) {
    const stalled = JSON.parse(fs.readFileSync(stallFile(networkInfo), 'utf8'));
    return withNodes(networkInfo, names, async (apis, h) => {
      const start = Date.now();
      await h.waitFor(`finality past #${stalled.best}`, async () =>
        (await Promise.all(apis.map(async (api) => (await h.finalized(api)).number))).every((n) => n > stalled.best), 240_000);
      await sameBlock(apis, names, stalled.number, stalled.hash);
      const heads = await Promise.all(apis.map(async (api) => (await h.finalized(api)).number));
      report(`finality resumed in ${since(start)}: finalized ${heads.join(', ')}; #${stalled.number} (${stalled.hash.slice(0, 10)}) kept on every node`);
      return Math.min(...heads);
    });
  },

  /** The node under test reaches the reference node's finalized head, on the same chain. */
  async 'caught-up'(networkInfo, [node, reference]) {
    return withNodes(networkInfo, [node, reference], async ([api, referenceApi], h) => {
      const start = Date.now();
      const target = await h.finalized(referenceApi);
      await h.waitFor(`${node} finalizes #${target.number}`, async () => (await h.finalized(api)).number >= target.number, 240_000);
      await sameBlock([api], [node], target.number, target.hash);
      await sameBlock([api], [node], 1, (await referenceApi.rpc.chain.getBlockHash(1)).toHex());
      report(`${node} caught up to #${target.number} (finalized by ${reference}) in ${since(start)}`);
      return target.number;
    });
  },

  /** Deletes the node's database (ParityDB; not its keystore); the node must be paused. */
  async 'wipe-db'(networkInfo, [node]) {
    const chains = path.join(networkInfo.tmpDir, node, 'data', 'chains');
    const dbs = fs.readdirSync(chains).map((chain) => path.join(chains, chain, 'paritydb')).filter((db) => fs.existsSync(db));
    assert.equal(dbs.length, 1, `one database under ${chains}`);
    fs.rmSync(dbs[0], { recursive: true });
    report(`wiped ${dbs[0]}`);
    return 1;
  },

  /** Root adds `added` (keys generated on its node) and removes `removed`, the network running. */
  async 'add-remove'(networkInfo, [via, added, removed, setSize]) {
    return withNodes(networkInfo, [via], async ([api], h) => {
      const start = Date.now();
      const [operator, root, leaving] = await Promise.all([added, 'alice', removed].map(h.devAccount));
      await h.addValidator(api, networkInfo.nodesByName[added].wsUri, operator, root);
      report(`${added} added and authored a finalized block in ${since(start)}`);
      await h.removeValidator(api, leaving.address, root, Number(setSize));
      const validators = (await api.query.validatorSet.validators()).map((v) => v.toString());
      assert.ok(validators.includes(operator.address) && !validators.includes(leaving.address));
      report(`${removed} removed, GRANDPA set of ${setSize} finalized, ${since(start)} in all`);
      return validators.length;
    });
  },
};

/** zombienet's entry point: `args` is the check's name and its arguments. */
async function run(_nodeName, networkInfo, [check, ...args]) {
  assert.ok(checks[check], `unknown check ${check}`);
  return checks[check](networkInfo, args);
}

module.exports = { run };
