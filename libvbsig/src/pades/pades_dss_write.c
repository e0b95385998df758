/* The /DSS (document security store, ETSI EN 319 142-1 §5.4) as an
 * incremental update: one stream object per new certificate, OCSP response
 * and CRL, a new DSS dictionary holding every old and new item, and a new
 * catalog version pointing to it. What an earlier /DSS held is read back
 * into the model first, so nothing is lost and nothing is stored twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pades/pades.h"
#include "pdf/pdf_internal.h"

/* Enough for any real document; a bound against a crafted /DSS. */
#define DSS_MAX_ITEMS 10000
#define DSS_MAX_VRI 5000
/* References read from an existing /DSS (arrays and /VRI entries in all):
 * a crafted file could otherwise make loading quadratic. */
#define DSS_MAX_REFS 100000

static const char *const pool_keys[PADES_DSS_KINDS] = {"Certs", "OCSPs", "CRLs"};
static const char *const vri_keys[PADES_DSS_KINDS] = {"Cert", "OCSP", "CRL"};

void pades_dss_init(pades_dss *d)
{
    memset(d, 0, sizeof *d);
}

void pades_dss_free(pades_dss *d)
{
    for (int k = 0; k < PADES_DSS_KINDS; k++) {
        for (size_t i = 0; i < d->pool[k].count; i++)
            free(d->pool[k].items[i].der);
        free(d->pool[k].items);
    }
    for (size_t i = 0; i < d->vri_count; i++)
        for (int k = 0; k < PADES_DSS_KINDS; k++)
            free(d->vri[i].idx[k]);
    free(d->vri);
    memset(d, 0, sizeof *d);
}

/* The index of der in the pool, added (copied) when new. num: the object
 * that already holds it in the file, 0 for a new one. */
