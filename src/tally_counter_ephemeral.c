/* Tally\Counter's ephemeral counters: incrementKey(), decrementKey(), getKey(), getKeys(),
 * deleteKeys() and ttl(), over tally_ephemeral.c. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "tally_counter_internal.h"
#include "tally_exceptions.h"
#include "tally_ephemeral.h"

static void ephemeral_incr(INTERNAL_FUNCTION_PARAMETERS, bool negate)
{
    zend_string *key;
    zval *amount_zv = NULL;
    zend_long amount = 1, ttl = 0;
    long long value, delta;
    tally_error err;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(amount_zv)
        Z_PARAM_LONG(ttl)
    ZEND_PARSE_PARAMETERS_END();

    if (!tally_amount_arg(amount_zv, &amount) || !(c = tally_this_counter(ZEND_THIS))) return;
    delta = amount;
    if ((negate && tally_negate(amount, &delta, &err) != TALLY_OK)
        || tally_ephemeral_incr(&c->engine, ZSTR_VAL(key), ZSTR_LEN(key), delta, ttl, &value, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETURN_LONG((zend_long)value);
}

ZEND_METHOD(Tally_Counter, incrementKey)
{
    ephemeral_incr(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tally_Counter, decrementKey)
{
    ephemeral_incr(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tally_Counter, getKey)
{
    zend_string *key;
    tally_error err;
    counter_obj *c;
    long long value;
    const char *name;
    size_t len;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(key)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    name = ZSTR_VAL(key);
    len = ZSTR_LEN(key);
    if (tally_ephemeral_get(&c->engine, 1, &name, &len, &value, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETURN_LONG((zend_long)value);
}

ZEND_METHOD(Tally_Counter, getKeys)
{
    HashTable *ht;
    tally_error err;
    counter_obj *c;
    name_list keys;
    long long *values;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    if (tally_names_from_array(ht, "keys", &keys) == FAILURE) return;
    values = safe_emalloc(keys.n ? keys.n : 1, sizeof(*values), 0);
    if (tally_ephemeral_get(&c->engine, keys.n, keys.names, keys.lens, values, &err) != TALLY_OK) {
        tally_throw(&err);
    } else {
        tally_names_values(return_value, &keys, values);
    }
    efree(values);
    tally_names_free(&keys);
}

ZEND_METHOD(Tally_Counter, deleteKeys)
{
    HashTable *ht;
    tally_error err;
    counter_obj *c;
    name_list keys;
    long long removed;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    if (tally_names_from_array(ht, "keys", &keys) == FAILURE) return;
    if (tally_ephemeral_delete(&c->engine, keys.n, keys.names, keys.lens, &removed, &err) != TALLY_OK) {
        tally_throw(&err);
    } else {
        RETVAL_LONG((zend_long)removed);
    }
    tally_names_free(&keys);
}

ZEND_METHOD(Tally_Counter, ttl)
{
    zend_string *key;
    tally_error err;
    counter_obj *c;
    long long ttl;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(key)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    if (tally_ephemeral_ttl(&c->engine, ZSTR_VAL(key), ZSTR_LEN(key), &ttl, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETURN_LONG((zend_long)ttl);
}
