/* The Redis key codec: see tally_key.h for the format. */
#include "tally_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hexdigits[] = "0123456789ABCDEF";

/* 1 for the bytes enc() writes as %XX: control bytes, 0x7F and  % { } : \\ * ? [ ]  (a table:
 * every owner counter operation encodes its owner, so this loop is on the hot path). */
static const unsigned char escaped[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x10 */
    0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,   /* 0x20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1,   /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0,   /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1,   /* 0x70 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x80 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x90 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xA0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xB0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xC0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xD0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xE0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xF0 */
};

static int must_escape(unsigned char c)
{
    return escaped[c];
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t tally_key_escape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (must_escape(c)) {
            out[o++] = '%';
            out[o++] = hexdigits[c >> 4];
            out[o++] = hexdigits[c & 0xF];
        } else {
            out[o++] = (char)c;
        }
    }
    return o;
}

long tally_key_unescape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi, lo;
            if (i + 2 >= len) return -1;
            hi = hexval((unsigned char)s[i + 1]);
            lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0) return -1;
            c = (unsigned char)(hi << 4 | lo);
            /* Only the canonical form decodes, so that the codec is a bijection. */
            if (!must_escape(c)) return -1;
            i += 2;
        } else if (must_escape(c)) {
            return -1;
        }
        out[o++] = (char)c;
    }
    return (long)o;
}

static tally_code check_part(const char *what, size_t len, size_t max, tally_error *err)
{
    if (len == 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "%s must not be empty", what);
    }
    if (len > max) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "%s is %zu bytes long; the maximum is %zu",
                               what, len, max);
    }
    return TALLY_OK;
}

tally_code tally_key_owner(const char *prefix, size_t prefix_len,
                           const char *type, size_t type_len,
                           const char *id, size_t id_len,
                           char *out, size_t *out_len, tally_error *err)
{
    size_t o;
    /* Both empty: the global owner. */
    if (!type_len != !id_len) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "%s must not be empty (a global counter has an empty owner type "
                               "AND an empty owner id)", type_len ? "owner id" : "owner type");
    }
    if (check_part("owner type", type_len ? type_len : 1, TALLY_OWNER_TYPE_MAX, err) != TALLY_OK
        || check_part("owner id", id_len ? id_len : 1, TALLY_OWNER_ID_MAX, err) != TALLY_OK) {
        return err ? err->code : TALLY_ERR_ARGUMENT;
    }
    if (prefix_len > TALLY_PREFIX_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "prefix is %zu bytes long; the maximum is %d",
                               prefix_len, TALLY_PREFIX_MAX);
    }
    memcpy(out, prefix, prefix_len);
    o = prefix_len;
    out[o++] = '{';
    o += tally_key_escape(type, type_len, out + o);
    out[o++] = ':';
    o += tally_key_escape(id, id_len, out + o);
    out[o++] = '}';
    out[o] = '\0';
    *out_len = o;
    return TALLY_OK;
}

int tally_key_parse_owner(const char *prefix, size_t prefix_len,
                          const char *key, size_t key_len,
                          char *type_out, size_t *type_len,
                          char *id_out, size_t *id_len)
{
    const char *body, *colon;
    size_t body_len;
    long t, i;

    if (key_len < prefix_len + 3 || memcmp(key, prefix, prefix_len) != 0) return -1;
    body = key + prefix_len;
    body_len = key_len - prefix_len;
    if (body[0] != '{' || body[body_len - 1] != '}') return -1;
    body++;
    body_len -= 2;
    colon = memchr(body, ':', body_len);
    if (!colon) return -1;
    t = tally_key_unescape(body, (size_t)(colon - body), type_out);
    i = tally_key_unescape(colon + 1, body_len - (size_t)(colon - body) - 1, id_out);
    /* Both empty is the global owner; one empty is no owner; a part longer than
     * tally_key_owner() allows is none Tally wrote (nor one its table could store). */
    if (t < 0 || i < 0 || (t == 0) != (i == 0) || t > TALLY_OWNER_TYPE_MAX || i > TALLY_OWNER_ID_MAX) return -1;
    *type_len = (size_t)t;
    *id_len = (size_t)i;
    return 0;
}

