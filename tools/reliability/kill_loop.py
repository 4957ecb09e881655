#!/usr/bin/python3
"""SIGKILL `quire index` at random moments; the published index must survive.

Two document sets, A (corpus/ and 40 SOTU addresses) and B (the same with
one file changed, one added, one removed), are indexed into scratch indexes
once to get each one's answer to a fixed query. Then an index starts as A
and, KILLS times, a full or incremental build of A or B is started and
killed with SIGKILL after a random delay of up to twice a fresh build's
duration (a build in the loop also clears what the killed one left, so some
runs of either set must be let finish and publish between kills). After
each kill: `quire search` exits 0 and answers exactly as A or as B (the last
published generation, never a mixture), and Xapian's own check finds no
error in the current generation. At the end a normal run succeeds and
leaves no temporaries.

Usage: kill_loop.py [--kills 50] [--quire bin/quire] [--work DIR] [--seed N]
Exit status 0 when every check held, 1 otherwise (each failure printed).
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
QUERY = "UN Charter sanctions union zebra"


def make_sets(work):
    a, b = os.path.join(work, "A"), os.path.join(work, "B")
    for d in (a, b):
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "corpus"), d)
    sotu = os.path.join(ROOT, "build/bench/corpora/sotu")
    if os.path.isdir(sotu):
        for name in sorted(os.listdir(sotu))[:40]:
            for d in (a, b):
                shutil.copy(os.path.join(sotu, name), d)
    names = sorted(os.listdir(b))
    with open(os.path.join(b, names[0]), "a") as f:
        f.write("\nA changed paragraph about a zebra and the union.\n")
    with open(os.path.join(b, "added.txt"), "w") as f:
        f.write("Added\n\nA new article about the UN Charter and a zebra.\n")
    os.unlink(os.path.join(b, names[-1]))
    return a, b


def normalize(jsonl):
    """A result list as its groups (hit and copies) with scores, in a canonical
    order: an updated index numbers documents differently from a full build,
    which may swap which copy of a duplicate is shown and the order of ties."""
    groups = []
    for line in jsonl.splitlines():
        h = json.loads(line)
        cites = [(h["file"], h["byte_start"])] + [(c["file"], c["byte_start"])
                                                   for c in h.get("copies", [])]
        groups.append((round(h["score"], 6), tuple(sorted(cites))))
    return tuple(sorted(groups))


def answer(quire, index):
    p = subprocess.run([quire, "search", "--json", "-n", "30", "--index", index, QUERY],
                       capture_output=True, text=True)
    return p.returncode, normalize(p.stdout) if p.returncode == 0 else None, p.stderr


def xapian_check(index):
    try:
        import xapian
    except ImportError:
        return None
    try:
        xapian.Database.check(os.path.realpath(os.path.join(index, "current")))
        return "ok"
    except xapian.Error as e:
        return str(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin/quire"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build/reliability/kill"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.work, exist_ok=True)
    sets = make_sets(a.work)
    want, took = {}, 0.0
    for name, d in zip("AB", sets):
        ref = os.path.join(a.work, "ref-" + name)
        shutil.rmtree(ref, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run([a.quire, "index", "-q", "--index", ref, d], check=True)
        took = max(took, time.perf_counter() - t0)
        rc, out, err = answer(a.quire, ref)
        assert rc == 0, err
        want[out] = name
    index = os.path.join(a.work, "index")
    shutil.rmtree(index, ignore_errors=True)
    subprocess.run([a.quire, "index", "-q", "--index", index, sets[0]], check=True)

    failures, mid_build, outcomes = 0, 0, {"A": 0, "B": 0}
    for k in range(a.kills):
        docs = sets[rnd.randrange(2)]
        argv = [a.quire, "index", "-q", "--replace", "--index", index, docs]
        if rnd.random() < 0.5:
            argv.insert(3, "--full")
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0, took * 2))
        if p.poll() is None:
            mid_build += 1
        p.send_signal(signal.SIGKILL)
        p.wait()
        rc, out, err = answer(a.quire, index)
        check = xapian_check(index)
        if rc != 0 or out not in want or check not in (None, "ok"):
            failures += 1
            print("kill %d: search exit %d, answer %s, check %s: %s" %
                  (k + 1, rc, want.get(out, "neither A nor B"), check, err.strip()))
        else:
            outcomes[want[out]] += 1
    rc = subprocess.run([a.quire, "index", "-q", "--replace", "--index", index, sets[1]]).returncode
    left = [n for n in os.listdir(index) if "tmp" in n]
    rc2, out, _ = answer(a.quire, index)
    if rc != 0 or left or rc2 != 0 or want.get(out) != "B":
        failures += 1
        print("after the kills: index exit %d, leftovers %s, answer %s" %
              (rc, left, want.get(out, "neither")))
    if a.kills >= 20 and (not outcomes["A"] or not outcomes["B"]):
        failures += 1  # the harness itself went blind: one set never published
        print("the kills never left the other set published: A %d, B %d"
              % (outcomes["A"], outcomes["B"]))
    print("kill_loop: %d kills (%d mid-build), answers after a kill: A %d, B %d; "
          "Xapian check %s; %d failures" %
          (a.kills, mid_build, outcomes["A"], outcomes["B"],
           "run" if xapian_check(index) is not None else "unavailable", failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
