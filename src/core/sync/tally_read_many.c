/* Exact reads of many owners at once and exact top lists: see tally_read_many.h. */
#include "sync/tally_read_many.h"
#include "sync/tally_read.h"
#include "sync/tally_read_int.h"
#include "sync/tally_scan.h"
#include "tally_buffer.h"
#include "redis/tally_pipe.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"
#include "redis/tally_slot.h"
#include "util/tally_failpoint.h"
#include "util/tally_grow.h"

#include <stdlib.h>
#include <string.h>

static tally_code oom(tally_error *err)
{
    return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
}

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

/* ---- many owners -------------------------------------------------------------------- */

/* An owner's id and its index in the caller's arrays, sorted by id for bsearch. */
typedef struct {
    const char *id;
    size_t len, at;
} owner_ref;

typedef struct {
    size_t m, n;                    /* owners, keys */
    const owner_ref *order;         /* the owners, sorted by id */
    const char *const *keys;
    const size_t *key_lens;
    long long *count, *seq;         /* [owner * n + key] */
    char *found;
} owner_rows;

static int ref_cmp(const void *a, const void *b)
{
    const owner_ref *x = a, *y = b;
    return bytes_cmp(x->id, x->len, y->id, y->len);
}

/* The first position in r->order whose owner id is (id, len), or r->m. */
static size_t first_owner(const owner_rows *r, const char *id, size_t len)
{
    size_t lo = 0, hi = r->m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bytes_cmp(r->order[mid].id, r->order[mid].len, id, len) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int collect_owner_row(void *ud, const char *id, size_t id_len, const char *key, size_t key_len, int32_t start,
                             long long count, long long seq)
{
    const owner_rows *r = ud;
    (void)start;                /* one start per read */
    for (size_t p = first_owner(r, id, id_len); p < r->m; p++) {
        size_t o = r->order[p].at;
        if (bytes_cmp(r->order[p].id, r->order[p].len, id, id_len) != 0) break;
        for (size_t j = 0; j < r->n; j++) {
            if (r->key_lens[j] == key_len && (key_len == 0 || memcmp(r->keys[j], key, key_len) == 0)) {
                r->count[o * r->n + j] = count;
                r->seq[o * r->n + j] = seq;
                r->found[o * r->n + j] = 1;
            }
        }
    }
    return 0;
}

/* Owners per READ_KEYS call: a big page stays many short scripts, never one that blocks
 * Redis for long. */
#define OWNERS_PER_SCRIPT 200

typedef struct {
    unsigned slot;
    size_t at;
} slot_ref;

static int slot_cmp(const void *a, const void *b)
{
    const slot_ref *x = a, *y = b;
    if (x->slot != y->slot) return x->slot < y->slot ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

/* The owners in script order (by slot on a cluster, where one script reads one slot) and
 * where each script's owners start (starts[g], g < *ngroups; starts[*ngroups] = m). */
static void group_owners(const tally_counter *t, const tally_owner_keys *ow, size_t m, slot_ref *order, size_t *starts,
                         size_t *ngroups)
{
    int cluster = tally_conn_is_cluster(t->conn);
    size_t g = 0;
    for (size_t i = 0; i < m; i++) {
        order[i].slot = cluster ? tally_slot_of(ow[i].pkey, ow[i].plen) : 0;
        order[i].at = i;
    }
    if (cluster) qsort(order, m, sizeof(*order), slot_cmp);
    for (size_t i = 0; i < m; i++) {
        if (i == 0 || order[i].slot != order[i - 1].slot || i - starts[g - 1] == OWNERS_PER_SCRIPT) starts[g++] = i;
    }
    starts[g] = m;
    *ngroups = g;
}

/* On one Redis: every group's owners in one MULTI block (an HMGET of P, C with the claim's
 * seq first, and F per owner, then EXEC), the blocks in one pipeline: the same atomic
 * snapshot per owner as READ_KEYS, without Lua. replies[g] keeps block g's EXEC reply;
 * views[i] is owner i's three parts of it, in READ_KEYS's shape, and own[i] points there. */
static tally_code snapshot_multi(const tally_counter *t, const tally_owner_keys *ow, size_t n, const tally_fields *f,
                                 const slot_ref *sorder, const size_t *starts, size_t ngroups, redisReply **replies,
                                 redisReply *views, const redisReply **own, long long *cseq, tally_error *err)
{
    static const char *const hmget = "HMGET", *const multi = "MULTI", *const exec = "EXEC";
    static const size_t hmget_len = 5, multi_len = 5, exec_len = 4;
    size_t m = starts[ngroups], per = 3 * (n + 3), at = 0;
    const char **words = malloc(m * per * sizeof(*words));
    size_t *lens = malloc(m * per * sizeof(*lens)), *base = malloc(ngroups * sizeof(*base));
    tally_pipe p;
    tally_code rc = TALLY_OK;

    tally_pipe_init(&p, t->conn);
    if (!words || !lens || !base) {
        rc = oom(err);
        goto done;
    }
    for (size_t g = 0; g < ngroups && rc == TALLY_OK; g++) {
        base[g] = p.n;
        rc = tally_pipe_command(&p, 1, &multi, &multi_len, err);
        for (size_t x = starts[g]; x < starts[g + 1] && rc == TALLY_OK; x++) {
            const tally_owner_keys *o = &ow[sorder[x].at];
            const char *hash[3] = {o->pkey, o->ckey, o->fkey};
            size_t hlen[3] = {o->plen, o->clen, o->flen};
            for (int h = 0; h < 3 && rc == TALLY_OK; h++) {
                size_t from = at;
                words[at] = hmget; lens[at++] = hmget_len;
                words[at] = hash[h]; lens[at++] = hlen[h];
                if (h == 1) {
                    words[at] = ""; lens[at++] = 0;
                }
                memcpy(words + at, f->ptr, n * sizeof(*words));
                memcpy(lens + at, f->len, n * sizeof(*lens));
                at += n;
                rc = tally_pipe_command(&p, (int)(at - from), words + from, lens + from, err);
            }
        }
        if (rc == TALLY_OK) rc = tally_pipe_command(&p, 1, &exec, &exec_len, err);
    }
    if (rc == TALLY_OK) rc = tally_pipe_send(&p, err);
    if (rc == TALLY_OK) rc = tally_pipe_recv(&p, err);
    for (size_t g = 0; g < ngroups && rc == TALLY_OK; g++) {
        size_t count = starts[g + 1] - starts[g], last = base[g] + 1 + 3 * count;
        redisReply *e;
        for (size_t i = base[g]; i < last && rc == TALLY_OK; i++) {
            const redisReply *q = p.replies[i];
            if (q && q->type == REDIS_REPLY_ERROR) rc = tally_reply_error(q, "reading counters", err);
        }
        if (rc) break;
        e = replies[g] = tally_pipe_take(&p, last);
        if (!e || e->type == REDIS_REPLY_ERROR) {
            rc = e ? tally_reply_error(e, "reading counters", err)
                   : tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
            break;
        }
        if (e->type != REDIS_REPLY_ARRAY || e->elements != 3 * count) {
            rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply reading counters");
            break;
        }
        for (size_t x = 0; x < count && rc == TALLY_OK; x++) {
            size_t i = sorder[starts[g] + x].at;
            for (size_t h = 0; h < 3 && rc == TALLY_OK; h++) {       /* WRONGTYPE of one hash */
                if (e->element[3 * x + h]->type == REDIS_REPLY_ERROR) {
                    rc = tally_reply_error(e->element[3 * x + h], "reading counters", err);
                }
            }
            views[i].type = REDIS_REPLY_ARRAY;
            views[i].elements = 3;
            views[i].element = e->element + 3 * x;
            own[i] = &views[i];
            if (rc == TALLY_OK) rc = tally_read_check_reply(own[i], n, &cseq[i], err);
        }
    }
done:
    tally_pipe_free(&p);
    free(words);
    free(lens);
    free(base);
    return rc;
}

tally_code tally_read_owners(const tally_counter *t, tally_sink *sink, const char *type, size_t type_len, size_t m,
                             const char *const *ids, const size_t *id_lens, tally_period period, int32_t start,
                             size_t n, const char *const *keys, const size_t *key_lens, long long *values,
                             tally_error *err)
{
    tally_owner_keys *ow = NULL;
    tally_fields f = {.ptr = NULL, .len = NULL, .bytes = NULL};
    tally_target target = {period, start};
    const char **words = NULL;
    size_t *wlens = NULL, *starts = NULL, made = 0, ngroups = 0;
    slot_ref *sorder = NULL;
    const redisReply **own = NULL;
    redisReply **replies = NULL, *views = NULL;
    long long *cseq = NULL;
    owner_ref *order = NULL;
    owner_rows rows = {m, n, NULL, keys, key_lens, NULL, NULL, NULL};
    tally_owners_query q = {type, type_len, m, ids, id_lens, {n, keys, key_lens, period, start, start, 0}};
    tally_pipe p;
    tally_code rc = TALLY_OK;

    for (size_t j = 0; j < n; j++) {
        if ((rc = tally_key_check_name("counter key", keys[j], key_lens[j], t->max_key_len, err))) return rc;
    }
    if (m == 0 || n == 0) return TALLY_OK;
    if (m > TALLY_READ_OWNERS_MAX || n > TALLY_READ_OWNERS_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "at most %d owners and %d keys per read, %zu x %zu asked",
                               TALLY_READ_OWNERS_MAX, TALLY_READ_OWNERS_MAX, m, n);
    }
    tally_pipe_init(&p, t->conn);
    ow = calloc(m, sizeof(*ow));
    sorder = malloc(m * sizeof(*sorder));
    starts = malloc((m + 1) * sizeof(*starts));
    /* Words: every owner's three hashes, and the fields once per script (at most m scripts). */
    words = malloc((3 * m + m * n) * sizeof(*words));
    wlens = malloc((3 * m + m * n) * sizeof(*wlens));
    replies = calloc(m, sizeof(*replies));
    own = calloc(m, sizeof(*own));
    cseq = malloc(m * sizeof(*cseq));
    order = malloc(m * sizeof(*order));
    rows.count = calloc(m * n, sizeof(*rows.count));
    rows.seq = calloc(m * n, sizeof(*rows.seq));
    rows.found = calloc(m * n, 1);
    if (!ow || !sorder || !starts || !words || !wlens || !replies || !own || !cseq || !order || !rows.count || !rows.seq
        || !rows.found) {
        rc = oom(err);
        goto done;
    }
    for (; made < m; made++) {
        if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, type, type_len, ids[made], id_lens[made], &ow[made], err))) {
            goto done;
        }
    }
    if ((rc = tally_fields_build(n, keys, key_lens, 1, &target, &f, err))) goto done;
    group_owners(t, ow, m, sorder, starts, &ngroups);
    /* As for one owner (tally_read.h): every owner's Redis snapshot first, then SQL. */
    if (!tally_conn_is_cluster(t->conn)) {
        if (!(views = calloc(m, sizeof(*views)))) {
            rc = oom(err);
            goto done;
        }
        if ((rc = snapshot_multi(t, ow, n, &f, sorder, starts, ngroups, replies, views, own, cseq, err))) goto done;
    }
    for (size_t g = 0, at = 0; !views && g < ngroups && rc == TALLY_OK; g++) {
        size_t from = at;
        for (size_t x = starts[g]; x < starts[g + 1]; x++) {
            const tally_owner_keys *o = &ow[sorder[x].at];
            words[at] = o->pkey; wlens[at++] = o->plen;
            words[at] = o->ckey; wlens[at++] = o->clen;
            words[at] = o->fkey; wlens[at++] = o->flen;
        }
        memcpy(words + at, f.ptr, n * sizeof(*words));
        memcpy(wlens + at, f.len, n * sizeof(*wlens));
        at += n;
        rc = tally_pipe_script(&p, TALLY_SCRIPT_READ_KEYS, (int)(3 * (starts[g + 1] - starts[g])), (int)(at - from),
                               words + from, wlens + from, err);
    }
    if (rc == TALLY_OK && !views) rc = tally_pipe_send(&p, err);
    if (rc == TALLY_OK && !views) rc = tally_pipe_recv(&p, err);
    for (size_t g = 0; !views && rc == TALLY_OK && g < ngroups; g++) {
        size_t count = starts[g + 1] - starts[g];
        replies[g] = tally_pipe_take(&p, g);
        for (size_t x = 0; x < count && rc == TALLY_OK; x++) {
            size_t i = sorder[starts[g] + x].at;
            rc = tally_read_owner_reply(replies[g], x, count, n, &own[i], &cseq[i], err);
        }
    }
    if (rc) goto done;
    tally_failpoint("read-before-sql");
    for (size_t i = 0; i < m; i++) {
        order[i].id = ids[i];
        order[i].len = id_lens[i];
        order[i].at = i;
    }
    qsort(order, m, sizeof(*order), ref_cmp);
    rows.order = order;
    if ((rc = sink->ops->read_owners(sink, &q, collect_owner_row, &rows, err))) goto done;
    for (size_t i = 0; i < m && rc == TALLY_OK; i++) {
        tally_read_rows mine = {n, rows.count + i * n, rows.seq + i * n, rows.found + i * n};
        if (tally_read_row_newer(own[i], cseq[i], n, mine.found, mine.seq)) {
            /* A claim released during the read, or a stale run's: the one-owner read tells
             * which (rare: a sync of this owner ran in between). */
            tally_owner o = {type, type_len, ids[i], id_lens[i]};
            rc = tally_read_keys(t, sink, &o, period, start, n, keys, key_lens, values + i * n, err);
        } else {
            rc = tally_read_combine(t, &ow[i], own[i], cseq[i], 0, &mine, f.ptr, f.len, keys, key_lens, values + i * n,
                                    err);
        }
    }
