/* The sync engine: see tally_sync.h for the protocol and why it is exactly once. */
#include "sync/tally_sync.h"
#include "sync/tally_claims.h"
#include "util/tally_failpoint.h"
#include "util/tally_grow.h"
#include "tally_key.h"
#include "sync/tally_lock.h"
#include "sync/tally_fence.h"
#include "util/tally_clock.h"
#include "redis/tally_reply.h"
#include "redis/tally_pipe.h"
#include "redis/tally_script.h"
#include "sync/tally_setaside.h"
#include "sync/tally_scan.h"
#include "sync/tally_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_ROUNDS TALLY_SEQ_ROUNDS   /* claim rounds per run within one fence */
#define FIRST_ROUND 128          /* owners in a run's first claim round */
#define SYNC_WAIT_TIMEOUT 1.0    /* seconds a claim may take to reach the replicas (at most half read_timeout) */


/* ---- small helpers ------------------------------------------------------------------ */

/* Adds a message to one of the report's lists (errors, foreign), which keep the first
 * TALLY_SYNC_MAX_ERRORS and count all. */
void tally_run_note(char (*list)[TALLY_ERRMSG_MAX], size_t *count, const char *fmt, ...)
{
    va_list ap;
    if (*count < TALLY_SYNC_MAX_ERRORS) {
        va_start(ap, fmt);
        vsnprintf(list[*count], TALLY_ERRMSG_MAX, fmt, ap);
        va_end(ap);
    }
    (*count)++;
}

static void record_error(run_state *s, const tally_error *e)
{
    tally_run_note(s->report->errors, &s->report->error_count, "%s", e->msg);
}

/* A key that is not Tally's (another type; or a hash with field f holding v, not an
 * integer): left untouched, named in the report. */
void tally_run_note_foreign(run_state *s, const char *key, size_t key_len, const char *type, size_t type_len,
                         const char *f, size_t f_len, const char *v, size_t v_len)
{
    tally_sync_report *rep = s->report;
    if (f) {
        tally_run_note(rep->foreign, &rep->foreign_count, "'%.*s' is not a Tally counter hash: its field '%.*s' holds '%.*s', "
             "not an integer; left untouched", (int)(key_len > 200 ? 200 : key_len), key,
             (int)(f_len > 60 ? 60 : f_len), f, (int)(v_len > 20 ? 20 : v_len), v);
    } else {
        tally_run_note(rep->foreign, &rep->foreign_count, "'%.*s' is not a Tally counter hash: it holds a %.*s; left untouched",
             (int)(key_len > 200 ? 200 : key_len), key, (int)(type_len > 20 ? 20 : type_len), type);
    }
}

/* ---- claims --------------------------------------------------------------------------- */

static int probe_row(void *ud, const char *key, size_t key_len, int32_t start, long long count, long long seq)
{
    int *found = ud;
    (void)key;
    (void)key_len;
    (void)start;
    (void)count;
    (void)seq;
    *found = 1;
    return 1;
}

/* Whether the leftover claim seq of owner o, holding n non-zero deltas, was committed: any
 * row of the owner carries seq in SQL (see tally_sync.h). Any row, whatever its key and
 * period: a claim's rows commit together, and the row of one of its counters may be gone
 * from the claim (set aside) while its others committed. */
tally_code tally_run_leftover_committed(run_state *s, const tally_owner_keys *o, size_t n, long long seq, int *committed)
{
    tally_read_query q = {0, NULL, NULL, TALLY_PERIOD_NONE, 0, 0, seq};
    *committed = 0;
    if (n == 0 || seq <= 0) return TALLY_OK;
    return s->sink->ops->read(s->sink, &(tally_owner){o->type, o->type_len, o->id, o->id_len}, &q, probe_row, committed,
                              s->err);
}

/* A claim's fields ({field, value, ...}; field "" holds its seq) as rows of the ready queue,
 * appended from q->nrows; zero deltas are skipped (counted when count_skipped). */
