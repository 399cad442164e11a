/* A tally_sink whose operations call a PHP object implementing Tally\Sink (and try_batch
 * when it is a Tally\NarrowingSink). */
#ifndef TALLY_PHP_SINK_H
#define TALLY_PHP_SINK_H

#include "php.h"
#include "sql/tally_sink.h"

extern zend_class_entry *tally_ce_sink_interface;
extern zend_class_entry *tally_ce_narrowing_sink_interface;
extern zend_class_entry *tally_ce_bulk_read_sink_interface;

/* A sink for the duration of one call (destroy() releases it); the object is addref'd. */
tally_sink *tally_php_sink_wrap(zend_object *obj);

/* The sink behind a Tally\Database or Tally\Sink argument; *temporary says whether the
 * caller must destroy() it. NULL with a TypeError thrown for anything else. */
tally_sink *tally_sink_from_zval(zval *arg, uint32_t arg_num, bool *temporary);

#endif
