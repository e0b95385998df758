/* Glyphs into lines: glyphs whose baselines lie within a quarter em of
 * each other form a row; a row splits into lines where the gap between
 * glyphs exceeds LINE_GAP_EM (the space between the columns of a table or
 * of a signature block, far wider than between words); inside a line a
 * gap wider than WORD_GAP_EM is a word break, as in poppler's pdftotext. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"
#include "pdf/pdf_text_lines.h"
#include "util/unicode_nfc.h"

#define ROW_EM 0.25
#define LINE_GAP_EM 1.5
#define WORD_GAP_EM 0.15

void vbsig_pdf_text_page_init(vbsig_pdf_text_page *tp)
{
    memset(tp, 0, sizeof *tp);
}

void vbsig_pdf_text_page_free(vbsig_pdf_text_page *tp)
{
    for (size_t i = 0; i < tp->count; i++)
        free(tp->lines[i].text);
    free(tp->lines);
    free(tp->glyphs);
    free(tp->cps);
    vbsig_pdf_text_page_init(tp);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return VBSIG_OK;
    size_t ncap = *cap ? *cap * 2 : 256;
    while (ncap < need)
        ncap *= 2;
    void *q = realloc(*p, ncap * size);
    if (q == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    *p = q;
    *cap = ncap;
    return VBSIG_OK;
}

int pdf_text_push_cps(vbsig_pdf_text_page *tp, const uint32_t *cps, size_t n, uint32_t *first)
{
    *first = (uint32_t)tp->ncps;
    if (n == 0)
        return VBSIG_OK; /* a glyph without text: nothing to copy (the pool may not exist yet) */
    int rc = grow((void **)&tp->cps, &tp->cps_cap, tp->ncps + n, sizeof *tp->cps);
    if (rc != VBSIG_OK)
        return rc;
    *first = (uint32_t)tp->ncps;
    memcpy(tp->cps + tp->ncps, cps, n * sizeof *cps);
    tp->ncps += n;
    return VBSIG_OK;
}

int pdf_text_push_glyph(vbsig_pdf_text_page *tp, const pdf_text_glyph *g)
{
    int rc = grow((void **)&tp->glyphs, &tp->glyphs_cap, tp->nglyphs + 1, sizeof *tp->glyphs);
    if (rc == VBSIG_OK)
        tp->glyphs[tp->nglyphs++] = *g;
    return rc;
}

static int is_space(const vbsig_pdf_text_page *tp, const pdf_text_glyph *g)
{
    if (g->count == 0)
        return 0;
    for (uint32_t i = 0; i < g->count; i++) {
        uint32_t c = tp->cps[g->first + i];
        if (c != 0x20 && c != 0xA0 && c != 0x09 && c != 0x3000 && !(c >= 0x2000 && c <= 0x200B))
            return 0;
    }
    return 1;
}

/* qsort has no context argument: the page being sorted, one at a time per
 * thread. */
static _Thread_local const vbsig_pdf_text_page *sorting;

