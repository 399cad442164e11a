/* Owner counters: see tally_counter.h. */
#include "tally_counter.h"
#include "tally_buffer.h"
#include "tally_key.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN 60   /* bytes of a user string quoted in a message */

typedef struct {
    char buf[TALLY_OWNER_KEY_BUFSIZE];
    size_t len;
} owner_key;

static int shown(size_t len)
{
    return (int)(len > SHOWN ? SHOWN : len);
}

static tally_code build_owner(const tally_counter *t, const tally_owner *o, owner_key *k, tally_error *err)
{
    return tally_key_owner(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len,
                           k->buf, &k->len, err);
}

static void describe(char *out, size_t size, const char *verb, const tally_owner *o,
                     const char *key, size_t key_len)
{
    if (key) {
        snprintf(out, size, "%s counter '%.*s' of %.*s #%.*s", verb, shown(key_len), key,
                 shown(o->type_len), o->type, shown(o->id_len), o->id);
    } else {
        snprintf(out, size, "%s counters of %.*s #%.*s", verb,
                 shown(o->type_len), o->type, shown(o->id_len), o->id);
    }
}

static tally_code check_key(const tally_counter *t, const char *key, size_t len, tally_error *err)
{
    return tally_key_check_name("counter key", key, len, t->max_key_len, err);
}

/* A key to write: an owner counter's key is stored in the SQL key column, so that width is
 * its limit whatever max_key_length says (which may only lower it): a wider key could be
 * counted but never synced. Reads and forget() take what max_key_length allows, so a wider
 * key an earlier release wrote can still be read and dropped; ephemeral keys and
 * rate-limit names never reach SQL and may be longer. */
static tally_code check_write_key(const tally_counter *t, const char *key, size_t len, tally_error *err)
{
    if (len > TALLY_KEY_MAX_DEFAULT && t->max_key_len >= len) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "counter key is %zu bytes long; owner counters' keys are stored in the %d-byte "
                               "key column, so %d bytes is their maximum (max_key_length only applies below it)",
                               len, TALLY_KEY_MAX_DEFAULT, TALLY_KEY_MAX_DEFAULT);
    }
    return check_key(t, key, len, err);
}

/* *v += the counter's buffered delta d, refusing a sum that does not fit in 64 bits. */
static tally_code add_buffered(const tally_owner *o, const char *key, size_t key_len, long long d, long long *v,
                               tally_error *err)
{
    if (__builtin_add_overflow(*v, d, v)) {
        char what[256];
        describe(what, sizeof(what), "reading", o, key, key_len);
        return tally_error_set(err, TALLY_ERR_OVERFLOW, "%s: the pending plus the buffered delta does not fit in 64 bits",
                               what);
    }
    return TALLY_OK;
}

tally_code tally_negate(long long amount, long long *out, tally_error *err)
{
    if (amount == LLONG_MIN) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "amount %lld cannot be negated", amount);
    }
    *out = -amount;
    return TALLY_OK;
}

/* Decimal digits of v into out (room for 21 bytes); returns the length. */
static size_t format_ll(long long v, char *out)
{
    char tmp[21];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    size_t k = 0, n = 0;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) out[n++] = '-';
    while (k) out[n++] = tmp[--k];
    return n;
}

static const tally_target lifetime_target = {TALLY_PERIOD_NONE, 0};

tally_code tally_target_check(size_t n, const tally_target *targets, tally_error *err)
{
    if (n > TALLY_TARGETS_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "at most %d targets (the lifetime counter and each period)",
                               TALLY_TARGETS_MAX);
    }
    for (size_t i = 0; i < n; i++) {
        tally_period p = targets[i].period;
        if (!tally_period_name(p)) return tally_error_set(err, TALLY_ERR_ARGUMENT, "unknown period %d", (int)p);
        if (!tally_period_is_start(p, targets[i].start) || (p == TALLY_PERIOD_NONE && targets[i].start)) {
            return tally_error_set(err, TALLY_ERR_ARGUMENT, "day %ld is not the first day of a %s", (long)targets[i].start,
                                   p == TALLY_PERIOD_NONE ? "lifetime counter" : tally_period_name(p));
        }
        for (size_t j = 0; j < i; j++) {
            if (targets[j].period == p) {
                return tally_error_set(err, TALLY_ERR_ARGUMENT, "period '%s' is named twice", tally_period_name(p));
            }
        }
    }
    return TALLY_OK;
}

