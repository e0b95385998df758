/* What changed after a signature (ISA, shadow and certification attacks).
 *
 * The document as of the signed revision r is compared with its newest
 * state, object by object, for every object a later revision lists. Each
 * change is judged by the role the object had in revision r (catalog,
 * AcroForm, page, annotation array, form field, …):
 *   allowed    – DSS/VRI, document timestamps, new signature fields and
 *                their widgets, /Fields and /Annots additions, /SigFlags,
 *                /DR, /DA, /Q, /NeedAppearances removed, form-field values
 *                (certification P >= 2 or none) unless this signature's
 *                FieldMDP locks the field (pades_fieldmdp.c), annotations
 *                (P = 3), document information and XMP metadata (never
 *                drawn), the catalog's /Extensions, /MarkInfo, a /Version
 *                that goes up, and usage rights (/Perms /UR3) dropped — what
 *                pyHanko, iText and Acrobat write when they add a signature;
 *   disallowed – everything else: content streams, resources, fonts,
 *                the page tree, catalog keys, existing widgets' looks,
 *                deleted objects, objects hidden in the signed revision
 *                and used later (hide-and-replace), forged-update flags,
 *                and after a certification a new visible signature widget
 *                (P >= 2) or annotation (P = 3) whose /Rect overlaps what
 *                the signed page paints (pdf_content_bbox.c), or whose
 *                page cannot be bounded (sneaky signature, evil
 *                annotation). */
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pades/pades_verify_priv.h"
#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_internal.h"

enum { MOD_NONE = 0, MOD_ALLOWED = 1, MOD_DISALLOWED = 2 };

typedef struct analysis {
    vbsig_pdf_doc *doc;
    size_t rev;          /* the signed revision */
    int cert_p;
    const vbsig_pades_locks *locks; /* this signature's FieldMDP locks, NULL = none */
    vbsig_sig_entry *e;
    int level;           /* MOD_* so far */
    int rc;              /* first hard error (out of memory) */
    uint32_t nmax;       /* object numbers below this are tracked: the highest listed + 1 */
    uint8_t *changed;    /* listed by a revision after rev */
    uint8_t *reach;      /* reachable from the trailer of rev */
    uint32_t root_then, root_now, acroform_then, fields_then, info_then, metadata_then;
    vbsig_pdf_objref *pages;
    size_t page_count;
    struct page_role *roles;
    size_t role_count;
    vbsig_pdf_footprint **footprints; /* per page of rev, computed when a new widget needs it */
    size_t annot_search;              /* /Annots entries looked at by annot_page() */
} analysis;

static int bit(const uint8_t *set, uint32_t nmax, uint32_t n)
{
    return n < nmax && (set[n >> 3] >> (n & 7)) & 1;
}

static void set_bit(uint8_t *set, uint32_t nmax, uint32_t n)
{
    if (n < nmax)
        set[n >> 3] |= (uint8_t)(1u << (n & 7));
}

