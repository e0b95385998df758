/* The ByteRange rules (USF / SWA), the /Contents padding rule and /M
 * dates, on PDFs built in memory so every offset is known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pades/pades_verify_priv.h"
#include "pdf/pdf_builder.h"

/* First occurrence of needle in the built file (memmem is a GNU extension). */
static uint8_t *find(const pdfb *p, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= p->b.len; i++)
        if (memcmp(p->b.data + i, needle, n) == 0)
            return p->b.data + i;
    return NULL;
}

#define BR_PLACEHOLDER "/ByteRange [0 0000000000 0000000000 0000000000]"

/* One revision with the signature dictionary 5 (its /ByteRange a
 * placeholder) and a field 4 pointing at it. `contents` is the /Contents
 * token, `br` replaces the whole /ByteRange entry when not NULL. */
static void build(pdfb *p, const char *contents, const char *br)
{
    pdfb_begin(p);
    pdfb_obj(p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>");
    pdfb_obj(p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>");
    pdfb_obj(p, 4, 0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S) /Rect [0 0 0 0] /P 3 0 R /V 5 0 R >>");
    char body[512];
    snprintf(body, sizeof body, "<< /Type /Sig /SubFilter /adbe.pkcs7.detached %s /Contents %s >>",
             br != NULL ? br : BR_PLACEHOLDER, contents);
    pdfb_obj(p, 5, 0, body);
    static const unsigned e[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}, {0, 0, 0}};
    pdfb_xref(p, e, "/Size 6 /Root 1 0 R");
}

/* Writes [0 a b c] into the placeholder (same width). */
static void set_range(pdfb *p, long long a, long long b, long long c)
{
    uint8_t *at = find(p, "/ByteRange [0 ");
    assert_non_null(at);
    char text[64];
    snprintf(text, sizeof text, "/ByteRange [0 %010lld %010lld %010lld]", a, b, c);
    assert_int_equal(strlen(text), strlen(BR_PLACEHOLDER));
    memcpy(at, text, strlen(text));
}

/* The span of the /Contents token. */
static void gap(const pdfb *p, size_t *a, size_t *b)
{
    const uint8_t *c = find(p, "/Contents <");
    assert_non_null(c);
    *a = (size_t)(c - p->b.data) + 10;
    const uint8_t *end = memchr(c + 11, '>', p->b.len - (*a + 1));
    *b = (size_t)(end - p->b.data) + 1;
}

/* Runs the check; returns 1/0 and leaves the reason in why. */
static int check(pdfb *p, char *why, size_t why_len, size_t *rev)
{
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p->b.data, p->b.len, "t.pdf", 0), VBSIG_OK);
    const vbsig_pdf_obj *sig = NULL;
    assert_int_equal(vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, 5, 0, &sig), VBSIG_OK);
    uint64_t range[4];
    vbsig_pdf_objref holder = {5, 0};
    why[0] = '\0';
    int ok = vbsig_pades_check_byterange(doc, sig, holder, range, rev, why, why_len);
    vbsig_pdf_close(doc);
    pdfb_free(p);
    return ok;
}

static void expect_refused(pdfb *p, const char *reason)
{
    char why[512];
    size_t rev = 99;
    assert_int_equal(check(p, why, sizeof why, &rev), 0);
    if (strstr(why, reason) == NULL)
        fail_msg("reason '%s' not in '%s'", reason, why);
}

static void exact_range_accepted(void **state)
{
    (void)state;
    pdfb p;
    size_t a, b;
    build(&p, "<3003020100>", NULL);
    gap(&p, &a, &b);
    set_range(&p, (long long)a, (long long)b, (long long)(p.b.len - b));
    char why[512];
    size_t rev = 99;
    assert_int_equal(check(&p, why, sizeof why, &rev), 1);
    assert_int_equal(rev, 0);
}

static void short_of_revision_end(void **state)
{
    (void)state;
    pdfb p;
    size_t a, b;
    build(&p, "<3003020100>", NULL);
    gap(&p, &a, &b);
    set_range(&p, (long long)a, (long long)b, (long long)(p.b.len - b - 1));
    expect_refused(&p, "not the end of any revision");
}

static void gap_not_contents(void **state)
{
    (void)state;
    pdfb p;
    size_t a, b;
    build(&p, "<3003020100>", NULL);
    gap(&p, &a, &b);
    set_range(&p, (long long)a - 2, (long long)b, (long long)(p.b.len - b));
    expect_refused(&p, "is not this signature's /Contents string");
}

