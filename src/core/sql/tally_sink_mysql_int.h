/* What the two files of the MariaDB/MySQL sink share (not a public header): the session's
 * state, the helpers every statement uses, and the batch upsert.
 *
 *   tally_mysql_prepare()       a prepared statement, or NULL with err filled
 *   tally_mysql_stmt_fail()     a statement's error as the sink reports it (data rejections
 *                               are TALLY_ERR_REJECTED; a lost session is closed)
 *   tally_mysql_read_fence()    SELECT the run's fence [FOR UPDATE]
 *   tally_mysql_upsert()        one multi-row upsert of a batch (tally_sink_mysql_upsert.c)
 *   tally_mysql_upsert_reset()  forget the session's prepared upsert (the session ended)
 *   tally_mysql_upsert_free()   free the upsert's buffers
 *   tally_mysql_ensure_connected()  a live session, autocommit on (batch 0) or off (1)
 *   tally_mysql_read_statement() / tally_mysql_read_run()   the read statements kept per shape
 *   tally_mysql_read_owners() / tally_mysql_rank()   the sink's reads of many owners and
 *                               rankings (tally_sink_mysql_rank.c)
 */
#ifndef TALLY_SINK_MYSQL_INT_H
#define TALLY_SINK_MYSQL_INT_H

#include <mysql.h>
#include <string.h>
#include <sys/types.h>

#include "sql/tally_sink.h"
#include "util/tally_period.h"

/* A read statement kept prepared on the server, one per shape (tally_sink_read_sql(): n keys,
 * tally_read_shape()), with its parameters' binds; closed with the session. */
#define TALLY_MYSQL_READ_STMTS 8
typedef struct {
    MYSQL_STMT *st;
    size_t shape;
    unsigned long used;        /* when last used (read_clock): the least recent gives way */
    MYSQL_BIND *in;
    unsigned long *lens;
} tally_mysql_read_stmt;

typedef struct {
    MYSQL *db;
    pid_t pid;                 /* the process that opened db */
    tally_mysql_read_stmt reads[TALLY_MYSQL_READ_STMTS];
    unsigned long read_clock;
    MYSQL_STMT *chunk;         /* the TALLY_SINK_CHUNK-row upsert, prepared once per connection */
    MYSQL_BIND *binds;         /* an upsert's parameters, kept between batches */
    unsigned long *lens;
    long long *nums;
    char *dates;               /* the rows' period_start as "YYYY-MM-DD", NUL-separated */
    size_t cap_binds, cap_lens, cap_nums, cap_dates;
    /* The chunk statement is bound once to fixed slots; a batch only copies its values in
     * (rebinding 5000 parameters copies far more than the values themselves). */
    char *slots;
    MYSQL_BIND *slot_binds;
    unsigned long *slot_lens;
    long long *slot_nums;
    int slots_bound;           /* m->chunk is bound to the slots */
    /* The fence check's parameters (every upsert's first row), bound by address. */
    char fence_run[TALLY_PREFIX_MAX];
    unsigned long fence_run_len;
    long long fence;
    /* Batches run with autocommit off: the first upsert then opens the transaction, which
     * saves the START TRANSACTION round trip on every batch. Everything else runs with it
     * on, so that no read ever sits in a transaction (and its old snapshot). */
    int autocommit_off;
    char *host, *socket, *user, *password, *database;
    char *tls_ca_file, *tls_cert_file, *tls_key_file;
    int tls, tls_verify;
    long port;
    unsigned connect_timeout, read_timeout;
    char where[300];
} mysql_impl;

static inline mysql_impl *impl_of(tally_sink *s)
{
    return (mysql_impl *)s->impl;
}

static inline void tally_mysql_bind_str(MYSQL_BIND *b, const char *v, size_t len, unsigned long *lenbuf)
{
    memset(b, 0, sizeof(*b));
    *lenbuf = (unsigned long)len;
    b->buffer_type = MYSQL_TYPE_STRING;
    b->buffer = (void *)v;
    b->buffer_length = (unsigned long)len;
    b->length = lenbuf;
}

static inline void tally_mysql_bind_ll(MYSQL_BIND *b, long long *v)
{
    memset(b, 0, sizeof(*b));
    b->buffer_type = MYSQL_TYPE_LONGLONG;
    b->buffer = v;
}

/* A result column of type DATE (period_start) bound to t: the client library hands over its
 * fields, not a string it formats for every row. */
static inline void tally_mysql_bind_date(MYSQL_BIND *b, MYSQL_TIME *t)
{
    memset(b, 0, sizeof(*b));
    memset(t, 0, sizeof(*t));
    b->buffer_type = MYSQL_TYPE_DATE;
    b->buffer = t;
    b->buffer_length = (unsigned long)sizeof(*t);
}

/* A row's period_start as days since 1970-01-01 (0 when no real day, as a lifetime row). */
static inline int32_t tally_mysql_row_day(const MYSQL_TIME *t)
{
    int32_t day = tally_period_civil_days((int32_t)t->year, (int32_t)t->month, (int32_t)t->day);
    return day < 0 ? 0 : day;
}

MYSQL_STMT *tally_mysql_prepare(tally_sink *s, const char *sql, const char *doing, tally_error *err);
tally_code tally_mysql_stmt_fail(tally_sink *s, MYSQL_STMT *st, const char *doing, tally_error *err);
tally_code tally_mysql_read_fence(tally_sink *s, const char *run, size_t run_len, int lock, long long *fence,
                                  tally_error *err);
tally_code tally_mysql_upsert(tally_sink *s, const tally_fence *f, const tally_row *rows, size_t n, tally_error *err);
void tally_mysql_upsert_reset(mysql_impl *m);
void tally_mysql_upsert_free(mysql_impl *m);
tally_code tally_mysql_ensure_connected(tally_sink *s, int batch, tally_error *err);
/* The kept read statement of a shape: of one owner (nids 0) or of nids owners, nkeys keys. */
tally_mysql_read_stmt *tally_mysql_read_statement(tally_sink *s, const tally_read_query *q, size_t nids, size_t nkeys,
                                                  tally_error *err);
/* Executes kept statement r (parameters bound in r->in) with its results bound to out, and
 * fetches every row, calling row(ud) for each until it returns non-zero (*stopped); a failed
 * statement is dropped (prepared anew next time). */
tally_code tally_mysql_read_run(tally_sink *s, tally_mysql_read_stmt *r, MYSQL_BIND *out, int (*row)(void *ud), void *ud,
                               int *stopped, tally_error *err);
tally_code tally_mysql_read_owners(tally_sink *s, const tally_owners_query *q, tally_owner_row_cb cb, void *ud,
                                   tally_error *err);
tally_code tally_mysql_rank(tally_sink *s, const tally_rank_query *q, tally_rank_cb cb, void *ud, tally_error *err);

#endif
