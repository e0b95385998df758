/* Glyph widths and font boxes for bounding text (ISO 32000-1 §9.6-9.7).
 * Everything unknown errs wide: a missing width counts as 1 em, a missing
 * font box as -0.3..1.1 em tall, a CMap other than Identity as one glyph
 * per byte of the widest width. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_font_metrics.h"
#include "pdf/pdf_internal.h"

/* /W entries read from one CID font; real fonts stay far below. */
#define PDF_CID_RANGES_MAX 65536
#define GENEROUS_WIDTH 1000.0

static int number(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o, double *out)
{
    return vbsig_pdf_get_number(pdf_resolved_quiet(doc, rev, o), out) == VBSIG_OK && isfinite(*out) && pdf_dabs(*out) < 1e7;
}

static void set_generous(pdf_font_metrics *m)
{
    memset(m, 0, sizeof *m);
    m->codes = PDF_FONT_ONE_BYTE;
    m->llx = 0;
    m->urx = GENEROUS_WIDTH;
    m->lly = -300;
    m->ury = 1100;
    m->widest = GENEROUS_WIDTH;
    m->missing_width = GENEROUS_WIDTH;
    m->default_width = GENEROUS_WIDTH;
}

void pdf_font_cache_init(pdf_font_cache *c)
{
    memset(c, 0, sizeof *c);
    set_generous(&c->generous);
}

void pdf_font_cache_free(pdf_font_cache *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->fonts[i]->ranges);
        free(c->fonts[i]);
    }
    c->count = 0;
}

/* The font box from a descriptor (or a Type3 font), times k (glyph space
 * to thousandths of text space); a box shorter than the usual ascent and
 * descent is widened to it, since broken producers write zeros or tiny
 * boxes. */
static void read_bbox(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *holder, double k, pdf_font_metrics *m)
{
    const vbsig_pdf_obj *bb = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(holder, "FontBBox"));
    double v[4];
    if (vbsig_pdf_array_count(bb) != 4)
        return;
    for (size_t i = 0; i < 4; i++)
        if (!number(doc, rev, vbsig_pdf_array_get(bb, i), &v[i]))
            return;
    m->llx = pdf_dmin(pdf_dmin(v[0], v[2]) * k, 0);
    m->urx = pdf_dmax(v[0], v[2]) * k;
    m->lly = pdf_dmin(pdf_dmin(v[1], v[3]) * k, -200);
    m->ury = pdf_dmax(pdf_dmax(v[1], v[3]) * k, 900);
}

static void read_simple(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font, double k, pdf_font_metrics *m)
{
    const vbsig_pdf_obj *desc = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(font, "FontDescriptor"));
    const vbsig_pdf_obj *widths = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(font, "Widths"));
    double first = 0, mw;
    if (desc != NULL && number(doc, rev, vbsig_pdf_dict_get(desc, "MissingWidth"), &mw) && mw > 0)
        m->missing_width = mw * k;
    /* Type3 fonts carry their box themselves. */
    read_bbox(doc, rev, vbsig_pdf_dict_get(font, "FontBBox") != NULL || desc == NULL ? font : desc, k, m);
    if (widths == NULL || widths->type != VBSIG_PDF_ARRAY || !number(doc, rev, vbsig_pdf_dict_get(font, "FirstChar"), &first) ||
        first < 0 || first > 255)
        return; /* standard 14 fonts and broken ones: every glyph 1 em */
    m->first_char = (int)first;
    m->have_widths = 1;
    for (int c = 0; c < 256; c++)
        m->widths[c] = m->missing_width;
    size_t n = vbsig_pdf_array_count(widths);
    for (size_t i = 0; i < n && (size_t)m->first_char + i < 256; i++) {
        double w;
        if (number(doc, rev, vbsig_pdf_array_get(widths, i), &w))
            m->widths[(size_t)m->first_char + i] = pdf_dabs(w) * k;
    }
    for (int c = 0; c < 256; c++)
        m->widest = pdf_dmax(m->widest, m->widths[c]);
}

