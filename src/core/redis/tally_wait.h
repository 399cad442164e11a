/* WAIT after writes: the WAIT a round trip ends with, and the check of its reply. One place
 * for both, used by a single connection (tally_conn.c: every round trip) and by a cluster's
 * rounds (tally_cluster.c: once per node written to). The reply never reaches a caller.
 *
 * WAIT n ms blocks until n replicas acknowledged every write this connection made, or ms
 * passed, and answers how many did. Fewer than asked is TALLY_ERR_REPLICAS: the commands
 * ran on the master (they are not undone), but a failover now may lose them.
 * TALLY_WAIT_CONNECTED asks for the replicas the node is believed to have (*known: from
 * CLUSTER SLOTS, or INFO replication the first time) and, when fewer answer, asks INFO
 * replication once: a replica that went away must not stop anything. The belief is asked
 * again (INFO replication, one round trip before the commands) once it is older than
 * TALLY_WAIT_RELEARN: WAIT alone never tells of a replica that joined and has not
 * acknowledged yet, so a cached count (0 above all) would leave it out for good. With 0
 * replicas connected nothing is appended.
 *
 *   tally_wait_init()     from the connection's options (wait_replicas, wait_timeout)
 *   tally_wait_set()      tally_conn_set_wait()'s override; replicas 0 goes back to the options
 *   tally_wait_learned()  record a node's replica count (CLUSTER SLOTS, INFO replication)
 *   tally_wait_prepare()  the WAIT words for one node (cmd->on 0: nothing to append)
 *   tally_wait_check()    its reply -> TALLY_OK or TALLY_ERR_REPLICAS
 *   tally_wait_parse_replicas()  connected_slaves from an INFO replication text, -1 if absent
 */
#ifndef TALLY_WAIT_H
#define TALLY_WAIT_H

#include <stddef.h>

#include "redis/tally_conn.h"

#define TALLY_WAIT_RELEARN 1.0   /* seconds a TALLY_WAIT_CONNECTED count is trusted */

/* What a node is believed to have, for TALLY_WAIT_CONNECTED. */
typedef struct {
    int replicas;        /* -1: not known yet */
    double at;           /* tally_clock_now() when learned */
} tally_wait_known;

typedef struct {
    int replicas;        /* what a round trip waits for now: 0 off, n >= 1, TALLY_WAIT_CONNECTED */
    double timeout;      /* seconds */
    int opt_replicas;    /* the connection's own options, restored by tally_wait_set(w, 0, _) */
    double opt_timeout;
} tally_wait;

/* Points into itself: prepared in place, never copied. */
typedef struct {
    int on;              /* a WAIT is to be appended */
    int want;            /* replicas it asks for */
    const char *argv[3];
    size_t lens[3];
    char num[24], ms[24];
} tally_wait_cmd;

void tally_wait_init(tally_wait *w, int replicas, double timeout);
void tally_wait_learned(tally_wait_known *k, int replicas);
void tally_wait_set(tally_wait *w, int replicas, double timeout);
/* known: what node is believed to have; unknown or old, it is asked now (for
 * TALLY_WAIT_CONNECTED only: a round trip before the commands are written). */
tally_code tally_wait_prepare(const tally_wait *w, tally_conn *node, tally_wait_known *known, tally_wait_cmd *cmd,
                              tally_error *err);
/* The WAIT's reply: r, or when r is NULL the integer acked (the fast path parsed it). */
tally_code tally_wait_check(const tally_wait *w, tally_conn *node, tally_wait_known *known, const tally_wait_cmd *cmd,
                            const redisReply *r, long long acked, tally_error *err);
int tally_wait_parse_replicas(const char *info, size_t len);

#endif
