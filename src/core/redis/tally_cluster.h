/* A Redis Cluster behind one tally_conn: the slot map (from CLUSTER SLOTS), one plain
 * tally_conn per master (same options, host/port replaced), and the routing of every
 * command to the master owning its key's slot (tally_slot.h).
 *
 * Redirections follow Redis's rules, and all of them are replies to a command that did
 * not run, so following them never applies anything twice: MOVED updates the map and
 * resends to the new owner; ASK sends ASKING + the command to the target once, map
 * unchanged; TRYAGAIN / CLUSTERDOWN are retried with a backoff bounded by read_timeout.
 * A node that cannot be connected to (nothing was sent) makes the map reload and the
 * command go to the slot's owner then. A command whose reply was lost is never resent:
 * the per-node tally_conn reports TALLY_ERR_CONNECT as for a single Redis.
 *
 *   tally_cluster_new()       seeds ("host:port,host:port") and the per-node options
 *   tally_cluster_free()
 *   tally_cluster_ready()     load the slot map when not loaded yet
 *   tally_cluster_pipeline()  n commands, each routed by its first key, one round trip per
 *                             node (all nodes written before any is read); reply i is
 *                             command i's. A multi-key DEL is split per key and summed.
 *   tally_cluster_defer() / tally_cluster_collect()  tally_conn_send/recv for a cluster:
 *                             the commands are kept (not their words) and run at collect
 *   tally_cluster_check_seeds()  validate a seed list, naming a bad entry
 *   tally_cluster_masters()   the masters of the map now, as node handles (stable for the
 *                             cluster's life): what a SCAN of every master visits
 *   tally_cluster_node_command()  one command to one node, not routed (SCAN)
 *   tally_cluster_set_wait()  tally_conn_set_wait() for every node (tally_wait.h); a round
 *                             writes one WAIT per node it writes to
 */
#ifndef TALLY_CLUSTER_H
#define TALLY_CLUSTER_H

#include <stddef.h>

#include "redis/tally_conn.h"

typedef struct tally_cluster tally_cluster;

tally_code tally_cluster_check_seeds(const char *seeds, tally_error *err);
tally_cluster *tally_cluster_new(const tally_conn_opts *opts);
void tally_cluster_free(tally_cluster *cl);
tally_code tally_cluster_ready(tally_cluster *cl, tally_error *err);
/* On an error nothing is left in replies[]; *sent (may be NULL) tells whether any byte of
 * the commands went out (then they may have run). */
tally_code tally_cluster_pipeline(tally_cluster *cl, int n, const int *argc,
                                  const char *const *const *argv, const size_t *const *argvlen,
                                  redisReply **replies, int *sent, tally_error *err);
tally_code tally_cluster_defer(tally_cluster *cl, int n, const int *argc,
                               const char *const *const *argv, const size_t *const *argvlen, tally_error *err);
void tally_cluster_set_wait(tally_cluster *cl, int replicas, double timeout);
tally_code tally_cluster_collect(tally_cluster *cl, int n, redisReply **replies, tally_error *err);
/* *nodes is malloc'd (the caller frees it), *n masters in it. */
tally_code tally_cluster_masters(tally_cluster *cl, int **nodes, int *n, tally_error *err);
tally_code tally_cluster_node_command(tally_cluster *cl, int node, int argc, const char **argv, const size_t *lens,
                                      redisReply **reply, tally_error *err);

#endif
