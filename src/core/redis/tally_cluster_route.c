/* Routing a pipeline over a Redis Cluster's nodes: rounds (every node written, then every
 * node read), redirections, TRYAGAIN backoff, the WAIT per node, and the deferred
 * pipeline (tally_cluster_defer/collect). See tally_cluster.h for the rules. */
#include "redis/tally_cluster_int.h"
#include "util/tally_clock.h"
#include "redis/tally_reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REDIRECTS_MAX 16    /* a map that keeps moving under us: give the reply back */
#define RUN_SMALL 16        /* commands a pipeline holds without allocating */
#define RUN_SMALL_NODES 64
#define RUN_SMALL_BLOCK 2048

static int is_err(const redisReply *r, const char *prefix)
{
    size_t l = strlen(prefix);
    return r && r->type == REDIS_REPLY_ERROR && r->len > l && strncmp(r->str, prefix, l) == 0 && r->str[l] == ' ';
}

/* A reply saying the command did not run on that node (it goes elsewhere, or later). */
static int is_redirect(const redisReply *r)
{
    return is_err(r, "MOVED") || is_err(r, "ASK") || is_err(r, "TRYAGAIN") || is_err(r, "CLUSTERDOWN")
           || (r && r->type == REDIS_REPLY_ERROR && strcmp(r->str, "TRYAGAIN") == 0);
}

/* Whether every command node nd got this round was redirected: then nothing of ours ran
 * there and its WAIT says nothing (a master demoted to replica refuses WAIT outright). */
static int all_redirected(int n, const int *node, const char *ask, int nd, redisReply *const *got)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (node[i] != nd) continue;
        k += ask[i] != 0;
        if (!is_redirect(got[k++])) return 0;
    }
    return 1;
}

/* A pipeline under way: the commands (pointers to the caller's words), their replies, the
 * node each one is pending on (-1: it has its reply), and the round written but not read
 * yet (tally_cluster_defer() returns between the two halves of its first round). */
typedef struct cl_run {
    int n;
    const int *argc;
    const char *const *const *argv;
    const size_t *const *lens;
    redisReply **replies;
    int *node;
    char *ask;
    unsigned char *checked;          /* nodes checked (connected) for this round */
    int redirects, reloaded, wait, sent;
    char last[160];
    double deadline, backoff;
    char *block;                     /* the round in flight: wc, count, got in one allocation */
    tally_wait_cmd *wc;
    int *count;
    redisReply **got;
    /* A single command or a small pipeline (most calls) needs no allocation: */
    int node_s[RUN_SMALL];
    char ask_s[RUN_SMALL];
    unsigned char checked_s[RUN_SMALL_NODES];
    union { void *p; long long ll; double d; char c[RUN_SMALL_BLOCK]; } block_s;
} cl_run;

static tally_code oom(tally_error *err)
{
    return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory routing commands on the cluster");
}

static void run_free(cl_run *r)
{
    if (r->node != r->node_s) free(r->node);
    if (r->ask != r->ask_s) free(r->ask);
    if (r->checked != r->checked_s) free(r->checked);
    if (r->block != r->block_s.c) free(r->block);
    r->node = NULL;
    r->ask = NULL;
    r->checked = NULL;
    r->block = NULL;
}

static tally_code run_start(tally_cluster *cl, cl_run *r, int n, const int *argc, const char *const *const *argv,
                            const size_t *const *lens, redisReply **replies, tally_error *err)
{
    memset(r, 0, sizeof(*r));
    r->n = n;
    r->argc = argc;
    r->argv = argv;
    r->lens = lens;
    r->replies = replies;
    for (int i = 0; i < n; i++) replies[i] = NULL;   /* before any error: the end frees what is set */
    r->deadline = tally_clock_now() + cl->opts.read_timeout;
    r->backoff = 0.005;
    r->node = n <= RUN_SMALL ? r->node_s : malloc(sizeof(*r->node) * (size_t)n);
    r->ask = n <= RUN_SMALL ? r->ask_s : calloc((size_t)n, 1);   /* ask_s: zeroed above */
    if (!r->node || !r->ask) return oom(err);
    tally_code rc = tally_cluster_ready(cl, err);
    if (rc) return rc;
    for (int i = 0; i < n; i++) r->node[i] = tally_cluster_route(cl, argc[i], argv[i], lens[i]);
    return TALLY_OK;
}

