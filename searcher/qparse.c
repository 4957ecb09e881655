/*
 * qparse.c - the lexer and recursive-descent parser of Quire's query syntax
 * (qparse.h). Recursion follows parentheses only; chains of AND, OR, NOT
 * and NEAR are collected into one node each, so a chain of 50,000 ANDs is a
 * node with 50,000 items (refused past QS_MAX_ITEMS), not a tree 50,000
 * deep. Every error names the column where it is and says whether reading
 * the text plainly could help (structure) or not (operator).
 */
#include "qparse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tk {
    T_EOF,
    T_WORD,
    T_PHRASE,
    T_LPAREN,
    T_RPAREN,
    T_AND,
    T_OR,
    T_NOT,
    T_NEAR,
    T_MINUS,
    T_PLUS,
    T_FIELD
};

typedef struct {
    enum tk kind;
    size_t start, len; /* the token's text (phrase: inside the quotes; prefix: without '*') */
    size_t at;         /* where it starts in the query */
    qs_field_t field;  /* T_FIELD */
    int prefix;        /* T_WORD ending in '*' */
    unsigned near;     /* T_NEAR: NEAR/n's n */
} token_t;

typedef struct {
    qs_tree_t *t;
    const char *s;
    size_t len, i;
    int mode;
    token_t tok; /* current */
    ql_err_t *e;
    qs_perr_t kind;
    int depth;
    size_t ntokens;
} parser_t;

int qs_tree_error(const qs_tree_t *t, size_t at, const char *what, ql_err_t *e)
{
    int col = 1;
    for (size_t i = 0; i < at && i < t->len; i++) col += ((unsigned char)t->text[i] & 0xC0) != 0x80;
    return ql_errf(e, QL_E_QUERY, "bad query: %s at column %d", what, col);
}

/* A structural error (reading the text plainly may help); returns -1. */
static int structure(parser_t *ps, size_t at, const char *what)
{
    ps->kind = QS_PERR_STRUCTURE;
    return qs_tree_error(ps->t, at, what, ps->e);
}

/* An operator used wrongly: always an error; returns -1. */
static int misuse(parser_t *ps, size_t at, const char *what)
{
    ps->kind = QS_PERR_OPERATOR;
    return qs_tree_error(ps->t, at, what, ps->e);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of an opening or closing quote at s[i] ("), (“) or (”); 0 if none. */
static size_t quote_len(const parser_t *ps, size_t i)
{
    if (ps->s[i] == '"') return 1;
    if (i + 2 < ps->len && (unsigned char)ps->s[i] == 0xE2 && (unsigned char)ps->s[i + 1] == 0x80 &&
        ((unsigned char)ps->s[i + 2] == 0x9C || (unsigned char)ps->s[i + 2] == 0x9D))
        return 3;
    return 0;
}

static int ends_word(const parser_t *ps, size_t i)
{
    return i >= ps->len || is_ws(ps->s[i]) || ps->s[i] == '(' || ps->s[i] == ')' ||
           quote_len(ps, i);
}

static int word_is(const parser_t *ps, size_t start, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(ps->s + start, w, n) == 0;
}

static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* A word written as a prefix inside phrase text [a, b): where it starts, or
 * SIZE_MAX. */
static size_t prefix_in_phrase(const parser_t *ps, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (ps->s[i] != '*' || i == a || is_ws(ps->s[i - 1]) || ps->s[i - 1] == '*') continue;
        if (i + 1 < b && !is_ws(ps->s[i + 1])) continue;
        size_t w = i;
        while (w > a && !is_ws(ps->s[w - 1])) w--;
        return w;
    }
    return SIZE_MAX;
}

/* NEAR or NEAR/n at [i, j). */
static int lex_near(parser_t *ps, size_t i, size_t j)
{
    token_t *t = &ps->tok;
    t->kind = T_NEAR;
    t->near = QS_NEAR_DEFAULT;
    if (j - i == 4) return 0;
    unsigned long n = 0;
    size_t k = i + 5;
    for (; k < j && ps->s[k] >= '0' && ps->s[k] <= '9' && n <= QS_NEAR_MAX; k++)
        n = n * 10 + (unsigned long)(ps->s[k] - '0');
    if (k != j || k == i + 5 || n < 1 || n > QS_NEAR_MAX) {
        char what[96];
        snprintf(what, sizeof what, "NEAR/n takes a number of words from 1 to %d", QS_NEAR_MAX);
        return misuse(ps, i, what);
    }
    t->near = (unsigned)n;
    return 0;
}

/* A word at [i, j): an operator, a field, a prefix or a plain word. */
static int lex_word(parser_t *ps, size_t i, size_t j)
{
    token_t *t = &ps->tok;
    t->kind = T_WORD;
    t->start = i;
    t->len = j - i;
    ps->i = j;
    if (word_is(ps, i, j - i, "AND")) t->kind = T_AND;
    if (word_is(ps, i, j - i, "OR")) t->kind = T_OR;
    if (word_is(ps, i, j - i, "NOT")) t->kind = T_NOT;
    if (word_is(ps, i, j - i, "NEAR") || (j - i > 5 && memcmp(ps->s + i, "NEAR/", 5) == 0))
        return lex_near(ps, i, j);
    if (t->kind != T_WORD) return 0;
    static const struct {
        const char *name;
        qs_field_t f;
    } fields[] = {{"title:", QS_F_TITLE},
                  {"file:", QS_F_FILE},
                  {"date:", QS_F_DATE},
                  {"source:", QS_F_SOURCE},
                  {"lang:", QS_F_LANG}};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        const size_t n = strlen(fields[f].name);
        if (j - i < n || strncasecmp(ps->s + i, fields[f].name, n) != 0) continue;
        if (ends_word(ps, i + n) &&
            !(i + n < ps->len && (ps->s[i + n] == '(' || quote_len(ps, i + n))))
            return structure(ps, i, "field needs a value after ':'");
        t->kind = T_FIELD;
        t->field = fields[f].f;
        ps->i = i + n;
        return 0;
    }
    size_t stars = 0;
    while (stars < j - i && ps->s[j - 1 - stars] == '*') stars++;
    if (stars == j - i) return structure(ps, i, "'*' needs a word before it (try: sanct*)");
    if (stars > 1) return misuse(ps, j - stars, "a prefix ends in one '*' (try: sanct*)");
    if (stars == 1) {
        t->prefix = 1;
        t->len--;
        if (chars(ps->s + i, t->len) < QS_PREFIX_MIN_CHARS) {
            char what[96];
            snprintf(what, sizeof what, "a prefix needs at least %d letters before '*'",
                     QS_PREFIX_MIN_CHARS);
            return misuse(ps, i, what);
        }
    }
    return 0;
}

