/* Tally\Counter's sync(), its set-aside counters (failed, retryFailed) and exact reads (get,
 * getMany, getAll): options, the progress callback and the sink argument (a
 * Tally\Database or a PHP Tally\Sink). */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "tally_counter_internal.h"
#include "tally_database_class.h"
#include "tally_exceptions.h"
#include "tally_options.h"
#include "tally_php_sink.h"
#include "sync/tally_read.h"
#include "sync/tally_setaside.h"
#include "sync/tally_sync.h"

typedef struct {
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    bool set;
} user_cb;

/* Calls a user callback with one argument (consumed); false or an exception stops the run
 * cleanly (the exception then propagates out of sync()). */
static int call_user(user_cb *cb, zval *arg)
{
    zval ret;
    int stop;
    ZVAL_UNDEF(&ret);
    cb->fci.retval = &ret;
    cb->fci.params = arg;
    cb->fci.param_count = 1;
    stop = zend_call_function(&cb->fci, &cb->fcc) != SUCCESS || EG(exception) || Z_TYPE(ret) == IS_FALSE;
    zval_ptr_dtor(&ret);
    zval_ptr_dtor(arg);
    return stop;
}

static int call_progress(void *ud, size_t done)
{
    zval arg;
    ZVAL_LONG(&arg, (zend_long)done);
    return call_user(ud, &arg);
}

/* A counter row as PHP sees it (on_batch, failed()): owner_type, owner_id, key, delta,
 * period ('' for lifetime) and period_start ('Y-m-d'; '1970-01-01' for lifetime). */
static void row_array(zval *out, const tally_row *row)
{
    char date[TALLY_PERIOD_DATE_LEN + 1] = "1970-01-01";
    tally_period_date(row->period_start, date);
    array_init_size(out, 6);
    add_assoc_stringl(out, "owner_type", row->type, row->type_len);
    add_assoc_stringl(out, "owner_id", row->id, row->id_len);
    add_assoc_stringl(out, "key", row->key, row->key_len);
    add_assoc_long(out, "delta", (zend_long)row->delta);
    add_assoc_string(out, "period", tally_period_name(row->period));
    add_assoc_stringl(out, "period_start", date, TALLY_PERIOD_DATE_LEN);
}

static int call_on_batch(void *ud, const tally_row *rows, size_t n)
{
    zval arg, row;
    array_init_size(&arg, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        row_array(&row, &rows[i]);
        add_next_index_zval(&arg, &row);
    }
    return call_user(ud, &arg);
}

static int callable_option(const char *name, zval *v, user_cb *cb)
{
    char *error = NULL;
    if (zend_fcall_info_init(v, 0, &cb->fci, &cb->fcc, NULL, &error) != SUCCESS) {
        tally_throw_invalid("option '%s' must be a callable%s%s", name, error ? ": " : "", error ? error : "");
        if (error) efree(error);
        return FAILURE;
    }
    if (error) efree(error);
    cb->set = true;
    return SUCCESS;
}

static int sync_options(HashTable *ht, tally_sync_opts *o, user_cb *progress, user_cb *on_batch)
{
    zend_string *name;
    zval *v;
    zend_ulong idx;
    zend_long l;
    double d;

    ZEND_HASH_FOREACH_KEY_VAL(ht, idx, name, v) {
        const char *n;
        ZVAL_DEREF(v);
        if (!name) {
            tally_throw_invalid("sync option names must be strings, got the integer key " ZEND_ULONG_FMT, idx);
            return FAILURE;
        }
        n = ZSTR_VAL(name);
        if (zend_string_equals_literal(name, "batch_size")) {
            if (tally_opt_long(n, v, 1, 1000000, &l) == FAILURE) return FAILURE;
            o->batch_size = (size_t)l;
        } else if (zend_string_equals_literal(name, "dry_run")) {
            if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) return tally_opt_bad_type(n, "bool", v);
            o->dry_run = Z_TYPE_P(v) == IS_TRUE;
        } else if (zend_string_equals_literal(name, "pattern")) {
            if (Z_TYPE_P(v) == IS_NULL) continue;
            if (tally_opt_string(n, v, false, &o->pattern, &o->pattern_len) == FAILURE) return FAILURE;
            if (o->pattern_len == 0) {
                tally_throw_invalid("option 'pattern' must not be empty (omit it to sync every owner type)");
                return FAILURE;
            }
        } else if (zend_string_equals_literal(name, "time_budget")) {
            if (tally_opt_seconds(n, v, 86400, &o->time_budget) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "lock_ttl")) {
            if (tally_opt_seconds(n, v, 86400, &d) == FAILURE) return FAILURE;
            if (d < 1.0) {
                tally_throw_invalid("option 'lock_ttl' must be at least 1 second, %g given", d);
                return FAILURE;
            }
            o->lock_ttl_ms = (long)(d * 1000);
        } else if (zend_string_equals_literal(name, "progress")) {
            if (callable_option(n, v, progress) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "on_batch")) {
            if (callable_option(n, v, on_batch) == FAILURE) return FAILURE;
        } else {
            tally_throw_invalid("unknown sync option '%s'; valid options are: batch_size, dry_run, pattern, "
                                "time_budget, lock_ttl, progress, on_batch", n);
            return FAILURE;
        }
    } ZEND_HASH_FOREACH_END();
    return SUCCESS;
}

