/* The update a signature appends: what changes in the document and in
 * which order it is written. Nothing of the input is rewritten; objects
 * that change (the first page or its /Annots array, the AcroForm or its
 * /Fields array, the catalog) get a new version under the same number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "appearance/appearance.h"
#include "pades/pades.h"
#include "pdf/pdf_internal.h"

/* Signature, widget, page or /Annots, AcroForm, /Fields, catalog, the
 * appearance's form and its objects, and the xref stream. */
#define PADES_MAX_ENTRIES (8 + 1 + VBSIG__AP_MAX_OBJECTS)

typedef struct layout {
    vbsig_pdf_doc *doc;
    const vbsig_pades_sign_opts *opts;
    pades_update *u;
    pdfw_xref_entry entries[PADES_MAX_ENTRIES];
    size_t nentries;
    /* what the document gives */
    const vbsig_pdf_obj *trailer, *root_ref, *catalog, *page;
    vbsig_pdf_objref page_ref;
    uint32_t size;
    int xref_stream;
    /* the new objects */
    uint32_t sig_num, field_num;
    uint32_t next_num;  /* the next number for an appearance object, then the xref stream */
    int doc_ts; /* 1: a document timestamp (ETSI.RFC3161) rather than a signature */
    /* a visible signature: its widget's /Rect and /AP /N form */
    int visible;
    double rect[4];
    uint32_t form_num;
    unsigned ap_objects;
} layout;

struct vbsig__ap_writer {
    layout *l;
};

static int begin_object(layout *l, uint32_t num, uint16_t gen)
{
    for (size_t i = 0; i < l->nentries; i++)
        if (l->entries[i].num == num)
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object %u plays two parts (page, form, catalog)"),
                              l->doc->name, (unsigned)num);
    if (l->nentries == PADES_MAX_ENTRIES - 1) /* one slot stays for an xref stream */
        return vbsig_fail(VBSIG_E_INTERNAL, _("too many objects in a signature update"));
    pdfw_xref_entry *e = &l->entries[l->nentries++];
    e->num = num;
    e->gen = gen;
    e->offset = l->u->base + l->u->bytes.len;
    return vbsig_bytes_printf(&l->u->bytes, "%u %u obj\n", (unsigned)num, (unsigned)gen);
}

static int end_object(layout *l)
{
    return vbsig_bytes_append_str(&l->u->bytes, "\nendobj\n");
}

/* ---- the document's own rules ------------------------------------------- */

/* The DocMDP permission a signature dictionary sets, 0 when none. */
static int docmdp_level(vbsig_pdf_doc *doc, const vbsig_pdf_obj *sig, int *p)
{
    *p = 0;
    const vbsig_pdf_obj *refs = NULL;
    int rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, sig, "Reference", &refs);
    for (size_t i = 0; rc == VBSIG_OK && i < vbsig_pdf_array_count(refs); i++) {
        const vbsig_pdf_obj *r = NULL, *method = NULL, *params = NULL, *pv = NULL;
        rc = vbsig_pdf_resolve(doc, VBSIG_PDF_NEWEST, vbsig_pdf_array_get(refs, i), &r);
        if (rc == VBSIG_OK)
            rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, r, "TransformMethod", &method);
        if (rc != VBSIG_OK || !vbsig_pdf_is_name(method, "DocMDP"))
            continue;
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, r, "TransformParams", &params);
        if (rc == VBSIG_OK)
            rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, params, "P", &pv);
        int64_t v = 2; /* ISO 32000-1 Table 254: the default */
        if (rc == VBSIG_OK && pv->type == VBSIG_PDF_INT)
            v = pv->u.integer;
        *p = v >= 1 && v <= 3 ? (int)v : 2;
    }
    return rc;
}

