#!/usr/bin/python3
"""The peers Quire is measured against, written for the benchmark.

  baselines.py xapian-index DB CORPUS   plain Xapian: one document per
                                        blank-line paragraph, TermGenerator
                                        with the English stemmer (positions,
                                        both stemmed and unstemmed forms, the
                                        defaults), paragraph text stored.
  baselines.py fts5-index DB CORPUS     SQLite FTS5: one row per paragraph,
                                        tokenize='porter', optimized at the end.
  baselines.py xapian-serve DB          read queries on stdin, one per line;
  baselines.py fts5-serve DB            answer each with the top 10 and a
                                        snippet per hit, then one line with the
                                        hit count, flushed (the driver times
                                        each round trip).

Run with Debian's /usr/bin/python3 (python3-xapian; sqlite3 is the C library
behind the stdlib module). Files are read as UTF-8 with bad bytes replaced.
"""
import os
import re
import sqlite3
import sys

PARA = re.compile(r"\n[ \t]*\n")
WORD = re.compile(r"\"[^\"]*\"|[^\s\"]+")


def paragraphs(corpus):
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            for p in PARA.split(text):
                if p.strip():
                    yield path, p


def xapian_index(db_path, corpus):
    import xapian
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    for path, p in paragraphs(corpus):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(p)
        doc.set_data(path + "\n" + p)
        db.add_document(doc)
    db.commit()


def fts5_index(db_path, corpus):
    if os.path.exists(db_path):
        os.unlink(db_path)
    con = sqlite3.connect(db_path)
    con.execute("CREATE VIRTUAL TABLE p USING fts5(path UNINDEXED, body, tokenize='porter')")
    with con:
        con.executemany("INSERT INTO p(path, body) VALUES (?, ?)", paragraphs(corpus))
    with con:
        con.execute("INSERT INTO p(p) VALUES ('optimize')")
    con.close()


def fts5_query(q):
    """Quire's plain syntax to FTS5: words ORed, phrases kept, all quoted."""
    parts = []
    for w in WORD.findall(q):
        w = w.strip('"')
        if w:
            parts.append('"' + w.replace('"', '""') + '"')
    return " OR ".join(parts)


def serve(answer):
    for line in sys.stdin:
        q = line.rstrip("\n")
        hits = answer(q)
        sys.stdout.write("%d\n" % hits)
        sys.stdout.flush()


def xapian_serve(db_path):
    import xapian
    db = xapian.Database(db_path)
    stem = xapian.Stem("english")
    qp = xapian.QueryParser()
    qp.set_stemmer(stem)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())

    def answer(q):
        enq.set_query(qp.parse_query(q, xapian.QueryParser.FLAG_DEFAULT))
        mset = enq.get_mset(0, 10)
        for m in mset:
            mset.snippet(m.document.get_data().decode("utf-8", "replace"), 200, stem)
        return mset.size()

    serve(answer)


def fts5_serve(db_path):
    con = sqlite3.connect(db_path)

    def answer(q):
        rows = con.execute(
            "SELECT path, snippet(p, 1, '[', ']', '...', 24) FROM p WHERE p MATCH ? "
            "ORDER BY bm25(p) LIMIT 10", (fts5_query(q),)).fetchall()
        return len(rows)

    serve(answer)


def main():
    cmd = sys.argv[1]
    if cmd == "xapian-index":
        xapian_index(sys.argv[2], sys.argv[3])
    elif cmd == "fts5-index":
        fts5_index(sys.argv[2], sys.argv[3])
    elif cmd == "xapian-serve":
        xapian_serve(sys.argv[2])
    elif cmd == "fts5-serve":
        fts5_serve(sys.argv[2])
    else:
        sys.exit("baselines.py: unknown command " + cmd)


if __name__ == "__main__":
    main()
