/* A Redis Cluster behind one tally_conn, its nodes and its slot map: see tally_cluster.h.
 * Routing a pipeline over the nodes (rounds, redirections, WAIT) is tally_cluster_route.c. */
#include "redis/tally_cluster_int.h"
#include "util/tally_clock.h"
#include "redis/tally_reply.h"
#include "redis/tally_slot.h"
#include "redis/tally_wait.h"
#include "util/tally_grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Splits "host:port" (the last ':' separates them); 0 on success. */
static int parse_hostport(const char *s, size_t len, char *host, size_t host_size, long *port)
{
    const char *colon = NULL;
    char *end;
    char num[8];
    for (size_t i = 0; i < len; i++) if (s[i] == ':') colon = s + i;
    if (!colon || colon == s || (size_t)(colon - s) >= host_size) return -1;
    if ((size_t)(s + len - colon - 1) == 0 || (size_t)(s + len - colon - 1) >= sizeof(num)) return -1;
    memcpy(num, colon + 1, (size_t)(s + len - colon - 1));
    num[s + len - colon - 1] = '\0';
    *port = strtol(num, &end, 10);
    if (*end || num[0] < '0' || num[0] > '9' || *port < 1 || *port > 65535) return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    return 0;
}

tally_code tally_cluster_check_seeds(const char *seeds, tally_error *err)
{
    const char *p = seeds;
    int n = 0;
    if (!seeds || !*seeds) return tally_error_set(err, TALLY_ERR_ARGUMENT, "cluster needs at least one 'host:port' seed");
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char host[256];
        long port;
        if (parse_hostport(p, len, host, sizeof(host), &port) != 0) {
            return tally_error_set(err, TALLY_ERR_ARGUMENT, "cluster seed '%.*s' is not 'host:port' (port 1-65535)",
                                   (int)(len > 100 ? 100 : len), p);
        }
        n++;
        p += len + (e ? 1 : 0);
        if (e && !*p) return tally_error_set(err, TALLY_ERR_ARGUMENT, "cluster seed list ends with ','");
    }
    return TALLY_OK;
}

/* The node host:port, added when new; -1 when out of memory. */
static int node_index(tally_cluster *cl, const char *host, long port)
{
    cl_node *nd;
    for (size_t i = 0; i < cl->n_nodes; i++) {
        if (cl->nodes[i].port == port && strcmp(cl->nodes[i].host, host) == 0) return (int)i;
    }
    if (cl->n_nodes >= 30000 || tally_grow((void **)&cl->nodes, &cl->cap_nodes, cl->n_nodes + 1, sizeof(*cl->nodes))) {
        return -1;
    }
    nd = &cl->nodes[cl->n_nodes];
    if (!(nd->host = strdup(host))) return -1;
    nd->port = port;
    nd->conn = NULL;
    nd->replicas.replicas = -1;
    return (int)cl->n_nodes++;
}

/* The node's connection, opened (lazily: connecting is checked before each send). */
tally_code tally_cluster_node_conn(tally_cluster *cl, int idx, tally_conn **out, tally_error *err)
{
    cl_node *nd = &cl->nodes[idx];
    if (!nd->conn) {
        tally_conn_opts o = cl->opts;
        o.host = nd->host;
        o.port = nd->port;
        o.socket = NULL;
        o.cluster = NULL;
        o.persistent = 0;   /* owned by the cluster, which is itself pooled */
        o.lazy = 1;
        o.wait_replicas = 0;   /* round_write() adds the WAIT; CLUSTER SLOTS goes without */
        tally_code rc = tally_conn_open(NULL, &o, &nd->conn, err);
        if (rc) return rc;
    }
    *out = nd->conn;
    return TALLY_OK;
}

