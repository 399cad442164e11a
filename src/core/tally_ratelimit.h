/* Rate limits: a fixed or a sliding window over one Redis key, decided by one atomic Lua
 * script per attempt and timed by the Redis server (never a client's clock).
 *
 * Fixed window: a counter <prefix>{}:rl:f:<name> that starts with the first admitted unit
 * and expires `window` seconds later (INCRBY and PEXPIRE in the same script, so a window
 * can neither leak without expiry nor be admitted past its limit by a race).
 * Sliding window: exact, a sorted-set log <prefix>{}:rl:s:<name> holding one member per
 * admitted unit, scored by the server's TIME in microseconds; at any instant at most
 * `limit` units are younger than `window` seconds. Memory is one entry per admitted unit,
 * hence the lower limit cap.
 * In both, a denied attempt consumes nothing, and cost 0 only looks.
 *
 *   tally_ratelimit_hit()    try to take `cost` units of name's limit; the verdict
 *   tally_ratelimit_reset()  forget name's state (both kinds); whether there was any
 */
#ifndef TALLY_RATELIMIT_H
#define TALLY_RATELIMIT_H

#include "tally_counter.h"

#define TALLY_RATELIMIT_LIMIT_MAX   1000000000000000LL  /* 10^15: exact in a Lua double */
#define TALLY_RATELIMIT_SLIDING_MAX 100000LL            /* log entries per sliding window */
#define TALLY_RATELIMIT_WINDOW_MAX  315360000LL         /* seconds: ten years, as TALLY_TTL_MAX */

typedef struct {
    long long limit;    /* units per window, >= 1 */
    long long window;   /* seconds, >= 1 */
    long long cost;     /* units this attempt takes, 0..limit; 0 only looks */
    int sliding;
} tally_ratelimit_opts;

typedef struct {
    int allowed;            /* cost >= 1: the units were taken; cost 0: one unit would pass */
    long long limit;
    long long remaining;    /* units left in the window after this attempt */
    long long reset;        /* seconds until capacity frees: fixed, the window's end; sliding,
                               until the oldest unit leaves; 0 when nothing is used */
    long long retry_after;  /* denied: seconds until this cost would pass; allowed: 0 */
} tally_ratelimit_result;

tally_code tally_ratelimit_hit(const tally_counter *t, const char *name, size_t len,
                               const tally_ratelimit_opts *o, tally_ratelimit_result *out, tally_error *err);
tally_code tally_ratelimit_reset(const tally_counter *t, const char *name, size_t len,
                                 int *existed, tally_error *err);

#endif
