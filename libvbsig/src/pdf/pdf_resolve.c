/* Finding objects as of a revision: the newest listing at or before that
 * revision decides, and parsed objects are cached on their entry. */
#include <stdlib.h>

#include "pdf/pdf_internal.h"

/* References to references are legal but pointless; a long chain of them
 * is an attempt to make resolution slow. */
#define PDF_REF_CHAIN_MAX 32

static const vbsig_pdf_obj pdf_null = {.type = VBSIG_PDF_NULL};

static pdf_entry *section_find(pdf_section *sec, uint32_t num)
{
    size_t lo = 0, hi = sec->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sec->entries[mid].num == num)
            return &sec->entries[mid];
        if (sec->entries[mid].num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

pdf_entry *pdf_lookup(vbsig_pdf_doc *doc, size_t rev, uint32_t num, size_t *found_in)
{
    if (doc->nrevisions == 0)
        return NULL;
    if (rev >= doc->nrevisions)
        rev = doc->nrevisions - 1;
    for (size_t r = rev + 1; r-- > 0;) {
        pdf_revision *R = &doc->revisions[r];
        for (size_t s = 0; s < R->nsections; s++) {
            pdf_entry *e = section_find(&doc->sections[R->sections[s]], num);
            if (e != NULL) {
                *found_in = r;
                return e;
            }
        }
    }
    return NULL;
}

static const pdf_entry *dependency(vbsig_pdf_doc *doc, size_t rev, const pdf_entry *e)
{
    size_t found_in;
    return e->has_dep ? pdf_lookup(doc, rev, e->dep_num, &found_in) : NULL;
}

/* The object a parse depends on: the holding object stream, or the
 * object an indirect stream /Length names. */
static void learn_dependency(pdf_entry *e, const vbsig_pdf_obj *obj)
{
    if (e->kind == PDF_ENTRY_COMPRESSED) {
        e->has_dep = 1;
        e->dep_num = (uint32_t)e->where;
        return;
    }
    const vbsig_pdf_obj *len = obj->type == VBSIG_PDF_STREAM ? vbsig_pdf_dict_get(obj, "Length") : NULL;
    if (len != NULL && len->type == VBSIG_PDF_REF) {
        e->has_dep = 1;
        e->dep_num = len->u.ref.num;
    }
}

static int parse_entry(vbsig_pdf_doc *doc, size_t rev, pdf_entry *e, vbsig_pdf_obj **obj)
{
    if (e->kind == PDF_ENTRY_COMPRESSED)
        return pdf_objstm_get(doc, rev, e, obj);
    if (e->where >= doc->len)
        return vbsig_fail(VBSIG_E_MALFORMED,
                          _("%s: object %u %u: the cross-reference offset %llu is past the end of the file"),
                          doc->name, e->num, e->gen, (unsigned long long)e->where);
    return pdf_parse_indirect(doc, rev, (size_t)e->where, e->num, e->gen, obj, NULL);
}

int pdf_get_variant(vbsig_pdf_doc *doc, size_t rev, uint32_t num, uint16_t gen, pdf_variant **out)
{
    *out = NULL;
    size_t found_in;
    pdf_entry *e = pdf_lookup(doc, rev, num, &found_in);
    if (e == NULL || e->kind == PDF_ENTRY_FREE)
        return VBSIG_OK;
    if (e->kind == PDF_ENTRY_COMPRESSED ? gen != 0 : gen != e->gen)
        return VBSIG_OK;
    if (e->variants != NULL) {
        const pdf_entry *dep = dependency(doc, rev, e);
        for (pdf_variant *v = e->variants; v != NULL; v = v->next)
            if (v->dep == dep) {
                *out = v;
                return VBSIG_OK;
            }
    }
    if (e->busy)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object %u %u is needed to read itself"), doc->name, num, gen);
    pdf_variant *v = calloc(1, sizeof *v);
    if (v == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    e->busy = 1;
    int rc = parse_entry(doc, rev, e, &v->obj);
    e->busy = 0;
    if (rc != VBSIG_OK) {
        free(v);
        return rc;
    }
    learn_dependency(e, v->obj);
    v->dep = dependency(doc, rev, e);
    v->next = e->variants;
    e->variants = v;
    *out = v;
    return VBSIG_OK;
}

int vbsig_pdf_get_object(vbsig_pdf_doc *doc, size_t rev, uint32_t num, uint16_t gen, const vbsig_pdf_obj **out)
{
    pdf_variant *v;
    int rc = pdf_get_variant(doc, rev, num, gen, &v);
    *out = v != NULL ? v->obj : &pdf_null;
    return rc;
}

int vbsig_pdf_resolve(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o, const vbsig_pdf_obj **out)
{
    for (int hops = 0; o != NULL && o->type == VBSIG_PDF_REF; hops++) {
        if (hops == PDF_REF_CHAIN_MAX)
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object %u: a chain of more than %d references"), doc->name,
                              o->u.ref.num, PDF_REF_CHAIN_MAX);
        int rc = vbsig_pdf_get_object(doc, rev, o->u.ref.num, o->u.ref.gen, &o);
        if (rc != VBSIG_OK)
            return rc;
    }
    *out = o != NULL ? o : &pdf_null;
    return VBSIG_OK;
}

int vbsig_pdf_dict_resolve(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *dict, const char *key,
                           const vbsig_pdf_obj **out)
{
    return vbsig_pdf_resolve(doc, rev, vbsig_pdf_dict_get(dict, key), out);
}

int vbsig_pdf_catalog(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj **out)
{
    if (rev >= doc->nrevisions)
        rev = doc->nrevisions - 1;
    const pdf_revision *r = &doc->revisions[rev];
    const vbsig_pdf_obj *trailer = doc->sections[r->sections[0]].trailer;
    const vbsig_pdf_obj *root = vbsig_pdf_dict_get(trailer, "Root");
    if (root == NULL && r->nsections > 1)
        root = vbsig_pdf_dict_get(doc->sections[r->sections[1]].trailer, "Root");
    if (root == NULL || root->type != VBSIG_PDF_REF)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the trailer of revision %zu has no /Root reference"), doc->name, rev);
    int rc = vbsig_pdf_resolve(doc, rev, root, out);
    if (rc != VBSIG_OK)
        return rc;
    if ((*out)->type != VBSIG_PDF_DICT)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the catalog (object %u) is not a dictionary"), doc->name,
                          root->u.ref.num);
    return VBSIG_OK;
}
