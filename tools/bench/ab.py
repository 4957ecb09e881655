#!/usr/bin/env python3
"""Two builds of Quire on one index, interleaved: is a change slower?

Answers the benchmark queries of CORPUS (bench.py's list) on INDEX with each
binary in turn, --rounds times, alternating which goes first, both as one
`quire search --batch` process (bench.py's loop; --runs passes per round)
and as a fresh `quire search` process per query. Prints, per binary, the
median over rounds of the per-round p50, and the ratios to the first
binary. Interleaving is what makes a few percent readable on a noisy
machine: two runs one after the other differ by more than that.

Usage: ab.py INDEX OLD_QUIRE NEW_QUIRE [--corpus sotu] [--rounds 7] [--runs 3]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import System, batch_times, pct, queries_for  # noqa: E402


def process_p50(quire, index, queries):
    times = []
    for q in queries:
        t0 = time.perf_counter()
        subprocess.run([quire, "search", "--index", index, "-n", "10", q],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return pct(times, 50) * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("index")
    ap.add_argument("binaries", nargs=2)
    ap.add_argument("--corpus", default="sotu")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    queries = queries_for(a.corpus)
    batch = {b: [] for b in a.binaries}
    proc = {b: [] for b in a.binaries}
    for r in range(a.rounds):
        for b in a.binaries if r % 2 == 0 else a.binaries[::-1]:
            t, _ = batch_times(System("quire", b), a.index, queries, a.runs)
            batch[b].append(pct(t, 50) * 1e3)
            proc[b].append(process_p50(b, a.index, queries))
    old = a.binaries[0]
    for b in a.binaries:
        bm, pm = statistics.median(batch[b]), statistics.median(proc[b])
        print("%s: batch p50 %.3f ms (x%.3f), process p50 %.2f ms (x%.3f)" % (
            b, bm, bm / statistics.median(batch[old]), pm, pm / statistics.median(proc[old])))


if __name__ == "__main__":
    main()
