/* The tally extension's module: ini settings, phpinfo, class registration, startup and
 * shutdown of the per-process connection pool. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "SAPI.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"
#include "zend_attributes.h" /* the arginfo marks the options #[\SensitiveParameter] */
#include "ext/spl/spl_exceptions.h"

#include "php_tally.h"
#include "tally_exceptions.h"
#include "tally_options.h"
#include "tally_counter_class.h"
#include "tally_database_class.h"
#include "tally_php_sink.h"
#include "tally_counter_buffer.h"
#include "util/tally_proc.h"
#include "redis/tally_script.h"
#include "tally_arginfo.h"

#include <mysql.h>
#include <sqlite3.h>

ZEND_DECLARE_MODULE_GLOBALS(tally)

/* tally.password of earlier releases is refused with a word on what replaced it: PHP
 * ignores unknown ini entries silently, and an old php.ini would only meet NOAUTH. The
 * value is never stored, so ini_get_all() cannot show it. */
static ZEND_INI_MH(OnUpdatePasswordGone)
{
    (void)entry; (void)mh_arg1; (void)mh_arg2; (void)mh_arg3; (void)stage;
    if (new_value && ZSTR_LEN(new_value)) {
        php_error_docref(NULL, E_WARNING, "tally.password is not read (ini_get_all() would show it to anyone): "
                         "put the Redis password in an environment variable and set tally.password_env to its name");
        return FAILURE;
    }
    return SUCCESS;
}

/* A timeout in seconds: a value that is not a number, or outside what a Tally\Counter
 * accepts (tally_seconds_valid), is refused and the setting keeps its old value; taken as
 * given, one below a microsecond became "no timeout" and a call hung until killed. */