size_t tally_key_glob_escape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out[o++] = '\\';
        out[o++] = c;
    }
    return o;
}

tally_code tally_key_check_name(const char *what, const char *name, size_t len,
                                size_t max_len, tally_error *err)
{
    (void)name;
    return check_part(what, len, max_len, err);
}

/* "<prefix><mid><name>" into *out (name already validated). */
static tally_code build_plain(const char *prefix, size_t prefix_len, const char *mid, size_t mid_len,
                              const char *name, size_t len, tally_keybuf *out, tally_error *err)
{
    char *k = out->small;
    size_t total = prefix_len + mid_len + len;
    if (total + 1 > sizeof(out->small)) {
        k = malloc(total + 1);
        if (!k) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a key");
    }
    memcpy(k, prefix, prefix_len);
    memcpy(k + prefix_len, mid, mid_len);
    memcpy(k + prefix_len + mid_len, name, len);
    k[total] = '\0';
    out->ptr = k;
    out->len = total;
    return TALLY_OK;
}

static int has_brace(const char *s, size_t len)
{
    return memchr(s, '{', len) != NULL || memchr(s, '}', len) != NULL;
}

tally_code tally_key_check_prefix(const char *prefix, size_t len, tally_error *err)
{
    if (len == 0) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "option 'prefix' must not be empty: the prefix keeps Tally's keys apart from every other key in the database");
    }
    if (len > TALLY_PREFIX_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "option 'prefix' is %zu bytes long; the maximum is %d", len,
                               TALLY_PREFIX_MAX);
    }
    if (has_brace(prefix, len)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "option 'prefix' must not contain '{' or '}': the hash tag of a key is its owner's");
    }
    return TALLY_OK;
}

int tally_key_is_ephemeral(const char *prefix, size_t prefix_len, const char *key, size_t key_len)
{
    return key_len > prefix_len && memcmp(key, prefix, prefix_len) == 0
        && !has_brace(key + prefix_len, key_len - prefix_len);
}

tally_code tally_key_ephemeral(const char *prefix, size_t prefix_len,
                               const char *name, size_t len, size_t max_len,
                               tally_keybuf *out, tally_error *err)
{
    if (tally_key_check_name("ephemeral key", name, len, max_len, err) != TALLY_OK) {
        return err ? err->code : TALLY_ERR_ARGUMENT;
    }
    if (has_brace(name, len)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT,
                               "ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)");
    }
    return build_plain(prefix, prefix_len, "", 0, name, len, out, err);
}

tally_code tally_key_internal(const char *prefix, size_t prefix_len, const char *kind,
                              const char *what, const char *name, size_t len, size_t max_len,
                              tally_keybuf *out, tally_error *err)
{
    char mid[40];
    size_t mid_len;
    if (tally_key_check_name(what, name, len, max_len, err) != TALLY_OK) {
        return err ? err->code : TALLY_ERR_ARGUMENT;
    }
    mid_len = (size_t)snprintf(mid, sizeof(mid), "{}:%s:", kind);
    return build_plain(prefix, prefix_len, mid, mid_len, name, len, out, err);
}

void tally_keybuf_free(tally_keybuf *kb)
{
    if (kb->ptr && kb->ptr != kb->small) free(kb->ptr);
    kb->ptr = NULL;
    kb->len = 0;
}

void tally_owner_keys_free(tally_owner_keys *o)
{
    free(o->pkey);
    free(o->ckey);
    free(o->fkey);
    free(o->type);
    free(o->id);
    memset(o, 0, sizeof(*o));
}

