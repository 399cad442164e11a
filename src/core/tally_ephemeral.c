/* Ephemeral counters: see tally_ephemeral.h. */
#include "tally_ephemeral.h"
#include "tally_key.h"
#include "redis/tally_reply.h"
#include "redis/tally_pipe.h"
#include "redis/tally_script.h"
#include "redis/tally_keyscan.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void describe(char *out, size_t size, const char *verb, const char *name, size_t len)
{
    snprintf(out, size, "%s ephemeral key '%.*s'", verb, (int)(len > 60 ? 60 : len), name);
}

tally_code tally_ephemeral_incr(const tally_counter *t, const char *name, size_t len,
                                long long amount, long long ttl, long long *value, tally_error *err)
{
    tally_keybuf k;
    char num[24], ttls[24], what[128];
    const char *argv[4];
    size_t lens[4];
    redisReply *r;
    tally_code rc;

    if (ttl < 0 || ttl > TALLY_TTL_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "ttl must be between 0 (no expiry) and %lld seconds, %lld given",
                               TALLY_TTL_MAX, ttl);
    }
    if ((rc = tally_key_ephemeral(t->prefix, t->prefix_len, name, len, t->max_key_len, &k, err))) return rc;
    lens[3] = (size_t)snprintf(num, sizeof(num), "%lld", amount);
    if (ttl == 0) {
        argv[0] = "INCRBY"; lens[0] = 6;
        argv[1] = k.ptr;    lens[1] = k.len;
        argv[2] = num;      lens[2] = lens[3];
        rc = tally_conn_command(t->conn, 3, argv, lens, &r, err);
    } else {
        argv[0] = k.ptr; lens[0] = k.len;
        argv[1] = num;   lens[1] = lens[3];
        argv[2] = ttls;  lens[2] = (size_t)snprintf(ttls, sizeof(ttls), "%lld", ttl);
        rc = tally_script_run(t->conn, TALLY_SCRIPT_INCR_TTL, 1, 3, argv, lens, &r, err);
    }
    if (rc == TALLY_OK) {
        describe(what, sizeof(what), "incrementing", name, len);
        rc = tally_reply_int(r, what, value, err);
        tally_reply_free(r);
    }
    tally_keybuf_free(&k);
    return rc;
}

/* Runs `cmd key...` over n ephemeral keys (cmd NULL: the GET_MANY script); the reply is
 * left in *reply on success. */
static tally_code multi_key(const tally_counter *t, const char *cmd, size_t n, const char *const *names,
                            const size_t *lens, redisReply **reply, tally_error *err)
{
    tally_keybuf *keys;
    const char **argv;
    size_t *alens, i, built = 0;
    tally_code rc = TALLY_OK;

    if (n > (size_t)INT_MAX - 1) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "too many keys in one call (%zu)", n);
    }
    keys = malloc(sizeof(*keys) * n);
    argv = malloc(sizeof(*argv) * (n + 1));
    alens = malloc(sizeof(*alens) * (n + 1));
    if (!keys || !argv || !alens) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
        goto done;
    }
    argv[0] = cmd;
    alens[0] = cmd ? strlen(cmd) : 0;
    for (i = 0; i < n; i++) {
        if ((rc = tally_key_ephemeral(t->prefix, t->prefix_len, names[i], lens[i], t->max_key_len, &keys[i], err))) {
            goto done;
        }
        built++;
        argv[i + 1] = keys[i].ptr;
        alens[i + 1] = keys[i].len;
    }
    if (cmd) {
        rc = tally_conn_command(t->conn, (int)(n + 1), argv, alens, reply, err);
    } else {
        rc = tally_script_run(t->conn, TALLY_SCRIPT_GET_MANY, (int)n, (int)n, argv + 1, alens + 1, reply, err);
    }
done:
    for (i = 0; i < built; i++) tally_keybuf_free(&keys[i]);
    free(keys);
    free(argv);
    free(alens);
    return rc;
}

/* getKeys on a Redis Cluster: the keys lie in many slots, so one GET each, pipelined
 * (the cluster sends each node its share in one round trip). */
