/* Enveloping and detached XML signatures through the public API, and the
 * rules that keep a detached Reference from naming anything but the data
 * file the caller gave: bare names only, percent-encoded, compared after
 * decoding. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "test_pki.h"
#include "util/util.h"
#include "xml/xml.h"
#include "validate/validate.h"
#include "vbsig/vbsig.h"

static const char DOC[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- trước gốc --><?pi x?>\n"
    "<HDon xmlns=\"urn:vn:hdon\"><DLHDon Id=\"dl-1\"><Ten>Công ty Vĩnh Long &amp; Cộng sự</Ten></DLHDon></HDon>\n"
    "<!-- sau gốc -->\n";

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *rsa, *ec;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(vbsig_ctx_new(&f->ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_revocation_mode(f->ctx, VBSIG_REVOCATION_OFF), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->rsa, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->ec, pki_path("signers/ecp256.p12"), "pass:vbsig-test"), VBSIG_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vbsig_signer_free(f->rsa);
    vbsig_signer_free(f->ec);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void test_uri_from_name(void **state)
{
    (void)state;
    char *uri = NULL;
    assert_int_equal(vbsig_xml_uri_from_name("cong-van_01.txt", &uri), VBSIG_OK);
    assert_string_equal(uri, "cong-van_01.txt");
    free(uri);
    assert_int_equal(vbsig_xml_uri_from_name("Công văn 5.pdf", &uri), VBSIG_OK);
    assert_string_equal(uri, "C%C3%B4ng%20v%C4%83n%205.pdf");
    assert_true(vbsig_xml_uri_names_file(uri, "Công văn 5.pdf"));
    free(uri);
    assert_int_equal(vbsig_xml_uri_from_name("a/b.txt", &uri), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_xml_uri_from_name("..", &uri), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_xml_uri_from_name("", &uri), VBSIG_E_INVALID_ARG);
    assert_null(uri);
}

static void test_uri_names_only_that_file(void **state)
{
    (void)state;
    assert_true(vbsig_xml_uri_names_file("a.txt", "a.txt"));
    assert_true(vbsig_xml_uri_names_file("%61.txt", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("a.txt", "b.txt"));
    assert_false(vbsig_xml_uri_names_file("a.tx", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("a.txtx", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("file:a.txt", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("file:///etc/a.txt", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("http://127.0.0.1/a.txt", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("./a.txt", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("../a.txt", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("x%2Fa.txt", "x/a.txt"));
    assert_false(vbsig_xml_uri_names_file("a.txt#x", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("a.txt?x", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("a.txt%", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("a.txt%0", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("a%00.txt", "a"));
    assert_false(vbsig_xml_uri_names_file("", "a.txt"));
    assert_false(vbsig_xml_uri_names_file("a.txt", ".."));
}

static void test_root_span(void **state)
{
    (void)state;
    size_t start = 0, end = 0;
    assert_int_equal(vbsig_xml_root_span((const uint8_t *)DOC, strlen(DOC), &start, &end), VBSIG_OK);
    assert_memory_equal(DOC + start, "<HDon ", 6);
    assert_memory_equal(DOC + end - 7, "</HDon>", 7);
    const char *empty = "\xEF\xBB\xBF<?xml version=\"1.0\"?><a x=\"/>\"/>\n";
    assert_int_equal(vbsig_xml_root_span((const uint8_t *)empty, strlen(empty), &start, &end), VBSIG_OK);
    assert_int_equal(end - start, strlen("<a x=\"/>\"/>"));
    assert_memory_equal(empty + start, "<a x=\"/>\"/>", end - start);
}

static void test_enveloping(void **state)
{
    fixture *f = *state;
    vbsig_signer *signers[] = {f->rsa, f->ec};
    for (int xades = 0; xades < 2; xades++) {
        vbsig_xml_sign_opts o;
        vbsig_xml_sign_opts_init(&o);
        o.mode = VBSIG_XML_ENVELOPING;
        o.xades = xades;
        vbsig_buf out = {0};
        int rc = vbsig_xml_sign(f->ctx, signers[xades], &o, (const uint8_t *)DOC, strlen(DOC), &out);
        if (rc != VBSIG_OK)
            fail_msg("sign: %s", vbsig_last_error());
        /* The Signature is the root; the document's root element sits in
         * an Object as it was written, the prolog and trailing comment not. */
        assert_non_null(memmem(out.data, out.len, "?>\n<ds:Signature ", 17));
        const char *root = strstr(DOC, "<HDon");
        size_t root_len = (size_t)(strstr(DOC, "</HDon>") + 7 - root);
        const char *at = memmem(out.data, out.len, root, root_len);
        assert_non_null(at);
        assert_memory_equal(at + root_len, "</ds:Object>", 12);
        assert_null(memmem(out.data, out.len, "trước gốc", strlen("trước gốc")));
        vbsig_report *r = NULL;
        assert_int_equal(vbsig_xml_verify(f->ctx, out.data, out.len, &r), VBSIG_OK);
        assert_int_equal(r->count, 1);
        assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
        vbsig_report_free(r);
        /* One changed byte of the enveloped content fails the digest. */
        uint8_t *v = memmem(out.data, out.len, "Vĩnh", strlen("Vĩnh"));
        assert_non_null(v);
        v[0] = 'W';
        assert_int_equal(vbsig_xml_verify(f->ctx, out.data, out.len, &r), VBSIG_OK);
        assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_FAILED);
        assert_string_equal(r->sigs[0].subindication, "HASH_FAILURE");
        vbsig_report_free(r);
        vbsig_buf_free(&out);
    }
    /* Enveloping has no place for --xml-ref / --xml-parent. */
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    o.mode = VBSIG_XML_ENVELOPING;
    o.reference = "#dl-1";
    vbsig_buf out = {0};
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)DOC, strlen(DOC), &out), VBSIG_E_INVALID_ARG);
}

