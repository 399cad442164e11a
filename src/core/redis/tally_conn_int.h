/* The inside of a tally_conn, shared by its two files and private to them: the connection
 * itself (tally_conn.c: connect, handshake, pool, checks) and the commands on it
 * (tally_conn_io.c: RESP written here, replies read by hiredis or, for integers, in place).
 *
 *   tally_conn_drop_ctx()     close the socket (the next command reconnects)
 *   tally_conn_sock_read() / tally_conn_sock_write()   the socket or its TLS session
 *   tally_conn_tls_why() / tally_conn_reset_hint()     words for error messages
 *   tally_conn_io_error()     a failed hiredis read/write: TALLY_ERR_CONNECT, connection dropped
 *   tally_conn_ensure_ready() connected, not forked from another process, not closed by the server
 *   tally_conn_not_busy()     no split round trip's replies outstanding
 *   tally_conn_round_trip()   n commands written, n replies read (the handshake's too)
 */
#ifndef TALLY_CONN_INT_H
#define TALLY_CONN_INT_H

#include <sys/types.h>

#include "redis/tally_conn.h"
#include "redis/tally_cluster.h"
#include "redis/tally_wait.h"

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
    int checked;            /* tally_conn_connect() just checked it: the next send need not */
    tally_conn *next;
};

void tally_conn_drop_ctx(tally_conn *c);
ssize_t tally_conn_sock_read(tally_conn *c, char *buf, size_t n);
ssize_t tally_conn_sock_write(tally_conn *c, const char *p, size_t n);
const char *tally_conn_tls_why(const tally_conn *c, char *buf, size_t n);
const char *tally_conn_reset_hint(const tally_conn *c, int e);
tally_code tally_conn_io_error(tally_conn *c, const char *doing, tally_error *err);
tally_code tally_conn_ensure_ready(tally_conn *c, tally_error *err);
tally_code tally_conn_not_busy(tally_conn *c, tally_error *err);
tally_code tally_conn_round_trip(tally_conn *c, int n, const int *argc, const char *const *const *argv,
                                 const size_t *const *argvlen, redisReply **replies, tally_error *err);

#endif
