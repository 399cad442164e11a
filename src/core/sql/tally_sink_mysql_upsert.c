/* The MariaDB/MySQL sink's batch upsert: one multi-row INSERT ... ON DUPLICATE KEY UPDATE
 * whose first row carries the fence check (see tally_sink_mysql.c). The full-size statement
 * is prepared once per session and bound once to fixed slots, so a batch only copies its
 * values in; other sizes (and rows wider than a slot) are bound directly. */
#include "sql/tally_sink_mysql_int.h"
#include "util/tally_grow.h"

#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    st = tally_mysql_prepare(s, sql, "preparing the upsert", err);
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
    tally_mysql_bind_str(&b[ROW_PARAMS], m->fence_run, sizeof(m->fence_run), &m->fence_run_len);
    m->fence_run_len = len;
    tally_mysql_bind_ll(&b[ROW_PARAMS + 1], &m->fence);
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
            tally_mysql_bind_str(&b[param_at(i, 0)], slot, SLOT_TYPE, &m->slot_lens[STRS * i]);
            tally_mysql_bind_str(&b[param_at(i, 1)], slot + SLOT_TYPE, SLOT_ID, &m->slot_lens[STRS * i + 1]);
            tally_mysql_bind_str(&b[param_at(i, 2)], slot + SLOT_TYPE + SLOT_ID, SLOT_KEY, &m->slot_lens[STRS * i + 2]);
            tally_mysql_bind_str(&b[param_at(i, 3)], slot + SLOT_TYPE + SLOT_ID + SLOT_KEY, SLOT_PERIOD, &m->slot_lens[STRS * i + 3]);
            tally_mysql_bind_str(&b[param_at(i, 4)], slot + SLOT_TYPE + SLOT_ID + SLOT_KEY + SLOT_PERIOD, SLOT_DATE,
                     &m->slot_lens[STRS * i + 4]);
            tally_mysql_bind_ll(&b[param_at(i, 5)], &m->slot_nums[2 * i]);
            tally_mysql_bind_ll(&b[param_at(i, 6)], &m->slot_nums[2 * i + 1]);
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
    if (mysql_stmt_errno(st) != ER_BAD_NULL_ERROR) return tally_mysql_stmt_fail(s, st, "writing a batch", err);
    if ((rc = tally_mysql_read_fence(s, f->run, f->run_len, 1, &current, err))) return rc;
    return tally_sink_fence_moved(err, current, f->fence);
}

tally_code tally_mysql_upsert(tally_sink *s, const tally_fence *f, const tally_row *rows, size_t n, tally_error *err)
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
                             : tally_mysql_stmt_fail(s, st, "writing a batch", err);
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
        tally_mysql_bind_str(&b[param_at(i, 0)], rows[i].type, rows[i].type_len, &lens[STRS * i]);
        tally_mysql_bind_str(&b[param_at(i, 1)], rows[i].id, rows[i].id_len, &lens[STRS * i + 1]);
        tally_mysql_bind_str(&b[param_at(i, 2)], rows[i].key, rows[i].key_len, &lens[STRS * i + 2]);
        tally_mysql_bind_str(&b[param_at(i, 3)], period, strlen(period), &lens[STRS * i + 3]);
        tally_mysql_bind_str(&b[param_at(i, 4)], date, TALLY_PERIOD_DATE_LEN, &lens[STRS * i + 4]);
        tally_mysql_bind_ll(&b[param_at(i, 5)], &nums[2 * i]);
        tally_mysql_bind_ll(&b[param_at(i, 6)], &nums[2 * i + 1]);
    }
    bind_fence(m, b);
    if (mysql_stmt_bind_param(st, b)) {
        rc = tally_mysql_stmt_fail(s, st, "writing a batch", err);
    } else if (mysql_stmt_execute(st)) {
        rc = upsert_failed(s, st, f, err);
    }
    /* The cached statement belongs to the connection (disconnect() closes it). */
    if (!cached) mysql_stmt_close(st);
    return rc;
}

void tally_mysql_upsert_reset(mysql_impl *m)
{
    if (m->chunk) {
        mysql_stmt_close(m->chunk);
        m->chunk = NULL;
    }
    m->slots_bound = 0;
}

void tally_mysql_upsert_free(mysql_impl *m)
{
    free(m->binds);
    free(m->lens);
    free(m->nums);
    free(m->dates);
    free(m->slots);
    free(m->slot_binds);
    free(m->slot_lens);
    free(m->slot_nums);
}
