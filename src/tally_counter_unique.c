/* Tally\Counter's unique counts: addUnique(), uniques(), uniquesBetween() and
 * uniqueEstimates(), over tally_unique.c. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "tally_counter_internal.h"
#include "tally_exceptions.h"
#include "tally_unique.h"

#define GRACE_DEFAULT (2 * 86400)

/* $members: one string or int, or a non-empty list of them (ints become their decimal text). */
static bool members_arg(zval *v, name_list *l)
{
    zval *e;
    size_t i = 0, n;

    memset(l, 0, sizeof(*l));
    if (Z_TYPE_P(v) == IS_ARRAY) {
        n = zend_hash_num_elements(Z_ARRVAL_P(v));
        if (n == 0 || n > TALLY_UNIQUE_MEMBERS_MAX) {
            tally_throw_invalid("members must list 1 to %d members, %zu given", TALLY_UNIQUE_MEMBERS_MAX, n);
            return false;
        }
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
            ZVAL_DEREF(e);
            if (Z_TYPE_P(e) != IS_STRING && Z_TYPE_P(e) != IS_LONG) {
                tally_throw_invalid("members must be strings or ints, %s found at position %zu", zend_zval_type_name(e), i);
                return false;
            }
            i++;
        } ZEND_HASH_FOREACH_END();
        return tally_names_from_array(Z_ARRVAL_P(v), "members", l) == SUCCESS;
    }
    l->names = safe_emalloc(1, sizeof(*l->names), 0);
    l->lens = safe_emalloc(1, sizeof(*l->lens), 0);
    l->tmp = ecalloc(1, sizeof(*l->tmp));
    if (Z_TYPE_P(v) == IS_LONG) l->tmp[0] = zend_long_to_str(Z_LVAL_P(v));
    l->names[0] = l->tmp[0] ? ZSTR_VAL(l->tmp[0]) : Z_STRVAL_P(v);
    l->lens[0] = l->tmp[0] ? ZSTR_LEN(l->tmp[0]) : Z_STRLEN_P(v);
    l->n = 1;
    return true;
}

/* A unique count's period: a period name, never the lifetime counter. */
static bool unique_period_arg(zend_string *name, const char *param, tally_period *p)
{
    return tally_period_arg(name, param, true, p);
}

ZEND_METHOD(Tally_Counter, addUnique)
{
    zend_string *type, *id_str = NULL, *key;
    zend_long id_long = 0, grace = GRACE_DEFAULT;
    zval *members, *at = NULL, *v;
    HashTable *periods = NULL;
    owner_arg owner;
    tally_error err;
    tally_target targets[TALLY_TARGETS_MAX];
    size_t ntargets = 0;
    int32_t day;
    name_list l;
    long long changed = 0;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(4, 7)
        OWNER_PARAMS
        Z_PARAM_STR(key)
        Z_PARAM_ZVAL(members)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(periods)
        Z_PARAM_ZVAL(at)
        Z_PARAM_LONG(grace)
    ZEND_PARSE_PARAMETERS_END();

    if (Z_TYPE_P(members) != IS_STRING && Z_TYPE_P(members) != IS_LONG && Z_TYPE_P(members) != IS_ARRAY) {
        tally_throw_invalid("members must be a string, an int or a list of them, %s given", zend_zval_type_name(members));
        return;
    }
    if (!tally_day_arg(at, "at", &day)) return;
    if (!periods) {
        targets[0].period = TALLY_PERIOD_DAY;
        targets[0].start = day;
        ntargets = 1;
    } else {
        if (zend_hash_num_elements(periods) == 0) {
            tally_throw_invalid("periods must name at least one period: 'day', 'week', 'month', 'quarter' or 'year'");
            return;
        }
        ZEND_HASH_FOREACH_VAL(periods, v) {
            ZVAL_DEREF(v);
            if (Z_TYPE_P(v) != IS_STRING) {
                tally_throw_invalid("periods must be a list of period names, found %s", zend_zval_type_name(v));
                return;
            }
            if (Z_STRLEN_P(v) == 0) {
                tally_throw_invalid("each of periods must be 'day', 'week', 'month', 'quarter' or 'year': a unique count "
                                    "is kept per period, never for a lifetime");
                return;
            }
            if (!tally_period_arg(Z_STR_P(v), "each of periods", true, &targets[0].period)) return;
        } ZEND_HASH_FOREACH_END();
        if (!tally_targets_arg(periods, day, targets, &ntargets)) return;
    }
    if (!members_arg(members, &l)) return;
    if (!(c = tally_this_counter(ZEND_THIS))) {
        tally_names_free(&l);
        return;
    }
    tally_owner_from(&owner, type, id_str, id_long);
    if (tally_unique_add(&c->engine, &owner.owner, ZSTR_VAL(key), ZSTR_LEN(key), l.n, l.names, l.lens, ntargets,
                         targets, day, (long long)grace, &changed, &err) != TALLY_OK) {
        tally_throw(&err);
    } else {
        RETVAL_BOOL(changed > 0);
    }
    tally_names_free(&l);
}

