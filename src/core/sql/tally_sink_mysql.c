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
 * The same check of the table's columns refuses a table of an earlier release's shape. */
#include "sql/tally_sink.h"
#include "sql/tally_schema.h"
#include "util/tally_grow.h"

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    MYSQL *db;
    pid_t pid;                 /* the process that opened db */
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

static mysql_impl *impl_of(tally_sink *s)
{
    return (mysql_impl *)s->impl;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static void disconnect(mysql_impl *m)
{
    if (m->db && m->pid != getpid()) {
        /* A forked child must not say goodbye on its parent's session: mysql_close()
         * sends COM_QUIT. Point the inherited descriptor at /dev/null first, so the
         * farewell goes nowhere and only the child's copy is closed. */
        int fd = (int)mysql_get_socket(m->db), nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (fd >= 0 && nul >= 0) dup2(nul, fd);
        if (nul >= 0) close(nul);
    }
    if (m->chunk) {
        mysql_stmt_close(m->chunk);
        m->chunk = NULL;
    }
    m->slots_bound = 0;
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

static tally_code stmt_fail(tally_sink *s, MYSQL_STMT *st, const char *doing, tally_error *err)
{
    return fail(s, mysql_stmt_errno(st), mysql_stmt_error(st), doing, err);
}

static tally_code connect_db(tally_sink *s, tally_error *err)
{
    mysql_impl *m = impl_of(s);
    unsigned proto = MYSQL_PROTOCOL_TCP;
    if (m->db && m->pid != getpid()) disconnect(m);
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
    m->pid = getpid();
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

static tally_code query(tally_sink *s, const char *sql, const char *doing, tally_error *err)
{
    if (mysql_query(impl_of(s)->db, sql) != 0) return db_fail(s, doing, err);
    return TALLY_OK;
}

static void rollback(tally_sink *s)
{
    if (impl_of(s)->db) mysql_query(impl_of(s)->db, "ROLLBACK");
}

static void bind_str(MYSQL_BIND *b, const char *v, size_t len, unsigned long *lenbuf)
{
    memset(b, 0, sizeof(*b));
    *lenbuf = (unsigned long)len;
    b->buffer_type = MYSQL_TYPE_STRING;
    b->buffer = (void *)v;
    b->buffer_length = (unsigned long)len;
    b->length = lenbuf;
}

static void bind_ll(MYSQL_BIND *b, long long *v)
{
    memset(b, 0, sizeof(*b));
    b->buffer_type = MYSQL_TYPE_LONGLONG;
    b->buffer = v;
}

static MYSQL_STMT *prepare(tally_sink *s, const char *sql, const char *doing, tally_error *err)
{
    MYSQL_STMT *st = mysql_stmt_init(impl_of(s)->db);
    if (!st) {
        db_fail(s, doing, err);
        return NULL;
    }
    if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
        stmt_fail(s, st, doing, err);
        mysql_stmt_close(st);
        return NULL;
    }
    return st;
}

/* SELECT fence [FOR UPDATE] for this run's name. */
static tally_code read_fence(tally_sink *s, const char *run, size_t run_len, int lock, long long *fence, tally_error *err)
{
    char sql[200];
    MYSQL_STMT *st;
    MYSQL_BIND in, out;
    unsigned long len;
    long long v = 0;
    tally_code rc = TALLY_OK;
    int f;

    snprintf(sql, sizeof(sql), "SELECT `fence` FROM `%s_sync` WHERE `name` = ?%s", s->table, lock ? " FOR UPDATE" : "");
    if (!(st = prepare(s, sql, "reading the fence", err))) return err->code;
    bind_str(&in, run, run_len, &len);
    bind_ll(&out, &v);
    if (mysql_stmt_bind_param(st, &in) || mysql_stmt_execute(st) || mysql_stmt_bind_result(st, &out)) {
        rc = stmt_fail(s, st, "reading the fence", err);
    } else {
        f = mysql_stmt_fetch(st);
        if (f == 1) rc = stmt_fail(s, st, "reading the fence", err);
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
    if (!(st = prepare(s, "SELECT COUNT(*), CAST(COALESCE(SUM(`COLUMN_NAME` = 'period'), 0) AS SIGNED), "
                          "CAST(COALESCE(SUM(`COLUMN_NAME` = 'period_start'), 0) AS SIGNED), "
                          "CAST(COALESCE(SUM(`COLUMN_NAME` = 'sync_seq' AND `IS_NULLABLE` = 'YES'), 0) AS SIGNED) "
                          "FROM `information_schema`.`COLUMNS` WHERE `TABLE_SCHEMA` = DATABASE() AND `TABLE_NAME` = ?",
                       "checking the table", err))) {
        return err->code;
    }
    bind_str(&in, s->table, strlen(s->table), &len);
    bind_ll(&out[0], &c->columns);
    bind_ll(&out[1], &c->period);
    bind_ll(&out[2], &c->period_start);
    bind_ll(&out[3], &c->seq_nullable);
    if (mysql_stmt_bind_param(st, &in) || mysql_stmt_execute(st) || mysql_stmt_bind_result(st, out)) {
        rc = stmt_fail(s, st, "checking the table", err);
    } else {
        f = mysql_stmt_fetch(st);
        if (f == 1) rc = stmt_fail(s, st, "checking the table", err);
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

static tally_code mysql_begin_run(tally_sink *s, const char *run, size_t run_len, long long *fence, tally_error *err)
{
    char sql[300];
    MYSQL_STMT *st;
    MYSQL_BIND in;
    unsigned long len;
    tally_code rc;

    if ((rc = ensure_connected(s, 0, err)) || (rc = check_table(s, err))) return rc;
    snprintf(sql, sizeof(sql),
             "INSERT INTO `%s_sync` (`name`, `fence`, `updated_at`) VALUES (?, 1, NOW()) "
             "ON DUPLICATE KEY UPDATE `fence` = `fence` + 1, `updated_at` = NOW()", s->table);
    if (!(st = prepare(s, sql, "taking the sync fence", err))) return err->code;
    bind_str(&in, run, run_len, &len);
    if (mysql_stmt_bind_param(st, &in) || mysql_stmt_execute(st)) rc = stmt_fail(s, st, "taking the sync fence", err);
    mysql_stmt_close(st);
    if (rc) return rc;
    return read_fence(s, run, run_len, 0, fence, err);
}

static MYSQL_STMT *prepare_upsert(tally_sink *s, size_t rows, tally_error *err)
{
    static const char head[] = "INSERT INTO `%s` (`owner_type`, `owner_id`, `key`, `period`, `period_start`, `count`, "
                               "`sync_seq`, `created_at`, `updated_at`) VALUES (?, ?, ?, ?, ?, ?, (SELECT ? FROM `%s_sync` "
                               "WHERE `name` = ? AND `fence` = ? LOCK IN SHARE MODE), NOW(), NOW())";
    static const char row[] = ", (?, ?, ?, ?, ?, ?, ?, NOW(), NOW())";
    static const char tail[] = " ON DUPLICATE KEY UPDATE `count` = `count` + VALUES(`count`), "
                               "`sync_seq` = VALUES(`sync_seq`), `updated_at` = VALUES(`updated_at`)";
    /* Sized from the table name's length: the head names the table twice. */
    size_t cap = sizeof(head) + 2 * strlen(s->table) + (rows - 1) * (sizeof(row) - 1) + sizeof(tail);
    char *sql = malloc(cap), *p;
    MYSQL_STMT *st;
    if (!sql) {
        tally_error_set(err, TALLY_ERR_MEMORY, "out of memory preparing the upsert");
        return NULL;
    }
    p = sql + snprintf(sql, cap, head, s->table, s->table);
    for (size_t i = 1; i < rows; i++, p += sizeof(row) - 1) memcpy(p, row, sizeof(row) - 1);
    memcpy(p, tail, sizeof(tail));
    st = prepare(s, sql, "preparing the upsert", err);
    free(sql);
    return st;
}

#define SLOT_TYPE TALLY_OWNER_TYPE_MAX
#define SLOT_ID   TALLY_OWNER_ID_MAX
#define SLOT_KEY  128
#define SLOT_PERIOD TALLY_PERIOD_NAME_MAX
#define SLOT_DATE TALLY_PERIOD_DATE_LEN
#define SLOT      (SLOT_TYPE + SLOT_ID + SLOT_KEY + SLOT_PERIOD + SLOT_DATE)
#define STRS      5    /* string parameters per row: type, id, key, period, period_start */

/* The upsert's parameters: row i's seven values (type, id, key, period, period_start,
 * delta, seq) at param_at(i, 0..6); row 0's are followed by the fence check's run name and
 * fence. */
#define ROW_PARAMS 7
#define PARAMS(n) (ROW_PARAMS * (n) + 2)
static size_t param_at(size_t i, size_t j)
{
    return i ? ROW_PARAMS * i + 2 + j : j;
}

static void bind_fence(mysql_impl *m, MYSQL_BIND *b)
{
    unsigned long len = m->fence_run_len;
    bind_str(&b[ROW_PARAMS], m->fence_run, sizeof(m->fence_run), &m->fence_run_len);
    m->fence_run_len = len;
    bind_ll(&b[ROW_PARAMS + 1], &m->fence);
}

/* A row's period as SQL values: its name and its first day as "YYYY-MM-DD"; -1 when the
 * row carries no valid period (never written: the batch fails). */
static int period_values(const tally_row *r, const char **name, char date[TALLY_PERIOD_DATE_LEN + 1])
{
    *name = tally_period_name(r->period);
    return *name && tally_period_date(r->period_start, date) >= 0 ? 0 : -1;
}

static tally_code bad_period(const tally_row *r, tally_error *err)
{
    return tally_error_set(err, TALLY_ERR_ARGUMENT, "counter row has an invalid period (%d, day %ld)",
                           (int)r->period, (long)r->period_start);
}

/* Binds m->chunk once to the slots: row i's type, id and key live at fixed places. */
static int bind_slots(mysql_impl *m)
{
    if (!m->slots) {
        m->slots = malloc((size_t)TALLY_SINK_CHUNK * SLOT);
        m->slot_binds = calloc(PARAMS((size_t)TALLY_SINK_CHUNK), sizeof(*m->slot_binds));
        m->slot_lens = calloc((size_t)TALLY_SINK_CHUNK * STRS, sizeof(*m->slot_lens));
        m->slot_nums = calloc((size_t)TALLY_SINK_CHUNK * 2, sizeof(*m->slot_nums));
        if (!m->slots || !m->slot_binds || !m->slot_lens || !m->slot_nums) return -1;
        for (size_t i = 0; i < TALLY_SINK_CHUNK; i++) {
            char *slot = m->slots + i * SLOT;
            MYSQL_BIND *b = m->slot_binds;
            bind_str(&b[param_at(i, 0)], slot, SLOT_TYPE, &m->slot_lens[STRS * i]);
            bind_str(&b[param_at(i, 1)], slot + SLOT_TYPE, SLOT_ID, &m->slot_lens[STRS * i + 1]);
            bind_str(&b[param_at(i, 2)], slot + SLOT_TYPE + SLOT_ID, SLOT_KEY, &m->slot_lens[STRS * i + 2]);
            bind_str(&b[param_at(i, 3)], slot + SLOT_TYPE + SLOT_ID + SLOT_KEY, SLOT_PERIOD, &m->slot_lens[STRS * i + 3]);
            bind_str(&b[param_at(i, 4)], slot + SLOT_TYPE + SLOT_ID + SLOT_KEY + SLOT_PERIOD, SLOT_DATE,
                     &m->slot_lens[STRS * i + 4]);
            bind_ll(&b[param_at(i, 5)], &m->slot_nums[2 * i]);
            bind_ll(&b[param_at(i, 6)], &m->slot_nums[2 * i + 1]);
        }
        bind_fence(m, m->slot_binds);
    }
    if (mysql_stmt_bind_param(m->chunk, m->slot_binds)) return 1;
    m->slots_bound = 1;
    return 0;
}

/* Whether every row fits the slots (a key longer than SLOT_KEY is bound directly). */
static int rows_fit_slots(const tally_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].type_len > SLOT_TYPE || rows[i].id_len > SLOT_ID || rows[i].key_len > SLOT_KEY) return 0;
    }
    return 1;
}

/* A failed upsert: NULL for the first row's sync_seq means the fence check found no fence
 * of ours (ER_BAD_NULL_ERROR: no other value of the statement can be NULL). */
static tally_code upsert_failed(tally_sink *s, MYSQL_STMT *st, const tally_fence *f, tally_error *err)
{
    long long current = 0;
    tally_code rc;
    if (mysql_stmt_errno(st) != ER_BAD_NULL_ERROR) return stmt_fail(s, st, "writing a batch", err);
    if ((rc = read_fence(s, f->run, f->run_len, 1, &current, err))) return rc;
    return tally_sink_fence_moved(err, current, f->fence);
}

static tally_code upsert(tally_sink *s, const tally_fence *f, const tally_row *rows, size_t n, tally_error *err)
{
    mysql_impl *m = impl_of(s);
    MYSQL_STMT *st = NULL;
    int cached = 0, r;
    MYSQL_BIND *b;
    unsigned long *lens;
    long long *nums;
    char *dates;
    const char *period;
    tally_code rc = TALLY_OK;

    if (f->run_len > sizeof(m->fence_run)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "sync run name longer than %zu bytes", sizeof(m->fence_run));
    }
    memcpy(m->fence_run, f->run, f->run_len);
    m->fence_run_len = (unsigned long)f->run_len;
    m->fence = f->fence;
    if (n == TALLY_SINK_CHUNK) {
        if (!m->chunk && !(m->chunk = prepare_upsert(s, n, err))) return err->code;
        st = m->chunk;
        cached = 1;
        if (rows_fit_slots(rows, n)) {
            if (!m->slots_bound && (r = bind_slots(m)) != 0) {
                return r < 0 ? tally_error_set(err, TALLY_ERR_MEMORY, "out of memory binding a batch")
                             : stmt_fail(s, st, "writing a batch", err);
            }
            for (size_t i = 0; i < n; i++) {
                char *slot = m->slots + i * SLOT, date[TALLY_PERIOD_DATE_LEN + 1];
                if (period_values(&rows[i], &period, date)) return bad_period(&rows[i], err);
                memcpy(slot, rows[i].type, rows[i].type_len);
                memcpy(slot + SLOT_TYPE, rows[i].id, rows[i].id_len);
                memcpy(slot + SLOT_TYPE + SLOT_ID, rows[i].key, rows[i].key_len);
                memcpy(slot + SLOT_TYPE + SLOT_ID + SLOT_KEY, period, strlen(period));
                memcpy(slot + SLOT_TYPE + SLOT_ID + SLOT_KEY + SLOT_PERIOD, date, TALLY_PERIOD_DATE_LEN);
                m->slot_lens[STRS * i] = (unsigned long)rows[i].type_len;
                m->slot_lens[STRS * i + 1] = (unsigned long)rows[i].id_len;
                m->slot_lens[STRS * i + 2] = (unsigned long)rows[i].key_len;
                m->slot_lens[STRS * i + 3] = (unsigned long)strlen(period);
                m->slot_lens[STRS * i + 4] = TALLY_PERIOD_DATE_LEN;
                m->slot_nums[2 * i] = rows[i].delta;
                m->slot_nums[2 * i + 1] = rows[i].seq;
            }
            return mysql_stmt_execute(st) ? upsert_failed(s, st, f, err) : TALLY_OK;
        }
        m->slots_bound = 0;          /* rebound below to this batch's own values */
    } else if (!(st = prepare_upsert(s, n, err))) {
        return err->code;
    }
    if (tally_grow((void **)&m->binds, &m->cap_binds, PARAMS(n), sizeof(*m->binds))
        || tally_grow((void **)&m->lens, &m->cap_lens, n * STRS, sizeof(*m->lens))
        || tally_grow((void **)&m->nums, &m->cap_nums, n * 2, sizeof(*m->nums))
        || tally_grow((void **)&m->dates, &m->cap_dates, n, TALLY_PERIOD_DATE_LEN + 1)) {
        if (!cached) mysql_stmt_close(st);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory binding a batch");
    }
    b = m->binds;
    lens = m->lens;
    nums = m->nums;
    dates = m->dates;
    for (size_t i = 0; i < n; i++) {
        char *date = dates + i * (TALLY_PERIOD_DATE_LEN + 1);
        if (period_values(&rows[i], &period, date)) {
            if (!cached) mysql_stmt_close(st);
            return bad_period(&rows[i], err);
        }
        nums[2 * i] = rows[i].delta;
        nums[2 * i + 1] = rows[i].seq;
        bind_str(&b[param_at(i, 0)], rows[i].type, rows[i].type_len, &lens[STRS * i]);
        bind_str(&b[param_at(i, 1)], rows[i].id, rows[i].id_len, &lens[STRS * i + 1]);
        bind_str(&b[param_at(i, 2)], rows[i].key, rows[i].key_len, &lens[STRS * i + 2]);
        bind_str(&b[param_at(i, 3)], period, strlen(period), &lens[STRS * i + 3]);
        bind_str(&b[param_at(i, 4)], date, TALLY_PERIOD_DATE_LEN, &lens[STRS * i + 4]);
        bind_ll(&b[param_at(i, 5)], &nums[2 * i]);
        bind_ll(&b[param_at(i, 6)], &nums[2 * i + 1]);
    }
    bind_fence(m, b);
    if (mysql_stmt_bind_param(st, b)) {
        rc = stmt_fail(s, st, "writing a batch", err);
    } else if (mysql_stmt_execute(st)) {
        rc = upsert_failed(s, st, f, err);
    }
    /* The cached statement belongs to the connection (disconnect() closes it). */
    if (!cached) mysql_stmt_close(st);
    return rc;
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

static const tally_sql_tx mysql_tx = {mysql_begin, NULL, upsert, mysql_commit_tx, rollback};

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
        char *sql = tally_sink_read_sql(TALLY_DIALECT_MYSQL, s->table, q, len), keybuf[65536 + 1], start[16];
        MYSQL_STMT *st;
        MYSQL_BIND *in = calloc(len + 5, sizeof(*in)), out[4];
        unsigned long *lens = calloc(len + 5, sizeof(*lens)), keylen = 0, startlen = 0;
        long long count = 0, seq = 0;
        int f;

        if (!sql || !in || !lens) {
            free(sql);
            free(in);
            free(lens);
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        }
        st = prepare(s, sql, "reading counters", err);
        free(sql);
        if (!st) {
            free(in);
            free(lens);
            return err->code;
        }
        bind_str(&in[b], o->type, o->type_len, &lens[b]);
        b++;
        bind_str(&in[b], o->id, o->id_len, &lens[b]);
        b++;
        if (q->seq > 0) {
            bind_ll(&in[b++], &want);
        } else {
            bind_str(&in[b], period, strlen(period), &lens[b]);
            b++;
            bind_str(&in[b], from, TALLY_PERIOD_DATE_LEN, &lens[b]);
            b++;
            bind_str(&in[b], to, TALLY_PERIOD_DATE_LEN, &lens[b]);
            b++;
            for (size_t i = 0; i < len; i++, b++) bind_str(&in[b], q->keys[off + i], q->key_lens[off + i], &lens[b]);
        }
        memset(out, 0, sizeof(out));
        out[0].buffer_type = MYSQL_TYPE_STRING;
        out[0].buffer = keybuf;
        out[0].buffer_length = sizeof(keybuf) - 1;
        out[0].length = &keylen;
        out[1].buffer_type = MYSQL_TYPE_STRING;
        out[1].buffer = start;
        out[1].buffer_length = sizeof(start);
        out[1].length = &startlen;
        bind_ll(&out[2], &count);
        bind_ll(&out[3], &seq);
        if (mysql_stmt_bind_param(st, in) || mysql_stmt_execute(st) || mysql_stmt_bind_result(st, out)) {
            rc = stmt_fail(s, st, "reading counters", err);
        } else {
            while ((f = mysql_stmt_fetch(st)) == 0 || f == MYSQL_DATA_TRUNCATED) {
                int32_t day = tally_period_parse_date(start, startlen < sizeof(start) ? startlen : 0);
                if (cb(ud, keybuf, keylen, day < 0 ? 0 : day, count, seq)) break;
            }
            if (f == 1) rc = stmt_fail(s, st, "reading counters", err);
        }
        mysql_stmt_close(st);
        free(in);
        free(lens);
        if (rc) return rc;
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
        free(m->binds);
        free(m->lens);
        free(m->nums);
        free(m->dates);
        free(m->slots);
        free(m->slot_binds);
        free(m->slot_lens);
        free(m->slot_nums);
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