done:
    for (size_t g = 0; replies && g < ngroups; g++) tally_reply_free(replies[g]);
    tally_pipe_free(&p);
    for (size_t i = 0; i < made; i++) tally_owner_keys_free(&ow[i]);
    tally_fields_free(&f);
    free(ow);
    free(sorder);
    free(starts);
    free(words);
    free(wlens);
    free(replies);
    free(views);
    free(own);
    free(cseq);
    free(order);
    free(rows.count);
    free(rows.seq);
    free(rows.found);
    return rc;
}

/* ---- top lists ---------------------------------------------------------------------- */

typedef struct {
    char *name;
    size_t len;
    long long value;
} entry;

typedef struct {
    entry *e;
    size_t n, cap;
    int oom;
} entries;

static int entries_add(entries *l, const char *name, size_t len, long long value)
{
    entry *e;
    if (tally_grow((void **)&l->e, &l->cap, l->n + 1, sizeof(*l->e))) return -1;
    e = &l->e[l->n];
    if (!(e->name = malloc(len + 1))) return -1;
    if (len) memcpy(e->name, name, len);
    e->name[len] = '\0';
    e->len = len;
    e->value = value;
    l->n++;
    return 0;
}

static void entries_free(entries *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->e[i].name);
    free(l->e);
    l->e = NULL;
    l->n = l->cap = 0;
}

