// The indexer: follows the node's blocks and writes the registry the events describe into
// PostgreSQL, where the GraphQL server reads it.
import {TypeormDatabase} from '@subsquid/typeorm-store'
import {indexGenesis} from './genesis'
import {Handler} from './handlers/context'
import {handlers as attestations} from './handlers/attestations'
import {handlers as evaluations} from './handlers/evaluations'
import {handlers as lineage} from './handlers/lineage'
import {handlers as market} from './handlers/market'
import {processor} from './processor'
import {Registry} from './registry'

const HANDLERS: Record<string, Handler> = {...lineage, ...attestations, ...market, ...evaluations}

// Blocks not yet final are indexed too and rolled back if the chain reorganises.
processor.run(new TypeormDatabase({supportHotBlocks: true}), async (ctx) => {
    const registry = new Registry(ctx.store)
    for (const block of ctx.blocks) {
        if (block.header.height === 0) await indexGenesis(registry, block.header)
        for (const event of block.events) {
            // Events of these pallets the registry does not need (warnings, parameter changes)
            // have no handler.
            await HANDLERS[event.name]?.({registry, block: block.header, event})
        }
    }
    await registry.flush()
})