static void judge(analysis *an, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void judge(analysis *an, int level, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (level > an->level)
        an->level = level;
    int rc = vbsig_entry_mod_reason(an->e, "%s%s", level == MOD_DISALLOWED ? _("not allowed: ") : "", buf);
    if (rc != VBSIG_OK && an->rc == VBSIG_OK)
        an->rc = rc;
}

/* Object num as of rev, NULL when free or absent. *broken (if given) is set
 * when the cross-reference lists it but it cannot be read. */
static const vbsig_pdf_obj *object_read(analysis *an, size_t rev, uint32_t num, int *broken)
{
    size_t found_in;
    pdf_entry *en = pdf_lookup(an->doc, rev, num, &found_in);
    const vbsig_pdf_obj *o = NULL;
    if (en == NULL || en->kind == PDF_ENTRY_FREE)
        return NULL;
    if (vbsig_pdf_get_object(an->doc, rev, num, en->kind == PDF_ENTRY_COMPRESSED ? 0 : en->gen, &o) != VBSIG_OK) {
        vbsig_error_clear();
        if (broken != NULL)
            *broken = 1;
        return NULL;
    }
    return o != NULL && o->type != VBSIG_PDF_NULL ? o : NULL;
}

static const vbsig_pdf_obj *object_at(analysis *an, size_t rev, uint32_t num)
{
    return object_read(an, rev, num, NULL);
}

static const vbsig_pdf_obj *resolve_at(analysis *an, size_t rev, const vbsig_pdf_obj *o)
{
    const vbsig_pdf_obj *r = NULL;
    if (o == NULL)
        return NULL;
    if (vbsig_pdf_resolve(an->doc, rev, o, &r) != VBSIG_OK) {
        vbsig_error_clear();
        return NULL;
    }
    return r != NULL && r->type != VBSIG_PDF_NULL ? r : NULL;
}

static int same(analysis *an, const vbsig_pdf_obj *x, const vbsig_pdf_obj *y);

static int same_stream(analysis *an, const vbsig_pdf_obj *x, const vbsig_pdf_obj *y)
{
    const uint8_t *px, *py;
    size_t nx, ny;
    if (!same(an, x->u.stream.dict, y->u.stream.dict))
        return 0;
    if (vbsig_pdf_stream_raw(an->doc, x, &px, &nx) != VBSIG_OK ||
        vbsig_pdf_stream_raw(an->doc, y, &py, &ny) != VBSIG_OK) {
        vbsig_error_clear();
        return 0;
    }
    return nx == ny && (px == py || memcmp(px, py, nx) == 0);
}

/* Numbers as readers see them. Writers keep reals to five or six decimals
 * (ISO 32000-1 Annex C: about five significant decimal digits of a real's
 * fraction are all a reader must keep), so a later revision that rewrites
 * an object turns 595.303937007874 into 595.303937 or 0.0 into 0: the same
 * value, not a change of the page. */
static int same_number(const vbsig_pdf_obj *x, const vbsig_pdf_obj *y)
{
    double a = x->type == VBSIG_PDF_INT ? (double)x->u.integer : x->u.real;
    double b = y->type == VBSIG_PDF_INT ? (double)y->u.integer : y->u.real;
    double scale = fabs(a) > 1 ? fabs(a) : 1;
    return fabs(a - b) <= 1e-6 * scale;
}

/* Structural equality; references compare by number (what they point to
 * is judged on its own when it changes). */
static int same(analysis *an, const vbsig_pdf_obj *x, const vbsig_pdf_obj *y)
{
    if (x == y)
        return 1;
    if (x == NULL || y == NULL)
        return 0;
    if ((x->type == VBSIG_PDF_REAL || y->type == VBSIG_PDF_REAL) &&
        (x->type == VBSIG_PDF_INT || x->type == VBSIG_PDF_REAL) && (y->type == VBSIG_PDF_INT || y->type == VBSIG_PDF_REAL))
        return same_number(x, y);
    if (x->type != y->type)
        return 0;
    switch (x->type) {
    case VBSIG_PDF_NULL: return 1;
    case VBSIG_PDF_BOOL: return !x->u.boolean == !y->u.boolean;
    case VBSIG_PDF_INT: return x->u.integer == y->u.integer;
    case VBSIG_PDF_REAL: return same_number(x, y);
    case VBSIG_PDF_STRING:
        return x->u.string.len == y->u.string.len && memcmp(x->u.string.data, y->u.string.data, x->u.string.len) == 0;
    case VBSIG_PDF_NAME: return x->u.name.len == y->u.name.len && memcmp(x->u.name.text, y->u.name.text, x->u.name.len) == 0;
    case VBSIG_PDF_REF: return x->u.ref.num == y->u.ref.num && x->u.ref.gen == y->u.ref.gen;
    case VBSIG_PDF_ARRAY:
        if (x->u.array.count != y->u.array.count)
            return 0;
        for (size_t i = 0; i < x->u.array.count; i++)
            if (!same(an, x->u.array.items[i], y->u.array.items[i]))
                return 0;
        return 1;
    case VBSIG_PDF_DICT:
        if (x->u.dict.count != y->u.dict.count)
            return 0;
        for (size_t i = 0; i < x->u.dict.count; i++)
            if (strcmp(x->u.dict.items[i].key, y->u.dict.items[i].key) != 0 ||
                !same(an, x->u.dict.items[i].value, y->u.dict.items[i].value))
                return 0;
        return 1;
    case VBSIG_PDF_STREAM: return same_stream(an, x, y);
    }
    return 0;
}

/* Calls fn for every key whose value differs between the two
 * dictionaries (either may be NULL = empty); returns the count. */
typedef int (*key_judge)(analysis *an, const char *key, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n, void *arg);

static void diff_keys(analysis *an, const vbsig_pdf_obj *od, const vbsig_pdf_obj *nd, key_judge fn, void *arg)
{
    od = vbsig_pdf_dict_of(od);
    nd = vbsig_pdf_dict_of(nd);
    size_t oc = od != NULL && od->type == VBSIG_PDF_DICT ? od->u.dict.count : 0;
    size_t nc = nd != NULL && nd->type == VBSIG_PDF_DICT ? nd->u.dict.count : 0;
    size_t i = 0, j = 0;
    while (i < oc || j < nc) {
        int cmp = i >= oc ? 1 : j >= nc ? -1 : strcmp(od->u.dict.items[i].key, nd->u.dict.items[j].key);
        if (cmp < 0) {
            fn(an, od->u.dict.items[i].key, od->u.dict.items[i].value, NULL, arg);
            i++;
        } else if (cmp > 0) {
            fn(an, nd->u.dict.items[j].key, NULL, nd->u.dict.items[j].value, arg);
            j++;
        } else {
            if (!same(an, od->u.dict.items[i].value, nd->u.dict.items[j].value))
                fn(an, od->u.dict.items[i].key, od->u.dict.items[i].value, nd->u.dict.items[j].value, arg);
            i++;
            j++;
        }
    }
}

static int has_ref(const vbsig_pdf_obj *arr, uint32_t num)
{
    for (size_t i = 0; i < vbsig_pdf_array_count(arr); i++) {
        const vbsig_pdf_obj *it = vbsig_pdf_array_get(arr, i);
        if (it->type == VBSIG_PDF_REF && it->u.ref.num == num)
            return 1;
    }
    return 0;
}

static int name_is(const vbsig_pdf_obj *d, const char *key, const char *value)
{
    return vbsig_pdf_is_name(vbsig_pdf_dict_get(d, key), value);
}

/* The field type of a widget or field, looking at its parents (bounded). */
static const char *field_type(analysis *an, const vbsig_pdf_obj *d)
{
    for (int depth = 0; d != NULL && depth < 16; depth++) {
        const char *ft;
        if (vbsig_pdf_get_name(vbsig_pdf_dict_get(d, "FT"), &ft) == VBSIG_OK)
            return ft;
        d = resolve_at(an, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(d, "Parent"));
    }
    return NULL;
}

/* A widget or annotation that draws something where it sits. */
static int visible(const vbsig_pdf_obj *annot)
{
    const vbsig_pdf_obj *rect = vbsig_pdf_dict_get(annot, "Rect");
    double v[4];
    if (vbsig_pdf_array_count(rect) != 4)
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (vbsig_pdf_get_number(vbsig_pdf_array_get(rect, i), &v[i]) != VBSIG_OK)
            return 0;
    int64_t flags = 0;
    vbsig_pdf_get_int(vbsig_pdf_dict_get(annot, "F"), &flags);
    double w = v[2] > v[0] ? v[2] - v[0] : v[0] - v[2];
    double h = v[3] > v[1] ? v[3] - v[1] : v[1] - v[3];
    return w > 0.0 && h > 0.0 && !(flags & 2) && vbsig_pdf_dict_get(annot, "AP") != NULL;
}

/* A signature field whose value is a document timestamp: the only new
 * signature that certification level 1 still admits (ISO 32000-2, 2020
 * erratum, together with DSS updates). */
static int is_doc_timestamp_field(analysis *an, const vbsig_pdf_obj *field)
{
    for (int depth = 0; field != NULL && depth < 16; depth++) {
        const vbsig_pdf_obj *v = resolve_at(an, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(field, "V"));
        if (v != NULL)
            return name_is(v, "Type", "DocTimeStamp") || name_is(v, "SubFilter", "ETSI.RFC3161");
        field = resolve_at(an, VBSIG_PDF_NEWEST, vbsig_pdf_dict_get(field, "Parent"));
    }
    return 0;
}

/* Where page (1-based) of the signed revision paints, computed once; NULL
 * when out of memory (an->rc is then set). */
static const vbsig_pdf_footprint *footprint_of(analysis *an, size_t page)
{
    if (an->footprints == NULL && (an->footprints = calloc(an->page_count + 1, sizeof *an->footprints)) == NULL) {
        an->rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        return NULL;
    }
    size_t i = page >= 1 && page <= an->page_count ? page - 1 : an->page_count; /* the last slot: no such page */
    if (an->footprints[i] != NULL)
        return an->footprints[i];
    vbsig_pdf_footprint *fp = malloc(sizeof *fp);
    if (fp == NULL) {
        an->rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        return NULL;
    }
    const vbsig_pdf_obj *p = i < an->page_count ? object_at(an, an->rev, an->pages[i].num) : NULL;
    int rc = vbsig_pdf_page_footprint(an->doc, an->rev, p, fp);
    if (rc != VBSIG_OK) {
        free(fp);
        an->rc = rc;
        return NULL;
    }
    an->footprints[i] = fp;
    return fp;
}

/* "text, graphics" for a box's VBSIG_PDF_PAINT_* bits. */
static void paint_kinds(unsigned kinds, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *text;
    } names[] = {{VBSIG_PDF_PAINT_TEXT, N_("text")},
                 {VBSIG_PDF_PAINT_GRAPHICS, N_("graphics")},
                 {VBSIG_PDF_PAINT_IMAGE, N_("an image")},
                 {VBSIG_PDF_PAINT_FORM, N_("a form XObject")},
                 {VBSIG_PDF_PAINT_ANNOTATION, N_("an annotation")},
                 {VBSIG_PDF_PAINT_SIG_WIDGET, N_("a signature widget")}};
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (kinds & names[i].bit) {
            size_t used = strlen(buf);
            snprintf(buf + used, len - used, "%s%s", used > 0 ? ", " : "", _(names[i].text));
        }
}