static int name_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return bytes_cmp(x->name, x->len, y->name, y->len);
}

static int rank_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->value != y->value) return x->value > y->value ? -1 : 1;
    return name_cmp(a, b);
}

/* Sorts by name and drops repeats. */
static void entries_unique(entries *l)
{
    size_t w = 0;
    qsort(l->e, l->n, sizeof(*l->e), name_cmp);
    for (size_t i = 0; i < l->n; i++) {
        if (w > 0 && name_cmp(&l->e[w - 1], &l->e[i]) == 0) free(l->e[i].name);
        else l->e[w++] = l->e[i];
    }
    l->n = w;
}

static int collect_ranked(void *ud, const char *name, size_t len, long long count)
{
    entries *l = ud;
    if (entries_add(l, name, len, count)) {
        l->oom = 1;
        return 1;
    }
    return 0;
}

/* The owners of `type` with a pending, in-flight or set-aside delta: one SCAN of every master. */
static tally_code pending_owners(const tally_counter *t, const char *type, size_t type_len, entries *out, tally_error *err)
{
    tally_scan sc;
    tally_code rc = tally_scan_init(&sc, t->conn, t->prefix, t->prefix_len, type, type_len, err);
    sc.set_aside = 1;
    while (rc == TALLY_OK && !sc.done) {
        if ((rc = tally_scan_fetch(&sc, t->conn, err))) break;
        for (size_t i = sc.page_at; i < sc.page_n && rc == TALLY_OK; i++) {
            const tally_owner_keys *o = &sc.page[i];
            if (o->type_len != type_len || memcmp(o->type, type, type_len) != 0) continue;   /* '*' in a type */
            if (entries_add(out, o->id, o->id_len, 0)) rc = oom(err);
        }
        sc.page_at = sc.page_n;
    }
    tally_scan_free(&sc);
    if (rc == TALLY_OK) entries_unique(out);
    return rc;
}

