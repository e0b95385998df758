/* Batch signing through the library, in one process with one login: the
 * same CAdES work as `vbsig sign --out-dir`, without the file system, so
 * the bridge's cost can be set against the raw C_Sign loop.
 *
 *   bench_pkcs11_api MODULE URI PIN_SOURCE FILE...
 * prints "setup <ms> ms (load, login, find); <n> documents in <s> s: <rate>/s"
 * and then "<n> bare digests in <s> s: <rate>/s" (vbsig_signer_sign_digest
 * alone: the bridge without CMS). Rates, like bench_pkcs11_raw's, count the
 * loop after the login. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <vbsig/pkcs11.h>
#include <vbsig/vbsig.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = malloc(1 << 16);
    *len = buf != NULL ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_pkcs11_api MODULE URI PIN_SOURCE FILE...\n");
        return 64;
    }
    int n = argc - 4;
    unsigned char **docs = calloc((size_t)n, sizeof *docs);
    size_t *lens = calloc((size_t)n, sizeof *lens);
    for (int i = 0; i < n; i++)
        if ((docs[i] = slurp(argv[4 + i], &lens[i])) == NULL) {
            fprintf(stderr, "bench_pkcs11_api: cannot read %s\n", argv[4 + i]);
            return 66;
        }
    double t0 = now_s();
    vbsig_ctx *ctx = NULL;
    vbsig_signer *s = NULL;
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = argv[1];
    o.pin_source = argv[3];
    if (vbsig_ctx_new(&ctx) != VBSIG_OK || vbsig_signer_from_pkcs11(&s, ctx, argv[2], &o) != VBSIG_OK) {
        fprintf(stderr, "bench_pkcs11_api: %s\n", vbsig_last_error());
        return 69;
    }
    double t1 = now_s();
    vbsig_cades_sign_opts so;
    vbsig_cades_sign_opts_init(&so);
    so.detached = 1;
    so.verify_after_sign = 1; /* as the CLI does */
    for (int i = 0; i < n; i++) {
        vbsig_buf out = {0};
        if (vbsig_cades_sign(ctx, s, &so, docs[i], lens[i], &out) != VBSIG_OK) {
            fprintf(stderr, "bench_pkcs11_api: %s: %s\n", argv[4 + i], vbsig_last_error());
            return 1;
        }
        vbsig_buf_free(&out);
    }
    double t = now_s() - t1;
    printf("setup %.1f ms (load, login, find); %d documents in %.3f s: %.1f/s\n", (t1 - t0) * 1000, n, t, (double)n / t);
    unsigned char digest[32] = {0};
    double t2 = now_s();
    for (int i = 0; i < n; i++) {
        digest[0] = (unsigned char)i;
        vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, sizeof digest};
        unsigned char sig[VBSIG_MAX_SIGNATURE];
        size_t len = sizeof sig;
        if (vbsig_signer_sign_digest(s, &req, sig, &len) != VBSIG_OK) {
            fprintf(stderr, "bench_pkcs11_api: %s\n", vbsig_last_error());
            return 1;
        }
    }
    t = now_s() - t2;
    printf("%d bare digests in %.3f s: %.1f/s\n", n, t, (double)n / t);
    vbsig_signer_free(s);
    vbsig_ctx_free(ctx);
    for (int i = 0; i < n; i++)
        free(docs[i]);
    free(docs);
    free(lens);
    return 0;
}
