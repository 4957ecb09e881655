#!/usr/bin/python3
"""A 100 MB file on a single line: the build finishes, memory stays bounded,
the line is cut into passages of at most 150 words with exact spans, and no
term is longer than Xapian allows.

The file is 100 MB of SOTU sentences joined by spaces (no newline), with a
5,000-character run of letters in the middle (an over-long "word").
Checks: exit 0; peak RSS under --max-rss MB; more than 100,000 passages;
a word from the end of the line is found, with byte spans slicing the file.

Usage: one_line.py [--mb 100] [--max-rss 1024] [--quire bin/quire]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--max-rss", type=int, default=1024)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin/quire"))
    a = ap.parse_args()
    work = tempfile.mkdtemp()
    try:
        sotu = os.path.join(ROOT, "build/bench/corpora/sotu")
        text = " ".join(open(os.path.join(sotu, n), encoding="utf-8").read().replace("\n", " ")
                        for n in sorted(os.listdir(sotu))[:20])
        docs = os.path.join(work, "docs")
        os.makedirs(docs)
        path = os.path.join(docs, "one-line.txt")
        target = a.mb << 20
        with open(path, "w", encoding="utf-8") as f:
            n = 0
            while n < target:
                if target // 2 <= n < target // 2 + len(text):
                    f.write(" " + "x" * 5000 + " ")
                f.write(text + " ")
                n += len(text) + 1
            f.write("zebraquokka at the very end")
        size = os.path.getsize(path)
        index = os.path.join(work, "index")
        p = subprocess.Popen([a.quire, "index", "--index", index, docs], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        out, err = p.communicate()
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        fails = []
        if p.returncode != 0:
            fails.append("index exit %d: %s" % (p.returncode, err.strip()))
        if rss > a.max_rss:
            fails.append("peak RSS %.0f MB over %d MB" % (rss, a.max_rss))
        passages = int(out.split(" passages")[0].split(", ")[-1]) if "passages" in out else 0
        if passages < 100000 * a.mb // 100:
            fails.append("only %d passages" % passages)
        q = subprocess.run([a.quire, "search", "--json", "--index", index, "zebraquokka"],
                           capture_output=True, text=True)
        hits = [json.loads(l) for l in q.stdout.splitlines()]
        if q.returncode != 0 or len(hits) != 1:
            fails.append("the last word: exit %d, %d hits" % (q.returncode, len(hits)))
        else:
            with open(path, "rb") as f:
                f.seek(hits[0]["byte_start"])
                got = f.read(hits[0]["byte_end"] - hits[0]["byte_start"]).decode("utf-8")
            if got != hits[0]["text"] or hits[0]["line_start"] != 1:
                fails.append("the citation does not slice the file")
        for x in fails:
            print("one_line: FAILED: " + x)
        print("one_line: %.0f MB on one line: %s; peak RSS %.0f MB; %d passages"
              % (size / 1e6, out.strip(), rss, passages))
        return 1 if fails else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