static void test_detached(void **state)
{
    fixture *f = *state;
    static const uint8_t data[] = {'%', 'P', 'D', 'F', 0, 1, 2, 0xff, '\n'};
    const char *name = "Công văn số 5.pdf";
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    o.mode = VBSIG_XML_DETACHED;
    vbsig_buf out = {0};
    /* The name is needed: it becomes the Reference URI. */
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, data, sizeof data, &out), VBSIG_E_INVALID_ARG);
    o.detached_name = name;
    int rc = vbsig_xml_sign(f->ctx, f->rsa, &o, data, sizeof data, &out);
    if (rc != VBSIG_OK)
        fail_msg("sign: %s", vbsig_last_error());
    assert_non_null(memmem(out.data, out.len, "URI=\"C%C3%B4ng%20v%C4%83n%20s%E1%BB%91%205.pdf\"", 47));
    assert_null(memmem(out.data, out.len, "<ds:Transforms><ds:Transform Algorithm=\"" VBSIG_XML_ENVELOPED_URI, 90));
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_xml_verify_detached(f->ctx, out.data, out.len, data, sizeof data, name, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    assert_int_equal(r->sigs[0].whole_document, 1);
    vbsig_report_free(r);
    /* Other bytes: the digest fails. */
    uint8_t changed[sizeof data];
    memcpy(changed, data, sizeof data);
    changed[5] ^= 1;
    assert_int_equal(vbsig_xml_verify_detached(f->ctx, out.data, out.len, changed, sizeof changed, name, &r), VBSIG_OK);
    assert_string_equal(r->sigs[0].subindication, "HASH_FAILURE");
    vbsig_report_free(r);
    /* Without the data: the signed data was not found (nothing is opened). */
    assert_int_equal(vbsig_xml_verify(f->ctx, out.data, out.len, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_indication(r), VBSIG_INDETERMINATE);
    assert_string_equal(r->sigs[0].subindication, "SIGNED_DATA_NOT_FOUND");
    vbsig_report_free(r);
    /* With a file of another name: it is the signed data, the digest
     * decides, and the report says the names differ. */
    vbsig_indication same_name = VBSIG_TOTAL_FAILED;
    assert_int_equal(vbsig_xml_verify_detached(f->ctx, out.data, out.len, data, sizeof data, name, &r), VBSIG_OK);
    same_name = vbsig_report_indication(r);
    vbsig_report_free(r);
    assert_int_equal(vbsig_xml_verify_detached(f->ctx, out.data, out.len, data, sizeof data, "other.pdf", &r), VBSIG_OK);
    assert_int_equal(vbsig_report_indication(r), same_name);
    int noted = 0;
    for (size_t i = 0; i < r->sigs[0].message_count; i++)
        noted |= strstr(r->sigs[0].messages[i], "other.pdf") != NULL;
    assert_true(noted);
    assert_int_equal(r->sigs[0].ref_count >= 1, 1);
    assert_string_equal(r->sigs[0].refs[0].kind, "detached");
    assert_int_equal(r->sigs[0].refs[0].bytes, sizeof data);
    vbsig_report_free(r);
    assert_int_equal(vbsig_xml_verify_detached(f->ctx, out.data, out.len, changed, sizeof changed, "other.pdf", &r),
                     VBSIG_OK);
    assert_string_equal(r->sigs[0].subindication, "HASH_FAILURE");
    vbsig_report_free(r);
    assert_int_equal(vbsig_xml_verify_detached(f->ctx, out.data, out.len, data, sizeof data, "../x", &r),
                     VBSIG_E_INVALID_ARG);
    vbsig_buf_free(&out);
    /* A name with a directory is refused when signing. */
    o.detached_name = "dir/x.pdf";
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, data, sizeof data, &out), VBSIG_E_INVALID_ARG);
}

