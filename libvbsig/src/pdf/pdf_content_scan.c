/* Operands and operators of a content stream, read with the PDF lexer.
 * Arrays and dictionaries among operands are kept as spans (TJ reads its
 * array again from the span); their nesting is bounded. */
#include <string.h>

#include "pdf/pdf_content_scan.h"

#define MAX_SKIP_DEPTH 32 /* arrays and dictionaries inside operands */
#define INLINE_DICT_MAX_TOKENS 1024

void pdf_content_scan_init(pdf_content_scan *sc, const uint8_t *data, size_t len, const char *name)
{
    memset(sc, 0, sizeof *sc);
    pdf_lexer_init(&sc->lx, data, len, 0, name, 0);
}

static void push(pdf_content_scan *sc, pdf_opd_kind kind, double num, const pdf_token *tok)
{
    if (sc->nopd == PDF_CONTENT_MAX_OPERANDS) {
        memmove(sc->opd, sc->opd + 1, (PDF_CONTENT_MAX_OPERANDS - 1) * sizeof *sc->opd);
        sc->nopd--;
    }
    sc->opd[sc->nopd].kind = kind;
    sc->opd[sc->nopd].num = num;
    sc->opd[sc->nopd].tok = *tok;
    sc->nopd++;
}

/* Skips a balanced array or dictionary whose opening token was just read. */
static int skip_balanced(pdf_lexer *lx)
{
    int depth = 1;
    pdf_token t;
    while (depth > 0) {
        if (depth > MAX_SKIP_DEPTH || pdf_lex_next(lx, &t) != VBSIG_OK || t.kind == PDF_TOK_EOF)
            return 0;
        if (t.kind == PDF_TOK_ARRAY_OPEN || t.kind == PDF_TOK_DICT_OPEN)
            depth++;
        else if (t.kind == PDF_TOK_ARRAY_CLOSE || t.kind == PDF_TOK_DICT_CLOSE)
            depth--;
    }
    return 1;
}

pdf_scan_result pdf_content_scan_next(pdf_content_scan *sc)
{
    pdf_token t;
    sc->nopd = 0;
    sc->op[0] = 0;
    for (;;) {
        if (pdf_lex_next(&sc->lx, &t) != VBSIG_OK) {
            vbsig_error_clear();
            return PDF_SCAN_BROKEN;
        }
        switch (t.kind) {
        case PDF_TOK_EOF: return PDF_SCAN_END;
        case PDF_TOK_INT: push(sc, PDF_OPD_NUM, (double)t.integer, &t); break;
        case PDF_TOK_REAL: push(sc, PDF_OPD_NUM, t.real, &t); break;
        case PDF_TOK_STRING:
        case PDF_TOK_HEXSTRING: push(sc, PDF_OPD_STRING, 0, &t); break;
        case PDF_TOK_NAME: push(sc, PDF_OPD_NAME, 0, &t); break;
        case PDF_TOK_ARRAY_OPEN:
        case PDF_TOK_DICT_OPEN:
            if (!skip_balanced(&sc->lx)) {
                vbsig_error_clear();
                return PDF_SCAN_BROKEN;
            }
            t.end = sc->lx.pos;
            push(sc, t.kind == PDF_TOK_ARRAY_OPEN ? PDF_OPD_ARRAY : PDF_OPD_OTHER, 0, &t);
            break;
        case PDF_TOK_ARRAY_CLOSE:
        case PDF_TOK_DICT_CLOSE: return PDF_SCAN_BROKEN;
        case PDF_TOK_KEYWORD: {
            if (pdf_tok_is_keyword(&sc->lx, &t, "true") || pdf_tok_is_keyword(&sc->lx, &t, "false") ||
                pdf_tok_is_keyword(&sc->lx, &t, "null")) {
                push(sc, PDF_OPD_OTHER, 0, &t);
                break;
            }
            size_t n = t.end - t.start;
            if (n < sizeof sc->op) {
                memcpy(sc->op, sc->lx.data + t.start, n);
                sc->op[n] = 0;
            }
            return PDF_SCAN_OP;
        }
        }
    }
}

int pdf_content_nums(const pdf_content_scan *sc, size_t n, double *out)
{
    if (sc->nopd < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const pdf_operand *o = &sc->opd[sc->nopd - n + i];
        if (o->kind != PDF_OPD_NUM)
            return 0;
        out[i] = o->num;
    }
    return 1;
}

const pdf_operand *pdf_content_last(const pdf_content_scan *sc, pdf_opd_kind kind)
{
    return sc->nopd > 0 && sc->opd[sc->nopd - 1].kind == kind ? &sc->opd[sc->nopd - 1] : NULL;
}

