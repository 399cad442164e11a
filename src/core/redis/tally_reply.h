/* Decoding Redis replies into counter values and typed errors.
 *
 *   tally_reply_error()  an error reply -> the right tally_code and a message naming `what`
 *   tally_reply_int()    an integer, a decimal string or nil (0) -> long long
 *   tally_reply_scan()   a SCAN reply -> the next cursor (NUL-terminated) and the page's keys
 *   tally_parse_int()    a decimal string -> long long, by Redis's rule (the whole string, in
 *                        range, no sign but '-', no leading zero, no "-0")
 *   tally_reply_install() makes a connection's reader build every reply in one block (a
 *                        few chunks for big replies) instead of one malloc per element:
 *                        a claim reply of ten counters was ~45 mallocs and frees
 *   tally_reply_free()   frees such a reply (never freeReplyObject() on them)
 */
#ifndef TALLY_REPLY_H
#define TALLY_REPLY_H

#include <stddef.h>
#include "redis/tally_hiredis.h"

#include "util/tally_error.h"

tally_code tally_reply_error(const redisReply *reply, const char *what, tally_error *err);
tally_code tally_reply_int(const redisReply *reply, const char *what, long long *out, tally_error *err);
/* cursor has room for cursor_size bytes; *keys points into r (an array of strings). */
tally_code tally_reply_scan(redisReply *r, char *cursor, size_t cursor_size, redisReply **keys, tally_error *err);
int tally_parse_int(const char *s, size_t len, long long *out);
void tally_reply_install(redisContext *c);
void tally_reply_free(redisReply *reply);

#endif