static tally_code pending_values_of_owners(const tally_counter *t, tally_sink *sink, const tally_rank_query *q,
                                           entries *pend, tally_error *err)
{
    const char **ids = malloc((pend->n ? pend->n : 1) * sizeof(*ids));
    size_t *lens = malloc((pend->n ? pend->n : 1) * sizeof(*lens));
    long long *values = malloc((pend->n ? pend->n : 1) * sizeof(*values));
    tally_code rc = TALLY_OK;
    if (!ids || !lens || !values) {
        rc = oom(err);
    } else {
        for (size_t i = 0; i < pend->n; i++) {
            ids[i] = pend->e[i].name;
            lens[i] = pend->e[i].len;
        }
        /* In chunks: a top list of a busy type may have many pending owners. */
        for (size_t off = 0; off < pend->n && rc == TALLY_OK; off += TALLY_READ_OWNERS_MAX) {
            size_t c = pend->n - off < TALLY_READ_OWNERS_MAX ? pend->n - off : TALLY_READ_OWNERS_MAX;
            rc = tally_read_owners(t, sink, q->type, q->type_len, c, ids + off, lens + off, q->period, q->start, 1,
                                   &q->key, &q->key_len, values + off, err);
        }
        for (size_t i = 0; rc == TALLY_OK && i < pend->n; i++) pend->e[i].value = values[i];
    }
    free(ids);
    free(lens);
    free(values);
    return rc;
}

