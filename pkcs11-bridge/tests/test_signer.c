/* The PKCS#11 signer against a real SoftHSM2 token: every signature is
 * checked with OpenSSL against the certificate the token holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <vbsig/pkcs11.h>
#include <vbsig/status.h>

#include "p11_test_token.h"

static const char *g_module;

static int setup(void **state)
{
    (void)state;
    g_module = p11_test_token("signer");
    return g_module != NULL ? 0 : -1;
}

static vbsig_signer *open_signer(const char *uri)
{
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = g_module;
    o.pin_source = "pass:1234";
    vbsig_signer *s = NULL;
    int rc = vbsig_signer_from_pkcs11(&s, NULL, uri, &o);
    if (rc != VBSIG_OK)
        print_error("%s: %s\n", uri, vbsig_last_error());
    assert_int_equal(rc, VBSIG_OK);
    return s;
}

static const EVP_MD *md_of(vbsig_digest_alg alg)
{
    return alg == VBSIG_DIGEST_SHA384 ? EVP_sha384() : alg == VBSIG_DIGEST_SHA512 ? EVP_sha512() : EVP_sha256();
}

/* Signs a digest of msg and checks it with the certificate's public key. */
static int sign_and_check(vbsig_signer *s, vbsig_digest_alg alg, vbsig_rsa_padding pad, const char *msg)
{
    uint8_t digest[64];
    unsigned dlen = 0;
    EVP_Digest(msg, strlen(msg), digest, &dlen, md_of(alg), NULL);
    vbsig_sign_request req = {alg, pad, digest, dlen};
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    int rc = vbsig_signer_sign_digest(s, &req, sig, &sig_len);
    if (rc != VBSIG_OK)
        return rc;
    size_t cert_len = 0;
    const uint8_t *der = vbsig_signer_cert_der(s, &cert_len);
    X509 *x = d2i_X509(NULL, &der, (long)cert_len);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(x), NULL);
    int ok = ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, md_of(alg)) == 1;
    if (ok && EVP_PKEY_get_base_id(X509_get0_pubkey(x)) == EVP_PKEY_RSA)
        ok = pad == VBSIG_RSA_PSS ? EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                                        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1
                                  : EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;
    ok = ok && EVP_PKEY_verify(ctx, sig, sig_len, digest, dlen) == 1;
    EVP_PKEY_CTX_free(ctx);
    X509_free(x);
    return ok ? VBSIG_OK : VBSIG_E_CRYPTO;
}

static void test_rsa_pkcs1(void **state)
{
    (void)state;
    vbsig_signer *s = open_signer("pkcs11:token=vbsig-test;object=rsa2048;type=private");
    assert_int_equal(vbsig_signer_key_type(s), VBSIG_KEY_RSA);
    assert_int_equal(vbsig_signer_key_bits(s), 2048);
    assert_int_equal(sign_and_check(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, "công văn"), VBSIG_OK);
    assert_int_equal(sign_and_check(s, VBSIG_DIGEST_SHA512, VBSIG_RSA_PKCS1_V15, "công văn"), VBSIG_OK);
    vbsig_signer_free(s);
}

static void test_rsa_pss(void **state)
{
    (void)state;
    vbsig_signer *s = open_signer("pkcs11:token=vbsig-test;id=%02");
    assert_int_equal(vbsig_signer_key_bits(s), 3072);
    assert_int_equal(sign_and_check(s, VBSIG_DIGEST_SHA384, VBSIG_RSA_PSS, "tờ trình"), VBSIG_OK);
    assert_int_equal(vbsig_signer_set_rsa_padding(s, VBSIG_RSA_PSS), VBSIG_OK);
    assert_int_equal(sign_and_check(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PSS, "tờ trình"), VBSIG_OK);
    vbsig_signer_free(s);
}

static void test_ecdsa(void **state)
{
    (void)state;
    vbsig_signer *s = open_signer("pkcs11:object=ecp256;type=private");
    assert_int_equal(vbsig_signer_key_type(s), VBSIG_KEY_EC);
    for (int i = 0; i < 20; i++) /* r and s with leading zeros turn up in 20 tries often enough */
        assert_int_equal(sign_and_check(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, i % 2 ? "a" : "b"), VBSIG_OK);
    vbsig_signer_free(s);
}

typedef struct pin_cb_state {
    const char *pin;
    char label[64];
    int calls;
} pin_cb_state;

static int pin_cb(void *data, const char *token_label, char *pin, size_t pin_size)
{
    pin_cb_state *st = data;
    st->calls++;
    snprintf(st->label, sizeof st->label, "%s", token_label);
    if (st->pin == NULL)
        return VBSIG_E_CANCELLED;
    snprintf(pin, pin_size, "%s", st->pin);
    return VBSIG_OK;
}

static int open_with_cb(pin_cb_state *st, vbsig_signer **s)
{
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = g_module;
    o.pin_cb = pin_cb;
    o.pin_cb_data = st;
    return vbsig_signer_from_pkcs11(s, NULL, "pkcs11:token=vbsig-test;object=rsa2048;type=private", &o);
}