/* Room for the field of a key one may write (at most TALLY_KEY_MAX_DEFAULT bytes). */
#define WRITE_FIELD_MAX (TALLY_KEY_MAX_DEFAULT + TALLY_FIELD_PERIOD_HEAD)

/* Key i's targets in a write: each[i] (m[i] of them) when given, else the m0 of all. */
typedef struct {
    size_t m0;
    const tally_target *all;
    const size_t *m;
    const tally_target *const *each;
} write_targets;

static size_t targets_m(const write_targets *w, size_t i)
{
    return w->m ? w->m[i] : w->m0;
}

/* The buffered form of tally_counter_incr_many(): each field's delta coalesced on its own
 * (total fields in f, key i's first at first[i]). */
static tally_code incr_many_buffered(const tally_counter *t, const owner_key *k, const tally_owner *o, size_t n,
                                     const long long *amounts, const write_targets *w, size_t total,
                                     const tally_fields *f, long long *values, tally_error *err)
{
    long long *amt = malloc(sizeof(*amt) * (total ? total : 1)), *got = malloc(sizeof(*got) * (total ? total : 1));
    tally_code rc;
    if (!amt || !got) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory buffering increments");
    } else {
        for (size_t i = 0, x = 0; i < n; i++) {
            for (size_t j = 0; j < targets_m(w, i); j++) amt[x++] = amounts[i];
        }
        rc = tally_buffer_add_many(t->buffer, k->buf, k->len, o, total, f->ptr, f->len, amt, got, err);
        for (size_t i = 0, x = 0; i < n && rc == TALLY_OK; x += targets_m(w, i), i++) values[i] = got[x];
    }
    free(amt);
    free(got);
    return rc;
}

