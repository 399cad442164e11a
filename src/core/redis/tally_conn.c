/* The Redis connection (connecting, the handshake, the pool, the fork and liveness checks):
 * see tally_conn.h. Commands and replies on it are tally_conn_io.c. */
#include "redis/tally_conn_int.h"
#include "redis/tally_cluster.h"
#include "redis/tally_resp.h"
#include "redis/tally_wait.h"
#include "util/tally_grow.h"
#include "util/tally_proc.h"
#include "redis/tally_reply.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

/* Rounded up to whole microseconds: truncated, a positive timeout below one would become
 * {0, 0}, which the socket takes as "no timeout". */
static struct timeval to_timeval(double seconds)
{
    struct timeval tv;
    long long us = (long long)(seconds * 1e6);
    if ((double)us < seconds * 1e6) us++;
    if (us < 1) us = 1;
    tv.tv_sec = (time_t)(us / 1000000);
    tv.tv_usec = (suseconds_t)(us % 1000000);
    return tv;
}

void tally_conn_drop_ctx(tally_conn *c)
{
    if (c->ctx) {
        /* In a forked child this only closes the child's copy of the descriptor: nothing
         * is written, so the parent's connection is untouched. Over TLS too: hiredis_ssl
         * frees the session with SSL_free, never SSL_shutdown, so no close-notify is sent
         * on a session the parent still uses. */
        redisFree(c->ctx);
        c->ctx = NULL;
    }
    c->ssl = NULL;
    c->unread = 0;
    c->wait_out = 0;
}

/* The connection's own reads and writes (the fast path): on the socket, or through the
 * TLS session hiredis uses, so both see one byte stream. read()/write() results. */
ssize_t tally_conn_sock_read(tally_conn *c, char *buf, size_t n)
{
    return c->ssl ? tally_tls_read(c->ssl, buf, n) : read(c->ctx->fd, buf, n);
}

ssize_t tally_conn_sock_write(tally_conn *c, const char *p, size_t n)
{
    return c->ssl ? tally_tls_write(c->ssl, p, n) : write(c->ctx->fd, p, n);
}

/* Why a connection failed, when the cause is a TLS one ("" otherwise); read before drop_ctx. */
const char *tally_conn_tls_why(const tally_conn *c, char *buf, size_t n)
{
    buf[0] = '\0';
    return c->ssl ? tally_tls_reason(c->ssl, !c->answered, buf, n) : buf;
}

/* Added to a connection reset on plain TCP when the server never answered: a TLS port
 * resets the connection on the first plain command. */
const char *tally_conn_reset_hint(const tally_conn *c, int e)
{
    return e == ECONNRESET && !c->tls.enabled && !c->answered
           ? " before answering anything (if that port expects TLS, set 'tls' => true)" : "";
}

static void conn_free(tally_conn *c)
{
    tally_conn_drop_ctx(c);
    tally_cluster_free(c->cluster);
    if (c->password) {
        memset(c->password, 0, strlen(c->password));
    }
    free(c->out);
    free(c->identity);
    tally_tls_ctx_free(c->tls_ctx);
    free((char *)c->tls.ca_file);
    free((char *)c->tls.ca_path);
    free((char *)c->tls.cert_file);
    free((char *)c->tls.key_file);
    free((char *)c->tls.server_name);
    free(c->host);
    free(c->socket);
    free(c->username);
    free(c->password);
    free(c);
}

/* Reports an I/O failure on the context and drops it, so the next use reconnects. */
tally_code tally_conn_io_error(tally_conn *c, const char *doing, tally_error *err)
{
    int saved_errno = errno;
    int timeout = c->ctx && (TALLY_HIREDIS_TIMEOUT(c->ctx)
                             || (c->ctx->err == REDIS_ERR_IO
                                 && (errno == EAGAIN || errno == EWOULDBLOCK
                                     || strstr(c->ctx->errstr, "temporarily unavailable"))));
    const char *why = c->ctx && c->ctx->errstr[0] ? c->ctx->errstr : "connection lost";
    char tls[200];
    if (tally_conn_tls_why(c, tls, sizeof(tls))[0]) {
        tally_error_set(err, TALLY_ERR_CONNECT, "TLS connection to Redis at %s failed during %s: %s", c->where, doing, tls);
    } else if (timeout) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s did not answer %s within %.3g s (read_timeout)",
                        c->where, doing, c->read_timeout);
    } else if (c->ctx && c->ctx->err == REDIS_ERR_EOF) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s closed the connection during %s", c->where, doing);
    } else {
        tally_error_set(err, TALLY_ERR_CONNECT, "connection to Redis at %s failed during %s: %s%s",
                        c->where, doing, why, tally_conn_reset_hint(c, saved_errno));
    }
    tally_conn_drop_ctx(c);
    return TALLY_ERR_CONNECT;
}


