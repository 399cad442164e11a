/* The dry run: what a sync run would write, read in one atomic snapshot per owner (P, C and
 * F together), nothing claimed, written or locked. A leftover a run would find committed
 * is only released by a run, so it is not listed; keys that are not Tally's are named as a
 * run names them. */
#include "sync/tally_run.h"
#include "util/tally_grow.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"

#include <stdlib.h>
#include <string.h>

/* Dry run: the owner's P or C holds another type (WRONGTYPE): name it as a run would. */
static tally_code dry_foreign(run_state *s, const tally_owner_keys *o)
{
    for (int h = 1; h >= 0; h--) {
        const char *argv[2] = {"TYPE", h ? o->ckey : o->pkey};
        size_t lens[2] = {4, h ? o->clen : o->plen};
        redisReply *r;
        tally_code rc = tally_conn_command(s->t->conn, 2, argv, lens, &r, s->err);
        int other;
        if (rc) return rc;
        other = r->type == REDIS_REPLY_STATUS && strcmp(r->str, "hash") != 0 && strcmp(r->str, "none") != 0;
        if (other) tally_run_note_foreign(s, argv[1], lens[1], r->str, r->len, NULL, 0, NULL, 0);
        tally_reply_free(r);
        if (other) break;
    }
    return TALLY_OK;
}

static tally_code dry_owners(run_state *s)
{
    tally_code rc = TALLY_OK;
    tally_row *rows = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < s->scan.page_n && rc == TALLY_OK && !s->stop; i++) {
        tally_owner_keys *o = &s->scan.page[i];
        const char *argv[3] = {o->pkey, o->ckey, o->fkey};
        size_t lens[3] = {o->plen, o->clen, o->flen}, n = 0;
        redisReply *r;
        if ((rc = tally_script_run(s->t->conn, TALLY_SCRIPT_READ_ALL, 3, 3, argv, lens, &r, s->err))) break;
        if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "WRONGTYPE", 9) == 0) {
            rc = dry_foreign(s, o);
        } else if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) {
            rc = r->type == REDIS_REPLY_ERROR ? tally_reply_error(r, "reading pending counters", s->err)
                                              : tally_error_set(s->err, TALLY_ERR_PROTOCOL, "unexpected reply");
        } else {
            /* The claim hash first: a leftover a run would find already committed is only
             * released, so it is not listed. Then the pending hash. */
            for (int h = 1; h >= 0 && rc == TALLY_OK; h--) {
                redisReply *f = r->element[h];
                long long seq = -1;
                size_t first = n;
                for (size_t j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements; j += 2) {
                    long long v;
                    redisReply *key = f->element[j], *val = f->element[j + 1];
                    if (key->len == 0) {
                        if (tally_parse_int(val->str, val->len, &seq)) seq = -1;
                        continue;
                    }
                    if (tally_parse_int(val->str, val->len, &v)) {
                        /* As the claim script: the owner is not Tally's, and left alone. */
                        tally_run_note_foreign(s, h ? o->ckey : o->pkey, h ? o->clen : o->plen, "hash", 4, key->str, key->len,
                                     val->str, val->len);
                        n = 0;
                        h = -1;
                        break;
                    }
                    if (v != 0) {
                        if (tally_grow((void **)&rows, &cap, n + 1, sizeof(*rows))) {
                            rc = tally_error_set(s->err, TALLY_ERR_MEMORY, "out of memory reading counters");
                            break;
                        }
                        rows[n++] = tally_field_row(o, key->str, key->len, v);
                    } else {
                        s->report->skipped++;
                    }
                }
                if (h == 1 && f->type == REDIS_REPLY_ARRAY && f->elements > 0 && rc == TALLY_OK) {
                    int committed;
                    s->report->recovered++;
                    rc = tally_run_leftover_committed(s, o, n - first, seq, &committed);
                    if (committed) n = first;
                }
            }
            s->report->synced += n;
            s->report->owners += n > 0;
            if (rc == TALLY_OK && n > 0 && s->opts->on_batch && s->opts->on_batch(s->opts->on_batch_ud, rows, n)) {
                s->stop = 1;
            }
        }
        tally_reply_free(r);
    }
    s->scan.page_at = s->scan.page_n;             /* all read: tally_scan_fetch() keeps nothing of it */
    free(rows);
    return rc;
}

tally_code tally_run_dry(run_state *s)
{
    tally_code rc = TALLY_OK;
    do {
        if ((rc = tally_scan_fetch(&s->scan, s->t->conn, s->err)) == TALLY_OK) rc = dry_owners(s);
    } while (rc == TALLY_OK && !s->stop && !s->scan.done);
    return rc;
}
