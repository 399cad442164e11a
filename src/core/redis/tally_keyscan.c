/* A SCAN of every master: see tally_keyscan.h. */
#include "redis/tally_keyscan.h"
#include "redis/tally_cluster.h"
#include "redis/tally_reply.h"

#include <stdlib.h>
#include <string.h>

tally_code tally_keyscan_start(tally_keyscan *ks, tally_conn *conn, tally_error *err)
{
    tally_cluster *cl = tally_conn_cluster(conn);
    memset(ks, 0, sizeof(*ks));
    strcpy(ks->cursor, "0");
    if (!cl) return TALLY_OK;
    return tally_cluster_masters(cl, &ks->nodes, &ks->n_nodes, err);
}

tally_code tally_keyscan_next(tally_keyscan *ks, tally_conn *conn, const char *match, size_t match_len,
                              const char *count, redisReply **reply, redisReply **keys, tally_error *err)
{
    const char *argv[6] = {"SCAN", ks->cursor, "MATCH", match, "COUNT", count};
    size_t lens[6] = {4, strlen(ks->cursor), 5, match_len, 5, strlen(count)};
    tally_cluster *cl = tally_conn_cluster(conn);
    tally_code rc;

    *reply = NULL;
    if (ks->done || (cl && ks->at >= ks->n_nodes)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "the SCAN is over");
    }
    rc = cl ? tally_cluster_node_command(cl, ks->nodes[ks->at], 6, argv, lens, reply, err)
            : tally_conn_command(conn, 6, argv, lens, reply, err);
    if (rc) return rc;
    if ((rc = tally_reply_scan(*reply, ks->cursor, sizeof(ks->cursor), keys, err))) {
        tally_reply_free(*reply);
        *reply = NULL;
        return rc;
    }
    if (strcmp(ks->cursor, "0") == 0 && (!cl || ++ks->at >= ks->n_nodes)) ks->done = 1;
    return TALLY_OK;
}

void tally_keyscan_free(tally_keyscan *ks)
{
    free(ks->nodes);
    ks->nodes = NULL;
}
