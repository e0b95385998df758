/* The software signer keeps prepared OpenSSL contexts per signer
 * (signer_softkey.c): many threads signing with one signer at once (what
 * the TSA's workers do) must each get correct signatures, whatever mix of
 * digests and paddings they ask for, and a failed call must not spoil the
 * contexts kept for later ones. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "test_pki.h"
#include "util/util.h"

#define THREADS 4
#define PER_THREAD 40

/* Checks sig over digest with the certificate's key, independently of the
 * signer's code; 1 when it verifies. */
static int verifies(vbsig_signer *s, vbsig_digest_alg alg, vbsig_rsa_padding padding, const uint8_t *digest,
                    size_t dlen, const uint8_t *sig, size_t sig_len)
{
    EVP_PKEY *pub = X509_get0_pubkey(s->cert);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
    int ok = pctx != NULL && EVP_PKEY_verify_init(pctx) > 0;
    if (ok && padding == VBSIG_RSA_PSS && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
    ok = ok && EVP_PKEY_CTX_set_signature_md(pctx, vbsig_digest_md(alg)) > 0 &&
         EVP_PKEY_verify(pctx, sig, sig_len, digest, dlen) == 1;
    EVP_PKEY_CTX_free(pctx);
    return ok;
}

typedef struct worker {
    pthread_t thread;
    vbsig_signer *signer;
    int id;
    int signed_ok, verified, wrong_accepted;
} worker;

static const vbsig_digest_alg ALGS[] = {VBSIG_DIGEST_SHA256, VBSIG_DIGEST_SHA384, VBSIG_DIGEST_SHA512};

/* No cmocka assertions off the main thread: counts are checked there. */
static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        vbsig_digest_alg alg = ALGS[(i + w->id) % 3];
        vbsig_rsa_padding padding = (i + w->id) % 2 ? VBSIG_RSA_PSS : VBSIG_RSA_PKCS1_V15;
        char text[64];
        int n = snprintf(text, sizeof text, "document %d of worker %d", i, w->id);
        uint8_t digest[64], sig[VBSIG_MAX_SIGNATURE];
        size_t dlen = 0, sig_len = sizeof sig;
        if (vbsig_digest_bytes(alg, (const uint8_t *)text, (size_t)n, digest, &dlen) != VBSIG_OK)
            continue;
        vbsig_sign_request req = {alg, padding, digest, dlen};
        if (vbsig_signer_sign_digest(w->signer, &req, sig, &sig_len) != VBSIG_OK)
            continue;
        w->signed_ok++;
        w->verified += verifies(w->signer, alg, padding, digest, dlen, sig, sig_len);
        digest[0] ^= 1; /* bound to its own digest (ECDSA uses the leftmost bits of a longer one) */
        w->wrong_accepted += verifies(w->signer, alg, padding, digest, dlen, sig, sig_len);
    }
    return NULL;
}

static void run_threads(vbsig_signer *s)
{
    worker w[THREADS];
    memset(w, 0, sizeof w);
    for (int t = 0; t < THREADS; t++) {
        w[t].signer = s;
        w[t].id = t;
        assert_int_equal(pthread_create(&w[t].thread, NULL, work, &w[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(w[t].thread, NULL), 0);
        assert_int_equal(w[t].signed_ok, PER_THREAD);
        assert_int_equal(w[t].verified, PER_THREAD);
        assert_int_equal(w[t].wrong_accepted, 0);
    }
}

static void test_rsa_threads_mixed_requests(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&s, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    run_threads(s);
    run_threads(s); /* again, now with the contexts the first round left */
    vbsig_signer_free(s);
}

static void test_ecdsa_threads(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_key_file(&s, pki_path("signers/ecp256.key"), NULL,
                                                pki_path2("signers/ecp256.pem")), VBSIG_OK);
    run_threads(s);
    vbsig_signer_free(s);
}

/* A reused ECDSA context still draws a fresh nonce each time: two
 * signatures of one digest differ, and both verify. */
static void test_ecdsa_reuse_fresh_nonce(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&s, pki_path("signers/ecp256.p12"), "pass:vbsig-test"), VBSIG_OK);
    uint8_t digest[32], a[VBSIG_MAX_SIGNATURE], b[VBSIG_MAX_SIGNATURE];
    size_t dlen = 0, alen = sizeof a, blen = sizeof b;
    assert_int_equal(vbsig_digest_bytes(VBSIG_DIGEST_SHA256, (const uint8_t *)"x", 1, digest, &dlen), VBSIG_OK);
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, dlen};
    assert_int_equal(vbsig_signer_sign_digest(s, &req, a, &alen), VBSIG_OK);
    assert_int_equal(vbsig_signer_sign_digest(s, &req, b, &blen), VBSIG_OK);
    assert_false(alen == blen && memcmp(a, b, alen) == 0);
    assert_true(verifies(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, dlen, a, alen));
    assert_true(verifies(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, dlen, b, blen));
    vbsig_signer_free(s);
}

/* A buffer too small is refused before signing; the signer keeps working. */
static void test_small_buffer_then_normal(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&s, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    uint8_t digest[32] = {1}, sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = 255; /* RSA-2048 needs 256 */
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PSS, digest, sizeof digest};
    assert_int_equal(vbsig_signer_sign_digest(s, &req, sig, &sig_len), VBSIG_E_INTERNAL);
    assert_non_null(strstr(vbsig_last_error(), "too small"));
    for (int i = 0; i < 3; i++) {
        sig_len = sizeof sig;
        digest[1] = (uint8_t)i;
        assert_int_equal(vbsig_signer_sign_digest(s, &req, sig, &sig_len), VBSIG_OK);
        assert_int_equal(sig_len, 256);
        assert_true(verifies(s, VBSIG_DIGEST_SHA256, VBSIG_RSA_PSS, digest, sizeof digest, sig, sig_len));
    }
    vbsig_signer_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rsa_threads_mixed_requests),
        cmocka_unit_test(test_ecdsa_threads),
        cmocka_unit_test(test_ecdsa_reuse_fresh_nonce),
        cmocka_unit_test(test_small_buffer_then_normal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
