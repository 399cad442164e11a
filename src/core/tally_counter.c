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

tally_code tally_counter_incr(const tally_counter *t, const tally_owner *o,
                              const char *key, size_t key_len, long long amount,
                              long long *value, tally_error *err)
{
    owner_key k;
    char num[24], what[256];
    const char *argv[4];
    const char *const *argvp = argv;
    size_t lens[4];
    const size_t *lensp = lens;
    int argc = 4, received;
    redisReply *r = NULL;
    tally_code rc;

    if ((rc = check_write_key(t, key, key_len, err)) || (rc = build_owner(t, o, &k, err))) return rc;
    if (t->buffer) return tally_buffer_add(t->buffer, k.buf, k.len, o, key, key_len, amount, value, err);
    argv[0] = "HINCRBY"; lens[0] = 7;
    argv[1] = k.buf;     lens[1] = k.len;
    argv[2] = key;       lens[2] = key_len;
    argv[3] = num;       lens[3] = format_ll(amount, num);
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
                                   const long long *amounts, long long *values, tally_error *err)
{
    owner_key k;
    const char **argv = NULL;
    size_t *lens = NULL, i;
    char (*nums)[24] = NULL, what[256];
    redisReply *r = NULL;
    tally_code rc;

    for (i = 0; i < n; i++) {
        if ((rc = check_write_key(t, keys[i], key_lens[i], err))) return rc;
    }
    if ((rc = build_owner(t, o, &k, err)) || n == 0) return rc;
    if (t->buffer) return tally_buffer_add_many(t->buffer, k.buf, k.len, o, n, keys, key_lens, amounts, values, err);
    if (n > (size_t)(INT_MAX / 2 - 1)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "too many counters in one call (%zu)", n);
    }
    argv = malloc(sizeof(*argv) * (2 * n + 1));
    lens = malloc(sizeof(*lens) * (2 * n + 1));
    nums = malloc(sizeof(*nums) * n);
    if (!argv || !lens || !nums) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
        goto done;
    }
    argv[0] = k.buf;
    lens[0] = k.len;
    for (i = 0; i < n; i++) {
        argv[1 + 2 * i] = keys[i];
        lens[1 + 2 * i] = key_lens[i];
        argv[2 + 2 * i] = nums[i];
        lens[2 + 2 * i] = (size_t)snprintf(nums[i], sizeof(nums[i]), "%lld", amounts[i]);
    }
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_INCR_MANY, 1, (int)(2 * n + 1), argv, lens, &r, err))) {
        goto done;
    }
    describe(what, sizeof(what), "incrementing", o, NULL, 0);
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, what, err);
    } else if (r->type != REDIS_REPLY_ARRAY || r->elements != n) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply to the script", what);
    } else {
        for (i = 0; i < n && rc == TALLY_OK; i++) {
            rc = tally_reply_int(r->element[i], what, &values[i], err);
        }
    }
done:
    if (r) tally_reply_free(r);
    free(argv);
    free(lens);
    free(nums);
    return rc;
}

tally_code tally_counter_get(const tally_counter *t, const tally_owner *o,
                             const char *key, size_t key_len, long long *value, tally_error *err)
{
    return tally_counter_get_many(t, o, 1, &key, &key_len, value, err);
}

tally_code tally_counter_get_many(const tally_counter *t, const tally_owner *o, size_t n,
                                  const char *const *keys, const size_t *key_lens,
                                  long long *values, tally_error *err)
{
    owner_key k;
    const char *sv[8], **argv = sv;
    size_t sl[8], *lens = sl, i;
    char what[256];
    redisReply *r = NULL;
    tally_code rc;

    for (i = 0; i < n; i++) {
        if ((rc = check_key(t, keys[i], key_lens[i], err))) return rc;
    }
    if ((rc = build_owner(t, o, &k, err)) || n == 0) return rc;
    if (n > (size_t)INT_MAX - 2) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "too many counters in one call (%zu)", n);
    }
    if (n + 2 > 8) {
        argv = malloc(sizeof(*argv) * (n + 2));
        lens = malloc(sizeof(*lens) * (n + 2));
        if (!argv || !lens) {
            rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
            goto done;
        }
    }
    argv[0] = "HMGET"; lens[0] = 5;
    argv[1] = k.buf;   lens[1] = k.len;
    memcpy(argv + 2, keys, sizeof(*argv) * n);
    memcpy(lens + 2, key_lens, sizeof(*lens) * n);
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
                rc = add_buffered(o, keys[i], key_lens[i], tally_buffer_get(t->buffer, k.buf, k.len, keys[i], key_lens[i]),
                                  &values[i], err);
            }
        }
    }
done:
    if (r) tally_reply_free(r);
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

tally_code tally_counter_get_all(const tally_counter *t, const tally_owner *o,
                                 tally_kv_cb cb, void *ud, tally_error *err)
{
    owner_key k;
    const char *argv[2];
    size_t lens[2], i;
    char what[256];
    redisReply *r;
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
            long long v;
            if (f->type != REDIS_REPLY_STRING) {
                rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected field in HGETALL", what);
            } else if ((rc = tally_reply_int(r->element[i + 1], what, &v, err)) == TALLY_OK) {
                if (t->buffer) {
                    rc = add_buffered(o, f->str, f->len, tally_buffer_merge(t->buffer, k.buf, k.len, f->str, f->len), &v, err);
                }
                if (rc == TALLY_OK && cb(ud, f->str, f->len, v)) {
                    stopped = 1;
                    break;
                }
            }
        }
        /* Then the counters that are only buffered so far (this also clears the marks). */
        if (t->buffer) tally_buffer_rest(t->buffer, k.buf, k.len, rc == TALLY_OK && !stopped ? cb : skip_all, ud);
    }
    tally_reply_free(r);
    return rc;
}

tally_code tally_counter_forget(const tally_counter *t, const tally_owner *o,
                                const char *key, size_t key_len, long long *removed, tally_error *err)
{
    tally_owner_keys ow;
    const char *argv[3];
    size_t lens[3];
    char what[256];
    redisReply *r;
    tally_code rc;

    if (key && (rc = check_key(t, key, key_len, err))) return rc;
    if ((rc = tally_key_owner_keys(t->prefix, t->prefix_len, o->type, o->type_len, o->id, o->id_len, &ow, err))) {
        return rc;
    }
    if (t->buffer) tally_buffer_discard(t->buffer, ow.pkey, ow.plen, key, key_len);
    argv[0] = ow.pkey; lens[0] = ow.plen;
    argv[1] = ow.fkey; lens[1] = ow.flen;
    if (key) {
        argv[2] = key; lens[2] = key_len;
        rc = tally_script_run(t->conn, TALLY_SCRIPT_FORGET_KEY, 2, 3, argv, lens, &r, err);
    } else {
        rc = tally_script_run(t->conn, TALLY_SCRIPT_FORGET_ALL, 2, 2, argv, lens, &r, err);
    }
    tally_owner_keys_free(&ow);
    if (rc) return rc;
    describe(what, sizeof(what), "forgetting", o, key, key_len);
    rc = tally_reply_int(r, what, removed, err);
    tally_reply_free(r);
    return rc;
}
