/* libFuzzer target: the calendar of util/tally_period.h against the C library's (timegm,
 * gmtime_r) and against itself.
 *
 * Input: bytes read as a period name, as a 'YYYY-MM-DD' date, and as a day number with a
 * period and a step. What it checks:
 *   tally_period_parse       a name parses iff it is one of the names, to that period
 *   tally_period_parse_date  a date parses iff it is a real day of 1970-9999 (timegm says
 *                            which day), and prints back as the same bytes
 *   tally_period_civil/days/date  agree with gmtime_r on the day, both ways
 *   tally_period_start/add/index  a start is a fixed point, a Monday, a month's, quarter's
 *                            or year's 1st, within the period's length of the day; stepping
 *                            k periods lands on a start and index() counts k back
 *   tally_period_is_start    exactly the starts from 1970-01-01 to 9999-12-31 */
#include "util/tally_period.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); abort(); } while (0)

static const int period_days_max[TALLY_PERIOD_COUNT] = {1, 1, 7, 31, 92, 366};

static void names(const char *s, size_t n)
{
    int p = tally_period_parse(s, n), want = -1;
    for (int q = 0; q < TALLY_PERIOD_COUNT; q++) {
        const char *name = tally_period_name((tally_period)q);
        if (strlen(name) == n && memcmp(name, s, n) == 0) want = q;
    }
    if (p != want) FAIL("tally_period_parse('%.*s') = %d, the names say %d", (int)n, s, p, want);
}

static void dates(const char *s, size_t n)
{
    int32_t d = tally_period_parse_date(s, n);
    int real = 0;
    long long want = -1;
    if (n == TALLY_PERIOD_DATE_LEN && s[4] == '-' && s[7] == '-') {
        int y = 0, m, dd, digits = 1;
        for (int i = 0; i < 10; i++) if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) digits = 0;
        if (digits) {
            struct tm tm, back;
            time_t t;
            for (int i = 0; i < 4; i++) y = y * 10 + (s[i] - '0');
            m = (s[5] - '0') * 10 + (s[6] - '0');
            dd = (s[8] - '0') * 10 + (s[9] - '0');
            memset(&tm, 0, sizeof(tm));
            tm.tm_year = y - 1900;
            tm.tm_mon = m - 1;
            tm.tm_mday = dd;
            tm.tm_hour = 12;
            t = timegm(&tm);
            /* timegm normalises 02-30 to 03-02: a real day is one that stays itself */
            if (y >= 1970 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31 && gmtime_r(&t, &back)
                && back.tm_year == y - 1900 && back.tm_mon == m - 1 && back.tm_mday == dd) {
                real = 1;
                want = (long long)(t / 86400);
            }
        }
    }
    if (real ? d != want : d >= 0) FAIL("tally_period_parse_date('%.*s') = %d, the C library says %lld", (int)n, s, d, want);
    if (d >= 0) {
        char out[TALLY_PERIOD_DATE_LEN + 1];
        if (tally_period_date(d, out) != TALLY_PERIOD_DATE_LEN || memcmp(out, s, TALLY_PERIOD_DATE_LEN) != 0) {
            FAIL("day %d prints as %s, parsed from %.10s", d, out, s);
        }
    }
}

static void calendar(int32_t day, tally_period p, int32_t k)
{
    int32_t y, m, d, s, e, back;
    struct tm tm;
    time_t t = (time_t)day * 86400;
    tally_period_civil(day, &y, &m, &d);
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 != y || tm.tm_mon + 1 != m || tm.tm_mday != d) {
        FAIL("day %d is %d-%d-%d, gmtime says %d-%d-%d", day, y, m, d, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    }
    if (tally_period_days(y, m, d) != day || tally_period_civil_days(y, m, d) != day) FAIL("day %d does not come back", day);
    s = tally_period_start(p, day);
    if (tally_period_start(p, s) != s || s > day || day - s >= period_days_max[p]) FAIL("start of period %d of day %d: %d", p, day, s);
    tally_period_civil(s, &y, &m, &d);
    if ((p == TALLY_PERIOD_WEEK && ((int64_t)s + 3) % 7 != 0 && ((int64_t)s + 3) % 7 != -7)
        || (p >= TALLY_PERIOD_MONTH && d != 1) || (p == TALLY_PERIOD_QUARTER && (m - 1) % 3 != 0)
        || (p == TALLY_PERIOD_YEAR && m != 1)) {
        FAIL("period %d of day %d starts on %d-%d-%d", p, day, y, m, d);
    }
    if (tally_period_is_start(p, s) != (s >= 0)) FAIL("is_start(%d, %d)", p, s);
    if (p == TALLY_PERIOD_NONE) return;
    e = tally_period_add(p, s, k);
    if (e < 0 || e > TALLY_PERIOD_DAY_MAX) return;
    if (tally_period_start(p, e) != e) FAIL("%d periods %d on from %d land on %d, no start", k, p, s, e);
    if (s >= 0 && (back = tally_period_index(p, s, e)) != k) FAIL("index of %d periods %d on is %d", k, p, back);
    if (k > 0 && tally_period_add(p, s, 1) <= s) FAIL("the next period %d of %d does not come after it", p, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    uint32_t v = 0;
    names(s, size);
    dates(s, size);
    if (size >= 10) dates(s + size - 10, 10);
    for (size_t i = 0; i < size && i < 4; i++) v = v << 8 | data[i];
    calendar((int32_t)(v % (TALLY_PERIOD_DAY_MAX + 1)), (tally_period)(size > 4 ? data[4] % TALLY_PERIOD_COUNT : 0),
             size > 5 ? (int32_t)(int8_t)data[5] * (size > 6 ? data[6] % 8 + 1 : 1) : 1);
    return 0;
}
