/* The Redis connection: connect with timeouts, authenticate, select the database, run
 * commands from argv arrays, and keep persistent connections in a per-process pool.
 *
 * Before every command the connection is checked: a child after fork() never uses its
 * parent's socket, and a socket the server closed (seen as readable while idle) is
 * reopened. Once a command has been written it is never sent again: an I/O error or
 * timeout after that drops the connection and reports TALLY_ERR_CONNECT.
 *
 * Over TLS (opts->tls) the same holds: hiredis's reads and writes and the raw fast path
 * below both go through the one SSL session hiredis_ssl owns (conn_read/conn_write).
 *
 *   tally_conn_open()      get a connection (pooled when opts->persistent)
 *   tally_conn_retain()    one more holder (a buffer of increments keeps its connection)
 *   tally_conn_release()   give it back (a non-persistent one is closed with its last holder)
 *   tally_conn_command()   one command, one reply
 *   tally_conn_pipeline()  several commands, one round trip
 *   tally_conn_send() / tally_conn_recv()   the same round trip split in two, so that the
 *                          caller can do other work (an SQL commit) while Redis answers
 *   tally_conn_pipeline_int()  the same for commands answering integers, without reply objects
 *   tally_conn_connect()   connect now if not connected (nothing is sent but the handshake)
 *   tally_conn_is_cluster()  whether commands are routed over a Redis Cluster
 *   tally_conn_cluster()   the cluster behind a cluster front (NULL for one Redis)
 *   tally_conn_describe()  "host:port" or the socket path, for messages
 *   tally_conn_set_wait()  end every later round trip with WAIT (tally_wait.h)
 *   tally_conn_read_timeout()  the read timeout (seconds), which a WAIT must stay below
 *   tally_conn_info_replicas()  the replicas connected to this Redis now (INFO replication)
 *
 * With opts->wait_replicas (or tally_conn_set_wait()), every round trip ends with
 * `WAIT <n> <ms>` in the same write as the commands; its reply is read and checked here
 * and never handed to the caller. Fewer replicas than asked: the call fails with
 * TALLY_ERR_REPLICAS, its replies freed (the commands ran; they are not undone).
 *
 * With opts->cluster set, the connection is a Redis Cluster front (tally_cluster.h): every
 * command above is routed to the master owning its first key's slot.
 *   tally_pool_destroy()   close every pooled connection (module shutdown)
 */
#ifndef TALLY_CONN_H
#define TALLY_CONN_H

#include <stddef.h>
#include <sys/types.h>
#include "redis/tally_hiredis.h"
#include "redis/tally_tls.h"

#include "util/tally_error.h"

typedef struct {
    const char *host;
    long port;
    const char *socket;      /* unix socket path; wins over host/port when non-empty */
    const char *username;    /* NULL or "": AUTH with the password alone */
    const char *password;    /* NULL or "": no AUTH */
    long database;
    double connect_timeout;  /* seconds */
    double read_timeout;     /* seconds; also bounds writes */
    int persistent;
    int lazy;                /* connect at the first command, not in tally_conn_open() */
    tally_tls_opts tls;      /* TLS (tally_tls.h); off when tls.enabled is 0 */
    const char *cluster;     /* NULL or "": one Redis; else "host:port,..." cluster seeds
                              * (host/port/socket unused, database must be 0) */
    int wait_replicas;       /* 0: off; n: every round trip waits for n replicas */
    double wait_timeout;     /* seconds WAIT may block; below read_timeout */
} tally_conn_opts;

typedef struct tally_conn tally_conn;

typedef struct {
    tally_conn *head;
} tally_pool;

tally_code tally_conn_open(tally_pool *pool, const tally_conn_opts *opts,
                           tally_conn **out, tally_error *err);
void tally_conn_retain(tally_conn *conn);
void tally_conn_release(tally_conn *conn);

/* On TALLY_OK, *reply is the server's reply (possibly an error reply); the caller frees it
 * with tally_reply_free(). Only I/O failures are returned as errors here. */
tally_code tally_conn_command(tally_conn *conn, int argc, const char **argv,
                              const size_t *argvlen, redisReply **reply, tally_error *err);

/* n commands in one write, then n replies into replies[]; all freed by the caller. On an
 * error nothing is left in replies[]. */
tally_code tally_conn_pipeline(tally_conn *conn, int n, const int *argc,
                               const char *const *const *argv, const size_t *const *argvlen,
                               redisReply **replies, tally_error *err);

/* tally_conn_pipeline() in two halves. Between them the connection has replies
 * outstanding: any other use of it fails with TALLY_ERR_ARGUMENT (and so cannot read a
 * reply meant for someone else); an I/O error drops it (outstanding replies are lost,
 * never re-sent). tally_conn_recv() reads the next n outstanding replies. */
tally_code tally_conn_send(tally_conn *conn, int n, const int *argc,
                           const char *const *const *argv, const size_t *const *argvlen, tally_error *err);
tally_code tally_conn_recv(tally_conn *conn, int n, redisReply **replies, tally_error *err);
/* Like tally_conn_pipeline() for commands whose replies are normally integers (HINCRBY):
 * commands are written as RESP directly and integer replies parsed in place. Reply i is an
 * integer in values[i] with replies[i] NULL, or any other reply in replies[i] (freed by the
 * caller). *received counts the replies read, also on an I/O error: then the commands
 * from *received on may or may not have run (they are never sent again), unless
 * *received is -1: nothing was written. replies[i] for i < *received are always set. */
tally_code tally_conn_pipeline_int(tally_conn *conn, int n, const int *argc,
                                   const char *const *const *argv, const size_t *const *argvlen,
                                   long long *values, redisReply **replies, int *received, tally_error *err);

/* TALLY_ERR_CONNECT here means nothing of a command was sent (a cluster reroutes then). */
tally_code tally_conn_connect(tally_conn *conn, tally_error *err);
int tally_conn_is_cluster(const tally_conn *conn);
struct tally_cluster *tally_conn_cluster(tally_conn *conn);

#define TALLY_WAIT_CONNECTED (-1)
/* Every later round trip on conn ends with WAIT: `replicas` >= 1 replicas, or with
 * TALLY_WAIT_CONNECTED every replica connected to that Redis at that moment; 0 = off (back
 * to the connection's own wait_replicas option). timeout in seconds. On a cluster front it
 * applies to every node. A pooled connection keeps it for its next users: set 0 when done. */
void tally_conn_set_wait(tally_conn *conn, int replicas, double timeout);
double tally_conn_read_timeout(const tally_conn *conn);
/* connected_slaves of INFO replication, asked now (no WAIT after it); not on a cluster front. */
tally_code tally_conn_info_replicas(tally_conn *conn, int *replicas, tally_error *err);
const char *tally_conn_describe(const tally_conn *conn);

void tally_pool_destroy(tally_pool *pool);

#endif
