/* Plain-C tests of the cluster slot rule against the Redis Cluster spec's vectors and
 * slots Redis itself reports (CLUSTER KEYSLOT). Prints "N passed, N failed". */
#include "redis/tally_slot.h"

#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("not ok: "); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

/* The polynomial applied bit by bit: what the table-driven tally_slot_crc16 must equal. */
static unsigned crc16_bitwise(const unsigned char *buf, size_t len)
{
    unsigned crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= (unsigned)buf[i] << 8;
        for (int b = 0; b < 8; b++) crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) : (crc << 1);
        crc &= 0xFFFF;
    }
    return crc;
}

static unsigned slot(const char *key)
{
    return tally_slot_of(key, strlen(key));
}

int main(void)
{
    CHECK(tally_slot_crc16("123456789", 9) == 0x31C3, "crc16 check value: %04x", tally_slot_crc16("123456789", 9));
    CHECK(tally_slot_crc16("", 0) == 0, "crc16 of nothing");
    CHECK(slot("foo") == 12182, "foo: %u", slot("foo"));
    CHECK(slot("bar") == 5061, "bar: %u", slot("bar"));
    CHECK(slot("") == 0, "empty key: %u", slot(""));
    CHECK(slot("{user1000}.following") == slot("{user1000}.followers")
          && slot("{user1000}.following") == slot("user1000"), "user1000 tag: %u", slot("{user1000}.following"));
    CHECK(slot("foo{}{bar}") == tally_slot_crc16("foo{}{bar}", 10) % 16384, "empty tag hashes whole: %u", slot("foo{}{bar}"));
    CHECK(slot("foo{{bar}}zap") == tally_slot_crc16("{bar", 4) % 16384, "tag {bar: %u", slot("foo{{bar}}zap"));
    CHECK(slot("foo{bar}{zap}") == slot("bar"), "first tag only: %u", slot("foo{bar}{zap}"));
    CHECK(slot("foo{bar") == tally_slot_crc16("foo{bar", 7) % 16384, "unclosed brace hashes whole");
    CHECK(slot("}foo{bar}") == slot("bar"), "a '}' before the '{' does not count");
    CHECK(slot("t:{App:1}:c") == slot("t:{App:1}") && slot("t:{App:1}") == slot("App:1"), "owner and claim share a slot");
    /* A tag with a NUL byte: lengths, not C strings. */
    CHECK(tally_slot_of("a{\0b}", 5) == tally_slot_crc16("\0b", 2) % 16384, "binary tag");
    {
        /* Every byte value, and pseudo-random strings of every length up to 300. */
        unsigned char buf[300];
        unsigned x = 12345, bad = 0;
        for (int i = 0; i < 256; i++) buf[i] = (unsigned char)i;
        bad += tally_slot_crc16((const char *)buf, 256) != crc16_bitwise(buf, 256);
        for (size_t len = 0; len <= sizeof(buf); len++) {
            for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
            bad += tally_slot_crc16((const char *)buf, len) != crc16_bitwise(buf, len);
        }
        CHECK(bad == 0, "table crc16 differs from the bitwise one %u times", bad);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
