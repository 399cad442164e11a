/* The sync engine: moves pending deltas from Redis to SQL in batches, exactly once (exact
 * reads that stay right at any instant of a sync are in tally_read.h).
 *
 * Per owner, Redis holds the pending hash P = <prefix>{T:I} and, while a sync has it in
 * flight, the claim hash C = <prefix>{T:I}:c whose field "" is the claim's sequence
 * number (user keys are never empty). A run:
 *   1. takes the lock <prefix>{}:sync:lock (SET NX PX, random token; refreshed between
 *      batches; a run that finds it lost stops), then asks the sink for a new fence
 *      (the prefix's row in <table>_sync, set to one above the largest fence of ANY prefix:
 *      several prefixes may share one table, and a seq must name one claim in all of it),
 *      which must be in range and, from a sink of user code, rise (tally_fence.h) before
 *      anything is claimed;
 *   2. SCANs (never KEYS) for P and C keys of the prefix and owner-type pattern;
 *   3. claims each owner with one script: if C exists it is a leftover of a run that
 *      died, returned as is; otherwise P is RENAMEd to C (increments arriving from then
 *      on create a new P) and C[""] = seq, seq = fence * 2^20 + round;
 *   4. writes the batch in ONE transaction that first re-reads the fence under lock and
 *      gives up if a newer run took it, then upserts count += delta, sync_seq = seq;
 *   5. releases the claims (DEL C if C[""] is still its seq).
 * Steps overlap: one pipeline per batch carries the previous batch's releases and lock
 * refresh, the next SCAN page and the next round of claims (about one batch of owners),
 * and is read only after the batch commits, so Redis works while SQL does. A claim round
 * never includes an owner whose claim is still unwritten (a SCAN page may name it again):
 * such an owner is claimed again at the end of the run. A stop (callback, time budget)
 * therefore still writes what is already claimed (about one batch), and a lost lock is
 * noticed one batch late, which the fence makes harmless: a stale run cannot commit.
 * A leftover claim with seq X was committed iff a row of its owner has sync_seq == X (rows
 * of a claim commit together, and no newer claim of that owner can exist while C does; the
 * fence stops a stale run from committing X after we looked; X is no other prefix's seq).
 * Any row of the owner, not only those of the claim's keys: a claim may hold period counters
 * only, or have lost a field to a set-aside. So a kill at any instant,
 * a lost connection or a rejected batch loses nothing and applies nothing twice: the next
 * run either releases the leftover or applies it under its own seq X.
 *
 * Set-aside. A batch the database rejects for a row's data (TALLY_ERR_REJECTED: too long,
 * out of range, a CHECK, a trigger; a key wider than the key column is known to be one
 * without asking) is narrowed: halves are tried in transactions that are rolled back, down
 * to the rejected rows (tally_setaside.h). Those fields then leave their claim C for the
 * owner's set-aside hash F = <prefix>{T:I}:f in ONE script (HINCRBY into F, HDEL from C,
 * field by field), and only then is the rest written, in one transaction as before. So the
 * rule above still holds: every row still in C commits together, and a set-aside field is
 * never in a committed claim. A kill at any instant: before the move, C is whole (nothing
 * committed: the next run retries all of it); after the move, F holds the rejected deltas
 * and C the rest, committed iff a row carries X as before; each delta is in exactly one of
 * C and F at every instant, and F is never written to SQL. The move runs only while C still
 * holds X AND the sync lock still holds our token (the script reads both): a run whose lock
 * expired could otherwise move a field out of a leftover that a newer run has already read
 * and committed under X, counting it twice. The claim itself carries a token too, which is
 * what guards the move on Redis Cluster (there the lock is in another hash slot and a script
 * cannot read it): a leftover found uncommitted is RE-STAMPED with the recovering run's seq Y
 * (C[""] X -> Y, only while it holds X, in one script that returns C as it is then), and it is
 * those fields that are written, under Y. A stale run's move needs C[""] == X: before the
 * re-stamp it takes its fields out of what the recovering run writes, after it it fails. The
 * leftover rule still holds: X was found uncommitted after the recovering run took its fence,
 * so X can never commit; and a leftover holding Y is committed iff a row carries Y. Only data rejections set aside: a lost
 * connection, a lock wait, a fence taken over fail the batch as before. Reads add F like P
 * (it is pending). Re-queueing (tally_setaside_scan with retry) moves F back into P field by
 * field in one script, so a read sees each delta once, and the next run claims it as usual.
 * Keys of the prefix that are not Tally's (another type, a field that is not an integer) are
 * never renamed: the claim script checks TYPE and the fields before its RENAME and leaves
 * them alone; the report names them (foreign), and they are not errors.
 *
 * Redis Cluster. One owner's P, C and F share a hash slot ({T:I}), so every script above runs
 * on one node. The owners come from a SCAN of every master in turn (redis/tally_keyscan.h);
 * a slot that moves meanwhile may show an owner twice (the claim script hands back an
 * in-flight claim: defer_in_flight() holds it back as on one node) or not at all (the next
 * run finds it). MOVED/ASK are replies to commands that did not run, so following them
 * never claims or releases twice.
 * Failover. Replication is asynchronous: a master may acknowledge a claim (the RENAME, the
 * re-stamp, a set-aside move) and die before its replica has it; the promoted replica then
 * holds P as before the claim, and a batch committed from that claim would be applied again
 * by the next run. So during a run every round trip ends with WAIT for the replicas
 * connected to that node (redis/tally_conn.h, TALLY_WAIT_CONNECTED), and a claim is only
 * taken into a batch from a round trip whose WAIT was answered in full: a round that is not
 * acknowledged within the timeout fails the run before anything of it commits, and its claims
 * stay leftovers for the next run (reported in the errors). WAIT covers every earlier write
 * of the node (replication is in order), so the releases and set-aside moves before it are
 * on the replicas too. A release lost in a failover only brings back a committed leftover,
 * which the next run releases. A replica that is down is not waited for (WAIT counts the
 * replicas connected now: a down replica must not stop the sync), and it cannot be promoted
 * while it is away; when it comes back it resyncs from its master, which holds every claim
 * acknowledged meanwhile, and it is counted again from then on, so a batch commits only
 * once it has caught up. What remains is Redis's own limit: a replica promoted while still
 * loading its first resync (the master died in those seconds) may lack claims the other
 * replicas acknowledged; Redis's election prefers the replica with the newest offset.
 *
 *   tally_sync_run()       one run; fills the report
 */
