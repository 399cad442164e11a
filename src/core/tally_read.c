/* Exact reads: see tally_read.h. */
#include "tally_read.h"
#include "tally_buffer.h"
#include "tally_grow.h"
#include "tally_key.h"
#include "tally_reply.h"
#include "tally_script.h"

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
        if (k->lens[i] == len && memcmp(k->keys[i], key, len) == 0) {
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

/* C's delta counts unless its claim (seq) is already in the row. */
static tally_code add_inflight(long long *v, const redisReply *cval, long long cseq, int row_found, long long row_seq,
                               const char *key, size_t len, tally_error *err)
{
    long long d;
    if (!cval || cval->type != REDIS_REPLY_STRING) return TALLY_OK;
    if (tally_parse_int(cval->str, cval->len, &d)) {
        return tally_error_set(err, TALLY_ERR_WRONGTYPE, "an in-flight value is not an integer");
    }
    if (!(row_found && row_seq >= cseq)) return add_checked(v, d, key, len, err);
    return TALLY_OK;
}

tally_code tally_read_keys(const tally_counter *t, tally_sink *sink, const tally_owner *o, size_t n,
                           const char *const *keys, const size_t *key_lens, long long *values, tally_error *err)
{
    tally_owner_keys ow;
    redisReply *r = NULL;
    const char **argv = NULL;
    size_t *lens = NULL;
    key_rows k = {n, keys, key_lens, NULL, NULL, NULL};
    long long cseq = -1;
    tally_code rc;

    for (size_t i = 0; i < n; i++) {
        if ((rc = tally_key_check_name("counter key", keys[i], key_lens[i], t->max_key_len, err))) return rc;
    }
    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len, &ow, err))) return rc;
    if (n == 0) {
        tally_owner_keys_free(&ow);
        return TALLY_OK;
    }
    argv = malloc((n + 2) * sizeof(*argv));
    lens = malloc((n + 2) * sizeof(*lens));
    k.count = calloc(n, sizeof(*k.count));
    k.seq = calloc(n, sizeof(*k.seq));
    k.found = calloc(n, 1);
    if (!argv || !lens || !k.count || !k.seq || !k.found) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        goto done;
    }
    argv[0] = ow.pkey; lens[0] = ow.plen;
    argv[1] = ow.ckey; lens[1] = ow.clen;
    memcpy(argv + 2, keys, n * sizeof(*argv));
    memcpy(lens + 2, key_lens, n * sizeof(*lens));
    /* Redis first, then SQL: a claim committed in between is then seen in SQL together
     * with its seq, so it is counted once. */
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_READ_KEYS, 2, (int)n + 2, argv, lens, &r, err))) goto done;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "reading counters", err);
        goto done;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->elements != n
        || r->element[1]->elements != n + 1) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
        goto done;
    }
    if (r->element[1]->element[0]->type == REDIS_REPLY_STRING
        && tally_parse_int(r->element[1]->element[0]->str, r->element[1]->element[0]->len, &cseq)) {
        cseq = -1;
    }
    if ((rc = sink->ops->read(sink, o, n, keys, key_lens, collect_keyed, &k, err))) goto done;
    for (size_t i = 0; i < n && rc == TALLY_OK; i++) {
        long long p = 0;
        if ((rc = tally_reply_int(r->element[0]->element[i], "reading counters", &p, err))) break;
        values[i] = k.count[i];
        if ((rc = add_checked(&values[i], p, keys[i], key_lens[i], err))) break;
        if (cseq >= 0) {
            rc = add_inflight(&values[i], r->element[1]->element[i + 1], cseq, k.found[i], k.seq[i],
                              keys[i], key_lens[i], err);
        }
        if (rc == TALLY_OK && t->buffer) {
            rc = add_checked(&values[i], tally_buffer_get(t->buffer, ow.pkey, ow.plen, keys[i], key_lens[i]),
                             keys[i], key_lens[i], err);
        }
    }
done:
    if (r) tally_reply_free(r);
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

static int collect_all(void *ud, const char *key, size_t len, long long count, long long seq)
{
    stored_list *l = ud;
    if (tally_grow((void **)&l->rows, &l->cap, l->n + 1, sizeof(*l->rows)) || !(l->rows[l->n].key = malloc(len ? len : 1))) {
        l->oom = 1;
        return 1;
    }
    memcpy(l->rows[l->n].key, key, len);
    l->rows[l->n].len = len;
    l->rows[l->n].count = count;
    l->rows[l->n].seq = seq;
    l->rows[l->n].found = 1;
    l->n++;
    return 0;
}

static stored *find_or_add(stored_list *l, const char *key, size_t len)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->rows[i].len == len && memcmp(l->rows[i].key, key, len) == 0) return &l->rows[i];
    }
    if (tally_grow((void **)&l->rows, &l->cap, l->n + 1, sizeof(*l->rows)) || !(l->rows[l->n].key = malloc(len ? len : 1))) {
        return NULL;
    }
    memcpy(l->rows[l->n].key, key, len);
    l->rows[l->n].len = len;
    l->rows[l->n].count = 0;
    l->rows[l->n].seq = 0;
    l->rows[l->n].found = 0;
    return &l->rows[l->n++];
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

tally_code tally_read_all(const tally_counter *t, tally_sink *sink, const tally_owner *o,
                               tally_kv_cb cb, void *ud, tally_error *err)
{
    tally_owner_keys ow;
    redisReply *r = NULL;
    stored_list l = {0};
    long long cseq = -1;
    tally_code rc;

    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len, &ow, err))) return rc;
    {
        const char *argv[2] = {ow.pkey, ow.ckey};
        size_t lens[2] = {ow.plen, ow.clen};
        if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_READ_ALL, 2, 2, argv, lens, &r, err))) goto done;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "reading counters", err);
        goto done;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
        goto done;
    }
    if ((rc = sink->ops->read(sink, o, 0, NULL, NULL, collect_all, &l, err))) goto done;
    if (l.oom) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        goto done;
    }
    /* Merge: SQL rows, then pending (P), then in flight (C). */
    for (int h = 0; h < 2 && rc == TALLY_OK; h++) {
        redisReply *f = r->element[h];
        for (size_t j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements; j += 2) {
            if (h == 1 && f->element[j]->len == 0) {
                if (tally_parse_int(f->element[j + 1]->str, f->element[j + 1]->len, &cseq)) cseq = -1;
            }
        }
    }
    for (int h = 0; h < 2 && rc == TALLY_OK; h++) {
        redisReply *f = r->element[h];
        for (size_t j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements && rc == TALLY_OK; j += 2) {
            redisReply *key = f->element[j], *val = f->element[j + 1];
            stored *row;
            long long d;
            if (key->len == 0) continue;
            if (!(row = find_or_add(&l, key->str, key->len))) {
                rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
                break;
            }
            if (tally_parse_int(val->str, val->len, &d)) {
                rc = tally_error_set(err, TALLY_ERR_WRONGTYPE, "counter '%.*s' holds a non-integer",
                                     (int)(key->len > 60 ? 60 : key->len), key->str);
                break;
            }
            if (h == 0 || !(row->found && row->seq >= cseq)) rc = add_checked(&row->count, d, key->str, key->len, err);
        }
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
done:
    if (r) tally_reply_free(r);
    for (size_t i = 0; i < l.n; i++) free(l.rows[i].key);
    free(l.rows);
    tally_owner_keys_free(&ow);
    return rc;
}
