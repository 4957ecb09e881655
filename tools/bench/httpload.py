#!/usr/bin/env python3
"""Load on `quire serve --http` (issue 21): N clients over loopback, each on
its own keep-alive connection, sending bench.py's queries to /api/search
for a bounded time; then the same while `quire index` publishes a new
generation every few seconds (a file of the corpus rewritten each time).

Reports requests/s, p50/p95/p99 latency, errors (non-200 answers and
failed connections; the target is 0), the server's RSS after a warm-up and
at the end, and beside them the CLI's own latency for the same queries
(`quire search --batch`, one process, bench.py's loop), in one run.

Usage: httpload.py (not http.py: that name would hide the standard library's http)
       [--quire bin/quire] [--corpus sotu|synth-100M] [--clients 8]
       [--threads 4] [--seconds 20] [--publish-every 3] [--no-facets]
       [--baseline OTHER_QUIRE --rounds 3]
With --baseline, the two servers are run on the same index in turns
(steady load only, --rounds each) and compared: medians and the ratio.
The corpora come from prepare.py (build/bench/corpora, never committed).
"""
import argparse
import http.client
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from bench import System, batch_times, pct, queries_for  # noqa: E402

WORK = os.path.join(ROOT, "build", "bench", "http")
EXTRA = ""  # more parameters for every request ("facets=0&")


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def start(quire, index, threads):
    log = open(os.path.join(WORK, "server.log"), "w")
    p = subprocess.Popen([quire, "serve", "--http", "-q", "--index", index, "--port", "0",
                          "--threads", str(threads)], stderr=log)
    for _ in range(200):
        time.sleep(0.05)
        text = open(os.path.join(WORK, "server.log")).read()
        if "127.0.0.1:" in text and "/ (" in text:
            return p, int(text.split("127.0.0.1:")[1].split("/")[0])
    p.kill()
    raise SystemExit("the server did not start: " + text)


def client(port, queries, until, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat, errors, i = [], 0, 0
    while time.time() < until:
        q = queries[i % len(queries)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", "/api/search?n=10&" + EXTRA + "q=" + urllib.parse.quote(q))
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        lat.append(time.perf_counter() - t0)
    conn.close()
    out.append((lat, errors))


def publisher(quire, index, corpus, every, until, count):
    """Rewrites one file of the corpus copy and re-indexes, every `every` s."""
    path = min(os.path.join(d, f) for d, _, files in os.walk(corpus) for f in files)
    base = open(path, encoding="utf-8").read()
    n = 0
    while time.time() + every < until:
        time.sleep(every)
        n += 1
        with open(path, "w", encoding="utf-8") as f:
            f.write(base + "\n\nPublished generation %d.\n" % n)
        subprocess.run([quire, "index", "-q", "--index", index, corpus], check=True)
        count.append(n)


def run(quire, port, pid, queries, clients, seconds, publish=None):
    until = time.time() + seconds
    out, threads, count = [], [], []
    for _ in range(clients):
        t = threading.Thread(target=client, args=(port, queries, until, out))
        t.start()
        threads.append(t)
    pub = None
    if publish:
        pub = threading.Thread(target=publisher, args=publish + (until, count))
        pub.start()
    for t in threads:
        t.join()
    if pub:
        pub.join()
    lat = [x for l, _ in out for x in l]
    errors = sum(e for _, e in out)
    return {"rps": len(lat) / seconds, "p50": pct(lat, 50) * 1e3, "p95": pct(lat, 95) * 1e3,
            "p99": pct(lat, 99) * 1e3, "errors": errors, "n": len(lat), "rss": rss_mb(pid),
            "published": len(count)}


def compare(a, index, queries):
    """Steady load on this build and on --baseline in turns; medians, ratio."""
    got = {"this": [], "baseline": []}
    for _ in range(a.rounds):
        for name, binary in (("this", a.quire), ("baseline", a.baseline)):
            p, port = start(binary, index, a.threads)
            try:
                run(binary, port, p.pid, queries, a.clients, 3)  # warm-up
                got[name].append(run(binary, port, p.pid, queries, a.clients, a.seconds))
            finally:
                p.terminate()
                p.wait()
    print("HTTP, %d clients, %d server threads, %s, %d rounds of %.0f s, in turns:"
          % (a.clients, a.threads, a.corpus, a.rounds, a.seconds))
    med = {}
    for name, rs in got.items():
        med[name] = {k: sorted(r[k] for r in rs)[len(rs) // 2] for k in ("rps", "p50", "p95", "p99")}
        print("  %-8s %7.0f req/s  p50 %6.2f  p95 %6.2f  p99 %6.2f ms  errors %d of %d"
              % (name, med[name]["rps"], med[name]["p50"], med[name]["p95"], med[name]["p99"],
                 sum(r["errors"] for r in rs), sum(r["n"] for r in rs)))
    print("  this/baseline: req/s %.3f, p50 %.3f"
          % (med["this"]["rps"] / med["baseline"]["rps"], med["this"]["p50"] / med["baseline"]["p50"]))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin", "quire"))
    ap.add_argument("--corpus", default="sotu")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--publish-every", type=float, default=3)
    ap.add_argument("--no-facets", action="store_true", help="facets=0: one search per request")
    ap.add_argument("--baseline", help="another quire binary to compare with, in turns")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    global EXTRA
    EXTRA = "facets=0&" if a.no_facets else ""
    src = os.path.join(ROOT, "build", "bench", "corpora", a.corpus)
    if not os.path.isdir(src):
        subprocess.run([sys.executable, os.path.join(HERE, "prepare.py"), "--only", a.corpus],
                       check=True)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    corpus = os.path.join(WORK, "corpus")
    shutil.copytree(src, corpus)
    index = os.path.join(WORK, "index")
    subprocess.run([a.quire, "index", "-q", "--index", index, corpus], check=True)
    queries = queries_for(a.corpus)
    t, _ = batch_times(System("quire", a.quire), index, queries, 3)
    print("CLI (quire search --batch, one process): p50 %.2f ms, p95 %.2f ms"
          % (pct(t, 50) * 1e3, pct(t, 95) * 1e3))
    if a.baseline:
        return compare(a, index, queries)
    p, port = start(a.quire, index, a.threads)
    try:
        run(a.quire, port, p.pid, queries, a.clients, 3)  # warm-up: every thread's handle open
        rss0 = rss_mb(p.pid)
        print("HTTP, %d clients, %d server threads, %s, %.0f s each:"
              % (a.clients, a.threads, a.corpus, a.seconds))
        print("  RSS after warm-up: %.1f MB" % rss0)
        for label, pub in (("steady", None),
                           ("publishing every %.0f s" % a.publish_every,
                            (a.quire, index, corpus, a.publish_every))):
            r = run(a.quire, port, p.pid, queries, a.clients, a.seconds, pub)
            print("  %-24s %7.0f req/s  p50 %6.2f  p95 %6.2f  p99 %6.2f ms  errors %d of %d  "
                  "RSS %.1f MB%s" % (label, r["rps"], r["p50"], r["p95"], r["p99"], r["errors"],
                                     r["n"], r["rss"],
                                     "  (%d generations)" % r["published"] if pub else ""))
    finally:
        p.terminate()
        p.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
