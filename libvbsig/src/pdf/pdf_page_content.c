/* What interpreters of a page's content need of the page: inherited
 * attributes (/Resources, the boxes) and its content streams joined. */
#include <math.h>

#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_internal.h"

/* Parents looked at for inherited page attributes (/Resources, boxes). */
#define PAGE_INHERIT_DEPTH 32

const vbsig_pdf_obj *pdf_page_inherited(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, const char *key)
{
    const vbsig_pdf_obj *node = page;
    for (int depth = 0; node != NULL && depth < PAGE_INHERIT_DEPTH; depth++) {
        const vbsig_pdf_obj *v = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(node, key));
        if (v != NULL)
            return v;
        node = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(node, "Parent"));
    }
    return NULL;
}

int pdf_page_box(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, const char *key, vbsig_pdf_rect *out)
{
    const vbsig_pdf_obj *arr = pdf_page_inherited(doc, rev, page, key);
    double v[4];
    if (vbsig_pdf_array_count(arr) != 4)
        return 0;
    for (size_t i = 0; i < 4; i++) {
        const vbsig_pdf_obj *it = pdf_resolved_quiet(doc, rev, vbsig_pdf_array_get(arr, i));
        if (vbsig_pdf_get_number(it, &v[i]) != VBSIG_OK || !isfinite(v[i]))
            return 0;
    }
    *out = (vbsig_pdf_rect){pdf_dmin(v[0], v[2]), pdf_dmin(v[1], v[3]), pdf_dmax(v[0], v[2]), pdf_dmax(v[1], v[3])};
    return 1;
}

int pdf_page_contents(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_bytes *out)
{
    const vbsig_pdf_obj *c = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(page, "Contents"));
    size_t n = c == NULL ? 0 : c->type == VBSIG_PDF_ARRAY ? vbsig_pdf_array_count(c) : 1;
    vbsig_bytes_init(out);
    for (size_t i = 0; i < n; i++) {
        const vbsig_pdf_obj *s = c->type == VBSIG_PDF_ARRAY ? pdf_resolved_quiet(doc, rev, vbsig_pdf_array_get(c, i)) : c;
        if (s == NULL)
            continue; /* a null entry draws nothing */
        vbsig_bytes part;
        vbsig_bytes_init(&part);
        int r = s->type == VBSIG_PDF_STREAM ? vbsig_pdf_stream_decode(doc, rev, s, &part)
                                            : vbsig_fail(VBSIG_E_MALFORMED, _("%s: a page's /Contents is not a stream"), doc->name);
        if (r == VBSIG_OK && out->len + part.len + 1 > doc->lim.max_inflated)
            r = vbsig_fail(VBSIG_E_LIMIT, _("%s: a page's content is larger than the decoded-size limit"), doc->name);
        if (r == VBSIG_OK && (r = vbsig_bytes_append(out, part.data, part.len)) == VBSIG_OK)
            r = vbsig_bytes_append(out, "\n", 1);
        vbsig_bytes_free(&part);
        if (r != VBSIG_OK)
            return r;
    }
    return VBSIG_OK;
}
