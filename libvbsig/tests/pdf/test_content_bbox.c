/* The content footprint estimator (pdf_content_bbox.c): each test draws a
 * small content stream against the resources of a built document (fonts
 * with /Widths and /W, image and form XObjects) and checks the boxes, or
 * that what cannot be bounded says so, without hanging on floods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdf/pdf_builder.h"
#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_internal.h"

/* 1 catalog, 2 pages, 3 page (resources 4, one visible and one invisible
 * annotation), 5 simple font (A=500, B=1000, box 0 -200 500 900), 6 Type0
 * Identity-H over CID font 7 (/W 1 [500 250] 10 20 300, /DW 1000, box
 * 0 -200 100 900), 8 an image, 9 a form (/BBox 0 0 10 10, /Matrix 2x)
 * that paints past its box, 10 a form painting 1 1 3 3, 11 a form that
 * draws itself, 12 a form with a shading, 13.. a chain of forms each
 * drawing the next. */
#define CHAIN_FIRST 20
#define CHAIN_LEN 12

static pdfb g_pdf;
static vbsig_pdf_doc *g_doc;
static const vbsig_pdf_obj *g_page, *g_res;

static void form(pdfb *p, unsigned num, const char *dict_extra, const char *content)
{
    char body[1024];
    snprintf(body, sizeof body, "<< /Type /XObject /Subtype /Form %s /Length %zu >>\nstream\n%s\nendstream", dict_extra,
             strlen(content), content);
    pdfb_obj(p, num, 0, body);
}

static int setup(void **state)
{
    (void)state;
    pdfb *p = &g_pdf;
    pdfb_begin(p);
    pdfb_obj(p, 1, 0, "<< /Type /Catalog /Pages 2 0 R >>");
    pdfb_obj(p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 400 300] /Resources 4 0 R >>");
    pdfb_obj(p, 3, 0,
             "<< /Type /Page /Parent 2 0 R /Contents 17 0 R /Annots [<< /Subtype /Square /Rect [300 200 250 250] "
             "/AP << /N 10 0 R >> >> << /Subtype /Link /Rect [0 0 50 50] >>] >>");
    pdfb_obj(p, 4, 0,
             "<< /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /Im1 8 0 R /Fm1 9 0 R /Fm2 10 0 R /Loop 11 0 R "
             "/Sh 12 0 R /Chain 20 0 R >> /ExtGState << /Thick << /LW 10 /LJ 1 >> >> >>");
    pdfb_obj(p, 5, 0, "<< /Type /Font /Subtype /TrueType /FirstChar 65 /LastChar 66 /Widths [500 1000] "
                      "/FontDescriptor 14 0 R >>");
    pdfb_obj(p, 6, 0, "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [7 0 R] >>");
    pdfb_obj(p, 7, 0, "<< /Type /Font /Subtype /CIDFontType2 /DW 1000 /W [1 [500 250] 10 20 300] "
                      "/FontDescriptor 15 0 R >>");
    pdfb_obj(p, 8, 0, "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 "
                      "/ColorSpace /DeviceGray /Length 1 >>\nstream\n\x80\nendstream");
    form(p, 9, "/BBox [0 0 10 10] /Matrix [2 0 0 2 0 0]", "0 0 100 100 re f");
    form(p, 10, "/BBox [0 0 10 10]", "1 1 2 2 re f");
    form(p, 11, "/BBox [0 0 7 7] /Resources << /XObject << /Loop 11 0 R >> >>", "/Loop Do");
    form(p, 12, "/BBox [0 0 10 10]", "/Sh0 sh");
    pdfb_obj(p, 14, 0, "<< /Type /FontDescriptor /FontBBox [0 -200 500 900] >>");
    pdfb_obj(p, 15, 0, "<< /Type /FontDescriptor /FontBBox [0 -200 100 900] >>");
    const char *page_content = "0 0 1 1 re f";
    char body[256];
    snprintf(body, sizeof body, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(page_content), page_content);
    pdfb_obj(p, 17, 0, body);
    for (unsigned i = 0; i < CHAIN_LEN; i++) {
        char extra[160];
        snprintf(extra, sizeof extra, "/BBox [0 0 %u %u] /Resources << /XObject << /Next %u 0 R >> >>", 100 - i,
                 100 - i, CHAIN_FIRST + i + 1);
        form(p, CHAIN_FIRST + i, extra, i + 1 < CHAIN_LEN ? "/Next Do" : "0 0 1 1 re f");
    }
    unsigned e[64][3];
    size_t n = 0;
    for (unsigned num = 1; num < CHAIN_FIRST + CHAIN_LEN; num++)
        if (p->off[num] != 0) {
            e[n][0] = num;
            e[n][1] = 0;
            e[n][2] = 1;
            n++;
        }
    e[n][0] = 0;
    char trailer[64];
    snprintf(trailer, sizeof trailer, "/Size %u /Root 1 0 R", CHAIN_FIRST + CHAIN_LEN);
    pdfb_xref(p, (const unsigned(*)[3])e, trailer);
    if (vbsig_pdf_open_memory(&g_doc, NULL, p->b.data, p->b.len, "bbox.pdf", 0) != VBSIG_OK)
        return -1;
    if (vbsig_pdf_page(g_doc, VBSIG_PDF_NEWEST, 0, &g_page) != VBSIG_OK)
        return -1;
    return vbsig_pdf_get_object(g_doc, VBSIG_PDF_NEWEST, 4, 0, &g_res) == VBSIG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vbsig_pdf_close(g_doc);
    pdfb_free(&g_pdf);
    return 0;
}

