/* Hostile signature bytes: each input sits in a heap block of exactly its
 * size, so a read one byte too far is an ASan failure, not luck. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vbsig/vbsig.h"

static int verify_exact(vbsig_ctx *ctx, const char *text, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, text, len);
    vbsig_report *r = NULL;
    int rc = vbsig_cades_verify(ctx, copy, len, (const uint8_t *)"x", 1, &r);
    vbsig_report_free(r);
    free(copy);
    return rc;
}

#define VERIFY_LITERAL(ctx, lit) verify_exact(ctx, lit, sizeof lit - 1)

/* Found by fuzz_cms_verify: PEM labels cut short at the end of the input. */
static void test_truncated_pem_labels(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(VERIFY_LITERAL(ctx, "\n-----BEGIN PKCS7--"), VBSIG_E_MALFORMED);
    assert_int_equal(VERIFY_LITERAL(ctx, "\n\n\n\n\t\t\t\t-----BEGIN C"), VBSIG_E_MALFORMED);
    assert_int_equal(VERIFY_LITERAL(ctx, "-----BEGIN "), VBSIG_E_MALFORMED);
    assert_int_equal(VERIFY_LITERAL(ctx, "-----BEGIN PKCS7-----"), VBSIG_E_MALFORMED);
    assert_int_equal(VERIFY_LITERAL(ctx, "-----BEGIN PKCS7-----\n"), VBSIG_E_MALFORMED);
    assert_int_equal(VERIFY_LITERAL(ctx, "-----BEGIN PKCS7-----\r\nMAA=\n-----END"), VBSIG_E_MALFORMED);
    assert_int_equal(VERIFY_LITERAL(ctx, "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"),
                     VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "not a PKCS7 or CMS"));
    /* Well-armoured but empty DER: still refused, by the DER layer. */
    assert_int_equal(VERIFY_LITERAL(ctx, "-----BEGIN CMS-----\nMAA=\n-----END CMS-----\n"), VBSIG_E_MALFORMED);
    vbsig_ctx_free(ctx);
}

static void test_size_limit(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_limit(ctx, VBSIG_LIMIT_DER_LENGTH, 8), VBSIG_OK);
    assert_int_equal(VERIFY_LITERAL(ctx, "\x30\x0a\x02\x01\x01\x02\x01\x01\x02\x01\x01\x00"), VBSIG_E_LIMIT);
    vbsig_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated_pem_labels),
        cmocka_unit_test(test_size_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
