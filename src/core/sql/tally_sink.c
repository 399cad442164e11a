/* What every sink shares: creating the schema's tables, and the fenced batch write. */
#include "sql/tally_sink.h"
#include "util/tally_failpoint.h"
#include "sql/tally_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tally_dialect dialect_of(tally_sink *s)
{
    return strcmp(s->ops->driver, "sqlite") == 0 ? TALLY_DIALECT_SQLITE : TALLY_DIALECT_MYSQL;
}

static tally_code execute_all(tally_sink *s, char **sql, int n, tally_error *err)
{
    tally_code rc = TALLY_OK;
    for (int i = 0; i < n; i++) {
        if (rc == TALLY_OK) rc = s->ops->execute(s, sql[i], err);
        free(sql[i]);
    }
    return rc;
}

/* A table of an earlier release is upgraded in place. On SQLite the shape is read inside
 * the write transaction, so that two processes creating tables at once upgrade once; on
 * MySQL the ALTER TABLE commits of itself (a second one at the same instant fails on the
 * duplicate column and changes nothing). */
static tally_code upgrade(tally_sink *s, tally_error *err)
{
    char *sql[TALLY_SCHEMA_MAX_STATEMENTS];
    tally_dialect d = dialect_of(s);
    tally_schema_shape shape;
    tally_code rc;
    int n;

    if (d == TALLY_DIALECT_SQLITE && (rc = s->ops->execute(s, "BEGIN IMMEDIATE", err))) return rc;
    if ((rc = s->ops->shape(s, &shape, err)) == TALLY_OK && shape == TALLY_SHAPE_OLD) {
        if ((n = tally_schema_upgrade_ddl(d, s->table, sql, err)) < 0) rc = err ? err->code : TALLY_ERR_ARGUMENT;
        else rc = execute_all(s, sql, n, err);
    }
    if (d == TALLY_DIALECT_SQLITE) {
        if (rc == TALLY_OK) rc = s->ops->execute(s, "COMMIT", err);
        if (rc != TALLY_OK) s->ops->execute(s, "ROLLBACK", NULL);
    }
    return rc;
}

tally_code tally_sink_create_tables(tally_sink *s, tally_error *err)
{
    char *ddl[TALLY_SCHEMA_MAX_STATEMENTS];
    tally_code rc;
    int n = tally_schema_ddl(dialect_of(s), s->table, ddl, err);
    if (n < 0) return err ? err->code : TALLY_ERR_ARGUMENT;
    if ((rc = execute_all(s, ddl, n, err))) return rc;
    return s->ops->shape ? upgrade(s, err) : TALLY_OK;
}

tally_code tally_sink_fence_moved(tally_error *err, long long current, long long ours)
{
    return tally_error_set(err, TALLY_ERR_DATABASE,
                           "another sync run took over (fence %lld, ours %lld): stopping without writing", current, ours);
}

size_t tally_sink_pad(const tally_row *rows, size_t n, tally_row *out)
{
    memcpy(out, rows, n * sizeof(*rows));
    for (size_t i = n; i < TALLY_SINK_CHUNK; i++) {
        out[i] = rows[n - 1];
        out[i].delta = 0;
    }
    return TALLY_SINK_CHUNK;
}

/* One transaction: a newer run's fence means a stale run must not write (see tally_sync.h).
 * The fence is checked under a lock before the first row is written, either by its own
 * statement or by every upsert; the lock stops a new run from taking the fence until we
 * commit or roll back. */
tally_code tally_sink_write_fenced(tally_sink *s, const tally_sql_tx *tx, const char *run, size_t run_len,
                                   long long fence, const tally_row *rows, size_t n, int commit, tally_error *err)
{
    const tally_fence f = {run, run_len, fence};
    tally_row *padded = NULL;
    long long current;
    tally_code rc;

    if ((rc = tx->begin(s, err))) return rc;
    if (tx->locked_fence) {
        if ((rc = tx->locked_fence(s, run, run_len, &current, err))) goto fail;
        if (current != fence) {
            rc = tally_sink_fence_moved(err, current, fence);
            goto fail;
        }
    }
    for (size_t off = 0; off < n; off += TALLY_SINK_CHUNK) {
        size_t len = n - off < TALLY_SINK_CHUNK ? n - off : TALLY_SINK_CHUNK;
        const tally_row *chunk = rows + off;
        if (len < TALLY_SINK_CHUNK && len >= TALLY_SINK_CHUNK - TALLY_SINK_PAD_MAX) {
            if (!(padded = malloc(TALLY_SINK_CHUNK * sizeof(*padded)))) {
                rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory writing a batch");
                goto fail;
            }
            len = tally_sink_pad(chunk, len, padded);
            chunk = padded;
        }
        if ((rc = tx->upsert(s, &f, chunk, len, err))) goto fail;
    }
    free(padded);
    padded = NULL;
    if (!commit) {
        tx->rollback(s);
        return TALLY_OK;
    }
    if (tally_failpoint("before-commit")) {
        rc = tally_error_set(err, TALLY_ERR_DATABASE, "failpoint before-commit");
        goto fail;
    }
    if ((rc = tx->commit(s, err))) goto fail;
    return TALLY_OK;
fail:
    free(padded);
    tx->rollback(s);
    return rc;
}