/* tally_counter_incr_many() and _each(); messages name the one key of an increment() (named). */
static tally_code incr_script(const tally_counter *t, const tally_owner *o, size_t n, const char *const *keys,
                              const size_t *key_lens, const long long *amounts, const write_targets *w,
                              long long *values, int named, tally_error *err)
{
    owner_key k;
    tally_fields f;
    /* Three words before argv: EVALSHA, the script's SHA-1 and the key count (one key). */
    const char *sv[3 + 1 + 1 + TALLY_TARGETS_MAX], **argv = sv + 3;
    size_t sl[3 + 1 + 1 + TALLY_TARGETS_MAX], *lens = sl + 3, i, argc = 1, total = 0, x, at;
    char (*nums)[2][24] = NULL, snums[1][2][24], what[256];
    redisReply *r = NULL;
    tally_code rc;

    for (i = 0; i < n; i++) {
        if ((rc = check_write_key(t, keys[i], key_lens[i], err))) return rc;
        if ((rc = tally_target_check(targets_m(w, i), w->each ? w->each[i] : w->all, err))) return rc;
        if (targets_m(w, i) == 0) return tally_error_set(err, TALLY_ERR_ARGUMENT, "a counter of a write has no target");
        total += targets_m(w, i);
    }
    if ((rc = build_owner(t, o, &k, err)) || n == 0) return rc;
    if (n > (size_t)INT_MAX / 8 || total > (size_t)INT_MAX / 4) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "too many counters in one call (%zu)", n);
    }
    rc = w->each ? tally_fields_build_each(n, keys, key_lens, w->m, w->each, &f, err)
                 : tally_fields_build(n, keys, key_lens, w->m0, w->all, &f, err);
    if (rc) return rc;
    if (t->buffer) {
        rc = incr_many_buffered(t, &k, o, n, amounts, w, total, &f, values, err);
        tally_fields_free(&f);
        return rc;
    }
    /* hash, then one key: its delta, its fields; several: '', then per key m, delta, its fields. */
    argc = n == 1 ? 2 + total : 2 + 2 * n + total;
    if (n > 1) {
        argv = malloc(sizeof(*argv) * argc);
        lens = malloc(sizeof(*lens) * argc);
        nums = malloc(sizeof(*nums) * n);   /* several keys: no EVALSHA words before argv */
        if (!argv || !lens || !nums) {
            rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
            goto done;
        }
    } else {
        nums = snums;
    }
    argv[0] = k.buf; lens[0] = k.len;
    at = 1;
    if (n > 1) {
        argv[at] = "";
        lens[at++] = 0;
    }
    for (i = 0, x = 0; i < n; i++) {
        size_t m = targets_m(w, i);
        if (n > 1) {
            argv[at] = nums[i][1];
            lens[at++] = format_ll((long long)m, nums[i][1]);   /* m <= TALLY_TARGETS_MAX */
        }
        argv[at] = nums[i][0];
        lens[at++] = format_ll(amounts[i], nums[i][0]);
        for (size_t j = 0; j < m; j++, at++, x++) {
            argv[at] = f.ptr[x];
            lens[at] = f.len[x];
        }
    }
    if (n == 1) {
        /* One key: the script answers one integer (a bulk string beyond 2^53), read in place
         * like HINCRBY's; NOSCRIPT means it did not run, so EVAL runs it once. */
        const char **w = argv - 3;
        const char *const *wp = w;
        size_t *wl = lens - 3;
        const size_t *wlp = wl;
        int wc = (int)argc + 3, received;
        tally_script_head1(TALLY_SCRIPT_INCR_MANY, w, wl);
        if ((rc = tally_conn_pipeline_int(t->conn, 1, &wc, &wp, &wlp, &values[0], &r, &received, err))) {
            if (received <= 0) r = NULL;   /* else a reply of a call failing after it (WAIT) */
            goto done;
        }
        if (tally_script_missing(r)) {
            tally_reply_free(r);
            r = NULL;
            if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_INCR_MANY, 1, (int)argc, argv, lens, &r, err))) goto done;
        }
        if (r) {
            describe(what, sizeof(what), "incrementing", o, named ? keys[0] : NULL, named ? key_lens[0] : 0);
            rc = r->type == REDIS_REPLY_ARRAY ? tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply to the script", what)
                                              : tally_reply_int(r, what, &values[0], err);
        }
        goto done;
    }
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_INCR_MANY, 1, (int)argc, argv, lens, &r, err))) goto done;
    describe(what, sizeof(what), "incrementing", o, named ? keys[0] : NULL, named ? key_lens[0] : 0);
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, what, err);
    } else if (r->type != REDIS_REPLY_ARRAY || r->elements != n) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply to the script", what);
    } else {
        for (i = 0; i < n && rc == TALLY_OK; i++) rc = tally_reply_int(r->element[i], what, &values[i], err);
    }
done:
    if (r) tally_reply_free(r);
    tally_fields_free(&f);
    if (argv != sv + 3) free(argv);
    if (lens != sl + 3) free(lens);
    if (nums != snums) free(nums);
    return rc;
}

tally_code tally_counter_incr(const tally_counter *t, const tally_owner *o,
                              const char *key, size_t key_len, long long amount,
                              size_t ntargets, const tally_target *targets,
                              long long *value, tally_error *err)
{
    owner_key k;
    char num[24], what[256], field[WRITE_FIELD_MAX];
    const char *argv[4];
    const char *const *argvp = argv;
    size_t lens[4];
    const size_t *lensp = lens;
    int argc = 4, received;
    redisReply *r = NULL;
    tally_code rc;

    /* Several targets: the script, for all or nothing. */
    if (ntargets > 1) {
        write_targets w = {ntargets, targets, NULL, NULL};
        return incr_script(t, o, 1, &key, &key_len, &amount, &w, value, 1, err);
    }
    if (ntargets == 0) targets = &lifetime_target;
    if ((rc = check_write_key(t, key, key_len, err)) || (rc = tally_target_check(1, targets, err))
        || (rc = build_owner(t, o, &k, err))) {
        return rc;
    }
    argv[0] = "HINCRBY"; lens[0] = 7;
    argv[1] = k.buf;     lens[1] = k.len;
    if (tally_field_plain(targets->period, key, key_len)) {
        argv[2] = key;   lens[2] = key_len;
    } else {
        argv[2] = field; lens[2] = tally_field_write(targets->period, targets->start, key, key_len, field);
    }
    argv[3] = num;       lens[3] = format_ll(amount, num);
    if (t->buffer) return tally_buffer_add(t->buffer, k.buf, k.len, o, argv[2], lens[2], amount, value, err);
    if ((rc = tally_conn_pipeline_int(t->conn, 1, &argc, &argvp, &lensp, value, &r, &received, err))) {
        if (received > 0 && r) tally_reply_free(r);   /* a reply of a call failing after it (WAIT) */
        return rc;
    }
    if (!r) return TALLY_OK;
    /* Not an integer: the message is built only now, off the common path. */
    describe(what, sizeof(what), "incrementing", o, key, key_len);
    rc = tally_reply_int(r, what, value, err);
    tally_reply_free(r);
    return rc;
}