tally_cluster *tally_cluster_new(const tally_conn_opts *opts)
{
    tally_cluster *cl = calloc(1, sizeof(*cl));
    const char *p;
    if (!cl) return NULL;
    cl->opts = *opts;
    cl->opts.host = NULL;
    cl->opts.socket = NULL;
    cl->opts.username = dup_or_null(opts->username);
    cl->opts.password = dup_or_null(opts->password);
    /* The node connections are opened later, from these options: every string is ours. */
    cl->opts.tls.ca_file = dup_or_null(opts->tls.ca_file);
    cl->opts.tls.ca_path = dup_or_null(opts->tls.ca_path);
    cl->opts.tls.cert_file = dup_or_null(opts->tls.cert_file);
    cl->opts.tls.key_file = dup_or_null(opts->tls.key_file);
    cl->opts.tls.server_name = dup_or_null(opts->tls.server_name);
    cl->seeds = dup_or_null(opts->cluster);
    cl->opts.cluster = NULL;
    tally_wait_init(&cl->wait, opts->wait_replicas, opts->wait_timeout);
    for (int s = 0; s < TALLY_SLOT_COUNT; s++) cl->slots[s] = -1;
    if (!cl->seeds || (opts->username && !cl->opts.username) || (opts->password && !cl->opts.password)
        || (opts->tls.ca_file && !cl->opts.tls.ca_file) || (opts->tls.ca_path && !cl->opts.tls.ca_path)
        || (opts->tls.cert_file && !cl->opts.tls.cert_file) || (opts->tls.key_file && !cl->opts.tls.key_file)
        || (opts->tls.server_name && !cl->opts.tls.server_name)) {
        tally_cluster_free(cl);
        return NULL;
    }
    /* The seeds are the first nodes: the map is asked of them. */
    for (p = cl->seeds; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char host[256];
        long port;
        if (parse_hostport(p, len, host, sizeof(host), &port) == 0 && node_index(cl, host, port) < 0) {
            tally_cluster_free(cl);
            return NULL;
        }
        p += len + (e ? 1 : 0);
    }
    return cl;
}

void tally_cluster_free(tally_cluster *cl)
{
    if (!cl) return;
    for (size_t i = 0; i < cl->n_nodes; i++) {
        tally_conn_release(cl->nodes[i].conn);
        free(cl->nodes[i].host);
    }
    if (cl->opts.password) memset((char *)cl->opts.password, 0, strlen(cl->opts.password));
    free((char *)cl->opts.username);
    free((char *)cl->opts.password);
    free((char *)cl->opts.tls.ca_file);
    free((char *)cl->opts.tls.ca_path);
    free((char *)cl->opts.tls.cert_file);
    free((char *)cl->opts.tls.key_file);
    free((char *)cl->opts.tls.server_name);
    free(cl->seeds);
    free(cl->nodes);
    tally_cluster_drop_defer(cl);   /* its nodes are closed above: nothing to read */
    free(cl);
}

tally_code tally_cluster_apply_slots(tally_cluster *cl, int asked, const redisReply *r, tally_error *err)
{
    short fresh[TALLY_SLOT_COUNT];
    for (int s = 0; s < TALLY_SLOT_COUNT; s++) fresh[s] = -1;
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
        return tally_error_set(err, TALLY_ERR_PROTOCOL, "CLUSTER SLOTS at %s:%ld answered no slot map",
                               cl->nodes[asked].host, cl->nodes[asked].port);
    }
    for (size_t i = 0; i < r->elements; i++) {
        const redisReply *e = r->element[i], *m;
        char host[256];
        int idx;
        if (e->type != REDIS_REPLY_ARRAY || e->elements < 3 || e->element[0]->type != REDIS_REPLY_INTEGER
            || e->element[1]->type != REDIS_REPLY_INTEGER || e->element[2]->type != REDIS_REPLY_ARRAY
            || (m = e->element[2])->elements < 2 || m->element[0]->type != REDIS_REPLY_STRING
            || m->element[1]->type != REDIS_REPLY_INTEGER || e->element[0]->integer < 0
            || e->element[1]->integer >= TALLY_SLOT_COUNT || e->element[0]->integer > e->element[1]->integer
            || m->element[0]->len >= sizeof(host) || m->element[1]->integer < 1 || m->element[1]->integer > 65535) {
            return tally_error_set(err, TALLY_ERR_PROTOCOL, "CLUSTER SLOTS at %s:%ld: unexpected reply",
                                   cl->nodes[asked].host, cl->nodes[asked].port);
        }
        /* An empty host means "the node you asked" (Redis 7's cluster-preferred-endpoint). */
        if (m->element[0]->len == 0) snprintf(host, sizeof(host), "%s", cl->nodes[asked].host);
        else memcpy(host, m->element[0]->str, m->element[0]->len + 1);
        if ((idx = node_index(cl, host, (long)m->element[1]->integer)) < 0) {
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading the cluster's slot map");
        }
        for (long long s = e->element[0]->integer; s <= e->element[1]->integer; s++) fresh[s] = (short)idx;
        /* The replicas after the master: what TALLY_WAIT_CONNECTED waits for on it. */
        tally_wait_learned(&cl->nodes[idx].replicas, (int)(e->elements - 3));
    }
    memcpy(cl->slots, fresh, sizeof(fresh));
    cl->loaded = 1;
    return TALLY_OK;
}

