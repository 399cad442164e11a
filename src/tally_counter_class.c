/* Tally\Counter: the object, option parsing, and the owner counter writes (pending reads
 * and forget() are in tally_counter_pending.c, ephemeral counters in
 * tally_counter_ephemeral.c, sync and exact reads in tally_counter_sync.c). No protocol
 * logic lives here. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"

#include "php_tally.h"
#include "tally_counter_class.h"
#include "tally_counter_buffer.h"
#include "tally_counter_internal.h"
#include "tally_exceptions.h"
#include "tally_options.h"
#include "tally_period_args.h"
#include "tally_counter.h"
#include "tally_key.h"
#include "redis/tally_cluster.h"

zend_class_entry *tally_ce_counter;
static zend_object_handlers counter_handlers;



static zend_object *counter_create(zend_class_entry *ce)
{
    counter_obj *c = zend_object_alloc(sizeof(counter_obj), ce);
    zend_object_std_init(&c->std, ce);
    object_properties_init(&c->std, ce);
    c->std.handlers = &counter_handlers;
    return &c->std;
}

static void counter_reset(counter_obj *c)
{
    tally_counter_buffer_detach(c);
    if (c->conn) {
        tally_conn_release(c->conn);
        c->conn = NULL;
    }
    if (c->prefix) {
        zend_string_release(c->prefix);
        c->prefix = NULL;
    }
}

static void counter_free(zend_object *o)
{
    counter_reset(counter_from(o));
    zend_object_std_dtor(o);
}

void tally_counter_class_init(zend_class_entry *ce)
{
    tally_ce_counter = ce;
    ce->create_object = counter_create;
    memcpy(&counter_handlers, zend_get_std_object_handlers(), sizeof(counter_handlers));
    counter_handlers.offset = XtOffsetOf(counter_obj, std);
    counter_handlers.free_obj = counter_free;
    counter_handlers.clone_obj = NULL;
}

/* ---- options ---------------------------------------------------------------------- */

static const char *const option_names =
    "host, port, socket, cluster, username, password, database, connect_timeout, read_timeout, "
    "prefix, persistent, lazy, max_key_length, buffer, buffer_limit, "
    "tls, tls_ca_file, tls_ca_path, tls_cert_file, tls_key_file, tls_server_name, tls_verify, "
    "wait_replicas, wait_timeout";

#define BUFFER_LIMIT_MAX 1000000

typedef struct {
    tally_conn_opts conn;
    const char *prefix;
    size_t prefix_len;
    zend_long max_key_length;
    bool buffer;
    zend_long buffer_limit;
    zend_string *cluster;     /* the seeds joined by ',' (released by the caller) */
} options;

/* Option 'cluster': a list of "host:port" strings, or one comma-separated string. Each
 * entry is checked here so that the message names it. */
static int parse_cluster(zval *v, options *o)
{
    smart_str s = {0};
    zval *e;
    tally_error err;

    tally_error_clear(&err);
    if (Z_TYPE_P(v) == IS_STRING) {
        smart_str_append(&s, Z_STR_P(v));
    } else if (Z_TYPE_P(v) == IS_ARRAY) {
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
            ZVAL_DEREF(e);
            if (Z_TYPE_P(e) != IS_STRING) {
                smart_str_free(&s);
                tally_throw_invalid("option 'cluster' must list \"host:port\" strings, %s given as an entry",
                                    zend_zval_type_name(e));
                return FAILURE;
            }
            if (tally_cluster_check_seeds(Z_STRVAL_P(e), &err) != TALLY_OK || strchr(Z_STRVAL_P(e), ',')) {
                smart_str_free(&s);
                tally_throw_invalid("option 'cluster': seed '%.100s' is not 'host:port' (port 1-65535)", Z_STRVAL_P(e));
                return FAILURE;
            }
            if (s.s) smart_str_appendc(&s, ',');
            smart_str_append(&s, Z_STR_P(e));
        } ZEND_HASH_FOREACH_END();
    } else {
        return tally_opt_bad_type("cluster", "array|string", v);
    }
    smart_str_0(&s);
    if (o->cluster) zend_string_release(o->cluster);
    o->cluster = s.s ? s.s : ZSTR_EMPTY_ALLOC();
    return SUCCESS;
}