/* After a certification, a new visible signature widget (sig) or
 * annotation is allowed only where the signed page paints nothing: laid
 * over text or graphics it can hide or replace them (sneaky signature,
 * evil annotation). A signature widget may lie over earlier signatures'
 * widgets: the organisation's seal over the leader's signature image is
 * how Decree 30/2020 has a document signed. */
static void judge_cover(analysis *an, const vbsig_pdf_obj *a, uint32_t num, size_t page, const char *subtype, int sig)
{
    vbsig_pdf_rect r;
    if (vbsig_pdf_rect_from_array(vbsig_pdf_dict_get(a, "Rect"), &r) != VBSIG_OK)
        return; /* visible() has read it */
    const vbsig_pdf_footprint *fp = footprint_of(an, page);
    size_t which = 0;
    if (fp == NULL)
        return;
    int covers = sig ? vbsig_pdf_footprint_overlap_content(fp, &r, &which)
                     : vbsig_pdf_footprint_overlap_except(fp, &r, NULL, &which);
    if (!covers) {
        if (sig)
            judge(an, MOD_ALLOWED, _("new visible signature widget %u on page %zu, clear of the certified content"), num,
                  page);
        else
            judge(an, MOD_ALLOWED, _("new visible %s annotation %u on page %zu, clear of the certified content"),
                  subtype, num, page);
        return;
    }
    if (which == (size_t)-1) {
        if (sig)
            judge(an, MOD_DISALLOWED,
                  _("new visible signature widget %u on page %zu: what the signed page draws cannot be bounded (%s), so the widget may cover it (sneaky signature)"),
                  num, page, _(fp->why));
        else
            judge(an, MOD_DISALLOWED,
                  _("new visible %s annotation %u on page %zu: what the signed page draws cannot be bounded (%s), so the annotation may cover it (evil annotation)"),
                  subtype, num, page, _(fp->why));
        return;
    }
    char kinds[160];
    const vbsig_pdf_rect *b = &fp->boxes[which];
    paint_kinds(fp->kinds[which], kinds, sizeof kinds);
    if (sig)
        judge(an, MOD_DISALLOWED,
              _("new visible signature widget %u on page %zu at [%.1f %.1f %.1f %.1f] covers %s drawn by the signed page at [%.1f %.1f %.1f %.1f] (sneaky signature)"),
              num, page, r.x0, r.y0, r.x1, r.y1, kinds, b->x0, b->y0, b->x1, b->y1);
    else
        judge(an, MOD_DISALLOWED,
              _("new visible %s annotation %u on page %zu at [%.1f %.1f %.1f %.1f] covers %s drawn by the signed page at [%.1f %.1f %.1f %.1f] (evil annotation)"),
              subtype, num, page, r.x0, r.y0, r.x1, r.y1, kinds, b->x0, b->y0, b->x1, b->y1);
}

/* An annotation added to a page's /Annots after the signature. */
static void judge_new_annot(analysis *an, uint32_t num, size_t page)
{
    const vbsig_pdf_obj *a = object_at(an, VBSIG_PDF_NEWEST, num);
    const char *subtype = "?";
    if (a == NULL || vbsig_pdf_dict_of(a) == NULL) {
        judge(an, MOD_DISALLOWED, _("page %zu lists object %u as an annotation, but it is not a dictionary"), page, num);
        return;
    }
    vbsig_pdf_get_name(vbsig_pdf_dict_get(a, "Subtype"), &subtype);
    if (strcmp(subtype, "Widget") == 0) {
        const char *ft = field_type(an, a);
        int sig = ft != NULL && strcmp(ft, "Sig") == 0;
        /* P=1: only an invisible document timestamp widget may come */
        if (sig && an->cert_p == 1 && (!is_doc_timestamp_field(an, a) || visible(a)))
            judge(an, MOD_DISALLOWED,
                  _("new signature widget %u on page %zu after a certification signature that permits no changes"), num,
                  page);
        else if (sig && an->cert_p > 0 && visible(a))
            judge_cover(an, a, num, page, subtype, 1);
        else if (sig)
            judge(an, MOD_ALLOWED, _("new signature field widget %u on page %zu"), num, page);
        else if (an->cert_p == 0)
            judge(an, MOD_ALLOWED, _("new form field widget %u on page %zu"), num, page);
        else
            judge(an, MOD_DISALLOWED, _("new form field widget %u on page %zu after a certification signature"), num, page);
        return;
    }
    if (an->cert_p == 3 && visible(a)) {
        judge_cover(an, a, num, page, subtype, 0);
        return;
    }
    if (an->cert_p == 3) {
        judge(an, MOD_ALLOWED, _("new %s annotation %u on page %zu (certification level 3 permits annotations)"), subtype,
              num, page);
        return;
    }
    judge(an, MOD_DISALLOWED,
          an->cert_p > 0 ? _("new %s annotation %u on page %zu after a certification signature that does not permit annotations (evil annotation)")
                         : _("new %s annotation %u on page %zu after the signature"),
          subtype, num, page);
}

/* Old /Annots (as of rev) against new (newest): nothing removed or
 * reordered away, additions judged one by one. */