/* Asks the known nodes, in turn, for the slot map; the first answer wins. */
tally_code tally_cluster_refresh(tally_cluster *cl, tally_error *err)
{
    const char *argv[2] = {"CLUSTER", "SLOTS"};
    size_t lens[2] = {7, 5};
    tally_code rc = TALLY_ERR_CONNECT;
    tally_error last;
    tally_error_clear(&last);
    for (size_t i = 0; i < cl->n_nodes; i++) {
        tally_conn *c;
        redisReply *r;
        if ((rc = tally_cluster_node_conn(cl, (int)i, &c, &last)) || (rc = tally_conn_command(c, 2, argv, lens, &r, &last))) {
            if (rc == TALLY_ERR_MEMORY || rc == TALLY_ERR_AUTH) break;
            continue;
        }
        rc = r->type == REDIS_REPLY_ERROR ? tally_reply_error(r, "reading the cluster's slot map (CLUSTER SLOTS)", &last)
                                          : tally_cluster_apply_slots(cl, (int)i, r, &last);
        tally_reply_free(r);
        if (rc == TALLY_OK) return TALLY_OK;
    }
    if (err) *err = last;
    return rc ? rc : TALLY_ERR_CONNECT;
}

tally_code tally_cluster_ready(tally_cluster *cl, tally_error *err)
{
    return cl->loaded ? TALLY_OK : tally_cluster_refresh(cl, err);
}

/* The node for command i: its key's slot owner; a command without a key goes to any master. */
int tally_cluster_route(const tally_cluster *cl, int argc, const char *const *argv, const size_t *lens)
{
    const char *key = NULL;
    size_t klen = 0;
    int s;
    if (argc >= 4 && (strcasecmp(argv[0], "EVALSHA") == 0 || strcasecmp(argv[0], "EVAL") == 0)) {
        if (atoi(argv[2]) > 0) { key = argv[3]; klen = lens[3]; }
    } else if (argc >= 2 && strcasecmp(argv[0], "SCAN") != 0 && strcasecmp(argv[0], "SCRIPT") != 0
               && strcasecmp(argv[0], "CLUSTER") != 0 && strcasecmp(argv[0], "PING") != 0) {
        key = argv[1];
        klen = lens[1];
    }
    if (key) return cl->slots[tally_slot_of(key, klen)];
    for (s = 0; s < TALLY_SLOT_COUNT; s++) if (cl->slots[s] >= 0) return cl->slots[s];
    return -1;
}

/* "MOVED 3999 127.0.0.1:6381" / "ASK ...": the target node; -1 when unreadable. */
int tally_cluster_redirect_target(tally_cluster *cl, const redisReply *r, int *slot)
{
    const char *sp1 = memchr(r->str, ' ', r->len), *sp2;
    char host[256];
    long port;
    if (!sp1 || !(sp2 = memchr(sp1 + 1, ' ', r->len - (size_t)(sp1 + 1 - r->str)))) return -1;
    *slot = atoi(sp1 + 1);
    if (*slot < 0 || *slot >= TALLY_SLOT_COUNT) return -1;
    if (parse_hostport(sp2 + 1, r->len - (size_t)(sp2 + 1 - r->str), host, sizeof(host), &port)) return -1;
    return node_index(cl, host, port);
}


void tally_cluster_set_wait(tally_cluster *cl, int replicas, double timeout)
{
    tally_wait_set(&cl->wait, replicas, timeout);
}

tally_code tally_cluster_masters(tally_cluster *cl, int **nodes, int *n, tally_error *err)
{
    unsigned char *seen;
    tally_code rc;
    *nodes = NULL;
    *n = 0;
    if ((rc = tally_cluster_ready(cl, err))) return rc;
    seen = calloc(cl->n_nodes ? cl->n_nodes : 1, 1);
    *nodes = malloc(sizeof(**nodes) * (cl->n_nodes ? cl->n_nodes : 1));
    if (!seen || !*nodes) {
        free(seen);
        free(*nodes);
        *nodes = NULL;
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory listing the cluster's masters");
    }
    for (int s = 0; s < TALLY_SLOT_COUNT; s++) {
        int nd = cl->slots[s];
        if (nd >= 0 && !seen[nd]) {
            seen[nd] = 1;
            (*nodes)[(*n)++] = nd;
        }
    }
    free(seen);
    return TALLY_OK;
}

tally_code tally_cluster_node_command(tally_cluster *cl, int node, int argc, const char **argv, const size_t *lens,
                                      redisReply **reply, tally_error *err)
{
    tally_conn *c;
    tally_code rc;
    if (node < 0 || (size_t)node >= cl->n_nodes) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "no Redis Cluster node #%d", node);
    }
    if ((rc = tally_cluster_node_conn(cl, node, &c, err))) return rc;
    return tally_conn_command(c, argc, argv, lens, reply, err);
}
