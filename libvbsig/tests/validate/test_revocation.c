/* Revocation pieces that need no network: URL rewriting, the on-disk
 * cache, and CRL checking against the test PKI's real CRLs (served from
 * the cache with the context offline). The network paths are covered by
 * tests/cli/test_revocation.sh against real servers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "test_pki.h"
#include "util/util.h"
#include "validate/rev.h"

#define CRL_URL "http://127.0.0.1:18080/intermediate.crl"

static X509 *load_cert(const char *rel)
{
    STACK_OF(X509) *certs = sk_X509_new_null();
    assert_non_null(certs);
    assert_int_equal(vbsig_certs_load_file(pki_path(rel), certs, 4), VBSIG_OK);
    X509 *c = sk_X509_shift(certs);
    sk_X509_pop_free(certs, X509_free);
    return c;
}

static void load_bytes(const char *rel, vbsig_bytes *out)
{
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, pki_path(rel), 0), VBSIG_OK);
    vbsig_bytes_init(out);
    assert_int_equal(vbsig_bytes_append(out, m.data, m.len), VBSIG_OK);
    vbsig_file_map_close(&m);
}

/* A fresh, empty cache directory for one test. */
static char *cache_dir(const char *name)
{
    const char *tmp = getenv("VBSIG_TEST_TMP");
    char *dir = malloc(4096);
    assert_non_null(dir);
    snprintf(dir, 4096, "%s/unit-revocation-%s-%ld", tmp != NULL ? tmp : "/tmp", name, (long)getpid());
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

static void remove_dir(char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static void test_rewrite_rules(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_url_rewrite(ctx, "http://ocsp.internal/", "http://ocsp.example.vn/x/"), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_url_rewrite(ctx, "http://ocsp.internal/", "http://second.example/"), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_url_rewrite(ctx, "ftp://x", "ftp://y"), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_ctx_add_url_rewrite(ctx, "", "http://y"), VBSIG_E_INVALID_ARG);
    char *out = NULL;
    assert_int_equal(vbsig_rev_rewrite(&ctx->net, "http://ocsp.internal/ca1", &out), VBSIG_OK);
    assert_string_equal(out, "http://ocsp.example.vn/x/ca1"); /* the first rule wins */
    free(out);
    assert_int_equal(vbsig_rev_rewrite(&ctx->net, "http://other/crl", &out), VBSIG_OK);
    assert_string_equal(out, "http://other/crl");
    free(out);
    vbsig_ctx_free(ctx);
}

static void test_cache_round_trip(void **state)
{
    (void)state;
    char *dir = cache_dir("cache");
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    vbsig_bytes got;
    vbsig_bytes_init(&got);
    /* Without a cache directory nothing is kept. */
    vbsig_bytes data;
    vbsig_bytes_init(&data);
    assert_int_equal(vbsig_bytes_append_str(&data, "answer"), VBSIG_OK);
    vbsig_rev_cache_put(&ctx->net, "k", &data);
    assert_int_equal(vbsig_rev_cache_get(&ctx->net, "k", 100, &got), VBSIG_OK);
    assert_int_equal(got.len, 0);
    assert_int_equal(vbsig_ctx_set_cache_dir(ctx, dir), VBSIG_OK);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(vbsig_rev_cache_get(&ctx->net, "k", 100, &got), VBSIG_OK);
    assert_int_equal(got.len, 0); /* a miss */
    vbsig_rev_cache_put(&ctx->net, "k", &data);
    assert_int_equal(vbsig_rev_cache_get(&ctx->net, "k", 100, &got), VBSIG_OK);
    assert_int_equal(got.len, 6);
    assert_memory_equal(got.data, "answer", 6);
    vbsig_bytes_free(&got);
    vbsig_bytes_init(&got);
    assert_int_equal(vbsig_rev_cache_get(&ctx->net, "other key", 100, &got), VBSIG_OK);
    assert_int_equal(got.len, 0);
    /* An entry larger than the caller's bound is a miss, not an error. */
    assert_int_equal(vbsig_rev_cache_get(&ctx->net, "k", 3, &got), VBSIG_OK);
    assert_int_equal(got.len, 0);
    /* A file is not a cache directory. */
    assert_int_equal(vbsig_ctx_set_cache_dir(ctx, pki_path("root/root.pem")), VBSIG_E_IO_WRITE);
    vbsig_bytes_free(&data);
    vbsig_bytes_free(&got);
    vbsig_ctx_free(ctx);
    remove_dir(dir);
}

/* The context offline, with `crl_rel` in its cache under the CDP URL. */
static vbsig_ctx *offline_with_crl(const char *dir, const char *crl_rel)
{
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_offline(ctx, 1), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_cache_dir(ctx, dir), VBSIG_OK);
    if (crl_rel != NULL) {
        vbsig_bytes crl;
        load_bytes(crl_rel, &crl);
        vbsig_rev_cache_put(&ctx->net, CRL_URL, &crl);
        vbsig_bytes_free(&crl);
    }
    return ctx;
}

