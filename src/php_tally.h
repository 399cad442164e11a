/* The tally extension's module header: version, module entry, ini-backed globals. */
#ifndef PHP_TALLY_H
#define PHP_TALLY_H

#include "php.h"
#include "redis/tally_conn.h"
#include "tally_buffer.h"
#include "sql/tally_sink_pool.h"

extern zend_module_entry tally_module_entry;
#define phpext_tally_ptr &tally_module_entry

#define PHP_TALLY_VERSION "0.1.0"

ZEND_BEGIN_MODULE_GLOBALS(tally)
    char *host;
    zend_long port;
    char *socket;
    char *cluster;            /* "host:port,..." Redis Cluster seeds; empty: one Redis */
    char *username;
    char *password_env;       /* name of the environment variable holding the Redis password */
    zend_long database;
    double connect_timeout;
    double read_timeout;
    zend_long wait_replicas;  /* WAIT for this many replicas after every round trip; 0: off */
    double wait_timeout;
    char *prefix;
    bool persistent;
    zend_long max_key_length;
    bool buffer;
    zend_long buffer_limit;
    bool tls;
    char *tls_ca_file;
    char *tls_ca_path;
    char *tls_cert_file;
    char *tls_key_file;
    char *tls_server_name;
    bool tls_verify;
    tally_pool pool;          /* persistent connections of this process (or thread) */
    tally_sink_pool sink_pool; /* idle persistent Tally\Database sessions of this process (or thread) */
    tally_buffer *buffers;    /* buffered increments of this request, one per connection + prefix */
    bool buffers_closed;      /* request end has flushed them: later buffers are nobody's to flush */
    zend_long today_sec;      /* tally_day_arg(): the second, default time zone and day of its last "today" */
    int32_t today_day;
    char today_zone[64];
ZEND_END_MODULE_GLOBALS(tally)

ZEND_EXTERN_MODULE_GLOBALS(tally)
#define TALLY_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(tally, v)

#if defined(ZTS) && defined(COMPILE_DL_TALLY)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#endif
