/* Where a page paints, as of one revision: a bounded set of rectangles in
 * default user space that together cover everything the page's content
 * streams and its visible annotations draw (an over-approximation, never
 * an under-approximation), or the flag "unbounded" when some part cannot
 * be bounded. A verifier uses it to tell a new signature widget or
 * annotation placed in a blank area from one laid over signed content
 * (sneaky-signature and evil-annotation attacks).
 *
 * Interpreted: q/Q cm w j M gs(LW/LJ/ML), path construction and painting,
 * text objects and every text-state and text-showing operator (glyph
 * widths from /Widths or /W), image and form XObjects (forms recursed into,
 * clipped to their /BBox), inline images. Not bounded: sh, vertical text,
 * unreadable content or resources, and anything past the operator, nesting
 * or decoded-size limits. */
#ifndef VBSIG_PDF_CONTENT_BBOX_H
#define VBSIG_PDF_CONTENT_BBOX_H

#include <stddef.h>

#include "pdf/pdf.h"

/* Without libm (the library does not link it). */
static inline double pdf_dmin(double a, double b)
{
    return a < b ? a : b;
}
static inline double pdf_dmax(double a, double b)
{
    return a > b ? a : b;
}
static inline double pdf_dabs(double a)
{
    return a < 0 ? -a : a;
}

typedef struct vbsig_pdf_rect {
    double x0, y0, x1, y1; /* x0 <= x1, y0 <= y1 */
} vbsig_pdf_rect;

/* What painted a box (bits; a merged box carries the union). */
enum {
    VBSIG_PDF_PAINT_TEXT = 1 << 0,
    VBSIG_PDF_PAINT_GRAPHICS = 1 << 1,
    VBSIG_PDF_PAINT_IMAGE = 1 << 2,
    VBSIG_PDF_PAINT_FORM = 1 << 3,      /* a form XObject's /BBox (content not bounded tighter) */
    VBSIG_PDF_PAINT_ANNOTATION = 1 << 4, /* a visible annotation of the page (not a signature's) */
    VBSIG_PDF_PAINT_SIG_WIDGET = 1 << 5  /* a visible signature field's widget */
};

/* More boxes than this are merged (the pair that grows least), so the
 * footprint stays small whatever the page holds. */
#define VBSIG_PDF_FOOTPRINT_BOXES 128

typedef struct vbsig_pdf_footprint {
    vbsig_pdf_rect page; /* the page's CropBox, else MediaBox (what "unbounded" stands for) */
    size_t count;
    vbsig_pdf_rect boxes[VBSIG_PDF_FOOTPRINT_BOXES];
    unsigned kinds[VBSIG_PDF_FOOTPRINT_BOXES]; /* VBSIG_PDF_PAINT_* */
    int unbounded;
    const char *why; /* when unbounded: an untranslated N_() text naming the cause */
} vbsig_pdf_footprint;

/* Budgets of one page (its forms included). */
#define VBSIG_PDF_FOOTPRINT_MAX_OPS 2000000u /* operators interpreted */
#define VBSIG_PDF_FOOTPRINT_MAX_FORMS 8      /* form XObjects inside each other */
#define VBSIG_PDF_FOOTPRINT_MAX_SAVES 64     /* q without Q */

/* The footprint of page (a page dictionary as of revision rev): its
 * content streams and its visible annotations. Malformed or hostile input
 * never fails: it makes the footprint unbounded. Returns VBSIG_OK, or
 * VBSIG_E_NOMEM. */
int vbsig_pdf_page_footprint(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_pdf_footprint *out);

/* The footprint of content bytes drawn with resources (a dictionary, or
 * NULL) under the identity matrix; fp is reset first and fp->page set to
 * page_box. For tests and for callers that already hold decoded content. */
int vbsig_pdf_content_footprint(vbsig_pdf_doc *doc, size_t rev, const uint8_t *data, size_t len,
                                const vbsig_pdf_obj *resources, const vbsig_pdf_rect *page_box,
                                vbsig_pdf_footprint *fp);

/* A rectangle array [x0 y0 x1 y1] (any corner order) normalised; VBSIG_OK
 * or VBSIG_E_MALFORMED when it is not four finite numbers. Direct values
 * only. */
int vbsig_pdf_rect_from_array(const vbsig_pdf_obj *arr, vbsig_pdf_rect *out);

/* Whether r overlaps (with positive area) painted content: 1 with *which
 * set to the box index, or (size_t)-1 when the footprint is unbounded and r
 * meets the page box; 0 when r is clear. */
int vbsig_pdf_footprint_overlap(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r, size_t *which);
/* The same, ignoring an annotation's own box: a box that is exactly self
 * and was painted by an annotation alone (an annotation that changed is
 * compared with everything but its former self). self may be NULL. */
int vbsig_pdf_footprint_overlap_except(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r,
                                       const vbsig_pdf_rect *self, size_t *which);

/* The same, ignoring boxes painted by signature widgets alone: a later
 * signature's widget may lie over an earlier one's (Decree 30/2020: the
 * organisation's seal over the leader's signature image), not over what
 * the page itself draws. */
int vbsig_pdf_footprint_overlap_content(const vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r, size_t *which);

/* The footprint machinery shared by its files (pdf_footprint.c). */
void vbsig_pdf_footprint_reset(vbsig_pdf_footprint *fp, const vbsig_pdf_rect *page_box);
/* Adds a box; non-finite coordinates make the footprint unbounded. */
void vbsig_pdf_footprint_add(vbsig_pdf_footprint *fp, const vbsig_pdf_rect *r, unsigned kind);
void vbsig_pdf_footprint_set_unbounded(vbsig_pdf_footprint *fp, const char *why);

#endif