/* Defaults from the tally.* ini settings, then each given option, type-checked. */
static int parse_options(HashTable *ht, options *o)
{
    zend_string *name;
    zval *v;
    zend_ulong idx;
    bool password_given = false;

    memset(o, 0, sizeof(*o));
    o->conn.host = TALLY_G(host);
    o->conn.port = TALLY_G(port);
    o->conn.socket = TALLY_G(socket);
    o->conn.username = TALLY_G(username);
    o->conn.password = NULL;
    o->conn.database = TALLY_G(database);
    o->conn.connect_timeout = TALLY_G(connect_timeout);
    o->conn.read_timeout = TALLY_G(read_timeout);
    o->conn.wait_replicas = (int)TALLY_G(wait_replicas);
    o->conn.wait_timeout = TALLY_G(wait_timeout);
    o->conn.persistent = TALLY_G(persistent);
    o->prefix = TALLY_G(prefix) ? TALLY_G(prefix) : "";
    o->prefix_len = strlen(o->prefix);
    o->max_key_length = TALLY_G(max_key_length);
    o->buffer = TALLY_G(buffer);
    o->buffer_limit = TALLY_G(buffer_limit);
    o->conn.tls.enabled = TALLY_G(tls);
    o->conn.tls.ca_file = TALLY_G(tls_ca_file);
    o->conn.tls.ca_path = TALLY_G(tls_ca_path);
    o->conn.tls.cert_file = TALLY_G(tls_cert_file);
    o->conn.tls.key_file = TALLY_G(tls_key_file);
    o->conn.tls.server_name = TALLY_G(tls_server_name);
    o->conn.tls.verify = TALLY_G(tls_verify);

    ZEND_HASH_FOREACH_KEY_VAL(ht, idx, name, v) {
        const char *n;
        zend_long l;
        ZVAL_DEREF(v);
        if (!name) {
            tally_throw_invalid("option names must be strings, got the integer key " ZEND_ULONG_FMT "; valid options are: %s",
                                idx, option_names);
            return FAILURE;
        }
        n = ZSTR_VAL(name);
        if (zend_string_equals_literal(name, "cluster")) {
            if (parse_cluster(v, o) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "host")) {
            if (tally_opt_string(n, v, false, &o->conn.host, NULL) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "port")) {
            if (tally_opt_long(n, v, 1, 65535, &l) == FAILURE) return FAILURE;
            o->conn.port = l;
        } else if (zend_string_equals_literal(name, "socket")) {
            if (tally_opt_string(n, v, true, &o->conn.socket, NULL) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "username")) {
            if (tally_opt_string(n, v, true, &o->conn.username, NULL) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "password")) {
            if (tally_opt_string(n, v, true, &o->conn.password, NULL) == FAILURE) return FAILURE;
            password_given = true;
        } else if (zend_string_equals_literal(name, "database")) {
            if (tally_opt_long(n, v, 0, INT_MAX, &l) == FAILURE) return FAILURE;
            o->conn.database = l;
        } else if (zend_string_equals_literal(name, "connect_timeout")) {
            if (tally_opt_seconds(n, v, TALLY_REDIS_TIMEOUT_MAX, &o->conn.connect_timeout) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "read_timeout")) {
            if (tally_opt_seconds(n, v, TALLY_REDIS_TIMEOUT_MAX, &o->conn.read_timeout) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "wait_replicas")) {
            if (tally_opt_long(n, v, 0, TALLY_WAIT_REPLICAS_MAX, &l) == FAILURE) return FAILURE;
            o->conn.wait_replicas = (int)l;
        } else if (zend_string_equals_literal(name, "wait_timeout")) {
            if (tally_opt_seconds(n, v, TALLY_REDIS_TIMEOUT_MAX, &o->conn.wait_timeout) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "prefix")) {
            if (tally_opt_string(n, v, false, &o->prefix, &o->prefix_len) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "persistent")) {
            if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) return tally_opt_bad_type(n, "bool", v);
            o->conn.persistent = Z_TYPE_P(v) == IS_TRUE;
        } else if (zend_string_equals_literal(name, "lazy")) {
            if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) return tally_opt_bad_type(n, "bool", v);
            o->conn.lazy = Z_TYPE_P(v) == IS_TRUE;
        } else if (zend_string_equals_literal(name, "max_key_length")) {
            if (tally_opt_long(n, v, 1, TALLY_KEY_MAX_LIMIT, &o->max_key_length) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "buffer")) {
            if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) return tally_opt_bad_type(n, "bool", v);
            o->buffer = Z_TYPE_P(v) == IS_TRUE;
        } else if (zend_string_equals_literal(name, "buffer_limit")) {
            if (tally_opt_long(n, v, 1, BUFFER_LIMIT_MAX, &o->buffer_limit) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "tls")) {
            if (tally_opt_bool(n, v, &o->conn.tls.enabled) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "tls_verify")) {
            if (tally_opt_bool(n, v, &o->conn.tls.verify) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "tls_ca_file")) {
            if (tally_opt_string(n, v, true, &o->conn.tls.ca_file, NULL) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "tls_ca_path")) {
            if (tally_opt_string(n, v, true, &o->conn.tls.ca_path, NULL) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "tls_cert_file")) {
            if (tally_opt_string(n, v, true, &o->conn.tls.cert_file, NULL) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "tls_key_file")) {
            if (tally_opt_string(n, v, true, &o->conn.tls.key_file, NULL) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "tls_server_name")) {
            if (tally_opt_string(n, v, true, &o->conn.tls.server_name, NULL) == FAILURE) return FAILURE;
        } else {
            tally_throw_invalid("unknown option '%s'; valid options are: %s", n, option_names);
            return FAILURE;
        }
    } ZEND_HASH_FOREACH_END();

    /* Settings that came from ini files are checked here too. */
    if (!password_given && TALLY_G(password_env) && *TALLY_G(password_env)) {
        o->conn.password = getenv(TALLY_G(password_env));
        if (!o->conn.password) {
            tally_throw_invalid("tally.password_env names the environment variable '%s', which is not set", TALLY_G(password_env));
            return FAILURE;
        }
    }
    if (!o->cluster && TALLY_G(cluster) && *TALLY_G(cluster)) {
        o->cluster = zend_string_init(TALLY_G(cluster), strlen(TALLY_G(cluster)), 0);
    }
    if (o->cluster) {
        tally_error err;
        tally_error_clear(&err);
        if (tally_cluster_check_seeds(ZSTR_VAL(o->cluster), &err) != TALLY_OK) {
            tally_throw_invalid("option 'cluster': %s", err.msg);
            return FAILURE;
        }
        /* A cluster has only database 0; host, port and socket come from its slot map. */
        if (o->conn.database != 0) {
            tally_throw_invalid("option 'database' must be 0 on a Redis Cluster (it has no other), " ZEND_LONG_FMT " given",
                                (zend_long)o->conn.database);
            return FAILURE;
        }
        o->conn.cluster = ZSTR_VAL(o->cluster);
        o->conn.socket = NULL;
    } else if ((!o->conn.socket || !*o->conn.socket) && (!o->conn.host || !*o->conn.host)) {
        tally_throw_invalid("option 'host' must not be empty (or give 'socket')");
        return FAILURE;
    }
    if (o->conn.port < 1 || o->conn.port > 65535) {
        tally_throw_invalid("option 'port' must be between 1 and 65535, " ZEND_LONG_FMT " given", (zend_long)o->conn.port);
        return FAILURE;
    }
    if (o->conn.database < 0 || o->conn.database > INT_MAX) {
        tally_throw_invalid("option 'database' must be between 0 and %d, " ZEND_LONG_FMT " given", INT_MAX, (zend_long)o->conn.database);
        return FAILURE;
    }
    if (tally_opt_check_seconds("connect_timeout", o->conn.connect_timeout, TALLY_REDIS_TIMEOUT_MAX) == FAILURE
        || tally_opt_check_seconds("read_timeout", o->conn.read_timeout, TALLY_REDIS_TIMEOUT_MAX) == FAILURE
        || tally_opt_check_seconds("wait_timeout", o->conn.wait_timeout, TALLY_REDIS_TIMEOUT_MAX) == FAILURE) {
        return FAILURE;
    }
    /* WAIT blocks the server's answer for up to wait_timeout: a read_timeout not above it
     * would give up on a reply that is still coming. */
    if (o->conn.wait_replicas > 0 && o->conn.wait_timeout >= o->conn.read_timeout) {
        tally_throw_invalid("option 'wait_timeout' (%g s) must be below 'read_timeout' (%g s): WAIT holds the reply "
                            "for up to wait_timeout", o->conn.wait_timeout, o->conn.read_timeout);
        return FAILURE;
    }
    {
        tally_error err;
        tally_error_clear(&err);
        if (tally_key_check_prefix(o->prefix, o->prefix_len, &err) != TALLY_OK) {
            tally_throw(&err);
            return FAILURE;
        }
    }
    if (o->max_key_length < 1 || o->max_key_length > TALLY_KEY_MAX_LIMIT) {
        tally_throw_invalid("option 'max_key_length' must be between 1 and %d, " ZEND_LONG_FMT " given",
                            TALLY_KEY_MAX_LIMIT, o->max_key_length);
        return FAILURE;
    }
    if (o->buffer_limit < 1 || o->buffer_limit > BUFFER_LIMIT_MAX) {
        tally_throw_invalid("option 'buffer_limit' must be between 1 and %d, " ZEND_LONG_FMT " given",
                            BUFFER_LIMIT_MAX, o->buffer_limit);
        return FAILURE;
    }
    return SUCCESS;
}

