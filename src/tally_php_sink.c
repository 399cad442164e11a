/* A sink that calls PHP: Tally\Sink implementations (Laravel's own connections). What a
 * sink method throws is left pending as a Tally\DatabaseException (the stub's promise)
 * with the original as its previous: the engine stops at the first error, and the binding
 * lets that exception propagate instead of throwing its own. The one exception to that is a
 * Tally\RejectedException from a Tally\NarrowingSink's writeBatch()/tryBatch(): it is the
 * answer the engine narrows a batch by (TALLY_ERR_REJECTED), not an error, see batch(). */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include "tally_php_sink.h"
#include "tally_database_class.h"
#include "tally_exceptions.h"

zend_class_entry *tally_ce_sink_interface;
zend_class_entry *tally_ce_narrowing_sink_interface;
zend_class_entry *tally_ce_bulk_read_sink_interface;

static zend_object *obj_of(tally_sink *s)
{
    return (zend_object *)s->impl;
}

static zend_string *message_of(zend_object *ex)
{
    zval rv, *m = zend_read_property_ex(zend_get_exception_base(ex), ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    zend_string *msg = zval_get_string(m);
    if (m == &rv) zval_ptr_dtor(&rv);
    return msg;
}

/* Replaces the pending exception a sink method threw by a Tally\DatabaseException naming
 * the method, with the original as getPrevious(). exit() (an unwind, not an error) and a
 * Tally\DatabaseException stay as they are. */
static void wrap_exception(zend_object *obj, const char *method)
{
    zend_object *orig = EG(exception), *wrapped;
    zend_string *msg;
    if (zend_is_unwind_exit(orig) || zend_is_graceful_exit(orig)) return;
    /* Already what the stub promises (Laravel's ConnectionSink throws its own, naming the
     * connection): left as it is rather than wrapped twice. */
    if (instanceof_function(orig->ce, tally_ce_database)) return;
    GC_ADDREF(orig);
    zend_clear_exception();
    msg = message_of(orig);
    wrapped = zend_throw_exception_ex(tally_ce_database, 0, "%s::%s() threw %s: %s", ZSTR_VAL(obj->ce->name), method,
                                      ZSTR_VAL(orig->ce->name), ZSTR_VAL(msg));
    zend_string_release(msg);
    zend_exception_set_previous(wrapped, orig);  /* takes our reference */
}

/* Calls $obj->name(...$params) into ret; fills err when the call failed or threw. */
static tally_code call(tally_sink *s, const char *name, size_t len, uint32_t n, zval *params, zval *ret,
                       tally_error *err)
{
    zend_object *obj = obj_of(s);
    zend_function *fn = zend_hash_str_find_ptr_lc(&obj->ce->function_table, name, len);
    ZVAL_UNDEF(ret);
    if (!fn) return tally_error_set(err, TALLY_ERR_DATABASE, "the sink has no method %s()", name);
    zend_call_known_instance_method(fn, obj, ret, n, params);
    if (EG(exception)) {
        zval_ptr_dtor(ret);
        ZVAL_UNDEF(ret);
        wrap_exception(obj, name);
        return tally_error_set(err, TALLY_ERR_DATABASE, "%s::%s() threw an exception", ZSTR_VAL(obj->ce->name), name);
    }
    return TALLY_OK;
}

static tally_code php_begin_run(tally_sink *s, const char *run, size_t run_len, long long *fence, tally_error *err)
{
    zval name, ret;
    tally_code rc;
    ZVAL_STRINGL(&name, run, run_len);
    rc = call(s, "beginRun", 8, 1, &name, &ret, err);
    zval_ptr_dtor(&name);
    if (rc) return rc;
    if (Z_TYPE(ret) != IS_LONG) {
        zval_ptr_dtor(&ret);
        return tally_error_set(err, TALLY_ERR_DATABASE, "%s::beginRun() must return the fence as an int",
                               ZSTR_VAL(obj_of(s)->ce->name));
    }
    *fence = Z_LVAL(ret);
    return TALLY_OK;
}

/* writeBatch() or tryBatch() with the rows as [type, id, key, delta, seq] plus 'period'
 * ('' for lifetime) and 'period_start' ('Y-m-d'), so that sinks written for the list of five
 * still destructure them. A
 * Tally\RejectedException is TALLY_ERR_REJECTED. From a NarrowingSink it is also cleared,
 * its message kept in err: the engine goes on calling the sink to narrow the batch, and the
 * message is the reason a row is set aside. From a plain Sink (narrowing = 0) it stays
 * pending: the engine cannot narrow, the batch fails whole and the caller gets it as it was. */
static tally_code batch(tally_sink *s, const char *method, size_t method_len, int narrowing, const char *run,
                        size_t run_len, long long fence, const tally_row *rows, size_t n, tally_error *err)
{
    zval params[3], ret;
    tally_code rc;
    ZVAL_STRINGL(&params[0], run, run_len);
    ZVAL_LONG(&params[1], (zend_long)fence);
    array_init_size(&params[2], (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        zval row;
        char date[TALLY_PERIOD_DATE_LEN + 1];
        const char *period = tally_period_name(rows[i].period);
        if (!period || tally_period_date(rows[i].period_start, date) < 0) {
            zval_ptr_dtor(&params[0]);
            zval_ptr_dtor(&params[2]);
            return tally_error_set(err, TALLY_ERR_ARGUMENT, "counter row has an invalid period (%d, day %ld)",
                                   (int)rows[i].period, (long)rows[i].period_start);
        }
        array_init_size(&row, 7);
        add_next_index_stringl(&row, rows[i].type, rows[i].type_len);
        add_next_index_stringl(&row, rows[i].id, rows[i].id_len);
        add_next_index_stringl(&row, rows[i].key, rows[i].key_len);
        add_next_index_long(&row, (zend_long)rows[i].delta);
        add_next_index_long(&row, (zend_long)rows[i].seq);
        add_assoc_string(&row, "period", period);
        add_assoc_stringl(&row, "period_start", date, TALLY_PERIOD_DATE_LEN);
        add_next_index_zval(&params[2], &row);
    }
    rc = call(s, method, method_len, 3, params, &ret, err);
    zval_ptr_dtor(&params[0]);
    zval_ptr_dtor(&params[2]);
    zval_ptr_dtor(&ret);
    if (rc && EG(exception) && instanceof_function(EG(exception)->ce, tally_ce_rejected)) {
        zend_string *msg = message_of(EG(exception));
        rc = tally_error_set(err, TALLY_ERR_REJECTED, "%s", ZSTR_VAL(msg));
        zend_string_release(msg);
        if (narrowing) zend_clear_exception();
    }
    return rc;
}

static tally_code php_write_batch(tally_sink *s, const char *run, size_t run_len, long long fence,
                                  const tally_row *rows, size_t n, tally_error *err)
{
    return batch(s, "writeBatch", 10, 0, run, run_len, fence, rows, n, err);
}

static tally_code php_write_batch_narrowing(tally_sink *s, const char *run, size_t run_len, long long fence,
                                            const tally_row *rows, size_t n, tally_error *err)
{
    return batch(s, "writeBatch", 10, 1, run, run_len, fence, rows, n, err);
}

static tally_code php_try_batch(tally_sink *s, const char *run, size_t run_len, long long fence,
                                const tally_row *rows, size_t n, tally_error *err)
{
    return batch(s, "tryBatch", 8, 1, run, run_len, fence, rows, n, err);
}

/* read() for a query of rows, committed() for a probe of one seq (tally_read_query). read()
 * returns a list of [key, period_start 'Y-m-d', count, sync_seq]. */
static tally_code php_read(tally_sink *s, const tally_owner *o, const tally_read_query *q, tally_row_cb cb, void *ud,
                           tally_error *err)
{
    zval params[6], ret, *entry;
    const char *cls = ZSTR_VAL(obj_of(s)->ce->name);
    char from[TALLY_PERIOD_DATE_LEN + 1], to[TALLY_PERIOD_DATE_LEN + 1];
    tally_code rc = TALLY_OK;

    ZVAL_STRINGL(&params[0], o->type, o->type_len);
    ZVAL_STRINGL(&params[1], o->id, o->id_len);
    if (q->seq > 0) {
        ZVAL_LONG(&params[2], (zend_long)q->seq);
        rc = call(s, "committed", 9, 3, params, &ret, err);
        zval_ptr_dtor(&params[0]);
        zval_ptr_dtor(&params[1]);
        if (rc) return rc;
        if (Z_TYPE(ret) != IS_TRUE && Z_TYPE(ret) != IS_FALSE) {
            zval_ptr_dtor(&ret);
            return tally_error_set(err, TALLY_ERR_DATABASE, "%s::committed() must return a bool", cls);
        }
        if (Z_TYPE(ret) == IS_TRUE) cb(ud, "", 0, 0, 0, q->seq);
        return TALLY_OK;
    }
    if (tally_period_date(q->from, from) < 0 || tally_period_date(q->to, to) < 0) {
        zval_ptr_dtor(&params[0]);
        zval_ptr_dtor(&params[1]);
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a read's period range is out of bounds");
    }
    if (q->n > 0) {
        array_init_size(&params[2], (uint32_t)q->n);
        for (size_t i = 0; i < q->n; i++) add_next_index_stringl(&params[2], q->keys[i], q->key_lens[i]);
    } else {
        ZVAL_NULL(&params[2]);
    }
    ZVAL_STRING(&params[3], tally_period_name(q->period));
    ZVAL_STRINGL(&params[4], from, TALLY_PERIOD_DATE_LEN);
    ZVAL_STRINGL(&params[5], to, TALLY_PERIOD_DATE_LEN);
    rc = call(s, "read", 4, 6, params, &ret, err);
    for (int i = 0; i < 6; i++) zval_ptr_dtor(&params[i]);
    if (rc) return rc;
    if (Z_TYPE(ret) != IS_ARRAY) {
        zval_ptr_dtor(&ret);
        return tally_error_set(err, TALLY_ERR_DATABASE, "%s::read() must return an array", cls);
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL(ret), entry) {
        zval *key, *start, *count, *seq;
        int32_t day = -1;
        ZVAL_DEREF(entry);
        if (Z_TYPE_P(entry) != IS_ARRAY || !(key = zend_hash_index_find(Z_ARRVAL_P(entry), 0))
            || !(start = zend_hash_index_find(Z_ARRVAL_P(entry), 1)) || !(count = zend_hash_index_find(Z_ARRVAL_P(entry), 2))
            || !(seq = zend_hash_index_find(Z_ARRVAL_P(entry), 3)) || Z_TYPE_P(key) != IS_STRING
            || Z_TYPE_P(start) != IS_STRING || (day = tally_period_parse_date(Z_STRVAL_P(start), Z_STRLEN_P(start))) < 0) {
            rc = tally_error_set(err, TALLY_ERR_DATABASE,
                                 "%s::read() must return a list of [key, period_start 'Y-m-d', count, sync_seq]", cls);
            break;
        }
        if (cb(ud, Z_STRVAL_P(key), Z_STRLEN_P(key), day, (long long)zval_get_long(count), (long long)zval_get_long(seq))) {
            break;
        }
    } ZEND_HASH_FOREACH_END();
    zval_ptr_dtor(&ret);
    return rc;
}

/* read_owners() of a sink that is no BulkReadSink: its read(), once per owner. */
typedef struct {
    tally_owner_row_cb cb;
    void *ud;
    const char *id;
    size_t id_len;
} per_owner;

static int per_owner_row(void *ud, const char *key, size_t len, int32_t start, long long count, long long seq)
{
    per_owner *p = ud;
    return p->cb(p->ud, p->id, p->id_len, key, len, start, count, seq);
}

static int is_bulk(tally_sink *s)
{
    return instanceof_function(obj_of(s)->ce, tally_ce_bulk_read_sink_interface);
}

/* The string (or int) at index i of a row, into *out. */
static int row_text(zval *row, zend_ulong i, zend_string **out)
{
    zval *v = zend_hash_index_find(Z_ARRVAL_P(row), i);
    if (!v || (Z_TYPE_P(v) != IS_STRING && Z_TYPE_P(v) != IS_LONG)) return -1;
    *out = zval_get_string(v);
    return 0;
}

/* A BulkReadSink's readMany(): a list of [owner_id, key, period_start 'Y-m-d', count, sync_seq]. */
static tally_code php_read_owners(tally_sink *s, const tally_owners_query *q, tally_owner_row_cb cb, void *ud,
                                  tally_error *err)
{
    const char *cls = ZSTR_VAL(obj_of(s)->ce->name);
    char from[TALLY_PERIOD_DATE_LEN + 1], to[TALLY_PERIOD_DATE_LEN + 1];
    zval params[6], ret, *entry;
    tally_code rc = TALLY_OK;

    if (!is_bulk(s)) {
        for (size_t i = 0; i < q->n_ids && rc == TALLY_OK; i++) {
            tally_owner o = {q->type, q->type_len, q->ids[i], q->id_lens[i]};
            per_owner p = {cb, ud, q->ids[i], q->id_lens[i]};
            rc = php_read(s, &o, &q->q, per_owner_row, &p, err);
        }
        return rc;
    }
    if (tally_period_date(q->q.from, from) < 0 || tally_period_date(q->q.to, to) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a read's period range is out of bounds");
    }
    ZVAL_STRINGL(&params[0], q->type, q->type_len);
    array_init_size(&params[1], (uint32_t)q->n_ids);
    for (size_t i = 0; i < q->n_ids; i++) add_next_index_stringl(&params[1], q->ids[i], q->id_lens[i]);
    if (q->q.n > 0) {
        array_init_size(&params[2], (uint32_t)q->q.n);
        for (size_t i = 0; i < q->q.n; i++) add_next_index_stringl(&params[2], q->q.keys[i], q->q.key_lens[i]);
    } else {
        ZVAL_NULL(&params[2]);
    }
    ZVAL_STRING(&params[3], tally_period_name(q->q.period));
    ZVAL_STRINGL(&params[4], from, TALLY_PERIOD_DATE_LEN);
    ZVAL_STRINGL(&params[5], to, TALLY_PERIOD_DATE_LEN);
    rc = call(s, "readMany", 8, 6, params, &ret, err);
    for (int i = 0; i < 6; i++) zval_ptr_dtor(&params[i]);
    if (rc) return rc;
    if (Z_TYPE(ret) != IS_ARRAY) {
        zval_ptr_dtor(&ret);
        return tally_error_set(err, TALLY_ERR_DATABASE, "%s::readMany() must return an array", cls);
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL(ret), entry) {
        zend_string *id = NULL, *key = NULL;
        zval *start, *count, *seq;
        int32_t day = -1, stop;
        ZVAL_DEREF(entry);
        if (Z_TYPE_P(entry) != IS_ARRAY || row_text(entry, 0, &id) || row_text(entry, 1, &key)
            || !(start = zend_hash_index_find(Z_ARRVAL_P(entry), 2)) || !(count = zend_hash_index_find(Z_ARRVAL_P(entry), 3))
            || !(seq = zend_hash_index_find(Z_ARRVAL_P(entry), 4)) || Z_TYPE_P(start) != IS_STRING
            || (day = tally_period_parse_date(Z_STRVAL_P(start), Z_STRLEN_P(start))) < 0) {
            if (id) zend_string_release(id);
            if (key) zend_string_release(key);
            rc = tally_error_set(err, TALLY_ERR_DATABASE,
                                 "%s::readMany() must return a list of [owner_id, key, period_start 'Y-m-d', count, sync_seq]", cls);
            break;
        }
        stop = cb(ud, ZSTR_VAL(id), ZSTR_LEN(id), ZSTR_VAL(key), ZSTR_LEN(key), day, (long long)zval_get_long(count),
                  (long long)zval_get_long(seq));
        zend_string_release(id);
        zend_string_release(key);
        if (stop) break;
    } ZEND_HASH_FOREACH_END();
    zval_ptr_dtor(&ret);
    return rc;
}

/* A BulkReadSink's top(): a list of [name, count]. */
static tally_code php_rank(tally_sink *s, const tally_rank_query *q, tally_rank_cb cb, void *ud, tally_error *err)
{
    const char *cls = ZSTR_VAL(obj_of(s)->ce->name);
    char start[TALLY_PERIOD_DATE_LEN + 1];
    zval params[6], ret, *entry;
    tally_code rc = TALLY_OK;

    if (!is_bulk(s)) {
        return tally_error_set(err, TALLY_ERR_DATABASE,
                               "%s cannot rank counters: a top list needs a Tally\\BulkReadSink (its top() method)", cls);
    }
    if (tally_period_date(q->start, start) < 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a ranking's period is out of bounds");
    }
    ZVAL_STRINGL(&params[0], q->type, q->type_len);
    if (q->id) ZVAL_STRINGL(&params[1], q->id, q->id_len);
    else ZVAL_NULL(&params[1]);
    if (q->key) ZVAL_STRINGL(&params[2], q->key, q->key_len);
    else ZVAL_NULL(&params[2]);
    ZVAL_STRING(&params[3], tally_period_name(q->period));
    ZVAL_STRINGL(&params[4], start, TALLY_PERIOD_DATE_LEN);
    ZVAL_LONG(&params[5], (zend_long)q->limit);
    rc = call(s, "top", 3, 6, params, &ret, err);
    for (int i = 0; i < 6; i++) zval_ptr_dtor(&params[i]);
    if (rc) return rc;
    if (Z_TYPE(ret) != IS_ARRAY) {
        zval_ptr_dtor(&ret);
        return tally_error_set(err, TALLY_ERR_DATABASE, "%s::top() must return an array", cls);
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL(ret), entry) {
        zend_string *name = NULL;
        zval *count;
        int stop;
        ZVAL_DEREF(entry);
        if (Z_TYPE_P(entry) != IS_ARRAY || row_text(entry, 0, &name) || !(count = zend_hash_index_find(Z_ARRVAL_P(entry), 1))) {
            if (name) zend_string_release(name);
            rc = tally_error_set(err, TALLY_ERR_DATABASE, "%s::top() must return a list of [name, count]", cls);
            break;
        }
        stop = cb(ud, ZSTR_VAL(name), ZSTR_LEN(name), (long long)zval_get_long(count));
        zend_string_release(name);
        if (stop) break;
    } ZEND_HASH_FOREACH_END();
    zval_ptr_dtor(&ret);
    return rc;
}

static tally_code php_execute(tally_sink *s, const char *sql, tally_error *err)
{
    (void)s;
    (void)sql;
    return tally_error_set(err, TALLY_ERR_DATABASE, "a PHP sink creates its tables itself (see Tally\\Database::schema())");
}

static void php_destroy(tally_sink *s)
{
    OBJ_RELEASE(obj_of(s));
    efree(s);
}

static const tally_sink_ops php_ops = {
    .driver = "php",
    .calls_out = 1,
    .begin_run = php_begin_run,
    .write_batch = php_write_batch,
    .read = php_read,
    .read_owners = php_read_owners,
    .rank = php_rank,
    .execute = php_execute,
    .destroy = php_destroy,
};

/* A NarrowingSink's: its rejected batches are narrowed down to the rows set aside. */
static const tally_sink_ops php_narrowing_ops = {
    .driver = "php",
    .calls_out = 1,
    .begin_run = php_begin_run,
    .write_batch = php_write_batch_narrowing,
    .try_batch = php_try_batch,
    .read = php_read,
    .read_owners = php_read_owners,
    .rank = php_rank,
    .execute = php_execute,
    .destroy = php_destroy,
};

tally_sink *tally_php_sink_wrap(zend_object *obj)
{
    tally_sink *s = ecalloc(1, sizeof(*s));
    s->ops = instanceof_function(obj->ce, tally_ce_narrowing_sink_interface) ? &php_narrowing_ops : &php_ops;
    s->impl = obj;
    GC_ADDREF(obj);
    snprintf(s->table, sizeof(s->table), "%s", "php");
    return s;
}

tally_sink *tally_sink_from_zval(zval *arg, uint32_t arg_num, bool *temporary)
{
    *temporary = false;
    if (Z_TYPE_P(arg) == IS_OBJECT) {
        if (instanceof_function(Z_OBJCE_P(arg), tally_ce_database_class)) {
            return tally_database_sink(Z_OBJ_P(arg));
        }
        if (instanceof_function(Z_OBJCE_P(arg), tally_ce_sink_interface)) {
            *temporary = true;
            return tally_php_sink_wrap(Z_OBJ_P(arg));
        }
    }
    zend_argument_type_error(arg_num, "must be of type Tally\\Database|Tally\\Sink, %s given", zend_zval_type_name(arg));
    return NULL;
}
