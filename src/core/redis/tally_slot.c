/* The Redis Cluster slot of a key (see tally_slot.h). Bitwise CRC16: keys are short and
 * a 512-byte table would buy nothing measurable next to a network round trip. */
#include "redis/tally_slot.h"

#include <string.h>

unsigned tally_slot_crc16(const char *buf, size_t len)
{
    unsigned crc = 0;

    for (size_t i = 0; i < len; i++) {
        crc ^= (unsigned)(unsigned char)buf[i] << 8;
        for (int b = 0; b < 8; b++) {
            crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) : (crc << 1);
        }
        crc &= 0xFFFF;
    }
    return crc;
}

unsigned tally_slot_of(const char *key, size_t len)
{
    const char *open = len ? memchr(key, '{', len) : NULL;

    if (open) {
        size_t rest = len - (size_t)(open - key) - 1;
        const char *close = rest ? memchr(open + 1, '}', rest) : NULL;

        /* Redis's rule: an empty tag "{}" does not count, the whole key is hashed. */
        if (close && close > open + 1) {
            return tally_slot_crc16(open + 1, (size_t)(close - open - 1)) & (TALLY_SLOT_COUNT - 1);
        }
    }
    return tally_slot_crc16(key, len) & (TALLY_SLOT_COUNT - 1);
}
