/* Decoding Redis replies into counter values and typed errors: see tally_reply.h. */
#include "redis/tally_reply.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A reply's block: the top-level reply first (so the reply's address is the block's),
 * then its elements and strings, bump-allocated; chunks are chained when it fills up. */
typedef struct reply_chunk {
    struct reply_chunk *next;
} reply_chunk;

typedef struct {
    redisReply root;
    reply_chunk *more;
    char *pos, *end;
    size_t next_cap;
} reply_block;

#define REPLY_FIRST 1024   /* bytes after the header: a claim reply of ten counters fits */

static void *block_alloc(reply_block *b, size_t n)
{
    char *p;
    n = (n + 7) & ~(size_t)7;
    if ((size_t)(b->end - b->pos) < n) {
        size_t cap = b->next_cap > n ? b->next_cap : n;
        reply_chunk *c;
        if (cap > SIZE_MAX - sizeof(reply_chunk) || !(c = malloc(sizeof(reply_chunk) + cap))) return NULL;
        c->next = b->more;
        b->more = c;
        b->pos = (char *)(c + 1);
        b->end = b->pos + cap;
        if (b->next_cap < ((size_t)1 << 24)) b->next_cap *= 2;
    }
    p = b->pos;
    b->pos += n;
    return p;
}

/* The block of the reply r that was just made for task. */
static reply_block *block_of(const redisReadTask *task, redisReply *r)
{
    const redisReadTask *t = task;
    if (!task->parent) return (reply_block *)r;
    while (t->parent) t = t->parent;
    return (reply_block *)t->obj;
}

/* A new reply object of the task's type, in its top-level reply's block, hooked into its parent. */
static redisReply *reply_new(const redisReadTask *task, int type)
{
    redisReply *r;
    if (!task->parent) {
        reply_block *b = malloc(sizeof(*b) + REPLY_FIRST);
        if (!b) return NULL;
        b->more = NULL;
        b->pos = (char *)(b + 1);
        b->end = b->pos + REPLY_FIRST;
        b->next_cap = 4 * REPLY_FIRST;
        r = &b->root;
    } else {
        if (!(r = block_alloc(block_of(task, NULL), sizeof(*r)))) return NULL;
        ((redisReply *)task->parent->obj)->element[task->idx] = r;
    }
    memset(r, 0, sizeof(*r));
    r->type = type;
    return r;
}

static void *create_string(const redisReadTask *task, char *str, size_t len)
{
    redisReply *r = reply_new(task, task->type);
    if (!r) return NULL;
    if (len == SIZE_MAX || !(r->str = block_alloc(block_of(task, r), len + 1))) {
        if (!task->parent) tally_reply_free(r);
        return NULL;
    }
    memcpy(r->str, str, len);
    r->str[len] = '\0';
    r->len = len;
    return r;
}

static void *create_array(const redisReadTask *task, tally_hiredis_elements elements)
{
    redisReply *r = reply_new(task, task->type);
    if (!r || elements <= 0) return r;
    if ((size_t)elements > SIZE_MAX / sizeof(redisReply *)) {
        if (!task->parent) tally_reply_free(r);
        return NULL;
    }
    r->element = block_alloc(block_of(task, r), (size_t)elements * sizeof(redisReply *));
    if (!r->element) {
        if (!task->parent) tally_reply_free(r);
        return NULL;
    }
    memset(r->element, 0, (size_t)elements * sizeof(redisReply *));
    r->elements = (size_t)elements;
    return r;
}

static void *create_integer(const redisReadTask *task, long long value)
{
    redisReply *r = reply_new(task, REDIS_REPLY_INTEGER);
    if (r) r->integer = value;
    return r;
}

static void *create_nil(const redisReadTask *task)
{
    return reply_new(task, REDIS_REPLY_NIL);
}

#if TALLY_HIREDIS_1
/* RESP3 only (Tally never sends HELLO 3): kept so that such a reply is still well formed. */
static void *create_double(const redisReadTask *task, double value, char *str, size_t len)
{
    redisReply *r = create_string(task, str, len);
    if (r) {
        r->type = REDIS_REPLY_DOUBLE;
        r->dval = value;
    }
    return r;
}

