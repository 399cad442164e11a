/* Unique counts over HyperLogLogs: see tally_unique.h. */
#include "tally_unique.h"
#include "redis/tally_keyscan.h"
#include "redis/tally_pipe.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void describe(char *out, size_t size, const char *verb, const char *key, size_t len)
{
    snprintf(out, size, "%s the unique count '%.*s'", verb, (int)(len > 60 ? 60 : len), key);
}

tally_code tally_unique_add(const tally_counter *t, const tally_owner *o, const char *key, size_t key_len,
                            size_t n, const char *const *members, const size_t *member_lens,
                            size_t ntargets, const tally_target *targets, int32_t day, long long grace,
                            long long *changed, tally_error *err)
{
    tally_keybuf keys[TALLY_TARGETS_MAX];
    char ttls[TALLY_TARGETS_MAX][24], what[128];
    const char **argv = NULL;
    size_t *lens = NULL, built = 0, argc = 2 * ntargets + n;
    redisReply *r;
    tally_code rc = TALLY_OK;

    if (n == 0 || n > TALLY_UNIQUE_MEMBERS_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "members must list 1 to %d members, %zu given",
                               TALLY_UNIQUE_MEMBERS_MAX, n);
    }
    if (ntargets == 0 || ntargets > TALLY_TARGETS_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a unique count needs at least one period (day, week, month, "
                               "quarter or year)");
    }
    if (grace < 0 || grace > TALLY_UNIQUE_GRACE_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "grace must be 0 to %lld seconds, %lld given",
                               TALLY_UNIQUE_GRACE_MAX, grace);
    }
    argv = calloc(argc, sizeof(*argv));
    lens = calloc(argc, sizeof(*lens));
    if (!argv || !lens) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
        goto done;
    }
    for (size_t j = 0; j < ntargets; j++) {
        int32_t end = tally_period_add(targets[j].period, targets[j].start, 1);
        /* Counted from the day written for: never before end + grace (tally_unique.h). */
        long long ttl = (long long)(end > day ? end - day : 0) * 86400 + grace;
        if ((rc = tally_key_unique(t->prefix, t->prefix_len, o, targets[j].period, targets[j].start, key, key_len,
                                   t->max_key_len, &keys[j], err))) {
            goto done;
        }
        built++;
        argv[j] = keys[j].ptr;
        lens[j] = keys[j].len;
        argv[ntargets + j] = ttls[j];
        lens[ntargets + j] = (size_t)snprintf(ttls[j], sizeof(ttls[j]), "%lld", ttl > 0 ? ttl : 1);
    }
    for (size_t i = 0; i < n; i++) {
        argv[2 * ntargets + i] = members[i];
        lens[2 * ntargets + i] = member_lens[i];
    }
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_PFADD_EXPIRE, (int)ntargets, (int)argc, argv, lens, &r, err))) {
        goto done;
    }
    describe(what, sizeof(what), "adding to", key, key_len);
    rc = tally_reply_int(r, what, changed, err);
    tally_reply_free(r);
done:
    for (size_t j = 0; j < built; j++) tally_keybuf_free(&keys[j]);
    free(argv);
    free(lens);
    return rc;
}

tally_code tally_unique_count(const tally_counter *t, const tally_owner *o, const char *key, size_t key_len,
                              tally_target target, long long *count, tally_error *err)
{
    tally_keybuf k;
    const char *argv[2] = {"PFCOUNT", NULL};
    size_t lens[2] = {7, 0};
    char what[128];
    redisReply *r;
    tally_code rc = tally_key_unique(t->prefix, t->prefix_len, o, target.period, target.start, key, key_len,
                                     t->max_key_len, &k, err);
    if (rc) return rc;
    argv[1] = k.ptr;
    lens[1] = k.len;
    if ((rc = tally_conn_command(t->conn, 2, argv, lens, &r, err)) == TALLY_OK) {
        describe(what, sizeof(what), "reading", key, key_len);
        rc = tally_reply_int(r, what, count, err);
        tally_reply_free(r);
    }
    tally_keybuf_free(&k);
    return rc;
}

