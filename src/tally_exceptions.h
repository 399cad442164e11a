/* The Tally\*Exception classes, and the one function that turns a core error into one. */
#ifndef TALLY_EXCEPTIONS_H
#define TALLY_EXCEPTIONS_H

#include "php.h"
#include "util/tally_error.h"

extern zend_class_entry *tally_ce_exception;
extern zend_class_entry *tally_ce_invalid_argument;
extern zend_class_entry *tally_ce_connection;
extern zend_class_entry *tally_ce_authentication;
extern zend_class_entry *tally_ce_replication;
extern zend_class_entry *tally_ce_server;
extern zend_class_entry *tally_ce_wrong_type;
extern zend_class_entry *tally_ce_overflow;
extern zend_class_entry *tally_ce_database;
extern zend_class_entry *tally_ce_rejected;

/* Throws the exception class for err->code with err->msg; the code is err->code. */
void tally_throw(const tally_error *err);

/* Throws the exception class for code with a message of any length. */
void tally_throw_message(tally_code code, const char *msg);

/* Throws Tally\InvalidArgumentException with a formatted message. */
void tally_throw_invalid(const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 1, 2);

#endif
