/* RESP, the Redis protocol, for the fast path of tally_conn_pipeline_int(): commands
 * written straight into one buffer, integer replies parsed in place. Everything else is
 * hiredis's reader's.
 *
 *   tally_resp_len()       the most bytes tally_resp_put() writes for a command
 *   tally_resp_put()       write one command (argc words) at p; returns the end
 *   tally_resp_int_line()  parse ":<int>\r\n": bytes taken, 0 when incomplete, -1 when not one
 */
#ifndef TALLY_RESP_H
#define TALLY_RESP_H

#include <stddef.h>

size_t tally_resp_len(int argc, const size_t *lens);
char *tally_resp_put(char *p, int argc, const char *const *argv, const size_t *lens);
long tally_resp_int_line(const char *p, size_t have, long long *out);

#endif
