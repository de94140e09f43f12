/* The Lua state's small-block pool (common/pool.c). */
#include "testutil.h"

#include <stdint.h>

#include "../common/pool.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

/* Blocks of every size keep what was written to them, are 16-aligned (Lua
 * stores doubles and 64-bit integers in them), and do not overlap. */
static void blocks_hold_their_bytes(void **state) {
    (void)state;
    dr_pool *p = dr_pool_new();
    assert_non_null(p);
    enum { N = 2000 };
    unsigned char *b[N];
    size_t n[N];
    for (int i = 0; i < N; i++) {
        n[i] = 1 + (size_t)(i * 7) % (DR_POOL_MAX + 300);
        b[i] = dr_pool_alloc(p, n[i]);
        assert_non_null(b[i]);
        assert_int_equal((uintptr_t)b[i] % 16, 0);
        memset(b[i], i & 0xff, n[i]);
    }
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < n[i]; k++)
            if (b[i][k] != (i & 0xff)) fail_msg("block %d byte %zu overwritten", i, k);
    for (int i = 0; i < N; i++) dr_pool_release(p, b[i], n[i]);
    dr_pool_free(p);
}

/* Resizing keeps the contents up to the smaller size, within a class,
 * across classes and to and from malloc's sizes. */
static void resize_keeps_contents(void **state) {
    (void)state;
    dr_pool *p = dr_pool_new();
    static const size_t steps[] = {1, 8, 16, 17, 100, 256, 257, 4000, 300, 40, 3};
    unsigned char *b = dr_pool_alloc(p, steps[0]);
    b[0] = 'x';
    size_t cur = steps[0];
    for (size_t s = 1; s < sizeof steps / sizeof *steps; s++) {
        size_t next = steps[s];
        unsigned char *q = dr_pool_resize(p, b, cur, next);
        assert_non_null(q);
        size_t keep = cur < next ? cur : next;
        for (size_t k = 0; k < keep; k++)
            if (q[k] != (unsigned char)('x' + k % 7)) fail_msg("byte %zu lost resizing %zu to %zu", k, cur, next);
        for (size_t k = keep; k < next; k++) q[k] = (unsigned char)('x' + k % 7);
        for (size_t k = 0; k < keep; k++) q[k] = (unsigned char)('x' + k % 7);
        b = q;
        cur = next;
    }
    dr_pool_release(p, b, cur);
    dr_pool_free(p);
}

/* What is released is reused: a steady churn, like a batch of decisions,
 * takes no more slabs after the first round. */
static void churn_reuses_memory(void **state) {
    (void)state;
    dr_pool *p = dr_pool_new();
    void *b[500];
    size_t after_first = 0;
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 500; i++) b[i] = dr_pool_alloc(p, 8 + (size_t)i % 240);
        for (int i = 0; i < 500; i++) dr_pool_release(p, b[i], 8 + (size_t)i % 240);
        if (round == 0) after_first = dr_pool_slab_bytes(p);
    }
    assert_true(after_first > 0);
    assert_int_equal(dr_pool_slab_bytes(p), after_first);
    /* A released block is the next one of its size handed out. */
    void *x = dr_pool_alloc(p, 40);
    dr_pool_release(p, x, 40);
#if defined(__SANITIZE_ADDRESS__)
    /* ...and until then, touching it is a use after free to ASan. */
    assert_true(__asan_address_is_poisoned(x));
#endif
    assert_ptr_equal(dr_pool_alloc(p, 33), x);
    dr_pool_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_hold_their_bytes),
        cmocka_unit_test(resize_keeps_contents),
        cmocka_unit_test(churn_reuses_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
