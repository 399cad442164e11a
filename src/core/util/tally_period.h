/* The period a counter row belongs to: lifetime or one of the intervals, with the name the
 * SQL `period` column stores (the values of Tally\Laravel\Enums\Interval), and the period's
 * first day as days since 1970-01-01 (the `period_start` DATE column; 0 for lifetime).
 * Plain values only: which day a period starts on (time zones, ISO weeks) is not decided here.
 *
 *   tally_period_name()   the SQL name: "" for TALLY_PERIOD_NONE, "day", ..., "year"
 *   tally_period_parse()  the period of a name, or -1
 *   tally_period_civil()  days since 1970-01-01 as a civil year, month, day (proleptic Gregorian)
 *   tally_period_date()   the same as "YYYY-MM-DD"
 *   tally_period_days()   the inverse of tally_period_date() for a civil date (y, m, d)
 *   tally_period_civil_days()  a real day y-m-d (years 1970-9999) as days, or -1
 *   tally_period_parse_date()  "YYYY-MM-DD" (years 1970-9999, a real day) as days, or -1
 *   tally_period_start()  the first day of the period containing a day: the day itself,
 *                         its ISO week's Monday, the 1st of its month, of its quarter's
 *                         first month, January 1st; the day for NONE
 *   tally_period_is_start()  whether a day is the first day of a period Tally can store:
 *                         from 1970-01-01 to 9999-12-31 (the week of 1970-01-01 to 01-04
 *                         starts on 1969-12-29, so it is none)
 *   tally_period_add()    the start of the period k periods after (k < 0: before) a start
 *   tally_period_index()  how many periods a start lies after another (the inverse of add)
 *
 * Which day "now" is (the clock, the time zone) is the caller's: these only count days.
 */
#ifndef TALLY_PERIOD_H
#define TALLY_PERIOD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* NONE is 0: a row initialised without a period is a lifetime counter. */
typedef enum {
    TALLY_PERIOD_NONE = 0,
    TALLY_PERIOD_DAY,
    TALLY_PERIOD_WEEK,
    TALLY_PERIOD_MONTH,
    TALLY_PERIOD_QUARTER,
    TALLY_PERIOD_YEAR
} tally_period;

#define TALLY_PERIOD_COUNT 6
#define TALLY_PERIOD_NAME_MAX 7      /* the `period` column's width: VARCHAR(7) */
#define TALLY_PERIOD_DATE_LEN 10     /* "YYYY-MM-DD" */

static inline const char *tally_period_name(tally_period p)
{
    static const char *const names[TALLY_PERIOD_COUNT] = {"", "day", "week", "month", "quarter", "year"};
    return (unsigned)p < TALLY_PERIOD_COUNT ? names[p] : NULL;
}

static inline int tally_period_parse(const char *name, size_t len)
{
    int p;
    switch (len) {   /* by length first: an increment parses its periods on every call */
    case 0: return TALLY_PERIOD_NONE;
    case 3: p = TALLY_PERIOD_DAY; break;
    case 4: p = name[0] == 'w' ? TALLY_PERIOD_WEEK : TALLY_PERIOD_YEAR; break;
    case 5: p = TALLY_PERIOD_MONTH; break;
    case 7: p = TALLY_PERIOD_QUARTER; break;
    default: return -1;
    }
    return memcmp(tally_period_name((tally_period)p), name, len) == 0 ? p : -1;
}

/* The civil year, month and day of a day number: Howard Hinnant's civil_from_days. */
static inline void tally_period_civil(int32_t days, int32_t *y, int32_t *m, int32_t *d)
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int32_t)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int32_t)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int32_t)(yoe + era * 400 + (*m <= 2));
}

/* Writes "YYYY-MM-DD" and a NUL into out (TALLY_PERIOD_DATE_LEN + 1 bytes) for years 0-9999;
 * returns the length, or -1 outside them. */
static inline int tally_period_date(int32_t days, char out[TALLY_PERIOD_DATE_LEN + 1])
{
    int32_t y, m, d;
    tally_period_civil(days, &y, &m, &d);
    if (y < 0 || y > 9999) return -1;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[TALLY_PERIOD_DATE_LEN] = '\0';
    return TALLY_PERIOD_DATE_LEN;
}

/* Days since 1970-01-01 of the civil date y-m-d (m 1-12, d 1-31). Hinnant's days_from_civil. */
static inline int32_t tally_period_days(int32_t y, int32_t m, int32_t d)
{
    int32_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

#define TALLY_PERIOD_DAY_MAX 2932896   /* 9999-12-31 */

/* Days since 1970-01-01 of a real day y-m-d of the years 1970-9999 (not 2026-02-30: the
 * month's length, February 29th in leap years), or -1. */
static inline int32_t tally_period_civil_days(int32_t y, int32_t m, int32_t d)
{
    static const int8_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return -1;
    if (d > month_days[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return -1;
    return tally_period_days(y, m, d);
}

static inline int32_t tally_period_parse_date(const char *s, size_t len)
{
    int32_t y = 0;
    if (len != TALLY_PERIOD_DATE_LEN || s[4] != '-' || s[7] != '-') return -1;
    for (size_t i = 0; i < len; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    }
    for (int i = 0; i < 4; i++) y = y * 10 + (s[i] - '0');
    return tally_period_civil_days(y, (s[5] - '0') * 10 + (s[6] - '0'), (s[8] - '0') * 10 + (s[9] - '0'));
}

static inline int32_t tally_period_start(tally_period p, int32_t day)
{
    int32_t y, m, d;
    if (p == TALLY_PERIOD_DAY || p == TALLY_PERIOD_NONE) return day;
    if (p == TALLY_PERIOD_WEEK) return day - (int32_t)(((int64_t)day + 3) % 7);  /* 1970-01-01 was a Thursday */
    tally_period_civil(day, &y, &m, &d);
    if (p == TALLY_PERIOD_MONTH) return tally_period_days(y, m, 1);
    if (p == TALLY_PERIOD_QUARTER) return tally_period_days(y, (m - 1) / 3 * 3 + 1, 1);
    return tally_period_days(y, 1, 1);
}

static inline int tally_period_is_start(tally_period p, int32_t start)
{
    return start >= 0 && start <= TALLY_PERIOD_DAY_MAX && tally_period_start(p, start) == start;
}

static inline int32_t tally_period_add(tally_period p, int32_t start, int32_t k)
{
    int32_t y, m, d, months;
    if (p == TALLY_PERIOD_DAY) return start + k;
    if (p == TALLY_PERIOD_WEEK) return start + 7 * k;
    if (p == TALLY_PERIOD_NONE) return start;
    tally_period_civil(start, &y, &m, &d);
    months = y * 12 + (m - 1) + k * (p == TALLY_PERIOD_MONTH ? 1 : p == TALLY_PERIOD_QUARTER ? 3 : 12);
    return tally_period_days(months / 12, months % 12 + 1, 1);
}

static inline int32_t tally_period_index(tally_period p, int32_t first, int32_t start)
{
    int32_t y0, m0, d0, y1, m1, d1, months;
    if (p == TALLY_PERIOD_DAY || p == TALLY_PERIOD_NONE) return start - first;
    if (p == TALLY_PERIOD_WEEK) return (start - first) / 7;
    tally_period_civil(first, &y0, &m0, &d0);
    tally_period_civil(start, &y1, &m1, &d1);
    months = (y1 - y0) * 12 + (m1 - m0);
    return months / (p == TALLY_PERIOD_MONTH ? 1 : p == TALLY_PERIOD_QUARTER ? 3 : 12);
}

#endif
