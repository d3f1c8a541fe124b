// Licences and royalties: terms, policies, grants, stacks, splits, pools, payments and claims.
import {Asset, Claimable, Grant, Payment, Pool, PoolClaim, RoyaltyStackEntry, SplitEntry, Terms} from '../model'
import {events} from '../types'
import {account, assetId, AssetRef, text} from '../util'
import {Context, decode, Handler} from './context'

const licenses = events.licenses
const royalties = events.royalties

async function asset(ctx: Context, ref: AssetRef): Promise<Asset> {
    return ctx.registry.get(Asset, assetId(ref))
}

async function pool(ctx: Context, id: bigint): Promise<Pool> {
    return ctx.registry.get(Pool, id.toString())
}

/** Terms as the chain keeps them; genesis terms have no author and no deposit. */
export function terms(
    id: number,
    spec: {
        commercialUse: boolean
        derivatives: {__kind: string}
        attribution: boolean
        fee: bigint
        upstreamRoyaltyBps: number
        duration?: number | undefined
        termsHash: string
    },
    uri: string,
    author: string | undefined,
    deposit: bigint,
): Terms {
    return new Terms({
        id: id.toString(),
        author: author === undefined ? null : account(author),
        commercialUse: spec.commercialUse,
        derivatives: spec.derivatives.__kind,
        attribution: spec.attribution,
        fee: spec.fee,
        upstreamRoyaltyBps: spec.upstreamRoyaltyBps,
        duration: spec.duration === undefined ? null : BigInt(spec.duration),
        termsHash: spec.termsHash,
        uri: text(uri),
        deposit,
    })
}

