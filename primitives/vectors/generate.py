#!/usr/bin/env python3
"""Writes provenance.json: RFC 6962 SHA-256 roots and audit paths, computed here by a second,
independent implementation (Python's hashlib, the RFC's recursive definitions) so that the
Rust implementation and any client can be checked against it.

Leaf i holds the ASCII decimal digits of i ("0", "1", ...)."""
import hashlib
import json
import os


def sha(b):
    return hashlib.sha256(b).digest()


def leaf(data):
    return sha(b"\x00" + data)


def node(left, right):
    return sha(b"\x01" + left + right)


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node(mth(leaves[:k]), mth(leaves[k:]))


def path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


trees = []
for size in [0, 1, 2, 3, 7, 8, 1000]:
    leaves = [leaf(str(i).encode()) for i in range(size)]
    indexes = sorted({0, size // 2, size - 1}) if size else []
    trees.append({
        "size": size,
        "root": mth(leaves).hex(),
        "proofs": [
            {"index": i, "leaf_hash": leaves[i].hex(), "path": [h.hex() for h in path(i, leaves)]}
            for i in indexes
        ],
    })

out = {
    "spec": "RFC 6962 Merkle tree with SHA-256: leaf = SHA256(0x00 || data), node = SHA256(0x01 || left || right), empty root = SHA256()",
    "leaf_data": "leaf i holds the ASCII decimal digits of i",
    "trees": trees,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "provenance.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
