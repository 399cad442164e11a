/* Tally\Counter's reads across owners (tally_read_many.h): getForMany() (many owners' keys
 * in one round trip and one query), top() (the owners of a type with the highest value of a
 * key) and topKeys() (the keys of one owner with the highest values). */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "tally_counter_internal.h"
#include "tally_exceptions.h"
#include "tally_php_sink.h"
#include "sync/tally_read_many.h"

ZEND_METHOD(Tally_Counter, getForMany)
{
    zval *db, *at = NULL;
    zend_string *type, *period = NULL;
    HashTable *ids_ht, *keys_ht;
    tally_error err;
    tally_target target;
    counter_obj *c;
    tally_sink *sink;
    name_list ids, keys;
    long long *values;
    bool temporary;

    ZEND_PARSE_PARAMETERS_START(4, 6)
        Z_PARAM_OBJECT(db)
        Z_PARAM_STR(type)
        Z_PARAM_ARRAY_HT(ids_ht)
        Z_PARAM_ARRAY_HT(keys_ht)
        PERIOD_AT_PARAMS
    ZEND_PARSE_PARAMETERS_END();

    if (!tally_read_target(period, at, &target) || !(c = tally_this_counter(ZEND_THIS))) return;
    if (zend_hash_num_elements(ids_ht) > TALLY_READ_OWNERS_MAX || zend_hash_num_elements(keys_ht) > TALLY_READ_OWNERS_MAX) {
        tally_throw_invalid("getForMany() reads at most %d owners and %d keys at once, %u owners and %u keys given",
                            TALLY_READ_OWNERS_MAX, TALLY_READ_OWNERS_MAX, zend_hash_num_elements(ids_ht),
                            zend_hash_num_elements(keys_ht));
        return;
    }
    if (tally_names_from_array(ids_ht, "ownerIds", &ids) == FAILURE) return;
    if (tally_names_from_array(keys_ht, "keys", &keys) == FAILURE) {
        tally_names_free(&ids);
        return;
    }
    if (!(sink = tally_sink_from_zval(db, 1, &temporary))) {
        tally_names_free(&ids);
        tally_names_free(&keys);
        return;
    }
    values = safe_emalloc(ids.n * keys.n > 0 ? ids.n * keys.n : 1, sizeof(*values), 0);
    if (tally_read_owners(&c->engine, sink, ZSTR_VAL(type), ZSTR_LEN(type), ids.n, ids.names, ids.lens, target.period,
                          target.start, keys.n, keys.names, keys.lens, values, &err) != TALLY_OK) {
        throw_unless_pending(&err);
    } else {
        array_init_size(return_value, (uint32_t)ids.n);
        for (size_t i = 0; i < ids.n; i++) {
            zval row;
            tally_names_values(&row, &keys, values + i * keys.n);
            zend_symtable_str_update(Z_ARRVAL_P(return_value), ids.names[i], ids.lens[i], &row);
        }
    }
    if (temporary) sink->ops->destroy(sink);
    efree(values);
    tally_names_free(&ids);
    tally_names_free(&keys);
}

static int collect_ranked(void *ud, const char *name, size_t len, long long value)
{
    tally_set_entry(ud, name, len, (zend_long)value);
    return 0;
}

/* top() and topKeys(): q names the type and either the key (ranking owners) or the owner. */
static void rank(INTERNAL_FUNCTION_PARAMETERS, zval *db, tally_rank_query *q, zend_long limit, zend_string *period,
                 zval *at)
{
    tally_target target;
    tally_error err;
    counter_obj *c;
    tally_sink *sink;
    bool temporary;

    if (limit < 1 || limit > TALLY_TOP_MAX) {
        tally_throw_invalid("limit must be 1 to %d, got " ZEND_LONG_FMT, TALLY_TOP_MAX, limit);
        return;
    }
    if (!tally_read_target(period, at, &target) || !(c = tally_this_counter(ZEND_THIS))
        || !(sink = tally_sink_from_zval(db, 1, &temporary))) {
        return;
    }
    q->period = target.period;
    q->start = target.start;
    q->limit = (size_t)limit;
    array_init(return_value);
    if (tally_read_top(&c->engine, sink, q, collect_ranked, return_value, &err) != TALLY_OK) {
        zval_ptr_dtor(return_value);
        ZVAL_NULL(return_value);
        throw_unless_pending(&err);
    }
    if (temporary) sink->ops->destroy(sink);
}

ZEND_METHOD(Tally_Counter, top)
{
    zval *db, *at = NULL;
    zend_string *type, *key, *period = NULL;
    zend_long limit = 10;
    tally_rank_query q;

    ZEND_PARSE_PARAMETERS_START(3, 6)
        Z_PARAM_OBJECT(db)
        Z_PARAM_STR(type)
        Z_PARAM_STR(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(limit)
        Z_PARAM_STR_OR_NULL(period)
        Z_PARAM_ZVAL(at)
    ZEND_PARSE_PARAMETERS_END();

    memset(&q, 0, sizeof(q));
    q.type = ZSTR_VAL(type);
    q.type_len = ZSTR_LEN(type);
    q.key = ZSTR_VAL(key);
    q.key_len = ZSTR_LEN(key);
    rank(INTERNAL_FUNCTION_PARAM_PASSTHRU, db, &q, limit, period, at);
}

ZEND_METHOD(Tally_Counter, topKeys)
{
    zval *db, *at = NULL;
    zend_string *type, *id_str = NULL, *period = NULL;
    zend_long id_long = 0, limit = 10;
    owner_arg owner;
    tally_rank_query q;

    ZEND_PARSE_PARAMETERS_START(3, 6)
        Z_PARAM_OBJECT(db)
        OWNER_PARAMS
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(limit)
        Z_PARAM_STR_OR_NULL(period)
        Z_PARAM_ZVAL(at)
    ZEND_PARSE_PARAMETERS_END();

    tally_owner_from(&owner, type, id_str, id_long);
    memset(&q, 0, sizeof(q));
    q.type = owner.owner.type;
    q.type_len = owner.owner.type_len;
    q.id = owner.owner.id;
    q.id_len = owner.owner.id_len;
    rank(INTERNAL_FUNCTION_PARAM_PASSTHRU, db, &q, limit, period, at);
}