static void judge_annots(analysis *an, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n, size_t page)
{
    const vbsig_pdf_obj *oa = resolve_at(an, an->rev, o), *na = resolve_at(an, VBSIG_PDF_NEWEST, n);
    if ((oa != NULL && oa->type != VBSIG_PDF_ARRAY) || (na != NULL && na->type != VBSIG_PDF_ARRAY)) {
        judge(an, MOD_DISALLOWED, _("the /Annots of page %zu is not an array"), page);
        return;
    }
    for (size_t i = 0; i < vbsig_pdf_array_count(oa); i++) {
        const vbsig_pdf_obj *it = vbsig_pdf_array_get(oa, i);
        if (it->type == VBSIG_PDF_REF && !has_ref(na, it->u.ref.num))
            judge(an, MOD_DISALLOWED, _("annotation %u was removed from page %zu"), it->u.ref.num, page);
        else if (it->type != VBSIG_PDF_REF && (i >= vbsig_pdf_array_count(na) || !same(an, it, vbsig_pdf_array_get(na, i))))
            judge(an, MOD_DISALLOWED, _("a direct annotation of page %zu changed"), page);
    }
    for (size_t i = 0; i < vbsig_pdf_array_count(na); i++) {
        const vbsig_pdf_obj *it = vbsig_pdf_array_get(na, i);
        if (it->type == VBSIG_PDF_REF && !has_ref(oa, it->u.ref.num))
            judge_new_annot(an, it->u.ref.num, page);
        else if (it->type != VBSIG_PDF_REF && i >= vbsig_pdf_array_count(oa))
            judge(an, MOD_DISALLOWED, _("a direct annotation was added to page %zu"), page);
    }
}

static void judge_fields(analysis *an, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n)
{
    const vbsig_pdf_obj *of = resolve_at(an, an->rev, o), *nf = resolve_at(an, VBSIG_PDF_NEWEST, n);
    for (size_t i = 0; i < vbsig_pdf_array_count(of); i++) {
        const vbsig_pdf_obj *it = vbsig_pdf_array_get(of, i);
        if (it->type == VBSIG_PDF_REF && !has_ref(nf, it->u.ref.num))
            judge(an, MOD_DISALLOWED, _("form field %u was removed from the AcroForm"), it->u.ref.num);
    }
    for (size_t i = 0; i < vbsig_pdf_array_count(nf); i++) {
        const vbsig_pdf_obj *it = vbsig_pdf_array_get(nf, i);
        if (it->type != VBSIG_PDF_REF || has_ref(of, it->u.ref.num))
            continue;
        const vbsig_pdf_obj *f = object_at(an, VBSIG_PDF_NEWEST, it->u.ref.num);
        const char *ft = field_type(an, f);
        if (ft != NULL && strcmp(ft, "Sig") == 0 && an->cert_p == 1 && !is_doc_timestamp_field(an, f))
            judge(an, MOD_DISALLOWED, _("new signature field %u after a certification signature that permits no changes"),
                  it->u.ref.num);
        else if (ft != NULL && strcmp(ft, "Sig") == 0)
            judge(an, MOD_ALLOWED, _("new signature field %u"), it->u.ref.num);
        else if (an->cert_p == 0)
            judge(an, MOD_ALLOWED, _("new form field %u"), it->u.ref.num);
        else
            judge(an, MOD_DISALLOWED, _("new form field %u after a certification signature"), it->u.ref.num);
    }
}

/* The AcroForm keys a signer touches (ISO 32000-2 §12.7.3): /Fields (new
 * signature fields), /SigFlags, the default resources, appearance string
 * and quadding (/DR, /DA, /Q: used only to draw new or refilled fields),
 * and /NeedAppearances taken away (or set false) once the signer has drawn
 * every field itself. Setting /NeedAppearances true would have viewers
 * redraw the signed fields; /XFA, /CO and the rest change what the form
 * shows or computes. */
static int acroform_key(analysis *an, const char *key, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n, void *arg)
{
    (void)arg;
    if (strcmp(key, "Fields") == 0)
        judge_fields(an, o, n);
    else if ((strcmp(key, "SigFlags") == 0 || strcmp(key, "DR") == 0 || strcmp(key, "DA") == 0 ||
              strcmp(key, "Q") == 0) && n != NULL)
        judge(an, MOD_ALLOWED, _("AcroForm /%s updated"), key);
    else if (strcmp(key, "NeedAppearances") == 0 && (n == NULL || (n->type == VBSIG_PDF_BOOL && !n->u.boolean)))
        judge(an, MOD_ALLOWED, _("AcroForm /NeedAppearances removed (the fields carry their own appearances)"));
    else if (strcmp(key, "NeedAppearances") == 0)
        judge(an, MOD_DISALLOWED, _("AcroForm /NeedAppearances set: viewers would redraw the signed form fields"));
    else
        judge(an, MOD_DISALLOWED, _("AcroForm /%s changed"), key);
    return 0;
}

/* "M.m" (a /Version name or the header's digits) as M * 100 + m; -1 when
 * it is not one. */
static int version_number(const char *s, size_t n)
{
    size_t i = 0;
    int major = 0, minor = 0;
    if (n == 0 || s[0] < '0' || s[0] > '9')
        return -1;
    for (; i < n && s[i] >= '0' && s[i] <= '9' && major < 100; i++)
        major = major * 10 + (s[i] - '0');
    if (i + 1 >= n || s[i] != '.' || s[i + 1] < '0' || s[i + 1] > '9')
        return -1;
    for (i++; i < n && s[i] >= '0' && s[i] <= '9' && minor < 100; i++)
        minor = minor * 10 + (s[i] - '0');
    return i == n ? major * 100 + minor : -1;
}

/* The version in the file header (%PDF-M.m within its first KB). */
static int header_version(analysis *an)
{
    size_t len = 0;
    const uint8_t *d = vbsig_pdf_data(an->doc, &len);
    size_t lim = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 8 <= lim; i++)
        if (memcmp(d + i, "%PDF-", 5) == 0) {
            size_t j = i + 5;
            while (j < lim && ((d[j] >= '0' && d[j] <= '9') || d[j] == '.'))
                j++;
            return version_number((const char *)d + i + 5, j - i - 5);
        }
    return -1;
}

/* The catalog's /Version may only raise the version the file declares (it
 * counts only when later than the header's, ISO 32000-2 §7.7.2). */
static void judge_version(analysis *an, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n)
{
    int head = header_version(an), was = head, now = head;
    const char *name;
    if (o != NULL && vbsig_pdf_get_name(o, &name) == VBSIG_OK) {
        int v = version_number(name, strlen(name));
        if (v > was)
            was = v;
    }
    if (n != NULL && (vbsig_pdf_get_name(n, &name) != VBSIG_OK || version_number(name, strlen(name)) < 0)) {
        judge(an, MOD_DISALLOWED, _("the catalog's /Version was set to something that is not a version"));
        return;
    }
    if (n != NULL) {
        int v = version_number(name, strlen(name));
        if (v > now)
            now = v;
    }
    if (now < was)
        judge(an, MOD_DISALLOWED, _("the catalog's /Version went down from %d.%d to %d.%d"), was / 100, was % 100,
              now / 100, now % 100);
    else if (now > was)
        judge(an, MOD_ALLOWED, _("the PDF version was raised from %d.%d to %d.%d (catalog /Version)"), was / 100,
              was % 100, now / 100, now % 100);
    else
        judge(an, MOD_ALLOWED, _("the catalog's /Version changed, the PDF version stays %d.%d"), now / 100, now % 100);
}

