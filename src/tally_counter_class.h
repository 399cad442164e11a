/* Tally\Counter: the PHP class over the core's counter engine. */
#ifndef TALLY_COUNTER_CLASS_H
#define TALLY_COUNTER_CLASS_H

#include "php.h"

extern zend_class_entry *tally_ce_counter;

/* Installs the object handlers on the class registered from the stub. */
void tally_counter_class_init(zend_class_entry *ce);

#endif