static tally_code claim_rows(run_state *s, const tally_owner_keys *o, const redisReply *fields, int count_skipped,
                             long long *seq, size_t *nonzero)
{
    tally_claims *q = &s->ready;
    long long v;
    *seq = -1;
    *nonzero = 0;
    if (!fields || fields->type != REDIS_REPLY_ARRAY || fields->elements % 2) {
        return tally_error_set(s->err, TALLY_ERR_PROTOCOL, "unexpected reply to the claim script");
    }
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        redisReply *f = fields->element[i], *val = fields->element[i + 1];
        if (f->len == 0) {
            if (tally_parse_int(val->str, val->len, seq)) *seq = -1;
            continue;
        }
        if (tally_parse_int(val->str, val->len, &v)) {
            return tally_error_set(s->err, TALLY_ERR_WRONGTYPE, "counter '%.*s' of %.*s #%.*s holds '%.*s', not an integer",
                                   (int)(f->len > 60 ? 60 : f->len), f->str, (int)o->type_len, o->type,
                                   (int)o->id_len, o->id, (int)(val->len > 20 ? 20 : val->len), val->str);
        }
        if (v == 0) {
            s->report->skipped += count_skipped;
            continue;
        }
        if (tally_grow((void **)&q->rows, &q->cap_rows, q->nrows + 1, sizeof(*q->rows))) {
            return tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory claiming counters");
        }
        q->rows[q->nrows++] = tally_field_row(o, f->str, f->len, v);
        (*nonzero)++;
    }
    if (*seq < 0) return tally_error_set(s->err, TALLY_ERR_PROTOCOL, "a claim without a sequence number");
    return TALLY_OK;
}

/* A leftover found uncommitted takes this round's seq before it is written (the claim-side
 * token, tally_sync.h): *r becomes what it holds then, its rows replace those read from the
 * old reply. *gone when it no longer holds its seq (nothing of it is ours to write). */
static tally_code restamp(run_state *s, const tally_owner_keys *o, long long seq, redisReply **r, size_t first,
                          size_t *nonzero, int *gone)
{
    char old[24];
    const char *argv[3] = {o->ckey, old, s->seq};
    size_t lens[3] = {o->clen, (size_t)snprintf(old, sizeof(old), "%lld", seq), s->seq_len};
    redisReply *fresh;
    long long now;
    tally_code rc;

    *gone = 0;
    if ((rc = tally_script_run(s->t->conn, TALLY_SCRIPT_RESTAMP, 1, 3, argv, lens, &fresh, s->err))) return rc;
    if (fresh->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(fresh, "re-stamping a leftover claim", s->err);
        tally_reply_free(fresh);
        return rc;
    }
    s->ready.nrows = first;
    tally_reply_free(*r);
    *r = fresh;
    if (fresh->type == REDIS_REPLY_NIL) {
        *gone = 1;
        return TALLY_OK;
    }
    return claim_rows(s, o, fresh, 0, &now, nonzero);
}

/* Adds one claim reply ({kind, {field, value, ...}}) to the ready queue. Takes the reply
 * and the owner; returns non-zero with err filled when the claim cannot be used. */
