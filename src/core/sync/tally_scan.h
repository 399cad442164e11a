/* The sync's owner scan: SCAN pages of pending (P) and claim (C) keys of a prefix and
 * owner-type pattern, turned into sorted lists of distinct owners to claim.
 *
 *   tally_scan_init()          the MATCH pattern, and a SCAN of every master from its start
 *                              (redis/tally_keyscan.h: on a cluster, one master after another)
 *   tally_scan_fetch()         one SCAN page: its owners come after those of the page before
 *                              still unclaimed (page_at onwards); done after the last master's
 *                              last page
 *   tally_scan_set_page()      the page becomes the given owners (sorted, unique; taken)
 *   tally_scan_free_page() / tally_scan_free()
 *   tally_owner_cmp()          owners ordered by key (for qsort and bsearch)
 *   tally_owners_sort_unique() sorts owners and frees repeats; returns how many remain
 */
#ifndef TALLY_SCAN_H
#define TALLY_SCAN_H

#include <stddef.h>
#include "redis/tally_keyscan.h"

#include "util/tally_error.h"
#include "tally_key.h"

typedef struct {
    tally_owner_keys *page;             /* owners to claim, sorted; [page_at, page_n) left */
    size_t page_n, page_at;
    tally_keyscan ks;
    char *match;
    size_t match_len;
    int done;                           /* every master's cursor came back to 0 */
    int set_aside;                      /* set after init: owners with only a set-aside hash
                                         * count too (reads; the sync leaves those out) */
    const char *prefix;
    size_t prefix_len;
} tally_scan;

tally_code tally_scan_init(tally_scan *s, tally_conn *conn, const char *prefix, size_t prefix_len,
                           const char *pattern, size_t pattern_len, tally_error *err);
tally_code tally_scan_fetch(tally_scan *s, tally_conn *conn, tally_error *err);
void tally_scan_set_page(tally_scan *s, tally_owner_keys *owners, size_t n);
void tally_scan_free_page(tally_scan *s);
void tally_scan_free(tally_scan *s);
int tally_owner_cmp(const void *a, const void *b);
size_t tally_owners_sort_unique(tally_owner_keys *owners, size_t n);

#endif
