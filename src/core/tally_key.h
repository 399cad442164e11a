/* The Redis key codec: how owners and counter names become Redis keys, and back.
 *
 * Owner counters live in one Redis hash per owner; the hash field is the counter key
 * (raw bytes), the hash's name is
 *
 *     <prefix>{<enc(owner type)>:<enc(owner id)>}
 *
 * The braces make the whole owner a Redis Cluster hash tag, so every key an operation
 * on one owner touches (the pending hash, later its in-flight claim) hashes to one slot.
 * enc() is reversible for any byte string: the bytes  % { } : \ * ? [ ]  and the control
 * bytes (0x00-0x1F, 0x7F) are written as %XX (two upper-case hex digits); every other
 * byte, UTF-8 included, is kept as is. So an encoded part never contains a brace (the
 * hash tag is exactly the owner), a colon (type and id split unambiguously) or a glob
 * metacharacter (an owner-type pattern for SCAN MATCH can be built from it).
 *
 * Ephemeral counters are the plain key <prefix><name>. Tally's own single keys (the sync
 * lock, rate limits) are <prefix>{}:<kind>:<name>: the empty braces keep them apart from
 * every ephemeral key, and they never parse as an owner's hash (the part before the first
 * colon would be "}", which enc() never produces), so the sync's SCAN skips them.
 *
 * Each prefix owns only its own keys, even when one prefix starts another ('counter:' and
 * 'counter:tenant1:'): a prefix is never empty (it would reach every key of the database)
 * and has no brace, nor has an ephemeral key name. So every owner hash, claim and own key
 * has a brace after any prefix that starts it, and no ephemeral key has one: an ephemeral
 * name cannot reach another prefix's owner counters, and ensureTtl() skips any key with a
 * brace after its prefix. (The inner prefix's ephemeral keys are the outer prefix's too:
 * 'counter:tenant1:x' is the outer one's key 'tenant1:x'; they are the same Redis key.)
 *
 * Global counters (no owner) are the owner with an empty type AND an empty id: <prefix>{:}.
 *
 * A counter is one FIELD of its owner's hash. A lifetime counter's field is its key (user
 * keys are never empty: the empty field is the claim's seq), except that a key starting with
 * a NUL byte is written "\0\0" + key. A period counter's field is
 *
 *     "\0" + d|w|m|q|y + YYYYMMDD (the period's first day) + key
 *
 * So every lifetime field of an earlier release reads as before, the two kinds never share a
 * field, and one HINCRBY or one script on one hash (one slot) can feed a key's lifetime
 * counter and its periods together. A field starting with NUL that is neither form (an
 * earlier release's key such as "\0x") reads as the lifetime key it spells; an earlier
 * release's key "\0\0x" would now read as "x" (such keys were never plausible).
 *
 *   tally_key_escape()        enc() of one part; returns the encoded length
 *   tally_key_unescape()      the inverse; -1 on a malformed encoding
 *   tally_key_owner()         build an owner's hash name (validates type and id)
 *   tally_key_parse_owner()   split an owner's hash name back into type and id
 *   tally_key_glob_escape()   escape a literal (the prefix) for a SCAN MATCH pattern
 *   tally_key_check_prefix()  validate a prefix: not empty, at most TALLY_PREFIX_MAX, no brace
 *   tally_key_is_ephemeral()  whether a Redis key is an ephemeral key of this prefix
 *   tally_key_check_name()    validate a counter name or ephemeral key
 *   tally_key_ephemeral()     build an ephemeral counter's key (validates the name)
 *   tally_key_internal()      build one of Tally's own keys <prefix>{}:<kind>:<name>
 *                             (validates the name, called `what` in messages)
 *   tally_keybuf_free()       release what tally_key_ephemeral()/_internal() built
 *   tally_key_match_owners()  SCAN MATCH pattern for P and C keys of owner types matching a
 *                             pattern ('*' = any bytes), malloc'd
 *   tally_key_owner_keys()    an owner's pending hash P, in-flight claim C = P + ":c" and
 *                             set-aside hash F = P + ":f" (same hash tag, same slot), with
 *                             the decoded owner, malloc'd
 *   tally_owner_keys_free()   release them
 *   tally_field_plain()       whether a counter's field is its key as is (no copy needed)
 *   tally_field_len()         the length of a counter's field
 *   tally_field_write()       write a counter's field; returns its length
 *   tally_field_decode()      a field back into period, first day and key
 *   tally_field_row()         a field of an owner's hash as the counter row it is (pointers
 *                             into the field and the owner: valid while they are)
 *   tally_fields_build()      the fields of n keys x m targets (_each: targets per key), in one block (on the stack
 *                             for small calls); tally_fields_free() releases them
 *
 * A unique count (tally_unique.h) of a key and period is a HyperLogLog of its own, a plain
 * Redis key in its owner's hash tag (so a range of periods is ONE PFCOUNT, also on a cluster):
 *
 *     <prefix>{<enc(type)>:<enc(id)>}:u:<period name>:<YYYY-MM-DD>:<enc(key)>
 *
 * It never reads as an owner's hash, claim or set-aside hash: those end in '}', '}:c' and
 * '}:f', and enc(key) is never empty and never holds a brace or a colon, so neither the key
 * nor the key with a final ":c" or ":f" cut off ends in '}' (tally_key_parse_owner() refuses it;
 * the sync's SCAN passes it by).
 *
 *   tally_key_unique()        build the HyperLogLog key of (owner, key, period) (validates)
 *   tally_key_parse_unique()  split one back into owner, period, first day and key; -1 if not one
 *   tally_key_match_uniques() SCAN MATCH pattern for the HyperLogLog keys of owner types
 *                             matching a pattern, malloc'd
 */
