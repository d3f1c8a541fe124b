// RFC 6962 with SHA-256, written here from the spec: the client side of the Merkle spec that
// datasets' roots and contributor pools use.
import { u8aConcat } from '@polkadot/util';
import { sha256AsU8a } from '@polkadot/util-crypto';

export const leafHash = (data) => sha256AsU8a(u8aConcat([0x00], data));
const nodeHash = (l, r) => sha256AsU8a(u8aConcat([0x01], l, r));
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };

/** The tree hash of `leaves` (leaf hashes). */
export const mth = (leaves) => leaves.length === 1 ? leaves[0]
  : nodeHash(mth(leaves.slice(0, split(leaves.length))), mth(leaves.slice(split(leaves.length))));

/** The audit path of leaf `m` among `leaves`. */
export const auditPath = (m, leaves) => {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k ? [...auditPath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
};

// The Merkle sum tree of contributor pools: the same shape, each node also carrying the sum
// of the weights below it, committed in its parent's hash.
const le128 = (n) => { const b = new Uint8Array(16); let v = BigInt(n); for (let i = 0; i < 16; i++) { b[i] = Number(v & 0xffn); v >>= 8n; } return b; };

/** A leaf of a sum tree: `{ hash, sum }`. */
export const sumLeaf = (data, weight) => ({ hash: leafHash(data), sum: BigInt(weight) });
const sumNode = (l, r) => ({
  hash: sha256AsU8a(u8aConcat([0x01], l.hash, le128(l.sum), r.hash, le128(r.sum))),
  sum: l.sum + r.sum,
});

/** The root of the sum tree over `leaves`. */
export const sumRoot = (leaves) => leaves.length === 1 ? leaves[0]
  : sumNode(sumRoot(leaves.slice(0, split(leaves.length))), sumRoot(leaves.slice(split(leaves.length))));

/** The audit path of leaf `m` in the sum tree over `leaves`. */
export const sumAuditPath = (m, leaves) => {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k ? [...sumAuditPath(m, leaves.slice(0, k)), sumRoot(leaves.slice(k))]
    : [...sumAuditPath(m - k, leaves.slice(k)), sumRoot(leaves.slice(0, k))];
};
