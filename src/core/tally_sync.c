/* The sync engine: see tally_sync.h for the protocol and why it is exactly once. */
#include "tally_sync.h"
#include "tally_failpoint.h"
#include "tally_grow.h"
#include "tally_key.h"
#include "tally_reply.h"
#include "tally_script.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SEQ_ROUNDS (1LL << 20)   /* claim rounds per run within one fence */
#define SCAN_COUNT "1000"

typedef struct {
    tally_owner_keys owner;
    char seq[24];
    size_t seq_len;
} claim_ref;

/* One batch: rows point into the claim replies and owner buffers it keeps alive. */
typedef struct {
    tally_row *rows;
    size_t n, cap;
    claim_ref *claims;
    size_t nclaims, cap_claims;
    redisReply **replies;
    size_t nreplies, cap_replies;
} batch;

typedef struct {
    const tally_counter *t;
    tally_sink *sink;
    const tally_sync_opts *opts;
    tally_sync_report *report;
    tally_error *err;
    char token[33];
    char lock[TALLY_PREFIX_MAX + 16];
    size_t lock_len;
    long long fence;
    long long round;
    double started;
    batch b;
    tally_owner_keys *retry;            /* owners whose leftover claim was settled: claim again */
    size_t nretry, cap_retry;
    int stop;
} run_state;

/* ---- small helpers ------------------------------------------------------------------ */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void random_token(char out[33])
{
    unsigned char buf[16];
    static const char hex[] = "0123456789abcdef";
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
    if (fd >= 0) close(fd);
    if (got != (ssize_t)sizeof(buf)) {
        uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(now() * 1e9);
        for (size_t i = 0; i < sizeof(buf); i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            buf[i] = (unsigned char)(x >> 56);
        }
    }
    for (size_t i = 0; i < sizeof(buf); i++) {
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 15];
    }
    out[32] = '\0';
}

static void record_error(run_state *s, const tally_error *e)
{
    tally_sync_report *r = s->report;
    if (r->error_count < TALLY_SYNC_MAX_ERRORS) {
        memcpy(r->errors[r->error_count], e->msg, sizeof(r->errors[0]));
    }
    r->error_count++;
}

/* ---- the lock ------------------------------------------------------------------------ */

static tally_code lock_take(run_state *s, int *taken)
{
    char ttl[24];
    const char *argv[6] = {"SET", s->lock, s->token, "NX", "PX", ttl};
    size_t lens[6] = {3, s->lock_len, 32, 2, 2, 0};
    redisReply *r;
    tally_code rc;
    lens[5] = (size_t)snprintf(ttl, sizeof(ttl), "%ld", s->opts->lock_ttl_ms);
    if ((rc = tally_conn_command(s->t->conn, 6, argv, lens, &r, s->err))) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "taking the sync lock", s->err);
    } else {
        *taken = r->type == REDIS_REPLY_STATUS;
    }
    freeReplyObject(r);
    return rc;
}

static tally_code lock_script(run_state *s, tally_script_id id, long long *result)
{
    char ttl[24];
    const char *argv[3] = {s->lock, s->token, ttl};
    size_t lens[3] = {s->lock_len, 32, 0};
    redisReply *r;
    tally_code rc;
    lens[2] = (size_t)snprintf(ttl, sizeof(ttl), "%ld", s->opts->lock_ttl_ms);
    if ((rc = tally_script_run(s->t->conn, id, 1, id == TALLY_SCRIPT_LOCK_REFRESH ? 3 : 2, argv, lens, &r, s->err))) {
        return rc;
    }
    rc = tally_reply_int(r, "the sync lock", result, s->err);
    freeReplyObject(r);
    return rc;
}

/* ---- batches --------------------------------------------------------------------------- */

static void batch_clear(batch *b)
{
    for (size_t i = 0; i < b->nreplies; i++) freeReplyObject(b->replies[i]);
    for (size_t i = 0; i < b->nclaims; i++) tally_owner_keys_free(&b->claims[i].owner);
    b->n = b->nclaims = b->nreplies = 0;
}