/* Builds the owner's P and C key names from a decoded type and id. */
tally_code tally_key_owner_keys(const char *prefix, size_t prefix_len, const char *type, size_t tl,
                                const char *id, size_t il, tally_owner_keys *o, tally_error *err)
{
    char buf[TALLY_OWNER_KEY_BUFSIZE];
    size_t len;
    tally_code rc = tally_key_owner(prefix, prefix_len, type, tl, id, il, buf, &len, err);
    if (rc) return rc;
    memset(o, 0, sizeof(*o));
    o->pkey = malloc(len + 1);
    o->ckey = malloc(len + 3);
    o->fkey = malloc(len + 3);
    o->type = malloc(tl ? tl : 1);
    o->id = malloc(il ? il : 1);
    if (!o->pkey || !o->ckey || !o->fkey || !o->type || !o->id) {
        tally_owner_keys_free(o);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory");
    }
    memcpy(o->pkey, buf, len + 1);
    memcpy(o->ckey, buf, len);
    memcpy(o->ckey + len, ":c", 3);
    memcpy(o->fkey, buf, len);
    memcpy(o->fkey + len, ":f", 3);
    memcpy(o->type, type, tl);
    memcpy(o->id, id, il);
    o->plen = len;
    o->clen = len + 2;
    o->flen = len + 2;
    o->type_len = tl;
    o->id_len = il;
    return TALLY_OK;
}

/* "<escaped prefix>{<pattern>:*": the pattern's literal parts are encoded like owner types
 * (so they hold no glob characters), its '*' stay wildcards. */
char *tally_key_match_owners(const char *prefix, size_t prefix_len, const char *pat, size_t pat_len, size_t *len)
{
    size_t cap = 2 * prefix_len + 3 * pat_len + 8, o;
    char *m = malloc(cap);
    if (!m) return NULL;
    o = tally_key_glob_escape(prefix, prefix_len, m);
    m[o++] = '{';
    if (!pat || pat_len == 0) {
        m[o++] = '*';
    } else {
        size_t start = 0;
        for (size_t i = 0; i <= pat_len; i++) {
            if (i == pat_len || pat[i] == '*') {
                o += tally_key_escape(pat + start, i - start, m + o);
                if (i < pat_len) m[o++] = '*';
                start = i + 1;
            }
        }
    }
    m[o++] = ':';
    m[o++] = '*';
    m[o] = '\0';
    *len = o;
    return m;
}

/* The letters of the periods in a field: index = tally_period. */
static const char period_letters[TALLY_PERIOD_COUNT] = {0, 'd', 'w', 'm', 'q', 'y'};

size_t tally_field_write(tally_period p, int32_t start, const char *key, size_t len, char *out)
{
    char date[TALLY_PERIOD_DATE_LEN + 1];
    size_t o = 0;
    if (p == TALLY_PERIOD_NONE) {
        if (!tally_field_plain(p, key, len)) {
            out[o++] = '\0';
            out[o++] = '\0';
        }
    } else {
        tally_period_date(start, date);
        out[o++] = '\0';
        out[o++] = period_letters[p];
        memcpy(out + o, date, 4);
        memcpy(out + o + 4, date + 5, 2);
        memcpy(out + o + 6, date + 8, 2);
        o += 8;
    }
    if (len) memcpy(out + o, key, len);
    return o + len;
}

void tally_field_decode(const char *f, size_t len, tally_period *p, int32_t *start, const char **key, size_t *key_len)
{
    *p = TALLY_PERIOD_NONE;
    *start = 0;
    *key = f;
    *key_len = len;
    if (len < 2 || f[0] != '\0') return;
    if (f[1] == '\0') {
        *key = f + 2;
        *key_len = len - 2;
        return;
    }
    for (int i = 1; i < TALLY_PERIOD_COUNT; i++) {
        if (f[1] == period_letters[i] && len > TALLY_FIELD_PERIOD_HEAD) {
            char date[TALLY_PERIOD_DATE_LEN] = {f[2], f[3], f[4], f[5], '-', f[6], f[7], '-', f[8], f[9]};
            int32_t d = tally_period_parse_date(date, sizeof(date));
            /* Only a period's own first day: anything else is not a field Tally wrote. */
            if (!tally_period_is_start((tally_period)i, d)) return;
            *p = (tally_period)i;
            *start = d;
            *key = f + TALLY_FIELD_PERIOD_HEAD;
            *key_len = len - TALLY_FIELD_PERIOD_HEAD;
            return;
        }
    }
}

