#!/usr/bin/python3
"""Searches while the index is rebuilt, again and again.

A writer publishes generation after generation, alternating two document
sets (full and incremental builds). Meanwhile readers search without pause:
fresh `quire search` processes, and one long-lived `quire search --batch`
process that must follow each new generation. Every answer must parse, be
non-empty, and equal one of the two sets' answers (never a mixture); no
search may fail.

Usage: readers.py [--seconds 60] [--min-generations 10] [--quire bin/quire]
Exit status 0 when every answer held, 1 otherwise.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from kill_loop import QUERY, make_sets, normalize  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--min-generations", type=int, default=10)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin/quire"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build/reliability/readers"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    sets = make_sets(a.work)
    want = set()
    for name, d in zip("AB", sets):
        ref = os.path.join(a.work, "ref-" + name)
        shutil.rmtree(ref, ignore_errors=True)
        subprocess.run([a.quire, "index", "-q", "--index", ref, d], check=True)
        out = subprocess.run([a.quire, "search", "--json", "-n", "30", "--index", ref, QUERY],
                             capture_output=True, text=True, check=True).stdout
        want.add(normalize(out))
    index = os.path.join(a.work, "index")
    shutil.rmtree(index, ignore_errors=True)
    subprocess.run([a.quire, "index", "-q", "--index", index, sets[0]], check=True)

    stop = threading.Event()
    published = [0]
    errors = []

    def writer():
        i = 0
        while not stop.is_set():
            i += 1
            argv = [a.quire, "index", "-q", "--replace", "--index", index, sets[i % 2]]
            if i % 3 == 0:
                argv.insert(3, "--full")
            p = subprocess.run(argv, capture_output=True, text=True)
            if p.returncode != 0:
                errors.append("writer: exit %d: %s" % (p.returncode, p.stderr.strip()))
            else:
                published[0] += 1

    w = threading.Thread(target=writer)
    w.start()
    batch = subprocess.Popen([a.quire, "search", "--index", index, "-n", "30", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    searches = {"process": 0, "batch": 0}
    t_end = time.time() + a.seconds
    while time.time() < t_end or published[0] < a.min_generations:
        p = subprocess.run([a.quire, "search", "--json", "-n", "30", "--index", index, QUERY],
                           capture_output=True, text=True)
        searches["process"] += 1
        if p.returncode != 0 or not p.stdout or normalize(p.stdout) not in want:
            errors.append("process search: exit %d, %s" % (p.returncode, p.stderr.strip()
                                                            or "an answer of neither set"))
        batch.stdin.write(QUERY + "\n")
        batch.stdin.flush()
        line = batch.stdout.readline()
        searches["batch"] += 1
        got = json.loads(line) if line else {}
        hits = normalize("\n".join(json.dumps(h) for h in got.get("hits", [])))
        if "error" in got or hits not in want:
            errors.append("batch search: %s" % got.get("error", "an answer of neither set"))
        if time.time() > t_end + 600:
            errors.append("fewer than %d generations in time" % a.min_generations)
            break
    stop.set()
    w.join()
    batch.stdin.close()
    batch.wait()
    for e in errors[:20]:
        print(e)
    print("readers: %.0f s, %d generations published, %d process searches, %d batch searches, "
          "%d errors" % (a.seconds, published[0], searches["process"], searches["batch"],
                         len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