/* ---- helpers ---------------------------------------------------------------------- */

/* The connected object behind $this, or NULL with an exception thrown. */
counter_obj *tally_this_counter(zval *this_ptr)
{
    counter_obj *c = counter_from(Z_OBJ_P(this_ptr));
    if (!c->conn) {
        zend_throw_exception(tally_ce_exception, "Tally\\Counter is not connected: its constructor did not complete", 0);
        return NULL;
    }
    return c;
}

counter_obj *tally_read_begin(zval *this_ptr, zend_string *period, zval *at, tally_target *target, owner_arg *owner,
                              zend_string *type, zend_string *id_str, zend_long id_long)
{
    counter_obj *c;
    if (!tally_read_target(period, at, target) || !(c = tally_this_counter(this_ptr))) return NULL;
    tally_owner_from(owner, type, id_str, id_long);
    return c;
}

void tally_owner_from(owner_arg *a, zend_string *type, zend_string *id_str, zend_long id_long)
{
    a->owner.type = ZSTR_VAL(type);
    a->owner.type_len = ZSTR_LEN(type);
    if (id_str) {
        a->owner.id = ZSTR_VAL(id_str);
        a->owner.id_len = ZSTR_LEN(id_str);
    } else {
        /* Not snprintf: this runs on every increment. */
        char *end = a->idbuf + sizeof(a->idbuf) - 1;
        char *start = zend_print_long_to_buf(end, id_long);
        a->owner.id = start;
        a->owner.id_len = (size_t)(end - start);
    }
}



