// The indexer as an explorer runs it (`scripts/indexer` against a node), and the check that
// what it rebuilt from events equals what the runtime APIs answer at the same block.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rpc, sleep } from './network.mjs';

const SCRIPT = fileURLToPath(new URL('../../scripts/indexer', import.meta.url));

/** A port nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `scripts/indexer` against the node at `nodeUrl`, with its database in `data` (a new
 * directory unless given: pass the same one again to restart on the same index). Resolves
 * once GraphQL answers: { url, gql(query, variables), status(), stop(), logPath }.
 */
export async function startIndexer(nodeUrl, { data = mkdtempSync(join(tmpdir(), 'provenance-indexer-')), timeoutMs = 180_000 } = {}) {
  const [port, graphqlPort] = [await freePort(), await freePort()];
  const logPath = join(data, `indexer-${Date.now()}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(SCRIPT, ['--node', nodeUrl, '--port', port, '--graphql-port', graphqlPort, '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stopping it stops PostgreSQL and the processor too
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  const killOnExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} };
  process.on('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;

  async function gql(query, variables = {}) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.json();
    if (body.errors) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data;
  }
  const status = async () => (await gql('{ squidStatus { height hash finalizedHeight } }')).squidStatus;
  const stop = async () => {
    if (exited === null) {
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(killOnExit, 20_000);
      await exit;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      await new Promise((r) => log.end(r));
      throw new Error(`scripts/indexer exited (${JSON.stringify(exited)}):\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the indexer's GraphQL did not answer within ${timeoutMs} ms; log: ${logPath}`);
    }
    try {
      await status();
      break;
    } catch {
      await sleep(500);
    }
  }
  return { url, data, gql, status, stop, logPath, get exited() { return exited; } };
}

/** Waits until the indexer has processed block `height`; returns { height, hash, seconds }. */
export async function caughtUp(indexer, height, timeoutMs = 300_000) {
  const started = Date.now();
  for (;;) {
    const status = await indexer.status().catch(() => null);
    if (status && status.height >= height) return { ...status, seconds: (Date.now() - started) / 1000 };
    if (indexer.exited) throw new Error(`the indexer stopped: ${readFileSync(indexer.logPath, 'utf8').slice(-3000)}`);
    if (Date.now() - started > timeoutMs) throw new Error(`the indexer is not at block ${height} after ${timeoutMs} ms (at ${status?.height}); log: ${indexer.logPath}`);
    await sleep(500);
  }
}

/** Every list the index holds, with the fields the check compares. */
const LISTS = {
  assets: `id kind number owner depositor deposit uri metadataHash commercial createdAt
    root recordCount byteSize origin paramsHash policyHash transformHash previousVersion { number }
    status revokedAt revocationReason revocationSetRoot revocationSetCount revocationSetPublishedAt
    contributorRoot contributorLeaves consentAnswered nonCompliantSince
    weightsHash excludes run { id } runMismatch { id }
    compromised compromiseReason compromiseEvidence compromiseForced compromisedAt
    taintKinds taintTruncated
    licenseTerms { id } licensePolicy licenseInherited
    royaltyStack { ancestor bps depth } split { account share } splitPool splitPoolShare splitDepositor splitDeposit
    paidIn royaltiesIn royaltiesOut`,
  edges: 'id child { id } parent { id } kind position',
  taintSources: 'id asset { id } origin { id } kind',
  taintPropagations: 'id pending',
  runs: `id claimant claimKind evaluation datasets baseCheckpoints configHash codeHash environmentHash statementDigest
    trainingLogRoot outputHash reward deposit declaredAt commitEnd deadline stakeSnapshot commits committedStake
    validCount validStake invalidCount invalidStake status outcome windowEnd openChallenges ruled rules`,
  verdicts: 'id run { id } attester stake commitment verdict outputHash reportHash slashed',
  attesters: 'id status bonded unbonding { amount unlockAt } faults openChallenges missed statusSince present',
  slashes: 'id run { id } attester fault due slashed at',
  grants: 'id asset { id } licensee terms { id } expiresAt deposit',
  claimables: 'id asset { id } account amount',
  terms: 'id author commercialUse derivatives attribution fee upstreamRoyaltyBps duration termsHash uri deposit',
  pools: 'id asset { id } root leaves totalWeight share accrued paid depositor deposit uri closed',
  evaluations: `id declarer checkpoint { number } dataset { number } metric score contamination
    contaminationFound { number } run { id } harnessHash environmentHash deposit declaredAt status`,
  leaderboardEntries: 'id dataset { number } metric flagged score attestedOrder',
  deployments: 'id operator checkpoint { number } endpoint from until deposit',
  withdrawals: 'id dataset { number } contributor records reason deadline deposit filedAt state since late',
};

