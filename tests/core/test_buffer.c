/* Plain-C tests of the increment buffer's bookkeeping (no PHP, no server): coalescing,
 * all-or-nothing overflow, tables growing past thousands of counters, whole-owner merges,
 * discarding one counter or an owner, and a forked child that never sees (so never sends)
 * the parent's entries. Run under ASan: every entry is freed. Prints "N passed, N failed". */
#include "tally_buffer.h"
#include "tally_key.h"
#include "util/tally_proc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("not ok: "); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

typedef struct {
    char key[TALLY_OWNER_KEY_BUFSIZE];
    size_t len;
    tally_owner o;
    char id[24];
} owner;

static void make_owner(owner *w, long id)
{
    tally_error err;
    w->o.type = "App\\User";
    w->o.type_len = 8;
    w->o.id_len = (size_t)snprintf(w->id, sizeof(w->id), "%ld", id);
    w->o.id = w->id;
    tally_key_owner("p:", 2, w->o.type, w->o.type_len, w->o.id, w->o.id_len, w->key, &w->len, &err);
}

static long long get(tally_buffer *b, const owner *w, const char *key)
{
    return tally_buffer_get(b, w->key, w->len, key, strlen(key));
}

static long long add(tally_buffer *b, const owner *w, const char *key, long long d, tally_code *rc)
{
    long long total = 0;
    tally_error err;
    *rc = tally_buffer_add(b, w->key, w->len, &w->o, key, strlen(key), d, &total, &err);
    return total;
}

typedef struct {
    int n;
    unsigned long long sum;   /* unsigned: sums near LLONG_MAX wrap instead of overflowing */
} seen;

static int collect(void *ud, const char *key, size_t len, long long v)
{
    seen *s = ud;
    (void)key;
    (void)len;
    s->n++;
    s->sum += (unsigned long long)v;
    return 0;
}

static int is_x(void *ud, const char *field, size_t len)
{
    (void)ud;
    return len == 1 && field[0] == 'x';
}

int main(void)
{
    tally_buffer *registry = NULL, *b, *b2, *other;
    tally_error err;
    tally_code rc;
    owner a, c;
    char k[32];
    long long totals[2];
    const char *keys[2];
    size_t lens[2] = {1, 0};
    long long deltas[2] = {1, 2};
    seen s = {0, 0};

    tally_proc_init();
    make_owner(&a, 1);
    make_owner(&c, 2);

    /* One buffer per (connection, prefix): a second open shares it. */
    CHECK(tally_buffer_open(&registry, NULL, "p:", 2, &b, &err) == TALLY_OK, "open");
    CHECK(tally_buffer_open(&registry, NULL, "p:", 2, &b2, &err) == TALLY_OK && b2 == b, "shared");
    CHECK(tally_buffer_open(&registry, NULL, "q:", 2, &other, &err) == TALLY_OK && other != b, "per prefix");
    CHECK(tally_buffer_refs(b) == 3, "refs: registry + 2 holders, got %u", tally_buffer_refs(b));

    /* Coalescing. */
    CHECK(add(b, &a, "views", 1, &rc) == 1 && rc == TALLY_OK, "first add");
    CHECK(add(b2, &a, "views", 4, &rc) == 5, "coalesced");
    CHECK(add(b, &c, "views", -2, &rc) == -2, "other owner");
    CHECK(tally_buffer_size(b) == 2, "2 counters, got %zu", tally_buffer_size(b));
    CHECK(get(b, &a, "views") == 5 && get(b, &a, "nope") == 0 && get(other, &a, "views") == 0, "get");

    /* Overflow: refused, nothing changes; add_many is all or nothing. */
    add(b, &a, "big", LLONG_MAX - 1, &rc);
    add(b, &a, "big", 2, &rc);
    CHECK(rc == TALLY_ERR_OVERFLOW && get(b, &a, "big") == LLONG_MAX - 1, "overflow refused");
    keys[0] = "x";
    keys[1] = "big";
    lens[1] = 3;
    CHECK(tally_buffer_add_many(b, a.key, a.len, &a.o, 2, keys, lens, deltas, totals, &err) == TALLY_ERR_OVERFLOW
          && get(b, &a, "x") == 0, "add_many all or nothing");
    deltas[1] = -1;
    CHECK(tally_buffer_add_many(b, a.key, a.len, &a.o, 2, keys, lens, deltas, totals, &err) == TALLY_OK
          && totals[0] == 1 && totals[1] == LLONG_MAX - 2, "add_many");

    /* Whole-owner reads: merged keys are skipped by rest(), which then clears the marks. */
    CHECK(tally_buffer_merge(b, a.key, a.len, "views", 5) == 5, "merge");
    tally_buffer_rest(b, a.key, a.len, collect, &s);
    CHECK(s.n == 2 && s.sum == (unsigned long long)LLONG_MAX - 1, "rest skips merged: %d", s.n);
    s.n = 0;
    s.sum = 0;
    tally_buffer_rest(b, a.key, a.len, collect, &s);
    CHECK(s.n == 3, "marks cleared: %d", s.n);

    /* Discard one counter, then a whole owner. */
    tally_buffer_discard(b, a.key, a.len, is_x, NULL);
    CHECK(get(b, &a, "x") == 0 && get(b, &a, "views") == 5 && tally_buffer_size(b) == 3, "discard one");
    tally_buffer_discard(b, a.key, a.len, NULL, NULL);
    CHECK(get(b, &a, "views") == 0 && get(b, &c, "views") == -2 && tally_buffer_size(b) == 1, "discard owner");
    CHECK(add(b, &a, "views", 7, &rc) == 7, "owner re-added after discard");

    /* Thousands of counters over hundreds of owners: the tables grow, nothing is lost. */
    for (int i = 0; i < 300; i++) {
        owner w;
        make_owner(&w, 1000 + i);
        for (int j = 0; j < 20; j++) {
            snprintf(k, sizeof(k), "k%d", j);
            add(b, &w, k, i + j, &rc);
            add(b, &w, k, 1, &rc);
        }
    }
    {
        int ok = 1;
        for (int i = 0; i < 300 && ok; i++) {
            owner w;
            make_owner(&w, 1000 + i);
            for (int j = 0; j < 20 && ok; j++) {
                snprintf(k, sizeof(k), "k%d", j);
                ok = get(b, &w, k) == i + j + 1;
            }
        }
        CHECK(ok && tally_buffer_size(b) == 2 + 6000, "6000 counters kept, size %zu", tally_buffer_size(b));
    }

    /* A forked child sees none of the parent's entries; the parent keeps them. */
    fflush(stdout);
    {
        pid_t pid = fork();
        if (pid == 0) {
            int bad = tally_buffer_size(b) != 0 || get(b, &a, "views") != 0;
            add(b, &a, "child", 1, &rc);
            bad |= tally_buffer_size(b) != 1;
            _exit(bad);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child saw the parent's entries");
        CHECK(get(b, &a, "views") == 7 && tally_buffer_size(b) == 6002, "parent keeps its entries");
    }

    tally_buffer_release(b2);
    tally_buffer_release(b);
    tally_buffer_release(other);
    CHECK(tally_buffer_refs(registry) == 1, "registry holds the last reference");
    tally_buffer_close_all(&registry);
    CHECK(registry == NULL, "closed");

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
