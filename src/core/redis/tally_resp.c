/* The RESP encoding of commands, and the parse of integer reply lines: see tally_resp.h. */
#include "redis/tally_resp.h"
#include "redis/tally_reply.h"

#include <string.h>

/* RESP length of one command: *<argc>\r\n then $<len>\r\n<bytes>\r\n per word. */
size_t tally_resp_len(int argc, const size_t *lens)
{
    size_t n = 1 + 20 + 2;
    for (int j = 0; j < argc; j++) n += 1 + 20 + 2 + lens[j] + 2;
    return n;
}

static char *put_uint(char *p, size_t v)
{
    char tmp[24];
    int k = 0;
    /* Most words of a command are shorter than 100 bytes: no loop for them. */
    if (v < 10) {
        *p++ = (char)('0' + v);
        return p;
    }
    if (v < 100) {
        *p++ = (char)('0' + v / 10);
        *p++ = (char)('0' + v % 10);
        return p;
    }
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k) *p++ = tmp[--k];
    return p;
}

char *tally_resp_put(char *p, int argc, const char *const *argv, const size_t *lens)
{
    *p++ = '*';
    p = put_uint(p, (size_t)argc);
    *p++ = '\r';
    *p++ = '\n';
    for (int j = 0; j < argc; j++) {
        *p++ = '$';
        p = put_uint(p, lens[j]);
        *p++ = '\r';
        *p++ = '\n';
        memcpy(p, argv[j], lens[j]);
        p += lens[j];
        *p++ = '\r';
        *p++ = '\n';
    }
    return p;
}

/* Parses ":<int>\r\n" at p (have bytes). Returns the bytes it took, 0 when the line is not
 * complete yet, -1 when it is not an integer reply. */
long tally_resp_int_line(const char *p, size_t have, long long *out)
{
    const char *cr;
    if (have == 0) return 0;
    if (p[0] != ':') return -1;
    cr = memchr(p + 1, '\r', have - 1);
    if (!cr) return have > 24 ? -1 : 0;
    if ((size_t)(cr - p) + 2 > have) return 0;
    if (cr[1] != '\n' || tally_parse_int(p + 1, (size_t)(cr - p - 1), out) != 0) return -1;
    return (long)(cr - p) + 2;
}

