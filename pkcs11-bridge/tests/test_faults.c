/* The bridge against the fault-injecting module: a login that never
 * returns, an absent token, and a token pulled out while threads sign. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <vbsig/pkcs11.h>
#include <vbsig/status.h>
#include <vbsig/vbsig.h>

#include "p11_test_token.h"

static const char *g_faulty;

static int setup(void **state)
{
    (void)state;
    if (p11_test_token("faults") == NULL)
        return -1;
    g_faulty = p11_test_faulty_module();
    return g_faulty != NULL ? 0 : -1;
}

static int open_signer(vbsig_signer **s, unsigned timeout_ms)
{
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = g_faulty;
    o.pin_source = "pass:1234";
    o.timeout_ms = timeout_ms;
    return vbsig_signer_from_pkcs11(s, NULL, "pkcs11:token=vbsig-test;object=rsa2048;type=private", &o);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_login_that_never_returns(void **state)
{
    (void)state;
    setenv("VBSIG_FAULTY_HANG_LOGIN", "1", 1);
    vbsig_signer *s = NULL;
    double t0 = now_s();
    int rc = open_signer(&s, 300);
    double took = now_s() - t0;
    unsetenv("VBSIG_FAULTY_HANG_LOGIN");
    assert_int_equal(rc, VBSIG_E_TIMEOUT);
    assert_null(s);
    assert_non_null(strstr(vbsig_last_error(), "did not answer within 300 ms"));
    assert_true(took < 10.0); /* a bound, not a benchmark: the point is that it returns */
}

/* The module and the time bound from the context's network settings, the
 * options leaving both unset; the environment is not read by the bridge. */
static void test_settings_from_the_context(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    vbsig_network_opts net;
    vbsig_network_opts_init(&net);
    net.pkcs11_module = g_faulty;
    net.pkcs11_timeout_ms = 400;
    assert_int_equal(vbsig_ctx_set_network(ctx, &net), VBSIG_OK);
    setenv("VBSIG_PKCS11_TIMEOUT_MS", "100000", 1); /* must not count */
    setenv("VBSIG_FAULTY_HANG_LOGIN", "1", 1);
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.pin_source = "pass:1234";
    vbsig_signer *s = NULL;
    double t0 = now_s();
    int rc = vbsig_signer_from_pkcs11(&s, ctx, "pkcs11:token=vbsig-test;object=rsa2048;type=private", &o);
    double took = now_s() - t0;
    unsetenv("VBSIG_FAULTY_HANG_LOGIN");
    unsetenv("VBSIG_PKCS11_TIMEOUT_MS");
    assert_int_equal(rc, VBSIG_E_TIMEOUT);
    assert_null(s);
    assert_non_null(strstr(vbsig_last_error(), "did not answer within 400 ms"));
    assert_true(took < 10.0);
    /* The listing calls take the context's module too. */
    setenv("VBSIG_FAULTY_ABSENT", "1", 1);
    vbsig_pkcs11_token *list = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pkcs11_list_tokens(ctx, NULL, &list, &n), VBSIG_OK);
    unsetenv("VBSIG_FAULTY_ABSENT");
    assert_true(n >= 1); /* the faulty module's slot, its token pulled out */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(list[i].token_present, 0);
    vbsig_pkcs11_tokens_free(list, n);
    vbsig_ctx_free(ctx);
}

static void test_absent_token(void **state)
{
    (void)state;
    setenv("VBSIG_FAULTY_ABSENT", "1", 1);
    vbsig_signer *s = NULL;
    int rc = open_signer(&s, 0);
    unsetenv("VBSIG_FAULTY_ABSENT");
    assert_int_equal(rc, VBSIG_E_TOKEN_ABSENT);
    assert_null(s);
    assert_non_null(strstr(vbsig_last_error(), "insert the token"));
}

typedef struct signer_thread {
    vbsig_signer *s;
    int ok, removed, other;
} signer_thread;

