// Datasets and checkpoints: the assets, their typed edges, their taint.
import {Asset, AssetKind, Edge, EdgeKind, Run, TaintKind, TaintPropagation, TaintSource, Withdrawal} from '../model'
import {events} from '../types'
import {account, AssetRef, assetId, checkpointId, datasetId, text} from '../util'
import {Context, decode, Handler} from './context'

const datasets = events.datasets
const checkpoints = events.checkpoints

/** A new asset with what every asset starts with: clean, unlicensed, nothing paid. */
function newAsset(fields: Partial<Asset> & Pick<Asset, 'id' | 'kind' | 'number' | 'owner' | 'deposit'>): Asset {
    return new Asset({
        depositor: fields.owner,
        taintKinds: [],
        taintTruncated: false,
        licenseInherited: false,
        royaltyStack: [],
        royaltyStackBps: 0,
        paidIn: 0n,
        royaltiesIn: 0n,
        royaltiesOut: 0n,
        ...fields,
    })
}

function edge(child: string, group: string, position: number, parent: string, kind: EdgeKind): Edge {
    return new Edge({
        id: `${child}/${group}/${position}`,
        child: new Asset({id: child}),
        parent: new Asset({id: parent}),
        kind,
        position,
    })
}

async function dataset(ctx: Context, id: bigint): Promise<Asset> {
    return ctx.registry.get(Asset, datasetId(id))
}

async function checkpoint(ctx: Context, id: bigint): Promise<Asset> {
    return ctx.registry.get(Asset, checkpointId(id))
}

async function taintSource(ctx: Context, asset: string, source: AssetRef, kind: {__kind: string}) {
    const origin = assetId(source)
    ctx.registry.put(
        new TaintSource({
            id: `${asset}/${origin}`,
            asset: new Asset({id: asset}),
            origin: new Asset({id: origin}),
            kind: kind.__kind as TaintKind,
            since: ctx.block.height,
        }),
    )
}

/** An asset changed hands: datasets and checkpoints alike. */
async function transferred(ctx: Context, id: string, to: string) {
    const asset = await ctx.registry.get(Asset, id)
    asset.owner = account(to)
    ctx.registry.put(asset)
}

async function withdrawal(ctx: Context, id: bigint): Promise<Withdrawal> {
    return ctx.registry.get(Withdrawal, id.toString())
}

