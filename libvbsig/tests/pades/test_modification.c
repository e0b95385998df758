/* Modification analysis on crafted incremental updates: each test builds a
 * small signed-looking revision 0 and one update, then checks the level
 * (none / allowed / disallowed) and the reason that names the object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pades/pades_verify_priv.h"
#include "pdf/pdf_builder.h"

/* Revision 0: catalog 1, pages 2, page 3 (content 4, annots [7]), unused
 * catalog 5, AcroForm 6 with the text field 7. Returns the xref offset. */
static size_t base(pdfb *p)
{
    pdfb_begin(p);
    pdfb_obj(p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>");
    pdfb_obj(p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [7 0 R] >>");
    pdfb_obj(p, 4, 0, "<< /Length 11 >>\nstream\n0 0 m 1 1 l\nendstream");
    pdfb_obj(p, 5, 0, "<< /Type /Catalog /Pages 2 0 R >>");
    pdfb_obj(p, 6, 0, "<< /Fields [7 0 R] >>");
    pdfb_obj(p, 7, 0, "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (a) /Rect [0 0 10 10] /P 3 0 R >>");
    static const unsigned e[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}, {6, 0, 1}, {7, 0, 1}, {0, 0, 0}};
    return pdfb_xref(p, e, "/Size 8 /Root 1 0 R");
}

/* Analyses revision 0 of the built file under DocMDP level cert_p; returns
 * the level and copies every reason, joined, into why. */
static const char *analyse(pdfb *p, int cert_p, char *why, size_t why_len)
{
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p->b.data, p->b.len, "t.pdf", 0), VBSIG_OK);
    vbsig_report *r = NULL;
    vbsig_sig_entry *e = NULL;
    assert_int_equal(vbsig_report_create("pades", &r), VBSIG_OK);
    assert_int_equal(vbsig_report_add_entry(r, &e), VBSIG_OK);
    assert_int_equal(vbsig_pades_analyse_changes(doc, 0, cert_p, NULL, e), VBSIG_OK);
    why[0] = '\0';
    for (size_t i = 0; i < e->mod_reason_count; i++) {
        strncat(why, e->mod_reasons[i], why_len - strlen(why) - 1);
        strncat(why, "\n", why_len - strlen(why) - 1);
    }
    const char *level = e->modifications;
    vbsig_report_free(r);
    vbsig_pdf_close(doc);
    pdfb_free(p);
    return level;
}

/* Checks the level, and that the reasons mention `reason` (when given). */
static void expect(pdfb *p, int cert_p, const char *level, const char *reason)
{
    char why[4096];
    const char *got = analyse(p, cert_p, why, sizeof why);
    assert_string_equal(got, level);
    if (reason != NULL && strstr(why, reason) == NULL)
        fail_msg("reason '%s' not in:\n%s", reason, why);
}
#define ANALYSE expect

static void no_update(void **state)
{
    (void)state;
    pdfb p;
    base(&p);
    ANALYSE(&p, 0, "none", NULL);
}

