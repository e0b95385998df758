/* The C side of bench_binding_python.sh: verifies one signed file N times
 * in-process with one context (as the Python loop does) and prints the
 * mean time per verification in microseconds. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <vbsig/vbsig.h>

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_verify_loop ROOT.pem FILE N\n");
        return 2;
    }
    long n = strtol(argv[3], NULL, 10);
    vbsig_ctx *ctx = NULL;
    if (vbsig_ctx_new(&ctx) != VBSIG_OK || vbsig_ctx_add_trust(ctx, argv[1]) != VBSIG_OK ||
        vbsig_ctx_set_revocation_mode(ctx, VBSIG_REVOCATION_SOFT) != VBSIG_OK) {
        fprintf(stderr, "bench_verify_loop: %s\n", vbsig_last_error());
        return 1;
    }
    int passed = 0;
    double t0 = now_us();
    for (long i = 0; i < n; i++) {
        vbsig_report *r = NULL;
        if (vbsig_verify_file(ctx, argv[2], NULL, &r) != VBSIG_OK) {
            fprintf(stderr, "bench_verify_loop: %s\n", vbsig_last_error());
            return 1;
        }
        /* What the Python loop reads too: the verdict. */
        passed += vbsig_report_indication(r) == VBSIG_TOTAL_PASSED;
        vbsig_report_free(r);
    }
    double t1 = now_us();
    printf("%.1f %d\n", (t1 - t0) / (double)n, passed);
    vbsig_ctx_free(ctx);
    return 0;
}
