// Evaluations, leaderboards and deployments.
import {Asset, Deployment, Evaluation, LeaderboardEntry, Run} from '../model'
import {events} from '../types'
import {account, checkpointId, datasetId, text} from '../util'
import {Context, decode, Handler} from './context'

const evaluations = events.evaluations

async function evaluation(ctx: Context, id: bigint): Promise<Evaluation> {
    return ctx.registry.get(Evaluation, id.toString())
}

async function settle(ctx: Context, id: bigint, status: string) {
    const record = await evaluation(ctx, id)
    record.status = status
    ctx.registry.put(record)
    return record
}

export const handlers: Record<string, Handler> = {
    [evaluations.evaluationDeclared.name]: async (ctx) => {
        const e = decode(evaluations.evaluationDeclared.v110, ctx.event)
        const contamination = e.contamination
        ctx.registry.put(
            new Evaluation({
                id: e.evaluation.toString(),
                declarer: account(e.declarer),
                checkpoint: new Asset({id: checkpointId(e.checkpoint)}),
                dataset: new Asset({id: datasetId(e.dataset)}),
                metric: text(e.metric),
                score: e.score,
                contamination: contamination.__kind,
                contaminationFound:
                    contamination.__kind === 'Contaminated' ? new Asset({id: datasetId(contamination.found)}) : null,
                run: new Run({id: e.run.toString()}),
                harnessHash: e.harnessHash,
                environmentHash: e.environmentHash,
                deposit: e.deposit,
                declaredAt: ctx.block.height,
                status: 'Pending',
            }),
        )
    },
    // An attested score takes its place on the clean or the flagged board of its dataset and
    // metric; a full board drops its last entry for it.
    [evaluations.evaluationAttested.name]: async (ctx) => {
        const e = decode(evaluations.evaluationAttested.v110, ctx.event)
        const record = await settle(ctx, e.evaluation, 'Attested')
        if (e.evicted !== undefined) ctx.registry.remove(LeaderboardEntry, e.evicted.toString())
        if (e.rank === undefined) return
        ctx.registry.put(
            new LeaderboardEntry({
                id: record.id,
                evaluation: new Evaluation({id: record.id}),
                dataset: new Asset({id: datasetId(e.dataset)}),
                metric: record.metric,
                flagged: e.contamination.__kind !== 'Clean',
                score: e.score,
                attestedOrder: BigInt(ctx.block.height) * 1_000_000n + BigInt(ctx.event.index),
            }),
        )
    },
    [evaluations.evaluationRejected.name]: async (ctx) => {
        const e = decode(evaluations.evaluationRejected.v110, ctx.event)
        await settle(ctx, e.evaluation, 'Rejected')
    },
    [evaluations.evaluationExpired.name]: async (ctx) => {
        const e = decode(evaluations.evaluationExpired.v110, ctx.event)
        await settle(ctx, e.evaluation, 'Expired')
    },
    [evaluations.deployed.name]: async (ctx) => {
        const e = decode(evaluations.deployed.v110, ctx.event)
        ctx.registry.put(
            new Deployment({
                id: e.deployment.toString(),
                operator: account(e.operator),
                checkpoint: new Asset({id: checkpointId(e.checkpoint)}),
                endpoint: e.endpoint,
                from: e.from,
                replaced: e.replaced ?? null,
                deposit: e.deposit,
            }),
        )
    },
    [evaluations.deploymentEnded.name]: async (ctx) => {
        const e = decode(evaluations.deploymentEnded.v110, ctx.event)
        const record = await ctx.registry.get(Deployment, e.deployment.toString())
        record.until = e.until
        ctx.registry.put(record)
    },
}
