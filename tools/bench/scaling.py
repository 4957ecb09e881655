#!/usr/bin/env python3
"""Search latency over 1, 2, 4 and 8 shards, local and served on loopback.

For each N: builds the corpus as N shards (`quire index --shard I/N`, each
timed), starts one `quire serve` per shard on 127.0.0.1, then answers the
benchmark queries (bench.py's list) through one `quire search --batch`
process, one round trip per query, top 10 with snippets - once over the
local shard directories and once over tcp:// - and reports p50/p95 per
query (medians over --runs passes). Checks on the way that the top 10 of
every query is the same whatever N and whether local or remote.

With --baseline OLD_QUIRE, the same searches are also made by another
quire client over the same shards and servers, in alternating passes, and
each row gains its p50/p95 and the ratio new/old (medians).

Usage: scaling.py [--corpus sotu] [--shards 1,2,4,8] [--runs 3] [--json OUT]
                  [--baseline OLD_QUIRE]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from bench import queries_for  # noqa: E402

QUIRE = os.path.join(ROOT, "bin", "quire")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("server on port %d did not start" % port)


def latencies(specs, queries, runs, binary=QUIRE):
    """Per-query seconds (median over runs) and each query's top-10 keys."""
    argv = [binary, "search", "--batch"]
    for s in specs:
        argv += ["--index", s]
    per_query = [[] for _ in queries]
    tops = []
    for _ in range(runs):
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        tops = []
        for i, q in enumerate(queries):
            t0 = time.perf_counter()
            p.stdin.write(q + "\n")
            p.stdin.flush()
            line = p.stdout.readline()
            per_query[i].append(time.perf_counter() - t0)
            res = json.loads(line)
            tops.append([(h["file"], h["byte_start"], round(h["score"], 6))
                         for h in res.get("hits", [])])
        p.stdin.close()
        p.wait()
    med = [statistics.median(v) for v in per_query]
    return med, tops


def per_query_median(passes):
    """The median of each query's seconds over passes (lists in query order)."""
    return [statistics.median(p[i] for p in passes) for i in range(len(passes[0]))]


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="sotu")
    ap.add_argument("--shards", default="1,2,4,8")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    ap.add_argument("--baseline", help="another quire binary, measured beside this one")
    args = ap.parse_args()
    corpus = os.path.join(ROOT, "build", "bench", "corpora", args.corpus)
    if not os.path.isdir(corpus):
        sys.exit("scaling: %s missing; run tools/bench/prepare.py --only %s" % (corpus, args.corpus))
    queries = queries_for(args.corpus)
    rows, reference = [], None
    work = tempfile.mkdtemp(prefix="quire-scaling-")
    for n in [int(x) for x in args.shards.split(",")]:
        dirs, build = [], []
        for i in range(1, n + 1):
            d = os.path.join(work, "n%d-%d" % (n, i))
            t0 = time.perf_counter()
            subprocess.run([QUIRE, "index", "-q", "--shard", "%d/%d" % (i, n), "--index", d,
                            corpus], check=True)
            build.append(time.perf_counter() - t0)
            dirs.append(d)
        servers, remote = [], []
        try:
            for d in dirs:
                port = free_port()
                servers.append(subprocess.Popen(
                    [QUIRE, "serve", "-q", "--index", d, "--port", str(port)],
                    stderr=subprocess.DEVNULL, start_new_session=True))
                wait_port(port)
                remote.append("tcp://127.0.0.1:%d" % port)
            old_local, old_remote = [], []
            local_t, remote_t = [], []
            # one pass each in turn, so that both clients see the same machine
            for _ in range(args.runs):
                t, local_top = latencies(dirs, queries, 1)
                local_t.append(t)
                t, remote_top = latencies(remote, queries, 1)
                remote_t.append(t)
                if args.baseline:
                    old_local.append(latencies(dirs, queries, 1, args.baseline)[0])
                    old_remote.append(latencies(remote, queries, 1, args.baseline)[0])
            local_t, remote_t = per_query_median(local_t), per_query_median(remote_t)
        finally:
            for s in servers:
                s.terminate()
                s.wait()
        if reference is None:
            reference = local_top
        same = local_top == reference and remote_top == reference
        row = {"shards": n, "build_s_max": max(build), "build_s_sum": sum(build),
               "local_p50_ms": 1000 * pct(local_t, 0.5), "local_p95_ms": 1000 * pct(local_t, 0.95),
               "remote_p50_ms": 1000 * pct(remote_t, 0.5),
               "remote_p95_ms": 1000 * pct(remote_t, 0.95), "same_top10": same}
        if args.baseline:
            old_local, old_remote = per_query_median(old_local), per_query_median(old_remote)
            row.update({"old_local_p50_ms": 1000 * pct(old_local, 0.5),
                        "old_local_p95_ms": 1000 * pct(old_local, 0.95),
                        "old_remote_p50_ms": 1000 * pct(old_remote, 0.5),
                        "old_remote_p95_ms": 1000 * pct(old_remote, 0.95)})
        rows.append(row)
        print("scaling: %(shards)d shards: build max %(build_s_max).2f s, local p50 "
              "%(local_p50_ms).2f p95 %(local_p95_ms).2f ms, remote p50 %(remote_p50_ms).2f "
              "p95 %(remote_p95_ms).2f ms, same top 10: %(same_top10)s" % row, file=sys.stderr)
    if args.baseline:
        print("| shards | local p50 / p95 | baseline | remote p50 / p95 | baseline | "
              "remote p50 ratio | same top 10 |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print("| %d | %.2f / %.2f ms | %.2f / %.2f ms | %.2f / %.2f ms | %.2f / %.2f ms | "
                  "%.2f | %s |" % (
                      r["shards"], r["local_p50_ms"], r["local_p95_ms"], r["old_local_p50_ms"],
                      r["old_local_p95_ms"], r["remote_p50_ms"], r["remote_p95_ms"],
                      r["old_remote_p50_ms"], r["old_remote_p95_ms"],
                      r["remote_p50_ms"] / r["old_remote_p50_ms"],
                      "yes" if r["same_top10"] else "NO"))
    else:
        print("| shards | build (slowest shard) | local p50 / p95 | remote p50 / p95 | same top 10 |")
        print("|---|---|---|---|---|")
        for r in rows:
            print("| %d | %.2f s | %.2f / %.2f ms | %.2f / %.2f ms | %s |" % (
                r["shards"], r["build_s_max"], r["local_p50_ms"], r["local_p95_ms"],
                r["remote_p50_ms"], r["remote_p95_ms"], "yes" if r["same_top10"] else "NO"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    subprocess.run(["rm", "-rf", work])
    return 0 if all(r["same_top10"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