static void inverted_ranges(void **state)
{
    (void)state;
    pdfb p;
    size_t a, b;
    build(&p, "<3003020100>", NULL);
    gap(&p, &a, &b);
    set_range(&p, (long long)b, (long long)a, (long long)(p.b.len - a));
    expect_refused(&p, "is not of the form [0 a b c]");
}

static void malformed_arrays(void **state)
{
    (void)state;
    pdfb p;
    build(&p, "<3003020100>", "/ByteRange [0 10 20]");
    expect_refused(&p, "exactly 4 are required");
    build(&p, "<3003020100>", "/ByteRange [0 -5 20 30]");
    expect_refused(&p, "/ByteRange value 2 is not an integer");
    build(&p, "<3003020100>", "/ByteRange [0 5.5 20 30]");
    expect_refused(&p, "/ByteRange value 2 is not an integer");
    build(&p, "<3003020100>", "/ByteRange 1 0 R");
    expect_refused(&p, "no /ByteRange array");
    build(&p, "<3003020100>", "/ByteRange [1 10 20 30]");
    expect_refused(&p, "is not of the form [0 a b c]");
}

static void literal_contents(void **state)
{
    (void)state;
    pdfb p;
    build(&p, "(0\\003\\002\\001\\000)", "/ByteRange [0 10 20 30]");
    expect_refused(&p, "not a hexadecimal string");
}

/* A later revision lists the dictionary again (same offset, another
 * entry): the dictionary a verifier reads is not the signed revision's. */
static void dictionary_relisted_later(void **state)
{
    (void)state;
    pdfb p;
    size_t a, b;
    build(&p, "<3003020100>", NULL);
    gap(&p, &a, &b);
    set_range(&p, (long long)a, (long long)b, (long long)(p.b.len - b));
    size_t prev = (size_t)(strstr((const char *)p.b.data + b, "xref") - (const char *)p.b.data);
    static const unsigned e[][3] = {{5, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 6 /Root 1 0 R /Prev %zu", prev);
    pdfb_xref(&p, e, t);
    expect_refused(&p, "signature dictionary (object 5) is not part of the signed bytes of revision 1");
}

static void contents_padding(void **state)
{
    (void)state;
    size_t len = 0;
    static const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x05, 0, 0, 0};
    assert_int_equal(vbsig_pades_contents_length(der, sizeof der, &len), 1);
    assert_int_equal(len, 5);
    static const uint8_t ber[] = {0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0, 0};
    assert_int_equal(vbsig_pades_contents_length(ber, sizeof ber, &len), 1);
    assert_int_equal(len, 7);
    static const uint8_t hidden[] = {0x30, 0x03, 0x02, 0x01, 0x05, 0, 0x41, 0};
    assert_int_equal(vbsig_pades_contents_length(hidden, sizeof hidden, &len), 0);
    static const uint8_t truncated[] = {0x30, 0x09, 0x02, 0x01, 0x05};
    assert_int_equal(vbsig_pades_contents_length(truncated, sizeof truncated, &len), 0);
    static const uint8_t unterminated[] = {0x30, 0x80, 0x02, 0x01, 0x05};
    assert_int_equal(vbsig_pades_contents_length(unterminated, sizeof unterminated, &len), 0);
    static const uint8_t zeros[] = {0, 0, 0, 0};
    assert_int_equal(vbsig_pades_contents_length(zeros, sizeof zeros, &len), 0);
    uint8_t deep[400];
    for (size_t i = 0; i < sizeof deep; i += 2) {
        deep[i] = 0x30;
        deep[i + 1] = 0x80;
    }
    assert_int_equal(vbsig_pades_contents_length(deep, sizeof deep, &len), 0);
}

static void pdf_dates(void **state)
{
    (void)state;
    const char *utc = "D:20261122031500Z";
    const char *local = "D:20261122101500+07'00'";
    assert_int_equal(vbsig_pades_parse_date((const uint8_t *)utc, strlen(utc)), 1795317300);
    assert_int_equal(vbsig_pades_parse_date((const uint8_t *)local, strlen(local)), 1795317300);
    assert_int_equal(vbsig_pades_parse_date((const uint8_t *)"D:2026", 6), 1767225600);
    assert_int_equal(vbsig_pades_parse_date((const uint8_t *)"D:20261399", 10), 0);
    assert_int_equal(vbsig_pades_parse_date((const uint8_t *)"yesterday", 9), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_range_accepted),
        cmocka_unit_test(short_of_revision_end),
        cmocka_unit_test(gap_not_contents),
        cmocka_unit_test(inverted_ranges),
        cmocka_unit_test(malformed_arrays),
        cmocka_unit_test(literal_contents),
        cmocka_unit_test(dictionary_relisted_later),
        cmocka_unit_test(contents_padding),
        cmocka_unit_test(pdf_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
