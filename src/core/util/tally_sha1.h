/* SHA-1 of a buffer, as the hex digest Redis uses to name a cached Lua script.
 *
 *   tally_sha1_hex()  40 lower-case hex digits + NUL into out[41]
 */
#ifndef TALLY_SHA1_H
#define TALLY_SHA1_H

#include <stddef.h>

void tally_sha1_hex(const char *data, size_t len, char out[41]);

#endif
