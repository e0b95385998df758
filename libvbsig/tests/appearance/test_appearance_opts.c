/* The appearance options of PAdES signing: checked on both signing paths,
 * version 1 options (which end before `appearance`) still sign invisibly,
 * and a visible signature comes out the same from the one-shot and the
 * two-step path: one widget /F 4 with a /Rect where it was asked, on that
 * page, an /AP /N form drawing an RGB image with a soft mask. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf/pdf.h"
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
    int rc = vbsig_pades_sign_file(f->ctx, f->rsa, o, f->in, f->out);
    if (rc != status)
        fail_msg("expected %s, got %s (%s)", vbsig_status_name(status), vbsig_status_name(rc), vbsig_last_error());
    if (strstr(vbsig_last_error(), part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", vbsig_last_error(), part);
    assert_int_not_equal(access(f->out, F_OK), 0); /* nothing written */
    /* The two-step path checks the same options before any work. */
    vbsig_pades_pending *p = NULL;
    assert_int_equal(vbsig_pades_prepare(f->ctx, f->rsa, o, f->in, &p), status);
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
    leader(&ap, f->png);
    ap.kind = VBSIG_APPEARANCE_ATTACHMENT;
    expect(f, &o, VBSIG_E_INVALID_ARG, "--doc-number");
    ap.kind = VBSIG_APPEARANCE_COPY;
    ap.copy_form = "SAO Y";
    expect(f, &o, VBSIG_E_INVALID_ARG, "--copy-org");
    leader(&ap, f->png);
    ap.page = 999;
    expect(f, &o, VBSIG_E_INVALID_ARG, "no page 999");
    leader(&ap, f->png);
    ap.rect_mm[0] = 0, ap.rect_mm[1] = 0, ap.rect_mm[2] = 0, ap.rect_mm[3] = 0; /* by the anchor */
    ap.anchor = "KHÔNG CÓ DÒNG NÀY";
    expect(f, &o, VBSIG_E_MALFORMED, "KHÔNG CÓ DÒNG NÀY");
}

static double absd(double v)
{
    return v < 0 ? -v : v;
}

static double num(const vbsig_pdf_obj *o)
{
    double v = -1;
    assert_int_equal(vbsig_pdf_get_number(o, &v), VBSIG_OK);
    return v;
}

static const vbsig_pdf_obj *deref(vbsig_pdf_doc *doc, const vbsig_pdf_obj *o)
{
    const vbsig_pdf_obj *r = NULL;
    assert_int_equal(vbsig_pdf_resolve(doc, VBSIG_PDF_NEWEST, o, &r), VBSIG_OK);
    assert_non_null(r);
    return r;
}

/* The output's one signature widget: on page `page` (0-based), /Rect
 * rect_mm of that page (unrotated A4 or the corpus page, from its top-left
 * corner), /F 4, the form draws Im0, an RGB image with an /SMask. */
static void check_widget(const char *path, size_t page, const double rect_mm[4])
{
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, NULL, path, 0), VBSIG_OK);
    vbsig_pdf_sig_field *fields = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n), VBSIG_OK);
    assert_int_equal(n, 1);
    const vbsig_pdf_obj *w = NULL, *pg = NULL;
    assert_int_equal(vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, fields[0].field.num, fields[0].field.gen, &w), VBSIG_OK);
    assert_int_equal(num(vbsig_pdf_dict_get(w, "F")), 4);
    assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(w, "FT"), "Sig"));
    vbsig_pdf_objref *pages = NULL;
    size_t np = 0;
    assert_int_equal(vbsig_pdf_pages(doc, VBSIG_PDF_NEWEST, &pages, &np), VBSIG_OK);
    const vbsig_pdf_obj *p = vbsig_pdf_dict_get(w, "P");
    assert_int_equal(p->u.ref.num, pages[page].num);
    assert_int_equal(vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, page, &pg), VBSIG_OK);
    free(pages);
    const vbsig_pdf_obj *mb = deref(doc, vbsig_pdf_dict_get(pg, "MediaBox"));
    double top = num(vbsig_pdf_array_get(mb, 3)), k = 72.0 / 25.4;
    const vbsig_pdf_obj *r = vbsig_pdf_dict_get(w, "Rect");
    /* the 600x240 image fitted into the rectangle: its width, centred */
    double x0 = num(vbsig_pdf_array_get(r, 0)), y0 = num(vbsig_pdf_array_get(r, 1));
    double x1 = num(vbsig_pdf_array_get(r, 2)), y1 = num(vbsig_pdf_array_get(r, 3));
    assert_true(absd(x0 - rect_mm[0] * k) < 0.01 && absd(x1 - (rect_mm[0] + rect_mm[2]) * k) < 0.01);
    assert_true(absd((top - y1) - rect_mm[1] * k) < 0.01 && absd((top - y0) - (rect_mm[1] + rect_mm[3]) * k) < 0.01);
    const vbsig_pdf_obj *ap = deref(doc, vbsig_pdf_dict_get(w, "AP"));
    const vbsig_pdf_obj *form = deref(doc, vbsig_pdf_dict_get(ap, "N"));
    assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(form, "Subtype"), "Form"));
    const vbsig_pdf_obj *res = deref(doc, vbsig_pdf_dict_get(form, "Resources"));
    const vbsig_pdf_obj *xo = deref(doc, vbsig_pdf_dict_get(res, "XObject"));
    const vbsig_pdf_obj *im = deref(doc, vbsig_pdf_dict_get(xo, "Im0"));
    assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(im, "ColorSpace"), "DeviceRGB"));
    assert_int_equal(num(vbsig_pdf_dict_get(im, "Width")), 600);
    const vbsig_pdf_obj *mask = deref(doc, vbsig_pdf_dict_get(im, "SMask"));
    assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(mask, "ColorSpace"), "DeviceGray"));
    vbsig_pdf_sig_fields_free(fields, n);
    vbsig_pdf_close(doc);
}

static void test_visible_both_paths(void **state)
{
    fixture *f = *state;
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    vbsig_pades_appearance ap;
    leader(&ap, f->png);
    ap.page = 2;
    o.appearance = &ap;
    /* 50 x 20 mm holds the 2.5:1 image 50 mm wide, 20 mm tall */
    const double want[4] = {120, 200, 50, 20};
    unlink(f->out);
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, f->in, f->out), VBSIG_OK);
    check_widget(f->out, 1, want);
    unlink(f->out);
    vbsig_pades_pending *p = NULL;
    assert_int_equal(vbsig_pades_prepare(f->ctx, f->rsa, &o, f->in, &p), VBSIG_OK);
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    assert_int_equal(vbsig_signer_sign_digest(f->rsa, vbsig_pades_pending_request(p), sig, &sig_len), VBSIG_OK);
    assert_int_equal(vbsig_pades_finish(p, sig, sig_len, f->out), VBSIG_OK);
    vbsig_pades_pending_free(p);
    check_widget(f->out, 1, want);
}

static void test_none_and_v1_sign(void **state)
{
    fixture *f = *state;
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    vbsig_pades_appearance ap;
    vbsig_pades_appearance_init(&ap); /* kind NONE: invisible, as before */
    o.appearance = &ap;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, f->in, f->out), VBSIG_OK);
    unlink(f->out);
    /* A version 1 caller's struct has no `appearance`: whatever lies there
     * is not read, so it signs invisibly. */
    leader(&ap, f->png);
    o.version = 1;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, f->in, f->out), VBSIG_OK);
    assert_int_equal(access(f->out, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_none_and_v1_sign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visible_both_paths, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
