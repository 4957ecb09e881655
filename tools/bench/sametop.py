#!/usr/bin/env python3
"""Do two builds of Quire give the same top 10 on one index?

Answers QUERIES (one per line) through one `quire search --batch --brief`
process per build and compares each query's hits: the same passages
(path, byte offset) in the same order, scores within 1e-9. Prints the
queries that differ and a count; exit status 1 when any does. For a
change that should not move any hit (a faster path to the same answer),
or to show which queries a ranking change moves.

Usage: sametop.py OLD_QUIRE NEW_QUIRE INDEX QUERIES [-n 10]
"""
import argparse
import json
import subprocess
import sys


def hits(quire, index, queries, n):
    out = subprocess.run([quire, "search", "--index", index, "--batch", "--brief", "-n", str(n)],
                         input="\n".join(queries) + "\n", capture_output=True, text=True,
                         check=True).stdout
    return [[(h.get("path"), h.get("byte_start"), h.get("score")) for h in json.loads(line)["hits"]]
            for line in out.splitlines()]


def same(a, b):
    return len(a) == len(b) and all(
        p == q and s == t and abs(u - v) <= 1e-9 * max(1.0, abs(u))
        for (p, s, u), (q, t, v) in zip(a, b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("index")
    ap.add_argument("queries")
    ap.add_argument("-n", type=int, default=10)
    a = ap.parse_args()
    queries = [q for q in open(a.queries, encoding="utf-8").read().splitlines() if q.strip()]
    old, new = hits(a.old, a.index, queries, a.n), hits(a.new, a.index, queries, a.n)
    differ = [q for q, x, y in zip(queries, old, new) if not same(x, y)]
    for q in differ:
        print("differs: " + q)
    print("%s: %d queries, %d differ" % (a.queries, len(queries), len(differ)))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
