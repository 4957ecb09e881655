#!/usr/bin/python3
"""Damaged index files: truncated and byte-flipped.

Builds an index of corpus/, then for each file of the generation: truncates
a copy to half, to one block, and to zero; and flips one byte at N seeded
random offsets (one flip per trial). Each damaged copy is searched with a
few queries and asked `quire index --check`. Every run must end with an
exit status (0, 1 or 2), never a signal (crash, abort, core dump), and an
exit status 2 must come with exactly one line on stderr. A wrong answer from
a flipped byte inside stored text is possible (glass keeps no checksums) and
is counted, not failed.

Usage: corrupt.py [--flips 20] [--quire bin/quire] [--seed 1]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
QUERIES = ["UN Charter", '"Group of Friends"', "unilateral sanctions -Iran", "Lavrov"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flips", type=int, default=20)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin/quire"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    work = tempfile.mkdtemp()
    good = os.path.join(work, "good")
    subprocess.run([a.quire, "index", "-q", "--index", good, os.path.join(ROOT, "corpus")],
                   check=True)
    gen = os.path.realpath(os.path.join(good, "current"))
    stats = {"runs": 0, "exit0": 0, "exit1": 0, "exit2": 0}
    failures = []

    def trial(label, damage):
        bad = os.path.join(work, "bad")
        shutil.rmtree(bad, ignore_errors=True)
        shutil.copytree(good, bad, symlinks=True)
        damage(os.path.realpath(os.path.join(bad, "current")))
        for argv in [["search", "-n", "5", q] for q in QUERIES] + [["index", "--check"]]:
            p = subprocess.run([a.quire] + argv[:1] + ["--index", bad] + argv[1:],
                               capture_output=True, text=True, cwd=ROOT)
            stats["runs"] += 1
            if p.returncode < 0 or p.returncode > 2:
                failures.append("%s: %s: exit %d %s" % (label, argv, p.returncode, p.stderr[-300:]))
            else:
                stats["exit%d" % p.returncode] += 1
                if p.returncode == 2 and len(p.stderr.splitlines()) != 1:
                    failures.append("%s: %s: not one line: %r" % (label, argv, p.stderr[:300]))

    for name in sorted(os.listdir(gen)):
        size = os.path.getsize(os.path.join(gen, name))
        if size == 0:
            continue
        for cut in sorted({size // 2, min(size, 8192) // 2, 0}):
            trial("%s cut to %d" % (name, cut),
                  lambda g, n=name, c=cut: os.truncate(os.path.join(g, n), c))
        for _ in range(a.flips):
            off = rnd.randrange(size)

            def flip(g, n=name, o=off):
                with open(os.path.join(g, n), "r+b") as f:
                    f.seek(o)
                    b = f.read(1)
                    f.seek(o)
                    f.write(bytes([b[0] ^ 0xFF]))
            trial("%s byte %d flipped" % (name, off), flip)
    shutil.rmtree(work, ignore_errors=True)
    for f in failures[:20]:
        print(f)
    print("corrupt: %d runs on damaged copies: exit 0 %d, 1 %d, 2 %d; %d failures"
          % (stats["runs"], stats["exit0"], stats["exit1"], stats["exit2"], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