ZEND_METHOD(Tally_Counter, sync)
{
    zval *db;
    HashTable *ht = NULL;
    counter_obj *c;
    tally_sink *sink;
    tally_sync_opts opts;
    tally_sync_report report;
    user_cb progress, on_batch;
    bool temporary;
    tally_error err;
    tally_code rc;
    zval errors;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_OBJECT(db)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    memset(&opts, 0, sizeof(opts));
    memset(&progress, 0, sizeof(progress));
    memset(&on_batch, 0, sizeof(on_batch));
    if (ht && sync_options(ht, &opts, &progress, &on_batch) == FAILURE) return;
    if (!(sink = tally_sink_from_zval(db, 1, &temporary))) return;
    if (progress.set) {
        opts.progress = call_progress;
        opts.progress_ud = &progress;
    }
    if (on_batch.set) {
        opts.on_batch = call_on_batch;
        opts.on_batch_ud = &on_batch;
    }
    tally_error_clear(&err);
    rc = tally_sync_run(&c->engine, sink, &opts, &report, &err);
    if (temporary) sink->ops->destroy(sink);
    /* An exception from a callback or a PHP sink propagates as it is; a bad
     * option is an exception too. Failures of the run itself are in the report. */
    if (EG(exception)) return;
    if (rc == TALLY_ERR_ARGUMENT) {
        tally_throw(&err);
        return;
    }

    array_init(return_value);
    add_assoc_long(return_value, "synced", (zend_long)report.synced);
    add_assoc_long(return_value, "set_aside", (zend_long)report.set_aside);
    add_assoc_long(return_value, "owners", (zend_long)report.owners);
    add_assoc_long(return_value, "batches", (zend_long)report.batches);
    add_assoc_long(return_value, "skipped", (zend_long)report.skipped);
    add_assoc_long(return_value, "recovered", (zend_long)report.recovered);
    add_assoc_double(return_value, "seconds", report.seconds);
    add_assoc_bool(return_value, "locked", report.locked);
    add_assoc_bool(return_value, "incomplete", report.incomplete);
    array_init(&errors);
    for (size_t i = 0; i < report.error_count && i < TALLY_SYNC_MAX_ERRORS; i++) {
        add_next_index_string(&errors, report.errors[i]);
    }
    add_assoc_zval(return_value, "errors", &errors);
    array_init(&errors);
    for (size_t i = 0; i < report.foreign_count && i < TALLY_SYNC_MAX_ERRORS; i++) {
        add_next_index_string(&errors, report.foreign[i]);
    }
    add_assoc_zval(return_value, "foreign", &errors);
}

static int add_failed_row(void *ud, const tally_row *row)
{
    zval r;
    row_array(&r, row);
    add_next_index_zval((zval *)ud, &r);
    return 0;
}

