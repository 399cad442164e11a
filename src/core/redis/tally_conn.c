/* The Redis connection: see tally_conn.h. */
#include "redis/tally_conn.h"
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

struct tally_conn {
    redisContext *ctx;
    pid_t pid;              /* the process that opened ctx */
    int persistent;
    int unread;             /* replies of a split round trip not read yet */
    char *out;              /* RESP of a large pipeline, kept for the next one */
    size_t out_cap;
    unsigned refs;          /* Counter objects holding this pooled connection */
    char *identity;         /* everything that makes two pooled connections equivalent */
    char *host, *socket, *username, *password;
    long port, database;
    double connect_timeout, read_timeout;
    tally_tls_opts tls;     /* its strings are this connection's copies */
    void *tls_ctx;          /* SSL_CTX built from tls once, reused by every reconnect */
    void *ssl;              /* the session of ctx (owned by ctx), NULL on plain TCP */
    int answered;           /* ctx has read a reply: the port speaks our protocol */
    char where[300];        /* host:port or socket, for messages */
    tally_cluster *cluster; /* a cluster front: commands are routed, ctx is unused */
    tally_wait wait;        /* the WAIT every round trip ends with (off by default) */
    tally_wait_known known; /* replicas this Redis is believed to have */
    tally_wait_cmd wait_cmd;/* the WAIT of the round trip under way */
    int wait_out;           /* its reply is outstanding, after the commands' */
    tally_conn *next;
};

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

static void drop_ctx(tally_conn *c)
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
static ssize_t conn_read(tally_conn *c, char *buf, size_t n)
{
    return c->ssl ? tally_tls_read(c->ssl, buf, n) : read(c->ctx->fd, buf, n);
}

static ssize_t conn_write(tally_conn *c, const char *p, size_t n)
{
    return c->ssl ? tally_tls_write(c->ssl, p, n) : write(c->ctx->fd, p, n);
}

/* Why a connection failed, when the cause is a TLS one ("" otherwise); read before drop_ctx. */
static const char *tls_why(const tally_conn *c, char *buf, size_t n)
{
    buf[0] = '\0';
    return c->ssl ? tally_tls_reason(c->ssl, !c->answered, buf, n) : buf;
}

/* Added to a connection reset on plain TCP when the server never answered: a TLS port
 * resets the connection on the first plain command. */
static const char *reset_hint(const tally_conn *c, int e)
{
    return e == ECONNRESET && !c->tls.enabled && !c->answered
           ? " before answering anything (if that port expects TLS, set 'tls' => true)" : "";
}

static void conn_free(tally_conn *c)
{
    drop_ctx(c);
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
static tally_code io_error(tally_conn *c, const char *doing, tally_error *err)
{
    int saved_errno = errno;
    int timeout = c->ctx && (TALLY_HIREDIS_TIMEOUT(c->ctx)
                             || (c->ctx->err == REDIS_ERR_IO
                                 && (errno == EAGAIN || errno == EWOULDBLOCK
                                     || strstr(c->ctx->errstr, "temporarily unavailable"))));
    const char *why = c->ctx && c->ctx->errstr[0] ? c->ctx->errstr : "connection lost";
    char tls[200];
    if (tls_why(c, tls, sizeof(tls))[0]) {
        tally_error_set(err, TALLY_ERR_CONNECT, "TLS connection to Redis at %s failed during %s: %s", c->where, doing, tls);
    } else if (timeout) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s did not answer %s within %.3g s (read_timeout)",
                        c->where, doing, c->read_timeout);
    } else if (c->ctx && c->ctx->err == REDIS_ERR_EOF) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s closed the connection during %s", c->where, doing);
    } else {
        tally_error_set(err, TALLY_ERR_CONNECT, "connection to Redis at %s failed during %s: %s%s",
                        c->where, doing, why, reset_hint(c, saved_errno));
    }
    drop_ctx(c);
    return TALLY_ERR_CONNECT;
}

static tally_code round_trip(tally_conn *c, int n, const int *argc,
                             const char *const *const *argv, const size_t *const *argvlen,
                             redisReply **replies, tally_error *err);

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
    if (round_trip(c, n, argc, argvp, lensp, replies, err) != TALLY_OK) {
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
    if (rc != TALLY_OK) drop_ctx(c);
    return rc;
}

