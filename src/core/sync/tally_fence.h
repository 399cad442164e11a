/* Checking the fence a sink hands a sync run, before the run claims anything: a claim's
 * seq is fence * 2^20 + round, so a fence below 1 or too large for that product would
 * write claims no later run can read ("a claim without a sequence number"), and a fence
 * that does not rise would let a leftover claim be taken for committed (see tally_sync.h).
 * Native sinks raise the fence in SQL atomically; a sink of user code (ops->calls_out) is
 * also held to rising fences by a memory in Redis, <prefix>{}:sync:fence, the highest
 * fence given to a run of the prefix, compared and raised in one script. The memory is
 * dropped after a run that ended with nothing left in flight, so that a clean keyspace
 * stays empty (and a sink whose tables were recreated, as under RefreshDatabase, starts
 * again from 1); while it exists, a fence at or below it is refused.
 *
 *   tally_fence_accept()  range check; with remember, also "above the memory" and raise it
 *   tally_fence_forget()  drop the memory if it still holds this run's fence
 */
#ifndef TALLY_FENCE_H
#define TALLY_FENCE_H

#include <limits.h>
#include <stddef.h>

#include "redis/tally_conn.h"
#include "util/tally_error.h"

#define TALLY_SEQ_ROUNDS (1LL << 20)                    /* claim rounds per run within one fence */
#define TALLY_FENCE_MAX (LLONG_MAX / TALLY_SEQ_ROUNDS)  /* fence * 2^20 + round still fits */

tally_code tally_fence_accept(tally_conn *conn, const char *prefix, size_t prefix_len, long long fence,
                              int remember, tally_error *err);
void tally_fence_forget(tally_conn *conn, const char *prefix, size_t prefix_len, long long fence);

#endif
