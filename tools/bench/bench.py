#!/usr/bin/env python3
"""make bench: Quire against plain Xapian, SQLite FTS5 and ripgrep, in one run.

For each corpus (prepared by prepare.py) and each system: index it --runs
times from scratch (wall and CPU seconds, peak RSS of the process, via
wait4), measure the index size (Quire: its current generation), then answer
the corpus's queries in one process, one round trip per query, top 10 with
snippets (p50/p95). Quire is also timed as a fresh `quire search` process per
query, beside the machine's spawn floor (/bin/true). ripgrep scans the corpus
per query as the no-index floor. Medians over runs; results as JSON and a
Markdown table (docs/BENCHMARKS.md quotes it).

Usage: bench.py [--corpora sotu,spam,synth-100M] [--runs 3] [--json OUT]
                [--baseline OLD_QUIRE]  (adds "quire-base": another build of
                                         Quire measured in the same run)
       bench.py --smoke   (CI: the small synthetic corpus, one run, checks
                           that every system answers, asserts no times)
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SYS_PY = "/usr/bin/python3"
BASE = os.path.join(HERE, "baselines.py")

QUERIES = {
    "sotu": ["foreign policy", "tariff", "civil service reform", '"federal reserve"',
             "national debt", "slavery", "income tax", '"Monroe Doctrine"', "war with Mexico",
             "health care", "railroad", "immigration", "gold standard", "Indian tribes",
             '"United States"', "nuclear weapons", "treaty with Great Britain", "public lands",
             "education", "veterans pensions", "balanced budget", "terrorism",
             "panama canal", '"League of Nations"'],
    "spam": ["mortgage rate", "free money", "linux kernel", '"click here"', "viagra",
             "perl script", "unsubscribe", "spamassassin rules", "credit card", "razor",
             "exmh", "python", "home business", '"remove me"', "debian package", "lowest price",
             "meeting tomorrow", "cvs commit", "weight loss", "dvd"],
}


def queries_for(corpus):
    return QUERIES["spam" if corpus == "spam" else "sotu"]


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def run_measured(argv, stdout=subprocess.DEVNULL):
    """Runs argv; returns (wall s, cpu s, peak RSS MB)."""
    with tempfile.TemporaryFile() as errf:  # a file, not a pipe: warnings can be many
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=stdout, stderr=errf)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), code, err[-500:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            fp = os.path.join(root, f)
            if not os.path.islink(fp):
                total += os.path.getsize(fp)
    return total


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


class System:
    def __init__(self, name, quire, search_args=()):
        self.name, self.quire, self.search_args = name, quire, list(search_args)
        self.is_quire = name.startswith("quire")

    def index_cmd(self, db, corpus):
        if self.is_quire:
            return [self.quire, "index", "-q", "--index", db, corpus]
        return [SYS_PY, BASE, self.name + "-index", db, corpus]

    def serve_cmd(self, db):
        if self.is_quire:
            return [self.quire, "search", "--index", db, "-n", "10", "--batch"] + self.search_args
        return [SYS_PY, BASE, self.name + "-serve", db]

    def index_path(self, db):
        return os.path.join(db, "current") if self.is_quire else db

    def hits(self, line):
        if self.is_quire:
            return len(json.loads(line).get("hits", []))
        return int(line)


def batch_times(system, db, queries, rounds):
    p = subprocess.Popen(system.serve_cmd(db), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, bufsize=1)
    times, with_hits = [], 0
    try:
        p.stdin.write(queries[0] + "\n")  # warm-up: open the index
        p.stdout.readline()
        for r in range(rounds):
            for q in queries:
                t0 = time.perf_counter()
                p.stdin.write(q + "\n")
                p.stdin.flush()
                line = p.stdout.readline()
                times.append(time.perf_counter() - t0)
                if not line:
                    raise RuntimeError("%s stopped answering" % system.name)
                if r == 0 and system.hits(line) > 0:
                    with_hits += 1
    finally:
        p.stdin.close()
        p.wait()
    return times, with_hits


def process_times(quire, db, queries, rounds):
    times = []
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            subprocess.run([quire, "search", "--index", db, "-n", "10", q],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
    return times


def spawn_floor(n=51):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(["/bin/true"])
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def rg_times(corpus, queries, rounds):
    times = []
    for _ in range(rounds):
        for q in queries:
            argv = ["rg", "-i", "-c", "-F"]
            if q.startswith('"'):
                argv += ["-e", q.strip('"')]
            else:
                for w in q.split():
                    argv += ["-e", w]
            t0 = time.perf_counter()
            subprocess.run(argv + [corpus], stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
    return times


def bench_corpus(name, corpus, systems, runs, work, quire, baseline=None):
    size = dir_size(corpus)
    nfiles = sum(len(f) for _, _, f in os.walk(corpus))
    queries = queries_for(name)
    res = {"corpus": name, "bytes": size, "files": nfiles, "queries": len(queries),
           "spawn_floor_ms": spawn_floor() * 1e3, "systems": {}}
    log("%s: %.1f MB, %d files, spawn floor %.2f ms" % (name, size / 1e6, nfiles,
                                                       res["spawn_floor_ms"]))
    for sname in systems:
        if sname == "rg":
            if not shutil.which("rg"):
                log("ripgrep missing, skipped")
                continue
            t = rg_times(corpus, queries, runs)
            res["systems"]["rg"] = {"search_p50_ms": pct(t, 50) * 1e3,
                                    "search_p95_ms": pct(t, 95) * 1e3}
            continue
        s = System(sname, baseline if sname == "quire-base" else quire)
        db = os.path.join(work, "%s-%s" % (name, sname) + (".sqlite" if sname == "fts5" else ""))
        walls, cpus, rss = [], [], []
        for r in range(runs):
            if os.path.isdir(db):
                shutil.rmtree(db)
            elif os.path.exists(db):
                os.unlink(db)
            w, c, m = run_measured(s.index_cmd(db, corpus))
            walls.append(w)
            cpus.append(c)
            rss.append(m)
            log("%s %s index run %d: %.2f s wall, %.2f s cpu, %.0f MB" % (name, sname, r + 1, w,
                                                                          c, m))
        isize = dir_size(s.index_path(db))
        bt, with_hits = batch_times(s, db, queries, runs)
        entry = {"index_wall_s": statistics.median(walls), "index_cpu_s": statistics.median(cpus),
                 "index_walls": walls, "peak_rss_mb": max(rss), "index_bytes": isize,
                 "index_ratio": isize / size, "batch_p50_ms": pct(bt, 50) * 1e3,
                 "batch_p95_ms": pct(bt, 95) * 1e3, "queries_with_hits": with_hits,
                 "mb_per_s": size / 1e6 / statistics.median(walls)}
        if s.is_quire:
            pt = process_times(s.quire, db, queries, runs)
            entry["process_p50_ms"] = pct(pt, 50) * 1e3
            entry["process_p95_ms"] = pct(pt, 95) * 1e3
        res["systems"][sname] = entry
        log("%s %s: %s" % (name, sname, json.dumps({k: round(v, 3) if isinstance(v, float) else v
                                                     for k, v in entry.items()
                                                     if k != "index_walls"})))
    return res


def table(results):
    rows = ["| corpus | system | index wall s (median) | cpu s | peak RSS MB | index size MB "
            "(× corpus) | MB/s | batch p50 / p95 ms | process p50 ms | queries with hits |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for sname, e in r["systems"].items():
            if sname == "rg":
                rows.append("| %s | ripgrep (scan) | – | – | – | – | – | %.1f / %.1f | – | – |" % (
                    r["corpus"], e["search_p50_ms"], e["search_p95_ms"]))
                continue
            proc = "%.1f" % e["process_p50_ms"] if "process_p50_ms" in e else "–"
            rows.append("| %s | %s | %.2f | %.2f | %.0f | %.1f (%.2f×) | %.1f | %.2f / %.2f | %s | "
                        "%d/%d |" % (r["corpus"], sname, e["index_wall_s"], e["index_cpu_s"],
                                     e["peak_rss_mb"], e["index_bytes"] / 1e6, e["index_ratio"],
                                     e["mb_per_s"], e["batch_p50_ms"], e["batch_p95_ms"], proc,
                                     e["queries_with_hits"], r["queries"]))
        rows.append("| %s | spawn floor (/bin/true) | | | | | | | %.1f | |" % (
            r["corpus"], r["spawn_floor_ms"]))
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="sotu,spam,synth-100M")
    ap.add_argument("--systems", default="quire,xapian,fts5,rg")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default=os.path.join(ROOT, "build/bench"))
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin/quire"))
    ap.add_argument("--json", default=None)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--baseline", default=None,
                    help="another quire binary, measured as quire-base beside this one")
    a = ap.parse_args()
    systems = a.systems.split(",")
    if a.baseline:
        systems.insert(systems.index("quire") + 1 if "quire" in systems else 0, "quire-base")
    if a.smoke:
        a.corpora, a.runs = "small", 1
    corpora = a.corpora.split(",")
    subprocess.run([sys.executable, os.path.join(HERE, "prepare.py"), "--dir",
                    os.path.join(a.dir, "corpora"), "--only", ",".join(corpora)], check=True)
    work = os.path.join(a.dir, "indexes")
    os.makedirs(work, exist_ok=True)
    results = []
    for c in corpora:
        results.append(bench_corpus(c, os.path.join(a.dir, "corpora", c), systems, a.runs, work,
                                    a.quire, a.baseline))
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "runs": a.runs}
    out = {"meta": meta, "results": results}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    print(table(results))
    if a.smoke:
        for r in results:
            for sname, e in r["systems"].items():
                if sname != "rg" and e["queries_with_hits"] == 0:
                    sys.exit("bench: smoke: %s answered no query" % sname)
    return 0


if __name__ == "__main__":
    sys.exit(main())