static tally_code take_claim(run_state *s, tally_owner_keys *o, redisReply *r)
{
    tally_claims *q = &s->ready;
    long long kind, seq = -1;
    size_t first = q->nrows, nonzero = 0;
    tally_claim *c;
    tally_code rc;

    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "claiming pending counters", s->err);
        goto fail;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 || r->element[0]->type != REDIS_REPLY_INTEGER) {
        rc = tally_error_set(s->err, TALLY_ERR_PROTOCOL, "unexpected reply to the claim script");
        goto fail;
    }
    kind = r->element[0]->integer;
    if (kind == 3 && r->elements >= 3) {      /* {3, key, type[, field, value]} */
        redisReply **e = r->element;
        tally_run_note_foreign(s, e[1]->str, e[1]->len, e[2]->str, e[2]->len, r->elements >= 5 ? e[3]->str : NULL,
                     r->elements >= 5 ? e[3]->len : 0, r->elements >= 5 ? e[4]->str : NULL, r->elements >= 5 ? e[4]->len : 0);
    }
    if (kind == 2 || kind == 3) {    /* nothing pending any more, or not Tally's */
        tally_reply_free(r);
        tally_owner_keys_free(o);
        return TALLY_OK;
    }
    if ((rc = claim_rows(s, o, r->elements == 2 ? r->element[1] : NULL, 1, &seq, &nonzero))) goto fail;
    if (kind == 0) {
        /* A leftover of a run that died: committed iff a row carries its seq. Either way the
         * owner is claimed again at the end (its pending hash may hold more). */
        int committed, gone = 0;
        s->report->recovered++;
        if ((rc = tally_run_leftover_committed(s, o, nonzero, seq, &committed))) goto fail;
        if (tally_grow((void **)&s->retry, &s->cap_retry, s->nretry + 1, sizeof(*s->retry))
            || tally_key_owner_keys(s->t->prefix, s->t->prefix_len, o->type, o->type_len, o->id, o->id_len,
                                    &s->retry[s->nretry], s->err)) {
            goto oom;
        }
        s->nretry++;
        if (committed) {
            q->nrows = first;      /* committed already: only release it */
        } else {
            if ((rc = restamp(s, o, seq, &r, first, &nonzero, &gone))) goto fail;
            if (gone) {
                tally_reply_free(r);
                tally_owner_keys_free(o);
                return TALLY_OK;
            }
            if (tally_parse_int(s->seq, s->seq_len, &seq)) seq = -1;
        }
    }
    for (size_t i = first; i < q->nrows; i++) q->rows[i].seq = seq;
    if (tally_grow((void **)&q->claims, &q->cap_claims, q->nclaims + 1, sizeof(*q->claims))) goto oom;
    c = &q->claims[q->nclaims++];
    c->owner = *o;
    memset(o, 0, sizeof(*o));           /* moved into the queue */
    c->seq_len = (size_t)snprintf(c->seq, sizeof(c->seq), "%lld", seq);
    c->nrows = q->nrows - first;
    c->reply = r;
    s->report->owners += c->nrows > 0 || kind == 1;   /* not a leftover that is only released */
    s->claimed_owners += 1;
    s->claimed_rows += (double)c->nrows;
    return TALLY_OK;
oom:
    rc = tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory claiming counters");
fail:
    q->nrows = first;
    tally_reply_free(r);
    tally_owner_keys_free(o);
    return rc;
}

/* An owner of the (sorted) chunk that is claimed but not yet written must not be claimed
 * again now: the claim script would hand the same claim back and its deltas would be
 * written twice. It goes to the retry list. (Written claims are released earlier in the
 * same pipeline, so those owners can be claimed.) */
static tally_code defer_in_flight(run_state *s, tally_owner_keys *chunk, size_t n)
{
    const tally_claims *qs[2] = {&s->ready, &s->batch};
    unsigned char *hit = NULL;
    size_t nhit = 0;
    for (int q = 0; q < 2; q++) {
        for (size_t i = 0; i < qs[q]->nclaims; i++) {
            tally_owner_keys *h = bsearch(&qs[q]->claims[i].owner, chunk, n, sizeof(*chunk), tally_owner_cmp);
            if (!h) continue;
            if (!hit && !(hit = calloc(n, 1))) {
                return tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory claiming counters");
            }
            nhit += !hit[h - chunk];
            hit[h - chunk] = 1;
        }
    }
    if (nhit && tally_grow((void **)&s->retry, &s->cap_retry, s->nretry + nhit, sizeof(*s->retry))) {
        free(hit);
        return tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory claiming counters");
    }
    for (size_t j = 0; hit && j < n; j++) {
        if (!hit[j]) continue;
        s->retry[s->nretry++] = chunk[j];
        memset(&chunk[j], 0, sizeof(chunk[j]));      /* moved: not claimed now */
    }
    free(hit);
    return TALLY_OK;
}

/* ---- the pipelined steps ------------------------------------------------------------- */

static int over_budget(run_state *s)
{
    return s->opts->time_budget > 0 && tally_clock_now() - s->started >= s->opts->time_budget;
}

static int owners_left(const run_state *s)
{
    return !s->stop && (s->scan.page_at < s->scan.page_n || !s->scan.done);
}

static double rows_per_owner(const run_state *s)
{
    double r = s->claimed_owners > 0 ? s->claimed_rows / s->claimed_owners : 1.0;
    return r < 1.0 ? 1.0 : r;
}