static int check_rules(layout *l, const vbsig_pdf_sig_field *fields, size_t nfields)
{
    vbsig_pdf_doc *doc = l->doc;
    if (vbsig_pdf_is_encrypted(doc))
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: encrypted PDFs cannot be signed yet"), doc->name);
    int signed_count = 0, p = 0, rc;
    for (size_t i = 0; i < nfields; i++) {
        if (fields[i].value == NULL)
            continue;
        signed_count++;
        int fp = 0;
        if ((rc = docmdp_level(doc, fields[i].value, &fp)) != VBSIG_OK)
            return rc;
        if (fp == 1)
            p = 1;
    }
    const vbsig_pdf_obj *perms = NULL, *mdp = NULL;
    rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, l->catalog, "Perms", &perms);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, perms, "DocMDP", &mdp);
    if (rc != VBSIG_OK)
        return rc;
    if (mdp->type == VBSIG_PDF_DICT) {
        int fp = 0;
        if ((rc = docmdp_level(doc, mdp, &fp)) != VBSIG_OK)
            return rc;
        if (fp == 1)
            p = 1;
    }
    /* ISO 32000-2 (2020 erratum): document timestamps stay allowed at P=1. */
    if (p == 1 && !l->doc_ts)
        return vbsig_fail(VBSIG_E_REFUSED,
                          _("%s: the document is certified with no changes allowed (DocMDP P=1); a new signature would break the certification"),
                          doc->name);
    if (l->opts->certify != 0 && (signed_count > 0 || mdp->type == VBSIG_PDF_DICT))
        return vbsig_fail(VBSIG_E_REFUSED,
                          _("%s: a certification signature must be the document's first signature, and this document is already signed"),
                          doc->name);
    return VBSIG_OK;
}

/* ---- what the document gives -------------------------------------------- */

/* New objects take numbers no object this update extends refers to (see
 * pdfw_number_above_refs): the catalog, the AcroForm and its /Fields, the
 * page and its /Annots. */
static int number_above_touched_refs(layout *l)
{
    vbsig_pdf_doc *doc = l->doc;
    const vbsig_pdf_obj *af = NULL, *fields = NULL, *annots = NULL;
    int rc = pdfw_number_above_refs(doc, l->catalog, 4, &l->size);
    if (rc == VBSIG_OK)
        rc = pdfw_number_above_refs(doc, l->page, 4, &l->size);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, l->catalog, "AcroForm", &af);
    if (rc == VBSIG_OK)
        rc = pdfw_number_above_refs(doc, af, 4, &l->size);
    if (rc == VBSIG_OK && vbsig_pdf_dict_of(af) != NULL)
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, af, "Fields", &fields);
    if (rc == VBSIG_OK)
        rc = pdfw_number_above_refs(doc, fields, 4, &l->size);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, l->page, "Annots", &annots);
    if (rc == VBSIG_OK)
        rc = pdfw_number_above_refs(doc, annots, 4, &l->size);
    return rc;
}

/* The page the widget goes on (0-based), and the object numbers above
 * what it refers to. */
static int gather_page(layout *l, size_t index)
{
    vbsig_pdf_doc *doc = l->doc;
    vbsig_pdf_objref *pages = NULL;
    size_t npages = 0;
    int rc = vbsig_pdf_pages(doc, VBSIG_PDF_NEWEST, &pages, &npages);
    if (rc == VBSIG_OK && npages == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the document has no page to hold the signature field"), doc->name);
    if (rc == VBSIG_OK && index >= npages)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("%s has %zu pages; there is no page %zu"), doc->name, npages, index + 1);
    if (rc == VBSIG_OK) {
        l->page_ref = pages[index];
        rc = vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, pages[index].num, pages[index].gen, &l->page);
    }
    free(pages);
    if (rc == VBSIG_OK && l->page->type != VBSIG_PDF_DICT)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: page object %u is not a dictionary"), doc->name,
                        (unsigned)l->page_ref.num);
    if (rc == VBSIG_OK)
        rc = number_above_touched_refs(l);
    return rc;
}