export const handlers: Record<string, Handler> = {
    [datasets.datasetRegistered.name]: async (ctx) => {
        const e = decode(datasets.datasetRegistered.v110, ctx.event)
        const id = datasetId(e.id)
        const origin = e.origin
        ctx.registry.put(
            newAsset({
                id,
                kind: AssetKind.Dataset,
                number: e.id,
                owner: account(e.owner),
                deposit: e.deposit,
                uri: text(e.uri),
                metadataHash: e.metadataHash,
                commercial: e.commercial,
                createdAt: ctx.block.height,
                root: e.root,
                recordCount: e.recordCount,
                byteSize: e.byteSize,
                origin: origin.__kind,
                paramsHash: origin.__kind === 'Synthetic' ? origin.paramsHash : undefined,
                policyHash: origin.__kind === 'Synthetic' ? origin.policyHash : undefined,
                transformHash: origin.__kind === 'Derived' ? origin.transformHash : undefined,
                previousVersion: e.previousVersion === undefined ? undefined : new Asset({id: datasetId(e.previousVersion)}),
                status: 'Active',
                consentAnswered: false,
            }),
        )
        if (origin.__kind === 'Synthetic') {
            ctx.registry.put(edge(id, 'generator', 0, checkpointId(origin.generator), EdgeKind.GeneratedBy))
        } else if (origin.__kind === 'Derived') {
            origin.parents.forEach((parent, i) =>
                ctx.registry.put(edge(id, 'parent', i, datasetId(parent), EdgeKind.DerivedFrom)),
            )
        }
    },
    [datasets.ownershipTransferred.name]: async (ctx) => {
        const e = decode(datasets.ownershipTransferred.v110, ctx.event)
        await transferred(ctx, datasetId(e.id), e.to)
    },
    [datasets.revocationSetPublished.name]: async (ctx) => {
        const e = decode(datasets.revocationSetPublished.v110, ctx.event)
        const asset = await dataset(ctx, e.id)
        asset.revocationSetRoot = e.root
        asset.revocationSetCount = e.count
        asset.revocationSetPublishedAt = ctx.block.height
        ctx.registry.put(asset)
    },
    [datasets.datasetRevoked.name]: async (ctx) => {
        const e = decode(datasets.datasetRevoked.v110, ctx.event)
        const asset = await dataset(ctx, e.id)
        asset.status = 'Revoked'
        asset.revokedAt = ctx.block.height
        asset.revocationReason = e.reason.__kind
        asset.revocationForced = e.forced
        ctx.registry.put(asset)
    },
    [datasets.contributorTreeSet.name]: async (ctx) => {
        const e = decode(datasets.contributorTreeSet.v110, ctx.event)
        const asset = await dataset(ctx, e.id)
        asset.contributorRoot = e.root
        asset.contributorLeaves = e.leaves
        ctx.registry.put(asset)
    },
    [datasets.consentWithdrawn.name]: async (ctx) => {
        const e = decode(datasets.consentWithdrawn.v110, ctx.event)
        ctx.registry.put(
            new Withdrawal({
                id: e.withdrawal.toString(),
                dataset: new Asset({id: datasetId(e.dataset)}),
                contributor: account(e.contributor),
                records: e.records,
                reason: e.reason.__kind,
                deadline: e.deadline,
                deposit: e.deposit,
                filedAt: ctx.block.height,
                state: 'Open',
            }),
        )
    },
    [datasets.withdrawalAnswered.name]: async (ctx) => {
        const e = decode(datasets.withdrawalAnswered.v110, ctx.event)
        const record = await withdrawal(ctx, e.withdrawal)
        record.state = 'Answered'
        record.since = ctx.block.height
        record.late = e.late
        record.answeredBy = e.by === undefined ? undefined : account(e.by)
        ctx.registry.put(record)
        const asset = await dataset(ctx, e.dataset)
        asset.consentAnswered = e.answeredAny
        ctx.registry.put(asset)
    },
    [datasets.withdrawalUnanswered.name]: async (ctx) => {
        const e = decode(datasets.withdrawalUnanswered.v110, ctx.event)
        const record = await withdrawal(ctx, e.withdrawal)
        record.state = 'Unanswered'
        record.since = ctx.block.height
        ctx.registry.put(record)
    },
    [datasets.withdrawalCleared.name]: async (ctx) => {
        const e = decode(datasets.withdrawalCleared.v110, ctx.event)
        const record = await withdrawal(ctx, e.withdrawal)
        record.state = 'Cleared'
        ctx.registry.put(record)
    },
    [datasets.datasetNonCompliant.name]: async (ctx) => {
        const e = decode(datasets.datasetNonCompliant.v110, ctx.event)
        const asset = await dataset(ctx, e.id)
        asset.nonCompliantSince = e.since
        ctx.registry.put(asset)
    },
    [datasets.datasetCompliant.name]: async (ctx) => {
        const e = decode(datasets.datasetCompliant.v110, ctx.event)
        const asset = await dataset(ctx, e.id)
        asset.nonCompliantSince = null
        ctx.registry.put(asset)
    },

    [checkpoints.checkpointRegistered.name]: async (ctx) => {
        const e = decode(checkpoints.checkpointRegistered.v110, ctx.event)
        const id = checkpointId(e.id)
        ctx.registry.put(
            newAsset({
                id,
                kind: AssetKind.Checkpoint,
                number: e.id,
                owner: account(e.owner),
                deposit: e.deposit,
                uri: text(e.uri),
                metadataHash: e.metadataHash,
                commercial: e.commercial,
                createdAt: ctx.block.height,
                weightsHash: e.weightsHash,
                excludes: e.excludes.map(assetId),
                run: e.run === undefined ? undefined : new Run({id: e.run.toString()}),
                compromised: false,
            }),
        )
        e.parents.forEach((parent, i) =>
            ctx.registry.put(edge(id, 'parent', i, checkpointId(parent.checkpoint), parent.relation.__kind as EdgeKind)),
        )
        e.datasets.forEach((data, i) => ctx.registry.put(edge(id, 'dataset', i, datasetId(data), EdgeKind.TrainedOn)))
    },
    [checkpoints.ownershipTransferred.name]: async (ctx) => {
        const e = decode(checkpoints.ownershipTransferred.v110, ctx.event)
        await transferred(ctx, checkpointId(e.id), e.to)
    },
    [checkpoints.runLinked.name]: async (ctx) => {
        const e = decode(checkpoints.runLinked.v110, ctx.event)
        const asset = await checkpoint(ctx, e.checkpoint)
        asset.run = new Run({id: e.run.toString()})
        ctx.registry.put(asset)
    },
    [checkpoints.runLineageMismatch.name]: async (ctx) => {
        const e = decode(checkpoints.runLineageMismatch.v110, ctx.event)
        const asset = await checkpoint(ctx, e.checkpoint)
        asset.runMismatch = new Run({id: e.run.toString()})
        ctx.registry.put(asset)
    },
    [checkpoints.checkpointTainted.name]: async (ctx) => {
        const e = decode(checkpoints.checkpointTainted.v110, ctx.event)
        await taintSource(ctx, checkpointId(e.checkpoint), e.source, e.kind)
    },
    [checkpoints.datasetTainted.name]: async (ctx) => {
        const e = decode(checkpoints.datasetTainted.v110, ctx.event)
        await taintSource(ctx, datasetId(e.dataset), e.source, e.kind)
    },
    [checkpoints.taintCleared.name]: async (ctx) => {
        const e = decode(checkpoints.taintCleared.v110, ctx.event)
        ctx.registry.remove(TaintSource, `${assetId(e.asset)}/${assetId(e.source)}`)
    },
    [checkpoints.taintKindsChanged.name]: async (ctx) => {
        const e = decode(checkpoints.taintKindsChanged.v110, ctx.event)
        const asset = await ctx.registry.get(Asset, assetId(e.asset))
        asset.taintKinds = e.kinds.map((kind) => kind.__kind as TaintKind)
        asset.taintTruncated = e.truncated
        ctx.registry.put(asset)
    },
    [checkpoints.taintPropagation.name]: async (ctx) => {
        const e = decode(checkpoints.taintPropagation.v110, ctx.event)
        ctx.registry.put(new TaintPropagation({id: 'chain', pending: e.pending, since: ctx.block.height}))
    },
    [checkpoints.checkpointCompromised.name]: async (ctx) => {
        const e = decode(checkpoints.checkpointCompromised.v110, ctx.event)
        const asset = await checkpoint(ctx, e.checkpoint)
        asset.compromised = true
        asset.compromiseReason = e.reason.__kind
        asset.compromiseEvidence = e.evidence
        asset.compromiseForced = e.forced
        asset.compromisedAt = ctx.block.height
        ctx.registry.put(asset)
    },
    [checkpoints.compromiseWithdrawn.name]: async (ctx) => {
        const e = decode(checkpoints.compromiseWithdrawn.v110, ctx.event)
        const asset = await checkpoint(ctx, e.checkpoint)
        asset.compromised = false
        asset.compromiseReason = null
        asset.compromiseEvidence = null
        asset.compromiseForced = null
        asset.compromisedAt = null
        ctx.registry.put(asset)
    },
    [checkpoints.pipelineRecorded.name]: async (ctx) => {
        const e = decode(checkpoints.pipelineRecorded.v110, ctx.event)
        const asset = await checkpoint(ctx, e.checkpoint)
        asset.pipelineCodeHash = e.codeHash
        asset.pipelineEnvironmentHash = e.environmentHash
        ctx.registry.put(asset)
    },
}
