/* The SQL sink interface: what the sync engine and the exact reads need from a database,
 * so that they never know which one they talk to. Drivers: tally_sink_mysql.c (libmariadb),
 * tally_sink_sqlite.c (libsqlite3); the PHP binding adds one that calls PHP code.
 *
 *   begin_run()    bump and return the fence for a sync run (see tally_sync.h)
 *   write_batch()  in ONE transaction: check the fence is still ours, then upsert
 *                  count = count + delta, sync_seq = seq for every row.
 *                  TALLY_ERR_REJECTED when the database refuses a row for its data
 *                  (too long, out of range, a CHECK or a trigger), as opposed to a lost
 *                  connection, a lock, a fence taken over, ...: only then can narrowing
 *                  the batch help
 *   try_batch()    the same, rolled back: whether these rows would be accepted. NULL
 *                  when the sink cannot tell (a PHP Tally\Sink that is no NarrowingSink):
 *                  its batches fail whole
 *   read()         stored counters of an owner: key, period start, count and sync_seq of the
 *                  rows a tally_read_query selects (some or all keys of one period kind
 *                  over a range of starts; or one row carrying a given sync_seq)
 *   read_owners()  the same for many owners of one type at once (one query per chunk):
 *                  rows carry their owner id (getForMany, top lists)
 *   rank()         the `limit` stored counters of one period with the highest counts: of
 *                  one key across the owners of a type, or of one owner across its keys
 *   execute()      run one statement without parameters (the schema's DDL)
 *   shape()        which shape the counters table has, asking the database for its columns
 *                  (NULL: the sink manages its own tables, the PHP sink)
 *   destroy()      close and free
 *   tally_sink_create_tables()   the schema's CREATE TABLE statements through execute(),
 *                                then the upgrade of a table of an earlier release (shape())
 *   tally_sink_write_fenced()    write_batch() (commit = 1) and try_batch() (commit = 0)
 *                                for SQL drivers: the fence check, chunking, failpoint and
 *                                commit/rollback, once, over a driver's transaction
 *                                primitives (tally_sql_tx)
 *   tally_sink_fence_moved()     the error of a batch whose run was taken over
 *   tally_sink_read_sql()        the SELECT of a read query, for SQL drivers (one place)
 *   tally_sink_mysql_open() / tally_sink_sqlite_open()   the native drivers
 */
#ifndef TALLY_SINK_H
#define TALLY_SINK_H

#include <stddef.h>

#include "util/tally_error.h"
#include "util/tally_types.h"
#include "sql/tally_schema.h"

typedef struct tally_sink tally_sink;

/* Which stored counters of an owner read() hands out. With seq > 0: any ONE row of the owner,
 * whatever its key and period, whose sync_seq is seq (did that claim commit? tally_sync.h).
 * Otherwise the rows of period kind `period` (NONE: lifetime) whose period_start lies in
 * [from, to] (days since 1970-01-01; 0..0 for lifetime), of the n keys given (n == 0: all). */
typedef struct {
    size_t n;
    const char *const *keys;
    const size_t *key_lens;
    tally_period period;
    int32_t from, to;
    long long seq;
} tally_read_query;

/* read_owners(): the rows of query q (n keys or all, one period kind and range; q.seq unused)
 * of the n_ids owners of type `type`. */
typedef struct {
    const char *type;
    size_t type_len;
    size_t n_ids;
    const char *const *ids;
    const size_t *id_lens;
    tally_read_query q;
} tally_owners_query;

/* One stored row of read_owners(); non-zero stops the iteration. */
typedef int (*tally_owner_row_cb)(void *ud, const char *id, size_t id_len, const char *key, size_t key_len,
                                  int32_t period_start, long long count, long long seq);

/* rank(): with id NULL the owners of `type` by their counter `key`, with key NULL the keys of
 * owner (type, id); of period kind `period` (NONE: lifetime) at `start`; count descending,
 * then name ascending (bytes), at most `limit` rows. */