/* How many claims of the ready queue make the next batch: whole owners up to batch_size
 * counters (one owner with more goes alone) or batch_size claims; 0 = claim more first,
 * while another owner of the usual size would still fit. An owner that would take the
 * batch past batch_size waits for the next one, so that a batch fits the sinks' one
 * prepared full-size upsert (TALLY_SINK_CHUNK) instead of spilling a few counters into a
 * second statement (round_size() claims to just under batch_size for the same reason). */
static size_t batch_cut(const run_state *s)
{
    size_t rows = 0, bs = s->opts->batch_size;
    for (size_t i = 0; i < s->ready.nclaims; i++) {
        if (i > 0 && rows + s->ready.claims[i].nrows > bs) return i;
        rows += s->ready.claims[i].nrows;
        if (rows >= bs || i + 1 >= bs) return i + 1;
    }
    if (owners_left(s) && (double)rows + rows_per_owner(s) <= (double)bs) return 0;
    return s->ready.nclaims;
}

/* Whether the owners left in the page make less than two batches. */
static int page_running_out(const run_state *s)
{
    return (double)(s->scan.page_n - s->scan.page_at) * rows_per_owner(s) < 2.0 * (double)s->opts->batch_size;
}

/* Owners to claim in this round, so that the ready queue holds about one batch, as many
 * owners of the usual size as fit in it: claimed while the batch before it commits, and
 * never much more than a stop has to finish. */
static size_t round_size(const run_state *s)
{
    size_t bs = s->opts->batch_size, rows = s->ready.nrows, want;
    if (rows >= bs || s->ready.nclaims >= bs) return 0;
    want = (size_t)((double)(bs - rows) / rows_per_owner(s));
    if (want < 1) want = 1;
    if (want > bs - s->ready.nclaims) want = bs - s->ready.nclaims;
    /* The first round, before the counters per owner are known, is kept small: it is
     * claimed while nothing commits. */
    if (s->claimed_owners == 0 && want > FIRST_ROUND) want = FIRST_ROUND;
    return want;
}

/* A counter set aside: named in the report's errors. */
static void named_aside(void *ud, const tally_row *row, const char *why)
{
    run_state *s = ud;
    char period[40] = "", date[TALLY_PERIOD_DATE_LEN + 1];
    if (row->period != TALLY_PERIOD_NONE && tally_period_date(row->period_start, date) > 0) {
        snprintf(period, sizeof(period), " (%s %s)", tally_period_name(row->period), date);
    }
    tally_run_note(s->report->errors, &s->report->error_count,
         "counter '%.*s'%s of %.*s #%.*s (delta %lld) set aside, kept in Redis until retried: %s",
         (int)(row->key_len > 100 ? 100 : row->key_len), row->key, period, (int)row->type_len, row->type,
         (int)row->id_len, row->id, row->delta, why);
    s->report->set_aside++;
}

/* Writes the batch in one transaction. Rows the database rejects for their data (and keys
 * wider than the key column, which no database can store) are first set aside, the rest
 * commits: see tally_sync.h for why that stays exactly once. */
