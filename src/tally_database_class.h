/* Tally\Database: the PHP class holding a native SQL sink (MariaDB/MySQL or SQLite). */
#ifndef TALLY_DATABASE_CLASS_H
#define TALLY_DATABASE_CLASS_H

#include "php.h"
#include "sql/tally_sink.h"

extern zend_class_entry *tally_ce_database_class;

void tally_database_class_init(zend_class_entry *ce);

/* The sink behind a Tally\Database object, or NULL with an exception thrown. */
tally_sink *tally_database_sink(zend_object *obj);

#endif
