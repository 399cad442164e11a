/* Ephemeral counters: plain Redis keys <prefix><name> for progress, success/failure pairs
 * and rate buckets, with a TTL set atomically on the first increment. Never synced to SQL.
 *
 *   tally_ephemeral_incr()    INCRBY, plus EXPIRE in the same script when ttl > 0 and the
 *                             key has none yet; the new value
 *   tally_ephemeral_get()     values of n keys in one atomic read (0 when missing; a key
 *                             of another type is an error, unlike MGET's nil)
 *   tally_ephemeral_delete()  DEL n keys; how many existed
 *   tally_ephemeral_ttl()     TTL of one key (-1 none, -2 missing)
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

#endif
