#!/usr/bin/env python3
"""How a query's cost grows with its length, up to the 1,000-item limit.

For each size N, three queries: N words of the index's own text (a pasted
page), N made-up words (nothing matches; did-you-mean has its say), and an
OR chain of N/2 real words; plus N/3 repeats of `DPRK JCPOA UN` (alias
expansion). Each is answered by one `quire search --batch` process; the
median of --runs runs is printed per size, with the ratio to the previous
size (2 when the cost is linear in N).

Usage: querysize.py INDEX CORPUS_DIR [--sizes 125,250,500,999] [--runs 3]
                    [--quire bin/quire]
"""
import argparse
import glob
import os
import random
import re
import statistics
import string
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timed(quire, index, query, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([quire, "search", "--batch", "--brief", "--index", index],
                       input=query + "\n", capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--sizes", default="125,250,500,999")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin", "quire"))
    a = ap.parse_args()
    rnd = random.Random(3)
    words = []
    for f in sorted(glob.glob(os.path.join(a.corpus, "**", "*.txt"), recursive=True))[:40]:
        words += re.findall(r"[a-z]{4,}", open(f, encoding="utf-8", errors="replace").read().lower())
    rnd.shuffle(words)
    made_up = ["".join(rnd.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(1000)]
    kinds = {
        "real words": lambda n: " ".join(words[:n]),
        "made-up words": lambda n: " ".join(made_up[:n]),
        "OR chain": lambda n: " OR ".join(words[: n // 2]),
        "aliases": lambda n: " ".join(["DPRK JCPOA UN"] * (n // 3)),
    }
    print("| query | " + " | ".join("N=%s" % n for n in a.sizes.split(",")) + " |")
    print("|---|" + "---|" * len(a.sizes.split(",")))
    for name, make in kinds.items():
        cells, prev = [], None
        for n in (int(x) for x in a.sizes.split(",")):
            t = timed(a.quire, a.index, make(n), a.runs)
            cells.append("%.2f s%s" % (t, " (x%.1f)" % (t / prev) if prev else ""))
            prev = t
        print("| %s | %s |" % (name, " | ".join(cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
