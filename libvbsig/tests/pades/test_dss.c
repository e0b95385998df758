/* The /DSS writer (pades_dss_write.c): an update written over a small PDF
 * is read back by our reader with every item and /VRI link in place, the
 * catalog keeps its other entries, a second update merges (old items keep
 * their objects, nothing is stored twice), a malformed /DSS is refused, and
 * the item bound holds. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pades/pades.h"
#include "pdf/pdf_builder.h"
#include "pdf/pdf_internal.h"
#include "vbsig/vbsig.h"

static const char key1[] = "0123456789ABCDEF0123456789ABCDEF01234567";
static const char key2[] = "FEDCBA9876543210FEDCBA9876543210FEDCBA98";

/* catalog 1, pages 2, page 3; extra: more catalog entries */
static void base_pdf(pdfb *p, const char *extra)
{
    pdfb_begin(p);
    char cat[512];
    snprintf(cat, sizeof cat, "<< /Type /Catalog /Pages 2 0 R /Lang (vi-VN) %s >>", extra);
    pdfb_obj(p, 1, 0, cat);
    pdfb_obj(p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
}

static void bytes_cat(vbsig_bytes *out, const vbsig_bytes *a, const vbsig_bytes *b)
{
    vbsig_bytes_init(out);
    assert_int_equal(vbsig_bytes_append(out, a->data, a->len), VBSIG_OK);
    assert_int_equal(vbsig_bytes_append(out, b->data, b->len), VBSIG_OK);
}

static void add_linked(pades_dss *d, pades_dss_vri_entry *v, int kind, const char *text)
{
    size_t idx = 0;
    assert_int_equal(pades_dss_add(d, kind, (const uint8_t *)text, strlen(text), 0, &idx), VBSIG_OK);
    assert_int_equal(pades_dss_vri_link(v, kind, idx), VBSIG_OK);
}

static int has_item(const pades_dss *d, int kind, const char *text)
{
    for (size_t i = 0; i < d->pool[kind].count; i++)
        if (d->pool[kind].items[i].len == strlen(text) && memcmp(d->pool[kind].items[i].der, text, strlen(text)) == 0)
            return 1;
    return 0;
}

static void test_write_and_merge(void **state)
{
    (void)state;
    pdfb p;
    base_pdf(&p, "");
    static const unsigned entries[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {0, 0, 0}};
    pdfb_xref(&p, entries, "/Size 4 /Root 1 0 R");

    /* first update: two certificates, an OCSP response, a CRL */
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p.b.data, p.b.len, "base.pdf", 0), VBSIG_OK);
    pades_dss d;
    pades_dss_init(&d);
    assert_int_equal(pades_dss_load(doc, &d), VBSIG_OK);
    assert_int_equal(d.pool[PADES_DSS_CERT].count, 0);
    pades_dss_vri_entry *v = NULL;
    assert_int_equal(pades_dss_vri(&d, key1, &v), VBSIG_OK);
    add_linked(&d, v, PADES_DSS_CERT, "cert-one");
    add_linked(&d, v, PADES_DSS_CERT, "cert-two");
    add_linked(&d, v, PADES_DSS_CERT, "cert-one"); /* the same bytes: one item, one link */
    add_linked(&d, v, PADES_DSS_OCSP, "ocsp-one");
    add_linked(&d, v, PADES_DSS_CRL, "crl\0binary");
    assert_int_equal(d.pool[PADES_DSS_CERT].count, 2);
    assert_int_equal(v->count[PADES_DSS_CERT], 2);
    vbsig_bytes up1;
    assert_int_equal(pades_dss_update(doc, &d, &up1), VBSIG_OK);
    pades_dss_free(&d);
    vbsig_pdf_close(doc);

    vbsig_bytes f1;
    bytes_cat(&f1, &p.b, &up1);
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, f1.data, f1.len, "dss1.pdf", 0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_count(doc), 2);
    const vbsig_pdf_obj *cat = NULL;
    assert_int_equal(vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &cat), VBSIG_OK);
    assert_non_null(vbsig_pdf_dict_get(cat, "Pages"));
    assert_non_null(vbsig_pdf_dict_get(cat, "Lang"));
    size_t npages = 0;
    assert_int_equal(vbsig_pdf_page_count(doc, VBSIG_PDF_NEWEST, &npages), VBSIG_OK);
    assert_int_equal(npages, 1);
    pades_dss_init(&d);
    assert_int_equal(pades_dss_load(doc, &d), VBSIG_OK);
    assert_int_equal(d.pool[PADES_DSS_CERT].count, 2);
    assert_int_equal(d.pool[PADES_DSS_OCSP].count, 1);
    assert_int_equal(d.pool[PADES_DSS_CRL].count, 1);
    assert_true(has_item(&d, PADES_DSS_CERT, "cert-two"));
    assert_true(has_item(&d, PADES_DSS_CRL, "crl"));
    assert_int_equal(d.pool[PADES_DSS_CRL].items[0].len, 3); /* strlen: "crl" */
    assert_int_equal(d.vri_count, 1);
    assert_string_equal(d.vri[0].key, key1);
    assert_int_equal(d.vri[0].count[PADES_DSS_CERT], 2);
    assert_int_equal(d.vri[0].count[PADES_DSS_OCSP], 1);
    uint32_t old_num = d.pool[PADES_DSS_CERT].items[0].num;
    assert_true(old_num >= 4);

    /* second update: one new certificate under a new key, one old one again */
    assert_int_equal(pades_dss_vri(&d, key2, &v), VBSIG_OK);
    add_linked(&d, v, PADES_DSS_CERT, "cert-one");
    add_linked(&d, v, PADES_DSS_CERT, "cert-three");
    vbsig_bytes up2;
    assert_int_equal(pades_dss_update(doc, &d, &up2), VBSIG_OK);
    /* only the new certificate becomes a new stream */
    size_t streams = 0;
    for (const uint8_t *q = up2.data; (q = memmem(q, up2.len - (size_t)(q - up2.data), "\nstream\n", 8)) != NULL; q++)
        streams++;
    assert_int_equal(streams, 1);
    pades_dss_free(&d);
    vbsig_pdf_close(doc);

    vbsig_bytes f2;
    bytes_cat(&f2, &f1, &up2);
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, f2.data, f2.len, "dss2.pdf", 0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_count(doc), 3);
    pades_dss_init(&d);
    assert_int_equal(pades_dss_load(doc, &d), VBSIG_OK);
    assert_int_equal(d.pool[PADES_DSS_CERT].count, 3);
    assert_int_equal(d.vri_count, 2);
    assert_true(has_item(&d, PADES_DSS_CERT, "cert-three"));
    assert_int_equal(d.pool[PADES_DSS_CERT].items[0].num, old_num);
    for (size_t i = 0; i < d.vri_count; i++)
        assert_int_equal(d.vri[i].count[PADES_DSS_CERT], 2);
    pades_dss_free(&d);
    vbsig_pdf_close(doc);

    vbsig_bytes_free(&f2);
    vbsig_bytes_free(&up2);
    vbsig_bytes_free(&f1);
    vbsig_bytes_free(&up1);
    pdfb_free(&p);
}

