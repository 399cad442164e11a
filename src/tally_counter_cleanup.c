/* Tally\Counter::ensureTtl(): gives ephemeral keys left without an expiry one, over
 * tally_ephemeral_ensure_ttl() (SCAN in batches, never touching owner counters). */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "tally_counter_internal.h"
#include "tally_ephemeral.h"
#include "tally_exceptions.h"
#include "tally_options.h"

/* The report lists at most this many names; the counts cover every key. */
#define ENSURE_TTL_MAX_NAMES 1000

static void collect_name(void *ud, const char *name, size_t len)
{
    zval *keys = ud;
    if (zend_hash_num_elements(Z_ARRVAL_P(keys)) < ENSURE_TTL_MAX_NAMES) add_next_index_stringl(keys, name, len);
}

static int ensure_options(HashTable *ht, tally_ensure_ttl_opts *o)
{
    zend_string *name;
    zval *v;
    zend_ulong idx;
    zend_long l;

    ZEND_HASH_FOREACH_KEY_VAL(ht, idx, name, v) {
        const char *n;
        ZVAL_DEREF(v);
        if (!(n = tally_opt_name(name, idx, "ensureTtl"))) return FAILURE;
        if (zend_string_equals_literal(name, "dry_run")) {
            if (tally_opt_bool(n, v, &o->dry_run) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "batch_size")) {
            if (tally_opt_long(n, v, 1, TALLY_SCAN_BATCH_MAX, &l) == FAILURE) return FAILURE;
            o->batch = (size_t)l;
        } else {
            tally_throw_invalid("unknown ensureTtl option '%s'; valid options are: dry_run, batch_size", n);
            return FAILURE;
        }
    } ZEND_HASH_FOREACH_END();
    return SUCCESS;
}

ZEND_METHOD(Tally_Counter, ensureTtl)
{
    zend_string *pattern;
    zend_long ttl;
    HashTable *ht = NULL;
    tally_ensure_ttl_opts opts = {0};
    tally_ensure_ttl_report report;
    tally_error err;
    counter_obj *c;
    zval keys;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(pattern)
        Z_PARAM_LONG(ttl)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = tally_this_counter(ZEND_THIS))) return;
    if (ht && ensure_options(ht, &opts) == FAILURE) return;
    opts.pattern = ZSTR_VAL(pattern);
    opts.pattern_len = ZSTR_LEN(pattern);
    opts.ttl = ttl;
    opts.found = collect_name;
    opts.ud = &keys;
    array_init(&keys);
    if (tally_ephemeral_ensure_ttl(&c->engine, &opts, &report, &err) != TALLY_OK) {
        zval_ptr_dtor(&keys);
        tally_throw(&err);
        return;
    }
    array_init_size(return_value, 5);
    add_assoc_long(return_value, "scanned", (zend_long)report.scanned);
    add_assoc_long(return_value, "without_ttl", (zend_long)report.missing);
    add_assoc_long(return_value, "ttl_set", (zend_long)report.ttl_set);
    add_assoc_long(return_value, "batches", (zend_long)report.batches);
    add_assoc_zval(return_value, "keys", &keys);
}
