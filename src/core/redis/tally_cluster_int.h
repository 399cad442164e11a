/* The inside of a tally_cluster, shared by its two files and private to them: the nodes
 * and the slot map (tally_cluster.c), routing a pipeline over them (tally_cluster_route.c).
 *
 *   tally_cluster_node_conn()     a node's connection, opened lazily
 *   tally_cluster_refresh()       ask the known nodes for the slot map; the first answer wins
 *   tally_cluster_route()         the node for a command: its first key's slot owner
 *   tally_cluster_redirect_target()  the node a MOVED/ASK names (and the slot)
 *   tally_cluster_drop_defer()    free a deferred pipeline's state
 */
#ifndef TALLY_CLUSTER_INT_H
#define TALLY_CLUSTER_INT_H

#include "redis/tally_cluster.h"
#include "redis/tally_slot.h"
#include "redis/tally_wait.h"

typedef struct {
    char *host;
    long port;
    tally_conn *conn;       /* opened lazily with the cluster's options */
    tally_wait_known replicas;   /* the replicas CLUSTER SLOTS lists for it */
} cl_node;

struct tally_cluster {
    tally_conn_opts opts;   /* strings owned here; host/port replaced per node */
    char *seeds;
    cl_node *nodes;
    size_t n_nodes, cap_nodes;
    int loaded;
    short slots[TALLY_SLOT_COUNT];   /* node index, -1 unknown */
    tally_wait wait;        /* the WAIT each round ends with on every node it writes to */
    /* tally_cluster_defer()'s pipeline: its first round written, read at collect; the
     * commands are pointers to the caller's words */
    struct cl_run *defer, *defer_run;
    int *defer_argc;
    const char *const **defer_argv;
    const size_t **defer_lens;
    redisReply **defer_replies;
};

tally_code tally_cluster_node_conn(tally_cluster *cl, int idx, tally_conn **out, tally_error *err);
tally_code tally_cluster_refresh(tally_cluster *cl, tally_error *err);
/* Reads node `asked`'s CLUSTER SLOTS reply into the map: [[start, end, [host, port, id],
 * replicas...]...]; the map is unchanged when the reply is not one. */
tally_code tally_cluster_apply_slots(tally_cluster *cl, int asked, const redisReply *r, tally_error *err);
int tally_cluster_route(const tally_cluster *cl, int argc, const char *const *argv, const size_t *lens);
int tally_cluster_redirect_target(tally_cluster *cl, const redisReply *r, int *slot);
void tally_cluster_drop_defer(tally_cluster *cl);

#endif