static tally_code connect_now(tally_conn *c, tally_error *err)
{
    struct timeval ctv = to_timeval(c->connect_timeout), rtv = to_timeval(c->read_timeout);

    drop_ctx(c);
    c->ctx = c->socket ? redisConnectUnixWithTimeout(c->socket, ctv)
                       : redisConnectWithTimeout(c->host, (int)c->port, ctv);
    if (!c->ctx) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory connecting to Redis at %s", c->where);
    }
    if (c->ctx->err) {
        tally_error_set(err, TALLY_ERR_CONNECT, "cannot connect to Redis at %s: %s", c->where,
                        c->ctx->errstr[0] ? c->ctx->errstr : "unknown error");
        drop_ctx(c);
        return TALLY_ERR_CONNECT;
    }
    c->pid = tally_proc_pid();
    c->answered = 0;
    tally_reply_install(c->ctx);
    if (c->tls.enabled) {
        /* The handshake is bounded by connect_timeout, every later read by read_timeout. */
        tally_code rc;
        if (redisSetTimeout(c->ctx, ctv) != REDIS_OK) return io_error(c, "setting the connect timeout", err);
        rc = tally_tls_start(c->ctx, c->tls_ctx, &c->tls, c->host, c->where, c->connect_timeout, &c->ssl, err);
        if (rc != TALLY_OK) {
            drop_ctx(c);
            return rc;
        }
    }
    if (redisSetTimeout(c->ctx, rtv) != REDIS_OK) {
        return io_error(c, "setting the read timeout", err);
    }
    if (!c->socket) redisEnableKeepAlive(c->ctx);
    return handshake(c, err);
}

/* A connection is usable when it belongs to this process and the server has not closed
 * it. An idle socket that polls readable holds an EOF (or unsolicited data): either way,
 * start afresh, which is safe because no command of ours is outstanding. */
static tally_code ensure_ready(tally_conn *c, tally_error *err)
{
    if (c->ctx && c->pid != tally_proc_pid()) {
        drop_ctx(c);
    }
    if (c->ctx && !c->ctx->err) {
        struct pollfd p = {.fd = c->ctx->fd, .events = POLLIN, .revents = 0};
        int r = poll(&p, 1, 0);
        /* Decrypted bytes OpenSSL already holds are unsolicited data too. */
        if (r == 0 && tally_tls_pending(c->ssl) == 0) return TALLY_OK;
        drop_ctx(c);
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
    rc = opts->lazy ? TALLY_OK : c->cluster ? tally_cluster_ready(c->cluster, err) : ensure_ready(c, err);
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

/* ---- the integer fast path ------------------------------------------------------------
 * Increments dominate the traffic and their replies are integers. hiredis would build each
 * command with a printf-like formatter and each reply as a malloc'd object; here the
 * commands are written as RESP straight into one buffer and integer replies are parsed in
 * place. Anything else (an error reply, a bulk string) is handed to hiredis's reader, so
 * the protocol handling stays hiredis's. The same socket, timeouts and never-resend rule. */

#define RAW_STACK 2048

/* Like io_error(), for a failed read()/write() of our own: r is its result, e its errno. */
static tally_code raw_io_error(tally_conn *c, const char *doing, ssize_t r, int e, tally_error *err)
{
    char tls[200];
    if (r != 0 && e != EAGAIN && e != EWOULDBLOCK && tls_why(c, tls, sizeof(tls))[0]) {
        tally_error_set(err, TALLY_ERR_CONNECT, "TLS connection to Redis at %s failed during %s: %s", c->where, doing, tls);
    } else if (r == 0) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s closed the connection during %s", c->where, doing);
    } else if (e == EAGAIN || e == EWOULDBLOCK) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s did not answer %s within %.3g s (read_timeout)",
                        c->where, doing, c->read_timeout);
    } else {
        tally_error_set(err, TALLY_ERR_CONNECT, "connection to Redis at %s failed during %s: %s%s",
                        c->where, doing, strerror(e), reset_hint(c, e));
    }
    drop_ctx(c);
    return TALLY_ERR_CONNECT;
}

