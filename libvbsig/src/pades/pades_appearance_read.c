/* Where a signature shows on the page, for the verification report: the
 * widget's /Rect turned into millimetres from the top-left corner of the
 * page as displayed (after /Rotate, relative to the CropBox), the same
 * frame the signing options use. */
#include <stdlib.h>
#include <string.h>

#include "appearance/appearance.h"
#include "pades/pades_verify_priv.h"
#include "pdf/pdf_internal.h"
#include "vbsig/status.h"

/* The signature's widget: the field itself when merged with it (it has a
 * /Rect), else its first /Kids entry that is a widget. */
static const vbsig_pdf_obj *find_widget(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_sig_field *f,
                                        vbsig_pdf_objref *ref)
{
    const vbsig_pdf_obj *fo = NULL;
    if (vbsig_pdf_get_object(doc, rev, f->field.num, f->field.gen, &fo) != VBSIG_OK || vbsig_pdf_dict_of(fo) == NULL)
        return NULL;
    if (vbsig_pdf_dict_get(fo, "Rect") != NULL) {
        *ref = f->field;
        return fo;
    }
    const vbsig_pdf_obj *kids = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(fo, "Kids"));
    for (size_t i = 0; i < vbsig_pdf_array_count(kids) && i < 64; i++) {
        const vbsig_pdf_obj *k = vbsig_pdf_array_get(kids, i);
        uint32_t num;
        uint16_t gen;
        const vbsig_pdf_obj *ko = NULL;
        if (vbsig_pdf_get_ref(k, &num, &gen) != VBSIG_OK ||
            vbsig_pdf_get_object(doc, rev, num, gen, &ko) != VBSIG_OK)
            continue;
        if (vbsig_pdf_dict_get(ko, "Rect") != NULL) {
            *ref = (vbsig_pdf_objref){num, gen};
            return ko;
        }
    }
    return NULL;
}

static int read_rect(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *w, double r[4])
{
    const vbsig_pdf_obj *a = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(w, "Rect"));
    if (vbsig_pdf_array_count(a) != 4)
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (vbsig_pdf_get_number(pdf_resolved_quiet(doc, rev, vbsig_pdf_array_get(a, i)), &r[i]) != VBSIG_OK)
            return 0;
    /* ISO 32000 lets /Rect give any two opposite corners. */
    double x0 = vbsig__dmin(r[0], r[2]), x1 = vbsig__dmax(r[0], r[2]);
    double y0 = vbsig__dmin(r[1], r[3]), y1 = vbsig__dmax(r[1], r[3]);
    r[0] = x0, r[1] = y0, r[2] = x1, r[3] = y1;
    return x1 - x0 > 0 && y1 - y0 > 0;
}

/* The 0-based page: the one /P names, else the one whose /Annots lists
 * the widget (/P is optional for widgets). */
static int find_page(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *w, vbsig_pdf_objref wref, size_t *page)
{
    vbsig_pdf_objref *pages = NULL;
    size_t n = 0;
    if (vbsig_pdf_pages(doc, rev, &pages, &n) != VBSIG_OK)
        return 0;
    uint32_t pnum = 0;
    uint16_t pgen = 0;
    int found = 0;
    if (vbsig_pdf_get_ref(vbsig_pdf_dict_get(w, "P"), &pnum, &pgen) == VBSIG_OK)
        for (size_t i = 0; i < n && !found; i++)
            if (pages[i].num == pnum && pages[i].gen == pgen)
                *page = i, found = 1;
    for (size_t i = 0; i < n && !found; i++) {
        const vbsig_pdf_obj *po = NULL;
        if (vbsig_pdf_get_object(doc, rev, pages[i].num, pages[i].gen, &po) != VBSIG_OK)
            continue;
        const vbsig_pdf_obj *annots = pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(po, "Annots"));
        size_t cnt = vbsig_pdf_array_count(annots);
        for (size_t j = 0; j < cnt && !found; j++) {
            uint32_t num;
            uint16_t gen;
            if (vbsig_pdf_get_ref(vbsig_pdf_array_get(annots, j), &num, &gen) == VBSIG_OK && num == wref.num &&
                gen == wref.gen)
                *page = i, found = 1;
        }
    }
    free(pages);
    return found;
}

void vbsig__pades_read_appearance(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_sig_field *f, vbsig_sig_entry *e)
{
    e->appearance_visible = 0;
    vbsig_pdf_objref wref = {0, 0};
    const vbsig_pdf_obj *w = find_widget(doc, rev, f, &wref);
    double r[4];
    if (w == NULL || !read_rect(doc, rev, w, r))
        return;
    /* Hidden (2) or NoView (32): present but not shown. */
    int64_t flags = 0;
    if (vbsig_pdf_get_int(pdf_resolved_quiet(doc, rev, vbsig_pdf_dict_get(w, "F")), &flags) == VBSIG_OK &&
        (flags & (2 | 32)) != 0)
        return;
    size_t page = 0;
    if (!find_page(doc, rev, w, wref, &page))
        return;
    vbsig__page_geom g;
    if (vbsig__page_geom_get(doc, page, &g) != VBSIG_OK) {
        vbsig_error_clear();
        return;
    }
    double ax, ay, bx, by;
    vbsig__page_user_to_disp(&g, r[0], r[1], &ax, &ay);
    vbsig__page_user_to_disp(&g, r[2], r[3], &bx, &by);
    double x = vbsig__dmin(ax, bx), y = vbsig__dmin(ay, by);
    double mm = 1.0 / VBSIG__PT_PER_MM;
    e->appearance_visible = 1;
    e->appearance_page = page + 1;
    e->appearance_rect_mm[0] = x * mm;
    e->appearance_rect_mm[1] = y * mm;
    e->appearance_rect_mm[2] = (vbsig__dmax(ax, bx) - x) * mm;
    e->appearance_rect_mm[3] = (vbsig__dmax(ay, by) - y) * mm;
}