/**
 * The whole index: its status, then every list in pages of 1,000 (the GraphQL server's answer
 * bound). The check runs once the scenario's transactions are in, so the blocks indexed while
 * it reads carry no registry events: what it reads is the registry at the status's block.
 */
async function readIndex(indexer) {
  const index = { squidStatus: await indexer.status() };
  for (const [list, fields] of Object.entries(LISTS)) {
    index[list] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = (await indexer.gql(`{ ${list}(limit: 1000, offset: ${offset}, orderBy: id_ASC) { ${fields} } }`))[list];
      index[list].push(...page);
      if (page.length < 1000) break;
    }
  }
  return index;
}

/** Bytes as the index keeps them: text when they are UTF-8 without control characters. */
const hexText = (hex) => {
  const bytes = Buffer.from(hex.slice(2), 'hex');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) && !/[\u0000-\u001f\u007f]/.test(text) ? text : hex;
};
const ref = (id) => {
  const [kind, number] = id.split('-');
  return { [kind]: Number(number) };
};
const numberOrNull = (value) => (value === null ? null : Number(value));
const byKey = (list, key) => [...list].sort((a, b) => JSON.stringify(key(a)).localeCompare(JSON.stringify(key(b))));

/**
 * Asserts that every entity the indexer holds equals what the runtime APIs (`provenance_*`)
 * report at the indexer's block, and that the chain has no record the index lacks. Returns
 * { height, counts } for the record.
 */
