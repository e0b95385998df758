/* A page as a viewer displays it: the CropBox (else MediaBox) turned by
 * /Rotate (clockwise). Placement options and stamps speak of the displayed
 * page; widgets and forms live in default user space. */
#include <stdlib.h>
#include <string.h>

#include "appearance/appearance.h"
#include "pdf/pdf_internal.h"
#include "vbsig/status.h"

int vbsig__page_geom_get(vbsig_pdf_doc *doc, size_t page, vbsig__page_geom *g)
{
    memset(g, 0, sizeof *g);
    vbsig_pdf_objref *pages = NULL;
    size_t n = 0;
    int rc = vbsig_pdf_pages(doc, VBSIG_PDF_NEWEST, &pages, &n);
    if (rc != VBSIG_OK)
        return rc;
    if (page >= n) {
        free(pages);
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s has %zu pages; there is no page %zu"), doc->name, n, page + 1);
    }
    g->page = page;
    g->ref = pages[page];
    free(pages);
    const vbsig_pdf_obj *po = NULL;
    rc = vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, g->ref.num, g->ref.gen, &po);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_pdf_rect media, crop;
    int has_media = pdf_page_box(doc, VBSIG_PDF_NEWEST, po, "MediaBox", &media);
    int has_crop = pdf_page_box(doc, VBSIG_PDF_NEWEST, po, "CropBox", &crop);
    if (!has_media) /* ISO 32000-1 says required; letter size is what readers assume */
        media = (vbsig_pdf_rect){0, 0, 612, 792};
    g->box = media;
    if (has_crop) { /* the visible part: the intersection with the MediaBox */
        vbsig_pdf_rect r = {vbsig__dmax(crop.x0, media.x0), vbsig__dmax(crop.y0, media.y0), vbsig__dmin(crop.x1, media.x1),
                            vbsig__dmin(crop.y1, media.y1)};
        if (r.x1 > r.x0 && r.y1 > r.y0)
            g->box = r;
    }
    if (g->box.x1 - g->box.x0 < 1 || g->box.y1 - g->box.y0 < 1)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: page %zu has an empty page box"), doc->name, page + 1);
    const vbsig_pdf_obj *rot = pdf_resolved_quiet(doc, VBSIG_PDF_NEWEST,
                                                  pdf_page_inherited(doc, VBSIG_PDF_NEWEST, po, "Rotate"));
    long r = rot != NULL && rot->type == VBSIG_PDF_INT ? (long)(rot->u.integer % 360) : 0;
    if (r < 0)
        r += 360;
    g->rotate = r % 90 == 0 ? (int)r : 0; /* readers ignore other values */
    double w = g->box.x1 - g->box.x0, h = g->box.y1 - g->box.y0;
    g->disp_w = g->rotate % 180 ? h : w;
    g->disp_h = g->rotate % 180 ? w : h;
    return VBSIG_OK;
}

/* Displayed (dx right, dy down from the top-left) against user space. With
 * /Rotate 90 the page is turned clockwise: the user space's top-left
 * corner (x0, y1) is displayed at the top right, and so on. */
void vbsig__page_disp_to_user(const vbsig__page_geom *g, double dx, double dy, double *ux, double *uy)
{
    const vbsig_pdf_rect *b = &g->box;
    switch (g->rotate) {
    case 90:
        *ux = b->x0 + dy;
        *uy = b->y0 + dx;
        break;
    case 180:
        *ux = b->x1 - dx;
        *uy = b->y0 + dy;
        break;
    case 270:
        *ux = b->x1 - dy;
        *uy = b->y1 - dx;
        break;
    default:
        *ux = b->x0 + dx;
        *uy = b->y1 - dy;
        break;
    }
}

void vbsig__page_user_to_disp(const vbsig__page_geom *g, double ux, double uy, double *dx, double *dy)
{
    const vbsig_pdf_rect *b = &g->box;
    switch (g->rotate) {
    case 90:
        *dx = uy - b->y0;
        *dy = ux - b->x0;
        break;
    case 180:
        *dx = b->x1 - ux;
        *dy = uy - b->y0;
        break;
    case 270:
        *dx = b->y1 - uy;
        *dy = b->x1 - ux;
        break;
    default:
        *dx = ux - b->x0;
        *dy = b->y1 - uy;
        break;
    }
}
