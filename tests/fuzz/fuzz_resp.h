/* What the RESP targets share: inputs not worth reading. */
#ifndef FUZZ_RESP_H
#define FUZZ_RESP_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_RESP_MAX_ELEMENTS 4096   /* a count beyond is only a big allocation, for any reader */

/* Whether some aggregate header (* % ~ > |) in the input asks for more elements than that
 * (a map's count is doubled): anywhere, not only at line starts, since a bulk string's
 * end is not checked by every hiredis. */
static inline int fuzz_resp_asks_too_much(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned long long count = 0;
        size_t j = i + 1;
        if (d[i] != '*' && d[i] != '%' && d[i] != '~' && d[i] != '>' && d[i] != '|') continue;
        while (j < n && d[j] >= '0' && d[j] <= '9' && count <= FUZZ_RESP_MAX_ELEMENTS) count = count * 10 + (d[j++] - '0');
        if (count > FUZZ_RESP_MAX_ELEMENTS / 2) return 1;
    }
    return 0;
}

#endif
