/* The C side of bench_binding_python.sh: verifies one signed file N times
 * in-process with one context (as the Python loop does) and prints the
 * mean time per verification in microseconds, then how many passed, then
 * the CPU time of the calling thread per verification (what a loaded
 * machine disturbs less than the wall clock). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <vbsig/vbsig.h>

static double clock_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
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
    double t0 = clock_us(CLOCK_MONOTONIC), c0 = clock_us(CLOCK_THREAD_CPUTIME_ID);
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
    double t1 = clock_us(CLOCK_MONOTONIC), c1 = clock_us(CLOCK_THREAD_CPUTIME_ID);
    printf("%.1f %d %.1f\n", (t1 - t0) / (double)n, passed, (c1 - c0) / (double)n);
    vbsig_ctx_free(ctx);
    return 0;
}
