/* bench_softkey KEY CERT COUNT THREADS
 *
 * Cost of one signature through a software signer (vbsig_signer_sign_digest
 * on a key file), next to OpenSSL on the same key in the same process:
 *   prepared  EVP_PKEY_sign on one context per thread made once (the floor:
 *             the signing alone);
 *   fresh     a new EVP_PKEY_CTX made and set up for every signature (what
 *             a signer without kept contexts pays);
 *   vbsig     vbsig_signer_sign_digest, THREADS threads on one signer (as
 *             the TSA's workers do);
 *   cades     vbsig_cades_sign of a short document, detached, B-B: the
 *             signature plus the CMS work around it (signed attributes,
 *             encoding, the check of the value on the encoded bytes), the
 *             per-document cost a token's batch adds to the token's own.
 * Prints CPU microseconds per signature (process CPU time / signatures) and
 * signatures per second of wall time. SHA-256, PKCS#1 v1.5 for RSA. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "vbsig/vbsig.h"

static EVP_PKEY *g_pkey;
static vbsig_signer *g_signer;
static long g_per_thread;
static int g_mode; /* 0 prepared, 1 fresh, 2 vbsig, 3 cades */
static int g_failed;

static EVP_PKEY_CTX *prepare(void)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, g_pkey, NULL);
    if (c == NULL || EVP_PKEY_sign_init(c) <= 0 ||
        (EVP_PKEY_get_base_id(g_pkey) == EVP_PKEY_RSA && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) <= 0) ||
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) <= 0) {
        EVP_PKEY_CTX_free(c);
        return NULL;
    }
    return c;
}

static void *work(void *arg)
{
    (void)arg;
    uint8_t digest[32], sig[1024];
    memset(digest, 0x5a, sizeof digest);
    EVP_PKEY_CTX *kept = g_mode == 0 ? prepare() : NULL;
    vbsig_ctx *ctx = NULL;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    if (g_mode == 3 && vbsig_ctx_new(&ctx) != VBSIG_OK)
        __atomic_store_n(&g_failed, 1, __ATOMIC_RELAXED);
    for (long i = 0; i < g_per_thread; i++) {
        size_t len = sizeof sig;
        digest[0] = (uint8_t)i;
        int ok;
        if (g_mode == 0) {
            ok = kept != NULL && EVP_PKEY_sign(kept, sig, &len, digest, sizeof digest) > 0;
        } else if (g_mode == 1) {
            EVP_PKEY_CTX *c = prepare();
            ok = c != NULL && EVP_PKEY_sign(c, sig, &len, digest, sizeof digest) > 0;
            EVP_PKEY_CTX_free(c);
        } else if (g_mode == 3) {
            vbsig_buf out = {0};
            ok = ctx != NULL && vbsig_cades_sign(ctx, g_signer, &o, digest, sizeof digest, &out) == VBSIG_OK;
            vbsig_buf_free(&out);
        } else {
            vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, sizeof digest};
            ok = vbsig_signer_sign_digest(g_signer, &req, sig, &len) == VBSIG_OK;
        }
        if (!ok)
            __atomic_store_n(&g_failed, 1, __ATOMIC_RELAXED);
    }
    EVP_PKEY_CTX_free(kept);
    vbsig_ctx_free(ctx);
    return NULL;
}

static double now(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_softkey KEY CERT COUNT THREADS\n");
        return 2;
    }
    long count = atol(argv[3]);
    int threads = atoi(argv[4]);
    if (count <= 0 || threads <= 0 || threads > 64) {
        fprintf(stderr, "bench_softkey: COUNT and THREADS (1..64) must be positive\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    g_pkey = f != NULL ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f != NULL)
        fclose(f);
    if (g_pkey == NULL || vbsig_signer_from_key_file(&g_signer, argv[1], NULL, argv[2]) != VBSIG_OK) {
        fprintf(stderr, "bench_softkey: cannot load %s / %s: %s\n", argv[1], argv[2], vbsig_last_error());
        return 1;
    }
    g_per_thread = count / threads;
    static const char *names[] = {"prepared (OpenSSL, context kept)", "fresh (OpenSSL, new context each)",
                                  "vbsig_signer_sign_digest", "vbsig_cades_sign (detached, B-B)"};
    for (g_mode = 0; g_mode < 4; g_mode++) {
        pthread_t t[64];
        double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        for (int i = 0; i < threads; i++)
            pthread_create(&t[i], NULL, work, NULL);
        for (int i = 0; i < threads; i++)
            pthread_join(t[i], NULL);
        double w = now(CLOCK_MONOTONIC) - w0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        long n = g_per_thread * threads;
        printf("%-36s %8.2f us CPU/signature %10.0f signatures/s\n", names[g_mode], c * 1e6 / (double)n,
               (double)n / w);
    }
    vbsig_signer_free(g_signer);
    EVP_PKEY_free(g_pkey);
    if (g_failed) {
        fprintf(stderr, "bench_softkey: a signature failed\n");
        return 1;
    }
    return 0;
}
