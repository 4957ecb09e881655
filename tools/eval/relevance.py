#!/usr/bin/python3
"""Relevance harness: Quire against plain Xapian BM25 and SQLite FTS5.

Runs Quire only through its CLI (`quire index`, `quire search --batch`) and
builds the two baselines itself over the same documents and queries:

  - Cranfield (tests/data/cranfield): 1,400 abstracts, one file each;
    225 queries mapped to the qrels by position; binary judgments (grade >= 1
    is relevant); a document's score is its best passage's.
  - The bundled corpus (corpus/) with our judged set in tests/relevance/:
    graded judgments (2 best, 1 relevant) of passages; duplicated paragraphs
    count once.

Metrics follow trec_eval: nDCG@10, MAP at depth 1000, P@10, Recall@100, MRR.
Parameters (BM25 k1, b and the coverage exponent) are chosen by 5-fold
cross-validation on Cranfield: fold f holds the queries whose position i
(1..225) has (i - 1) % 5 == f; each fold is scored with the parameters that
maximise mean nDCG@10 on the other four.

Usage: tools/eval/relevance.py [--quire bin/quire] [--work build/eval]
                               [--cv] [--markdown FILE]
       tools/eval/relevance.py --gate FILE [--record]
       tools/eval/relevance.py --empty [--quire BIN]
  --gate FILE   the regression gate (make test): Quire alone, with its
                defaults, on both sets; exits 1 when an nDCG@10 drops more
                than 0.01 below the figure recorded in FILE. With --record,
                writes the figures to FILE instead.
  --empty       only count the answerable queries (at least one judged
                relevant passage or document) that get no result: Cranfield's
                queries as plain words (the harness's protocol) and as typed
                (their own punctuation: quotes, parentheses), and the corpus
                set's. A query refused as an error counts as empty too.
"""
import argparse
import itertools
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CRAN = os.path.join(ROOT, "tests", "data", "cranfield")


# ---------------------------------------------------------------- data

LANGS = {}  # the multilingual set's query languages, by query id
SETS = {"corpus": os.path.join(ROOT, "corpus"),
        "multilingual": os.path.join(ROOT, "tests", "relevance", "multilingual")}

def load_cranfield(work):
    """Writes one file per document; returns (docs dir, queries, qrels)."""
    docs_dir = os.path.join(work, "cranfield", "docs")
    raw = open(os.path.join(CRAN, "cran.all.1400.xml"), encoding="utf-8").read()
    docs = {}
    for m in re.finditer(r"<doc>(.*?)</doc>", raw, re.S):
        body = m.group(1)
        docno = re.search(r"<docno>\s*(\d+)\s*</docno>", body).group(1)
        title = re.search(r"<title>(.*?)</title>", body, re.S)
        text = re.search(r"<text>(.*?)</text>", body, re.S)
        title = " ".join((title.group(1) if title else "").split())
        text = (text.group(1) if text else "").strip()
        docs[docno] = (title, text)
    if os.path.isdir(docs_dir):
        shutil.rmtree(docs_dir)
    os.makedirs(docs_dir)
    for docno, (title, text) in docs.items():
        with open(os.path.join(docs_dir, "%04d.txt" % int(docno)), "w", encoding="utf-8") as f:
            f.write(title + "\n\n" + text + "\n")
    qraw = open(os.path.join(CRAN, "cran.qry.xml"), encoding="utf-8").read()
    queries = []
    for i, m in enumerate(re.finditer(r"<top>(.*?)</top>", qraw, re.S), 1):
        t = re.search(r"<title>(.*?)</title>", m.group(1), re.S).group(1)
        queries.append((str(i), " ".join(t.split())))
    qrels = {}
    for line in open(os.path.join(CRAN, "cranqrel.trec.txt")):
        qid, _, docno, grade = line.split()
        if int(grade) >= 1:
            qrels.setdefault(qid, {})[docno] = 1
    return docs_dir, docs, queries, qrels