typedef struct {
    entries *out;
    const tally_rank_query *q;
    int oom;
} field_keys;

/* A field of the owner's hashes (or buffer) as a key of the ranked period. */
static int add_field_key(field_keys *fk, const char *field, size_t flen)
{
    tally_period p;
    int32_t start;
    const char *key;
    size_t len;
    if (flen == 0) return 0;                 /* the claim's seq */
    tally_field_decode(field, flen, &p, &start, &key, &len);
    if (p != fk->q->period || start != fk->q->start) return 0;
    if (entries_add(fk->out, key, len, 0)) {
        fk->oom = 1;
        return 1;
    }
    return 0;
}

static int buffered_key(void *ud, const char *field, size_t flen, long long delta)
{
    (void)delta;
    return add_field_key(ud, field, flen);
}

/* The keys of owner (type, id) of the ranked period with a pending, in-flight, set-aside or
 * buffered delta, and their exact values. */
static tally_code pending_keys(const tally_counter *t, tally_sink *sink, const tally_rank_query *q, entries *out,
                               tally_error *err)
{
    tally_owner_keys ow;
    tally_owner o = {q->type, q->type_len, q->id, q->id_len};
    field_keys fk = {out, q, 0};
    redisReply *r = NULL;
    const char **keys = NULL;
    size_t *klens = NULL;
    long long *values = NULL;
    tally_code rc;

    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, q->type, q->type_len, q->id, q->id_len, &ow, err))) return rc;
    if ((rc = tally_read_all_snapshot(t, &ow, &r, err))) goto done;
    for (size_t h = 0; h < 3 && !fk.oom; h++) {
        const redisReply *all = r->element[h];
        for (size_t i = 0; all->type == REDIS_REPLY_ARRAY && i + 1 < all->elements && !fk.oom; i += 2) {
            if (all->element[i]->type == REDIS_REPLY_STRING) add_field_key(&fk, all->element[i]->str, all->element[i]->len);
        }
    }
    if (!fk.oom && t->buffer) tally_buffer_rest(t->buffer, ow.pkey, ow.plen, buffered_key, &fk);
    if (fk.oom) {
        rc = oom(err);
        goto done;
    }
    entries_unique(out);
    if (out->n == 0) goto done;
    keys = malloc(out->n * sizeof(*keys));
    klens = malloc(out->n * sizeof(*klens));
    values = malloc(out->n * sizeof(*values));
    if (!keys || !klens || !values) {
        rc = oom(err);
        goto done;
    }
    for (size_t i = 0; i < out->n; i++) {
        keys[i] = out->e[i].name;
        klens[i] = out->e[i].len;
    }
    if ((rc = tally_read_keys(t, sink, &o, q->period, q->start, out->n, keys, klens, values, err))) goto done;
    for (size_t i = 0; i < out->n; i++) out->e[i].value = values[i];
