/* Period arguments of Tally\Counter's methods: a period's name, the day that picks a period
 * ($at: null = today in PHP's default time zone, a DateTimeInterface = its own date, or
 * 'Y-m-d'), and an increment's list of targets. Each helper throws
 * Tally\InvalidArgumentException naming the parameter and returns false on bad input. */
#ifndef TALLY_PERIOD_ARGS_H
#define TALLY_PERIOD_ARGS_H

#include "php.h"
#include "tally_counter.h"

/* name NULL or '' is the lifetime counter (NONE) unless required (a history or sum). */
bool tally_period_arg(const zend_string *name, const char *param, bool required, tally_period *out);

/* at NULL (not passed) or null: today. */
bool tally_day_arg(zval *at, const char *param, int32_t *day);

/* The first day of p's period containing day; throws when it is before 1970-01-01 (the
 * week of 1970-01-01 to 01-04), naming param. */
bool tally_period_start_arg(tally_period p, int32_t day, const char *param, int32_t *start);

/* $periods of an increment: a list of period names ('' = the lifetime counter); empty = the
 * lifetime counter only. The targets' starts are those of the periods containing day. */
bool tally_targets_arg(HashTable *periods, int32_t day, tally_target out[TALLY_TARGETS_MAX], size_t *n);

/* $periods + $at of a write: its targets (none: the lifetime counter; $at is still checked). */
bool tally_write_targets(HashTable *periods, zval *at, tally_target *targets, size_t *n);

/* Whether an incrementMany() $periods maps keys to their own lists (key => list of names)
 * rather than giving one list for every key. */
bool tally_periods_per_key(HashTable *periods);

/* A key's targets from such a map (name, or idx for an int key): a key not in it, or mapped
 * to an empty list, feeds its lifetime counter alone. */
bool tally_key_targets_arg(HashTable *periods, zend_string *name, zend_ulong idx, int32_t day,
                           tally_target out[TALLY_TARGETS_MAX], size_t *n);

/* ?string $period + $at of a read: one target. */
bool tally_read_target(zend_string *period, zval *at, tally_target *target);

#endif
