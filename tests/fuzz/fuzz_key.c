/* libFuzzer target: the key codec (tally_key.h) on arbitrary bytes, both ways.
 *
 * Input: one byte for the prefix's length (0-15), one for a split point, then bytes. What
 * it checks, on the input and on the parts it is split into:
 *   escape/unescape    every byte string round-trips; a string unescapes only when it is
 *                      the canonical escape of what it decodes to (a bijection)
 *   owner hash names   an owner built from (type, id) parses back to them; a name that
 *                      parses is rebuilt byte for byte from what it parsed to (so no part
 *                      longer than tally_key_owner() allows parses)
 *   hash fields        a field written for (period, start, key) decodes to them; a field
 *                      that decodes is rewritten byte for byte, unless it is one Tally never
 *                      writes: a NUL head that is no period's (the lifetime key of its whole
 *                      bytes), or "\0\0" before a key that needs no escape (that key)
 *   HyperLogLog keys   the same both ways as owner names
 * Buffers are exactly the sizes the header promises, so that ASan sees any overrun. */
#include "tally_key.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); abort(); } while (0)

static void *dup_exact(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (!q) abort();
    if (n) memcpy(q, p, n);
    return q;
}

static void codec(const char *s, size_t n)
{
    char *e = malloc(3 * n + 1), *u = malloc(n + 1), *back = malloc(3 * n + 1);
    size_t el, bl;
    long ul;
    if (!e || !u || !back) abort();
    el = tally_key_escape(s, n, e);
    ul = tally_key_unescape(e, el, u);
    if (ul != (long)n || memcmp(u, s, n) != 0) FAIL("escape then unescape of %zu bytes is not the identity", n);
    ul = tally_key_unescape(s, n, u);
    if (ul >= 0) {
        bl = tally_key_escape(u, (size_t)ul, back);
        if (bl != n || memcmp(back, s, n) != 0) FAIL("'%.*s' unescapes but is not the canonical escape of it", (int)n, s);
    }
    free(e);
    free(u);
    free(back);
}

static void owner(const char *prefix, size_t pl, const char *a, size_t al, const char *b, size_t bl)
{
    char name[TALLY_OWNER_KEY_BUFSIZE];
    size_t nl, tl, il;
    tally_error err;
    char *t, *i, *k = dup_exact(a, al);
    /* a as a whole hash name */
    t = malloc(al ? al : 1);
    i = malloc(al ? al : 1);
    if (tally_key_parse_owner(prefix, pl, k, al, t, &tl, i, &il) == 0) {
        if (tally_key_owner(prefix, pl, t, tl, i, il, name, &nl, &err) != TALLY_OK || nl != al || memcmp(name, k, al) != 0) {
            FAIL("owner name '%.*s' parses but is not rebuilt byte for byte", (int)al, k);
        }
    }
    free(t);
    free(i);
    free(k);
    /* (a, b) as type and id */
    if (tally_key_owner(prefix, pl, a, al, b, bl, name, &nl, &err) == TALLY_OK) {
        char *nm = dup_exact(name, nl);
        t = malloc(nl);
        i = malloc(nl);
        if (tally_key_parse_owner(prefix, pl, nm, nl, t, &tl, i, &il) != 0 || tl != al || il != bl
            || memcmp(t, a, al) != 0 || memcmp(i, b, bl) != 0) {
            FAIL("owner (%zu bytes, %zu bytes) does not parse back from its name", al, bl);
        }
        free(t);
        free(i);
        free(nm);
    }
}

