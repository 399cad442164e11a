/* The sync lock: one run at a time per prefix. A Redis key <prefix>{}:sync:lock holding a
 * random token, with a TTL so that a crashed run cannot hold it forever; only the holder
 * (the token) can refresh or release it.
 *
 *   tally_lock_init()      the key, a fresh token and the TTL for a prefix
 *   tally_lock_take()      SET NX PX: *taken = 1 when ours now; held by a key of another
 *                          type is an error naming the key (not "locked"); a connection
 *                          failure around the SET releases with our token before reporting
 *   tally_lock_refresh()   appends the refresh (PEXPIRE if still ours; replies 1 or 0) to a
 *                          pipeline, so that it rides with a step's other commands
 *   tally_lock_release()   DEL if still ours; best effort (the TTL ends it otherwise)
 */
#ifndef TALLY_LOCK_H
#define TALLY_LOCK_H

#include <stddef.h>

#include "redis/tally_conn.h"
#include "util/tally_error.h"
#include "tally_key.h"
#include "redis/tally_pipe.h"

typedef struct {
    char key[TALLY_PREFIX_MAX + 16];
    size_t key_len;
    char token[33];
    char ttl[24];                       /* milliseconds, as text */
    size_t ttl_len;
} tally_lock;

void tally_lock_init(tally_lock *l, const char *prefix, size_t prefix_len, long ttl_ms);
tally_code tally_lock_take(tally_conn *conn, const tally_lock *l, int *taken, tally_error *err);
tally_code tally_lock_refresh(tally_pipe *p, const tally_lock *l, tally_error *err);
void tally_lock_release(tally_conn *conn, const tally_lock *l);

#endif