static int by_baseline(const void *a, const void *b)
{
    const pdf_text_glyph *x = &sorting->glyphs[*(const size_t *)a], *y = &sorting->glyphs[*(const size_t *)b];
    if (x->baseline != y->baseline)
        return x->baseline > y->baseline ? -1 : 1;
    if (x->x0 != y->x0)
        return x->x0 < y->x0 ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int by_x(const void *a, const void *b)
{
    const pdf_text_glyph *x = &sorting->glyphs[*(const size_t *)a], *y = &sorting->glyphs[*(const size_t *)b];
    if (x->x0 != y->x0)
        return x->x0 < y->x0 ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int by_position(const void *a, const void *b)
{
    const vbsig_pdf_text_line *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->box.x0 < y->box.x0 ? -1 : x->box.x0 > y->box.x0;
}

/* A line from glyphs idx[0..n) (in x order). */
static int emit_line(vbsig_pdf_text_page *tp, const size_t *idx, size_t n, size_t *cap, size_t row)
{
    size_t need = n + 1;
    for (size_t k = 0; k < n; k++)
        need += tp->glyphs[idx[k]].count;
    uint32_t *cps = malloc(need * sizeof *cps);
    if (cps == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t nc = 0;
    vbsig_pdf_text_line line;
    memset(&line, 0, sizeof line);
    line.row = row;
    int have_box = 0, pending_space = 0;
    const pdf_text_glyph *prev = NULL;
    for (size_t k = 0; k < n; k++) {
        const pdf_text_glyph *g = &tp->glyphs[idx[k]];
        if (is_space(tp, g)) {
            pending_space = 1;
            continue;
        }
        /* the same glyph drawn again a hair to the right: fake bold */
        if (prev != NULL && g->count == prev->count && pdf_dabs(g->x0 - prev->x0) < 0.1 * g->size &&
            (g->count == 0 || memcmp(tp->cps + g->first, tp->cps + prev->first, g->count * sizeof *cps) == 0))
            continue;
        if (prev != NULL && nc > 0 && cps[nc - 1] != ' ' &&
            (pending_space || g->x0 - prev->x1 > WORD_GAP_EM * pdf_dmax(g->size, prev->size)))
            cps[nc++] = ' ';
        pending_space = 0;
        for (uint32_t i = 0; i < g->count; i++) {
            uint32_t c = tp->cps[g->first + i];
            if (c == 0x20 || c == 0xA0 || c == 0x09 || c == 0x3000 || (c >= 0x2000 && c <= 0x200A)) {
                if (nc > 0 && cps[nc - 1] != ' ')
                    cps[nc++] = ' ';
                continue;
            }
            /* control characters are no text (a NUL would cut the string) */
            if (c >= 0x20 && !(c >= 0x7F && c < 0xA0) && c <= 0x10FFFF)
                cps[nc++] = c;
        }
        vbsig_pdf_rect r = {pdf_dmin(g->x0, g->x1), g->baseline + g->descent / 1000.0 * g->size, pdf_dmax(g->x0, g->x1),
                            g->baseline + g->ascent / 1000.0 * g->size};
        if (!have_box) {
            line.box = r;
            line.baseline = g->baseline;
            line.size = g->size;
            have_box = 1;
        } else {
            line.box.x0 = pdf_dmin(line.box.x0, r.x0);
            line.box.y0 = pdf_dmin(line.box.y0, r.y0);
            line.box.x1 = pdf_dmax(line.box.x1, r.x1);
            line.box.y1 = pdf_dmax(line.box.y1, r.y1);
            if (g->size > line.size) {
                line.size = g->size;
                line.baseline = g->baseline;
            }
        }
        prev = g;
    }
    if (!have_box) {
        free(cps);
        return VBSIG_OK; /* only spaces */
    }
    while (nc > 0 && cps[nc - 1] == ' ')
        nc--;
    nc = vbsig_nfc_cps(cps, nc);
    line.text = malloc(4 * nc + 1);
    int rc = line.text == NULL ? vbsig_fail(VBSIG_E_NOMEM, _("out of memory"))
                               : grow((void **)&tp->lines, cap, tp->count + 1, sizeof *tp->lines);
    if (rc != VBSIG_OK) {
        free(line.text);
        free(cps);
        return rc;
    }
    for (size_t i = 0; i < nc; i++)
        line.len += vbsig_utf8_put(cps[i], line.text + line.len);
    line.text[line.len] = 0;
    tp->lines[tp->count++] = line;
    free(cps);
    return VBSIG_OK;
}

/* One row (glyphs of one baseline): split at wide gaps. */
static int emit_row(vbsig_pdf_text_page *tp, size_t *idx, size_t n, size_t *cap, size_t row)
{
    sorting = tp;
    qsort(idx, n, sizeof *idx, by_x);
    size_t start = 0;
    double right = 0;
    int any = 0;
    for (size_t k = 0; k < n; k++) {
        const pdf_text_glyph *g = &tp->glyphs[idx[k]];
        if (is_space(tp, g))
            continue;
        if (any && g->x0 - right > LINE_GAP_EM * g->size) {
            int rc = emit_line(tp, idx + start, k - start, cap, row);
            if (rc != VBSIG_OK)
                return rc;
            start = k;
        }
        right = any ? pdf_dmax(right, g->x1) : g->x1;
        any = 1;
    }
    return emit_line(tp, idx + start, n - start, cap, row);
}

int pdf_text_merge_lines(vbsig_pdf_text_page *tp)
{
    size_t n = tp->nglyphs, cap = 0;
    if (n == 0)
        return VBSIG_OK;
    size_t *idx = malloc(n * sizeof *idx);
    if (idx == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sorting = tp;
    qsort(idx, n, sizeof *idx, by_baseline);
    int rc = VBSIG_OK;
    size_t start = 0, row = 0;
    for (size_t k = 1; rc == VBSIG_OK && k <= n; k++) {
        const pdf_text_glyph *first = &tp->glyphs[idx[start]];
        if (k < n && first->baseline - tp->glyphs[idx[k]].baseline <= ROW_EM * pdf_dmax(first->size, tp->glyphs[idx[k]].size))
            continue;
        rc = emit_row(tp, idx + start, k - start, &cap, row++);
        start = k;
    }
    free(idx);
    if (rc == VBSIG_OK && tp->count > 1)
        qsort(tp->lines, tp->count, sizeof *tp->lines, by_position);
    return rc;
}

int vbsig_pdf_content_text(vbsig_pdf_doc *doc, size_t rev, const uint8_t *data, size_t len,
                           const vbsig_pdf_obj *resources, vbsig_pdf_text_page *tp)
{
    vbsig_pdf_text_page_init(tp);
    int rc = pdf_text_extract(doc, rev, data, len, resources, tp);
    if (rc == VBSIG_OK)
        rc = pdf_text_merge_lines(tp);
    if (rc != VBSIG_OK)
        vbsig_pdf_text_page_free(tp);
    return rc;
}

int vbsig_pdf_page_text(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_pdf_text_page *tp)
{
    vbsig_pdf_rect box = {0, 0, 612, 792};
    if (!pdf_page_box(doc, rev, page, "CropBox", &box))
        pdf_page_box(doc, rev, page, "MediaBox", &box);
    vbsig_bytes content;
    int rc = pdf_page_contents(doc, rev, page, &content);
    int truncated = 0;
    if (rc != VBSIG_OK && rc != VBSIG_E_NOMEM) {
        vbsig_error_clear();
        truncated = 1;
        rc = VBSIG_OK;
    }
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_content_text(doc, rev, content.data, content.len, pdf_page_inherited(doc, rev, page, "Resources"), tp);
    else
        vbsig_pdf_text_page_init(tp);
    vbsig_bytes_free(&content);
    tp->page = box;
    tp->truncated |= truncated;
    return rc;
}
