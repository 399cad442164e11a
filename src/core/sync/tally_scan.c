/* The sync's owner scan: see tally_scan.h. */
#include "sync/tally_scan.h"
#include "redis/tally_reply.h"
#include "redis/tally_keyscan.h"

#include <stdlib.h>
#include <string.h>

#define SCAN_COUNT "1000"

tally_code tally_scan_init(tally_scan *s, tally_conn *conn, const char *prefix, size_t prefix_len,
                           const char *pattern, size_t pattern_len, tally_error *err)
{
    memset(s, 0, sizeof(*s));
    s->prefix = prefix;
    s->prefix_len = prefix_len;
    s->match = tally_key_match_owners(prefix, prefix_len, pattern, pattern_len, &s->match_len);
    if (!s->match) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning");
    return tally_keyscan_start(&s->ks, conn, err);
}

void tally_scan_free(tally_scan *s)
{
    tally_scan_free_page(s);
    tally_keyscan_free(&s->ks);
    free(s->match);
    s->match = NULL;
}

void tally_scan_set_page(tally_scan *s, tally_owner_keys *owners, size_t n)
{
    tally_scan_free_page(s);
    s->page = owners;
    s->page_n = tally_owners_sort_unique(owners, n);
}

int tally_owner_cmp(const void *a, const void *b)
{
    const tally_owner_keys *x = a, *y = b;
    size_t n = x->plen < y->plen ? x->plen : y->plen;
    int c = memcmp(x->pkey, y->pkey, n);
    return c ? c : (x->plen > y->plen) - (x->plen < y->plen);
}

/* Sorts owners by key and drops repeats; returns how many remain. */
size_t tally_owners_sort_unique(tally_owner_keys *owners, size_t n)
{
    size_t w = 0;
    qsort(owners, n, sizeof(*owners), tally_owner_cmp);
    for (size_t i = 0; i < n; i++) {
        if (w > 0 && tally_owner_cmp(&owners[w - 1], &owners[i]) == 0) {
            tally_owner_keys_free(&owners[i]);
        } else {
            owners[w++] = owners[i];
        }
    }
    return w;
}

void tally_scan_free_page(tally_scan *s)
{
    for (size_t i = 0; i < s->page_n; i++) {
        if (s->page[i].pkey) tally_owner_keys_free(&s->page[i]);
    }
    free(s->page);
    s->page = NULL;
    s->page_n = s->page_at = 0;
}

/* Takes a SCAN page's keys: the page's distinct owners (of pending or claim keys, and of
 * set-aside hashes when s->set_aside) become
 * the owners to claim next, after those of the page before still unclaimed. */
static tally_code take(tally_scan *s, const redisReply *keys, tally_error *err)
{
    tally_owner_keys *owners;
    size_t n = 0;
    char *type = NULL, *id = NULL;
    tally_code rc = TALLY_OK;

    owners = calloc(keys->elements ? keys->elements : 1, sizeof(*owners));
    if (!owners) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning");
    for (size_t i = 0; i < keys->elements; i++) {
        redisReply *k = keys->element[i];
        size_t len = k->len, tl, il;
        char *nt, *ni;
        if (k->type != REDIS_REPLY_STRING) continue;
        if (len > 2 && (memcmp(k->str + len - 2, ":c", 2) == 0
                        || (s->set_aside && memcmp(k->str + len - 2, ":f", 2) == 0))) {
            len -= 2;
        }
        nt = realloc(type, len ? len : 1);
        if (nt) type = nt;
        ni = realloc(id, len ? len : 1);
        if (ni) id = ni;
        if (!nt || !ni) {
            rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning");
            break;
        }
        if (tally_key_parse_owner(s->prefix, s->prefix_len, k->str, len, type, &tl, id, &il) != 0) continue;
        if ((rc = tally_key_owner_keys(s->prefix, s->prefix_len, type, tl, id, il, &owners[n], err))) break;
        n++;
    }
    free(type);
    free(id);
    if (rc) {
        for (size_t i = 0; i < n; i++) tally_owner_keys_free(&owners[i]);
        free(owners);
        return rc;
    }
    /* The owners of the current page not claimed yet go first, in one sorted list with the
     * new page's (a later page may name them again). */
    if (s->page_at < s->page_n) {
        size_t left = s->page_n - s->page_at;
        tally_owner_keys *all = realloc(owners, (n + left) * sizeof(*owners));
        if (!all) {
            for (size_t i = 0; i < n; i++) tally_owner_keys_free(&owners[i]);
            free(owners);
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory scanning");
        }
        owners = all;
        for (size_t i = s->page_at; i < s->page_n; i++) {
            if (!s->page[i].pkey) continue;
            owners[n++] = s->page[i];
            memset(&s->page[i], 0, sizeof(s->page[i]));
        }
    }
    tally_scan_free_page(s);
    s->page = owners;
    s->page_n = tally_owners_sort_unique(owners, n);
    return TALLY_OK;
}

tally_code tally_scan_fetch(tally_scan *s, tally_conn *conn, tally_error *err)
{
    redisReply *r, *keys;
    tally_code rc = tally_keyscan_next(&s->ks, conn, s->match, s->match_len, SCAN_COUNT, &r, &keys, err);
    if (rc) return rc;
    s->done = s->ks.done;
    rc = take(s, keys, err);
    tally_reply_free(r);
    return rc;
}