/* *received becomes 0 once a byte is out: from then on the commands may have run. */
static tally_code write_raw(tally_conn *c, const char *p, size_t n, const char *doing, int *received, tally_error *err)
{
    if (c->ssl) {
        /* A failed SSL_write may have put part of a record on the wire: from the first
         * attempt on, the commands may have run. Stale errors of others are no cause. */
        *received = 0;
        tally_tls_clear();
    }
    while (n > 0) {
        ssize_t w = conn_write(c, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return raw_io_error(c, doing, w < 0 ? -1 : 0, errno, err);
        *received = 0;
        p += w;
        n -= (size_t)w;
    }
    return TALLY_OK;
}

/* Writes n commands to the socket, formatted as RESP here (hiredis's formatter is a
 * printf-like builder that costs more than the rest of a sync's client work); the context
 * must be connected and hiredis's output buffer is never used, so it stays empty. With
 * with_wait, c->wait_cmd (when on) goes in the same write, after them. */
static tally_code write_all(tally_conn *c, int n, const int *argc,
                            const char *const *const *argv, const size_t *const *argvlen, int with_wait,
                            tally_error *err)
{
    char stack[RAW_STACK] = "", *out = stack, *p;   /* (= "" only quiets a gcc false positive) */
    size_t need = 0;
    int written, wn = with_wait && c->wait_cmd.on;
    tally_code rc;

    if (n <= 0) return TALLY_OK;
    for (int i = 0; i < n; i++) need += tally_resp_len(argc[i], argvlen[i]);
    if (wn) need += tally_resp_len(3, c->wait_cmd.lens);
    if (need > sizeof(stack)) {
        if (tally_grow((void **)&c->out, &c->out_cap, need, 1)) {
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building %d commands", n);
        }
        out = c->out;
    }
    p = out;
    for (int i = 0; i < n; i++) p = tally_resp_put(p, argc[i], argv[i], argvlen[i]);
    if (wn) p = tally_resp_put(p, 3, c->wait_cmd.argv, c->wait_cmd.lens);
    rc = write_raw(c, out, (size_t)(p - out), argv[0][0], &written, err);
    if (rc == TALLY_OK) {
        c->unread += n + wn;
        c->wait_out = wn;
    }
    return rc;
}

/* Once every reply asked for is read, hiredis's reader must hold nothing more: the fast
 * path below reads the socket itself and would skip what hiredis buffered. Only
 * unsolicited data could be there; a connection with any is dropped (public API only:
 * redisReaderGetReply answers from the reader's buffer without touching the socket). */
static void settle_reader(tally_conn *c)
{
    void *extra = NULL;
    if (c->unread != 0 || !c->ctx) return;
    if (redisReaderGetReply(c->ctx->reader, &extra) != REDIS_OK || extra) {
        if (extra) tally_reply_free(extra);
        drop_ctx(c);
    }
}

/* Reads the next n replies; on an error none is left in replies[]. */
static tally_code read_replies(tally_conn *c, int n, redisReply **replies, const char *doing, tally_error *err)
{
    for (int i = 0; i < n; i++) {
        void *r = NULL;
        if (redisGetReply(c->ctx, &r) != REDIS_OK || !r) {
            while (i-- > 0) tally_reply_free(replies[i]);
            return io_error(c, doing, err);
        }
        replies[i] = r;
        c->unread--;
        c->answered = 1;
    }
    settle_reader(c);
    return TALLY_OK;
}

/* Writes n commands and reads n replies, without WAIT (the handshake, INFO); the context
 * must be connected. */
static tally_code round_trip(tally_conn *c, int n, const int *argc,
                             const char *const *const *argv, const size_t *const *argvlen,
                             redisReply **replies, tally_error *err)
{
    tally_code rc = write_all(c, n, argc, argv, argvlen, 0, err);
    return rc ? rc : read_replies(c, n, replies, argv[0][0], err);
}

/* The WAIT after the n replies just read (when one was sent): read and checked; when it
 * fails, the n replies are freed. */
static tally_code finish_wait(tally_conn *c, int n, redisReply **replies, tally_error *err)
{
    redisReply *r = NULL;
    tally_code rc;
    if (!c->wait_out) return TALLY_OK;
    c->wait_out = 0;
    rc = read_replies(c, 1, &r, "WAIT (for the replicas)", err);
    if (rc == TALLY_OK) {
        rc = tally_wait_check(&c->wait, c, &c->known, &c->wait_cmd, r, 0, err);
        tally_reply_free(r);
    }
    if (rc) {
        for (int i = 0; i < n; i++) { tally_reply_free(replies[i]); replies[i] = NULL; }
    }
    return rc;
}

static tally_code not_busy(tally_conn *c, tally_error *err)
{
    if (c->ctx && c->pid != tally_proc_pid()) drop_ctx(c);   /* a child never reads its parent's replies */
    if (c->unread > 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "the Redis connection to %s is waiting for %d replies of a sync run: "
                               "it cannot be used from inside that run's callbacks", c->where, c->unread);
    }
    return TALLY_OK;
}