typedef struct {
    const char *type;
    size_t type_len;
    const char *id;
    size_t id_len;
    const char *key;
    size_t key_len;
    tally_period period;
    int32_t start;
    size_t limit;
} tally_rank_query;

/* One row of rank(): the owner id (ranking owners) or the key (ranking keys), its count. */
typedef int (*tally_rank_cb)(void *ud, const char *name, size_t len, long long count);

typedef struct {
    const char *driver;
    /* Non-zero when the driver runs user code (the PHP sink), which might use the sync's
     * Redis connection: the engine then leaves no reply outstanding across its calls. */
    int calls_out;
    tally_code (*begin_run)(tally_sink *s, const char *run, size_t run_len, long long *fence, tally_error *err);
    tally_code (*write_batch)(tally_sink *s, const char *run, size_t run_len, long long fence,
                              const tally_row *rows, size_t n, tally_error *err);
    tally_code (*try_batch)(tally_sink *s, const char *run, size_t run_len, long long fence,
                            const tally_row *rows, size_t n, tally_error *err);
    tally_code (*read)(tally_sink *s, const tally_owner *o, const tally_read_query *q,
                       tally_row_cb cb, void *ud, tally_error *err);
    tally_code (*read_owners)(tally_sink *s, const tally_owners_query *q, tally_owner_row_cb cb, void *ud,
                              tally_error *err);
    tally_code (*rank)(tally_sink *s, const tally_rank_query *q, tally_rank_cb cb, void *ud, tally_error *err);
    tally_code (*execute)(tally_sink *s, const char *sql, tally_error *err);
    tally_code (*shape)(tally_sink *s, tally_schema_shape *out, tally_error *err);
    void (*destroy)(tally_sink *s);
} tally_sink_ops;

struct tally_sink {
    const tally_sink_ops *ops;
    char table[64];
    void *impl;
};

typedef struct {
    const char *host;
    long port;
    const char *socket;
    const char *user;
    const char *password;
    const char *database;
    double connect_timeout;
    double read_timeout;
    const char *table;
    int tls;                    /* TLS required: the connection fails rather than go plain */
    const char *tls_ca_file;    /* NULL or "": libmariadb's default CAs */
    const char *tls_cert_file;  /* client certificate, with tls_key_file */
    const char *tls_key_file;
    int tls_verify;             /* verify the server's certificate and host name */
} tally_mysql_opts;

typedef struct {
    const char *path;
    double busy_timeout;
    const char *table;
} tally_sqlite_opts;

/* The fence a batch was written under: the run's name and the fence begin_run() gave it. */
typedef struct {
    const char *run;
    size_t run_len;
    long long fence;
} tally_fence;

/* The transaction primitives of an SQL driver; the protocol around them is shared. */
typedef struct {
    tally_code (*begin)(tally_sink *s, tally_error *err);
    /* The run's fence inside the transaction, locking its row where the engine can.
     * NULL when the driver's upsert checks the fence itself (one round trip less). */
    tally_code (*locked_fence)(tally_sink *s, const char *run, size_t run_len, long long *fence, tally_error *err);
    /* One multi-row upsert of at most TALLY_SINK_CHUNK rows, which may name a counter more
     * than once (tally_sink_pad()): each row adds its delta in turn. Without locked_fence,
     * the same statement re-reads the fence under a lock held until the transaction ends,
     * and fails with tally_sink_fence_moved() unless it is still f->fence. */
    tally_code (*upsert)(tally_sink *s, const tally_fence *f, const tally_row *rows, size_t n, tally_error *err);
    tally_code (*commit)(tally_sink *s, tally_error *err);
    void (*rollback)(tally_sink *s);
} tally_sql_tx;

tally_code tally_sink_create_tables(tally_sink *s, tally_error *err);
tally_code tally_sink_write_fenced(tally_sink *s, const tally_sql_tx *tx, const char *run, size_t run_len,
                                   long long fence, const tally_row *rows, size_t n, int commit, tally_error *err);
tally_code tally_sink_fence_moved(tally_error *err, long long current, long long ours);