static int gather(layout *l)
{
    vbsig_pdf_doc *doc = l->doc;
    const pdf_section *last = &doc->sections[0];
    l->trailer = last->trailer;
    l->xref_stream = last->is_stream;
    l->root_ref = pdfw_newest_trailer_key(doc, "Root");
    if (l->root_ref == NULL || l->root_ref->type != VBSIG_PDF_REF)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the last trailer's /Root is not a reference"), doc->name);
    /* Headroom 4: room above it for the few objects this update adds. */
    int rc = pdfw_next_object_number(doc, 4, &l->size);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &l->catalog);
    if (rc == VBSIG_OK)
        rc = gather_page(l, 0);
    return rc;
}

/* "Signature1", "Signature2" … the first name no signature field has. */
static int pick_field_name(const vbsig_pades_sign_opts *opts, const vbsig_pdf_sig_field *fields, size_t n,
                           char *out, size_t out_len)
{
    if (opts->field_name != NULL) {
        for (size_t i = 0; i < n; i++)
            if (fields[i].name_len == strlen(opts->field_name) && memcmp(fields[i].name, opts->field_name, fields[i].name_len) == 0)
                return vbsig_fail(VBSIG_E_INVALID_ARG, _("the document already has a signature field named %s"),
                                  opts->field_name);
        snprintf(out, out_len, "%s", opts->field_name);
        return VBSIG_OK;
    }
    for (unsigned k = 1; k < 100000; k++) {
        snprintf(out, out_len, "Signature%u", k);
        int taken = 0;
        for (size_t i = 0; i < n && !taken; i++)
            taken = fields[i].name_len == strlen(out) && memcmp(fields[i].name, out, fields[i].name_len) == 0;
        if (!taken)
            return VBSIG_OK;
    }
    return vbsig_fail(VBSIG_E_LIMIT, _("no free signature field name"));
}

/* ---- the new objects ---------------------------------------------------- */

static int write_sig_dict(layout *l, time_t when, size_t reserved)
{
    const vbsig_pades_sign_opts *o = l->opts;
    vbsig_bytes *b = &l->u->bytes;
    int rc = begin_object(l, l->sig_num, 0);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, l->doc_ts ? "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange [0 "
                                                 : "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 ");
    if (rc != VBSIG_OK)
        return rc;
    l->u->byterange_at = b->len;
    rc = vbsig_bytes_printf(b, "%-*s %-*s %-*s] /Contents ", PADES_BYTERANGE_WIDTH, "0", PADES_BYTERANGE_WIDTH, "0",
                            PADES_BYTERANGE_WIDTH, "0");
    if (rc == VBSIG_OK && reserved > (SIZE_MAX - 2) / 2)
        rc = vbsig_fail(VBSIG_E_LIMIT, _("the /Contents reservation is too large"));
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_reserve(b, 2 * reserved + 2);
    if (rc != VBSIG_OK)
        return rc;
    l->u->contents_at = b->len;
    l->u->contents_len = 2 * reserved + 2;
    b->data[b->len] = '<';
    memset(b->data + b->len + 1, '0', 2 * reserved);
    b->data[b->len + 1 + 2 * reserved] = '>';
    b->len += l->u->contents_len;
    if (l->doc_ts) { /* the token carries the time; nothing else belongs here */
        rc = vbsig_bytes_append_str(b, " >>");
        return rc == VBSIG_OK ? end_object(l) : rc;
    }
    rc = vbsig_bytes_append_str(b, " /M ");
    if (rc == VBSIG_OK)
        rc = pdfw_date(b, when);
    static const char *const keys[] = {"Name", "Reason", "Location", "ContactInfo"};
    const char *values[] = {o->name, o->reason, o->location, o->contact_info};
    static const char *const what[] = {N_("the signer name"), N_("the reason"), N_("the location"), N_("the contact info")};
    for (size_t i = 0; rc == VBSIG_OK && i < 4; i++) {
        if (values[i] == NULL)
            continue;
        rc = vbsig_bytes_printf(b, " /%s ", keys[i]);
        if (rc == VBSIG_OK)
            rc = pdfw_text_string(b, values[i], _(what[i]));
    }
    if (rc == VBSIG_OK && o->certify != 0)
        rc = vbsig_bytes_printf(b, " /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams"
                                   " << /Type /TransformParams /P %d /V /1.2 >> >>]", o->certify);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, " >>");
    return rc == VBSIG_OK ? end_object(l) : rc;
}