#ifndef TALLY_KEY_H
#define TALLY_KEY_H

#include <stddef.h>
#include "sql/tally_schema.h"
#include "util/tally_error.h"
#include "util/tally_period.h"
#include "util/tally_types.h"

/* TALLY_PREFIX_MAX, TALLY_OWNER_TYPE_MAX, TALLY_OWNER_ID_MAX, TALLY_KEY_MAX_DEFAULT: the
 * widths of the SQL columns they are stored in (sql/tally_schema.h). */
#define TALLY_KEY_MAX_LIMIT   65536 /* the largest max_key_length one may configure */

/* Room for the longest owner hash name, terminating NUL included. */
#define TALLY_OWNER_KEY_BUFSIZE (TALLY_PREFIX_MAX + 3 * (TALLY_OWNER_TYPE_MAX + TALLY_OWNER_ID_MAX) + 4)

/* out must have room for 3 * len bytes. */
size_t tally_key_escape(const char *s, size_t len, char *out);

/* out must have room for len bytes. Returns the decoded length, or -1. */
long tally_key_unescape(const char *s, size_t len, char *out);

/* out must have TALLY_OWNER_KEY_BUFSIZE bytes. */
tally_code tally_key_owner(const char *prefix, size_t prefix_len,
                           const char *type, size_t type_len,
                           const char *id, size_t id_len,
                           char *out, size_t *out_len, tally_error *err);

/* type_out and id_out must each have key_len bytes. Returns 0, or -1 when key is not an
 * owner hash name under this prefix: exactly the names tally_key_owner() builds parse. */
int tally_key_parse_owner(const char *prefix, size_t prefix_len,
                          const char *key, size_t key_len,
                          char *type_out, size_t *type_len,
                          char *id_out, size_t *id_len);

/* out must have room for 2 * len bytes. Returns the escaped length. */
size_t tally_key_glob_escape(const char *s, size_t len, char *out);

tally_code tally_key_check_prefix(const char *prefix, size_t len, tally_error *err);

/* 1 when key is <prefix><name> with a non-empty name that has no brace, else 0. */
int tally_key_is_ephemeral(const char *prefix, size_t prefix_len, const char *key, size_t key_len);

/* what names the thing in messages ("counter key", "ephemeral key"). */
tally_code tally_key_check_name(const char *what, const char *name, size_t len,
                                size_t max_len, tally_error *err);

/* A built key: in `small` when it fits, else malloc'd; release with tally_keybuf_free(). */
typedef struct {
    char *ptr;
    size_t len;
    char small[256];
} tally_keybuf;

/* Builds "<prefix><name>" into *out after tally_key_check_name(). */
tally_code tally_key_ephemeral(const char *prefix, size_t prefix_len,
                               const char *name, size_t len, size_t max_len,
                               tally_keybuf *out, tally_error *err);
/* Builds "<prefix>{}:<kind>:<name>" (kind: a short literal such as "rl:f"). */
tally_code tally_key_internal(const char *prefix, size_t prefix_len, const char *kind,
                              const char *what, const char *name, size_t len, size_t max_len,
                              tally_keybuf *out, tally_error *err);
void tally_keybuf_free(tally_keybuf *kb);

