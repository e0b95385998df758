/* Reading content streams (ISO 32000-1 §7.8.2): operands gathered up to
 * each operator, arrays and dictionaries kept as spans, inline images
 * stepped over; plus the matrix arithmetic every interpreter of content
 * needs. Shared by the footprint estimator (pdf_content_bbox.c) and the
 * text extractor (pdf_text_lines.c), so both read content the same way. */
#ifndef VBSIG_PDF_CONTENT_SCAN_H
#define VBSIG_PDF_CONTENT_SCAN_H

#include <stddef.h>

#include "pdf/pdf_internal.h"

typedef struct pdf_matrix {
    double a, b, c, d, e, f;
} pdf_matrix;

#define PDF_MATRIX_IDENTITY ((pdf_matrix){1, 0, 0, 1, 0, 0})

/* x then y, in PDF's row-vector convention: [x] × [y]. */
static inline pdf_matrix pdf_matrix_mul(pdf_matrix x, pdf_matrix y)
{
    pdf_matrix r = {x.a * y.a + x.b * y.c, x.a * y.b + x.b * y.d, x.c * y.a + x.d * y.c,
                    x.c * y.b + x.d * y.d, x.e * y.a + x.f * y.c + y.e, x.e * y.b + x.f * y.d + y.f};
    return r;
}

static inline void pdf_matrix_apply(const pdf_matrix *m, double x, double y, double *ox, double *oy)
{
    *ox = m->a * x + m->c * y + m->e;
    *oy = m->b * x + m->d * y + m->f;
}

typedef enum pdf_opd_kind { PDF_OPD_NUM, PDF_OPD_NAME, PDF_OPD_STRING, PDF_OPD_ARRAY, PDF_OPD_OTHER } pdf_opd_kind;

typedef struct pdf_operand {
    pdf_opd_kind kind;
    double num;
    pdf_token tok; /* span in the content, for names, strings and arrays */
} pdf_operand;

/* Only the newest operands matter to any operator: older ones are dropped. */
#define PDF_CONTENT_MAX_OPERANDS 16

typedef struct pdf_content_scan {
    pdf_lexer lx;
    pdf_operand opd[PDF_CONTENT_MAX_OPERANDS];
    size_t nopd;
    char op[4]; /* the operator just read; "" for one longer than 3 bytes */
} pdf_content_scan;

void pdf_content_scan_init(pdf_content_scan *sc, const uint8_t *data, size_t len, const char *name);

typedef enum pdf_scan_result {
    PDF_SCAN_END,   /* the content is over */
    PDF_SCAN_OP,    /* sc->op holds an operator, sc->opd its operands */
    PDF_SCAN_BROKEN /* a token cannot be read or a bracket is unbalanced; the error is cleared */
} pdf_scan_result;

/* Reads operands up to the next operator. The operands of the previous
 * operator are dropped first. */
pdf_scan_result pdf_content_scan_next(pdf_content_scan *sc);

/* The last n operands when they are all numbers. */
int pdf_content_nums(const pdf_content_scan *sc, size_t n, double *out);
/* The last operand when it is of kind, else NULL. */
const pdf_operand *pdf_content_last(const pdf_content_scan *sc, pdf_opd_kind kind);

/* What an inline image's dictionary tells about its size, for callers
 * that bound it; every field 0 or -1 when absent. */
typedef struct pdf_inline_image {
    double width, height, bpc, comps, length;
    int filtered;
} pdf_inline_image;

/* Steps over an inline image after its BI operator: the dictionary, ID,
 * the data and EI. Returns 1 with the lexer just after EI, or 0 when the
 * end of the image cannot be found (the position is then unspecified). */
int pdf_content_skip_inline_image(pdf_content_scan *sc, pdf_inline_image *info);

#endif