tally_code tally_unique_range(const tally_counter *t, const tally_owner *o, const char *key, size_t key_len,
                              tally_period period, int32_t from, int32_t to, long long *count,
                              int32_t **gone, size_t *ngone, tally_error *err)
{
    tally_keybuf *keys = NULL;
    const char **argv = NULL;
    size_t *lens = NULL, n, built = 0;
    char what[128];
    redisReply *r;
    tally_code rc = TALLY_OK;

    *gone = NULL;
    *ngone = 0;
    if (period == TALLY_PERIOD_NONE || from > to || !tally_period_is_start(period, from)
        || !tally_period_is_start(period, to)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a range of unique counts runs from a period's first day to a "
                               "later (or the same) period's");
    }
    n = (size_t)tally_period_index(period, from, to) + 1;
    if (n > TALLY_UNIQUE_RANGE_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a range of unique counts spans at most %d periods, %zu asked",
                               TALLY_UNIQUE_RANGE_MAX, n);
    }
    keys = calloc(n, sizeof(*keys));
    argv = calloc(n, sizeof(*argv));
    lens = calloc(n, sizeof(*lens));
    if (!keys || !argv || !lens) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = tally_key_unique(t->prefix, t->prefix_len, o, period, tally_period_add(period, from, (int32_t)i), key,
                                   key_len, t->max_key_len, &keys[i], err))) {
            goto done;
        }
        built++;
        argv[i] = keys[i].ptr;
        lens[i] = keys[i].len;
    }
    if ((rc = tally_script_run(t->conn, TALLY_SCRIPT_PFCOUNT_LIVE, (int)n, (int)n, argv, lens, &r, err))) goto done;
    describe(what, sizeof(what), "reading", key, key_len);
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, what, err);
    } else {
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[1]->type != REDIS_REPLY_ARRAY) {
            rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply", what);
        } else if ((rc = tally_reply_int(r->element[0], what, count, err)) == TALLY_OK && r->element[1]->elements) {
            redisReply *g = r->element[1];
            *gone = malloc(sizeof(**gone) * g->elements);
            if (!*gone) {
                rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading %s", what);
            }
            for (size_t i = 0; rc == TALLY_OK && i < g->elements; i++) {
                long long at;
                if ((rc = tally_reply_int(g->element[i], what, &at, err)) == TALLY_OK && (at < 0 || (size_t)at >= n)) {
                    rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply", what);
                }
                if (rc == TALLY_OK) (*gone)[(*ngone)++] = tally_period_add(period, from, (int32_t)at);
            }
            if (rc) {
                free(*gone);
                *gone = NULL;
                *ngone = 0;
            }
        }
    }
    tally_reply_free(r);
done:
    for (size_t i = 0; i < built; i++) tally_keybuf_free(&keys[i]);
    free(keys);
    free(argv);
    free(lens);
    return rc;
}

/* PFCOUNT of the closed periods among a SCAN page's keys, one pipeline (a cluster sends
 * each node its share), handed to cb. */
static tally_code closed_page(const tally_counter *t, const redisReply *page, int32_t today, tally_unique_cb cb,
                              void *ud, size_t *found, int *stop, tally_error *err)
{
    size_t n = page->elements, m = 0;
    tally_unique_key *u = calloc(n ? n : 1, sizeof(*u));
    char **bufs = calloc(n ? n : 1, sizeof(*bufs));
    tally_pipe pipe;
    tally_code rc = TALLY_OK;

    tally_pipe_init(&pipe, t->conn);
    if (!u || !bufs) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning unique counts");
        goto done;
    }
    for (size_t i = 0; i < n && rc == TALLY_OK; i++) {
        const redisReply *k = page->element[i];
        const char *argv[2] = {"PFCOUNT", k->str};
        size_t lens[2] = {7, k->len};
        if (k->type != REDIS_REPLY_STRING) continue;
        if (!(bufs[m] = malloc(2 * k->len + 1))) {
            rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning unique counts");
        } else if (tally_key_parse_unique(t->prefix, t->prefix_len, k->str, k->len, bufs[m], &u[m]) != 0
                   || tally_period_add(u[m].period, u[m].start, 1) > today) {
            free(bufs[m]);
            bufs[m] = NULL;
        } else if ((rc = tally_pipe_command(&pipe, 2, argv, lens, err)) == TALLY_OK) {
            m++;
        }
    }
    if (rc || m == 0 || (rc = tally_pipe_send(&pipe, err)) || (rc = tally_pipe_recv(&pipe, err))) goto done;
    for (size_t i = 0; i < m && !*stop; i++) {
        long long estimate;
        char what[128];
        describe(what, sizeof(what), "reading", u[i].key, u[i].key_len);
        /* A key gone since the SCAN answers 0: nothing to store. */
        if ((rc = tally_reply_int(pipe.replies[i], what, &estimate, err))) break;
        if (estimate > 0) {
            (*found)++;
            *stop = cb(ud, &u[i], estimate);
        }
    }
done:
    tally_pipe_free(&pipe);
    if (bufs) {
        for (size_t i = 0; i < n; i++) free(bufs[i]);
    }
    free(u);
    free(bufs);
    return rc;
}

tally_code tally_unique_closed(const tally_counter *t, const char *pattern, size_t pattern_len, int32_t today,
                               tally_unique_cb cb, void *ud, size_t *found, tally_error *err)
{
    tally_keyscan ks;
    size_t mlen;
    int stop = 0;
    char *match = tally_key_match_uniques(t->prefix, t->prefix_len, pattern, pattern_len, &mlen);
    tally_code rc;

    *found = 0;
    if (!match) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a SCAN pattern");
    if ((rc = tally_keyscan_start(&ks, t->conn, err))) {
        free(match);
        return rc;
    }
    while (!ks.done && !stop) {
        redisReply *r, *page;
        if ((rc = tally_keyscan_next(&ks, t->conn, match, mlen, "1000", &r, &page, err))) break;
        rc = closed_page(t, page, today, cb, ud, found, &stop, err);
        tally_reply_free(r);
        if (rc) break;
    }
    tally_keyscan_free(&ks);
    free(match);
    return rc;
}
