/* Exact reads: see tally_read.h. */
#include "sync/tally_read.h"
#include "sync/tally_read_int.h"
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

static int collect_keyed(void *ud, const char *key, size_t len, int32_t start, long long count, long long seq)
{
    key_rows *k = ud;
    (void)start;                /* one start per read of keys */
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

static tally_code multi_snapshot(const tally_counter *t, const char *cmd, const char *const *words, const size_t *lens,
                                 size_t n, redisReply **r, tally_error *err);

tally_code tally_read_all_snapshot(const tally_counter *t, const tally_owner_keys *ow, redisReply **r, tally_error *err)
{
    const char *argv[3] = {ow->pkey, ow->ckey, ow->fkey};
    size_t lens[3] = {ow->plen, ow->clen, ow->flen};
    tally_code rc;
    *r = NULL;
    if (!tally_conn_is_cluster(t->conn)) return multi_snapshot(t, "HGETALL", argv, lens, 0, r, err);
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_READ_ALL, 3, 3, argv, lens, r, err))) return rc;
    if ((*r)->type == REDIS_REPLY_ERROR) return tally_reply_error(*r, "reading counters", err);
    if ((*r)->type != REDIS_REPLY_ARRAY || (*r)->elements != 3) {
        return tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
    }
    return TALLY_OK;
}

tally_code tally_read_owner_reply(const redisReply *r, size_t i, size_t owners, size_t n, const redisReply **own,
                                  long long *cseq, tally_error *err)
{
    if (r->type == REDIS_REPLY_ERROR) return tally_reply_error(r, "reading counters", err);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != owners) {
        return tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
    }
    *own = r->element[i];
    return tally_read_check_reply(*own, n, cseq, err);
}

tally_code tally_read_check_reply(const redisReply *r, size_t n, long long *cseq, tally_error *err)
{
    if (r->type == REDIS_REPLY_ERROR) return tally_reply_error(r, "reading counters", err);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 || r->element[0]->elements != n
        || r->element[1]->elements != n + 1 || r->element[2]->elements != n) {
        return tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
    }
    *cseq = -1;
    if (r->element[1]->element[0]->type == REDIS_REPLY_STRING
        && tally_parse_int(r->element[1]->element[0]->str, r->element[1]->element[0]->len, cseq)) {
        *cseq = -1;
    }
    return TALLY_OK;
}

int tally_read_row_newer(const redisReply *r, long long cseq, size_t n, const char *found, const long long *seq)
{
    for (size_t i = 0; cseq >= 0 && i < n; i++) {
        if (r->element[1]->element[i + 1]->type == REDIS_REPLY_STRING
            && claim_vs_row(cseq, found[i], seq[i]) == CLAIM_ROW_NEWER) {
            return 1;
        }
    }
    return 0;
}

tally_code tally_read_combine(const tally_counter *t, const tally_owner_keys *ow, const redisReply *r, long long cseq,
                              int stale, const tally_read_rows *rows, const char *const *fields, const size_t *flens,
                              const char *const *keys, const size_t *key_lens, long long *values, tally_error *err)
{
    tally_code rc = TALLY_OK;
    for (size_t i = 0; i < rows->n && rc == TALLY_OK; i++) {
        long long p = 0, f = 0;
        if ((rc = tally_reply_int(r->element[0]->element[i], "reading counters", &p, err))
            || (rc = tally_reply_int(r->element[2]->element[i], "reading counters", &f, err))) break;
        values[i] = rows->count[i];
        /* Set aside (F) is pending like P: never in SQL until it is retried through P. */
        if ((rc = add_checked(&values[i], p, keys[i], key_lens[i], err))
            || (rc = add_checked(&values[i], f, keys[i], key_lens[i], err))) break;
        if (inflight_counts(cseq, stale, rows->found[i], rows->seq[i])) {
            rc = add_inflight(&values[i], r->element[1]->element[i + 1], keys[i], key_lens[i], err);
        }
        if (rc == TALLY_OK && t->buffer) {
            rc = add_checked(&values[i], tally_buffer_get(t->buffer, ow->pkey, ow->plen, fields[i], flens[i]),
                             keys[i], key_lens[i], err);
        }
    }
    return rc;
}

/* On one Redis (not a cluster), the atomic snapshot of READ_KEYS / READ_ALL without Lua:
 * MULTI, then cmd (HMGET or HGETALL) of P, C and F, then EXEC, in one round trip; EXEC's
 * reply has the script's shape ({P, C, F}; for HMGET C's first field is the claim's seq '').
 * A script costs Redis several times what the three commands cost. keys: P, C, F; the n
 * fields follow them in words/lens (tally_read_keys()'s argv). *r is EXEC's reply, whose
 * three parts are checked for errors (WRONGTYPE of one hash).
 */
