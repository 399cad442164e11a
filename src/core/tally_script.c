/* The Lua scripts Tally runs in Redis: see tally_script.h. */
#include "tally_script.h"
#include "tally_sha1.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sources[TALLY_SCRIPT_COUNT] = {
    [TALLY_SCRIPT_INCR_MANY] =
    /* INCR_MANY: values are kept as strings for the undo so no int64 passes through a
     * Lua double; on any error the fields already changed get their old values back.
     * pcall hands the error over as a string on some Redis versions, a table on others.
     * Results are re-read with HGET: an integer reply becomes a Lua double inside a
     * script, which is exact only up to 2^53, while the bulk string stays exact. */
    "local k, out, old = KEYS[1], {}, {}\n"
    "for i = 1, #ARGV, 2 do\n"
    "  old[#old + 1] = redis.call('HGET', k, ARGV[i])\n"
    "  local ok, v = pcall(redis.call, 'HINCRBY', k, ARGV[i], ARGV[i + 1])\n"
    "  if not ok then\n"
    "    for j = #old - 1, 1, -1 do\n"
    "      local f = ARGV[2 * j - 1]\n"
    "      if old[j] then redis.call('HSET', k, f, old[j]) else redis.call('HDEL', k, f) end\n"
    "    end\n"
    "    if type(v) == 'table' then return v end\n"
    "    return redis.error_reply(tostring(v))\n"
    "  end\n"
    "  out[#out + 1] = redis.call('HGET', k, ARGV[i])\n"
    "end\n"
    "return out\n",

    [TALLY_SCRIPT_INCR_TTL] =
    /* INCR_TTL: the value is returned as GET's string for the reason above. TTL -1 means the key exists without expiry, i.e. this is its first
     * increment (or someone created it without one: it gets one now, never a leak). */
    "redis.call('INCRBY', KEYS[1], ARGV[1])\n"
    "if redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end\n"
    "return redis.call('GET', KEYS[1])\n",

    [TALLY_SCRIPT_GET_MANY] =
    /* GET_MANY: one atomic snapshot like MGET, but a key of another type is an error
     * (WRONGTYPE) as with GET, where MGET would answer nil and hide it. */
    "local out = {}\n"
    "for i = 1, #KEYS do out[i] = redis.call('GET', KEYS[i]) end\n"
    "return out\n",

    [TALLY_SCRIPT_FORGET_ALL] =
    "local n = redis.call('HLEN', KEYS[1])\n"
    "redis.call('DEL', KEYS[1])\n"
    "return n\n",
};

static char shas[TALLY_SCRIPT_COUNT][41];

void tally_script_init(void)
{
    for (int i = 0; i < TALLY_SCRIPT_COUNT; i++) {
        tally_sha1_hex(sources[i], strlen(sources[i]), shas[i]);
    }
}

const char *tally_script_source(tally_script_id id, size_t *len)
{
    *len = strlen(sources[id]);
    return sources[id];
}

const char *tally_script_sha(tally_script_id id)
{
    return shas[id];
}

#define SCRIPT_ARGV_STACK 16

tally_code tally_script_run(tally_conn *conn, tally_script_id id, int numkeys, int argc,
                            const char **argv, const size_t *argvlen,
                            redisReply **reply, tally_error *err)
{
    const char *sv[SCRIPT_ARGV_STACK];
    size_t sl[SCRIPT_ARGV_STACK];
    const char **v = sv;
    size_t *l = sl;
    char nk[16];
    tally_code rc;
    int total = argc + 3;

    if (total > SCRIPT_ARGV_STACK) {
        v = malloc(sizeof(*v) * (size_t)total);
        l = malloc(sizeof(*l) * (size_t)total);
        if (!v || !l) {
            if (v != sv) free(v);
            if (l != sl) free(l);
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a script call");
        }
    }
    snprintf(nk, sizeof(nk), "%d", numkeys);
    v[0] = "EVALSHA";
    l[0] = 7;
    v[1] = shas[id];
    l[1] = 40;
    v[2] = nk;
    l[2] = strlen(nk);
    memcpy(v + 3, argv, sizeof(*v) * (size_t)argc);
    memcpy(l + 3, argvlen, sizeof(*l) * (size_t)argc);

    rc = tally_conn_command(conn, total, v, l, reply, err);
    if (rc == TALLY_OK && (*reply)->type == REDIS_REPLY_ERROR && strncmp((*reply)->str, "NOSCRIPT", 8) == 0) {
        freeReplyObject(*reply);
        *reply = NULL;
        v[0] = "EVAL";
        l[0] = 4;
        v[1] = tally_script_source(id, &l[1]);
        rc = tally_conn_command(conn, total, v, l, reply, err);
    }
    if (v != sv) free(v);
    if (l != sl) free(l);
    return rc;
}