static void content_changed(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    pdfb_obj(&p, 4, 0, "<< /Length 11 >>\nstream\n9 9 m 1 1 l\nendstream");
    static const unsigned e[][3] = {{4, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 8 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 0, "disallowed", "object 4 (stream) changed");
}

/* A new signature field: AcroForm /Fields and page /Annots grow. */
static pdfb *add_field(pdfb *p, const char *widget)
{
    size_t x = base(p);
    pdfb_obj(p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [7 0 R 8 0 R] >>");
    pdfb_obj(p, 6, 0, "<< /Fields [7 0 R 8 0 R] /SigFlags 3 >>");
    pdfb_obj(p, 8, 0, widget);
    pdfb_obj(p, 9, 0, "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <00> >>");
    pdfb_obj(p, 10, 0, "<< /Length 0 /Subtype /Form /BBox [0 0 100 100] >>\nstream\n\nendstream");
    static const unsigned e[][3] = {{3, 0, 1}, {6, 0, 1}, {8, 0, 1}, {9, 0, 1}, {10, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 11 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(p, e, t);
    return p;
}

static void new_signature_allowed(void **state)
{
    (void)state;
    pdfb p;
    add_field(&p, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S2) /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>");
    ANALYSE(&p, 0, "allowed", "new signature field widget 8 on page 1");
}

static void new_signature_after_p1_disallowed(void **state)
{
    (void)state;
    pdfb p;
    add_field(&p, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S2) /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>");
    ANALYSE(&p, 1, "disallowed", "permits no changes");
}

static void sneaky_signature(void **state)
{
    (void)state;
    pdfb p;
    add_field(&p, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S2) /Rect [0 0 100 100] /P 3 0 R "
                  "/AP << /N 10 0 R >> >>");
    ANALYSE(&p, 2, "disallowed", "sneaky signature");
    /* The page draws only the path 0 0 -> 1 1: a widget well away from it
     * is clear of the certified content, except at P=1. */
    add_field(&p, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S2) /Rect [150 150 190 190] /P 3 0 R "
                  "/AP << /N 10 0 R >> >>");
    ANALYSE(&p, 2, "allowed", "new visible signature widget 8 on page 1, clear of the certified content");
    add_field(&p, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S2) /Rect [150 150 190 190] /P 3 0 R "
                  "/AP << /N 10 0 R >> >>");
    ANALYSE(&p, 1, "disallowed", "permits no changes");
    /* Touching the stroke's reach (line width 1, miter limit 10) is covering. */
    add_field(&p, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S2) /Rect [5 5 50 50] /P 3 0 R "
                  "/AP << /N 10 0 R >> >>");
    ANALYSE(&p, 2, "disallowed", "covers graphics drawn by the signed page");
}

