/* Plain-C tests of the period calendar (util/tally_period.h) and the field codec of period
 * counters (tally_key.h): every day from 1970 to 2100 round-trips through its date, its
 * periods' first days are those the calendar says (ISO weeks from Monday, across year ends),
 * stepping periods back and forth lands on first days, and every field round-trips while
 * no lifetime key can be read as a period counter.
 * Prints "not ok" lines and a closing "N passed, N failed". */
#include "tally_key.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("not ok: "); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

static int32_t day(const char *s)
{
    return tally_period_parse_date(s, strlen(s));
}

static const char *date(int32_t d)
{
    static char out[TALLY_PERIOD_DATE_LEN + 1];
    tally_period_date(d, out);
    return out;
}

static void calendar(void)
{
    int bad = 0;
    /* gmtime() is the reference for weekdays and month days. */
    for (int32_t d = 0; d <= day("2100-12-31"); d++) {
        time_t t = (time_t)d * 86400;
        struct tm tm;
        char s[40];
        int32_t monday;
        gmtime_r(&t, &tm);
        snprintf(s, sizeof(s), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        monday = d - (tm.tm_wday + 6) % 7;
        if (day(s) != d || strcmp(date(d), s) != 0
            || tally_period_start(TALLY_PERIOD_WEEK, d) != monday
            || tally_period_start(TALLY_PERIOD_MONTH, d) != d - (tm.tm_mday - 1)
            || tally_period_start(TALLY_PERIOD_YEAR, d) != d - tm.tm_yday
            || tally_period_start(TALLY_PERIOD_DAY, d) != d) {
            if (bad++ < 5) printf("day %d (%s) is off\n", (int)d, s);
        }
    }
    CHECK(bad == 0, "%d days out of step with gmtime()", bad);
    CHECK(strcmp(date(tally_period_start(TALLY_PERIOD_QUARTER, day("2026-12-17"))), "2026-10-01") == 0, "quarter Q4");
    CHECK(strcmp(date(tally_period_start(TALLY_PERIOD_QUARTER, day("2026-03-31"))), "2026-01-01") == 0, "quarter Q1");
    CHECK(strcmp(date(tally_period_start(TALLY_PERIOD_WEEK, day("2027-01-01"))), "2026-12-28") == 0, "ISO week over a year end");
    CHECK(strcmp(date(tally_period_add(TALLY_PERIOD_MONTH, day("2026-01-01"), -1)), "2025-12-01") == 0, "a month back over a year");
    CHECK(strcmp(date(tally_period_add(TALLY_PERIOD_QUARTER, day("2026-10-01"), 2)), "2027-04-01") == 0, "two quarters on");
    CHECK(strcmp(date(tally_period_add(TALLY_PERIOD_YEAR, day("2024-01-01"), -54)), "1970-01-01") == 0, "years back");
    CHECK(strcmp(date(tally_period_add(TALLY_PERIOD_WEEK, day("2026-11-30"), -1)), "2026-11-23") == 0, "a week back");
    CHECK(day("2100-02-29") < 0 && day("2000-02-29") > 0 && day("2026-04-31") < 0 && day("2026-12-31") > 0
          && day("9999-12-31") == TALLY_PERIOD_DAY_MAX && day("2026-00-10") < 0 && day("2026-01-00") < 0
          && day("2000-02-29") + 1 == day("2000-03-01") && day("1970-01-01") == 0, "month lengths and leap years");
    CHECK(day("2026-02-29") < 0 && day("2024-02-29") > 0 && day("1969-12-31") < 0 && day("2026-13-01") < 0
          && day("2026-1-01") < 0 && day("2026/01/01") < 0 && day("10000-01-01") < 0 && day("9999-12-31") == TALLY_PERIOD_DAY_MAX,
          "bad dates are refused");
    CHECK(tally_period_start(TALLY_PERIOD_WEEK, 0) == -3 && !tally_period_is_start(TALLY_PERIOD_WEEK, -3)
          && tally_period_is_start(TALLY_PERIOD_WEEK, 4) && tally_period_is_start(TALLY_PERIOD_YEAR, 0)
          && !tally_period_is_start(TALLY_PERIOD_MONTH, 1) && tally_period_is_start(TALLY_PERIOD_DAY, TALLY_PERIOD_DAY_MAX)
          && !tally_period_is_start(TALLY_PERIOD_DAY, TALLY_PERIOD_DAY_MAX + 1),
          "a stored period starts from 1970-01-01 to 9999-12-31: the week of 1970-01-01 (from 1969-12-29) is none");
    for (int p = 0; p < TALLY_PERIOD_COUNT; p++) {
        int32_t s = tally_period_start((tally_period)p, day("2026-12-02"));
        CHECK(tally_period_parse(tally_period_name((tally_period)p), strlen(tally_period_name((tally_period)p))) == p,
              "name of period %d", p);
        CHECK(tally_period_start((tally_period)p, tally_period_add((tally_period)p, s, -7)) == tally_period_add((tally_period)p, s, -7),
              "stepping lands on first days (%d)", p);
        for (int32_t k = -30; p && k <= 30; k += 7) {
            int32_t first = tally_period_add((tally_period)p, s, -40);
            CHECK(tally_period_index((tally_period)p, first, tally_period_add((tally_period)p, s, k)) == 40 + k,
                  "index of %d periods on (%d)", (int)k, p);
        }
    }
    CHECK(tally_period_parse("fortnight", 9) == -1, "unknown period");
    /* Names are told apart by length first: near misses of each length are still refused. */
    CHECK(tally_period_parse("dax", 3) == -1 && tally_period_parse("weak", 4) == -1 && tally_period_parse("yeah", 4) == -1
          && tally_period_parse("wear", 4) == -1 && tally_period_parse("Month", 5) == -1 && tally_period_parse("quartor", 7) == -1
          && tally_period_parse("days", 4) == -1 && tally_period_parse("d", 1) == -1 && tally_period_parse("month", 4) == -1,
          "near misses of period names");
    CHECK(strcmp(date(TALLY_PERIOD_DAY_MAX), "9999-12-31") == 0 && strcmp(date(day("2000-02-29")), "2000-02-29") == 0
          && strcmp(date(0), "1970-01-01") == 0, "dates at the ends of the range");
}

static void fields(void)
{
    const char *keys[] = {"views", "", "a:b", "\0", "\0d20261202x", "\0\0y", "\0q"};
    const size_t lens[] = {5, 0, 3, 1, 11, 3, 2};
    for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
        for (int p = 0; p < TALLY_PERIOD_COUNT; p++) {
            char f[64];
            int32_t start = p ? tally_period_start((tally_period)p, day("2026-12-02")) : 0, s2;
            size_t n = tally_field_write((tally_period)p, start, keys[k], lens[k], f), kl;
            tally_period p2;
            const char *key;
            CHECK(n == tally_field_len((tally_period)p, keys[k], lens[k]), "length of field %zu/%d", k, p);
            if (k == 1) continue;      /* an empty key is never a user key (the empty field is the claim's seq) */
            tally_field_decode(f, n, &p2, &s2, &key, &kl);
            CHECK((int)p2 == p && s2 == start && kl == lens[k] && memcmp(key, keys[k], kl) == 0, "field %zu/%d round-trips", k, p);
        }
    }
    {
        /* What no release writes reads as the lifetime key it spells. */
        const char *odd[] = {"\0d2026120", "\0m20261203x", "\0x", "\0", "\0w20261202x"};  /* short, not a start, no letter */
        const size_t olens[] = {9, 11, 2, 1, 11};
        for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++) {
            tally_period p;
            int32_t s;
            const char *key;
            size_t kl;
            tally_field_decode(odd[i], olens[i], &p, &s, &key, &kl);
            CHECK(p == TALLY_PERIOD_NONE && key == odd[i] && kl == olens[i], "odd field %zu is a lifetime key", i);
        }
    }
}

int main(void)
{
    calendar();
    fields();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
