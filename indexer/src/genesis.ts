// The state a chain starts with has no events: the standard licence terms are read from the
// genesis block's storage, once, when the indexer starts from block 0.
import {Block} from './processor'
import {Registry} from './registry'
import {storage} from './types'
import {terms} from './handlers/market'

export async function indexGenesis(registry: Registry, block: Block): Promise<void> {
    const count = (await storage.licenses.nextTermsId.v110.get(block)) ?? 0
    for (let id = 0; id < count; id++) {
        const record = await storage.licenses.allTerms.v110.get(block, id)
        if (record) registry.put(terms(id, record.spec, record.uri, record.author, record.deposit))
    }
}
