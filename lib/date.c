/*
 * date.c - reading calendar dates from metadata, prose and queries
 * (date.h). A small scanner over words and numbers: month names (English
 * full, three-letter and "Sept"; Russian, French, German and Spanish in
 * full, as the day's month is written: "5 мая", "1er mai", "5. Mai", "5 de
 * mayo de"), ordinals ("May 5th"), day, year; ISO dates; day-first numeric
 * dates ("05.05.2023", "05/06/2023": a first number over 12 is always the
 * day, a second over 12 makes it month-first, and an ambiguous one is read
 * day first, as most of the world writes it, unless the caller says month
 * first: --date-order mdy); Unix timestamps in seconds or
 * milliseconds. Every date is checked against the calendar, so "February
 * 30, 2023" is no date.
 */
#include "date.h"

#include <stdio.h>
#include <string.h>

static const char *const months[12] = {"january",   "february", "march",    "april",
                                       "may",       "june",     "july",     "august",
                                       "september", "october",  "november", "december"};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A letter, or a byte of a UTF-8 character (accented and Cyrillic letters;
 * month names are matched whole, so other characters never match one). */
static int is_letter(char c)
{
    return is_alpha(c) || (unsigned char)c >= 0x80;
}

static int lower(char c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int days_in(unsigned y, unsigned m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

static int make(unsigned y, unsigned m, unsigned d, uint32_t *ymd)
{
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || (int)d > days_in(y, m)) return -1;
    *ymd = y * 10000 + m * 100 + d;
    return 0;
}

/* Month names of other languages, lower case, as a date writes them (the
 * Russian genitive: "5 мая"), with ASCII spellings of accented ones. */
static const struct {
    const char *name;
    unsigned month;
} foreign[] = {
    {"\xd1\x8f\xd0\xbd\xd0\xb2\xd0\xb0\xd1\x80\xd1\x8f", 1},                 /* января */
    {"\xd1\x84\xd0\xb5\xd0\xb2\xd1\x80\xd0\xb0\xd0\xbb\xd1\x8f", 2},         /* февраля */
    {"\xd0\xbc\xd0\xb0\xd1\x80\xd1\x82\xd0\xb0", 3},                         /* марта */
    {"\xd0\xb0\xd0\xbf\xd1\x80\xd0\xb5\xd0\xbb\xd1\x8f", 4},                 /* апреля */
    {"\xd0\xbc\xd0\xb0\xd1\x8f", 5},                                         /* мая */
    {"\xd0\xb8\xd1\x8e\xd0\xbd\xd1\x8f", 6},                                 /* июня */
    {"\xd0\xb8\xd1\x8e\xd0\xbb\xd1\x8f", 7},                                 /* июля */
    {"\xd0\xb0\xd0\xb2\xd0\xb3\xd1\x83\xd1\x81\xd1\x82\xd0\xb0", 8},         /* августа */
    {"\xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 9}, /* сентября */
    {"\xd0\xbe\xd0\xba\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 10},        /* октября */
    {"\xd0\xbd\xd0\xbe\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 11},                /* ноября */
    {"\xd0\xb4\xd0\xb5\xd0\xba\xd0\xb0\xd0\xb1\xd1\x80\xd1\x8f", 12},        /* декабря */
    {"janvier", 1},
    {"f\xc3\xa9vrier", 2},
    {"fevrier", 2},
    {"mars", 3},
    {"avril", 4},
    {"mai", 5},
    {"juin", 6},
    {"juillet", 7},
    {"ao\xc3\xbbt", 8},
    {"aout", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"d\xc3\xa9\x63\x65mbre", 12},
    {"decembre", 12},
    {"januar", 1},
    {"j\xc3\xa4nner", 1},
    {"februar", 2},
    {"m\xc3\xa4rz", 3},
    {"maerz", 3},
    {"juni", 6},
    {"juli", 7},
    {"oktober", 10},
    {"dezember", 12},
    {"enero", 1},
    {"febrero", 2},
    {"marzo", 3},
    {"abril", 4},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"agosto", 8},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
};

/* s[0..n) lower-cased (ASCII, and Cyrillic А-Я) into out; 0 when too long. */
static size_t fold_word(const char *s, size_t n, char *out, size_t cap)
{
    if (n >= cap) return 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        out[i] = (char)lower((char)c);
        if (c == 0xd0 && d >= 0x90 && d <= 0x9f) { /* А-П -> а-п */
            out[i + 1] = (char)(d + 0x20);
            i++;
        } else if (c == 0xd0 && d >= 0xa0 && d <= 0xaf) { /* Р-Я -> р-я */
            out[i] = (char)0xd1;
            out[i + 1] = (char)(d - 0x20);
            i++;
        }
    }
    out[n] = '\0';
    return n;
}

/* A month name at s[0..n) (a whole word: English full, 3 letters or
 * "sept"; another language's in full), 1-12; 0 when it is not one. */
static unsigned month_of(const char *s, size_t n)
{
    if (n < 3) return 0;
    for (unsigned m = 0; m < 12; m++) {
        const size_t full = strlen(months[m]);
        if (n > full) continue;
        size_t k = 0;
        while (k < n && lower(s[k]) == months[m][k]) k++;
        if (k == n && (n == full || n == 3 || (m == 8 && n == 4))) return m + 1;
    }
    char w[32];
    if (!fold_word(s, n, w, sizeof w)) return 0;
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++)
        if (!strcmp(w, foreign[i].name)) return foreign[i].month;
    return 0;
}

typedef struct {
    const char *s;
    size_t n, i;
    ql_date_order_t order; /* of an ambiguous numeric date */
} scan_t;

/* Reads a run of digits (at most max) at sc->i; returns its length. */
static size_t number(scan_t *sc, size_t max, unsigned *v)
{
    size_t k = 0;
    *v = 0;
    while (sc->i + k < sc->n && is_digit(sc->s[sc->i + k]) && k < max + 1) {
        *v = *v * 10 + (unsigned)(sc->s[sc->i + k] - '0');
        k++;
    }
    if (k == 0 || k > max || (sc->i + k < sc->n && is_digit(sc->s[sc->i + k]))) return 0;
    sc->i += k;
    return k;
}

/* A month name at sc->i, with an optional abbreviation dot. */
static unsigned month_word(scan_t *sc)
{
    size_t k = 0;
    while (sc->i + k < sc->n && is_letter(sc->s[sc->i + k])) k++;
    const unsigned m = month_of(sc->s + sc->i, k);
    if (!m) return 0;
    sc->i += k;
    if (sc->i < sc->n && sc->s[sc->i] == '.') sc->i++;
    return m;
}

static void spaces(scan_t *sc)
{
    while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t')) sc->i++;
}

static int sep(scan_t *sc, char c)
{
    if (sc->i < sc->n && sc->s[sc->i] == c) {
        sc->i++;
        return 1;
    }
    return 0;
}

/* An ordinal's ending after a day ("5th", "1st", "1er"), skipped. */
static void ordinal(scan_t *sc)
{
    static const char *const ends[] = {"st", "nd", "rd", "th", "er"};
    for (size_t e = 0; e < 5; e++)
        if (sc->i + 2 <= sc->n && lower(sc->s[sc->i]) == ends[e][0] &&
            lower(sc->s[sc->i + 1]) == ends[e][1] &&
            (sc->i + 2 == sc->n || !is_letter(sc->s[sc->i + 2]))) {
            sc->i += 2;
            return;
        }
}

/* Spaces, and a Spanish "de" between day, month and year ("5 de mayo de"). */
static void joiner(scan_t *sc)
{
    spaces(sc);
    if (sc->i + 3 <= sc->n && lower(sc->s[sc->i]) == 'd' && lower(sc->s[sc->i + 1]) == 'e' &&
        sc->s[sc->i + 2] == ' ') {
        sc->i += 2;
        spaces(sc);
    }
}

/* DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY after the number a: day first unless
 * the second number cannot be a month (then it is month first, US style), or
 * the order says month first and the first can be a month. */
static int numeric(scan_t *sc, unsigned a, uint32_t *ymd)
{
    const char s = sc->s[sc->i];
    if (s != '.' && s != '/' && s != '-') return -1;
    sc->i++;
    unsigned b = 0, c = 0;
    if (!number(sc, 2, &b) || !sep(sc, s) || number(sc, 4, &c) != 4) return -1;
    if (a <= 12 && (b > 12 || sc->order == QL_DATE_MDY)) return make(c, a, b, ymd);
    return make(c, b, a, ymd);
}

/* One date at sc->i in any written form; on success sc->i is past it. */
static int date_at(scan_t *sc, uint32_t *ymd)
{
    const size_t start = sc->i;
    unsigned a = 0, b = 0, c = 0;
    size_t k = number(sc, 4, &a);
    if (k == 4 && sc->i < sc->n && (sc->s[sc->i] == '-' || sc->s[sc->i] == '/')) {
        const char dash = sc->s[sc->i++]; /* ISO: 2023-05-05 or 2023/05/05 */
        if (number(sc, 2, &b) && sep(sc, dash) && number(sc, 2, &c) && make(a, b, c, ymd) == 0)
            return 0;
    } else if (k >= 1 && k <= 2) { /* 14 February 2019, 5th May 2023, 5. Mai 2023, 05.05.2023 */
        const size_t after = sc->i;
        if (sc->i < sc->n && numeric(sc, a, ymd) == 0) return 0;
        sc->i = after;
        ordinal(sc);
        sep(sc, '.');
        joiner(sc);
        const unsigned m = month_word(sc);
        joiner(sc);
        sep(sc, ',');
        spaces(sc);
        if (m && number(sc, 4, &c) == 4 && make(c, m, a, ymd) == 0) return 0;
    } else if (k == 0) { /* May 5, 2023; Sept. 5 2023; May 5th, 2023 */
        const unsigned m = month_word(sc);
        spaces(sc);
        if (m && number(sc, 2, &b)) {
            ordinal(sc);
            sep(sc, ',');
            spaces(sc);
            if (number(sc, 4, &c) == 4 && make(c, m, b, ymd) == 0) return 0;
        }
    }
    sc->i = start;
    return -1;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static uint32_t civil(long long days)
{
    days += 719468;
    const long long era = (days >= 0 ? days : days - 146096) / 146097;
    const long long doe = days - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const long long d = doy - (153 * mp + 2) / 5 + 1;
    const long long m = mp < 10 ? mp + 3 : mp - 9;
    const long long y = yoe + era * 400 + (m <= 2);
    return (uint32_t)(y * 10000 + m * 100 + d);
}

int ql_date_parse(const char *s, size_t n, uint32_t *ymd)
{
    return ql_date_parse_in(s, n, QL_DATE_DMY, ymd);
}

int ql_date_parse_in(const char *s, size_t n, ql_date_order_t order, uint32_t *ymd)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    if (n == 0) return -1;
    size_t digits = 0;
    while (digits < n && is_digit(s[digits])) digits++;
    if (digits == n && ((n >= 9 && n <= 11) || n == 13)) { /* Unix time: seconds, or ms */
        long long t = 0;
        for (size_t i = 0; i < n; i++) t = t * 10 + (s[i] - '0');
        if (n == 13) t /= 1000;
        const uint32_t d = civil(t / 86400);
        return make(d / 10000, d / 100 % 100, d % 100, ymd);
    }
    scan_t sc = {s, n, 0, order};
    /* RFC 2822 opens with a weekday: "Fri, 05 May 2023 ..." */
    size_t w = 0;
    while (w < n && is_alpha(s[w])) w++;
    if (w >= 3 && w < n && s[w] == ',' && !month_of(s, w)) {
        sc.i = w + 1;
        spaces(&sc);
    }
    if (date_at(&sc, ymd) != 0) return -1;
    /* the rest may only be a time: T10:00:00+03:00, " 10:00:00 +0000", "Z" */
    if (sc.i == n) return 0;
    const char next = s[sc.i];
    if (next != 'T' && next != ' ' && next != 't') return -1;
    for (size_t i = sc.i + 1; i < n; i++) /* digits, separators, a zone (UTC, Z) */
        if (!is_digit(s[i]) && !strchr(":.+- ", s[i]) && !(s[i] >= 'A' && s[i] <= 'Z')) return -1;
    return 0;
}

int ql_date_find(const char *s, size_t n, uint32_t *ymd, size_t *start, size_t *end)
{
    return ql_date_find_in(s, n, QL_DATE_DMY, ymd, start, end);
}

int ql_date_find_in(const char *s, size_t n, ql_date_order_t order, uint32_t *ymd, size_t *start,
                    size_t *end)
{
    for (size_t i = 0; i < n; i++) {
        const char c = s[i];
        if (!is_digit(c) && !is_letter(c)) continue;
        if (i > 0 && (is_digit(s[i - 1]) || is_letter(s[i - 1]) || s[i - 1] == '.' ||
                      s[i - 1] == '/' || s[i - 1] == '-'))
            continue; /* not a word start (nor inside 1.05.05.2023, 12-05-05-2023) */
        scan_t sc = {s, n, i, order};
        if (date_at(&sc, ymd) == 0 &&
            (sc.i >= n || (!is_digit(s[sc.i]) && !is_letter(s[sc.i]) &&
                           !((s[sc.i] == '.' || s[sc.i] == '/' || s[sc.i] == '-') && sc.i + 1 < n &&
                             is_digit(s[sc.i + 1]))))) {
            if (start) *start = i;
            if (end) *end = sc.i;
            return 0;
        }
    }
    return -1;
}

int ql_date_span(const char *s, size_t n, uint32_t *lo, uint32_t *hi)
{
    while (n && *s == ' ') s++, n--;
    while (n && s[n - 1] == ' ') n--;
    unsigned y = 0, m = 0;
    scan_t sc = {s, n, 0, QL_DATE_DMY};
    if (number(&sc, 4, &y) == 4 && y >= 1000) {
        if (sc.i == n) { /* a year */
            *lo = y * 10000 + 101;
            *hi = y * 10000 + 1231;
            return 0;
        }
        if ((sep(&sc, '-') || sep(&sc, '/')) && number(&sc, 2, &m) && sc.i == n && m >= 1 &&
            m <= 12) { /* a month */
            *lo = y * 10000 + m * 100 + 1;
            *hi = y * 10000 + m * 100 + (unsigned)days_in(y, m);
            return 0;
        }
    }
    uint32_t d = 0;
    if (ql_date_parse(s, n, &d) != 0) return -1;
    *lo = *hi = d;
    return 0;
}

void ql_date_format(uint32_t ymd, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(ymd / 10000 % 10000),
             (unsigned)(ymd / 100 % 100), (unsigned)(ymd % 100));
}

void ql_date_key(uint32_t ymd, char out[9])
{
    snprintf(out, 9, "%08u", (unsigned)(ymd % 100000000));
}
