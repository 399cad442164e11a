/* The MariaDB/MySQL sink (libmariadb): prepared statements only; every batch in one
 * transaction (tally_sink_write_fenced) of multi-row INSERT ... ON DUPLICATE KEY UPDATE
 * upserts. A dropped connection is reopened on the next call, never mid-batch.
 *
 * The fence check rides in the upsert itself, so a batch costs what a bare transaction
 * does (upsert + COMMIT): the first row's sync_seq is
 *     (SELECT ? FROM <table>_sync WHERE name = ? AND fence = ? LOCK IN SHARE MODE)
 * which is the row's seq while the fence is ours and NULL once a newer run took it. NULL
 * into the NOT NULL column fails the statement (the session runs in strict mode, set at
 * connect; every run first checks the column is NOT NULL), and the shared lock on the fence
 * row, held to the commit, makes a new run's fence increment wait for our batch to end.
 * The same check of the table's columns refuses a table of an earlier release's shape.
 * The upsert statement itself (its parameters bound once to fixed slots): tally_sink_mysql_upsert.c. */
#include "sql/tally_sink_mysql_int.h"
#include "util/tally_proc.h"
#include "sql/tally_schema.h"

#include <errmsg.h>
#include <mysqld_error.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static void drop_read(tally_mysql_read_stmt *r)
{
    if (r->st) mysql_stmt_close(r->st);
    free(r->in);
    free(r->lens);
    memset(r, 0, sizeof(*r));
}

static void disconnect(mysql_impl *m)
{
    if (m->db && m->pid != tally_proc_pid()) {
        /* A forked child must not say goodbye on its parent's session: mysql_close()
         * sends COM_QUIT. Point the inherited descriptor at /dev/null first, so the
         * farewell goes nowhere and only the child's copy is closed. */
        int fd = (int)mysql_get_socket(m->db), nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (fd >= 0 && nul >= 0) dup2(nul, fd);
        if (nul >= 0) close(nul);
    }
    tally_mysql_upsert_reset(m);
    for (size_t i = 0; i < TALLY_MYSQL_READ_STMTS; i++) drop_read(&m->reads[i]);
    m->autocommit_off = 0;     /* a new session starts with autocommit on */
    if (m->db) {
        mysql_close(m->db);
        m->db = NULL;
    }
}

/* Errors that name a row's data, never the session: the sync narrows a batch to such rows
 * and sets them aside. ER_SIGNAL_EXCEPTION is a trigger refusing a row; the upsert's fence
 * check fails with ER_BAD_NULL_ERROR, which is deliberately not here. */
static int data_rejection(unsigned errnum)
{
    switch (errnum) {
    case ER_DATA_TOO_LONG:
    case ER_WARN_DATA_OUT_OF_RANGE:
    case ER_DATA_OUT_OF_RANGE:
    case ER_TRUNCATED_WRONG_VALUE:
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
    case ER_SIGNAL_EXCEPTION:
#ifdef ER_CONSTRAINT_FAILED
    case ER_CONSTRAINT_FAILED:
#endif
#ifdef ER_CHECK_CONSTRAINT_VIOLATED
    case ER_CHECK_CONSTRAINT_VIOLATED:
#endif
        return 1;
    }
    return 0;
}

static tally_code fail(tally_sink *s, unsigned errnum, const char *msg, const char *doing, tally_error *err)
{
    mysql_impl *m = impl_of(s);
    tally_code rc;
    if (data_rejection(errnum)) {
        rc = tally_error_set(err, TALLY_ERR_REJECTED, "MySQL %s: %s: %s", m->where, doing, msg);
    } else if (errnum == ER_BAD_FIELD_ERROR && strstr(msg, "period")) {
        rc = tally_error_set(err, TALLY_ERR_DATABASE,
                             "MySQL %s: %s: %s: the table has the shape of an earlier Tally release; upgrade it with "
                             "Tally\\Database::createTables() or `php artisan migrate`", m->where, doing, msg);
    } else if (errnum == ER_NO_SUCH_TABLE) {
        rc = tally_error_set(err, TALLY_ERR_DATABASE,
                             "MySQL %s: %s: %s: create it with Tally\\Database::createTables() or `php artisan migrate`",
                             m->where, doing, msg);
    } else {
        rc = tally_error_set(err, TALLY_ERR_DATABASE, "MySQL %s: %s: %s", m->where, doing, msg);
    }
    /* Client-side errors (2xxx: gone away, lost, timeout) leave the session unusable. */
    if (errnum >= 2000 && errnum < 3000) disconnect(m);
    return rc;
}

