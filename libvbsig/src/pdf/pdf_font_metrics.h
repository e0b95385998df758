/* Just enough of a font to bound the text it shows: glyph widths (/Widths
 * of simple fonts, /W and /DW of CID fonts), the font bounding box, and
 * how codes split into glyphs. Private to the PDF module. */
#ifndef VBSIG_PDF_FONT_METRICS_H
#define VBSIG_PDF_FONT_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "pdf/pdf.h"

typedef enum pdf_font_codes {
    PDF_FONT_ONE_BYTE,  /* simple fonts: one byte, one glyph */
    PDF_FONT_TWO_BYTE,  /* Type0 with Identity-H: two bytes give the CID */
    PDF_FONT_ANY_BYTE,  /* Type0 with another CMap: each byte counted as a glyph of the widest width */
    PDF_FONT_VERTICAL   /* vertical writing: not bounded */
} pdf_font_codes;

typedef struct pdf_cid_range {
    uint32_t first, last;
    double width;
} pdf_cid_range;

typedef struct pdf_font_metrics {
    const vbsig_pdf_obj *font; /* the font dictionary (cache key) */
    pdf_font_codes codes;
    /* All in thousandths of text space (Type3 glyph space converted). */
    double llx, lly, urx, ury;
    double widest;
    /* simple fonts */
    int first_char, have_widths;
    double widths[256];        /* valid from first_char, with missing_width elsewhere */
    double missing_width;
    /* CID fonts */
    pdf_cid_range *ranges;     /* sorted by first */
    size_t nranges;
    double default_width;
} pdf_font_metrics;

/* Fonts met while bounding one page, each read once. */
#define PDF_FONT_CACHE_SIZE 128
typedef struct pdf_font_cache {
    pdf_font_metrics *fonts[PDF_FONT_CACHE_SIZE];
    size_t count;
    pdf_font_metrics generous; /* for fonts that cannot be read or cached: 1 em a byte */
} pdf_font_cache;

void pdf_font_cache_init(pdf_font_cache *c);
void pdf_font_cache_free(pdf_font_cache *c);
/* The metrics of font (a font dictionary as of rev; NULL or unreadable
 * gives the generous metrics). *out stays valid until the cache is freed.
 * Returns VBSIG_OK or VBSIG_E_NOMEM. */
int pdf_font_metrics_get(pdf_font_cache *c, vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font,
                         const pdf_font_metrics **out);
/* The width (glyph space) of the glyph whose code is code. */
double pdf_font_width(const pdf_font_metrics *m, uint32_t code);

#endif