char *tally_key_match_owners(const char *prefix, size_t prefix_len, const char *pattern, size_t pattern_len,
                             size_t *len);

typedef struct {
    char *pkey;                  /* <prefix>{T:I} */
    size_t plen;
    char *ckey;                  /* <prefix>{T:I}:c */
    size_t clen;
    char *fkey;                  /* <prefix>{T:I}:f: counters the database rejected, set aside */
    size_t flen;
    char *type, *id;             /* decoded owner */
    size_t type_len, id_len;
} tally_owner_keys;

tally_code tally_key_owner_keys(const char *prefix, size_t prefix_len, const char *type, size_t tl,
                                const char *id, size_t il, tally_owner_keys *o, tally_error *err);
void tally_owner_keys_free(tally_owner_keys *o);

#define TALLY_FIELD_PERIOD_HEAD 10   /* "\0" + letter + YYYYMMDD */

static inline int tally_field_plain(tally_period p, const char *key, size_t len)
{
    return p == TALLY_PERIOD_NONE && (len == 0 || key[0] != '\0');
}

static inline size_t tally_field_len(tally_period p, const char *key, size_t len)
{
    return len + (p != TALLY_PERIOD_NONE ? TALLY_FIELD_PERIOD_HEAD : tally_field_plain(p, key, len) ? 0 : 2);
}

/* Whether field f has a period's head ("\0" + a period letter; "\0\0" escapes a plain key),
 * without checking its date as tally_field_decode() does: enough to tell the two kinds apart. */
static inline int tally_field_is_period(const char *f, size_t len)
{
    return len > TALLY_FIELD_PERIOD_HEAD && f[0] == '\0' && f[1] != '\0';
}

/* out has tally_field_len() bytes; start is the period's first day (days since 1970-01-01). */
size_t tally_field_write(tally_period p, int32_t start, const char *key, size_t len, char *out);

/* Never fails: what is not a period field is a lifetime key. *key points into f. */
void tally_field_decode(const char *f, size_t len, tally_period *p, int32_t *start, const char **key, size_t *key_len);

tally_row tally_field_row(const tally_owner_keys *o, const char *field, size_t field_len, long long delta);

/* A counter of a key: its lifetime counter (period NONE) or the period starting on day `start`. */
typedef struct {
    tally_period period;
    int32_t start;
} tally_target;

/* Key i's target j at i * m + j. */
#define TALLY_FIELDS_SMALL 8
typedef struct {
    const char **ptr;
    size_t *len;
    char *bytes;
    const char *small_ptr[TALLY_FIELDS_SMALL];
    size_t small_len[TALLY_FIELDS_SMALL];
    char small_bytes[TALLY_FIELDS_SMALL * (TALLY_KEY_MAX_DEFAULT + TALLY_FIELD_PERIOD_HEAD)];
} tally_fields;

/* Builds the HyperLogLog key of o's key in the period p (not NONE) starting on day start. */
tally_code tally_key_unique(const char *prefix, size_t prefix_len, const tally_owner *o, tally_period p, int32_t start,
                            const char *key, size_t key_len, size_t max_key_len, tally_keybuf *out, tally_error *err);

/* The parts of a HyperLogLog key: pointers into buf (which holds key_len bytes of the
 * decoded type, id and key). */
typedef struct {
    char *type, *id, *key;
    size_t type_len, id_len, key_len;
    tally_period period;
    int32_t start;
} tally_unique_key;

/* buf must have room for 2 * key_len bytes. 0, or -1 when key is not a HyperLogLog key of
 * this prefix. */
int tally_key_parse_unique(const char *prefix, size_t prefix_len, const char *key, size_t key_len, char *buf,
                           tally_unique_key *out);

char *tally_key_match_uniques(const char *prefix, size_t prefix_len, const char *pattern, size_t pattern_len,
                              size_t *len);

tally_code tally_fields_build(size_t n, const char *const *keys, const size_t *key_lens, size_t m,
                              const tally_target *targets, tally_fields *f, tally_error *err);
/* The same with targets per key: key i's m[i] targets each[i], its fields one after another
 * (key i's first at the sum of the m before it). */
tally_code tally_fields_build_each(size_t n, const char *const *keys, const size_t *key_lens, const size_t *m,
                                   const tally_target *const *each, tally_fields *f, tally_error *err);
/* Also of a tally_fields whose ptr, len and bytes are NULL (never built). */
void tally_fields_free(tally_fields *f);

#endif