static void *create_bool(const redisReadTask *task, int value)
{
    redisReply *r = reply_new(task, REDIS_REPLY_BOOL);
    if (r) r->integer = value != 0;
    return r;
}
#endif

static void free_object(void *reply)
{
    tally_reply_free(reply);
}

/* By name, never by position: hiredis 1.0 put createDouble and createBool in the middle. */
static redisReplyObjectFunctions block_functions = {
    .createString = create_string,
    .createArray = create_array,
    .createInteger = create_integer,
    .createNil = create_nil,
#if TALLY_HIREDIS_1
    .createDouble = create_double,
    .createBool = create_bool,
#endif
    .freeObject = free_object,
};

void tally_reply_install(redisContext *c)
{
    if (c && c->reader) c->reader->fn = &block_functions;
}

void tally_reply_free(redisReply *reply)
{
    reply_block *b = (reply_block *)reply;
    reply_chunk *c, *next;
    if (!b) return;
    for (c = b->more; c; c = next) {
        next = c->next;
        free(c);
    }
    free(b);
}

tally_code tally_reply_error(const redisReply *r, const char *what, tally_error *err)
{
    const char *s = r->str ? r->str : "";
    tally_code code = TALLY_ERR_SERVER;
    if (strstr(s, "WRONGTYPE") || strstr(s, "not an integer")) {
        code = TALLY_ERR_WRONGTYPE;
    } else if (strstr(s, "overflow")) {
        code = TALLY_ERR_OVERFLOW;
    } else if (strncmp(s, "NOAUTH", 6) == 0 || strncmp(s, "WRONGPASS", 9) == 0) {
        code = TALLY_ERR_AUTH;
    }
    return tally_error_set(err, code, "%s: %s", what, s);
}

tally_code tally_reply_scan(redisReply *r, char *cursor, size_t cursor_size, redisReply **keys, tally_error *err)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_STRING
        || r->element[0]->len >= cursor_size || r->element[1]->type != REDIS_REPLY_ARRAY) {
        return r->type == REDIS_REPLY_ERROR ? tally_reply_error(r, "SCAN", err)
                                            : tally_error_set(err, TALLY_ERR_PROTOCOL, "unexpected reply to SCAN");
    }
    memcpy(cursor, r->element[0]->str, r->element[0]->len);
    cursor[r->element[0]->len] = '\0';
    *keys = r->element[1];
    return TALLY_OK;
}

int tally_parse_int(const char *s, size_t len, long long *out)
{
    unsigned long long v = 0, limit;
    size_t i = 0;
    int neg = 0;
    if (len == 0 || len > 20) return -1;
    if (s[0] == '-') {
        neg = 1;
        i = 1;
        if (len == 1) return -1;
    }
    /* Redis's own rule (string2ll): no leading zero, no "-0", so that what a read accepts
     * is exactly what HINCRBY and INCRBY accept. */
    if (s[i] == '0') {
        if (len != 1) return -1;
        *out = 0;
        return 0;
    }
    limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
    for (; i < len; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9') return -1;
        d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = neg ? (long long)(0 - v) : (long long)v;
    return 0;
}

tally_code tally_reply_int(const redisReply *r, const char *what, long long *out, tally_error *err)
{
    switch (r->type) {
    case REDIS_REPLY_INTEGER:
        *out = r->integer;
        return TALLY_OK;
    case REDIS_REPLY_NIL:
        *out = 0;
        return TALLY_OK;
    case REDIS_REPLY_STRING:
        if (tally_parse_int(r->str, r->len, out) == 0) return TALLY_OK;
        return tally_error_set(err, TALLY_ERR_WRONGTYPE, "%s: the stored value '%.*s' is not an integer",
                               what, (int)(r->len > 40 ? 40 : r->len), r->str);
    case REDIS_REPLY_ERROR:
        return tally_reply_error(r, what, err);
    default:
        return tally_error_set(err, TALLY_ERR_PROTOCOL, "%s: unexpected reply type %d", what, r->type);
    }
}