static tally_code handshake(tally_conn *c, tally_error *err)
{
    const char *argv[4][3];
    size_t lens[4][3];
    int argc[4], n = 0;
    const char *const *argvp[4];
    const size_t *lensp[4];
    redisReply *replies[4];
    char db[32];
    tally_code rc = TALLY_OK;

    if (c->password) {
        argc[n] = 0;
        argv[n][argc[n]++] = "AUTH";
        if (c->username) argv[n][argc[n]++] = c->username;
        argv[n][argc[n]++] = c->password;
        n++;
    }
    if (c->database != 0) {
        snprintf(db, sizeof(db), "%ld", c->database);
        argc[n] = 2;
        argv[n][0] = "SELECT";
        argv[n][1] = db;
        n++;
    }
    if (c->ssl) {
        /* Over TLS the handshake is finished only once the server answered: TLS 1.3 sends
         * its session tickets after it (read here, not mistaken later for unsolicited
         * data by ensure_ready), and a server requiring a client certificate refuses
         * only then. */
        argc[n] = 1;
        argv[n][0] = "PING";
        n++;
    }
    if (n == 0) return TALLY_OK;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < argc[i]; j++) lens[i][j] = strlen(argv[i][j]);
        argvp[i] = argv[i];
        lensp[i] = lens[i];
    }
    if (tally_conn_round_trip(c, n, argc, argvp, lensp, replies, err) != TALLY_OK) {
        return err ? err->code : TALLY_ERR_CONNECT;
    }
    for (int i = 0; i < n; i++) {
        if (rc == TALLY_OK && replies[i]->type == REDIS_REPLY_ERROR && strcmp(argv[i][0], "PING") != 0) {
            if (strcmp(argv[i][0], "AUTH") == 0) {
                /* The server's text never echoes the password; we name the user only. */
                rc = tally_error_set(err, TALLY_ERR_AUTH, "Redis at %s rejected the credentials for user '%s': %s",
                                     c->where, c->username ? c->username : "default", replies[i]->str);
            } else {
                rc = tally_error_set(err, TALLY_ERR_SERVER, "Redis at %s refused SELECT %ld: %s",
                                     c->where, c->database, replies[i]->str);
            }
        }
        tally_reply_free(replies[i]);
    }
    if (rc != TALLY_OK) tally_conn_drop_ctx(c);
    return rc;
}

static tally_code connect_now(tally_conn *c, tally_error *err)
{
    struct timeval ctv = to_timeval(c->connect_timeout), rtv = to_timeval(c->read_timeout);

    tally_conn_drop_ctx(c);
    c->ctx = c->socket ? redisConnectUnixWithTimeout(c->socket, ctv)
                       : redisConnectWithTimeout(c->host, (int)c->port, ctv);
    if (!c->ctx) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory connecting to Redis at %s", c->where);
    }
    if (c->ctx->err) {
        tally_error_set(err, TALLY_ERR_CONNECT, "cannot connect to Redis at %s: %s", c->where,
                        c->ctx->errstr[0] ? c->ctx->errstr : "unknown error");
        tally_conn_drop_ctx(c);
        return TALLY_ERR_CONNECT;
    }
    c->pid = tally_proc_pid();
    c->answered = 0;
    tally_reply_install(c->ctx);
    if (c->tls.enabled) {
        /* The handshake is bounded by connect_timeout, every later read by read_timeout. */
        tally_code rc;
        if (redisSetTimeout(c->ctx, ctv) != REDIS_OK) return tally_conn_io_error(c, "setting the connect timeout", err);
        rc = tally_tls_start(c->ctx, c->tls_ctx, &c->tls, c->host, c->where, c->connect_timeout, &c->ssl, err);
        if (rc != TALLY_OK) {
            tally_conn_drop_ctx(c);
            return rc;
        }
    }
    if (redisSetTimeout(c->ctx, rtv) != REDIS_OK) {
        return tally_conn_io_error(c, "setting the read timeout", err);
    }
    if (!c->socket) redisEnableKeepAlive(c->ctx);
    return handshake(c, err);
}

/* A connection is usable when it belongs to this process and the server has not closed
 * it. An idle socket that polls readable holds an EOF (or unsolicited data): either way,
 * start afresh, which is safe because no command of ours is outstanding. */
