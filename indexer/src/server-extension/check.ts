// One `lineage` a request: each walks a whole family in the database, so a request may not
// ask for twenty under aliases (the server's root-field bound) to tie the database up.
import type {RequestCheckContext} from '@subsquid/graphql-server/lib/check'

export async function requestCheck(req: RequestCheckContext): Promise<boolean | string> {
    // Counted in the query's text, so that fragments and aliases cannot hide a second one.
    const lineages = (req.request.query ?? '').match(/\blineage\s*\(/g)?.length ?? 0
    return lineages <= 1 || 'one lineage a request'
}