/* r->checked sized for every node known now, all clear. */
static tally_code clear_checked(const tally_cluster *cl, cl_run *r, tally_error *err)
{
    size_t nn = cl->n_nodes ? cl->n_nodes : 1;
    unsigned char *c;
    if (nn <= RUN_SMALL_NODES) {
        c = r->checked_s;
    } else if (!(c = realloc(r->checked == r->checked_s ? NULL : r->checked, nn))) {
        return oom(err);
    }
    memset(c, 0, nn);
    r->checked = c;
    return TALLY_OK;
}

/* Before a round: every pending command (no reply yet) needs a node we can connect to,
 * each node checked once. One that cannot be reached got nothing: reload the map once (a
 * failover may have moved its slots), route again, and only then give up. */
static tally_code run_check(tally_cluster *cl, cl_run *r, tally_error *err)
{
    tally_code rc = clear_checked(cl, r, err);
    tally_error cerr;
    tally_conn *c;
    for (int i = 0; i < r->n && rc == TALLY_OK; i++) {
        tally_code crc = TALLY_ERR_CONNECT;
        int nd = r->node[i];
        if (r->replies[i] || (nd >= 0 && r->checked[nd])) continue;
        if (nd >= 0) {
            if ((rc = tally_cluster_node_conn(cl, nd, &c, err))) break;
            crc = tally_conn_connect(c, &cerr);
        } else {
            tally_error_set(&cerr, TALLY_ERR_CONNECT, "no Redis Cluster node serves the slot of a key (cluster %s)", cl->seeds);
        }
        if (crc == TALLY_OK) {
            r->checked[nd] = 1;
            continue;
        }
        if (r->reloaded || crc != TALLY_ERR_CONNECT) {
            if (err) *err = cerr;
            return crc;
        }
        r->reloaded = 1;
        if ((rc = tally_cluster_refresh(cl, err))) break;
        for (int j = 0; j < r->n; j++) {
            if (!r->replies[j]) {
                r->node[j] = tally_cluster_route(cl, r->argc[j], r->argv[j], r->lens[j]);
                r->ask[j] = 0;
            }
        }
        rc = clear_checked(cl, r, err);
        i = -1;
    }
    return rc;
}

/* The write half of a round: the pending commands (node[i] >= 0) to every node, in the
 * callers' order per node (one slot's order is kept). ASKING goes before a command with
 * ask[i]; the WAIT (cl->wait, when on) after each node's commands, in the same write. */
