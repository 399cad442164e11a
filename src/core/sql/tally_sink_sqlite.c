/* The SQLite sink (libsqlite3): a database file in WAL mode with a busy timeout; every
 * batch in one BEGIN IMMEDIATE transaction (tally_sink_write_fenced) with multi-row
 * INSERT ... ON CONFLICT upserts. Plain file paths only (no URIs, no in-memory database), and
 * never a commit into a file that was deleted or replaced meanwhile. */
#include "sql/tally_sink.h"
#include "util/tally_proc.h"
#include "util/tally_clock.h"
#include "util/tally_grow.h"
#include "sql/tally_schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read statements kept prepared, one per shape (tally_sink_read_sql(): the seq query, or
 * n keys, 0 for all): a read then costs a reset and a rebind, not a parse. A page of reads
 * uses a handful of shapes; the least recently used one makes room. */
#define READ_STMTS 8

typedef struct {
    sqlite3_stmt *st;
    size_t shape;             /* tally_read_shape() */
    unsigned long used;       /* when last used (read_clock) */
} read_stmt;

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *chunk;      /* the TALLY_SINK_CHUNK-row upsert, prepared once */
    read_stmt reads[READ_STMTS];
    unsigned long read_clock;
    pid_t pid;                /* the process that opened db */
    int busy_ms;
    int shape_current;        /* the table was seen in the current shape (tables never go back) */
    char path[512];
} sqlite_impl;

static tally_code open_db(sqlite_impl *q, tally_error *err);

/* Handles a forked child inherited: never used or closed here (closing could checkpoint or
 * delete the parent's WAL), so deliberately kept for the life of the process. */
static sqlite3 **inherited;
static size_t n_inherited, cap_inherited;

static void abandon_inherited(sqlite3 *db)
{
    if (!tally_grow((void **)&inherited, &cap_inherited, n_inherited + 1, sizeof(*inherited))) {
        inherited[n_inherited++] = db;
    }
}

static sqlite_impl *impl_of(tally_sink *s)
{
    return (sqlite_impl *)s->impl;
}

/* The connection's prepared statements are finalized before it closes (sqlite3_close()
 * refuses a connection with live statements), or forgotten with a handle a child abandons. */
static void drop_statements(sqlite_impl *q, int finalize)
{
    if (finalize && q->chunk) sqlite3_finalize(q->chunk);
    q->chunk = NULL;
    for (size_t i = 0; i < READ_STMTS; i++) {
        if (finalize && q->reads[i].st) sqlite3_finalize(q->reads[i].st);
        q->reads[i].st = NULL;
    }
}

/* Whether the file the connection has open is no longer the one at its path (deleted,
 * renamed or replaced): rows written then would go to an unlinked inode and vanish. */
