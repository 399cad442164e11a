/* Maps core errors onto the Tally\*Exception classes (registered in tally.c from the stub). */
#include "tally_exceptions.h"
#include "zend_exceptions.h"

zend_class_entry *tally_ce_exception;
zend_class_entry *tally_ce_invalid_argument;
zend_class_entry *tally_ce_connection;
zend_class_entry *tally_ce_authentication;
zend_class_entry *tally_ce_replication;
zend_class_entry *tally_ce_server;
zend_class_entry *tally_ce_wrong_type;
zend_class_entry *tally_ce_overflow;
zend_class_entry *tally_ce_database;
zend_class_entry *tally_ce_rejected;

static zend_class_entry *class_for(tally_code code)
{
    switch (code) {
    case TALLY_ERR_ARGUMENT: return tally_ce_invalid_argument;
    case TALLY_ERR_CONNECT: return tally_ce_connection;
    case TALLY_ERR_AUTH: return tally_ce_authentication;
    case TALLY_ERR_REPLICAS: return tally_ce_replication;
    case TALLY_ERR_SERVER:
    case TALLY_ERR_PROTOCOL: return tally_ce_server;
    case TALLY_ERR_WRONGTYPE: return tally_ce_wrong_type;
    case TALLY_ERR_OVERFLOW: return tally_ce_overflow;
    case TALLY_ERR_DATABASE: return tally_ce_database;
    case TALLY_ERR_REJECTED: return tally_ce_rejected;
    default: return tally_ce_exception;
    }
}

void tally_throw(const tally_error *err)
{
    zend_throw_exception(class_for(err->code), err->msg, (zend_long)err->code);
}

void tally_throw_message(tally_code code, const char *msg)
{
    zend_throw_exception(class_for(code), msg, (zend_long)code);
}

void tally_throw_invalid(const char *fmt, ...)
{
    va_list ap;
    zend_string *msg;
    va_start(ap, fmt);
    msg = zend_vstrpprintf(0, fmt, ap);
    va_end(ap);
    zend_throw_exception(tally_ce_invalid_argument, ZSTR_VAL(msg), (zend_long)TALLY_ERR_ARGUMENT);
    zend_string_release(msg);
}