static tally_code get_each(const tally_counter *t, size_t n, const char *const *names,
                           const size_t *lens, long long *values, tally_error *err)
{
    tally_keybuf *keys = calloc(n, sizeof(*keys));
    const char **words = malloc(sizeof(*words) * 2 * n);
    size_t *wl = malloc(sizeof(*wl) * 2 * n), i, built = 0;
    const char *const **cv = malloc(sizeof(*cv) * n);
    const size_t **cl = malloc(sizeof(*cl) * n);
    int *cc = malloc(sizeof(*cc) * n);
    redisReply **replies = calloc(n, sizeof(*replies));
    char what[128];
    tally_code rc = TALLY_OK;

    if (n > (size_t)INT_MAX || !keys || !words || !wl || !cv || !cl || !cc || !replies) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading %zu ephemeral keys", n);
        goto done;
    }
    for (i = 0; i < n; i++) {
        if ((rc = tally_key_ephemeral(t->prefix, t->prefix_len, names[i], lens[i], t->max_key_len, &keys[i], err))) {
            goto done;
        }
        built++;
        words[2 * i] = "GET";        wl[2 * i] = 3;
        words[2 * i + 1] = keys[i].ptr; wl[2 * i + 1] = keys[i].len;
        cv[i] = words + 2 * i;
        cl[i] = wl + 2 * i;
        cc[i] = 2;
    }
    if ((rc = tally_conn_pipeline(t->conn, (int)n, cc, cv, cl, replies, err))) goto done;
    for (i = 0; i < n; i++) {
        if (rc == TALLY_OK) {
            describe(what, sizeof(what), "reading", names[i], lens[i]);
            rc = tally_reply_int(replies[i], what, &values[i], err);
        }
        tally_reply_free(replies[i]);
    }
done:
    for (i = 0; i < built; i++) tally_keybuf_free(&keys[i]);
    free(keys);
    free(words);
    free(wl);
    free(cv);
    free(cl);
    free(cc);
    free(replies);
    return rc;
}

tally_code tally_ephemeral_get(const tally_counter *t, size_t n, const char *const *names,
                               const size_t *lens, long long *values, tally_error *err)
{
    redisReply *r;
    char what[128];
    tally_code rc;
    size_t i;

    if (n == 0) return TALLY_OK;
    if (n > 1 && tally_conn_is_cluster(t->conn)) return get_each(t, n, names, lens, values, err);
    /* Not MGET: it answers nil for a key of another type, where GET reports WRONGTYPE. */
    if ((rc = multi_key(t, n == 1 ? "GET" : NULL, n, names, lens, &r, err))) return rc;
    if (n == 1) {
        describe(what, sizeof(what), "reading", names[0], lens[0]);
        rc = tally_reply_int(r, what, values, err);
    } else if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "reading ephemeral keys", err);
    } else if (r->type != REDIS_REPLY_ARRAY || r->elements != n) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "reading ephemeral keys: unexpected reply to the script");
    } else {
        for (i = 0; i < n && rc == TALLY_OK; i++) {
            describe(what, sizeof(what), "reading", names[i], lens[i]);
            rc = tally_reply_int(r->element[i], what, &values[i], err);
        }
    }
    tally_reply_free(r);
    return rc;
}

tally_code tally_ephemeral_delete(const tally_counter *t, size_t n, const char *const *names,
                                  const size_t *lens, long long *removed, tally_error *err)
{
    redisReply *r;
    tally_code rc;

    *removed = 0;
    if (n == 0) return TALLY_OK;
    if ((rc = multi_key(t, "DEL", n, names, lens, &r, err))) return rc;
    rc = tally_reply_int(r, "deleting ephemeral keys", removed, err);
    tally_reply_free(r);
    return rc;
}

tally_code tally_ephemeral_ttl(const tally_counter *t, const char *name, size_t len,
                               long long *ttl, tally_error *err)
{
    redisReply *r;
    char what[128];
    tally_code rc;

    if ((rc = multi_key(t, "TTL", 1, &name, &len, &r, err))) return rc;
    describe(what, sizeof(what), "reading the TTL of", name, len);
    rc = tally_reply_int(r, what, ttl, err);
    tally_reply_free(r);
    return rc;
}

/* One SCAN page's keys: TTL of each (dry run) or EXPIRE_IF_NONE on each, one round trip.
 * words holds, per key, {"TTL", key, ttl}: the dry run pipelines the first two, the script
 * takes the last two. */