/* The next token of the plain reading: every run of characters that are
 * not white space, quotes or parentheses is a word. */
static int next_plain(parser_t *ps)
{
    token_t *t = &ps->tok;
    while (ps->i < ps->len && (is_ws(ps->s[ps->i]) || ps->s[ps->i] == '(' || ps->s[ps->i] == ')' ||
                               quote_len(ps, ps->i)))
        ps->i += quote_len(ps, ps->i) ? quote_len(ps, ps->i) : 1;
    t->at = ps->i;
    if (ps->i >= ps->len) return 0;
    size_t j = ps->i;
    while (!ends_word(ps, j)) j++;
    t->kind = T_WORD;
    t->start = ps->i;
    t->len = j - ps->i;
    ps->i = j;
    return 0;
}

static int next(parser_t *ps)
{
    token_t *t = &ps->tok;
    memset(t, 0, sizeof *t);
    if (++ps->ntokens > QS_MAX_ITEMS) {
        char what[96];
        snprintf(what, sizeof what, "the query has more than %d words and operators", QS_MAX_ITEMS);
        return misuse(ps, ps->i, what);
    }
    if (ps->mode == QS_PARSE_PLAIN) return next_plain(ps);
    while (ps->i < ps->len && is_ws(ps->s[ps->i])) ps->i++;
    t->at = ps->i;
    if (ps->i >= ps->len) return 0;
    const size_t i = ps->i;
    const char c = ps->s[i];
    const size_t q = quote_len(ps, i);
    if (c == '(' || c == ')') {
        t->kind = c == '(' ? T_LPAREN : T_RPAREN;
        ps->i++;
        return 0;
    }
    if (q) {
        size_t j = i + q;
        while (j < ps->len && !quote_len(ps, j)) j++;
        if (j >= ps->len) return structure(ps, i, "unterminated quote");
        const size_t w = prefix_in_phrase(ps, i + q, j);
        if (w != SIZE_MAX) return misuse(ps, w, "a prefix (word*) cannot be inside a phrase");
        t->kind = T_PHRASE;
        t->start = i + q;
        t->len = j - (i + q);
        ps->i = j + quote_len(ps, j);
        return 0;
    }
    if ((c == '-' || c == '+') && !ends_word(ps, i + 1) && ps->s[i + 1] != c) {
        t->kind = c == '-' ? T_MINUS : T_PLUS;
        ps->i++;
        return 0;
    }
    size_t j = i;
    while (!ends_word(ps, j)) j++;
    return lex_word(ps, i, j);
}

/* ------------------------------------------------------------ tree */

