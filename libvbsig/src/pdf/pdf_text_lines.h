/* Positioned text of a page: what its content streams (and the form
 * XObjects they draw) show, decoded to Unicode and placed in default user
 * space, merged into lines. For finding where things are written (the
 * title line of a signature block), not for reflowing text: only
 * horizontal, left-to-right, upright text is kept (in user space; a page's
 * /Rotate is the viewer's business and leaves it as it is).
 *
 * Boxes follow poppler's TextOutputDev, so they can be compared with
 * `pdftotext -bbox-layout`: a glyph spans its advance (character spacing
 * included) horizontally and from descent to ascent of the font (the
 * descriptor's /Ascent and /Descent, else 0.95 and -0.35 em) vertically. */
#ifndef VBSIG_PDF_TEXT_LINES_H
#define VBSIG_PDF_TEXT_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "pdf/pdf.h"
#include "pdf/pdf_content_bbox.h"

/* One shown glyph (pdf_text_extract.c). */
typedef struct pdf_text_glyph {
    double x0, x1;      /* along the baseline, user space */
    double baseline;    /* y of the origin, text rise included */
    double size;        /* the em in user space */
    double ascent, descent; /* thousandths of the em */
    uint32_t first, count;  /* its code points in the page's pool */
} pdf_text_glyph;

typedef struct vbsig_pdf_text_line {
    char *text;          /* UTF-8 in NFC; words joined by one space, trimmed; "" when its
                            glyphs have no Unicode (a font without ToUnicode or names) */
    size_t len;
    vbsig_pdf_rect box;  /* user space, spaces left out */
    double baseline;
    double size;         /* the largest em of its glyphs */
    size_t row;          /* lines on one baseline share it: columns of a table, or words
                            spread out by justification */
} vbsig_pdf_text_line;

typedef struct vbsig_pdf_text_page {
    vbsig_pdf_rect page;          /* CropBox, else MediaBox */
    vbsig_pdf_text_line *lines;   /* by row (top to bottom), then left to right */
    size_t count;
    size_t skipped;               /* glyphs dropped: rotated, vertical or mirrored text */
    int truncated;                /* a budget was exhausted: the text may be incomplete */
    /* the glyphs the lines were made of */
    pdf_text_glyph *glyphs;
    size_t nglyphs, glyphs_cap;
    uint32_t *cps;
    size_t ncps, cps_cap;
} vbsig_pdf_text_page;

/* Budgets of one page (its forms included). */
#define VBSIG_PDF_TEXT_MAX_OPS 2000000u
#define VBSIG_PDF_TEXT_MAX_GLYPHS 500000u
#define VBSIG_PDF_TEXT_MAX_FORMS 8
#define VBSIG_PDF_TEXT_MAX_SAVES 64

void vbsig_pdf_text_page_init(vbsig_pdf_text_page *tp);
void vbsig_pdf_text_page_free(vbsig_pdf_text_page *tp);

/* The text lines of page (a page dictionary as of revision rev). Content
 * that cannot be read is skipped (truncated set); only running out of
 * memory fails (VBSIG_E_NOMEM). tp is initialised here. */
int vbsig_pdf_page_text(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_pdf_text_page *tp);
/* The same for content bytes drawn with resources (a dictionary or NULL)
 * under the identity matrix, for tests and the fuzz harness. */
int vbsig_pdf_content_text(vbsig_pdf_doc *doc, size_t rev, const uint8_t *data, size_t len,
                           const vbsig_pdf_obj *resources, vbsig_pdf_text_page *tp);

/* Internal steps, shared by their files. */
/* pdf_text_extract.c: glyphs of content appended to tp->glyphs. */
int pdf_text_extract(vbsig_pdf_doc *doc, size_t rev, const uint8_t *data, size_t len, const vbsig_pdf_obj *resources,
                     vbsig_pdf_text_page *tp);
/* pdf_text_lines.c: tp->lines made from tp->glyphs. */
int pdf_text_merge_lines(vbsig_pdf_text_page *tp);
/* Appends a glyph (the code points first, with pdf_text_push_cps). */
int pdf_text_push_glyph(vbsig_pdf_text_page *tp, const pdf_text_glyph *g);
int pdf_text_push_cps(vbsig_pdf_text_page *tp, const uint32_t *cps, size_t n, uint32_t *first);

#endif