static void field(const char *s, size_t n, unsigned sel)
{
    tally_period p;
    int32_t start;
    const char *key;
    size_t kl, wl;
    char *f = dup_exact(s, n), *w;
    tally_field_decode(f, n, &p, &start, &key, &kl);
    if (key < f || key + kl != f + n) FAIL("a decoded key is not the field's tail");
    w = malloc(tally_field_len(p, key, kl) + 1);
    wl = tally_field_write(p, start, key, kl, w);
    if (wl != tally_field_len(p, key, kl)) FAIL("tally_field_write() wrote other than tally_field_len()");
    if (wl != n || memcmp(w, f, n) != 0) {
        if (!(p == TALLY_PERIOD_NONE && n >= 1 && f[0] == '\0')) {
            FAIL("field of %zu bytes decodes (period %d) but is rewritten differently", n, (int)p);
        }
    }
    free(w);
    /* the other way: (period, start, key) from the input */
    {
        tally_period q = (tally_period)(sel % TALLY_PERIOD_COUNT);
        int32_t day = (int32_t)((sel >> 3) % (TALLY_PERIOD_DAY_MAX + 1)), st = tally_period_start(q, day);
        tally_period p2;
        int32_t s2;
        const char *k2;
        size_t k2l;
        /* a period's key is never empty, and its start is one Tally stores */
        if (q != TALLY_PERIOD_NONE && (n == 0 || !tally_period_is_start(q, st))) { free(f); return; }
        if (q == TALLY_PERIOD_NONE) st = 0;
        w = malloc(tally_field_len(q, f, n) + 1);
        wl = tally_field_write(q, st, f, n, w);
        tally_field_decode(w, wl, &p2, &s2, &k2, &k2l);
        if (p2 != q || s2 != st || k2l != n || memcmp(k2, f, n) != 0) {
            FAIL("field written for period %d, day %d, %zu key bytes decodes as period %d, day %d, %zu bytes",
                 (int)q, (int)st, n, (int)p2, (int)s2, k2l);
        }
        free(w);
    }
    free(f);
}

static void unique(const char *prefix, size_t pl, const char *a, size_t al, const char *b, size_t bl, unsigned sel)
{
    tally_unique_key u;
    tally_keybuf kb;
    tally_error err;
    char *k = dup_exact(a, al), *buf = malloc(2 * al + 1);
    if (tally_key_parse_unique(prefix, pl, k, al, buf, &u) == 0) {
        tally_owner o = {u.type, u.type_len, u.id, u.id_len};
        if (tally_key_unique(prefix, pl, &o, u.period, u.start, u.key, u.key_len, TALLY_KEY_MAX_LIMIT, &kb, &err) != TALLY_OK
            || kb.len != al || memcmp(kb.ptr, k, al) != 0) {
            FAIL("HyperLogLog key '%.*s' parses but is rebuilt differently", (int)al, k);
        }
        tally_keybuf_free(&kb);
    }
    free(buf);
    free(k);
    {
        /* type = first half of a, id = second half, key = b */
        tally_owner o = {a, al / 2, a + al / 2, al - al / 2};
        tally_period q = (tally_period)(1 + sel % (TALLY_PERIOD_COUNT - 1));
        int32_t st = tally_period_start(q, (int32_t)((sel >> 3) % (TALLY_PERIOD_DAY_MAX + 1)));
        if (tally_key_unique(prefix, pl, &o, q, st, b, bl, TALLY_KEY_MAX_LIMIT, &kb, &err) == TALLY_OK) {
            char *nm = dup_exact(kb.ptr, kb.len);
            buf = malloc(2 * kb.len);
            if (tally_key_parse_unique(prefix, pl, nm, kb.len, buf, &u) != 0 || u.period != q || u.start != st
                || u.type_len != o.type_len || memcmp(u.type, o.type, o.type_len) != 0 || u.id_len != o.id_len
                || memcmp(u.id, o.id, o.id_len) != 0 || u.key_len != bl || memcmp(u.key, b, bl) != 0) {
                FAIL("HyperLogLog key of period %d, day %d does not parse back", (int)q, (int)st);
            }
            free(buf);
            free(nm);
            tally_keybuf_free(&kb);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    size_t pl, split;
    unsigned sel = 0;
    char *prefix;
    if (size < 2) return 0;
    pl = data[0] % 16;
    split = data[1];
    d += 2;
    size -= 2;
    if (pl > size) pl = size;
    prefix = dup_exact(d, pl);
    for (size_t i = 0; i < size && i < 4; i++) sel = sel << 8 | data[2 + i];
    if (split > size) split = size;
    codec(d, size);
    owner(prefix, pl, d + pl, size - pl, d + split, size - split);
    owner(prefix, pl, d, split, d + split, size - split);
    field(d, size, sel);
    unique(prefix, pl, d + pl, size - pl, d + split, size - split, sel);
    unique(prefix, pl, d, split, d + split, size - split, sel);
    free(prefix);
    return 0;
}