static qs_node_t *new_node(parser_t *ps, qs_nkind_t kind, size_t at)
{
    qs_tree_t *t = ps->t;
    if (t->nall == t->capall) {
        const size_t cap = t->capall ? t->capall * 2 : 16;
        qs_node_t **a = realloc(t->all, cap * sizeof *a);
        if (!a) goto oom;
        t->all = a;
        t->capall = cap;
    }
    qs_node_t *n = calloc(1, sizeof *n);
    if (!n) goto oom;
    n->kind = kind;
    n->at = at;
    t->all[t->nall++] = n;
    return n;
oom:
    ps->kind = QS_PERR_NOMEM;
    ql_errf(ps->e, QL_E_NOMEM, "out of memory parsing the query");
    return NULL;
}

/* Appends item to n->items; -1 when out of memory. */
static int push(parser_t *ps, qs_node_t *n, qs_node_t *item)
{
    if ((n->nitems & (n->nitems - 1)) == 0) { /* 0, 1, 2, 4, ...: grow */
        qs_node_t **v = realloc(n->items, (n->nitems ? 2 * n->nitems : 1) * sizeof *v);
        if (!v) {
            ps->kind = QS_PERR_NOMEM;
            return ql_errf(ps->e, QL_E_NOMEM, "out of memory parsing the query");
        }
        n->items = v;
    }
    n->items[n->nitems++] = item;
    return 0;
}

static qs_node_t *parse_seq(parser_t *ps, int nested);

static qs_node_t *parse_group(parser_t *ps, qs_field_t field, size_t field_at)
{
    const token_t open = ps->tok;
    if (++ps->depth > QS_MAX_DEPTH) {
        misuse(ps, open.at, "too deeply nested");
        return NULL;
    }
    qs_node_t *n = NULL;
    if (next(ps) || !(n = parse_seq(ps, 1))) return NULL;
    if (ps->tok.kind != T_RPAREN) {
        structure(ps, open.at, "unclosed '('");
        return NULL;
    }
    ps->depth--;
    if (field != QS_F_BODY) { /* title:(a b) applies the field to every word inside */
        for (size_t i = 0; i < ps->t->nall; i++) {
            qs_node_t *x = ps->t->all[i];
            if (x->at > field_at && x->at < ps->tok.at &&
                (x->kind == QS_N_WORD || x->kind == QS_N_PHRASE))
                x->field = field;
        }
    }
    return next(ps) ? NULL : n;
}

static qs_node_t *parse_primary(parser_t *ps)
{
    qs_field_t field = QS_F_BODY;
    const size_t field_at = ps->tok.at;
    if (ps->tok.kind == T_FIELD) {
        field = ps->tok.field;
        if (next(ps)) return NULL;
    }
    const token_t t = ps->tok;
    switch (t.kind) {
    case T_WORD:
    case T_PHRASE: {
        qs_node_t *n = new_node(ps, t.kind == T_WORD ? QS_N_WORD : QS_N_PHRASE, t.at);
        if (!n) return NULL;
        n->start = t.start;
        n->len = t.len;
        n->field = field;
        n->prefix = t.prefix;
        return next(ps) ? NULL : n;
    }
    case T_LPAREN:
        return parse_group(ps, field, field_at);
    case T_EOF:
        structure(ps, t.at, "the query ends where a word was expected");
        return NULL;
    case T_MINUS:
    case T_PLUS:
        structure(ps, t.at, "'-' and '+' go before a top-level word (try: a -b)");
        return NULL;
    case T_NEAR:
        misuse(ps, t.at, "'NEAR' needs a word or phrase before it");
        return NULL;
    case T_RPAREN:
        structure(ps, t.at, "unmatched ')'");
        return NULL;
    case T_NOT:
        structure(ps, t.at, "'NOT' needs a word after it");
        return NULL;
    default:
        structure(ps, t.at,
                  t.kind == T_AND ? "'AND' needs a word before it" : "'OR' needs a word before it");
        return NULL;
    }
}

/* A word, prefix or phrase of the passage text: what NEAR joins. */
static int near_operand(parser_t *ps, const qs_node_t *n)
{
    if ((n->kind == QS_N_WORD || n->kind == QS_N_PHRASE) && n->field == QS_F_BODY) return 0;
    return misuse(ps, n->at, "NEAR joins words and phrases of the text (not fields or groups)");
}

static qs_node_t *parse_near(parser_t *ps)
{
    qs_node_t *a = parse_primary(ps);
    if (!a || ps->tok.kind != T_NEAR) return a;
    qs_node_t *n = new_node(ps, QS_N_NEAR, a->at);
    if (!n || near_operand(ps, a) || push(ps, n, a)) return NULL;
    n->near = ps->tok.near;
    while (ps->tok.kind == T_NEAR) {
        const token_t op = ps->tok;
        if (op.near != n->near) {
            misuse(ps, op.at, "one NEAR chain takes one distance (NEAR/n)");
            return NULL;
        }
        if (next(ps)) return NULL;
        if (ps->tok.kind != T_WORD && ps->tok.kind != T_PHRASE) {
            misuse(ps, op.at, "'NEAR' needs a word or phrase after it");
            return NULL;
        }
        qs_node_t *b = parse_primary(ps);
        if (!b || near_operand(ps, b) || push(ps, n, b)) return NULL;
    }
    return n;
}

