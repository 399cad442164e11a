/* Buffered increments: see tally_buffer.h. Two chained hash tables: owners by hash name,
 * and counters by (owner, key); each owner also lists its counters in first-increment
 * order, which is the order a flush sends them in. */
#include "tally_buffer.h"
#include "tally_key.h"
#include "util/tally_proc.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bowner bowner;

typedef struct bent {
    struct bent *hnext;       /* bucket chain */
    struct bent *onext;       /* the owner's counters */
    bowner *owner;
    uint64_t hash;
    long long delta;
    int mark;                 /* merged by a whole-owner read */
    size_t len;
    char key[];
} bent;

struct bowner {
    bowner *hnext;            /* bucket chain */
    bowner *next;             /* owners in first-increment order */
    bent *first, *last;
    uint64_t hash;
    size_t hkey_len, type_len, id_len;
    char *type, *id;          /* into data, after the hash name */
    char data[];
};

struct tally_buffer {
    tally_buffer *next;       /* registry */
    unsigned refs;
    tally_conn *conn;
    pid_t pid;                /* the process the entries belong to */
    char *prefix;
    size_t prefix_len;
    size_t count;             /* counters */
    bent **ebuckets;
    size_t ecap;              /* a power of two */
    bowner **obuckets;
    size_t ocap, owners;
    bowner *first, *last;
    bowner *recent;           /* the owner last added to: requests tend to repeat one owner */
};

#define MIN_BUCKETS 16
#define SHOWN 60

