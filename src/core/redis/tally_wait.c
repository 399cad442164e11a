/* WAIT after writes: see tally_wait.h. */
#include "redis/tally_wait.h"
#include "util/tally_clock.h"

#include <stdio.h>
#include <string.h>

void tally_wait_init(tally_wait *w, int replicas, double timeout)
{
    w->opt_replicas = w->replicas = replicas;
    w->opt_timeout = w->timeout = timeout;
}

void tally_wait_set(tally_wait *w, int replicas, double timeout)
{
    w->replicas = replicas ? replicas : w->opt_replicas;
    w->timeout = replicas ? timeout : w->opt_timeout;
}

void tally_wait_learned(tally_wait_known *k, int replicas)
{
    k->replicas = replicas;
    k->at = tally_clock_now();
}

tally_code tally_wait_prepare(const tally_wait *w, tally_conn *node, tally_wait_known *known, tally_wait_cmd *cmd,
                              tally_error *err)
{
    long long ms;
    cmd->on = 0;
    if (w->replicas == 0) return TALLY_OK;
    if (w->replicas == TALLY_WAIT_CONNECTED) {
        if (known->replicas < 0 || tally_clock_now() - known->at > TALLY_WAIT_RELEARN) {
            int n;
            tally_code rc = tally_conn_info_replicas(node, &n, err);
            if (rc) return rc;
            tally_wait_learned(known, n);
        }
        if (known->replicas == 0) return TALLY_OK;   /* no replica: nothing to wait for */
    }
    cmd->want = w->replicas == TALLY_WAIT_CONNECTED ? known->replicas : w->replicas;
    /* Whole milliseconds rounded up, at least 1: WAIT n 0 would block forever. */
    ms = (long long)(w->timeout * 1000.0);
    if ((double)ms < w->timeout * 1000.0) ms++;
    if (ms < 1) ms = 1;
    cmd->argv[0] = "WAIT";
    cmd->lens[0] = 4;
    cmd->argv[1] = cmd->num;
    cmd->lens[1] = (size_t)snprintf(cmd->num, sizeof(cmd->num), "%d", cmd->want);
    cmd->argv[2] = cmd->ms;
    cmd->lens[2] = (size_t)snprintf(cmd->ms, sizeof(cmd->ms), "%lld", ms);
    cmd->on = 1;
    return TALLY_OK;
}

static tally_code not_confirmed(const tally_wait *w, const tally_conn *node, long long acked, long long of,
                                double timeout, tally_error *err)
{
    if (w->replicas == TALLY_WAIT_CONNECTED) {
        /* The sync's WAIT before it writes what it claimed (tally_sync.h). */
        return tally_error_set(err, TALLY_ERR_REPLICAS,
                               "Redis at %s: only %lld of its %lld connected replicas acknowledged the sync's claims "
                               "within %.3g s, so none claimed since is written (a failover could bring them back); "
                               "they stay in Redis for the next run", tally_conn_describe(node), acked, of, timeout);
    }
    return tally_error_set(err, TALLY_ERR_REPLICAS,
                           "the write reached Redis at %s (the master) but only %lld of %lld replicas confirmed it "
                           "within %.3g s (wait_timeout), so it may be lost if that master fails now; it was NOT "
                           "undone and must not be blindly retried (it would count twice)",
                           tally_conn_describe(node), acked, of, timeout);
}

tally_code tally_wait_check(const tally_wait *w, tally_conn *node, tally_wait_known *known, const tally_wait_cmd *cmd,
                            const redisReply *r, long long acked, tally_error *err)
{
    int connected;
    tally_error ignored;
    if (r && r->type != REDIS_REPLY_INTEGER) {
        /* A replica itself, or an ACL without WAIT: nothing was confirmed. */
        return tally_error_set(err, TALLY_ERR_REPLICAS,
                               "the write reached Redis at %s but its WAIT for replicas was refused (%.200s), so no "
                               "replica confirmed it; it was NOT undone and must not be blindly retried (it would "
                               "count twice)", tally_conn_describe(node),
                               r->type == REDIS_REPLY_ERROR || r->type == REDIS_REPLY_STATUS ? r->str : "not an integer");
    }
    if (r) acked = r->integer;
    if (acked >= cmd->want) {
        if (w->replicas == TALLY_WAIT_CONNECTED && acked > known->replicas) tally_wait_learned(known, (int)acked);
        return TALLY_OK;
    }
    if (w->replicas != TALLY_WAIT_CONNECTED) return not_confirmed(w, node, acked, cmd->want, w->timeout, err);
    /* Fewer than believed: a replica that is gone cannot be promoted with a stale copy
     * while it is away, so only those still connected count. */
    if (tally_conn_info_replicas(node, &connected, &ignored) != TALLY_OK) {
        return not_confirmed(w, node, acked, cmd->want, w->timeout, err);
    }
    tally_wait_learned(known, connected);
    if (connected <= acked) return TALLY_OK;
    return not_confirmed(w, node, acked, connected, w->timeout, err);
}

int tally_wait_parse_replicas(const char *info, size_t len)
{
    static const char field[] = "connected_slaves:";
    const size_t fl = sizeof(field) - 1;
    for (size_t i = 0; i + fl <= len; i++) {
        if ((i == 0 || info[i - 1] == '\n') && memcmp(info + i, field, fl) == 0) {
            long long v = 0;
            size_t j = i + fl;
            if (j >= len || info[j] < '0' || info[j] > '9') return -1;
            for (; j < len && info[j] >= '0' && info[j] <= '9'; j++) {
                v = v * 10 + (info[j] - '0');
                if (v > 1000000) return -1;
            }
            if (j < len && info[j] != '\r' && info[j] != '\n') return -1;
            return (int)v;
        }
    }
    return -1;
}
