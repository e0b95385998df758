/* The interactive form's signature fields (ISO 32000-1 §12.7.3, §12.7.4.5):
 * where verification starts. Field types are inherited down the tree and
 * names are the /T parts joined by '.'. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

typedef struct field_walk {
    vbsig_pdf_doc *doc;
    size_t rev;
    pdf_objset seen;
    vbsig_pdf_sig_field *items;
    size_t count, cap;
} field_walk;

static int nomem(void)
{
    return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}

static int add_field(field_walk *w, const vbsig_pdf_obj *ref, const vbsig_pdf_obj *field, const char *name,
                     size_t name_len)
{
    if (w->count == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 8;
        vbsig_pdf_sig_field *n = realloc(w->items, ncap * sizeof *n);
        if (n == NULL)
            return nomem();
        w->items = n;
        w->cap = ncap;
    }
    vbsig_pdf_sig_field *f = &w->items[w->count];
    memset(f, 0, sizeof *f);
    if ((f->name = malloc(name_len + 1)) == NULL)
        return nomem();
    memcpy(f->name, name, name_len);
    f->name[name_len] = 0;
    f->name_len = name_len;
    w->count++;
    if (ref != NULL && ref->type == VBSIG_PDF_REF) {
        f->field.num = ref->u.ref.num;
        f->field.gen = ref->u.ref.gen;
    }
    const vbsig_pdf_obj *v = vbsig_pdf_dict_get(field, "V");
    if (v != NULL && v->type == VBSIG_PDF_REF) {
        f->value_ref.num = v->u.ref.num;
        f->value_ref.gen = v->u.ref.gen;
    }
    int rc = vbsig_pdf_resolve(w->doc, w->rev, v, &v);
    if (rc != VBSIG_OK)
        return rc;
    f->value = v->type == VBSIG_PDF_DICT ? v : NULL;
    return VBSIG_OK;
}

/* name + '.' + /T, or just one of them. */
static int child_name(const char *parent, size_t plen, const vbsig_pdf_obj *t, char **out, size_t *len)
{
    const uint8_t *part = NULL;
    size_t n = 0;
    if (t != NULL && t->type == VBSIG_PDF_STRING) {
        part = t->u.string.data;
        n = t->u.string.len;
    }
    size_t total = plen + (plen && part ? 1 : 0) + n;
    char *s = malloc(total + 1);
    if (s == NULL)
        return nomem();
    memcpy(s, parent, plen);
    size_t o = plen;
    if (plen && part)
        s[o++] = '.';
    if (n)
        memcpy(s + o, part, n);
    s[total] = 0;
    *out = s;
    *len = total;
    return VBSIG_OK;
}

static int walk(field_walk *w, const vbsig_pdf_obj *ref, const char *inherited_ft, const char *parent,
                size_t plen, unsigned depth)
{
    vbsig_pdf_doc *doc = w->doc;
    if (depth > doc->lim.max_depth)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: form fields nest deeper than %u levels"), doc->name,
                          doc->lim.max_depth);
    if (ref != NULL && ref->type == VBSIG_PDF_REF) {
        int added = pdf_objset_add(&w->seen, ref->u.ref.num);
        if (added < 0)
            return added;
        if (added == 0)
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: form field object %u is reached twice (the field tree loops)"),
                              doc->name, ref->u.ref.num);
    }
    const vbsig_pdf_obj *field;
    int rc = vbsig_pdf_resolve(doc, w->rev, ref, &field);
    if (rc != VBSIG_OK)
        return rc;
    if (field->type != VBSIG_PDF_DICT)
        return VBSIG_OK; /* a null or deleted field: nothing to verify there */
    const vbsig_pdf_obj *ft;
    if ((rc = vbsig_pdf_dict_resolve(doc, w->rev, field, "FT", &ft)) != VBSIG_OK)
        return rc;
    const char *type = ft->type == VBSIG_PDF_NAME ? ft->u.name.text : inherited_ft;
    const vbsig_pdf_obj *t;
    if ((rc = vbsig_pdf_dict_resolve(doc, w->rev, field, "T", &t)) != VBSIG_OK)
        return rc;
    char *name = NULL;
    size_t nlen = 0;
    if ((rc = child_name(parent, plen, t, &name, &nlen)) != VBSIG_OK)
        return rc;
    const vbsig_pdf_obj *kids;
    rc = vbsig_pdf_dict_resolve(doc, w->rev, field, "Kids", &kids);
    /* Kids with a /T are child fields; kids without are only widgets. */
    int has_child_fields = 0;
    for (size_t i = 0; rc == VBSIG_OK && i < vbsig_pdf_array_count(kids); i++) {
        const vbsig_pdf_obj *kid;
        rc = vbsig_pdf_resolve(doc, w->rev, vbsig_pdf_array_get(kids, i), &kid);
        if (rc == VBSIG_OK && vbsig_pdf_dict_get(kid, "T") != NULL)
            has_child_fields = 1;
    }
    if (rc == VBSIG_OK && has_child_fields) {
        for (size_t i = 0; rc == VBSIG_OK && i < vbsig_pdf_array_count(kids); i++)
            rc = walk(w, vbsig_pdf_array_get(kids, i), type, name, nlen, depth + 1);
    } else if (rc == VBSIG_OK && type != NULL && strcmp(type, "Sig") == 0) {
        rc = add_field(w, ref, field, name, nlen);
    }
    free(name);
    return rc;
}

int vbsig_pdf_sig_fields(vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_sig_field **fields, size_t *count)
{
    *fields = NULL;
    *count = 0;
    const vbsig_pdf_obj *catalog, *form, *list;
    int rc = vbsig_pdf_catalog(doc, rev, &catalog);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_dict_resolve(doc, rev, catalog, "AcroForm", &form);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_dict_resolve(doc, rev, form, "Fields", &list);
    if (rc != VBSIG_OK)
        return rc;
    field_walk w = {.doc = doc, .rev = rev};
    for (size_t i = 0; rc == VBSIG_OK && i < vbsig_pdf_array_count(list); i++)
        rc = walk(&w, vbsig_pdf_array_get(list, i), NULL, "", 0, 1);
    pdf_objset_free(&w.seen);
    if (rc != VBSIG_OK) {
        vbsig_pdf_sig_fields_free(w.items, w.count);
        return rc;
    }
    *fields = w.items;
    *count = w.count;
    return VBSIG_OK;
}

void vbsig_pdf_sig_fields_free(vbsig_pdf_sig_field *fields, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(fields[i].name);
    free(fields);
}