tally_code tally_conn_pipeline(tally_conn *c, int n, const int *argc,
                               const char *const *const *argv, const size_t *const *argvlen,
                               redisReply **replies, tally_error *err)
{
    tally_code rc;
    if (c->cluster) return tally_cluster_pipeline(c->cluster, n, argc, argv, argvlen, replies, NULL, err);
    rc = not_busy(c, err);
    if (rc == TALLY_OK) rc = ensure_ready(c, err);
    if (rc == TALLY_OK) rc = tally_wait_prepare(&c->wait, c, &c->known, &c->wait_cmd, err);
    if (rc == TALLY_OK) rc = write_all(c, n, argc, argv, argvlen, 1, err);
    if (rc == TALLY_OK) rc = read_replies(c, n, replies, argv[0][0], err);
    return rc ? rc : finish_wait(c, n, replies, err);
}

tally_code tally_conn_send(tally_conn *c, int n, const int *argc,
                           const char *const *const *argv, const size_t *const *argvlen, tally_error *err)
{
    tally_code rc;
    if (c->cluster) return tally_cluster_defer(c->cluster, n, argc, argv, argvlen, err);
    rc = not_busy(c, err);
    if (rc == TALLY_OK) rc = ensure_ready(c, err);
    if (rc == TALLY_OK) rc = tally_wait_prepare(&c->wait, c, &c->known, &c->wait_cmd, err);
    return rc ? rc : write_all(c, n, argc, argv, argvlen, 1, err);
}

tally_code tally_conn_recv(tally_conn *c, int n, redisReply **replies, tally_error *err)
{
    tally_code rc;
    if (c->cluster) return tally_cluster_collect(c->cluster, n, replies, err);
    if (!c->ctx || c->unread - c->wait_out < n) {
        return tally_error_set(err, TALLY_ERR_CONNECT, "connection to Redis at %s lost before %d replies came",
                               c->where, n);
    }
    if ((rc = read_replies(c, n, replies, "reading pipelined replies", err))) return rc;
    return c->unread == c->wait_out ? finish_wait(c, n, replies, err) : TALLY_OK;
}

tally_code tally_conn_command(tally_conn *c, int argc, const char **argv,
                              const size_t *argvlen, redisReply **reply, tally_error *err)
{
    return tally_conn_pipeline(c, 1, &argc, (const char *const *const *)&argv,
                               (const size_t *const *)&argvlen, reply, err);
}

/* The integer fast path over a cluster: routed replies, integers moved into values[]. On
 * an error nothing was read in order, so every command may have run (*received 0), unless
 * nothing was sent at all (-1). */
static tally_code cluster_pipeline_int(tally_conn *c, int n, const int *argc,
                                       const char *const *const *argv, const size_t *const *argvlen,
                                       long long *values, redisReply **replies, int *received, tally_error *err)
{
    int sent = 0;
    tally_code rc = tally_cluster_pipeline(c->cluster, n, argc, argv, argvlen, replies, &sent, err);
    if (rc) {
        *received = sent ? 0 : -1;
        return rc;
    }
    for (int i = 0; i < n; i++) {
        if (replies[i]->type == REDIS_REPLY_INTEGER) {
            values[i] = replies[i]->integer;
            tally_reply_free(replies[i]);
            replies[i] = NULL;
        }
    }
    *received = n;
    return TALLY_OK;
}