static const vbsig_pdf_rect page_box = {0, 0, 400, 300};

static void draw_n(const char *content, size_t len, vbsig_pdf_footprint *fp)
{
    assert_int_equal(vbsig_pdf_content_footprint(g_doc, VBSIG_PDF_NEWEST, (const uint8_t *)content, len, g_res,
                                                 &page_box, fp),
                     VBSIG_OK);
}

static void draw(const char *content, vbsig_pdf_footprint *fp)
{
    draw_n(content, strlen(content), fp);
}

#define EPS 1e-6
static void expect_box(const vbsig_pdf_footprint *fp, size_t i, double x0, double y0, double x1, double y1,
                       unsigned kind)
{
    assert_false(fp->unbounded);
    assert_true(i < fp->count);
    const vbsig_pdf_rect *b = &fp->boxes[i];
    if (b->x0 < x0 - EPS || b->x0 > x0 + EPS || b->y0 < y0 - EPS || b->y0 > y0 + EPS || b->x1 < x1 - EPS ||
        b->x1 > x1 + EPS || b->y1 < y1 - EPS || b->y1 > y1 + EPS)
        fail_msg("box %zu is [%g %g %g %g], expected [%g %g %g %g]", i, b->x0, b->y0, b->x1, b->y1, x0, y0, x1, y1);
    assert_int_equal(fp->kinds[i], kind);
}

static void expect_unbounded(const char *content, const char *why)
{
    vbsig_pdf_footprint fp;
    draw(content, &fp);
    assert_true(fp.unbounded);
    assert_non_null(fp.why);
    if (strstr(fp.why, why) == NULL)
        fail_msg("'%s' gave '%s', expected '%s'", content, fp.why, why);
}

static void text_with_widths(void **state)
{
    (void)state;
    vbsig_pdf_footprint fp;
    /* A [100,105] then B [105,115]; height -200..900 thousandths of 10 */
    draw("BT /F1 10 Tf 100 200 Td (AB) Tj ET", &fp);
    assert_int_equal(fp.count, 1);
    expect_box(&fp, 0, 100, 198, 115, 209, VBSIG_PDF_PAINT_TEXT);
    /* Tz 50 halves the advance, Tc 2 adds to it: A [0,2.5], A [3.5,6] */
    draw("BT /F1 10 Tf 50 Tz 2 Tc 0 0 Td (AA) Tj ET", &fp);
    expect_box(&fp, 0, 0, -2, 6, 9, VBSIG_PDF_PAINT_TEXT);
    /* Tm scales and moves; TL with T* and ' go down a line */
    draw("BT /F1 1 Tf 10 0 0 10 50 50 Tm 2 TL (A) Tj T* (A) Tj (B) ' ET", &fp);
    assert_int_equal(fp.count, 3);
    expect_box(&fp, 0, 50, 48, 55, 59, VBSIG_PDF_PAINT_TEXT);
    expect_box(&fp, 1, 50, 28, 55, 39, VBSIG_PDF_PAINT_TEXT);
    expect_box(&fp, 2, 50, 8, 60, 19, VBSIG_PDF_PAINT_TEXT);
    /* A code without a width (outside FirstChar..LastChar) counts 1 em */
    draw("BT /F1 10 Tf (Z) Tj ET", &fp);
    expect_box(&fp, 0, 0, -2, 10, 9, VBSIG_PDF_PAINT_TEXT);
    /* An unknown font: 1 em a byte, -0.3..1.1 em tall */
    draw("BT /Nope 10 Tf (AB) Tj ET", &fp);
    expect_box(&fp, 0, 0, -3, 20, 11, VBSIG_PDF_PAINT_TEXT);
}