static tally_code ensure_page(const tally_counter *t, const tally_ensure_ttl_opts *o, redisReply *keys,
                              tally_ensure_ttl_report *report, tally_error *err)
{
    size_t cap = keys->elements ? keys->elements : 1, n = 0, i;
    const char **words = malloc(sizeof(*words) * 3 * cap);
    size_t *lens = malloc(sizeof(*lens) * 3 * cap);
    redisReply **replies = calloc(cap, sizeof(*replies));
    const char *const **cv = malloc(sizeof(*cv) * cap);
    const size_t **cl = malloc(sizeof(*cl) * cap);
    int *cc = malloc(sizeof(*cc) * cap);
    char ttl[24];
    size_t ttl_len = (size_t)snprintf(ttl, sizeof(ttl), "%lld", o->ttl);
    tally_code rc = TALLY_OK;

    if (!words || !lens || !replies || !cv || !cl || !cc) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory checking expiries");
        goto done;
    }
    for (i = 0; i < keys->elements; i++) {
        redisReply *k = keys->element[i];
        /* Another prefix's owner hash, claim or own key (a nested prefix's) has a brace. */
        if (k->type != REDIS_REPLY_STRING || !tally_key_is_ephemeral(t->prefix, t->prefix_len, k->str, k->len)) {
            continue;
        }
        words[3 * n] = "TTL";   lens[3 * n] = 3;
        words[3 * n + 1] = k->str; lens[3 * n + 1] = k->len;
        words[3 * n + 2] = ttl; lens[3 * n + 2] = ttl_len;
        cv[n] = words + 3 * n;
        cl[n] = lens + 3 * n;
        cc[n] = 2;
        n++;
    }
    report->scanned += n;
    if (n == 0) goto done;
    if (o->dry_run) {
        rc = tally_conn_pipeline(t->conn, (int)n, cc, cv, cl, replies, err);
    } else {
        /* The script's words for key i are words[3i + 1 .. 3i + 2]: a stride of 3, so pack them. */
        for (i = 0; i < n; i++) {
            words[2 * i] = words[3 * i + 1];
            lens[2 * i] = lens[3 * i + 1];
            words[2 * i + 1] = ttl;
            lens[2 * i + 1] = ttl_len;
        }
        rc = tally_pipe_run_many(t->conn, TALLY_SCRIPT_EXPIRE_IF_NONE, 1, (int)n, 2, words, lens, replies, err);
    }
    if (rc) goto done;
    for (i = 0; i < n; i++) {
        long long v = 0;
        const char *key = o->dry_run ? words[3 * i + 1] : words[2 * i];
        size_t key_len = o->dry_run ? lens[3 * i + 1] : lens[2 * i];
        if (rc == TALLY_OK) rc = tally_reply_int(replies[i], "checking the expiry of an ephemeral key", &v, err);
        if (rc == TALLY_OK && (o->dry_run ? v == -1 : v == 1)) {
            report->missing++;
            if (!o->dry_run) report->ttl_set++;
            if (o->found) o->found(o->ud, key + t->prefix_len, key_len - t->prefix_len);
        }
        tally_reply_free(replies[i]);
    }
done:
    free(words);
    free(lens);
    free(replies);
    free(cv);
    free(cl);
    free(cc);
    return rc;
}
tally_code tally_ephemeral_ensure_ttl(const tally_counter *t, const tally_ensure_ttl_opts *o,
                                      tally_ensure_ttl_report *report, tally_error *err)
{
    char count[24], *match;
    size_t batch = o->batch ? o->batch : 1000, mlen;
    tally_keyscan ks;
    tally_code rc = TALLY_OK;

    memset(report, 0, sizeof(*report));
    if (o->pattern_len == 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "pattern must not be empty ('*' matches every ephemeral key)");
    }
    if (o->pattern_len > TALLY_KEY_MAX_LIMIT) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "pattern is %zu bytes long; the maximum is %d",
                               o->pattern_len, TALLY_KEY_MAX_LIMIT);
    }
    if (memchr(o->pattern, '{', o->pattern_len) || memchr(o->pattern, '}', o->pattern_len)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "pattern must not contain '{' or '}': no ephemeral key does (owner counters and Tally's own keys are never expired)");
    }
    if (o->ttl < 1 || o->ttl > TALLY_TTL_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "ttl must be between 1 and %lld seconds, %lld given",
                               TALLY_TTL_MAX, o->ttl);
    }
    if (batch > TALLY_SCAN_BATCH_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "batch size must be between 1 and %d, %zu given",
                               TALLY_SCAN_BATCH_MAX, batch);
    }
    match = malloc(2 * t->prefix_len + o->pattern_len + 1);
    if (!match) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a SCAN pattern");
    mlen = tally_key_glob_escape(t->prefix, t->prefix_len, match);
    memcpy(match + mlen, o->pattern, o->pattern_len);
    mlen += o->pattern_len;
    snprintf(count, sizeof(count), "%zu", batch);

    if ((rc = tally_keyscan_start(&ks, t->conn, err))) {
        free(match);
        return rc;
    }
    /* Every master in turn on a cluster: SCAN sees only the node it is sent to. */
    do {
        redisReply *r, *page;
        if ((rc = tally_keyscan_next(&ks, t->conn, match, mlen, count, &r, &page, err))) break;
        report->batches++;
        rc = ensure_page(t, o, page, report, err);
        tally_reply_free(r);
    } while (rc == TALLY_OK && !ks.done);
    tally_keyscan_free(&ks);
    free(match);
    return rc;
}