int pades_dss_add(pades_dss *d, int kind, const uint8_t *der, size_t len, uint32_t num, size_t *index)
{
    pades_dss_pool *p = &d->pool[kind];
    for (size_t i = 0; i < p->count; i++)
        if (p->items[i].len == len && memcmp(p->items[i].der, der, len) == 0) {
            if (p->items[i].num == 0)
                p->items[i].num = num;
            *index = i;
            return VBSIG_OK;
        }
    if (p->count >= DSS_MAX_ITEMS)
        return vbsig_fail(VBSIG_E_LIMIT, _("the /DSS would hold more than %u items of one kind"), (unsigned)DSS_MAX_ITEMS);
    if (p->count == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        pades_dss_item *n = realloc(p->items, cap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        p->items = n;
        p->cap = cap;
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (copy == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    memcpy(copy, der, len);
    p->items[p->count] = (pades_dss_item){copy, len, num};
    *index = p->count++;
    return VBSIG_OK;
}

/* The VRI entry named key (40 upper-case hex digits), created when new. */
int pades_dss_vri(pades_dss *d, const char *key, pades_dss_vri_entry **out)
{
    for (size_t i = 0; i < d->vri_count; i++)
        if (strcmp(d->vri[i].key, key) == 0) {
            *out = &d->vri[i];
            return VBSIG_OK;
        }
    if (d->vri_count >= DSS_MAX_VRI)
        return vbsig_fail(VBSIG_E_LIMIT, _("the /DSS would hold more than %u /VRI entries"), (unsigned)DSS_MAX_VRI);
    pades_dss_vri_entry *n = realloc(d->vri, (d->vri_count + 1) * sizeof *n);
    if (n == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    d->vri = n;
    *out = &d->vri[d->vri_count++];
    memset(*out, 0, sizeof **out);
    snprintf((*out)->key, sizeof (*out)->key, "%s", key);
    return VBSIG_OK;
}

int pades_dss_vri_link(pades_dss_vri_entry *v, int kind, size_t index)
{
    for (size_t i = 0; i < v->count[kind]; i++)
        if (v->idx[kind][i] == index)
            return VBSIG_OK;
    size_t *n = realloc(v->idx[kind], (v->count[kind] + 1) * sizeof *n);
    if (n == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    v->idx[kind] = n;
    v->idx[kind][v->count[kind]++] = index;
    return VBSIG_OK;
}

/* ---- reading an existing /DSS -------------------------------------------- */

/* A referenced stream of the old /DSS into the pool; *index its place. */
static int load_stream(vbsig_pdf_doc *doc, int kind, const vbsig_pdf_obj *ref, pades_dss *d, size_t *index)
{
    if (ref == NULL || ref->type != VBSIG_PDF_REF)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: an item of the /DSS is not a reference to a stream"), doc->name);
    const vbsig_pdf_obj *s = NULL;
    int rc = vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, ref->u.ref.num, ref->u.ref.gen, &s);
    if (rc == VBSIG_OK && s->type != VBSIG_PDF_STREAM)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: /DSS item %u is not a stream"), doc->name, (unsigned)ref->u.ref.num);
    vbsig_bytes data;
    vbsig_bytes_init(&data);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_stream_decode(doc, VBSIG_PDF_NEWEST, s, &data);
    /* An item that an older generation number holds is rewritten as new. */
    if (rc == VBSIG_OK)
        rc = pades_dss_add(d, kind, data.data, data.len, ref->u.ref.gen == 0 ? ref->u.ref.num : 0, index);
    vbsig_bytes_free(&data);
    return rc;
}

/* The pool index of an item the file holds in object num (0 gen), if loaded. */
static int find_num(const pades_dss *d, int kind, const vbsig_pdf_obj *ref, size_t *index)
{
    if (ref == NULL || ref->type != VBSIG_PDF_REF || ref->u.ref.gen != 0)
        return 0;
    for (size_t i = 0; i < d->pool[kind].count; i++)
        if (d->pool[kind].items[i].num == ref->u.ref.num) {
            *index = i;
            return 1;
        }
    return 0;
}

static int spend(vbsig_pdf_doc *doc, size_t *budget)
{
    if (*budget == 0)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the /DSS holds more than %u references"), doc->name,
                          (unsigned)DSS_MAX_REFS);
    (*budget)--;
    return VBSIG_OK;
}

int pades_dss_load(vbsig_pdf_doc *doc, pades_dss *d)
{
    size_t budget = DSS_MAX_REFS;
    const vbsig_pdf_obj *catalog = NULL, *dss = NULL, *vri = NULL;
    int rc = vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &catalog);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, catalog, "DSS", &dss);
    if (rc != VBSIG_OK || dss->type == VBSIG_PDF_NULL)
        return rc;
    if (dss->type != VBSIG_PDF_DICT)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the catalog's /DSS is not a dictionary"), doc->name);
    for (int k = 0; rc == VBSIG_OK && k < PADES_DSS_KINDS; k++) {
        const vbsig_pdf_obj *arr = NULL;
        size_t ignored;
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, dss, pool_keys[k], &arr);
        for (size_t i = 0; rc == VBSIG_OK && i < vbsig_pdf_array_count(arr); i++)
            if ((rc = spend(doc, &budget)) == VBSIG_OK && !find_num(d, k, vbsig_pdf_array_get(arr, i), &ignored))
                rc = load_stream(doc, k, vbsig_pdf_array_get(arr, i), d, &ignored);
    }
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, dss, "VRI", &vri);
    if (rc != VBSIG_OK || vri->type != VBSIG_PDF_DICT)
        return rc;
    for (size_t i = 0; rc == VBSIG_OK && i < vri->u.dict.count; i++) {
        const char *key = vri->u.dict.items[i].key;
        const vbsig_pdf_obj *entry = NULL;
        pades_dss_vri_entry *v = NULL;
        if (strlen(key) != 40)
            continue; /* not a SHA-1 key: not ours to keep track of */
        rc = vbsig_pdf_resolve(doc, VBSIG_PDF_NEWEST, vri->u.dict.items[i].value, &entry);
        if (rc == VBSIG_OK && entry->type != VBSIG_PDF_DICT)
            continue;
        if (rc == VBSIG_OK)
            rc = pades_dss_vri(d, key, &v);
        for (int k = 0; rc == VBSIG_OK && k < PADES_DSS_KINDS; k++) {
            const vbsig_pdf_obj *arr = NULL;
            rc = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, entry, vri_keys[k], &arr);
            for (size_t j = 0; rc == VBSIG_OK && j < vbsig_pdf_array_count(arr); j++) {
                size_t index = 0;
                const vbsig_pdf_obj *ref = vbsig_pdf_array_get(arr, j);
                if ((rc = spend(doc, &budget)) == VBSIG_OK && !find_num(d, k, ref, &index))
                    rc = load_stream(doc, k, ref, d, &index);
                if (rc == VBSIG_OK)
                    rc = pades_dss_vri_link(v, k, index);
            }
        }
    }
    return rc;
}