tally_code tally_counter_incr_many(const tally_counter *t, const tally_owner *o, size_t n,
                                   const char *const *keys, const size_t *key_lens,
                                   const long long *amounts, size_t ntargets, const tally_target *targets,
                                   long long *values, tally_error *err)
{
    write_targets w = {ntargets ? ntargets : 1, ntargets ? targets : &lifetime_target, NULL, NULL};
    return incr_script(t, o, n, keys, key_lens, amounts, &w, values, 0, err);
}

tally_code tally_counter_incr_each(const tally_counter *t, const tally_owner *o, size_t n,
                                   const char *const *keys, const size_t *key_lens, const long long *amounts,
                                   const size_t *ntargets, const tally_target *const *targets, long long *values,
                                   tally_error *err)
{
    write_targets w = {0, NULL, ntargets, targets};
    return incr_script(t, o, n, keys, key_lens, amounts, &w, values, 0, err);
}

tally_code tally_counter_get(const tally_counter *t, const tally_owner *o, tally_target target,
                             const char *key, size_t key_len, long long *value, tally_error *err)
{
    return tally_counter_get_many(t, o, target, 1, &key, &key_len, value, err);
}

tally_code tally_counter_get_many(const tally_counter *t, const tally_owner *o, tally_target target, size_t n,
                                  const char *const *keys, const size_t *key_lens,
                                  long long *values, tally_error *err)
{
    owner_key k;
    tally_fields f;
    const char *sv[2 + TALLY_FIELDS_SMALL], **argv = sv;
    size_t sl[2 + TALLY_FIELDS_SMALL], *lens = sl, i;
    char what[256];
    redisReply *r = NULL;
    tally_code rc;

    for (i = 0; i < n; i++) {
        if ((rc = check_key(t, keys[i], key_lens[i], err))) return rc;
    }
    if ((rc = tally_target_check(1, &target, err)) || (rc = build_owner(t, o, &k, err)) || n == 0) return rc;
    if (n > (size_t)INT_MAX - 2) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "too many counters in one call (%zu)", n);
    }
    if ((rc = tally_fields_build(n, keys, key_lens, 1, &target, &f, err))) return rc;
    if (n > TALLY_FIELDS_SMALL) {
        argv = malloc(sizeof(*argv) * (n + 2));
        lens = malloc(sizeof(*lens) * (n + 2));
    }
    if (!argv || !lens) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
        goto done;
    }
    argv[0] = "HMGET"; lens[0] = 5;
    argv[1] = k.buf;   lens[1] = k.len;
    memcpy(argv + 2, f.ptr, sizeof(*argv) * n);
    memcpy(lens + 2, f.len, sizeof(*lens) * n);
    if ((rc = tally_conn_command(t->conn, (int)(n + 2), argv, lens, &r, err))) goto done;
    describe(what, sizeof(what), "reading", o, n == 1 ? keys[0] : NULL, n == 1 ? key_lens[0] : 0);
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, what, err);
    } else if (r->type != REDIS_REPLY_ARRAY || r->elements != n) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply to HMGET", what);
    } else {
        for (i = 0; i < n && rc == TALLY_OK; i++) {
            rc = tally_reply_int(r->element[i], what, &values[i], err);
            if (rc == TALLY_OK && t->buffer) {
                rc = add_buffered(o, keys[i], key_lens[i], tally_buffer_get(t->buffer, k.buf, k.len, f.ptr[i], f.len[i]),
                                  &values[i], err);
            }
        }
    }
