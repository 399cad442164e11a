/* The fence check of a sync run: see tally_fence.h. */
#include "sync/tally_fence.h"
#include "redis/tally_reply.h"
#include "redis/tally_script.h"
#include "tally_key.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    char key[TALLY_PREFIX_MAX + 16];
    size_t key_len;
    char fence[24];
    size_t fence_len;
} memory;

static void memory_init(memory *m, const char *prefix, size_t prefix_len, long long fence)
{
    memcpy(m->key, prefix, prefix_len);
    memcpy(m->key + prefix_len, "{}:sync:fence", 14);
    m->key_len = prefix_len + 13;
    m->fence_len = (size_t)snprintf(m->fence, sizeof(m->fence), "%lld", fence);
}

tally_code tally_fence_accept(tally_conn *conn, const char *prefix, size_t prefix_len, long long fence,
                              int remember, tally_error *err)
{
    memory m;
    const char *argv[2];
    size_t lens[2];
    redisReply *r = NULL;
    long long last = 0;
    tally_code rc;

    if (fence < 1 || fence > TALLY_FENCE_MAX) {
        return tally_error_set(err, TALLY_ERR_DATABASE,
                               "the sink gave the sync run fence %lld: a fence must be between 1 and %lld "
                               "(nothing was claimed)", fence, TALLY_FENCE_MAX);
    }
    if (!remember) return TALLY_OK;
    memory_init(&m, prefix, prefix_len, fence);
    argv[0] = m.key;
    lens[0] = m.key_len;
    argv[1] = m.fence;
    lens[1] = m.fence_len;
    if ((rc = tally_script_run(conn, TALLY_SCRIPT_FENCE_RAISE, 1, 2, argv, lens, &r, err))) return rc;
    if ((rc = tally_reply_int(r, "checking the sync fence", &last, err)) == TALLY_OK && last != 0) {
        rc = tally_error_set(err, TALLY_ERR_DATABASE,
                             "the sink gave the sync run fence %lld, not above %lld, the fence of an earlier run "
                             "of this prefix: a sink's fence must rise with every run (nothing was claimed)",
                             fence, last);
    }
    tally_reply_free(r);
    return rc;
}

void tally_fence_forget(tally_conn *conn, const char *prefix, size_t prefix_len, long long fence)
{
    memory m;
    const char *argv[2];
    size_t lens[2];
    redisReply *r = NULL;
    tally_error ignored;

    memory_init(&m, prefix, prefix_len, fence);
    argv[0] = m.key;
    lens[0] = m.key_len;
    argv[1] = m.fence;
    lens[1] = m.fence_len;
    /* Best effort: a memory left behind only holds the next run to a higher fence. */
    if (tally_script_run(conn, TALLY_SCRIPT_DEL_IF_EQUAL, 1, 2, argv, lens, &r, &ignored) == TALLY_OK) {
        tally_reply_free(r);
    }
}
