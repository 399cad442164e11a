/* The Lua scripts Tally runs in Redis: see tally_script.h. */
#include "redis/tally_script.h"
#include "redis/tally_reply.h"
#include "util/tally_sha1.h"
#include "util/tally_grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sources[TALLY_SCRIPT_COUNT] = {
    [TALLY_SCRIPT_INCR_MANY] =
    /* INCR_MANY adds a delta to fields of KEYS[1], all or nothing. Two forms of ARGV:
     *   one key:      delta, its fields (its lifetime counter and periods, tally_key.h)
     *   several keys: '', then per key m, delta, its m fields
     * (a delta is never ''). One key, the increment's form, takes the fewest words and the
     * least Lua: against the several-keys form with a count and a negated delta, its
     * one-call-per-round-trip cost came ~4 % nearer the least script of three HINCRBYs.
     * A field that would overflow undoes every field before it, newest first, with its delta
     * negated as a decimal string (exact: Lua numbers are doubles; -2^63, which has no
     * negation, as +2^63-1 then +1), and deletes a field back at 0 (one this call created;
     * a 0 delta is nothing pending either way). The undo list is built only on an overflow.
     * pcall hands the error over as a table. Results are each key's first field: HINCRBY's
     * reply when it is below 2^53 in magnitude (a Lua double inside a script is exact up to
     * there), else re-read with HGET (a bulk string stays exact); one key's alone, not in an
     * array, so that it is read in place as HINCRBY's is. */
    "local k, n, undo, err = KEYS[1], #ARGV\n"
    "if ARGV[1] ~= '' then\n"
    "  local d, first = ARGV[1]\n"
    "  for j = 2, n do\n"
    "    local v = redis.pcall('HINCRBY', k, ARGV[j], d)\n"
    "    if type(v) == 'table' then\n"
    "      undo, err = {}, v\n"
    "      for x = 2, j - 1 do undo[#undo + 1] = ARGV[x]; undo[#undo + 1] = d end\n"
    "      break\n"
    "    end\n"
    "    if j == 2 then first = v end\n"
    "  end\n"
    "  if not err then\n"
    "    if first <= -9007199254740992 or first >= 9007199254740992 then return redis.call('HGET', k, ARGV[2]) end\n"
    "    return first\n"
    "  end\n"
    "else\n"
    "  local i, out = 2, {}\n"
    "  while i <= n and not err do\n"
    "    local d, a, z = ARGV[i + 1], i + 2, i + 1 + tonumber(ARGV[i])\n"
    "    for j = a, z do\n"
    "      local v = redis.pcall('HINCRBY', k, ARGV[j], d)\n"
    "      if type(v) == 'table' then\n"
    "        undo, err = {}, v\n"
    "        local g = 2\n"
    "        while g <= i do\n"
    "          local e = g == i and j - 1 or g + 1 + tonumber(ARGV[g])\n"
    "          for x = g + 2, e do undo[#undo + 1] = ARGV[x]; undo[#undo + 1] = ARGV[g + 1] end\n"
    "          g = g + 2 + tonumber(ARGV[g])\n"
    "        end\n"
    "        break\n"
    "      end\n"
    "      if j == a then\n"
    "        if v <= -9007199254740992 or v >= 9007199254740992 then v = ARGV[j] end\n"
    "        out[#out + 1] = v\n"
    "      end\n"
    "    end\n"
    "    i = z + 1\n"
    "  end\n"
    "  if not err then\n"
    "    for x = 1, #out do if type(out[x]) == 'string' then out[x] = redis.call('HGET', k, out[x]) end end\n"
    "    return out\n"
    "  end\n"
    "end\n"
    "for u = #undo - 1, 1, -2 do\n"
    "  local f, d = undo[u], undo[u + 1]\n"
    "  if d == '-9223372036854775808' then\n"
    "    redis.call('HINCRBY', k, f, '9223372036854775807')\n"
    "    d = '-1'\n"
    "  end\n"
    "  if d ~= '0' then d = d:sub(1, 1) == '-' and d:sub(2) or '-' .. d end\n"
    "  if redis.call('HINCRBY', k, f, d) == 0 then redis.call('HDEL', k, f) end\n"
    "end\n"
    "return err\n",

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

    /* FORGET_*: a counter's pending delta may sit in P or, set aside by a sync, in F: both
     * are what reads count, so forgetting it drops both, atomically. */
    [TALLY_SCRIPT_FORGET_ALL] =
    "local seen, n = {}, 0\n"
    "for _, k in ipairs(KEYS) do\n"
    "  for _, f in ipairs(redis.call('HKEYS', k)) do\n"
    "    if not seen[f] then seen[f] = true; n = n + 1 end\n"
    "  end\n"
    "end\n"
    "redis.call('DEL', KEYS[1], KEYS[2])\n"
    "return n\n",

    [TALLY_SCRIPT_FORGET_KEY] =
    "local n = 0\n"
    "for i = 1, #ARGV do\n"
    "  if redis.call('HDEL', KEYS[1], ARGV[i]) + redis.call('HDEL', KEYS[2], ARGV[i]) > 0 then n = n + 1 end\n"
    "end\n"
    "return n\n",

    [TALLY_SCRIPT_FIELDS] =
    "return {redis.call('HKEYS', KEYS[1]), redis.call('HKEYS', KEYS[2])}\n",

    /* CLAIM: a leftover claim must be settled before the owner's pending deltas can be
     * claimed, so that an owner's claims (and their seqs) follow one another. A key that is
     * not Tally's (another type, a field that is not an integer, or the empty field the
     * claim's seq lives in) is looked at and never renamed or written: {3, key, type[,
     * field, value]}. P's fields are read before the RENAME, so the reply is the claim. */
    [TALLY_SCRIPT_CLAIM] =
    "local ct = redis.call('TYPE', KEYS[2]).ok\n"
    "if ct == 'hash' then return {0, redis.call('HGETALL', KEYS[2])} end\n"
    "if ct ~= 'none' then return {3, KEYS[2], ct} end\n"
    "local pt = redis.call('TYPE', KEYS[1]).ok\n"
    "if pt == 'none' then return {2} end\n"
    "if pt ~= 'hash' then return {3, KEYS[1], pt} end\n"
    "local all = redis.call('HGETALL', KEYS[1])\n"
    "for i = 2, #all, 2 do\n"
    "  local v = all[i]\n"
    "  if all[i - 1] == '' or #v > 20 or not string.match(v, '^%-?%d+$') then\n"
    "    return {3, KEYS[1], 'hash', all[i - 1], v}\n"
    "  end\n"
    "end\n"
    "redis.call('RENAME', KEYS[1], KEYS[2])\n"
    "redis.call('HSET', KEYS[2], '', ARGV[1])\n"
    "all[#all + 1] = ''\n"
    "all[#all + 1] = ARGV[1]\n"
    "return {1, all}\n",

    /* RESTAMP: a leftover found uncommitted takes the recovering run's seq before it is
     * written (the claim-side token, tally_sync.h): only while it still holds the old one;
     * returns what it holds then, or nil. */
    [TALLY_SCRIPT_RESTAMP] =
    "if redis.call('HGET', KEYS[1], '') ~= ARGV[1] then return false end\n"
    "redis.call('HSET', KEYS[1], '', ARGV[2])\n"
    "return redis.call('HGETALL', KEYS[1])\n",

    [TALLY_SCRIPT_RELEASE] =
    "if redis.call('HGET', KEYS[1], '') == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n",

    [TALLY_SCRIPT_LOCK_REFRESH] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
    "return 0\n",

    [TALLY_SCRIPT_DEL_IF_EQUAL] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n",

    /* READ_KEYS / READ_ALL: pending, in-flight and set-aside deltas in one atomic snapshot,
     * so that a claim (RENAME) or a set-aside can never fall between the reads; READ_KEYS of
     * several owners at once (a listing page: one script, not one per owner). Three HMGET per
     * owner (C's with the claim's seq field '' first) where unpack() can take the fields: a
     * Lua redis.call costs more than the field it reads; beyond that one HGET per field. */
    [TALLY_SCRIPT_READ_KEYS] =
    "local out, n = {}, #ARGV\n"
    "for o = 1, #KEYS, 3 do\n"
    "  if n <= 1000 then\n"
    "    out[#out + 1] = {redis.call('HMGET', KEYS[o], unpack(ARGV)), redis.call('HMGET', KEYS[o + 1], '', unpack(ARGV)),\n"
    "                     redis.call('HMGET', KEYS[o + 2], unpack(ARGV))}\n"
    "  else\n"
    "    local p, c, f = {}, {redis.call('HGET', KEYS[o + 1], '')}, {}\n"
    "    for i = 1, n do\n"
    "      p[i] = redis.call('HGET', KEYS[o], ARGV[i])\n"
    "      c[i + 1] = redis.call('HGET', KEYS[o + 1], ARGV[i])\n"
    "      f[i] = redis.call('HGET', KEYS[o + 2], ARGV[i])\n"
    "    end\n"
    "    out[#out + 1] = {p, c, f}\n"
    "  end\n"
    "end\n"
    "return out\n",

    [TALLY_SCRIPT_READ_ALL] =
    "return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3])}\n",

    /* SET_ASIDE: the rejected fields leave the claim C for the set-aside hash F in one step,
     * and only while C is still this claim and the run still holds the sync lock (KEYS[3]):
     * a run that lost its lock might otherwise move a field that a newer run has already
     * committed from the same leftover claim (see tally_sync.h). Each field moves whole
     * (HINCRBY, then HDEL), so even an error midway leaves every delta in exactly one place. */
    [TALLY_SCRIPT_SET_ASIDE] =
    "if KEYS[3] and redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end\n"
    "if redis.call('HGET', KEYS[1], '') ~= ARGV[2] then return 0 end\n"
    "for i = 3, #ARGV do\n"
    "  local v = redis.call('HGET', KEYS[1], ARGV[i])\n"
    "  if v then\n"
    "    redis.call('HINCRBY', KEYS[2], ARGV[i], v)\n"
    "    redis.call('HDEL', KEYS[1], ARGV[i])\n"
    "  end\n"
    "end\n"
    "return 1\n",

    /* RETRY: set-aside deltas back into pending, field by field (HINCRBY into P, then HDEL
     * from F), so a read sees each in exactly one of the two at any instant. Returns the
     * fields moved with their deltas; an error (P not a hash, a sum beyond 64 bits) stops
     * there, with the rest still in F. */
    [TALLY_SCRIPT_RETRY] =
    "local all, out = redis.call('HGETALL', KEYS[2]), {}\n"
    "for i = 1, #all, 2 do\n"
    "  local ok, e = pcall(redis.call, 'HINCRBY', KEYS[1], all[i], all[i + 1])\n"
    "  if not ok then\n"
    "    if type(e) == 'table' then e = e.err end\n"
    "    return redis.error_reply(tostring(e) .. ' (' .. (#out / 2) .. ' moved before)')\n"
    "  end\n"
    "  redis.call('HDEL', KEYS[2], all[i])\n"
    "  out[#out + 1] = all[i]\n"
    "  out[#out + 1] = all[i + 1]\n"
    "end\n"
    "return out\n",

    /* RATE_FIXED: a window starts with its first admitted unit and ends when the counter
     * expires (window seconds later). need = max(cost, 1): cost 0 only looks, and says
     * whether one unit would pass. A denied attempt writes nothing, except that a counter
     * somebody left without an expiry gets one (it could otherwise deny forever). */
    [TALLY_SCRIPT_RATE_FIXED] =
    "local k, limit, win, cost = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]) * 1000, tonumber(ARGV[3])\n"
    "local v, used = redis.call('GET', k), 0\n"
    "if v then\n"
    "  if not string.match(v, '^%d+$') then return redis.error_reply('ERR the rate limit counter is not an integer') end\n"
    "  used = tonumber(v)\n"
    "end\n"
    "local ttl = redis.call('PTTL', k)\n"
    "if ttl == -1 then redis.call('PEXPIRE', k, win); ttl = win end\n"
    "if used + math.max(cost, 1) > limit then return {0, math.max(limit - used, 0), ttl, ttl} end\n"
    "if cost > 0 then\n"
    "  used = redis.call('INCRBY', k, cost)\n"
    "  if ttl < 0 then redis.call('PEXPIRE', k, win); ttl = win end\n"
    "end\n"
    "if ttl < 0 then ttl = 0 end\n"
    "return {1, limit - used, ttl, 0}\n",

    /* RATE_SLIDING: an exact log. Every admitted unit is one member scored by the server's
     * TIME in microseconds (exact in a double until the year 2255); a unit counts while it
     * is younger than the window. Members are "<score>:<seq>" and scores never go below the
     * newest one's, so members stay unique even when the clock steps back (the log then
     * errs on the strict side). seq is zero-padded to 12 digits: members of one score sort
     * by name, and the newest (ZRANGE -1) must be the one with the highest seq ("S:10"
     * sorts before "S:9", whose successor S:10 would then overwrite a unit). reset: until the oldest unit leaves; retry: until enough
     * leave for this cost. A denied attempt only trims units that have left the window. */
    [TALLY_SCRIPT_RATE_SLIDING] =
    "if redis.replicate_commands then redis.replicate_commands() end\n"
    "local k, limit, win, cost = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]) * 1000000, tonumber(ARGV[3])\n"
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
    "redis.call('ZREMRANGEBYSCORE', k, '-inf', now - win)\n"
    "local used, need = redis.call('ZCARD', k), math.max(cost, 1)\n"
    "local allowed = used + need <= limit\n"
    "if allowed and cost > 0 then\n"
    "  local ts, seq, last = now, 0, redis.call('ZRANGE', k, -1, -1, 'WITHSCORES')\n"
    "  if last[1] and tonumber(last[2]) >= now then\n"
    "    ts = tonumber(last[2])\n"
    "    seq = (tonumber(string.match(last[1], ':(%d+)$')) or 0) + 1\n"
    "  end\n"
    "  local args, score = {}, string.format('%.0f', ts)\n"
    "  for i = 0, cost - 1 do\n"
    "    args[#args + 1] = score\n"
    "    args[#args + 1] = string.format('%s:%012d', score, seq + i)\n"
    "    if #args >= 1000 or i == cost - 1 then redis.call('ZADD', k, unpack(args)); args = {} end\n"
    "  end\n"
    "  used = used + cost\n"
    "  redis.call('PEXPIRE', k, math.ceil((ts + win - now) / 1000))\n"
    "end\n"
    "local reset, retry = 0, 0\n"
    "if used > 0 then reset = tonumber(redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')[2]) + win - now end\n"
    "if not allowed then\n"
    "  local drop = used + need - limit\n"
    "  retry = tonumber(redis.call('ZRANGE', k, drop - 1, drop - 1, 'WITHSCORES')[2]) + win - now\n"
    "end\n"
    "return {allowed and 1 or 0, math.max(limit - used, 0), math.ceil(reset / 1000), math.ceil(retry / 1000)}\n",

    /* EXPIRE_IF_NONE: checked and set in one step, so an expiry set meanwhile by an
     * increment is never overwritten (EXPIRE NX needs Redis 7). */
    [TALLY_SCRIPT_EXPIRE_IF_NONE] =
    "if redis.call('TTL', KEYS[1]) == -1 then return redis.call('EXPIRE', KEYS[1], ARGV[1]) end\n"
    "return 0\n",

    /* FENCE_RAISE: compared and raised in one step, so two runs can never both pass with
     * one fence (see tally_fence.h). Fences stay below 2^43: exact as Lua numbers. */
    [TALLY_SCRIPT_FENCE_RAISE] =
    "local last = tonumber(redis.call('GET', KEYS[1]) or '0') or 0\n"
    "if tonumber(ARGV[1]) <= last then return last end\n"
    "redis.call('SET', KEYS[1], ARGV[1])\n"
    "return 0\n",

    /* PFADD_EXPIRE: the members go in by 1000 (unpack() stays far below Lua's stack limit);
     * the expiry is set with every write, so no HyperLogLog ever lives without one. */
    [TALLY_SCRIPT_PFADD_EXPIRE] =
    "local m, n = #KEYS, 0\n"
    "for i = 1, m do\n"
    "  local c = 0\n"
    "  for j = m + 1, #ARGV, 1000 do\n"
    "    c = math.max(c, redis.call('PFADD', KEYS[i], unpack(ARGV, j, math.min(j + 999, #ARGV))))\n"
    "  end\n"
    "  redis.call('EXPIRE', KEYS[i], ARGV[i])\n"
    "  n = n + c\n"
    "end\n"
    "return n\n",

    /* PFCOUNT_LIVE: the union of a range's HyperLogLogs that still exist, and which do not
     * (their periods' estimates are read from SQL), in one atomic step. */
    [TALLY_SCRIPT_PFCOUNT_LIVE] =
    "local live, gone, n = {}, {}, 0\n"
    "for i = 1, #KEYS do\n"
    "  if redis.call('EXISTS', KEYS[i]) == 1 then live[#live + 1] = KEYS[i] else gone[#gone + 1] = i - 1 end\n"
    "end\n"
    "if #live > 0 then n = redis.call('PFCOUNT', unpack(live)) end\n"
    "return {n, gone}\n",
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
    if (rc == TALLY_OK && tally_script_missing(*reply)) {
        tally_reply_free(*reply);
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

void tally_script_head1(tally_script_id id, const char *words[3], size_t lens[3])
{
    words[0] = "EVALSHA";
    lens[0] = 7;
    words[1] = shas[id];
    lens[1] = 40;
    words[2] = "1";
    lens[2] = 1;
}

int tally_script_missing(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0;
}
