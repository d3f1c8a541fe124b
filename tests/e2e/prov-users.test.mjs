// `prov` for the rest of what its users do, against a dev node: a data owner builds a
// contributor pool from a CSV, sets the asset's split with it and publishes the proofs file
// (its URI on chain, served by an IPFS gateway of the test's own); contributors find their
// leaf by account and claim; anyone sees royalties and claimable
// balances; an attester goes through its lifecycle (bond, chill, activate, unbond, status,
// withdraw); a lab shows and settles a run, and a premature challenge is refused; a verdict
// on a run three attesters decided is challenged; datasets and checkpoints change hands and a
// pipeline is reported compromised; an attester
// commits and reveals with a hot key for its stash and is slashed for a statement it signed
// otherwise; an owner
// writes licence terms and offers a dataset under them, a licensee buys one; a lab declares
// evaluations (clean and contaminated) and an operator deploys the model and ends it; an
// owner publishes revocation sets that extend each other while `prov watch` follows the dataset.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { provAgainst, provBinary, sendAndFinalize, startNode } from './node.mjs';
import { rpc, waitFor } from './network.mjs';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
const UNIT = 10n ** 12n;

/**
 * An IPFS gateway in a process of its own (prov runs synchronously, blocking this one): serves
 * the files of `dir` at `/ipfs/NAME`, and redirects `/ipfs/moved-NAME` there.
 */
