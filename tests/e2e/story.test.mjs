// The whole story, on one development chain, as the people who use it live it:
//
// 1. A data cooperative hashes its members' Q&A corpus with `prov hash` and anchors it; a vendor
//    anchors a synthetic dataset bound to the teacher model that generated it.
// 2. A base lab distils the teacher on that synthetic data, and a fine-tuning lab tunes the base
//    on the cooperative's corpus: every input is Licensed, so each registration is refused until
//    the lab buys a grant.
// 3. Four staked attesters (`prov attester serve`) check the fine-tune's training run: three find
//    it valid, one lies and is challenged and slashed; the run becomes final and is linked to the
//    checkpoint. A run the lab never did is attested by a colluding quorum and reversed by one
//    upheld challenge.
// 4. A customer pays to use the fine-tune: royalties flow up to the base model and the datasets,
//    a contributor claims her part of the cooperative's pool with a Merkle sum-tree proof, the
//    cooperative claims its own, and every unit paid in is accounted for.
// 5. The cooperative revokes the corpus (consent withdrawn): the fine-tune and everything made
//    from it turn tainted, the clean ancestor is named, the customer's deployment is warned, and
//    the lab registers an unlearning checkpoint and declares its training run.
// 6. The fine-tune's scores: one on a benchmark its lineage trained on is attested and flagged
//    contaminated, one on a held-out benchmark tops the leaderboard. In the same round of
//    attestation the unlearning run becomes final and remediates that line.
// 7. A receipt of the unlearned checkpoint is exported and verified offline.
// 8. An explorer indexes the chain (`scripts/indexer`: Subsquid into PostgreSQL, stopped and
//    restarted part way), finds every record equal to what the runtime APIs answer, and draws
//    the fine-tune's lineage in a browser: the tainted edge to the corpus, the clean ancestor.
//
// The cast (development accounts; the ones not endowed at genesis are funded by Alice):
//   Alice    with Bob and Charlie, the dev chain's council and dispute panel: Alice and Bob rule
//            on challenges; Alice also maintains two benchmarks
//   Bob      the data cooperative; Grace, Heidi, Ivan, Olivia are its contributors
//   Charlie  the synthetic-data vendor: a teacher model and the data it generated
//   Dave     the base-model lab          Ferdie  the fine-tuning lab
//   Eve      a customer who serves the fine-tune behind an API and pays per use
//   Ivy, Judy, Ken, Mallory  attesters  Walter  a watchdog who challenges verdicts
//
// The attester set, and why every decision below can happen. A verdict decides a run when at
// least `quorumCount` (3) attesters revealed it AND the stake they had bonded when they committed
// is at least `quorumStake` (2/3) of max(active stake at the declaration, stake committed on the
// run). Bonds: Ivy 2000, Judy 1500, Ken 1500, Mallory 1500 PROV: 6500 active, threshold 4333.33.
// - Run 1, the fine-tune's real training run: Ivy, Judy and Ken say valid (3 verdicts, 5000 PROV:
//   attested); Mallory says invalid. Quorum counts three verdicts, so two honest attesters could
//   never decide a run against a liar: the honest side needs three, hence four attesters.
// - Run 2, a run the lab never did: Judy, Ken and Mallory collude on valid (3 verdicts, 4500 PROV
//   >= 4333.33: falsely attested); Ivy alone says invalid (her 2000, the largest bond, is one
//   verdict and far from two thirds). The colluders must hold two thirds of the stake to win.
// - Upheld challenges slash Mallory (run 1) and Judy (run 2) 20% of the 1500 their verdicts
//   carried: 300 each, 150 to the challenger and 150 to the treasury. Both keep 1200, above the
//   1000 minimum, so all four stay active: the second round has 5900 active (threshold 3933.33),
//   decided by the four valid verdicts (any three would do but Ken, Judy and Mallory: 3900).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { bnToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, encodeAddress, sha256AsU8a } from '@polkadot/util-crypto';
import { auditPath, leafHash, mth, sumAuditPath, sumLeaf, sumRoot } from './merkle.mjs';
import { bestNumber, rpc, sleep } from './network.mjs';
import { assertIndexMatchesChain, caughtUp, startIndexer } from './indexer.mjs';
import { motion, provBinary, startNode } from './node.mjs';
import { openExplorer } from './explorer.mjs';

const UNIT = 10n ** 12n;
/** An amount of PROV in planck; at most three decimals. */
const PROV = (amount) => BigInt(Math.round(amount * 1000)) * (UNIT / 1000n);
/** A planck amount as provenance_* answers write balances. */
const str = (planck) => planck.toString();
/** A 32-byte stand-in for a document's hash: SHA-256 of its name. */
const h = (label) => sha256AsU8a(stringToU8a(label));
const hex = (bytes) => u8aToHex(bytes);
/** The account of a pallet id (`PalletId::into_account_truncating`). */
const palletAccount = (id) =>
  encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(32 - 4 - id.length)), 42);
const TREASURY = palletAccount('prov/trs');
const ROYALTIES = palletAccount('prov/roy');

/** Blocks from a run's declaration to its deadline: 8 to commit (5 at least), 5 to reveal. */
const RUN_BLOCKS = 13;
const ROUND_ONE_REWARD = PROV(30);
const ROUND_TWO_REWARD = PROV(59);

// The cooperative's corpus: one JSON line per record, grouped by the member who wrote it. Each
// member's weight in the contributor pool is the number of records she wrote.
const CONTRIBUTORS = [['grace', 5], ['heidi', 4], ['ivan', 2], ['olivia', 1]];
const CORPUS_LINES = CONTRIBUTORS.flatMap(([name, records]) => Array.from({ length: records }, (_, i) =>
  JSON.stringify({ contributor: name, question: `${name}'s question ${i}`, answer: `${name}'s answer ${i}` })));
const SYNTHETIC_LINES = Array.from({ length: 24 }, (_, i) =>
  JSON.stringify({ prompt: `synthetic prompt ${i}`, completion: `teacher completion ${i}` }));
const BENCHMARK_RECORDS = 8;

// Attesters: their bond, and the outputs their verifier could not reproduce (by name of the run's
// output, known once the weights are hashed). Ivy is honest throughout; Judy and Ken are honest on
// real runs and sell their verdict on the fabricated one; Mallory lies about the real fine-tune and
// sells hers too.
const ATTESTERS = [
  { name: 'ivy', stake: 2000, refutes: ['fabricated'] },
  { name: 'judy', stake: 1500, refutes: [] },
  { name: 'ken', stake: 1500, refutes: [] },
  { name: 'mallory', stake: 1500, refutes: ['fineTune'] },
];

// An attester's verifier as `prov attester serve --verifier` runs it: the run arrives as JSON on
// stdin, the verdict leaves on stdout. Re-running a training run is out of this test's scope: the
// attester's findings are passed in as the outputs it could not reproduce (comma-separated).
const VERIFIER = `import { readFileSync } from 'node:fs';
const run = JSON.parse(readFileSync(0, 'utf8'));
const refuted = (process.argv[2] ?? '').split(',').filter(Boolean);
const verdict = refuted.includes(run.outputHash) ? 'invalid' : 'valid';
console.log(JSON.stringify({ verdict, report: verdict + ': run ' + run.run + ' output ' + run.outputHash }));
`;

