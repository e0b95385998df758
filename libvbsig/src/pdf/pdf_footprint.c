/* A page's footprint: the box set (bounded by merging), the page box, the
 * page's content streams joined, and its visible annotations. The content
 * itself is interpreted in pdf_content_bbox.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_internal.h"

void vbsig_pdf_footprint_reset(vbsig_pdf_footprint *fp, const vbsig_pdf_rect *page_box)
{
    memset(fp, 0, sizeof *fp);
    if (page_box != NULL)
        fp->page = *page_box;
}

void vbsig_pdf_footprint_set_unbounded(vbsig_pdf_footprint *fp, const char *why)
{
    if (!fp->unbounded) {
        fp->unbounded = 1;
        fp->why = why;
    }
}

static double area(const vbsig_pdf_rect *r)
{
    return (r->x1 - r->x0) * (r->y1 - r->y0);
}

static vbsig_pdf_rect join(const vbsig_pdf_rect *a, const vbsig_pdf_rect *b)
{
    vbsig_pdf_rect u = {pdf_dmin(a->x0, b->x0), pdf_dmin(a->y0, b->y0), pdf_dmax(a->x1, b->x1), pdf_dmax(a->y1, b->y1)};
    return u;
}

static int inside(const vbsig_pdf_rect *in, const vbsig_pdf_rect *out)
{
    return in->x0 >= out->x0 && in->y0 >= out->y0 && in->x1 <= out->x1 && in->y1 <= out->y1;
}

void vbsig_pdf_footprint_add(vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r, unsigned kind)
{
    if (!isfinite(r->x0) || !isfinite(r->y0) || !isfinite(r->x1) || !isfinite(r->y1)) {
        vbsig_pdf_footprint_set_unbounded(fp, N_("content drawn at coordinates out of range"));
        return;
    }
    vbsig_pdf_rect n = {pdf_dmin(r->x0, r->x1), pdf_dmin(r->y0, r->y1), pdf_dmax(r->x0, r->x1), pdf_dmax(r->y0, r->y1)};
    /* Consecutive glyph runs and path pieces usually fall inside the box
     * just added: the cheap check first. */
    if (fp->count > 0 && inside(&n, &fp->boxes[fp->count - 1])) {
        fp->kinds[fp->count - 1] |= kind;
        return;
    }
    if (fp->count < VBSIG_PDF_FOOTPRINT_BOXES) {
        fp->boxes[fp->count] = n;
        fp->kinds[fp->count] = kind;
        fp->count++;
        return;
    }
    /* Full: grow the box that grows least. Still a cover, only coarser. */
    size_t best = 0;
    double best_growth = INFINITY;
    for (size_t i = 0; i < fp->count; i++) {
        vbsig_pdf_rect u = join(&fp->boxes[i], &n);
        double g = area(&u) - area(&fp->boxes[i]);
        if (g < best_growth) {
            best_growth = g;
            best = i;
        }
    }
    fp->boxes[best] = join(&fp->boxes[best], &n);
    fp->kinds[best] |= kind;
}

