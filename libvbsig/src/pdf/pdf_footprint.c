/* A footprint as a set of boxes: boxes are added, merged when the set is
 * full (so it stays bounded), and tested for overlap. What goes in is
 * decided by pdf_page_footprint.c and pdf_content_bbox.c. */
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

int vbsig_pdf_footprint_overlap_except(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r,
                                       const vbsig_pdf_rect *self, size_t *which)
{
    if (fp->unbounded) {
        *which = (size_t)-1;
        return overlaps(r, &fp->page);
    }
    for (size_t i = 0; i < fp->count; i++) {
        const vbsig_pdf_rect *b = &fp->boxes[i];
        if (self != NULL && fp->kinds[i] == VBSIG_PDF_PAINT_ANNOTATION && b->x0 == self->x0 && b->y0 == self->y0 &&
            b->x1 == self->x1 && b->y1 == self->y1)
            continue;
        if (overlaps(r, b)) {
            *which = i;
            return 1;
        }
    }
    return 0;
}
