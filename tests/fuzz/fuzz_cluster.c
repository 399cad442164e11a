/* libFuzzer target: what a Redis Cluster client reads from its servers and its options.
 *
 * Input: one byte choosing what the rest is, then bytes:
 *   0  a CLUSTER SLOTS reply (RESP, read with Tally's reply builder) for
 *      tally_cluster_apply_slots(): accepted, every slot maps to no node or to a known node
 *      with a host and a port of 1-65535, and each range's master owns its slots; refused,
 *      the map is as it was
 *   1  the rest of a "MOVED " / "ASK " error for tally_cluster_redirect_target(): a target
 *      is a known node and its slot is in range; the same redirect names the same node
 *   2  a seed list for tally_cluster_check_seeds(): accepted, tally_cluster_new() takes it
 *      and knows at least one node
 * Nothing here connects: nodes are only remembered until a command needs them. */
#include "redis/tally_cluster_int.h"
#include "redis/tally_reply.h"
#include "fuzz_resp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); abort(); } while (0)

static tally_cluster *cluster(const char *seeds)
{
    tally_conn_opts o;
    memset(&o, 0, sizeof(o));
    o.cluster = seeds;
    o.connect_timeout = 1.0;
    o.read_timeout = 1.0;
    return tally_cluster_new(&o);
}

static void check_nodes(const tally_cluster *cl)
{
    for (size_t i = 0; i < cl->n_nodes; i++) {
        if (!cl->nodes[i].host || cl->nodes[i].port < 1 || cl->nodes[i].port > 65535) {
            FAIL("node %zu is %s:%ld", i, cl->nodes[i].host ? cl->nodes[i].host : "(null)", cl->nodes[i].port);
        }
    }
}

static void slots(const uint8_t *d, size_t n)
{
    redisContext ctx;
    void *reply = NULL;
    tally_cluster *cl = cluster("127.0.0.1:7000");
    tally_error err;
    short before[TALLY_SLOT_COUNT];
    if (!cl) abort();
    memset(&ctx, 0, sizeof(ctx));
    if (!(ctx.reader = redisReaderCreate())) abort();
    tally_reply_install(&ctx);
    if (redisReaderFeed(ctx.reader, (const char *)d, n) == REDIS_OK && redisReaderGetReply(ctx.reader, &reply) == REDIS_OK
        && reply) {
        const redisReply *r = reply;
        memcpy(before, cl->slots, sizeof(before));
        if (tally_cluster_apply_slots(cl, 0, r, &err) == TALLY_OK) {
            check_nodes(cl);
            for (int s = 0; s < TALLY_SLOT_COUNT; s++) {
                if (cl->slots[s] < -1 || cl->slots[s] >= (int)cl->n_nodes) FAIL("slot %d maps to node %d", s, cl->slots[s]);
            }
            /* the last range owns its slots (an earlier one may overlap it) */
            {
                const redisReply *e = r->element[r->elements - 1];
                for (long long t = e->element[0]->integer; t <= e->element[1]->integer; t++) {
                    int idx = cl->slots[t];
                    if (idx < 0 || cl->nodes[idx].port != e->element[2]->element[1]->integer) FAIL("slot %lld's master", t);
                }
            }
        } else if (memcmp(before, cl->slots, sizeof(before)) != 0 || err.msg[0] == '\0') {
            FAIL("a refused slot map changed the map or gave no message");
        }
        tally_reply_free(reply);
    }
    redisReaderFree(ctx.reader);
    tally_cluster_free(cl);
}

static void redirect(const uint8_t *d, size_t n)
{
    tally_cluster *cl = cluster("127.0.0.1:7000");
    char *s = malloc(n + 7);
    redisReply r;
    int slot = -1, a, b, slot2 = -1;
    if (!cl || !s) abort();
    memcpy(s, "MOVED ", 6);
    memcpy(s + 6, d, n);
    s[n + 6] = '\0';
    memset(&r, 0, sizeof(r));
    r.type = REDIS_REPLY_ERROR;
    r.str = s;
    r.len = strlen(s);   /* a reply's string ends at its length, and Redis's have no NUL */
    a = tally_cluster_redirect_target(cl, &r, &slot);
    if (a >= 0) {
        check_nodes(cl);
        if (a >= (int)cl->n_nodes || slot < 0 || slot >= TALLY_SLOT_COUNT) FAIL("redirect to node %d, slot %d", a, slot);
        b = tally_cluster_redirect_target(cl, &r, &slot2);
        if (b != a || slot2 != slot) FAIL("the same redirect names node %d, then %d", a, b);
    }
    free(s);
    tally_cluster_free(cl);
}

static void seeds(const uint8_t *d, size_t n)
{
    char *s = malloc(n + 1);
    tally_error err;
    if (!s) abort();
    memcpy(s, d, n);
    s[n] = '\0';
    if (tally_cluster_check_seeds(s, &err) == TALLY_OK) {
        tally_cluster *cl = cluster(s);
        if (!cl || cl->n_nodes == 0) FAIL("seeds '%s' are accepted but give no node", s);
        check_nodes(cl);
        tally_cluster_free(cl);
    } else if (err.msg[0] == '\0') {
        FAIL("seeds refused without a message");
    }
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || fuzz_resp_asks_too_much(data + 1, size - 1)) return 0;
    switch (data[0] % 3) {
    case 0: slots(data + 1, size - 1); break;
    case 1: redirect(data + 1, size - 1); break;
    default: seeds(data + 1, size - 1); break;
    }
    return 0;
}
