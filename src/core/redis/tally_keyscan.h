/* A SCAN of the whole keyspace behind a connection: the one Redis, or on a Redis Cluster
 * every master in turn (SCAN sees only the node it is sent to). The masters are those of
 * the slot map when the scan starts; each is scanned to its cursor's end, then the next.
 *
 * SCAN's own guarantee holds per node: a key present for the whole scan is returned at
 * least once, possibly more. On a cluster a slot that moves during the scan may make its
 * keys seen twice (on both nodes) or not at all (moved from a node not scanned yet to one
 * already scanned): every caller treats a page as "these keys existed", never as "these are
 * all of them", and a sync's next run finds what this one missed.
 *
 *   tally_keyscan_start()  from cursor 0 on the first master
 *   tally_keyscan_next()   one SCAN page (reply kept by the caller); sets done at the end
 *   tally_keyscan_free()
 */
#ifndef TALLY_KEYSCAN_H
#define TALLY_KEYSCAN_H

#include <stddef.h>

#include "redis/tally_conn.h"

typedef struct {
    char cursor[32];
    int *nodes;         /* a cluster's masters (tally_cluster_masters); NULL: one Redis */
    int n_nodes, at;
    int done;
} tally_keyscan;

tally_code tally_keyscan_start(tally_keyscan *ks, tally_conn *conn, tally_error *err);
/* SCAN <cursor> MATCH match COUNT count on the current node. On TALLY_OK *reply is the reply
 * (freed by the caller) and *keys its array of keys; ks moves on (done after the last page). */
tally_code tally_keyscan_next(tally_keyscan *ks, tally_conn *conn, const char *match, size_t match_len,
                              const char *count, redisReply **reply, redisReply **keys, tally_error *err);
void tally_keyscan_free(tally_keyscan *ks);

#endif
