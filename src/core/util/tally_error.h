/* Error reporting for the core: a code plus a message, filled by the failing function and
 * read by the caller (the PHP binding turns it into an exception). The core never prints,
 * exits or throws, and no message ever contains a password.
 *
 *   tally_error_set()    fill an error (printf-style message)
 *   tally_error_clear()  reset to TALLY_OK
 *   tally_error_name()   a short stable name for a code, for logs and tests
 */
#ifndef TALLY_ERROR_H
#define TALLY_ERROR_H

#include <stddef.h>

typedef enum {
    TALLY_OK = 0,
    TALLY_ERR_ARGUMENT,   /* bad input from the caller; nothing was sent */
    TALLY_ERR_CONNECT,    /* could not connect, or the connection failed or timed out */
    TALLY_ERR_AUTH,       /* the server rejected the credentials */
    TALLY_ERR_SERVER,     /* the server answered with an error */
    TALLY_ERR_PROTOCOL,   /* the server answered something we did not expect */
    TALLY_ERR_WRONGTYPE,  /* the key holds another type, or a non-integer */
    TALLY_ERR_OVERFLOW,   /* the result would not fit in int64; nothing changed */
    TALLY_ERR_DATABASE,   /* the SQL side failed */
    TALLY_ERR_MEMORY,     /* allocation failed */
    TALLY_ERR_REJECTED,   /* the database refused a row for its data (too long, out of range,
                           * a CHECK or trigger): that row, not the connection, is at fault */
    TALLY_ERR_REPLICAS    /* the commands ran on the master, but fewer replicas than asked
                           * (wait_replicas) confirmed them: not undone, not to be retried */
} tally_code;

#define TALLY_ERRMSG_MAX 512

typedef struct {
    tally_code code;
    char msg[TALLY_ERRMSG_MAX];
} tally_error;

#if defined(__GNUC__)
# define TALLY_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
# define TALLY_PRINTF(f, a)
#endif

/* Returns code, so that `return tally_error_set(err, ...)` reads naturally. Safe with err NULL. */
tally_code tally_error_set(tally_error *err, tally_code code, const char *fmt, ...) TALLY_PRINTF(3, 4);
void tally_error_clear(tally_error *err);
const char *tally_error_name(tally_code code);

#endif
