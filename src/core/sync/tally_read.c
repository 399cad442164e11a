/* Exact reads: see tally_read.h. */
#include "sync/tally_read.h"
#include "tally_buffer.h"
#include "util/tally_failpoint.h"
#include "util/tally_grow.h"
#include "tally_key.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct {
    size_t n;
    const char *const *keys;
    const size_t *lens;
    long long *count;
    long long *seq;
    char *found;
} key_rows;

static int collect_keyed(void *ud, const char *key, size_t len, long long count, long long seq)
{
    key_rows *k = ud;
    for (size_t i = 0; i < k->n; i++) {
        if (k->lens[i] == len && (len == 0 || memcmp(k->keys[i], key, len) == 0)) {
            k->count[i] = count;
            k->seq[i] = seq;
            k->found[i] = 1;
        }
    }
    return 0;
}

/* *v += d, refusing what does not fit in 64 bits (the stored value plus what is pending). */
static tally_code add_checked(long long *v, long long d, const char *key, size_t len, tally_error *err)
{
    if (__builtin_add_overflow(*v, d, v)) {
        return tally_error_set(err, TALLY_ERR_OVERFLOW,
                               "counter '%.*s': the stored value plus the pending deltas does not fit in 64 bits",
                               (int)(len > 60 ? 60 : len), key);
    }
    return TALLY_OK;
}

/* Whether the in-flight claim (seq cseq) is in a row: yes when the row carries cseq, no when
 * there is no row or an older seq. A NEWER seq has two explanations: the claim was released
 * and a newer one written between our Redis read and our SQL read (it is in SQL), or a stale
 * run (its lock expired) claimed after a newer run had written the owner (it is not, and
 * stays out until a run recovers it). newer_row() tells them apart. */
enum { CLAIM_IN_ROW, CLAIM_NOT_IN_ROW, CLAIM_ROW_NEWER };

static int claim_vs_row(long long cseq, int row_found, long long row_seq)
{
    if (!row_found || row_seq < cseq) return CLAIM_NOT_IN_ROW;
    return row_seq == cseq ? CLAIM_IN_ROW : CLAIM_ROW_NEWER;
}

/* Reads that found rows newer than the in-flight claim and then the claim gone are retried
 * (each retry means a whole sync of the owner happened during the read); after this many,
 * the claim is taken as written (the common explanation). */
#define READ_ATTEMPTS 4

/* A row newer than the claim was met, after the SQL read. If C still holds cseq, the claim
 * was never released during our read, so no newer claim of the owner can have been written
 * after it was committed: it is not in SQL (*stale = 1, its delta counts). If C is gone or
 * holds another claim, it was released after our Redis read: *again, unless this is the
 * last attempt (then it is taken as written). */
static tally_code newer_row(const tally_counter *t, const tally_owner_keys *ow, long long cseq, int last,
                            int *stale, int *again, tally_error *err)
{
    const char *argv[3] = {"HGET", ow->ckey, ""};
    size_t lens[3] = {4, ow->clen, 0};
    redisReply *r = NULL;
    long long v;
    tally_code rc = tally_conn_command(t->conn, 3, argv, lens, &r, err);
    if (rc) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "reading counters", err);
    } else {
        *stale = r->type == REDIS_REPLY_STRING && !tally_parse_int(r->str, r->len, &v) && v == cseq;
        *again = !*stale && !last;
    }
    tally_reply_free(r);
    return rc;
}

/* Whether C's delta counts for a row (see claim_vs_row() and newer_row()). */
static int inflight_counts(long long cseq, int stale, int row_found, long long row_seq)
{
    int v = claim_vs_row(cseq, row_found, row_seq);
    return cseq >= 0 && (v == CLAIM_NOT_IN_ROW || (v == CLAIM_ROW_NEWER && stale));
}

/* C's delta d (a reply value) added to *v. */
static tally_code add_inflight(long long *v, const redisReply *cval, const char *key, size_t len, tally_error *err)
{
    long long d;
    if (!cval || cval->type != REDIS_REPLY_STRING) return TALLY_OK;
    if (tally_parse_int(cval->str, cval->len, &d)) {
        return tally_error_set(err, TALLY_ERR_WRONGTYPE, "an in-flight value is not an integer");
    }
    return add_checked(v, d, key, len, err);
}

