/* Placement of the image layouts. The leader's image goes into the gap
 * between the title line and the name line of the signature block (or a
 * rectangle the caller gives); the seal covers the left third of the
 * leader's image, the step other signing tools leave to the user's mouse:
 * the leader's widget is in the document when the organisation signs, so
 * its /Rect tells where the seal goes. */
#include "appearance/image_place.h"

#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_anchor.h"
#include "pdf/pdf_internal.h"
#include "vbsig/status.h"

/* Of the gap, the share the image leaves free above and below it. */
#define LEADER_MARGIN 0.08
/* A signature image is never taller than this, however wide the gap. */
#define LEADER_MAX_H_MM 40.0
/* Nor wider than this share of the column. */
#define LEADER_COLUMN_SHARE 0.95

static int has_rect(const vbsig_pades_appearance *ap)
{
    return ap->rect_mm[0] != 0 || ap->rect_mm[1] != 0 || ap->rect_mm[2] != 0 || ap->rect_mm[3] != 0;
}

/* The page ap->page asks for (1-based), else the last. */
static int pick_page(vbsig_pdf_doc *doc, const vbsig_pades_appearance *ap, size_t *page)
{
    size_t n = 0;
    int rc = vbsig_pdf_page_count(doc, VBSIG_PDF_NEWEST, &n);
    if (rc != VBSIG_OK)
        return rc;
    if (n == 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the document has no page to hold the signature field"), doc->name);
    if (ap->page > n)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s has %zu pages; there is no page %zu"), doc->name, n,
                          (size_t)ap->page);
    *page = ap->page != 0 ? ap->page - 1 : n - 1;
    return VBSIG_OK;
}

/* The image fitted into the caller's rectangle (mm, displayed page),
 * centred, keeping its aspect ratio. */
static int place_in_rect(vbsig_pdf_doc *doc, const vbsig_pades_appearance *ap, const vbsig__image_size *is,
                         size_t *page, double disp[4])
{
    int rc = pick_page(doc, ap, page);
    vbsig__page_geom g;
    if (rc == VBSIG_OK)
        rc = vbsig__page_geom_get(doc, *page, &g);
    if (rc != VBSIG_OK)
        return rc;
    double x = ap->rect_mm[0] * VBSIG__PT_PER_MM, y = ap->rect_mm[1] * VBSIG__PT_PER_MM;
    double bw = ap->rect_mm[2] * VBSIG__PT_PER_MM, bh = ap->rect_mm[3] * VBSIG__PT_PER_MM;
    if (x >= g.disp_w || y >= g.disp_h)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the rectangle starts outside page %zu (%.0f x %.0f mm)"), *page + 1,
                          g.disp_w / VBSIG__PT_PER_MM, g.disp_h / VBSIG__PT_PER_MM);
    double w = bw, h = bw / is->aspect;
    if (h > bh) {
        h = bh;
        w = bh * is->aspect;
    }
    disp[0] = x + (bw - w) / 2;
    disp[1] = y + (bh - h) / 2;
    disp[2] = w;
    disp[3] = h;
    return VBSIG_OK;
}

int vbsig__place_leader(vbsig_pdf_doc *doc, const vbsig_pades_appearance *ap, const vbsig__image_size *is,
                        size_t *page, double disp[4])
{
    if (has_rect(ap))
        return place_in_rect(doc, ap, is, page, disp);
    vbsig_pdf_signature_gap gap;
    int rc = vbsig__pdf_find_signature_gap(doc, VBSIG_PDF_NEWEST, ap->anchor, ap->page != 0 ? (int)ap->page - 1 : -1,
                                           &gap);
    if (rc != VBSIG_OK)
        return rc;
    *page = gap.page;
    vbsig__page_geom g;
    rc = vbsig__page_geom_get(doc, gap.page, &g);
    double gap_h = gap.gap.y1 - gap.gap.y0, col_w = gap.gap.x1 - gap.gap.x0;
    if (rc == VBSIG_OK && (gap_h < 6 || col_w < 6))
        rc = vbsig_fail(VBSIG_E_MALFORMED,
                        _("%s: page %zu: there is no room for the signature below \"%s\" (%.1f mm to the next line)"),
                        doc->name, gap.page + 1, gap.anchor_text != NULL ? gap.anchor_text : "", gap_h / VBSIG__PT_PER_MM);
    if (rc != VBSIG_OK) {
        vbsig__pdf_signature_gap_free(&gap);
        return rc;
    }
    double h = vbsig__dmin(gap_h * (1 - 2 * LEADER_MARGIN), LEADER_MAX_H_MM * VBSIG__PT_PER_MM), w = h * is->aspect;
    if (w > col_w * LEADER_COLUMN_SHARE) {
        w = col_w * LEADER_COLUMN_SHARE;
        h = w / is->aspect;
    }
    /* Centred on the title (Decree 30: the image sits under the title it
     * belongs to), pushed back inside the column when it would leave it. */
    double cx = (gap.anchor.x0 + gap.anchor.x1) / 2, cy = (gap.gap.y0 + gap.gap.y1) / 2;
    if (cx - w / 2 < gap.gap.x0)
        cx = gap.gap.x0 + w / 2;
    if (cx + w / 2 > gap.gap.x1)
        cx = gap.gap.x1 - w / 2;
    vbsig__pdf_signature_gap_free(&gap);
    /* Text is found upright in user space; the stamp keeps the image's
     * proportions around the same centre, upright as displayed. */
    double dx = 0, dy = 0;
    vbsig__page_user_to_disp(&g, cx, cy, &dx, &dy);
    disp[0] = dx - w / 2;
    disp[1] = dy - h / 2;
    disp[2] = w;
    disp[3] = h;
    return VBSIG_OK;
}

