/* What the exact reads of one owner (tally_read.c) and of many (tally_read_many.c) share,
 * not a public header: the READ_KEYS reply's checks and the sum of a key's parts.
 *
 *   tally_read_all_snapshot() READ_ALL of an owner (P, C and F whole, one snapshot), checked
 *   tally_read_owner_reply()  owner i's part (*own) of a READ_KEYS reply for `owners`
 *                             owners, checked as tally_read_check_reply() does
 *   tally_read_check_reply()  one owner's part of a READ_KEYS reply for n keys is well
 *                             formed; *cseq the in-flight claim's seq (-1: none)
 *   tally_read_row_newer()    whether a key with an in-flight delta met a row NEWER than the
 *                             claim (tally_read.c: the read must look again)
 *   tally_read_combine()      values[i] = stored + pending + set aside (+ in flight when the
 *                             row does not hold it) + this process's buffer, for each key
 */
#ifndef TALLY_READ_INT_H
#define TALLY_READ_INT_H

#include "tally_counter.h"
#include "tally_key.h"
#include "redis/tally_hiredis.h"

/* The stored rows of n keys: count, sync_seq and whether a row exists, by key index. */
typedef struct {
    size_t n;
    long long *count;
    long long *seq;
    char *found;
} tally_read_rows;

tally_code tally_read_all_snapshot(const tally_counter *t, const tally_owner_keys *ow, redisReply **r, tally_error *err);
tally_code tally_read_owner_reply(const redisReply *r, size_t i, size_t owners, size_t n, const redisReply **own,
                                  long long *cseq, tally_error *err);
tally_code tally_read_check_reply(const redisReply *r, size_t n, long long *cseq, tally_error *err);
int tally_read_row_newer(const redisReply *r, long long cseq, size_t n, const char *found, const long long *seq);
tally_code tally_read_combine(const tally_counter *t, const tally_owner_keys *ow, const redisReply *r, long long cseq,
                              int stale, const tally_read_rows *rows, const char *const *fields, const size_t *flens,
                              const char *const *keys, const size_t *key_lens, long long *values, tally_error *err);

#endif
