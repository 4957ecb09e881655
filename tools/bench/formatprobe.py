#!/usr/bin/python3
"""What the index formats issue 23 proposes would weigh, measured rather than
estimated: rewrites a built Quire index's documents, unchanged but for the
format lever under test, into fresh glass databases through Xapian's own
writer, compacts each as a build does, and prints each table's size and the
writer's time.

Variants (each is a whole database of the same passages):
  now          the documents as Quire writes them (calibrates the rewrite:
               its tables should match the index read)
  no-termlist  the same, opened with DB_NO_TERMLIST
  article-pos  passages keep every term and its wdf but no positions; one
               more document per article carries its words' positions
               (prefix W, word offsets within the article; a gap of 64
               between passages), and each passage its word range in value
               slot 4 -- what phrase and NEAR would be answered from
  article-pos+no-termlist   both levers
  no-pos       no positions at all: the floor any positional format is above
  no-pos+no-termlist        the floor of Xapian's writer for these passages

The writer's time is the CPU of adding the documents and committing; the
documents are built before the clock starts (Python's share), and the
compaction is timed apart. Usage:

  tools/bench/formatprobe.py INDEX [--out DIR] [--only a,b] [--runs N]

Needs python3-xapian (tools/install-deps.sh --bench); INDEX is a Quire index
directory or one generation of it. Figures: docs/BENCHMARKS.md, "Issue 23,
stop 33".
"""
import argparse
import os
import shutil
import sys
import time

import xapian

GAP = 64  # word offsets left between passages: no phrase or NEAR spans it


def file_of(terms):
    for t in terms:
        if t[0].startswith(b'P'):
            return t[0]
    return b''


def read_index(path):
    """Every passage: (terms [(term, wdf, positions)], values {slot: v}, data)."""
    db = xapian.Database(path)
    docs = []
    for did in range(1, db.get_lastdocid() + 1):
        try:
            d = db.get_document(did)
        except xapian.DocNotFoundError:
            continue
        terms = [(t.term, t.wdf, list(t.positer)) for t in d.termlist()]
        values = {v.num: v.value for v in d.values()}
        docs.append((terms, values, d.get_data()))
    meta = {k: db.get_metadata(k) for k in db.metadata_keys()}
    return docs, meta


def passage_doc(terms, values, data, positions):
    doc = xapian.Document()
    for term, wdf, pos in terms:
        if positions and pos:
            for p in pos:
                doc.add_posting(term, p, 0)
            extra = wdf - len(pos)
            if extra > 0:
                doc.add_term(term, extra)
        else:
            doc.add_term(term, wdf)
    for slot, v in values.items():
        doc.add_value(slot, v)
    doc.set_data(data)
    return doc


def article_docs(docs):
    """Per article: its passages' docs without positions, then one document
    of W terms with article word offsets; each passage's range in slot 4."""
    out = []
    cur, words, offset = None, None, 0
    for terms, values, data in docs:
        f = file_of(terms)
        if f != cur:
            if words is not None:
                out.append(words)
            cur, words, offset = f, xapian.Document(), 0
            words.add_boolean_term(b'XW' + f[1:])
        doc = passage_doc(terms, values, data, False)
        top = 0
        for term, _, pos in terms:
            if not pos:
                continue
            for p in pos:
                words.add_posting(b'W' + term[1:] if term.startswith(b'Z') else term, offset + p, 0)
                top = max(top, p)
        doc.add_value(4, xapian.sortable_serialise(offset) + xapian.sortable_serialise(offset + top))
        out.append(doc)
        offset += top + GAP
    if words is not None:
        out.append(words)
    return out


def make_docs(docs, variant):
    if variant.startswith('article-pos'):
        return article_docs(docs)
    return [passage_doc(t, v, d, not variant.startswith('no-pos')) for t, v, d in docs]


def build(docs, meta, variant, out):
    if os.path.exists(out):
        shutil.rmtree(out)
    flags = xapian.DB_CREATE | xapian.DB_NO_SYNC
    if variant.endswith('no-termlist'):
        flags |= xapian.DB_NO_TERMLIST
    t0 = time.process_time()
    made = make_docs(docs, variant)
    t1 = time.process_time()
    db = xapian.WritableDatabase(out, flags)
    for d in made:
        db.add_document(d)
    for k, v in meta.items():
        db.set_metadata(k, v)
    db.commit()
    db.close()
    t2 = time.process_time()
    c0 = time.perf_counter()
    xapian.Database(out).compact(out + '.c')
    c1 = time.perf_counter()
    shutil.rmtree(out)
    os.rename(out + '.c', out)
    return t1 - t0, t2 - t1, c1 - c0, len(made)


def tables(path):
    sizes = {}
    for name in sorted(os.listdir(path)):
        if name.endswith('.glass'):
            sizes[name[:-6]] = os.path.getsize(os.path.join(path, name))
    return sizes


VARIANTS = ['now', 'no-termlist', 'article-pos', 'article-pos+no-termlist', 'no-pos',
            'no-pos+no-termlist']


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('index')
    ap.add_argument('--out', default='/tmp/formatprobe')
    ap.add_argument('--only', default=','.join(VARIANTS))
    ap.add_argument('--runs', type=int, default=3)
    a = ap.parse_args()
    src = os.path.realpath(os.path.join(a.index, 'current')) \
        if os.path.exists(os.path.join(a.index, 'current')) else a.index
    docs, meta = read_index(src)
    print(f'{src}: {len(docs)} passages; tables (MB): ' +
          ', '.join(f'{k} {v / 1e6:.1f}' for k, v in tables(src).items()))
    os.makedirs(a.out, exist_ok=True)
    print('| variant | docs | postlist | position | termlist | docdata | total MB '
          '| writer CPU s | compact s |')
    print('|---|---|---|---|---|---|---|---|---|')
    for v in a.only.split(','):
        runs = []
        for _ in range(a.runs):
            _, wr, cp, n = build(docs, meta, v, os.path.join(a.out, v))
            runs.append((wr, cp))
        wr = sorted(r[0] for r in runs)[len(runs) // 2]
        cp = sorted(r[1] for r in runs)[len(runs) // 2]
        s = tables(os.path.join(a.out, v))
        mb = lambda k: f'{s.get(k, 0) / 1e6:.1f}'
        print(f'| {v} | {n} | {mb("postlist")} | {mb("position")} | {mb("termlist")} '
              f'| {mb("docdata")} | {sum(s.values()) / 1e6:.1f} | {wr:.2f} | {cp:.2f} |',
              flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