static int write_field(layout *l, const char *name)
{
    vbsig_bytes *b = &l->u->bytes;
    int rc = begin_object(l, l->field_num, 0);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "<< /Type /Annot /Subtype /Widget /FT /Sig /T ");
    if (rc == VBSIG_OK)
        rc = pdfw_text_string(b, name, _("the field name"));
    if (rc == VBSIG_OK && !l->visible)
        rc = vbsig_bytes_printf(b, " /V %u 0 R /F 132 /Rect [0 0 0 0] /P %u %u R >>", (unsigned)l->sig_num,
                                (unsigned)l->page_ref.num, (unsigned)l->page_ref.gen);
    else if (rc == VBSIG_OK) /* printable: /F 4, locked against editing of the field's place only by the signature */
        rc = vbsig_bytes_printf(b, " /V %u 0 R /F 4 /Rect [%.3f %.3f %.3f %.3f] /P %u %u R /AP << /N %u 0 R >> >>",
                                (unsigned)l->sig_num, l->rect[0], l->rect[1], l->rect[2], l->rect[3],
                                (unsigned)l->page_ref.num, (unsigned)l->page_ref.gen, (unsigned)l->form_num);
    return rc == VBSIG_OK ? end_object(l) : rc;
}

/* A new version of an indirect array with the new field appended. */
static int write_array_plus_field(layout *l, const vbsig_pdf_obj *ref, const char *what)
{
    const vbsig_pdf_obj *arr = NULL;
    int rc = vbsig_pdf_resolve(l->doc, VBSIG_PDF_NEWEST, ref, &arr);
    if (rc == VBSIG_OK && arr->type != VBSIG_PDF_ARRAY && arr->type != VBSIG_PDF_NULL)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: %s (object %u) is not an array"), l->doc->name, what,
                        (unsigned)ref->u.ref.num);
    if (rc == VBSIG_OK)
        rc = begin_object(l, ref->u.ref.num, ref->u.ref.gen);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(&l->u->bytes, "[");
    if (rc == VBSIG_OK && arr->type == VBSIG_PDF_ARRAY)
        rc = pdfw_array_items(&l->u->bytes, arr);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(&l->u->bytes, " %u 0 R ]", (unsigned)l->field_num);
    return rc == VBSIG_OK ? end_object(l) : rc;
}

/* "/Key [items… field]" for a direct (or absent) array in a dictionary. */
static int write_direct_array_plus_field(layout *l, const char *key, const vbsig_pdf_obj *arr)
{
    vbsig_bytes *b = &l->u->bytes;
    int rc = vbsig_bytes_printf(b, " /%s [", key);
    if (rc == VBSIG_OK && arr != NULL && arr->type == VBSIG_PDF_ARRAY)
        rc = pdfw_array_items(b, arr);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, " %u 0 R ]", (unsigned)l->field_num);
    return rc;
}

static int check_direct_array(layout *l, const vbsig_pdf_obj *v, const char *what)
{
    if (v != NULL && v->type != VBSIG_PDF_ARRAY && v->type != VBSIG_PDF_REF && v->type != VBSIG_PDF_NULL)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: %s is neither an array nor a reference"), l->doc->name, what);
    return VBSIG_OK;
}

/* ---- a visible signature's appearance ---------------------------------- */

