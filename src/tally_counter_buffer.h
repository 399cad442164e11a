/* Tally\Counter's buffered increments (the core's tally_buffer.h): attaching an object to
 * its process's buffer, flush() and the automatic flushes (buffer full, request end, last
 * holder freed after request end), and the reports of deltas a flush could not apply. */
#ifndef TALLY_COUNTER_BUFFER_H
#define TALLY_COUNTER_BUFFER_H

#include "php.h"

struct counter_obj_s;

/* At construction, when buffering: the shared buffer of the object's connection + prefix. */
int tally_counter_buffer_attach(struct counter_obj_s *c);
/* When the object goes: flushes (with a warning for what failed) if it is the last holder. */
void tally_counter_buffer_detach(struct counter_obj_s *c);
/* After a buffered increment: flushes when the buffer holds buffer_limit counters; throws
 * on failure. */
void tally_counter_buffer_check(struct counter_obj_s *c);
/* RSHUTDOWN: flushes every buffer of the request; failures become warnings. */
void tally_counter_buffers_request_end(void);

#endif