async function startGateway(dir) {
  const script = `
    const http = require('node:http');
    const { existsSync, readFileSync } = require('node:fs');
    const { basename, join } = require('node:path');
    const dir = process.argv[1];
    http.createServer((request, response) => {
      const name = basename(decodeURIComponent(request.url));
      if (!request.url.startsWith('/ipfs/')) { response.writeHead(404); return response.end(); }
      if (name.startsWith('moved-')) {
        response.writeHead(301, { location: '/ipfs/' + name.slice('moved-'.length) });
        return response.end();
      }
      if (!existsSync(join(dir, name))) { response.writeHead(404); return response.end(); }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(readFileSync(join(dir, name)));
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

describe('prov for data owners, contributors and attesters', () => {
  let node;
  let prov;
  const work = mkdtempSync(join(tmpdir(), 'provenance-prov-users-'));
  const hash = (byte) => `0x${byte.repeat(32)}`;
  /** Runs prov expecting it to fail: { code, out }. */
  const failing = (...args) => {
    const run = spawnSync(provBinary(), [...args, '--url', node.rpcUrl, '--json'], { encoding: 'utf8', timeout: 300_000 });
    assert.notEqual(run.status, 0, `prov ${args.join(' ')} should fail: ${run.stdout}`);
    return { code: run.status, out: JSON.parse(run.stdout) };
  };

  before(async () => {
    node = await startNode(['--dev', '--tmp']);
    prov = provAgainst(node);
  });

  after(async () => {
    await node?.stop();
  });

  it('pools contributors from a CSV; each claims their part with the published proofs file', async () => {
    const data = prov('dataset', 'register', '--root', hash('31'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/pooled', '--metadata-hash', hash('32'), '--signer', 'alice');
    const csv = join(work, 'contributors.csv');
    writeFileSync(csv, `account,weight\n${BOB},3\n# joined late\n${CHARLIE},1\n`);
    const proofs = join(work, 'pool.json');
    const built = prov('pool', 'build', csv, '--out', proofs);
    assert.deepEqual([built.leaves, built.totalWeight], [2, '4']);
    const asset = `dataset:${data.dataset}`;
    const split = prov('split', 'set', asset, '--to', `${ALICE}=40%`, '--pool', proofs, '--pool-share', '60%',
      '--signer', 'alice');
    assert.equal(typeof split.pool, 'number');
    const pool = prov('pool', 'show', String(split.pool));
    assert.equal(pool.spec.root, built.root);
    assert.equal(pool.uri, null, 'no proofs-file URI yet');

    // The owner publishes the proofs file's URI on chain; the gateway serves it (behind a redirect).
    const served = join(work, 'gateway');
    mkdirSync(served);
    copyFileSync(proofs, join(served, 'bafy-pool'));
    const gateway = await startGateway(served);
    const poolId = String(split.pool);
    const notOwner = failing('pool', 'publish', poolId, 'ipfs://moved-bafy-pool', '--signer', 'bob');
    assert.equal(notOwner.code, 5);
    assert.match(notOwner.out.message, /Royalties\(NotOwner\)/);
    const plainHttp = failing('pool', 'publish', poolId, 'http://lab.example/pool.json', '--signer', 'alice');
    assert.match(plainHttp.out.message, /Royalties\(UnsupportedUriScheme\)/);
    const noUri = failing('pool', 'claim', poolId, '--signer', 'bob');
    assert.equal(noUri.code, 3);
    assert.match(noUri.out.message, /no proofs-file URI on chain/);
    const published = prov('pool', 'publish', poolId, 'ipfs://moved-bafy-pool', '--signer', 'alice');
    assert.ok(BigInt(published.deposit) > 0n, 'the owner holds a deposit for the URI');
    const uri = prov('pool', 'show', poolId).uri;
    assert.equal(Buffer.from(uri.slice(2), 'hex').toString(), 'ipfs://moved-bafy-pool');

    prov('pay', asset, '10PROV', '--signer', 'dave');
    const royalties = prov('royalties', 'show', asset);
    assert.deepEqual(royalties.split.pool, [split.pool, 600_000_000], 'the pool and its share (Perbill)');
    const owed = prov('royalties', 'claimable', ALICE);
    assert.deepEqual(owed, [[{ dataset: data.dataset }, (4n * UNIT).toString()]]);

    // A file of another pool is refused before anything is sent.
    const otherCsv = join(work, 'other.csv');
    writeFileSync(otherCsv, `${BOB},5\n`);
    const other = join(work, 'other-pool.json');
    prov('pool', 'build', otherCsv, '--out', other);
    const wrongFile = failing('pool', 'claim', poolId, '--proofs', other, '--signer', 'bob');
    assert.equal(wrongFile.code, 1);
    assert.match(wrongFile.out.message, /not of pool/);

    // Bob needs nothing but the pool's id: the file comes from the URI on chain.
    let bob;
    try {
      bob = prov('pool', 'claim', poolId, '--ipfs-gateway', gateway.url, '--signer', 'bob');
    } finally {
      gateway.stop();
    }
    const charlie = prov('pool', 'claim', String(split.pool), '--proofs', proofs, '--signer', 'charlie');
    assert.equal(BigInt(bob.claimed), 3n * BigInt(charlie.claimed), 'parts by weight');
    assert.equal(BigInt(bob.claimed) + BigInt(charlie.claimed), 6n * UNIT, 'the pool paid out its 60%');
    const paidOut = prov('pool', 'show', String(split.pool));
    assert.equal(BigInt(paidOut.paid), BigInt(paidOut.accrued));

    const stranger = failing('pool', 'claim', String(split.pool), '--proofs', proofs, '--signer', 'ferdie');
    assert.equal(stranger.code, 3);
    assert.match(stranger.out.message, /not in the pool/);
    const again = failing('pool', 'claim', String(split.pool), '--proofs', proofs, '--signer', 'bob');
    assert.equal(again.code, 5);
    assert.match(again.out.message, /Royalties\(NothingToClaim\)/);

    const unpublished = prov('pool', 'unpublish', poolId, '--signer', 'alice');
    assert.equal(unpublished.released, published.deposit, 'the URI deposit is released');
    assert.equal(prov('pool', 'show', poolId).uri, null);

    // Replaced and paid out, the pool is closed and its leaves' claim records cleared, by anyone.
    assert.match(failing('pool', 'close', poolId, '--signer', 'dave').out.message, /Royalties\(PoolInUse\)/);
    prov('split', 'set', asset, '--to', `${ALICE}=100%`, '--signer', 'alice');
    const closed = prov('pool', 'close', poolId, '--signer', 'dave');
    assert.ok(BigInt(closed.released) > 0n, 'the owner\'s pool deposit is released');
    assert.equal(failing('pool', 'show', poolId).code, 1, 'the pool is gone');
    for (const index of ['0', '1']) {
      assert.ok(BigInt(prov('pool', 'clear-claim', poolId, index, '--signer', 'dave').released) > 0n);
    }
  });

  it('takes an attester through bond, bond-extra, chill, unbond, status and withdraw', () => {
    prov('attester', 'bond', '1000PROV', '--signer', 'dave');
    const extra = prov('attester', 'bond-extra', '100PROV', '--signer', 'dave');
    assert.equal(extra.bonded, (1100n * UNIT).toString());
    assert.equal(prov('attester', 'status', '--account', DAVE).bonded, (1100n * UNIT).toString());
    prov('attester', 'chill', '--signer', 'dave');
    assert.match(JSON.stringify(prov('attester', 'status', '--signer', 'dave').status), /Chilled/);
    const activate = failing('attester', 'activate', '--signer', 'dave');
    assert.equal(activate.code, 5, 'activation waits for the cooldown after a chill');
    assert.match(activate.out.message, /Attestations\(TooEarly\)/);
    const unbonding = prov('attester', 'unbond', '100PROV', '--signer', 'dave');
    assert.equal(unbonding.unbonding, (100n * UNIT).toString(), 'what stays bonded is at least the minimum');
    const status = prov('attester', 'status', '--account', DAVE);
    assert.equal(status.unbonding.length, 1);
    const early = failing('attester', 'withdraw', '--signer', 'dave');
    assert.equal(early.code, 5);
    assert.match(early.out.message, /Attestations\(NothingToWithdraw\)/);
    assert.equal(failing('attester', 'status', '--account', ALICE).code, 1, 'not an attester');
  });

  it('shows a run, refuses a challenge before any verdict, settles it expired after its deadline', async () => {
    prov('attester', 'bond', '1000PROV', '--signer', 'eve');
    const data = prov('dataset', 'register', '--root', hash('41'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/run', '--metadata-hash', hash('42'), '--signer', 'alice');
    const run = prov('run', 'declare', '--dataset', String(data.dataset), '--config-hash', hash('01'),
      '--code-hash', hash('02'), '--environment-hash', hash('03'), '--statement-digest', hash('04'),
      '--weights-hash', hash('05'), '--training-log-root', hash('06'), '--reward', '10PROV',
      '--deadline', '+11', '--signer', 'alice');
    const shown = prov('run', 'show', String(run.run));
    assert.equal(shown.deadline, run.deadline);
    const challenge = failing('run', 'challenge', String(run.run), DAVE, '--signer', 'bob');
    assert.equal(challenge.code, 5);
    assert.match(challenge.out.message, /Attestations\(NotDecided\)/);
    await waitFor('the run deadline', async () =>
      Number.parseInt((await rpc(node.rpcUrl, 'chain_getHeader', [])).number, 16) > run.deadline, 120_000);
    const settled = prov('run', 'settle', String(run.run), '--signer', 'bob');
    assert.equal(settled.outcome, 'Expired');
    assert.equal(settled.refund, (10n * UNIT).toString());
    assert.equal(prov('run', 'show', String(run.run)).status, 'Expired');
  });

  it('attests with a hot key acting for its stash; a statement it signed otherwise gets it slashed', async () => {
    await cryptoWaitReady();
    // prov runs synchronously: while it blocks this process, polkadot.js answers none of the
    // node's WebSocket pings, and the node may have dropped the connection.
    const api = await node.connectedApi();
    const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
    const ferdie = new Keyring({ type: 'sr25519' }).addFromUri('//Ferdie');
    const added = await sendAndFinalize(api, api.tx.proxy.addProxy(ferdie.address, 'Attester', 0), eve);
    assert.equal(added.dispatchError, undefined);
    const data = prov('dataset', 'register', '--root', hash('45'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/proxied', '--metadata-hash', hash('46'), '--signer', 'alice');
    const run = prov('run', 'declare', '--dataset', String(data.dataset), '--config-hash', hash('01'),
      '--code-hash', hash('02'), '--environment-hash', hash('03'), '--statement-digest', hash('04'),
      '--weights-hash', hash('05'), '--training-log-root', hash('06'), '--reward', '10PROV',
      '--deadline', '+12', '--signer', 'alice');
    const stateDir = join(work, 'eve-votes');
    const committed = prov('attester', 'commit', String(run.run), '--verdict', 'valid', '--state-dir', stateDir,
      '--signer', 'ferdie', '--as', EVE);
    assert.equal(committed.committed, true);
    const verdicts = await rpc(node.rpcUrl, 'provenance_verdicts', [run.run]);
    assert.deepEqual(verdicts.map(([who]) => who), [EVE], 'the verdict is the stash\'s');
    const bond = failing('attester', 'bond', '10PROV', '--signer', 'ferdie', '--as', EVE);
    assert.equal(bond.code, 5);
    assert.match(bond.out.message, /System\(CallFiltered\)/, 'an Attester proxy may not bond');

    await waitFor('the reveal phase', async () =>
      Number.parseInt((await rpc(node.rpcUrl, 'chain_getHeader', [])).number, 16) >= run.commitEnd, 120_000);
    prov('attester', 'reveal', String(run.run), '--state-dir', stateDir, '--signer', 'ferdie', '--as', EVE);
    // Eve told a lab "invalid" off chain, then revealed "valid": the signed statement is evidence.
    const evidence = join(work, 'eve-statement.json');
    writeFileSync(evidence, JSON.stringify(prov('attester', 'sign-statement', String(run.run), '--verdict', 'invalid',
      '--signer', 'eve')));
    const report = prov('run', 'report-equivocation', '--evidence', evidence, '--signer', 'bob');
    assert.ok(BigInt(report.slashed) > 0n, 'slashed');
    assert.ok(BigInt(report.reward) > 0n, 'the reporter gets a share');
    const again = failing('run', 'report-equivocation', '--evidence', evidence, '--signer', 'bob');
    assert.equal(again.code, 5);
    assert.match(again.out.message, /Attestations\(AlreadySlashed\)/);
  });

  it('challenges a revealed verdict on a run three attesters decided; the bond is held until the ruling', async () => {
    for (const attester of ['bob', 'charlie', 'ferdie']) prov('attester', 'bond', '1000PROV', '--signer', attester);
    const data = prov('dataset', 'register', '--root', hash('47'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/challenged', '--metadata-hash', hash('48'), '--signer', 'alice');
    const run = prov('run', 'declare', '--dataset', String(data.dataset), '--config-hash', hash('01'),
      '--code-hash', hash('02'), '--environment-hash', hash('03'), '--statement-digest', hash('04'),
      '--weights-hash', hash('49'), '--training-log-root', hash('06'), '--reward', '10PROV',
      '--deadline', '+16', '--signer', 'alice');
    const stateDir = (attester) => join(work, `votes-of-${attester}`);
    for (const attester of ['bob', 'charlie', 'ferdie']) {
      prov('attester', 'commit', String(run.run), '--verdict', 'valid', '--state-dir', stateDir(attester),
        '--signer', attester);
    }
    await waitFor('the reveal phase', async () =>
      Number.parseInt((await rpc(node.rpcUrl, 'chain_getHeader', [])).number, 16) >= run.commitEnd, 120_000);
    for (const attester of ['bob', 'charlie', 'ferdie']) {
      prov('attester', 'reveal', String(run.run), '--state-dir', stateDir(attester), '--signer', attester);
    }
    const decided = prov('run', 'show', String(run.run));
    assert.equal(decided.status.decided?.outcome, 'Attested', JSON.stringify(decided.status));

    const own = failing('run', 'challenge', String(run.run), BOB, '--signer', 'bob');
    assert.equal(own.code, 5, 'an attester does not challenge itself');
    assert.match(own.out.message, /Attestations\(OwnVerdict\)/);
    const challenged = prov('run', 'challenge', String(run.run), BOB, '--signer', 'dave');
    assert.equal(challenged.challenged, true);
    assert.equal(challenged.bond, (100n * UNIT).toString(), 'the challenge bond of the run rules');
    assert.equal(prov('run', 'show', String(run.run)).openChallenges, 1);
    const twice = failing('run', 'challenge', String(run.run), BOB, '--signer', 'eve');
    assert.equal(twice.code, 5);
    assert.match(twice.out.message, /Attestations\(AlreadyChallenged\)/);
  });

  it('writes terms, offers a dataset under them, sells a licence and shows the offer and grants', () => {
    const data = prov('dataset', 'register', '--root', hash('51'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/licensed', '--metadata-hash', hash('52'), '--commercial', '--signer', 'alice');
    const asset = `dataset:${data.dataset}`;
    const terms = prov('terms', 'create', '--fee', '2PROV', '--commercial', '--derivatives', 'share-alike',
      '--attribution', '--upstream-royalty-bps', '500', '--terms-hash', hash('53'), '--uri', 'https://lab.example/terms',
      '--signer', 'alice');
    const shown = prov('terms', 'show', String(terms.terms));
    assert.equal(BigInt(shown.spec.fee), 2n * UNIT);
    assert.equal(shown.spec.derivatives, 'ShareAlike');
    prov('license', 'set', asset, '--terms', String(terms.terms), '--policy', 'licensed', '--signer', 'alice');
    const bought = prov('license', 'acquire', asset, '--signer', 'bob');
    assert.equal(bought.fee, (2n * UNIT).toString());
    const offer = prov('license', 'show', asset);
    assert.deepEqual(offer.offer.license, { terms: terms.terms, policy: 'Licensed' });
    assert.equal(offer.offer.terms.uri, `0x${Buffer.from('https://lab.example/terms').toString('hex')}`, 'bytes as hex');
    assert.deepEqual(offer.grants.map(([who, grant]) => [who, grant.terms]), [[BOB, terms.terms]]);
    prov('license', 'relinquish', asset, '--signer', 'bob');
    assert.deepEqual(prov('license', 'show', asset).grants, [], 'the licence was given up');
    assert.equal(failing('license', 'relinquish', asset, '--signer', 'bob').code, 5);
  });

  it('hands a dataset and a checkpoint to new owners; reports a compromised pipeline', async () => {
    const data = prov('dataset', 'register', '--root', hash('55'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/sold', '--metadata-hash', hash('56'), '--signer', 'alice');
    const model = prov('checkpoint', 'register', '--weights-hash', hash('57'), '--dataset', String(data.dataset),
      '--uri', 'hf://lab/sold-model', '--metadata-hash', hash('58'), '--signer', 'alice');
    prov('dataset', 'transfer', String(data.dataset), '--to', BOB, '--signer', 'alice');
    prov('checkpoint', 'transfer', String(model.checkpoint), '--to', CHARLIE, '--signer', 'alice');
    assert.equal((await rpc(node.rpcUrl, 'provenance_dataset', [data.dataset])).owner, BOB);
    assert.equal((await rpc(node.rpcUrl, 'provenance_checkpoint', [model.checkpoint])).owner, CHARLIE);
    const notOwner = failing('dataset', 'transfer', String(data.dataset), '--to', DAVE, '--signer', 'alice');
    assert.match(notOwner.out.message, /Datasets\(NotOwner\)/);

    const evidence = join(work, 'advisory.txt');
    writeFileSync(evidence, 'the build image was tampered with\n');
    const report = prov('checkpoint', 'report-pipeline', hash('5a'), '--evidence', evidence, '--signer', 'dave');
    assert.equal(report.pipeline, hash('5a'));
    const again = failing('checkpoint', 'report-pipeline', hash('5a'), '--evidence', evidence, '--signer', 'eve');
    assert.match(again.out.message, /Checkpoints\(PipelineAlreadyReported\)/, 'a pipeline is reported once');
  });

  it('declares evaluations with their contamination finding; deploys, lists and ends a deployment', () => {
    // (The runs evaluations open need an active attester: Bob, Charlie and Ferdie bonded above.)
    const train = prov('dataset', 'register', '--root', hash('61'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/train', '--metadata-hash', hash('62'), '--signer', 'alice');
    const bench = prov('dataset', 'register', '--root', hash('63'), '--records', '4', '--bytes', '40',
      '--uri', 'hf://lab/bench', '--metadata-hash', hash('64'), '--signer', 'alice');
    const model = prov('checkpoint', 'register', '--weights-hash', hash('65'), '--dataset', String(train.dataset),
      '--uri', 'hf://lab/evaluated', '--metadata-hash', hash('66'), '--signer', 'alice');
    const declare = (benchmark) => prov('eval', 'declare', '--checkpoint', String(model.checkpoint), '--dataset',
      String(benchmark), '--harness-hash', hash('67'), '--environment-hash', hash('68'), '--metric', 'accuracy',
      '--score', '900', '--reward', '1PROV', '--deadline', '+30', '--signer', 'alice');
    const clean = declare(bench.dataset);
    assert.equal(clean.contamination, 'Clean');
    const contaminated = declare(train.dataset);
    assert.deepEqual(contaminated.contamination, { contaminated: { found: train.dataset } });
    assert.equal(prov('eval', 'show', String(clean.evaluation)).score, 900);
    assert.equal(prov('eval', 'show', '--checkpoint', String(model.checkpoint)).length, 2);

    const deployed = prov('deploy', String(model.checkpoint), '--endpoint', 'https://api.lab.example/v1', '--signer', 'charlie');
    assert.equal(deployed.tainted, false);
    assert.equal(prov('deployments', '--checkpoint', String(model.checkpoint)).length, 1);
    const history = prov('deployments', '--endpoint-hash', deployed.endpointHash, '--operator', CHARLIE);
    assert.deepEqual(history.map(([id]) => id), [deployed.deployment]);
    const ended = prov('undeploy', String(deployed.deployment), '--signer', 'charlie');
    assert.equal(typeof ended.until, 'number');
    const again = failing('undeploy', String(deployed.deployment), '--signer', 'charlie');
    assert.equal(again.code, 5);
    assert.match(again.out.message, /Evaluations\(AlreadyEnded\)/);
  });

  it('publishes revocation sets that extend each other; watch prints the events naming the dataset', async () => {
    const data = prov('dataset', 'register', '--root', hash('71'), '--records', '8', '--bytes', '80',
      '--uri', 'hf://lab/revocable', '--metadata-hash', hash('72'), '--signer', 'alice');
    const asset = `dataset:${data.dataset}`;
    const watcher = spawn(provBinary(), ['watch', asset, '--url', node.rpcUrl, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = [];
    createInterface({ input: watcher.stdout }).on('line', (line) => lines.push(JSON.parse(line)));
    try {
      await new Promise((r) => setTimeout(r, 3_000));
      const revoked = join(work, 'revoked.txt');
      writeFileSync(revoked, `${hash('a1')}\n${hash('a2')}\n`);
      const built = prov('revocation-set', 'build', revoked);
      assert.equal(built.count, 2);
      const first = prov('revocation-set', 'publish', String(data.dataset), revoked, '--signer', 'alice');
      assert.equal(first.root, built.root);
      writeFileSync(revoked, `${hash('a1')}\n${hash('a2')}\n${hash('a3')}\n`);
      const proof = prov('revocation-set', 'build', revoked, '--from', '2').proof;
      assert.ok(proof.length > 0, 'a consistency proof from the published two');
      assert.equal(prov('revocation-set', 'publish', String(data.dataset), revoked, '--signer', 'alice').count, 3);
      writeFileSync(revoked, `${hash('a2')}\n${hash('a3')}\n${hash('a4')}\n${hash('a5')}\n`);
      const dropped = failing('revocation-set', 'publish', String(data.dataset), revoked, '--signer', 'alice');
      assert.equal(dropped.code, 1, 'a set that leaves out a published record does not extend it');
      prov('pay', asset, '1PROV', '--signer', 'dave', '--finalized');

      await waitFor('watch to print both sets and the payment', () =>
        lines.filter((l) => l.event === 'RevocationSetPublished').length === 2
        && lines.some((l) => l.pallet === 'Royalties' && l.event === 'Paid'), 90_000);
      const published = lines.filter((l) => l.event === 'RevocationSetPublished');
      assert.deepEqual(published.map((l) => [l.fields.id, l.fields.count]), [[data.dataset, 2], [data.dataset, 3]]);
      assert.ok(lines.every((l) => l.fields.id === data.dataset || l.fields.asset?.Dataset === data.dataset
        || JSON.stringify(l.fields).includes(`{"Dataset":${data.dataset}}`)), 'only events naming the dataset');
    } finally {
      watcher.kill('SIGTERM');
    }
  });

  it('prints shell completions', () => {
    const run = spawnSync(provBinary(), ['completions', 'bash'], { encoding: 'utf8' });
    assert.equal(run.status, 0);
    assert.match(run.stdout, /_prov\(\)/);
    assert.match(run.stdout, /pool/);
  });
});