/* /Extensions (ISO 32000-2 §7.12): developer prefixes (/ADBE, /ESIC, …),
 * each a developer extensions dictionary or an array of them. Declaring
 * them changes nothing that is shown; anything but that shape is judged a
 * catalog change. */
static int extension_entry(analysis *an, const vbsig_pdf_obj *x)
{
    x = resolve_at(an, VBSIG_PDF_NEWEST, x);
    const char *v;
    return x != NULL && x->type == VBSIG_PDF_DICT && vbsig_pdf_get_name(vbsig_pdf_dict_get(x, "BaseVersion"), &v) == VBSIG_OK &&
           version_number(v, strlen(v)) >= 0;
}

static void judge_extensions(analysis *an, const vbsig_pdf_obj *n)
{
    const vbsig_pdf_obj *d = resolve_at(an, VBSIG_PDF_NEWEST, n);
    char prefixes[160] = "";
    if (n == NULL) {
        judge(an, MOD_ALLOWED, _("the catalog's developer extensions (/Extensions) were removed"));
        return;
    }
    if (d == NULL || d->type != VBSIG_PDF_DICT) {
        judge(an, MOD_DISALLOWED, _("the catalog's /Extensions is not a dictionary"));
        return;
    }
    for (size_t i = 0; i < d->u.dict.count; i++) {
        const vbsig_pdf_obj *x = resolve_at(an, VBSIG_PDF_NEWEST, d->u.dict.items[i].value);
        int ok = x != NULL && x->type == VBSIG_PDF_ARRAY ? vbsig_pdf_array_count(x) > 0 : extension_entry(an, x);
        for (size_t j = 0; ok && x->type == VBSIG_PDF_ARRAY && j < vbsig_pdf_array_count(x); j++)
            ok = extension_entry(an, vbsig_pdf_array_get(x, j));
        if (strcmp(d->u.dict.items[i].key, "Type") == 0 && vbsig_pdf_is_name(x, "Extensions"))
            continue;
        if (!ok) {
            judge(an, MOD_DISALLOWED, _("the catalog's /Extensions /%s is not a developer extensions dictionary"),
                  d->u.dict.items[i].key);
            return;
        }
        size_t used = strlen(prefixes);
        snprintf(prefixes + used, sizeof prefixes - used, "%s/%s", used > 0 ? ", " : "", d->u.dict.items[i].key);
    }
    judge(an, MOD_ALLOWED, _("developer extensions declared in the catalog (/Extensions: %s)"), prefixes);
}

/* /Perms: /DocMDP names the certification signature, which must be the
 * first one (ISO 32000-2 §12.8.2.2): adding, changing or removing it after
 * a signature would certify (or uncertify) the document afterwards. Usage
 * rights (/UR, /UR3) may be dropped, which takes nothing away from what is
 * shown; adding or replacing them, or any other key, is a change. */
static int perms_key(analysis *an, const char *key, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n, void *arg)
{
    (void)arg;
    (void)o;
    if (strcmp(key, "DocMDP") == 0)
        judge(an, MOD_DISALLOWED, _("the catalog's /Perms /DocMDP (the certification) was added, changed or removed after the signature"));
    else if ((strcmp(key, "UR3") == 0 || strcmp(key, "UR") == 0) && n == NULL)
        judge(an, MOD_ALLOWED, _("usage rights (/Perms /%s) removed"), key);
    else
        judge(an, MOD_DISALLOWED, _("the catalog's /Perms /%s changed"), key);
    return 0;
}

static int catalog_key(analysis *an, const char *key, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n, void *arg)
{
    (void)arg;
    if (strcmp(key, "AcroForm") == 0) {
        const vbsig_pdf_obj *oa = resolve_at(an, an->rev, o), *na = resolve_at(an, VBSIG_PDF_NEWEST, n);
        if (oa == NULL)
            judge(an, MOD_ALLOWED, _("an AcroForm was added to the catalog"));
        if (oa != NULL && na == NULL)
            judge(an, MOD_DISALLOWED, _("the AcroForm was removed from the catalog"));
        else
            diff_keys(an, oa, na, acroform_key, NULL);
    } else if (strcmp(key, "DSS") == 0) {
        judge(an, MOD_ALLOWED, _("validation data (/DSS) added or updated"));
    } else if (strcmp(key, "Metadata") == 0) {
        judge(an, MOD_ALLOWED, _("document metadata (XMP) updated"));
    } else if (strcmp(key, "Version") == 0) {
        judge_version(an, o, n);
    } else if (strcmp(key, "Extensions") == 0) {
        judge_extensions(an, n);
    } else if (strcmp(key, "MarkInfo") == 0 && n != NULL) {
        /* tagged-PDF flags (/Marked, /UserProperties, /Suspects): not drawn */
        judge(an, MOD_ALLOWED, _("tagged-PDF flags (/MarkInfo) updated"));
    } else if (strcmp(key, "Perms") == 0) {
        const vbsig_pdf_obj *op = resolve_at(an, an->rev, o), *np = resolve_at(an, VBSIG_PDF_NEWEST, n);
        if ((op != NULL && op->type != VBSIG_PDF_DICT) || (np != NULL && np->type != VBSIG_PDF_DICT))
            judge(an, MOD_DISALLOWED, _("the catalog's /Perms is not a dictionary"));
        else
            diff_keys(an, op, np, perms_key, NULL);
    } else {
        judge(an, MOD_DISALLOWED, _("the catalog's /%s changed"), key);
    }
    return 0;
}

typedef struct page_arg {
    size_t page;
} page_arg;

static int page_key(analysis *an, const char *key, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n, void *arg)
{
    size_t page = ((page_arg *)arg)->page;
    if (strcmp(key, "Annots") == 0)
        judge_annots(an, o, n, page);
    else
        judge(an, MOD_DISALLOWED, _("page %zu: /%s changed"), page, key);
    return 0;
}

/* An existing field or widget: filling in (or signing an empty signature
 * field) touches only its value and appearance state. The look of a
 * signature field that was already signed must not change. */
typedef struct field_arg {
    uint32_t num;
    int empty_sig; /* a signature field without /V in the signed revision */
    const vbsig_pdf_obj *then; /* the field or widget as signed */
} field_arg;

