#!/usr/bin/python3
"""Hostile input, bounded (make check-reliability): query chains and FIFOs.

1. A --batch run with a chain of 50,000 ANDs and one of 30,000 ORs, then a
   plain query: every line is a JSON result, the chains refused in one line
   each, the plain query answered; exit 0.
2. A file of the corpus replaced by a FIFO while quire index runs (after the
   walk, before the worker reads it: the last of 240 files, swapped 0.3 s
   in): the build ends, with a warning when the race was met, and the lock
   is released (the next build runs). Reports whether the FIFO was met.
3. A table of the published generation replaced by a FIFO: search exits 2
   at once naming it; quire index rebuilds.
Every run is bounded by a timeout; a hang is a failure.

Usage: hostile.py [--quire bin/quire]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def fail(msg):
    print("hostile: FAILED: " + msg)
    sys.exit(1)


def run(args, stdin=None, timeout=120):
    try:
        return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail("hung: " + " ".join(args)[:200])


def chains(q, work):
    docs = os.path.join(work, "small")
    os.makedirs(docs)
    with open(os.path.join(docs, "a.txt"), "w") as f:
        f.write("Title\n\ncharter words here\n")
    idx = os.path.join(work, "small-index")
    run([q, "index", "-q", "--index", idx, docs])
    batch = " AND ".join(["charter"] * 50000) + "\n" + " OR ".join("w%d" % i for i in range(30000)) \
        + "\ncharter\n"
    r = run([q, "search", "--batch", "--brief", "--index", idx], stdin=batch)
    lines = r.stdout.splitlines()
    if r.returncode != 0 or len(lines) != 3:
        fail("chains: status %d, %d lines: %s" % (r.returncode, len(lines), r.stderr[-300:]))
    got = [json.loads(l) for l in lines]
    if "error" not in got[0] or "error" not in got[1] or not got[2].get("hits"):
        fail("chains: " + r.stdout[:300])
    return "chains of 50,000 ANDs and 30,000 ORs refused in a line each, the next query answered"


def fifo_race(q, work):
    sotu = os.path.join(ROOT, "build", "bench", "corpora", "sotu")
    docs = os.path.join(work, "sotu")
    shutil.copytree(sotu, docs)
    names = sorted(os.listdir(docs))
    last = os.path.join(docs, names[-1])
    idx = os.path.join(work, "sotu-index")
    p = subprocess.Popen([q, "index", "-q", "-j", "1", "--index", idx, docs],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    os.unlink(last)
    os.mkfifo(last)
    try:
        out, err = p.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("fifo race: quire index hung on a FIFO")
    if p.returncode != 0:
        fail("fifo race: status %d: %s" % (p.returncode, err[-300:]))
    met = "not a regular file (a FIFO)" in err
    os.unlink(last)
    with open(last, "w") as f:
        f.write("Title\n\nback again\n")
    r = run([q, "index", "-q", "--index", idx, docs])
    if r.returncode != 0:
        fail("fifo race: the next build: status %d: %s" % (r.returncode, r.stderr[-300:]))
    return "a file swapped for a FIFO mid-build: finished, %s, lock released" % (
        "warned" if met else "race not met this run (read before the swap)")


def fifo_table(q, work):
    idx = os.path.join(work, "small-index")
    table = os.path.join(idx, "current", "postlist.glass")
    os.unlink(table)
    os.mkfifo(table)
    t0 = time.time()
    r = run([q, "search", "--index", idx, "charter"], timeout=60)
    if r.returncode != 2 or "a FIFO" not in r.stderr:
        fail("fifo table: search: status %d: %s" % (r.returncode, r.stderr[-300:]))
    r2 = run([q, "index", "--index", idx, os.path.join(work, "small")])
    if r2.returncode != 0 or "rebuilding it whole" not in r2.stderr:
        fail("fifo table: index: status %d: %s" % (r2.returncode, r2.stderr[-300:]))
    return "a table swapped for a FIFO: search refused in %.2f s, index rebuilt" % (time.time() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin", "quire"))
    a = ap.parse_args()
    work = tempfile.mkdtemp()
    try:
        said = [chains(a.quire, work), fifo_race(a.quire, work), fifo_table(a.quire, work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("hostile: ok: " + "; ".join(said))
    return 0


if __name__ == "__main__":
    sys.exit(main())
