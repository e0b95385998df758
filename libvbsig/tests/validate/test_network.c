/* The context's network settings (vbsig_ctx_set_network): defaults, range
 * checks, copies, and that a fetch really takes its time bound from the
 * context: a TSA that accepts the connection and never answers must fail
 * after the context's 300 ms, not the built-in 30 s. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "validate/validate.h"
#include "vbsig/vbsig.h"

static void test_defaults_and_copies(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    vbsig_network_opts n;
    assert_int_equal(vbsig_ctx_get_network(ctx, &n), VBSIG_OK);
    assert_int_equal(n.connect_timeout_ms, 5000);
    assert_int_equal(n.timeout_ms, 15000);
    assert_int_equal(n.tsp_connect_timeout_ms, 10000);
    assert_int_equal(n.tsp_timeout_ms, 30000);
    assert_int_equal(n.pkcs11_timeout_ms, 30000);
    assert_null(n.ca_file);
    assert_null(n.pkcs11_module);

    char ca[] = "/etc/ssl/certs/ca-certificates.crt", module[] = "/usr/lib/softhsm/libsofthsm2.so";
    vbsig_network_opts_init(&n);
    n.timeout_ms = 1234;
    n.ca_file = ca;
    n.pkcs11_module = module;
    n.pkcs11_timeout_ms = 3600000; /* slow HSMs: up to an hour */
    assert_int_equal(vbsig_ctx_set_network(ctx, &n), VBSIG_OK);
    ca[0] = module[0] = 'X'; /* the context holds copies */
    vbsig_network_opts got;
    assert_int_equal(vbsig_ctx_get_network(ctx, &got), VBSIG_OK);
    assert_int_equal(got.timeout_ms, 1234);
    assert_int_equal(got.connect_timeout_ms, 5000);
    assert_string_equal(got.ca_file, "/etc/ssl/certs/ca-certificates.crt");
    assert_string_equal(got.pkcs11_module, "/usr/lib/softhsm/libsofthsm2.so");
    assert_int_equal(got.pkcs11_timeout_ms, 3600000);

    /* Out of range, or not set up with _init: refused, nothing changed. */
    vbsig_network_opts_init(&n);
    n.tsp_timeout_ms = 600001;
    assert_int_equal(vbsig_ctx_set_network(ctx, &n), VBSIG_E_INVALID_ARG);
    n.tsp_timeout_ms = -1;
    assert_int_equal(vbsig_ctx_set_network(ctx, &n), VBSIG_E_INVALID_ARG);
    vbsig_network_opts_init(&n);
    n.version = 99;
    assert_int_equal(vbsig_ctx_set_network(ctx, &n), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_ctx_get_network(ctx, &got), VBSIG_OK);
    assert_int_equal(got.timeout_ms, 1234);
    vbsig_ctx_free(ctx);
}

/* A verification pool's contexts are clones: they keep the settings. */
static void test_clone_keeps_settings(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL, *copy = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    vbsig_network_opts n;
    vbsig_network_opts_init(&n);
    n.timeout_ms = 777;
    n.tsp_connect_timeout_ms = 888;
    n.ca_file = "/tmp/roots.pem";
    n.pkcs11_module = "/tmp/module.so";
    n.pkcs11_timeout_ms = 999;
    assert_int_equal(vbsig_ctx_set_network(ctx, &n), VBSIG_OK);
    assert_int_equal(vbsig_ctx_clone(ctx, &copy), VBSIG_OK);
    vbsig_ctx_free(ctx); /* the clone owns its own strings */
    vbsig_network_opts got;
    assert_int_equal(vbsig_ctx_get_network(copy, &got), VBSIG_OK);
    assert_int_equal(got.timeout_ms, 777);
    assert_int_equal(got.tsp_connect_timeout_ms, 888);
    assert_int_equal(got.pkcs11_timeout_ms, 999);
    assert_string_equal(got.ca_file, "/tmp/roots.pem");
    assert_string_equal(got.pkcs11_module, "/tmp/module.so");
    vbsig_ctx_free(copy);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_tsa_timeout_from_context(void **state)
{
    (void)state;
    /* A listener that never accepts: the kernel completes the connection,
     * nobody ever answers. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s, 8), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", (unsigned)ntohs(a.sin_port));

    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    vbsig_network_opts n;
    vbsig_network_opts_init(&n);
    n.tsp_timeout_ms = 300;
    assert_int_equal(vbsig_ctx_set_network(ctx, &n), VBSIG_OK);
    const char *urls[1] = {url};
    vbsig_tsp_opts t;
    vbsig_tsp_opts_init(&t);
    assert_int_equal(t.timeout_ms, 0); /* 0: the context's */
    t.urls = urls;
    t.url_count = 1;
    t.retries = 0;
    uint8_t digest[32] = {0};
    vbsig_buf token = {0};
    double t0 = now_s();
    assert_int_equal(vbsig_tsp_timestamp_digest(ctx, &t, VBSIG_DIGEST_SHA256, digest, sizeof digest, &token),
                     VBSIG_E_UNAVAILABLE);
    double took = now_s() - t0;
    assert_true(took >= 0.25 && took < 5.0);
    assert_non_null(strstr(vbsig_last_error(), url));
    vbsig_buf_free(&token);
    vbsig_ctx_free(ctx);
    close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_copies),
        cmocka_unit_test(test_clone_keeps_settings),
        cmocka_unit_test(test_tsa_timeout_from_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