static const char *lock_how(const vbsig_pades_lock *l)
{
    if (l->in_reference)
        return l->action == VBSIG_PADES_LOCK_ALL       ? _("FieldMDP /All in the signature's /Reference")
               : l->action == VBSIG_PADES_LOCK_INCLUDE ? _("FieldMDP /Include in the signature's /Reference")
                                                       : _("FieldMDP /Exclude in the signature's /Reference");
    return l->action == VBSIG_PADES_LOCK_ALL       ? _("/Lock /All of the signature field")
           : l->action == VBSIG_PADES_LOCK_INCLUDE ? _("/Lock /Include of the signature field")
                                                   : _("/Lock /Exclude of the signature field");
}

static int field_key(analysis *an, const char *key, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n, void *arg)
{
    (void)n;
    const field_arg *fa = arg;
    int value_key = strcmp(key, "V") == 0 || strcmp(key, "AS") == 0 || strcmp(key, "AP") == 0;
    const char *ft = field_type(an, object_at(an, VBSIG_PDF_NEWEST, fa->num));
    int sig = ft != NULL && strcmp(ft, "Sig") == 0;
    if (value_key && an->locks != NULL && an->locks->count > 0 && !(sig && fa->empty_sig)) {
        /* FieldMDP: a field this signature locked keeps its value and look */
        char name[512];
        int named = vbsig_pades_field_name(an->doc, an->rev, fa->then, name, sizeof name);
        const vbsig_pades_lock *l = vbsig_pades_locked(an->locks, named ? name : NULL);
        if (l != NULL) {
            judge(an, MOD_DISALLOWED, _("form field \"%s\" (object %u) is locked by this signature (%s): its /%s changed"),
                  named ? name : "?", fa->num, lock_how(l), key);
            return 0;
        }
    }
    if (value_key && sig && fa->empty_sig && o == NULL && strcmp(key, "V") == 0)
        judge(an, MOD_ALLOWED, _("the empty signature field %u was signed"), fa->num);
    else if (value_key && sig && fa->empty_sig && an->cert_p != 1 && strcmp(key, "V") != 0)
        judge(an, MOD_ALLOWED, _("signature field %u: appearance set when signed"), fa->num);
    else if (value_key && !sig && an->cert_p != 1)
        judge(an, MOD_ALLOWED, _("form field %u filled in (/%s)"), fa->num, key);
    else
        judge(an, MOD_DISALLOWED, _("field or widget %u: /%s changed"), fa->num, key);
    return 0;
}

/* Pages and indirect /Annots arrays of the signed revision, sorted by
 * object number, so each changed object finds its role in O(log n). */
typedef struct page_role {
    uint32_t num;
    uint32_t page;   /* 1-based */
    int is_annots;   /* 1: the page's /Annots array, 0: the page itself */
} page_role;

static int role_cmp(const void *a, const void *b)
{
    uint32_t x = ((const page_role *)a)->num, y = ((const page_role *)b)->num;
    return x < y ? -1 : x > y;
}

static int build_roles(analysis *an)
{
    an->roles = calloc(an->page_count * 2 + 1, sizeof *an->roles);
    if (an->roles == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t i = 0; i < an->page_count; i++) {
        an->roles[an->role_count++] = (page_role){an->pages[i].num, (uint32_t)(i + 1), 0};
        const vbsig_pdf_obj *a = vbsig_pdf_dict_get(object_at(an, an->rev, an->pages[i].num), "Annots");
        if (a != NULL && a->type == VBSIG_PDF_REF)
            an->roles[an->role_count++] = (page_role){a->u.ref.num, (uint32_t)(i + 1), 1};
    }
    qsort(an->roles, an->role_count, sizeof *an->roles, role_cmp);
    return VBSIG_OK;
}

/* The 1-based page that num is (is_annots 0) or whose /Annots array it
 * is (is_annots 1), else 0. */
static size_t page_role_of(const analysis *an, uint32_t num, int is_annots)
{
    page_role key = {num, 0, 0};
    const page_role *r = bsearch(&key, an->roles, an->role_count, sizeof key, role_cmp);
    if (r == NULL)
        return 0;
    /* Equal numbers sit side by side: look at the neighbours too. */
    while (r > an->roles && r[-1].num == num)
        r--;
    for (; r < an->roles + an->role_count && r->num == num; r++)
        if (r->is_annots == is_annots)
            return r->page;
    return 0;
}

/* The 1-based page of the signed revision whose /Annots lists annotation
 * num, 0 when none does. Its /P is tried first (and checked: /P alone does
 * not place an annotation); the search over every page is bounded over
 * the whole analysis, so hostile files cannot make it quadratic. */
#define ANNOT_SEARCH_BUDGET 1000000u
static int page_lists(analysis *an, size_t i, uint32_t num)
{
    const vbsig_pdf_obj *pg = object_at(an, an->rev, an->pages[i].num);
    const vbsig_pdf_obj *annots = resolve_at(an, an->rev, vbsig_pdf_dict_get(pg, "Annots"));
    size_t n = vbsig_pdf_array_count(annots);
    if (n > ANNOT_SEARCH_BUDGET - an->annot_search) {
        an->annot_search = ANNOT_SEARCH_BUDGET;
        return 0;
    }
    an->annot_search += n;
    return has_ref(annots, num);
}

static size_t annot_page(analysis *an, uint32_t num, const vbsig_pdf_obj *annot)
{
    const vbsig_pdf_obj *p = vbsig_pdf_dict_get(annot, "P");
    size_t hint = p != NULL && p->type == VBSIG_PDF_REF ? page_role_of(an, p->u.ref.num, 0) : 0;
    if (hint > 0 && page_lists(an, hint - 1, num))
        return hint;
    for (size_t i = 0; i < an->page_count && an->annot_search < ANNOT_SEARCH_BUDGET; i++)
        if (i + 1 != hint && page_lists(an, i, num))
            return i + 1;
    return 0;
}

/* An annotation of the signed revision that changed at P = 3: allowed,
 * unless it now shows somewhere it did not (moved, made visible, a new
 * appearance dictionary) over what the signed page paints. */
