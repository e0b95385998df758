/* Listing tokens and objects (through libp11 when the module is free,
 * directly when a signer of ours has it open) against a real SoftHSM2
 * token, and a signer that keeps working while listings come and go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vbsig/pkcs11.h>
#include <vbsig/status.h>

#include "p11_test_token.h"

static const char *g_module;

static int setup(void **state)
{
    (void)state;
    g_module = p11_test_token("listing");
    return g_module != NULL ? 0 : -1;
}

static const vbsig_pkcs11_token *find_token(const vbsig_pkcs11_token *list, size_t n, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].label != NULL && strcmp(list[i].label, label) == 0)
            return &list[i];
    return NULL;
}

static void check_tokens(void)
{
    vbsig_pkcs11_token *list = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pkcs11_list_tokens(NULL, g_module, &list, &n), VBSIG_OK);
    const vbsig_pkcs11_token *t = find_token(list, n, "vbsig-test");
    assert_non_null(t);
    assert_true(t->token_present);
    assert_true(t->initialized);
    assert_true(t->login_required);
    assert_false(t->pin_locked);
    assert_false(t->pin_pad);
    assert_string_equal(t->model, "SoftHSM v2");
    assert_string_equal(t->manufacturer, "SoftHSM project");
    assert_non_null(strstr(t->slot_description, "SoftHSM slot"));
    assert_non_null(strstr(t->uri, "pkcs11:token=vbsig-test;manufacturer=SoftHSM%20project;serial="));
    /* SoftHSM2 always offers one more slot with a token that is not initialised. */
    size_t uninitialised = 0;
    for (size_t i = 0; i < n; i++)
        uninitialised += list[i].token_present && !list[i].initialized;
    assert_int_equal(uninitialised, 1);
    vbsig_pkcs11_tokens_free(list, n);
}

static size_t count_kind(const vbsig_pkcs11_object *list, size_t n, const char *kind)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += strcmp(list[i].kind, kind) == 0;
    return k;
}

static const vbsig_pkcs11_object *find_object(const vbsig_pkcs11_object *list, size_t n, const char *kind,
                                              const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].kind, kind) == 0 && strcmp(list[i].label, label) == 0)
            return &list[i];
    return NULL;
}

static void check_objects(const char *pin_source, size_t want_private)
{
    vbsig_pkcs11_object *list = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pkcs11_list_objects(NULL, g_module, "pkcs11:token=vbsig-test", pin_source, &list, &n), VBSIG_OK);
    assert_int_equal(count_kind(list, n, "cert"), 4);
    assert_int_equal(count_kind(list, n, "public"), 4);
    assert_int_equal(count_kind(list, n, "private"), want_private);
    const vbsig_pkcs11_object *c = find_object(list, n, "cert", "rsa2048");
    assert_non_null(c);
    assert_string_equal(c->id_hex, "01");
    assert_string_equal(c->uri, "pkcs11:token=vbsig-test;id=%01;object=rsa2048;type=cert");
    assert_non_null(strstr(c->subject, "CN=Nguyễn Văn An"));
    assert_null(c->key_type);
    const vbsig_pkcs11_object *p = find_object(list, n, "public", "ecp256");
    assert_non_null(p);
    assert_string_equal(p->key_type, "EC");
    assert_null(p->subject);
    if (want_private > 0) {
        const vbsig_pkcs11_object *k = find_object(list, n, "private", "rsa3072");
        assert_non_null(k);
        assert_string_equal(k->key_type, "RSA");
        assert_string_equal(k->uri, "pkcs11:token=vbsig-test;id=%02;object=rsa3072;type=private");
    }
    vbsig_pkcs11_objects_free(list, n);
}

static void test_tokens(void **state)
{
    (void)state;
    check_tokens();
}

static void test_objects_without_login(void **state)
{
    (void)state;
    check_objects(NULL, 0);
}

static void test_objects_with_login(void **state)
{
    (void)state;
    check_objects("pass:1234", 4);
}

static void test_objects_filtered(void **state)
{
    (void)state;
    vbsig_pkcs11_object *list = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pkcs11_list_objects(NULL, g_module, "pkcs11:token=nope", NULL, &list, &n), VBSIG_OK);
    assert_int_equal(n, 0);
    vbsig_pkcs11_objects_free(list, n);
    assert_int_equal(vbsig_pkcs11_list_objects(NULL, g_module, "pkcs11:model=SoftHSM%20v2;token=vbsig-test", NULL, &list, &n),
                     VBSIG_OK);
    assert_int_equal(n, 8);
    vbsig_pkcs11_objects_free(list, n);
    assert_int_equal(vbsig_pkcs11_list_objects(NULL, g_module, "pkcs11:token=vbsig-test;serial=0000", NULL, &list, &n),
                     VBSIG_OK);
    assert_int_equal(n, 0);
    vbsig_pkcs11_objects_free(list, n);
}

static int sign_once(vbsig_signer *s)
{
    uint8_t digest[32] = {1, 2, 3};
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, sizeof digest};
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t len = sizeof sig;
    return vbsig_signer_sign_digest(s, &req, sig, &len);
}

/* libp11 0.4.12 closes every session of the process on a slot when it
 * releases its slots, and finalises the module when it unloads: a listing
 * beside a live signer must not cost the signer its sessions or its login.
 * (The signer's pass: PIN is wiped after the login, so it could not log in
 * again without a terminal: a lost login fails the second signature.) */
static void test_listing_beside_a_signer(void **state)
{
    (void)state;
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = g_module;
    o.pin_source = "pass:1234";
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs11(&s, NULL, "pkcs11:token=vbsig-test;object=rsa2048;type=private", &o),
                     VBSIG_OK);
    assert_int_equal(sign_once(s), VBSIG_OK);
    check_tokens();
    check_objects(NULL, 4); /* the signer's login shows the private keys */
    check_objects("pass:1234", 4);
    assert_int_equal(sign_once(s), VBSIG_OK);
    vbsig_signer_free(s);
    /* The module is free again: listing works as before, the login gone. */
    check_objects(NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_objects_without_login),
        cmocka_unit_test(test_objects_with_login),
        cmocka_unit_test(test_objects_filtered),
        cmocka_unit_test(test_listing_beside_a_signer),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
