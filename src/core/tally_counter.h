/* Owner counters: pending deltas per (owner type, owner id, key), one Redis hash per owner
 * (see tally_key.h for the layout). Every function validates its input first and sends
 * nothing when it is bad; every write is one atomic command or script.
 *
 *   tally_counter_incr()       HINCRBY one counter; the new pending value (buffered: the
 *                              counter's buffered delta)
 *   tally_counter_incr_many()  several counters of one owner, one round trip, all or nothing
 *   tally_counter_get()        one pending delta (0 when none)
 *   tally_counter_get_many()   several, one round trip
 *   tally_counter_get_all()    every pending delta of an owner, through a callback
 *   tally_counter_forget()     drop one pending delta, or all of an owner (key NULL), with
 *                              what is buffered for them
 *   tally_negate()             -amount, refusing LLONG_MIN
 */
#ifndef TALLY_COUNTER_H
#define TALLY_COUNTER_H

#include <stddef.h>

#include "redis/tally_conn.h"
#include "util/tally_error.h"
#include "util/tally_types.h"

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

tally_code tally_counter_incr(const tally_counter *t, const tally_owner *o,
                              const char *key, size_t key_len, long long amount,
                              long long *value, tally_error *err);
tally_code tally_counter_incr_many(const tally_counter *t, const tally_owner *o, size_t n,
                                   const char *const *keys, const size_t *key_lens,
                                   const long long *amounts, long long *values, tally_error *err);
tally_code tally_counter_get(const tally_counter *t, const tally_owner *o,
                             const char *key, size_t key_len, long long *value, tally_error *err);
tally_code tally_counter_get_many(const tally_counter *t, const tally_owner *o, size_t n,
                                  const char *const *keys, const size_t *key_lens,
                                  long long *values, tally_error *err);
tally_code tally_counter_get_all(const tally_counter *t, const tally_owner *o,
                                 tally_kv_cb cb, void *ud, tally_error *err);
tally_code tally_counter_forget(const tally_counter *t, const tally_owner *o,
                                const char *key, size_t key_len, long long *removed, tally_error *err);
tally_code tally_negate(long long amount, long long *out, tally_error *err);

#endif
