/* Tally\Counter's rate limits: rateLimit() and resetRateLimit(), over tally_ratelimit.c. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "tally_counter_internal.h"
#include "tally_exceptions.h"
#include "tally_options.h"
#include "tally_ratelimit.h"

static int ratelimit_options(HashTable *ht, tally_ratelimit_opts *o)
{
    zend_string *name;
    zval *v;
    zend_ulong idx;

    ZEND_HASH_FOREACH_KEY_VAL(ht, idx, name, v) {
        const char *n;
        ZVAL_DEREF(v);
        if (!(n = tally_opt_name(name, idx, "rate limit"))) return FAILURE;
        if (zend_string_equals_literal(name, "sliding")) {
            if (tally_opt_bool(n, v, &o->sliding) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "cost")) {
            /* The range (0..limit) is the core's check, with the limit in the message. */
            if (Z_TYPE_P(v) != IS_LONG) return tally_opt_bad_type(n, "int", v);
            o->cost = Z_LVAL_P(v);
        } else {
            tally_throw_invalid("unknown rate limit option '%s'; valid options are: sliding, cost", n);
            return FAILURE;
        }
    } ZEND_HASH_FOREACH_END();
    return SUCCESS;
}

ZEND_METHOD(Tally_Counter, rateLimit)
{
    zend_string *name;
    zend_long limit, window;
    HashTable *ht = NULL;
    tally_ratelimit_opts opts = {0};
    tally_ratelimit_result res;
    tally_error err;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_STR(name)
        Z_PARAM_LONG(limit)
        Z_PARAM_LONG(window)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    opts.limit = limit;
    opts.window = window;
    opts.cost = 1;
    if (ht && ratelimit_options(ht, &opts) == FAILURE) return;
    if (tally_ratelimit_hit(&c->engine, ZSTR_VAL(name), ZSTR_LEN(name), &opts, &res, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    array_init_size(return_value, 5);
    add_assoc_bool(return_value, "allowed", res.allowed);
    add_assoc_long(return_value, "limit", (zend_long)res.limit);
    add_assoc_long(return_value, "remaining", (zend_long)res.remaining);
    add_assoc_long(return_value, "reset", (zend_long)res.reset);
    add_assoc_long(return_value, "retry_after", (zend_long)res.retry_after);
}

ZEND_METHOD(Tally_Counter, resetRateLimit)
{
    zend_string *name;
    tally_error err;
    counter_obj *c;
    int existed = 0;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    if (tally_ratelimit_reset(&c->engine, ZSTR_VAL(name), ZSTR_LEN(name), &existed, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETURN_BOOL(existed);
}
