#!/usr/bin/env python3
"""What reading a format costs: the same articles as .txt, .html, .md,
.jsonl, gzipped .txt, UTF-16 .txt and windows-1252 .txt (its encoding
detected), indexed by the same quire, side by side in one run.

The articles are the SOTU corpus prepared by prepare.py (re-flowed into
paragraphs). Each address is written four ways: the .txt itself; an HTML page
(<title>, a <meta> date, <p> per paragraph, a <script> and a <nav> to skip,
&amp;-style references); a Markdown file (front matter, # title, paragraphs);
and one JSON Lines file with one record per address. Every variant holds the
same words, so the differences are the readers'.

Reports, per format: index wall seconds (median of --runs), MB/s of input,
passages, and the ratio to .txt. Optionally a second binary (--baseline) for
the .txt row, e.g. the build before a change, measured in the same run.

Usage: formats.py [--runs 3] [--quire bin/quire] [--baseline OLD_QUIRE]
"""
import argparse
import gzip
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "bench", "formats")
FORMATS = ("txt", "html", "md", "jsonl", "gz", "utf16", "cp1252")


def write_variants(src):
    """The four variants of every .txt under src, in WORK/<format>/."""
    for fmt in FORMATS:
        shutil.rmtree(os.path.join(WORK, fmt), ignore_errors=True)
        os.makedirs(os.path.join(WORK, fmt))
    lines = []
    for i, name in enumerate(sorted(f for f in os.listdir(src) if f.endswith(".txt"))):
        text = open(os.path.join(src, name), encoding="utf-8", errors="replace").read()
        paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        title, body = paras[0], paras[1:]
        year = re.search(r"(1[789]\d\d|20\d\d)", name + title)
        date = "%s-01-%02d" % (year.group(1) if year else "1900", i % 28 + 1)
        base = os.path.splitext(name)[0]
        shutil.copy(os.path.join(src, name), os.path.join(WORK, "txt", name))
        with gzip.GzipFile(os.path.join(WORK, "gz", name + ".gz"), "wb", mtime=0) as f:
            f.write(text.encode("utf-8"))
        with open(os.path.join(WORK, "utf16", name), "wb") as f:
            f.write(text.encode("utf-16"))  # with a byte-order mark
        with open(os.path.join(WORK, "cp1252", name), "wb") as f:  # undeclared: detected
            curly = text.replace("'", "\u2019").replace("--", "\u2013")  # as Word writes them
            f.write(curly.encode("cp1252", errors="replace"))
        with open(os.path.join(WORK, "html", base + ".html"), "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><html><head><title>%s</title>\n" % html.escape(title))
            f.write('<meta property="article:published_time" content="%s">\n' % date)
            f.write("<script>var x = '<p>not text</p>';</script></head><body>\n")
            f.write("<nav><a href='/'>Home</a></nav><article><h1>%s</h1>\n" % html.escape(title))
            for p in body:
                f.write("<p>%s</p>\n" % html.escape(p))
            f.write("</article></body></html>\n")
        with open(os.path.join(WORK, "md", base + ".md"), "w", encoding="utf-8") as f:
            f.write('---\ntitle: "%s"\ndate: %s\n---\n\n# %s\n\n' % (title, date, title))
            f.write("\n\n".join(body) + "\n")
        lines.append(json.dumps({"title": title, "date": date, "text": "\n\n".join(body)}))
    with open(os.path.join(WORK, "jsonl", "sotu.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def dir_bytes(d):
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))


def index_once(quire, corpus, db):
    shutil.rmtree(db, ignore_errors=True)
    t0 = time.perf_counter()
    out = subprocess.run([quire, "index", "--index", db, "-j", "2", corpus], check=True,
                         capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    m = re.search(r"(\d+) passages", out)
    return wall, int(m.group(1)) if m else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin", "quire"))
    ap.add_argument("--baseline", help="another quire binary, for the .txt row")
    args = ap.parse_args()
    src = os.path.join(ROOT, "build", "bench", "corpora", "sotu")
    if not os.path.isdir(src):
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench", "prepare.py"),
                        "--only", "sotu"], check=True)
    write_variants(src)
    rows = []
    systems = [("txt", args.quire, "txt")]
    if args.baseline:
        systems.append(("txt (baseline)", args.baseline, "txt"))
    systems += [(f, args.quire, f) for f in FORMATS[1:]]
    times = {name: [] for name, _, _ in systems}
    passages = {}
    for _ in range(args.runs):  # interleaved, so drift hits every row alike
        for name, quire, fmt in systems:
            wall, n = index_once(quire, os.path.join(WORK, fmt), os.path.join(WORK, "db"))
            times[name].append(wall)
            passages[name] = n
    base = statistics.median(times["txt"])
    print("| format | input MB | index wall s (median of %d) | MB/s | passages | vs .txt |"
          % args.runs)
    print("|---|---|---|---|---|---|")
    for name, _, fmt in systems:
        mb = dir_bytes(os.path.join(WORK, fmt)) / 1e6
        med = statistics.median(times[name])
        rows.append((name, mb, med, passages[name]))
        print("| %s | %.1f | %.2f | %.1f | %d | %.2fx |" % (name, mb, med, mb / med,
                                                            passages[name], med / base))
    shutil.rmtree(os.path.join(WORK, "db"), ignore_errors=True)


if __name__ == "__main__":
    main()
