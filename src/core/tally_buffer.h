/* Buffered increments: owner-counter deltas coalesced in process memory per (Redis
 * connection, prefix, owner hash, key) and sent later in one pipeline of HINCRBY, one
 * command per counter. Opt-in (tally.buffer, or the Counter option 'buffer').
 *
 * Lifetime. A process keeps a registry of buffers, one per connection + prefix, so every
 * Counter object on the same pooled connection and prefix shares one buffer (and one set of
 * coalesced deltas). The binding flushes every registered buffer at request end. A buffer
 * holds a reference to its connection and is freed with its last holder.
 *
 * Flush. Zero deltas are not sent. Every counter's delta leaves the buffer whether it was
 * applied or not: a delta Redis rejected (WRONGTYPE, overflow), a delta that was never sent
 * (Redis unreachable) and a delta whose reply was lost (it may or may not have been applied;
 * it is never sent twice) are each reported through the loss callback and dropped, never
 * kept for a retry that could double-count or pile up while Redis is down.
 *
 * fork(). A buffer records the pid that filled it. In a forked child every inherited entry
 * is discarded unsent at the child's first use of the buffer (or at its flush): the parent
 * owns them and flushes them itself. So parent and child never send the same increment.
 *
 *   tally_buffer_open()     the buffer of a connection + prefix in a registry (a new
 *                           reference; registry NULL: an unregistered buffer)
 *   tally_buffer_release()  drop a reference; the last one frees the buffer (unsent
 *                           entries are discarded: flush first)
 *   tally_buffer_refs()     how many references it has
 *   tally_buffer_next()     the next buffer of a registry
 *   tally_buffer_close_all()  unregister every buffer of a registry (after flushing them)
 *   tally_buffer_size()     how many counters it holds
 *   tally_buffer_add()      coalesce a delta into one counter; its new buffered delta
 *   tally_buffer_add_many() several counters of one owner, all or nothing
 *   tally_buffer_get()      one counter's buffered delta (0 when none)
 *   tally_buffer_merge()    the same, remembering the key for tally_buffer_rest()
 *   tally_buffer_rest()     the owner's buffered counters not merged since the last call
 *   tally_buffer_discard()  drop some, or all, of an owner's buffered deltas
 * (The "key" of an entry is the counter's field in its owner's hash, tally_key.h: a period
 * counter's field is not its key.)
 *   tally_buffer_flush()    send everything in one pipeline; report what was not applied
 */
#ifndef TALLY_BUFFER_H
#define TALLY_BUFFER_H

#include <stddef.h>

#include "redis/tally_conn.h"
#include "util/tally_types.h"
#include "util/tally_error.h"

typedef struct tally_buffer tally_buffer;

/* One counter whose buffered delta a flush did not apply; pointers valid during the call. */
typedef struct {
    const char *type, *id, *key;
    size_t type_len, id_len, key_len;
    tally_period period;        /* a period counter's (tally_key.h), else NONE */
    int32_t period_start;
    long long delta;
    int unknown;   /* 1: sent but its reply was lost, so it may have been applied (not resent) */
} tally_buffer_loss;

typedef void (*tally_buffer_loss_cb)(void *ud, const tally_buffer_loss *loss);

tally_code tally_buffer_open(tally_buffer **registry, tally_conn *conn, const char *prefix, size_t prefix_len,
                             tally_buffer **out, tally_error *err);
void tally_buffer_release(tally_buffer *b);
unsigned tally_buffer_refs(const tally_buffer *b);
tally_buffer *tally_buffer_next(const tally_buffer *b);
void tally_buffer_close_all(tally_buffer **registry);
size_t tally_buffer_size(tally_buffer *b);

/* hkey is the owner's hash name (tally_key_owner()); o is kept for loss reports. On
 * overflow of the coalesced delta nothing changes and TALLY_ERR_OVERFLOW is returned. */
tally_code tally_buffer_add(tally_buffer *b, const char *hkey, size_t hkey_len, const tally_owner *o,
                            const char *key, size_t key_len, long long delta, long long *total, tally_error *err);
tally_code tally_buffer_add_many(tally_buffer *b, const char *hkey, size_t hkey_len, const tally_owner *o, size_t n,
                                 const char *const *keys, const size_t *key_lens, const long long *deltas,
                                 long long *totals, tally_error *err);
long long tally_buffer_get(tally_buffer *b, const char *hkey, size_t hkey_len, const char *key, size_t key_len);
long long tally_buffer_merge(tally_buffer *b, const char *hkey, size_t hkey_len, const char *key, size_t key_len);
/* Calls cb for each counter of the owner not merged since the last call (and clears the
 * marks); a non-zero return stops early. */
void tally_buffer_rest(tally_buffer *b, const char *hkey, size_t hkey_len, tally_kv_cb cb, void *ud);
/* key NULL: every counter of the owner. */
/* The owner's fields match() accepts, or all of them (match NULL). */
void tally_buffer_discard(tally_buffer *b, const char *hkey, size_t hkey_len, int (*match)(void *ud, const char *field, size_t len),
                          void *ud);

/* *sent counts the counters applied. TALLY_OK when every delta was applied; otherwise err
 * says why (the first failure), cb was called for each delta not applied, and the code is
 * that of the first failure. The buffer is empty afterwards in every case. */
tally_code tally_buffer_flush(tally_buffer *b, size_t *sent, tally_buffer_loss_cb cb, void *ud, tally_error *err);

#endif
