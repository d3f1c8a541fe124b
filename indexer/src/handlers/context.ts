import {Block, Event} from '../processor'
import {Registry} from '../registry'

/** What a handler sees of the event it handles. */
export interface Context {
    registry: Registry
    block: Block
    event: Event
}

export type Handler = (ctx: Context) => Promise<void>

/** One version of an event type as `squid-substrate-typegen` writes them (`.v110`, ...). */
interface EventVersion<T> {
    is(event: Event): boolean
    decode(event: Event): T
}

/**
 * Decodes `event` as `version`: an event of another shape (a runtime upgrade changed it and
 * the indexer was not regenerated) stops the indexer rather than be misread.
 */
export function decode<T>(version: EventVersion<T>, event: Event): T {
    if (!version.is(event)) {
        throw new Error(`indexer: ${event.name} at block ${event.block.height} has a shape the indexer does not know`)
    }
    return version.decode(event)
}