void vbsig__seal_box(const double leader[4], double w, double aspect, double out[4])
{
    double h = w / aspect;
    out[0] = leader[0] + leader[2] / 3 - w;
    out[1] = leader[1] + leader[3] / 2 - h / 2;
    out[2] = w;
    out[3] = h;
}

/* UTF-8 to UTF-16BE with its BOM, as pdfw_text_string writes names that
 * are not printable ASCII; NULL on bad UTF-8 or no memory. */
static uint8_t *utf16be(const char *s, size_t *len)
{
    size_t n = strlen(s);
    uint8_t *o = malloc(2 + 4 * n);
    if (o == NULL)
        return NULL;
    size_t k = 0;
    o[k++] = 0xfe;
    o[k++] = 0xff;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
        c = extra == 0 ? c : extra == 1 ? c & 0x1f : extra == 2 ? c & 0x0f : c & 0x07;
        p++;
        for (unsigned i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80) {
                free(o);
                return NULL;
            }
            c = c << 6 | (*p & 0x3f);
        }
        if (c >= 0x10000) {
            c -= 0x10000;
            unsigned hi = 0xd800 + (c >> 10), lo = 0xdc00 + (c & 0x3ff);
            o[k++] = (uint8_t)(hi >> 8), o[k++] = (uint8_t)hi, o[k++] = (uint8_t)(lo >> 8), o[k++] = (uint8_t)lo;
        } else {
            o[k++] = (uint8_t)(c >> 8), o[k++] = (uint8_t)c;
        }
    }
    *len = k;
    return o;
}

static int name_is(const vbsig_pdf_sig_field *f, const char *name)
{
    size_t n = strlen(name), u = 0;
    if (f->name_len == n && memcmp(f->name, name, n) == 0)
        return 1;
    uint8_t *w = utf16be(name, &u);
    int same = w != NULL && f->name_len == u && memcmp(f->name, w, u) == 0;
    free(w);
    return same;
}

/* A widget's /Rect (normalised) when it is a real, shown box. */
static int widget_rect(vbsig_pdf_doc *doc, const vbsig_pdf_obj *wd, vbsig_pdf_rect *r)
{
    const vbsig_pdf_obj *rect = pdf_resolved_quiet(doc, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(wd, "Rect"));
    const vbsig_pdf_obj *flags = pdf_resolved_quiet(doc, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(wd, "F"));
    double v[4];
    if (vbsig_pdf_array_count(rect) != 4)
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (vbsig_pdf_get_number(vbsig_pdf_array_get(rect, i), &v[i]) != VBSIG_OK)
            return 0;
    if (flags != NULL && flags->type == VBSIG_PDF_INT && (flags->u.integer & 2)) /* Hidden */
        return 0;
    *r = (vbsig_pdf_rect){vbsig__dmin(v[0], v[2]), vbsig__dmin(v[1], v[3]), vbsig__dmax(v[0], v[2]),
                          vbsig__dmax(v[1], v[3])};
    return r->x1 - r->x0 >= 1 && r->y1 - r->y0 >= 1;
}

/* The page a widget is on: its /P, else the page whose /Annots lists it. */
static int widget_page(vbsig_pdf_doc *doc, const vbsig_pdf_obj *wd, vbsig_pdf_objref ref, size_t *page)
{
    vbsig_pdf_objref *pages = NULL;
    size_t n = 0;
    if (vbsig_pdf_pages(doc, VBSIG_PDF_NEWEST, &pages, &n) != VBSIG_OK) {
        vbsig_error_clear();
        return 0;
    }
    const vbsig_pdf_obj *p = vbsig_pdf_dict_get(wd, "P");
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        if (p != NULL && p->type == VBSIG_PDF_REF) {
            found = p->u.ref.num == pages[i].num && p->u.ref.gen == pages[i].gen;
        } else {
            const vbsig_pdf_obj *po = NULL, *annots = NULL;
            if (vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, pages[i].num, pages[i].gen, &po) == VBSIG_OK)
                annots = pdf_resolved_quiet(doc, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(po, "Annots"));
            for (size_t k = 0; k < vbsig_pdf_array_count(annots) && !found; k++) {
                const vbsig_pdf_obj *a = vbsig_pdf_array_get(annots, k);
                found = a->type == VBSIG_PDF_REF && a->u.ref.num == ref.num && a->u.ref.gen == ref.gen;
            }
        }
        if (found)
            *page = i;
    }
    vbsig_error_clear();
    free(pages);
    return found;
}