tally_code tally_conn_ensure_ready(tally_conn *c, tally_error *err)
{
    c->checked = 0;
    if (c->ctx && c->pid != tally_proc_pid()) {
        tally_conn_drop_ctx(c);
    }
    if (c->ctx && !c->ctx->err) {
        struct pollfd p = {.fd = c->ctx->fd, .events = POLLIN, .revents = 0};
        int r = poll(&p, 1, 0);
        /* Decrypted bytes OpenSSL already holds are unsolicited data too. */
        if (r == 0 && tally_tls_pending(c->ssl) == 0) return TALLY_OK;
        tally_conn_drop_ctx(c);
    }
    return connect_now(c, err);
}

static tally_conn *conn_new(const tally_conn_opts *o, const char *identity)
{
    tally_conn *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    c->persistent = o->persistent;
    c->identity = identity ? strdup(identity) : NULL;
    c->host = dup_or_null(o->host);
    c->socket = dup_or_null(o->socket);
    c->username = dup_or_null(o->username);
    c->password = dup_or_null(o->password);
    c->port = o->port;
    c->database = o->database;
    c->connect_timeout = o->connect_timeout;
    c->read_timeout = o->read_timeout;
    tally_wait_init(&c->wait, o->wait_replicas, o->wait_timeout);
    c->known.replicas = -1;
    c->tls.enabled = o->tls.enabled;
    c->tls.verify = o->tls.verify;
    c->tls.ca_file = dup_or_null(o->tls.ca_file);
    c->tls.ca_path = dup_or_null(o->tls.ca_path);
    c->tls.cert_file = dup_or_null(o->tls.cert_file);
    c->tls.key_file = dup_or_null(o->tls.key_file);
    c->tls.server_name = dup_or_null(o->tls.server_name);
    if (o->cluster && *o->cluster) {
        snprintf(c->where, sizeof(c->where), "cluster %s", o->cluster);
        if (!(c->cluster = tally_cluster_new(o))) {
            conn_free(c);
            return NULL;
        }
    } else if (c->socket) {
        snprintf(c->where, sizeof(c->where), "%s", c->socket);
    } else {
        snprintf(c->where, sizeof(c->where), "%s:%ld", c->host ? c->host : "", c->port);
    }
    if ((identity && !c->identity) || (o->host && *o->host && !c->host) || (o->socket && *o->socket && !c->socket)
        || (o->username && *o->username && !c->username) || (o->password && *o->password && !c->password)
        || (o->tls.ca_file && *o->tls.ca_file && !c->tls.ca_file) || (o->tls.ca_path && *o->tls.ca_path && !c->tls.ca_path)
        || (o->tls.cert_file && *o->tls.cert_file && !c->tls.cert_file)
        || (o->tls.key_file && *o->tls.key_file && !c->tls.key_file)
        || (o->tls.server_name && *o->tls.server_name && !c->tls.server_name)) {
        conn_free(c);
        return NULL;
    }
    return c;
}

/* Two option sets share a pooled connection only if every connection-level setting is
 * equal; the password is compared as part of the identity, which never leaves memory.
 * Every string goes in as <length>:<bytes>, so that no byte inside one (a '|' in a socket
 * path or a username) can make two different settings read alike. TLS settings count only
 * when TLS is on. */
static char *make_identity(const tally_conn_opts *o)
{
    const tally_tls_opts *t = &o->tls;
    const char *str[10] = {o->host, o->socket, o->username, o->password, o->cluster, NULL, NULL, NULL, NULL, NULL};
    size_t n = 160, used;
    char *s;
    if (t->enabled) {
        str[5] = t->ca_file;
        str[6] = t->ca_path;
        str[7] = t->cert_file;
        str[8] = t->key_file;
        str[9] = t->server_name;
    }
    for (int i = 0; i < 10; i++) n += 24 + (str[i] ? strlen(str[i]) : 0);
    if (!(s = malloc(n))) return NULL;
    used = (size_t)snprintf(s, n, "%ld|%ld|%.6f|%.6f|tls=%d|%d|wait=%d|%.6f", o->port, o->database, o->connect_timeout,
                            o->read_timeout, t->enabled, t->enabled && t->verify, o->wait_replicas,
                            o->wait_replicas ? o->wait_timeout : 0.0);
    for (int i = 0; i < 10 && used < n; i++) {
        const char *v = str[i] ? str[i] : "";
        used += (size_t)snprintf(s + used, n - used, "|%zu:%s", strlen(v), v);
    }
    return s;
}

