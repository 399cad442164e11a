/* The MariaDB/MySQL sink's reads of many owners at once and its rankings (tally_sink.h:
 * read_owners(), rank()): prepared statements, results fetched into buffers as wide as the
 * columns. */
#include "sql/tally_sink_mysql_int.h"
#include "util/tally_period.h"

#include <stdlib.h>

/* The widest owner id or key a row can hold (VARBINARY(255) / VARBINARY(100)). */
#define NAME_MAX_BYTES 256

static tally_code oom(tally_error *err, const char *doing)
{
    return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory %s", doing);
}

static void bind_out_str(MYSQL_BIND *b, char *buf, size_t cap, unsigned long *len)
{
    memset(b, 0, sizeof(*b));
    b->buffer_type = MYSQL_TYPE_STRING;
    b->buffer = buf;
    b->buffer_length = (unsigned long)cap;
    b->length = len;
}

/* One row of a read of many owners, from the buffers its results are bound to. */
typedef struct {
    tally_owner_row_cb cb;
    void *ud;
    const char *id;
    const unsigned long *idlen;
    const char *key;
    const unsigned long *keylen;
    const MYSQL_TIME *start;
    const long long *count, *seq;
    int32_t day;              /* every row's start (a read of one start), or -1 */
} owner_row_ctx;

static int owner_row(void *ud)
{
    const owner_row_ctx *x = ud;
    int32_t day;
    if (*x->idlen > NAME_MAX_BYTES || *x->keylen > NAME_MAX_BYTES) return 0;   /* wider than the columns */
    day = x->day >= 0 ? x->day : tally_mysql_row_day(x->start);
    return x->cb(x->ud, x->id, *x->idlen, x->key, *x->keylen, day, *x->count, *x->seq);
}

/* One statement of read_owners() (tally_sink_read_owners_chunked() cuts the query), kept
 * prepared per shape as one owner's reads are (tally_mysql_read_statement()). */
static tally_code read_owners_one(tally_sink *s, const tally_owners_query *oq, tally_owner_row_cb cb, void *ud,
                                  tally_error *err)
{
    const tally_read_query *q = &oq->q;
    const char *period = tally_period_name(q->period);
    char from[TALLY_PERIOD_DATE_LEN + 1], to[TALLY_PERIOD_DATE_LEN + 1];
    char idbuf[NAME_MAX_BYTES], keybuf[NAME_MAX_BYTES];
    MYSQL_TIME start;
    unsigned long idlen = 0, keylen = 0;
    long long count = 0, seq = 0;
    tally_mysql_read_stmt *r;
    MYSQL_BIND *in, out[5];
    unsigned long *lens;
    tally_code rc;
    size_t b = 0;
    int stop;

    if (tally_period_date(q->from, from) < 0 || tally_period_date(q->to, to) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a read's period range is out of bounds");
    }
    if (!(r = tally_mysql_read_statement(s, q, oq->n_ids, q->n, err))) return err ? err->code : TALLY_ERR_DATABASE;
    in = r->in;
    lens = r->lens;
    tally_mysql_bind_str(&in[b], oq->type, oq->type_len, &lens[b]);
    b++;
    for (size_t i = 0; i < oq->n_ids; i++, b++) tally_mysql_bind_str(&in[b], oq->ids[i], oq->id_lens[i], &lens[b]);
    tally_mysql_bind_str(&in[b], period, strlen(period), &lens[b]);
    b++;
    tally_mysql_bind_str(&in[b], from, TALLY_PERIOD_DATE_LEN, &lens[b]);
    b++;
    if (!tally_read_one_start(q)) {
        tally_mysql_bind_str(&in[b], to, TALLY_PERIOD_DATE_LEN, &lens[b]);
        b++;
    }
    for (size_t i = 0; i < q->n; i++, b++) tally_mysql_bind_str(&in[b], q->keys[i], q->key_lens[i], &lens[b]);
    bind_out_str(&out[0], idbuf, sizeof(idbuf), &idlen);
    bind_out_str(&out[1], keybuf, sizeof(keybuf), &keylen);
    tally_mysql_bind_date(&out[2], &start);
    tally_mysql_bind_ll(&out[3], &count);
    tally_mysql_bind_ll(&out[4], &seq);
    {
        owner_row_ctx row = {cb, ud, idbuf, &idlen, keybuf, &keylen, &start, &count, &seq,
                             tally_read_one_start(q) ? q->from : -1};
        rc = tally_mysql_read_run(s, r, out, owner_row, &row, &stop, err);
    }
    return rc;
}

tally_code tally_mysql_read_owners(tally_sink *s, const tally_owners_query *q, tally_owner_row_cb cb, void *ud,
                                   tally_error *err)
{
    tally_code rc = tally_mysql_ensure_connected(s, 0, err);
    return rc ? rc : tally_sink_read_owners_chunked(s, q, read_owners_one, cb, ud, err);
}

tally_code tally_mysql_rank(tally_sink *s, const tally_rank_query *q, tally_rank_cb cb, void *ud, tally_error *err)
{
    const char *period = tally_period_name(q->period);
    char start[TALLY_PERIOD_DATE_LEN + 1], name[NAME_MAX_BYTES];
    unsigned long lens[4], namelen = 0;
    long long count = 0;
    MYSQL_BIND in[4], out[2];
    MYSQL_STMT *st;
    tally_code rc;
    char *sql;
    int f;

    if ((rc = tally_mysql_ensure_connected(s, 0, err))) return rc;
    if (tally_period_date(q->start, start) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a ranking's period is out of bounds");
    }
    if (!(sql = tally_sink_rank_sql(TALLY_DIALECT_MYSQL, s->table, q))) return oom(err, "ranking counters");
    st = tally_mysql_prepare(s, sql, "ranking counters", err);
    free(sql);
    if (!st) return err->code;
    tally_mysql_bind_str(&in[0], q->type, q->type_len, &lens[0]);
    if (q->id) tally_mysql_bind_str(&in[1], q->id, q->id_len, &lens[1]);
    else tally_mysql_bind_str(&in[1], q->key, q->key_len, &lens[1]);
    tally_mysql_bind_str(&in[2], period, strlen(period), &lens[2]);
    tally_mysql_bind_str(&in[3], start, TALLY_PERIOD_DATE_LEN, &lens[3]);
    bind_out_str(&out[0], name, sizeof(name), &namelen);
    tally_mysql_bind_ll(&out[1], &count);
    if (mysql_stmt_bind_param(st, in) || mysql_stmt_execute(st) || mysql_stmt_bind_result(st, out)) {
        rc = tally_mysql_stmt_fail(s, st, "ranking counters", err);
    } else {
        while ((f = mysql_stmt_fetch(st)) == 0 || f == MYSQL_DATA_TRUNCATED) {
            if (namelen > sizeof(name)) continue;
            if (cb(ud, name, namelen, count)) break;
        }
        if (f == 1) rc = tally_mysql_stmt_fail(s, st, "ranking counters", err);
    }
    mysql_stmt_close(st);
    return rc;
}
