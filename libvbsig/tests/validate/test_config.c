/* The verifier configuration file parser and how its settings combine
 * with the API's: URL rewrite precedence (the command line's rules first),
 * trust domains with an accept policy, limits and malformed input. The
 * CLI side is covered by tests/cli/test_trust_domains.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_pki.h"
#include "util/util.h"
#include "validate/rev.h"

static char g_path[4096];

/* Writes a fresh config file from a format and returns its path. */
static const char *conf_fmt(const char *fmt, ...)
{
    const char *tmp = getenv("VBSIG_TEST_TMP");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", tmp != NULL ? tmp : "/tmp");
    mkdir(dir, 0700); /* the unit tests may run before anything made it */
    snprintf(g_path, sizeof g_path, "%.4000s/unit-config-%ld.conf", dir, (long)getpid());
    FILE *f = fopen(g_path, "w");
    assert_non_null(f);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
    return g_path;
}
#define conf(text) conf_fmt("%s", text)

static char *rewrite(vbsig_ctx *ctx, const char *url)
{
    char *out = NULL;
    assert_int_equal(vbsig_rev_rewrite(&ctx->net, url, &out), VBSIG_OK);
    return out;
}

static void test_rewrite_precedence(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_load_config(ctx, conf("[network]\n"
                                                     "url-rewrite = http://ocsp.internal/=http://file.example/\n"
                                                     "url-rewrite = http://crl.internal/=http://crl.example/x/\n")),
                     VBSIG_OK);
    /* A rule added later through the API (the command line) wins over the
     * file's rule for the same prefix, wherever it sits in the list. */
    assert_int_equal(vbsig_ctx_add_url_rewrite(ctx, "http://ocsp.internal/", "http://cli.example/"), VBSIG_OK);
    char *a = rewrite(ctx, "http://ocsp.internal/q");
    char *b = rewrite(ctx, "http://crl.internal/ca.crl");
    char *c = rewrite(ctx, "http://other/ca.crl");
    assert_string_equal(a, "http://cli.example/q");
    assert_string_equal(b, "http://crl.example/x/ca.crl");
    assert_string_equal(c, "http://other/ca.crl");
    free(a);
    free(b);
    free(c);
    vbsig_ctx_free(ctx);
}

static void test_settings_and_domains(void **state)
{
    (void)state;
    const char *path = conf_fmt("  # comment line\n"
                                "[trust.national-root]   \n"
                                "anchors = %s  # trailing comment\n"
                                "[trust.gov-ca]\n"
                                "anchors = %s %s\n"
                                "[policy]\naccept = gov-ca\nweak = fail\n"
                                "[network]\noffline = yes\naia = no\n"
                                "[revocation]\r\nmode = soft\r\n",
                                pki_path_slot(0, "root/root.pem"), pki_path_slot(1, "unknownroot/root.pem"),
                                pki_path_slot(2, "trust"));
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_load_config(ctx, path), VBSIG_OK);
    assert_int_equal(ctx->net.offline, 1);
    assert_int_equal(ctx->aia, 0);
    assert_int_equal(ctx->weak_fails, 1);
    assert_int_equal((int)ctx->revocation, (int)VBSIG_REVOCATION_SOFT);
    /* national-root: 1 anchor, not accepted; gov-ca: the unknown root plus
     * the trust directory's root.pem and its hash-named copy is not read
     * (only .pem/.crt/.cer/.der), so 2 accepted anchors. */
    size_t national = 0, gov = 0, accepted = 0;
    for (size_t i = 0; i < ctx->anchor_ref_count; i++) {
        if (strcmp(ctx->anchor_refs[i].domain, "national-root") == 0)
            national++;
        if (strcmp(ctx->anchor_refs[i].domain, "gov-ca") == 0)
            gov++;
        accepted += ctx->anchor_refs[i].accepted != 0;
    }
    assert_int_equal(national, 1);
    assert_int_equal(gov, 2);
    assert_int_equal(accepted, 2);
    assert_int_equal(ctx->anchor_count, 2);
    vbsig_ctx_free(ctx);
}

static void expect_refused(const char *text, const char *where)
{
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_load_config(ctx, conf(text)), VBSIG_E_INVALID_ARG);
    if (strstr(vbsig_last_error(), where) == NULL)
        fail_msg("'%s' not in '%s'", where, vbsig_last_error());
    assert_int_equal(ctx->anchor_ref_count, 0);
    vbsig_ctx_free(ctx);
}

static void test_refusals(void **state)
{
    (void)state;
    expect_refused("[nothing]\n", ".conf:1:");
    expect_refused("key = value\n", ".conf:1:");
    expect_refused("[network]\noffline = perhaps\n", ".conf:2:");
    expect_refused("[network]\ncache-dir = /a\ncache-dir = /b\n", ".conf:3:");
    expect_refused("[network]\nurl-rewrite = =http://x/\n", ".conf:2:");
    expect_refused("[policy]\naccept = ghost\n", "'ghost'");
    expect_refused("[trust.bad name]\nanchors = /x\n", "bad name");
    expect_refused("[trust.x\n", ".conf:1:");
    char line[5000];
    memset(line, 'a', sizeof line - 2);
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = '\0';
    expect_refused(line, ".conf:1:");
    /* A NUL byte inside a line. */
    FILE *f = fopen(conf(""), "wb");
    assert_non_null(f);
    fwrite("[network]\noff\0line = yes\n", 1, 25, f);
    fclose(f);
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_load_config(ctx, g_path), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), ".conf:2:"));
    vbsig_ctx_free(ctx);
}

/* [serve] is kept for the local REST shim, by name, in file order. */
static void test_serve_section(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_null(vbsig_ctx_config_serve(ctx, "listen", 0));
    assert_int_equal(vbsig_ctx_load_config(ctx, conf("[serve]\nallow-origin = https://a.example\n"
                                                    "listen = 127.0.0.1:8123 # the port\n"
                                                    "allow-origin = https://b.example:8443\n")),
                     VBSIG_OK);
    assert_string_equal(vbsig_ctx_config_serve(ctx, "allow-origin", 0), "https://a.example");
    assert_string_equal(vbsig_ctx_config_serve(ctx, "allow-origin", 1), "https://b.example:8443");
    assert_null(vbsig_ctx_config_serve(ctx, "allow-origin", 2));
    assert_string_equal(vbsig_ctx_config_serve(ctx, "listen", 0), "127.0.0.1:8123");
    assert_null(vbsig_ctx_config_serve(ctx, "allow", 0));
    vbsig_ctx_free(ctx);
    expect_refused("[serve]\norigin = https://a.example\n", ".conf:2:");
    expect_refused("[serve]\nallow-origin =\n", ".conf:2:");
}

static void test_default_path(void **state)
{
    (void)state;
    const char *p = conf("[network]\noffline = yes\n");
    setenv("VBSIG_CONFIG", p, 1);
    char *got = vbsig_config_default_path();
    assert_non_null(got);
    assert_string_equal(got, p);
    vbsig_free(got);
    setenv("VBSIG_CONFIG", "", 1);
    assert_null(vbsig_config_default_path());
    unsetenv("VBSIG_CONFIG");
    unlink(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite_precedence),
        cmocka_unit_test(test_settings_and_domains),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_serve_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