#define MULTI_SMALL 8
static tally_code multi_snapshot(const tally_counter *t, const char *cmd, const char *const *words, const size_t *lens,
                                 size_t n, redisReply **r, tally_error *err)
{
    const char *sw[3][MULTI_SMALL + 3], **w[3];
    size_t sl[3][MULTI_SMALL + 3], *l[3];
    const char *multi = "MULTI", *exec = "EXEC";
    size_t multi_len = 5, exec_len = 4;
    const char *const *cv[5];
    const size_t *cl[5];
    int cc[5], hmget = strcmp(cmd, "HMGET") == 0;
    redisReply *rep[5] = {NULL};
    tally_code rc = TALLY_OK;

    for (int h = 0; h < 3; h++) {
        w[h] = n <= MULTI_SMALL ? sw[h] : malloc((n + 3) * sizeof(*w[h]));
        l[h] = n <= MULTI_SMALL ? sl[h] : malloc((n + 3) * sizeof(*l[h]));
    }
    if (!w[0] || !w[1] || !w[2] || !l[0] || !l[1] || !l[2]) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        goto done;
    }
    for (int h = 0; h < 3; h++) {
        size_t at = 0;
        w[h][at] = cmd; l[h][at++] = strlen(cmd);
        w[h][at] = words[h]; l[h][at++] = lens[h];
        if (hmget && h == 1) {       /* the claim's seq first, as READ_KEYS has it */
            w[h][at] = ""; l[h][at++] = 0;
        }
        if (n) {
            memcpy(w[h] + at, words + 3, n * sizeof(*w[h]));
            memcpy(l[h] + at, lens + 3, n * sizeof(*l[h]));
        }
        cv[h + 1] = w[h];
        cl[h + 1] = l[h];
        cc[h + 1] = (int)(at + n);
    }
    cv[0] = &multi; cl[0] = &multi_len; cc[0] = 1;
    cv[4] = &exec;  cl[4] = &exec_len;  cc[4] = 1;
    if ((rc = tally_conn_pipeline(t->conn, 5, cc, cv, cl, rep, err))) goto done;
    for (int i = 0; i < 5 && rc == TALLY_OK; i++) {
        if (rep[i]->type == REDIS_REPLY_ERROR) rc = tally_reply_error(rep[i], "reading counters", err);
    }
    if (rc == TALLY_OK && (rep[4]->type != REDIS_REPLY_ARRAY || rep[4]->elements != 3)) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
    }
    for (size_t h = 0; h < 3 && rc == TALLY_OK; h++) {
        if (rep[4]->element[h]->type == REDIS_REPLY_ERROR) rc = tally_reply_error(rep[4]->element[h], "reading counters", err);
    }
    *r = rep[4];
    rep[4] = NULL;
done:
    for (int i = 0; i < 5; i++) tally_reply_free(rep[i]);
    for (int h = 0; h < 3; h++) {
        if (w[h] != sw[h]) free(w[h]);
        if (l[h] != sl[h]) free(l[h]);
    }
    return rc;
}

/* One attempt of tally_read_keys(); *again when it must be read again (see newer_row()). */
static tally_code read_keys_once(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                                 const tally_owner_keys *ow, const tally_read_query *q, const char **argv, size_t *lens,
                                 key_rows *k, long long *values, int last, int *again, tally_error *err)
{
    size_t n = q->n;
    redisReply *r = NULL;
    const redisReply *own = NULL;
    long long cseq = -1;
    int stale = 0;
    tally_read_rows rows = {n, k->count, k->seq, k->found};
    tally_code rc;

    memset(k->found, 0, n);
    memset(k->count, 0, n * sizeof(*k->count));
    memset(k->seq, 0, n * sizeof(*k->seq));
    /* Redis first, then SQL: a claim committed in between is then seen in SQL together
     * with its seq, so it is counted once. */
    if (!tally_conn_is_cluster(t->conn)) {
        if ((rc = multi_snapshot(t, "HMGET", argv, lens, n, &r, err)) || (rc = tally_read_check_reply(r, n, &cseq, err))) goto done;
        own = r;
    } else {
        if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_READ_KEYS, 3, (int)n + 3, argv, lens, &r, err))) return rc;
        if ((rc = tally_read_owner_reply(r, 0, 1, n, &own, &cseq, err))) goto done;
    }
    tally_failpoint("read-before-sql");
    if ((rc = sink->ops->read(sink, o, q, collect_keyed, k, err))) goto done;
    if (tally_read_row_newer(own, cseq, n, k->found, k->seq)
        && ((rc = newer_row(t, ow, cseq, last, &stale, again, err)) || *again)) {
        goto done;
    }
    rc = tally_read_combine(t, ow, own, cseq, stale, &rows, argv + 3, lens + 3, q->keys, q->key_lens, values, err);