/* ---- writing the update ------------------------------------------------- */

typedef struct writer {
    vbsig_pdf_doc *doc;
    vbsig_bytes *b;
    size_t base;
    pdfw_xref_entry *entries;
    size_t count, cap;
} writer;

static int begin(writer *w, uint32_t num, uint16_t gen)
{
    if (w->count + 1 >= w->cap) { /* one slot stays for an xref stream */
        size_t cap = w->cap ? 2 * w->cap : 64;
        pdfw_xref_entry *n = realloc(w->entries, cap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        w->entries = n;
        w->cap = cap;
    }
    w->entries[w->count++] = (pdfw_xref_entry){num, gen, w->base + w->b->len};
    return vbsig_bytes_printf(w->b, "%u %u obj\n", (unsigned)num, (unsigned)gen);
}

static int write_streams(writer *w, pades_dss *d, uint32_t *next)
{
    int rc = VBSIG_OK;
    for (int k = 0; rc == VBSIG_OK && k < PADES_DSS_KINDS; k++)
        for (size_t i = 0; rc == VBSIG_OK && i < d->pool[k].count; i++) {
            pades_dss_item *it = &d->pool[k].items[i];
            if (it->num != 0)
                continue;
            it->num = (*next)++;
            rc = begin(w, it->num, 0);
            if (rc == VBSIG_OK)
                rc = vbsig_bytes_printf(w->b, "<< /Length %zu >>\nstream\n", it->len);
            if (rc == VBSIG_OK)
                rc = vbsig_bytes_append(w->b, it->der, it->len);
            if (rc == VBSIG_OK)
                rc = vbsig_bytes_append_str(w->b, "\nendstream\nendobj\n");
        }
    return rc;
}

static int write_refs(vbsig_bytes *b, const pades_dss_pool *p, const size_t *idx, size_t n)
{
    int rc = vbsig_bytes_append_str(b, "[");
    for (size_t i = 0; rc == VBSIG_OK && i < n; i++)
        rc = vbsig_bytes_printf(b, " %u 0 R", (unsigned)p->items[idx != NULL ? idx[i] : i].num);
    return rc == VBSIG_OK ? vbsig_bytes_append_str(b, " ]") : rc;
}

static int write_dss_dict(writer *w, const pades_dss *d, uint32_t num)
{
    vbsig_bytes *b = w->b;
    int rc = begin(w, num, 0);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "<< /Type /DSS");
    for (int k = 0; rc == VBSIG_OK && k < PADES_DSS_KINDS; k++) {
        if (d->pool[k].count == 0)
            continue;
        rc = vbsig_bytes_printf(b, "\n/%s ", pool_keys[k]);
        if (rc == VBSIG_OK)
            rc = write_refs(b, &d->pool[k], NULL, d->pool[k].count);
    }
    if (rc == VBSIG_OK && d->vri_count > 0)
        rc = vbsig_bytes_append_str(b, "\n/VRI <<");
    for (size_t i = 0; rc == VBSIG_OK && i < d->vri_count; i++) {
        rc = vbsig_bytes_printf(b, "\n/%s <<", d->vri[i].key);
        for (int k = 0; rc == VBSIG_OK && k < PADES_DSS_KINDS; k++) {
            if (d->vri[i].count[k] == 0)
                continue;
            rc = vbsig_bytes_printf(b, " /%s ", vri_keys[k]);
            if (rc == VBSIG_OK)
                rc = write_refs(b, &d->pool[k], d->vri[i].idx[k], d->vri[i].count[k]);
        }
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(b, " >>");
    }
    if (rc == VBSIG_OK && d->vri_count > 0)
        rc = vbsig_bytes_append_str(b, " >>");
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, " >>\nendobj\n");
    return rc;
}

