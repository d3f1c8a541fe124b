#!/usr/bin/env python3
"""Writes provenance.json: RFC 6962 SHA-256 roots and audit paths, computed here by a second,
independent implementation (Python's hashlib, the RFC's recursive definitions) so that the
Rust implementation and any client can be checked against it.

Leaf i holds the ASCII decimal digits of i ("0", "1", ...).

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
