/* XML signing and verification through the public API with the test PKI:
 * RSA and ECDSA, XAdES and plain XMLDSig, streaming canonicalization
 * against libxml2's buffered one, byte preservation, and the failures a
 * verifier must name. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <libxml/c14n.h>

#include "test_pki.h"
#include "util/util.h"
#include "crypto/crypto.h"
#include "xml/xml.h"
#include "validate/validate.h"
#include "vbsig/vbsig.h"

static const char DOC[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- trước gốc -->\n"
    "<HDon xmlns=\"urn:vn:hdon\" xmlns:x=\"urn:unused\">\n"
    "  <DLHDon Id=\"dl-1\"><Ten>Công ty Cổ phần Vĩnh Long</Ten><TTien a=\"1\"   b='2'>1.000.000</TTien></DLHDon>\n"
    "  <DSCKS><NBan/><NMua/></DSCKS>\n"
    "</HDon>\n";

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
    assert_int_equal(vbsig_signer_from_pkcs12(&f->ec, pki_path("signers/ecp384.p12"), "pass:vbsig-test"), VBSIG_OK);
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

static vbsig_report *verify(fixture *f, const void *p, size_t n)
{
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_xml_verify(f->ctx, p, n, &r), VBSIG_OK);
    return r;
}

static void sign(fixture *f, vbsig_signer *s, const vbsig_xml_sign_opts *o, const void *p, size_t n, vbsig_buf *out)
{
    int rc = vbsig_xml_sign(f->ctx, s, o, p, n, out);
    if (rc != VBSIG_OK)
        fail_msg("sign: %s", vbsig_last_error());
}

/* The streamed digest equals the digest of libxml2's buffered canonical form. */
static void test_c14n_streaming_matches_buffer(void **state)
{
    (void)state;
    vbsig_xml_doc d;
    assert_int_equal(vbsig_xml_parse((const uint8_t *)DOC, strlen(DOC), 0, "doc", &d), VBSIG_OK);
    int modes[] = {XML_C14N_EXCLUSIVE_1_0, XML_C14N_1_0, XML_C14N_1_1};
    for (size_t i = 0; i < 3; i++) {
        xmlChar *buf = NULL;
        int len = xmlC14NDocDumpMemory(d.doc, NULL, modes[i], NULL, 0, &buf);
        assert_true(len > 0);
        uint8_t want[64], got[EVP_MAX_MD_SIZE];
        size_t want_len = 0, got_len = 0;
        assert_int_equal(vbsig_digest_bytes(VBSIG_DIGEST_SHA256, buf, (size_t)len, want, &want_len), VBSIG_OK);
        vbsig_c14n_alg alg = {modes[i], 0};
        assert_int_equal(vbsig_xml_c14n_hash(d.doc, (xmlNodePtr)d.doc, NULL, &alg, NULL, VBSIG_DIGEST_SHA256, got,
                                             &got_len), VBSIG_OK);
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, got_len);
        /* The comment before the root is not in the canonical form. */
        assert_null(memmem(buf, (size_t)len, "trước gốc", strlen("trước gốc")));
        xmlFree(buf);
    }
    vbsig_xml_doc_clear(&d);
}

static void test_xades_rsa_keeps_bytes(void **state)
{
    fixture *f = *state;
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    vbsig_buf out = {0};
    sign(f, f->rsa, &o, DOC, strlen(DOC), &out);
    /* The original bytes are all there, the Signature inserted before </HDon>. */
    const char *start = memmem(out.data, out.len, "<ds:Signature", 13);
    const char *end = memmem(out.data, out.len, "</ds:Signature>", 15);
    assert_non_null(start);
    assert_non_null(end);
    size_t head = (size_t)(start - (const char *)out.data), tail_at = (size_t)(end + 15 - (const char *)out.data);
    assert_memory_equal(out.data, DOC, head);
    assert_int_equal(out.len - tail_at, strlen(DOC) - head);
    assert_memory_equal(out.data + tail_at, DOC + head, out.len - tail_at);
    assert_memory_equal(DOC + head, "</HDon>", 7);
    assert_null(memmem(out.data, out.len, "&#13;", 5));
    vbsig_report *r = verify(f, out.data, out.len);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    assert_string_equal(vbsig_report_signature_level(r, 0), "B-B");
    assert_string_equal(r->format, "xades");
    assert_int_equal(r->sigs[0].whole_document, 1);
    vbsig_report_free(r);
    vbsig_buf_free(&out);
}

static void test_xmldsig_ecdsa_raw_value(void **state)
{
    fixture *f = *state;
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    o.xades = 0;
    o.digest = VBSIG_DIGEST_SHA384;
    vbsig_buf out = {0};
    sign(f, f->ec, &o, DOC, strlen(DOC), &out);
    assert_non_null(memmem(out.data, out.len, "xmldsig-more#ecdsa-sha384", 25));
    assert_null(memmem(out.data, out.len, "QualifyingProperties", 20));
    const char *v = memmem(out.data, out.len, "<ds:SignatureValue>", 19);
    assert_non_null(v);
    v += 19;
    const char *e = strstr(v, "</ds:SignatureValue>");
    uint8_t *raw = NULL;
    size_t raw_len = 0;
    assert_int_equal(vbsig_base64_decode(v, (size_t)(e - v), &raw, &raw_len), VBSIG_OK);
    assert_int_equal(raw_len, 96); /* P-384: r||s, 48 bytes each, not DER */
    free(raw);
    vbsig_report *r = verify(f, out.data, out.len);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    assert_null(vbsig_report_signature_level(r, 0));
    assert_string_equal(r->format, "xmldsig");
    vbsig_report_free(r);
    vbsig_buf_free(&out);
}