static tally_code round_write(tally_cluster *cl, cl_run *r, tally_error *err)
{
    static const char *asking_v[1] = {"ASKING"};
    static const size_t asking_l[1] = {6};
    int n = r->n;
    size_t m = (size_t)(2 * n + 1), nn = cl->n_nodes ? cl->n_nodes : 1;
    const char *const **cv;
    const size_t **cl_;
    int *cc;
    tally_code rc = TALLY_OK;

    /* One block for the round's arrays: in the run itself when small (a single increment), else one malloc. */
    size_t size = nn * (sizeof(tally_wait_cmd) + sizeof(int)) + m * (sizeof(*cv) + sizeof(*cl_) + sizeof(redisReply *) + sizeof(int));
    if (r->block != r->block_s.c) free(r->block);
    if (size <= sizeof(r->block_s)) {
        r->block = r->block_s.c;
        memset(r->block, 0, size);
    } else if (!(r->block = calloc(1, size))) {
        return oom(err);
    }
    r->wc = (tally_wait_cmd *)(void *)r->block;
    cv = (const char *const **)(void *)(r->block + nn * sizeof(tally_wait_cmd));
    cl_ = (const size_t **)(void *)(cv + m);
    r->got = (redisReply **)(void *)(cl_ + m);
    cc = (int *)(void *)(r->got + m);
    r->count = cc + m;
    for (size_t nd = 0; nd < cl->n_nodes && rc == TALLY_OK; nd++) {
        int k = 0;
        tally_conn *c;
        for (int i = 0; i < n; i++) {
            if (r->node[i] != (int)nd) continue;
            if (r->ask[i]) { cc[k] = 1; cv[k] = asking_v; cl_[k] = asking_l; k++; }
            cc[k] = r->argc[i]; cv[k] = r->argv[i]; cl_[k] = r->lens[i]; k++;
        }
        if (k == 0) continue;
        if ((rc = tally_cluster_node_conn(cl, (int)nd, &c, err))
            || (rc = tally_wait_prepare(&cl->wait, c, &cl->nodes[nd].replicas, &r->wc[nd], err))) {
            break;
        }
        if (r->wc[nd].on) { cc[k] = 3; cv[k] = r->wc[nd].argv; cl_[k] = r->wc[nd].lens; k++; }
        if ((rc = tally_conn_send(c, k, cc, cv, cl_, err))) break;
        r->count[nd] = k;
        r->sent = 1;
    }
    return rc;
}

/* The read half: every node written is read, even after an error (rc, whose message err
 * keeps), so that no connection is left busy; on any error the round's replies are dropped.
 * A node's WAIT is checked once it is read. */
static tally_code round_read(tally_cluster *cl, cl_run *r, tally_code rc, tally_error *err)
{
    tally_error ignored;
    redisReply **got = r->got;
    for (size_t nd = 0; r->block && nd < cl->n_nodes; nd++) {
        int k = 0, cnt = r->count[nd];
        tally_code rrc;
        if (cnt == 0) continue;
        r->count[nd] = 0;
        rrc = tally_conn_recv(cl->nodes[nd].conn, cnt, got, rc ? &ignored : err);
        if (rrc) { if (!rc) rc = rrc; continue; }
        if (r->wc[nd].on && !all_redirected(r->n, r->node, r->ask, (int)nd, got)) {
            /* The node's replies are freed below when its WAIT fails (rc set). */
            rrc = tally_wait_check(&cl->wait, cl->nodes[nd].conn, &cl->nodes[nd].replicas, &r->wc[nd],
                                   got[cnt - 1], 0, rc ? &ignored : err);
            if (rrc && !rc) rc = rrc;
        }
        for (int i = 0; i < r->n; i++) {
            if (r->node[i] != (int)nd) continue;
            if (r->ask[i]) tally_reply_free(got[k++]);
            if (rc) tally_reply_free(got[k++]);
            else r->replies[i] = got[k++];
        }
        for (; k < cnt; k++) tally_reply_free(got[k]);
    }
    if (rc) {
        for (int i = 0; i < r->n; i++) {
            if (r->node[i] >= 0 && r->replies[i]) { tally_reply_free(r->replies[i]); r->replies[i] = NULL; }
        }
    }
    return rc;
}