/* failed() and retryFailed(): the set-aside counters, listed or put back into pending. */
static void setaside_method(INTERNAL_FUNCTION_PARAMETERS, int retry)
{
    zend_string *pattern = NULL;
    counter_obj *c;
    tally_error err;
    size_t n;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(pattern)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    if (pattern && ZSTR_LEN(pattern) == 0) {
        tally_throw_invalid("the owner type pattern must not be empty (pass null for every owner type)");
        return;
    }
    array_init(return_value);
    tally_error_clear(&err);
    if (tally_setaside_scan(&c->engine, pattern ? ZSTR_VAL(pattern) : NULL, pattern ? ZSTR_LEN(pattern) : 0, retry,
                            add_failed_row, return_value, &n, &err) != TALLY_OK) {
        zval_ptr_dtor(return_value);
        ZVAL_NULL(return_value);
        tally_throw(&err);
    }
}

ZEND_METHOD(Tally_Counter, failed)
{
    setaside_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0);
}

ZEND_METHOD(Tally_Counter, retryFailed)
{
    setaside_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1);
}

#define EXACT_PARAMS \
    Z_PARAM_OBJECT(db) \
    OWNER_PARAMS

ZEND_METHOD(Tally_Counter, get)
{
    zval *db;
    zend_string *type, *id_str = NULL, *key;
    zend_long id_long = 0;
    zend_string *period = NULL;
    zval *at = NULL;
    owner_arg owner;
    tally_error err;
    tally_target target;
    counter_obj *c;
    tally_sink *sink;
    long long value;
    const char *k;
    size_t kl;
    bool temporary;

    ZEND_PARSE_PARAMETERS_START(4, 6)
        EXACT_PARAMS
        Z_PARAM_STR(key)
        PERIOD_AT_PARAMS
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_read_begin(ZEND_THIS, period, at, &target, &owner, type, id_str, id_long))
        || !(sink = tally_sink_from_zval(db, 1, &temporary))) {
        return;
    }
    k = ZSTR_VAL(key);
    kl = ZSTR_LEN(key);
    if (tally_read_keys(&c->engine, sink, &owner.owner, target.period, target.start, 1, &k, &kl, &value, &err) != TALLY_OK) {
        throw_unless_pending(&err);
    } else {
        RETVAL_LONG((zend_long)value);
    }
    if (temporary) sink->ops->destroy(sink);
}

ZEND_METHOD(Tally_Counter, getMany)
{
    zval *db;
    zend_string *type, *id_str = NULL;
    zend_long id_long = 0;
    zend_string *period = NULL;
    zval *at = NULL;
    HashTable *ht;
    owner_arg owner;
    tally_error err;
    tally_target target;
    counter_obj *c;
    tally_sink *sink;
    name_list keys;
    long long *values;
    bool temporary;

    ZEND_PARSE_PARAMETERS_START(4, 6)
        EXACT_PARAMS
        Z_PARAM_ARRAY_HT(ht)
        PERIOD_AT_PARAMS
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_read_begin(ZEND_THIS, period, at, &target, &owner, type, id_str, id_long))) return;
    if (tally_names_from_array(ht, "keys", &keys) == FAILURE) return;
    if (!(sink = tally_sink_from_zval(db, 1, &temporary))) {
        tally_names_free(&keys);
        return;
    }
    values = safe_emalloc(keys.n ? keys.n : 1, sizeof(*values), 0);
    if (tally_read_keys(&c->engine, sink, &owner.owner, target.period, target.start, keys.n, keys.names, keys.lens, values,
                        &err) != TALLY_OK) {
        throw_unless_pending(&err);
    } else {
        tally_names_values(return_value, &keys, values);
    }
    if (temporary) sink->ops->destroy(sink);
    efree(values);
    tally_names_free(&keys);
}

ZEND_METHOD(Tally_Counter, getAll)
{
    zval *db;
    zend_string *type, *id_str = NULL;
    zend_long id_long = 0;
    owner_arg owner;
    tally_error err;
    counter_obj *c;
    tally_sink *sink;
    bool temporary;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        EXACT_PARAMS
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS)) || !(sink = tally_sink_from_zval(db, 1, &temporary))) return;
    tally_owner_from(&owner, type, id_str, id_long);
    array_init(return_value);
    if (tally_read_all(&c->engine, sink, &owner.owner, tally_collect_entry, return_value, &err) != TALLY_OK) {
        zval_ptr_dtor(return_value);
        ZVAL_NULL(return_value);
        throw_unless_pending(&err);
    }
    if (temporary) sink->ops->destroy(sink);
}