static uint64_t hash_bytes(uint64_t h, const char *s, size_t len)
{
    /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t owner_hash(const char *hkey, size_t len)
{
    return hash_bytes(0xcbf29ce484222325ULL, hkey, len);
}

static uint64_t entry_hash(const bowner *ow, const char *key, size_t len)
{
    return hash_bytes(ow->hash ^ 0x9e3779b97f4a7c15ULL, key, len);
}

static void drop_entries(tally_buffer *b)
{
    bowner *ow = b->first;
    while (ow) {
        bowner *next = ow->next;
        bent *e = ow->first;
        while (e) {
            bent *en = e->onext;
            free(e);
            e = en;
        }
        free(ow);
        ow = next;
    }
    if (b->ebuckets) memset(b->ebuckets, 0, b->ecap * sizeof(*b->ebuckets));
    if (b->obuckets) memset(b->obuckets, 0, b->ocap * sizeof(*b->obuckets));
    b->first = b->last = b->recent = NULL;
    b->count = b->owners = 0;
}

/* In a forked child the inherited entries are the parent's: forget them unsent. */
static void check_fork(tally_buffer *b)
{
    pid_t pid = tally_proc_pid();
    if (b->pid != pid) {
        drop_entries(b);
        b->pid = pid;
    }
}

tally_code tally_buffer_open(tally_buffer **registry, tally_conn *conn, const char *prefix, size_t prefix_len,
                             tally_buffer **out, tally_error *err)
{
    tally_buffer *b;
    for (b = registry ? *registry : NULL; b; b = b->next) {
        if (b->conn == conn && b->prefix_len == prefix_len && memcmp(b->prefix, prefix, prefix_len) == 0) {
            b->refs++;
            *out = b;
            return TALLY_OK;
        }
    }
    b = calloc(1, sizeof(*b));
    if (!b || !(b->prefix = malloc(prefix_len ? prefix_len : 1))) {
        free(b);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory creating an increment buffer");
    }
    memcpy(b->prefix, prefix, prefix_len);
    b->prefix_len = prefix_len;
    b->conn = conn;
    tally_conn_retain(conn);
    b->pid = tally_proc_pid();
    b->refs = 1;
    if (registry) {
        b->next = *registry;
        *registry = b;
        b->refs++;
    }
    *out = b;
    return TALLY_OK;
}

void tally_buffer_release(tally_buffer *b)
{
    if (!b || --b->refs > 0) return;
    drop_entries(b);
    tally_conn_release(b->conn);
    free(b->ebuckets);
    free(b->obuckets);
    free(b->prefix);
    free(b);
}

unsigned tally_buffer_refs(const tally_buffer *b)
{
    return b->refs;
}

tally_buffer *tally_buffer_next(const tally_buffer *b)
{
    return b->next;
}

void tally_buffer_close_all(tally_buffer **registry)
{
    tally_buffer *b = *registry;
    *registry = NULL;
    while (b) {
        tally_buffer *next = b->next;
        b->next = NULL;
        tally_buffer_release(b);
        b = next;
    }
}

size_t tally_buffer_size(tally_buffer *b)
{
    check_fork(b);
    return b->count;
}

static bowner *find_owner(const tally_buffer *b, const char *hkey, size_t len, uint64_t h)
{
    bowner *ow;
    if (!b->obuckets) return NULL;
    for (ow = b->obuckets[h & (b->ocap - 1)]; ow; ow = ow->hnext) {
        if (ow->hash == h && ow->hkey_len == len && memcmp(ow->data, hkey, len) == 0) return ow;
    }
    return NULL;
}

static bent *find_entry(const tally_buffer *b, const bowner *ow, const char *key, size_t len, uint64_t h)
{
    bent *e;
    if (!b->ebuckets) return NULL;
    for (e = b->ebuckets[h & (b->ecap - 1)]; e; e = e->hnext) {
        if (e->hash == h && e->owner == ow && e->len == len && memcmp(e->key, key, len) == 0) return e;
    }
    return NULL;
}

/* Doubles a table when it holds as many items as buckets. Returns -1 when out of memory. */
static int grow_owners(tally_buffer *b)
{
    size_t cap = b->ocap ? b->ocap * 2 : MIN_BUCKETS;
    bowner **t;
    if (b->owners < b->ocap) return 0;
    if (!(t = calloc(cap, sizeof(*t)))) return -1;
    for (bowner *ow = b->first; ow; ow = ow->next) {
        ow->hnext = t[ow->hash & (cap - 1)];
        t[ow->hash & (cap - 1)] = ow;
    }
    free(b->obuckets);
    b->obuckets = t;
    b->ocap = cap;
    return 0;
}

static int grow_entries(tally_buffer *b)
{
    size_t cap = b->ecap ? b->ecap * 2 : MIN_BUCKETS;
    bent **t;
    if (b->count < b->ecap) return 0;
    if (!(t = calloc(cap, sizeof(*t)))) return -1;
    for (bowner *ow = b->first; ow; ow = ow->next) {
        for (bent *e = ow->first; e; e = e->onext) {
            e->hnext = t[e->hash & (cap - 1)];
            t[e->hash & (cap - 1)] = e;
        }
    }
    free(b->ebuckets);
    b->ebuckets = t;
    b->ecap = cap;
    return 0;
}

static bowner *add_owner(tally_buffer *b, const char *hkey, size_t len, uint64_t h, const tally_owner *o)
{
    bowner *ow;
    if (grow_owners(b)) return NULL;
    if (!(ow = calloc(1, sizeof(*ow) + len + o->type_len + o->id_len + 1))) return NULL;
    ow->hash = h;
    ow->hkey_len = len;
    memcpy(ow->data, hkey, len);
    ow->type = ow->data + len;
    ow->type_len = o->type_len;
    memcpy(ow->type, o->type, o->type_len);
    ow->id = ow->type + o->type_len;
    ow->id_len = o->id_len;
    memcpy(ow->id, o->id, o->id_len);
    ow->hnext = b->obuckets[h & (b->ocap - 1)];
    b->obuckets[h & (b->ocap - 1)] = ow;
    if (b->last) b->last->next = ow; else b->first = ow;
    b->last = ow;
    b->owners++;
    return ow;
}

static bent *add_entry(tally_buffer *b, bowner *ow, const char *key, size_t len, uint64_t h)
{
    bent *e;
    if (grow_entries(b)) return NULL;
    if (!(e = calloc(1, sizeof(*e) + (len ? len : 1)))) return NULL;
    e->owner = ow;
    e->hash = h;
    e->len = len;
    memcpy(e->key, key, len);
    e->hnext = b->ebuckets[h & (b->ecap - 1)];
    b->ebuckets[h & (b->ecap - 1)] = e;
    if (ow->last) ow->last->onext = e; else ow->first = e;
    ow->last = e;
    b->count++;
    return e;
}

static tally_code overflow(const tally_owner *o, const char *key, size_t len, tally_error *err)
{
    return tally_error_set(err, TALLY_ERR_OVERFLOW,
                           "the buffered delta of counter '%.*s' of %.*s #%.*s would not fit in 64 bits; nothing changed",
                           (int)(len > SHOWN ? SHOWN : len), key, (int)(o->type_len > SHOWN ? SHOWN : o->type_len), o->type,
                           (int)(o->id_len > SHOWN ? SHOWN : o->id_len), o->id);
}

tally_code tally_buffer_add_many(tally_buffer *b, const char *hkey, size_t hkey_len, const tally_owner *o, size_t n,
                                 const char *const *keys, const size_t *key_lens, const long long *deltas,
                                 long long *totals, tally_error *err)
{
    uint64_t oh = owner_hash(hkey, hkey_len);
    bowner *ow;
    size_t i;

    check_fork(b);
    ow = find_owner(b, hkey, hkey_len, oh);
    /* All or nothing: every sum is checked before any is changed. */
    for (i = 0; ow && i < n; i++) {
        bent *e = find_entry(b, ow, keys[i], key_lens[i], entry_hash(ow, keys[i], key_lens[i]));
        long long sum;
        if (e && __builtin_add_overflow(e->delta, deltas[i], &sum)) return overflow(o, keys[i], key_lens[i], err);
    }
    if (n && !ow && !(ow = add_owner(b, hkey, hkey_len, oh, o))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory buffering an increment");
    }
    b->recent = ow;
    for (i = 0; i < n; i++) {
        uint64_t h = entry_hash(ow, keys[i], key_lens[i]);
        bent *e = find_entry(b, ow, keys[i], key_lens[i], h);
        if (!e && !(e = add_entry(b, ow, keys[i], key_lens[i], h))) {
            /* Earlier keys of this call are in: an out-of-memory process is past all-or-nothing. */
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory buffering an increment");
        }
        e->delta += deltas[i];
        totals[i] = e->delta;
    }
    return TALLY_OK;
}

tally_code tally_buffer_add(tally_buffer *b, const char *hkey, size_t hkey_len, const tally_owner *o,
                            const char *key, size_t key_len, long long delta, long long *total, tally_error *err)
{
    /* add_many() for one key, with one lookup instead of two. */
    bowner *ow;
    bent *e;
    uint64_t h;
    long long sum;

    check_fork(b);
    ow = b->recent;
    if (!ow || ow->hkey_len != hkey_len || memcmp(ow->data, hkey, hkey_len) != 0) {
        uint64_t oh = owner_hash(hkey, hkey_len);
        if (!(ow = find_owner(b, hkey, hkey_len, oh)) && !(ow = add_owner(b, hkey, hkey_len, oh, o))) {
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory buffering an increment");
        }
        b->recent = ow;
    }
    h = entry_hash(ow, key, key_len);
    if ((e = find_entry(b, ow, key, key_len, h))) {
        if (__builtin_add_overflow(e->delta, delta, &sum)) return overflow(o, key, key_len, err);
        e->delta = sum;
    } else if (!(e = add_entry(b, ow, key, key_len, h))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory buffering an increment");
    } else {
        e->delta = delta;
    }
    *total = e->delta;
    return TALLY_OK;
}

static bent *lookup(tally_buffer *b, const char *hkey, size_t hkey_len, const char *key, size_t key_len)
{
    bowner *ow;
    check_fork(b);
    if (b->count == 0 || !(ow = find_owner(b, hkey, hkey_len, owner_hash(hkey, hkey_len)))) return NULL;
    return find_entry(b, ow, key, key_len, entry_hash(ow, key, key_len));
}

long long tally_buffer_get(tally_buffer *b, const char *hkey, size_t hkey_len, const char *key, size_t key_len)
{
    bent *e = lookup(b, hkey, hkey_len, key, key_len);
    return e ? e->delta : 0;
}

long long tally_buffer_merge(tally_buffer *b, const char *hkey, size_t hkey_len, const char *key, size_t key_len)
{
    bent *e = lookup(b, hkey, hkey_len, key, key_len);
    if (!e) return 0;
    e->mark = 1;
    return e->delta;
}

void tally_buffer_rest(tally_buffer *b, const char *hkey, size_t hkey_len, tally_kv_cb cb, void *ud)
{
    bowner *ow;
    int stop = 0;
    check_fork(b);
    if (b->count == 0 || !(ow = find_owner(b, hkey, hkey_len, owner_hash(hkey, hkey_len)))) return;
    for (bent *e = ow->first; e; e = e->onext) {
        if (!e->mark && !stop) stop = cb(ud, e->key, e->len, e->delta);
        e->mark = 0;
    }
}

static void unlink_entry(tally_buffer *b, bent *e)
{
    bent **pp = &b->ebuckets[e->hash & (b->ecap - 1)];
    while (*pp != e) pp = &(*pp)->hnext;
    *pp = e->hnext;
    b->count--;
}

static void unlink_owner(tally_buffer *b, bowner *ow)
{
    bowner **pp = &b->obuckets[ow->hash & (b->ocap - 1)], *prev = NULL;
    while (*pp != ow) pp = &(*pp)->hnext;
    *pp = ow->hnext;
    for (bowner *x = b->first; x != ow; x = x->next) prev = x;
    if (prev) prev->next = ow->next; else b->first = ow->next;
    if (b->last == ow) b->last = prev;
    if (b->recent == ow) b->recent = NULL;
    b->owners--;
    free(ow);
}

void tally_buffer_discard(tally_buffer *b, const char *hkey, size_t hkey_len, int (*match)(void *ud, const char *field, size_t len),
                          void *ud)
{
    bowner *ow;
    bent **pp;
    check_fork(b);
    if (b->count == 0 || !(ow = find_owner(b, hkey, hkey_len, owner_hash(hkey, hkey_len)))) return;
    for (pp = &ow->first; *pp;) {
        bent *e = *pp;
        if (match && !match(ud, e->key, e->len)) {
            pp = &e->onext;
            continue;
        }
        *pp = e->onext;
        unlink_entry(b, e);
        free(e);
    }
    if (!ow->first) {
        unlink_owner(b, ow);
    } else {
        bent *e = ow->first;
        while (e->onext) e = e->onext;
        ow->last = e;
    }
}

static void report(tally_buffer_loss_cb cb, void *ud, const bent *e, int unknown)
{
    tally_buffer_loss l;
    if (!cb) return;
    l.type = e->owner->type;
    l.type_len = e->owner->type_len;
    l.id = e->owner->id;
    l.id_len = e->owner->id_len;
    tally_field_decode(e->key, e->len, &l.period, &l.period_start, &l.key, &l.key_len);
    l.delta = e->delta;
    l.unknown = unknown;
    cb(ud, &l);
}

/* Whether an owner's buffered counters go as one INCR_MANY script: it has a period field
 * (an increment with periods wrote several fields of that owner, which must be applied all or
 * nothing) and more than one delta to send. Others go as one HINCRBY per counter, cheaper. */
static size_t owner_deltas(const bowner *ow, int *script)
{
    size_t nz = 0;
    int periods = 0;
    for (const bent *e = ow->first; e; e = e->onext) {
        if (!e->delta) continue;
        nz++;
        periods = periods || tally_field_is_period(e->key, e->len);
    }
    *script = periods && nz > 1;
    return nz;
}

/* A flush's commands: command c applies ents[first[c] .. first[c] + count[c]) (several:
 * a script, all or nothing). */
typedef struct {
    size_t n, ncmd, nwords;
    const char **words;
    size_t *wlens;
    const char ***argv;
    const size_t **lens;
    int *argc;
    size_t *first, *count;
    char (*nums)[24];          /* each buffered delta, formatted */
    long long *values;
    redisReply **replies;
    bent **ents;
} flush_plan;

static void plan_free(flush_plan *f)
{
    free(f->words);
    free(f->wlens);
    free(f->argv);
    free(f->lens);
    free(f->argc);
    free(f->first);
    free(f->count);
    free(f->nums);
    free(f->values);
    free(f->replies);
    free(f->ents);
}

static int plan_alloc(flush_plan *f)
{
    f->words = malloc(f->nwords * sizeof(*f->words));
    f->wlens = malloc(f->nwords * sizeof(*f->wlens));
    f->argv = malloc(f->ncmd * sizeof(*f->argv));
    f->lens = malloc(f->ncmd * sizeof(*f->lens));
    f->argc = malloc(f->ncmd * sizeof(*f->argc));
    f->first = malloc(f->ncmd * sizeof(*f->first));
    f->count = malloc(f->ncmd * sizeof(*f->count));
    f->nums = malloc(f->n * sizeof(*f->nums));
    f->values = malloc(f->ncmd * sizeof(*f->values));
    f->replies = calloc(f->ncmd, sizeof(*f->replies));
    f->ents = malloc(f->n * sizeof(*f->ents));
    return f->words && f->wlens && f->argv && f->lens && f->argc && f->first && f->count && f->nums
           && f->values && f->replies && f->ents;
}

static void plan_build(tally_buffer *b, flush_plan *f)
{
    size_t i = 0, c = 0, w = 0;
    for (bowner *ow = b->first; ow; ow = ow->next) {
        int script;
        size_t nz = owner_deltas(ow, &script);
        if (!nz) continue;
        if (script) {
            /* EVALSHA sha 1 hash '', then per counter: 1, delta, field (nz > 1: the
             * several-keys form). */
            f->argv[c] = f->words + w;
            f->lens[c] = f->wlens + w;
            f->argc[c] = (int)(5 + 3 * nz);
            f->first[c] = i;
            f->count[c++] = nz;
            tally_script_head1(TALLY_SCRIPT_INCR_MANY, f->words + w, f->wlens + w);
            w += 3;
            f->words[w] = ow->data;
            f->wlens[w++] = ow->hkey_len;
            f->words[w] = "";
            f->wlens[w++] = 0;
        }
        for (bent *e = ow->first; e; e = e->onext) {
            size_t dlen;
            if (!e->delta) continue;
            dlen = (size_t)snprintf(f->nums[i], sizeof(f->nums[i]), "%lld", e->delta);
            if (!script) {
                f->argv[c] = f->words + w;
                f->lens[c] = f->wlens + w;
                f->argc[c] = 4;
                f->first[c] = i;
                f->count[c++] = 1;
                f->words[w] = "HINCRBY"; f->wlens[w++] = 7;
                f->words[w] = ow->data;  f->wlens[w++] = ow->hkey_len;
                f->words[w] = e->key;    f->wlens[w++] = e->len;
                f->words[w] = f->nums[i]; f->wlens[w++] = dlen;
            } else {
                f->words[w] = "1";        f->wlens[w++] = 1;
                f->words[w] = f->nums[i]; f->wlens[w++] = dlen;
                f->words[w] = e->key;     f->wlens[w++] = e->len;
            }
            f->ents[i++] = e;
        }
    }
}

tally_code tally_buffer_flush(tally_buffer *b, size_t *sent, tally_buffer_loss_cb cb, void *ud, tally_error *err)
{
    flush_plan f;
    int received = -1;
    tally_code rc = TALLY_OK, first = TALLY_OK;

    memset(&f, 0, sizeof(f));
    *sent = 0;
    check_fork(b);
    for (bowner *ow = b->first; ow; ow = ow->next) {
        int script;
        size_t nz = owner_deltas(ow, &script);
        f.n += nz;
        f.ncmd += script ? 1 : nz;
        f.nwords += script ? 5 + 3 * nz : 4 * nz;
    }
    if (f.n == 0) {
        drop_entries(b);
        return TALLY_OK;
    }
    if (f.ncmd > INT_MAX / 8 || !plan_alloc(&f)) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory flushing %zu buffered counters", f.n);
        for (bowner *ow = b->first; ow; ow = ow->next) {
            for (bent *e = ow->first; e; e = e->onext) {
                if (e->delta) report(cb, ud, e, 0);
            }
        }
        goto done;
    }
    plan_build(b, &f);
    rc = tally_conn_pipeline_int(b->conn, (int)f.ncmd, f.argc, (const char *const *const *)f.argv, f.lens,
                                 f.values, f.replies, &received, err);
    for (size_t c = 0; c < f.ncmd; c++) {
        redisReply *r = (int)c < received ? f.replies[c] : NULL;
        int script = f.count[c] > 1;
        /* NOSCRIPT: that call did not run, so running it again (EVAL) cannot count twice. */
        if (script && rc == TALLY_OK && tally_script_missing(r)) {
            redisReply *again = NULL;
            tally_code src = tally_script_run(b->conn, TALLY_SCRIPT_INCR_MANY, 1, f.argc[c] - 3, f.argv[c] + 3,
                                              f.lens[c] + 3, &again, first == TALLY_OK ? err : NULL);
            tally_reply_free(r);
            f.replies[c] = r = again;
            if (src) {
                if (first == TALLY_OK) first = src;
                for (size_t x = 0; x < f.count[c]; x++) report(cb, ud, f.ents[f.first[c] + x], 1);
                continue;
            }
        }
        if ((int)c < received && (script ? r && r->type == REDIS_REPLY_ARRAY : !r)) {
            *sent += f.count[c];
        } else if ((int)c < received) {
            /* Rejected by Redis: not applied (a script: none of its counters). */
            if (first == TALLY_OK) {
                char what[256];
                const bent *e = f.ents[f.first[c]];
                if (script) {
                    snprintf(what, sizeof(what), "flushing the %zu buffered deltas of %.*s #%.*s (all or nothing: "
                             "some carry periods)", f.count[c],
                             (int)(e->owner->type_len > SHOWN ? SHOWN : e->owner->type_len), e->owner->type,
                             (int)(e->owner->id_len > SHOWN ? SHOWN : e->owner->id_len), e->owner->id);
                } else {
                    snprintf(what, sizeof(what), "flushing the buffered delta %lld of counter '%.*s' of %.*s #%.*s",
                             e->delta, (int)(e->len > SHOWN ? SHOWN : e->len), e->key,
                             (int)(e->owner->type_len > SHOWN ? SHOWN : e->owner->type_len), e->owner->type,
                             (int)(e->owner->id_len > SHOWN ? SHOWN : e->owner->id_len), e->owner->id);
                }
                first = r && r->type == REDIS_REPLY_ERROR ? tally_reply_error(r, what, rc == TALLY_OK ? err : NULL)
                      : tally_error_set(rc == TALLY_OK ? err : NULL, TALLY_ERR_PROTOCOL, "%s: unexpected reply", what);
            }
            for (size_t x = 0; x < f.count[c]; x++) report(cb, ud, f.ents[f.first[c] + x], 0);
        } else {
            /* Never written (received -1), or written with the reply lost. */
            for (size_t x = 0; x < f.count[c]; x++) report(cb, ud, f.ents[f.first[c] + x], received >= 0);
        }
    }
    for (size_t c = 0; c < f.ncmd && (int)c < received; c++) {
        if (f.replies[c]) tally_reply_free(f.replies[c]);
    }
    if (rc == TALLY_OK) rc = first;
done:
    drop_entries(b);
    plan_free(&f);
    return rc;
}
