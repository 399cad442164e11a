/* The period a counter row belongs to: lifetime or one of the intervals, with the name the
 * SQL `period` column stores (the values of Tally\Laravel\Enums\Interval), and the period's
 * first day as days since 1970-01-01 (the `period_start` DATE column; 0 for lifetime).
 * Plain values only: which day a period starts on (time zones, ISO weeks) is not decided here.
 *
 *   tally_period_name()   the SQL name: "" for TALLY_PERIOD_NONE, "day", ..., "year"
 *   tally_period_parse()  the period of a name, or -1
 *   tally_period_date()   days since 1970-01-01 as "YYYY-MM-DD" (proleptic Gregorian)
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
    for (int p = 0; p < TALLY_PERIOD_COUNT; p++) {
        const char *n = tally_period_name((tally_period)p);
        if (strlen(n) == len && memcmp(n, name, len) == 0) return p;
    }
    return -1;
}

/* Writes "YYYY-MM-DD" and a NUL into out (TALLY_PERIOD_DATE_LEN + 1 bytes) for years 0-9999;
 * returns the length, or -1 outside them. Howard Hinnant's civil_from_days. */
static inline int tally_period_date(int32_t days, char out[TALLY_PERIOD_DATE_LEN + 1])
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    const int digits[8] = {(int)(y / 1000), (int)(y / 100 % 10), (int)(y / 10 % 10), (int)(y % 10),
                           (int)(m / 10), (int)(m % 10), (int)(d / 10), (int)(d % 10)};
    if (y < 0 || y > 9999) return -1;
    for (int i = 0, j = 0; i < TALLY_PERIOD_DATE_LEN; i++) out[i] = (i == 4 || i == 7) ? '-' : (char)('0' + digits[j++]);
    out[TALLY_PERIOD_DATE_LEN] = '\0';
    return TALLY_PERIOD_DATE_LEN;
}

#endif