static int file_moved(sqlite_impl *q)
{
    int moved = 0;
    if (sqlite3_file_control(q->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK) return 0;
    return moved;
}

/* Every operation starts here. A connection must not cross fork(): a child abandons the
 * inherited handle (closing it could checkpoint the parent's WAL) and opens its own; if
 * that fails, the operation fails with the reason, and the next one tries again. A file
 * that moved while idle is reopened at its path (SQLite neither checkpoints nor deletes
 * the WAL when closing a moved database, so the new file is not touched). */
static tally_code ensure_open(tally_sink *s, tally_error *err)
{
    sqlite_impl *q = impl_of(s);
    if (q->db && q->pid != tally_proc_pid()) {
        abandon_inherited(q->db);
        drop_statements(q, 0);
        q->db = NULL;
    }
    if (q->db && sqlite3_get_autocommit(q->db) && file_moved(q)) {
        drop_statements(q, 1);
        sqlite3_close(q->db);
        q->db = NULL;
    }
    return q->db ? TALLY_OK : open_db(q, err);
}

static tally_code db_error(tally_sink *s, const char *doing, tally_error *err)
{
    sqlite_impl *q = impl_of(s);
    const char *msg = sqlite3_errmsg(q->db);
    if (strstr(msg, "no such column: period")) {
        return tally_error_set(err, TALLY_ERR_DATABASE,
                               "SQLite %s: %s: %s: the table has the shape of an earlier Tally release; upgrade it with "
                               "Tally\\Database::createTables() or `php artisan migrate`", q->path, doing, msg);
    }
    if (strstr(msg, "no such table")) {
        return tally_error_set(err, TALLY_ERR_DATABASE,
                               "SQLite %s: %s: %s: the table does not exist; create it with "
                               "Tally\\Database::createTables() or `php artisan migrate`", q->path, doing, msg);
    }
    return tally_error_set(err, TALLY_ERR_DATABASE, "SQLite %s: %s: %s", q->path, doing, msg);
}

static tally_code exec_sql(tally_sink *s, const char *sql, const char *doing, tally_error *err)
{
    if (sqlite3_exec(impl_of(s)->db, sql, NULL, NULL, NULL) != SQLITE_OK) return db_error(s, doing, err);
    return TALLY_OK;
}

/* COMMIT, unless the file moved during the transaction: checked right before, so that a
 * batch is never reported written into a file nobody can read again (it stays claimed in
 * Redis and the next run writes it to the file then at the path). */
static tally_code commit(tally_sink *s, const char *doing, tally_error *err)
{
    sqlite_impl *q = impl_of(s);
    if (file_moved(q)) {
        return tally_error_set(err, TALLY_ERR_DATABASE,
                               "SQLite %s: %s: the database file was deleted or replaced during the sync; "
                               "nothing was committed", q->path, doing);
    }
    return exec_sql(s, "COMMIT", doing, err);
}

static void rollback(tally_sink *s)
{
    if (!sqlite3_get_autocommit(impl_of(s)->db)) sqlite3_exec(impl_of(s)->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Reads the fence in the current transaction. */
static tally_code read_fence(tally_sink *s, const char *run, size_t run_len, long long *fence, tally_error *err)
{
    char sql[160];
    sqlite3_stmt *st;
    int rc;
    snprintf(sql, sizeof(sql), "SELECT \"fence\" FROM \"%s_sync\" WHERE \"name\" = ?", s->table);
    if (sqlite3_prepare_v2(impl_of(s)->db, sql, -1, &st, NULL) != SQLITE_OK) return db_error(s, "reading the fence", err);
    sqlite3_bind_text(st, 1, run, (int)run_len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *fence = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(s, "reading the fence", err);
    return TALLY_OK;
}

/* The table's shape from its columns (pragma_table_info: no row when it does not exist). */
static tally_code sqlite_shape(tally_sink *s, tally_schema_shape *out, tally_error *err)
{
    sqlite3_stmt *st;
    tally_code rc;
    int step;

    if ((rc = ensure_open(s, err))) return rc;
    if (sqlite3_prepare_v2(impl_of(s)->db,
                           "SELECT COUNT(*), COALESCE(SUM(\"name\" = 'period'), 0), COALESCE(SUM(\"name\" = 'period_start'), 0) "
                           "FROM pragma_table_info(?)", -1, &st, NULL) != SQLITE_OK) {
        return db_error(s, "reading the table's columns", err);
    }
    sqlite3_bind_text(st, 1, s->table, -1, SQLITE_STATIC);
    if ((step = sqlite3_step(st)) != SQLITE_ROW) {
        rc = db_error(s, "reading the table's columns", err);
    } else {
        rc = tally_schema_shape_of(s->table, sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                                   sqlite3_column_int(st, 2), out, err);
    }
    sqlite3_finalize(st);
    return rc;
}

/* A run refuses an old-shaped table before it claims anything: its upserts name the period
 * columns and would fail every batch. Asked once per connection, until the table has the
 * current shape. A missing table is left to the statements that follow (their error says
 * how to create it). */
static tally_code check_shape(tally_sink *s, tally_error *err)
{
    sqlite_impl *q = impl_of(s);
    tally_schema_shape shape;
    tally_code rc;
    char where[600];
    if (q->shape_current) return TALLY_OK;
    if ((rc = sqlite_shape(s, &shape, err))) return rc;
    if (shape == TALLY_SHAPE_OLD) {
        snprintf(where, sizeof(where), "SQLite %s", q->path);
        return tally_schema_old_shape(err, where, s->table);
    }
    q->shape_current = shape == TALLY_SHAPE_CURRENT;
    return TALLY_OK;
}

/* The new fence is above every prefix's (see tally_sync.h), taken under BEGIN IMMEDIATE's lock. */
static tally_code sqlite_begin_run(tally_sink *s, const char *run, size_t run_len, long long *fence, tally_error *err)
{
    char sql[600];
    sqlite3_stmt *st;
    tally_code rc;

    if ((rc = ensure_open(s, err)) || (rc = check_shape(s, err))
        || (rc = exec_sql(s, "BEGIN IMMEDIATE", "starting a transaction", err))) {
        return rc;
    }
    snprintf(sql, sizeof(sql),
             "INSERT INTO \"%s_sync\" (\"name\", \"fence\", \"updated_at\") "
             "VALUES (?, (SELECT COALESCE(MAX(\"fence\"), 0) + 1 FROM \"%s_sync\"), datetime('now')) "
             "ON CONFLICT(\"name\") DO UPDATE SET \"fence\" = excluded.\"fence\", \"updated_at\" = excluded.\"updated_at\"",
             s->table, s->table);
    if (sqlite3_prepare_v2(impl_of(s)->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(s, "taking the sync fence", err);
        rollback(s);
        return rc;
    }
    sqlite3_bind_text(st, 1, run, (int)run_len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = db_error(s, "taking the sync fence", err);
        sqlite3_finalize(st);
        rollback(s);
        return rc;
    }
    sqlite3_finalize(st);
    if ((rc = read_fence(s, run, run_len, fence, err)) || (rc = commit(s, "committing the fence", err))) {
        rollback(s);
        return rc;
    }
    return TALLY_OK;
}

static sqlite3_stmt *prepare_upsert(tally_sink *s, size_t rows)
{
    size_t cap = 500 + rows * 64;
    char *sql = malloc(cap), *p;
    sqlite3_stmt *st = NULL;
    if (!sql) return NULL;
    p = sql + snprintf(sql, cap,
                       "INSERT INTO \"%s\" (\"owner_type\", \"owner_id\", \"key\", \"period\", \"period_start\", "
                       "\"count\", \"sync_seq\", \"created_at\", \"updated_at\") VALUES ", s->table);
    for (size_t i = 0; i < rows; i++) {
        p += sprintf(p, "%s(?, ?, ?, ?, ?, ?, ?, datetime('now'), datetime('now'))", i ? ", " : "");
    }
    sprintf(p, " ON CONFLICT(\"owner_type\", \"owner_id\", \"key\", \"period\", \"period_start\") DO UPDATE SET "
               "\"count\" = \"count\" + excluded.\"count\", \"sync_seq\" = excluded.\"sync_seq\", "
               "\"updated_at\" = excluded.\"updated_at\"");
    if (sqlite3_prepare_v2(impl_of(s)->db, sql, -1, &st, NULL) != SQLITE_OK) st = NULL;
    free(sql);
    return st;
}

/* The fence was read under BEGIN IMMEDIATE's write lock (read_fence): f is not needed here. */
static tally_code upsert(tally_sink *s, const tally_fence *f, const tally_row *rows, size_t n, tally_error *err)
{
    sqlite_impl *q = impl_of(s);
    sqlite3_stmt *st;
    int b = 1;
    char date[TALLY_PERIOD_DATE_LEN + 1];

    (void)f;
    for (size_t i = 0; i < n; i++) {
        if (!tally_period_name(rows[i].period) || tally_period_date(rows[i].period_start, date) < 0) {
            return tally_error_set(err, TALLY_ERR_ARGUMENT, "counter row %zu has an invalid period (%d, day %ld)", i,
                                   (int)rows[i].period, (long)rows[i].period_start);
        }
    }
    if (n == TALLY_SINK_CHUNK) {
        if (!q->chunk && !(q->chunk = prepare_upsert(s, n))) return db_error(s, "preparing the upsert", err);
        st = q->chunk;
    } else if (!(st = prepare_upsert(s, n))) {
        return db_error(s, "preparing the upsert", err);
    }
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_text(st, b++, rows[i].type, (int)rows[i].type_len, SQLITE_STATIC);
        sqlite3_bind_text(st, b++, rows[i].id, (int)rows[i].id_len, SQLITE_STATIC);
        sqlite3_bind_text(st, b++, rows[i].key, (int)rows[i].key_len, SQLITE_STATIC);
        sqlite3_bind_text(st, b++, tally_period_name(rows[i].period), -1, SQLITE_STATIC);
        tally_period_date(rows[i].period_start, date);
        sqlite3_bind_text(st, b++, date, TALLY_PERIOD_DATE_LEN, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, b++, rows[i].delta);
        sqlite3_bind_int64(st, b++, rows[i].seq);
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        /* A CHECK (count overflowed into a float), a trigger's RAISE, a too big or
         * mismatched value: the rows are at fault, not the database (see tally_sink.h). */
        int ec = sqlite3_errcode(q->db);
        tally_code rc = db_error(s, "writing a batch", err);
        if (ec == SQLITE_CONSTRAINT || ec == SQLITE_TOOBIG || ec == SQLITE_MISMATCH) {
            rc = TALLY_ERR_REJECTED;
            if (err) err->code = rc;
        }
        if (st == q->chunk) sqlite3_reset(st); else sqlite3_finalize(st);
        return rc;
    }
    if (st == q->chunk) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    return TALLY_OK;
}

static tally_code sqlite_begin(tally_sink *s, tally_error *err)
{
    /* IMMEDIATE takes the write lock now: the fence read below is then as good as locked. */
    tally_code rc = ensure_open(s, err);
    return rc ? rc : exec_sql(s, "BEGIN IMMEDIATE", "starting a transaction", err);
}

static tally_code sqlite_commit(tally_sink *s, tally_error *err)
{
    return commit(s, "committing a batch", err);
}

static const tally_sql_tx sqlite_tx = {sqlite_begin, read_fence, upsert, sqlite_commit, rollback};

static tally_code sqlite_write_batch(tally_sink *s, const char *run, size_t run_len, long long fence,
                                     const tally_row *rows, size_t n, tally_error *err)
{
    return tally_sink_write_fenced(s, &sqlite_tx, run, run_len, fence, rows, n, 1, err);
}

static tally_code sqlite_try_batch(tally_sink *s, const char *run, size_t run_len, long long fence,
                                  const tally_row *rows, size_t n, tally_error *err)
{
    return tally_sink_write_fenced(s, &sqlite_tx, run, run_len, fence, rows, n, 0, err);
}

/* The read statement of this shape (nids 0: of one owner, else of nids owners), prepared once
 * per connection; NULL with err filled. */
static sqlite3_stmt *read_statement(tally_sink *s, const tally_read_query *rq, size_t nids, size_t nkeys, tally_error *err)
{
    sqlite_impl *q = impl_of(s);
    size_t shape = tally_read_shape(rq, nids, nkeys), victim = 0;
    char *sql;
    read_stmt *r;
    int rc;

    for (size_t i = 0; i < READ_STMTS; i++) {
        r = &q->reads[i];
        if (r->st && r->shape == shape) {
            r->used = ++q->read_clock;
            return r->st;
        }
        if (!r->st || (q->reads[victim].st && r->used < q->reads[victim].used)) victim = i;
    }
    sql = nids ? tally_sink_read_owners_sql(TALLY_DIALECT_SQLITE, s->table, rq, nids, nkeys)
               : tally_sink_read_sql(TALLY_DIALECT_SQLITE, s->table, rq, nkeys);
    if (!sql) {
        tally_error_set(err, TALLY_ERR_MEMORY, "out of memory reading counters");
        return NULL;
    }
    r = &q->reads[victim];
    if (r->st) sqlite3_finalize(r->st);
    r->st = NULL;
    /* Kept for the life of the connection: SQLite re-prepares it by itself after a schema change. */
    rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &r->st, NULL);
    free(sql);
    if (rc != SQLITE_OK) {
        r->st = NULL;
        db_error(s, "reading counters", err);
        return NULL;
    }
    r->shape = shape;
    r->used = ++q->read_clock;
    return r->st;
}

/* A row's period_start column as days since 1970-01-01 (0 when unreadable, as a lifetime row). */
static int32_t column_day(sqlite3_stmt *st, int col)
{
    const char *start = (const char *)sqlite3_column_text(st, col);
    int32_t day = start ? tally_period_parse_date(start, (size_t)sqlite3_column_bytes(st, col)) : -1;
    return day < 0 ? 0 : day;
}

static tally_code sqlite_read(tally_sink *s, const tally_owner *o, const tally_read_query *q, tally_row_cb cb, void *ud,
                              tally_error *err)
{
    char from[TALLY_PERIOD_DATE_LEN + 1], to[TALLY_PERIOD_DATE_LEN + 1];
    size_t off = 0, n = q->seq > 0 ? 0 : q->n;
    const int one = tally_read_one_start(q);
    tally_code open_rc = ensure_open(s, err);
    if (open_rc) return open_rc;
    if (tally_period_date(q->from, from) < 0 || tally_period_date(q->to, to) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a read's period range is out of bounds");
    }
    do {
        size_t len = n - off < TALLY_SINK_READ_CHUNK ? n - off : TALLY_SINK_READ_CHUNK;
        sqlite3_stmt *st = read_statement(s, q, 0, len, err);
        int b = 1, rc, stop = 0;
        tally_code out = TALLY_OK;
        if (!st) return err ? err->code : TALLY_ERR_DATABASE;
        /* Every parameter is bound again: the shape fixes how many there are. */
        sqlite3_bind_text(st, b++, o->type, (int)o->type_len, SQLITE_STATIC);
        sqlite3_bind_text(st, b++, o->id, (int)o->id_len, SQLITE_STATIC);
        if (q->seq > 0) {
            sqlite3_bind_int64(st, b++, q->seq);
        } else {
            sqlite3_bind_text(st, b++, tally_period_name(q->period), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, b++, from, TALLY_PERIOD_DATE_LEN, SQLITE_STATIC);
            if (!one) sqlite3_bind_text(st, b++, to, TALLY_PERIOD_DATE_LEN, SQLITE_STATIC);
            for (size_t i = 0; i < len; i++) {
                sqlite3_bind_text(st, b++, q->keys[off + i], (int)q->key_lens[off + i], SQLITE_STATIC);
            }
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int32_t day = one ? q->from : column_day(st, 1);
            if (cb(ud, (const char *)sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), day,
                   sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3))) {
                rc = SQLITE_DONE;
                stop = 1;
                break;
            }
        }
        if (rc != SQLITE_DONE) out = db_error(s, "reading counters", err);
        /* Reset at once: a statement left mid-step would hold its read snapshot (and stop
         * checkpoints) until the next read. */
        sqlite3_reset(st);
        if (out) return out;
        if (stop) break;
        off += len;
    } while (off < n);
    return TALLY_OK;
}

static tally_code sqlite_execute(tally_sink *s, const char *sql, tally_error *err)
{
    tally_code rc = ensure_open(s, err);
    return rc ? rc : exec_sql(s, sql, "running DDL", err);
}

static void sqlite_destroy(tally_sink *s)
{
    sqlite_impl *q = (sqlite_impl *)s->impl;
    if (q && q->db && q->pid != tally_proc_pid()) {
        abandon_inherited(q->db);
    } else if (q) {
        drop_statements(q, 1);
        if (q->db) sqlite3_close(q->db);
    }
    free(q);
    free(s);
}

/* The journal mode PRAGMA journal_mode=WAL answered with ("wal" once it took). */
static int journal_mode_row(void *ud, int n, char **values, char **names)
{
    (void)names;
    if (n > 0 && values[0]) snprintf((char *)ud, 16, "%s", values[0]);
    return 0;
}

/* PRAGMA journal_mode=WAL, once per file. Switching needs the file to itself: while another
 * connection is writing, SQLite answers at once, without its busy handler (waiting could
 * deadlock), with BUSY or with the old mode, and several processes opening a new file
 * together met "database is locked". So the switch is tried again until it takes or
 * busy_timeout has passed. */
static int enable_wal(sqlite_impl *q)
{
    int rc, waited_ms = 0;
    for (;;) {
        char mode[16] = "";
        rc = sqlite3_exec(q->db, "PRAGMA journal_mode=WAL", journal_mode_row, mode, NULL);
        if (rc == SQLITE_OK && strcmp(mode, "wal") == 0) return SQLITE_OK;
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) return rc;
        if (waited_ms >= q->busy_ms) return rc == SQLITE_OK ? SQLITE_BUSY : rc;
        tally_clock_sleep(0.005);
        waited_ms += 5;
    }
}

