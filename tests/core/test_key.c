/* Plain-C tests of the key codec (no PHP): every byte string round-trips, the encoded
 * owner never contains a brace, colon or glob metacharacter, malformed encodings are
 * rejected, and the codec is a bijection (only canonical escapes decode).
 * Prints TAP-style lines and a closing "N passed, N failed". */
#include "tally_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("not ok: "); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

/* Returns 1 when the owner round-trips and its encoding is clean; prints why not. */
static int round_trip(const char *type, size_t tl, const char *id, size_t il)
{
    char key[TALLY_OWNER_KEY_BUFSIZE], t[TALLY_OWNER_KEY_BUFSIZE], i[TALLY_OWNER_KEY_BUFSIZE];
    size_t kl, tl2, il2, n;
    tally_error err;
    const char *body;

    if (tally_key_owner("p:", 2, type, tl, id, il, key, &kl, &err) != TALLY_OK
        || tally_key_parse_owner("p:", 2, key, kl, t, &tl2, i, &il2) != 0
        || tl2 != tl || memcmp(t, type, tl) != 0 || il2 != il || memcmp(i, id, il) != 0) {
        printf("round trip failed for a %zu-byte type and %zu-byte id\n", tl, il);
        return 0;
    }
    body = key + 3;
    n = 0;
    for (const char *p = body; p < key + kl - 1; p++) {
        if (strchr("{}*?[]\\", *p) || *p == '\0') n++;
        if (*p == ':') n += 100;
    }
    if (n != 100) printf("unclean encoding: %.*s\n", (int)kl, key);
    return n == 100;
}

/* A unique count's HyperLogLog key round-trips through tally_key_parse_unique() and never reads
 * as an owner's hash, claim or set-aside hash (the sync's SCAN strips ":c" before parsing). */
static int unique_key_ok(const char *type, size_t tl, const char *id, size_t il, tally_period p, int32_t start,
                         const char *key, size_t kl)
{
    tally_owner o = {type, tl, id, il};
    tally_keybuf kb;
    tally_unique_key u;
    tally_error err;
    char *buf, t[TALLY_OWNER_KEY_BUFSIZE * 4], i[TALLY_OWNER_KEY_BUFSIZE * 4];
    size_t t2, i2;
    int ok;

    if (tally_key_unique("p:", 2, &o, p, start, key, kl, 1000, &kb, &err) != TALLY_OK) return 0;
    buf = malloc(2 * kb.len + 1);
    ok = tally_key_parse_unique("p:", 2, kb.ptr, kb.len, buf, &u) == 0 && u.type_len == tl && memcmp(u.type, type, tl) == 0
         && u.id_len == il && memcmp(u.id, id, il) == 0 && u.key_len == kl && memcmp(u.key, key, kl) == 0
         && u.period == p && u.start == start;
    ok = ok && tally_key_parse_owner("p:", 2, kb.ptr, kb.len, t, &t2, i, &i2) != 0;
    for (const char *suffix = "cf"; *suffix; suffix++) {
        if (kb.len > 2 && kb.ptr[kb.len - 2] == ':' && kb.ptr[kb.len - 1] == *suffix) {
            ok = ok && tally_key_parse_owner("p:", 2, kb.ptr, kb.len - 2, t, &t2, i, &i2) != 0;
        }
    }
    /* Another prefix that starts this one never takes it for its own. */
    ok = ok && tally_key_parse_unique("p:x", 3, kb.ptr, kb.len, buf, &u) != 0;
    free(buf);
    tally_keybuf_free(&kb);
    return ok;
}

