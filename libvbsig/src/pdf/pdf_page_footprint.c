/* A page's footprint: the page box, the page's content streams joined and
 * interpreted (pdf_content_bbox.c), then its visible annotations, into a
 * box set (pdf_footprint.c). */
#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_internal.h"

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
            vbsig_pdf_footprint_add(fp, &r, VBSIG_PDF_PAINT_ANNOTATION);
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
