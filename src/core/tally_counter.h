/* Owner counters: pending deltas per (owner type, owner id, key), one Redis hash per owner
 * (see tally_key.h for the layout). Every function validates its input first and sends
 * nothing when it is bad; every write is one atomic command or script.
 *
 * A write goes to one or more TARGETS of each key: the lifetime counter and/or period
 * counters (tally_key.h: fields of the same hash), all in one atomic command or script, so a
 * key's lifetime counter and its periods move together (all or nothing on overflow). No
 * targets means the lifetime counter.
 *
 *   tally_counter_incr()       one key: HINCRBY its one target, or the script for several; the
 *                              new pending value of the first target (buffered: its buffered delta)
 *   tally_counter_incr_many()  several keys of one owner, one round trip, all or nothing
 *   tally_counter_get()        one pending delta (0 when none) of a lifetime counter or a period
 *   tally_counter_get_many()   several, one round trip
 *   tally_counter_get_all()    every pending lifetime delta of an owner, through a callback
 *   tally_counter_forget()     drop pending deltas, with what is buffered for them: all of an
 *                              owner (key NULL), or of one key: its lifetime counter and every
 *                              period (TALLY_FORGET_ALL_PERIODS), or its counters of one period
 *                              kind (NONE: the lifetime counter only)
 *   tally_target_check()       whether targets are valid (a period's start is its first day)
 *   tally_negate()             -amount, refusing LLONG_MIN
 */
#ifndef TALLY_COUNTER_H
#define TALLY_COUNTER_H

#include <stddef.h>

#include "redis/tally_conn.h"
#include "util/tally_error.h"
#include "util/tally_types.h"
#include "tally_key.h"

struct tally_buffer;

/* What every operation needs: where to send, and how keys are named. Not owned here.
 * With a buffer (tally_buffer.h), increments of owner counters are coalesced there instead
 * of sent, their results are the counters' buffered deltas, and every read of an owner
 * counter (here and in tally_read.h) adds what is still buffered. */
typedef struct {
    tally_conn *conn;
    const char *prefix;
    size_t prefix_len;
    size_t max_key_len;
    struct tally_buffer *buffer;
} tally_counter;

#define TALLY_TARGETS_MAX TALLY_PERIOD_COUNT
#define TALLY_FORGET_ALL_PERIODS (-1)

tally_code tally_target_check(size_t n, const tally_target *targets, tally_error *err);

tally_code tally_counter_incr(const tally_counter *t, const tally_owner *o,
                              const char *key, size_t key_len, long long amount,
                              size_t ntargets, const tally_target *targets,
                              long long *value, tally_error *err);
tally_code tally_counter_incr_many(const tally_counter *t, const tally_owner *o, size_t n,
                                   const char *const *keys, const size_t *key_lens,
                                   const long long *amounts, size_t ntargets, const tally_target *targets,
                                   long long *values, tally_error *err);
/* tally_counter_incr_many() with targets per key: key i feeds its ntargets[i] (at least one)
 * targets[i], all keys in one script, all or nothing. */
tally_code tally_counter_incr_each(const tally_counter *t, const tally_owner *o, size_t n,
                                   const char *const *keys, const size_t *key_lens, const long long *amounts,
                                   const size_t *ntargets, const tally_target *const *targets, long long *values,
                                   tally_error *err);
tally_code tally_counter_get(const tally_counter *t, const tally_owner *o, tally_target target,
                             const char *key, size_t key_len, long long *value, tally_error *err);
tally_code tally_counter_get_many(const tally_counter *t, const tally_owner *o, tally_target target, size_t n,
                                  const char *const *keys, const size_t *key_lens,
                                  long long *values, tally_error *err);
tally_code tally_counter_get_all(const tally_counter *t, const tally_owner *o,
                                 tally_kv_cb cb, void *ud, tally_error *err);
/* period: TALLY_FORGET_ALL_PERIODS, or a tally_period (ignored when key is NULL). */
tally_code tally_counter_forget(const tally_counter *t, const tally_owner *o,
                                const char *key, size_t key_len, int period, long long *removed, tally_error *err);
tally_code tally_negate(long long amount, long long *out, tally_error *err);

#endif
