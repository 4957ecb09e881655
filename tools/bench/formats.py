#!/usr/bin/env python3
"""What reading a format costs: the same articles as .txt, .html, .md,
.jsonl, gzipped .txt, UTF-16 .txt, windows-1252 .txt (its encoding
detected), PDF pages, DOCX and EPUB, indexed by the same quire, side by
side in one run; and, for PDF, the pipeline users run without Quire's
reader: pdftotext (poppler-utils) over every file, then the .txt it wrote
indexed (its row times both steps).

The articles are the SOTU corpus prepared by prepare.py (re-flowed into
paragraphs). Each address is written four ways: the .txt itself; an HTML page
(<title>, a <meta> date, <p> per paragraph, a <script> and a <nav> to skip,
&amp;-style references); a Markdown file (front matter, # title, paragraphs);
and one JSON Lines file with one record per address. Every variant holds the
same words, so the differences are the readers'.

Reports, per format: index wall seconds (median of --runs), MB/s of input,
passages, and the ratio to .txt. Optionally a second binary (--baseline) for
the .txt row, e.g. the build before a change, measured in the same run.

The PDF, DOCX and EPUB files are written by tools/gen-doc-fixtures.py's
text_pdf, text_docx and text_epub (Helvetica pages of 50 lines; a Title
paragraph and one per paragraph; chapters of 20 paragraphs). Peak memory
of one 500-page PDF (SOTU's addresses one after another) is measured last.

Usage: formats.py [--runs 3] [--quire bin/quire] [--baseline OLD_QUIRE]
"""
import argparse
import gzip
import html
import importlib.util
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
FORMATS = ("txt", "html", "md", "jsonl", "gz", "utf16", "cp1252", "pdf", "docx", "epub")


def gen_docs():
    """tools/gen-doc-fixtures.py as a module (its name has dashes)."""
    spec = importlib.util.spec_from_file_location(
        "gen_docs", os.path.join(ROOT, "tools", "gen-doc-fixtures.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write_variants(src):
    """The four variants of every .txt under src, in WORK/<format>/."""
    for fmt in FORMATS:
        shutil.rmtree(os.path.join(WORK, fmt), ignore_errors=True)
        os.makedirs(os.path.join(WORK, fmt))
    lines = []
    docs = gen_docs()
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
        for fmt, make in (("pdf", docs.text_pdf), ("docx", docs.text_docx),
                          ("epub", docs.text_epub)):
            with open(os.path.join(WORK, fmt, base + "." + fmt), "wb") as f:
                f.write(make(title, body))
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


def pdftotext_then_index(quire, db):
    """pdftotext over every PDF (as users script it), then the .txt indexed."""
    out = os.path.join(WORK, "pdftotext")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    t0 = time.perf_counter()
    for name in sorted(os.listdir(os.path.join(WORK, "pdf"))):
        subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(WORK, "pdf", name),
                        os.path.join(out, name[:-4] + ".txt")], check=True)
    wall, n = index_once(quire, out, db)
    return time.perf_counter() - t0, n


def peak_memory_500_pages(quire, src):
    """Peak RSS (MB) of indexing one 500-page PDF of SOTU's addresses."""
    docs = gen_docs()
    paras = []
    for name in sorted(f for f in os.listdir(src) if f.endswith(".txt")):
        text = open(os.path.join(src, name), encoding="utf-8", errors="replace").read()
        paras += [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    d = os.path.join(WORK, "pdf500")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    rows_per_page, rows, keep = docs.LINES_PER_PAGE, 2, []
    for p in paras:  # enough paragraphs for 500 pages
        rows += len(docs.wrap(p)) + 1
        keep.append(p)
        if rows >= 500 * rows_per_page:
            break
    with open(os.path.join(d, "sotu-500-pages.pdf"), "wb") as f:
        f.write(docs.text_pdf("State of the Union addresses", keep))
    db = os.path.join(WORK, "db500")
    shutil.rmtree(db, ignore_errors=True)
    with open(os.path.join(WORK, "pdf500.out"), "w+") as log:
        child = subprocess.Popen([quire, "index", "--index", db, "-j", "1", d], stdout=log)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the runs' before
        log.seek(0)
        out = log.read().strip()
    if status != 0:
        sys.exit("quire index failed on the 500-page PDF")
    shutil.rmtree(db, ignore_errors=True)
    mb = os.path.getsize(os.path.join(d, "sotu-500-pages.pdf")) / 1e6
    return usage.ru_maxrss / 1024, mb, out


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
    systems.append(("pdftotext + txt", args.quire, "pdf"))
    times = {name: [] for name, _, _ in systems}
    passages = {}
    for _ in range(args.runs):  # interleaved, so drift hits every row alike
        for name, quire, fmt in systems:
            db = os.path.join(WORK, "db")
            if name == "pdftotext + txt":
                wall, n = pdftotext_then_index(quire, db)
            else:
                wall, n = index_once(quire, os.path.join(WORK, fmt), db)
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
    rss, mb, line = peak_memory_500_pages(args.quire, src)
    print("\nOne 500-page PDF (%.1f MB), -j 1: peak RSS %.0f MB (%s)" % (mb, rss, line))


if __name__ == "__main__":
    main()
