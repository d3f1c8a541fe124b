import {EntityClass, Store} from '@subsquid/typeorm-store'
import * as model from './model'

type Entity = {id: string}
type Kind = EntityClass<Entity>

/** The order entities are written in: each refers only to kinds written before it. */
const WRITE_ORDER: Kind[] = [
    model.Terms,
    model.Run,
    model.Asset,
    model.Pool,
    model.Attester,
    model.Edge,
    model.TaintSource,
    model.TaintPropagation,
    model.Verdict,
    model.Challenge,
    model.Slash,
    model.Grant,
    model.PoolClaim,
    model.Claimable,
    model.Payment,
    model.Evaluation,
    model.LeaderboardEntry,
    model.Deployment,
    model.Withdrawal,
]

/**
 * The entities a batch of blocks reads and changes, kept in memory and written at the end of
 * the batch (removals first, in reverse order of reference). Relations left unset when an
 * entity was loaded are not written, so loading an entity never clears what it refers to.
 */
export class Registry {
    private readonly entities = new Map<Kind, Map<string, Entity | undefined>>()
    private readonly changed = new Map<Kind, Set<string>>()
    private readonly removed = new Map<Kind, Set<string>>()

    constructor(private readonly store: Store) {}

    private cache(kind: Kind): Map<string, Entity | undefined> {
        let cache = this.entities.get(kind)
        if (!cache) this.entities.set(kind, (cache = new Map()))
        return cache
    }

    async find<E extends Entity>(kind: EntityClass<E>, id: string): Promise<E | undefined> {
        const cache = this.cache(kind)
        if (!cache.has(id)) cache.set(id, await this.store.get(kind, id))
        return cache.get(id) as E | undefined
    }

    /** An entity an event refers to: one the indexer never saw means it missed an event. */
    async get<E extends Entity>(kind: EntityClass<E>, id: string): Promise<E> {
        const entity = await this.find(kind, id)
        if (!entity) throw new Error(`indexer: ${kind.name} ${id} is referred to but was never created`)
        return entity
    }

    /**
     * Keeps `entity` to be written. One removed earlier in the batch stays removed first: the
     * row is deleted and written anew, so no column of the removed one outlives it.
     */
    put<E extends Entity>(entity: E): E {
        const kind = entity.constructor as Kind
        this.cache(kind).set(entity.id, entity)
        this.mark(this.changed, kind, entity.id)
        return entity
    }

    remove<E extends Entity>(kind: EntityClass<E>, id: string): void {
        this.cache(kind).set(id, undefined)
        this.changed.get(kind)?.delete(id)
        this.mark(this.removed, kind, id)
    }

    private mark(marks: Map<Kind, Set<string>>, kind: Kind, id: string) {
        let ids = marks.get(kind)
        if (!ids) marks.set(kind, (ids = new Set()))
        ids.add(id)
    }

    async flush(): Promise<void> {
        for (const kind of [...this.changed.keys(), ...this.removed.keys()]) {
            if (!WRITE_ORDER.includes(kind)) throw new Error(`indexer: ${kind.name} has no place in WRITE_ORDER`)
        }
        for (const kind of [...WRITE_ORDER].reverse()) {
            const ids = this.removed.get(kind)
            if (ids?.size) await this.store.remove(kind, [...ids])
        }
        for (const kind of WRITE_ORDER) {
            const ids = this.changed.get(kind)
            if (!ids?.size) continue
            const cache = this.cache(kind)
            await this.store.upsert([...ids].map((id) => cache.get(id)!))
        }
        this.changed.clear()
        this.removed.clear()
    }
}
