/* Type-checked reading of options arrays (Tally\\Counter, Tally\\Database): each helper
 * throws Tally\\InvalidArgumentException naming the option and returns FAILURE on bad input.
 *
 *   tally_opt_bad_type()       "option 'x' must be of type T, U given"
 *   tally_opt_name()           an option's name; integer keys (a list given for a map) refused
 *   tally_opt_bool()           a bool
 *   tally_opt_string()         a string (or null when nullable); no NUL bytes except in "prefix"
 *   tally_opt_long()           an int within [min, max]
 *   tally_opt_seconds()        an int or float of seconds in [TALLY_SECONDS_MIN, max]
 *   tally_opt_check_seconds()  the range check alone (for ini values)
 *   tally_seconds_valid()      the same rule without throwing (the ini handlers)
 */
#ifndef TALLY_OPTIONS_H
#define TALLY_OPTIONS_H

#include "php.h"

int tally_opt_bad_type(const char *name, const char *expected, zval *v);
const char *tally_opt_name(zend_string *name, zend_ulong idx, const char *what);
int tally_opt_bool(const char *name, zval *v, int *out);
int tally_opt_string(const char *name, zval *v, bool nullable, const char **out, size_t *len);
int tally_opt_long(const char *name, zval *v, zend_long min, zend_long max, zend_long *out);
int tally_opt_seconds(const char *name, zval *v, double max, double *out);
int tally_opt_check_seconds(const char *name, double d, double max);
int tally_seconds_valid(double d, double max);

/* The smallest timeout: a struct timeval counts microseconds, and a smaller value
 * truncated to 0 would mean no timeout at all. */
#define TALLY_SECONDS_MIN 0.000001
/* The largest connect/read timeout of a Redis connection. */
#define TALLY_REDIS_TIMEOUT_MAX 3600
/* The most replicas wait_replicas may ask for (Redis has no limit; more is a typo). */
#define TALLY_WAIT_REPLICAS_MAX 1000

#endif