/* The SELECT of a read: of one owner (nids 0: owner_id = ?) or of nids owners (owner_id IN,
 * owner_id selected first). */
static char *read_sql(tally_dialect d, const char *table, const tally_read_query *q, size_t nids, size_t nkeys)
{
    const char qt = d == TALLY_DIALECT_MYSQL ? '`' : '"';
    size_t cap = 400 + strlen(table) + (nkeys + nids) * 3;
    char *sql = malloc(cap), *p;
    if (!sql) return NULL;
    p = sql + snprintf(sql, cap, "SELECT %s%ckey%c, %cperiod_start%c, %ccount%c, %csync_seq%c FROM %c%s%c WHERE %cowner_type%c = ?",
                       nids ? (d == TALLY_DIALECT_MYSQL ? "`owner_id`, " : "\"owner_id\", ") : "",
                       qt, qt, qt, qt, qt, qt, qt, qt, qt, table, qt, qt, qt);
    if (nids == 0) {
        p += sprintf(p, " AND %cowner_id%c = ?", qt, qt);
    } else {
        p += sprintf(p, " AND %cowner_id%c IN (", qt, qt);
        for (size_t i = 0; i < nids; i++) p += sprintf(p, i ? ", ?" : "?");
        p += sprintf(p, ")");
    }
    if (q->seq > 0 && nids == 0) {
        sprintf(p, " AND %csync_seq%c = ? LIMIT 1", qt, qt);
        return sql;
    }
    p += sprintf(p, tally_read_one_start(q) ? " AND %cperiod%c = ? AND %cperiod_start%c = ?"
                                            : " AND %cperiod%c = ? AND %cperiod_start%c BETWEEN ? AND ?",
                 qt, qt, qt, qt);
    if (nkeys > 0) {
        p += sprintf(p, " AND %ckey%c IN (", qt, qt);
        for (size_t i = 0; i < nkeys; i++) p += sprintf(p, i ? ", ?" : "?");
        sprintf(p, ")");
    }
    return sql;
}

char *tally_sink_read_sql(tally_dialect d, const char *table, const tally_read_query *q, size_t nkeys)
{
    return read_sql(d, table, q, 0, nkeys);
}

char *tally_sink_read_owners_sql(tally_dialect d, const char *table, const tally_read_query *q, size_t nids,
                                 size_t nkeys)
{
    return read_sql(d, table, q, nids ? nids : 1, nkeys);
}

char *tally_sink_rank_sql(tally_dialect d, const char *table, const tally_rank_query *q)
{
    const char qt = d == TALLY_DIALECT_MYSQL ? '`' : '"';
    const char *name = q->id ? "key" : "owner_id", *by = q->id ? "owner_id" : "key";
    size_t cap = 400 + strlen(table);
    char *sql = malloc(cap);
    if (!sql) return NULL;
    snprintf(sql, cap,
             "SELECT %c%s%c, %ccount%c FROM %c%s%c WHERE %cowner_type%c = ? AND %c%s%c = ? AND %cperiod%c = ? "
             "AND %cperiod_start%c = ? ORDER BY %ccount%c DESC, %c%s%c ASC LIMIT %zu",
             qt, name, qt, qt, qt, qt, table, qt, qt, qt, qt, by, qt, qt, qt, qt, qt, qt, qt, qt, name, qt, q->limit);
    return sql;
}

tally_code tally_sink_read_owners_chunked(tally_sink *s, const tally_owners_query *q, tally_sink_owners_fn one,
                                          tally_owner_row_cb cb, void *ud, tally_error *err)
{
    size_t kchunk = q->q.n < TALLY_SINK_READ_CHUNK / 2 ? q->q.n : TALLY_SINK_READ_CHUNK / 2;
    size_t ichunk = TALLY_SINK_READ_CHUNK - kchunk;
    size_t koff = 0;
    tally_code rc = TALLY_OK;

    do {
        size_t klen = q->q.n - koff < kchunk ? q->q.n - koff : kchunk;
        for (size_t ioff = 0; ioff < q->n_ids && rc == TALLY_OK; ioff += ichunk) {
            tally_owners_query part = *q;
            part.ids = q->ids + ioff;
            part.id_lens = q->id_lens + ioff;
            part.n_ids = q->n_ids - ioff < ichunk ? q->n_ids - ioff : ichunk;
            part.q.keys = q->q.n ? q->q.keys + koff : NULL;
            part.q.key_lens = q->q.n ? q->q.key_lens + koff : NULL;
            part.q.n = klen;
            rc = one(s, &part, cb, ud, err);
        }
        koff += klen;
    } while (rc == TALLY_OK && koff < q->q.n);
    return rc;
}