void tally_names_free(name_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->tmp[i]) zend_string_release(l->tmp[i]);
    }
    efree(l->names);
    efree(l->lens);
    efree(l->tmp);
}

int tally_names_from_array(HashTable *ht, const char *param, name_list *l)
{
    zval *v;
    size_t i = 0, n = zend_hash_num_elements(ht);
    l->n = 0;
    l->names = safe_emalloc(n ? n : 1, sizeof(*l->names), 0);
    l->lens = safe_emalloc(n ? n : 1, sizeof(*l->lens), 0);
    l->tmp = ecalloc(n ? n : 1, sizeof(*l->tmp));
    ZEND_HASH_FOREACH_VAL(ht, v) {
        ZVAL_DEREF(v);
        if (Z_TYPE_P(v) == IS_STRING) {
            l->names[i] = Z_STRVAL_P(v);
            l->lens[i] = Z_STRLEN_P(v);
        } else if (Z_TYPE_P(v) == IS_LONG) {
            l->tmp[i] = zend_long_to_str(Z_LVAL_P(v));
            l->names[i] = ZSTR_VAL(l->tmp[i]);
            l->lens[i] = ZSTR_LEN(l->tmp[i]);
        } else {
            l->n = i;
            tally_names_free(l);
            tally_throw_invalid("%s must hold key names (strings), %s found at position %zu", param,
                                zend_zval_type_name(v), i);
            return FAILURE;
        }
        i++;
        l->n = i;
    } ZEND_HASH_FOREACH_END();
    return SUCCESS;
}

/* result[name] = value, with PHP's own rule for numeric-string keys. */
void tally_set_entry(zval *arr, const char *name, size_t len, zend_long value)
{
    zval zv;
    ZVAL_LONG(&zv, value);
    zend_symtable_str_update(Z_ARRVAL_P(arr), name, len, &zv);
}

