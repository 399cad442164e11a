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
 *   tally_read_keys()  exact values of n keys of an owner
 *   tally_read_all()   exact values of every counter of an owner, through a callback
 */
#ifndef TALLY_READ_H
#define TALLY_READ_H

#include <stddef.h>

#include "tally_counter.h"
#include "sql/tally_sink.h"

tally_code tally_read_keys(const tally_counter *t, tally_sink *sink, const tally_owner *o, size_t n,
                           const char *const *keys, const size_t *key_lens, long long *values, tally_error *err);

tally_code tally_read_all(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                          tally_kv_cb cb, void *ud, tally_error *err);

#endif