int main(void)
{
    char buf[1024], out[1024];
    tally_error err;
    size_t kl;
    unsigned seed = 12345;

    CHECK(round_trip("App\\Models\\User", 15, "5", 1) && round_trip("a:b", 3, "c", 1)
          && round_trip("{x}", 3, "%41", 3) && round_trip("\0\n\x7f", 3, "\xc3\x9c\xe2\x9c\x93", 5),
          "special characters round-trip");
    {
        int ok = 1;
        for (int c = 0; c < 256; c++) {
            char b = (char)c;
            ok &= round_trip(&b, 1, &b, 1);
        }
        CHECK(ok, "every byte value round-trips");
    }
    {
    int ok = 1;
    for (int n = 0; n < 2000; n++) {
        char t[64], i[64];
        size_t tl = 1 + (seed = seed * 1103515245 + 12345) % 63, il = 1 + (seed = seed * 1103515245 + 12345) % 63;
        for (size_t k = 0; k < tl; k++) t[k] = (char)((seed = seed * 1103515245 + 12345) >> 16);
        for (size_t k = 0; k < il; k++) i[k] = (char)((seed = seed * 1103515245 + 12345) >> 16);
        ok &= round_trip(t, tl, i, il);
    }
    CHECK(ok, "2000 random byte strings round-trip");
    }

    /* Distinct owners never share a key. */
    {
        char k1[TALLY_OWNER_KEY_BUFSIZE], k2[TALLY_OWNER_KEY_BUFSIZE];
        size_t l1, l2;
        tally_key_owner("", 0, "a:b", 3, "c", 1, k1, &l1, &err);
        tally_key_owner("", 0, "a", 1, "b:c", 3, k2, &l2, &err);
        CHECK(l1 != l2 || memcmp(k1, k2, l1) != 0, "('a:b','c') and ('a','b:c') differ");
    }

    /* The documented format, literally. */
    CHECK(tally_key_owner("counter:", 8, "App\\User", 8, "7", 1, buf, &kl, &err) == TALLY_OK
          && strcmp(buf, "counter:{App%5CUser:7}") == 0, "documented format: %s", buf);

    /* Malformed or non-canonical encodings do not decode. */
    CHECK(tally_key_unescape("%4", 2, out) == -1, "truncated escape rejected");
    CHECK(tally_key_unescape("%41", 3, out) == -1, "escape of a plain byte rejected");
    CHECK(tally_key_unescape("%3a", 3, out) == -1, "lower-case hex rejected");
    CHECK(tally_key_unescape("a:b", 3, out) == -1, "raw separator rejected");
    CHECK(tally_key_unescape("%3A", 3, out) == 1 && out[0] == ':', "canonical escape decodes");
    CHECK(tally_key_parse_owner("p:", 2, "p:{a}", 5, buf, &kl, out, &kl) == -1, "no separator rejected");
    CHECK(tally_key_parse_owner("p:", 2, "q:{a:b}", 7, buf, &kl, out, &kl) == -1, "other prefix rejected");
    CHECK(tally_key_parse_owner("p:", 2, "p:{:b}", 6, buf, &kl, out, &kl) == -1, "empty type rejected");
    {
        /* Only names tally_key_owner() builds parse: a type or id past its column's width
         * is no owner (the sync would hand the database a row it cannot store). */
        char name[2 * TALLY_OWNER_TYPE_MAX + 64], t[2 * sizeof(name)], i[sizeof(name)];
        size_t tl, il, n;
        tally_unique_key u;
        int ok = 1;
        for (size_t len = TALLY_OWNER_TYPE_MAX; len <= TALLY_OWNER_TYPE_MAX + 1; len++) {
            n = (size_t)sprintf(name, "p:{%0*d:1}", (int)len, 7);
            ok &= (tally_key_parse_owner("p:", 2, name, n, t, &tl, i, &il) == 0) == (len <= TALLY_OWNER_TYPE_MAX);
            n = (size_t)sprintf(name, "p:{T:%0*d}", (int)len, 7);
            ok &= (tally_key_parse_owner("p:", 2, name, n, t, &tl, i, &il) == 0) == (len <= TALLY_OWNER_ID_MAX);
            n = (size_t)sprintf(name, "p:{%0*d:1}:u:day:2026-03-02:v", (int)len, 7);
            ok &= (tally_key_parse_unique("p:", 2, name, n, t, &u) == 0) == (len <= TALLY_OWNER_TYPE_MAX);
        }
        CHECK(ok, "an owner type or id longer than %d bytes does not parse (owner hashes, unique keys)", TALLY_OWNER_TYPE_MAX);
    }

    /* Validation. */
    CHECK(tally_key_owner("", 0, "", 0, "1", 1, buf, &kl, &err) == TALLY_ERR_ARGUMENT
          && strncmp(err.msg, "owner type must not be empty", 28) == 0, "empty type: %s", err.msg);
    /* Both empty: the global owner, <prefix>{:}, which parses back. */
    CHECK(tally_key_owner("p:", 2, "", 0, "", 0, buf, &kl, &err) == TALLY_OK && kl == 5 && memcmp(buf, "p:{:}", 5) == 0,
          "global owner");
    CHECK(tally_key_parse_owner("p:", 2, "p:{:}", 5, out, &kl, out + 10, &kl) == 0 && kl == 0, "global owner parses");
    CHECK(tally_key_parse_owner("p:", 2, "p:{a:}", 6, buf, &kl, out, &kl) == -1, "empty id alone rejected");
    memset(out, 'x', 300);
    CHECK(tally_key_owner("", 0, "T", 1, out, 256, buf, &kl, &err) == TALLY_ERR_ARGUMENT, "long id rejected");
    CHECK(tally_key_check_name("counter key", "abc", 3, 2, &err) == TALLY_ERR_ARGUMENT
          && strcmp(err.msg, "counter key is 3 bytes long; the maximum is 2") == 0, "long key: %s", err.msg);
    {
        tally_keybuf kb;
        CHECK(tally_key_ephemeral("p:", 2, "{x", 2, 100, &kb, &err) == TALLY_ERR_ARGUMENT, "reserved '{' rejected");
        CHECK(tally_key_ephemeral("p:", 2, "rate:1", 6, 100, &kb, &err) == TALLY_OK
              && kb.len == 8 && memcmp(kb.ptr, "p:rate:1", 8) == 0, "ephemeral key built");
        tally_keybuf_free(&kb);
        memset(out, 'k', 1000);
        CHECK(tally_key_ephemeral("p:", 2, out, 1000, 1000, &kb, &err) == TALLY_OK && kb.ptr != kb.small
              && kb.len == 1002, "long ephemeral key goes to the heap");
        tally_keybuf_free(&kb);
    }

    /* Tally's own keys <prefix>{}:<kind>:<name>: built as documented, validated, and never
     * taken for an owner's pending hash or claim by the sync's SCAN, whatever the name. */
    {
        tally_keybuf kb;
        char t[1100], i[1100];
        size_t tl, il;
        int ok = 1;
        CHECK(tally_key_internal("p:", 2, "rl:f", "rate limit name", "api:{u}", 7, 100, &kb, &err) == TALLY_OK
              && kb.len == 17 && memcmp(kb.ptr, "p:{}:rl:f:api:{u}", 17) == 0, "internal key built: %s", kb.ptr);
        tally_keybuf_free(&kb);
        CHECK(tally_key_internal("p:", 2, "rl:f", "rate limit name", "", 0, 100, &kb, &err) == TALLY_ERR_ARGUMENT
              && strcmp(err.msg, "rate limit name must not be empty") == 0, "empty internal name: %s", err.msg);
        CHECK(tally_key_internal("p:", 2, "rl:s", "rate limit name", "abc", 3, 2, &kb, &err) == TALLY_ERR_ARGUMENT,
              "long internal name rejected");
        for (int n = 0; n < 2000; n++) {
            char name[64];
            size_t len = 1 + (seed = seed * 1103515245 + 12345) % 63;
            for (size_t k = 0; k < len; k++) name[k] = "ab:{}%c\\}"[((seed = seed * 1103515245 + 12345) >> 16) % 9];
            if (tally_key_internal("p:", 2, n % 2 ? "rl:f" : "rl:s", "name", name, len, 100, &kb, &err) != TALLY_OK) {
                ok = 0;
                continue;
            }
            ok &= tally_key_parse_owner("p:", 2, kb.ptr, kb.len, t, &tl, i, &il) == -1;
            if (kb.len > 2 && memcmp(kb.ptr + kb.len - 2, ":c", 2) == 0) {
                ok &= tally_key_parse_owner("p:", 2, kb.ptr, kb.len - 2, t, &tl, i, &il) == -1;
            }
            tally_keybuf_free(&kb);
        }
        CHECK(ok, "2000 internal keys never parse as an owner");
    }

    /* Glob escaping of a prefix. */
    kl = tally_key_glob_escape("a*[b]?\\", 7, buf);
    buf[kl] = '\0';
    CHECK(strcmp(buf, "a\\*\\[b\\]\\?\\\\") == 0, "glob escape: %s", buf);

    {
        int32_t mar = tally_period_days(2026, 3, 1), ok = 1;
        char buf[256];
        tally_unique_key u;
        tally_owner o = {"post", 4, "1", 1};
        tally_keybuf kb;
        size_t ml;
        char *m;
        ok &= unique_key_ok("post", 4, "1", 1, TALLY_PERIOD_DAY, mar + 13, "visitors", 8);
        ok &= unique_key_ok("", 0, "", 0, TALLY_PERIOD_MONTH, mar, "c", 1);
        ok &= unique_key_ok("a:b}", 4, "{:c", 3, TALLY_PERIOD_WEEK, tally_period_start(TALLY_PERIOD_WEEK, mar), "x:c", 3);
        ok &= unique_key_ok("T", 1, "I", 1, TALLY_PERIOD_YEAR, tally_period_days(2026, 1, 1), "}", 1);
        for (int c = 0; c < 256; c++) {
            char b = (char)c;
            ok &= unique_key_ok(&b, 1, &b, 1, TALLY_PERIOD_QUARTER, tally_period_days(2026, 4, 1), &b, 1);
        }
        CHECK(ok, "unique keys round-trip and never parse as an owner, claim or set-aside hash");
        CHECK(tally_key_unique("p:", 2, &o, TALLY_PERIOD_DAY, mar, "visitors", 8, 1000, &kb, &err) == TALLY_OK
              && kb.len == strlen("p:{post:1}:u:day:2026-03-01:visitors")
              && memcmp(kb.ptr, "p:{post:1}:u:day:2026-03-01:visitors", kb.len) == 0,
              "a unique key reads p:{post:1}:u:day:2026-03-01:visitors");
        tally_keybuf_free(&kb);
        CHECK(tally_key_unique("p:", 2, &o, TALLY_PERIOD_NONE, 0, "v", 1, 1000, &kb, &err) == TALLY_ERR_ARGUMENT
              && tally_key_unique("p:", 2, &o, TALLY_PERIOD_MONTH, mar + 1, "v", 1, 1000, &kb, &err) == TALLY_ERR_ARGUMENT
              && tally_key_unique("p:", 2, &o, TALLY_PERIOD_DAY, mar, "", 0, 1000, &kb, &err) == TALLY_ERR_ARGUMENT,
              "a unique key needs a period, its first day and a key");
        CHECK(tally_key_unique("p:", 2, &o, TALLY_PERIOD_WEEK, -3, "v", 1, 1000, &kb, &err) == TALLY_ERR_ARGUMENT
              && tally_key_unique("p:", 2, &o, TALLY_PERIOD_DAY, TALLY_PERIOD_DAY_MAX + 1, "v", 1, 1000, &kb, &err) == TALLY_ERR_ARGUMENT
              && tally_key_parse_unique("p:", 2, "p:{post:1}:u:week:1969-12-29:v", 31, buf, &u) != 0,
              "no unique key for the week of 1970-01-01, which starts on 1969-12-29 (it could not be parsed back)");
        CHECK(tally_key_parse_unique("p:", 2, "p:{post:1}", 10, buf, &u) != 0
              && tally_key_parse_unique("p:", 2, "p:{post:1}:c", 12, buf, &u) != 0
              && tally_key_parse_unique("p:", 2, "p:{post:1}:u:day:2026-03-02:", 28, buf, &u) != 0
              && tally_key_parse_unique("p:", 2, "p:{post:1}:u:month:2026-03-02:v", 32, buf, &u) != 0
              && tally_key_parse_unique("p:", 2, "p:{post:1}:u:hour:2026-03-02:v", 31, buf, &u) != 0
              && tally_key_parse_unique("p:", 2, "p:{}:rl:f:x", 12, buf, &u) != 0,
              "owner hashes, claims, own keys and malformed unique keys are no unique keys");
        m = tally_key_match_uniques("p*:", 3, "App*", 4, &ml);
        CHECK(m && ml == strlen("p\\*:{App*:*}:u:*") && memcmp(m, "p\\*:{App*:*}:u:*", ml) == 0,
              "the SCAN pattern of unique keys: %s", m ? m : "(null)");
        free(m);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