describe('the whole story: data, models, attestations, royalties, revocation, receipts', () => {
  let node;
  let api;
  let url;
  const work = mkdtempSync(join(tmpdir(), 'provenance-story-'));
  const who = {};
  const servers = [];
  const timings = [];
  let failed = false;

  // What the steps learn and later steps use.
  const ids = {};
  /** The taint the corpus leaves, revoked because its contributors withdrew consent. */
  const corpusTaint = () => ({
    sources: [{ origin: { dataset: ids.corpus }, kind: 'ConsentWithdrawn' }], kinds: ['ConsentWithdrawn'], truncated: false,
  });
  const weights = {};
  const ledger = []; // every royalties.Paid event: what was paid into the royalties pallet
  let royaltiesBaseline;

  // ---- helpers --------------------------------------------------------------------------------

  /** Runs `prov` with `args` and `--json`: { code, out, stderr }. Asynchronous, so that several
   * run at once and the polkadot.js connection keeps being served meanwhile. */
  const prov = (...args) => new Promise((resolve, reject) => {
    const child = spawn(provBinary(), [...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, out: out.trim() ? JSON.parse(out) : null, stderr });
      } catch (e) {
        reject(new Error(`prov ${args.join(' ')}: ${e.message}: ${out} ${stderr}`));
      }
    });
  });
  /** `prov` without a node (hashing, verifying a receipt), failing the test unless it exits 0. */
  const provLocal = async (...args) => {
    const run = await prov(...args);
    assert.equal(run.code, 0, `prov ${args.join(' ')}: ${JSON.stringify(run.out)} ${run.stderr}`);
    return run.out;
  };
  /** `prov` against the node, failing the test unless it exits 0. */
  const provOk = async (...args) => {
    const run = await prov(...args, '--url', url);
    assert.equal(run.code, 0, `prov ${args.join(' ')}: ${JSON.stringify(run.out)} ${run.stderr}`);
    return run.out;
  };

  /**
   * Signs and sends `tx` as `signer`; resolves once it is in a block with { blockHash,
   * blockNumber, events, error, fee }: its events, the name of the error it failed with (or
   * null) and the transaction fee it paid. Rejects when the pool refuses it.
   */
  const send = (signer, tx) => new Promise((resolve, reject) => {
    let unsub = null;
    let done = false;
    const finish = () => { done = true; if (unsub) unsub(); };
    tx.signAndSend(signer, { nonce: -1 }, ({ status, events, dispatchError }) => {
      if (done) return;
      if (status.isInBlock) {
        finish();
        const blockHash = status.asInBlock.toHex();
        let error = null;
        if (dispatchError) {
          error = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule).name : dispatchError.toString();
        }
        const fee = events
          .filter(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
          .reduce((sum, { event }) => sum + event.data.actualFee.toBigInt(), 0n);
        api.rpc.chain.getHeader(blockHash).then((header) => resolve({
          blockHash, blockNumber: header.number.toNumber(), events: events.map(({ event }) => event), error, fee,
        }), reject);
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        finish();
        reject(new Error(`${tx.method.section}.${tx.method.method}: transaction ${status.type}`));
      }
    }).then((u) => { if (done) u(); else unsub = u; }, (e) => { done = true; reject(e); });
  });
  /** `send`, failing the test unless the transaction succeeded. */
  const sendOk = async (signer, tx) => {
    const result = await send(signer, tx);
    assert.equal(result.error, null, `${tx.method.section}.${tx.method.method} failed`);
    return result;
  };
  const batch = (calls) => api.tx.utility.batchAll(calls);
  /** The events `section.method` of a transaction (or of a list of block events). */
  const eventsOf = (result, section, method) =>
    (result.events ?? result).filter((e) => e.section === section && e.method === method).map((e) => e.data);
  const eventOf = (result, section, method) => {
    const found = eventsOf(result, section, method);
    assert.equal(found.length, 1, `one ${section}.${method}`);
    return found[0];
  };
  /** Every event of blocks `from` to `to`, including those of `on_idle` (taint propagation). */
  const blockEvents = async (from, to) => {
    const found = [];
    for (let n = from; n <= to; n += 1) {
      const hash = await api.rpc.chain.getBlockHash(n);
      for (const { event } of await api.query.system.events.at(hash)) found.push(event);
    }
    return found;
  };
  /** Keeps the Paid events of `result` in the ledger of payments. */
  const ledgered = (result) => {
    ledger.push(...eventsOf(result, 'royalties', 'Paid'));
    return result;
  };

  /** 'ivy' is //Ivy. */
  const capital = (name) => name[0].toUpperCase() + name.slice(1);
  const address = (name) => who[name].address;
  /** Free and held (reserved) balance of an account, in planck. */
  const balance = async (account) => {
    const { data } = await api.query.system.account(typeof account === 'string' && who[account] ? address(account) : account);
    return { free: data.free.toBigInt(), reserved: data.reserved.toBigInt() };
  };
  /** Polls `check` every second until it returns a truthy value. */
  const until = async (what, check, ms = 180_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await check();
      if (value) return value;
      assert.ok(Date.now() < deadline, `${what}: not within ${ms} ms`);
      await sleep(1_000);
    }
  };
  const best = () => bestNumber(api);
  const untilBlock = (number) => until(`block #${number}`, async () => (await best()) >= number);
  const call = (method, ...params) => rpc(url, `provenance_${method}`, params);

  /** Sum of the deposits `account` holds for claimable entries its payments created. */
  const claimableDepositsOf = async (account) => (await api.query.royalties.claimable.entries())
    .map(([, owed]) => owed.unwrap().deposit)
    .filter((deposit) => deposit.depositor.toString() === account)
    .reduce((sum, deposit) => sum + deposit.amount.toBigInt(), 0n);

  /** Starts `prov attester serve` for `attester`; its JSON lines are collected in `lines`. */
  const serve = (attester, refuted) => {
    const verifier = `'${process.execPath}' '${join(work, 'verifier.mjs')}' '${refuted.join(',')}'`;
    const child = spawn(provBinary(), ['attester', 'serve', '--verifier', verifier, '--poll', '1',
      '--state-dir', join(work, `attester-${attester.name}`), '--signer', `//${capital(attester.name)}`,
      '--url', url, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = { ...attester, child, lines: [], stderr: '' };
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        server.lines.push(JSON.parse(line));
      } catch {
        server.lines.push({ event: 'error', unparsed: line });
      }
    });
    child.stderr.on('data', (d) => { server.stderr += d; });
    const kill = () => child.kill('SIGKILL');
    process.on('exit', kill);
    server.stop = () => new Promise((resolve) => {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    servers.push(server);
    return server;
  };

  /** Waits until every attester revealed on each of `runs`; returns their provenance_run answers. */
  const untilRevealed = (runs) => until(`all verdicts revealed on runs ${runs}`, async () => {
    for (const run of runs) {
      const verdicts = await call('verdicts', run);
      if (verdicts.length < ATTESTERS.length || verdicts.some(([, vote]) => vote.revealed === null)) return null;
    }
    return Promise.all(runs.map((run) => call('run', run)));
  });

  /** What each winner of a run is paid: the reward split by the stake its verdict carried. */
  const rewardShares = (reward, stakes) => {
    const total = Object.values(stakes).reduce((a, b) => a + b, 0n);
    return Object.fromEntries(Object.entries(stakes).map(([name, stake]) => [address(name), reward * stake / total]));
  };
  const paidRewards = (result, run) => Object.fromEntries(eventsOf(result, 'attestations', 'RewardPaid')
    .filter((e) => e.run.toNumber() === run)
    .map((e) => [e.attester.toString(), e.amount.toBigInt()]));

  /** One step of the story: skipped once an earlier one failed; its time and blocks are kept. */
  const step = (title, timeout, body) => it(title, { timeout }, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    const started = Date.now();
    const firstBlock = await best();
    try {
      await body();
    } catch (e) {
      failed = true;
      for (const server of servers) {
        const errors = server.lines.filter((l) => l.event === 'error');
        if (errors.length) console.log(`${server.name}'s attester errors:`, JSON.stringify(errors), server.stderr);
      }
      console.log(`node log: ${node.logPath}`);
      throw e;
    } finally {
      timings.push({ title, seconds: (Date.now() - started) / 1000, blocks: (await best().catch(() => firstBlock)) - firstBlock });
    }
  });

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    api = node.api;
    url = node.rpcUrl;
    const keyring = new Keyring({ type: 'sr25519' });
    for (const name of ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie', 'walter',
      ...CONTRIBUTORS.map(([name]) => name), ...ATTESTERS.map((a) => a.name)]) {
      who[name] = keyring.addFromUri(`//${capital(name)}`);
    }
    writeFileSync(join(work, 'verifier.mjs'), VERIFIER);
    writeFileSync(join(work, 'community-qa.jsonl'), `${CORPUS_LINES.join('\n')}\n`);
    writeFileSync(join(work, 'synthetic.jsonl'), `${SYNTHETIC_LINES.join('\n')}\n`);
    const tuned = join(work, 'assistant-7b');
    mkdirSync(tuned);
    writeFileSync(join(tuned, 'config.json'), '{"architecture": "llama", "layers": 32}\n');
    writeFileSync(join(tuned, 'model-00001-of-00002.safetensors'), 'weights shard one\n'.repeat(64));
    writeFileSync(join(tuned, 'model-00002-of-00002.safetensors'), 'weights shard two\n'.repeat(64));
    royaltiesBaseline = (await balance(ROYALTIES)).free;
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await node?.stop();
    if (timings.length) {
      const width = Math.max(...timings.map((t) => t.title.length));
      console.log([
        `${'step'.padEnd(width)}  seconds  blocks`,
        ...timings.map((t) => `${t.title.padEnd(width)}  ${t.seconds.toFixed(1).padStart(7)}  ${String(t.blocks).padStart(6)}`),
        `${'total'.padEnd(width)}  ${timings.reduce((s, t) => s + t.seconds, 0).toFixed(1).padStart(7)}  ${String(timings.reduce((s, t) => s + t.blocks, 0)).padStart(6)}`,
      ].join('\n'));
    }
  });

  // ---- 1 --------------------------------------------------------------------------------------

  step('1. anchors the contributors\' corpus (prov hash) and a synthetic dataset bound to its generator', 180_000, async () => {
    // The cooperative hashes its corpus with the CLI: a line-oriented file is one leaf per line
    // of the RFC 6962 SHA-256 tree. The test's own implementation of the tree agrees.
    const corpus = await provLocal('hash', join(work, 'community-qa.jsonl'));
    const corpusLeaves = CORPUS_LINES.map((line) => leafHash(stringToU8a(line)));
    assert.deepEqual(corpus, {
      form: 'lines', root: hex(mth(corpusLeaves)), records: CORPUS_LINES.length,
      bytes: Buffer.byteLength(`${CORPUS_LINES.join('\n')}\n`),
    });
    const synthetic = await provLocal('hash', join(work, 'synthetic.jsonl'));
    assert.equal(synthetic.records, SYNTHETIC_LINES.length);

    // The cooperative's pool: a Merkle sum tree over (account, weight) leaves, the weight being
    // the records each member wrote; the root commits to the total, which is the corpus's size.
    const poolLeaves = CONTRIBUTORS.map(([name, weight]) =>
      sumLeaf(u8aConcat(decodeAddress(address(name)), bnToU8a(weight, { bitLength: 128, isLe: true })), weight));
    const poolRoot = sumRoot(poolLeaves);
    assert.equal(poolRoot.sum, BigInt(CORPUS_LINES.length));
    Object.assign(ids, { poolLeaves });

    const bobBefore = await balance('bob');
    const licenseTerms = (fee, bps, name) => api.tx.licenses.createTerms({
      commercialUse: true, derivatives: 'Allowed', attribution: true, fee: PROV(fee),
      upstreamRoyaltyBps: bps, duration: null, termsHash: h(`${name} terms text`),
    }, `https://${name}.example/terms`);
    const benchmark = (name) => api.tx.datasets.register(h(`${name} records`), BENCHMARK_RECORDS, 4096,
      `hf://datasets/alice/${name}`, h(`${name} datasheet`), { Human: null }, false, null);
    const funds = [['walter', 1_000], ['grace', 1], ...ATTESTERS.map((a) => [a.name, 5_000])];

    // Three parties act in the same block: Alice funds the newcomers and anchors two
    // benchmarks, Bob anchors the corpus and publishes his terms, Charlie registers the teacher
    // model and publishes his.
    const [funded, anchored, teacher] = await Promise.all([
      sendOk(who.alice, batch([
        ...funds.map(([name, amount]) => api.tx.balances.transferKeepAlive(address(name), PROV(amount))),
        benchmark('qa-bench'), benchmark('held-out-bench'),
      ])),
      sendOk(who.bob, batch([
        api.tx.datasets.register(corpus.root, corpus.records, corpus.bytes, 'hf://datasets/coop/community-qa',
          h('community-qa datasheet'), { Human: null }, false, null),
        licenseTerms(20, 1_000, 'coop'),
      ])),
      sendOk(who.charlie, batch([
        api.tx.checkpoints.register(h('teacher-70b weights'), [], [], [], 'hf://charlie/teacher-70b',
          h('teacher-70b model card'), true, null),
        licenseTerms(5, 500, 'charlie'),
      ])),
    ]);
    for (const [name, amount] of funds) assert.equal((await balance(name)).free, PROV(amount), `${name} funded`);
    [ids.qaBench, ids.heldOut] = eventsOf(funded, 'datasets', 'DatasetRegistered').map((e) => e.id.toNumber());
    const corpusEvent = eventOf(anchored, 'datasets', 'DatasetRegistered');
    ids.corpus = corpusEvent.id.toNumber();
    assert.equal(corpusEvent.owner.toString(), address('bob'));
    assert.equal(hex(corpusEvent.root), corpus.root);
    assert.equal(corpusEvent.recordCount.toNumber(), CORPUS_LINES.length);
    assert.ok(corpusEvent.origin.isHuman);
    const coopTerms = eventOf(anchored, 'licenses', 'TermsCreated');
    ids.coopTerms = coopTerms.id.toNumber();
    ids.teacher = eventOf(teacher, 'checkpoints', 'CheckpointRegistered').id.toNumber();
    ids.vendorTerms = eventOf(teacher, 'licenses', 'TermsCreated').id.toNumber();

    // Then: Bob offers the corpus under his terms (deriving needs a grant) and splits its income,
    // 25% to the cooperative, 75% to the pool; Charlie anchors the synthetic set, bound to the
    // teacher that generated it with the generation parameters and the filter policy.
    const pool = { root: poolRoot.hash, leaves: poolLeaves.length, totalWeight: poolRoot.sum, share: 750_000_000 };
    const [licensed, generated] = await Promise.all([
      sendOk(who.bob, batch([
        api.tx.licenses.setLicense({ Dataset: ids.corpus }, ids.coopTerms, 'Licensed'),
        api.tx.royalties.setSplit({ Dataset: ids.corpus }, [[address('bob'), 250_000_000]], pool),
      ])),
      sendOk(who.charlie, api.tx.datasets.register(synthetic.root, synthetic.records, synthetic.bytes,
        'hf://datasets/charlie/synthetic-instruct', h('synthetic datasheet'),
        { Synthetic: { generator: ids.teacher, paramsHash: h('temperature 0.7, top-p 0.9'), policyHash: h('dedup + toxicity filter') } },
        true, null)),
    ]);
    ids.pool = eventOf(licensed, 'royalties', 'SplitSet').pool.unwrap().toNumber();
    const syntheticEvent = eventOf(generated, 'datasets', 'DatasetRegistered');
    ids.synthetic = syntheticEvent.id.toNumber();
    assert.ok(syntheticEvent.origin.isSynthetic);
    assert.equal(syntheticEvent.origin.asSynthetic.generator.toNumber(), ids.teacher);
    assert.equal(eventOf(licensed, 'licenses', 'LicenseSet').policy.type, 'Licensed');
    // Charlie offers the synthetic set under his terms while the explorer reads.
    const vendorLicensed = sendOk(who.charlie, api.tx.licenses.setLicense({ Dataset: ids.synthetic }, ids.vendorTerms, 'Licensed'));
    vendorLicensed.catch(() => {}); // awaited below; not an unhandled rejection meanwhile

    // What an explorer reads back.
    const record = await call('dataset', ids.corpus);
    assert.equal(record.owner, address('bob'));
    assert.equal(record.root, corpus.root);
    assert.equal(record.recordCount, CORPUS_LINES.length);
    assert.equal(record.byteSize, corpus.bytes);
    assert.equal(record.origin, 'Human');
    assert.equal(record.status, 'Active');
    assert.deepEqual((await call('dataset', ids.synthetic)).origin, {
      synthetic: { generator: ids.teacher, paramsHash: hex(h('temperature 0.7, top-p 0.9')), policyHash: hex(h('dedup + toxicity filter')) },
    });
    assert.deepEqual(await call('ancestors', { dataset: ids.synthetic }, 8), [{ asset: { checkpoint: ids.teacher }, depth: 1 }]);
    assert.deepEqual(await call('descendants', { checkpoint: ids.teacher }, 0, 10),
      { items: [{ asset: { dataset: ids.synthetic }, depth: 1 }], next: null });
    await vendorLicensed;
    // Grace checks that her first record is in the anchored corpus.
    assert.ok((await api.call.provenanceApi.verifyRecord(ids.corpus, corpusLeaves[0], 0, auditPath(0, corpusLeaves))).isOk);
    for (const [asset, terms] of [[{ Dataset: ids.corpus }, ids.coopTerms], [{ Dataset: ids.synthetic }, ids.vendorTerms]]) {
      const offered = (await api.query.licenses.assetLicenses(asset)).unwrap();
      assert.equal(offered.terms.toNumber(), terms);
      assert.equal(offered.policy.type, 'Licensed');
    }
    const royalties = await call('royalties', { dataset: ids.corpus });
    assert.deepEqual(royalties.split.entries, [[address('bob'), 250_000_000]]);
    assert.deepEqual(royalties.split.pool, [ids.pool, 750_000_000]);
    const poolRecord = await call('pool', ids.pool);
    assert.deepEqual(poolRecord.spec, { root: hex(poolRoot.hash), leaves: 4, totalWeight: '12', share: 750_000_000 });
    assert.deepEqual([poolRecord.accrued, poolRecord.paid], ['0', '0']);

    // Bob's balance: what he holds is the deposits of his records, and nothing else left.
    const bobAfter = await balance('bob');
    const held = corpusEvent.deposit.toBigInt() + coopTerms.deposit.toBigInt()
      + BigInt(royalties.split.deposit.amount) + BigInt(poolRecord.deposit.amount);
    assert.equal(bobAfter.reserved - bobBefore.reserved, held);
    assert.equal(bobBefore.free - bobAfter.free, held + anchored.fee + licensed.fee);
  });

  // ---- 2 --------------------------------------------------------------------------------------

  step('2. registers the base and the fine-tune under Licensed terms: refused without a grant, accepted with one', 240_000, async () => {
    // Dave distils Charlie's teacher on the synthetic set, and (carelessly) on qa-bench.
    const registerBase = () => api.tx.checkpoints.register(h('base-7b weights'),
      [{ checkpoint: ids.teacher, relation: 'Distillation' }], [ids.synthetic, ids.qaBench], [],
      'hf://dave/base-7b', h('base-7b model card'), true, 1_000);
    assert.equal((await send(who.dave, registerBase())).error, 'NoLiveGrant', 'the synthetic set is Licensed');
    const daveGrant = ledgered(await sendOk(who.dave, api.tx.licenses.acquireLicense({ Dataset: ids.synthetic }, ids.vendorTerms, PROV(5))));
    const granted = eventOf(daveGrant, 'licenses', 'LicenseGranted');
    assert.equal(granted.fee.toBigInt(), PROV(5));
    assert.ok(granted.expiresAt.isNone, 'the vendor\'s terms have no end');
    const base = await sendOk(who.dave, batch([registerBase(), api.tx.licenses.createTerms({
      commercialUse: true, derivatives: 'Allowed', attribution: true, fee: PROV(50),
      upstreamRoyaltyBps: 2_000, duration: null, termsHash: h('dave terms text'),
    }, 'https://dave.example/terms')]));
    ids.base = eventOf(base, 'checkpoints', 'CheckpointRegistered').id.toNumber();
    ids.baseTerms = eventOf(base, 'licenses', 'TermsCreated').id.toNumber();
    // Its royalty stack: the synthetic set's 5%, under the terms Dave's grant was bought with.
    assert.deepEqual(eventOf(base, 'royalties', 'StackFixed').stack.toJSON(),
      [{ ancestor: { dataset: ids.synthetic }, bps: 500, depth: 1 }]);
    await sendOk(who.dave, api.tx.licenses.setLicense({ Checkpoint: ids.base }, ids.baseTerms, 'Licensed'));

    // Ferdie fine-tunes the base on the cooperative's corpus, hashing the weight files first.
    const tunedTree = await provLocal('hash', join(work, 'assistant-7b'));
    assert.equal(tunedTree.form, 'directory');
    assert.equal(tunedTree.records, 3);
    weights.fineTune = tunedTree.root;
    weights.fabricated = hex(h('assistant-7b-v2 weights, never trained'));
    weights.quantized = hex(h('assistant-7b-int8 weights'));
    weights.unlearned = hex(h('assistant-7b-unlearned weights'));
    const registerFineTune = () => api.tx.checkpoints.register(weights.fineTune,
      [{ checkpoint: ids.base, relation: 'FineTune' }], [ids.corpus], [],
      'hf://ferdie/assistant-7b', h('assistant-7b model card'), true, 4_000);
    const ferdieBefore = await balance('ferdie');
    const refused = await send(who.ferdie, registerFineTune());
    assert.equal(refused.error, 'NoLiveGrant', 'the base and the corpus are Licensed');
    const grants = ledgered(await sendOk(who.ferdie, batch([
      api.tx.licenses.acquireLicense({ Checkpoint: ids.base }, ids.baseTerms, PROV(50)),
      api.tx.licenses.acquireLicense({ Dataset: ids.corpus }, ids.coopTerms, PROV(20)),
    ])));
    const fineTune = await sendOk(who.ferdie, registerFineTune());
    const registered = eventOf(fineTune, 'checkpoints', 'CheckpointRegistered');
    ids.fineTune = registered.id.toNumber();
    const stack = eventOf(fineTune, 'royalties', 'StackFixed');
    assert.equal(stack.totalBps.toNumber(), 3_500);
    // And an int8 quantization of it, which the lab also publishes.
    const quantized = await sendOk(who.ferdie, api.tx.checkpoints.register(weights.quantized,
      [{ checkpoint: ids.fineTune, relation: 'Quantization' }], [], [], 'hf://ferdie/assistant-7b-int8',
      h('assistant-7b-int8 model card'), true, null));
    const quantizedEvent = eventOf(quantized, 'checkpoints', 'CheckpointRegistered');
    ids.quantized = quantizedEvent.id.toNumber();

    // The fees went into the licensed assets' royalties; the base's fee paid the synthetic
    // set's 5% on the way.
    assert.deepEqual(eventsOf(grants, 'licenses', 'LicenseGranted').map((e) => [e.asset.toJSON(), e.fee.toBigInt()]),
      [[{ checkpoint: ids.base }, PROV(50)], [{ dataset: ids.corpus }, PROV(20)]]);
    assert.deepEqual(eventsOf(grants, 'royalties', 'RoyaltyPaid').map((e) => [e.from.toJSON(), e.to.toJSON(), e.amount.toBigInt()]),
      [[{ checkpoint: ids.base }, { dataset: ids.synthetic }, PROV(2.5)]]);
    for (const [asset, terms] of [[{ Checkpoint: ids.base }, ids.baseTerms], [{ Dataset: ids.corpus }, ids.coopTerms]]) {
      const grant = (await api.query.licenses.grants(asset, address('ferdie'))).unwrap();
      assert.equal(grant.terms.toNumber(), terms);
      assert.ok(grant.expiresAt.isNone);
    }

    // The fine-tune's royalty stack: the base's 20% and the corpus's 10% one edge up, the
    // synthetic set's 5% two edges up: 35% of every payment goes upstream.
    const expectedStack = [
      { ancestor: { checkpoint: ids.base }, bps: 2_000, depth: 1 },
      { ancestor: { dataset: ids.synthetic }, bps: 500, depth: 2 },
      { ancestor: { dataset: ids.corpus }, bps: 1_000, depth: 1 },
    ];
    assert.deepEqual(stack.stack.toJSON(), expectedStack);
    assert.deepEqual((await call('royalties', { checkpoint: ids.fineTune })).stack, expectedStack);
    assert.deepEqual((await api.call.royaltiesApi.royalties({ Checkpoint: ids.quantized })).unwrap().stack.toJSON(),
      expectedStack.map((entry) => ({ ...entry, depth: entry.depth + 1 })));
    assert.deepEqual(await call('ancestors', { checkpoint: ids.fineTune }, 8), [
      { asset: { checkpoint: ids.base }, depth: 1 }, { asset: { dataset: ids.corpus }, depth: 1 },
      { asset: { checkpoint: ids.teacher }, depth: 2 }, { asset: { dataset: ids.synthetic }, depth: 2 },
      { asset: { dataset: ids.qaBench }, depth: 2 },
    ]);
    const checkpoint = await call('checkpoint', ids.fineTune);
    assert.deepEqual(checkpoint.parents, [{ checkpoint: ids.base, relation: 'FineTune' }]);
    assert.deepEqual(checkpoint.datasets, [ids.corpus]);
    assert.equal(checkpoint.run, null, 'no final training run yet');
    // 24 of its lineage's 44 training records are synthetic, made by its own ancestor (the teacher
    // the base was distilled from): the chain calls that self-consumption.
    assert.deepEqual(await call('syntheticShare', ids.fineTune), {
      totalRecords: '44', syntheticRecords: '24', partsPerMillion: 545_454, selfConsuming: true, complete: true,
    });

    // Who is owed what so far: Charlie 5 + 2.5, Dave 47.5, Bob a quarter of 20, the pool 15.
    assert.deepEqual(await call('claimable', address('charlie'), null, 10), [[{ dataset: ids.synthetic }, str(PROV(7.5))]]);
    assert.deepEqual(await call('claimable', address('dave'), null, 10), [[{ checkpoint: ids.base }, str(PROV(47.5))]]);
    assert.deepEqual(await call('claimable', address('bob'), null, 10), [[{ dataset: ids.corpus }, str(PROV(5))]]);
    assert.equal((await call('pool', ids.pool)).accrued, str(PROV(15)));

    // Ferdie's balance: 70 PROV of license fees, the deposits now held (grants, checkpoints,
    // the claimable entries his fees created) and transaction fees; nothing else.
    const ferdieAfter = await balance('ferdie');
    const heldNow = ferdieAfter.reserved - ferdieBefore.reserved;
    const deposits = eventsOf(grants, 'licenses', 'LicenseGranted').reduce((s, e) => s + e.deposit.toBigInt(), 0n)
      + registered.deposit.toBigInt() + quantizedEvent.deposit.toBigInt();
    assert.equal(heldNow, deposits + await claimableDepositsOf(address('ferdie')));
    assert.equal(ferdieBefore.free - ferdieAfter.free,
      PROV(70) + heldNow + refused.fee + grants.fee + fineTune.fee + quantized.fee);
  });

  // ---- 3 --------------------------------------------------------------------------------------

  step('3. attesters vouch for the fine-tune\'s training run; a lie and a colluding quorum are slashed and reversed', 480_000, async () => {
    // The development chain's rules: a run is committed, revealed and challenged in minutes.
    const { attesters, runs } = await api.query.attestations.parameters();
    assert.deepEqual([runs.minCommitPeriod, runs.revealPeriod, runs.challengePeriod, runs.quorumCount]
      .map((v) => v.toNumber()), [5, 5, 10, 3]);
    assert.deepEqual([runs.quorumStake, runs.slashFraction, runs.challengerShare].map((v) => v.toNumber()),
      [666_666_667, 200_000_000, 500_000_000]);
    assert.equal(attesters.minStake.toBigInt(), PROV(1_000));
    assert.equal(runs.challengeBond.toBigInt(), PROV(100));

    // The attesters bond with the CLI, all at once, before any run is declared: only stake
    // active at a run's declaration may vote on it.
    const bonded = await Promise.all(ATTESTERS.map((a) =>
      provOk('attester', 'bond', `${a.stake}PROV`, '--signer', `//${capital(a.name)}`)));
    ATTESTERS.forEach((a, i) => assert.equal(bonded[i].bonded, str(PROV(a.stake))));
    for (const a of ATTESTERS) {
      const record = await call('attester', address(a.name));
      assert.deepEqual([record.status, record.bonded, record.faults], ['Active', str(PROV(a.stake)), 0]);
      assert.equal((await balance(a.name)).reserved, PROV(a.stake), 'the bond is held');
    }
    const active = (await api.query.attestations.activeSet()).reduce((s, [, stake]) => s + stake.toBigInt(), 0n);
    assert.equal(active, PROV(6_500));
    for (const a of ATTESTERS) serve(a, a.refutes.map((name) => weights[name]));

    // Ferdie declares the fine-tune's training run, and one for weights it never trained.
    const ferdieBefore = await balance('ferdie');
    const deadline = (await best()) + RUN_BLOCKS;
    const declareTraining = (output) => api.tx.attestations.declareRun([ids.corpus], [ids.base],
      h('config.yaml'), h('train.py at 4f2a9c'), h('cuda 12.4 image'), h('in-toto statement'), output,
      h('training log root'), ROUND_ONE_REWARD, deadline);
    const declared = await sendOk(who.ferdie, batch([declareTraining(weights.fineTune), declareTraining(weights.fabricated)]));
    const [real, fake] = eventsOf(declared, 'attestations', 'RunDeclared');
    ids.run = real.run.toNumber();
    ids.fakeRun = fake.run.toNumber();
    for (const e of [real, fake]) {
      assert.equal(e.reward.toBigInt(), ROUND_ONE_REWARD);
      assert.equal(e.commitEnd.toNumber(), deadline - 5);
      assert.equal(e.rules.challengePeriod.toNumber(), 10, 'the run keeps the rules it was declared under');
    }
    const open = await call('run', ids.run);
    assert.equal(open.status, 'Open');
    assert.equal(open.stakeSnapshot, str(PROV(6_500)));
    assert.deepEqual(open.claim.training.datasets, [ids.corpus]);
    assert.deepEqual(open.claim.training.baseCheckpoints, [ids.base]);
    assert.equal(open.outputHash, weights.fineTune);

    // The attesters' servers commit, then reveal; each run is decided as its verdicts come in.
    const [realRun, fakeRun] = await untilRevealed([ids.run, ids.fakeRun]);
    assert.equal(realRun.status.decided.outcome, 'Attested');
    assert.deepEqual([realRun.valid, realRun.invalid],
      [{ count: 3, stake: str(PROV(5_000)) }, { count: 1, stake: str(PROV(1_500)) }]);
    assert.equal(fakeRun.status.decided.outcome, 'Attested', 'the colluding quorum attests a run that never happened');
    assert.deepEqual([fakeRun.valid, fakeRun.invalid],
      [{ count: 3, stake: str(PROV(4_500)) }, { count: 1, stake: str(PROV(2_000)) }]);
    const expected = { ivy: ['Valid', 'Invalid'], judy: ['Valid', 'Valid'], ken: ['Valid', 'Valid'], mallory: ['Invalid', 'Valid'] };
    for (const [i, run] of [ids.run, ids.fakeRun].entries()) {
      const verdicts = new Map(await call('verdicts', run));
      for (const server of servers) {
        assert.equal(verdicts.get(address(server.name)).revealed.verdict, expected[server.name][i], `${server.name} on run ${run}`);
        assert.equal(verdicts.get(address(server.name)).stake, str(PROV(server.stake)));
        const revealed = server.lines.find((l) => l.event === 'revealed' && l.run === run);
        assert.equal(revealed?.verdict, expected[server.name][i].toLowerCase(), `${server.name}'s server revealed run ${run}`);
      }
    }

    // Walter, a watchdog, challenges Mallory's verdict on the real run and Judy's on the
    // fabricated one, holding a bond for each; the dispute panel upholds both.
    const walterBefore = await balance('walter');
    const treasuryBefore = await balance(TREASURY);
    const challenged = await sendOk(who.walter, batch([
      api.tx.attestations.challenge(ids.run, address('mallory')),
      api.tx.attestations.challenge(ids.fakeRun, address('judy')),
    ]));
    // Each must be ruled within a challenge period after its window, or it lapses (bond back).
    const rulingDeadline = (run) => run.status.decided.windowEnd + runs.challengePeriod.toNumber();
    assert.deepEqual(eventsOf(challenged, 'attestations', 'Challenged').map((e) => [e.run.toNumber(), e.attester.toString(),
      e.bond.toBigInt(), e.rulingDeadline.toNumber()]),
    [[ids.run, address('mallory'), PROV(100), rulingDeadline(realRun)],
      [ids.fakeRun, address('judy'), PROV(100), rulingDeadline(fakeRun)]]);
    assert.equal((await balance('walter')).reserved - walterBefore.reserved, PROV(200), 'two bonds held');
    // The dispute panel rules: Alice proposes, Bob seconds (two of three), and the motion runs.
    const ruled = await motion(api, 'disputePanel', [who.alice, who.bob], batch([
      api.tx.attestations.resolveChallenge(ids.run, address('mallory'), true),
      api.tx.attestations.resolveChallenge(ids.fakeRun, address('judy'), true),
    ]), sendOk);
    assert.ok(eventOf(ruled, 'disputePanel', 'Executed').result.isOk);
    assert.equal(eventsOf(ruled, 'attestations', 'ChallengeUpheld').length, 2);
    const slashes = eventsOf(ruled, 'attestations', 'Slashed');
    assert.deepEqual(slashes.map((e) => [e.run.toNumber(), e.attester.toString(), e.fault.type, e.due.toBigInt(),
      e.slashed.toBigInt(), e.reporter.unwrap().toString(), e.reward.toBigInt()]), [
      [ids.run, address('mallory'), 'Upheld', PROV(300), PROV(300), address('walter'), PROV(150)],
      [ids.fakeRun, address('judy'), 'Upheld', PROV(300), PROV(300), address('walter'), PROV(150)],
    ]);
    // The real run stays attested (the liar was the minority); the fabricated one is reversed.
    // Both rulings fix their run's outcome (an explorer learns `ruled` from these); only the
    // fabricated run's outcome changes.
    assert.deepEqual(eventsOf(ruled, 'attestations', 'RunRuled').map((e) => [e.run.toNumber(), e.outcome.type]),
      [[ids.run, 'Attested'], [ids.fakeRun, 'Rejected']]);
    const redecided = eventsOf(ruled, 'attestations', 'RunDecided');
    assert.deepEqual(redecided.map((e) => [e.run.toNumber(), e.outcome.type, e.windowEnd.toNumber()]),
      [[ids.fakeRun, 'Rejected', fakeRun.status.decided.windowEnd]]);
    const fakeRuled = await call('run', ids.fakeRun);
    assert.deepEqual(fakeRuled.status, { decided: { outcome: 'Rejected', windowEnd: fakeRun.status.decided.windowEnd } });
    assert.equal(fakeRuled.ruled, true);
    assert.deepEqual(fakeRuled.valid, { count: 2, stake: str(PROV(3_000)) }, 'Judy\'s verdict no longer counts');
    for (const [name, run] of [['mallory', ids.run], ['judy', ids.fakeRun]]) {
      const attester = await call('attester', address(name));
      assert.deepEqual([attester.status, attester.bonded, attester.faults, attester.openChallenges],
        ['Active', str(PROV(1_200)), 1, 0], `${name} keeps 1200, above the minimum: still active`);
      const [[slashedRun, slash]] = await call('slashes', address(name), null, 10);
      assert.equal(slashedRun, run);
      assert.deepEqual([slash.fault, slash.due, slash.slashed], ['Upheld', str(PROV(300)), str(PROV(300))]);
      assert.equal((await balance(name)).reserved, PROV(1_200), 'the slash came out of the held bond');
    }
    // Walter has his bonds back and half of each slash; the treasury the other halves.
    const walterAfter = await balance('walter');
    assert.equal(walterAfter.reserved, walterBefore.reserved);
    assert.equal(walterAfter.free - walterBefore.free, PROV(300) - challenged.fee);
    // (The treasury also takes 80% of every transaction fee meanwhile: count the slashes' halves.)
    assert.deepEqual(eventsOf(ruled, 'balances', 'Deposit').filter((e) => e.who.toString() === TREASURY)
      .map((e) => e.amount.toBigInt()).filter((amount) => amount === PROV(150)), [PROV(150), PROV(150)]);
    assert.ok((await balance(TREASURY)).free - treasuryBefore.free > PROV(300));

    // After the challenge window, anyone settles: the real run is final and linked to the
    // fine-tune; the reward of each goes to the verdicts that stood, by stake.
    await untilBlock(Math.max(realRun.status.decided.windowEnd, fakeRun.status.decided.windowEnd));
    const settled = await sendOk(who.ferdie, batch([
      api.tx.attestations.settleRun(ids.run), api.tx.attestations.settleRun(ids.fakeRun),
    ]));
    assert.deepEqual(eventsOf(settled, 'attestations', 'RunFinalized').map((e) =>
      [e.run.toNumber(), e.outcome.type, e.attesters.toNumber(), e.paid.toBigInt(), e.refund.toBigInt()]), [
      [ids.run, 'Attested', 3, ROUND_ONE_REWARD, 0n],
      [ids.fakeRun, 'Rejected', 1, ROUND_ONE_REWARD, 0n],
    ]);
    assert.deepEqual(paidRewards(settled, ids.run),
      rewardShares(ROUND_ONE_REWARD, { ivy: PROV(2_000), judy: PROV(1_500), ken: PROV(1_500) }));
    assert.deepEqual(paidRewards(settled, ids.fakeRun), { [address('ivy')]: ROUND_ONE_REWARD }, 'the lone honest verdict takes it all');
    assert.deepEqual(eventsOf(settled, 'checkpoints', 'RunLinked').map((e) => [e.checkpoint.toNumber(), e.run.toNumber()]),
      [[ids.fineTune, ids.run]]);
    assert.equal((await call('checkpoint', ids.fineTune)).run, ids.run);
    const ofCheckpoint = await call('runsOfCheckpoint', ids.fineTune, null, 10);
    assert.deepEqual(ofCheckpoint.map(([run, record]) => [run, record.status]), [[ids.run, { final: { outcome: 'Attested' } }]]);
    assert.deepEqual((await call('run', ids.fakeRun)).status, { final: { outcome: 'Rejected' } });
    assert.ok((await api.call.attestationsApi.run(ids.run)).unwrap().status.isFinal);

    // Ferdie paid both rewards; the runs' deposits stay held for their records.
    const ferdieAfter = await balance('ferdie');
    const runDeposits = real.deposit.toBigInt() + fake.deposit.toBigInt();
    assert.equal(ferdieAfter.reserved - ferdieBefore.reserved, runDeposits);
    assert.equal(ferdieBefore.free - ferdieAfter.free, 2n * ROUND_ONE_REWARD + runDeposits + declared.fee + settled.fee);
  });

  // ---- 4 --------------------------------------------------------------------------------------

  step('4. usage fees paid to the fine-tune reach the base, the datasets and a contributor; every unit is accounted for', 180_000, async () => {
    // Eve serves the fine-tune behind her API and pays 1000 PROV for a month of use.
    ids.endpoint = h('https://api.eve.example/v1/assistant');
    const eveBefore = await balance('eve');
    const used = ledgered(await sendOk(who.eve, batch([
      api.tx.evaluations.deploy(ids.fineTune, ids.endpoint),
      api.tx.royalties.pay({ Checkpoint: ids.fineTune }, PROV(1_000)),
    ])));
    const deployed = eventOf(used, 'evaluations', 'Deployed');
    ids.deployment = deployed.deployment.toNumber();
    ids.deployedAt = deployed.from.toNumber();
    assert.equal(deployed.tainted.isTrue, false);
    assert.deepEqual(eventsOf(used, 'royalties', 'RoyaltyPaid').map((e) => [e.to.toJSON(), e.amount.toBigInt()]), [
      [{ checkpoint: ids.base }, PROV(200)], [{ dataset: ids.synthetic }, PROV(50)], [{ dataset: ids.corpus }, PROV(100)],
    ]);
    const credited = Object.fromEntries(eventsOf(used, 'royalties', 'Credited').map((e) => [e.account.toString(), e.amount.toBigInt()]));
    assert.deepEqual(credited, {
      [address('dave')]: PROV(200), [address('charlie')]: PROV(50), [address('bob')]: PROV(25), [address('ferdie')]: PROV(650),
    });
    assert.equal(eventOf(used, 'royalties', 'PoolCredited').amount.toBigInt(), PROV(75));
    assert.deepEqual((await call('royalties', { checkpoint: ids.fineTune })).totals,
      { paidIn: str(PROV(1_000)), royaltiesIn: '0', royaltiesOut: str(PROV(350)) });
    assert.deepEqual((await call('royalties', { dataset: ids.corpus })).totals,
      { paidIn: str(PROV(20)), royaltiesIn: str(PROV(100)), royaltiesOut: '0' });
    const deployment = await call('deployment', ids.deployment);
    assert.equal(deployment.tainted, false);
    // Eve's balance: the payment, the deposits of her deployment and of the entries her payment
    // created, and the transaction fee.
    const eveAfter = await balance('eve');
    const heldNow = eveAfter.reserved - eveBefore.reserved;
    assert.equal(BigInt(deployment.deployment.deposit), deployed.deposit.toBigInt(), 'the event carries the deposit');
    assert.equal(heldNow, deployed.deposit.toBigInt() + await claimableDepositsOf(address('eve')));
    assert.equal(eveBefore.free - eveAfter.free, PROV(1_000) + heldNow + used.fee);

    // Grace claims her part of the pool with her leaf's sum-tree audit path: her range is the
    // first 5 of 12, so 5/12 of the 90 PROV the pool accrued (a quarter of the corpus's 20 + 100
    // went to Bob). Bob, the split's direct beneficiary, claims his 30.
    const proofOf = (index) => sumAuditPath(index, ids.poolLeaves).map(({ hash, sum }) => ({ hash, sum }));
    const proofJson = (index) => proofOf(index).map(({ hash, sum }) => ({ hash: hex(hash), sum: sum.toString() }));
    assert.equal(await call('poolClaimable', ids.pool, address('grace'), 5, 0, proofJson(0)), str(PROV(37.5)));
    const [bobBefore, graceBefore] = [await balance('bob'), await balance('grace')];
    const [bobClaim, graceClaim] = await Promise.all([
      sendOk(who.bob, api.tx.royalties.claim({ Dataset: ids.corpus })),
      sendOk(who.grace, api.tx.royalties.claimFromPool(ids.pool, 5, 0, proofOf(0))),
    ]);
    const claimed = eventOf(bobClaim, 'royalties', 'Claimed');
    assert.deepEqual([claimed.asset.toJSON(), claimed.account.toString(), claimed.amount.toBigInt()],
      [{ dataset: ids.corpus }, address('bob'), PROV(30)]);
    const pooled = eventOf(graceClaim, 'royalties', 'PoolClaimed');
    assert.deepEqual([pooled.index.toNumber(), pooled.account.toString(), pooled.amount.toBigInt(), pooled.claimed.toBigInt()],
      [0, address('grace'), PROV(37.5), PROV(37.5)]);
    assert.equal((await balance('bob')).free - bobBefore.free, PROV(30) - bobClaim.fee);
    const leafDeposit = (await api.query.royalties.poolClaims(ids.pool, 0)).unwrap().deposit.amount.toBigInt();
    const graceAfter = await balance('grace');
    assert.equal(graceAfter.reserved - graceBefore.reserved, leafDeposit, 'her claim record\'s deposit');
    assert.equal(graceAfter.free - graceBefore.free, PROV(37.5) - leafDeposit - graceClaim.fee);
    assert.deepEqual(await call('claimable', address('bob'), null, 10), []);

    // Every unit paid in (the three license fees and Eve's payment) is claimed, claimable by an
    // account, or owed to a pool leaf, and the royalties account holds exactly what is unclaimed.
    const paidIn = ledger.reduce((sum, e) => sum + e.amount.toBigInt(), 0n);
    assert.equal(paidIn, PROV(5 + 50 + 20 + 1_000));
    const owed = await api.query.royalties.claimable.entries();
    const claimable = owed.reduce((sum, [, entry]) => sum + entry.unwrap().amount.toBigInt(), 0n);
    assert.deepEqual(await call('claimable', address('charlie'), null, 10), [[{ dataset: ids.synthetic }, str(PROV(57.5))]]);
    assert.deepEqual(await call('claimable', address('dave'), null, 10), [[{ checkpoint: ids.base }, str(PROV(247.5))]]);
    assert.deepEqual(await call('claimable', address('ferdie'), null, 10), [[{ checkpoint: ids.fineTune }, str(PROV(650))]]);
    assert.equal(owed.length, 3, 'Charlie, Dave and Ferdie: nobody else is owed anything');
    let poolOwed = 0n;
    for (const [index, [name, weight]] of CONTRIBUTORS.entries()) {
      if (index === 0) continue;
      poolOwed += BigInt(await call('poolClaimable', ids.pool, address(name), weight, index, proofJson(index)));
    }
    assert.equal(poolOwed, PROV(30 + 15 + 7.5), 'Heidi 4/12, Ivan 2/12 and Olivia 1/12 of 90');
    const poolRecord = await call('pool', ids.pool);
    assert.equal(BigInt(poolRecord.accrued) - BigInt(poolRecord.paid), poolOwed);
    assert.equal(PROV(30) + PROV(37.5) + claimable + poolOwed, paidIn, 'claimed + claimable = paid');
    assert.equal((await balance(ROYALTIES)).free - royaltiesBaseline, claimable + poolOwed);
  });

  // ---- 5 --------------------------------------------------------------------------------------

  step('5. revoking the human corpus taints the fine-tune and what was made from it, warns the deployment, and the lab declares an unlearning run', 240_000, async () => {
    const bobBefore = await balance('bob');
    const revoked = await sendOk(who.bob, api.tx.datasets.revoke(ids.corpus, 'ConsentWithdrawn'));
    const revocation = eventOf(revoked, 'datasets', 'DatasetRevoked');
    assert.deepEqual([revocation.id.toNumber(), revocation.reason.type, revocation.forced.isTrue], [ids.corpus, 'ConsentWithdrawn', false]);
    assert.deepEqual((await call('dataset', ids.corpus)).status,
      { revoked: { at: revoked.blockNumber, reason: 'ConsentWithdrawn' } });
    const bobAfter = await balance('bob');
    assert.equal(bobAfter.reserved, bobBefore.reserved, 'records are never deleted: the deposit stays held');
    assert.equal(bobBefore.free - bobAfter.free, revoked.fee);

    // Taint propagates in on_idle, a bounded number of steps per block.
    // Each source carries its kind: the corpus was revoked because consent was withdrawn.
    const tainted = { state: { tainted: corpusTaint() }, compromised: null, propagationPending: false };
    await until('the taint to reach the quantized model', async () =>
      isDeepStrictEqual(await call('taint', ids.quantized), tainted), 60_000);
    const events = await blockEvents(revoked.blockNumber, await best());
    const sourceOf = (e) => [e.source.asDataset.toNumber(), e.kind.type];
    assert.deepEqual(eventsOf(events, 'checkpoints', 'CheckpointTainted').map((e) => [e.checkpoint.toNumber(), ...sourceOf(e)]),
      [[ids.fineTune, ids.corpus, 'ConsentWithdrawn'], [ids.quantized, ids.corpus, 'ConsentWithdrawn']]);
    assert.deepEqual(eventsOf(events, 'checkpoints', 'DatasetTainted').map((e) => [e.dataset.toNumber(), ...sourceOf(e)]),
      [[ids.corpus, ids.corpus, 'ConsentWithdrawn']]);
    const warned = eventsOf(events, 'evaluations', 'DeployedModelTainted');
    assert.deepEqual(warned.map((e) => [e.deployment.toNumber(), e.operator.toString(), e.checkpoint.toNumber(), hex(e.endpoint), e.kinds.map((k) => k.type)]),
      [[ids.deployment, address('eve'), ids.fineTune, hex(ids.endpoint), ['ConsentWithdrawn']]],
      'Eve is told to pull the model, and why: a consent problem, not a security one');

    // Everything made from the corpus is tainted by it; the base model is not, and is the clean
    // state to roll back to.
    assert.deepEqual(await call('descendants', { dataset: ids.corpus }, 0, 10), {
      items: [{ asset: { checkpoint: ids.fineTune }, depth: 1 }, { asset: { checkpoint: ids.quantized }, depth: 2 }], next: null,
    });
    assert.deepEqual(await call('taint', ids.fineTune), tainted);
    assert.deepEqual(await call('taint', ids.base), { state: 'Clean', compromised: null, propagationPending: false });
    const report = (await api.call.provenanceApi.taint(ids.fineTune)).unwrap();
    assert.deepEqual(report.state.asTainted.sources.map((s) => s.origin.asDataset.toNumber()), [ids.corpus]);
    assert.equal(await call('cleanAncestor', ids.fineTune), ids.base);
    assert.equal(await call('cleanAncestor', ids.quantized), ids.base);
    assert.equal((await api.call.provenanceApi.cleanAncestor(ids.quantized)).unwrap().toNumber(), ids.base);
    assert.equal((await call('deployment', ids.deployment)).tainted, true);
    const [servedId, served] = await call('servedAt', hex(ids.endpoint), address('eve'), ids.deployedAt);
    assert.deepEqual([servedId, served.deployment.checkpoint, served.tainted, served.kinds], [ids.deployment, ids.fineTune, true, ['ConsentWithdrawn']]);

    // No new grants of the corpus, no new derivatives of the tainted model but an unlearning one;
    // what the corpus accrued before stays claimable by its contributors.
    const [grant, derivative] = await Promise.all([
      send(who.eve, api.tx.licenses.acquireLicense({ Dataset: ids.corpus }, ids.coopTerms, PROV(20))),
      send(who.ferdie, api.tx.checkpoints.register(h('assistant-7b-chat weights'),
        [{ checkpoint: ids.fineTune, relation: 'FineTune' }], [], [], 'hf://ferdie/assistant-7b-chat', h('card'), true, null)),
    ]);
    assert.equal(grant.error, 'AssetUnusable');
    assert.equal(derivative.error, 'ParentTainted');
    const heidiProof = sumAuditPath(1, ids.poolLeaves).map(({ hash, sum }) => ({ hash: hex(hash), sum: sum.toString() }));
    assert.equal(await call('poolClaimable', ids.pool, address('heidi'), 4, 1, heidiProof), str(PROV(30)));

    // Ferdie retrains without the corpus: an unlearning checkpoint of the fine-tune that names
    // the revoked corpus as what it excludes, and its training run for the attesters. Until that
    // run is final the new checkpoint carries the taint too.
    const ferdieBefore = await balance('ferdie');
    const deadline = (await best()) + RUN_BLOCKS;
    const unlearning = await sendOk(who.ferdie, batch([
      api.tx.checkpoints.register(weights.unlearned, [{ checkpoint: ids.fineTune, relation: 'Unlearning' }], [], [ids.corpus],
        'hf://ferdie/assistant-7b-unlearned', h('assistant-7b-unlearned model card'), true, null),
      api.tx.attestations.declareRun([], [ids.fineTune], h('unlearning config'), h('unlearn.py at 9b1e07'),
        h('cuda 12.4 image'), h('unlearning in-toto statement'), weights.unlearned, h('unlearning log root'),
        ROUND_TWO_REWARD, deadline),
    ]));
    const unlearned = eventOf(unlearning, 'checkpoints', 'CheckpointRegistered');
    ids.unlearned = unlearned.id.toNumber();
    assert.deepEqual(unlearned.excludes.toJSON(), [{ dataset: ids.corpus }]);
    assert.ok(unlearned.run.isNone);
    assert.deepEqual(eventsOf(unlearning, 'checkpoints', 'CheckpointTainted').map((e) => [e.checkpoint.toNumber(), ...sourceOf(e)]),
      [[ids.unlearned, ids.corpus, 'ConsentWithdrawn']]);
    const declared = eventOf(unlearning, 'attestations', 'RunDeclared');
    ids.unlearningRun = declared.run.toNumber();
    assert.deepEqual(await call('taint', ids.unlearned), tainted);
    assert.equal(await call('cleanAncestor', ids.unlearned), ids.base);
    const run = await call('run', ids.unlearningRun);
    assert.equal(run.status, 'Open');
    assert.deepEqual(run.claim.training.baseCheckpoints, [ids.fineTune], 'a run may start from a tainted base');
    assert.equal(run.stakeSnapshot, str(PROV(5_900)), 'Mallory and Judy were slashed to 1200 each');
    const ferdieAfter = await balance('ferdie');
    const heldNow = unlearned.deposit.toBigInt() + ROUND_TWO_REWARD + declared.deposit.toBigInt();
    assert.equal(ferdieAfter.reserved - ferdieBefore.reserved, heldNow);
    assert.equal(ferdieBefore.free - ferdieAfter.free, heldNow + unlearning.fee);
  });

  // ---- 6 --------------------------------------------------------------------------------------

  step('6. a contaminated score is flagged and a clean one leads the board; the unlearning run, final in the same round, remediates its line', 480_000, async () => {
    // Ferdie claims the fine-tune's scores on qa-bench (which its base was trained on) and on a
    // held-out benchmark; each claim is a run the same attesters check. Declared now, the
    // evaluations are attested in the same round as the unlearning run of step 5.
    const ferdieBefore = await balance('ferdie');
    const deadline = (await best()) + RUN_BLOCKS;
    const evaluate = (benchmark, score) => api.tx.evaluations.declareEvaluation(ids.fineTune, benchmark,
      h('lm-eval-harness 0.4.2'), h('eval environment'), 'accuracy', score, ROUND_TWO_REWARD, deadline);
    const declared = await sendOk(who.ferdie, batch([evaluate(ids.qaBench, 912_000), evaluate(ids.heldOut, 874_000)]));
    const [onQaBench, onHeldOut] = eventsOf(declared, 'evaluations', 'EvaluationDeclared');
    assert.deepEqual(onQaBench.contamination.toJSON(), { contaminated: { found: ids.qaBench } });
    assert.equal(onHeldOut.contamination.type, 'Clean');
    ids.contaminated = onQaBench.evaluation.toNumber();
    ids.clean = onHeldOut.evaluation.toNumber();
    const evaluationRuns = [onQaBench.run.toNumber(), onHeldOut.run.toNumber()];
    const pending = await call('evaluation', ids.contaminated);
    assert.deepEqual([pending.status, pending.contamination, pending.score, pending.run],
      ['Pending', { contaminated: { found: ids.qaBench } }, 912_000, evaluationRuns[0]]);
    assert.equal((await call('run', evaluationRuns[0])).claim.evaluation, ids.contaminated);

    // Round two: all four attesters find all three claims valid.
    const roundTwo = [ids.unlearningRun, ...evaluationRuns];
    const decided = await untilRevealed(roundTwo);
    for (const run of decided) {
      assert.equal(run.status.decided.outcome, 'Attested');
      assert.deepEqual(run.valid, { count: 4, stake: str(PROV(5_900)) });
    }
    await untilBlock(Math.max(...decided.map((run) => run.status.decided.windowEnd)));
    const settled = await sendOk(who.ferdie, batch(roundTwo.map((run) => api.tx.attestations.settleRun(run))));
    assert.deepEqual(eventsOf(settled, 'attestations', 'RunFinalized').map((e) =>
      [e.run.toNumber(), e.outcome.type, e.attesters.toNumber(), e.paid.toBigInt()]),
      roundTwo.map((run) => [run, 'Attested', 4, ROUND_TWO_REWARD]));
    // Each reward is split by the stake the verdicts carried: Mallory and Judy now weigh 1200.
    const shares = rewardShares(ROUND_TWO_REWARD, { ivy: PROV(2_000), judy: PROV(1_200), ken: PROV(1_500), mallory: PROV(1_200) });
    for (const run of roundTwo) assert.deepEqual(paidRewards(settled, run), shares);

    // The scores: both attested; the contaminated one is ranked apart, the clean one leads.
    const attested = eventsOf(settled, 'evaluations', 'EvaluationAttested');
    assert.deepEqual(attested.map((e) => [e.evaluation.toNumber(), e.contamination.type, e.rank.unwrap().toNumber()]),
      [[ids.contaminated, 'Contaminated', 0], [ids.clean, 'Clean', 0]]);
    assert.deepEqual(await call('leaderboard', ids.qaBench, 'accuracy'), [], 'no contaminated score among the clean ones');
    const flagged = await call('flaggedLeaderboard', ids.qaBench, 'accuracy');
    assert.deepEqual(flagged.map(([id, e]) => [id, e.status, e.score]), [[ids.contaminated, 'Attested', 912_000]]);
    const board = await call('leaderboard', ids.heldOut, 'accuracy');
    assert.deepEqual(board.map(([id, e]) => [id, e.status, e.score, e.contamination]), [[ids.clean, 'Attested', 874_000, 'Clean']]);
    assert.equal((await api.call.evaluationsApi.evaluation(ids.clean)).unwrap().status.type, 'Attested');

    // The unlearning run is final: linked to its checkpoint, whose exclusion of the corpus now
    // holds; the next on_idle clears the taint of that line. The fine-tune itself stays tainted.
    assert.deepEqual(eventsOf(settled, 'checkpoints', 'RunLinked').map((e) => [e.checkpoint.toNumber(), e.run.toNumber()]),
      [[ids.unlearned, ids.unlearningRun]]);
    const remediated = { state: { remediated: { excluded: [{ dataset: ids.corpus }] } }, compromised: null, propagationPending: false };
    await until('the unlearned line remediated', async () =>
      isDeepStrictEqual(await call('taint', ids.unlearned), remediated), 60_000);
    ids.remediatedAt = await best();
    const cleared = eventsOf(await blockEvents(settled.blockNumber, ids.remediatedAt), 'checkpoints', 'TaintCleared');
    assert.deepEqual(cleared.map((e) => [e.asset.toJSON(), e.source.toJSON(), e.kind.type]),
      [[{ checkpoint: ids.unlearned }, { dataset: ids.corpus }, 'ConsentWithdrawn']]);
    assert.deepEqual((await api.call.provenanceApi.taint(ids.unlearned)).unwrap().state.asRemediated.excluded.map((d) => d.toJSON()),
      [{ dataset: ids.corpus }]);
    assert.equal(await call('cleanAncestor', ids.unlearned), ids.unlearned, 'its own line is clean again');
    assert.equal((await call('checkpoint', ids.unlearned)).run, ids.unlearningRun);
    assert.deepEqual((await call('taint', ids.fineTune)).state, { tainted: corpusTaint() });

    // Ferdie paid the evaluations' rewards and holds their deposits; the unlearning run's
    // reward, held since step 5, went to the attesters.
    const ferdieAfter = await balance('ferdie');
    const deposits = [onQaBench, onHeldOut].reduce((s, e) => s + e.deposit.toBigInt(), 0n)
      + eventsOf(declared, 'attestations', 'RunDeclared').reduce((s, e) => s + e.deposit.toBigInt(), 0n);
    assert.equal(ferdieAfter.reserved - ferdieBefore.reserved, deposits - ROUND_TWO_REWARD);
    assert.equal(ferdieBefore.free - ferdieAfter.free, 2n * ROUND_TWO_REWARD + deposits + declared.fee + settled.fee);
    for (const a of ATTESTERS) {
      assert.equal((await balance(a.name)).reserved, PROV(a.name === 'judy' || a.name === 'mallory' ? 1_200 : a.stake));
    }
  });

  // ---- 7 --------------------------------------------------------------------------------------

  step('7. a receipt of the unlearned checkpoint verifies offline', 180_000, async () => {
    // A receipt proves state at a finalized block: wait until the remediation is final.
    await until('the remediation finalized', async () => {
      const head = await api.rpc.chain.getFinalizedHead();
      return (await api.rpc.chain.getHeader(head)).number.toNumber() >= ids.remediatedAt;
    }, 60_000);
    const receipt = await provOk('receipt', 'export', `checkpoint:${ids.unlearned}`);
    const path = join(work, 'receipt.json');
    writeFileSync(path, JSON.stringify(receipt));
    // The block hash the user trusts comes from elsewhere than the receipt: here, the node.
    const trusted = await rpc(url, 'chain_getBlockHash', [receipt.block.number]);
    assert.equal(receipt.block.hash, trusted);
    // The unlearned model, the fine-tune, the base, the teacher, the synthetic set, qa-bench and
    // the corpus: record, taint and license of each.
    assert.equal(receipt.entries.length, 7 * 3);

    const verified = await prov('receipt', 'verify', path, '--trusted-block', trusted); // no node: offline
    assert.equal(verified.code, 0, JSON.stringify(verified.out) + verified.stderr);
    assert.equal(verified.out.verified, true);
    assert.deepEqual(verified.out.asset, { checkpoint: ids.unlearned });
    assert.equal(verified.out.assets, 7);
    assert.deepEqual(verified.out.revokedDatasets, [ids.corpus]);
    const byAsset = (list) => list.map((item) => JSON.stringify(item.asset)).sort();
    assert.deepEqual(byAsset(verified.out.tainted), [{ checkpoint: ids.fineTune }, { dataset: ids.corpus }].map((a) => JSON.stringify(a)).sort(),
      'the corpus and the fine-tune carry the taint; the unlearned model does not');
    verified.out.tainted.forEach((entry) => assert.deepEqual([entry.sources, entry.kinds],
      [[{ origin: { dataset: ids.corpus }, kind: 'ConsentWithdrawn' }], ['ConsentWithdrawn']]));
    assert.deepEqual(byAsset(verified.out.licenses),
      [{ dataset: ids.corpus }, { dataset: ids.synthetic }, { checkpoint: ids.base }].map((a) => JSON.stringify(a)).sort());

    // One changed byte of the unlearned model's record and the receipt no longer verifies.
    const tampered = structuredClone(receipt);
    const entry = tampered.entries.find((e) => e.item === 'record' && e.asset.checkpoint === ids.unlearned);
    entry.value = entry.value.slice(0, 20) + (entry.value[20] === '0' ? '1' : '0') + entry.value.slice(21);
    writeFileSync(path, JSON.stringify(tampered));
    const refused = await prov('receipt', 'verify', path, '--trusted-block', trusted);
    assert.equal(refused.code, 1);
    assert.equal(refused.out.error, 'mismatch');

    // The lineage as the CLI prints it: the unlearned model remediated, its run final.
    const lineage = await provOk('lineage', `checkpoint:${ids.unlearned}`);
    const state = (asset) => lineage.assets.find((a) => JSON.stringify(a.asset) === JSON.stringify(asset)).state;
    assert.deepEqual(state({ checkpoint: ids.unlearned }).taint, { remediated: { excluded: [{ dataset: ids.corpus }] } });
    assert.equal(state({ checkpoint: ids.unlearned }).compromised, null);
    assert.deepEqual(state({ checkpoint: ids.unlearned }).run, { id: ids.unlearningRun, status: { final: { outcome: 'Attested' } } });
    assert.deepEqual(state({ checkpoint: ids.fineTune }).run, { id: ids.run, status: { final: { outcome: 'Attested' } } });
    assert.equal(state({ checkpoint: ids.base }).taint, 'Clean');
  });
  // ---- 8 --------------------------------------------------------------------------------------

  step('8. an explorer indexes the story and draws the fine-tune\'s lineage', 900_000, async () => {
    const registry = ['datasets', 'checkpoints', 'attestations', 'licenses', 'royalties', 'evaluations'];
    const registryEvents = async (from, to) => (await blockEvents(from, to)).filter((e) => registry.includes(e.section)).length;
    /**
     * Starts the indexer and times it to block `height` from its start (PostgreSQL, migrations
     * and the GraphQL server included): blocks and registry events a second.
     */
    const timedCatchUp = async (options, from, height) => {
      const started = Date.now();
      const indexer = await startIndexer(url, options);
      await caughtUp(indexer, height);
      const seconds = (Date.now() - started) / 1000;
      const [blocks, events] = [height - from + 1, await registryEvents(from, height)];
      console.log(`indexer: blocks ${from} to ${height} (${events} registry events) in ${seconds.toFixed(1)} s from its start: `
        + `${(blocks / seconds).toFixed(1)} blocks/s, ${(events / seconds).toFixed(0)} events/s`);
      return indexer;
    };

    // The explorer starts the indexer against the node: it indexes the whole story.
    let indexer = await timedCatchUp({}, 0, await best());
    try {
      // It stops. Meanwhile Dave's base model gets a large family: 500 fine-tunes, three
      // children each, registered in batches. Started again on the same database, the indexer
      // resumes where it stopped.
      await indexer.stop();
      const family = 500;
      const first = (await api.query.checkpoints.nextCheckpointId()).toNumber();
      const parentOf = (i) => (i === 0 ? ids.base : first + Math.floor((i - 1) / 3));
      const resumeFrom = (await best()) + 1;
      for (let start = 0; start < family; start += 100) {
        await sendOk(who.dave, batch(Array.from({ length: Math.min(100, family - start) }, (_, k) => {
          const i = start + k;
          return api.tx.checkpoints.register(h(`base-7b family ${i}`), [{ checkpoint: parentOf(i), relation: 'FineTune' }],
            [], [], `hf://dave/family-${i}`, h(`family ${i} card`), false, null);
        })));
      }
      indexer = await timedCatchUp({ data: indexer.data }, resumeFrom, await best());

      // Nothing lost and nothing counted twice: every entity equals the runtime APIs' answer.
      const { counts } = await assertIndexMatchesChain(indexer, url);
      assert.equal(counts.checkpoints, first + family);
      assert.ok(counts.runs >= 3 && counts.verdicts >= 8 && counts.attesters === 4 && counts.slashes >= 2
        && counts.evaluations === 2 && counts.leaderboardEntries === 2 && counts.deployments >= 1 && counts.grants >= 3
        && counts.pools >= 1, JSON.stringify(counts));
      console.log(`indexer: equal to the runtime APIs: ${JSON.stringify(counts)}`);

      // GraphQL answers what explorers ask: the fine-tune's lineage both ways, with its typed
      // edges; every model the corpus's revocation touched; Ferdie's assets.
      const { lineage } = await indexer.gql(`{ lineage(asset: "checkpoint-${ids.fineTune}") {
        assets { id taintKinds ancestor descendant } edges { child parent kind } } }`);
      const edge = (child, parent) => lineage.edges.find((e) => e.child === child && e.parent === parent);
      assert.equal(edge(`checkpoint-${ids.fineTune}`, `dataset-${ids.corpus}`).kind, 'TrainedOn');
      assert.equal(edge(`checkpoint-${ids.fineTune}`, `checkpoint-${ids.base}`).kind, 'FineTune');
      assert.equal(edge(`checkpoint-${ids.unlearned}`, `checkpoint-${ids.fineTune}`).kind, 'Unlearning');
      const tainted = await indexer.gql(`{ taintSources(where: { origin: { id_eq: "dataset-${ids.corpus}" } }, orderBy: id_ASC, limit: 100) { asset { id } } }`);
      assert.deepEqual(tainted.taintSources.map((t) => t.asset.id).sort(),
        [`checkpoint-${ids.fineTune}`, `checkpoint-${ids.quantized}`, `dataset-${ids.corpus}`].sort());
      const whole = await indexer.gql(`{ lineage(asset: "checkpoint-${ids.base}") { assets { id } truncated } }`);
      assert.ok(whole.lineage.assets.length > family && !whole.lineage.truncated, 'the whole family, in one answer');

      // The page, in Chromium: the fine-tune's lineage with the tainted edge to the corpus and
      // its clean ancestor; then the base's family of 500 and more, timed.
      const page = await openExplorer(indexer.url);
      try {
        const shown = await page.show(`checkpoint-${ids.fineTune}`);
        assert.equal(shown.node(`checkpoint-${ids.fineTune}`), 'tainted');
        assert.equal(shown.node(`checkpoint-${ids.base}`), 'clean', 'the clean ancestor');
        assert.equal(shown.edge(`checkpoint-${ids.fineTune}`, `dataset-${ids.corpus}`), 'tainted');
        assert.equal(shown.edge(`checkpoint-${ids.fineTune}`, `checkpoint-${ids.base}`), 'plain');
        assert.equal(shown.edge(`checkpoint-${ids.unlearned}`, `checkpoint-${ids.fineTune}`), 'remediated');
        // Its panel: the taint's source, the attested run, the flagged and the clean score.
        assert.match(shown.status, /8 assets, 8 edges, drawn in \d+ ms/);
        assert.match(shown.details, new RegExp(`dataset-${ids.corpus} \\(ConsentWithdrawn`));
        assert.match(shown.details, /status\s+Final/);
        assert.match(shown.details, new RegExp(`Contaminated \\(dataset-${ids.qaBench}\\)`));
        assert.match(shown.details, /Attested, Clean/);
        const screenshot = await page.screenshot('story-fine-tune-lineage.png');
        console.log(`explorer: the fine-tune's lineage, ${shown.assets} assets: ${screenshot}`);
        await page.click(`checkpoint-${ids.base}`);
        const family500 = await page.waitForDrawn(`checkpoint-${ids.base}`);
        assert.ok(family500.assets > family);
        console.log(`explorer: a lineage of ${family500.assets} assets drawn in ${family500.ms} ms `
          + `(${await page.screenshot('story-base-family-lineage.png')})`);
      } finally {
        await page.close();
      }
    } finally {
      await indexer.stop();
    }
  });
});
