#!/usr/bin/env python3
"""Function lengths (make lint): lists every function of the C sources
longer than 80 lines, and exits 1 when one is longer than 120. A function
is counted from the line that names it to its closing brace (the code's
clang-format style: the opening brace alone on the next line, the closing
one alone at column 0).

Usage: tools/lint/funclen.py [--max 120] [--warn 80] [FILES...]
"""
import argparse
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START = re.compile(r"^[A-Za-z_][\w \*]*?\b(\w+)\(")


def functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = START.match(lines[i])
        if m and not lines[i].rstrip().endswith(";"):
            j = i
            while j < len(lines) and lines[j] != "{" and not lines[j].rstrip().endswith(";"):
                j += 1
            if j < len(lines) and lines[j] == "{":
                k = j
                while k < len(lines) and lines[k] != "}":
                    k += 1
                yield m.group(1), i + 1, k - i + 1
                i = k
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=120)
    ap.add_argument("--warn", type=int, default=80)
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or sorted(f for d in ("stemmer", "lib", "indexer", "searcher", "cli")
                              for f in glob.glob(os.path.join(ROOT, d, "*.c")))
    over = 0
    for f in files:
        for name, line, n in functions(f):
            if n > a.warn:
                mark = "TOO LONG" if n > a.max else "long"
                print("funclen: %s:%d %s: %d lines (%s)" % (os.path.relpath(f, ROOT), line, name,
                                                            n, mark))
                over += n > a.max
    if over:
        print("funclen: %d function(s) over %d lines" % (over, a.max))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