int vbsig__ap_write_object(vbsig__ap_writer *w, const char *dict, size_t dict_len, const uint8_t *data,
                           size_t data_len, int flate, uint32_t *num)
{
    layout *l = w->l;
    if (l->ap_objects >= VBSIG__AP_MAX_OBJECTS)
        return vbsig_fail(VBSIG_E_LIMIT, _("too many objects in a signature appearance"));
    if (data != NULL && (dict_len < 4 || memcmp(dict, "<<", 2) != 0))
        return vbsig_fail(VBSIG_E_INTERNAL, _("an appearance stream needs a dictionary"));
    vbsig_bytes *b = &l->u->bytes;
    uint8_t *packed = NULL;
    uLongf packed_len = 0;
    if (data != NULL && flate) {
        if (data_len > (size_t)UINT32_MAX / 2)
            return vbsig_fail(VBSIG_E_LIMIT, _("a signature appearance stream is too large"));
        packed_len = compressBound((uLong)data_len);
        packed = malloc(packed_len);
        if (packed == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        if (compress2(packed, &packed_len, data, (uLong)data_len, Z_BEST_COMPRESSION) != Z_OK) {
            free(packed);
            return vbsig_fail(VBSIG_E_INTERNAL, _("compressing a signature appearance stream failed"));
        }
        data = packed;
        data_len = packed_len;
    }
    uint32_t n = l->next_num;
    int rc = begin_object(l, n, 0);
    if (rc == VBSIG_OK && data == NULL)
        rc = vbsig_bytes_append(b, dict, dict_len);
    else if (rc == VBSIG_OK) {
        /* /Length (and /Filter) go first, inside the caller's "<<". */
        rc = vbsig_bytes_printf(b, "<< /Length %zu%s", data_len, flate ? " /Filter /FlateDecode" : "");
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append(b, dict + 2, dict_len - 2);
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(b, "\nstream\n");
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append(b, data, data_len);
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(b, "\nendstream");
    }
    free(packed);
    if (rc == VBSIG_OK)
        rc = end_object(l);
    if (rc != VBSIG_OK)
        return rc;
    l->next_num++;
    l->ap_objects++;
    *num = n;
    return VBSIG_OK;
}

/* The form maps its upright box onto the page so that it is upright once
 * the viewer turns the page by /Rotate (clockwise): it is turned the other
 * way. */
static void counter_rotation(int rotate, double m[6])
{
    static const double by[4][6] = {
        {1, 0, 0, 1, 0, 0}, {0, 1, -1, 0, 0, 0}, {-1, 0, 0, -1, 0, 0}, {0, -1, 1, 0, 0, 0}};
    memcpy(m, by[(rotate / 90) & 3], sizeof by[0]);
}

/* Builds the layout's appearance, writes its form and chooses the page
 * and /Rect of the widget. *moved is set when the widget's page differs
 * from the one gathered (its references then need checking). */
static int write_appearance(layout *l, const vbsig_pades_appearance *ap, time_t when)
{
    vbsig__ap_writer w = {l};
    vbsig__appearance_ctx ac = {.doc = l->doc, .ap = ap, .signing_time = when};
    vbsig__appearance_out out;
    int rc = vbsig__appearance_build(&w, &ac, &out);
    if (rc != VBSIG_OK)
        return rc;
    vbsig__page_geom g;
    rc = vbsig__page_geom_get(l->doc, out.page, &g);
    if (rc == VBSIG_OK && out.page != 0)
        rc = gather_page(l, out.page);
    if (rc != VBSIG_OK) {
        vbsig__appearance_out_free(&out);
        return rc;
    }
    double x[2], y[2];
    vbsig__page_disp_to_user(&g, out.disp[0], out.disp[1], &x[0], &y[0]);
    vbsig__page_disp_to_user(&g, out.disp[0] + out.disp[2], out.disp[1] + out.disp[3], &x[1], &y[1]);
    l->rect[0] = vbsig__dmin(x[0], x[1]);
    l->rect[1] = vbsig__dmin(y[0], y[1]);
    l->rect[2] = vbsig__dmax(x[0], x[1]);
    l->rect[3] = vbsig__dmax(y[0], y[1]);
    double m[6];
    counter_rotation(g.rotate, m);
    vbsig_bytes dict;
    vbsig_bytes_init(&dict);
    rc = vbsig_bytes_printf(&dict, "<< /Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Matrix [%g %g %g %g 0 0] /Resources ",
                            out.disp[2], out.disp[3], m[0], m[1], m[2], m[3]);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&dict, out.resources.data, out.resources.len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(&dict, " >>");
    if (rc == VBSIG_OK)
        rc = vbsig__ap_write_object(&w, (const char *)dict.data, dict.len, out.content.data, out.content.len, 1,
                                    &l->form_num);
    vbsig_bytes_free(&dict);
    vbsig__appearance_out_free(&out);
    if (rc == VBSIG_OK)
        l->visible = 1;
    return rc;
}

/* The widget goes into its page's /Annots (the first page's for an
 * invisible signature). */
static int write_page(layout *l)
{
    const vbsig_pdf_obj *annots = vbsig_pdf_dict_get(l->page, "Annots");
    int rc = check_direct_array(l, annots, "/Annots");
    if (rc != VBSIG_OK)
        return rc;
    if (annots != NULL && annots->type == VBSIG_PDF_REF)
        return write_array_plus_field(l, annots, "/Annots");
    static const char *const skip[] = {"Annots", NULL};
    vbsig_bytes *b = &l->u->bytes;
    rc = begin_object(l, l->page_ref.num, l->page_ref.gen);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "<<");
    if (rc == VBSIG_OK)
        rc = pdfw_dict_items(b, l->page, skip);
    if (rc == VBSIG_OK)
        rc = write_direct_array_plus_field(l, "Annots", annots);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, " >>");
    return rc == VBSIG_OK ? end_object(l) : rc;
}

