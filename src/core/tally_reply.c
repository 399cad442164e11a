/* Decoding Redis replies into counter values and typed errors: see tally_reply.h. */
#include "tally_reply.h"

#include <limits.h>
#include <string.h>

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