static qs_node_t *parse_and(parser_t *ps)
{
    qs_node_t *a = parse_near(ps);
    if (!a || (ps->tok.kind != T_AND && ps->tok.kind != T_NOT)) return a;
    qs_node_t *n = new_node(ps, QS_N_AND, a->at), *excl = new_node(ps, QS_N_OR, a->at);
    if (!n || !excl || push(ps, n, a)) return NULL;
    while (ps->tok.kind == T_AND || ps->tok.kind == T_NOT) {
        int negate = ps->tok.kind == T_NOT;
        const size_t at = ps->tok.at;
        if (next(ps)) return NULL;
        if (!negate && ps->tok.kind == T_NOT) {
            negate = 1;
            if (next(ps)) return NULL;
        }
        if (ps->tok.kind == T_EOF || ps->tok.kind == T_RPAREN) {
            structure(ps, at,
                      negate ? "'NOT' needs a word after it" : "'AND' needs a word after it");
            return NULL;
        }
        qs_node_t *b = parse_near(ps);
        if (!b || push(ps, negate ? excl : n, b)) return NULL;
    }
    for (size_t i = 0; i < excl->nitems; i++)
        if (push(ps, n, excl->items[i])) return NULL;
    n->nexcl = excl->nitems;
    return n;
}

static qs_node_t *parse_or(parser_t *ps)
{
    qs_node_t *a = parse_and(ps);
    if (!a || ps->tok.kind != T_OR) return a;
    qs_node_t *n = new_node(ps, QS_N_OR, a->at);
    if (!n || push(ps, n, a)) return NULL;
    while (ps->tok.kind == T_OR) {
        const size_t at = ps->tok.at;
        if (next(ps)) return NULL;
        if (ps->tok.kind == T_EOF || ps->tok.kind == T_RPAREN) {
            structure(ps, at, "'OR' needs a word after it");
            return NULL;
        }
        qs_node_t *b = parse_and(ps);
        if (!b || push(ps, n, b)) return NULL;
    }
    return n;
}

static qs_node_t *parse_seq(parser_t *ps, int nested)
{
    qs_node_t *seq = new_node(ps, QS_N_SEQ, ps->tok.at);
    if (!seq) return NULL;
    while (ps->tok.kind != T_EOF && !(nested && ps->tok.kind == T_RPAREN)) {
        int sign = 0;
        if (ps->tok.kind == T_MINUS || ps->tok.kind == T_NOT)
            sign = -1;
        else if (ps->tok.kind == T_PLUS)
            sign = 1;
        if (sign) {
            const size_t at = ps->tok.at;
            if (next(ps)) return NULL;
            if (ps->tok.kind == T_EOF || ps->tok.kind == T_RPAREN) {
                structure(ps, at, "'NOT' needs a word after it");
                return NULL;
            }
        }
        qs_node_t *item = parse_or(ps);
        if (!item || push(ps, seq, item)) return NULL;
        item->sign = sign;
    }
    if (!nested && ps->tok.kind == T_RPAREN) {
        structure(ps, ps->tok.at, "unmatched ')'");
        return NULL;
    }
    return seq;
}

static int is_plain(const qs_node_t *root)
{
    for (size_t i = 0; i < root->nitems; i++) {
        const qs_node_t *it = root->items[i];
        if ((it->kind != QS_N_WORD && it->kind != QS_N_PHRASE) || it->field != QS_F_BODY ||
            it->sign != 0)
            return 0;
    }
    return 1;
}

int qs_tree_parse(const char *text, size_t len, int mode, qs_tree_t *t, qs_perr_t *kind,
                  ql_err_t *e)
{
    memset(t, 0, sizeof *t);
    t->text = text;
    t->len = len;
    e->msg[0] = '\0';
    parser_t ps = {.t = t, .s = text, .len = len, .mode = mode, .e = e};
    int rc = -1;
    if (next(&ps)) goto done;
    if (ps.tok.kind == T_EOF) {
        misuse(&ps, 0, "it is empty");
        goto done;
    }
    t->root = parse_seq(&ps, 0);
    if (!t->root) goto done;
    t->plain = is_plain(t->root);
    rc = 0;
done:
    if (kind) *kind = rc ? ps.kind : QS_PERR_NONE;
    return rc;
}

void qs_tree_free(qs_tree_t *t)
{
    for (size_t i = 0; i < t->nall; i++) {
        free(t->all[i]->items);
        free(t->all[i]);
    }
    free(t->all);
    memset(t, 0, sizeof *t);
}