static void batch_free(batch *b)
{
    batch_clear(b);
    free(b->rows);
    free(b->claims);
    free(b->replies);
    memset(b, 0, sizeof(*b));
}

static tally_code release_claims(run_state *s, claim_ref *claims, size_t n)
{
    const char **argv = malloc(sizeof(*argv) * 2 * (n ? n : 1));
    size_t *lens = malloc(sizeof(*lens) * 2 * (n ? n : 1));
    redisReply **replies = calloc(n ? n : 1, sizeof(*replies));
    tally_code rc = TALLY_OK;

    if (!argv || !lens || !replies) {
        rc = tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory releasing claims");
    } else if (n > 0) {
        for (size_t i = 0; i < n; i++) {
            argv[2 * i] = claims[i].owner.ckey;
            lens[2 * i] = claims[i].owner.clen;
            argv[2 * i + 1] = claims[i].seq;
            lens[2 * i + 1] = claims[i].seq_len;
        }
        rc = tally_script_run_many(s->t->conn, TALLY_SCRIPT_RELEASE, 1, (int)n, 2, argv, lens, replies, s->err);
        for (size_t i = 0; rc == TALLY_OK && i < n; i++) {
            if (replies[i]->type == REDIS_REPLY_ERROR) rc = tally_reply_error(replies[i], "releasing a claim", s->err);
        }
        for (size_t i = 0; i < n && replies[i]; i++) freeReplyObject(replies[i]);
    }
    free(argv);
    free(lens);
    free(replies);
    return rc;
}

static int over_budget(run_state *s)
{
    return s->opts->time_budget > 0 && now() - s->started >= s->opts->time_budget;
}

/* Writes the batch in one transaction, then releases its claims. Between batches the lock
 * is refreshed, and the budget and the progress callback may end the run. */
static tally_code flush(run_state *s)
{
    batch *b = &s->b;
    tally_code rc;
    long long ok;

    if (b->nclaims == 0) return TALLY_OK;
    if (b->n > 0) {
        if (tally_failpoint("before-write")) {
            return tally_error_set(s->err, TALLY_ERR_DATABASE, "failpoint before-write");
        }
        rc = s->sink->ops->write_batch(s->sink, s->t->prefix, s->t->prefix_len, s->fence, b->rows, b->n, s->err);
        if (rc) return rc;
        if (tally_failpoint("after-commit")) {
            return tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint after-commit");
        }
    }
    if ((rc = release_claims(s, b->claims, b->nclaims))) return rc;
    if (tally_failpoint("after-release")) {
        return tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint after-release");
    }
    s->report->synced += b->n;
    if (b->n > 0) s->report->batches++;
    batch_clear(b);

    if (s->stop) {
        /* Already stopping: only settling what was claimed, no more callbacks. */
    } else if (s->opts->progress && s->opts->progress(s->opts->progress_ud, s->report->synced)) {
        s->report->incomplete = 1;
        s->stop = 1;
    } else if (over_budget(s)) {
        s->report->incomplete = 1;
        s->stop = 1;
    }
    if ((rc = lock_script(s, TALLY_SCRIPT_LOCK_REFRESH, &ok))) return rc;
    if (!ok) {
        return tally_error_set(s->err, TALLY_ERR_SERVER,
                               "lost the sync lock (it expired after %ld ms): stopping so that two runs never "
                               "race; the next run finishes the work", s->opts->lock_ttl_ms);
    }
    return TALLY_OK;
}

/* ---- claims --------------------------------------------------------------------------- */

typedef struct {
    long long seq;
    int found;
} applied_probe;

static int probe_row(void *ud, const char *key, size_t key_len, long long count, long long seq)
{
    applied_probe *p = ud;
    (void)key;
    (void)key_len;
    (void)count;
    if (seq == p->seq) {
        p->found = 1;
        return 1;
    }
    return 0;
}

/* Adds one claim reply ({kind, {field, value, ...}}) to the batch. Takes the reply and the
 * owner; returns non-zero with err filled when the claim cannot be used. */
