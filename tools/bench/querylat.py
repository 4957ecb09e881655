#!/usr/bin/env python3
"""Per-query latency of one `quire search --batch` process, slowest first.

Answers the benchmark queries (bench.py's list for CORPUS) in turn, --runs
passes, and prints each query's median in ms, then p50/p95 over the
queries. Arguments after `--` go to `quire search` (e.g. `-- --prox 0`), so
one feature's cost can be read side by side with the defaults.

Usage: querylat.py INDEX [--corpus sotu] [--runs 5] [--quire bin/quire] [-- ARGS...]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import queries_for  # noqa: E402


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser()
    ap.add_argument("index")
    ap.add_argument("--corpus", default="sotu")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quire", default=os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                     "bin", "quire"))
    a = ap.parse_args(argv)
    queries = queries_for(a.corpus)
    p = subprocess.Popen([a.quire, "search", "--batch", "--index", a.index] + extra,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    times = {q: [] for q in queries}
    for _ in range(a.runs):
        for q in queries:
            t0 = time.perf_counter()
            p.stdin.write(q + "\n")
            p.stdin.flush()
            if not p.stdout.readline():
                sys.exit("querylat: quire search stopped answering")
            times[q].append((time.perf_counter() - t0) * 1000)
    p.stdin.close()
    p.wait()
    med = {q: statistics.median(v) for q, v in times.items()}
    for q, m in sorted(med.items(), key=lambda kv: -kv[1]):
        print("%8.2f ms  %s" % (m, q))
    v = sorted(med.values())
    print("p50 %.2f ms, p95 %.2f ms over %d queries (%s)"
          % (statistics.median(v), v[int(0.95 * (len(v) - 1))], len(v), " ".join(extra) or
             "defaults"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