/* ---- inline images: BI <dict> ID <data> EI ---- */

static int token_is(const pdf_lexer *lx, const pdf_token *t, const char *a, const char *b)
{
    size_t n = t->end - t->start;
    const char *s = (const char *)lx->data + t->start + 1;
    return t->kind == PDF_TOK_NAME && ((strlen(a) == n - 1 && memcmp(s, a, n - 1) == 0) ||
                                       (strlen(b) == n - 1 && memcmp(s, b, n - 1) == 0));
}

/* The data length an unfiltered image needs, 0 when it cannot be told. */
static size_t image_bytes(const pdf_inline_image *im)
{
    double w = im->width, h = im->height, bpc = im->bpc, comps = im->comps;
    if (!(w > 0 && h > 0 && bpc > 0 && comps > 0) || w > 1e6 || h > 1e6 || bpc > 16 || comps > 32)
        return 0;
    size_t row = ((size_t)w * (size_t)comps * (size_t)bpc + 7) / 8;
    return row * (size_t)h;
}

static int delimited_ei(const pdf_lexer *lx, size_t p)
{
    return p + 1 < lx->len && lx->data[p] == 'E' && lx->data[p + 1] == 'I' &&
           (p + 2 == lx->len || pdf_is_space(lx->data[p + 2]) || pdf_is_delim(lx->data[p + 2]));
}

/* The dictionary up to ID; 1 when ID was reached. */
static int read_inline_dict(pdf_lexer *lx, pdf_inline_image *im)
{
    pdf_token key, val;
    for (int i = 0; i < INLINE_DICT_MAX_TOKENS; i++) {
        if (pdf_lex_next(lx, &key) != VBSIG_OK || key.kind == PDF_TOK_EOF)
            return 0;
        if (pdf_tok_is_keyword(lx, &key, "ID"))
            return 1;
        if (key.kind != PDF_TOK_NAME || pdf_lex_next(lx, &val) != VBSIG_OK)
            return 0;
        double v = val.kind == PDF_TOK_INT ? (double)val.integer : val.kind == PDF_TOK_REAL ? val.real : -1;
        if (token_is(lx, &key, "W", "Width"))
            im->width = v;
        else if (token_is(lx, &key, "H", "Height"))
            im->height = v;
        else if (token_is(lx, &key, "BPC", "BitsPerComponent"))
            im->bpc = v;
        else if (token_is(lx, &key, "L", "Length"))
            im->length = v;
        else if (token_is(lx, &key, "F", "Filter"))
            im->filtered = 1;
        else if (token_is(lx, &key, "IM", "ImageMask") && pdf_tok_is_keyword(lx, &val, "true")) {
            im->comps = 1;
            im->bpc = 1;
        } else if (token_is(lx, &key, "CS", "ColorSpace"))
            im->comps = token_is(lx, &val, "G", "DeviceGray") ? 1 : token_is(lx, &val, "RGB", "DeviceRGB") ? 3
                        : token_is(lx, &val, "CMYK", "DeviceCMYK") ? 4 : 0;
        /* /D [1 0], /DP << … >>: skipped, balanced and bounded */
        if ((val.kind == PDF_TOK_ARRAY_OPEN || val.kind == PDF_TOK_DICT_OPEN) && !skip_balanced(lx))
            return 0;
    }
    return 0;
}

int pdf_content_skip_inline_image(pdf_content_scan *sc, pdf_inline_image *info)
{
    pdf_lexer *lx = &sc->lx;
    pdf_inline_image im = {0, 0, 0, 0, -1, 0};
    int found_id = read_inline_dict(lx, &im);
    vbsig_error_clear();
    if (info != NULL)
        *info = im;
    if (!found_id)
        return 0;
    size_t start = lx->pos + 1, end = 0; /* one white-space byte follows ID */
    size_t known = im.length >= 0 && im.length < 1e15 ? (size_t)im.length : im.filtered ? 0 : image_bytes(&im);
    if (known > 0 && start + known <= lx->len) {
        size_t p = start + known;
        while (p < lx->len && pdf_is_space(lx->data[p]))
            p++;
        if (delimited_ei(lx, p))
            end = p;
    }
    for (size_t p = start; end == 0 && p + 1 < lx->len; p++)
        if (p > start && pdf_is_space(lx->data[p - 1]) && delimited_ei(lx, p))
            end = p;
    if (end == 0)
        return 0;
    lx->pos = end + 2;
    return 1;
}