done:
    tally_reply_free(r);
    return rc;
}

/* A read of up to this many keys (get(), a getMany() of a few) allocates nothing here. */
#define READ_SMALL TALLY_FIELDS_SMALL

typedef struct {
    const char *argv[READ_SMALL + 3];
    size_t lens[READ_SMALL + 3];
    long long count[READ_SMALL], seq[READ_SMALL];
    char found[READ_SMALL];
} read_small;

tally_code tally_read_keys(const tally_counter *t, tally_sink *sink, const tally_owner *o, tally_period period,
                           int32_t start, size_t n, const char *const *keys, const size_t *key_lens, long long *values,
                           tally_error *err)
{
    tally_owner_keys ow;
    const char **argv = NULL;
    size_t *lens = NULL;
    tally_fields f = {.ptr = NULL, .len = NULL, .bytes = NULL};
    tally_target target = {period, start};
    key_rows k = {n, keys, key_lens, NULL, NULL, NULL};
    tally_read_query q = {n, keys, key_lens, period, start, start, 0};
    read_small small;
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
    if (n <= READ_SMALL) {
        argv = small.argv;
        lens = small.lens;
        k.count = small.count;
        k.seq = small.seq;
        k.found = small.found;
    } else {
        argv = malloc((n + 3) * sizeof(*argv));
        lens = malloc((n + 3) * sizeof(*lens));
        k.count = calloc(n, sizeof(*k.count));
        k.seq = calloc(n, sizeof(*k.seq));
        k.found = calloc(n, 1);
    }
    if (!argv || !lens || !k.count || !k.seq || !k.found) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        goto done;
    }
    if ((rc = tally_fields_build(n, keys, key_lens, 1, &target, &f, err))) goto done;
    argv[0] = ow.pkey; lens[0] = ow.plen;
    argv[1] = ow.ckey; lens[1] = ow.clen;
    argv[2] = ow.fkey; lens[2] = ow.flen;
    memcpy(argv + 3, f.ptr, n * sizeof(*argv));
    memcpy(lens + 3, f.len, n * sizeof(*lens));
    for (int attempt = 1; again && rc == TALLY_OK; attempt++) {
        again = 0;
        rc = read_keys_once(t, sink, o, &ow, &q, argv, lens, &k, values, attempt == READ_ATTEMPTS, &again, err);
    }
done:
    if (argv != small.argv) {
        free(argv);
        free(lens);
        free(k.count);
        free(k.seq);
        free(k.found);
    }
    tally_fields_free(&f);
    tally_owner_keys_free(&ow);
    return rc;
}

typedef struct {
    char *key;                /* the row's own copy, or NULL: the filter's one key */
    size_t len;
    int32_t start;
    long long count, seq;
    int found;
} stored;

/* Which counters a read of stored rows is about: one period kind (NONE: lifetime), of one key
 * (NULL: every key), whose starts lie in [from, to]. */
typedef struct {
    tally_period period;
    const char *key;
    size_t key_len;
    int32_t from, to;
} row_filter;

typedef struct {
    stored *rows;
    size_t n, cap;
    int oom;
    const row_filter *filter;
} stored_list;

/* A Redis field of the owner's hashes as the counter it is, when the read is about it. */
static int field_wanted(const row_filter *w, const char *f, size_t flen, const char **key, size_t *len, int32_t *start)
{
    tally_period p;
    if (flen == 0) return 0;                 /* the claim's seq */
    tally_field_decode(f, flen, &p, start, key, len);
    return p == w->period && *start >= w->from && *start <= w->to
           && (!w->key || (*len == w->key_len && memcmp(*key, w->key, *len) == 0));
}

/* The key of a row: its copy, or the filter's when the read is of one key. */
static const char *row_key(const stored_list *l, const stored *row)
{
    return row->key ? row->key : l->filter->key;
}

/* A new row. A read of every key copies each key, NUL-terminated: callers hand keys on as C
 * strings (PHP's symbol tables read key[0] even of an empty key), and an empty key may come
 * from the driver as NULL (SQLite's zero-length blob). A read of one key (a history, a sum)
 * only keeps rows of that key (field_wanted(), the SQL's filter), so its rows copy nothing:
 * a 30-day history made 30 mallocs for 30 copies of one key. */