static void *sign_many(void *arg)
{
    signer_thread *t = arg;
    uint8_t digest[32] = {1, 2, 3};
    for (int i = 0; i < 40; i++) {
        vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, sizeof digest};
        uint8_t sig[VBSIG_MAX_SIGNATURE];
        size_t len = sizeof sig;
        int rc = vbsig_signer_sign_digest(t->s, &req, sig, &len);
        if (rc == VBSIG_OK)
            t->ok++;
        else if (rc == VBSIG_E_TOKEN_REMOVED)
            t->removed++;
        else
            t->other++;
    }
    return NULL;
}

static void test_removed_while_threads_sign(void **state)
{
    (void)state;
    vbsig_signer *s = NULL;
    assert_int_equal(open_signer(&s, 0), VBSIG_OK);
    setenv("VBSIG_FAULTY_REMOVE_AFTER", "50", 1);
    signer_thread t[4] = {{s, 0, 0, 0}, {s, 0, 0, 0}, {s, 0, 0, 0}, {s, 0, 0, 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, sign_many, &t[i]), 0);
    int ok = 0, removed = 0, other = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ok += t[i].ok;
        removed += t[i].removed;
        other += t[i].other;
    }
    assert_int_equal(other, 0);
    assert_int_equal(ok + removed, 160);
    assert_in_range(ok, 50, 53); /* threads already inside C_Sign may finish theirs */
    /* afterwards the signer says so at once */
    uint8_t digest[32] = {0};
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, sizeof digest};
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t len = sizeof sig;
    assert_int_equal(vbsig_signer_sign_digest(s, &req, sig, &len), VBSIG_E_TOKEN_REMOVED);
    assert_non_null(strstr(vbsig_last_error(), "removed"));
    vbsig_signer_free(s);
    unsetenv("VBSIG_FAULTY_REMOVE_AFTER");
}

static int sign_once(vbsig_signer *s)
{
    uint8_t digest[32] = {7};
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, digest, sizeof digest};
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t len = sizeof sig;
    return vbsig_signer_sign_digest(s, &req, sig, &len);
}

/* Pulled out and put back: the signer finds the token again, logs in again
 * (the PIN source is an environment variable, so it can be read again) and
 * carries on; the old sessions, dead on the token, are not reused. */
static void test_reinserted_token_recovers(void **state)
{
    (void)state;
    char flag[1100];
    snprintf(flag, sizeof flag, "%s/faults/present", getenv("VBSIG_TEST_TMP"));
    FILE *f = fopen(flag, "w");
    assert_non_null(f);
    fclose(f);
    setenv("VBSIG_FAULTY_PRESENT_FILE", flag, 1);
    setenv("VBSIG_TEST_PIN", "1234", 1);
    vbsig_pkcs11_opts o;
    vbsig_pkcs11_opts_init(&o);
    o.module = g_faulty;
    o.pin_source = "env:VBSIG_TEST_PIN";
    vbsig_signer *s = NULL;
    assert_int_equal(vbsig_signer_from_pkcs11(&s, NULL, "pkcs11:token=vbsig-test;object=ecp256;type=private", &o), VBSIG_OK);
    assert_int_equal(sign_once(s), VBSIG_OK);
    unlink(flag); /* pulled out */
    assert_int_equal(sign_once(s), VBSIG_E_TOKEN_REMOVED);
    assert_int_equal(sign_once(s), VBSIG_E_TOKEN_REMOVED);
    if (strstr(vbsig_last_error(), "insert it again") == NULL)
        fail_msg("while away: %s", vbsig_last_error());
    f = fopen(flag, "w"); /* put back */
    assert_non_null(f);
    fclose(f);
    int rc = sign_once(s);
    if (rc != VBSIG_OK)
        fail_msg("after re-insertion: %s", vbsig_last_error());
    for (int i = 0; i < 5; i++)
        assert_int_equal(sign_once(s), VBSIG_OK);
    vbsig_signer_free(s);
    unsetenv("VBSIG_FAULTY_PRESENT_FILE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_that_never_returns),
        cmocka_unit_test(test_absent_token),
        cmocka_unit_test(test_settings_from_the_context),
        cmocka_unit_test(test_reinserted_token_recovers),
        cmocka_unit_test(test_removed_while_threads_sign),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