/* One attempt of tally_read_keys(); *again when it must be read again (see newer_row()). */
static tally_code read_keys_once(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                                 const tally_owner_keys *ow, size_t n, const char *const *keys, const size_t *key_lens,
                                 const char **argv, size_t *lens, key_rows *k, long long *values, int last,
                                 int *again, tally_error *err)
{
    redisReply *r = NULL;
    long long cseq = -1;
    int stale = 0;
    tally_code rc;

    memset(k->found, 0, n);
    memset(k->count, 0, n * sizeof(*k->count));
    memset(k->seq, 0, n * sizeof(*k->seq));
    /* Redis first, then SQL: a claim committed in between is then seen in SQL together
     * with its seq, so it is counted once. */
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_READ_KEYS, 3, (int)n + 3, argv, lens, &r, err))) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "reading counters", err);
        goto done;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 || r->element[0]->elements != n
        || r->element[1]->elements != n + 1 || r->element[2]->elements != n) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
        goto done;
    }
    if (r->element[1]->element[0]->type == REDIS_REPLY_STRING
        && tally_parse_int(r->element[1]->element[0]->str, r->element[1]->element[0]->len, &cseq)) {
        cseq = -1;
    }
    tally_failpoint("read-before-sql");
    if ((rc = sink->ops->read(sink, o, n, keys, key_lens, collect_keyed, k, err))) goto done;
    for (size_t i = 0; cseq >= 0 && i < n; i++) {
        if (r->element[1]->element[i + 1]->type == REDIS_REPLY_STRING
            && claim_vs_row(cseq, k->found[i], k->seq[i]) == CLAIM_ROW_NEWER) {
            if ((rc = newer_row(t, ow, cseq, last, &stale, again, err)) || *again) goto done;
            break;
        }
    }
    for (size_t i = 0; i < n && rc == TALLY_OK; i++) {
        long long p = 0, f = 0;
        if ((rc = tally_reply_int(r->element[0]->element[i], "reading counters", &p, err))
            || (rc = tally_reply_int(r->element[2]->element[i], "reading counters", &f, err))) break;
        values[i] = k->count[i];
        /* Set aside (F) is pending like P: never in SQL until it is retried through P. */
        if ((rc = add_checked(&values[i], p, keys[i], key_lens[i], err))
            || (rc = add_checked(&values[i], f, keys[i], key_lens[i], err))) break;
        if (inflight_counts(cseq, stale, k->found[i], k->seq[i])) {
            rc = add_inflight(&values[i], r->element[1]->element[i + 1], keys[i], key_lens[i], err);
        }
        if (rc == TALLY_OK && t->buffer) {
            rc = add_checked(&values[i], tally_buffer_get(t->buffer, ow->pkey, ow->plen, keys[i], key_lens[i]),
                             keys[i], key_lens[i], err);
        }
    }
done:
    tally_reply_free(r);
    return rc;
}

tally_code tally_read_keys(const tally_counter *t, tally_sink *sink, const tally_owner *o, size_t n,
                           const char *const *keys, const size_t *key_lens, long long *values, tally_error *err)
{
    tally_owner_keys ow;
    const char **argv = NULL;
    size_t *lens = NULL;
    key_rows k = {n, keys, key_lens, NULL, NULL, NULL};
    int again = 1;
    tally_code rc = TALLY_OK;

    for (size_t i = 0; i < n; i++) {
        if ((rc = tally_key_check_name("counter key", keys[i], key_lens[i], t->max_key_len, err))) return rc;
    }
    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len, &ow, err))) return rc;
    if (n == 0) {
        tally_owner_keys_free(&ow);
        return TALLY_OK;
    }
    argv = malloc((n + 3) * sizeof(*argv));
    lens = malloc((n + 3) * sizeof(*lens));
    k.count = calloc(n, sizeof(*k.count));
    k.seq = calloc(n, sizeof(*k.seq));
    k.found = calloc(n, 1);
    if (!argv || !lens || !k.count || !k.seq || !k.found) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        goto done;
    }
    argv[0] = ow.pkey; lens[0] = ow.plen;
    argv[1] = ow.ckey; lens[1] = ow.clen;
    argv[2] = ow.fkey; lens[2] = ow.flen;
    memcpy(argv + 3, keys, n * sizeof(*argv));
    memcpy(lens + 3, key_lens, n * sizeof(*lens));
    for (int attempt = 1; again && rc == TALLY_OK; attempt++) {
        again = 0;
        rc = read_keys_once(t, sink, o, &ow, n, keys, key_lens, argv, lens, &k, values, attempt == READ_ATTEMPTS,
                            &again, err);
    }
done:
    free(argv);
    free(lens);
    free(k.count);
    free(k.seq);
    free(k.found);
    tally_owner_keys_free(&ow);
    return rc;
}

typedef struct {
    char *key;
    size_t len;
    long long count, seq;
    int found;
} stored;

typedef struct {
    stored *rows;
    size_t n, cap;
    int oom;
} stored_list;

/* A new row holding a copy of key, NUL-terminated: callers hand keys on as C strings
 * (PHP's symbol tables read key[0] even of an empty key), and an empty key may come
 * from the driver as NULL (SQLite's zero-length blob). */
static stored *add_row(stored_list *l, const char *key, size_t len, long long count, long long seq, int found)
{
    stored *row;
    if (tally_grow((void **)&l->rows, &l->cap, l->n + 1, sizeof(*l->rows))) return NULL;
    row = &l->rows[l->n];
    if (!(row->key = malloc(len + 1))) return NULL;
    if (len) memcpy(row->key, key, len);
    row->key[len] = '\0';
    row->len = len;
    row->count = count;
    row->seq = seq;
    row->found = found;
    l->n++;
    return row;
}