/* The AcroForm's items with the new field in /Fields and /SigFlags 3 (an
 * indirect /Fields array was written as its own new version already). */
static int write_acroform_body(layout *l, const vbsig_pdf_obj *af)
{
    vbsig_bytes *b = &l->u->bytes;
    static const char *const skip[] = {"Fields", "SigFlags", NULL};
    int rc = vbsig_bytes_append_str(b, "<<");
    const vbsig_pdf_obj *fields = af != NULL ? vbsig_pdf_dict_get(af, "Fields") : NULL;
    if (rc == VBSIG_OK && af != NULL)
        rc = pdfw_dict_items(b, af, skip);
    if (rc == VBSIG_OK && fields != NULL && fields->type == VBSIG_PDF_REF)
        rc = vbsig_bytes_printf(b, " /Fields %u %u R", (unsigned)fields->u.ref.num, (unsigned)fields->u.ref.gen);
    else if (rc == VBSIG_OK)
        rc = write_direct_array_plus_field(l, "Fields", fields);
    const vbsig_pdf_obj *flags = NULL;
    int64_t f = 0;
    if (rc == VBSIG_OK && af != NULL)
        rc = vbsig_pdf_dict_resolve(l->doc, VBSIG_PDF_NEWEST, af, "SigFlags", &flags);
    if (rc == VBSIG_OK && flags != NULL && flags->type == VBSIG_PDF_INT)
        f = flags->u.integer;
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, " /SigFlags %lld >>", (long long)((f & 0x7fffffff) | 3));
    return rc;
}

static int write_catalog(layout *l, const vbsig_pdf_obj *af_entry, const vbsig_pdf_obj *af)
{
    vbsig_bytes *b = &l->u->bytes;
    static const char *const skip_af[] = {"AcroForm", NULL};
    static const char *const skip_af_perms[] = {"AcroForm", "Perms", NULL};
    int rc = begin_object(l, l->root_ref->u.ref.num, l->root_ref->u.ref.gen);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "<<");
    if (rc == VBSIG_OK)
        rc = pdfw_dict_items(b, l->catalog, l->opts->certify != 0 ? skip_af_perms : skip_af);
    if (rc == VBSIG_OK && af_entry != NULL && af_entry->type == VBSIG_PDF_REF && af->type == VBSIG_PDF_DICT)
        rc = vbsig_bytes_printf(b, " /AcroForm %u %u R", (unsigned)af_entry->u.ref.num, (unsigned)af_entry->u.ref.gen);
    else if (rc == VBSIG_OK) {
        rc = vbsig_bytes_append_str(b, " /AcroForm ");
        if (rc == VBSIG_OK)
            rc = write_acroform_body(l, af->type == VBSIG_PDF_DICT ? af : NULL);
    }
    if (rc == VBSIG_OK && l->opts->certify != 0) {
        /* Other permissions (UR3) stay; DocMDP names this signature. */
        static const char *const skip_mdp[] = {"DocMDP", NULL};
        const vbsig_pdf_obj *perms = NULL;
        rc = vbsig_pdf_dict_resolve(l->doc, VBSIG_PDF_NEWEST, l->catalog, "Perms", &perms);
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(b, " /Perms <<");
        if (rc == VBSIG_OK && perms->type == VBSIG_PDF_DICT)
            rc = pdfw_dict_items(b, perms, skip_mdp);
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_printf(b, " /DocMDP %u 0 R >>", (unsigned)l->sig_num);
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, " >>");
    return rc == VBSIG_OK ? end_object(l) : rc;
}

