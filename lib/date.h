/*
 * date.h - calendar dates as Quire stores and filters them: a day, held as
 * the number yyyymmdd (20230505), which sorts as the date does and is stored
 * in value slot QL_SLOT_DATE as 8 ASCII digits. One parser serves the
 * indexer (dates in metadata and at the top of articles) and the searcher
 * (--since, --until, date:), so both read a date the same way.
 */
#ifndef QUIRE_DATE_H
#define QUIRE_DATE_H

#include <stddef.h>
#include <stdint.h>

/* A date given as metadata: ISO 8601 with or without a time ("2023-05-05",
 * "2023-05-05T10:00:00+03:00"), "2023/05/05", RFC 2822 ("Fri, 05 May 2023
 * 10:00:00 +0000"), prose ("May 5, 2023", "5 May 2023", "Sept. 5, 2023",
 * "May 5th, 2023", "5 мая 2023", "1er mai 2023", "5. Mai 2023", "5 de mayo
 * de 2023"), day-first numbers ("05.05.2023", "05/06/2023" is 5 June; a
 * second number over 12 makes it month-first), or a Unix timestamp (9 to
 * 11 digits, or 13 in milliseconds, UTC). Surrounding spaces are ignored.
 * Sets *ymd; returns 0, or -1 when s[0..n) is not one whole date. */
int ql_date_parse(const char *s, size_t n, uint32_t *ymd);

/* How an ambiguous numeric date (both numbers 12 or under) is read:
 * "05/06/2023" is 5 June (QL_DATE_DMY, the default: most of the world) or
 * May 6 (QL_DATE_MDY: the US). A first number over 12 is always the day, a
 * second over 12 always the day, whatever the order. */
typedef enum ql_date_order { QL_DATE_DMY = 0, QL_DATE_MDY } ql_date_order_t;

/* ql_date_parse() and ql_date_find() reading ambiguous numeric dates in
 * order. */
int ql_date_parse_in(const char *s, size_t n, ql_date_order_t order, uint32_t *ymd);
int ql_date_find_in(const char *s, size_t n, ql_date_order_t order, uint32_t *ymd, size_t *start,
                    size_t *end);

/* The first date written in s[0..n) as prose or ISO ("(May 5, 2023)",
 * "July 16, 2024", "14 February 2019", "2023-05-05"), found at word
 * boundaries. Sets *ymd and [*start, *end) (may be NULL); returns 0, or -1
 * when there is none. */
int ql_date_find(const char *s, size_t n, uint32_t *ymd, size_t *start, size_t *end);

/* What a user types for a date filter: "2021" (the year), "2021-05" (the
 * month), "2021-05-05" or any ql_date_parse() form (the day). Sets the
 * inclusive range [*lo, *hi]; returns 0, or -1 when it is not a date. */
int ql_date_span(const char *s, size_t n, uint32_t *lo, uint32_t *hi);

/* ymd as "YYYY-MM-DD" into out (11 bytes, NUL-terminated). */
void ql_date_format(uint32_t ymd, char out[11]);

/* ymd as the 8 digits stored in the date slot, into out (9 bytes). */
void ql_date_key(uint32_t ymd, char out[9]);

#endif
