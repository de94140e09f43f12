/* Small-object allocator: free lists by size class, carved from slabs.
 *
 * A Lua state allocates and frees some thirty small blocks per decision
 * (tables, their parts, strings); through malloc that was a tenth of the
 * decision's cost. Lua tells the allocator each block's size when it frees
 * or resizes it, so the pool needs no header per block. Memory taken for a
 * size class stays with the pool until it is freed, so what it holds is
 * bounded by the peak of what was live. One pool per owner, no locks. */
#ifndef DR_POOL_H
#define DR_POOL_H

#include <stddef.h>

typedef struct dr_pool dr_pool;

/* Blocks above this go to malloc directly. */
#define DR_POOL_MAX 256

dr_pool *dr_pool_new(void);
void dr_pool_free(dr_pool *p); /* every block, at once */
/* NULL when out of memory. n > 0. */
void *dr_pool_alloc(dr_pool *p, size_t n);
/* n is the size the block was asked with (or last resized to). */
void dr_pool_release(dr_pool *p, void *block, size_t n);
/* realloc's contract with known old size; on failure block is untouched.
 * Shrinking never fails. */
void *dr_pool_resize(dr_pool *p, void *block, size_t old, size_t n);
/* Bytes taken from malloc for slabs, for tests and figures. */
size_t dr_pool_slab_bytes(const dr_pool *p);

#endif