#ifndef TALLY_SYNC_H
#define TALLY_SYNC_H

#include <stddef.h>

#include "tally_counter.h"
#include "sql/tally_sink.h"

#define TALLY_SYNC_MAX_ERRORS 8

typedef struct {
    size_t batch_size;          /* counters per transaction, whole owners (one with more
                                 * goes alone); default 1000 */
    int dry_run;                /* read and report; claim, write and lock nothing */
    const char *pattern;        /* owner type, '*' matches any run of bytes; NULL = all */
    size_t pattern_len;
    double time_budget;         /* seconds; 0 = none. Checked between batches */
    long lock_ttl_ms;           /* default 60000 */
    /* After each batch: counters done so far. Non-zero stops the run (cleanly). */
    int (*progress)(void *ud, size_t done);
    void *progress_ud;
    /* After each committed batch (dry run: per owner, what would be written): its rows.
     * Non-zero stops the run like progress. */
    int (*on_batch)(void *ud, const tally_row *rows, size_t n);
    void *on_batch_ud;
} tally_sync_opts;

typedef struct {
    size_t synced;              /* counters written (dry run: that would be) */
    size_t set_aside;           /* counters the database rejected: kept in F, named in errors */
    size_t owners;              /* owners claimed */
    size_t batches;
    size_t skipped;             /* zero deltas: not written, their keys removed */
    size_t recovered;           /* leftover claims of runs that died */
    int locked;                 /* another run held the lock: nothing done */
    int incomplete;             /* stopped by the time budget or the progress callback */
    double seconds;
    size_t error_count;
    char errors[TALLY_SYNC_MAX_ERRORS][TALLY_ERRMSG_MAX];
    /* Keys under the prefix that are not Tally's (another type, a non-integer field): left
     * untouched, named here, and not errors (they are somebody else's, and would otherwise
     * fail every run until removed). */
    size_t foreign_count;
    char foreign[TALLY_SYNC_MAX_ERRORS][TALLY_ERRMSG_MAX];
} tally_sync_report;

/* Returns TALLY_OK when the run could do its work; on the first failure it stops, records
 * the error in the report and returns its code. Counters set aside are errors in the
 * report (error_count > 0) of a run that returns TALLY_OK: the rest was synced. */
tally_code tally_sync_run(const tally_counter *t, tally_sink *sink, const tally_sync_opts *opts,
                          tally_sync_report *report, tally_error *err);

#endif