static stored *add_row(stored_list *l, const char *key, size_t len, int32_t start, long long count, long long seq,
                       int found)
{
    stored *row;
    if (tally_grow((void **)&l->rows, &l->cap, l->n + 1, sizeof(*l->rows))) return NULL;
    row = &l->rows[l->n];
    row->key = NULL;
    if (!l->filter->key) {
        if (!(row->key = malloc(len + 1))) return NULL;
        if (len) memcpy(row->key, key, len);
        row->key[len] = '\0';
    }
    row->len = len;
    row->start = start;
    row->count = count;
    row->seq = seq;
    row->found = found;
    l->n++;
    return row;
}

static int collect_all(void *ud, const char *key, size_t len, int32_t start, long long count, long long seq)
{
    stored_list *l = ud;
    if (!add_row(l, key, len, start, count, seq, 1)) {
        l->oom = 1;
        return 1;
    }
    return 0;
}

static stored *find_row(stored_list *l, const char *key, size_t len, int32_t start)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->rows[i].len == len && l->rows[i].start == start && (len == 0 || memcmp(row_key(l, &l->rows[i]), key, len) == 0)) {
            return &l->rows[i];
        }
    }
    return NULL;
}

static stored *find_or_add(stored_list *l, const char *key, size_t len, int32_t start)
{
    stored *row = find_row(l, key, len, start);
    return row ? row : add_row(l, key, len, start, 0, 0, 0);
}

typedef struct {
    stored_list *l;
    tally_code rc;
    tally_error *err;
} buffered_rows;

static int add_buffered_row(void *ud, const char *field, size_t flen, long long delta)
{
    buffered_rows *b = ud;
    const char *key;
    size_t len;
    int32_t start;
    stored *row;
    if (!field_wanted(b->l->filter, field, flen, &key, &len, &start)) return 0;
    if (!(row = find_or_add(b->l, key, len, start))) {
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

/* One attempt of read_stored(): fills l; *again when it must be read again. */
static tally_code read_stored_once(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                                   const tally_owner_keys *ow, stored_list *l, int last, int *again, tally_error *err)
{
    const row_filter *w = l->filter;
    tally_read_query q = {w->key ? 1 : 0, &w->key, &w->key_len, w->period, w->from, w->to, 0};
    redisReply *r = NULL, *c;
    long long cseq = -1;
    int stale = 0;
    tally_code rc;

    stored_list_clear(l);
    if ((rc = tally_read_all_snapshot(t, ow, &r, err))) goto done;
    tally_failpoint("read-before-sql");
    if ((rc = sink->ops->read(sink, o, &q, collect_all, l, err))) goto done;
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
        const char *key;
        size_t len;
        int32_t start;
        stored *row = field_wanted(w, c->element[j]->str, c->element[j]->len, &key, &len, &start)
                          ? find_row(l, key, len, start) : NULL;
        if (row && claim_vs_row(cseq, row->found, row->seq) == CLAIM_ROW_NEWER) {
            if ((rc = newer_row(t, ow, cseq, last, &stale, again, err)) || *again) goto done;
            break;
        }
    }
    /* Merge: SQL rows, then pending (P), in flight (C) and set aside (F, pending too). */
    for (int h = 0; h < 3 && rc == TALLY_OK; h++) {
        redisReply *f = r->element[h];
        for (size_t j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements && rc == TALLY_OK; j += 2) {
            redisReply *field = f->element[j], *val = f->element[j + 1];
            const char *key;
            size_t len;
            int32_t start;
            stored *row;
            long long d;
            if (!field_wanted(w, field->str, field->len, &key, &len, &start)) continue;
            if (!(row = find_or_add(l, key, len, start))) {
                rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
                break;
            }
            if (tally_parse_int(val->str, val->len, &d)) {
                rc = tally_error_set(err, TALLY_ERR_WRONGTYPE, "counter '%.*s' holds a non-integer",
                                     (int)(len > 60 ? 60 : len), key);
                break;
            }
            if (h != 1 || inflight_counts(cseq, stale, row->found, row->seq)) {
                rc = add_checked(&row->count, d, key, len, err);
            }
        }
    }
done:
    tally_reply_free(r);
    return rc;
}

/* Every counter the filter selects, stored or pending, through cb(ud, its key, its row). */
typedef int (*stored_cb)(void *ud, const char *key, const stored *row);

static tally_code read_stored(const tally_counter *t, tally_sink *sink, const tally_owner *o, const row_filter *w,
                              stored_cb cb, void *ud, tally_error *err)
{
    tally_owner_keys ow;
    stored_list l = {0};
    int again = 1;
    tally_code rc = TALLY_OK;

    l.filter = w;
    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len, &ow, err))) return rc;
    for (int attempt = 1; again && rc == TALLY_OK; attempt++) {
        again = 0;
        rc = read_stored_once(t, sink, o, &ow, &l, attempt == READ_ATTEMPTS, &again, err);
    }
    /* And what this process still holds in its buffer. */
    if (rc == TALLY_OK && t->buffer) {
        buffered_rows br = {&l, TALLY_OK, err};
        tally_buffer_rest(t->buffer, ow.pkey, ow.plen, add_buffered_row, &br);
        rc = br.rc;
    }
    for (size_t i = 0; i < l.n && rc == TALLY_OK; i++) {
        if (cb(ud, row_key(&l, &l.rows[i]), &l.rows[i])) break;
    }
    stored_list_clear(&l);
    free(l.rows);
    tally_owner_keys_free(&ow);
    return rc;
}