static ZEND_INI_MH(OnUpdateSeconds)
{
    const char *end = NULL;
    double d = zend_strtod(ZSTR_VAL(new_value), &end);
    if (ZSTR_LEN(new_value) == 0 || end != ZSTR_VAL(new_value) + ZSTR_LEN(new_value)
        || !tally_seconds_valid(d, TALLY_REDIS_TIMEOUT_MAX)) {
        return FAILURE;
    }
    return OnUpdateReal(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
}

/* A replica count: an integer from 0 to TALLY_WAIT_REPLICAS_MAX, else refused (the old
 * value kept), as for the timeouts. */
static ZEND_INI_MH(OnUpdateReplicas)
{
    const char *end = NULL;
    double d = zend_strtod(ZSTR_VAL(new_value), &end);
    if (ZSTR_LEN(new_value) == 0 || end != ZSTR_VAL(new_value) + ZSTR_LEN(new_value)
        || !(d >= 0 && d <= TALLY_WAIT_REPLICAS_MAX) || d != (double)(zend_long)d) {
        return FAILURE;
    }
    return OnUpdateLong(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
}

PHP_INI_BEGIN()
    PHP_INI_ENTRY("tally.password", "", PHP_INI_ALL, OnUpdatePasswordGone)
    STD_PHP_INI_ENTRY("tally.host", "127.0.0.1", PHP_INI_ALL, OnUpdateString, host, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.port", "6379", PHP_INI_ALL, OnUpdateLong, port, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.socket", "", PHP_INI_ALL, OnUpdateString, socket, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.cluster", "", PHP_INI_ALL, OnUpdateString, cluster, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.username", "", PHP_INI_ALL, OnUpdateString, username, zend_tally_globals, tally_globals)
    /* Not the password itself: ini_get() and ini_get_all() return any ini value, and php-src
     * has no hidden entry, so the ini names the environment variable that holds it. */
    STD_PHP_INI_ENTRY("tally.password_env", "", PHP_INI_ALL, OnUpdateString, password_env, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.database", "0", PHP_INI_ALL, OnUpdateLong, database, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.connect_timeout", "1.0", PHP_INI_ALL, OnUpdateSeconds, connect_timeout, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.read_timeout", "1.0", PHP_INI_ALL, OnUpdateSeconds, read_timeout, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.wait_replicas", "0", PHP_INI_ALL, OnUpdateReplicas, wait_replicas, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.wait_timeout", "1.0", PHP_INI_ALL, OnUpdateSeconds, wait_timeout, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.prefix", "counter:", PHP_INI_ALL, OnUpdateString, prefix, zend_tally_globals, tally_globals)
    STD_PHP_INI_BOOLEAN("tally.persistent", "1", PHP_INI_ALL, OnUpdateBool, persistent, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.max_key_length", "100", PHP_INI_ALL, OnUpdateLong, max_key_length, zend_tally_globals, tally_globals)
    STD_PHP_INI_BOOLEAN("tally.buffer", "0", PHP_INI_ALL, OnUpdateBool, buffer, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.buffer_limit", "1000", PHP_INI_ALL, OnUpdateLong, buffer_limit, zend_tally_globals, tally_globals)
    STD_PHP_INI_BOOLEAN("tally.tls", "0", PHP_INI_ALL, OnUpdateBool, tls, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.tls_ca_file", "", PHP_INI_ALL, OnUpdateString, tls_ca_file, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.tls_ca_path", "", PHP_INI_ALL, OnUpdateString, tls_ca_path, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.tls_cert_file", "", PHP_INI_ALL, OnUpdateString, tls_cert_file, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.tls_key_file", "", PHP_INI_ALL, OnUpdateString, tls_key_file, zend_tally_globals, tally_globals)
    STD_PHP_INI_ENTRY("tally.tls_server_name", "", PHP_INI_ALL, OnUpdateString, tls_server_name, zend_tally_globals, tally_globals)
    STD_PHP_INI_BOOLEAN("tally.tls_verify", "1", PHP_INI_ALL, OnUpdateBool, tls_verify, zend_tally_globals, tally_globals)
PHP_INI_END()

static PHP_GINIT_FUNCTION(tally)
{
#if defined(COMPILE_DL_TALLY) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    memset(tally_globals, 0, sizeof(*tally_globals));
}

static PHP_GSHUTDOWN_FUNCTION(tally)
{
    tally_pool_destroy(&tally_globals->pool);
    tally_sink_pool_destroy(&tally_globals->sink_pool);
}

static PHP_MINIT_FUNCTION(tally)
{
    (void)type;
    REGISTER_INI_ENTRIES();
    tally_script_init();
    tally_proc_init();

    tally_ce_exception = register_class_Tally_Exception(spl_ce_RuntimeException);
    tally_ce_invalid_argument = register_class_Tally_InvalidArgumentException(tally_ce_exception);
    tally_ce_connection = register_class_Tally_ConnectionException(tally_ce_exception);
    tally_ce_authentication = register_class_Tally_AuthenticationException(tally_ce_connection);
    tally_ce_replication = register_class_Tally_ReplicationException(tally_ce_connection);
    tally_ce_server = register_class_Tally_ServerException(tally_ce_exception);
    tally_ce_wrong_type = register_class_Tally_WrongTypeException(tally_ce_server);
    tally_ce_overflow = register_class_Tally_OverflowException(tally_ce_server);
    tally_ce_database = register_class_Tally_DatabaseException(tally_ce_exception);
    tally_ce_rejected = register_class_Tally_RejectedException(tally_ce_database);
    tally_counter_class_init(register_class_Tally_Counter());
    tally_database_class_init(register_class_Tally_Database());
    tally_ce_sink_interface = register_class_Tally_Sink();
    tally_ce_narrowing_sink_interface = register_class_Tally_NarrowingSink(tally_ce_sink_interface);
    tally_ce_bulk_read_sink_interface = register_class_Tally_BulkReadSink(tally_ce_sink_interface);
    return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(tally)
{
    (void)type;
    UNREGISTER_INI_ENTRIES();
    return SUCCESS;
}

static PHP_RINIT_FUNCTION(tally)
{
    (void)type;
    (void)module_number;
#if defined(ZTS) && defined(COMPILE_DL_TALLY)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    TALLY_G(buffers_closed) = false;
    return SUCCESS;
}

/* Request end: buffered increments are sent now; what cannot be is logged, never dropped
 * silently. */
static PHP_RSHUTDOWN_FUNCTION(tally)
{
    (void)type;
    (void)module_number;
    tally_counter_buffers_request_end();
    return SUCCESS;
}

static PHP_MINFO_FUNCTION(tally)
{
    char hiredis[48];
    (void)zend_module;
    snprintf(hiredis, sizeof(hiredis), "%d.%d.%d%s", HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH,
             strcmp(TALLY_HIREDIS_NAME, "hiredis") == 0 ? "" : " (" TALLY_HIREDIS_NAME ")");
    php_info_print_table_start();
    php_info_print_table_header(2, "tally support", "enabled");
    php_info_print_table_row(2, "Version", PHP_TALLY_VERSION);
    php_info_print_table_row(2, "hiredis version", hiredis);
    php_info_print_table_row(2, "TLS support", tally_tls_support());
    php_info_print_table_row(2, "libmariadb version", mysql_get_client_info());
    php_info_print_table_row(2, "SQLite version", sqlite3_libversion());
#ifdef TALLY_FAILPOINTS_ENABLED
    php_info_print_table_row(2, "failpoints", "compiled in (a test build: TALLY_FAILPOINTS can kill this process)");
#else
    php_info_print_table_row(2, "failpoints", "no (a release build)");
#endif
    php_info_print_table_end();
    DISPLAY_INI_ENTRIES();
}

zend_module_entry tally_module_entry = {
    STANDARD_MODULE_HEADER,
    "tally",
    NULL,
    PHP_MINIT(tally),
    PHP_MSHUTDOWN(tally),
    PHP_RINIT(tally),
    PHP_RSHUTDOWN(tally),
    PHP_MINFO(tally),
    PHP_TALLY_VERSION,
    PHP_MODULE_GLOBALS(tally),
    PHP_GINIT(tally),
    PHP_GSHUTDOWN(tally),
    NULL,
    STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_TALLY
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(tally)
#endif
