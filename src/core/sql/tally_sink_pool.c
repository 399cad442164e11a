/* The pool of idle native sinks: see tally_sink_pool.h. */
#include "sql/tally_sink_pool.h"

#include <stdlib.h>
#include <string.h>

struct tally_pooled_sink {
    tally_pooled_sink *next;
    tally_sink *sink;
    char *key;
    size_t len;
};

static int same_key(const tally_pooled_sink *e, const char *key, size_t len)
{
    return e->len == len && memcmp(e->key, key, len) == 0;
}

/* Frees an entry; its key holds the options, password included: wiped first. */
static void forget(tally_pooled_sink *e)
{
    memset(e->key, 0, e->len);
    free(e->key);
    free(e);
}

tally_sink *tally_sink_pool_take(tally_sink_pool *p, const char *key, size_t len)
{
    for (tally_pooled_sink **at = &p->head; *at; at = &(*at)->next) {
        tally_pooled_sink *e = *at;
        if (same_key(e, key, len)) {
            tally_sink *s = e->sink;
            *at = e->next;
            forget(e);
            return s;
        }
    }
    return NULL;
}

void tally_sink_pool_put(tally_sink_pool *p, const char *key, size_t len, tally_sink *s)
{
    size_t idle = 0;
    tally_pooled_sink *e;
    for (e = p->head; e; e = e->next) idle += same_key(e, key, len);
    if (idle >= TALLY_SINK_POOL_IDLE || !(e = malloc(sizeof(*e))) || !(e->key = malloc(len ? len : 1))) {
        free(e);
        s->ops->destroy(s);
        return;
    }
    memcpy(e->key, key, len);
    e->len = len;
    e->sink = s;
    e->next = p->head;
    p->head = e;
}

void tally_sink_pool_destroy(tally_sink_pool *p)
{
    while (p->head) {
        tally_pooled_sink *e = p->head;
        p->head = e->next;
        e->sink->ops->destroy(e->sink);
        forget(e);
    }
}
