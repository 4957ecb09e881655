#!/usr/bin/python3
"""Files deleted, truncated and rewritten while they are being indexed.

A folder of 2,000 small articles is indexed ROUNDS times (full and
incremental builds) while another thread keeps deleting, truncating and
rewriting random files in it. Every run must exit 0 (a vanished file is a
warning naming it, never an error), the index must open and answer after
each run, and once the churn stops, one more run must leave the index up
to date (`quire index --check` exit 0).

Usage: churn.py [--rounds 10] [--quire bin/quire]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def article(i, rnd):
    words = ["sanctions", "charter", "summit", "treaty", "envoy", "ministers", "council"]
    body = " ".join(rnd.choice(words) for _ in range(rnd.randint(20, 400)))
    return "Article %d\n\n%s.\n\nA zebra paragraph %d.\n" % (i, body, i)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin/quire"))
    a = ap.parse_args()
    rnd = random.Random(3)
    work = tempfile.mkdtemp()
    docs, index = os.path.join(work, "docs"), os.path.join(work, "index")
    os.makedirs(docs)
    for i in range(2000):
        with open(os.path.join(docs, "a%04d.txt" % i), "w") as f:
            f.write(article(i, rnd))
    stop = threading.Event()
    churned = [0]

    def churn():
        r = random.Random(4)
        while not stop.is_set():
            path = os.path.join(docs, "a%04d.txt" % r.randrange(2000))
            what = r.randrange(3)
            try:
                if what == 0:
                    os.unlink(path)
                elif what == 1:
                    os.truncate(path, r.randrange(50))
                else:
                    with open(path, "w") as f:
                        f.write(article(r.randrange(10000), r))
                churned[0] += 1
            except OSError:
                pass

    fails, warnings, sample = [], 0, set()
    t = threading.Thread(target=churn)
    t.start()
    try:
        for k in range(a.rounds):
            argv = [a.quire, "index", "-q", "--index", index, docs]
            if k % 2 == 0:
                argv.insert(3, "--full")
            p = subprocess.run(argv, capture_output=True, text=True)
            warnings += len(p.stderr.splitlines())
            for line in p.stderr.splitlines():
                sample.add(line.split(": ", 3)[-1])
            if p.returncode != 0:
                fails.append("round %d: exit %d: %s" % (k, p.returncode, p.stderr[-300:]))
            q = subprocess.run([a.quire, "search", "--index", index, "-n", "3", "zebra"],
                               capture_output=True, text=True)
            if q.returncode not in (0, 1):
                fails.append("round %d: search exit %d: %s" % (k, q.returncode, q.stderr))
    finally:
        stop.set()
        t.join()
    p = subprocess.run([a.quire, "index", "-q", "--index", index, docs], capture_output=True,
                       text=True)
    c = subprocess.run([a.quire, "index", "--check", "--index", index], capture_output=True,
                       text=True)
    if p.returncode != 0 or c.returncode != 0:
        fails.append("after the churn: index exit %d, check exit %d: %s %s"
                     % (p.returncode, c.returncode, p.stderr[-200:], c.stdout))
    shutil.rmtree(work, ignore_errors=True)
    for f in fails:
        print("churn: FAILED: " + f)
    print("churn: kinds of warning: " + "; ".join(sorted(sample)[:5]))
    print("churn: %d rounds while %d files were deleted, truncated or rewritten; %d warnings; "
          "%d failures" % (a.rounds, churned[0], warnings, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