static int write_catalog(writer *w, const vbsig_pdf_obj *root_ref, const vbsig_pdf_obj *catalog, uint32_t dss_num)
{
    static const char *const skip[] = {"DSS", NULL};
    int rc = begin(w, root_ref->u.ref.num, root_ref->u.ref.gen);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(w->b, "<<");
    if (rc == VBSIG_OK)
        rc = pdfw_dict_items(w->b, catalog, skip);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(w->b, " /DSS %u 0 R >>\nendobj\n", (unsigned)dss_num);
    return rc;
}

static int write_xref(writer *w, const vbsig_pdf_obj *root_ref, uint32_t next, uint32_t size)
{
    pdfw_trailer t;
    int rc = pdfw_trailer_init(&t, w->doc, root_ref);
    if (rc != VBSIG_OK)
        return rc;
    int stream = w->doc->sections[0].is_stream;
    t.size = stream ? next + 1 : next;
    if (t.size < size)
        t.size = size;
    size_t count = w->count + (stream ? 1 : 0);
    return pdfw_xref_write(w->b, w->base, w->entries, count, &t, stream, next);
}

int pades_dss_update(vbsig_pdf_doc *doc, pades_dss *d, vbsig_bytes *out)
{
    vbsig_bytes_init(out);
    if (vbsig_pdf_is_encrypted(doc))
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: validation data cannot be added to encrypted PDFs yet"),
                          doc->name);
    size_t len = 0;
    const uint8_t *data = vbsig_pdf_data(doc, &len);
    writer w = {doc, out, len, NULL, 0, 0};
    const vbsig_pdf_obj *root_ref = pdfw_newest_trailer_key(doc, "Root"), *catalog = NULL;
    uint32_t size = 0, next = 0;
    int rc = VBSIG_OK;
    if (root_ref == NULL || root_ref->type != VBSIG_PDF_REF)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the last trailer's /Root is not a reference"), doc->name);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &catalog);
    if (rc == VBSIG_OK)
        rc = pdfw_next_object_number(doc, 2 * DSS_MAX_ITEMS * 3 + 8, &size);
    if (rc == VBSIG_OK)
        rc = pdfw_number_above_refs(doc, catalog, 2 * DSS_MAX_ITEMS * 3 + 8, &size);
    next = size;
    if (rc == VBSIG_OK && len > 0 && data[len - 1] != '\n' && data[len - 1] != '\r')
        rc = vbsig_bytes_append(out, "\n", 1);
    if (rc == VBSIG_OK)
        rc = write_streams(&w, d, &next);
    uint32_t dss_num = next++;
    if (rc == VBSIG_OK)
        rc = write_dss_dict(&w, d, dss_num);
    if (rc == VBSIG_OK)
        rc = write_catalog(&w, root_ref, catalog, dss_num);
    if (rc == VBSIG_OK)
        rc = write_xref(&w, root_ref, next, size);
    free(w.entries);
    if (rc != VBSIG_OK)
        vbsig_bytes_free(out);
    return rc;
}