static void test_tamper_detected(void **state)
{
    fixture *f = *state;
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    vbsig_buf out = {0};
    sign(f, f->rsa, &o, DOC, strlen(DOC), &out);
    char *amount = memmem(out.data, out.len, "1.000.000", 9);
    amount[0] = '9';
    vbsig_report *r = verify(f, out.data, out.len);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_FAILED);
    assert_string_equal(vbsig_report_signature_subindication(r, 0), "HASH_FAILURE");
    vbsig_report_free(r);
    amount[0] = '1';
    /* A comment added inside signed content changes nothing canonical. */
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    size_t at = (size_t)((uint8_t *)amount - out.data);
    vbsig_bytes_append(&b, out.data, at);
    vbsig_bytes_append_str(&b, "<!--x-->");
    vbsig_bytes_append(&b, out.data + at, out.len - at);
    r = verify(f, b.data, b.len);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    vbsig_report_free(r);
    vbsig_bytes_free(&b);
    vbsig_buf_free(&out);
}

static void test_two_signatures_coexist(void **state)
{
    fixture *f = *state;
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    o.reference = "#dl-1";
    o.parent_xpath = "//*[local-name()='NBan']";
    vbsig_buf one = {0}, two = {0}, three = {0};
    sign(f, f->rsa, &o, DOC, strlen(DOC), &one);
    o.parent_xpath = "//*[local-name()='NMua']";
    sign(f, f->ec, &o, one.data, one.len, &two);
    vbsig_report *r = verify(f, two.data, two.len);
    assert_int_equal(vbsig_report_signature_count(r), 2);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    assert_int_equal(r->sigs[0].whole_document, 0);
    vbsig_report_free(r);
    /* A whole-document signature placed inside DLHDon's sibling would break
     * nothing, but one inside the signed DLHDon would: refused. */
    o.parent_xpath = "//*[local-name()='Ten']";
    o.reference = NULL;
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, two.data, two.len, &three), VBSIG_E_REFUSED);
    assert_null(three.data);
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, one.data, one.len, &three), VBSIG_E_REFUSED);
    o.reference = "#missing";
    o.parent_xpath = NULL;
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)DOC, strlen(DOC), &three), VBSIG_E_INVALID_ARG);
    o.reference = NULL;
    o.parent_xpath = "//*[local-name()='DSCKS']/*";
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)DOC, strlen(DOC), &three), VBSIG_E_INVALID_ARG);
    vbsig_buf_free(&one);
    vbsig_buf_free(&two);
}

/* Inclusive forms inherit the ancestors' namespaces and xml:lang: the
 * parts are canonicalized in place, and the result verifies. */
static void test_inclusive_c14n_in_context(void **state)
{
    fixture *f = *state;
    static const char doc[] = "<r xmlns=\"urn:r\" xmlns:q=\"urn:q\" xml:lang=\"vi\"><a Id=\"a1\" q:x=\"1\">"
                              "<b>Văn bản</b></a><slot><inner/></slot></r>";
    vbsig_xml_c14n modes[] = {VBSIG_XML_C14N_INCLUSIVE, VBSIG_XML_C14N_INCLUSIVE_11};
    const char *uris[] = {"REC-xml-c14n-20010315", "xml-c14n11"};
    for (size_t i = 0; i < 2; i++) {
        vbsig_xml_sign_opts o;
        vbsig_xml_sign_opts_init(&o);
        o.c14n = modes[i];
        o.reference = i == 0 ? NULL : "#a1";
        o.parent_xpath = "//*[local-name()='inner']";
        vbsig_buf out = {0};
        sign(f, i == 0 ? f->rsa : f->ec, &o, doc, strlen(doc), &out);
        assert_non_null(memmem(out.data, out.len, uris[i], strlen(uris[i])));
        assert_null(memmem(out.data, out.len, "xml-exc-c14n", 12));
        vbsig_report *r = verify(f, out.data, out.len);
        assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
        assert_string_equal(vbsig_report_signature_level(r, 0), "B-B");
        vbsig_report_free(r);
        vbsig_buf_free(&out);
    }
}

static void test_refusals_when_signing(void **state)
{
    fixture *f = *state;
    vbsig_xml_sign_opts o;
    vbsig_xml_sign_opts_init(&o);
    vbsig_buf out = {0};
    const char *dtd = "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>";
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)dtd, strlen(dtd), &out), VBSIG_E_REFUSED);
    const char *dup = "<a><b Id=\"x\"/><c Id=\"x\"/></a>";
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)dup, strlen(dup), &out), VBSIG_E_REFUSED);
    const char *latin = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>";
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)latin, strlen(latin), &out), VBSIG_E_UNSUPPORTED);
    o.digest = VBSIG_DIGEST_SHA1;
    assert_int_equal(vbsig_xml_sign(f->ctx, f->rsa, &o, (const uint8_t *)DOC, strlen(DOC), &out), VBSIG_E_INVALID_ARG);
    assert_null(out.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c14n_streaming_matches_buffer),
        cmocka_unit_test(test_xades_rsa_keeps_bytes),
        cmocka_unit_test(test_xmldsig_ecdsa_raw_value),
        cmocka_unit_test(test_tamper_detected),
        cmocka_unit_test(test_two_signatures_coexist),
        cmocka_unit_test(test_inclusive_c14n_in_context),
        cmocka_unit_test(test_refusals_when_signing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
