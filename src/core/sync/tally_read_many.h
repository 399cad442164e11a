/* Exact reads of many owners at once, and exact top lists.
 *
 *   tally_read_owners()  exact values of n keys of m owners of one type (values[i * n + j]:
 *                        owner i, key j), lifetime (period NONE) or of one period (its first
 *                        day `start`): one pipeline of READ_KEYS scripts (one round trip per
 *                        Redis, or per cluster master) and one SQL query per chunk of ids and
 *                        keys, with the protocol of tally_read_keys() (tally_read.h); an owner
 *                        whose claim met a newer row is read again alone.
 *   tally_read_top()     the q->limit highest exact values of a rank query (tally_sink.h):
 *                        the owners of a type by one key (q->id NULL), or the keys of one owner
 *                        (q->key NULL), count descending then name ascending (bytes). Exact:
 *                        every owner (key) with a delta outside SQL is found in Redis (a SCAN
 *                        of every master for the owners of a type; the owner's hashes and this
 *                        process's buffer for the keys of an owner) and read exactly, and SQL
 *                        gives its best limit + that many rows: any other owner's value is its
 *                        row. Not seen: another owner's increments still in this process's
 *                        buffer (ranking owners) and owners whose only delta was set aside.
 */
#ifndef TALLY_READ_MANY_H
#define TALLY_READ_MANY_H

#include <stddef.h>

#include "tally_counter.h"
#include "sql/tally_sink.h"

#define TALLY_READ_OWNERS_MAX 10000
#define TALLY_TOP_MAX 10000

tally_code tally_read_owners(const tally_counter *t, tally_sink *sink, const char *type, size_t type_len, size_t m,
                             const char *const *ids, const size_t *id_lens, tally_period period, int32_t start,
                             size_t n, const char *const *keys, const size_t *key_lens, long long *values,
                             tally_error *err);

tally_code tally_read_top(const tally_counter *t, tally_sink *sink, const tally_rank_query *q, tally_rank_cb cb,
                          void *ud, tally_error *err);

#endif
