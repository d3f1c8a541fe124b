import * as ss58 from '@subsquid/ss58'

/** Accounts as the chain's clients show them: SS58 with the chain's prefix (42). */
const SS58 = ss58.codec(42)

export function account(raw: string): string {
    return SS58.encode(raw)
}

export type AssetRef = {__kind: 'Dataset' | 'Checkpoint'; value: bigint}

export function datasetId(id: bigint): string {
    return `dataset-${id}`
}

export function checkpointId(id: bigint): string {
    return `checkpoint-${id}`
}

/** The id of the asset an `AssetRef` names. */
export function assetId(asset: AssetRef): string {
    return asset.__kind === 'Dataset' ? datasetId(asset.value) : checkpointId(asset.value)
}

/**
 * Bytes that hold text (URIs, metric names) as text; anything else stays hex: bytes that are
 * not UTF-8, and text with control characters (PostgreSQL refuses NUL in text, and anyone
 * chooses these bytes).
 */
export function text(hex: string): string {
    const bytes = Buffer.from(hex.slice(2), 'hex')
    const decoded = bytes.toString('utf8')
    return Buffer.from(decoded, 'utf8').equals(bytes) && !/[\u0000-\u001f\u007f]/.test(decoded) ? decoded : hex
}