/* AcroForm: a new version of an indirect one (and of an indirect /Fields);
 * a direct or missing one makes the catalog change. */
static int write_form_and_catalog(layout *l)
{
    const vbsig_pdf_obj *af_entry = vbsig_pdf_dict_get(l->catalog, "AcroForm"), *af = NULL;
    int rc = af_entry != NULL ? vbsig_pdf_resolve(l->doc, VBSIG_PDF_NEWEST, af_entry, &af) : VBSIG_OK;
    if (rc != VBSIG_OK)
        return rc;
    if (af != NULL && af->type != VBSIG_PDF_DICT && af->type != VBSIG_PDF_NULL)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the catalog's /AcroForm is not a dictionary"), l->doc->name);
    int af_is_dict = af != NULL && af->type == VBSIG_PDF_DICT;
    const vbsig_pdf_obj *fields = af_is_dict ? vbsig_pdf_dict_get(af, "Fields") : NULL;
    if ((rc = check_direct_array(l, fields, "/Fields")) != VBSIG_OK)
        return rc;
    if (fields != NULL && fields->type == VBSIG_PDF_REF && (rc = write_array_plus_field(l, fields, "/Fields")) != VBSIG_OK)
        return rc;
    int af_indirect = af_is_dict && af_entry->type == VBSIG_PDF_REF;
    if (af_indirect) {
        if ((rc = begin_object(l, af_entry->u.ref.num, af_entry->u.ref.gen)) != VBSIG_OK ||
            (rc = write_acroform_body(l, af)) != VBSIG_OK || (rc = end_object(l)) != VBSIG_OK)
            return rc;
    }
    if (!af_indirect || l->opts->certify != 0) {
        static const vbsig_pdf_obj null_obj = {.type = VBSIG_PDF_NULL};
        rc = write_catalog(l, af_entry, af != NULL ? af : &null_obj);
    }
    return rc;
}

static int write_xref(layout *l)
{
    pdfw_trailer t;
    int rc = pdfw_trailer_init(&t, l->doc, l->root_ref);
    if (rc != VBSIG_OK)
        return rc;
    uint32_t xref_num = l->next_num;
    t.size = l->xref_stream ? xref_num + 1 : xref_num;
    if (t.size < l->size)
        t.size = l->size;
    size_t count = l->nentries;
    if (l->xref_stream)
        count++;
    return pdfw_xref_write(&l->u->bytes, l->u->base, l->entries, count, &t, l->xref_stream, xref_num);
}

static int patch_byterange(pades_update *u)
{
    size_t a = u->base + u->contents_at, b = a + u->contents_len, total = u->base + u->bytes.len, c = total - b;
    char tmp[3 * (PADES_BYTERANGE_WIDTH + 1) + 1];
    int n = snprintf(tmp, sizeof tmp, "%-*zu %-*zu %-*zu", PADES_BYTERANGE_WIDTH, a, PADES_BYTERANGE_WIDTH, b,
                     PADES_BYTERANGE_WIDTH, c);
    if (n != 3 * PADES_BYTERANGE_WIDTH + 2)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the /ByteRange does not fit its reservation"));
    memcpy(u->bytes.data + u->byterange_at, tmp, (size_t)n);
    return VBSIG_OK;
}