/* Keys per read statement: far below every engine's placeholder limit. */
#define TALLY_SINK_READ_CHUNK 500

/* A read of ONE period start (a lifetime read, or one period's): its statement asks
 * period_start = ? (a point lookup of the unique key, the start bound once) instead of a
 * range, and its rows' starts are q->from, not parsed. */
static inline int tally_read_one_start(const tally_read_query *q)
{
    return q->seq <= 0 && q->from == q->to;    /* a read by seq is of no start */
}

/* What a driver keeps a prepared read statement by: nkeys keys (0: all) of nids owners (0:
 * one owner's read), a range or one start; or TALLY_READ_BY_SEQ. */
#define TALLY_READ_BY_SEQ ((size_t)-1)
static inline size_t tally_read_shape(const tally_read_query *q, size_t nids, size_t nkeys)
{
    if (q->seq > 0) return TALLY_READ_BY_SEQ;
    return ((size_t)tally_read_one_start(q) << 30) | (nids << 16) | nkeys;
}

/* SELECT key, period_start ('YYYY-MM-DD'), count, sync_seq of query q with nkeys of its keys
 * (at most TALLY_SINK_READ_CHUNK), malloc'd; NULL when out of memory. Its parameters, in
 * order: owner_type, owner_id, then q->seq (an integer) when q->seq > 0, else the period's
 * name, the first and last start ('YYYY-MM-DD'; the one start alone when
 * tally_read_one_start()) and the nkeys keys. */
char *tally_sink_read_sql(tally_dialect d, const char *table, const tally_read_query *q, size_t nkeys);
/* SELECT owner_id, key, period_start, count, sync_seq of nids owners and nkeys keys of q
 * (nids + nkeys at most TALLY_SINK_READ_CHUNK; nkeys 0: every key). Parameters: owner_type,
 * the nids ids, the period's name, the first and last start (or the one), the nkeys keys. */
char *tally_sink_read_owners_sql(tally_dialect d, const char *table, const tally_read_query *q, size_t nids,
                                 size_t nkeys);
/* SELECT name, count of a rank query (the limit written in). Parameters: owner_type, then the
 * key (ranking owners) or the owner id (ranking keys), the period's name, the start. */
char *tally_sink_rank_sql(tally_dialect d, const char *table, const tally_rank_query *q);
/* read_owners() for SQL drivers: q cut into queries that fit one statement (ids and keys
 * together at most TALLY_SINK_READ_CHUNK), each run by one(). */
typedef tally_code (*tally_sink_owners_fn)(tally_sink *s, const tally_owners_query *q, tally_owner_row_cb cb, void *ud,
                                           tally_error *err);
tally_code tally_sink_read_owners_chunked(tally_sink *s, const tally_owners_query *q, tally_sink_owners_fn one,
                                          tally_owner_row_cb cb, void *ud, tally_error *err);
tally_code tally_sink_mysql_open(const tally_mysql_opts *o, tally_sink **out, tally_error *err);
tally_code tally_sink_sqlite_open(const tally_sqlite_opts *o, tally_sink **out, tally_error *err);

/* Rows per multi-row statement: 1000 rows x 7 parameters stays far below both engines'
 * placeholder limits and is where multi-row upserts stop getting faster. */
#define TALLY_SINK_CHUNK 1000

/* A chunk this many rows or fewer short of TALLY_SINK_CHUNK is padded to it. */
#define TALLY_SINK_PAD_MAX (TALLY_SINK_CHUNK / 16)

/* The n rows of a chunk (TALLY_SINK_CHUNK - TALLY_SINK_PAD_MAX <= n <= TALLY_SINK_CHUNK)
 * copied to out as TALLY_SINK_CHUNK rows, the last one repeated with delta 0: the repeats
 * add 0 and set the sync_seq the row already set, so the drivers' one prepared full-size
 * upsert writes what a statement prepared for n rows would (one prepare, one round trip
 * and one statement less per batch). Returns TALLY_SINK_CHUNK. */
size_t tally_sink_pad(const tally_row *rows, size_t n, tally_row *out);

#endif