static void text_kerning_and_cid(void **state)
{
    (void)state;
    vbsig_pdf_footprint fp;
    /* TJ: -1000 moves right by one em (10): A [100,105], B [115,125];
     * the next Tj starts where TJ ended (pen 25) */
    draw("BT /F1 10 Tf 100 200 Td [(A) -1000 (B)] TJ (A) Tj ET", &fp);
    assert_int_equal(fp.count, 2);
    expect_box(&fp, 0, 100, 198, 125, 209, VBSIG_PDF_PAINT_TEXT);
    expect_box(&fp, 1, 125, 198, 130, 209, VBSIG_PDF_PAINT_TEXT);
    /* a positive adjustment moves left: B [0,10], back 15, A [-5,0] */
    draw("BT /F1 10 Tf [(B) 1500 (A)] TJ ET", &fp);
    expect_box(&fp, 0, -5, -2, 10, 9, VBSIG_PDF_PAINT_TEXT);
    /* Type0 Identity-H: CID 1 = 500, CID 2 = 250 (box urx 100): [0,7.5] */
    draw("BT /F2 10 Tf <00010002> Tj ET", &fp);
    expect_box(&fp, 0, 0, -2, 7.5, 9, VBSIG_PDF_PAINT_TEXT);
    /* CID 15 from the range 10..20 (300), CID 99 takes /DW (1000) */
    draw("BT /F2 10 Tf <000F0063> Tj ET", &fp);
    expect_box(&fp, 0, 0, -2, 13, 9, VBSIG_PDF_PAINT_TEXT);
    /* invisible text (mode 3) and clip-only text (7) paint nothing */
    draw("BT 3 Tr /F1 10 Tf (AB) Tj 7 Tr (AB) Tj ET", &fp);
    assert_false(fp.unbounded);
    assert_int_equal(fp.count, 0);
    /* " sets word and character spacing: (A A) with Tw 10: A [0,5], space
     * (1 em, no width) [5,15] then +10, A [25,30] */
    draw("BT /F1 10 Tf 10 0 (A A) \" ET", &fp);
    expect_box(&fp, 0, 0, -2, 30, 9, VBSIG_PDF_PAINT_TEXT);
}

static void paths_and_states(void **state)
{
    (void)state;
    vbsig_pdf_footprint fp;
    draw("q 2 0 0 2 10 10 cm 0 0 5 5 re f Q 0 0 1 1 re f", &fp);
    assert_int_equal(fp.count, 2);
    expect_box(&fp, 0, 10, 10, 20, 20, VBSIG_PDF_PAINT_GRAPHICS);
    expect_box(&fp, 1, 0, 0, 1, 1, VBSIG_PDF_PAINT_GRAPHICS);
    /* a stroke with round joins reaches 1.5 half-widths beyond */
    draw("5 w 1 j 10 10 m 20 10 l S", &fp);
    expect_box(&fp, 0, 6.25, 6.25, 23.75, 13.75, VBSIG_PDF_PAINT_GRAPHICS);
    /* the ExtGState's /LW 10 /LJ 1: reach 7.5 */
    draw("/Thick gs 10 10 m 20 10 l S", &fp);
    expect_box(&fp, 0, 2.5, 2.5, 27.5, 17.5, VBSIG_PDF_PAINT_GRAPHICS);
    /* curves are bounded by their control points; n paints nothing */
    draw("0 0 m 10 50 20 -50 30 0 c f 100 100 m 200 200 l n", &fp);
    assert_int_equal(fp.count, 1);
    expect_box(&fp, 0, 0, -50, 30, 50, VBSIG_PDF_PAINT_GRAPHICS);
    /* a path never painted still counts (viewers differ), as a stroke:
     * line width 1, miter limit 10 reach 5 */
    draw("40 40 50 50 re", &fp);
    expect_box(&fp, 0, 35, 35, 95, 95, VBSIG_PDF_PAINT_GRAPHICS);
    /* an unbalanced Q is ignored; marked content paints nothing itself */
    draw("Q Q /Span << /MCID 0 >> BDC 1 1 1 1 re f EMC", &fp);
    expect_box(&fp, 0, 1, 1, 2, 2, VBSIG_PDF_PAINT_GRAPHICS);
}