static tally_code write_batch(run_state *s)
{
    tally_claims *b = &s->batch;
    unsigned char *bad = NULL;
    tally_setaside_reasons *rs = NULL;
    size_t nbad = 0;
    tally_code rc = TALLY_OK;

    if (b->nrows == 0) return TALLY_OK;
    if (tally_failpoint("before-write")) {
        return tally_error_set(s->err, TALLY_ERR_DATABASE, "failpoint before-write");
    }
    for (size_t i = 0; i < b->nrows; i++) {
        tally_error why;
        if (b->rows[i].key_len <= TALLY_KEY_MAX_DEFAULT) continue;
        if ((!bad && !(bad = calloc(b->nrows, 1))) || (!rs && !(rs = calloc(1, sizeof(*rs))))) goto oom;
        bad[i] = 1;
        nbad++;
        tally_error_set(&why, TALLY_ERR_REJECTED, "its key is %zu bytes long, wider than the key column (%d bytes)",
                        b->rows[i].key_len, TALLY_KEY_MAX_DEFAULT);
        tally_setaside_reason(rs, i, &why);
    }
    /* The keys too wide for the column go first; then each rejection narrows the batch
     * once more (another row may fail only once the first is out of the way). */
    for (;;) {
        if (nbad == 0) {
            tally_error whole;
            rc = b->nrows ? s->sink->ops->write_batch(s->sink, s->t->prefix, s->t->prefix_len, s->fence, b->rows,
                                                      b->nrows, s->err)
                          : TALLY_OK;
            if (rc != TALLY_ERR_REJECTED || !s->sink->ops->try_batch) break;
            if ((!bad && !(bad = calloc(b->nrows, 1))) || (!rs && !(rs = calloc(1, sizeof(*rs))))) goto oom;
            /* Narrowing and setting aside use the connection: the step's replies come first. */
            whole = *s->err;
            if ((rc = tally_pipe_recv(&s->pipe, s->err))) break;
            if ((rc = tally_setaside_find(s->sink, s->t->prefix, s->t->prefix_len, s->fence, b->rows, b->nrows, bad,
                                          tally_setaside_reason, rs, s->err))) {
                break;
            }
            for (size_t i = 0; i < b->nrows; i++) nbad += bad[i];
            if (nbad == 0) {         /* no row alone is at fault: the batch fails whole */
                rc = tally_error_set(s->err, TALLY_ERR_DATABASE, "%.400s (no row alone is rejected: nothing was "
                                     "written)", whole.msg);
                break;
            }
        } else if ((rc = tally_pipe_recv(&s->pipe, s->err))) {
            break;
        }
        if (tally_failpoint("before-set-aside")) {
            rc = tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint before-set-aside");
            break;
        }
        if ((rc = tally_setaside_claims(s->t->conn, &s->lock, b, bad, rs, named_aside, s, s->err))) break;
        nbad = 0;
        memset(bad, 0, b->nrows);
        rs->n = 0;
        if (tally_failpoint("after-set-aside")) {
            rc = tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint after-set-aside");
            break;
        }
    }
    free(bad);
    free(rs);
    if (rc) return rc;
    s->report->synced += b->nrows;      /* committed, whatever happens next */
    s->report->batches += b->nrows > 0;
    if (tally_failpoint("after-commit")) {
        return tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint after-commit");
    }
    return TALLY_OK;
oom:
    free(bad);
    free(rs);
    return tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory setting counters aside");
}

/* After a committed batch: let the callbacks and the budget end the run.
 * Once stopping, only on_batch is still called, for what the run settles. */
static void batch_done(run_state *s)
{
    const tally_claims *b = &s->batch;
    const tally_sync_opts *o = s->opts;
    if (b->nrows == 0) return;
    if (o->on_batch && o->on_batch(o->on_batch_ud, b->rows, b->nrows)) s->stop = 1;
    if (s->stop) return;
    if ((o->progress && o->progress(o->progress_ud, s->report->synced)) || over_budget(s)) s->stop = 1;
}

/* One step of a run, one pipeline: release what the last step committed (and refresh the
 * lock), claim the next owners, fetch the next SCAN page, and while Redis works on that,
 * write the next batch. The pipeline is read after the commit, so Redis time hides behind
 * SQL time. A sink that runs PHP code (which might use this connection) gets no overlap.
 * Sets *more to 0 when the run has nothing left to do. */
