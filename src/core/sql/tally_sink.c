/* What every sink shares: creating the schema's tables, and the fenced batch write. */
#include "sql/tally_sink.h"
#include "util/tally_failpoint.h"
#include "sql/tally_schema.h"

#include <stdlib.h>
#include <string.h>

tally_code tally_sink_create_tables(tally_sink *s, tally_error *err)
{
    char *ddl[TALLY_SCHEMA_MAX_STATEMENTS];
    tally_dialect d = strcmp(s->ops->driver, "sqlite") == 0 ? TALLY_DIALECT_SQLITE : TALLY_DIALECT_MYSQL;
    tally_code rc = TALLY_OK;
    int n = tally_schema_ddl(d, s->table, ddl, err);
    if (n < 0) return err ? err->code : TALLY_ERR_ARGUMENT;
    for (int i = 0; i < n; i++) {
        if (rc == TALLY_OK) rc = s->ops->execute(s, ddl[i], err);
        free(ddl[i]);
    }
    return rc;
}

tally_code tally_sink_fence_moved(tally_error *err, long long current, long long ours)
{
    return tally_error_set(err, TALLY_ERR_DATABASE,
                           "another sync run took over (fence %lld, ours %lld): stopping without writing", current, ours);
}

/* One transaction: a newer run's fence means a stale run must not write (see tally_sync.h).
 * The fence is checked under a lock before the first row is written, either by its own
 * statement or by every upsert; the lock stops a new run from taking the fence until we
 * commit or roll back. */
tally_code tally_sink_write_fenced(tally_sink *s, const tally_sql_tx *tx, const char *run, size_t run_len,
                                   long long fence, const tally_row *rows, size_t n, int commit, tally_error *err)
{
    const tally_fence f = {run, run_len, fence};
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
        if ((rc = tx->upsert(s, &f, rows + off, len, err))) goto fail;
    }
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
    tx->rollback(s);
    return rc;
}
