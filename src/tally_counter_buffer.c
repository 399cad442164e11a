/* Tally\Counter's buffered increments: see tally_counter_buffer.h. The buffer itself (the
 * coalescing, the flush pipeline, fork()) is the core's tally_buffer.c; this file decides
 * when to flush and turns what a flush could not apply into an exception or a warning. */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"

#include "php_tally.h"
#include "tally_counter_buffer.h"
#include "tally_counter_internal.h"
#include "tally_exceptions.h"
#include "tally_buffer.h"
#include "util/tally_period.h"

/* How many dropped counters a message names; the rest are counted and summed, so that a
 * flush of up to a million counters still fails with a message of a few hundred bytes. */
#define NAMED_LOSSES 10

typedef struct {
    smart_str names;      /* the first NAMED_LOSSES counters */
    size_t n;
    int64_t total;        /* sum of every delta of this kind */
    bool total_overflows;
} loss_list;

typedef struct {
    loss_list lost;       /* not applied */
    loss_list unknown;    /* sent, reply lost */
} losses;

static void add_loss(loss_list *ls, const tally_buffer_loss *l)
{
    smart_str *s = &ls->names;
    if (__builtin_add_overflow(ls->total, l->delta, &ls->total)) ls->total_overflows = true;
    if (ls->n++ >= NAMED_LOSSES) return;
    if (s->s && ZSTR_LEN(s->s) > 0) smart_str_appends(s, ", ");
    smart_str_appendc(s, '\'');
    smart_str_appendl(s, l->key, l->key_len);
    smart_str_appendc(s, '\'');
    if (l->period != TALLY_PERIOD_NONE) {
        char day[TALLY_PERIOD_DATE_LEN + 1];
        tally_period_date(l->period_start, day);
        smart_str_appends(s, " (");
        smart_str_appends(s, tally_period_name(l->period));
        smart_str_appendc(s, ' ');
        smart_str_appends(s, day);
        smart_str_appendc(s, ')');
    }
    smart_str_appends(s, " of ");
    smart_str_appendl(s, l->type, l->type_len);
    smart_str_appends(s, " #");
    smart_str_appendl(s, l->id, l->id_len);
    smart_str_appends(s, " (");
    if (l->delta > 0) smart_str_appendc(s, '+');
    smart_str_append_long(s, (zend_long)l->delta);
    smart_str_appendc(s, ')');
}

static void collect_loss(void *ud, const tally_buffer_loss *l)
{
    losses *ls = ud;
    add_loss(l->unknown ? &ls->unknown : &ls->lost, l);
}

/* The named counters of ls, then how many more and what they all add up to. */
static void append_losses(smart_str *m, const loss_list *ls)
{
    smart_str_append_smart_str(m, &ls->names);
    if (ls->n <= NAMED_LOSSES) return;
    smart_str_appends(m, ", and ");
    smart_str_append_unsigned(m, (zend_ulong)(ls->n - NAMED_LOSSES));
    smart_str_appends(m, " more (total delta of all ");
    smart_str_append_unsigned(m, (zend_ulong)ls->n);
    smart_str_appends(m, ": ");
    if (ls->total_overflows) {
        smart_str_appends(m, "beyond 64 bits");
    } else {
        if (ls->total > 0) smart_str_appendc(m, '+');
        smart_str_append_long(m, (zend_long)ls->total);
    }
    smart_str_appendc(m, ')');
}

/* Flushes b. On failure returns the report (the first counters, their deltas, totals) in *msg, which
 * the caller throws or logs and releases. */
static tally_code flush_report(tally_buffer *b, size_t *sent, zend_string **msg, tally_code *code)
{
    losses ls;
    tally_error err;
    smart_str m = {0};
    tally_code rc;

    memset(&ls, 0, sizeof(ls));
    tally_error_clear(&err);
    *msg = NULL;
    rc = tally_buffer_flush(b, sent, collect_loss, &ls, &err);
    *code = rc;
    if (rc != TALLY_OK) {
        smart_str_appends(&m, "flushing buffered increments failed: ");
        smart_str_appends(&m, err.msg);
        if (ls.lost.n) {
            smart_str_appends(&m, "; ");
            smart_str_append_unsigned(&m, (zend_ulong)ls.lost.n);
            smart_str_appends(&m, ls.lost.n == 1 ? " counter was not incremented, its buffered delta is dropped: "
                                                 : " counters were not incremented, their buffered deltas are dropped: ");
            append_losses(&m, &ls.lost);
        }
        if (ls.unknown.n) {
            smart_str_appends(&m, "; ");
            smart_str_append_unsigned(&m, (zend_ulong)ls.unknown.n);
            smart_str_appends(&m, ls.unknown.n == 1 ? " counter's" : " counters'");
            smart_str_appends(&m, " increments may or may not have been applied (the reply was lost) and are not sent again: ");
            append_losses(&m, &ls.unknown);
        }
        smart_str_0(&m);
        *msg = m.s;
    }
    smart_str_free(&ls.lost.names);
    smart_str_free(&ls.unknown.names);
    return rc;
}

static void flush_or_warn(tally_buffer *b)
{
    size_t sent;
    zend_string *msg;
    tally_code code;
    if (flush_report(b, &sent, &msg, &code) != TALLY_OK) {
        php_error_docref(NULL, E_WARNING, "Tally\\Counter: %s", ZSTR_VAL(msg));
        zend_string_release(msg);
    }
}

static bool flush_or_throw(tally_buffer *b, size_t *sent)
{
    zend_string *msg;
    tally_code code;
    if (flush_report(b, sent, &msg, &code) != TALLY_OK) {
        tally_throw_message(code, ZSTR_VAL(msg));
        zend_string_release(msg);
        return false;
    }
    return true;
}

int tally_counter_buffer_attach(counter_obj *c)
{
    tally_error err;
    tally_buffer *b;
    /* After request end nobody flushes the registry: such a buffer is the objects' own and
     * is flushed when its last holder goes. */
    if (tally_buffer_open(TALLY_G(buffers_closed) ? NULL : &TALLY_G(buffers), c->conn, ZSTR_VAL(c->prefix),
                          ZSTR_LEN(c->prefix), &b, &err) != TALLY_OK) {
        tally_throw(&err);
        return FAILURE;
    }
    c->engine.buffer = b;
    return SUCCESS;
}

void tally_counter_buffer_detach(counter_obj *c)
{
    tally_buffer *b = c->engine.buffer;
    if (!b) return;
    c->engine.buffer = NULL;
    if (tally_buffer_refs(b) == 1 && tally_buffer_size(b) > 0) flush_or_warn(b);
    tally_buffer_release(b);
}

void tally_counter_buffer_check(counter_obj *c)
{
    size_t sent;
    if (c->engine.buffer && tally_buffer_size(c->engine.buffer) >= (size_t)c->buffer_limit) {
        flush_or_throw(c->engine.buffer, &sent);
    }
}

void tally_counter_buffers_request_end(void)
{
    for (tally_buffer *b = TALLY_G(buffers); b; b = tally_buffer_next(b)) {
        if (tally_buffer_size(b) > 0) flush_or_warn(b);
    }
    tally_buffer_close_all(&TALLY_G(buffers));
    TALLY_G(buffers_closed) = true;
}

ZEND_METHOD(Tally_Counter, flush)
{
    counter_obj *c;
    size_t sent = 0;
    ZEND_PARSE_PARAMETERS_NONE();
    if (!(c = tally_this_counter(ZEND_THIS))) return;
    if (c->engine.buffer && !flush_or_throw(c->engine.buffer, &sent)) return;
    RETURN_LONG((zend_long)sent);
}