typedef struct {
    tally_kv_cb cb;
    void *ud;
} kv_out;

static int to_kv(void *ud, const char *key, const stored *row)
{
    kv_out *k = ud;
    return k->cb(k->ud, key, row->len, row->count);
}

tally_code tally_read_all(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                          tally_kv_cb cb, void *ud, tally_error *err)
{
    row_filter w = {TALLY_PERIOD_NONE, NULL, 0, 0, 0};
    kv_out k = {cb, ud};
    return read_stored(t, sink, o, &w, to_kv, &k, err);
}

typedef struct {
    tally_period period;
    int32_t first;              /* history: the oldest start; sum: unused */
    size_t n;
    long long *values;          /* history */
    long long sum;              /* sum */
    tally_code rc;
    tally_error *err;
} period_out;

static int to_history(void *ud, const char *key, const stored *row)
{
    period_out *h = ud;
    (void)key;
    /* Every row read lies in the range, on a first day of the period. */
    int32_t i = tally_period_index(h->period, h->first, row->start);
    if (i >= 0 && (size_t)i < h->n) h->values[i] = row->count;
    return 0;
}

static int to_sum(void *ud, const char *key, const stored *row)
{
    period_out *h = ud;
    h->rc = add_checked(&h->sum, row->count, key, row->len, h->err);
    return h->rc != TALLY_OK;
}

static tally_code check_period_read(const tally_counter *t, tally_period period, const char *key, size_t key_len,
                                    tally_error *err)
{
    if (period == TALLY_PERIOD_NONE || !tally_period_name(period)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a history or sum needs a period (day, week, month, quarter, year)");
    }
    return tally_key_check_name("counter key", key, key_len, t->max_key_len, err);
}

tally_code tally_read_history(const tally_counter *t, tally_sink *sink, const tally_owner *o, const char *key,
                              size_t key_len, tally_period period, int32_t last, size_t n, long long *values,
                              tally_error *err)
{
    period_out h = {period, 0, n, values, 0, TALLY_OK, err};
    row_filter w = {period, key, key_len, 0, 0};
    tally_code rc;
    if ((rc = check_period_read(t, period, key, key_len, err))) return rc;
    if (n == 0 || n > TALLY_HISTORY_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "periods must be 1 to %d, got %zu", TALLY_HISTORY_MAX, n);
    }
    last = tally_period_start(period, last);
    h.first = tally_period_add(period, last, -(int32_t)(n - 1));
    if (h.first < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "%zu %s periods back from the last one start before 1970", n,
                               tally_period_name(period));
    }
    memset(values, 0, n * sizeof(*values));
    w.from = h.first;
    w.to = last;
    return read_stored(t, sink, o, &w, to_history, &h, err);
}

tally_code tally_read_sum(const tally_counter *t, tally_sink *sink, const tally_owner *o, const char *key,
                          size_t key_len, tally_period period, int32_t from, int32_t to, long long *sum,
                          tally_error *err)
{
    period_out h = {period, 0, 0, NULL, 0, TALLY_OK, err};
    row_filter w = {period, key, key_len, 0, 0};
    tally_code rc;
    if ((rc = check_period_read(t, period, key, key_len, err))) return rc;
    w.from = tally_period_start(period, from);
    w.to = tally_period_start(period, to);
    if (w.from > w.to) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "the sum's first period starts after its last one");
    }
    if ((rc = read_stored(t, sink, o, &w, to_sum, &h, err)) == TALLY_OK) rc = h.rc;
    *sum = h.sum;
    return rc;
}