static tally_code db_fail(tally_sink *s, const char *doing, tally_error *err)
{
    MYSQL *db = impl_of(s)->db;
    return fail(s, mysql_errno(db), mysql_error(db), doing, err);
}

tally_code tally_mysql_stmt_fail(tally_sink *s, MYSQL_STMT *st, const char *doing, tally_error *err)
{
    return fail(s, mysql_stmt_errno(st), mysql_stmt_error(st), doing, err);
}

static tally_code connect_db(tally_sink *s, tally_error *err)
{
    mysql_impl *m = impl_of(s);
    unsigned proto = MYSQL_PROTOCOL_TCP;
    if (m->db && m->pid != tally_proc_pid()) disconnect(m);
    if (m->db) {
        /* Idle, a healthy session has nothing to read: readable means the server closed it
         * (KILL, wait_timeout, restart). Reopening is safe, nothing of ours is in flight. */
        struct pollfd p = {.fd = (int)mysql_get_socket(m->db), .events = POLLIN, .revents = 0};
        if (p.fd < 0 || poll(&p, 1, 0) != 0) disconnect(m);
    }
    if (m->db) return TALLY_OK;
    if (!(m->db = mysql_init(NULL))) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory connecting to MySQL");
    mysql_options(m->db, MYSQL_OPT_CONNECT_TIMEOUT, &m->connect_timeout);
    mysql_options(m->db, MYSQL_OPT_READ_TIMEOUT, &m->read_timeout);
    mysql_options(m->db, MYSQL_OPT_WRITE_TIMEOUT, &m->read_timeout);
    mysql_options(m->db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    /* Strict: the upsert's fence check relies on NULL into a NOT NULL column failing. */
    mysql_options(m->db, MYSQL_INIT_COMMAND,
                  "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')");
    if (!m->socket) mysql_options(m->db, MYSQL_OPT_PROTOCOL, &proto);
    if (m->tls) {
        /* Enforced: a server without TLS is an error, never a silent plain connection. */
        my_bool on = 1, verify = m->tls_verify ? 1 : 0;
        mysql_options(m->db, MYSQL_OPT_SSL_ENFORCE, &on);
        mysql_options(m->db, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
        /* libmariadb verifies the chain whenever it has CAs: with verify off it gets none. */
        if (m->tls_ca_file && m->tls_verify) mysql_options(m->db, MYSQL_OPT_SSL_CA, m->tls_ca_file);
        if (m->tls_cert_file) mysql_options(m->db, MYSQL_OPT_SSL_CERT, m->tls_cert_file);
        if (m->tls_key_file) mysql_options(m->db, MYSQL_OPT_SSL_KEY, m->tls_key_file);
    }
    if (!mysql_real_connect(m->db, m->socket ? "localhost" : m->host, m->user, m->password ? m->password : "",
                            m->database, (unsigned)m->port, m->socket, 0)) {
        /* The server's text names the user, never the password. */
        tally_code rc = tally_error_set(err, TALLY_ERR_DATABASE, "cannot connect to MySQL at %s: %s",
                                        m->where, mysql_error(m->db));
        disconnect(m);
        return rc;
    }
    m->pid = tally_proc_pid();
    return TALLY_OK;
}

/* A live session with autocommit on (batch = 0) or off (batch = 1). */
static tally_code ensure_connected(tally_sink *s, int batch, tally_error *err)
{
    mysql_impl *m = impl_of(s);
    tally_code rc = connect_db(s, err);
    if (rc || m->autocommit_off == batch) return rc;
    if (mysql_autocommit(m->db, batch ? 0 : 1)) return db_fail(s, "setting autocommit", err);
    m->autocommit_off = batch;
    return TALLY_OK;
}

tally_code tally_mysql_ensure_connected(tally_sink *s, int batch, tally_error *err)
{
    return ensure_connected(s, batch, err);
}

static tally_code query(tally_sink *s, const char *sql, const char *doing, tally_error *err)
{
    if (mysql_query(impl_of(s)->db, sql) != 0) return db_fail(s, doing, err);
    return TALLY_OK;
}

static void rollback(tally_sink *s)
{
    if (impl_of(s)->db) mysql_query(impl_of(s)->db, "ROLLBACK");
}

MYSQL_STMT *tally_mysql_prepare(tally_sink *s, const char *sql, const char *doing, tally_error *err)
{
    MYSQL_STMT *st = mysql_stmt_init(impl_of(s)->db);
    if (!st) {
        db_fail(s, doing, err);
        return NULL;
    }
    if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
        tally_mysql_stmt_fail(s, st, doing, err);
        mysql_stmt_close(st);
        return NULL;
    }
    return st;
}

tally_code tally_mysql_read_fence(tally_sink *s, const char *run, size_t run_len, int lock, long long *fence, tally_error *err)
{
    char sql[200];
    MYSQL_STMT *st;
    MYSQL_BIND in, out;
    unsigned long len;
    long long v = 0;
    tally_code rc = TALLY_OK;
    int f;

    snprintf(sql, sizeof(sql), "SELECT `fence` FROM `%s_sync` WHERE `name` = ?%s", s->table, lock ? " FOR UPDATE" : "");
    if (!(st = tally_mysql_prepare(s, sql, "reading the fence", err))) return err->code;
    tally_mysql_bind_str(&in, run, run_len, &len);
    tally_mysql_bind_ll(&out, &v);
    if (mysql_stmt_bind_param(st, &in) || mysql_stmt_execute(st) || mysql_stmt_bind_result(st, &out)) {
        rc = tally_mysql_stmt_fail(s, st, "reading the fence", err);
    } else {
        f = mysql_stmt_fetch(st);
        if (f == 1) rc = tally_mysql_stmt_fail(s, st, "reading the fence", err);
        while (f == 0) f = mysql_stmt_fetch(st);
    }
    mysql_stmt_close(st);
    *fence = v;
    return rc;
}

/* The table's columns in one query: how many, whether the period columns are there and
 * whether sync_seq allows NULL. */
typedef struct {
    long long columns, period, period_start, seq_nullable;
} table_columns;

static tally_code read_columns(tally_sink *s, table_columns *c, tally_error *err)
{
    MYSQL_STMT *st;
    MYSQL_BIND in, out[4];
    unsigned long len;
    tally_code rc = TALLY_OK;
    int f;

    memset(c, 0, sizeof(*c));
    if (!(st = tally_mysql_prepare(s, "SELECT COUNT(*), CAST(COALESCE(SUM(`COLUMN_NAME` = 'period'), 0) AS SIGNED), "
                          "CAST(COALESCE(SUM(`COLUMN_NAME` = 'period_start'), 0) AS SIGNED), "
                          "CAST(COALESCE(SUM(`COLUMN_NAME` = 'sync_seq' AND `IS_NULLABLE` = 'YES'), 0) AS SIGNED) "
                          "FROM `information_schema`.`COLUMNS` WHERE `TABLE_SCHEMA` = DATABASE() AND `TABLE_NAME` = ?",
                       "checking the table", err))) {
        return err->code;
    }
    tally_mysql_bind_str(&in, s->table, strlen(s->table), &len);
    tally_mysql_bind_ll(&out[0], &c->columns);
    tally_mysql_bind_ll(&out[1], &c->period);
    tally_mysql_bind_ll(&out[2], &c->period_start);
    tally_mysql_bind_ll(&out[3], &c->seq_nullable);
    if (mysql_stmt_bind_param(st, &in) || mysql_stmt_execute(st) || mysql_stmt_bind_result(st, out)) {
        rc = tally_mysql_stmt_fail(s, st, "checking the table", err);
    } else {
        f = mysql_stmt_fetch(st);
        if (f == 1) rc = tally_mysql_stmt_fail(s, st, "checking the table", err);
        while (f == 0 || f == MYSQL_DATA_TRUNCATED) f = mysql_stmt_fetch(st);
    }
    mysql_stmt_close(st);
    return rc;
}

static tally_code mysql_shape(tally_sink *s, tally_schema_shape *out, tally_error *err)
{
    table_columns c;
    tally_code rc;
    if ((rc = ensure_connected(s, 0, err)) || (rc = read_columns(s, &c, err))) return rc;
    return tally_schema_shape_of(s->table, (int)c.columns, c.period > 0, c.period_start > 0, out, err);
}

/* Checked once per run, in one query: the upsert's fence check needs sync_seq NOT NULL (as
 * the schema's DDL makes it; a column altered to allow NULL would take the check's NULL
 * silently), and its columns need the current shape. A missing table is left to the
 * statements that follow, whose error says how to create it. */
static tally_code check_table(tally_sink *s, tally_error *err)
{
    table_columns c;
    tally_schema_shape shape;
    tally_code rc;
    char where[320];

    if ((rc = read_columns(s, &c, err))) return rc;
    if (c.seq_nullable) {
        return tally_error_set(err, TALLY_ERR_DATABASE,
                               "MySQL %s: `%s`.`sync_seq` allows NULL: the sync needs it NOT NULL, as "
                               "Tally\\Database::schema() creates it (ALTER TABLE `%s` MODIFY `sync_seq` BIGINT NOT NULL DEFAULT 0)",
                               impl_of(s)->where, s->table, s->table);
    }
    if ((rc = tally_schema_shape_of(s->table, (int)c.columns, c.period > 0, c.period_start > 0, &shape, err))) return rc;
    if (shape == TALLY_SHAPE_OLD) {
        snprintf(where, sizeof(where), "MySQL %s", impl_of(s)->where);
        return tally_schema_old_shape(err, where, s->table);
    }
    return TALLY_OK;
}

/* The new fence is above every prefix's (see tally_sync.h): the fences are read FOR UPDATE,
 * which also locks the gap a new prefix's row would go in, so two runs taking fences at once
 * take them one after the other. */
static tally_code mysql_begin_run(tally_sink *s, const char *run, size_t run_len, long long *fence, tally_error *err)
{
    char sql[300];
    MYSQL_STMT *st;
    MYSQL_BIND in[2], out;
    unsigned long len;
    long long top = 0;
    tally_code rc;
    int f;

    if ((rc = ensure_connected(s, 0, err)) || (rc = check_table(s, err)) || (rc = ensure_connected(s, 1, err))) return rc;
    snprintf(sql, sizeof(sql), "SELECT COALESCE(MAX(`fence`), 0) FROM `%s_sync` FOR UPDATE", s->table);
    if (!(st = tally_mysql_prepare(s, sql, "taking the sync fence", err))) goto fail;
    tally_mysql_bind_ll(&out, &top);
    if (mysql_stmt_execute(st) || mysql_stmt_bind_result(st, &out) || (f = mysql_stmt_fetch(st)) == 1) {
        rc = tally_mysql_stmt_fail(s, st, "taking the sync fence", err);
    } else {
        while (f == 0) f = mysql_stmt_fetch(st);
    }
    mysql_stmt_close(st);
    if (rc) goto fail;
    *fence = top + 1;
    snprintf(sql, sizeof(sql),
             "INSERT INTO `%s_sync` (`name`, `fence`, `updated_at`) VALUES (?, ?, NOW()) "
             "ON DUPLICATE KEY UPDATE `fence` = VALUES(`fence`), `updated_at` = NOW()", s->table);
    if (!(st = tally_mysql_prepare(s, sql, "taking the sync fence", err))) goto fail;
    tally_mysql_bind_str(&in[0], run, run_len, &len);
    tally_mysql_bind_ll(&in[1], fence);
    if (mysql_stmt_bind_param(st, in) || mysql_stmt_execute(st)) rc = tally_mysql_stmt_fail(s, st, "taking the sync fence", err);
    mysql_stmt_close(st);
    if (rc || (rc = mysql_commit(impl_of(s)->db) ? db_fail(s, "committing the fence", err) : TALLY_OK)) goto fail;
    return TALLY_OK;
fail:
    rollback(s);
    return rc ? rc : err->code;
}

static tally_code mysql_begin(tally_sink *s, tally_error *err)
{
    /* With autocommit off the first upsert starts the transaction: no START TRANSACTION. */
    return ensure_connected(s, 1, err);
}

static tally_code mysql_commit_tx(tally_sink *s, tally_error *err)
{
    return mysql_commit(impl_of(s)->db) != 0 ? db_fail(s, "committing a batch", err) : TALLY_OK;
}

static const tally_sql_tx mysql_tx = {mysql_begin, NULL, tally_mysql_upsert, mysql_commit_tx, rollback};

static tally_code mysql_write_batch(tally_sink *s, const char *run, size_t run_len, long long fence,
                                    const tally_row *rows, size_t n, tally_error *err)
{
    return tally_sink_write_fenced(s, &mysql_tx, run, run_len, fence, rows, n, 1, err);
}

static tally_code mysql_try_batch(tally_sink *s, const char *run, size_t run_len, long long fence,
                                  const tally_row *rows, size_t n, tally_error *err)
{
    return tally_sink_write_fenced(s, &mysql_tx, run, run_len, fence, rows, n, 0, err);
}

/* The read statement of this shape (nids 0: of one owner, else of nids owners), prepared once
 * per session; NULL with err filled. A reconnect closes them all (disconnect()), so a new
 * session prepares its own. */
tally_mysql_read_stmt *tally_mysql_read_statement(tally_sink *s, const tally_read_query *q, size_t nids, size_t nkeys,
                                                  tally_error *err)
{
    mysql_impl *m = impl_of(s);
    size_t shape = tally_read_shape(q, nids, nkeys), victim = 0;
    tally_mysql_read_stmt *r;
    char *sql;

    for (size_t i = 0; i < TALLY_MYSQL_READ_STMTS; i++) {
        r = &m->reads[i];
        if (r->st && r->shape == shape) {
            r->used = ++m->read_clock;
            return r;
        }
        if (!r->st || (m->reads[victim].st && r->used < m->reads[victim].used)) victim = i;
    }
    r = &m->reads[victim];
    drop_read(r);
    sql = nids ? tally_sink_read_owners_sql(TALLY_DIALECT_MYSQL, s->table, q, nids, nkeys)
               : tally_sink_read_sql(TALLY_DIALECT_MYSQL, s->table, q, nkeys);
    r->in = calloc(nids + nkeys + 5, sizeof(*r->in));
    r->lens = calloc(nids + nkeys + 5, sizeof(*r->lens));
    if (!sql || !r->in || !r->lens) {
        free(sql);
        drop_read(r);
        tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        return NULL;
    }
    r->st = tally_mysql_prepare(s, sql, "reading counters", err);
    free(sql);
    if (!r->st) {
        /* tally_mysql_prepare() may have closed the session, and with it every entry. */
        drop_read(r);
        return NULL;
    }
    r->shape = shape;
    r->used = ++m->read_clock;
    return r;
}

tally_code tally_mysql_read_run(tally_sink *s, tally_mysql_read_stmt *r, MYSQL_BIND *out, int (*row)(void *ud), void *ud,
                               int *stopped, tally_error *err)
{
    tally_code rc = TALLY_OK;
    int f;
    *stopped = 0;
    if (mysql_stmt_bind_param(r->st, r->in) || mysql_stmt_execute(r->st) || mysql_stmt_bind_result(r->st, out)) {
        rc = tally_mysql_stmt_fail(s, r->st, "reading counters", err);
    } else {
        /* Every row is fetched, also after the caller stopped: the session must be idle for
         * the next statement, and the statement ready for the next read. */
        while ((f = mysql_stmt_fetch(r->st)) == 0 || f == MYSQL_DATA_TRUNCATED) {
            if (!*stopped) *stopped = row(ud);
        }
        if (f == 1) rc = tally_mysql_stmt_fail(s, r->st, "reading counters", err);
    }
    /* A failed statement is prepared anew next time (unless the session went with it). */
    if (rc && impl_of(s)->db) drop_read(r);
    return rc;
}

/* One row of one owner's read, from the buffers the statement's results are bound to. */
typedef struct {
    tally_row_cb cb;
    void *ud;
    const char *key;
    const unsigned long *keylen;
    const MYSQL_TIME *start;
    const long long *count, *seq;
    int32_t day;              /* every row's start (a read of one start), or -1 */
} one_row_ctx;

static int one_row(void *ud)
{
    const one_row_ctx *x = ud;
    return x->cb(x->ud, x->key, *x->keylen, x->day >= 0 ? x->day : tally_mysql_row_day(x->start),
                 *x->count, *x->seq);
}

static tally_code mysql_read(tally_sink *s, const tally_owner *o, const tally_read_query *q, tally_row_cb cb, void *ud,
                             tally_error *err)
{
    char from[TALLY_PERIOD_DATE_LEN + 1], to[TALLY_PERIOD_DATE_LEN + 1];
    const char *period = tally_period_name(q->period);
    long long want = q->seq;
    tally_code rc;
    size_t off = 0, n = q->seq > 0 ? 0 : q->n;

    if ((rc = ensure_connected(s, 0, err))) return rc;
    if (tally_period_date(q->from, from) < 0 || tally_period_date(q->to, to) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a read's period range is out of bounds");
    }
    do {
        size_t len = n - off < TALLY_SINK_READ_CHUNK ? n - off : TALLY_SINK_READ_CHUNK, b = 0;
        char keybuf[65536 + 1];
        MYSQL_TIME start;
        tally_mysql_read_stmt *r = tally_mysql_read_statement(s, q, 0, len, err);
        MYSQL_BIND *in, out[4];
        unsigned long *lens, keylen = 0;
        long long count = 0, seq = 0;
        int stop = 0;

        if (!r) return err ? err->code : TALLY_ERR_DATABASE;
        in = r->in;
        lens = r->lens;
        tally_mysql_bind_str(&in[b], o->type, o->type_len, &lens[b]);
        b++;
        tally_mysql_bind_str(&in[b], o->id, o->id_len, &lens[b]);
        b++;
        if (q->seq > 0) {
            tally_mysql_bind_ll(&in[b++], &want);
        } else {
            tally_mysql_bind_str(&in[b], period, strlen(period), &lens[b]);
            b++;
            tally_mysql_bind_str(&in[b], from, TALLY_PERIOD_DATE_LEN, &lens[b]);
            b++;
            if (!tally_read_one_start(q)) {
                tally_mysql_bind_str(&in[b], to, TALLY_PERIOD_DATE_LEN, &lens[b]);
                b++;
            }
            for (size_t i = 0; i < len; i++, b++) tally_mysql_bind_str(&in[b], q->keys[off + i], q->key_lens[off + i], &lens[b]);
        }
        memset(out, 0, sizeof(out));
        out[0].buffer_type = MYSQL_TYPE_STRING;
        out[0].buffer = keybuf;
        out[0].buffer_length = sizeof(keybuf) - 1;
        out[0].length = &keylen;
        tally_mysql_bind_date(&out[1], &start);
        tally_mysql_bind_ll(&out[2], &count);
        tally_mysql_bind_ll(&out[3], &seq);
        {
            one_row_ctx row = {cb, ud, keybuf, &keylen, &start, &count, &seq,
                               tally_read_one_start(q) ? q->from : -1};
            if ((rc = tally_mysql_read_run(s, r, out, one_row, &row, &stop, err))) return rc;
        }
        if (stop) break;
        off += len;
    } while (off < n);
    return TALLY_OK;
}

static tally_code mysql_execute(tally_sink *s, const char *sql, tally_error *err)
{
    tally_code rc;
    if ((rc = ensure_connected(s, 0, err))) return rc;
    return query(s, sql, "running DDL", err);
}

static void mysql_destroy(tally_sink *s)
{
    mysql_impl *m = impl_of(s);
    if (m) {
        disconnect(m);
        if (m->password) memset(m->password, 0, strlen(m->password));
        free(m->host);
        free(m->socket);
        free(m->user);
        free(m->password);
        free(m->database);
        free(m->tls_ca_file);
        free(m->tls_cert_file);
        free(m->tls_key_file);
        tally_mysql_upsert_free(m);
        free(m);
    }
    free(s);
}

static const tally_sink_ops mysql_ops = {
    .driver = "mysql",
    .begin_run = mysql_begin_run,
    .write_batch = mysql_write_batch,
    .try_batch = mysql_try_batch,
    .read = mysql_read,
    .read_owners = tally_mysql_read_owners,
    .rank = tally_mysql_rank,
    .execute = mysql_execute,
    .shape = mysql_shape,
    .destroy = mysql_destroy,
};

static unsigned whole_seconds(double d)
{
    unsigned s = (unsigned)d;
    return s < 1 ? 1 : (d > s ? s + 1 : s);
}

tally_code tally_sink_mysql_open(const tally_mysql_opts *o, tally_sink **out, tally_error *err)
{
    tally_sink *s;
    mysql_impl *m;
    tally_code rc;

    if ((rc = tally_schema_check_table(o->table, strlen(o->table), err))) return rc;
    if ((!o->socket || !*o->socket) && (!o->host || !*o->host)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "MySQL needs a host or a socket");
    }
    if (!o->database || !*o->database) return tally_error_set(err, TALLY_ERR_ARGUMENT, "MySQL needs a database name");
    if (o->tls && (o->tls_cert_file && *o->tls_cert_file) != (o->tls_key_file && *o->tls_key_file)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "options 'tls_cert_file' and 'tls_key_file' go together: %s given alone",
                               o->tls_cert_file && *o->tls_cert_file ? "tls_cert_file" : "tls_key_file");
    }
    s = calloc(1, sizeof(*s));
    m = calloc(1, sizeof(*m));
    if (!s || !m) {
        free(s);
        free(m);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory opening MySQL");
    }
    s->ops = &mysql_ops;
    s->impl = m;
    snprintf(s->table, sizeof(s->table), "%s", o->table);
    m->host = dup_or_null(o->host);
    m->socket = dup_or_null(o->socket);
    m->user = dup_or_null(o->user);
    m->password = dup_or_null(o->password);
    m->database = dup_or_null(o->database);
    m->port = o->port;
    m->tls = o->tls;
    m->tls_verify = o->tls_verify;
    m->tls_ca_file = dup_or_null(o->tls_ca_file);
    m->tls_cert_file = dup_or_null(o->tls_cert_file);
    m->tls_key_file = dup_or_null(o->tls_key_file);
    m->connect_timeout = whole_seconds(o->connect_timeout);
    m->read_timeout = whole_seconds(o->read_timeout);
    if (m->socket) snprintf(m->where, sizeof(m->where), "%s", m->socket);
    else snprintf(m->where, sizeof(m->where), "%s:%ld", m->host, m->port);
    /* Connect now so that bad settings fail at construction, not at the first sync. */
    if ((rc = ensure_connected(s, 0, err))) {
        mysql_destroy(s);
        return rc;
    }
    *out = s;
    return TALLY_OK;
}
