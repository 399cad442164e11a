/* The sync engine's claim queues: claimed owners in order, with their rows in the same
 * order. A run moves owners ready -> batch -> written (tally_sync.c).
 *
 *   tally_claims_move()   the first k claims of src to the end of dst, with their rows
 *                         unless keep_rows is 0 (a written batch: releasing needs its
 *                         claims only)
 *   tally_claims_clear()  frees the claims' owners and replies; keeps the arrays
 *   tally_claims_free()   and the arrays
 */
#ifndef TALLY_CLAIMS_H
#define TALLY_CLAIMS_H

#include <stddef.h>
#include "redis/tally_hiredis.h"

#include "util/tally_error.h"
#include "tally_key.h"
#include "sql/tally_sink.h"

/* One claimed owner: the claim script's reply (its rows point into it and into the owner's
 * buffers) and what releasing the claim needs. */
typedef struct {
    tally_owner_keys owner;
    char seq[24];
    size_t seq_len;
    size_t nrows;
    redisReply *reply;
} tally_claim;

typedef struct {
    tally_claim *claims;
    size_t nclaims, cap_claims;
    tally_row *rows;
    size_t nrows, cap_rows;
} tally_claims;

tally_code tally_claims_move(tally_error *err, tally_claims *src, size_t k, tally_claims *dst, int keep_rows);
void tally_claims_clear(tally_claims *q);
void tally_claims_free(tally_claims *q);

#endif