done:
    tally_reply_free(r);
    tally_owner_keys_free(&ow);
    free(keys);
    free(klens);
    free(values);
    return rc;
}

tally_code tally_read_top(const tally_counter *t, tally_sink *sink, const tally_rank_query *q, tally_rank_cb cb,
                          void *ud, tally_error *err)
{
    entries pend = {NULL, 0, 0, 0}, stored = {NULL, 0, 0, 0}, all = {NULL, 0, 0, 0};
    tally_rank_query sq = *q;
    tally_code rc;

    if (q->limit < 1 || q->limit > TALLY_TOP_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a top list has 1 to %d entries, %zu asked", TALLY_TOP_MAX, q->limit);
    }
    if (q->key && (rc = tally_key_check_name("counter key", q->key, q->key_len, t->max_key_len, err))) return rc;
    /* Every owner (or key) with a delta outside SQL, with its exact value, then SQL's best
     * limit + that many: whoever has no delta is worth its row, and at least `limit` such
     * rows are among them if there are that many. */
    rc = q->id ? pending_keys(t, sink, q, &pend, err)
               : pending_owners(t, q->type, q->type_len, &pend, err);
    if (rc == TALLY_OK && !q->id) rc = pending_values_of_owners(t, sink, q, &pend, err);
    if (rc) goto done;
    sq.limit = q->limit + pend.n;
    if ((rc = sink->ops->rank(sink, &sq, collect_ranked, &stored, err))) goto done;
    if (stored.oom) {
        rc = oom(err);
        goto done;
    }
    qsort(stored.e, stored.n, sizeof(*stored.e), name_cmp);
    for (size_t i = 0; i < pend.n && rc == TALLY_OK; i++) {
        /* An owner pending for other keys only has no such counter: left out, as SQL has no row. */
        if (!q->id && pend.e[i].value == 0 && !(stored.n && bsearch(&pend.e[i], stored.e, stored.n, sizeof(*stored.e), name_cmp))) {
            continue;
        }
        if (entries_add(&all, pend.e[i].name, pend.e[i].len, pend.e[i].value)) rc = oom(err);
    }
    for (size_t i = 0; i < stored.n && rc == TALLY_OK; i++) {
        entry *e = &stored.e[i];
        if (pend.n && bsearch(e, pend.e, pend.n, sizeof(*pend.e), name_cmp)) continue;
        if (entries_add(&all, e->name, e->len, e->value)) rc = oom(err);
    }
    if (rc) goto done;
    qsort(all.e, all.n, sizeof(*all.e), rank_cmp);
    for (size_t i = 0; i < all.n && i < q->limit; i++) {
        if (cb(ud, all.e[i].name, all.e[i].len, all.e[i].value)) break;
    }
done:
    entries_free(&pend);
    entries_free(&stored);
    entries_free(&all);
    return rc;
}