static int collect_all(void *ud, const char *key, size_t len, long long count, long long seq)
{
    stored_list *l = ud;
    if (!add_row(l, key, len, count, seq, 1)) {
        l->oom = 1;
        return 1;
    }
    return 0;
}

static stored *find_row(stored_list *l, const char *key, size_t len)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->rows[i].len == len && (len == 0 || memcmp(l->rows[i].key, key, len) == 0)) return &l->rows[i];
    }
    return NULL;
}

static stored *find_or_add(stored_list *l, const char *key, size_t len)
{
    stored *row = find_row(l, key, len);
    return row ? row : add_row(l, key, len, 0, 0, 0);
}

typedef struct {
    stored_list *l;
    tally_code rc;
    tally_error *err;
} buffered_rows;

static int add_buffered_row(void *ud, const char *key, size_t len, long long delta)
{
    buffered_rows *b = ud;
    stored *row = find_or_add(b->l, key, len);
    if (!row) {
        b->rc = tally_error_set(b->err, TALLY_ERR_MEMORY, "out of memory reading counters");
    } else {
        b->rc = add_checked(&row->count, delta, key, len, b->err);
    }
    return b->rc != TALLY_OK;
}

static void stored_list_clear(stored_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->rows[i].key);
    l->n = 0;
    l->oom = 0;
}

/* One attempt of tally_read_all(): fills l; *again when it must be read again. */
static tally_code read_all_once(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                                const tally_owner_keys *ow, stored_list *l, int last, int *again, tally_error *err)
{
    const char *argv[3] = {ow->pkey, ow->ckey, ow->fkey};
    size_t lens[3] = {ow->plen, ow->clen, ow->flen};
    redisReply *r = NULL, *c;
    long long cseq = -1;
    int stale = 0;
    tally_code rc;

    stored_list_clear(l);
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_READ_ALL, 3, 3, argv, lens, &r, err))) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "reading counters", err);
        goto done;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
        goto done;
    }
    tally_failpoint("read-before-sql");
    if ((rc = sink->ops->read(sink, o, 0, NULL, NULL, collect_all, l, err))) goto done;
    if (l->oom) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        goto done;
    }
    c = r->element[1];
    for (size_t j = 0; c->type == REDIS_REPLY_ARRAY && j + 1 < c->elements; j += 2) {
        if (c->element[j]->len == 0 && tally_parse_int(c->element[j + 1]->str, c->element[j + 1]->len, &cseq)) cseq = -1;
    }
    /* Rows newer than the claim: see newer_row(). */
    for (size_t j = 0; cseq >= 0 && c->type == REDIS_REPLY_ARRAY && j + 1 < c->elements; j += 2) {
        stored *row = c->element[j]->len ? find_row(l, c->element[j]->str, c->element[j]->len) : NULL;
        if (row && claim_vs_row(cseq, row->found, row->seq) == CLAIM_ROW_NEWER) {
            if ((rc = newer_row(t, ow, cseq, last, &stale, again, err)) || *again) goto done;
            break;
        }
    }
    /* Merge: SQL rows, then pending (P), in flight (C) and set aside (F, pending too). */
    for (int h = 0; h < 3 && rc == TALLY_OK; h++) {
        redisReply *f = r->element[h];
        for (size_t j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements && rc == TALLY_OK; j += 2) {
            redisReply *key = f->element[j], *val = f->element[j + 1];
            stored *row;
            long long d;
            if (key->len == 0) continue;
            if (!(row = find_or_add(l, key->str, key->len))) {
                rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
                break;
            }
            if (tally_parse_int(val->str, val->len, &d)) {
                rc = tally_error_set(err, TALLY_ERR_WRONGTYPE, "counter '%.*s' holds a non-integer",
                                     (int)(key->len > 60 ? 60 : key->len), key->str);
                break;
            }
            if (h != 1 || inflight_counts(cseq, stale, row->found, row->seq)) {
                rc = add_checked(&row->count, d, key->str, key->len, err);
            }
        }
    }
done:
    tally_reply_free(r);
    return rc;
}

tally_code tally_read_all(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                          tally_kv_cb cb, void *ud, tally_error *err)
{
    tally_owner_keys ow;
    stored_list l = {0};
    int again = 1;
    tally_code rc = TALLY_OK;

    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len, &ow, err))) return rc;
    for (int attempt = 1; again && rc == TALLY_OK; attempt++) {
        again = 0;
        rc = read_all_once(t, sink, o, &ow, &l, attempt == READ_ATTEMPTS, &again, err);
    }
    /* And what this process still holds in its buffer. */
    if (rc == TALLY_OK && t->buffer) {
        buffered_rows br = {&l, TALLY_OK, err};
        tally_buffer_rest(t->buffer, ow.pkey, ow.plen, add_buffered_row, &br);
        rc = br.rc;
    }
    for (size_t i = 0; i < l.n && rc == TALLY_OK; i++) {
        if (cb(ud, l.rows[i].key, l.rows[i].len, l.rows[i].count)) break;
    }
    stored_list_clear(&l);
    free(l.rows);
    tally_owner_keys_free(&ow);
    return rc;
}
