/* The Lua scripts Tally runs in Redis, each an atomic one-round-trip operation.
 *
 *   tally_script_init()    compute the SHA-1 names once, at module start
 *   tally_script_source()  the script's text (for EVAL after NOSCRIPT)
 *   tally_script_sha()     its SHA-1 (for EVALSHA)
 *   tally_script_run()     EVALSHA, falling back to EVAL when the server lacks the script
 */
#ifndef TALLY_SCRIPT_H
#define TALLY_SCRIPT_H

#include <stddef.h>

#include "redis/tally_conn.h"

typedef enum {
    TALLY_SCRIPT_INCR_MANY = 0,  /* KEYS[1] hash; ARGV one key: delta, its fields; several: '',
                                  * then per key m, delta, its m fields: all or nothing; each
                                  * key's first field's value (one key: that value alone, not
                                  * in an array) */
    TALLY_SCRIPT_INCR_TTL,       /* KEYS[1]; ARGV delta, ttl: INCRBY + EXPIRE when none set */
    TALLY_SCRIPT_GET_MANY,       /* KEYS: values (nil when missing), WRONGTYPE as an error */
    TALLY_SCRIPT_FORGET_ALL,     /* KEYS P, F: number of distinct fields, then DEL both */
    TALLY_SCRIPT_FORGET_KEY,     /* KEYS P, F; ARGV fields: HDEL from both: how many were in either */
    TALLY_SCRIPT_FIELDS,         /* KEYS P, F: {HKEYS P, HKEYS F} */
    TALLY_SCRIPT_CLAIM,          /* KEYS P, C; ARGV seq: {0, leftover C} | {1, new C} | {2} nothing |
                                  * {3, key, type[, field, value]} not Tally's: left alone */
    TALLY_SCRIPT_RESTAMP,        /* KEYS C; ARGV old, new seq: C[""] old -> new, HGETALL C | nil */
    TALLY_SCRIPT_RELEASE,        /* KEYS C; ARGV seq: DEL C if C[""] == seq */
    TALLY_SCRIPT_LOCK_REFRESH,   /* KEYS lock; ARGV token, ttl ms: PEXPIRE if ours */
    TALLY_SCRIPT_DEL_IF_EQUAL,   /* KEYS k; ARGV v: DEL k if it holds v (the lock, the fence memory) */
    TALLY_SCRIPT_READ_KEYS,      /* KEYS P, C, F of one owner or more (one slot on a cluster); ARGV keys:
                                  * per owner {P values, {C[""], C values}, F values} */
    TALLY_SCRIPT_READ_ALL,       /* KEYS P, C, F: {HGETALL P, HGETALL C, HGETALL F} */
    TALLY_SCRIPT_SET_ASIDE,      /* KEYS C, F[, lock]; ARGV token, seq, fields: C -> F: 1 | 0
                                  * (the lock is checked when given: not on a cluster) */
    TALLY_SCRIPT_RETRY,          /* KEYS P, F: F's fields back into P: {field, delta, ...} moved */
    TALLY_SCRIPT_RATE_FIXED,     /* KEYS counter; ARGV limit, window s, cost: {allowed, remaining, reset ms, retry ms} */
    TALLY_SCRIPT_RATE_SLIDING,   /* KEYS log (sorted set); ARGV as RATE_FIXED; same reply */
    TALLY_SCRIPT_EXPIRE_IF_NONE, /* KEYS k; ARGV ttl: EXPIRE only when k exists without one: 1 | 0 */
    TALLY_SCRIPT_FENCE_RAISE,    /* KEYS memory; ARGV fence: 0 and SET when above it, else the memory */
    TALLY_SCRIPT_PFADD_EXPIRE,   /* KEYS m HyperLogLogs; ARGV m ttls, then members: PFADD + EXPIRE each:
                                  * how many changed */
    TALLY_SCRIPT_PFCOUNT_LIVE,   /* KEYS HyperLogLogs: {PFCOUNT of those that exist, {indexes of the others}} */
    TALLY_SCRIPT_COUNT
} tally_script_id;

void tally_script_init(void);
const char *tally_script_source(tally_script_id id, size_t *len);
const char *tally_script_sha(tally_script_id id);

/* Runs script id with keys and args: argv holds numkeys keys then the args (argc in all).
 * NOSCRIPT means nothing ran, so the EVAL retry cannot apply anything twice. On TALLY_OK
 * *reply is the script's reply (possibly an error reply), freed by the caller. */
/* The three words before a one-key call's key in a command of its own (a pipeline, the
 * RESP fast path): EVALSHA, its SHA-1, "1". */
void tally_script_head1(tally_script_id id, const char *words[3], size_t lens[3]);
/* Whether reply r says the server lacks the script (nothing ran: EVAL may run it once). */
int tally_script_missing(const redisReply *r);
tally_code tally_script_run(tally_conn *conn, tally_script_id id, int numkeys, int argc,
                            const char **argv, const size_t *argvlen,
                            redisReply **reply, tally_error *err);

#endif
