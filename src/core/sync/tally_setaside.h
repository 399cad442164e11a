/* Set-aside counters: a counter the database rejects for its data (a key wider than the key
 * column, a sum beyond BIGINT, a CHECK, a trigger) leaves the sync for the owner's
 * set-aside hash F = <prefix>{T:I}:f, where it is kept (never deleted, still counted by
 * exact reads) until somebody fixes the cause and puts it back into pending. Why this
 * keeps the sync exactly once is in tally_sync.h.
 *
 *   tally_setaside_find()    which rows of a rejected batch the database rejects: halves
 *                            tried in transactions that are rolled back (try_batch), down to
 *                            single rows; calls why() for each rejected row
 *   tally_setaside_reason()  keeps the first few reasons (a tally_setaside_why)
 *   tally_setaside_move()    the SET_ASIDE script for one claim: its rejected fields from C
 *                            into F, only while the claim and the sync lock are still ours
 *   tally_setaside_claims()  for a batch of claims: the bad rows out of each claim
 *                            (tally_setaside_move) and out of the batch, each one named
 *   tally_setaside_scan()    every set-aside counter of a prefix (owner types matching a
 *                            pattern, NULL = all), through a callback; with retry, each
 *                            owner's F is moved back into its pending hash P (RETRY script)
 *                            and the callback sees what was moved
 */
#ifndef TALLY_SETASIDE_H
#define TALLY_SETASIDE_H

#include <stddef.h>

#include "tally_counter.h"
#include "tally_key.h"
#include "sql/tally_sink.h"
#include "sync/tally_lock.h"
#include "sync/tally_claims.h"

/* The reason row i is rejected (the single-row attempt's error). */
typedef void (*tally_setaside_why)(void *ud, size_t i, const tally_error *why);

tally_code tally_setaside_find(tally_sink *sink, const char *run, size_t run_len, long long fence,
                               const tally_row *rows, size_t n, unsigned char *bad,
                               tally_setaside_why why, void *ud, tally_error *err);

/* Why rows were set aside: the first few reasons, by row (ud of tally_setaside_reason). */
#define TALLY_SETASIDE_REASONS 8
typedef struct {
    size_t n, row[TALLY_SETASIDE_REASONS];
    char msg[TALLY_SETASIDE_REASONS][TALLY_ERRMSG_MAX];
} tally_setaside_reasons;

void tally_setaside_reason(void *ud, size_t i, const tally_error *why);

/* Moves fields[0..n) of the claim (owner o, seq) from C to F. *moved is 0 when the claim
 * or the lock is no longer ours (nothing moved). */
tally_code tally_setaside_move(tally_conn *conn, const tally_lock *lock, const tally_owner_keys *o,
                               const char *seq, size_t seq_len, const char *const *fields,
                               const size_t *field_lens, size_t n, int *moved, tally_error *err);

/* Rows of b with bad[i] set leave their claims for F and the batch (which keeps its order);
 * named() is told each, with its reason from rs. On an error nothing of b changes, but the
 * owners moved before it stay moved (each move is whole, see tally_sync.h). */
tally_code tally_setaside_claims(tally_conn *conn, const tally_lock *lock, tally_claims *b, const unsigned char *bad,
                                 const tally_setaside_reasons *rs,
                                 void (*named)(void *ud, const tally_row *row, const char *why), void *ud,
                                 tally_error *err);

/* One set-aside counter (a row's seq is 0). Non-zero stops the scan. */
typedef int (*tally_setaside_cb)(void *ud, const tally_row *row);

tally_code tally_setaside_scan(const tally_counter *t, const char *pattern, size_t pattern_len, int retry,
                               tally_setaside_cb cb, void *ud, size_t *count, tally_error *err);

#endif
