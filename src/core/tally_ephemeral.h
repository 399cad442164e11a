/* Ephemeral counters: plain Redis keys <prefix><name> for progress, success/failure pairs
 * and rate buckets, with a TTL set atomically on the first increment. Never synced to SQL.
 *
 *   tally_ephemeral_incr()    INCRBY, plus EXPIRE in the same script when ttl > 0 and the
 *                             key has none yet; the new value
 *   tally_ephemeral_get()     values of n keys in one atomic read (0 when missing; a key
 *                             of another type is an error, unlike MGET's nil)
 *   tally_ephemeral_delete()  DEL n keys; how many existed
 *   tally_ephemeral_ttl()     TTL of one key (-1 none, -2 missing)
 *   tally_ephemeral_ensure_ttl()  give the keys matching a pattern that have no expiry one
 *                             (SCAN in batches; each expiry set only if still none)
 */
#ifndef TALLY_EPHEMERAL_H
#define TALLY_EPHEMERAL_H

#include "tally_counter.h"

#define TALLY_TTL_MAX 315360000LL  /* ten years: anything longer is a mistake */

tally_code tally_ephemeral_incr(const tally_counter *t, const char *name, size_t len,
                                long long amount, long long ttl, long long *value, tally_error *err);
tally_code tally_ephemeral_get(const tally_counter *t, size_t n, const char *const *names,
                               const size_t *lens, long long *values, tally_error *err);
tally_code tally_ephemeral_delete(const tally_counter *t, size_t n, const char *const *names,
                                  const size_t *lens, long long *removed, tally_error *err);
tally_code tally_ephemeral_ttl(const tally_counter *t, const char *name, size_t len,
                               long long *ttl, tally_error *err);

#define TALLY_SCAN_BATCH_MAX 100000

/* Called with each key found without an expiry (its name, without the prefix). */
typedef void (*tally_name_cb)(void *ud, const char *name, size_t len);

typedef struct {
    const char *pattern;     /* SCAN glob over ephemeral key names (after the prefix) */
    size_t pattern_len;
    long long ttl;           /* seconds given to each key without one */
    size_t batch;            /* SCAN COUNT; 0: 1000 */
    int dry_run;             /* only find them */
    tally_name_cb found;     /* may be NULL */
    void *ud;
} tally_ensure_ttl_opts;

typedef struct {
    size_t scanned;          /* matching keys seen (owner counters and Tally's own keys excluded) */
    size_t missing;          /* of which had no expiry */
    size_t ttl_set;          /* of which got one now (0 in a dry run) */
    size_t batches;          /* SCAN pages */
} tally_ensure_ttl_report;

/* Owner counters' hashes, claims and Tally's own keys (a brace after the prefix, this
 * prefix's or a nested one's) are never touched: an expiry on a pending hash would lose counts. */
tally_code tally_ephemeral_ensure_ttl(const tally_counter *t, const tally_ensure_ttl_opts *o,
                                      tally_ensure_ttl_report *report, tally_error *err);

#endif