static tally_code step(run_state *s, int *more)
{
    tally_pipe *p = &s->pipe;
    size_t nrel = s->written.nclaims, nclaim = 0, at_claims, k, i, j;
    tally_owner_keys *chunk = NULL;
    int write, sent_claims = 0;
    long long ok;
    redisReply *r;
    tally_code rc = TALLY_OK;
    tally_error ignored;

    *more = 1;
    if ((k = batch_cut(s)) > 0 && (rc = tally_claims_move(s->err, &s->ready, k, &s->batch, 1))) return rc;
    write = s->batch.nclaims > 0;
    /* Owners met while in flight, and settled leftovers, get claimed again at the end. */
    if (!write && nrel == 0 && s->ready.nclaims == 0 && !owners_left(s) && !s->stop && !s->retry_phase) {
        s->retry_phase = 1;
        tally_scan_set_page(&s->scan, s->retry, s->nretry);
        s->retry = NULL;
        s->nretry = s->cap_retry = 0;
    }

    /* The next SCAN page before this one runs out, so that the claim rounds stay full. It
     * is read before this step's claims are sent, so it cannot name their claim keys (only
     * those of claims in flight, which defer_in_flight() holds back, or of the written ones
     * this step releases before it claims again: same slot, same node, in order). */
    if (!s->stop && !s->scan.done && !s->retry_phase && page_running_out(s)
        && (rc = tally_scan_fetch(&s->scan, s->t->conn, s->err))) {
        return rc;
    }

    tally_pipe_reset(p);
    for (i = 0; i < nrel && rc == TALLY_OK; i++) {
        tally_claim *c = &s->written.claims[i];
        const char *argv[2] = {c->owner.ckey, c->seq};
        size_t lens[2] = {c->owner.clen, c->seq_len};
        rc = tally_pipe_script(p, TALLY_SCRIPT_RELEASE, 1, 2, argv, lens, s->err);
    }
    if (nrel && rc == TALLY_OK) rc = tally_lock_refresh(p, &s->lock, s->err);
    if (rc == TALLY_OK && !s->stop && s->scan.page_at < s->scan.page_n) {
        size_t want = round_size(s);
        nclaim = s->scan.page_n - s->scan.page_at < want ? s->scan.page_n - s->scan.page_at : want;
        chunk = s->scan.page + s->scan.page_at;
        s->scan.page_at += nclaim;
        rc = defer_in_flight(s, chunk, nclaim);
    }
    at_claims = p->n;
    for (j = 0; j < nclaim && rc == TALLY_OK; j++) {
        if (!chunk[j].pkey) continue;
        if (!sent_claims++) {
            if (++s->round >= SEQ_ROUNDS) {
                rc = tally_error_set(s->err, TALLY_ERR_ARGUMENT, "too many claim rounds in one run");
                break;
            }
            s->seq_len = (size_t)snprintf(s->seq, sizeof(s->seq), "%lld", s->fence * SEQ_ROUNDS + s->round);
        }
        const char *argv[3] = {chunk[j].pkey, chunk[j].ckey, s->seq};
        size_t lens[3] = {chunk[j].plen, chunk[j].clen, s->seq_len};
        rc = tally_pipe_script(p, TALLY_SCRIPT_CLAIM, 2, 3, argv, lens, s->err);
    }
    if (rc) return rc;
    if (p->n == 0 && !write) {
        /* Nothing to send or write: done, unless this chunk's owners were all in flight
         * (SCAN pages fetched after a claim can name its claim key) and more remain. */
        *more = s->ready.nclaims > 0 || owners_left(s);
        return TALLY_OK;
    }

    rc = tally_pipe_send(p, s->err);
    if (rc == TALLY_OK && s->sink->ops->calls_out) rc = tally_pipe_recv(p, s->err);
    if (rc == TALLY_OK && write) rc = write_batch(s);
    if (rc) {
        tally_pipe_drain(p, &ignored);   /* what was claimed stays a leftover for the next run */
        return rc;
    }
    if ((rc = tally_pipe_recv(p, s->err))) return rc;

    for (i = 0; i < nrel && rc == TALLY_OK; i++) {
        r = p->replies[i];
        if (r->type == REDIS_REPLY_ERROR) rc = tally_reply_error(r, "releasing a claim", s->err);
    }
    if (nrel && rc == TALLY_OK) {
        if (tally_failpoint("after-release")) return tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint after-release");
        tally_claims_clear(&s->written);
        rc = tally_reply_int(p->replies[nrel], "the sync lock", &ok, s->err);
        if (rc == TALLY_OK && !ok) {
            rc = tally_error_set(s->err, TALLY_ERR_SERVER,
                                 "lost the sync lock (it expired after %ld ms): stopping so that two runs never "
                                 "race; the next run finishes the work", s->opts->lock_ttl_ms);
        }
    }
    if (rc) return rc;
    if (sent_claims && tally_failpoint("after-claim")) {
        return tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint after-claim");
    }
    for (i = at_claims, j = 0; j < nclaim && rc == TALLY_OK; j++) {
        if (chunk[j].pkey) rc = take_claim(s, &chunk[j], tally_pipe_take(p, i++));
    }
    if (rc) return rc;
    tally_pipe_reset(p);

    if (write) {
        batch_done(s);
        if ((rc = tally_claims_move(s->err, &s->batch, s->batch.nclaims, &s->written, 0))) return rc;
    }
    return TALLY_OK;
}

