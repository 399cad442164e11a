/* Growing a malloc'd array: the one helper the engine's lists share.
 *
 *   tally_grow()  make room for `need` elements of `size` bytes in *p (capacity in *cap)
 */
#ifndef TALLY_GROW_H
#define TALLY_GROW_H

#include <stdlib.h>

/* Returns 0, or -1 when out of memory (*p is then unchanged). */
static inline int tally_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c;
    void *q;
    if (need <= *cap) return 0;
    c = *cap ? *cap * 2 : 64;
    while (c < need) c *= 2;
    if (!(q = realloc(*p, c * size))) return -1;
    *p = q;
    *cap = c;
    return 0;
}

#endif
