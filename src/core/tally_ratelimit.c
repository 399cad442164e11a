/* Rate limits: see tally_ratelimit.h. */
#include "tally_ratelimit.h"
#include "tally_key.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"

#include <stdio.h>
#include <string.h>

#define KIND_FIXED   "rl:f"
#define KIND_SLIDING "rl:s"
#define WHAT         "rate limit name"

static tally_code check(const tally_ratelimit_opts *o, tally_error *err)
{
    long long max = o->sliding ? TALLY_RATELIMIT_SLIDING_MAX : TALLY_RATELIMIT_LIMIT_MAX;
    if (o->limit < 1 || o->limit > max) {
        if (o->sliding && o->limit > max) {
            return tally_error_set(err, TALLY_ERR_ARGUMENT,
                                   "limit must be between 1 and %lld for a sliding window (it keeps one entry per "
                                   "admitted unit), %lld given; use a fixed window for larger limits", max, o->limit);
        }
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "limit must be between 1 and %lld, %lld given", max, o->limit);
    }
    if (o->window < 1 || o->window > TALLY_RATELIMIT_WINDOW_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "window must be between 1 and %lld seconds, %lld given",
                               TALLY_RATELIMIT_WINDOW_MAX, o->window);
    }
    if (o->cost < 0 || o->cost > o->limit) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "cost must be between 0 (only look) and the limit %lld, %lld given", o->limit, o->cost);
    }
    return TALLY_OK;
}

static long long ms_to_seconds(long long ms)
{
    return ms <= 0 ? 0 : (ms + 999) / 1000;
}

/* {allowed, remaining, reset ms, retry ms} -> *out. */
static tally_code decode(const redisReply *r, const char *what, long long limit, tally_ratelimit_result *out,
                         tally_error *err)
{
    long long v[4];
    tally_code rc;
    if (r->type == REDIS_REPLY_ERROR) return tally_reply_error(r, what, err);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 4) {
        return tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply to the rate limit script", what);
    }
    for (int i = 0; i < 4; i++) {
        if ((rc = tally_reply_int(r->element[i], what, &v[i], err))) return rc;
    }
    out->allowed = v[0] == 1;
    out->limit = limit;
    out->remaining = v[1];
    out->reset = ms_to_seconds(v[2]);
    out->retry_after = out->allowed ? 0 : ms_to_seconds(v[3]);
    if (!out->allowed && out->retry_after < 1) out->retry_after = 1;
    return TALLY_OK;
}

tally_code tally_ratelimit_hit(const tally_counter *t, const char *name, size_t len,
                               const tally_ratelimit_opts *o, tally_ratelimit_result *out, tally_error *err)
{
    tally_keybuf k;
    char a[3][24], what[128];
    const char *argv[4];
    size_t lens[4];
    redisReply *r;
    tally_code rc;

    if ((rc = check(o, err))) return rc;
    if ((rc = tally_key_internal(t->prefix, t->prefix_len, o->sliding ? KIND_SLIDING : KIND_FIXED, WHAT,
                                 name, len, t->max_key_len, &k, err))) {
        return rc;
    }
    argv[0] = k.ptr;
    lens[0] = k.len;
    lens[1] = (size_t)snprintf(a[0], sizeof(a[0]), "%lld", o->limit);
    lens[2] = (size_t)snprintf(a[1], sizeof(a[1]), "%lld", o->window);
    lens[3] = (size_t)snprintf(a[2], sizeof(a[2]), "%lld", o->cost);
    argv[1] = a[0];
    argv[2] = a[1];
    argv[3] = a[2];
    rc = tally_script_run(t->conn, o->sliding ? TALLY_SCRIPT_RATE_SLIDING : TALLY_SCRIPT_RATE_FIXED, 1, 4,
                          argv, lens, &r, err);
    if (rc == TALLY_OK) {
        snprintf(what, sizeof(what), "rate limit '%.*s'", (int)(len > 60 ? 60 : len), name);
        rc = decode(r, what, o->limit, out, err);
        tally_reply_free(r);
    }
    tally_keybuf_free(&k);
    return rc;
}

tally_code tally_ratelimit_reset(const tally_counter *t, const char *name, size_t len,
                                 int *existed, tally_error *err)
{
    tally_keybuf f, s;
    const char *argv[3];
    size_t lens[3];
    redisReply *r;
    long long n = 0;
    tally_code rc;

    if ((rc = tally_key_internal(t->prefix, t->prefix_len, KIND_FIXED, WHAT, name, len, t->max_key_len, &f, err))) {
        return rc;
    }
    if ((rc = tally_key_internal(t->prefix, t->prefix_len, KIND_SLIDING, WHAT, name, len, t->max_key_len, &s, err))) {
        tally_keybuf_free(&f);
        return rc;
    }
    argv[0] = "DEL";  lens[0] = 3;
    argv[1] = f.ptr;  lens[1] = f.len;
    argv[2] = s.ptr;  lens[2] = s.len;
    rc = tally_conn_command(t->conn, 3, argv, lens, &r, err);
    if (rc == TALLY_OK) {
        rc = tally_reply_int(r, "resetting a rate limit", &n, err);
        tally_reply_free(r);
    }
    *existed = n > 0;
    tally_keybuf_free(&f);
    tally_keybuf_free(&s);
    return rc;
}
