/* Ephemeral counters: see tally_ephemeral.h. */
#include "tally_ephemeral.h"
#include "tally_key.h"
#include "tally_reply.h"
#include "tally_script.h"

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
        freeReplyObject(r);
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

tally_code tally_ephemeral_get(const tally_counter *t, size_t n, const char *const *names,
                               const size_t *lens, long long *values, tally_error *err)
{
    redisReply *r;
    char what[128];
    tally_code rc;
    size_t i;

    if (n == 0) return TALLY_OK;
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
    freeReplyObject(r);
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
    freeReplyObject(r);
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
    freeReplyObject(r);
    return rc;
}
