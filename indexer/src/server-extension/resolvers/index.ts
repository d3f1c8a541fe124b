// The lineage of an asset both ways, whole: ancestors (what it was made from, transitively)
// and descendants (what was made from it), with the typed edges between them. One recursive
// query each way, so a lineage of any size comes back at once (up to `limit` assets).
import 'reflect-metadata'
import {Arg, Field, Int, ObjectType, Query, Resolver} from 'type-graphql'
import type {EntityManager} from 'typeorm'

@ObjectType()
export class LineageAsset {
    @Field() id!: string
    @Field() kind!: string
    @Field() number!: string
    @Field() owner!: string
    @Field() uri!: string
    @Field(() => String, {nullable: true}) status!: string | null
    @Field(() => String, {nullable: true}) origin!: string | null
    @Field(() => String, {nullable: true}) weightsHash!: string | null
    @Field(() => String, {nullable: true}) root!: string | null
    @Field(() => Boolean, {nullable: true}) compromised!: boolean | null
    @Field(() => [String], {description: 'kinds of taint it carries (empty: clean)'}) taintKinds!: string[]
    @Field(() => [String], {description: 'the assets its taint comes from'}) taintSources!: string[]
    @Field(() => [String], {description: 'inputs an attested unlearning run removed'}) excludes!: string[]
    @Field(() => String, {nullable: true, description: 'status of its linked training run'}) runStatus!: string | null
    @Field(() => String, {nullable: true}) runOutcome!: string | null
    @Field(() => Boolean) ancestor!: boolean
    @Field(() => Boolean) descendant!: boolean
}

@ObjectType()
export class LineageEdge {
    @Field() child!: string
    @Field() parent!: string
    @Field() kind!: string
    @Field(() => Int) position!: number
}

@ObjectType()
export class Lineage {
    @Field(() => [LineageAsset]) assets!: LineageAsset[]
    @Field(() => [LineageEdge]) edges!: LineageEdge[]
    @Field(() => Boolean, {description: 'more than `limit` assets: the rest were left out'}) truncated!: boolean
}

@ObjectType({description: 'A run not yet final or expired, and where it stands at the indexed head'})
export class OpenRun {
    @Field() id!: string
    @Field() claimant!: string
    @Field({description: 'Training or Evaluation'}) claimKind!: string
    @Field() outputHash!: string
    @Field(() => Int) commits!: number
    @Field(() => Int) commitEnd!: number
    @Field(() => Int) deadline!: number
    @Field(() => Int, {nullable: true}) windowEnd!: number | null
    @Field({description: 'Open or Decided'}) status!: string
    @Field(() => String, {nullable: true}) outcome!: string | null
    @Field({
        description:
            'Commit (attesters commit verdicts), Reveal (they reveal them), Challenge (decided: its ' +
            'verdicts may be challenged), Ruling (challenged: the dispute panel rules), Settle ' +
            '(anyone may settle it: final, or expired without quorum)',
    })
    phase!: string
    @Field(() => Int, {description: 'the indexed head the phase is at'}) at!: number
}

const MAX_LIMIT = 100_000
const MAX_RUNS = 1_000

/** Where an unsettled run stands at block `head`. */
function phase(
    run: {status: string; commit_end: number; deadline: number; window_end: number | null; open_challenges: number},
    head: number,
) {
    if (run.status === 'Decided') {
        if (head <= (run.window_end ?? 0)) return 'Challenge'
        return run.open_challenges > 0 ? 'Ruling' : 'Settle'
    }
    if (head <= run.commit_end) return 'Commit'
    return head <= run.deadline ? 'Reveal' : 'Settle'
}

@Resolver()
export class LineageResolver {
    constructor(private tx: () => Promise<EntityManager>) {}