/* After a round: redirections and retries become pending again (*more). */
static tally_code run_after(tally_cluster *cl, cl_run *r, int *more, tally_error *err)
{
    int pending = 0;
    r->wait = 0;
    for (int i = 0; i < r->n; i++) {
        redisReply *rep = r->replies[i];
        int slot, target;
        if (r->node[i] < 0) continue;
        r->ask[i] = 0;
        r->node[i] = -1;
        if (is_err(rep, "MOVED") || is_err(rep, "ASK")) {
            if ((target = tally_cluster_redirect_target(cl, rep, &slot)) < 0) continue;
            if (rep->str[0] == 'M') cl->slots[slot] = (short)target;
            else r->ask[i] = 1;
            r->node[i] = target;
        } else if (is_redirect(rep)) {       /* TRYAGAIN, CLUSTERDOWN */
            r->node[i] = tally_cluster_route(cl, r->argc[i], r->argv[i], r->lens[i]);
            r->wait = 1;
        } else {
            continue;
        }
        snprintf(r->last, sizeof(r->last), "%.*s", (int)(rep->len > 150 ? 150 : rep->len), rep->str);
        tally_reply_free(rep);
        r->replies[i] = NULL;
        pending++;
    }
    *more = pending > 0;
    if (!pending) return TALLY_OK;
    if (!r->wait) r->redirects++;   /* TRYAGAIN rounds are bounded by the deadline instead */
    if (r->wait) {
        if (tally_clock_now() + r->backoff > r->deadline) r->redirects = REDIRECTS_MAX;   /* give the last reply back */
        else tally_clock_sleep(r->backoff);
        r->backoff = r->backoff * 2 > 0.1 ? 0.1 : r->backoff * 2;
    }
    if (r->redirects < REDIRECTS_MAX) return TALLY_OK;
    /* No more tries: the commands still pending were never sent this round. */
    return tally_error_set(err, TALLY_ERR_SERVER, r->wait ? "the Redis Cluster still answered '%s' after %.3g s (read_timeout)"
                                                         : "the Redis Cluster kept redirecting (last: '%s'; %.0f redirections)",
                           r->last, r->wait ? cl->opts.read_timeout : (double)REDIRECTS_MAX);
}

/* Rounds until every command has its reply; rc is the result of what came before (a
 * round already written, when started by tally_cluster_defer()). */
static tally_code run_rest(tally_cluster *cl, cl_run *r, tally_code rc, int written, tally_error *err)
{
    int more = 1;
    for (;;) {
        if (written) {
            rc = round_read(cl, r, rc, err);
            written = 0;
            if (rc || (rc = run_after(cl, r, &more, err)) || !more) break;
        }
        if ((rc = run_check(cl, r, err))) break;
        rc = round_write(cl, r, err);
        written = 1;
    }
    if (rc) {
        for (int i = 0; i < r->n; i++) {
            if (r->replies[i]) { tally_reply_free(r->replies[i]); r->replies[i] = NULL; }
        }
    }
    run_free(r);
    return rc;
}

static tally_code pipeline(tally_cluster *cl, int n, const int *argc, const char *const *const *argv,
                           const size_t *const *argvlen, redisReply **replies, int *sent, tally_error *err)
{
    cl_run r;
    tally_code rc = run_start(cl, &r, n, argc, argv, argvlen, replies, err);
    if (rc) {
        run_free(&r);
        *sent = 0;
        return rc;
    }
    rc = run_rest(cl, &r, TALLY_OK, 0, err);
    *sent = r.sent;
    return rc;
}

tally_code tally_cluster_pipeline(tally_cluster *cl, int n, const int *argc,
                                  const char *const *const *argv, const size_t *const *argvlen,
                                  redisReply **replies, int *sent, tally_error *err)
{
    int dummy;
    if (!sent) sent = &dummy;
    /* DEL of keys in several slots (deleteKeys, a rate limit's two keys): one DEL per key,
     * their counts summed into the first reply. */
    if (n == 1 && argc[0] > 2 && strcasecmp(argv[0][0], "DEL") == 0) {
        int k = argc[0] - 1;
        const char *const **cv = malloc(sizeof(*cv) * (size_t)k);
        const size_t **cl_ = malloc(sizeof(*cl_) * (size_t)k);
        int *cc = malloc(sizeof(*cc) * (size_t)k);
        const char **words = malloc(sizeof(*words) * (size_t)(2 * k));
        size_t *lens = malloc(sizeof(*lens) * (size_t)(2 * k));
        redisReply **rs = calloc((size_t)k, sizeof(*rs));
        tally_code rc = TALLY_OK;
        if (!cv || !cl_ || !cc || !words || !lens || !rs) {
            rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory splitting a DEL across the cluster");
        } else {
            for (int i = 0; i < k; i++) {
                words[2 * i] = argv[0][0];     lens[2 * i] = argvlen[0][0];
                words[2 * i + 1] = argv[0][i + 1]; lens[2 * i + 1] = argvlen[0][i + 1];
                cv[i] = words + 2 * i;
                cl_[i] = lens + 2 * i;
                cc[i] = 2;
            }
            rc = pipeline(cl, k, cc, cv, cl_, rs, sent, err);
        }
        if (rc == TALLY_OK) {
            int bad = -1;
            long long sum = 0;
            for (int i = 0; i < k; i++) {
                if (rs[i]->type != REDIS_REPLY_INTEGER) { if (bad < 0) bad = i; }
                else sum += rs[i]->integer;
            }
            if (bad < 0) { bad = 0; rs[0]->integer = sum; }
            replies[0] = rs[bad];
            for (int i = 0; i < k; i++) if (i != bad) tally_reply_free(rs[i]);
        }
        free(cv); free(cl_); free(cc); free(words); free(lens); free(rs);
        return rc;
    }
    return pipeline(cl, n, argc, argv, argvlen, replies, sent, err);
}


