/* Every public function of the bridge called with NULL in each pointer
 * argument it requires: VBSIG_E_INVALID_ARG and a message naming the
 * argument, never a crash (the suite runs under ASan too). Frees and _init
 * accept NULL quietly. Arguments the header documents as optional (ctx,
 * module, uri of a listing, pin_source) are not passed NULL here; the
 * listing and signer tests use them so. The ctest abi/null_args_cover
 * checks that every exported symbol appears below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <vbsig/pkcs11.h>
#include <vbsig/signer.h>
#include <vbsig/status.h>

#include "expect_null_arg.h"


static void test_signer_from_pkcs11(void **state)
{
    (void)state;
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    vbsig_pkcs11_opts_init(NULL);
    assert_int_equal(o.version, 1);
    vbsig_signer *s = (vbsig_signer *)&o; /* must be reset to NULL on failure */
    EXPECT_NULL_ARG(vbsig_signer_from_pkcs11(NULL, NULL, "pkcs11:token=x", &o), "out");
    EXPECT_NULL_ARG(vbsig_signer_from_pkcs11(&s, NULL, NULL, &o), "uri");
    EXPECT_NULL_ARG(vbsig_signer_from_pkcs11(&s, NULL, "pkcs11:token=x", NULL), "opts");
    o.version = 99;
    assert_int_equal(vbsig_signer_from_pkcs11(&s, NULL, "pkcs11:token=x", &o), VBSIG_E_INVALID_ARG);
    assert_null(s);
}

static void test_listings(void **state)
{
    (void)state;
    vbsig_pkcs11_token *tokens = NULL;
    vbsig_pkcs11_object *objects = NULL;
    size_t n = 7;
    EXPECT_NULL_ARG(vbsig_pkcs11_list_tokens(NULL, NULL, NULL, &n), "out");
    EXPECT_NULL_ARG(vbsig_pkcs11_list_tokens(NULL, NULL, &tokens, NULL), "count");
    EXPECT_NULL_ARG(vbsig_pkcs11_list_objects(NULL, NULL, NULL, NULL, NULL, &n), "out");
    EXPECT_NULL_ARG(vbsig_pkcs11_list_objects(NULL, NULL, NULL, NULL, &objects, NULL), "count");
    assert_null(tokens);
    assert_null(objects);
    vbsig_pkcs11_tokens_free(NULL, 0);
    vbsig_pkcs11_tokens_free(NULL, 3);
    vbsig_pkcs11_objects_free(NULL, 0);
    vbsig_pkcs11_objects_free(NULL, 3);
}

static void test_watch_readers(void **state)
{
    (void)state;
    EXPECT_NULL_ARG(vbsig_pkcs11_watch_readers(NULL, NULL, 1), "cb");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signer_from_pkcs11),
        cmocka_unit_test(test_listings),
        cmocka_unit_test(test_watch_readers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
