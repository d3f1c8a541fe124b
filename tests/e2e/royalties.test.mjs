// Licenses and royalties as a lab, a data owner and its contributors reach them through
// polkadot.js: the data owner licenses a corpus and pools its contributors, a lab buys a
// license and registers a commercial model, a user pays the model, and the royalty reaches
// the corpus's owner and a contributor, who claims with a Merkle proof built client-side.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { bnToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { sumAuditPath, sumLeaf, sumRoot } from './merkle.mjs';
import { rpc } from './network.mjs';
import { sendAndFinalize, startNode } from './node.mjs';

const UNIT = 10n ** 12n;

// A contributor pool's leaf: SCALE((account, weight: u128)), with the weight as its sum.
const contributorLeaf = (address, weight) =>
  sumLeaf(u8aConcat(decodeAddress(address), bnToU8a(weight, { bitLength: 128, isLe: true })), weight);
// A sum-tree path as the chain takes it.
const proofOf = (path) => path.map(({ hash, sum }) => ({ hash, sum }));
const proofJson = (path) => path.map(({ hash, sum }) => ({ hash: u8aToHex(hash), sum: sum.toString() }));

const eventOf = (result, section, method) =>
  result.events.find(({ event }) => event.section === section && event.method === method)?.event;

describe('licenses and royalties over JSON-RPC', () => {
  let node;
  let api;
  let alice; let bob; let charlie; let dave; let eve; let ferdie;

  before(async () => {
    await cryptoWaitReady();
    node = await startNode(['--dev', '--tmp']);
    api = node.api;
    const keyring = new Keyring({ type: 'sr25519' });
    [alice, bob, charlie, dave, eve, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie']
      .map((uri) => keyring.addFromUri(uri));
  });

  after(async () => {
    await node?.stop();
  });

  it('licenses a corpus, pays a model and claims up the lineage', { timeout: 300_000 }, async () => {
    // Alice anchors a corpus and offers it under her terms: 10 PROV a grant, 10% upstream.
    const anchored = await sendAndFinalize(api, api.tx.datasets.register(
      new Uint8Array(32).fill(0x51), 3, 4096, 'hf://datasets/alice/corpus', new Uint8Array(32), { Human: null }, false, null,
    ), alice);
    const corpus = { Dataset: eventOf(anchored, 'datasets', 'DatasetRegistered').data.id };
    const created = await sendAndFinalize(api, api.tx.licenses.createTerms({
      commercialUse: true, derivatives: 'Allowed', attribution: true, fee: 10n * UNIT,
      upstreamRoyaltyBps: 1_000, duration: null, termsHash: new Uint8Array(32).fill(3),
    }, 'https://alice.example/terms'), alice);
    const terms = eventOf(created, 'licenses', 'TermsCreated').data.id;
    const licensed = await sendAndFinalize(api, api.tx.licenses.setLicense(corpus, terms, 'Licensed'), alice);
    assert.equal(licensed.dispatchError, undefined);

    // Her corpus's income: 40% to her, 60% to a pool of three contributors (weights 1, 2, 3).
    const contributors = [[dave.address, 1n], [eve.address, 2n], [ferdie.address, 3n]];
    const leaves = contributors.map(([address, weight]) => contributorLeaf(address, weight));
    const root = sumRoot(leaves);
    assert.equal(root.sum, 6n, 'the root commits to the total weight');
    const pool = { root: root.hash, leaves: 3, totalWeight: root.sum, share: 600_000_000 };
    const splitSet = await sendAndFinalize(api, api.tx.royalties.setSplit(corpus, [[alice.address, 400_000_000]], pool), alice);
    const poolId = eventOf(splitSet, 'royalties', 'SplitSet').data.pool.unwrap();

    // Bob may not train a commercial model on it without a license; with one, he may.
    const registerModel = () => sendAndFinalize(api, api.tx.checkpoints.register(
      new Uint8Array(32).fill(0x52), [], [corpus.Dataset], [], 'hf://bob/model', new Uint8Array(32), true, 1_000,
    ), bob);
    const refused = await registerModel();
    assert.ok(refused.dispatchError?.isModule, 'a module error');
    assert.equal(api.registry.findMetaError(refused.dispatchError.asModule).name, 'NoLiveGrant');
    // The purchase names the terms and the most Bob pays: a swap to dearer terms fails it.
    const granted = await sendAndFinalize(api, api.tx.licenses.acquireLicense(corpus, terms, 10n * UNIT), bob);
    assert.equal(eventOf(granted, 'licenses', 'LicenseGranted').data.fee.toBigInt(), 10n * UNIT);
    const registered = await registerModel();
    assert.equal(registered.dispatchError, undefined);
    const model = { Checkpoint: eventOf(registered, 'checkpoints', 'CheckpointRegistered').data.id };
    const royalties = (await api.call.royaltiesApi.royalties(model)).unwrap();
    assert.deepEqual(royalties.stack.toJSON(), [{ ancestor: { dataset: corpus.Dataset.toNumber() }, bps: 1_000, depth: 1 }]);

    // Charlie pays 100 PROV to use the model: 10 go up to the corpus.
    const paid = await sendAndFinalize(api, api.tx.royalties.pay(model, 100n * UNIT), charlie);
    assert.equal(eventOf(paid, 'royalties', 'RoyaltyPaid').data.amount.toBigInt(), 10n * UNIT);
    const owed = async (who) => (await api.call.royaltiesApi.claimable(who.address, null, 10))
      .map(([asset, amount]) => [asset.toJSON(), amount.toBigInt()]);
    // The corpus received 20 (fee and royalty): Alice's 40% is 8.
    assert.deepEqual(await owed(alice), [[{ dataset: corpus.Dataset.toNumber() }, 8n * UNIT]]);
    assert.deepEqual(await owed(bob), [[{ checkpoint: model.Checkpoint.toNumber() }, 90n * UNIT]]);
    const corpusTotals = (await api.call.royaltiesApi.royalties(corpus)).unwrap().totals;
    assert.equal(corpusTotals.paidIn.toBigInt(), 10n * UNIT);
    assert.equal(corpusTotals.royaltiesIn.toBigInt(), 10n * UNIT);

    // What an explorer reads over provenance_*: balances as decimal strings.
    const corpusJson = { dataset: corpus.Dataset.toNumber() };
    const modelJson = { checkpoint: model.Checkpoint.toNumber() };
    assert.deepEqual(
      await rpc(node.rpcUrl, 'provenance_claimable', [alice.address, null, 10]),
      [[corpusJson, (8n * UNIT).toString()]],
    );
    assert.deepEqual(await rpc(node.rpcUrl, 'provenance_claimable', [bob.address, corpusJson, 10]), [[modelJson, (90n * UNIT).toString()]]);
    const modelRoyalties = await rpc(node.rpcUrl, 'provenance_royalties', [modelJson]);
    assert.deepEqual(modelRoyalties.stack, [{ ancestor: corpusJson, bps: 1_000, depth: 1 }]);
    const { totals } = (await api.call.royaltiesApi.royalties(model)).unwrap();
    assert.deepEqual(modelRoyalties.totals, {
      paidIn: totals.paidIn.toString(), royaltiesIn: totals.royaltiesIn.toString(), royaltiesOut: (10n * UNIT).toString(),
    });
    // Ferdie's leaf is the last, range [3, 6) of 6: half the pool's 12.
    assert.equal(
      await rpc(node.rpcUrl, 'provenance_poolClaimable', [poolId.toNumber(), ferdie.address, 3, 2, proofJson(sumAuditPath(2, leaves))]),
      (6n * UNIT).toString(),
    );
    assert.equal(
      await rpc(node.rpcUrl, 'provenance_poolClaimable', [poolId.toNumber(), ferdie.address, 3, 2, proofJson(sumAuditPath(1, leaves))]),
      null,
      'a proof that does not hold',
    );
    assert.equal((await rpc(node.rpcUrl, 'provenance_pool', [poolId.toNumber()])).spec.root, u8aToHex(pool.root));

    // Alice claims her part; Ferdie (weight 3 of 6) claims half the pool's 12 with his proof.
    const claimed = await sendAndFinalize(api, api.tx.royalties.claim(corpus), alice);
    assert.equal(eventOf(claimed, 'royalties', 'Claimed').data.amount.toBigInt(), 8n * UNIT);
    assert.deepEqual(await owed(alice), []);
    const poolOwed = await api.call.royaltiesApi.poolClaimable(poolId, ferdie.address, 3, 2, proofOf(sumAuditPath(2, leaves)));
    assert.equal(poolOwed.unwrap().toBigInt(), 6n * UNIT);
    const wrong = await sendAndFinalize(api, api.tx.royalties.claimFromPool(poolId, 3, 2, proofOf(sumAuditPath(1, leaves))), ferdie);
    assert.equal(api.registry.findMetaError(wrong.dispatchError.asModule).name, 'BadProof');
    const pooled = await sendAndFinalize(api, api.tx.royalties.claimFromPool(poolId, 3, 2, proofOf(sumAuditPath(2, leaves))), ferdie);
    const claimedEvent = eventOf(pooled, 'royalties', 'PoolClaimed').data;
    assert.equal(claimedEvent.amount.toBigInt(), 6n * UNIT);
    assert.equal(claimedEvent.index.toNumber(), 2);
    assert.equal((await api.call.royaltiesApi.pool(poolId)).unwrap().paid.toBigInt(), 6n * UNIT);
  });
});
