/* Set-aside counters: see tally_setaside.h. */
#include "sync/tally_setaside.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"
#include "redis/tally_keyscan.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    tally_sink *sink;
    const char *run;
    size_t run_len;
    long long fence;
    const tally_row *rows;
    unsigned char *bad;
    tally_setaside_why why;
    void *ud;
    tally_error *err;
} finder;

/* Rows [lo, hi). known: the error rejecting exactly these rows, when already known. Rows
 * are independent upserts of distinct counters, so when the left half of a rejected range
 * passes, the right half is the rejected one and needs no attempt of its own. */
static tally_code find_in(finder *f, size_t lo, size_t hi, const tally_error *known)
{
    tally_error e;
    size_t mid;
    tally_code rc;

    if (!known) {
        rc = f->sink->ops->try_batch(f->sink, f->run, f->run_len, f->fence, f->rows + lo, hi - lo, &e);
        if (rc == TALLY_OK) return TALLY_OK;
        if (rc != TALLY_ERR_REJECTED) {
            *f->err = e;
            return rc;
        }
        known = &e;
    }
    if (hi - lo == 1) {
        f->bad[lo] = 1;
        if (f->why) f->why(f->ud, lo, known);
        return TALLY_OK;
    }
    mid = lo + (hi - lo) / 2;
    {
        tally_error left;
        rc = f->sink->ops->try_batch(f->sink, f->run, f->run_len, f->fence, f->rows + lo, mid - lo, &left);
        if (rc == TALLY_OK) return find_in(f, mid, hi, known);
        if (rc != TALLY_ERR_REJECTED) {
            *f->err = left;
            return rc;
        }
        if ((rc = find_in(f, lo, mid, &left))) return rc;
    }
    return find_in(f, mid, hi, NULL);
}

tally_code tally_setaside_find(tally_sink *sink, const char *run, size_t run_len, long long fence,
                               const tally_row *rows, size_t n, unsigned char *bad,
                               tally_setaside_why why, void *ud, tally_error *err)
{
    finder f = {sink, run, run_len, fence, rows, bad, why, ud, err};
    if (!sink->ops->try_batch) return err->code;       /* cannot narrow: the batch fails whole */
    if (n == 0) return TALLY_OK;
    return find_in(&f, 0, n, err);
}

tally_code tally_setaside_move(tally_conn *conn, const tally_lock *lock, const tally_owner_keys *o,
                               const char *seq, size_t seq_len, const char *const *fields,
                               const size_t *field_lens, size_t n, int *moved, tally_error *err)
{
    /* On a cluster the lock is in another slot: the claim-side token (a recovered leftover
     * is re-stamped before it is written, tally_sync.h) is the guard there. */
    int nkeys = tally_conn_is_cluster(conn) ? 2 : 3;
    size_t argc = n + 2 + (size_t)nkeys;
    const char **argv = malloc(argc * sizeof(*argv));
    size_t *lens = malloc(argc * sizeof(*lens));
    redisReply *r = NULL;
    long long v = 0;
    tally_code rc;

    *moved = 0;
    if (!argv || !lens) {
        free(argv);
        free(lens);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory setting counters aside");
    }
    argv[0] = o->ckey;     lens[0] = o->clen;
    argv[1] = o->fkey;     lens[1] = o->flen;
    argv[2] = lock->key;   lens[2] = lock->key_len;
    argv[nkeys] = lock->token;    lens[nkeys] = strlen(lock->token);
    argv[nkeys + 1] = seq;        lens[nkeys + 1] = seq_len;
    memcpy(argv + nkeys + 2, fields, n * sizeof(*argv));
    memcpy(lens + nkeys + 2, field_lens, n * sizeof(*lens));
    rc = tally_script_run(conn, TALLY_SCRIPT_SET_ASIDE, nkeys, (int)argc, argv, lens, &r, err);
    free(argv);
    free(lens);
    if (rc) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "setting counters aside", err);
    } else {
        rc = tally_reply_int(r, "setting counters aside", &v, err);
    }
    tally_reply_free(r);
    *moved = v == 1;
    return rc;
}

void tally_setaside_reason(void *ud, size_t i, const tally_error *why)
{
    tally_setaside_reasons *rs = ud;
    if (rs->n == TALLY_SETASIDE_REASONS) return;
    rs->row[rs->n] = i;
    memcpy(rs->msg[rs->n++], why->msg, TALLY_ERRMSG_MAX);
}