static tally_code take_claim(run_state *s, tally_owner_keys *o, redisReply *r)
{
    batch *b = &s->b;
    redisReply *fields;
    long long kind, seq = -1, v;
    size_t first = b->n, nonzero = 0;
    claim_ref *c;
    tally_code rc;

    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "claiming pending counters", s->err);
        freeReplyObject(r);
        tally_owner_keys_free(o);
        return rc;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 || r->element[0]->type != REDIS_REPLY_INTEGER) {
        freeReplyObject(r);
        tally_owner_keys_free(o);
        return tally_error_set(s->err, TALLY_ERR_PROTOCOL, "unexpected reply to the claim script");
    }
    kind = r->element[0]->integer;
    if (kind == 2) {                 /* nothing pending any more */
        freeReplyObject(r);
        tally_owner_keys_free(o);
        return TALLY_OK;
    }
    fields = r->elements == 2 ? r->element[1] : NULL;
    if (!fields || fields->type != REDIS_REPLY_ARRAY || fields->elements % 2) {
        freeReplyObject(r);
        tally_owner_keys_free(o);
        return tally_error_set(s->err, TALLY_ERR_PROTOCOL, "unexpected reply to the claim script");
    }
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        redisReply *f = fields->element[i], *val = fields->element[i + 1];
        if (f->len == 0) {
            if (tally_parse_int(val->str, val->len, &seq)) seq = -1;
            continue;
        }
        if (tally_parse_int(val->str, val->len, &v)) {
            rc = tally_error_set(s->err, TALLY_ERR_WRONGTYPE, "counter '%.*s' of %.*s #%.*s holds '%.*s', not an integer",
                                 (int)(f->len > 60 ? 60 : f->len), f->str, (int)o->type_len, o->type,
                                 (int)o->id_len, o->id, (int)(val->len > 20 ? 20 : val->len), val->str);
            b->n = first;
            freeReplyObject(r);
            tally_owner_keys_free(o);
            return rc;
        }
        if (v == 0) {
            s->report->skipped++;
            continue;
        }
        if (tally_grow((void **)&b->rows, &b->cap, b->n + 1, sizeof(*b->rows))) goto oom;
        b->rows[b->n++] = (tally_row){o->type, o->type_len, o->id, o->id_len, f->str, f->len, v, 0};
        nonzero++;
    }
    if (seq < 0) {
        b->n = first;
        freeReplyObject(r);
        tally_owner_keys_free(o);
        return tally_error_set(s->err, TALLY_ERR_PROTOCOL, "a claim without a sequence number");
    }
    if (kind == 0) {
        /* A leftover of a run that died: committed iff a row carries its seq. */
        applied_probe p = {seq, 0};
        s->report->recovered++;
        if (nonzero > 0) {
            const char **keys = malloc(nonzero * sizeof(*keys));
            size_t *lens = malloc(nonzero * sizeof(*lens));
            if (!keys || !lens) {
                free(keys);
                free(lens);
                goto oom;
            }
            for (size_t i = 0; i < nonzero; i++) {
                keys[i] = b->rows[first + i].key;
                lens[i] = b->rows[first + i].key_len;
            }
            rc = s->sink->ops->read(s->sink, &(tally_owner){o->type, o->type_len, o->id, o->id_len},
                                    nonzero, keys, lens, probe_row, &p, s->err);
            free(keys);
            free(lens);
            if (rc) {
                b->n = first;
                freeReplyObject(r);
                tally_owner_keys_free(o);
                return rc;
            }
        }
        if (p.found) {
            b->n = first;        /* committed already: only release it */
        }
        if (tally_grow((void **)&s->retry, &s->cap_retry, s->nretry + 1, sizeof(*s->retry))
            || tally_key_owner_keys(s->t->prefix, s->t->prefix_len, o->type, o->type_len, o->id, o->id_len, &s->retry[s->nretry], s->err)) {
            goto oom;
        }
        s->nretry++;
    }
    for (size_t i = first; i < b->n; i++) b->rows[i].seq = seq;
    if (tally_grow((void **)&b->claims, &b->cap_claims, b->nclaims + 1, sizeof(*b->claims))
        || tally_grow((void **)&b->replies, &b->cap_replies, b->nreplies + 1, sizeof(*b->replies))) {
        goto oom;
    }
    c = &b->claims[b->nclaims++];
    c->owner = *o;
    memset(o, 0, sizeof(*o));           /* moved into the batch */
    c->seq_len = (size_t)snprintf(c->seq, sizeof(c->seq), "%lld", seq);
    b->replies[b->nreplies++] = r;
    s->report->owners++;
    return TALLY_OK;
