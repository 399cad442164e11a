/* The Redis Cluster slot of a key: CRC16 (XMODEM) of the key's hash tag, modulo 16384,
 * exactly as the cluster computes it, so that a command goes straight to the owner.
 *
 *   tally_slot_crc16()  CRC16-XMODEM of bytes (the spec's check: "123456789" -> 0x31C3)
 *   tally_slot_of()     the slot of a key: only the hash tag is hashed when there is one
 */
#ifndef TALLY_SLOT_H
#define TALLY_SLOT_H

#include <stddef.h>

#define TALLY_SLOT_COUNT 16384

unsigned tally_slot_crc16(const char *buf, size_t len);
/* The tag is the bytes between the first '{' and the first '}' after it, when not empty;
 * otherwise (no '{', no '}' after it, or "{}") the whole key is hashed. */
unsigned tally_slot_of(const char *key, size_t len);

#endif