tally_code tally_cluster_defer(tally_cluster *cl, int n, const int *argc,
                               const char *const *const *argv, const size_t *const *argvlen, tally_error *err)
{
    size_t m = (size_t)(n ? n : 1);
    tally_code rc;
    if (cl->defer) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "the Redis Cluster connection is waiting for %d replies", cl->defer->n);
    }
    free(cl->defer_argc); free(cl->defer_argv); free(cl->defer_lens); free(cl->defer_replies);
    cl->defer_argc = malloc(sizeof(*cl->defer_argc) * m);
    cl->defer_argv = malloc(sizeof(*cl->defer_argv) * m);
    cl->defer_lens = malloc(sizeof(*cl->defer_lens) * m);
    cl->defer_replies = calloc(m, sizeof(*cl->defer_replies));
    if (!cl->defer_argc || !cl->defer_argv || !cl->defer_lens || !cl->defer_replies
        || (!cl->defer_run && !(cl->defer_run = calloc(1, sizeof(*cl->defer_run))))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory sending a pipeline");
    }
    memcpy(cl->defer_argc, argc, sizeof(*argc) * (size_t)n);
    memcpy(cl->defer_argv, argv, sizeof(*argv) * (size_t)n);
    memcpy(cl->defer_lens, argvlen, sizeof(*argvlen) * (size_t)n);
    /* The first round is written now, so that the nodes work while the caller does (the
     * sync commits SQL meanwhile); its replies, and any redirections, are read at collect. */
    if ((rc = run_start(cl, cl->defer_run, n, cl->defer_argc, cl->defer_argv, cl->defer_lens, cl->defer_replies, err))
        || (rc = run_check(cl, cl->defer_run, err))) {
        run_free(cl->defer_run);
        return rc;
    }
    if ((rc = round_write(cl, cl->defer_run, err))) {
        /* Nothing outstanding is left behind: the nodes written are read, their replies dropped. */
        return run_rest(cl, cl->defer_run, rc, 1, err);
    }
    cl->defer = cl->defer_run;
    return TALLY_OK;
}

tally_code tally_cluster_collect(tally_cluster *cl, int n, redisReply **replies, tally_error *err)
{
    cl_run *r = cl->defer;
    tally_code rc;
    if (!r || r->n != n) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a Redis Cluster pipeline is read whole (%d sent, %d asked)",
                               r ? r->n : 0, n);
    }
    cl->defer = NULL;
    rc = run_rest(cl, r, TALLY_OK, 1, err);
    for (int i = 0; i < n; i++) replies[i] = rc ? NULL : cl->defer_replies[i];
    return rc;
}

void tally_cluster_drop_defer(tally_cluster *cl)
{
    if (cl->defer_run) run_free(cl->defer_run);
    free(cl->defer_run);
    free(cl->defer_argc);
    free(cl->defer_argv);
    free(cl->defer_lens);
    free(cl->defer_replies);
    cl->defer = cl->defer_run = NULL;
    cl->defer_argc = NULL;
    cl->defer_argv = NULL;
    cl->defer_lens = NULL;
    cl->defer_replies = NULL;
}
