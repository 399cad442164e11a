/* Tally\Database: option parsing and the object wrapper around a native SQL sink. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "tally_database_class.h"
#include "tally_exceptions.h"
#include "tally_options.h"
#include "php_tally.h"
#include "sql/tally_schema.h"
#include "zend_smart_str.h"

zend_class_entry *tally_ce_database_class;
static zend_object_handlers database_handlers;

typedef struct {
    tally_sink *sink;
    zend_string *pool_key;    /* 'persistent': the session goes back to the pool under this key */
    zend_object std;
} database_obj;

static inline database_obj *database_from(zend_object *o)
{
    return (database_obj *)((char *)o - XtOffsetOf(database_obj, std));
}

static zend_object *database_create(zend_class_entry *ce)
{
    database_obj *d = zend_object_alloc(sizeof(database_obj), ce);
    zend_object_std_init(&d->std, ce);
    object_properties_init(&d->std, ce);
    d->std.handlers = &database_handlers;
    return &d->std;
}

static void database_free(zend_object *o)
{
    database_obj *d = database_from(o);
    if (d->sink && d->pool_key) {
        tally_sink_pool_put(&TALLY_G(sink_pool), ZSTR_VAL(d->pool_key), ZSTR_LEN(d->pool_key), d->sink);
    } else if (d->sink) {
        d->sink->ops->destroy(d->sink);
    }
    if (d->pool_key) {
        memset(ZSTR_VAL(d->pool_key), 0, ZSTR_LEN(d->pool_key));   /* it holds the password */
        zend_string_release(d->pool_key);
    }
    zend_object_std_dtor(o);
}

/* What makes two Tally\Database sessions interchangeable: every option, in one order. */
static zend_string *pool_key(const char *driver, const tally_mysql_opts *my, const tally_sqlite_opts *lite)
{
    smart_str k = {0};
    const char *parts[] = {driver, my->host, my->socket, my->user, my->password, my->database, my->table,
                           my->tls_ca_file, my->tls_cert_file, my->tls_key_file, lite->path, lite->table};
    for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
        if (parts[i]) smart_str_appends(&k, parts[i]);
        smart_str_appendc(&k, '\0');
    }
    smart_str_append_printf(&k, "%ld\n%.6f\n%.6f\n%.6f\n%d\n%d", my->port, my->connect_timeout, my->read_timeout,
                            lite->busy_timeout, my->tls, my->tls_verify);
    smart_str_0(&k);
    return k.s;
}

void tally_database_class_init(zend_class_entry *ce)
{
    tally_ce_database_class = ce;
    ce->create_object = database_create;
    memcpy(&database_handlers, zend_get_std_object_handlers(), sizeof(database_handlers));
    database_handlers.offset = XtOffsetOf(database_obj, std);
    database_handlers.free_obj = database_free;
    database_handlers.clone_obj = NULL;
}

tally_sink *tally_database_sink(zend_object *obj)
{
    database_obj *d = database_from(obj);
    if (!d->sink) {
        zend_throw_exception(tally_ce_exception, "Tally\\Database is not open: its constructor did not complete", 0);
    }
    return d->sink;
}

static const char *const option_names =
    "driver, host, port, socket, username, password, database, path, table, connect_timeout, read_timeout, busy_timeout, "
    "tls, tls_ca_file, tls_cert_file, tls_key_file, tls_verify, persistent";

/* 'mysql' and 'mariadb' name one dialect. */
static int parse_driver(const char *name, tally_dialect *out)
{
    if (strcmp(name, "mysql") == 0 || strcmp(name, "mariadb") == 0) *out = TALLY_DIALECT_MYSQL;
    else if (strcmp(name, "sqlite") == 0) *out = TALLY_DIALECT_SQLITE;
    else if (strcmp(name, "pgsql") == 0) *out = TALLY_DIALECT_PGSQL;
    else return FAILURE;
    return SUCCESS;
}

