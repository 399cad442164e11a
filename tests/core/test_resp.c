/* Plain-C tests of the RESP writer against hiredis's own formatter (redisFormatCommandArgv),
 * byte for byte, over word lengths on both sides of each digit count, and of the integer
 * reply parse. Prints "N passed, N failed". */
#include "redis/tally_resp.h"
#include "redis/tally_hiredis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("not ok: "); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

static void same_as_hiredis(int argc, const size_t *lens)
{
    const char *argv[16];
    char *words = malloc(200001), *ours, *end, *theirs = NULL;
    long long n;
    memset(words, 'w', 200001);
    for (int j = 0; j < argc; j++) argv[j] = words;
    ours = malloc(tally_resp_len(argc, lens));
    end = tally_resp_put(ours, argc, argv, lens);
    n = redisFormatCommandArgv(&theirs, argc, argv, lens);
    CHECK(n > 0 && (long long)(end - ours) == n && memcmp(ours, theirs, (size_t)n) == 0,
          "%d words, the first %zu bytes long: not hiredis's encoding", argc, lens[0]);
    CHECK((size_t)(end - ours) <= tally_resp_len(argc, lens), "tally_resp_len() is a bound (%d words)", argc);
    redisFreeCommand(theirs);
    free(ours);
    free(words);
}

int main(void)
{
    const size_t sizes[] = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 200001};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
        for (int argc = 1; argc <= 12; argc += 11) {
            size_t lens[16];
            for (int j = 0; j < argc; j++) lens[j] = sizes[(i + (size_t)j) % (sizeof(sizes) / sizeof(*sizes))];
            same_as_hiredis(argc, lens);
        }
    }
    {
        long long v = 0;
        CHECK(tally_resp_int_line(":42\r\n", 5, &v) == 5 && v == 42, "an integer reply");
        CHECK(tally_resp_int_line(":-9223372036854775808\r\n", 23, &v) == 23 && v == (-9223372036854775807LL - 1), "the least one");
        CHECK(tally_resp_int_line(":42\r", 4, &v) == 0 && tally_resp_int_line(":4", 2, &v) == 0, "incomplete lines wait");
        CHECK(tally_resp_int_line("+OK\r\n", 5, &v) == -1 && tally_resp_int_line(":4x\r\n", 5, &v) == -1, "not integers");
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
