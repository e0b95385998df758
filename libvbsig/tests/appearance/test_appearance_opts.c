/* The appearance options of PAdES signing: checked on both signing paths,
 * version 1 options (which end before `appearance`) still sign, and a
 * visible signature is refused clearly rather than made invisible while
 * the widget writer is not there. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_pki.h"
#include "util/util.h"
#include "vbsig/vbsig.h"

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *rsa;
    char in[1024], out[1024], png[1024];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(vbsig_ctx_new(&f->ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->rsa, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    const char *data = getenv("VBSIG_TEST_DATA"), *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(f->in, sizeof f->in, "%s/corpus/pdf/cairo-longan.pdf", data);
    snprintf(f->png, sizeof f->png, "%s/images/chu-ky-lanh-dao-xanh.png", data);
    snprintf(f->out, sizeof f->out, "%s/appearance-opts-%d.pdf", tmp != NULL ? tmp : "/tmp", (int)getpid());
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->out);
    vbsig_signer_free(f->rsa);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void leader(vbsig_pades_appearance *ap, const char *png)
{
    vbsig_pades_appearance_init(ap);
    ap->kind = VBSIG_APPEARANCE_LEADER;
    ap->image_path = png;
    ap->page = 0;
    ap->rect_mm[0] = 120, ap->rect_mm[1] = 200, ap->rect_mm[2] = 50, ap->rect_mm[3] = 20;
}

static void expect(fixture *f, const vbsig_pades_sign_opts *o, int status, const char *part)
{
    unlink(f->out);
    int rc = vbsig_pades_sign_file(f->ctx, f->rsa, f->in, f->out, o);
    if (rc != status)
        fail_msg("expected %s, got %s (%s)", vbsig_status_name(status), vbsig_status_name(rc), vbsig_last_error());
    if (strstr(vbsig_last_error(), part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", vbsig_last_error(), part);
    assert_int_not_equal(access(f->out, F_OK), 0); /* nothing written */
    /* The two-step path checks the same options before any work. */
    vbsig_pades_pending *p = NULL;
    assert_int_equal(vbsig_pades_prepare(f->ctx, f->rsa, f->in, o, &p), status);
    assert_null(p);
}

static void test_refusals(void **state)
{
    fixture *f = *state;
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    assert_int_equal(o.version, VBSIG_PADES_SIGN_OPTS_VERSION);
    assert_null(o.appearance);
    vbsig_pades_appearance ap;
    leader(&ap, f->png);
    o.appearance = &ap;
    expect(f, &o, VBSIG_E_UNSUPPORTED, "visible signatures");

    ap.version = 0;
    expect(f, &o, VBSIG_E_INVALID_ARG, "vbsig_pades_appearance_init");
    leader(&ap, f->png);
    ap.rect_mm[2] = 0;
    expect(f, &o, VBSIG_E_INVALID_ARG, "W,H");
    leader(&ap, NULL);
    expect(f, &o, VBSIG_E_INVALID_ARG, "--image");
    leader(&ap, f->png);
    ap.kind = (vbsig_appearance_kind)7;
    expect(f, &o, VBSIG_E_INVALID_ARG, "appearance kind 7");
}

static void test_none_and_v1_sign(void **state)
{
    fixture *f = *state;
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    vbsig_pades_appearance ap;
    vbsig_pades_appearance_init(&ap); /* kind NONE: invisible, as before */
    o.appearance = &ap;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, f->in, f->out, &o), VBSIG_OK);
    unlink(f->out);
    /* A version 1 caller's struct has no `appearance`: whatever lies there
     * is not read, so it signs invisibly. */
    leader(&ap, f->png);
    o.version = 1;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, f->in, f->out, &o), VBSIG_OK);
    assert_int_equal(access(f->out, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_none_and_v1_sign, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
