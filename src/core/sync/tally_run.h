/* The state of one sync run (tally_sync.c), shared with the dry run (tally_dryrun.c); private
 * to sync/. See tally_sync.h for the protocol.
 *
 *   tally_run_note()          adds a message to one of the report's lists (errors, foreign)
 *   tally_run_note_foreign()  a key that is not Tally's, named in the report
 *   tally_run_leftover_committed()  whether a leftover claim's seq is in SQL already
 *   tally_run_dry()           the dry run
 */
#ifndef TALLY_RUN_H
#define TALLY_RUN_H

#include "sync/tally_sync.h"
#include "sync/tally_claims.h"
#include "sync/tally_lock.h"
#include "sync/tally_scan.h"
#include "redis/tally_pipe.h"

typedef struct {
    const tally_counter *t;
    tally_sink *sink;
    const tally_sync_opts *opts;
    tally_sync_report *report;
    tally_error *err;
    tally_lock lock;
    long long fence;
    long long round;
    char seq[24];                       /* the current claim round's seq, as text */
    size_t seq_len;
    double started;
    /* Owners flow ready -> batch -> written -> released. */
    tally_claims ready;                  /* claimed, not written yet */
    tally_claims batch;                  /* being written in this step */
    tally_claims written;                /* committed; released by the next step */
    tally_pipe pipe;
    /* Owners to claim: a SCAN page (sorted, unique), then the retry list. */
    tally_scan scan;
    int retry_phase;
    double claimed_rows, claimed_owners; /* sizes the claim rounds */
    tally_owner_keys *retry;            /* claimed again at the end (a settled leftover, or in flight when met) */
    size_t nretry, cap_retry;
    int stop;
} run_state;

void TALLY_PRINTF(3, 4) tally_run_note(char (*list)[TALLY_ERRMSG_MAX], size_t *count, const char *fmt, ...);
/* A key that is not Tally's (another type; or a hash with field f holding v, not an integer). */
void tally_run_note_foreign(run_state *s, const char *key, size_t key_len, const char *type, size_t type_len,
                            const char *f, size_t f_len, const char *v, size_t v_len);
tally_code tally_run_leftover_committed(run_state *s, const tally_owner_keys *o, size_t n, long long seq, int *committed);
tally_code tally_run_dry(run_state *s);

#endif
