#!/usr/bin/python3
"""Do two builds of Quire answer alike? For a change meant to be invisible.

Indexes Cranfield (as relevance.py lays it out) and corpus/ with each
binary, runs every judged query (Cranfield's 225, the corpus set's 30)
through `quire search --batch --brief -n 10` on each binary's own index,
and counts the queries whose top 10 (path, line, score to 4 places) are
identical. Exits 1 when any differs, naming the first.

Usage: tools/eval/sametop.py OLD_QUIRE NEW_QUIRE [--work DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import relevance  # noqa: E402


def corpus_queries():
    path = os.path.join(ROOT, "tests", "relevance", "corpus.queries")
    return [line.rstrip("\n").split("\t", 1)[-1] for line in open(path, encoding="utf-8")
            if line.strip() and not line.startswith("#")]


def top10(binary, index, queries):
    p = subprocess.run([binary, "search", "--index", index, "--batch", "--brief", "-n", "10"],
                       input="".join(q.replace("\n", " ") + "\n" for q in queries),
                       capture_output=True, text=True, check=True)
    return [[(h["path"], h["line_start"], round(h["score"], 4)) for h in json.loads(l).get("hits", [])]
            for l in p.stdout.splitlines()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "sametop"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    docs_dir, _, queries, _ = relevance.load_cranfield(a.work)
    cran = list(queries.values()) if isinstance(queries, dict) else list(queries)
    cran = [q if isinstance(q, str) else q[1] for q in cran]
    differ = 0
    for name, docs, qs in (("cranfield", docs_dir, cran),
                           ("corpus", os.path.join(ROOT, "corpus"), corpus_queries())):
        answers = []
        for k, binary in enumerate((a.old, a.new)):
            index = os.path.join(a.work, "%s-%d" % (name, k))
            shutil.rmtree(index, ignore_errors=True)
            subprocess.run([binary, "index", "-q", "--index", index, docs], check=True,
                           stderr=subprocess.DEVNULL)
            answers.append(top10(binary, index, qs))
        same = sum(x == y for x, y in zip(*answers))
        print("%s: %d of %d queries with the same top 10" % (name, same, len(qs)))
        for q, x, y in zip(qs, *answers):
            if x != y:
                print("  first to differ: %s" % q)
                break
        differ += len(qs) - same
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
