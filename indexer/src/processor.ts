import {
    BlockHeader,
    DataHandlerContext,
    Event as _Event,
    SubstrateBatchProcessor,
    SubstrateBatchProcessorFields,
} from '@subsquid/substrate-processor'
import {events} from './types'

/** The node to follow: `scripts/indexer --node` sets it. */
export const NODE_URL = process.env.PROVENANCE_NODE_URL || 'ws://127.0.0.1:9944'

/** Every event of the pallets that keep the registry. */
const EVENTS = [
    events.datasets,
    events.checkpoints,
    events.attestations,
    events.licenses,
    events.royalties,
    events.evaluations,
].flatMap((pallet) => Object.values(pallet).map((event) => event.name))

export const processor = new SubstrateBatchProcessor()
    .setRpcEndpoint({url: NODE_URL, capacity: 10, maxBatchCallSize: 100})
    // New blocks by subscription; unfinalized ones are indexed at once and rolled back on a
    // reorg (the store keeps their changes until they are final).
    .setRpcDataIngestionSettings({newHeadTimeout: 60_000})
    .setBlockRange({from: 0})
    // Block 0 for the genesis state (the standard licence terms), which has no events.
    .includeAllBlocks({from: 0, to: 0})
    .addEvent({name: EVENTS})
    .setFields({
        event: {args: true, phase: true},
        block: {timestamp: true},
    })

export type Fields = SubstrateBatchProcessorFields<typeof processor>
export type Block = BlockHeader<Fields>
export type Event = _Event<Fields>
export type ProcessorContext<Store> = DataHandlerContext<Store, Fields>
