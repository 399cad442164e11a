/* The sync engine's claim queues: see tally_claims.h. */
#include "sync/tally_claims.h"
#include "util/tally_grow.h"
#include "redis/tally_reply.h"

#include <stdlib.h>
#include <string.h>

void tally_claims_clear(tally_claims *q)
{
    for (size_t i = 0; i < q->nclaims; i++) {
        tally_owner_keys_free(&q->claims[i].owner);
        if (q->claims[i].reply) tally_reply_free(q->claims[i].reply);
    }
    q->nclaims = q->nrows = 0;
}

void tally_claims_free(tally_claims *q)
{
    tally_claims_clear(q);
    free(q->claims);
    free(q->rows);
    memset(q, 0, sizeof(*q));
}

tally_code tally_claims_move(tally_error *err, tally_claims *src, size_t k, tally_claims *dst, int keep_rows)
{
    size_t r = 0;
    for (size_t i = 0; i < k; i++) r += src->claims[i].nrows;
    if (tally_grow((void **)&dst->claims, &dst->cap_claims, dst->nclaims + k, sizeof(*dst->claims))
        || (keep_rows && tally_grow((void **)&dst->rows, &dst->cap_rows, dst->nrows + r, sizeof(*dst->rows)))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a batch");
    }
    memcpy(dst->claims + dst->nclaims, src->claims, k * sizeof(*src->claims));
    if (keep_rows) {
        memcpy(dst->rows + dst->nrows, src->rows, r * sizeof(*src->rows));
        dst->nrows += r;
    } else {
        for (size_t i = 0; i < k; i++) dst->claims[dst->nclaims + i].nrows = 0;
    }
    dst->nclaims += k;
    memmove(src->claims, src->claims + k, (src->nclaims - k) * sizeof(*src->claims));
    memmove(src->rows, src->rows + r, (src->nrows - r) * sizeof(*src->rows));
    src->nclaims -= k;
    src->nrows -= r;
    return TALLY_OK;
}