static void test_malformed_dss(void **state)
{
    (void)state;
    pdfb p;
    base_pdf(&p, "/DSS << /Certs [3 0 R] >>"); /* object 3 is the page, no stream */
    static const unsigned entries[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {0, 0, 0}};
    pdfb_xref(&p, entries, "/Size 4 /Root 1 0 R");
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p.b.data, p.b.len, "bad-dss.pdf", 0), VBSIG_OK);
    pades_dss d;
    pades_dss_init(&d);
    assert_int_equal(pades_dss_load(doc, &d), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "is not a stream"));
    pades_dss_free(&d);
    vbsig_pdf_close(doc);
    pdfb_free(&p);

    base_pdf(&p, "/DSS 7");
    pdfb_xref(&p, entries, "/Size 4 /Root 1 0 R");
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p.b.data, p.b.len, "bad-dss2.pdf", 0), VBSIG_OK);
    pades_dss_init(&d);
    assert_int_equal(pades_dss_load(doc, &d), VBSIG_E_MALFORMED);
    pades_dss_free(&d);
    vbsig_pdf_close(doc);
    pdfb_free(&p);
}

/* One stream named 100 001 times: each reference costs, the stream is
 * decoded once, and the bound ends it. */
static void test_reference_bound(void **state)
{
    (void)state;
    pdfb p;
    pdfb_begin(&p);
    vbsig_bytes arr;
    vbsig_bytes_init(&arr);
    assert_int_equal(vbsig_bytes_append_str(&arr, "<< /Type /Catalog /Pages 2 0 R /DSS << /Certs ["), VBSIG_OK);
    for (int i = 0; i < 100001; i++)
        assert_int_equal(vbsig_bytes_append_str(&arr, " 4 0 R"), VBSIG_OK);
    assert_int_equal(vbsig_bytes_append_str(&arr, " ] >> >>"), VBSIG_OK);
    assert_int_equal(vbsig_bytes_append(&arr, "", 1), VBSIG_OK);
    p.off[1] = p.b.len;
    pdfb_printf(&p, "1 0 obj\n");
    pdfb_raw(&p, arr.data, arr.len - 1);
    pdfb_printf(&p, "\nendobj\n");
    pdfb_obj(&p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(&p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
    pdfb_obj(&p, 4, 0, "<< /Length 4 >>\nstream\ncert\nendstream");
    static const unsigned entries[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {0, 0, 0}};
    pdfb_xref(&p, entries, "/Size 5 /Root 1 0 R");
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p.b.data, p.b.len, "many-refs.pdf", 0), VBSIG_OK);
    pades_dss d;
    pades_dss_init(&d);
    int rc = pades_dss_load(doc, &d);
    assert_int_equal(rc, VBSIG_E_LIMIT);
    assert_non_null(strstr(vbsig_last_error(), "references"));
    assert_true(d.pool[PADES_DSS_CERT].count <= 1);
    pades_dss_free(&d);
    vbsig_pdf_close(doc);
    vbsig_bytes_free(&arr);
    pdfb_free(&p);
}

static void test_item_bound(void **state)
{
    (void)state;
    pades_dss d;
    pades_dss_init(&d);
    int rc = VBSIG_OK;
    size_t idx = 0, n = 0;
    for (; rc == VBSIG_OK && n < 30000; n++) {
        uint8_t item[8];
        memcpy(item, &n, sizeof item);
        rc = pades_dss_add(&d, PADES_DSS_OCSP, item, sizeof item, 0, &idx);
    }
    assert_int_equal(rc, VBSIG_E_LIMIT);
    assert_int_equal(d.pool[PADES_DSS_OCSP].count, n - 1);
    pades_dss_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_and_merge),
        cmocka_unit_test(test_malformed_dss),
        cmocka_unit_test(test_item_bound),
        cmocka_unit_test(test_reference_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