def load_corpus_set(name="corpus"):
    """Queries and graded judgments of a judged set in tests/relevance:
    corpus (over corpus/) or multilingual (over tests/relevance/multilingual/,
    whose queries carry a language column: ID, LANGUAGE, query)."""
    base = os.path.join(ROOT, "tests", "relevance")
    queries = []
    LANGS.clear()
    for line in open(os.path.join(base, name + ".queries"), encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            qid, text = line.split("\t", 1)
            if name == "multilingual":
                LANGS[qid], text = text.split("\t", 1)
            queries.append((qid, text))
    qrels = {}
    for line in open(os.path.join(base, name + ".qrels"), encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            qid, key, grade = line.split()
            qrels.setdefault(qid, {})[key] = int(grade)
    return queries, qrels


# ---------------------------------------------------------------- metrics

def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def metrics(ranked, rel):
    """ranked: ids best first; rel: {id: grade}. trec_eval conventions."""
    nrel = sum(1 for g in rel.values() if g > 0)
    gains = [rel.get(d, 0) for d in ranked]
    ideal = sorted((g for g in rel.values() if g > 0), reverse=True)
    ndcg = dcg(gains[:10]) / dcg(ideal[:10]) if ideal else 0.0
    hits, ap, rr = 0, 0.0, 0.0
    for i, d in enumerate(ranked[:1000], 1):
        if rel.get(d, 0) > 0:
            hits += 1
            ap += hits / i
            if not rr:
                rr = 1.0 / i
    return {
        "ndcg10": ndcg,
        "map": ap / nrel if nrel else 0.0,
        "p10": sum(1 for g in gains[:10] if g > 0) / 10.0,
        "r100": sum(1 for g in gains[:100] if g > 0) / nrel if nrel else 0.0,
        "mrr": rr,
    }


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows) if rows else 0.0


def summary(per_query):
    rows = list(per_query.values())
    return {k: mean(rows, k) for k in ("ndcg10", "map", "p10", "r100", "mrr") if k in rows[0]}


# ---------------------------------------------------------------- systems

def plain_words(text):
    """A natural-language question as plain words, safe in any query syntax."""
    return " ".join(re.findall(r"[A-Za-z0-9]+", text))


class Quire:
    name = "Quire"

    def __init__(self, binary, work, docs_dir):
        self.binary = binary
        self.index = os.path.join(work, "quire-index")
        subprocess.run([binary, "index", "-q", "--index", self.index, docs_dir], check=True)

    def run(self, queries, depth, params=None, brief=True, verbatim=False):
        """{qid: [(path, byte_start, text, copies), ...]} best first.
        params: {"k1": 1.2, "prf": "10,20,0.6", ...} -> --k1 1.2 --prf ...
        verbatim: queries are in Quire's syntax (else: plain words)."""
        args = [self.binary, "search", "--batch", "--index", self.index, "-n", str(depth)]
        if brief:
            args.append("--brief")
        for flag, v in sorted((params or {}).items()):
            args += ["--" + flag, str(v)]
        stdin = "".join((q if verbatim else plain_words(q)) + "\n" for _, q in queries)
        out = subprocess.run(args, input=stdin, capture_output=True, text=True, check=True).stdout
        results = {}
        self.errors = []
        for (qid, _), line in zip(queries, out.splitlines()):
            obj = json.loads(line)
            if "error" in obj:
                self.errors.append(qid)
            results[qid] = [
                (h["path"], h["byte_start"], h.get("text", ""), [(c["file"], c["byte_start"]) for c in h["copies"]])
                for h in obj.get("hits", [])
            ]
        return results


class PlainXapian:
    """Xapian's TermGenerator + QueryParser + BM25 defaults, English stemmer."""
    name = "Xapian BM25 (defaults)"

    def __init__(self, work, units):
        import xapian
        self.x = xapian
        path = os.path.join(work, "xapian-baseline")
        db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        tg = xapian.TermGenerator()
        tg.set_stemmer(xapian.Stem("english"))
        for uid, text in units:
            d = xapian.Document()
            tg.set_document(d)
            tg.index_text(text)
            d.set_data(uid)
            db.add_document(d)
        db.commit()
        self.db = db
        self.qp = xapian.QueryParser()
        self.qp.set_stemmer(xapian.Stem("english"))
        self.qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.qp.set_database(db)

    def run(self, queries, depth):
        out = {}
        for qid, q in queries:
            query = self.qp.parse_query(plain_words(q))
            enq = self.x.Enquire(self.db)
            enq.set_query(query)
            out[qid] = [m.document.get_data().decode() for m in enq.get_mset(0, depth)]
        return out


class FTS5:
    """SQLite FTS5, porter tokenizer, bm25(), words OR-ed. unicode: FTS5's
    default tokenizer for every script instead (unicode61, diacritics
    removed, no stemming), for the multilingual set."""
    name = "SQLite FTS5 (porter, bm25)"

    def __init__(self, units, unicode=False):
        self.unicode = unicode
        tok = "unicode61 remove_diacritics 2" if unicode else "porter"
        self.con = sqlite3.connect(":memory:")
        self.con.execute("CREATE VIRTUAL TABLE u USING fts5(uid UNINDEXED, body, tokenize='%s')" % tok)
        self.con.executemany("INSERT INTO u VALUES (?, ?)", units)

    def run(self, queries, depth):
        out = {}
        for qid, q in queries:
            words = re.findall(r"\w+" if self.unicode else r"[a-z0-9]+", q.lower())
            expr = " OR ".join('"%s"' % w for w in words) or '""'
            rows = self.con.execute(
                "SELECT uid FROM u WHERE u MATCH ? ORDER BY bm25(u) LIMIT ?", (expr, depth)).fetchall()
            out[qid] = [r[0] for r in rows]
        return out


# ---------------------------------------------------------------- Cranfield

def quire_docs(results):
    """Passage hits -> documents ranked by their best passage."""
    ranked = {}
    for qid, hits in results.items():
        seen, order = set(), []
        for path, _, _, copies in hits:
            for p in [path] + [os.path.basename(c[0]) for c in copies]:
                docno = str(int(os.path.splitext(p)[0]))
                if docno not in seen:
                    seen.add(docno)
                    order.append(docno)
        ranked[qid] = order
    return ranked


def evaluate(ranked, qrels, queries):
    return {qid: metrics(ranked.get(qid, []), qrels.get(qid, {})) for qid, _ in queries}


# The grid cross-validation searches: BM25 k1 and b, the title weight, the
# feedback weight, and the coverage exponent. Feedback applies to queries of
# more than 5 words and uses the top 10 passages and 20 terms (the usual RM3
# defaults, fbDocs 10, fbTerms 10-20); coverage and the word-order bonus apply
# to queries of at most 5 words.
GRID = {
    "k1": [1.2, 1.6],
    "b": [0.6, 0.75],
    "coord": [0, 2],
    "title-weight": [0.2, 0.3, 0.5],
    "prf": ["10,20,0.7", "10,20,1.0", "10,20,1.4"],
}


def grid_points():
    keys = sorted(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        yield tuple(zip(keys, values))


def cross_validate(quire, queries, qrels, folds=5):
    """Per fold: best grid point on the other folds, scored on this one."""
    from concurrent.futures import ThreadPoolExecutor

    def score(point):
        return point, evaluate(quire_docs(quire.run(queries, 1500, dict(point))), qrels, queries)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        per_config = dict(pool.map(score, list(grid_points())))
    pos = {qid: i for i, (qid, _) in enumerate(queries)}
    test_rows, chosen = {}, []
    for f in range(folds):
        train = [q for q, _ in queries if pos[q] % folds != f]
        test = [q for q, _ in queries if pos[q] % folds == f]
        best = max(per_config, key=lambda c: sum(per_config[c][q]["ndcg10"] for q in train))
        chosen.append(best)
        for q in test:
            test_rows[q] = per_config[best][q]
    return test_rows, chosen, per_config


def cross_collection(cran, corp, cran_queries, corp_queries, folds=5):
    """Parameters chosen on both collections at once (issue 22): per fold,
    the grid point with the best mean nDCG@10 over the other folds of
    Cranfield plus that of the corpus set (each collection weighing the
    same), scored on this fold of each; and leave one collection out: the
    point best on one whole collection, scored on the other.
    cran, corp: {point: {qid: metrics}}."""
    def fold_ids(queries, f, held):
        return [q for i, (q, _) in enumerate(queries) if (i % folds == f) == held]

    def avg(rows, point, ids):
        return sum(rows[point][q]["ndcg10"] for q in ids) / len(ids) if ids else 0.0

    points = [p for p in cran if p in corp]
    test_c, test_k, chosen = {}, {}, []
    for f in range(folds):
        tc, tk = fold_ids(cran_queries, f, False), fold_ids(corp_queries, f, False)
        best = max(points, key=lambda p: avg(cran, p, tc) + avg(corp, p, tk))
        chosen.append(best)
        for q in fold_ids(cran_queries, f, True):
            test_c[q] = cran[best][q]
        for q in fold_ids(corp_queries, f, True):
            test_k[q] = corp[best][q]
    all_c, all_k = [q for q, _ in cran_queries], [q for q, _ in corp_queries]
    on_cran = max(points, key=lambda p: avg(cran, p, all_c))
    on_corp = max(points, key=lambda p: avg(corp, p, all_k))
    return {"cv": (summary(test_c), summary(test_k), chosen),
            "corpus_from_cranfield": (on_cran, summary(corp[on_cran])),
            "cranfield_from_corpus": (on_corp, summary(cran[on_corp]))}


def point_text(p):
    return ", ".join("%s %s" % kv for kv in p)


# ---------------------------------------------------------------- the corpus set

def norm_text(t):
    return " ".join(t.split())


def corpus_units(quire, files):
    """Quire's own passages of corpus/, via filter-only searches: {key: text}
    with key FILE@BYTE, and {(FILE, LINE): [keys]} to resolve judgments."""
    args = [quire.binary, "search", "--batch", "--index", quire.index, "-n", "100000"]
    stdin = "".join("file:%s\n" % os.path.splitext(f)[0] for f in files)
    out = subprocess.run(args, input=stdin, capture_output=True, text=True, check=True).stdout
    units, lines = {}, {}
    for line in out.splitlines():
        for h in json.loads(line)["hits"]:
            for loc in [h] + h["copies"]:
                path = os.path.basename(loc["file"])
                key = "%s@%d" % (path, loc["byte_start"])
                units[key] = h["text"]
                lines.setdefault((path, loc["line_start"]), []).append(key)
    return units, lines


def resolve(qrels, lines):
    """FILE:LINE[@BYTE] judgments -> {qid: {FILE@BYTE: grade}}."""
    out = {}
    for qid, rel in qrels.items():
        for spec, grade in rel.items():
            path, rest = spec.split(":", 1)
            if "@" in rest:
                keys = [path + "@" + rest.split("@", 1)[1]]
            else:
                keys = lines.get((path, int(rest)), [])
            if not keys:
                raise SystemExit("tests/relevance/corpus.qrels: no passage at %s (query %s)" % (spec, qid))
            for k in keys:
                out.setdefault(qid, {})[k] = grade
    return out


def graded_corpus_metrics(ranked_keys, units, rel_by_key):
    """Graded nDCG@10 where copies of one paragraph count once."""
    grade_of_text = {}
    for key, g in rel_by_key.items():
        t = norm_text(units.get(key, key))
        grade_of_text[t] = max(g, grade_of_text.get(t, 0))
    seen, gains, texts = set(), [], []
    for key in ranked_keys:
        t = norm_text(units.get(key, key))
        gains.append(0 if t in seen else grade_of_text.get(t, 0))
        texts.append(t)
        seen.add(t)
    ideal = sorted(grade_of_text.values(), reverse=True)
    ndcg = dcg(gains[:10]) / dcg(ideal[:10]) if ideal and dcg(ideal[:10]) else 0.0
    best = [t for t, g in grade_of_text.items() if g == max(ideal or [0])]
    top3 = any(t in best for t in texts[:3])
    dup_free = len(set(texts)) == len(texts)
    # MAP, P@10, R@100 over the distinct paragraphs listed, grade >= 1 relevant
    distinct, seen2 = [], set()
    for t in texts:
        if t not in seen2:
            seen2.add(t)
            distinct.append(t)
    nrel = sum(1 for g in grade_of_text.values() if g > 0)
    hits, ap = 0, 0.0
    for i, t in enumerate(distinct, 1):
        if grade_of_text.get(t, 0) > 0:
            hits += 1
            ap += hits / i
    extra = {"ndcg10": ndcg,
             "map": ap / nrel if nrel else 0.0,
             "p10": sum(1 for g in gains[:10] if g > 0) / 10.0,
             "r100": sum(1 for t in distinct[:100] if grade_of_text.get(t, 0) > 0) / nrel
             if nrel else 0.0}
    return ndcg, top3, dup_free, extra


def empty_results(quire_bin, work):
    """{name: (empty, answerable, refused)} for each query set and form."""
    docs_dir, _, queries, qrels = load_cranfield(work)
    quire = Quire(quire_bin, os.path.join(work, "cranfield"), docs_dir)
    counts = {}
    answerable = [(q, t) for q, t in queries if qrels.get(q)]
    for name, verbatim in (("Cranfield, as plain words", False), ("Cranfield, as typed", True)):
        res = quire.run(answerable, 10, verbatim=verbatim)
        counts[name] = (sum(1 for q, _ in answerable if not res.get(q)), len(answerable),
                        len(quire.errors))
    cq, cqrels = load_corpus_set()
    corpus = os.path.join(ROOT, "corpus")
    cquire = Quire(quire_bin, os.path.join(work, "corpus"), corpus)
    answerable = [(q, t) for q, t in cq if cqrels.get(q)]
    res = cquire.run(answerable, 10, verbatim=True)
    counts["corpus set"] = (sum(1 for q, _ in answerable if not res.get(q)), len(answerable),
                            len(cquire.errors))
    return counts


def print_empty(counts):
    for name, (empty, n, refused) in counts.items():
        print("  empty results, %-26s %d of %d answerable queries (%d refused as errors)"
              % (name + ":", empty, n, refused))


def gate(args):
    """Quire's nDCG@10 on both sets, against (or into) the recorded file."""
    docs_dir, _, queries, qrels = load_cranfield(args.work)
    quire = Quire(args.quire, os.path.join(args.work, "cranfield"), docs_dir)
    figures = {"cranfield_ndcg10": summary(evaluate(quire_docs(quire.run(queries, 50)), qrels,
                                                    queries))["ndcg10"]}
    cq, crows = run_corpus(args.quire, args.work, baselines=False)
    figures["corpus_ndcg10"] = sum(v[0] for v in crows["Quire"].values()) / len(cq)
    mq, mrows = run_corpus(args.quire, args.work, baselines=False, name="multilingual")
    figures["multilingual_ndcg10"] = sum(v[0] for v in mrows["Quire"].values()) / len(mq)
    figures = {k: round(v, 4) for k, v in figures.items()}
    if args.record:
        with open(args.gate, "w") as f:
            json.dump(figures, f, indent=1, sort_keys=True)
            f.write("\n")
        print("recorded %s in %s" % (figures, args.gate))
        return 0
    recorded = json.load(open(args.gate))
    bad = 0
    for k, v in sorted(figures.items()):
        ok = v >= recorded[k] - 0.01
        bad += not ok
        print("%s %-18s %.4f (recorded %.4f)" % ("ok  " if ok else "FAIL", k, v, recorded[k]))
    return 1 if bad else 0


def run_corpus(quire_bin, work, baselines=True, name="corpus", depth=100, grid=False):
    """Every system on a judged set: (queries, {system: {qid: metrics}}),
    and with grid, Quire's per-query metrics at every grid point too
    ({point: {qid: metrics}}, for cross-validation across collections)."""
    queries, qrels = load_corpus_set(name)
    corpus = SETS[name]
    files = sorted(f for f in os.listdir(corpus) if not f.startswith("."))
    quire = Quire(quire_bin, os.path.join(work, name), corpus)
    units, lines = corpus_units(quire, files)
    qrels = resolve(qrels, lines)
    if grid:
        per_point = {}
        for point in grid_points():
            res = quire.run(queries, depth, dict(point), brief=False, verbatim=True)
            ranked = {q: ["%s@%d" % (h[0], h[1]) for h in hits] for q, hits in res.items()}
            per_point[point] = {q: graded_corpus_metrics(ranked.get(q, []), units,
                                                         qrels.get(q, {}))[3]
                                for q, _ in queries}
        return queries, per_point
    res = quire.run(queries, depth, brief=False, verbatim=True)
    rows = {}
    systems = {"Quire": {q: ["%s@%d" % (h[0], h[1]) for h in hits] for q, hits in res.items()}}
    items = sorted(units.items())
    if baselines and name == "multilingual":
        systems["SQLite FTS5 (unicode61, bm25)"] = FTS5(items, unicode=True).run(queries, depth)
    elif baselines:
        systems[PlainXapian.name] = PlainXapian(os.path.join(work, "corpus"), items).run(queries,
                                                                                        depth)
        systems[FTS5.name] = FTS5(items).run(queries, depth)
    for name, ranked in systems.items():
        per_q = {}
        for qid, _ in queries:
            per_q[qid] = graded_corpus_metrics(ranked.get(qid, []), units, qrels.get(qid, {}))
        rows[name] = per_q
    return queries, rows


# ---------------------------------------------------------------- report

def fmt(s):
    return "%.4f | %.4f | %.3f | %.3f | %.3f" % (s["ndcg10"], s["map"], s["p10"], s["r100"], s["mrr"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quire", default=os.path.join(ROOT, "bin", "quire"))
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "eval"))
    ap.add_argument("--cv", action="store_true", help="cross-validate k1, b and coord")
    ap.add_argument("--markdown", help="write the results table here")
    ap.add_argument("--gate", help="recorded figures (JSON): the regression gate")
    ap.add_argument("--record", action="store_true", help="with --gate: record, do not check")
    ap.add_argument("--empty", action="store_true", help="count answerable queries with no result")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.gate:
        return gate(args)
    if args.empty:
        print_empty(empty_results(args.quire, args.work))
        return 0
    t0 = time.time()

    docs_dir, docs, queries, qrels = load_cranfield(args.work)
    quire = Quire(args.quire, os.path.join(args.work, "cranfield"), docs_dir)
    table = {}
    table["Quire (defaults)"] = summary(evaluate(quire_docs(quire.run(queries, 1500)), qrels, queries))
    units = [(d, t + "\n\n" + x) for d, (t, x) in sorted(docs.items(), key=lambda kv: int(kv[0]))]
    for system in (PlainXapian(os.path.join(args.work, "cranfield"), units), FTS5(units)):
        table[system.name] = summary(evaluate(system.run(queries, 1000), qrels, queries))
    cv_note, across = "", None
    if args.cv:
        rows, chosen, cran_grid = cross_validate(quire, queries, qrels)
        table["Quire (5-fold CV)"] = summary(rows)
        cv_note = "folds chose: " + "; ".join(point_text(c) for c in chosen)
        cq0, corp_grid = run_corpus(args.quire, os.path.join(args.work, "grid"), grid=True)
        across = cross_collection(cran_grid, corp_grid, queries, cq0)

    cq, crows = run_corpus(args.quire, args.work)
    corpus_table = {}
    for name, per_q in crows.items():
        vals = list(per_q.values())
        corpus_table[name] = dict(summary({i: v[3] for i, v in enumerate(vals)}),
                                  top3=sum(1 for v in vals if v[1]),
                                  dup_free=sum(1 for v in vals if v[2]), n=len(vals))
    misses = [qid for qid, v in crows["Quire"].items() if not v[1]]

    print("Cranfield (225 queries)          nDCG@10 | MAP | P@10 | R@100 | MRR")
    for name, s in table.items():
        print("  %-30s %s" % (name, fmt(s)))
    if cv_note:
        print("  " + cv_note)
    print("Corpus set (%d queries)          graded nDCG@10 | MAP | P@10 | R@100 | best in top 3 "
          "| no duplicate" % len(cq))
    for name, s in corpus_table.items():
        print("  %-30s %.3f | %.3f | %.3f | %.3f | %d/%d | %d/%d"
              % (name, s["ndcg10"], s["map"], s["p10"], s["r100"], s["top3"], s["n"],
                 s["dup_free"], s["n"]))
    if across:
        c, k, chosen = across["cv"]
        print("Chosen on both collections (5 folds each, each collection weighing the same):")
        print("  Cranfield  %s" % fmt(c))
        print("  corpus     nDCG@10 %.4f | MAP %.4f | P@10 %.4f | R@100 %.4f"
              % (k["ndcg10"], k["map"], k["p10"], k["r100"]))
        print("  folds chose: " + "; ".join(point_text(p) for p in chosen))
        p, k = across["corpus_from_cranfield"]
        print("Leave one collection out: chosen on Cranfield (%s), corpus nDCG@10 %.4f MAP %.4f"
              % (point_text(p), k["ndcg10"], k["map"]))
        p, c = across["cranfield_from_corpus"]
        print("                          chosen on corpus (%s), Cranfield nDCG@10 %.4f MAP %.4f"
              % (point_text(p), c["ndcg10"], c["map"]))
    if misses:
        print("  Quire misses the best passage in the top 3 for: " + ", ".join(misses))
    mq, mrows = run_corpus(args.quire, args.work, name="multilingual")
    langs = sorted(set(LANGS.values()))
    multi_table = {name: {lang: [v[0] for q, v in per_q.items() if LANGS[q] == lang] for lang in langs}
                   for name, per_q in mrows.items()}
    print("Multilingual set (%d queries)    graded nDCG@10 by language: %s | all"
          % (len(mq), " | ".join("%s (%d)" % (l, len(multi_table["Quire"][l])) for l in langs)))
    for name, by in multi_table.items():
        allv = [x for v in by.values() for x in v]
        print("  %-30s %s | %.3f" % (name, " | ".join("%.3f" % (sum(v) / len(v)) for v in by.values()),
                                     sum(allv) / len(allv)))
    empty = empty_results(args.quire, os.path.join(args.work, "empty"))
    print_empty(empty)
    print("(%.1f s)" % (time.time() - t0))

    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("| system | nDCG@10 | MAP | P@10 | R@100 | MRR |\n|---|---|---|---|---|---|\n")
            for name, s in table.items():
                f.write("| %s | %s |\n" % (name, fmt(s)))
            if cv_note:
                f.write("\n" + cv_note + "\n")
            f.write("\n| system (corpus set) | graded nDCG@10 | MAP | P@10 | R@100 "
                    "| best passage in top 3 | no duplicate |\n|---|---|---|---|---|---|---|\n")
            for name, s in corpus_table.items():
                f.write("| %s | %.3f | %.3f | %.3f | %.3f | %d/%d | %d/%d |\n"
                        % (name, s["ndcg10"], s["map"], s["p10"], s["r100"], s["top3"], s["n"],
                           s["dup_free"], s["n"]))
            f.write("\n| system (multilingual set) | %s | all |\n|---|%s---|\n"
                    % (" | ".join(langs), "---|" * len(langs)))
            for name, by in multi_table.items():
                allv = [x for v in by.values() for x in v]
                f.write("| %s | %s | %.3f |\n" % (name, " | ".join("%.3f" % (sum(v) / len(v))
                                                                    for v in by.values()),
                                                  sum(allv) / len(allv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