tally_row tally_field_row(const tally_owner_keys *o, const char *field, size_t field_len, long long delta)
{
    tally_row row = {o->type, o->type_len, o->id, o->id_len, NULL, 0, delta, 0, TALLY_PERIOD_NONE, 0, field, field_len};
    tally_field_decode(field, field_len, &row.period, &row.period_start, &row.key, &row.key_len);
    return row;
}

void tally_fields_free(tally_fields *f)
{
    if (f->ptr != f->small_ptr) free(f->ptr);
    if (f->len != f->small_len) free(f->len);
    if (f->bytes != f->small_bytes) free(f->bytes);
}

/* Key i's targets: each[i] (m[i] of them) when given, else the m0 of all. */
static tally_code fields_build(size_t n, const char *const *keys, const size_t *key_lens, size_t m0,
                               const tally_target *all, const size_t *m, const tally_target *const *each,
                               tally_fields *f, tally_error *err)
{
    size_t room = 0, at = 0, count = 0, x = 0;
    for (size_t i = 0; i < n; i++) {
        size_t mi = m ? m[i] : m0;
        const tally_target *ti = each ? each[i] : all;
        for (size_t j = 0; j < mi; j++) room += tally_field_len(ti[j].period, keys[i], key_lens[i]);
        count += mi;
    }
    /* The small arrays, or malloc'd ones. */
    f->ptr = count <= TALLY_FIELDS_SMALL ? f->small_ptr : malloc(sizeof(*f->ptr) * (count ? count : 1));
    f->len = count <= TALLY_FIELDS_SMALL ? f->small_len : malloc(sizeof(*f->len) * (count ? count : 1));
    f->bytes = room <= sizeof(f->small_bytes) ? f->small_bytes : malloc(room);
    if (!f->ptr || !f->len || !f->bytes) {
        tally_fields_free(f);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a command");
    }
    for (size_t i = 0; i < n; i++) {
        size_t mi = m ? m[i] : m0;
        const tally_target *ti = each ? each[i] : all;
        for (size_t j = 0; j < mi; j++, x++) {
            f->ptr[x] = f->bytes + at;
            f->len[x] = tally_field_write(ti[j].period, ti[j].start, keys[i], key_lens[i], f->bytes + at);
            at += f->len[x];
        }
    }
    return TALLY_OK;
}

tally_code tally_fields_build(size_t n, const char *const *keys, const size_t *key_lens, size_t m,
                              const tally_target *targets, tally_fields *f, tally_error *err)
{
    return fields_build(n, keys, key_lens, m, targets, NULL, NULL, f, err);
}

tally_code tally_fields_build_each(size_t n, const char *const *keys, const size_t *key_lens, const size_t *m,
                                   const tally_target *const *each, tally_fields *f, tally_error *err)
{
    return fields_build(n, keys, key_lens, 0, NULL, m, each, f, err);
}

/* ---- unique counts: one HyperLogLog key per (owner, key, period) ---------------------- */

#define UNIQUE_MID ":u:"