    @Query(() => [OpenRun], {description: 'Runs not yet final or expired, oldest first, with their phase'})
    async openRuns(
        @Arg('limit', () => Int, {defaultValue: 100}) limit: number,
        @Arg('offset', () => Int, {defaultValue: 0}) offset: number,
    ): Promise<OpenRun[]> {
        if (limit < 1 || limit > MAX_RUNS || offset < 0) throw new Error(`limit must be 1 to ${MAX_RUNS}, offset at least 0`)
        const manager = await this.tx()
        const [{head}] = await manager.query(
            `SELECT COALESCE((SELECT max(height) FROM squid_processor.hot_block),
                             (SELECT height FROM squid_processor.status WHERE id = 0), 0) AS head`,
        )
        const runs: any[] = await manager.query(
            `SELECT id, claimant, claim_kind, output_hash, commits, commit_end, deadline, window_end, status, outcome,
                    open_challenges
             FROM run WHERE status IN ('Open', 'Decided') ORDER BY declared_at, id::numeric LIMIT $1 OFFSET $2`,
            [limit, offset],
        )
        return runs.map((run) => ({
            id: run.id,
            claimant: run.claimant,
            claimKind: run.claim_kind,
            outputHash: run.output_hash,
            commits: run.commits,
            commitEnd: run.commit_end,
            deadline: run.deadline,
            windowEnd: run.window_end,
            status: run.status,
            outcome: run.outcome,
            phase: phase(run, head),
            at: head,
        }))
    }

    @Query(() => Lineage, {nullable: true, description: "An asset's ancestors and descendants with their edges"})
    async lineage(
        @Arg('asset', {description: '"dataset-<id>" or "checkpoint-<id>"'}) asset: string,
        @Arg('limit', () => Int, {defaultValue: 10_000}) limit: number,
    ): Promise<Lineage | null> {
        if (limit < 1 || limit > MAX_LIMIT) throw new Error(`limit must be 1 to ${MAX_LIMIT}`)
        const manager = await this.tx()
        const rows: any[] = await manager.query(
            `WITH RECURSIVE
               up(id) AS (SELECT id FROM asset WHERE id = $1
                          UNION SELECT e.parent_id FROM edge e JOIN up ON e.child_id = up.id),
               down(id) AS (SELECT id FROM asset WHERE id = $1
                            UNION SELECT e.child_id FROM edge e JOIN down ON e.parent_id = down.id),
               lineage(id) AS (SELECT id FROM up UNION SELECT id FROM down)
             SELECT a.id, a.kind, a.number::text AS number, a.owner, a.uri, a.status, a.origin,
                    a.weights_hash, a.root, a.compromised, a.taint_kinds, a.excludes,
                    r.status AS run_status, r.outcome AS run_outcome,
                    a.id IN (SELECT id FROM up) AS is_ancestor,
                    a.id IN (SELECT id FROM down) AS is_descendant,
                    COALESCE((SELECT array_agg(t.origin_id ORDER BY t.origin_id) FROM taint_source t
                              WHERE t.asset_id = a.id), '{}') AS taint_sources
             FROM lineage l JOIN asset a ON a.id = l.id LEFT JOIN run r ON r.id = a.run_id
             ORDER BY a.id = $1 DESC, a.created_at, a.id
             LIMIT $2`,
            [asset, limit + 1],
        )
        if (rows.length === 0) return null
        const truncated = rows.length > limit
        const assets = rows.slice(0, limit).map((row) => ({
            id: row.id,
            kind: row.kind,
            number: row.number,
            owner: row.owner,
            uri: row.uri,
            status: row.status,
            origin: row.origin,
            weightsHash: row.weights_hash,
            root: row.root,
            compromised: row.compromised,
            taintKinds: row.taint_kinds ?? [],
            taintSources: row.taint_sources ?? [],
            excludes: row.excludes ?? [],
            runStatus: row.run_status,
            runOutcome: row.run_outcome,
            ancestor: row.is_ancestor && row.id !== asset,
            descendant: row.is_descendant && row.id !== asset,
        }))
        // The edges between assets of the lineage (its cousins are not in it).
        const edges: any[] = await manager.query(
            `SELECT child_id, parent_id, kind, position FROM edge
             WHERE child_id = ANY($1) AND parent_id = ANY($1)
             ORDER BY child_id, kind, position`,
            [assets.map((a) => a.id)],
        )
        return {
            assets,
            edges: edges.map((e) => ({child: e.child_id, parent: e.parent_id, kind: e.kind, position: e.position})),
            truncated,
        }
    }
}