oom:
    b->n = first;
    freeReplyObject(r);
    tally_owner_keys_free(o);
    return tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory claiming counters");
}

static int cmp_owner(const void *a, const void *b);

/* Whether an owner of the (sorted) list is already claimed in the unflushed batch: its
 * claim must be settled first, or the claim script would hand the same claim back and
 * its deltas would be written twice. */
static int batch_overlaps(const batch *b, const tally_owner_keys *sorted, size_t n)
{
    for (size_t i = 0; i < b->nclaims; i++) {
        if (bsearch(&b->claims[i].owner, sorted, n, sizeof(*sorted), cmp_owner)) return 1;
    }
    return 0;
}

/* Claims n distinct owners, sorted by key, in one round trip and feeds the batch, flushing
 * at owner boundaries. Takes the owners. */
static tally_code claim_round(run_state *s, tally_owner_keys *owners, size_t n)
{
    const char **argv = NULL;
    size_t *lens = NULL, i;
    redisReply **replies = NULL;
    char seq[24];
    size_t seq_len;
    tally_code rc = TALLY_OK;

    if (n == 0) return TALLY_OK;
    if (batch_overlaps(&s->b, owners, n) && (rc = flush(s))) goto done;
    if (++s->round >= SEQ_ROUNDS) {
        rc = tally_error_set(s->err, TALLY_ERR_ARGUMENT, "too many claim rounds in one run");
        goto done;
    }
    seq_len = (size_t)snprintf(seq, sizeof(seq), "%lld", s->fence * SEQ_ROUNDS + s->round);
    argv = malloc(sizeof(*argv) * 3 * n);
    lens = malloc(sizeof(*lens) * 3 * n);
    replies = calloc(n, sizeof(*replies));
    if (!argv || !lens || !replies) {
        rc = tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory claiming counters");
        goto done;
    }
    for (i = 0; i < n; i++) {
        argv[3 * i] = owners[i].pkey;     lens[3 * i] = owners[i].plen;
        argv[3 * i + 1] = owners[i].ckey; lens[3 * i + 1] = owners[i].clen;
        argv[3 * i + 2] = seq;            lens[3 * i + 2] = seq_len;
    }
    rc = tally_script_run_many(s->t->conn, TALLY_SCRIPT_CLAIM, 2, (int)n, 3, argv, lens, replies, s->err);
    if (rc) goto done;
    if (tally_failpoint("after-claim")) {
        for (i = 0; i < n; i++) freeReplyObject(replies[i]);
        rc = tally_error_set(s->err, TALLY_ERR_CONNECT, "failpoint after-claim");
        goto done;
    }
    for (i = 0; i < n; i++) {
        redisReply *r = replies[i];
        replies[i] = NULL;
        if (rc == TALLY_OK) {
            rc = take_claim(s, &owners[i], r);
            if (rc == TALLY_OK && s->b.n >= s->opts->batch_size) rc = flush(s);
        } else {
            freeReplyObject(r);
            tally_owner_keys_free(&owners[i]);
        }
    }
done:
    /* Owners take_claim did not take (moved ones are zeroed) are still ours to free. */
    for (size_t k = 0; k < n; k++) {
        if (owners[k].pkey) tally_owner_keys_free(&owners[k]);
    }
    free(argv);
    free(lens);
    free(replies);
    return rc;
}

/* Claims the owners in rounds no larger than what the batch can still take (every owner
 * brings at least one counter), so that a stop between batches (time budget, progress
 * callback) leaves nothing claimed but unwritten. Takes the owners; those not reached are
 * freed unclaimed and wait for the next run. */
