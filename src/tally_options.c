/* Type-checked reading of options arrays: one place for the rules and the messages. */
#include "php.h"
#include "tally_exceptions.h"
#include "tally_options.h"

int tally_opt_bad_type(const char *name, const char *expected, zval *v)
{
    tally_throw_invalid("option '%s' must be of type %s, %s given", name, expected, zend_zval_type_name(v));
    return FAILURE;
}

const char *tally_opt_name(zend_string *name, zend_ulong idx, const char *what)
{
    if (!name) {
        tally_throw_invalid("%s option names must be strings, got the integer key " ZEND_ULONG_FMT, what, idx);
        return NULL;
    }
    return ZSTR_VAL(name);
}

int tally_opt_bool(const char *name, zval *v, int *out)
{
    if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) return tally_opt_bad_type(name, "bool", v);
    *out = Z_TYPE_P(v) == IS_TRUE;
    return SUCCESS;
}

int tally_opt_string(const char *name, zval *v, bool nullable, const char **out, size_t *len)
{
    if (Z_TYPE_P(v) == IS_STRING) {
        if (memchr(Z_STRVAL_P(v), '\0', Z_STRLEN_P(v)) && strcmp(name, "prefix") != 0) {
            tally_throw_invalid("option '%s' must not contain NUL bytes", name);
            return FAILURE;
        }
        *out = Z_STRVAL_P(v);
        if (len) *len = Z_STRLEN_P(v);
        return SUCCESS;
    }
    if (nullable && Z_TYPE_P(v) == IS_NULL) {
        *out = NULL;
        if (len) *len = 0;
        return SUCCESS;
    }
    return tally_opt_bad_type(name, nullable ? "?string" : "string", v);
}

int tally_opt_long(const char *name, zval *v, zend_long min, zend_long max, zend_long *out)
{
    if (Z_TYPE_P(v) != IS_LONG) return tally_opt_bad_type(name, "int", v);
    if (Z_LVAL_P(v) < min || Z_LVAL_P(v) > max) {
        tally_throw_invalid("option '%s' must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT ", " ZEND_LONG_FMT " given",
                            name, min, max, Z_LVAL_P(v));
        return FAILURE;
    }
    *out = Z_LVAL_P(v);
    return SUCCESS;
}

int tally_seconds_valid(double d, double max)
{
    return d >= TALLY_SECONDS_MIN && d <= max;     /* false for NaN too */
}

int tally_opt_check_seconds(const char *name, double d, double max)
{
    if (d > 0.0 && d < TALLY_SECONDS_MIN) {
        /* Truncated to a struct timeval it would be 0: "wait forever". */
        tally_throw_invalid("option '%s' must be at least 0.000001 seconds (one microsecond: a smaller timeout "
                            "would mean none), %g given", name, d);
        return FAILURE;
    }
    if (!tally_seconds_valid(d, max)) {
        tally_throw_invalid("option '%s' must be a number of seconds above 0 and at most %g, %g given", name, max, d);
        return FAILURE;
    }
    return SUCCESS;
}

int tally_opt_seconds(const char *name, zval *v, double max, double *out)
{
    if (Z_TYPE_P(v) == IS_LONG) {
        *out = (double)Z_LVAL_P(v);
    } else if (Z_TYPE_P(v) == IS_DOUBLE) {
        *out = Z_DVAL_P(v);
    } else {
        return tally_opt_bad_type(name, "float", v);
    }
    return tally_opt_check_seconds(name, *out, max);
}

