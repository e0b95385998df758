/* The ETSI TS 119 102-2 writer on report models built by hand: markup in
 * names and ids is escaped (the output parses and keeps the text), an
 * empty report is still a valid document, and entries without a chain or
 * a signature digest leave those parts out. Real signatures are covered by
 * tests/cli/test_etsi_report.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "util/util.h"
#include "validate/validate.h"

static xmlDocPtr render(const vbsig_report *r)
{
    vbsig_buf b = {0};
    assert_int_equal(vbsig_report_to_etsi_xml(r, &b), VBSIG_OK);
    xmlDocPtr doc = xmlReadMemory((const char *)b.data, (int)b.len, "etsi.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    vbsig_buf_free(&b);
    return doc;
}

/* The string value of an XPath over the vr namespace. */
static char *xpath(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    assert_non_null(xc);
    xmlXPathRegisterNs(xc, BAD_CAST "vr", BAD_CAST "http://uri.etsi.org/19102/v1.2.1#");
    xmlXPathRegisterNs(xc, BAD_CAST "ds", BAD_CAST "http://www.w3.org/2000/09/xmldsig#");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xc);
    assert_non_null(o);
    xmlChar *s = xmlXPathCastToString(o);
    char *out = strdup((const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(xc);
    return out;
}

static void expect(xmlDocPtr doc, const char *expr, const char *want)
{
    char *got = xpath(doc, expr);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got '%s', want '%s'", expr, got, want);
    free(got);
}

static void test_markup_is_escaped(void **state)
{
    (void)state;
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_report_create("xades", &r), VBSIG_OK);
    vbsig_sig_entry *e = NULL;
    assert_int_equal(vbsig_report_add_entry(r, &e), VBSIG_OK);
    assert_int_equal(vbsig_entry_set_id(e, "id\"><vr:Evil a='1'>&amp;"), VBSIG_OK);
    e->has_signer = 1;
    e->signer.subject = strdup("CN=</vr:Signer><x>&\"Nguyễn\"");
    assert_non_null(e->signer.subject);
    vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "TRY_LATER");
    e->validation_time = 1764590400; /* 2025-12-01T12:00:00Z */
    e->claimed_signing_time = 1764586800;
    const uint8_t sig[] = {1, 2, 3};
    vbsig_entry_set_signature_value(e, sig, sizeof sig);
    xmlDocPtr doc = render(r);
    expect(doc, "string(//vr:DAIdentifier)", "id\"><vr:Evil a='1'>&amp;");
    expect(doc, "string(//vr:Signer)", "CN=</vr:Signer><x>&\"Nguyễn\"");
    expect(doc, "count(//vr:Evil)", "0");
    expect(doc, "string(//vr:MainIndication)", "urn:etsi:019102:mainindication:indeterminate");
    expect(doc, "string(//vr:SubIndication)", "urn:etsi:019102:subindication:TRY_LATER");
    expect(doc, "string(//vr:ValidationTime)", "2025-12-01T12:00:00Z");
    expect(doc, "string(//vr:BestSignatureTime/vr:POETime)", "2025-12-01T12:00:00Z");
    expect(doc, "string(//vr:SigningTime/vr:Time)", "2025-12-01T11:00:00Z");
    /* SHA-256 of 01 02 03 (openssl dgst -sha256 -binary | base64). */
    expect(doc, "string(//ds:DigestValue)", "A5BYxvLAy0ksUzsKTRTvd8wPeKvMztUofYShogEc+4E=");
    expect(doc, "count(//vr:SignerCertificate)", "0");
    expect(doc, "count(//vr:SignatureValidationObjects)", "0");
    xmlFreeDoc(doc);
    vbsig_report_free(r);
}

static void test_empty_report(void **state)
{
    (void)state;
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_report_create("cades", &r), VBSIG_OK);
    xmlDocPtr doc = render(r);
    expect(doc, "local-name(/*)", "ValidationReport");
    expect(doc, "count(//vr:SignatureValidationReport)", "0");
    xmlFreeDoc(doc);
    vbsig_report_free(r);
}

static void test_refuses_bad_arguments(void **state)
{
    (void)state;
    vbsig_buf b = {0};
    assert_int_equal(vbsig_report_to_etsi_xml(NULL, &b), VBSIG_E_INVALID_ARG);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markup_is_escaped),
        cmocka_unit_test(test_empty_report),
        cmocka_unit_test(test_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