/* Object numbers the update may take start at `floor` or above. */
static int layout_once(vbsig_pdf_doc *doc, const vbsig_pades_sign_opts *opts, time_t when, size_t reserved,
                       int doc_ts, uint32_t *floor, pades_update *out)
{
    memset(out, 0, sizeof *out);
    vbsig_bytes_init(&out->bytes);
    layout l;
    memset(&l, 0, sizeof l);
    l.doc_ts = doc_ts;
    l.doc = doc;
    l.opts = opts;
    l.u = out;
    size_t len = 0;
    const uint8_t *data = vbsig_pdf_data(doc, &len);
    out->base = len;
    vbsig_pdf_sig_field *fields = NULL;
    size_t nfields = 0;
    char name[256];
    int rc = gather(&l);
    if (l.size < *floor)
        l.size = *floor;
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &nfields);
    if (rc == VBSIG_OK)
        rc = check_rules(&l, fields, nfields);
    if (rc == VBSIG_OK)
        rc = pick_field_name(opts, fields, nfields, name, sizeof name);
    /* An unsigned field whose /V names a number the file never defined
     * would be "signed" by our new signature dictionary if it took that
     * number. */
    for (size_t i = 0; rc == VBSIG_OK && i < nfields; i++)
        if (fields[i].value_ref.num >= l.size) {
            if ((uint64_t)fields[i].value_ref.num + 1 > doc->lim.max_objects || fields[i].value_ref.num >= UINT32_MAX - 4)
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: a reference to object %u lies beyond any object number the file can have"),
                                doc->name, (unsigned)fields[i].value_ref.num);
            else
                l.size = fields[i].value_ref.num + 1;
        }
    vbsig_pdf_sig_fields_free(fields, nfields);
    l.sig_num = l.size;
    l.field_num = l.size + 1;
    l.next_num = l.size + 2;
    /* The update starts on a line of its own. */
    if (rc == VBSIG_OK && len > 0 && data[len - 1] != '\n' && data[len - 1] != '\r')
        rc = vbsig_bytes_append(&out->bytes, "\n", 1);
    if (rc == VBSIG_OK)
        rc = write_sig_dict(&l, when, reserved);
    const vbsig_pades_appearance *ap = !doc_ts && opts->version >= 2 ? opts->appearance : NULL;
    if (rc == VBSIG_OK && ap != NULL && ap->kind != VBSIG_APPEARANCE_NONE) {
        rc = write_appearance(&l, ap, when);
        /* The widget's page refers to numbers this update took: lay out
         * again above them. */
        if (rc == VBSIG_OK && l.size > l.sig_num) {
            *floor = l.size;
            pades_update_free(out);
            return 1;
        }
    }
    if (rc == VBSIG_OK)
        rc = write_field(&l, name);
    if (rc == VBSIG_OK)
        rc = write_page(&l);
    if (rc == VBSIG_OK)
        rc = write_form_and_catalog(&l);
    if (rc == VBSIG_OK)
        rc = write_xref(&l);
    if (rc == VBSIG_OK)
        rc = patch_byterange(out);
    if (rc != VBSIG_OK)
        pades_update_free(out);
    return rc;
}

static int layout_any(vbsig_pdf_doc *doc, const vbsig_pades_sign_opts *opts, time_t when, size_t reserved,
                      int doc_ts, pades_update *out)
{
    uint32_t floor = 0;
    int rc = layout_once(doc, opts, when, reserved, doc_ts, &floor, out);
    if (rc == 1)
        rc = layout_once(doc, opts, when, reserved, doc_ts, &floor, out);
    if (rc == 1)
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the signature update could not be numbered"));
    return rc;
}

int pades_layout(vbsig_pdf_doc *doc, const vbsig_pades_sign_opts *opts, time_t when, size_t reserved,
                 pades_update *out)
{
    return layout_any(doc, opts, when, reserved, 0, out);
}

int pades_layout_doc_timestamp(vbsig_pdf_doc *doc, size_t reserved, pades_update *out)
{
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    return layout_any(doc, &o, time(NULL), reserved, 1, out);
}

void pades_update_free(pades_update *u)
{
    vbsig_bytes_free(&u->bytes);
    memset(u, 0, sizeof *u);
}
