/* Native sinks kept open across requests: a process's (or thread's) pool of idle sessions,
 * by the options that opened them, so that an application rebuilt per request (PHP-FPM)
 * reads and syncs on the session an earlier request of the same worker opened instead of
 * opening one per request.
 *
 *   tally_sink_pool_take()     an idle sink opened with this key, now the caller's (NULL: none)
 *   tally_sink_pool_put()      give a sink back for the next taker of its key; beyond
 *                              TALLY_SINK_POOL_IDLE idle ones per key it is destroyed
 *   tally_sink_pool_destroy()  destroy every idle sink (module shutdown)
 *
 * A sink handed back is between statements (every sink operation ends its transaction) and
 * keeps what makes it safe to reuse: a forked child reopens its own session, a session the
 * server closed is reopened at its next statement.
 */
#ifndef TALLY_SINK_POOL_H
#define TALLY_SINK_POOL_H

#include <stddef.h>

#include "sql/tally_sink.h"

#define TALLY_SINK_POOL_IDLE 4

typedef struct tally_pooled_sink tally_pooled_sink;

typedef struct {
    tally_pooled_sink *head;
} tally_sink_pool;

tally_sink *tally_sink_pool_take(tally_sink_pool *p, const char *key, size_t len);
void tally_sink_pool_put(tally_sink_pool *p, const char *key, size_t len, tally_sink *s);
void tally_sink_pool_destroy(tally_sink_pool *p);

#endif