static int overlaps(const vbsig_pdf_rect *a, const vbsig_pdf_rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

int vbsig_pdf_footprint_overlap(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r, size_t *which)
{
    return vbsig_pdf_footprint_overlap_except(fp, r, NULL, which);
}

static int overlap_skipping(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r, const vbsig_pdf_rect *self,
                            int skip_sig_widgets, size_t *which)
{
    if (fp->unbounded) {
        *which = (size_t)-1;
        return overlaps(r, &fp->page);
    }
    for (size_t i = 0; i < fp->count; i++) {
        const vbsig_pdf_rect *b = &fp->boxes[i];
        int annot_alone = fp->kinds[i] == VBSIG_PDF_PAINT_ANNOTATION || fp->kinds[i] == VBSIG_PDF_PAINT_SIG_WIDGET;
        if (self != NULL && annot_alone && b->x0 == self->x0 && b->y0 == self->y0 && b->x1 == self->x1 &&
            b->y1 == self->y1)
            continue;
        if (skip_sig_widgets && fp->kinds[i] == VBSIG_PDF_PAINT_SIG_WIDGET)
            continue;
        if (overlaps(r, b)) {
            *which = i;
            return 1;
        }
    }
    return 0;
}

int vbsig_pdf_footprint_overlap_except(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r,
                                       const vbsig_pdf_rect *self, size_t *which)
{
    return overlap_skipping(fp, r, self, 0, which);
}

int vbsig_pdf_footprint_overlap_content(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r, size_t *which)
{
    return overlap_skipping(fp, r, NULL, 1, which);
}

int vbsig_pdf_rect_from_array(const vbsig_pdf_obj *arr, vbsig_pdf_rect *out)
{
    double v[4];
    if (vbsig_pdf_array_count(arr) != 4)
        return VBSIG_E_MALFORMED;
    for (size_t i = 0; i < 4; i++)
        if (vbsig_pdf_get_number(vbsig_pdf_array_get(arr, i), &v[i]) != VBSIG_OK || !isfinite(v[i]))
            return VBSIG_E_MALFORMED;
    out->x0 = pdf_dmin(v[0], v[2]);
    out->x1 = pdf_dmax(v[0], v[2]);
    out->y0 = pdf_dmin(v[1], v[3]);
    out->y1 = pdf_dmax(v[1], v[3]);
    return VBSIG_OK;
}

const vbsig_pdf_obj *pdf_resolved_quiet(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o)
{
    const vbsig_pdf_obj *r = NULL;
    if (o == NULL)
        return NULL;
    if (vbsig_pdf_resolve(doc, rev, o, &r) != VBSIG_OK) {
        vbsig_error_clear();
        return NULL;
    }
    return r != NULL && r->type != VBSIG_PDF_NULL ? r : NULL;
}

/* An annotation that shows something where it sits: an appearance, a
 * rectangle with area, and not hidden (flag bit 2). The same test the
 * modification analysis applies to new annotations. */
static int annotation_shows(const vbsig_pdf_obj *a, vbsig_pdf_rect *r)
{
    int64_t flags = 0;
    if (vbsig_pdf_rect_from_array(vbsig_pdf_dict_get(a, "Rect"), r) != VBSIG_OK)
        return 0;
    vbsig_pdf_get_int(vbsig_pdf_dict_get(a, "F"), &flags);
    return r->x1 > r->x0 && r->y1 > r->y0 && !(flags & 2) && vbsig_pdf_dict_get(a, "AP") != NULL;
}

/* A widget of a signature field: /FT /Sig on it or inherited from its
 * parents (a few levels; deeper trees are not signature fields). */
static int is_sig_widget(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *a)
{
    const vbsig_pdf_obj *st = vbsig_pdf_dict_get(a, "Subtype");
    if (!vbsig_pdf_is_name(st, "Widget"))
        return 0;
    for (int depth = 0; a != NULL && depth < 8; depth++) {
        const vbsig_pdf_obj *ft = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(a, "FT"));
        if (ft != NULL)
            return vbsig_pdf_is_name(ft, "Sig");
        a = vbsig_pdf_dict_of(pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(a, "Parent")));
    }
    return 0;
}

static void add_annotations(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_pdf_footprint *fp)
{
    const vbsig_pdf_obj *annots = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(page, "Annots"));
    if (annots != NULL && annots->type != VBSIG_PDF_ARRAY) {
        vbsig_pdf_footprint_set_unbounded(fp, N_("the page's /Annots is not an array"));
        return;
    }
    for (size_t i = 0; i < vbsig_pdf_array_count(annots); i++) {
        const vbsig_pdf_obj *a = pdf_resolved_quiet(doc, rev, vbsig_pdf_array_get(annots, i));
        vbsig_pdf_rect r;
        if (vbsig_pdf_dict_of(a) != NULL && annotation_shows(vbsig_pdf_dict_of(a), &r))
            vbsig_pdf_footprint_add(fp, &r, is_sig_widget(doc, rev, vbsig_pdf_dict_of(a)) ? VBSIG_PDF_PAINT_SIG_WIDGET
                                                                                     : VBSIG_PDF_PAINT_ANNOTATION);
    }
}

/* The page's content, or 0 with the footprint unbounded when it cannot
 * be read within the decoded-size limit. */
static int join_contents(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_bytes *out,
                         vbsig_pdf_footprint *fp, int *rc)
{
    *rc = pdf_page_contents(doc, rev, page, out);
    if (*rc == VBSIG_OK || *rc == VBSIG_E_NOMEM)
        return *rc == VBSIG_OK;
    vbsig_error_clear();
    *rc = VBSIG_OK;
    vbsig_pdf_footprint_set_unbounded(fp, N_("a content stream of the page cannot be read"));
    return 0;
}

int vbsig_pdf_page_footprint(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_pdf_footprint *out)
{
    vbsig_pdf_rect box = {0, 0, 612, 792}; /* ISO 32000 leaves /MediaBox required; Letter if absent */
    if (!pdf_page_box(doc, rev, page, "CropBox", &box))
        pdf_page_box(doc, rev, page, "MediaBox", &box);
    vbsig_pdf_footprint_reset(out, &box);
    if (vbsig_pdf_dict_of(page) == NULL) {
        vbsig_pdf_footprint_set_unbounded(out, N_("the page cannot be read"));
        return VBSIG_OK;
    }
    vbsig_bytes content;
    int rc;
    if (join_contents(doc, rev, page, &content, out, &rc)) {
        vbsig_pdf_footprint fp;
        rc = vbsig_pdf_content_footprint(doc, rev, content.data, content.len, pdf_page_inherited(doc, rev, page, "Resources"),
                                         &box, &fp);
        if (rc == VBSIG_OK)
            *out = fp;
    }
    vbsig_bytes_free(&content);
    if (rc != VBSIG_OK)
        return rc;
    add_annotations(doc, rev, page, out);
    return VBSIG_OK;
}