static void judge_changed_annot(analysis *an, uint32_t num, const vbsig_pdf_obj *o, const vbsig_pdf_obj *n)
{
    vbsig_pdf_rect r, self;
    int was_visible = visible(o);
    if (!visible(n) || vbsig_pdf_rect_from_array(vbsig_pdf_dict_get(n, "Rect"), &r) != VBSIG_OK ||
        (was_visible && same(an, vbsig_pdf_dict_get(o, "Rect"), vbsig_pdf_dict_get(n, "Rect")) &&
         same(an, vbsig_pdf_dict_get(o, "AP"), vbsig_pdf_dict_get(n, "AP")))) {
        judge(an, MOD_ALLOWED, _("annotation %u changed (certification level 3 permits annotations)"), num);
        return;
    }
    size_t page = annot_page(an, num, n);
    const vbsig_pdf_footprint *fp = footprint_of(an, page);
    size_t which = 0;
    if (fp == NULL)
        return;
    int has_self = was_visible && vbsig_pdf_rect_from_array(vbsig_pdf_dict_get(o, "Rect"), &self) == VBSIG_OK;
    if (!vbsig_pdf_footprint_overlap_except(fp, &r, has_self ? &self : NULL, &which)) {
        judge(an, MOD_ALLOWED, _("annotation %u on page %zu changed, clear of the certified content"), num, page);
    } else if (which == (size_t)-1) {
        judge(an, MOD_DISALLOWED,
              _("annotation %u on page %zu changed to show where what the signed page draws cannot be bounded (%s) (evil annotation)"),
              num, page, _(fp->why));
    } else {
        char kinds[160];
        const vbsig_pdf_rect *b = &fp->boxes[which];
        paint_kinds(fp->kinds[which], kinds, sizeof kinds);
        judge(an, MOD_DISALLOWED,
              _("annotation %u on page %zu changed to show at [%.1f %.1f %.1f %.1f] over %s drawn by the signed page at [%.1f %.1f %.1f %.1f] (evil annotation)"),
              num, page, r.x0, r.y0, r.x1, r.y1, kinds, b->x0, b->y0, b->x1, b->y1);
    }
}

/* One object that a later revision lists: judged by its role in rev. */
static void judge_object(analysis *an, uint32_t num)
{
    if (num == an->root_then || num == an->root_now)
        return; /* the catalog is compared once, by itself */
    int broken = 0;
    const vbsig_pdf_obj *o = object_read(an, an->rev, num, &broken), *n = object_read(an, VBSIG_PDF_NEWEST, num, &broken);
    if (broken) {
        /* What cannot be read cannot be shown to be harmless. */
        judge(an, MOD_DISALLOWED, _("object %u, listed by a revision after the signature, cannot be read"), num);
        return;
    }
    if (o == NULL || !bit(an->reach, an->nmax, num))
        return; /* new, or unused when signed: only what uses it matters */
    if (n == NULL) {
        judge(an, MOD_DISALLOWED, _("object %u, used by the signed revision, was deleted"), num);
        return;
    }
    if (same(an, o, n))
        return;
    size_t page;
    if (num == an->acroform_then) {
        diff_keys(an, o, n, acroform_key, NULL);
    } else if (num == an->fields_then) {
        judge_fields(an, o, n);
    } else if (num == an->info_then) {
        judge(an, MOD_ALLOWED, _("document information (/Info) updated"));
    } else if (num == an->metadata_then) {
        /* Metadata is not drawn; signers often refresh its dates. */
        judge(an, MOD_ALLOWED, _("document metadata (XMP) updated"));
    } else if ((page = page_role_of(an, num, 0)) != 0) {
        page_arg pa = {page};
        diff_keys(an, o, n, page_key, &pa);
    } else if ((page = page_role_of(an, num, 1)) != 0) {
        judge_annots(an, o, n, page);
    } else if (vbsig_pdf_dict_get(o, "FT") != NULL || name_is(o, "Subtype", "Widget")) {
        field_arg fa = {num, vbsig_pdf_dict_get(o, "V") == NULL, o};
        diff_keys(an, o, n, field_key, &fa);
    } else if (vbsig_pdf_dict_get(o, "Subtype") != NULL && name_is(o, "Type", "Annot") && an->cert_p == 3) {
        judge_changed_annot(an, num, o, n);
    } else {
        const char *type = NULL;
        vbsig_pdf_get_name(vbsig_pdf_dict_get(o, "Type"), &type);
        judge(an, MOD_DISALLOWED, _("object %u (%s) changed after the signature"), num,
              type != NULL ? type : o->type == VBSIG_PDF_STREAM ? "stream" : "object");
    }
}

/* ---- reachability of the signed revision ---- */
typedef struct walk {
    uint32_t *stack;
    size_t len, cap;
    int oom;
} walk;

static void push_refs(analysis *an, walk *w, const vbsig_pdf_obj *o, uint8_t *seen)
{
    if (o == NULL)
        return;
    switch (o->type) {
    case VBSIG_PDF_REF:
        if (o->u.ref.num < an->nmax && !bit(seen, an->nmax, o->u.ref.num)) {
            set_bit(seen, an->nmax, o->u.ref.num);
            if (w->len == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 256;
                uint32_t *s = realloc(w->stack, cap * sizeof *s);
                if (s == NULL) {
                    w->oom = 1;
                    return;
                }
                w->stack = s;
                w->cap = cap;
            }
            w->stack[w->len++] = o->u.ref.num;
        }
        break;
    case VBSIG_PDF_ARRAY:
        for (size_t i = 0; i < o->u.array.count; i++)
            push_refs(an, w, o->u.array.items[i], seen);
        break;
    case VBSIG_PDF_DICT:
        for (size_t i = 0; i < o->u.dict.count; i++)
            push_refs(an, w, o->u.dict.items[i].value, seen);
        break;
    case VBSIG_PDF_STREAM: push_refs(an, w, o->u.stream.dict, seen); break;
    default: break;
    }
}

static int mark_reachable(analysis *an, const vbsig_pdf_obj *trailer)
{
    walk w = {0};
    push_refs(an, &w, vbsig_pdf_dict_get(trailer, "Root"), an->reach);
    push_refs(an, &w, vbsig_pdf_dict_get(trailer, "Info"), an->reach);
    while (w.len > 0 && !w.oom) {
        uint32_t num = w.stack[--w.len];
        push_refs(an, &w, object_at(an, an->rev, num), an->reach);
    }
    free(w.stack);
    return w.oom ? vbsig_fail(VBSIG_E_NOMEM, _("out of memory")) : VBSIG_OK;
}

/* Hide-and-replace: a changed object (or the newest trailer) now uses an
 * object that the signed revision carried without using it. */
static void check_hidden_refs(analysis *an, const vbsig_pdf_obj *o, int depth)
{
    if (o == NULL || depth > 64)
        return;
    switch (o->type) {
    case VBSIG_PDF_REF: {
        uint32_t m = o->u.ref.num;
        if (m < an->nmax && !bit(an->reach, an->nmax, m) && !bit(an->changed, an->nmax, m) &&
            object_at(an, an->rev, m) != NULL) {
            judge(an, MOD_DISALLOWED,
                  _("object %u was in the signed revision without being used and is used now (hide-and-replace)"), m);
            set_bit(an->reach, an->nmax, m); /* say it once */
        }
        break;
    }
    case VBSIG_PDF_ARRAY:
        for (size_t i = 0; i < o->u.array.count; i++)
            check_hidden_refs(an, o->u.array.items[i], depth + 1);
        break;
    case VBSIG_PDF_DICT:
        for (size_t i = 0; i < o->u.dict.count; i++)
            check_hidden_refs(an, o->u.dict.items[i].value, depth + 1);
        break;
    case VBSIG_PDF_STREAM: check_hidden_refs(an, o->u.stream.dict, depth + 1); break;
    default: break;
    }
}

