// Attesters and runs: stakes, verdicts, challenges, slashes, outcomes.
import {Attester, Challenge, Run, Slash, UnbondingChunk, Verdict} from '../model'
import {events} from '../types'
import {account} from '../util'
import {Context, decode, Handler} from './context'

const attestations = events.attestations

async function run(ctx: Context, id: bigint): Promise<Run> {
    return ctx.registry.get(Run, id.toString())
}

/** A challenge closed: the challenge, its verdict and the run say so. */
async function closeChallenge(ctx: Context, id: bigint, attester: string, state: string, forfeit?: bigint) {
    const verdict = await ctx.registry.get(Verdict, `${id}/${account(attester)}`)
    const closed = await ctx.registry.get(Challenge, verdict.openChallenge!)
    closed.state = state
    closed.forfeit = forfeit
    ctx.registry.put(closed)
    verdict.openChallenge = null
    ctx.registry.put(verdict)
    const record = await run(ctx, id)
    record.openChallenges -= 1
    ctx.registry.put(record)
}

/** JSON holds no bigints: amounts become decimal strings, as the chain's JSON-RPC writes them. */
function json(value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString()
    if (Array.isArray(value)) return value.map(json)
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, json(inner)]))
    }
    return value
}

export const handlers: Record<string, Handler> = {
    // Bonded, Unbonding, Withdrawn, Chilled, Displaced, Activated and AttesterRemoved each come
    // with the attester's whole record after the change.
    [attestations.attesterUpdated.name]: async (ctx) => {
        const e = decode(attestations.attesterUpdated.v110, ctx.event)
        const record = e.record
        ctx.registry.put(
            new Attester({
                id: account(e.attester),
                present: record !== undefined,
                status: record?.status.__kind ?? null,
                bonded: record?.bonded ?? 0n,
                unbonding: (record?.unbonding ?? []).map(
                    (chunk) => new UnbondingChunk({amount: chunk.amount, unlockAt: chunk.unlockAt}),
                ),
                faults: record?.faults ?? 0,
                openChallenges: record?.openChallenges ?? 0,
                missed: record?.missed ?? 0,
                statusSince: record?.statusSince ?? null,
            }),
        )
    },
    [attestations.runDeclared.name]: async (ctx) => {
        const e = decode(attestations.runDeclared.v110, ctx.event)
        const training = e.claim.__kind === 'Training' ? e.claim.value : undefined
        ctx.registry.put(
            new Run({
                id: e.run.toString(),
                claimant: account(e.claimant),
                claimKind: e.claim.__kind,
                evaluation: e.claim.__kind === 'Evaluation' ? e.claim.value : undefined,
                datasets: (training?.datasets ?? []).map(String),
                baseCheckpoints: (training?.baseCheckpoints ?? []).map(String),
                configHash: training?.configHash,
                codeHash: training?.codeHash,
                environmentHash: training?.environmentHash,
                statementDigest: training?.statementDigest,
                trainingLogRoot: training?.trainingLogRoot,
                outputHash: e.outputHash,
                reward: e.reward,
                deposit: e.deposit,
                declaredAt: ctx.block.height,
                commitEnd: e.commitEnd,
                deadline: e.deadline,
                stakeSnapshot: e.stakeSnapshot,
                commits: 0,
                committedStake: 0n,
                validCount: 0,
                validStake: 0n,
                invalidCount: 0,
                invalidStake: 0n,
                status: 'Open',
                openChallenges: 0,
                ruled: false,
                rules: json(e.rules),
            }),
        )
    },
    [attestations.verdictCommitted.name]: async (ctx) => {
        const e = decode(attestations.verdictCommitted.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.commits += 1
        record.committedStake += e.stake
        ctx.registry.put(record)
        const attester = account(e.attester)
        ctx.registry.put(
            new Verdict({
                id: `${e.run}/${attester}`,
                run: new Run({id: record.id}),
                attester,
                stake: e.stake,
                commitment: e.commitment,
                slashed: false,
            }),
        )
    },
    [attestations.verdictRevealed.name]: async (ctx) => {
        const e = decode(attestations.verdictRevealed.v110, ctx.event)
        const verdict = await ctx.registry.get(Verdict, `${e.run}/${account(e.attester)}`)
        verdict.verdict = e.statement.verdict.__kind
        verdict.outputHash = e.statement.outputHash
        verdict.reportHash = e.statement.reportHash
        ctx.registry.put(verdict)
    },
    [attestations.runTallied.name]: async (ctx) => {
        const e = decode(attestations.runTallied.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.validCount = e.valid.count
        record.validStake = e.valid.stake
        record.invalidCount = e.invalid.count
        record.invalidStake = e.invalid.stake
        ctx.registry.put(record)
    },
    [attestations.runDecided.name]: async (ctx) => {
        const e = decode(attestations.runDecided.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.status = 'Decided'
        record.outcome = e.outcome.__kind
        record.windowEnd = e.windowEnd
        ctx.registry.put(record)
    },
    [attestations.runReopened.name]: async (ctx) => {
        const e = decode(attestations.runReopened.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.status = 'Open'
        record.outcome = null
        record.windowEnd = null
        ctx.registry.put(record)
    },
    [attestations.runRuled.name]: async (ctx) => {
        const e = decode(attestations.runRuled.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.ruled = true
        ctx.registry.put(record)
    },
    [attestations.runFinalized.name]: async (ctx) => {
        const e = decode(attestations.runFinalized.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.status = 'Final'
        record.outcome = e.outcome.__kind
        record.windowEnd = null
        record.paid = e.paid
        record.refund = e.refund
        ctx.registry.put(record)
    },
    [attestations.runExpired.name]: async (ctx) => {
        const e = decode(attestations.runExpired.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.status = 'Expired'
        record.refund = e.refund
        ctx.registry.put(record)
    },
    [attestations.challenged.name]: async (ctx) => {
        const e = decode(attestations.challenged.v110, ctx.event)
        const record = await run(ctx, e.run)
        record.openChallenges += 1
        ctx.registry.put(record)
        const attester = account(e.attester)
        // A dismissed challenge's verdict may be challenged again while the window is open:
        // each challenge keeps its own record, and the verdict points at the open one.
        const id = ctx.event.id
        const verdict = await ctx.registry.get(Verdict, `${e.run}/${attester}`)
        verdict.openChallenge = id
        ctx.registry.put(verdict)
        ctx.registry.put(
            new Challenge({
                id,
                run: new Run({id: record.id}),
                attester,
                challenger: account(e.challenger),
                bond: e.bond,
                rulingDeadline: e.rulingDeadline,
                state: 'Open',
            }),
        )
    },
    [attestations.challengeUpheld.name]: async (ctx) => {
        const e = decode(attestations.challengeUpheld.v110, ctx.event)
        await closeChallenge(ctx, e.run, e.attester, 'Upheld')
    },
    [attestations.challengeDismissed.name]: async (ctx) => {
        const e = decode(attestations.challengeDismissed.v110, ctx.event)
        await closeChallenge(ctx, e.run, e.attester, 'Dismissed', e.forfeit)
    },
    [attestations.challengeLapsed.name]: async (ctx) => {
        const e = decode(attestations.challengeLapsed.v110, ctx.event)
        await closeChallenge(ctx, e.run, e.attester, 'Lapsed')
    },
    [attestations.slashed.name]: async (ctx) => {
        const e = decode(attestations.slashed.v110, ctx.event)
        const attester = account(e.attester)
        const id = `${e.run}/${attester}`
        ctx.registry.put(
            new Slash({
                id,
                run: new Run({id: e.run.toString()}),
                attester,
                fault: e.fault.__kind,
                due: e.due,
                slashed: e.slashed,
                reporter: e.reporter === undefined ? null : account(e.reporter),
                reward: e.reward,
                at: ctx.block.height,
            }),
        )
        // An absence is no verdict's fault: the attester gave none.
        if (e.fault.__kind !== 'Absent') {
            const verdict = await ctx.registry.get(Verdict, id)
            verdict.slashed = true
            ctx.registry.put(verdict)
        }
    },
}
