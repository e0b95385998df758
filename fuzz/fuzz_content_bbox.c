/* libFuzzer harness: the content footprint estimator (pdf_content_bbox.c)
 * on hostile content streams. fuzz_pades_verify reaches it only through a
 * whole certified PDF; here every input is a page's content, drawn against
 * one fixed document whose resources hold what the estimator reads: a
 * simple font with /Widths, a Type0 Identity-H font with /W, a Type3 font,
 * a vertical font, an image, forms that nest, loop or hold a shading, and
 * an ExtGState. Checks the promises of the footprint: the call succeeds, a
 * bounded result has at most VBSIG_PDF_FOOTPRINT_BOXES finite, ordered
 * boxes with a kind, and an unbounded one names why. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf.h"
#include "pdf/pdf_content_bbox.h"
#include "vbsig/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const objects[] = {
    /* 1 */ "<< /Type /Catalog /Pages 2 0 R >>",
    /* 2 */ "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    /* 3 */ "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R >>",
    /* 4 */
    "<< /Font << /F1 5 0 R /F2 6 0 R /F3 8 0 R /FV 9 0 R >> /XObject << /Im1 10 0 R /Fm1 11 0 R /Loop 12 0 R "
    "/Sh 13 0 R /Nest 14 0 R >> /ExtGState << /G1 << /LW 4 /LJ 0 /ML 3 >> /G2 << /Font [5 0 R 12] >> >> >>",
    /* 5 */
    "<< /Type /Font /Subtype /TrueType /FirstChar 32 /LastChar 40 /Widths [250 300 400 500 600 700 800 900 1000] "
    "/FontDescriptor << /FontBBox [-50 -250 1100 950] /MissingWidth 333 >> >>",
    /* 6 */ "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [7 0 R] >>",
    /* 7 */ "<< /Type /Font /Subtype /CIDFontType2 /DW 900 /W [1 [500 250 750] 10 4000 300 5 [1] 65535 65535 2000] >>",
    /* 8 */
    "<< /Type /Font /Subtype /Type3 /FontMatrix [0.01 0 0 0.01 0 0] /FontBBox [0 0 100 100] /FirstChar 65 "
    "/LastChar 66 /Widths [50 100] /CharProcs << >> /Encoding << /Differences [65 /a /b] >> >>",
    /* 9 */ "<< /Type /Font /Subtype /Type0 /Encoding /Identity-V /DescendantFonts [7 0 R] >>",
    /* 10 */ NULL, /* image: a stream, written below */
    /* 11 */ NULL, /* forms */
    /* 12 */ NULL,
    /* 13 */ NULL,
    /* 14 */ NULL,
};

static const char *const streams[][2] = {
    /* 10 */ {"/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray", "\x80"},
    /* 11 */ {"/Type /XObject /Subtype /Form /BBox [0 0 100 50] /Matrix [1 0 0 2 10 10]", "0 0 200 200 re f BT /F1 9 Tf (abc) Tj ET"},
    /* 12 */ {"/Type /XObject /Subtype /Form /BBox [0 0 7 7] /Resources << /XObject << /Loop 12 0 R >> >>", "/Loop Do"},
    /* 13 */ {"/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "/S0 sh"},
    /* 14 */ {"/Type /XObject /Subtype /Form /BBox [0 0 300 300] /Resources 4 0 R", "q 0.5 0 0 0.5 0 0 cm /Nest Do Q 1 1 m 2 2 l S"},
};

static vbsig_pdf_doc *g_doc;
static const vbsig_pdf_obj *g_res;
static char g_pdf[8192];

static void open_doc(void)
{
    size_t off[16] = {0}, n = 0;
    const size_t count = sizeof objects / sizeof objects[0];
    n += (size_t)snprintf(g_pdf + n, sizeof g_pdf - n, "%%PDF-1.7\n");
    for (size_t i = 0; i < count; i++) {
        off[i + 1] = n;
        if (objects[i] != NULL) {
            n += (size_t)snprintf(g_pdf + n, sizeof g_pdf - n, "%zu 0 obj\n%s\nendobj\n", i + 1, objects[i]);
        } else {
            const char *const *s = streams[i + 1 - 10];
            n += (size_t)snprintf(g_pdf + n, sizeof g_pdf - n, "%zu 0 obj\n<< %s /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                                  i + 1, s[0], strlen(s[1]), s[1]);
        }
    }
    size_t xref = n;
    n += (size_t)snprintf(g_pdf + n, sizeof g_pdf - n, "xref\n0 %zu\n0000000000 65535 f \n", count + 1);
    for (size_t i = 1; i <= count; i++)
        n += (size_t)snprintf(g_pdf + n, sizeof g_pdf - n, "%010zu 00000 n \n", off[i]);
    n += (size_t)snprintf(g_pdf + n, sizeof g_pdf - n, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          count + 1, xref);
    if (n >= sizeof g_pdf || vbsig_pdf_open_memory(&g_doc, NULL, (const uint8_t *)g_pdf, n, "fuzz.pdf", 0) != VBSIG_OK ||
        vbsig_pdf_get_object(g_doc, VBSIG_PDF_NEWEST, 4, 0, &g_res) != VBSIG_OK)
        abort(); /* the harness's own document must open */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (g_doc == NULL)
        open_doc();
    static const vbsig_pdf_rect page = {0, 0, 595, 842};
    vbsig_pdf_footprint fp;
    if (vbsig_pdf_content_footprint(g_doc, VBSIG_PDF_NEWEST, data, size, g_res, &page, &fp) != VBSIG_OK)
        abort(); /* only out of memory may fail, and libFuzzer's limits come first */
    if (fp.unbounded) {
        if (fp.why == NULL)
            abort();
        return 0;
    }
    if (fp.count > VBSIG_PDF_FOOTPRINT_BOXES)
        abort();
    for (size_t i = 0; i < fp.count; i++) {
        const vbsig_pdf_rect *b = &fp.boxes[i];
        if (!isfinite(b->x0) || !isfinite(b->y0) || !isfinite(b->x1) || !isfinite(b->y1) || b->x0 > b->x1 ||
            b->y0 > b->y1 || fp.kinds[i] == 0)
            abort();
        /* every box must overlap a slightly larger copy of itself (where
         * adding 1 still changes a double) */
        vbsig_pdf_rect r = {b->x0 - 1, b->y0 - 1, b->x1 + 1, b->y1 + 1};
        size_t which;
        if (fabs(b->x0) < 1e12 && fabs(b->y0) < 1e12 && fabs(b->x1) < 1e12 && fabs(b->y1) < 1e12 &&
            !vbsig_pdf_footprint_overlap(&fp, &r, &which))
            abort();
    }
    return 0;
}
