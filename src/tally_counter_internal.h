/* What the files of Tally\Counter (tally_counter_class.c, _sync.c, _buffer.c) share:
 * the object layout and the argument helpers. Not a public header. */
#ifndef TALLY_COUNTER_INTERNAL_H
#define TALLY_COUNTER_INTERNAL_H

#include "php.h"
#include "redis/tally_conn.h"
#include "tally_counter.h"
#include "tally_period_args.h"
#include "tally_exceptions.h"

typedef struct counter_obj_s {
    tally_conn *conn;
    zend_string *prefix;
    tally_counter engine;     /* points into conn and prefix (and the buffer, when buffering) */
    zend_long buffer_limit;   /* flush when the buffer holds this many counters */
    zend_object std;
} counter_obj;

static inline counter_obj *counter_from(zend_object *o)
{
    return (counter_obj *)((char *)o - XtOffsetOf(counter_obj, std));
}

typedef struct {
    tally_owner owner;
    char idbuf[MAX_LENGTH_OF_LONG + 1];
} owner_arg;

/* A list of key names (strings, or ints as PHP turns numeric keys into ints) as C arrays
 * pointing into the zvals (ints are converted into tmp). */
typedef struct {
    size_t n;
    const char **names;
    size_t *lens;
    zend_string **tmp;
} name_list;

#define OWNER_PARAMS \
    Z_PARAM_STR(type) \
    Z_PARAM_STR_OR_LONG(id_str, id_long)

/* The optional ?string $period and $at that end a read's parameters (variables period, at). */
#define PERIOD_AT_PARAMS \
    Z_PARAM_OPTIONAL \
    Z_PARAM_STR_OR_NULL(period) \
    Z_PARAM_ZVAL(at)

/* The connected object behind $this, or NULL with an exception thrown. */
counter_obj *tally_this_counter(zval *this_ptr);
void tally_owner_from(owner_arg *a, zend_string *type, zend_string *id_str, zend_long id_long);
/* The start of a read of one owner: its target (period, at), the connected $this and the
 * owner; NULL with an exception thrown. */
counter_obj *tally_read_begin(zval *this_ptr, zend_string *period, zval *at, tally_target *target, owner_arg *owner,
                              zend_string *type, zend_string *id_str, zend_long id_long);

int tally_names_from_array(HashTable *ht, const char *param, name_list *l);
void tally_names_free(name_list *l);
/* result[name] = value, with PHP's own rule for numeric-string keys. */
void tally_set_entry(zval *arr, const char *name, size_t len, zend_long value);
/* An amount argument (NULL: the default stays): an int in every mode, else an
 * InvalidArgumentException and false. */
bool tally_amount_arg(zval *v, zend_long *amount);
/* result = [name => value] for every name of l, in order. */
void tally_names_values(zval *result, const name_list *l, const long long *values);
/* A tally_kv_cb adding each counter to the array ud. */
int tally_collect_entry(void *ud, const char *key, size_t len, long long value);

/* Throws the core error unless a PHP sink's exception is already on its way. */
static inline void throw_unless_pending(const tally_error *err)
{
    if (!EG(exception)) tally_throw(err);
}

#endif