done:
    if (r) tally_reply_free(r);
    tally_fields_free(&f);
    if (argv != sv) free(argv);
    if (lens != sl) free(lens);
    return rc;
}

static int skip_all(void *ud, const char *key, size_t key_len, long long value)
{
    (void)ud;
    (void)key;
    (void)key_len;
    (void)value;
    return 1;
}

/* The lifetime counters among an owner's buffered fields, by key. */
typedef struct {
    tally_kv_cb cb;
    void *ud;
} lifetime_only;

static int lifetime_field(void *ud, const char *field, size_t len, long long value)
{
    lifetime_only *l = ud;
    tally_period p;
    int32_t start;
    const char *key;
    size_t key_len;
    tally_field_decode(field, len, &p, &start, &key, &key_len);
    return p == TALLY_PERIOD_NONE ? l->cb(l->ud, key, key_len, value) : 0;
}

tally_code tally_counter_get_all(const tally_counter *t, const tally_owner *o,
                                 tally_kv_cb cb, void *ud, tally_error *err)
{
    owner_key k;
    const char *argv[2];
    size_t lens[2], i;
    char what[256];
    redisReply *r;
    lifetime_only lo = {cb, ud};
    tally_code rc;

    if ((rc = build_owner(t, o, &k, err))) return rc;
    argv[0] = "HGETALL"; lens[0] = 7;
    argv[1] = k.buf;     lens[1] = k.len;
    if ((rc = tally_conn_command(t->conn, 2, argv, lens, &r, err))) return rc;
    describe(what, sizeof(what), "reading", o, NULL, 0);
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, what, err);
    } else if (r->type != REDIS_REPLY_ARRAY || r->elements % 2) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply to HGETALL", what);
    } else {
        int stopped = 0;
        for (i = 0; i + 1 < r->elements && rc == TALLY_OK; i += 2) {
            const redisReply *f = r->element[i];
            tally_period p;
            int32_t start;
            const char *key;
            size_t key_len;
            long long v;
            if (f->type != REDIS_REPLY_STRING) {
                rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected field in HGETALL", what);
                break;
            }
            tally_field_decode(f->str, f->len, &p, &start, &key, &key_len);
            if (p != TALLY_PERIOD_NONE) continue;   /* a period counter: not a lifetime one */
            if ((rc = tally_reply_int(r->element[i + 1], what, &v, err)) == TALLY_OK) {
                if (t->buffer) {
                    rc = add_buffered(o, key, key_len, tally_buffer_merge(t->buffer, k.buf, k.len, f->str, f->len), &v, err);
                }
                if (rc == TALLY_OK && cb(ud, key, key_len, v)) {
                    stopped = 1;
                    break;
                }
            }
        }
        /* Then the counters that are only buffered so far (this also clears the marks). */
        if (t->buffer) {
            tally_buffer_rest(t->buffer, k.buf, k.len, rc == TALLY_OK && !stopped ? lifetime_field : skip_all, &lo);
        }
    }
    tally_reply_free(r);
    return rc;
}

/* Whether a field is one of key's counters forget() drops (period: as in tally_counter.h). */
typedef struct {
    const char *key;
    size_t key_len;
    int period;
} forget_match;

static int forgets(void *ud, const char *field, size_t len)
{
    forget_match *m = ud;
    tally_period p;
    int32_t start;
    const char *key;
    size_t key_len;
    tally_field_decode(field, len, &p, &start, &key, &key_len);
    return len > 0 && key_len == m->key_len && memcmp(key, m->key, key_len) == 0
           && (m->period == TALLY_FORGET_ALL_PERIODS || m->period == (int)p);
}