ZEND_METHOD(Tally_Counter, uniques)
{
    zend_string *type, *id_str = NULL, *key, *period = NULL;
    zend_long id_long = 0;
    zval *at = NULL;
    owner_arg owner;
    tally_error err;
    tally_target target;
    int32_t day;
    long long count;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(3, 5)
        OWNER_PARAMS
        Z_PARAM_STR(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(period)
        Z_PARAM_ZVAL(at)
    ZEND_PARSE_PARAMETERS_END();

    target.period = TALLY_PERIOD_DAY;
    if ((period && !unique_period_arg(period, "period", &target.period)) || !tally_day_arg(at, "at", &day)
        || !tally_period_start_arg(target.period, day, "at", &target.start) || !(c = tally_this_counter(ZEND_THIS))) {
        return;
    }
    tally_owner_from(&owner, type, id_str, id_long);
    if (tally_unique_count(&c->engine, &owner.owner, ZSTR_VAL(key), ZSTR_LEN(key), target, &count, &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETURN_LONG((zend_long)count);
}

static void add_date(zval *list, int32_t day)
{
    char s[TALLY_PERIOD_DATE_LEN + 1];
    tally_period_date(day, s);
    add_next_index_stringl(list, s, TALLY_PERIOD_DATE_LEN);
}

ZEND_METHOD(Tally_Counter, uniquesBetween)
{
    zend_string *type, *id_str = NULL, *key, *period;
    zend_long id_long = 0;
    zval *from_zv, *to_zv, gone_zv;
    owner_arg owner;
    tally_error err;
    tally_period p;
    int32_t from, to, *gone = NULL;
    size_t ngone = 0, n;
    long long count;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(6, 6)
        OWNER_PARAMS
        Z_PARAM_STR(key)
        Z_PARAM_STR(period)
        Z_PARAM_ZVAL(from_zv)
        Z_PARAM_ZVAL(to_zv)
    ZEND_PARSE_PARAMETERS_END();

    if (!unique_period_arg(period, "period", &p) || !tally_day_arg(from_zv, "from", &from)
        || !tally_day_arg(to_zv, "to", &to)) {
        return;
    }
    if (from > to) {
        char a[TALLY_PERIOD_DATE_LEN + 1], b[TALLY_PERIOD_DATE_LEN + 1];
        tally_period_date(from, a);
        tally_period_date(to, b);
        tally_throw_invalid("from (%s) is after to (%s)", a, b);
        return;
    }
    if (!tally_period_start_arg(p, from, "from", &from) || !tally_period_start_arg(p, to, "to", &to)) return;
    n = (size_t)tally_period_index(p, from, to) + 1;
    if (n > TALLY_UNIQUE_RANGE_MAX) {
        tally_throw_invalid("from and to span %zu %s periods; a range of unique counts spans at most %d", n,
                            ZSTR_VAL(period), TALLY_UNIQUE_RANGE_MAX);
        return;
    }
    if (!(c = tally_this_counter(ZEND_THIS))) return;
    tally_owner_from(&owner, type, id_str, id_long);
    if (tally_unique_range(&c->engine, &owner.owner, ZSTR_VAL(key), ZSTR_LEN(key), p, from, to, &count, &gone, &ngone,
                           &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    array_init_size(return_value, 2);
    add_assoc_long(return_value, "count", (zend_long)count);
    array_init_size(&gone_zv, (uint32_t)ngone);
    for (size_t i = 0; i < ngone; i++) add_date(&gone_zv, gone[i]);
    add_assoc_zval(return_value, "gone", &gone_zv);
    free(gone);
}

static int collect_estimate(void *ud, const tally_unique_key *u, long long estimate)
{
    zval row;
    char s[TALLY_PERIOD_DATE_LEN + 1];
    tally_period_date(u->start, s);
    array_init_size(&row, 6);
    add_assoc_stringl(&row, "owner_type", u->type, u->type_len);
    add_assoc_stringl(&row, "owner_id", u->id, u->id_len);
    add_assoc_stringl(&row, "key", u->key, u->key_len);
    add_assoc_string(&row, "period", tally_period_name(u->period));
    add_assoc_stringl(&row, "period_start", s, TALLY_PERIOD_DATE_LEN);
    add_assoc_long(&row, "estimate", (zend_long)estimate);
    add_next_index_zval((zval *)ud, &row);
    return 0;
}

ZEND_METHOD(Tally_Counter, uniqueEstimates)
{
    zend_string *pattern = NULL;
    zval *today_zv = NULL;
    int32_t today;
    size_t found;
    tally_error err;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(pattern)
        Z_PARAM_ZVAL(today_zv)
    ZEND_PARSE_PARAMETERS_END();

    if (pattern && ZSTR_LEN(pattern) == 0) {
        tally_throw_invalid("pattern must not be empty (null or '*' matches every owner type)");
        return;
    }
    if (!tally_day_arg(today_zv, "today", &today) || !(c = tally_this_counter(ZEND_THIS))) return;
    array_init(return_value);
    if (tally_unique_closed(&c->engine, pattern ? ZSTR_VAL(pattern) : NULL, pattern ? ZSTR_LEN(pattern) : 0, today,
                            collect_estimate, return_value, &found, &err) != TALLY_OK) {
        zval_ptr_dtor(return_value);
        ZVAL_NULL(return_value);
        tally_throw(&err);
    }
}