static pdfb *add_annotation_at(pdfb *p, const char *rect)
{
    size_t x = base(p);
    pdfb_obj(p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [7 0 R 8 0 R] >>");
    char body[160];
    snprintf(body, sizeof body, "<< /Type /Annot /Subtype /Square /Rect %s /AP << /N 9 0 R >> >>", rect);
    pdfb_obj(p, 8, 0, body);
    pdfb_obj(p, 9, 0, "<< /Length 0 /Subtype /Form /BBox [0 0 100 100] >>\nstream\n\nendstream");
    static const unsigned e[][3] = {{3, 0, 1}, {8, 0, 1}, {9, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 10 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(p, e, t);
    return p;
}

static pdfb *add_annotation(pdfb *p)
{
    return add_annotation_at(p, "[0 0 100 100]");
}

static void annotation_by_level(void **state)
{
    (void)state;
    pdfb p;
    ANALYSE(add_annotation(&p), 2, "disallowed", "evil annotation");
    /* P=3 permits annotations, but not over what the page draws */
    ANALYSE(add_annotation(&p), 3, "disallowed", "new visible Square annotation 8 on page 1 at [0.0 0.0 100.0 100.0] covers graphics");
    ANALYSE(add_annotation_at(&p, "[150 150 190 190]"), 3, "allowed",
            "new visible Square annotation 8 on page 1, clear of the certified content");
    ANALYSE(add_annotation(&p), 0, "disallowed", "new Square annotation 8");
}

/* Revision 1 adds a visible Square annotation 8 in a blank area;
 * revision 2 gives it the rectangle rect. Analysed as of revision 1. */
static void move_annotation(const char *rect, int cert_p, const char *level, const char *reason)
{
    pdfb p;
    add_annotation_at(&p, "[150 150 190 190]");
    /* the startxref of revision 1 is its xref section's offset */
    const char *sx = NULL;
    for (size_t i = p.b.len; i-- > 10;)
        if (memcmp(p.b.data + i, "startxref\n", 10) == 0) {
            sx = (const char *)p.b.data + i + 10;
            break;
        }
    assert_non_null(sx);
    size_t prev = strtoul(sx, NULL, 10);
    char body[160];
    snprintf(body, sizeof body, "<< /Type /Annot /Subtype /Square /Rect %s /AP << /N 9 0 R >> >>", rect);
    pdfb_obj(&p, 8, 0, body);
    static const unsigned e[][3] = {{8, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 10 /Root 1 0 R /Prev %zu", prev);
    pdfb_xref(&p, e, t);
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p.b.data, p.b.len, "t.pdf", 0), VBSIG_OK);
    vbsig_report *r = NULL;
    vbsig_sig_entry *en = NULL;
    assert_int_equal(vbsig_report_create("pades", &r), VBSIG_OK);
    assert_int_equal(vbsig_report_add_entry(r, &en), VBSIG_OK);
    assert_int_equal(vbsig_pades_analyse_changes(doc, 1, cert_p, NULL, en), VBSIG_OK);
    char why[2048] = "";
    for (size_t i = 0; i < en->mod_reason_count; i++) {
        strncat(why, en->mod_reasons[i], sizeof why - strlen(why) - 1);
        strncat(why, "\n", sizeof why - strlen(why) - 1);
    }
    assert_string_equal(en->modifications, level);
    if (strstr(why, reason) == NULL)
        fail_msg("reason '%s' not in:\n%s", reason, why);
    vbsig_report_free(r);
    vbsig_pdf_close(doc);
    pdfb_free(&p);
}

static void annotation_moved_at_p3(void **state)
{
    (void)state;
    /* over the page's path: caught; over only its own former place: fine */
    move_annotation("[0 0 100 100]", 3, "disallowed",
                    "annotation 8 on page 1 changed to show at [0.0 0.0 100.0 100.0] over graphics drawn by the signed page");
    move_annotation("[120 120 190 190]", 3, "allowed", "annotation 8 on page 1 changed, clear of the certified content");
    /* unchanged place and look (a new /Contents text): allowed as before */
    move_annotation("[150 150 190 190] /Contents (note)", 3, "allowed",
                    "annotation 8 changed (certification level 3 permits annotations)");
}

static pdfb *fill_field(pdfb *p)
{
    size_t x = base(p);
    pdfb_obj(p, 7, 0, "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (b) /Rect [0 0 10 10] /P 3 0 R >>");
    static const unsigned e[][3] = {{7, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 8 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(p, e, t);
    return p;
}

static void form_fill_by_level(void **state)
{
    (void)state;
    pdfb p;
    ANALYSE(fill_field(&p), 0, "allowed", "form field 7 filled in (/V)");
    ANALYSE(fill_field(&p), 2, "allowed", "form field 7 filled in (/V)");
    ANALYSE(fill_field(&p), 1, "disallowed", "field or widget 7: /V changed");
}

static void unreadable_object(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    pdfb_obj(&p, 4, 0, "<< /Length 500 >>\nstream\n9 9 m 1 1 l\nendstream");
    static const unsigned e[][3] = {{4, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 8 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 0, "disallowed", "object 4, listed by a revision after the signature, cannot be read");
}

static void deleted_object(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    static const unsigned e[][3] = {{4, 1, 0}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 8 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 0, "disallowed", "object 4, used by the signed revision, was deleted");
}

static void hide_and_replace(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    static const unsigned e[][3] = {{0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 8 /Root 5 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 0, "disallowed", "object 5 was in the signed revision without being used");
}

static void catalog_key_added(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    pdfb_obj(&p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /OpenAction 3 0 R /DSS 8 0 R >>");
    pdfb_obj(&p, 8, 0, "<< /Certs [] >>");
    static const unsigned e[][3] = {{1, 0, 1}, {8, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 9 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    char why[4096];
    const char *lvl = analyse(&p, 0, why, sizeof why);
    assert_string_equal(lvl, "disallowed");
    assert_non_null(strstr(why, "the catalog's /OpenAction changed"));
    assert_non_null(strstr(why, "validation data (/DSS) added or updated"));
}

static void dss_only_allowed(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    pdfb_obj(&p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /DSS 8 0 R >>");
    pdfb_obj(&p, 8, 0, "<< /Certs [] >>");
    static const unsigned e[][3] = {{1, 0, 1}, {8, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 9 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 1, "allowed", "validation data (/DSS)");
}

/* Revision 0 also holds an empty signature field 8 and a signed one 9. */
static size_t base_with_sig_fields(pdfb *p)
{
    pdfb_begin(p);
    pdfb_obj(p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>");
    pdfb_obj(p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [8 0 R 9 0 R] >>");
    pdfb_obj(p, 6, 0, "<< /Fields [8 0 R 9 0 R] /SigFlags 3 >>");
    pdfb_obj(p, 8, 0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (empty) /Rect [0 0 0 0] /P 3 0 R >>");
    pdfb_obj(p, 9, 0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (signed) /Rect [0 0 50 50] /P 3 0 R /V 10 0 R "
                      "/AP << /N 11 0 R >> >>");
    pdfb_obj(p, 10, 0, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
    pdfb_obj(p, 11, 0, "<< /Length 0 /Subtype /Form /BBox [0 0 50 50] >>\nstream\n\nendstream");
    static const unsigned e[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {6, 0, 1}, {8, 0, 1}, {9, 0, 1}, {10, 0, 1},
                                    {11, 0, 1}, {0, 0, 0}};
    return pdfb_xref(p, e, "/Size 12 /Root 1 0 R");
}

static void empty_field_signed_allowed(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base_with_sig_fields(&p);
    pdfb_obj(&p, 8, 0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (empty) /Rect [0 0 0 0] /P 3 0 R /V 12 0 R "
                       "/AP << /N 11 0 R >> >>");
    pdfb_obj(&p, 12, 0, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
    static const unsigned e[][3] = {{8, 0, 1}, {12, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 13 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 2, "allowed", "the empty signature field 8 was signed");
}

static void signed_field_look_disallowed(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base_with_sig_fields(&p);
    pdfb_obj(&p, 9, 0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (signed) /Rect [0 0 50 50] /P 3 0 R /V 10 0 R "
                       "/AP << /N 12 0 R >> >>");
    pdfb_obj(&p, 12, 0, "<< /Length 0 /Subtype /Form /BBox [0 0 50 50] >>\nstream\n\nendstream");
    static const unsigned e[][3] = {{9, 0, 1}, {12, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 13 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 0, "disallowed", "field or widget 9: /AP changed");
}

static void metadata_allowed(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    pdfb_obj(&p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Metadata 8 0 R >>");
    pdfb_obj(&p, 8, 0, "<< /Type /Metadata /Subtype /XML /Length 5 >>\nstream\n<x/> \nendstream");
    static const unsigned e[][3] = {{1, 0, 1}, {8, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 9 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    ANALYSE(&p, 2, "allowed", "document metadata (XMP) updated");
}

static void duplicate_in_update(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    pdfb_obj(&p, 8, 0, "<< /A 1 >>");
    size_t first = p.off[8];
    pdfb_obj(&p, 8, 0, "<< /A 2 >>");
    size_t at = p.b.len;
    pdfb_printf(&p, "xref\n0 1\n0000000000 65535 f \n8 1\n%010zu 00000 n \n8 1\n%010zu 00000 n \n", first, p.off[8]);
    pdfb_printf(&p, "trailer\n<< /Size 9 /Root 1 0 R /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n", x, at);
    ANALYSE(&p, 0, "disallowed", "defines one object twice");
}


/* The catalog and form keys a signer touches when it adds a signature
 * (pyHanko, iText, Acrobat): allowed. */
static void catalog_signer_keys_allowed(void **state)
{
    (void)state;
    pdfb p;
    size_t x = base(&p);
    pdfb_obj(&p, 1, 0,
             "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Version /2.0 /MarkInfo << /Marked true >> "
             "/Extensions << /Type /Extensions /ADBE << /BaseVersion /1.7 /ExtensionLevel 8 >> "
             "/ESIC [<< /BaseVersion /1.7 /ExtensionLevel 2 >>] >> >>");
    pdfb_obj(&p, 6, 0, "<< /Fields [7 0 R] /SigFlags 3 /DA (/Helv 0 Tf 0 g) /Q 0 >>");
    static const unsigned e[][3] = {{1, 0, 1}, {6, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 8 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e, t);
    char why[4096];
    assert_string_equal(analyse(&p, 2, why, sizeof why), "allowed");
    assert_non_null(strstr(why, "developer extensions declared in the catalog (/Extensions: /ADBE, /ESIC)"));
    assert_non_null(strstr(why, "the PDF version was raised from 1.7 to 2.0"));
    assert_non_null(strstr(why, "AcroForm /DA updated"));
}

static pdfb *catalog_update(pdfb *p, const char *catalog)
{
    size_t x = base(p);
    pdfb_obj(p, 1, 0, catalog);
    static const unsigned e[][3] = {{1, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 8 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(p, e, t);
    return p;
}

static void catalog_signer_keys_bounded(void **state)
{
    (void)state;
    pdfb p;
    ANALYSE(catalog_update(&p, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Version /1.4 >>"), 0, "allowed",
            "the PDF version stays 1.7");
    ANALYSE(catalog_update(&p, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Version (2.0) >>"), 0, "disallowed",
            "is not a version");
    ANALYSE(catalog_update(&p, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Extensions << /ADBE 3 >> >>"), 0,
            "disallowed", "/Extensions /ADBE is not a developer extensions dictionary");
    ANALYSE(catalog_update(&p, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Perms << /DocMDP 7 0 R >> >>"), 0,
            "disallowed", "/Perms /DocMDP");
    ANALYSE(catalog_update(&p, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] /NeedAppearances true >> >>"),
            0, "disallowed", "AcroForm /NeedAppearances set");
}

/* Revision 0 with a signed signature field 8 whose /Lock is lock, then
 * the text field 7 ("form.name": its parent 9 is "form") filled in;
 * analysed with that signature's locks. */
static const char *fill_locked(const char *lock, const char *sig, char *why, size_t why_len)
{
    pdfb p;
    pdfb_begin(&p);
    pdfb_obj(&p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>");
    pdfb_obj(&p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(&p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [7 0 R 8 0 R] >>");
    pdfb_obj(&p, 4, 0, "<< /Length 11 >>\nstream\n0 0 m 1 1 l\nendstream");
    pdfb_obj(&p, 5, 0, sig);
    pdfb_obj(&p, 6, 0, "<< /Fields [9 0 R 8 0 R] >>");
    pdfb_obj(&p, 7, 0, "<< /Type /Annot /Subtype /Widget /Parent 9 0 R /T (name) /V (a) /Rect [0 0 10 10] /P 3 0 R >>");
    char f8[512];
    snprintf(f8, sizeof f8, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S1) /V 5 0 R /Rect [0 0 0 0] /P 3 0 R %s >>",
             lock);
    pdfb_obj(&p, 8, 0, f8);
    pdfb_obj(&p, 9, 0, "<< /FT /Tx /T (form) /Kids [7 0 R] >>");
    static const unsigned e0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1},
                                     {6, 0, 1}, {7, 0, 1}, {8, 0, 1}, {9, 0, 1}, {0, 0, 0}};
    size_t x = pdfb_xref(&p, e0, "/Size 10 /Root 1 0 R");
    pdfb_obj(&p, 7, 0, "<< /Type /Annot /Subtype /Widget /Parent 9 0 R /T (name) /V (b) /Rect [0 0 10 10] /P 3 0 R >>");
    static const unsigned e1[][3] = {{7, 0, 1}, {0, 0, 0}};
    char t[64];
    snprintf(t, sizeof t, "/Size 10 /Root 1 0 R /Prev %zu", x);
    pdfb_xref(&p, e1, t);

    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p.b.data, p.b.len, "t.pdf", 0), VBSIG_OK);
    const vbsig_pdf_obj *sigdict = NULL;
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 5, 0, &sigdict), VBSIG_OK);
    vbsig_pades_locks locks;
    vbsig_pades_read_locks(doc, 0, (vbsig_pdf_objref){8, 0}, sigdict, &locks);
    vbsig_report *r = NULL;
    vbsig_sig_entry *e = NULL;
    assert_int_equal(vbsig_report_create("pades", &r), VBSIG_OK);
    assert_int_equal(vbsig_report_add_entry(r, &e), VBSIG_OK);
    assert_int_equal(vbsig_pades_analyse_changes(doc, 0, 0, &locks, e), VBSIG_OK);
    why[0] = '\0';
    for (size_t i = 0; i < e->mod_reason_count; i++) {
        strncat(why, e->mod_reasons[i], why_len - strlen(why) - 1);
        strncat(why, "\n", why_len - strlen(why) - 1);
    }
    const char *level = e->modifications;
    vbsig_report_free(r);
    vbsig_pdf_close(doc);
    pdfb_free(&p);
    return level;
}

static void fieldmdp_locks(void **state)
{
    (void)state;
    char why[4096];
#define plain "<< /Type /Sig >>"
    static const struct {
        const char *lock, *sig, *level, *reason;
    } cases[] = {
        {"", plain, "allowed", "form field 7 filled in (/V)"},
        {"/Lock << /Action /All >>", plain, "disallowed", "form field \"form.name\" (object 7) is locked"},
        {"/Lock << /Action /Include /Fields [(form.name)] >>", plain, "disallowed", "/Lock /Include"},
        {"/Lock << /Action /Include /Fields [(form)] >>", plain, "disallowed", "\"form.name\""},
        {"/Lock << /Action /Include /Fields [(form.nam)] >>", plain, "allowed", "filled in"},
        {"/Lock << /Action /Include /Fields [(other)] >>", plain, "allowed", "filled in"},
        {"/Lock << /Action /Exclude /Fields [(form.name)] >>", plain, "allowed", "filled in"},
        {"/Lock << /Action /Exclude /Fields [(other)] >>", plain, "disallowed", "/Lock /Exclude"},
        {"/Lock << /Action /Include >>", plain, "disallowed", "locked"}, /* no /Fields: all */
        {"", "<< /Type /Sig /Reference [<< /TransformMethod /FieldMDP /TransformParams << /Action /Include "
             "/Fields [<FEFF0066006F0072006D002E006E0061006D0065>] >> >>] >>",
         "disallowed", "FieldMDP /Include in the signature's /Reference"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = fill_locked(cases[i].lock, cases[i].sig, why, sizeof why);
        if (strcmp(got, cases[i].level) != 0 || strstr(why, cases[i].reason) == NULL)
            fail_msg("case %zu: %s, reasons:\n%s", i, got, why);
    }
}
#undef plain

static void trailing_scan(void **state)
{
    (void)state;
    static const char tail_pad[] = "%%EOF\n\r\n\0\0  %comment\n";
    vbsig_pades_trailing t;
    vbsig_pades_trailing_scan((const uint8_t *)tail_pad, sizeof tail_pad - 1, 6, &t);
    assert_int_equal(t.size, 0);
    static const char tail_obj[] = "%%EOF\n\n4 0 obj\n<< >>\nendobj 12 0 obj (x 5 0 obj) endobj 104 0 objx";
    vbsig_pades_trailing_scan((const uint8_t *)tail_obj, sizeof tail_obj - 1, 6, &t);
    assert_int_equal(t.offset, 7);
    assert_int_equal(t.size, sizeof tail_obj - 1 - 7);
    assert_int_equal(t.objects, 3); /* "5 0 obj" inside a string counts: a repairing reader may see it */
    static const char tail_text[] = "%%EOF\nhello";
    vbsig_pades_trailing_scan((const uint8_t *)tail_text, sizeof tail_text - 1, 6, &t);
    assert_int_equal(t.size, 5);
    assert_int_equal(t.objects, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_update),
        cmocka_unit_test(content_changed),
        cmocka_unit_test(new_signature_allowed),
        cmocka_unit_test(new_signature_after_p1_disallowed),
        cmocka_unit_test(sneaky_signature),
        cmocka_unit_test(annotation_by_level),
        cmocka_unit_test(annotation_moved_at_p3),
        cmocka_unit_test(form_fill_by_level),
        cmocka_unit_test(unreadable_object),
        cmocka_unit_test(deleted_object),
        cmocka_unit_test(hide_and_replace),
        cmocka_unit_test(catalog_key_added),
        cmocka_unit_test(dss_only_allowed),
        cmocka_unit_test(empty_field_signed_allowed),
        cmocka_unit_test(signed_field_look_disallowed),
        cmocka_unit_test(metadata_allowed),
        cmocka_unit_test(duplicate_in_update),
        cmocka_unit_test(catalog_signer_keys_allowed),
        cmocka_unit_test(catalog_signer_keys_bounded),
        cmocka_unit_test(fieldmdp_locks),
        cmocka_unit_test(trailing_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
