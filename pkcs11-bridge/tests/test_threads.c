/* One login, many threads: the TSA signs from a worker pool with one
 * signer. Every thread's signatures must verify, none may fail. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <vbsig/pkcs11.h>
#include <vbsig/status.h>

#include "p11_test_token.h"

#define THREADS 6
#define PER_THREAD 60

typedef struct worker {
    vbsig_signer *signer;
    EVP_PKEY *pub;
    int index, good, bad;
    char error[256];
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char msg[64];
        snprintf(msg, sizeof msg, "thread %d document %d", w->index, i);
        uint8_t digest[32];
        EVP_Digest(msg, strlen(msg), digest, NULL, EVP_sha256(), NULL);
        vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, sizeof digest};
        uint8_t sig[VBSIG_MAX_SIGNATURE];
        size_t len = sizeof sig;
        int rc = vbsig_signer_sign_digest(w->signer, &req, sig, &len);
        if (rc != VBSIG_OK) {
            snprintf(w->error, sizeof w->error, "%s", vbsig_last_error());
            w->bad++;
            continue;
        }
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(w->pub, NULL);
        int ok = ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
                 EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
                 EVP_PKEY_verify(ctx, sig, len, digest, sizeof digest) == 1;
        EVP_PKEY_CTX_free(ctx);
        if (ok)
            w->good++;
        else
            w->bad++;
    }
    return NULL;
}

static void run_threads(const char *uri)
{
    const char *module = p11_test_token("threads");
    assert_non_null(module);
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = module;
    o.pin_source = "pass:1234";
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs11(&s, NULL, uri, &o), VBSIG_OK);
    size_t cert_len = 0;
    const uint8_t *der = vbsig_signer_cert_der(s, &cert_len);
    X509 *x = d2i_X509(NULL, &der, (long)cert_len);
    assert_non_null(x);
    worker w[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){s, X509_get0_pubkey(x), i, 0, 0, ""};
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    int good = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        if (w[i].bad != 0)
            fail_msg("thread %d: %d failures, last: %s", i, w[i].bad, w[i].error);
        good += w[i].good;
    }
    assert_int_equal(good, THREADS * PER_THREAD);
    X509_free(x);
    vbsig_signer_free(s);
}

static void test_rsa_threads(void **state)
{
    (void)state;
    run_threads("pkcs11:token=vbsig-test;object=rsa2048;type=private");
}

static void test_ecdsa_threads(void **state)
{
    (void)state;
    run_threads("pkcs11:token=vbsig-test;object=ecp256;type=private");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_rsa_threads), cmocka_unit_test(test_ecdsa_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