static tally_code claim_owners(run_state *s, tally_owner_keys *owners, size_t n)
{
    tally_code rc = TALLY_OK;
    size_t off = 0;
    while (off < n && rc == TALLY_OK && !s->stop) {
        size_t room = s->b.n < s->opts->batch_size ? s->opts->batch_size - s->b.n : 1;
        size_t len = n - off < room ? n - off : room;
        rc = claim_round(s, owners + off, len);
        off += len;
        if (rc == TALLY_OK && s->b.n >= s->opts->batch_size) rc = flush(s);
    }
    for (; off < n; off++) tally_owner_keys_free(&owners[off]);
    return rc;
}

/* ---- scanning ------------------------------------------------------------------------- */

static int cmp_owner(const void *a, const void *b)
{
    const tally_owner_keys *x = a, *y = b;
    size_t n = x->plen < y->plen ? x->plen : y->plen;
    int c = memcmp(x->pkey, y->pkey, n);
    return c ? c : (x->plen > y->plen) - (x->plen < y->plen);
}

/* Sorts owners by key and drops repeats; returns how many remain. */
static size_t sort_unique(tally_owner_keys *owners, size_t n)
{
    size_t w = 0;
    qsort(owners, n, sizeof(*owners), cmp_owner);
    for (size_t i = 0; i < n; i++) {
        if (w > 0 && cmp_owner(&owners[w - 1], &owners[i]) == 0) {
            tally_owner_keys_free(&owners[i]);
        } else {
            owners[w++] = owners[i];
        }
    }
    return w;
}

/* The distinct owners named by a SCAN page (pending or claim keys). */
static tally_code page_owners(run_state *s, redisReply *keys, tally_owner_keys **out, size_t *count)
{
    tally_owner_keys *owners = calloc(keys->elements ? keys->elements : 1, sizeof(*owners));
    size_t n = 0;
    char *type = NULL, *id = NULL;
    tally_code rc = TALLY_OK;

    if (!owners) return tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory scanning");
    for (size_t i = 0; i < keys->elements; i++) {
        redisReply *k = keys->element[i];
        size_t len = k->len, tl, il;
        if (k->type != REDIS_REPLY_STRING) continue;
        if (len > 2 && memcmp(k->str + len - 2, ":c", 2) == 0) len -= 2;
        type = realloc(type, len);
        id = realloc(id, len);
        if (!type || !id) {
            rc = tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory scanning");
            break;
        }
        if (tally_key_parse_owner(s->t->prefix, s->t->prefix_len, k->str, len, type, &tl, id, &il) != 0) continue;
        if ((rc = tally_key_owner_keys(s->t->prefix, s->t->prefix_len, type, tl, id, il, &owners[n], s->err))) break;
        n++;
    }
    free(type);
    free(id);
    if (rc) {
        for (size_t i = 0; i < n; i++) tally_owner_keys_free(&owners[i]);
        free(owners);
        return rc;
    }
    *out = owners;
    *count = sort_unique(owners, n);
    return TALLY_OK;
}

/* Dry run: what a run would write, read in one atomic snapshot per owner. */
static tally_code dry_owners(run_state *s, tally_owner_keys *owners, size_t n)
{
    tally_code rc = TALLY_OK;
    for (size_t i = 0; i < n && rc == TALLY_OK; i++) {
        const char *argv[2] = {owners[i].pkey, owners[i].ckey};
        size_t lens[2] = {owners[i].plen, owners[i].clen};
        redisReply *r;
        if ((rc = tally_script_run(s->t->conn, TALLY_SCRIPT_READ_ALL, 2, 2, argv, lens, &r, s->err))) break;
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
            rc = r->type == REDIS_REPLY_ERROR ? tally_reply_error(r, "reading pending counters", s->err)
                                              : tally_error_set(s->err, TALLY_ERR_PROTOCOL, "unexpected reply");
        } else {
            int any = 0;
            for (int h = 0; h < 2; h++) {
                redisReply *f = r->element[h];
                for (size_t j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements; j += 2) {
                    long long v;
                    if (f->element[j]->len == 0) continue;
                    if (tally_parse_int(f->element[j + 1]->str, f->element[j + 1]->len, &v) == 0 && v != 0) {
                        s->report->synced++;
                        any = 1;
                    } else {
                        s->report->skipped++;
                    }
                }
            }
            s->report->owners += any;
        }
        freeReplyObject(r);
    }
    for (size_t i = 0; i < n; i++) tally_owner_keys_free(&owners[i]);
    return rc;
}

