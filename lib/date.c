/*
 * date.c - reading calendar dates from metadata, prose and queries
 * (date.h). A small scanner over words and numbers: month names (full,
 * three-letter and "Sept"), day, year; ISO dates; Unix timestamps. Every
 * date is checked against the calendar, so "February 30, 2023" is no date.
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

/* A month name at s[0..n) (a whole word: full, 3 letters, or "sept"), 1-12;
 * 0 when it is not one. */
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
    return 0;
}

typedef struct {
    const char *s;
    size_t n, i;
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
    while (sc->i + k < sc->n && is_alpha(sc->s[sc->i + k])) k++;
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
    } else if (k >= 1 && k <= 2) { /* 14 February 2019, 5 May 2023 */
        spaces(sc);
        const unsigned m = month_word(sc);
        spaces(sc);
        if (m && number(sc, 4, &c) == 4 && make(c, m, a, ymd) == 0) return 0;
    } else if (k == 0) { /* May 5, 2023; Sept. 5 2023 */
        const unsigned m = month_word(sc);
        spaces(sc);
        if (m && number(sc, 2, &b)) {
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
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    if (n == 0) return -1;
    size_t digits = 0;
    while (digits < n && is_digit(s[digits])) digits++;
    if (digits == n && n >= 9 && n <= 11) { /* a Unix timestamp */
        long long t = 0;
        for (size_t i = 0; i < n; i++) t = t * 10 + (s[i] - '0');
        const uint32_t d = civil(t / 86400);
        return make(d / 10000, d / 100 % 100, d % 100, ymd);
    }
    scan_t sc = {s, n, 0};
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
    for (size_t i = 0; i < n; i++) {
        const char c = s[i];
        if (!is_digit(c) && !is_alpha(c)) continue;
        if (i > 0 && (is_digit(s[i - 1]) || is_alpha(s[i - 1]))) continue; /* not a word start */
        scan_t sc = {s, n, i};
        if (date_at(&sc, ymd) == 0 && (sc.i >= n || (!is_digit(s[sc.i]) && !is_alpha(s[sc.i])))) {
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
    scan_t sc = {s, n, 0};
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