static tally_code open_db(sqlite_impl *q, tally_error *err)
{
    const char *fn;
    q->pid = tally_proc_pid();
    q->shape_current = 0;
    if (sqlite3_open_v2(q->path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        tally_code rc = tally_error_set(err, TALLY_ERR_DATABASE, "cannot open SQLite database %s: %s", q->path,
                                        q->db ? sqlite3_errmsg(q->db) : "out of memory");
        if (q->db) sqlite3_close(q->db);
        q->db = NULL;
        return rc;
    }
    fn = sqlite3_db_filename(q->db, "main");
    if (!fn || !*fn) {
        /* In-memory or temporary: private to this connection, so synced counts would vanish. */
        sqlite3_close(q->db);
        q->db = NULL;
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "SQLite '%s' is not a database file (in-memory or temporary): use a file path", q->path);
    }
    sqlite3_busy_timeout(q->db, q->busy_ms);
#ifdef SQLITE_DBCONFIG_DQS_DML
    /* A double-quoted name that is no column must be an error, not a string: a read of a
     * table of the release before periods would otherwise compare "period" the string and
     * find no rows, silently leaving out every stored count. */
    sqlite3_db_config(q->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
#endif
    if (enable_wal(q) != SQLITE_OK
        || sqlite3_exec(q->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
        tally_code rc = tally_error_set(err, TALLY_ERR_DATABASE, "SQLite %s: enabling WAL: %s", q->path,
                                        sqlite3_errmsg(q->db));
        sqlite3_close(q->db);
        q->db = NULL;
        return rc;
    }
    return TALLY_OK;
}

/* One statement of read_owners() (tally_sink_read_owners_chunked() cuts the query). */
static tally_code sqlite_read_owners_one(tally_sink *s, const tally_owners_query *oq, tally_owner_row_cb cb, void *ud,
                                         tally_error *err)
{
    char from[TALLY_PERIOD_DATE_LEN + 1], to[TALLY_PERIOD_DATE_LEN + 1];
    const tally_read_query *q = &oq->q;
    sqlite3_stmt *st;
    tally_code out = TALLY_OK;
    int b = 1, rc;

    if (tally_period_date(q->from, from) < 0 || tally_period_date(q->to, to) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a read's period range is out of bounds");
    }
    if (!(st = read_statement(s, q, oq->n_ids, q->n, err))) return err ? err->code : TALLY_ERR_DATABASE;
    sqlite3_bind_text(st, b++, oq->type, (int)oq->type_len, SQLITE_STATIC);
    for (size_t i = 0; i < oq->n_ids; i++) sqlite3_bind_text(st, b++, oq->ids[i], (int)oq->id_lens[i], SQLITE_STATIC);
    sqlite3_bind_text(st, b++, tally_period_name(q->period), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, b++, from, TALLY_PERIOD_DATE_LEN, SQLITE_STATIC);
    if (!tally_read_one_start(q)) sqlite3_bind_text(st, b++, to, TALLY_PERIOD_DATE_LEN, SQLITE_STATIC);
    for (size_t i = 0; i < q->n; i++) sqlite3_bind_text(st, b++, q->keys[i], (int)q->key_lens[i], SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t day = tally_read_one_start(q) ? q->from : column_day(st, 2);
        if (cb(ud, (const char *)sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
               (const char *)sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), day,
               sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE) out = db_error(s, "reading counters", err);
    sqlite3_reset(st);          /* at once, as in sqlite_read() */
    return out;
}

static tally_code sqlite_read_owners(tally_sink *s, const tally_owners_query *q, tally_owner_row_cb cb, void *ud,
                                     tally_error *err)
{
    tally_code rc = ensure_open(s, err);
    return rc ? rc : tally_sink_read_owners_chunked(s, q, sqlite_read_owners_one, cb, ud, err);
}

static tally_code sqlite_rank(tally_sink *s, const tally_rank_query *q, tally_rank_cb cb, void *ud, tally_error *err)
{
    char start[TALLY_PERIOD_DATE_LEN + 1];
    char *sql;
    sqlite3_stmt *st;
    int rc;
    tally_code orc = ensure_open(s, err);

    if (orc) return orc;
    if (tally_period_date(q->start, start) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a ranking's period is out of bounds");
    }
    if (!(sql = tally_sink_rank_sql(TALLY_DIALECT_SQLITE, s->table, q))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory ranking counters");
    }
    rc = sqlite3_prepare_v2(impl_of(s)->db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK) return db_error(s, "ranking counters", err);
    sqlite3_bind_text(st, 1, q->type, (int)q->type_len, SQLITE_STATIC);
    if (q->id) sqlite3_bind_text(st, 2, q->id, (int)q->id_len, SQLITE_STATIC);
    else sqlite3_bind_text(st, 2, q->key, (int)q->key_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, tally_period_name(q->period), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, start, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cb(ud, (const char *)sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
               sqlite3_column_int64(st, 1))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? TALLY_OK : db_error(s, "ranking counters", err);
}

static const tally_sink_ops sqlite_ops = {
    .driver = "sqlite",
    .begin_run = sqlite_begin_run,
    .write_batch = sqlite_write_batch,
    .try_batch = sqlite_try_batch,
    .read = sqlite_read,
    .read_owners = sqlite_read_owners,
    .rank = sqlite_rank,
    .execute = sqlite_execute,
    .shape = sqlite_shape,
    .destroy = sqlite_destroy,
};

tally_code tally_sink_sqlite_open(const tally_sqlite_opts *o, tally_sink **out, tally_error *err)
{
    tally_sink *s;
    sqlite_impl *q;
    tally_code rc;

    if (!o->path || !*o->path) return tally_error_set(err, TALLY_ERR_ARGUMENT, "SQLite needs a database file path");
    if (strcmp(o->path, ":memory:") == 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "SQLite ':memory:' is private to one connection: use a file, or a PHP sink on your own connection");
    }
    /* URI filenames can name in-memory databases (file::memory:, ?mode=memory) and other
     * VFSs; a plain path cannot be misread. */
    if (strncmp(o->path, "file:", 5) == 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "SQLite path '%.100s' is a URI: give a plain file path (URI filenames, in-memory "
                               "ones included, are not accepted; './file:...' names a file)", o->path);
    }
    if (strlen(o->path) >= sizeof(((sqlite_impl *)0)->path)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "SQLite path is %zu bytes long; the maximum is %zu",
                               strlen(o->path), sizeof(((sqlite_impl *)0)->path) - 1);
    }
    if ((rc = tally_schema_check_table(o->table, strlen(o->table), err))) return rc;
    s = calloc(1, sizeof(*s));
    q = calloc(1, sizeof(*q));
    if (!s || !q) {
        free(s);
        free(q);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory opening SQLite");
    }
    s->ops = &sqlite_ops;
    s->impl = q;
    snprintf(s->table, sizeof(s->table), "%s", o->table);
    snprintf(q->path, sizeof(q->path), "%s", o->path);
    q->busy_ms = (int)(o->busy_timeout * 1000);
    if ((rc = open_db(q, err))) {
        sqlite_destroy(s);
        return rc;
    }
    *out = s;
    return TALLY_OK;
}