static void check_crl(const char *crl_rel, const char *cert_rel, const char *issuer_rel, time_t when,
                      vbsig_rev_answer *ans)
{
    char *dir = cache_dir("crl");
    vbsig_ctx *ctx = offline_with_crl(dir, crl_rel);
    X509 *cert = load_cert(cert_rel), *issuer = load_cert(issuer_rel);
    memset(ans, 0, sizeof *ans);
    vbsig_rev_crl_check(&ctx->net, cert, issuer, when, ans);
    X509_free(cert);
    X509_free(issuer);
    vbsig_ctx_free(ctx);
    remove_dir(dir);
}

static void test_crl_der_and_pem(void **state)
{
    (void)state;
    vbsig_rev_answer a;
    const char *forms[] = {"crl/intermediate.crl", "crl/intermediate.crl.pem"};
    for (int i = 0; i < 2; i++) {
        check_crl(forms[i], "signers/withrev.pem", "ca/intermediate.pem", time(NULL), &a);
        assert_int_equal(a.state, VBSIG_REV_GOOD);
        assert_string_equal(a.source, "crl");
        assert_true(a.produced_at > 0 && a.produced_at <= time(NULL));
        check_crl(forms[i], "signers/revoked.pem", "ca/intermediate.pem", time(NULL), &a);
        assert_int_equal(a.state, VBSIG_REV_REVOKED);
        assert_int_equal(a.reason, 1);
        assert_string_equal(vbsig_rev_reason_name(a.reason), "keyCompromise");
        /* gen-pki.sh dates the revocation a day back. */
        assert_true(a.revoked_at < time(NULL) - 23 * 3600 && a.revoked_at > time(NULL) - 25 * 3600);
    }
}

static void test_crl_rejected(void **state)
{
    (void)state;
    vbsig_rev_answer a;
    /* Signed by the intermediate, checked as if the root issued the certificate. */
    check_crl("crl/intermediate.crl", "signers/withrev.pem", "root/root.pem", time(NULL), &a);
    assert_int_equal(a.state, VBSIG_REV_NONE);
    /* Past its nextUpdate (now + 7 days) the CRL is stale. */
    check_crl("crl/intermediate.crl", "signers/withrev.pem", "ca/intermediate.pem", time(NULL) + 8 * 86400, &a);
    assert_int_equal(a.state, VBSIG_REV_NONE);
    /* Not a CRL at all. */
    check_crl("root/root.pem", "signers/withrev.pem", "ca/intermediate.pem", time(NULL), &a);
    assert_int_equal(a.state, VBSIG_REV_NONE);
    /* Offline with nothing cached: nothing, and the reason says offline. */
    check_crl(NULL, "signers/withrev.pem", "ca/intermediate.pem", time(NULL), &a);
    assert_int_equal(a.state, VBSIG_REV_NONE);
    assert_non_null(strstr(a.why, "offline"));
}

static void test_crl_tampered(void **state)
{
    (void)state;
    char *dir = cache_dir("tampered");
    vbsig_ctx *ctx = offline_with_crl(dir, NULL);
    vbsig_bytes crl;
    load_bytes("crl/intermediate.crl", &crl);
    crl.data[crl.len - 5] ^= 0x01; /* inside the signature value */
    vbsig_rev_cache_put(&ctx->net, CRL_URL, &crl);
    vbsig_bytes_free(&crl);
    X509 *cert = load_cert("signers/withrev.pem"), *issuer = load_cert("ca/intermediate.pem");
    vbsig_rev_answer a = {0};
    vbsig_rev_crl_check(&ctx->net, cert, issuer, time(NULL), &a);
    assert_int_equal(a.state, VBSIG_REV_NONE);
    X509_free(cert);
    X509_free(issuer);
    vbsig_ctx_free(ctx);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite_rules),
        cmocka_unit_test(test_cache_round_trip),
        cmocka_unit_test(test_crl_der_and_pem),
        cmocka_unit_test(test_crl_rejected),
        cmocka_unit_test(test_crl_tampered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