tally_code tally_conn_pipeline_int(tally_conn *c, int n, const int *argc,
                                   const char *const *const *argv, const size_t *const *argvlen,
                                   long long *values, redisReply **replies, int *received, tally_error *err)
{
    char stack[RAW_STACK], rbuf[4096], *out = stack, *p;
    const char *doing = argv[0][0];
    size_t need = 0, have = 0, pos = 0;
    int i = 0, total;
    long long wait_acked = 0;
    redisReply *wait_reply = NULL;   /* the WAIT's reply when not an integer */
    tally_code rc;

    *received = -1;
    if (c->cluster) return cluster_pipeline_int(c, n, argc, argv, argvlen, values, replies, received, err);
    if ((rc = not_busy(c, err)) != TALLY_OK || (rc = ensure_ready(c, err)) != TALLY_OK
        || (rc = tally_wait_prepare(&c->wait, c, &c->known, &c->wait_cmd, err)) != TALLY_OK) {
        return rc;
    }
    /* The connection is quiet here: no reply is outstanding (not_busy) and hiredis's reader
     * holds nothing (settle_reader); hiredis's output buffer is never used. The WAIT, when
     * on, is reply n: an integer too. */
    total = n + c->wait_cmd.on;
    for (i = 0; i < n; i++) need += tally_resp_len(argc[i], argvlen[i]);
    if (c->wait_cmd.on) need += tally_resp_len(3, c->wait_cmd.lens);
    if (need > sizeof(stack) && !(out = malloc(need))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building %d commands", n);
    }
    p = out;
    for (i = 0; i < n; i++) p = tally_resp_put(p, argc[i], argv[i], argvlen[i]);
    if (c->wait_cmd.on) p = tally_resp_put(p, 3, c->wait_cmd.argv, c->wait_cmd.lens);
    rc = write_raw(c, out, (size_t)(p - out), doing, received, err);
    if (out != stack) free(out);
    if (rc != TALLY_OK) return rc;

#define VALUE(i) (*((i) < n ? &values[i] : &wait_acked))
#define REPLY(i) (*((i) < n ? &replies[i] : &wait_reply))
    for (i = 0; i < total;) {
        long used = tally_resp_int_line(rbuf + pos, have - pos, &VALUE(i));
        if (used > 0) {
            REPLY(i) = NULL;
            i++;
            pos += (size_t)used;
            continue;
        }
        if (used < 0) {
            /* Not an integer: hiredis reads this reply and every one after it. */
            if (redisReaderFeed(c->ctx->reader, rbuf + pos, have - pos) != REDIS_OK) {
                rc = io_error(c, doing, err);
                break;
            }
            pos = have;
            for (; i < total; i++) {
                void *r = NULL;
                if (redisGetReply(c->ctx, &r) != REDIS_OK || !r) {
                    rc = io_error(c, doing, err);
                    break;
                }
                REPLY(i) = r;
                if (REPLY(i)->type == REDIS_REPLY_INTEGER) {
                    VALUE(i) = REPLY(i)->integer;
                    tally_reply_free(REPLY(i));
                    REPLY(i) = NULL;
                }
            }
            break;
        }
        /* An incomplete line: keep its start, read more. */
        if (pos > 0) {
            memmove(rbuf, rbuf + pos, have - pos);
            have -= pos;
            pos = 0;
        }
        {
            ssize_t r;
            do {
                r = conn_read(c, rbuf + have, sizeof(rbuf) - have);
            } while (r < 0 && errno == EINTR);
            if (r <= 0) {
                rc = raw_io_error(c, doing, r, errno, err);
                break;
            }
            have += (size_t)r;
        }
    }
#undef VALUE
#undef REPLY
    *received = i < n ? i : n;
    if (rc == TALLY_OK) {
        c->answered = 1;
        if (pos < have || tally_tls_pending(c->ssl)) drop_ctx(c);   /* bytes nobody asked for: start afresh next time */
        else settle_reader(c);
        /* The commands' replies stay the caller's, as the contract says, also on failure. */
        if (c->wait_cmd.on) rc = tally_wait_check(&c->wait, c, &c->known, &c->wait_cmd, wait_reply, wait_acked, err);
    }
    if (wait_reply) tally_reply_free(wait_reply);
    return rc;
}

tally_code tally_conn_connect(tally_conn *c, tally_error *err)
{
    tally_code rc;
    if (c->cluster) return tally_cluster_ready(c->cluster, err);
    if ((rc = not_busy(c, err))) return rc;
    return ensure_ready(c, err);
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
    if ((rc = not_busy(c, err)) || (rc = ensure_ready(c, err))
        || (rc = round_trip(c, 1, &argc, &argvp, &lensp, &r, err))) {
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