export const handlers: Record<string, Handler> = {
    [licenses.termsCreated.name]: async (ctx) => {
        const e = decode(licenses.termsCreated.v110, ctx.event)
        ctx.registry.put(terms(e.id, e.spec, e.uri, e.author, e.deposit))
    },
    [licenses.licenseSet.name]: async (ctx) => {
        const e = decode(licenses.licenseSet.v110, ctx.event)
        const record = await asset(ctx, e.asset)
        record.licenseTerms = new Terms({id: e.terms.toString()})
        record.licensePolicy = e.policy.__kind
        ctx.registry.put(record)
    },
    // A share-alike input's terms, inherited at registration: the asset is offered under them.
    [licenses.termsInherited.name]: async (ctx) => {
        const e = decode(licenses.termsInherited.v110, ctx.event)
        const record = await asset(ctx, e.asset)
        record.licenseTerms = new Terms({id: e.terms.toString()})
        record.licensePolicy = 'Licensed'
        record.licenseInherited = true
        ctx.registry.put(record)
    },
    [licenses.licenseGranted.name]: async (ctx) => {
        const e = decode(licenses.licenseGranted.v110, ctx.event)
        const licensee = account(e.licensee)
        ctx.registry.put(
            new Grant({
                id: `${assetId(e.asset)}/${licensee}`,
                asset: new Asset({id: assetId(e.asset)}),
                licensee,
                terms: new Terms({id: e.terms.toString()}),
                fee: e.fee,
                expiresAt: e.expiresAt === undefined ? null : BigInt(e.expiresAt),
                deposit: e.deposit,
                grantedAt: ctx.block.height,
            }),
        )
    },
    [licenses.licenseRelinquished.name]: async (ctx) => {
        const e = decode(licenses.licenseRelinquished.v110, ctx.event)
        ctx.registry.remove(Grant, `${assetId(e.asset)}/${account(e.licensee)}`)
    },

    [royalties.stackFixed.name]: async (ctx) => {
        const e = decode(royalties.stackFixed.v110, ctx.event)
        const record = await asset(ctx, e.asset)
        record.royaltyStack = e.stack.map(
            (entry) => new RoyaltyStackEntry({ancestor: assetId(entry.ancestor), bps: entry.bps, depth: entry.depth}),
        )
        record.royaltyStackBps = e.totalBps
        ctx.registry.put(record)
    },
    [royalties.poolOpened.name]: async (ctx) => {
        const e = decode(royalties.poolOpened.v110, ctx.event)
        ctx.registry.put(
            new Pool({
                id: e.pool.toString(),
                asset: new Asset({id: assetId(e.asset)}),
                root: e.spec.root,
                leaves: e.spec.leaves,
                totalWeight: e.spec.totalWeight,
                share: e.spec.share,
                accrued: 0n,
                paid: 0n,
                depositor: account(e.deposit.depositor),
                deposit: e.deposit.amount,
                closed: false,
            }),
        )
    },
    [royalties.splitSet.name]: async (ctx) => {
        const e = decode(royalties.splitSet.v110, ctx.event)
        const record = await asset(ctx, e.asset)
        record.split = e.split.entries.map(([who, share]) => new SplitEntry({account: account(who), share}))
        record.splitPool = e.split.pool === undefined ? null : e.split.pool[0].toString()
        record.splitPoolShare = e.split.pool === undefined ? null : e.split.pool[1]
        record.splitDepositor = account(e.split.deposit.depositor)
        record.splitDeposit = e.split.deposit.amount
        ctx.registry.put(record)
    },
    [royalties.paid.name]: async (ctx) => {
        const e = decode(royalties.paid.v110, ctx.event)
        const record = await asset(ctx, e.asset)
        record.paidIn += e.amount
        ctx.registry.put(record)
        ctx.registry.put(
            new Payment({
                id: ctx.event.id,
                asset: new Asset({id: record.id}),
                payer: account(e.payer),
                amount: e.amount,
                at: ctx.block.height,
            }),
        )
    },
    [royalties.royaltyPaid.name]: async (ctx) => {
        const e = decode(royalties.royaltyPaid.v110, ctx.event)
        const from = await asset(ctx, e.from)
        from.royaltiesOut += e.amount
        ctx.registry.put(from)
        const to = await asset(ctx, e.to)
        to.royaltiesIn += e.amount
        ctx.registry.put(to)
    },
    [royalties.credited.name]: async (ctx) => {
        const e = decode(royalties.credited.v110, ctx.event)
        const who = account(e.account)
        const id = `${assetId(e.asset)}/${who}`
        const owed = await ctx.registry.find(Claimable, id)
        ctx.registry.put(
            new Claimable({
                id,
                asset: new Asset({id: assetId(e.asset)}),
                account: who,
                amount: (owed?.amount ?? 0n) + e.amount,
            }),
        )
    },
    [royalties.claimed.name]: async (ctx) => {
        const e = decode(royalties.claimed.v110, ctx.event)
        ctx.registry.remove(Claimable, `${assetId(e.asset)}/${account(e.account)}`)
    },
    [royalties.poolCredited.name]: async (ctx) => {
        const e = decode(royalties.poolCredited.v110, ctx.event)
        const record = await pool(ctx, e.pool)
        record.accrued += e.amount
        ctx.registry.put(record)
    },
    [royalties.poolClaimed.name]: async (ctx) => {
        const e = decode(royalties.poolClaimed.v110, ctx.event)
        const record = await pool(ctx, e.pool)
        record.paid += e.amount
        ctx.registry.put(record)
        ctx.registry.put(
            new PoolClaim({
                id: `${e.pool}/${e.index}`,
                pool: new Pool({id: record.id}),
                index: e.index,
                account: account(e.account),
                claimed: e.claimed,
            }),
        )
    },
    [royalties.poolClosed.name]: async (ctx) => {
        const e = decode(royalties.poolClosed.v110, ctx.event)
        const record = await pool(ctx, e.pool)
        record.closed = true
        ctx.registry.put(record)
    },
    [royalties.leafClaimCleared.name]: async (ctx) => {
        const e = decode(royalties.leafClaimCleared.v110, ctx.event)
        ctx.registry.remove(PoolClaim, `${e.pool}/${e.index}`)
    },
    [royalties.poolUriSet.name]: async (ctx) => {
        const e = decode(royalties.poolUriSet.v110, ctx.event)
        const record = await pool(ctx, e.pool)
        record.uri = text(e.uri)
        ctx.registry.put(record)
    },
    [royalties.poolUriCleared.name]: async (ctx) => {
        const e = decode(royalties.poolUriCleared.v110, ctx.event)
        const record = await pool(ctx, e.pool)
        record.uri = null
        ctx.registry.put(record)
    },
}