static tally_code scan_all(run_state *s)
{
    size_t mlen;
    char *match = tally_key_match_owners(s->t->prefix, s->t->prefix_len, s->opts->pattern, s->opts->pattern_len, &mlen);
    char cursor[32] = "0";
    tally_code rc = TALLY_OK;

    if (!match) return tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory scanning");
    do {
        const char *argv[6] = {"SCAN", cursor, "MATCH", match, "COUNT", SCAN_COUNT};
        size_t lens[6] = {4, strlen(cursor), 5, mlen, 5, strlen(SCAN_COUNT)};
        redisReply *r;
        tally_owner_keys *owners = NULL;
        size_t n = 0;

        if ((rc = tally_conn_command(s->t->conn, 6, argv, lens, &r, s->err))) break;
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_STRING
            || r->element[1]->type != REDIS_REPLY_ARRAY || r->element[0]->len >= sizeof(cursor)) {
            rc = r->type == REDIS_REPLY_ERROR ? tally_reply_error(r, "SCAN", s->err)
                                              : tally_error_set(s->err, TALLY_ERR_PROTOCOL, "unexpected reply to SCAN");
            freeReplyObject(r);
            break;
        }
        memcpy(cursor, r->element[0]->str, r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        rc = page_owners(s, r->element[1], &owners, &n);
        freeReplyObject(r);
        if (rc) break;
        rc = s->opts->dry_run ? dry_owners(s, owners, n) : claim_owners(s, owners, n);
        free(owners);
    } while (rc == TALLY_OK && !s->stop && strcmp(cursor, "0") != 0);
    free(match);
    return rc;
}

/* ---- the run --------------------------------------------------------------------------- */

tally_code tally_sync_run(const tally_counter *t, tally_sink *sink, const tally_sync_opts *in,
                          tally_sync_report *report, tally_error *err)
{
    tally_sync_opts opts = *in;
    run_state s;
    tally_code rc;
    int taken = 0;

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
    s.started = now();
    random_token(s.token);
    memcpy(s.lock, t->prefix, t->prefix_len);
    memcpy(s.lock + t->prefix_len, "{}:sync:lock", 13);
    s.lock_len = t->prefix_len + 12;

    if (opts.dry_run) {
        rc = scan_all(&s);
    } else {
        if ((rc = lock_take(&s, &taken))) goto out;
        if (!taken) {
            report->locked = 1;
            goto out;
        }
        if ((rc = sink->ops->begin_run(sink, t->prefix, t->prefix_len, &s.fence, err))) goto out;
        rc = scan_all(&s);
        if (rc == TALLY_OK) rc = flush(&s);
        /* Owners whose leftover claim was settled may have pending deltas behind it. */
        if (rc == TALLY_OK && !s.stop && s.nretry > 0) {
            tally_owner_keys *retry = s.retry;
            size_t n = sort_unique(s.retry, s.nretry);
            s.retry = NULL;
            s.nretry = s.cap_retry = 0;
            rc = claim_owners(&s, retry, n);
            free(retry);
            if (rc == TALLY_OK) rc = flush(&s);
        }
    }
out:
    if (rc) record_error(&s, err);
    batch_free(&s.b);
    for (size_t i = 0; i < s.nretry; i++) tally_owner_keys_free(&s.retry[i]);
    free(s.retry);
    if (taken) {
        long long ignored;
        tally_error e2;
        s.err = &e2;
        lock_script(&s, TALLY_SCRIPT_LOCK_RELEASE, &ignored);
    }
    report->seconds = now() - s.started;
    return rc;
}
