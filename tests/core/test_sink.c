/* Plain-C tests of how a batch reaches a driver's upsert (sql/tally_sink.c): chunks of
 * TALLY_SINK_CHUNK rows, a last chunk a few rows short padded to TALLY_SINK_CHUNK with its
 * last row repeated at delta 0 (so that the driver's one prepared full-size statement serves
 * it), a shorter one left as it is; whatever the cut, every counter gets exactly its delta.
 * A fake driver records the chunks and adds the deltas per counter as an upsert would.
 * Prints "not ok" lines and a closing "N passed, N failed". */
#include "sql/tally_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("not ok: "); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

#define MAX_ROWS 5000
#define MAX_CALLS 16

/* What the fake driver saw: each upsert's size, each counter's sum (counters are numbered
 * by their key, "k<i>"), and how often a counter came with a non-zero delta. */
static size_t calls[MAX_CALLS], ncalls;
static long long sums[MAX_ROWS];
static int nonzero[MAX_ROWS], begun, committed, rolled_back;

static tally_code fake_begin(tally_sink *s, tally_error *err)
{
    (void)s;
    (void)err;
    begun++;
    return TALLY_OK;
}

static tally_code fake_upsert(tally_sink *s, const tally_fence *f, const tally_row *rows, size_t n, tally_error *err)
{
    (void)s;
    (void)f;
    (void)err;
    if (ncalls < MAX_CALLS) calls[ncalls] = n;
    ncalls++;
    for (size_t i = 0; i < n; i++) {
        int k = atoi(rows[i].key + 1);
        sums[k] += rows[i].delta;
        nonzero[k] += rows[i].delta != 0;
    }
    return TALLY_OK;
}

static tally_code fake_commit(tally_sink *s, tally_error *err)
{
    (void)s;
    (void)err;
    committed++;
    return TALLY_OK;
}

static void fake_rollback(tally_sink *s)
{
    (void)s;
    rolled_back++;
}

static const tally_sql_tx fake_tx = {
    .begin = fake_begin, .locked_fence = NULL, .upsert = fake_upsert, .commit = fake_commit, .rollback = fake_rollback,
};

static char keys[MAX_ROWS][24];
static tally_row rows[MAX_ROWS];

/* A batch of n counters k0..k<n-1>, counter i with delta i + 1; the chunk sizes the driver
 * must get, 0-terminated. */
static void batch(size_t n, const size_t *want)
{
    tally_error err;
    size_t nwant = 0;
    int exact = 1, once = 1;
    tally_code rc;

    memset(sums, 0, sizeof(sums));
    memset(nonzero, 0, sizeof(nonzero));
    ncalls = 0;
    begun = committed = rolled_back = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
        rows[i] = (tally_row){.type = "T", .type_len = 1, .id = "1", .id_len = 1, .key = keys[i],
                              .key_len = strlen(keys[i]), .delta = (long long)i + 1, .seq = 7};
    }
    rc = tally_sink_write_fenced(NULL, &fake_tx, "run", 3, 1, rows, n, 1, &err);
    CHECK(rc == TALLY_OK, "%zu rows: written", n);
    CHECK(begun == 1 && committed == 1 && rolled_back == 0, "%zu rows: one transaction, committed", n);
    while (want[nwant]) nwant++;
    CHECK(ncalls == nwant, "%zu rows: %zu upserts, want %zu", n, ncalls, nwant);
    for (size_t c = 0; c < nwant && c < ncalls; c++) {
        CHECK(calls[c] == want[c], "%zu rows: upsert %zu has %zu rows, want %zu", n, c, calls[c], want[c]);
    }
    for (size_t i = 0; i < n; i++) {
        exact &= sums[i] == (long long)i + 1;
        once &= nonzero[i] == 1;
    }
    CHECK(exact, "%zu rows: every counter got exactly its delta", n);
    CHECK(once, "%zu rows: every counter came once with its delta (the repeats carry 0)", n);
}

static void padding(void)
{
    tally_row *out = malloc(TALLY_SINK_CHUNK * sizeof(*out));
    size_t n = TALLY_SINK_CHUNK - 3;
    int same = 1;
    for (size_t i = 0; i < n; i++) {
        rows[i] = (tally_row){.type = "T", .type_len = 1, .id = "9", .id_len = 1, .key = "x", .key_len = 1,
                              .delta = 5, .seq = 11, .period = TALLY_PERIOD_DAY, .period_start = 20000 + (int32_t)i};
    }
    CHECK(tally_sink_pad(rows, n, out) == TALLY_SINK_CHUNK, "pad: returns the chunk size");
    for (size_t i = 0; i < n; i++) same &= memcmp(&out[i], &rows[i], sizeof(*out)) == 0;
    CHECK(same, "pad: the rows come first, unchanged");
    for (size_t i = n; i < TALLY_SINK_CHUNK; i++) {
        CHECK(out[i].delta == 0 && out[i].seq == 11 && out[i].period == TALLY_PERIOD_DAY
                  && out[i].period_start == rows[n - 1].period_start && out[i].key == rows[n - 1].key,
              "pad: row %zu repeats the last row with delta 0", i);
    }
    free(out);
}

int main(void)
{
    const size_t c = TALLY_SINK_CHUNK, p = TALLY_SINK_CHUNK - TALLY_SINK_PAD_MAX;

    padding();
    batch(1, (const size_t[]){1, 0});
    batch(p - 1, (const size_t[]){p - 1, 0});      /* too short: a statement of its own size */
    batch(p, (const size_t[]){c, 0});              /* padded */
    batch(c - 10, (const size_t[]){c, 0});
    batch(c, (const size_t[]){c, 0});
    batch(c + 20, (const size_t[]){c, 20, 0});
    batch(2 * c - 10, (const size_t[]){c, c, 0});
    batch(3 * c, (const size_t[]){c, c, c, 0});
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