static void test_pin_callback(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    pin_cb_state good = {"1234", "", 0};
    assert_int_equal(open_with_cb(&good, &s), VBSIG_OK);
    assert_int_equal(good.calls, 1);
    assert_string_equal(good.label, "vbsig-test");
    assert_int_equal(sign_and_check(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, "x"), VBSIG_OK);
    vbsig_signer_free(s);

    pin_cb_state wrong = {"9999", "", 0};
    assert_int_equal(open_with_cb(&wrong, &s), VBSIG_E_AUTH);
    assert_null(s);
    assert_non_null(strstr(vbsig_last_error(), "wrong PIN"));

    pin_cb_state cancel = {NULL, "", 0};
    assert_int_equal(open_with_cb(&cancel, &s), VBSIG_E_CANCELLED);
    assert_null(s);
}

static void expect_open_fails(const char *uri, int status, const char *text)
{
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = g_module;
    o.pin_source = "pass:1234";
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs11(&s, NULL, uri, &o), status);
    assert_null(s);
    if (strstr(vbsig_last_error(), text) == NULL)
        fail_msg("'%s' not in '%s'", text, vbsig_last_error());
}

static void test_uri_and_search_errors(void **state)
{
    (void)state;
    expect_open_fails("pkcs11:token=vbsig-test;object=rsa%4", VBSIG_E_INVALID_ARG, "percent");
    expect_open_fails("pkcs11:token=vbsig-test;object=a;object=b", VBSIG_E_INVALID_ARG, "twice");
    expect_open_fails("pkcs11:token=vbsig-test;objekt=a", VBSIG_E_INVALID_ARG, "objekt");
    expect_open_fails("pkcs11:token=vbsig-test;object=rsa2048;type=cert", VBSIG_E_INVALID_ARG, "type=cert");
    expect_open_fails("pkcs11:token=vbsig-test;slot-id=x", VBSIG_E_INVALID_ARG, "slot-id");
    expect_open_fails("file:/etc/passwd", VBSIG_E_INVALID_ARG, "pkcs11:");
    expect_open_fails("pkcs11:token=vbsig-test", VBSIG_E_KEY_NOT_FOUND, "4 private keys match");
    expect_open_fails("pkcs11:token=vbsig-test;id=%7f", VBSIG_E_KEY_NOT_FOUND, "id=%7F");
    expect_open_fails("pkcs11:token=other", VBSIG_E_TOKEN_ABSENT, "token=other");
    char *big = malloc(5000);
    memset(big, 'a', 4999);
    memcpy(big, "pkcs11:object=", 14);
    big[4999] = '\0';
    expect_open_fails(big, VBSIG_E_LIMIT, "longer");
    free(big);
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = "/nonexistent/module.so";
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs11(&s, NULL, "pkcs11:object=x", &o), VBSIG_E_MODULE_LOAD);
    o.version = 2;
    assert_int_equal(vbsig_signer_from_pkcs11(&s, NULL, "pkcs11:object=x", &o), VBSIG_E_INVALID_ARG);
}

static void test_list(void **state)
{
    (void)state;
    vbsig_pkcs11_token *tokens = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pkcs11_list_tokens(NULL, g_module, &tokens, &n), VBSIG_OK);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (tokens[i].label != NULL && strcmp(tokens[i].label, "vbsig-test") == 0) {
            found = 1;
            assert_true(tokens[i].login_required);
            assert_false(tokens[i].pin_locked);
            assert_string_equal(tokens[i].model, "SoftHSM v2");
            assert_non_null(strstr(tokens[i].uri, "token=vbsig-test"));
        }
    }
    assert_true(found);
    vbsig_pkcs11_tokens_free(tokens, n);

    vbsig_pkcs11_object *objs = NULL;
    size_t certs = 0, keys = 0;
    assert_int_equal(vbsig_pkcs11_list_objects(NULL, g_module, "pkcs11:token=vbsig-test", NULL, &objs, &n), VBSIG_OK);
    for (size_t i = 0; i < n; i++) {
        certs += strcmp(objs[i].kind, "cert") == 0;
        keys += strcmp(objs[i].kind, "private") == 0;
        if (strcmp(objs[i].kind, "cert") == 0 && strcmp(objs[i].label, "ecp256") == 0) {
            assert_string_equal(objs[i].id_hex, "03");
            assert_non_null(strstr(objs[i].subject, "Long An"));
            assert_string_equal(objs[i].uri, "pkcs11:token=vbsig-test;id=%03;object=ecp256;type=cert");
        }
    }
    assert_int_equal(certs, 4);
    assert_int_equal(keys, 0); /* private keys stay hidden before the login */
    vbsig_pkcs11_objects_free(objs, n);
    assert_int_equal(vbsig_pkcs11_list_objects(NULL, g_module, "pkcs11:token=vbsig-test", "pass:1234", &objs, &n), VBSIG_OK);
    keys = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(objs[i].kind, "private") == 0) {
            keys++;
            assert_non_null(objs[i].key_type);
            /* every listed private-key URI opens a working signer */
            vbsig_signer *s = open_signer(objs[i].uri);
            assert_int_equal(sign_and_check(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, "uri"), VBSIG_OK);
            vbsig_signer_free(s);
        }
    assert_int_equal(keys, 4);
    vbsig_pkcs11_objects_free(objs, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rsa_pkcs1),   cmocka_unit_test(test_rsa_pss),
        cmocka_unit_test(test_ecdsa),       cmocka_unit_test(test_pin_callback),
        cmocka_unit_test(test_uri_and_search_errors), cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