/* ---- the run --------------------------------------------------------------------------- */

tally_code tally_sync_run(const tally_counter *t, tally_sink *sink, const tally_sync_opts *in,
                          tally_sync_report *report, tally_error *err)
{
    tally_sync_opts opts = *in;
    run_state s;
    tally_code rc;
    int taken = 0, remembered = 0, waiting = 0;

    memset(report, 0, sizeof(*report));
    if (opts.batch_size == 0) opts.batch_size = 1000;
    if (opts.lock_ttl_ms <= 0) opts.lock_ttl_ms = 60000;
    if (opts.batch_size > 1000000) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "batch_size must be between 1 and 1000000, %zu given",
                               opts.batch_size);
    }
    if (opts.time_budget < 0) return tally_error_set(err, TALLY_ERR_ARGUMENT, "time_budget must not be negative");
    if (opts.lock_ttl_ms < 1000) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "lock_ttl must be at least 1000 ms, %ld given", opts.lock_ttl_ms);
    }
    if (opts.pattern && opts.pattern_len > TALLY_OWNER_TYPE_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "option 'pattern' is %zu bytes long; the maximum is %d",
                               opts.pattern_len, TALLY_OWNER_TYPE_MAX);
    }

    memset(&s, 0, sizeof(s));
    s.t = t;
    s.sink = sink;
    s.opts = &opts;
    s.report = report;
    s.err = err;
    s.started = tally_clock_now();
    tally_pipe_init(&s.pipe, t->conn);
    tally_lock_init(&s.lock, t->prefix, t->prefix_len, opts.lock_ttl_ms);
    if ((rc = tally_scan_init(&s.scan, t->conn, t->prefix, t->prefix_len, opts.pattern, opts.pattern_len, err))) goto out;

    if (opts.dry_run) {
        rc = tally_run_dry(&s);
    } else {
        int more = 1;
        /* On a cluster every round trip of the run ends with WAIT for the replicas connected
         * to its node, so that no claim is written before its replicas have it (tally_sync.h).
         * The failpoint turns it off, to show what it prevents (tests/fault/cluster-failover). */
        if (tally_conn_is_cluster(t->conn) && !tally_failpoint("sync-no-wait")) {
            double rt = tally_conn_read_timeout(t->conn);
            tally_conn_set_wait(t->conn, TALLY_WAIT_CONNECTED, rt * 0.5 < SYNC_WAIT_TIMEOUT ? rt * 0.5 : SYNC_WAIT_TIMEOUT);
            waiting = 1;
        }
        if ((rc = tally_lock_take(t->conn, &s.lock, &taken, err))) goto out;
        if (!taken) {
            report->locked = 1;
            goto out;
        }
        if ((rc = sink->ops->begin_run(sink, t->prefix, t->prefix_len, &s.fence, err))) goto out;
        if ((rc = tally_fence_accept(t->conn, t->prefix, t->prefix_len, s.fence, sink->ops->calls_out, err))) goto out;
        remembered = sink->ops->calls_out;
        while (rc == TALLY_OK && more) rc = step(&s, &more);
    }
    report->incomplete = s.stop;
out:
    if (rc) record_error(&s, err);
    /* A run that ended without failing left nothing in flight (counters it set aside are
     * errors of the report, but in F, not in a claim): the fence memory can go. */
    if (remembered && rc == TALLY_OK) tally_fence_forget(t->conn, t->prefix, t->prefix_len, s.fence);
    tally_claims_free(&s.ready);
    tally_claims_free(&s.batch);
    tally_claims_free(&s.written);
    tally_pipe_free(&s.pipe);
    tally_scan_free(&s.scan);
    for (size_t i = 0; i < s.nretry; i++) tally_owner_keys_free(&s.retry[i]);
    free(s.retry);
    if (taken) tally_lock_release(t->conn, &s.lock);
    if (waiting) tally_conn_set_wait(t->conn, 0, 0);   /* back to the connection's own options */
    report->seconds = tally_clock_now() - s.started;
    return rc;
}