/* The fields of P and F (HKEYS of both, one script) that forget() drops, in *f. */
static tally_code forget_fields(const tally_counter *t, const tally_owner_keys *ow, forget_match *m, tally_fields *f,
                                size_t *n, tally_error *err)
{
    const char *argv[2] = {ow->pkey, ow->fkey};
    size_t lens[2] = {ow->plen, ow->flen}, room = 0, at = 0;
    redisReply *r;
    tally_code rc;

    *n = 0;
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_FIELDS, 2, 2, argv, lens, &r, err))) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "forgetting counters", err);
    } else if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply listing counters");
    } else {
        size_t total = r->element[0]->elements + r->element[1]->elements;
        for (int h = 0; h < 2; h++) {
            for (size_t i = 0; i < r->element[h]->elements; i++) room += r->element[h]->element[i]->len;
        }
        f->ptr = malloc(sizeof(*f->ptr) * (total ? total : 1));
        f->len = malloc(sizeof(*f->len) * (total ? total : 1));
        f->bytes = malloc(room ? room : 1);
        if (!f->ptr || !f->len || !f->bytes) {
            rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory forgetting counters");
        }
        for (int h = 0; h < 2 && rc == TALLY_OK; h++) {
            for (size_t i = 0; i < r->element[h]->elements; i++) {
                const redisReply *e = r->element[h]->element[i];
                if (e->type != REDIS_REPLY_STRING || !forgets(m, e->str, e->len)) continue;
                memcpy(f->bytes + at, e->str, e->len);
                f->ptr[*n] = f->bytes + at;
                f->len[(*n)++] = e->len;
                at += e->len;
            }
        }
    }
    tally_reply_free(r);
    return rc;
}

tally_code tally_counter_forget(const tally_counter *t, const tally_owner *o,
                                const char *key, size_t key_len, int period, long long *removed, tally_error *err)
{
    tally_owner_keys ow;
    forget_match m = {key, key_len, period};
    tally_fields f = {.ptr = NULL, .len = NULL, .bytes = NULL};
    const char **argv = NULL;
    size_t *lens = NULL, n = 0;
    char what[256];
    redisReply *r = NULL;
    tally_code rc;

    *removed = 0;
    if (key && (rc = check_key(t, key, key_len, err))) return rc;
    if (key && period != TALLY_FORGET_ALL_PERIODS && (period < 0 || !tally_period_name((tally_period)period))) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "unknown period %d", period);
    }
    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len, &ow, err))) {
        return rc;
    }
    if (t->buffer) tally_buffer_discard(t->buffer, ow.pkey, ow.plen, key ? forgets : NULL, &m);
    if (!key) {
        const char *av[2] = {ow.pkey, ow.fkey};
        size_t al[2] = {ow.plen, ow.flen};
        rc = tally_script_run(t->conn, TALLY_SCRIPT_FORGET_ALL, 2, 2, av, al, &r, err);
    } else if ((period == TALLY_PERIOD_NONE ? (n = 1, tally_fields_build(1, &key, &key_len, 1, &lifetime_target, &f, err))
                                            : forget_fields(t, &ow, &m, &f, &n, err)) == TALLY_OK && n > 0) {
        /* The lifetime counter alone is one known field; the periods of a key are listed first. */
        argv = malloc(sizeof(*argv) * (n + 2));
        lens = malloc(sizeof(*lens) * (n + 2));
        if (!argv || !lens) {
            rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory forgetting counters");
        } else {
            argv[0] = ow.pkey; lens[0] = ow.plen;
            argv[1] = ow.fkey; lens[1] = ow.flen;
            memcpy(argv + 2, f.ptr, n * sizeof(*argv));
            memcpy(lens + 2, f.len, n * sizeof(*lens));
            rc = tally_script_run(t->conn, TALLY_SCRIPT_FORGET_KEY, 2, (int)n + 2, argv, lens, &r, err);
        }
    }
    tally_owner_keys_free(&ow);
    tally_fields_free(&f);
    free(argv);
    free(lens);
    if (rc || !r) return rc;
    describe(what, sizeof(what), "forgetting", o, key, key_len);
    rc = tally_reply_int(r, what, removed, err);
    tally_reply_free(r);
    return rc;
}
