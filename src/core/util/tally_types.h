/* The few plain types every layer shares: an owner, a counter row, and the callbacks
 * that hand counters out. No behaviour, and no includes beyond <stddef.h>, <stdint.h> and
 * the period's enum, so that sql/ and redis/ can both use them without knowing of each other.
 */
#ifndef TALLY_TYPES_H
#define TALLY_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "util/tally_period.h"

/* Who a counter belongs to: (owner type, owner id). */
typedef struct {
    const char *type;
    size_t type_len;
    const char *id;
    size_t id_len;
} tally_owner;

/* One counter handed from the sync to a sink: its identity, the delta to add and the
 * sequence number of the claim it comes from. The period comes last, so that a positional
 * initializer of the first eight fields means a lifetime counter (period NONE, start 0). */
typedef struct {
    const char *type;
    size_t type_len;
    const char *id;
    size_t id_len;
    const char *key;
    size_t key_len;
    long long delta;
    long long seq;
    tally_period period;
    int32_t period_start;       /* the period's first day, days since 1970-01-01; 0 for lifetime */
    /* Its field in the owner's Redis hash (tally_key.h) when it comes from a claim: what a
     * set-aside moves. NULL otherwise (the field is then key itself). */
    const char *field;
    size_t field_len;
} tally_row;

/* One stored counter (period_start: days since 1970-01-01, 0 for lifetime); non-zero stops
 * the iteration. */
typedef int (*tally_row_cb)(void *ud, const char *key, size_t key_len, int32_t period_start, long long count,
                            long long seq);

/* Called once per counter by tally_counter_get_all() and tally_buffer_rest(); non-zero
 * stops early. */
typedef int (*tally_kv_cb)(void *ud, const char *key, size_t key_len, long long value);

#endif
