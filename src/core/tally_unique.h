/* Unique counts: how many distinct members (visitor ids, IP hashes, user ids) a key of an
 * owner saw in a period, estimated by one Redis HyperLogLog per (owner, key, period) (the
 * key's layout is in tally_key.h). Redis documents the estimate's standard error as 0.81%;
 * small sets come out exact or nearly so. Every function validates its input first and
 * sends nothing when it is bad.
 *
 * A HyperLogLog expires `grace` seconds after its period's end, counted from the day it is
 * written for: a write for day D of a period ending on day E sets its TTL to
 * (E - D) days + grace, so it lives at least until E + grace whatever the time of day (and
 * at most a day longer); the time zone and the clock stay the caller's. What survives the
 * HyperLogLog is the estimate the caller stores once the period has closed
 * (tally_unique_closed()).
 *
 *   tally_unique_add()     PFADD members to the key's HyperLogLog of each target period, and
 *                          EXPIRE each: one script, one round trip, one slot; how many changed
 *   tally_unique_count()   PFCOUNT of one period (0 when its HyperLogLog is gone)
 *   tally_unique_range()   PFCOUNT of the union of the live HyperLogLogs of the periods from
 *                          `from` to `to` (their first days), with the periods whose
 *                          HyperLogLog is gone: one script, one round trip
 *   tally_unique_closed()  SCAN the HyperLogLogs of owner types matching a pattern, and hand
 *                          out the estimate of each whose period ended by day `today`
 */
#ifndef TALLY_UNIQUE_H
#define TALLY_UNIQUE_H

#include <stddef.h>

#include "tally_counter.h"

#define TALLY_UNIQUE_RANGE_MAX 1000           /* periods of one range: history()'s limit */
#define TALLY_UNIQUE_MEMBERS_MAX 1000000      /* members of one call */
#define TALLY_UNIQUE_GRACE_MAX (366LL * 86400) /* a year: longer keeps HyperLogLogs for nothing */

tally_code tally_unique_add(const tally_counter *t, const tally_owner *o, const char *key, size_t key_len,
                            size_t n, const char *const *members, const size_t *member_lens,
                            size_t ntargets, const tally_target *targets, int32_t day, long long grace,
                            long long *changed, tally_error *err);
tally_code tally_unique_count(const tally_counter *t, const tally_owner *o, const char *key, size_t key_len,
                              tally_target target, long long *count, tally_error *err);
/* from and to are first days of `period`, from <= to. *gone (malloc'd, freed by the caller;
 * NULL when none) lists the first days of the periods without a live HyperLogLog. */
tally_code tally_unique_range(const tally_counter *t, const tally_owner *o, const char *key, size_t key_len,
                              tally_period period, int32_t from, int32_t to, long long *count,
                              int32_t **gone, size_t *ngone, tally_error *err);

/* One closed period's estimate; non-zero stops the scan. */
typedef int (*tally_unique_cb)(void *ud, const tally_unique_key *u, long long estimate);

tally_code tally_unique_closed(const tally_counter *t, const char *pattern, size_t pattern_len, int32_t today,
                               tally_unique_cb cb, void *ud, size_t *found, tally_error *err);

#endif