static void xobjects(void **state)
{
    (void)state;
    vbsig_pdf_footprint fp;
    /* an image is the unit square under the CTM */
    draw("q 100 0 0 50 20 30 cm /Im1 Do Q", &fp);
    expect_box(&fp, 0, 20, 30, 120, 80, VBSIG_PDF_PAINT_IMAGE);
    /* a form paints at most its /BBox under /Matrix and the CTM */
    draw("q 1 0 0 1 5 5 cm /Fm1 Do Q", &fp);
    expect_box(&fp, 0, 5, 5, 25, 25, VBSIG_PDF_PAINT_GRAPHICS);
    /* and inside it, only what it draws */
    draw("/Fm2 Do", &fp);
    expect_box(&fp, 0, 1, 1, 3, 3, VBSIG_PDF_PAINT_GRAPHICS);
    /* a shading inside a form: its whole box, the page stays bounded */
    draw("/Sh Do", &fp);
    expect_box(&fp, 0, 0, 0, 10, 10, VBSIG_PDF_PAINT_FORM);
    /* a form drawing itself: its box, no hang */
    draw("/Loop Do", &fp);
    expect_box(&fp, 0, 0, 0, 7, 7, VBSIG_PDF_PAINT_FORM);
    /* 12 forms inside each other: past the depth limit the box stands */
    draw("/Chain Do", &fp);
    assert_false(fp.unbounded);
    assert_int_equal(fp.count, 1);
    assert_true(fp.boxes[0].x1 <= 100 && fp.boxes[0].x1 > 1);
    /* a missing XObject cannot be bounded */
    expect_unbounded("/Missing Do", "XObject");
}

static void inline_images(void **state)
{
    (void)state;
    vbsig_pdf_footprint fp;
    /* 2x2 gray, 8 bits: 4 data bytes that would break the lexer */
    static const char img[] = "q 10 0 0 10 50 50 cm BI /W 2 /H 2 /BPC 8 /CS /G ID (((( EI Q 0 0 1 1 re f";
    draw_n(img, sizeof img - 1, &fp);
    assert_int_equal(fp.count, 2);
    expect_box(&fp, 0, 50, 50, 60, 60, VBSIG_PDF_PAINT_IMAGE);
    expect_box(&fp, 1, 0, 0, 1, 1, VBSIG_PDF_PAINT_GRAPHICS);
    /* filtered: the data ends at the first EI between white space */
    static const char flt[] = "BI /W 4 /H 4 /BPC 8 /CS /RGB /F /AHx /D [0 1 0 1 0 1] ID 00ff)(EIx >\nEI 0 0 2 2 re f";
    draw_n(flt, sizeof flt - 1, &fp);
    assert_int_equal(fp.count, 2);
    expect_box(&fp, 0, 0, 0, 1, 1, VBSIG_PDF_PAINT_IMAGE);
    expect_box(&fp, 1, 0, 0, 2, 2, VBSIG_PDF_PAINT_GRAPHICS);
    /* never ended */
    expect_unbounded("BI /W 1 /H 1 /BPC 8 /CS /G /F /Fl ID xyz", "inline image");
}

