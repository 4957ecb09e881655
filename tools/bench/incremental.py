#!/usr/bin/env python3
"""Incremental indexing against a full build, on a copy of a benchmark corpus.

On CORPUS (copied to a scratch directory so nothing is modified in place):
a full build (--full), then re-runs on the unchanged corpus, then one
changed, one added and one removed file, each reflected by a plain
`quire index` (incremental); every step --runs times, medians reported. The
same index answers `quire index --check` with 0 after each step.

Usage: incremental.py CORPUS [--runs 3] [--full-runs N] [--quire bin/quire] [--work DIR]
                      [--baseline OLD_QUIRE]
(--full-runs: full builds to time, default --runs; the incremental steps
start from the last. --baseline: every incremental step is also run by
OLD_QUIRE, alternating run by run with --quire over the same index and
files, and both medians and their ratio are printed.)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def timed(argv):
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("incremental: %s: exit %d: %s" % (" ".join(argv), p.returncode, p.stderr))
    return dt, p.stdout.strip()


def files_of(corpus):
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        out += [os.path.join(root, f) for f in sorted(files)]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--full-runs", type=int, default=0)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin/quire"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build/bench/incremental"))
    ap.add_argument("--baseline")
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    docs, index = os.path.join(a.work, "docs"), os.path.join(a.work, "index")
    shutil.copytree(a.corpus, docs)
    files = files_of(docs)
    q = a.quire
    res = {}

    def step(name, prepare):
        bins = [q, a.baseline] if a.baseline else [q]
        times = {b: [] for b in bins}
        for r in range(a.runs * len(bins)):
            b = bins[r % len(bins)] if r // len(bins) % 2 == 0 else bins[-1 - r % len(bins)]
            prepare(r)
            dt, out = timed([b, "index", "--index", index, docs])
            times[b].append(dt)
        res[name] = statistics.median(times[q])
        timed([q, "index", "--check", "--index", index])
        print("%-10s median %.3f s  (%s)  last: %s" % (name, res[name],
              ", ".join("%.3f" % t for t in times[q]), out), flush=True)
        if a.baseline:
            old = statistics.median(times[a.baseline])
            print("%-10s baseline median %.3f s  (%s)  ratio %.2f" % (
                name, old, ", ".join("%.3f" % t for t in times[a.baseline]), res[name] / old),
                flush=True)

    full = []
    for r in range(a.full_runs or a.runs):
        dt, out = timed([q, "index", "--full", "--index", index, docs])
        full.append(dt)
    res["full"] = statistics.median(full)
    print("%-10s median %.3f s  (%s)  %d files" % ("full", res["full"],
          ", ".join("%.3f" % t for t in full), len(files)), flush=True)

    step("unchanged", lambda r: None)

    def change(r):
        with open(files[len(files) // 2], "a") as f:
            f.write("\nA paragraph added by the benchmark, run %d, about zebra tariffs.\n" % r)
    step("changed", change)

    def add(r):
        with open(os.path.join(docs, "added-%d.txt" % r), "w") as f:
            f.write("Added %d\n\nA new article about the zebra crossing treaty.\n" % r)
    step("added", add)

    def remove(r):
        os.unlink(files[r + 1])  # one file more per run, whichever build runs
    step("removed", remove)

    print("ratios to the full build: unchanged %.4f, one changed %.4f, added %.4f, removed %.4f"
          % (res["unchanged"] / res["full"], res["changed"] / res["full"],
             res["added"] / res["full"], res["removed"] / res["full"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
