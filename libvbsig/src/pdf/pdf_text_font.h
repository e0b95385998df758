/* What text extraction needs of a font: how shown strings split into
 * codes, each code's Unicode text (ToUnicode CMap first, else the simple
 * font's encoding and glyph names) and width (pdf_font_metrics), and the
 * ascent and descent that give a glyph's box. Private to the PDF module. */
#ifndef VBSIG_PDF_TEXT_FONT_H
#define VBSIG_PDF_TEXT_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "pdf/pdf.h"
#include "pdf/pdf_cmap.h"
#include "pdf/pdf_font_metrics.h"

typedef enum pdf_base_encoding {
    PDF_ENC_NONE,
    PDF_ENC_STANDARD,
    PDF_ENC_WINANSI,
    PDF_ENC_MACROMAN
} pdf_base_encoding;

/* The code points of a base encoding (0 where it has no glyph). */
void pdf_encoding_base(pdf_base_encoding which, uint32_t table[256]);
/* The code point a glyph name stands for, 0 when unknown. */
uint32_t pdf_glyph_name_cp(const char *name);

typedef enum pdf_code_split {
    PDF_SPLIT_ONE,  /* simple fonts */
    PDF_SPLIT_TWO,  /* Identity-H/V and other two-byte CMaps */
    PDF_SPLIT_CMAP  /* by the codespace ranges of the /Encoding CMap (or of ToUnicode) */
} pdf_code_split;

typedef struct pdf_text_font {
    const vbsig_pdf_obj *font; /* cache key */
    const pdf_font_metrics *metrics;
    pdf_code_split split;
    pdf_cmap to_unicode;       /* empty when the font has none */
    pdf_cmap codespace;        /* PDF_SPLIT_CMAP: the ranges that split codes */
    uint32_t simple[256];      /* simple fonts: code -> code point, 0 = unknown */
    int vertical;
    double ascent, descent;    /* thousandths of text space, as poppler reads them */
} pdf_text_font;

#define PDF_TEXT_FONT_CACHE_SIZE 128
typedef struct pdf_text_font_cache {
    pdf_text_font *fonts[PDF_TEXT_FONT_CACHE_SIZE];
    size_t count;
    pdf_font_cache metrics;
    pdf_text_font fallback; /* for missing, unreadable or too many fonts */
} pdf_text_font_cache;

void pdf_text_font_cache_init(pdf_text_font_cache *c);
void pdf_text_font_cache_free(pdf_text_font_cache *c);
/* The text font of font (a font dictionary as of rev, or NULL). Returns
 * VBSIG_OK or VBSIG_E_NOMEM; what cannot be read gives the fallback. */
int pdf_text_font_get(pdf_text_font_cache *c, vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font,
                      const pdf_text_font **out);
/* Reads a font dictionary into f (for tests; f is freed with
 * pdf_text_font_release). */
int pdf_text_font_read(pdf_text_font *f, pdf_font_cache *metrics, vbsig_pdf_doc *doc, size_t rev,
                       const vbsig_pdf_obj *font);
void pdf_text_font_release(pdf_text_font *f);

/* The glyph at s[0..n) (n > 0): *code, its byte length (returned, ≥ 1),
 * its Unicode text in cps (at most cap; *ncps set, 0 when unknown) and
 * whether it is the single-byte code 32 that word spacing applies to. */
size_t pdf_text_font_glyph(const pdf_text_font *f, const uint8_t *s, size_t n, uint32_t *code, uint32_t *cps,
                           size_t cap, size_t *ncps, int *word_space);

#endif
