#!/usr/bin/env python3
"""Writes provenance.json: RFC 6962 SHA-256 roots, audit paths and consistency proofs, and the
Merkle sum trees of contributor pools, computed here by a second, independent implementation
(Python's hashlib, the RFC's recursive definitions) so that the Rust implementation and any
client can be checked against it.

Leaf i of the plain trees holds the ASCII decimal digits of i ("0", "1", ...). Leaf i of a pool
holds SCALE((account, weight)): the 32 bytes of account i+1 (all bytes i+1) and the weight as
16 little-endian bytes.

It also writes the fixtures of the three input forms (forms/: a directory, a sha256sum manifest
of it and a line-oriented file) and forms.json, their roots by the same independent code."""
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


def subproof(m, leaves, complete):
    """RFC 6962 section 2.1.2 SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def le128(n):
    return n.to_bytes(16, "little")


def sum_leaf(data, weight):
    return (leaf(data), weight)


def sum_node(left, right):
    return (sha(b"\x01" + left[0] + le128(left[1]) + right[0] + le128(right[1])), left[1] + right[1])


def sum_root(leaves):
    if not leaves:
        return (sha(b""), 0)
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return sum_node(sum_root(leaves[:k]), sum_root(leaves[k:]))


def sum_path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return sum_path(m, leaves[:k]) + [sum_root(leaves[k:])]
    return sum_path(m - k, leaves[k:]) + [sum_root(leaves[:k])]


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

all_leaves = [leaf(str(i).encode()) for i in range(1000)]
consistency = []
for old, new in [(1, 2), (3, 7), (4, 8), (7, 8), (5, 1000), (512, 1000), (999, 1000)]:
    consistency.append({
        "old_size": old,
        "new_size": new,
        "old_root": mth(all_leaves[:old]).hex(),
        "new_root": mth(all_leaves[:new]).hex(),
        "proof": [h.hex() for h in subproof(old, all_leaves[:new], True)],
    })

WEIGHTS = [5, 1, 1000, 3, 2**64, 7, 1]
sum_trees = []
for size in [1, 2, 3, 7]:
    accounts = [bytes([i + 1]) * 32 for i in range(size)]
    weights = WEIGHTS[:size]
    leaves = [sum_leaf(a + le128(w), w) for a, w in zip(accounts, weights)]
    root = sum_root(leaves)
    sum_trees.append({
        "size": size,
        "root": root[0].hex(),
        "total_weight": str(root[1]),
        "leaves": [
            {
                "index": i,
                "account": accounts[i].hex(),
                "weight": str(weights[i]),
                "offset": str(sum(weights[:i])),
                "path": [{"hash": h.hex(), "sum": str(s)} for h, s in sum_path(i, leaves)],
            }
            for i in range(size)
        ],
    })

out = {
    "spec": "RFC 6962 Merkle tree with SHA-256: leaf = SHA256(0x00 || data), node = SHA256(0x01 || left || right), empty root = SHA256()",
    "leaf_data": "leaf i holds the ASCII decimal digits of i",
    "trees": trees,
    "consistency": consistency,
    "sum_tree_spec": "the RFC 6962 shape; leaf = (SHA256(0x00 || data), weight), node = (SHA256(0x01 || left.hash || LE128(left.sum) || right.hash || LE128(right.sum)), left.sum + right.sum); a leaf's offset is the sum of the weights before it",
    "sum_leaf_data": "SCALE((account, weight: u128)): account i+1 is 32 bytes of i+1, the weight 16 bytes little-endian; sums as decimal strings",
    "sum_trees": sum_trees,
}
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "provenance.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")

# The input forms. A directory: one leaf per regular file, sorted by the bytes of its relative
# path, data = SHA256(file) || path. A manifest: the same root. Lines: one leaf per line, without
# its ending ("\n" or "\r\n").
FILES = {
    "README.md": b"provenance-chain: the directory form of the Merkle spec\n",
    "Z-sorts-before-lowercase.txt": b"'Z' is 0x5a, 'd' is 0x64\n",
    "data/part-0.jsonl": b'{"text": "first"}\n{"text": "second"}\n',
    "data/part-1.jsonl": b'{"text": "third"}\n',
    "data/empty.txt": b"",
    "names/with space.txt": b"a path with a space\n",
    "names/\u00fcn\u00efcode.txt": "a UTF-8 path: \u00fc\n".encode(),
    "deep/a/b/c/d.bin": bytes(range(256)) * 64,
}
LINES = b'{"id": 0}\n{"id": 1}\r\n\n{"id": 3, "note": "line 2 was empty"}\n{"id": 4, "no newline at the end": true}'

forms = os.path.join(HERE, "forms")
for path, data in FILES.items():
    full = os.path.join(forms, "dir", path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data)
# As `cd dir && find . -type f -exec sha256sum {} +` prints it: "./" prefixes, in no order.
with open(os.path.join(forms, "dir.sha256"), "w", encoding="utf-8") as f:
    for path in sorted(FILES, reverse=True):
        f.write(hashlib.sha256(FILES[path]).hexdigest() + "  ./" + path + "\n")
with open(os.path.join(forms, "lines.jsonl"), "wb") as f:
    f.write(LINES)

file_leaves = [
    leaf(sha(FILES[p]) + p.encode()) for p in sorted(FILES, key=lambda p: p.encode())
]
lines = LINES.split(b"\n")
if lines[-1] == b"":
    lines.pop()
line_leaves = [leaf(l[:-1] if l.endswith(b"\r") else l) for l in lines]
tree = {
    "root": mth(file_leaves).hex(),
    "records": len(FILES),
    "bytes": sum(len(d) for d in FILES.values()),
}
forms_out = {
    "spec": "directory: leaf data = SHA256(file) || relative path, leaves sorted by path bytes; "
    "manifest: the directory's root; lines: leaf data = the line without its ending",
    "directory": dict(tree, path="forms/dir"),
    "manifest": dict(tree, path="forms/dir.sha256"),
    "lines": {
        "path": "forms/lines.jsonl",
        "root": mth(line_leaves).hex(),
        "records": len(line_leaves),
        "bytes": len(LINES),
    },
}
with open(os.path.join(HERE, "forms.json"), "w") as f:
    json.dump(forms_out, f, indent=1)
    f.write("\n")