static int range_cmp(const void *a, const void *b)
{
    uint32_t x = ((const pdf_cid_range *)a)->first, y = ((const pdf_cid_range *)b)->first;
    return x < y ? -1 : x > y;
}

static int push_range(pdf_font_metrics *m, size_t *cap, uint32_t first, uint32_t last, double w)
{
    if (m->nranges == PDF_CID_RANGES_MAX)
        return VBSIG_OK; /* the rest take the widest width: see pdf_font_width */
    if (m->nranges == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        pdf_cid_range *r = realloc(m->ranges, ncap * sizeof *r);
        if (r == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        m->ranges = r;
        *cap = ncap;
    }
    m->ranges[m->nranges++] = (pdf_cid_range){first, last, pdf_dabs(w)};
    m->widest = pdf_dmax(m->widest, pdf_dabs(w));
    return VBSIG_OK;
}

/* /W: [c [w1 w2 …]] or [c_first c_last w], repeated. */
static int read_w(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *w, pdf_font_metrics *m)
{
    size_t n = vbsig_pdf_array_count(w), cap = 0, i = 0;
    int rc = VBSIG_OK;
    while (rc == VBSIG_OK && i < n) {
        double c0, c1, width;
        if (!number(doc, rev, vbsig_pdf_array_get(w, i), &c0) || c0 < 0)
            break;
        const vbsig_pdf_obj *next = pdf_resolved_quiet(doc, rev, vbsig_pdf_array_get(w, i + 1));
        if (next != NULL && next->type == VBSIG_PDF_ARRAY) {
            for (size_t k = 0; rc == VBSIG_OK && k < vbsig_pdf_array_count(next); k++)
                if (number(doc, rev, vbsig_pdf_array_get(next, k), &width))
                    rc = push_range(m, &cap, (uint32_t)c0 + (uint32_t)k, (uint32_t)c0 + (uint32_t)k, width);
            i += 2;
        } else if (number(doc, rev, next, &c1) && c1 >= c0 && number(doc, rev, vbsig_pdf_array_get(w, i + 2), &width)) {
            rc = push_range(m, &cap, (uint32_t)c0, (uint32_t)c1, width);
            i += 3;
        } else {
            break; /* malformed: what was read stays, the rest is the widest */
        }
    }
    if (rc == VBSIG_OK && m->nranges > 1)
        qsort(m->ranges, m->nranges, sizeof *m->ranges, range_cmp);
    return rc;
}

/* An embedded CMap that writes vertically (/WMode 1). */
static int vertical_cmap(const vbsig_pdf_obj *cmap)
{
    int64_t wmode = 0;
    return vbsig_pdf_get_int(vbsig_pdf_dict_get(cmap, "WMode"), &wmode) == VBSIG_OK && wmode == 1;
}

static int read_type0(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font, pdf_font_metrics *m)
{
    const vbsig_pdf_obj *enc = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(font, "Encoding"));
    const char *name = NULL;
    if (vbsig_pdf_get_name(enc, &name) == VBSIG_OK && strcmp(name, "Identity-H") == 0)
        m->codes = PDF_FONT_TWO_BYTE;
    else if (name != NULL && strlen(name) >= 2 && strcmp(name + strlen(name) - 2, "-V") == 0)
        m->codes = PDF_FONT_VERTICAL;
    else if (enc != NULL && enc->type == VBSIG_PDF_STREAM && vertical_cmap(enc))
        m->codes = PDF_FONT_VERTICAL;
    else
        m->codes = PDF_FONT_ANY_BYTE;
    const vbsig_pdf_obj *descendants = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(font, "DescendantFonts"));
    const vbsig_pdf_obj *desc = pdf_resolved_quiet(doc, rev, vbsig_pdf_array_get(descendants, 0));
    double dw;
    m->default_width = 1000; /* ISO 32000-1 Table 117 */
    if (desc != NULL && number(doc, rev, vbsig_pdf_dict_get(desc, "DW"), &dw))
        m->default_width = pdf_dabs(dw);
    m->widest = m->default_width;
    if (desc == NULL) {
        m->widest = pdf_dmax(m->widest, GENEROUS_WIDTH);
        return VBSIG_OK;
    }
    read_bbox(doc, rev, pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(desc, "FontDescriptor")), 1, m);
    const vbsig_pdf_obj *w = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(desc, "W"));
    return w != NULL && w->type == VBSIG_PDF_ARRAY ? read_w(doc, rev, w, m) : VBSIG_OK;
}