tally_code tally_key_unique(const char *prefix, size_t prefix_len, const tally_owner *o, tally_period p, int32_t start,
                            const char *key, size_t key_len, size_t max_key_len, tally_keybuf *out, tally_error *err)
{
    char owner[TALLY_OWNER_KEY_BUFSIZE], date[TALLY_PERIOD_DATE_LEN + 1];
    const char *name = tally_period_name(p);
    size_t olen, total, at;
    tally_code rc;
    char *k;

    if ((rc = tally_key_check_name("counter key", key, key_len, max_key_len, err))) return rc;
    if (p == TALLY_PERIOD_NONE || !name || !tally_period_is_start(p, start)) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "a unique count needs a period (day, week, month, quarter or "
                               "year) and the day it starts on");
    }
    tally_period_date(start, date);
    if ((rc = tally_key_owner(prefix, prefix_len, o->type, o->type_len, o->id, o->id_len, owner, &olen, err))) return rc;
    total = olen + strlen(UNIQUE_MID) + strlen(name) + 1 + TALLY_PERIOD_DATE_LEN + 1 + 3 * key_len;
    k = total + 1 <= sizeof(out->small) ? out->small : malloc(total + 1);
    if (!k) return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a key");
    memcpy(k, owner, olen);
    at = olen;
    memcpy(k + at, UNIQUE_MID, strlen(UNIQUE_MID));
    at += strlen(UNIQUE_MID);
    memcpy(k + at, name, strlen(name));
    at += strlen(name);
    k[at++] = ':';
    memcpy(k + at, date, TALLY_PERIOD_DATE_LEN);
    at += TALLY_PERIOD_DATE_LEN;
    k[at++] = ':';
    at += tally_key_escape(key, key_len, k + at);
    k[at] = '\0';
    out->ptr = k;
    out->len = at;
    return TALLY_OK;
}

int tally_key_parse_unique(const char *prefix, size_t prefix_len, const char *key, size_t key_len, char *buf,
                           tally_unique_key *out)
{
    const char *close, *rest, *colon, *end = key + key_len;
    size_t tl, il;
    long kl;
    int p;
    int32_t start;

    if (key_len <= prefix_len + 1 || memcmp(key, prefix, prefix_len) != 0 || key[prefix_len] != '{') return -1;
    /* The owner is the hash tag: up to the first '}' (enc() never writes one). */
    close = memchr(key + prefix_len, '}', key_len - prefix_len);
    if (!close) return -1;
    rest = close + 1;
    if ((size_t)(end - rest) < strlen(UNIQUE_MID) || memcmp(rest, UNIQUE_MID, strlen(UNIQUE_MID)) != 0) return -1;
    rest += strlen(UNIQUE_MID);
    colon = memchr(rest, ':', (size_t)(end - rest));
    if (!colon || (p = tally_period_parse(rest, (size_t)(colon - rest))) <= 0) return -1;
    rest = colon + 1;
    if (end - rest < TALLY_PERIOD_DATE_LEN + 2 || rest[TALLY_PERIOD_DATE_LEN] != ':') return -1;
    start = tally_period_parse_date(rest, TALLY_PERIOD_DATE_LEN);
    if (!tally_period_is_start((tally_period)p, start)) return -1;
    rest += TALLY_PERIOD_DATE_LEN + 1;
    /* The owner part parses as an owner's hash name does. */
    if (tally_key_parse_owner(prefix, prefix_len, key, (size_t)(close + 1 - key), buf, &tl, buf + key_len, &il) != 0) {
        return -1;
    }
    out->type = buf;
    out->type_len = tl;
    /* The id goes right after the type, the key after the id: all within 2 * key_len. */
    memmove(buf + tl, buf + key_len, il);
    out->id = buf + tl;
    out->id_len = il;
    out->key = buf + tl + il;
    kl = tally_key_unescape(rest, (size_t)(end - rest), out->key);
    if (kl <= 0) return -1;
    out->key_len = (size_t)kl;
    out->period = (tally_period)p;
    out->start = start;
    return 0;
}

char *tally_key_match_uniques(const char *prefix, size_t prefix_len, const char *pattern, size_t pattern_len,
                              size_t *len)
{
    size_t n;
    char *m = tally_key_match_owners(prefix, prefix_len, pattern, pattern_len, &n), *grown;
    if (!m) return NULL;
    /* "...{<types>:*" + "}:u:*": enc() writes no brace, so the '}' is the owner's end. */
    grown = realloc(m, n + strlen("}" UNIQUE_MID "*") + 1);
    if (!grown) {
        free(m);
        return NULL;
    }
    memcpy(grown + n, "}" UNIQUE_MID "*", strlen("}" UNIQUE_MID "*") + 1);
    *len = n + strlen("}" UNIQUE_MID "*");
    return grown;
}
