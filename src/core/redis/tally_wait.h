/* WAIT after writes: the WAIT a round trip ends with, and the check of its reply. One place
 * for both, used by a single connection (tally_conn.c: every round trip) and by a cluster's
 * rounds (tally_cluster.c: once per node written to). The reply never reaches a caller.
 *
 * WAIT n ms blocks until n replicas acknowledged every write this connection made, or ms
 * passed, and answers how many did. Fewer than asked is TALLY_ERR_REPLICAS: the commands
 * ran on the master (they are not undone), but a failover now may lose them.
 * TALLY_WAIT_CONNECTED asks for the replicas the node is believed to have (*known: from
 * CLUSTER SLOTS, or INFO replication the first time) and, when fewer answer, asks INFO
 * replication once: a replica that went away must not stop anything.
 *
 *   tally_wait_init()     from the connection's options (wait_replicas, wait_timeout)
 *   tally_wait_set()      tally_conn_set_wait()'s override; replicas 0 goes back to the options
 *   tally_wait_prepare()  the WAIT words for one node (cmd->on 0: nothing to append)
 *   tally_wait_check()    its reply -> TALLY_OK or TALLY_ERR_REPLICAS
 *   tally_wait_parse_replicas()  connected_slaves from an INFO replication text, -1 if absent
 */
#ifndef TALLY_WAIT_H
#define TALLY_WAIT_H

#include <stddef.h>

#include "redis/tally_conn.h"

typedef struct {
    int replicas;        /* what a round trip waits for now: 0 off, n >= 1, TALLY_WAIT_CONNECTED */
    double timeout;      /* seconds */
    int opt_replicas;    /* the connection's own options, restored by tally_wait_set(w, 0, _) */
    double opt_timeout;
} tally_wait;

/* Points into itself: prepared in place, never copied. */
typedef struct {
    int on;              /* a WAIT is to be appended */
    int want;            /* replicas it asks for (0: a probe that answers at once) */
    const char *argv[3];
    size_t lens[3];
    char num[24], ms[24];
} tally_wait_cmd;

void tally_wait_init(tally_wait *w, int replicas, double timeout);
void tally_wait_set(tally_wait *w, int replicas, double timeout);
/* *known: the replicas node is believed to have, -1 unknown (then asked now, for
 * TALLY_WAIT_CONNECTED: a round trip before the commands are written). */
tally_code tally_wait_prepare(const tally_wait *w, tally_conn *node, int *known, tally_wait_cmd *cmd, tally_error *err);
/* The WAIT's reply: r, or when r is NULL the integer acked (the fast path parsed it). */
tally_code tally_wait_check(const tally_wait *w, tally_conn *node, int *known, const tally_wait_cmd *cmd,
                            const redisReply *r, long long acked, tally_error *err);
int tally_wait_parse_replicas(const char *info, size_t len);

#endif