/* Where a signature ends in the file: the latest signature is the one
 * whose byte range reaches furthest. */
static double byterange_end(vbsig_pdf_doc *doc, const vbsig_pdf_obj *sig)
{
    const vbsig_pdf_obj *br = pdf_resolved_quiet(doc, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(sig, "ByteRange"));
    double a = 0, b = 0;
    if (vbsig_pdf_array_count(br) != 4 || vbsig_pdf_get_number(vbsig_pdf_array_get(br, 2), &a) != VBSIG_OK ||
        vbsig_pdf_get_number(vbsig_pdf_array_get(br, 3), &b) != VBSIG_OK)
        return 0;
    return a + b;
}

int vbsig__find_leader_widget(vbsig_pdf_doc *doc, const char *field_name, size_t *page, double disp[4], int *found)
{
    vbsig_pdf_sig_field *fields = NULL;
    size_t n = 0;
    *found = 0;
    int rc = vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n);
    if (rc != VBSIG_OK)
        return rc;
    double best_end = -1;
    for (size_t i = 0; i < n; i++) {
        const vbsig_pdf_sig_field *f = &fields[i];
        if (field_name != NULL ? !name_is(f, field_name) : f->value == NULL)
            continue;
        const vbsig_pdf_obj *wd = NULL;
        vbsig_pdf_objref ref = f->field;
        if (vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, ref.num, ref.gen, &wd) != VBSIG_OK)
            continue;
        vbsig_pdf_rect r;
        if (!widget_rect(doc, wd, &r)) {
            /* a field with its widget as a kid */
            const vbsig_pdf_obj *kids = pdf_resolved_quiet(doc, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(wd, "Kids"));
            const vbsig_pdf_obj *k0 = vbsig_pdf_array_get(kids, 0);
            if (k0 == NULL || k0->type != VBSIG_PDF_REF)
                continue;
            ref = (vbsig_pdf_objref){k0->u.ref.num, k0->u.ref.gen};
            if (vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, ref.num, ref.gen, &wd) != VBSIG_OK || !widget_rect(doc, wd, &r))
                continue;
        }
        size_t pg = 0;
        double end = f->value != NULL ? byterange_end(doc, f->value) : 0;
        if (end < best_end || !widget_page(doc, wd, ref, &pg))
            continue;
        vbsig__page_geom g;
        if (vbsig__page_geom_get(doc, pg, &g) != VBSIG_OK)
            continue;
        double x[2], y[2];
        vbsig__page_user_to_disp(&g, r.x0, r.y0, &x[0], &y[0]);
        vbsig__page_user_to_disp(&g, r.x1, r.y1, &x[1], &y[1]);
        disp[0] = vbsig__dmin(x[0], x[1]);
        disp[1] = vbsig__dmin(y[0], y[1]);
        disp[2] = vbsig__dmax(x[0], x[1]) - disp[0];
        disp[3] = vbsig__dmax(y[0], y[1]) - disp[1];
        *page = pg;
        best_end = end;
        *found = 1;
    }
    vbsig_error_clear();
    vbsig_pdf_sig_fields_free(fields, n);
    return VBSIG_OK;
}

int vbsig__place_seal(vbsig_pdf_doc *doc, const vbsig_pades_appearance *ap, const vbsig__image_size *is,
                      size_t *page, double disp[4])
{
    if (has_rect(ap))
        return place_in_rect(doc, ap, is, page, disp);
    double w = ap->seal_size_mm > 0 ? ap->seal_size_mm * VBSIG__PT_PER_MM : is->natural_w;
    if (w <= 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("%s does not say its real size (no pHYs chunk); give the seal's diameter (--seal-size MM)"),
                          ap->image_path);
    double leader[4];
    int found = 0;
    int rc = vbsig__find_leader_widget(doc, ap->over_field, page, leader, &found);
    if (rc != VBSIG_OK)
        return rc;
    if (!found)
        return ap->over_field != NULL
                   ? vbsig_fail(VBSIG_E_MALFORMED, _("%s: no visible signature field named %s to place the seal over"),
                                doc->name, ap->over_field)
                   : vbsig_fail(VBSIG_E_MALFORMED,
                                _("%s: no visible signature to place the seal over: the leader signs first (--appearance leader), or give --rect"),
                                doc->name);
    vbsig__seal_box(leader, w, is->aspect, disp);
    return VBSIG_OK;
}