ZEND_METHOD(Tally_Database, __construct)
{
    HashTable *ht;
    database_obj *d = database_from(Z_OBJ_P(ZEND_THIS));
    zend_string *name;
    zval *v;
    zend_ulong idx;
    const char *driver = NULL;
    tally_dialect dialect = TALLY_DIALECT_MYSQL;
    tally_mysql_opts my = {.host = "127.0.0.1", .port = 3306, .connect_timeout = 5.0, .read_timeout = 30.0,
                           .table = "model_counters", .tls_verify = 1};
    tally_sqlite_opts lite = {NULL, 5.0, "model_counters"};
    tally_error err;
    tally_code rc;
    zend_long l;
    int persistent = 0;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    (void)return_value;

    /* Re-constructing would destroy the sink a running sync or read uses: see
     * Tally\Counter::__construct(). */
    if (d->sink) {
        zend_throw_error(NULL, "Tally\\Database::__construct() cannot be called twice: the object is in use; "
                               "create a new Tally\\Database");
        return;
    }
    ZEND_HASH_FOREACH_KEY_VAL(ht, idx, name, v) {
        const char *n, *table;
        ZVAL_DEREF(v);
        if (!name) {
            tally_throw_invalid("option names must be strings, got the integer key " ZEND_ULONG_FMT "; valid options are: %s",
                                idx, option_names);
            return;
        }
        n = ZSTR_VAL(name);
        if (zend_string_equals_literal(name, "driver")) {
            if (tally_opt_string(n, v, false, &driver, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "host")) {
            if (tally_opt_string(n, v, false, &my.host, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "port")) {
            if (tally_opt_long(n, v, 1, 65535, &l) == FAILURE) return;
            my.port = l;
        } else if (zend_string_equals_literal(name, "socket")) {
            if (tally_opt_string(n, v, true, &my.socket, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "username")) {
            if (tally_opt_string(n, v, true, &my.user, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "password")) {
            if (tally_opt_string(n, v, true, &my.password, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "database")) {
            if (tally_opt_string(n, v, false, &my.database, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "path")) {
            if (tally_opt_string(n, v, false, &lite.path, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "table")) {
            if (tally_opt_string(n, v, false, &table, NULL) == FAILURE) return;
            my.table = lite.table = table;
        } else if (zend_string_equals_literal(name, "connect_timeout")) {
            if (tally_opt_seconds(n, v, 3600, &my.connect_timeout) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "read_timeout")) {
            if (tally_opt_seconds(n, v, 86400, &my.read_timeout) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "busy_timeout")) {
            if (tally_opt_seconds(n, v, 3600, &lite.busy_timeout) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "tls")) {
            if (tally_opt_bool(n, v, &my.tls) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "tls_verify")) {
            if (tally_opt_bool(n, v, &my.tls_verify) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "tls_ca_file")) {
            if (tally_opt_string(n, v, true, &my.tls_ca_file, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "tls_cert_file")) {
            if (tally_opt_string(n, v, true, &my.tls_cert_file, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "tls_key_file")) {
            if (tally_opt_string(n, v, true, &my.tls_key_file, NULL) == FAILURE) return;
        } else if (zend_string_equals_literal(name, "persistent")) {
            if (tally_opt_bool(n, v, &persistent) == FAILURE) return;
        } else {
            tally_throw_invalid("unknown option '%s'; valid options are: %s", n, option_names);
            return;
        }
    } ZEND_HASH_FOREACH_END();

    if (!driver) {
        tally_throw_invalid("option 'driver' is required: 'mysql', 'mariadb' or 'sqlite'");
        return;
    }
    if (parse_driver(driver, &dialect) == FAILURE || dialect == TALLY_DIALECT_PGSQL) {
        tally_throw_invalid("option 'driver' must be 'mysql', 'mariadb' or 'sqlite', '%s' given", driver);
        return;
    }
    if (persistent) {
        d->pool_key = pool_key(driver, &my, &lite);
        if ((d->sink = tally_sink_pool_take(&TALLY_G(sink_pool), ZSTR_VAL(d->pool_key), ZSTR_LEN(d->pool_key)))) return;
    }
    rc = dialect == TALLY_DIALECT_SQLITE ? tally_sink_sqlite_open(&lite, &d->sink, &err)
                                         : tally_sink_mysql_open(&my, &d->sink, &err);
    if (rc != TALLY_OK) {
        d->sink = NULL;
        tally_throw(&err);
    }
}

ZEND_METHOD(Tally_Database, createTables)
{
    tally_sink *s;
    tally_error err;
    ZEND_PARSE_PARAMETERS_NONE();
    (void)return_value;
    if (!(s = tally_database_sink(Z_OBJ_P(ZEND_THIS)))) return;
    if (tally_sink_create_tables(s, &err) != TALLY_OK) tally_throw(&err);
}

ZEND_METHOD(Tally_Database, getDriver)
{
    tally_sink *s;
    ZEND_PARSE_PARAMETERS_NONE();
    if (!(s = tally_database_sink(Z_OBJ_P(ZEND_THIS)))) return;
    RETURN_STRING(s->ops->driver);
}

ZEND_METHOD(Tally_Database, getTable)
{
    tally_sink *s;
    ZEND_PARSE_PARAMETERS_NONE();
    if (!(s = tally_database_sink(Z_OBJ_P(ZEND_THIS)))) return;
    RETURN_STRING(s->table);
}

/* schema() and upgradeSchema(): the statements for a driver and table, as a list. */
static void schema_statements(INTERNAL_FUNCTION_PARAMETERS, int (*build)(tally_dialect, const char *, char **, tally_error *))
{
    zend_string *driver, *table = NULL;
    tally_dialect dialect;
    char *ddl[TALLY_SCHEMA_MAX_STATEMENTS];
    tally_error err;
    int n;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(driver)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(table)
    ZEND_PARSE_PARAMETERS_END();

    /* parse_driver() compares C strings: "sqlite\0junk" would pass as 'sqlite'. */
    if (memchr(ZSTR_VAL(driver), '\0', ZSTR_LEN(driver))) {
        tally_throw_invalid("driver must not contain NUL bytes");
        return;
    }
    if (parse_driver(ZSTR_VAL(driver), &dialect) == FAILURE) {
        tally_throw_invalid("driver must be 'mysql', 'mariadb', 'sqlite' or 'pgsql', '%s' given", ZSTR_VAL(driver));
        return;
    }
    if (table && memchr(ZSTR_VAL(table), '\0', ZSTR_LEN(table))) {
        tally_throw_invalid("table name must not contain NUL bytes");
        return;
    }
    n = build(dialect, table ? ZSTR_VAL(table) : "model_counters", ddl, &err);
    if (n < 0) {
        tally_throw(&err);
        return;
    }
    array_init_size(return_value, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        add_next_index_string(return_value, ddl[i]);
        free(ddl[i]);
    }
}

ZEND_METHOD(Tally_Database, schema)
{
    schema_statements(INTERNAL_FUNCTION_PARAM_PASSTHRU, tally_schema_ddl);
}

ZEND_METHOD(Tally_Database, upgradeSchema)
{
    schema_statements(INTERNAL_FUNCTION_PARAM_PASSTHRU, tally_schema_upgrade_ddl);
}
