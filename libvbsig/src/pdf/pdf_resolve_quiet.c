/* Resolving an object where a failure only means "not there": the error is
 * cleared and NULL returned, for readers (fonts, pages, footprints) that
 * treat an unreadable entry as absent and judge the result elsewhere. */
#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_internal.h"

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