static void test_bt_needs_xades_and_context(void **state)
{
    fixture *f = *state;
    const char *url = "http://127.0.0.1:1/tsa";
    vbsig_tsp_opts tsp;
    vbsig_tsp_opts_init(&tsp);
    tsp.urls = &url;
    tsp.url_count = 1;
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    o.tsp = &tsp;
    o.xades = 0;
    vbsig_buf out = {0};
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)DOC, strlen(DOC), &out), VBSIG_E_INVALID_ARG);
    o.xades = 1;
    assert_int_equal(vbsig_xml_sign(NULL, f->rsa, &o, (const uint8_t *)DOC, strlen(DOC), &out), VBSIG_E_INVALID_ARG);
    assert_null(out.data);
}

/* A signer that returns bytes that are no signature: the check after
 * signing must catch it on both paths (fresh document, and a document
 * with an earlier signature, which is verified again as a whole). */
static int garbage_sign(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    (void)impl;
    (void)req;
    for (size_t i = 0; i < 256; i++)
        sig[i] = (uint8_t)(i * 7 + 1);
    *sig_len = 256;
    return VBSIG_OK;
}

static void test_bad_signature_caught_after_signing(void **state)
{
    fixture *f = *state;
    vbsig_file_map cert;
    assert_int_equal(vbsig_file_map_open(&cert, pki_path("signers/rsa2048.der"), 0), VBSIG_OK);
    static const vbsig_signer_ops ops = {1, garbage_sign, NULL};
    vbsig_signer *bad = NULL;
    assert_int_equal(vbsig_signer_new(&bad, &ops, NULL, cert.data, cert.len), VBSIG_OK);
    vbsig_file_map_close(&cert);
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    vbsig_buf out = {0};
    assert_int_equal(vbsig_xml_sign(f->ctx, bad, &o, (const uint8_t *)DOC, strlen(DOC), &out), VBSIG_E_INTERNAL);
    assert_null(out.data);
    /* With the check off, the garbage goes out, and the verifier fails it. */
    o.verify_after_sign = 0;
    assert_int_equal(vbsig_xml_sign(f->ctx, bad, &o, (const uint8_t *)DOC, strlen(DOC), &out), VBSIG_OK);
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_xml_verify(f->ctx, out.data, out.len, &r), VBSIG_OK);
    assert_string_equal(r->sigs[0].subindication, "SIG_CRYPTO_FAILURE");
    vbsig_report_free(r);
    /* A second signature over that document takes the whole-output path. */
    vbsig_buf second = {0};
    o.verify_after_sign = 1;
    o.parent_xpath = "/*";
    assert_int_equal(vbsig_xml_sign(f->ctx, bad, &o, out.data, out.len, &second), VBSIG_E_INTERNAL);
    assert_null(second.data);
    /* A good signer over a document with a broken signature is fine: the
     * broken one was broken before. */
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, out.data, out.len, &second), VBSIG_OK);
    vbsig_buf_free(&second);
    vbsig_buf_free(&out);
    vbsig_signer_free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uri_from_name),
        cmocka_unit_test(test_uri_names_only_that_file),
        cmocka_unit_test(test_root_span),
        cmocka_unit_test(test_enveloping),
        cmocka_unit_test(test_detached),
        cmocka_unit_test(test_bt_needs_xades_and_context),
        cmocka_unit_test(test_bad_signature_caught_after_signing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
