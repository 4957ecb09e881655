#!/usr/bin/env python3
"""Per-query latency of one `quire search --batch` process, slowest first.

Answers the benchmark queries (bench.py's list for CORPUS) in turn, --runs
passes, through bench.py's batch loop, and prints each query's median in
ms, then p50/p95 over the queries (bench.py's percentiles). Arguments after
`--` go to `quire search` (e.g. `-- --prox 0`), so one feature's cost can
be read side by side with the defaults.

--queries FILE answers FILE's queries (one per line) instead; operators.queries
holds plain two-word queries beside their prefix (3 letters) and NEAR/5 forms.

Usage: querylat.py INDEX [--corpus sotu] [--queries FILE] [--runs 5] [--quire bin/quire]
                   [-- ARGS...]
"""
import argparse
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import System, batch_times, pct, queries_for  # noqa: E402


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
    ap.add_argument("--queries", help="a file of queries, one per line")
    ap.add_argument("--quire", default=os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                     "bin", "quire"))
    a = ap.parse_args(argv)
    queries = queries_for(a.corpus)
    if a.queries:
        queries = [q for q in open(a.queries, encoding="utf-8").read().splitlines() if q.strip()]
    times, _ = batch_times(System("quire", a.quire, extra), a.index, queries, a.runs)
    # times are in answer order: run after run of the queries in turn
    med = {q: statistics.median(times[k::len(queries)]) * 1e3 for k, q in enumerate(queries)}
    for q, m in sorted(med.items(), key=lambda kv: -kv[1]):
        print("%8.2f ms  %s" % (m, q))
    v = list(med.values())
    print("p50 %.2f ms, p95 %.2f ms over %d queries (%s)"
          % (pct(v, 50), pct(v, 95), len(v), " ".join(extra) or "defaults"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