/* Type3: glyph space is the font's /FontMatrix, not thousandths. One
 * factor for both axes, the larger: a skewed matrix only widens. */
static void read_type3(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font, pdf_font_metrics *m)
{
    const vbsig_pdf_obj *fm = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(font, "FontMatrix"));
    double v[6];
    for (size_t i = 0; i < 6; i++)
        if (vbsig_pdf_array_count(fm) != 6 || !number(doc, rev, vbsig_pdf_array_get(fm, i), &v[i]))
            return; /* the generous metrics */
    double s = pdf_dmax(pdf_dabs(v[0]) + pdf_dabs(v[2]), pdf_dabs(v[1]) + pdf_dabs(v[3]));
    if (s <= 0 || s > 1e3)
        return;
    read_simple(doc, rev, font, s * 1000, m);
}

static int read_font(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font, pdf_font_metrics *m)
{
    const char *subtype = "";
    set_generous(m);
    m->font = font;
    m->widest = 0;
    vbsig_pdf_get_name(vbsig_pdf_dict_get(font, "Subtype"), &subtype);
    if (strcmp(subtype, "Type0") == 0)
        return read_type0(doc, rev, font, m);
    if (strcmp(subtype, "Type3") == 0)
        read_type3(doc, rev, font, m);
    else
        read_simple(doc, rev, font, 1, m);
    if (!m->have_widths)
        m->widest = pdf_dmax(m->widest, m->missing_width);
    return VBSIG_OK;
}

int pdf_font_metrics_get(pdf_font_cache *c, vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font,
                         const pdf_font_metrics **out)
{
    *out = &c->generous;
    font = vbsig_pdf_dict_of(font);
    if (font == NULL)
        return VBSIG_OK;
    for (size_t i = 0; i < c->count; i++)
        if (c->fonts[i]->font == font) {
            *out = c->fonts[i];
            return VBSIG_OK;
        }
    if (c->count == PDF_FONT_CACHE_SIZE)
        return VBSIG_OK; /* more fonts than any real page: the rest count wide */
    pdf_font_metrics *m = calloc(1, sizeof *m);
    if (m == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = read_font(doc, rev, font, m);
    if (rc != VBSIG_OK) {
        free(m->ranges);
        free(m);
        return rc;
    }
    c->fonts[c->count++] = m;
    *out = m;
    return VBSIG_OK;
}

double pdf_font_width(const pdf_font_metrics *m, uint32_t code)
{
    switch (m->codes) {
    case PDF_FONT_ONE_BYTE:
        if (!m->have_widths)
            return m->missing_width;
        return code < 256 ? m->widths[code] : m->widest;
    case PDF_FONT_TWO_BYTE: {
        size_t lo = 0, hi = m->nranges;
        while (lo < hi) { /* the last range starting at or before code */
            size_t mid = lo + (hi - lo) / 2;
            if (m->ranges[mid].first <= code)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && code <= m->ranges[lo - 1].last)
            return m->ranges[lo - 1].width;
        /* Overlapping ranges or ones past the cap: never narrower than
         * what the font could mean. */
        return m->nranges == PDF_CID_RANGES_MAX ? m->widest : m->default_width;
    }
    case PDF_FONT_ANY_BYTE:
    case PDF_FONT_VERTICAL:
        break;
    }
    return m->widest;
}
