/* Tally\Counter's reads of what is pending in Redis (pending, pendingMany, pendingAll: not
 * synced yet, no SQL) and forget(), which drops pending deltas. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "tally_counter_internal.h"
#include "tally_exceptions.h"
#include "tally_counter.h"

ZEND_METHOD(Tally_Counter, pending)
{
    zend_string *type, *id_str = NULL, *key, *period = NULL;
    zend_long id_long = 0;
    zval *at = NULL;
    owner_arg owner;
    tally_error err;
    tally_target target;
    counter_obj *c;
    long long value;

    ZEND_PARSE_PARAMETERS_START(3, 5)
        OWNER_PARAMS
        Z_PARAM_STR(key)
        PERIOD_AT_PARAMS
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_read_begin(ZEND_THIS, period, at, &target, &owner, type, id_str, id_long))) return;
    if (tally_counter_get(&c->engine, &owner.owner, target, ZSTR_VAL(key), ZSTR_LEN(key), &value, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETURN_LONG((zend_long)value);
}

ZEND_METHOD(Tally_Counter, pendingMany)
{
    zend_string *type, *id_str = NULL, *period = NULL;
    zend_long id_long = 0;
    HashTable *ht;
    zval *at = NULL;
    owner_arg owner;
    tally_error err;
    tally_target target;
    counter_obj *c;
    name_list keys;
    long long *values;

    ZEND_PARSE_PARAMETERS_START(3, 5)
        OWNER_PARAMS
        Z_PARAM_ARRAY_HT(ht)
        PERIOD_AT_PARAMS
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_read_begin(ZEND_THIS, period, at, &target, &owner, type, id_str, id_long))) return;
    if (tally_names_from_array(ht, "keys", &keys) == FAILURE) return;
    values = safe_emalloc(keys.n ? keys.n : 1, sizeof(*values), 0);
    if (tally_counter_get_many(&c->engine, &owner.owner, target, keys.n, keys.names, keys.lens, values, &err) != TALLY_OK) {
        tally_throw(&err);
    } else {
        tally_names_values(return_value, &keys, values);
    }
    efree(values);
    tally_names_free(&keys);
}

ZEND_METHOD(Tally_Counter, pendingAll)
{
    zend_string *type, *id_str = NULL;
    zend_long id_long = 0;
    owner_arg owner;
    tally_error err;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        OWNER_PARAMS
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    tally_owner_from(&owner, type, id_str, id_long);
    array_init(return_value);
    if (tally_counter_get_all(&c->engine, &owner.owner, tally_collect_entry, return_value, &err) != TALLY_OK) {
        zval_ptr_dtor(return_value);
        ZVAL_NULL(return_value);
        tally_throw(&err);
    }
}

ZEND_METHOD(Tally_Counter, forget)
{
    zend_string *type, *id_str = NULL, *key = NULL, *period_name = NULL;
    zend_long id_long = 0;
    owner_arg owner;
    tally_error err;
    tally_period period = TALLY_PERIOD_NONE;
    counter_obj *c;
    long long removed;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        OWNER_PARAMS
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(key)
        Z_PARAM_STR_OR_NULL(period_name)
    ZEND_PARSE_PARAMETERS_END();

    if ((period_name && !tally_period_arg(period_name, "period", false, &period)) || !(c = tally_this_counter(ZEND_THIS))) {
        return;
    }
    tally_owner_from(&owner, type, id_str, id_long);
    if (tally_counter_forget(&c->engine, &owner.owner, key ? ZSTR_VAL(key) : NULL, key ? ZSTR_LEN(key) : 0,
                             period_name ? (int)period : TALLY_FORGET_ALL_PERIODS, &removed, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETURN_LONG((zend_long)removed);
}