tally_code tally_conn_open(tally_pool *pool, const tally_conn_opts *opts,
                           tally_conn **out, tally_error *err)
{
    tally_conn *c = NULL;
    tally_code rc;
    char *identity = NULL;

    /* Refused before anything is pooled or connected (also for lazy connections). */
    rc = tally_tls_check(&opts->tls, opts->socket && *opts->socket, err);
    if (rc != TALLY_OK) return rc;
    if (opts->persistent && pool) {
        identity = make_identity(opts);
        if (!identity) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory opening a connection");
        for (c = pool->head; c; c = c->next) {
            if (strcmp(c->identity, identity) == 0) break;
        }
    }
    if (!c) {
        c = conn_new(opts, identity);
        if (!c) {
            free(identity);
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory opening a connection");
        }
        /* The TLS context (CA files, client certificate) is loaded once, here, so that a
         * bad file is reported by the constructor, not by a later command. */
        if (c->tls.enabled && (rc = tally_tls_ctx_new(&c->tls, &c->tls_ctx, err)) != TALLY_OK) {
            conn_free(c);
            if (identity) {
                memset(identity, 0, strlen(identity));
                free(identity);
            }
            return rc;
        }
        if (identity) {
            c->next = pool->head;
            pool->head = c;
        }
    }
    if (identity) {
        memset(identity, 0, strlen(identity));
        free(identity);
    }
    rc = opts->lazy ? TALLY_OK : c->cluster ? tally_cluster_ready(c->cluster, err) : tally_conn_ensure_ready(c, err);
    if (rc != TALLY_OK) {
        /* A pooled connection stays in the pool (closed) and is retried on next use. */
        if (!c->persistent) conn_free(c);
        return rc;
    }
    c->refs++;
    *out = c;
    return TALLY_OK;
}

void tally_conn_retain(tally_conn *c)
{
    if (c) c->refs++;
}

void tally_conn_release(tally_conn *c)
{
    if (!c) return;
    if (c->refs > 0) c->refs--;
    if (!c->persistent && c->refs == 0) conn_free(c);
}

tally_code tally_conn_not_busy(tally_conn *c, tally_error *err)
{
    if (c->ctx && c->pid != tally_proc_pid()) tally_conn_drop_ctx(c);   /* a child never reads its parent's replies */
    if (c->unread > 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "the Redis connection to %s is waiting for %d replies of a sync run: "
                               "it cannot be used from inside that run's callbacks", c->where, c->unread);
    }
    return TALLY_OK;
}

tally_code tally_conn_connect(tally_conn *c, tally_error *err)
{
    tally_code rc;
    if (c->cluster) return tally_cluster_ready(c->cluster, err);
    if ((rc = tally_conn_not_busy(c, err))) return rc;
    rc = tally_conn_ensure_ready(c, err);
    /* A cluster round checks each node just before it sends to it: one poll, not two. */
    c->checked = rc == TALLY_OK;
    return rc;
}

double tally_conn_read_timeout(const tally_conn *c)
{
    return c->read_timeout;
}

void tally_conn_set_wait(tally_conn *c, int replicas, double timeout)
{
    if (c->cluster) tally_cluster_set_wait(c->cluster, replicas, timeout);
    else tally_wait_set(&c->wait, replicas, timeout);
}

tally_code tally_conn_info_replicas(tally_conn *c, int *replicas, tally_error *err)
{
    const char *argv[2] = {"INFO", "replication"};
    const char *const *argvp = argv;
    size_t lens[2] = {4, 11};
    const size_t *lensp = lens;
    int argc = 2, n;
    redisReply *r = NULL;
    tally_code rc;
    if (c->cluster) return tally_error_set(err, TALLY_ERR_ARGUMENT, "INFO replication is asked of one node, not of %s", c->where);
    if ((rc = tally_conn_not_busy(c, err)) || (rc = tally_conn_ensure_ready(c, err))
        || (rc = tally_conn_round_trip(c, 1, &argc, &argvp, &lensp, &r, err))) {
        return rc;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "asking for its connected replicas (INFO replication)", err);
    } else if (r->type != REDIS_REPLY_STRING || (n = tally_wait_parse_replicas(r->str, r->len)) < 0) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "Redis at %s answered INFO replication without connected_slaves",
                             c->where);
    } else {
        *replicas = n;
    }
    tally_reply_free(r);
    return rc;
}

int tally_conn_is_cluster(const tally_conn *c)
{
    return c->cluster != NULL;
}

tally_cluster *tally_conn_cluster(tally_conn *c)
{
    return c->cluster;
}

const char *tally_conn_describe(const tally_conn *c)
{
    return c->where;
}

void tally_pool_destroy(tally_pool *pool)
{
    tally_conn *c = pool->head;
    while (c) {
        tally_conn *next = c->next;
        conn_free(c);
        c = next;
    }
    pool->head = NULL;
}
