/* Exact reads of owner counters: stored value (SQL) + pending (P) + in flight (C) + set aside
 * (F: counters the database rejected, pending until retried), correct at
 * every instant of a sync (see tally_sync.h for the claim protocol). P and C are read in one
 * atomic script BEFORE the SQL rows: a claim committed in between then shows in SQL with its
 * seq. C's delta counts unless the row's sync_seq is C's seq; a row NEWER than C is either a
 * claim released and a newer one written during the read (C is in SQL: the read is done
 * again) or a stale run's claim made after a newer run wrote the owner (C is not in SQL: it
 * counts); C still holding its seq after the SQL read tells which. A sum that does not fit
 * in 64 bits is TALLY_ERR_OVERFLOW. Failpoint (tests): read-before-sql.
 *
 * Period counters (tally_key.h: fields of the same hashes) are read the same way: the SQL
 * rows of their period and starts, the Redis fields that encode them.
 *
 *   tally_read_keys()     exact values of n keys of an owner: lifetime counters (period
 *                         NONE) or the counters of one period (its first day `start`)
 *   tally_read_all()      exact values of every lifetime counter of an owner, through a callback
 *   tally_read_history()  one key's n periods, the last one containing day `last`, oldest
 *                         first, 0 where nothing was counted: one script, one SQL query
 *   tally_read_sum()      the sum of one key's periods from the one containing `from` to the one
 *                         containing `to` (days since 1970-01-01)
 */
#ifndef TALLY_READ_H
#define TALLY_READ_H

#include <stddef.h>

#include "tally_counter.h"
#include "sql/tally_sink.h"

#define TALLY_HISTORY_MAX 1000

tally_code tally_read_keys(const tally_counter *t, tally_sink *sink, const tally_owner *o, tally_period period,
                           int32_t start, size_t n, const char *const *keys, const size_t *key_lens, long long *values,
                           tally_error *err);

tally_code tally_read_all(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                          tally_kv_cb cb, void *ud, tally_error *err);

tally_code tally_read_history(const tally_counter *t, tally_sink *sink, const tally_owner *o, const char *key,
                              size_t key_len, tally_period period, int32_t last, size_t n, long long *values,
                              tally_error *err);

tally_code tally_read_sum(const tally_counter *t, tally_sink *sink, const tally_owner *o, const char *key,
                          size_t key_len, tally_period period, int32_t from, int32_t to, long long *sum,
                          tally_error *err);

#endif