void tally_names_values(zval *result, const name_list *l, const long long *values)
{
    array_init_size(result, (uint32_t)l->n);
    for (size_t i = 0; i < l->n; i++) tally_set_entry(result, l->names[i], l->lens[i], (zend_long)values[i]);
}

int tally_collect_entry(void *ud, const char *key, size_t len, long long value)
{
    tally_set_entry((zval *)ud, key, len, (zend_long)value);
    return 0;
}

/* ---- methods ---------------------------------------------------------------------- */

ZEND_METHOD(Tally_Counter, __construct)
{
    HashTable *ht = NULL;
    counter_obj *c = counter_from(Z_OBJ_P(ZEND_THIS));
    options o;
    tally_error err;
    tally_conn *conn;
    tally_code rc;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    (void)return_value;

    /* Re-constructing would free the connection a running sync or buffer still uses (a
     * callback can call this mid-sync). A programming error, so \Error, as php-src does
     * for objects that cannot be re-initialised; not a Tally\Exception to be caught. */
    if (c->conn) {
        zend_throw_error(NULL, "Tally\\Counter::__construct() cannot be called twice: the object is in use; "
                               "create a new Tally\\Counter");
        return;
    }
    counter_reset(c);
    if (parse_options(ht ? ht : (HashTable *)&zend_empty_array, &o) == FAILURE) {
        if (o.cluster) zend_string_release(o.cluster);
        return;
    }
    rc = tally_conn_open(&TALLY_G(pool), &o.conn, &conn, &err);
    if (o.cluster) zend_string_release(o.cluster);
    if (rc != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    c->conn = conn;
    c->prefix = zend_string_init(o.prefix, o.prefix_len, 0);
    c->engine.conn = conn;
    c->engine.prefix = ZSTR_VAL(c->prefix);
    c->engine.prefix_len = ZSTR_LEN(c->prefix);
    c->engine.max_key_len = (size_t)o.max_key_length;
    c->buffer_limit = o.buffer_limit;
    if (o.buffer) tally_counter_buffer_attach(c);
}

/* An amount is an int, in every mode: Z_PARAM_LONG would turn 1.5 into 1 with only a
 * deprecation (and "3", true or null into 3, 1, 0) in coercive mode, counting what the
 * caller did not mean. */
bool tally_amount_arg(zval *v, zend_long *amount)
{
    if (!v) return true;
    if (EXPECTED(Z_TYPE_P(v) == IS_LONG)) {
        *amount = Z_LVAL_P(v);
        return true;
    }
    tally_throw_invalid("amount must be an int, %s given", zend_zval_type_name(v));
    return false;
}

static void owner_incr(INTERNAL_FUNCTION_PARAMETERS, bool negate)
{
    zend_string *type, *id_str = NULL, *key;
    zval *amount_zv = NULL, *at = NULL;
    HashTable *periods = NULL;
    zend_long id_long = 0, amount = 1;
    long long value, delta;
    owner_arg owner;
    tally_error err;
    tally_target targets[TALLY_TARGETS_MAX];
    size_t ntargets = 0;
    counter_obj *c;

    ZEND_PARSE_PARAMETERS_START(3, 6)
        OWNER_PARAMS
        Z_PARAM_STR(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(amount_zv)
        Z_PARAM_ARRAY_HT(periods)
        Z_PARAM_ZVAL(at)
    ZEND_PARSE_PARAMETERS_END();

    if (!tally_amount_arg(amount_zv, &amount) || !tally_write_targets(periods, at, targets, &ntargets)
        || !(c = tally_this_counter(ZEND_THIS))) {
        return;
    }
    tally_owner_from(&owner, type, id_str, id_long);
    delta = amount;
    if ((negate && tally_negate(amount, &delta, &err) != TALLY_OK)
        || tally_counter_incr(&c->engine, &owner.owner, ZSTR_VAL(key), ZSTR_LEN(key), delta, ntargets, targets, &value,
                              &err) != TALLY_OK) {
        tally_throw(&err);
        return;
    }
    RETVAL_LONG((zend_long)value);
    tally_counter_buffer_check(c);
}

ZEND_METHOD(Tally_Counter, increment)
{
    owner_incr(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tally_Counter, decrement)
{
    owner_incr(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tally_Counter, incrementMany)
{
    zend_string *type, *id_str = NULL, *name;
    zend_long id_long = 0;
    zend_ulong idx;
    HashTable *amounts, *periods = NULL;
    owner_arg owner;
    tally_error err;
    counter_obj *c;
    name_list keys = {0};
    long long *deltas, *values;
    zval *v, *at = NULL;
    tally_target targets[TALLY_TARGETS_MAX], (*key_targets)[TALLY_TARGETS_MAX] = NULL;
    const tally_target **each_targets = NULL;
    size_t i = 0, n, ntargets = 0, *each_n = NULL;
    int32_t day = 0;
    bool each;
    tally_code rc;

    ZEND_PARSE_PARAMETERS_START(3, 5)
        OWNER_PARAMS
        Z_PARAM_ARRAY_HT(amounts)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(periods)
        Z_PARAM_ZVAL(at)
    ZEND_PARSE_PARAMETERS_END();

    each = periods && tally_periods_per_key(periods);
    if (each ? !tally_day_arg(at, "at", &day) : !tally_write_targets(periods, at, targets, &ntargets)) return;
    if (!(c = tally_this_counter(ZEND_THIS))) return;
    tally_owner_from(&owner, type, id_str, id_long);
    n = zend_hash_num_elements(amounts);
    keys.names = safe_emalloc(n ? n : 1, sizeof(*keys.names), 0);
    keys.lens = safe_emalloc(n ? n : 1, sizeof(*keys.lens), 0);
    keys.tmp = ecalloc(n ? n : 1, sizeof(*keys.tmp));
    deltas = safe_emalloc(n ? n : 1, sizeof(*deltas), 0);
    values = safe_emalloc(n ? n : 1, sizeof(*values), 0);
    if (each) {
        key_targets = safe_emalloc(n ? n : 1, sizeof(*key_targets), 0);
        each_n = safe_emalloc(n ? n : 1, sizeof(*each_n), 0);
        each_targets = safe_emalloc(n ? n : 1, sizeof(*each_targets), 0);
    }
    ZEND_HASH_FOREACH_KEY_VAL(amounts, idx, name, v) {
        ZVAL_DEREF(v);
        if (name) {
            keys.names[i] = ZSTR_VAL(name);
            keys.lens[i] = ZSTR_LEN(name);
        } else {
            keys.tmp[i] = zend_long_to_str((zend_long)idx);
            keys.names[i] = ZSTR_VAL(keys.tmp[i]);
            keys.lens[i] = ZSTR_LEN(keys.tmp[i]);
        }
        keys.n = i + 1;
        if (Z_TYPE_P(v) != IS_LONG) {
            tally_throw_invalid("amounts must map key names to int deltas; '%s' maps to %s",
                                keys.names[i], zend_zval_type_name(v));
            goto done;
        }
        deltas[i] = Z_LVAL_P(v);
        if (each) {
            if (!tally_key_targets_arg(periods, name, idx, day, key_targets[i], &each_n[i])) goto done;
            each_targets[i] = key_targets[i];
        }
        i++;
    } ZEND_HASH_FOREACH_END();

    if (each) {
        rc = tally_counter_incr_each(&c->engine, &owner.owner, n, keys.names, keys.lens, deltas, each_n, each_targets,
                                     values, &err);
    } else {
        rc = tally_counter_incr_many(&c->engine, &owner.owner, n, keys.names, keys.lens, deltas, ntargets, targets,
                                     values, &err);
    }
    if (rc != TALLY_OK) {
        tally_throw(&err);
        goto done;
    }
    array_init_size(return_value, (uint32_t)n);
    for (i = 0; i < n; i++) tally_set_entry(return_value, keys.names[i], keys.lens[i], (zend_long)values[i]);
    tally_counter_buffer_check(c);
done:
    tally_names_free(&keys);
    efree(deltas);
    efree(values);
    if (each) {
        efree(key_targets);
        efree(each_n);
        efree(each_targets);
    }
}

ZEND_METHOD(Tally_Counter, getPrefix)
{
    counter_obj *c;
    ZEND_PARSE_PARAMETERS_NONE();
    if (!(c = tally_this_counter(ZEND_THIS))) return;
    RETURN_STR_COPY(c->prefix);
}