tally_code tally_setaside_claims(tally_conn *conn, const tally_lock *lock, tally_claims *b, const unsigned char *bad,
                                 const tally_setaside_reasons *rs,
                                 void (*named)(void *ud, const tally_row *row, const char *why), void *ud,
                                 tally_error *err)
{
    const char **fields = malloc((b->nrows ? b->nrows : 1) * sizeof(*fields));
    size_t *lens = malloc((b->nrows ? b->nrows : 1) * sizeof(*lens)), at = 0, w = 0;
    tally_code rc = TALLY_OK;

    if (!fields || !lens) rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory setting counters aside");
    /* First every move, then the batch is rewritten: an error leaves it as it was. */
    for (size_t c = 0; c < b->nclaims && rc == TALLY_OK; c++) {
        tally_claim *cl = &b->claims[c];
        size_t nb = 0, end = at + cl->nrows;
        int moved;
        for (size_t i = at; i < end; i++) {
            if (!bad[i]) continue;
            /* Its field in C: a period counter's field is not its key (tally_key.h). */
            fields[nb] = b->rows[i].field ? b->rows[i].field : b->rows[i].key;
            lens[nb++] = b->rows[i].field ? b->rows[i].field_len : b->rows[i].key_len;
        }
        at = end;
        if (nb == 0) continue;
        rc = tally_setaside_move(conn, lock, &cl->owner, cl->seq, cl->seq_len, fields, lens, nb, &moved, err);
        if (rc == TALLY_OK && !moved) {
            rc = tally_error_set(err, TALLY_ERR_SERVER, "lost the sync lock (or the claim) before setting counters aside: "
                                 "stopping so that two runs never race; the next run finishes the work");
        }
    }
    for (size_t c = 0, i = 0; c < b->nclaims && rc == TALLY_OK; c++) {
        tally_claim *cl = &b->claims[c];
        size_t end = i + cl->nrows;
        for (; i < end; i++) {
            const char *why = "rejected by the database";
            if (!bad[i]) {
                b->rows[w++] = b->rows[i];
                continue;
            }
            for (size_t k = 0; k < rs->n; k++) {
                if (rs->row[k] == i) why = rs->msg[k];
            }
            if (named) named(ud, &b->rows[i], why);
            cl->nrows--;
        }
    }
    if (rc == TALLY_OK) b->nrows = w;
    free(fields);
    free(lens);
    return rc;
}

/* One owner's F: its counters through cb (after moving them back into P when retrying). */
static tally_code scan_owner(const tally_counter *t, const tally_owner_keys *o, int retry,
                             tally_setaside_cb cb, void *ud, size_t *count, int *stop, tally_error *err)
{
    const char *argv[2] = {o->pkey, o->fkey}, *hgetall[2] = {"HGETALL", o->fkey};
    size_t lens[2] = {o->plen, o->flen}, hlens[2] = {7, o->flen};
    redisReply *r = NULL;
    tally_code rc = retry ? tally_script_run(t->conn, TALLY_SCRIPT_RETRY, 2, 2, argv, lens, &r, err)
                          : tally_conn_command(t->conn, 2, hgetall, hlens, &r, err);
    if (rc) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, retry ? "putting set-aside counters back" : "listing set-aside counters", err);
    } else if (r->type != REDIS_REPLY_ARRAY || r->elements % 2) {
        rc = tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply listing set-aside counters");
    }
    for (size_t i = 0; rc == TALLY_OK && !*stop && i + 1 < r->elements; i += 2) {
        redisReply *k = r->element[i], *v = r->element[i + 1];
        tally_row row = tally_field_row(o, k->str, k->len, 0);
        if ((rc = tally_reply_int(v, "a set-aside counter", &row.delta, err))) break;
        (*count)++;
        if (cb && cb(ud, &row)) *stop = 1;
    }
    tally_reply_free(r);
    return rc;
}

tally_code tally_setaside_scan(const tally_counter *t, const char *pattern, size_t pattern_len, int retry,
                               tally_setaside_cb cb, void *ud, size_t *count, tally_error *err)
{
    char *match, *m;
    size_t match_len;
    int stop = 0;
    tally_keyscan ks;
    tally_code rc = TALLY_OK;

    *count = 0;
    if (pattern && pattern_len > TALLY_OWNER_TYPE_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "the owner type pattern is %zu bytes long; the maximum is %d",
                               pattern_len, TALLY_OWNER_TYPE_MAX);
    }
    if (!(match = tally_key_match_owners(t->prefix, t->prefix_len, pattern, pattern_len, &match_len))
        || !(m = realloc(match, match_len + 2))) {
        free(match);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning");
    }
    match = m;
    memcpy(match + match_len, ":f", 2);          /* "<prefix>{<pattern>:*:f" */
    match_len += 2;
    if ((rc = tally_keyscan_start(&ks, t->conn, err))) {
        free(match);
        return rc;
    }
    do {
        redisReply *r = NULL, *keys;
        if ((rc = tally_keyscan_next(&ks, t->conn, match, match_len, "1000", &r, &keys, err))) break;
        for (size_t i = 0; i < keys->elements && rc == TALLY_OK && !stop; i++) {
            redisReply *k = keys->element[i];
            size_t tl, il, len = k->len - 2;
            char *type, *id;
            tally_owner_keys o;
            if (k->type != REDIS_REPLY_STRING || k->len < 3 || memcmp(k->str + len, ":f", 2) != 0) continue;
            type = malloc(len);
            id = malloc(len);
            if (!type || !id) {
                rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning");
            } else if (tally_key_parse_owner(t->prefix, t->prefix_len, k->str, len, type, &tl, id, &il) == 0
                       && (rc = tally_key_owner_keys(t->prefix, t->prefix_len, type, tl, id, il, &o, err)) == TALLY_OK) {
                rc = scan_owner(t, &o, retry, cb, ud, count, &stop, err);
                tally_owner_keys_free(&o);
            }
            free(type);
            free(id);
        }
        tally_reply_free(r);
    } while (rc == TALLY_OK && !stop && !ks.done);
    tally_keyscan_free(&ks);
    free(match);
    return rc;
}
