/* Commands and replies on a tally_conn: see tally_conn.h. Commands are written as RESP here,
 * replies read by hiredis's reader, or, on the integer fast path, parsed in place. */
#include "redis/tally_conn_int.h"
#include "redis/tally_resp.h"
#include "redis/tally_reply.h"
#include "util/tally_grow.h"
#include "util/tally_proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the integer fast path ------------------------------------------------------------
 * Increments dominate the traffic and their replies are integers. hiredis would build each
 * command with a printf-like formatter and each reply as a malloc'd object; here the
 * commands are written as RESP straight into one buffer and integer replies are parsed in
 * place. Anything else (an error reply, a bulk string) is handed to hiredis's reader, so
 * the protocol handling stays hiredis's. The same socket, timeouts and never-resend rule. */

#define RAW_STACK 2048

/* Like tally_conn_io_error(), for a failed read()/write() of our own: r is its result, e its errno. */
static tally_code raw_io_error(tally_conn *c, const char *doing, ssize_t r, int e, tally_error *err)
{
    char tls[200];
    if (r != 0 && e != EAGAIN && e != EWOULDBLOCK && tally_conn_tls_why(c, tls, sizeof(tls))[0]) {
        tally_error_set(err, TALLY_ERR_CONNECT, "TLS connection to Redis at %s failed during %s: %s", c->where, doing, tls);
    } else if (r == 0) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s closed the connection during %s", c->where, doing);
    } else if (e == EAGAIN || e == EWOULDBLOCK) {
        tally_error_set(err, TALLY_ERR_CONNECT, "Redis at %s did not answer %s within %.3g s (read_timeout)",
                        c->where, doing, c->read_timeout);
    } else {
        tally_error_set(err, TALLY_ERR_CONNECT, "connection to Redis at %s failed during %s: %s%s",
                        c->where, doing, strerror(e), tally_conn_reset_hint(c, e));
    }
    tally_conn_drop_ctx(c);
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
        ssize_t w = tally_conn_sock_write(c, p, n);
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
        tally_conn_drop_ctx(c);
    }
}

/* Reads the next n replies; on an error none is left in replies[]. */
static tally_code read_replies(tally_conn *c, int n, redisReply **replies, const char *doing, tally_error *err)
{
    for (int i = 0; i < n; i++) {
        void *r = NULL;
        if (redisGetReply(c->ctx, &r) != REDIS_OK || !r) {
            while (i-- > 0) tally_reply_free(replies[i]);
            return tally_conn_io_error(c, doing, err);
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
tally_code tally_conn_round_trip(tally_conn *c, int n, const int *argc,
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


tally_code tally_conn_pipeline(tally_conn *c, int n, const int *argc,
                               const char *const *const *argv, const size_t *const *argvlen,
                               redisReply **replies, tally_error *err)
{
    tally_code rc;
    if (c->cluster) return tally_cluster_pipeline(c->cluster, n, argc, argv, argvlen, replies, NULL, err);
    rc = tally_conn_not_busy(c, err);
    if (rc == TALLY_OK) rc = tally_conn_ensure_ready(c, err);
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
    rc = tally_conn_not_busy(c, err);
    if (rc == TALLY_OK && !(c->checked && c->ctx && c->pid == tally_proc_pid())) rc = tally_conn_ensure_ready(c, err);
    c->checked = 0;
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
    if ((rc = tally_conn_not_busy(c, err)) != TALLY_OK || (rc = tally_conn_ensure_ready(c, err)) != TALLY_OK
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
                rc = tally_conn_io_error(c, doing, err);
                break;
            }
            pos = have;
            for (; i < total; i++) {
                void *r = NULL;
                if (redisGetReply(c->ctx, &r) != REDIS_OK || !r) {
                    rc = tally_conn_io_error(c, doing, err);
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
                r = tally_conn_sock_read(c, rbuf + have, sizeof(rbuf) - have);
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
        if (pos < have || tally_tls_pending(c->ssl)) tally_conn_drop_ctx(c);   /* bytes nobody asked for: start afresh next time */
        else settle_reader(c);
        /* The commands' replies stay the caller's, as the contract says, also on failure. */
        if (c->wait_cmd.on) rc = tally_wait_check(&c->wait, c, &c->known, &c->wait_cmd, wait_reply, wait_acked, err);
    }
    if (wait_reply) tally_reply_free(wait_reply);
    return rc;
}
