/* libFuzzer target: Tally's reply builder (tally_reply_install(): a reply in one block, a
 * few chunks for big ones) against hiredis's own, on whatever bytes a server might send.
 *
 * Input: one byte choosing the feed's chunk size (1-16 bytes, or all at once), then RESP.
 * Both readers get the same chunks; every reply, or the protocol error, must be the same
 * tree in both (type, integer, string bytes, elements, recursively; a RESP3 verbatim string
 * keeps its "txt:" head in Tally's, which Tally never asks for). Every reply then goes
 * through the decoders a reply meets in Tally (tally_reply_int, tally_reply_scan,
 * tally_reply_error), and every string through tally_parse_int against Redis's rule written
 * out plainly here. ASan/UBSan catch what the comparison does not. */
#include "redis/tally_reply.h"
#include "fuzz_resp.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPLIES 64

/* Redis's string2ll rule, spelled out: the whole string, '-' the only sign, no leading zero,
 * no "-0", in range. */
static int reference_int(const char *s, size_t len, long long *out)
{
    char buf[32];
    char *end;
    size_t i = 0;
    if (len == 0 || len >= sizeof(buf)) return -1;
    if (s[0] == '-') i = 1;
    if (i == len) return -1;
    for (size_t j = i; j < len; j++) if (s[j] < '0' || s[j] > '9') return -1;
    if (s[i] == '0' && (len - i > 1 || i == 1)) return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtoll(buf, &end, 10);
    return errno == ERANGE || *end ? -1 : 0;
}

static void check_int(const char *s, size_t len)
{
    long long a = 0, b = 0;
    int ra = tally_parse_int(s, len, &a), rb = reference_int(s, len, &b);
    if (ra != rb || (ra == 0 && a != b)) {
        fprintf(stderr, "tally_parse_int('%.*s') = %d (%lld), Redis's rule says %d (%lld)\n", (int)len, s, ra, a, rb, b);
        abort();
    }
}

static void same(const redisReply *t, const redisReply *h, int depth)
{
    const char *ts = t->str;
    size_t tl = t->len;
    if (t->type != h->type) {
        fprintf(stderr, "depth %d: type %d, hiredis %d\n", depth, t->type, h->type);
        abort();
    }
#if TALLY_HIREDIS_1
    if (t->type == REDIS_REPLY_VERB) {
        if (tl < 4 || memcmp(ts, h->vtype, 3) != 0) abort();
        ts += 4;
        tl -= 4;
    }
    if (t->type == REDIS_REPLY_DOUBLE && memcmp(&t->dval, &h->dval, sizeof(t->dval)) != 0) abort();
#endif
    if (t->integer != h->integer || tl != h->len || (!ts) != (!h->str) || (ts && memcmp(ts, h->str, tl + 1) != 0)) {
        fprintf(stderr, "depth %d: type %d differs from hiredis's (integer, length or bytes)\n", depth, t->type);
        abort();
    }
    if (t->elements != h->elements) {
        fprintf(stderr, "depth %d: %zu elements, hiredis %zu\n", depth, (size_t)t->elements, (size_t)h->elements);
        abort();
    }
    for (size_t i = 0; i < t->elements; i++) same(t->element[i], h->element[i], depth + 1);
}

static void decode(redisReply *r)
{
    tally_error err;
    long long v;
    char cursor[32];
    redisReply *keys;
    if (r->str) check_int(r->str, r->len);
    if (tally_reply_int(r, "fuzz", &v, &err) != TALLY_OK && err.msg[0] == '\0') abort();
    if (r->type == REDIS_REPLY_ERROR && tally_reply_error(r, "fuzz", &err) == TALLY_OK) abort();
    if (tally_reply_scan(r, cursor, sizeof(cursor), &keys, &err) == TALLY_OK) {
        if (strlen(cursor) >= sizeof(cursor) || keys->type != REDIS_REPLY_ARRAY) abort();
    }
    for (size_t i = 0; i < r->elements; i++) decode(r->element[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    redisContext ctx;
    redisReader *plain;
    redisReply *tr[MAX_REPLIES], *hr[MAX_REPLIES];
    int nt = 0, nh = 0, terr = 0, herr = 0;
    size_t chunk, at = 0;

    if (size < 1 || fuzz_resp_asks_too_much(data + 1, size - 1)) return 0;
    chunk = data[0] % 17;
    data++;
    size--;
    if (chunk == 0) chunk = size ? size : 1;

    /* A context only to carry the reader: tally_reply_install() takes the context. */
    memset(&ctx, 0, sizeof(ctx));
    ctx.reader = redisReaderCreate();
    plain = redisReaderCreate();
    if (!ctx.reader || !plain) abort();
    tally_reply_install(&ctx);

    while (at < size && !terr && !herr && nt < MAX_REPLIES && nh < MAX_REPLIES) {
        size_t n = size - at < chunk ? size - at : chunk;
        void *r;
        if (redisReaderFeed(ctx.reader, (const char *)data + at, n) != REDIS_OK
            || redisReaderFeed(plain, (const char *)data + at, n) != REDIS_OK) {
            abort();
        }
        at += n;
        while (nt < MAX_REPLIES) {
            r = NULL;
            if (redisReaderGetReply(ctx.reader, &r) != REDIS_OK) { terr = 1; break; }
            if (!r) break;
            tr[nt++] = r;
        }
        while (nh < MAX_REPLIES) {
            r = NULL;
            if (redisReaderGetReply(plain, &r) != REDIS_OK) { herr = 1; break; }
            if (!r) break;
            hr[nh++] = r;
        }
    }
    if (nt != nh || terr != herr) {
        fprintf(stderr, "%d replies%s, hiredis %d%s\n", nt, terr ? " then an error" : "", nh, herr ? " then an error" : "");
        abort();
    }
    for (int i = 0; i < nt; i++) {
        same(tr[i], hr[i], 0);
        decode(tr[i]);
        tally_reply_free(tr[i]);
        freeReplyObject(hr[i]);
    }
    redisReaderFree(ctx.reader);   /* a reply half read is freed through Tally's functions */
    redisReaderFree(plain);
    return 0;
}