export async function assertIndexMatchesChain(indexer, rpcUrl) {
  const index = await readIndex(indexer);
  const at = index.squidStatus.hash;
  const chain = (method, ...params) => rpc(rpcUrl, `provenance_${method}`, [...params, at]);
  const edgesOf = (id, kinds) => index.edges.filter((e) => e.child.id === id && kinds.includes(e.kind))
    .sort((a, b) => a.position - b.position);
  const sourcesOf = (id) => index.taintSources.filter((t) => t.asset.id === id);
  const counts = {};
  const all = (kind) => index.assets.filter((a) => a.kind === kind);

  // Datasets: the record, the origin's edges, revocation, and nothing beyond the last id.
  const datasets = all('Dataset');
  for (const a of datasets) {
    const record = await chain('dataset', Number(a.number));
    assert.ok(record, `${a.id} is on chain`);
    const parents = edgesOf(a.id, ['DerivedFrom']).map((e) => Number(e.parent.id.split('-')[1]));
    const generator = edgesOf(a.id, ['GeneratedBy'])[0];
    const origin = a.origin === 'Human' ? 'Human'
      : a.origin === 'Synthetic'
        ? { synthetic: { generator: Number(generator.parent.id.split('-')[1]), paramsHash: a.paramsHash, policyHash: a.policyHash } }
        : { derived: { parents, transformHash: a.transformHash } };
    assert.deepEqual({
      owner: a.owner, depositor: a.depositor, deposit: a.deposit, root: a.root,
      recordCount: Number(a.recordCount), byteSize: Number(a.byteSize), uri: a.uri, metadataHash: a.metadataHash,
      origin, commercial: a.commercial, previousVersion: a.previousVersion ? Number(a.previousVersion.number) : null,
      status: a.status === 'Active' ? 'Active' : { revoked: { at: a.revokedAt, reason: a.revocationReason } },
      revocationSet: a.revocationSetRoot ? { root: a.revocationSetRoot, count: Number(a.revocationSetCount), publishedAt: a.revocationSetPublishedAt } : null,
      createdAt: a.createdAt,
    }, { ...record, uri: hexText(record.uri) }, a.id);
  }
  assert.equal(await chain('dataset', datasets.length), null, 'no dataset the index lacks');
  counts.datasets = datasets.length;

  // Checkpoints: the record with its typed parent edges and datasets, and its taint (and
  // whether propagation is under way, which every taint change has announced).
  const checkpoints = all('Checkpoint');
  if (index.taintSources.length) assert.equal(index.taintPropagations.length, 1, 'taint propagation was announced');
  for (const a of checkpoints) {
    const record = await chain('checkpoint', Number(a.number));
    assert.ok(record, `${a.id} is on chain`);
    const number = (e) => Number(e.parent.id.split('-')[1]);
    assert.deepEqual({
      owner: a.owner, depositor: a.depositor, deposit: a.deposit, weightsHash: a.weightsHash,
      parents: edgesOf(a.id, ['FineTune', 'Adapter', 'Merge', 'Quantization', 'Distillation', 'Unlearning'])
        .map((e) => ({ checkpoint: number(e), relation: e.kind })),
      datasets: edgesOf(a.id, ['TrainedOn']).map(number),
      excludes: a.excludes.map(ref), run: a.run ? Number(a.run.id) : null, runMismatch: a.runMismatch ? Number(a.runMismatch.id) : null,
      uri: a.uri, metadataHash: a.metadataHash, commercial: a.commercial, createdAt: a.createdAt,
    }, { ...record, uri: hexText(record.uri) }, a.id);
    const sources = byKey(sourcesOf(a.id).map((t) => ({ origin: ref(t.origin.id), kind: t.kind })), (s) => s.origin);
    const state = a.taintKinds.length || sources.length
      ? { tainted: { sources, kinds: a.taintKinds, truncated: a.taintTruncated } }
      : a.run && a.excludes.length ? { remediated: { excluded: a.excludes.map(ref) } } : 'Clean';
    const taint = await chain('taint', Number(a.number));
    assert.deepEqual({
      state,
      compromised: a.compromised ? { reason: a.compromiseReason, evidence: a.compromiseEvidence, at: a.compromisedAt, forced: a.compromiseForced } : null,
      propagationPending: index.taintPropagations[0]?.pending ?? false,
    }, {
      ...taint,
      state: taint.state.tainted ? { tainted: { ...taint.state.tainted, sources: byKey(taint.state.tainted.sources, (s) => s.origin) } } : taint.state,
    }, `${a.id}'s taint`);
  }
  assert.equal(await chain('checkpoint', checkpoints.length), null, 'no checkpoint the index lacks');
  counts.checkpoints = checkpoints.length;
  counts.edges = index.edges.length;
  counts.taintSources = index.taintSources.length;

  // Runs, their verdicts, and the attesters' stakes.
  for (const r of index.runs) {
    const record = await chain('run', Number(r.id));
    const status = r.status === 'Open' ? 'Open' : r.status === 'Expired' ? 'Expired'
      : r.status === 'Decided' ? { decided: { outcome: r.outcome, windowEnd: r.windowEnd } } : { final: { outcome: r.outcome } };
    const claim = r.claimKind === 'Evaluation' ? { evaluation: Number(r.evaluation) } : {
      training: {
        datasets: r.datasets.map(Number), baseCheckpoints: r.baseCheckpoints.map(Number), configHash: r.configHash,
        codeHash: r.codeHash, environmentHash: r.environmentHash, statementDigest: r.statementDigest,
        trainingLogRoot: r.trainingLogRoot,
      },
    };
    assert.deepEqual({
      claimant: r.claimant, claim, outputHash: r.outputHash, reward: r.reward, deposit: r.deposit, declaredAt: r.declaredAt,
      commitEnd: r.commitEnd, deadline: r.deadline, stakeSnapshot: r.stakeSnapshot, commits: r.commits,
      committedStake: r.committedStake, valid: { count: r.validCount, stake: r.validStake },
      invalid: { count: r.invalidCount, stake: r.invalidStake }, status, openChallenges: r.openChallenges, ruled: r.ruled,
      rules: r.rules,
    }, record, `run ${r.id}`);
    const verdicts = index.verdicts.filter((v) => v.run.id === r.id).map((v) => [v.attester, {
      commitment: v.commitment, stake: v.stake, slashed: v.slashed,
      revealed: v.verdict ? { verdict: v.verdict, outputHash: v.outputHash, reportHash: v.reportHash } : null,
    }]);
    assert.deepEqual(byKey(verdicts, (v) => v[0]), byKey(await chain('verdicts', Number(r.id)), (v) => v[0]), `run ${r.id}'s verdicts`);
  }
  assert.equal(await chain('run', index.runs.length), null, 'no run the index lacks');
  counts.runs = index.runs.length;
  counts.verdicts = index.verdicts.length;
  const slashed = new Set(index.slashes.map((s) => s.attester));
  for (const who of slashed) {
    const slashes = index.slashes.filter((s) => s.attester === who)
      .map((s) => [Number(s.run.id), { fault: s.fault, due: s.due, slashed: s.slashed, at: s.at }]);
    assert.deepEqual(byKey(slashes, (s) => s[0]), byKey(await chain('slashes', who, null, 1000), (s) => s[0]), `${who}'s slashes`);
  }
  counts.slashes = index.slashes.length;
  // Every account that gave a verdict is an attester the index knows (present or gone).
  for (const who of new Set(index.verdicts.map((v) => v.attester))) {
    assert.ok(index.attesters.some((a) => a.id === who), `attester ${who} is indexed`);
  }
  for (const a of index.attesters) {
    const record = await chain('attester', a.id);
    assert.deepEqual(a.present ? {
      status: a.status, bonded: a.bonded, unbonding: a.unbonding, faults: a.faults,
      openChallenges: a.openChallenges, missed: a.missed, statusSince: a.statusSince,
    } : null, record, `attester ${a.id}`);
  }
  counts.attesters = index.attesters.length;

  // Licences: terms, each asset's licence and grants; royalties owed to every account.
  for (const t of index.terms) {
    const record = await chain('terms', Number(t.id));
    assert.deepEqual({
      spec: { commercialUse: t.commercialUse, derivatives: t.derivatives, attribution: t.attribution, fee: t.fee,
        upstreamRoyaltyBps: t.upstreamRoyaltyBps, duration: numberOrNull(t.duration), termsHash: t.termsHash },
      uri: t.uri, author: t.author, deposit: t.deposit,
    }, { ...record, uri: hexText(record.uri) }, `terms ${t.id}`);
  }
  assert.equal(await chain('terms', index.terms.length), null, 'no terms the index lacks');
  counts.terms = index.terms.length;
  for (const a of index.assets) {
    const asset = ref(a.id);
    const license = await chain('license', asset);
    assert.deepEqual(a.licenseTerms ? { terms: Number(a.licenseTerms.id), policy: a.licensePolicy } : null,
      license?.license ?? null, `${a.id}'s licence`);
    assert.equal(a.licenseInherited, license?.inherited !== null && license?.inherited !== undefined, `${a.id} inherited`);
    const grants = index.grants.filter((g) => g.asset.id === a.id)
      .map((g) => [g.licensee, { terms: Number(g.terms.id), expiresAt: numberOrNull(g.expiresAt), deposit: g.deposit }]);
    assert.deepEqual(byKey(grants, (g) => g[0]), byKey(await chain('grants', asset, null, 1000), (g) => g[0]), `${a.id}'s grants`);
    const royalties = await chain('royalties', asset);
    assert.deepEqual(a.split ? {
      entries: a.split.map((e) => [e.account, e.share]),
      pool: a.splitPool === null ? null : [Number(a.splitPool), a.splitPoolShare],
      deposit: { depositor: a.splitDepositor, amount: a.splitDeposit },
    } : null, royalties?.split ?? null, `${a.id}'s split`);
    assert.deepEqual({ paidIn: a.paidIn, royaltiesIn: a.royaltiesIn, royaltiesOut: a.royaltiesOut },
      royalties?.totals ?? { paidIn: '0', royaltiesIn: '0', royaltiesOut: '0' }, `${a.id}'s royalty totals`);
    assert.deepEqual(a.royaltyStack.map((s) => ({ ancestor: ref(s.ancestor), bps: s.bps, depth: s.depth })),
      royalties?.stack ?? [], `${a.id}'s royalty stack`);
  }
  counts.grants = index.grants.length;
  const accounts = new Set([...index.claimables.map((c) => c.account), ...index.assets.flatMap((a) => (a.split ?? []).map((s) => s.account)), ...index.assets.map((a) => a.owner)]);
  for (const account of accounts) {
    const owed = index.claimables.filter((c) => c.account === account).map((c) => [ref(c.asset.id), c.amount]);
    assert.deepEqual(byKey(owed, (o) => o[0]), byKey(await chain('claimable', account, null, 1000), (o) => o[0]), `${account}'s claimable royalties`);
  }
  counts.claimables = index.claimables.length;
  for (const p of index.pools) {
    const record = await chain('pool', Number(p.id));
    assert.equal(record === null, p.closed, `pool ${p.id} is on chain unless closed`);
    if (p.closed) {
      assert.equal(record, null, `pool ${p.id} closed`);
      continue;
    }
    assert.deepEqual({
      asset: ref(p.asset.id), spec: { root: p.root, leaves: Number(p.leaves), totalWeight: p.totalWeight, share: p.share },
      accrued: p.accrued, paid: p.paid, deposit: { depositor: p.depositor, amount: p.deposit }, uri: p.uri,
    }, { ...record, uri: record.uri && hexText(record.uri) }, `pool ${p.id}`);
  }
  assert.equal(await chain('pool', index.pools.length), null, 'no pool the index lacks');
  counts.pools = index.pools.length;

  // Evaluations, the leaderboards they make, deployments.
  for (const e of index.evaluations) {
    const record = await chain('evaluation', Number(e.id));
    assert.deepEqual({
      declarer: e.declarer, checkpoint: Number(e.checkpoint.number), dataset: Number(e.dataset.number), metric: e.metric,
      score: Number(e.score), contamination: e.contamination === 'Contaminated' ? { contaminated: { found: Number(e.contaminationFound.number) } } : e.contamination,
      run: Number(e.run.id), harnessHash: e.harnessHash, environmentHash: e.environmentHash, deposit: e.deposit,
      declaredAt: e.declaredAt, status: e.status,
    }, { ...record, metric: hexText(record.metric) }, `evaluation ${e.id}`);
  }
  assert.equal(await chain('evaluation', index.evaluations.length), null, 'no evaluation the index lacks');
  counts.evaluations = index.evaluations.length;
  const boards = new Map();
  const ranked = [...index.leaderboardEntries].sort((a, b) =>
    (BigInt(b.score) > BigInt(a.score)) - (BigInt(b.score) < BigInt(a.score))
    || (BigInt(a.attestedOrder) > BigInt(b.attestedOrder)) - (BigInt(a.attestedOrder) < BigInt(b.attestedOrder)));
  for (const entry of ranked) {
    const key = JSON.stringify([Number(entry.dataset.number), entry.metric, entry.flagged]);
    boards.set(key, [...(boards.get(key) ?? []), Number(entry.id)]);
  }
  for (const [key, ids] of boards) {
    const [dataset, metric, flagged] = JSON.parse(key);
    const board = await chain(flagged ? 'flaggedLeaderboard' : 'leaderboard', dataset, metric);
    assert.deepEqual(ids, board.map(([id]) => id), `leaderboard ${key}`);
  }
  counts.leaderboardEntries = index.leaderboardEntries.length;
  for (const d of index.deployments) {
    const { deployment } = await chain('deployment', Number(d.id));
    assert.deepEqual({
      operator: d.operator, checkpoint: Number(d.checkpoint.number), endpoint: d.endpoint, from: d.from, until: d.until, deposit: d.deposit,
    }, deployment, `deployment ${d.id}`);
  }
  assert.equal(await chain('deployment', index.deployments.length), null, 'no deployment the index lacks');
  counts.deployments = index.deployments.length;

  // Consent: each withdrawal not cleared, and each dataset's counters.
  for (const w of index.withdrawals) {
    const record = await chain('withdrawal', Number(w.id));
    if (w.state === 'Cleared') {
      assert.equal(record, null, `withdrawal ${w.id} cleared`);
      continue;
    }
    const state = w.state === 'Open' ? 'Open'
      : w.state === 'Unanswered' ? { unanswered: { since: w.since } } : { answered: { at: w.since, late: w.late } };
    assert.deepEqual({
      dataset: Number(w.dataset.number), contributor: w.contributor, records: w.records, reason: w.reason,
      filedAt: w.filedAt, deadline: w.deadline, state, deposit: w.deposit,
    }, record, `withdrawal ${w.id}`);
  }
  for (const a of datasets) {
    const consent = await chain('datasetConsent', Number(a.number), null, 1);
    const open = index.withdrawals.filter((w) => w.dataset.number === a.number && w.state === 'Open').length;
    const unanswered = index.withdrawals.filter((w) => w.dataset.number === a.number && w.state === 'Unanswered').length;
    assert.deepEqual({ open, unanswered, nonCompliantSince: a.nonCompliantSince, answeredAny: a.consentAnswered },
      consent.state, `${a.id}'s consent`);
    assert.deepEqual(a.contributorRoot ? { root: a.contributorRoot, leaves: Number(a.contributorLeaves) } : null,
      consent.contributors && { root: consent.contributors.root, leaves: consent.contributors.leaves }, `${a.id}'s contributors`);
  }
  counts.withdrawals = index.withdrawals.length;
  return { height: index.squidStatus.height, hash: at, counts };
}
