/* libFuzzer harness: positioned text extraction and the signature gap
 * (pdf_text_extract.c, pdf_text_lines.c, pdf_anchor.c) and the CMap reader
 * (pdf_cmap.c) on hostile bytes. Each input is at once a page's content
 * stream, the ToUnicode CMap of one Type0 font, the /Encoding CMap of
 * another, and the content of a form XObject the page may draw (itself
 * again, through its own resources); the fixed fonts beside them are a
 * simple font with /Differences and a Type0 Identity-H font with a
 * ToUnicode. Checks the promises: only out-of-memory fails; line text is
 * NFC UTF-8 of the length given; boxes are ordered; a found gap lies
 * below its anchor; the CMap's lookups stay within their bounds. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf.h"
#include "pdf/pdf_anchor.h"
#include "pdf/pdf_cmap.h"
#include "pdf/pdf_text_lines.h"
#include "util/unicode_nfc.h"
#include "util/util.h"
#include "vbsig/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char tounicode[] = "1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfrange "
                                "<0020> <007E> <0020> <0100> <0102> [<1EE6> <1ECA> <00550309>] endbfrange";

static void obj(vbsig_bytes *b, size_t *off, unsigned num, const char *body)
{
    off[num] = b->len;
    vbsig_bytes_printf(b, "%u 0 obj\n%s\nendobj\n", num, body);
}

static void stream(vbsig_bytes *b, size_t *off, unsigned num, const char *dict, const uint8_t *d, size_t n)
{
    off[num] = b->len;
    vbsig_bytes_printf(b, "%u 0 obj\n<< %s /Length %zu >>\nstream\n", num, dict, n);
    vbsig_bytes_append(b, d, n);
    vbsig_bytes_append_str(b, "\nendstream\nendobj\n");
}

/* The document around the input. */
static int build(vbsig_bytes *b, const uint8_t *data, size_t size)
{
    size_t off[16] = {0};
    vbsig_bytes_append_str(b, "%PDF-1.7\n");
    obj(b, off, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    obj(b, off, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj(b, off, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>");
    stream(b, off, 4, "", data, size);
    obj(b, off, 5,
        "<< /Font << /F1 6 0 R /F2 7 0 R /F3 9 0 R /F4 11 0 R >> /XObject << /Fm1 12 0 R /Fm2 13 0 R >> >>");
    obj(b, off, 6,
        "<< /Type /Font /Subtype /TrueType /FirstChar 32 /LastChar 40 /Widths [250 300 400 500 600 700 800 900 1000] "
        "/Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /Uhookabove /uni1EA1 /g7 33 /ohornhookabove] >> "
        "/FontDescriptor << /Ascent 900 /Descent -200 >> >>");
    obj(b, off, 7, "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [8 0 R] /ToUnicode 10 0 R >>");
    obj(b, off, 8, "<< /Type /Font /Subtype /CIDFontType2 /DW 600 /W [256 [700 710 720]] >>");
    obj(b, off, 9, "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [8 0 R] /ToUnicode 4 0 R >>");
    stream(b, off, 10, "", (const uint8_t *)tounicode, strlen(tounicode));
    obj(b, off, 11, "<< /Type /Font /Subtype /Type0 /Encoding 4 0 R /DescendantFonts [8 0 R] /ToUnicode 4 0 R >>");
    static const char form[] = "BT /F2 13 Tf <0043004801000020005401010043> Tj ET";
    stream(b, off, 12, "/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 300 400]",
           (const uint8_t *)form, strlen(form));
    stream(b, off, 13, "/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources 5 0 R", data, size);
    size_t xref = b->len;
    vbsig_bytes_printf(b, "xref\n0 14\n0000000000 65535 f \n");
    for (unsigned i = 1; i < 14; i++)
        vbsig_bytes_printf(b, "%010zu 00000 n \n", off[i]);
    return vbsig_bytes_printf(b, "trailer\n<< /Size 14 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

static void check_lines(const vbsig_pdf_text_page *tp)
{
    for (size_t i = 0; i < tp->count; i++) {
        const vbsig_pdf_text_line *l = &tp->lines[i];
        if (l->text == NULL || strlen(l->text) != l->len || !vbsig_utf8_valid(l->text))
            abort();
        if (l->len > 0 && (l->text[0] == ' ' || l->text[l->len - 1] == ' '))
            abort(); /* trimmed */
        size_t n;
        char *again = vbsig_nfc_utf8(l->text, l->len, &n);
        if (again == NULL)
            continue;
        if (n != l->len || memcmp(again, l->text, n) != 0)
            abort(); /* NFC is idempotent */
        free(again);
        if (!(l->box.x0 <= l->box.x1) || !(l->box.y0 <= l->box.y1))
            abort();
        if (i > 0 && tp->lines[i - 1].row > l->row)
            abort();
    }
}

static void check_gap(vbsig_pdf_doc *doc, const char *anchor)
{
    vbsig_pdf_signature_gap g;
    int rc = vbsig__pdf_find_signature_gap(doc, VBSIG_PDF_NEWEST, anchor, -1, &g);
    if (rc == VBSIG_E_MALFORMED || rc == VBSIG_E_NOMEM) {
        if (g.anchor_text != NULL)
            abort();
        return;
    }
    if (rc != VBSIG_OK || g.anchor_text == NULL || g.page != 0)
        abort();
    if (anchor != NULL && strstr(g.anchor_text, anchor) == NULL)
        abort();
    if (!(g.gap.y0 <= g.gap.y1) || !(g.gap.y1 <= g.anchor.y0) || !(g.gap.x0 <= g.anchor.x0) || !(g.gap.x1 >= g.anchor.x1))
        abort();
    if (g.has_next != (g.next_text != NULL))
        abort();
    vbsig__pdf_signature_gap_free(&g);
}

static void check_cmap(const uint8_t *data, size_t size)
{
    pdf_cmap cm;
    pdf_cmap_init(&cm);
    if (pdf_cmap_parse(&cm, data, size) == VBSIG_OK) {
        if (cm.nmaps > PDF_CMAP_MAX_MAPS || cm.nunits > PDF_CMAP_MAX_UNITS || cm.nspaces > PDF_CMAP_MAX_CODESPACES)
            abort();
        for (size_t i = 0; i + 1 < cm.nmaps; i++)
            if (cm.maps[i].nbytes > cm.maps[i + 1].nbytes ||
                (cm.maps[i].nbytes == cm.maps[i + 1].nbytes && cm.maps[i].lo > cm.maps[i + 1].lo))
                abort(); /* sorted, as the lookup's binary search needs */
        uint32_t cps[4];
        size_t n;
        for (size_t i = 0; i < size && i < 64; i++) {
            if (pdf_cmap_lookup(&cm, data[i], 1 + i % 4, cps, 4, &n) && n > 4)
                abort();
            if (pdf_cmap_code_length(&cm, data + i, size - i) > 4)
                abort();
        }
    }
    pdf_cmap_free(&cm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_cmap(data, size);
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    vbsig_pdf_doc *doc = NULL;
    if (build(&b, data, size) != VBSIG_OK ||
        vbsig_pdf_open_memory(&doc, NULL, b.data, b.len, "fuzz.pdf", 0) != VBSIG_OK) {
        vbsig_bytes_free(&b);
        return 0; /* a /Length the lexer misreads cannot happen, but the input may hold "endstream" */
    }
    const vbsig_pdf_obj *page;
    vbsig_pdf_text_page tp;
    if (vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, 0, &page) == VBSIG_OK &&
        vbsig_pdf_page_text(doc, VBSIG_PDF_NEWEST, page, &tp) == VBSIG_OK) {
        check_lines(&tp);
        vbsig_pdf_text_page_free(&tp);
    }
    vbsig_error_clear();
    check_gap(doc, NULL);
    check_gap(doc, "CHỦ TỊCH");
    vbsig_pdf_close(doc);
    vbsig_bytes_free(&b);
    return 0;
}