ZEND_METHOD(Tally_Counter, history)
{
    zval *db, *at = NULL;
    zend_string *type, *id_str = NULL, *key, *period_name;
    zend_long id_long = 0, periods = 12;
    owner_arg owner;
    tally_error err;
    tally_period period;
    counter_obj *c;
    tally_sink *sink;
    long long *values;
    int32_t last;
    bool temporary;

    ZEND_PARSE_PARAMETERS_START(5, 7)
        EXACT_PARAMS
        Z_PARAM_STR(key)
        Z_PARAM_STR(period_name)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(periods)
        Z_PARAM_ZVAL(at)
    ZEND_PARSE_PARAMETERS_END();

    if (!tally_period_arg(period_name, "period", true, &period) || !tally_day_arg(at, "at", &last)) return;
    if (periods < 1 || periods > TALLY_HISTORY_MAX) {
        tally_throw_invalid("periods must be 1 to %d, got " ZEND_LONG_FMT, TALLY_HISTORY_MAX, periods);
        return;
    }
    if (!(c = tally_this_counter(ZEND_THIS)) || !(sink = tally_sink_from_zval(db, 1, &temporary))) return;
    tally_owner_from(&owner, type, id_str, id_long);
    values = safe_emalloc((size_t)periods, sizeof(*values), 0);
    if (tally_read_history(&c->engine, sink, &owner.owner, ZSTR_VAL(key), ZSTR_LEN(key), period, last, (size_t)periods,
                           values, &err) != TALLY_OK) {
        throw_unless_pending(&err);
    } else {
        int32_t start = tally_period_add(period, tally_period_start(period, last), (int32_t)(1 - periods));
        array_init_size(return_value, (uint32_t)periods);
        /* Each key a different 'Y-m-d', never a numeric string: added as new string keys,
         * without the symbol table's numeric check or a lookup. */
        for (zend_long i = 0; i < periods; i++) {
            char date[TALLY_PERIOD_DATE_LEN + 1];
            zval v;
            tally_period_date(tally_period_add(period, start, (int32_t)i), date);
            ZVAL_LONG(&v, (zend_long)values[i]);
            zend_hash_str_add_new(Z_ARRVAL_P(return_value), date, TALLY_PERIOD_DATE_LEN, &v);
        }
    }
    if (temporary) sink->ops->destroy(sink);
    efree(values);
}

ZEND_METHOD(Tally_Counter, sum)
{
    zval *db, *from_zv = NULL, *to_zv = NULL;
    zend_string *type, *id_str = NULL, *key, *period_name;
    zend_long id_long = 0;
    owner_arg owner;
    tally_error err;
    tally_period period;
    counter_obj *c;
    tally_sink *sink;
    long long sum;
    int32_t from = 0, to = TALLY_PERIOD_DAY_MAX;
    bool temporary;

    ZEND_PARSE_PARAMETERS_START(5, 7)
        EXACT_PARAMS
        Z_PARAM_STR(key)
        Z_PARAM_STR(period_name)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(from_zv)
        Z_PARAM_ZVAL(to_zv)
    ZEND_PARSE_PARAMETERS_END();

    if (!tally_period_arg(period_name, "period", true, &period)
        || (from_zv && Z_TYPE_P(from_zv) != IS_NULL && !tally_day_arg(from_zv, "from", &from))
        || (to_zv && Z_TYPE_P(to_zv) != IS_NULL && !tally_day_arg(to_zv, "to", &to))) {
        return;
    }
    if (from > to) {
        tally_throw_invalid("from must not be after to");
        return;
    }
    if (!(c = tally_this_counter(ZEND_THIS)) || !(sink = tally_sink_from_zval(db, 1, &temporary))) return;
    tally_owner_from(&owner, type, id_str, id_long);
    if (tally_read_sum(&c->engine, sink, &owner.owner, ZSTR_VAL(key), ZSTR_LEN(key), period, from, to, &sum, &err)
        != TALLY_OK) {
        throw_unless_pending(&err);
    } else {
        RETVAL_LONG((zend_long)sum);
    }
    if (temporary) sink->ops->destroy(sink);
}