static void unboundable(void **state)
{
    (void)state;
    expect_unbounded("0 0 1 1 re f /Sh0 sh", "shading");
    expect_unbounded("BT /F1 10 Tf (unterminated Tj ET", "cannot be parsed");
    expect_unbounded("BT /F1 10 Tf [(A", "cannot be parsed");
    expect_unbounded("0 0 1 1 re ] f", "cannot be parsed");
    expect_unbounded("10 Td", "operands");
    expect_unbounded("1 0 0 cm", "operands");
    expect_unbounded("BT /F1 Tf ET", "Tf");
    expect_unbounded("BT /F1 10 Tf [(A) /X (B)] TJ ET", "TJ");
    expect_unbounded("{ 0 0 m }", "cannot be parsed");
}

static void floods_are_bounded(void **state)
{
    (void)state;
    vbsig_pdf_footprint fp;
    /* q nesting past the limit */
    size_t n = 100000;
    char *s = malloc(n * 2 + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 2 * i, "q ", 2);
    draw_n(s, n * 2, &fp);
    assert_true(fp.unbounded);
    assert_non_null(strstr(fp.why, "nested"));
    free(s);
    /* more operators than the budget */
    n = VBSIG_PDF_FOOTPRINT_MAX_OPS + 10;
    s = malloc(n * 2 + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 2 * i, "n ", 2);
    draw_n(s, n * 2, &fp);
    assert_true(fp.unbounded);
    assert_non_null(strstr(fp.why, "operators"));
    free(s);
    /* thousands of boxes merge into the bounded set and still cover all */
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    for (int i = 0; i < 3000; i++)
        vbsig_bytes_printf(&b, "%d %d 1 1 re f\n", (i * 37) % 390, (i * 53) % 290);
    draw_n((const char *)b.data, b.len, &fp);
    assert_false(fp.unbounded);
    assert_true(fp.count <= VBSIG_PDF_FOOTPRINT_BOXES);
    for (int i = 0; i < 3000; i++) {
        vbsig_pdf_rect r = {(i * 37) % 390 + 0.25, (i * 53) % 290 + 0.25, (i * 37) % 390 + 0.75, (i * 53) % 290 + 0.75};
        size_t which;
        assert_true(vbsig_pdf_footprint_overlap(&fp, &r, &which));
    }
    vbsig_bytes_free(&b);
}

static void page_and_overlap(void **state)
{
    (void)state;
    vbsig_pdf_footprint fp;
    assert_int_equal(vbsig_pdf_page_footprint(g_doc, VBSIG_PDF_NEWEST, g_page, &fp), VBSIG_OK);
    /* the page box is inherited; the content's box and the visible
     * annotation count, the Link without appearance does not */
    assert_true(fp.page.x1 == 400 && fp.page.y1 == 300);
    assert_int_equal(fp.count, 2);
    expect_box(&fp, 0, 0, 0, 1, 1, VBSIG_PDF_PAINT_GRAPHICS);
    expect_box(&fp, 1, 250, 200, 300, 250, VBSIG_PDF_PAINT_ANNOTATION);
    size_t which = 99;
    vbsig_pdf_rect clear = {100, 100, 200, 150}, over = {280, 240, 320, 260}, touching = {1, 1, 5, 5};
    assert_false(vbsig_pdf_footprint_overlap(&fp, &clear, &which));
    assert_false(vbsig_pdf_footprint_overlap(&fp, &touching, &which)); /* shares a corner only */
    assert_true(vbsig_pdf_footprint_overlap(&fp, &over, &which));
    assert_int_equal(which, 1);
    /* unbounded: anything on the page overlaps, off the page does not */
    vbsig_pdf_footprint_set_unbounded(&fp, "test");
    assert_true(vbsig_pdf_footprint_overlap(&fp, &clear, &which));
    assert_int_equal(which, (size_t)-1);
    vbsig_pdf_rect off = {500, 500, 600, 600};
    assert_false(vbsig_pdf_footprint_overlap(&fp, &off, &which));
    /* a page that is not a dictionary */
    assert_int_equal(vbsig_pdf_page_footprint(g_doc, VBSIG_PDF_NEWEST, NULL, &fp), VBSIG_OK);
    assert_true(fp.unbounded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_with_widths),   cmocka_unit_test(text_kerning_and_cid), cmocka_unit_test(paths_and_states),
        cmocka_unit_test(xobjects),           cmocka_unit_test(inline_images),        cmocka_unit_test(unboundable),
        cmocka_unit_test(floods_are_bounded), cmocka_unit_test(page_and_overlap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