static uint32_t ref_num(const vbsig_pdf_obj *o)
{
    return o != NULL && o->type == VBSIG_PDF_REF ? o->u.ref.num : 0;
}

static void judge_flags(analysis *an, size_t r, unsigned flags)
{
    if (flags & VBSIG_PDF_REV_DUPLICATE_OBJECT)
        judge(an, MOD_DISALLOWED, _("revision %zu defines one object twice"), r + 1);
    if (flags & VBSIG_PDF_REV_HYBRID_CONFLICT)
        judge(an, MOD_DISALLOWED, _("revision %zu: its cross-reference table and stream disagree"), r + 1);
    if (r > an->rev && (flags & VBSIG_PDF_REV_GENERATION_DROP))
        judge(an, MOD_DISALLOWED, _("revision %zu brings an object back with a lower generation number"), r + 1);
    if (r > an->rev && (flags & VBSIG_PDF_REV_STARTXREF_MISMATCH))
        judge(an, MOD_DISALLOWED, _("revision %zu: its startxref points elsewhere than its cross-reference section"),
              r + 1);
}

static int run(analysis *an)
{
    size_t n = vbsig_pdf_revision_count(an->doc);
    vbsig_pdf_revision_info then, now;
    if (vbsig_pdf_revision_get(an->doc, an->rev, &then) != VBSIG_OK ||
        vbsig_pdf_revision_get(an->doc, n - 1, &now) != VBSIG_OK)
        return vbsig_fail(VBSIG_E_INTERNAL, _("revision %zu cannot be read"), an->rev + 1);
    if (an->rev + 1 == n) {
        /* Nothing came after the signed revision: only its own flags count. */
        for (size_t r = 0; r < n; r++) {
            vbsig_pdf_revision_info info;
            if (vbsig_pdf_revision_get(an->doc, r, &info) == VBSIG_OK)
                judge_flags(an, r, info.flags);
        }
        return an->rc;
    }
    /* Track only the object numbers the file lists (not the limit, which
     * a caller may set to billions). */
    an->nmax = 1;
    for (size_t r = 0; r < n; r++) {
        vbsig_pdf_revision_info info;
        if (vbsig_pdf_revision_get(an->doc, r, &info) != VBSIG_OK)
            continue;
        for (size_t i = 0; i < info.object_count; i++) {
            uint32_t num;
            uint16_t gen;
            int in_use;
            if (vbsig_pdf_revision_object(an->doc, r, i, &num, &gen, &in_use) == VBSIG_OK && num >= an->nmax)
                an->nmax = num + 1 < num ? num : num + 1;
        }
    }
    size_t bytes = (size_t)an->nmax / 8 + 1;
    an->changed = calloc(bytes, 1);
    an->reach = calloc(bytes, 1);
    if (an->changed == NULL || an->reach == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t r = 0; r < n; r++) {
        vbsig_pdf_revision_info info;
        if (vbsig_pdf_revision_get(an->doc, r, &info) == VBSIG_OK)
            judge_flags(an, r, info.flags);
        if (r <= an->rev)
            continue;
        for (size_t i = 0; i < info.object_count; i++) {
            uint32_t num;
            uint16_t gen;
            int in_use;
            if (vbsig_pdf_revision_object(an->doc, r, i, &num, &gen, &in_use) == VBSIG_OK && num != 0)
                set_bit(an->changed, an->nmax, num);
        }
    }
    int rc = mark_reachable(an, then.trailer);
    if (rc != VBSIG_OK)
        return rc;
    an->root_then = ref_num(vbsig_pdf_dict_get(then.trailer, "Root"));
    an->root_now = ref_num(vbsig_pdf_dict_get(now.trailer, "Root"));
    an->info_then = ref_num(vbsig_pdf_dict_get(then.trailer, "Info"));
    const vbsig_pdf_obj *cat_then = object_at(an, an->rev, an->root_then);
    const vbsig_pdf_obj *cat_now = object_at(an, VBSIG_PDF_NEWEST, an->root_now);
    an->acroform_then = ref_num(vbsig_pdf_dict_get(cat_then, "AcroForm"));
    an->metadata_then = ref_num(vbsig_pdf_dict_get(cat_then, "Metadata"));
    const vbsig_pdf_obj *af = resolve_at(an, an->rev, vbsig_pdf_dict_get(cat_then, "AcroForm"));
    an->fields_then = ref_num(vbsig_pdf_dict_get(af, "Fields"));
    if (vbsig_pdf_pages(an->doc, an->rev, &an->pages, &an->page_count) != VBSIG_OK) {
        vbsig_error_clear();
        judge(an, MOD_DISALLOWED, _("the page tree of the signed revision cannot be read"));
    }
    rc = build_roles(an);
    if (rc != VBSIG_OK)
        return rc;
    if (cat_now == NULL)
        judge(an, MOD_DISALLOWED, _("the newest revision has no readable catalog"));
    else if (!same(an, cat_then, cat_now))
        diff_keys(an, cat_then, cat_now, catalog_key, NULL);
    if (an->root_now != an->root_then)
        check_hidden_refs(an, vbsig_pdf_dict_get(now.trailer, "Root"), 0);
    for (uint32_t num = 1; num < an->nmax && an->rc == VBSIG_OK; num++) {
        if (!bit(an->changed, an->nmax, num))
            continue;
        judge_object(an, num);
        check_hidden_refs(an, object_at(an, VBSIG_PDF_NEWEST, num), 0);
    }
    return an->rc;
}

int vbsig_pades_analyse_changes(vbsig_pdf_doc *doc, size_t rev, int cert_p, const vbsig_pades_locks *locks,
                                vbsig_sig_entry *e)
{
    analysis an;
    memset(&an, 0, sizeof an);
    an.doc = doc;
    an.rev = rev;
    an.cert_p = cert_p;
    an.locks = locks;
    an.e = e;
    int rc = run(&an);
    free(an.changed);
    free(an.reach);
    for (size_t i = 0; an.footprints != NULL && i <= an.page_count; i++)
        free(an.footprints[i]);
    free(an.footprints);
    free(an.pages);
    free(an.roles);
    if (rc != VBSIG_OK)
        return rc;
    e->modifications = an.level == MOD_NONE ? "none" : an.level == MOD_ALLOWED ? "allowed" : "disallowed";
    return VBSIG_OK;
}
