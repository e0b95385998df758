/* One pass for several signatures (cms_prefix_memo.c): digests over a
 * prefix plus a second range must equal the digest computed alone, for
 * prefixes asked in order, repeated, out of order (the memo declines and
 * the range is hashed on its own), under two algorithms at once, and for
 * prefixes crossing the 8 MiB chunk size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "cms/cms.h"

#define DATA_LEN ((size_t)20 << 20)

static void digest_alone(const EVP_MD *md, const uint8_t *d, size_t a, size_t b, size_t c, uint8_t *out)
{
    vbsig_cms_range r[2] = {{d, a, 0, NULL}, {d + b, c, 0, NULL}};
    unsigned len = 0;
    assert_int_equal(vbsig_cms_digest_ranges(md, r, 2, out, &len), 0);
}

static void digest_memo(vbsig_prefix_memo *m, const EVP_MD *md, const uint8_t *d, size_t a, size_t b, size_t c,
                        uint8_t *out)
{
    vbsig_cms_range r[2] = {{d, a, 0, m}, {d + b, c, 0, NULL}};
    unsigned len = 0;
    assert_int_equal(vbsig_cms_digest_ranges(md, r, 2, out, &len), 0);
}

static void test_prefixes(void **state)
{
    (void)state;
    uint8_t *d = malloc(DATA_LEN);
    assert_non_null(d);
    for (size_t i = 0; i < DATA_LEN; i++)
        d[i] = (uint8_t)(i * 2654435761u >> 13);
    vbsig_prefix_memo *m = vbsig_prefix_memo_new(d, DATA_LEN, 0);
    assert_non_null(m);
    /* (first range end, second range start, second range length) */
    static const size_t cases[][3] = {
        {1000, 1200, 300},                      /* a small first revision */
        {1000, 1200, 300},                      /* the same prefix again */
        {9u << 20, (9u << 20) + 64, 4096},      /* past one chunk */
        {5000, 6000, 100},                      /* shorter than hashed: hashed alone */
        {(19u << 20), (19u << 20) + 10, 1000},  /* far ahead */
        {DATA_LEN - 100, DATA_LEN - 50, 50},    /* up to the end */
    };
    const EVP_MD *mds[2] = {EVP_sha256(), EVP_sha384()};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int k = 0; k < 2; k++) {
            uint8_t want[64], got[64];
            digest_alone(mds[k], d, cases[i][0], cases[i][1], cases[i][2], want);
            digest_memo(m, mds[k], d, cases[i][0], cases[i][1], cases[i][2], got);
            assert_memory_equal(want, got, (size_t)EVP_MD_get_size(mds[k]));
        }
    }
    /* A range that does not start at the memo's file is never served. */
    assert_null(vbsig_prefix_memo_fork(m, EVP_sha256(), d + 1, 10));
    assert_null(vbsig_prefix_memo_fork(m, EVP_sha256(), d, DATA_LEN + 1));
    vbsig_prefix_memo_free(m);
    vbsig_prefix_memo_free(NULL);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_prefixes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
