/* Signers: loading keys, refusing unusable certificates, and signatures
 * that OpenSSL itself accepts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "test_pki.h"
#include "util/util.h"

static const char *PASS = "pass:vbsig-test";

static vbsig_signer *load_p12(const char *name)
{
    char rel[128];
    snprintf(rel, sizeof rel, "signers/%s.p12", name);
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&s, pki_path(rel), PASS), VBSIG_OK);
    return s;
}

/* Signs a SHA-256 digest through the signer and checks it with the
 * certificate's public key, independently of vbsig. */
static void sign_and_check(vbsig_signer *s, vbsig_rsa_padding padding)
{
    uint8_t digest[32];
    size_t dlen = 0;
    assert_int_equal(vbsig_digest_bytes(VBSIG_DIGEST_SHA256, (const uint8_t *)"abc", 3, digest, &dlen), VBSIG_OK);
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, padding, digest, dlen};
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    assert_int_equal(vbsig_signer_sign_digest(s, &req, sig, &sig_len), VBSIG_OK);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, X509_get0_pubkey(s->cert), NULL);
    assert_non_null(pctx);
    assert_true(EVP_PKEY_verify_init(pctx) > 0);
    if (padding == VBSIG_RSA_PSS) {
        assert_true(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0);
        assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0);
    }
    assert_true(EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) > 0);
    assert_int_equal(EVP_PKEY_verify(pctx, sig, sig_len, digest, dlen), 1);
    digest[0] ^= 1;
    assert_int_not_equal(EVP_PKEY_verify(pctx, sig, sig_len, digest, dlen), 1);
    EVP_PKEY_CTX_free(pctx);
}

static void test_pkcs12_rsa_pkcs1_and_pss(void **state)
{
    (void)state;
    vbsig_signer *s = load_p12("rsa2048");
    assert_int_equal(vbsig_signer_key_type(s), VBSIG_KEY_RSA);
    assert_int_equal(vbsig_signer_key_bits(s), 2048);
    assert_int_equal(sk_X509_num(s->chain), 1); /* the intermediate from the .p12 */
    size_t len = 0;
    const uint8_t *der = vbsig_signer_cert_der(s, &len);
    assert_non_null(der);
    assert_true(len > 500);
    assert_int_equal(der[0], 0x30);
    sign_and_check(s, VBSIG_RSA_PKCS1_V15);
    sign_and_check(s, VBSIG_RSA_PSS);
    vbsig_signer_free(s);
}

static void test_key_file_ecdsa(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_key_file(&s, pki_path("signers/ecp256.key"), NULL,
                                                pki_path2("signers/ecp256.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_key_type(s), VBSIG_KEY_EC);
    sign_and_check(s, VBSIG_RSA_PKCS1_V15);
    assert_int_equal(vbsig_signer_check_usable(s, 0), VBSIG_OK);
    vbsig_signer_free(s);
}

static void test_wrong_password_and_mismatch(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&s, pki_path("signers/rsa2048.p12"), "pass:nope"), VBSIG_E_AUTH);
    assert_null(s);
    assert_non_null(strstr(vbsig_last_error(), "rsa2048.p12"));
    assert_int_equal(vbsig_signer_from_key_file(&s, pki_path("signers/rsa2048.key"), NULL,
                                                pki_path2("signers/rsa3072.pem")), VBSIG_E_KEY_UNUSABLE);
    assert_null(s);
    assert_int_equal(vbsig_signer_from_key_file(&s, pki_path("signers/nothing.key"), NULL,
                                                pki_path2("signers/rsa2048.pem")), VBSIG_E_IO_READ);
    assert_int_equal(vbsig_signer_from_key_file(&s, pki_path("signers/rsa2048.pem"), NULL,
                                                pki_path2("signers/rsa2048.pem")), VBSIG_E_MALFORMED);
}

static void test_unusable_certificates(void **state)
{
    (void)state;
    const char *names[] = {"expired", "notyet", "wrongku", "rsa1024"};
    const char *why[] = {"expired", "not yet valid", "key usage", "too weak"};
    for (size_t i = 0; i < 4; i++) {
        vbsig_signer *s = load_p12(names[i]);
        assert_int_equal(vbsig_signer_check_usable(s, 0), VBSIG_E_KEY_UNUSABLE);
        assert_non_null(strstr(vbsig_last_error(), why[i]));
        vbsig_signer_free(s);
    }
    /* The expired certificate was fine eighteen months ago. */
    vbsig_signer *s = load_p12("expired");
    assert_int_equal(vbsig_signer_check_usable(s, time(NULL) - 548 * 86400), VBSIG_OK);
    vbsig_signer_free(s);
}

static void test_refuses_sha1_and_bad_lengths(void **state)
{
    (void)state;
    vbsig_digest_alg alg;
    assert_int_equal(vbsig_digest_from_name("sha1", &alg), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_digest_from_name("SHA-384", &alg), VBSIG_OK);
    assert_int_equal(alg, VBSIG_DIGEST_SHA384);
    assert_int_equal(vbsig_digest_from_name("md5", &alg), VBSIG_E_INVALID_ARG);
    vbsig_signer *s = load_p12("rsa2048");
    uint8_t d[20] = {0}, sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    vbsig_sign_request sha1 = {VBSIG_DIGEST_SHA1, VBSIG_RSA_PKCS1_V15, d, 20};
    assert_int_equal(vbsig_signer_sign_digest(s, &sha1, sig, &sig_len), VBSIG_E_INVALID_ARG);
    vbsig_sign_request short_digest = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, d, 20};
    assert_int_equal(vbsig_signer_sign_digest(s, &short_digest, sig, &sig_len), VBSIG_E_INVALID_ARG);
    vbsig_signer_free(s);
}

/* An outside implementation (what the PKCS#11 bridge and bindings do). */
static int counting_sign(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    int *calls = impl;
    (*calls)++;
    (void)req;
    if (*sig_len < 4)
        return vbsig_set_error(VBSIG_E_INTERNAL, "buffer");
    memcpy(sig, "sig!", 4);
    *sig_len = 4;
    return VBSIG_OK;
}

static void test_custom_signer(void **state)
{
    (void)state;
    vbsig_signer *file = load_p12("rsa2048");
    size_t len = 0;
    const uint8_t *der = vbsig_signer_cert_der(file, &len);
    int calls = 0;
    vbsig_signer_ops ops = {1, counting_sign, NULL};
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_new(&s, &ops, &calls, der, len), VBSIG_OK);
    uint8_t d[32] = {0}, sig[16];
    size_t sig_len = sizeof sig;
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, d, 32};
    assert_int_equal(vbsig_signer_sign_digest(s, &req, sig, &sig_len), VBSIG_OK);
    assert_int_equal(calls, 1);
    assert_int_equal(sig_len, 4);
    vbsig_signer_free(s);
    ops.version = 2;
    assert_int_equal(vbsig_signer_new(&s, &ops, &calls, der, len), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_signer_new(&s, &ops, &calls, (const uint8_t *)"\x30\x03\x02\x01\x00", 5),
                     VBSIG_E_INVALID_ARG);
    vbsig_signer_free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkcs12_rsa_pkcs1_and_pss),
        cmocka_unit_test(test_key_file_ecdsa),
        cmocka_unit_test(test_wrong_password_and_mismatch),
        cmocka_unit_test(test_unusable_certificates),
        cmocka_unit_test(test_refuses_sha1_and_bad_lengths),
        cmocka_unit_test(test_custom_signer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
