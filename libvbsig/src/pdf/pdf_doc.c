/* Opening and closing documents, and the limits they are read under. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

/* The header may follow some junk (ISO 32000-1 allows readers to accept
 * it within the first KiB, and real files from mail gateways need that). */
#define PDF_HEADER_WINDOW 1024
#define PDF_DEPTH_CEILING 1000

int vbsig_pdf_limits_from_ctx(const vbsig_ctx *ctx, vbsig_pdf_limits *out)
{
    vbsig_ctx *own = NULL;
    if (ctx == NULL) {
        int rc = vbsig_ctx_new(&own);
        if (rc != VBSIG_OK)
            return rc;
        ctx = own;
    }
    uint64_t depth = vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_PDF_DEPTH);
    uint64_t objects = vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_PDF_OBJECTS);
    uint64_t inflated = vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INFLATED_SIZE);
    /* Parsing recurses once per level: beyond this the C stack, not the
     * limit, would decide. */
    out->max_depth = depth > PDF_DEPTH_CEILING ? PDF_DEPTH_CEILING : (unsigned)depth;
    out->max_objects = objects > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)objects;
    out->max_inflated = inflated > SIZE_MAX ? SIZE_MAX : (size_t)inflated;
    out->max_file_size = vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE);
    vbsig_ctx_free(own);
    return VBSIG_OK;
}

static int find_header(const vbsig_pdf_doc *doc)
{
    size_t window = doc->len < PDF_HEADER_WINDOW ? doc->len : PDF_HEADER_WINDOW;
    for (size_t i = 0; i + 5 <= window; i++)
        if (memcmp(doc->data + i, "%PDF-", 5) == 0)
            return VBSIG_OK;
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: not a PDF file (no %%PDF- header)"), doc->name);
}

static void drop_structure(vbsig_pdf_doc *doc);

static int open_common(vbsig_pdf_doc *doc, unsigned flags)
{
    int rc = find_header(doc);
    if (rc != VBSIG_OK)
        return rc;
    rc = pdf_read_revisions(doc);
    const vbsig_pdf_obj *catalog;
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &catalog);
    if (rc == VBSIG_E_MALFORMED && (flags & VBSIG_PDF_OPEN_REPAIR)) {
        drop_structure(doc);
        rc = pdf_repair(doc);
        if (rc == VBSIG_OK)
            rc = vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &catalog);
    }
    if (rc != VBSIG_OK)
        return rc;
    const pdf_section *newest = &doc->sections[doc->revisions[doc->nrevisions - 1].sections[0]];
    doc->encrypted = vbsig_pdf_dict_get(newest->trailer, "Encrypt") != NULL;
    return VBSIG_OK;
}

static int doc_new(vbsig_pdf_doc **out, const vbsig_ctx *ctx, const char *name)
{
    vbsig_i18n_ensure();
    *out = NULL;
    vbsig_pdf_doc *doc = calloc(1, sizeof *doc);
    if (doc == NULL || (doc->name = strdup(name != NULL ? name : "PDF")) == NULL) {
        free(doc);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    int rc = vbsig_pdf_limits_from_ctx(ctx, &doc->lim);
    if (rc != VBSIG_OK) {
        vbsig_pdf_close(doc);
        return rc;
    }
    *out = doc;
    return VBSIG_OK;
}

int vbsig_pdf_open(vbsig_pdf_doc **out, const vbsig_ctx *ctx, const char *path, unsigned flags)
{
    vbsig_pdf_doc *doc;
    int rc = doc_new(&doc, ctx, path);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_file_map_open(&doc->map, path, doc->lim.max_file_size);
    if (rc == VBSIG_OK) {
        doc->data = doc->map.data;
        doc->len = doc->map.len;
        rc = open_common(doc, flags);
    }
    if (rc != VBSIG_OK) {
        vbsig_pdf_close(doc);
        return rc;
    }
    *out = doc;
    return VBSIG_OK;
}

int vbsig_pdf_open_memory(vbsig_pdf_doc **out, const vbsig_ctx *ctx, const uint8_t *data, size_t len,
                          const char *name, unsigned flags)
{
    vbsig_pdf_doc *doc;
    int rc = doc_new(&doc, ctx, name);
    if (rc != VBSIG_OK)
        return rc;
    doc->data = data;
    doc->len = data != NULL ? len : 0;
    if (doc->lim.max_file_size != 0 && doc->len > doc->lim.max_file_size)
        rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: the input is larger than the limit"), doc->name);
    if (rc == VBSIG_OK)
        rc = open_common(doc, flags);
    if (rc != VBSIG_OK) {
        vbsig_pdf_close(doc);
        return rc;
    }
    *out = doc;
    return VBSIG_OK;
}

static void free_section(pdf_section *sec)
{
    for (size_t i = 0; i < sec->count; i++) {
        pdf_variant *v = sec->entries[i].variants;
        while (v != NULL) {
            pdf_variant *next = v->next;
            vbsig_pdf_obj_free(v->obj);
            pdf_objstm_free(v->objstm);
            free(v);
            v = next;
        }
    }
    free(sec->entries);
    if (!sec->is_stream)
        vbsig_pdf_obj_free(sec->trailer);
    vbsig_pdf_obj_free(sec->xref_stream);
}

static void drop_structure(vbsig_pdf_doc *doc)
{
    for (size_t i = 0; i < doc->nsections; i++)
        free_section(&doc->sections[i]);
    free(doc->sections);
    free(doc->revisions);
    doc->sections = NULL;
    doc->revisions = NULL;
    doc->nsections = doc->nrevisions = 0;
}

void vbsig_pdf_close(vbsig_pdf_doc *doc)
{
    if (doc == NULL)
        return;
    drop_structure(doc);
    vbsig_file_map_close(&doc->map);
    free(doc->name);
    free(doc);
}

const uint8_t *vbsig_pdf_data(const vbsig_pdf_doc *doc, size_t *len)
{
    *len = doc->len;
    return doc->data;
}

int vbsig_pdf_is_encrypted(const vbsig_pdf_doc *doc)
{
    return doc->encrypted;
}

int vbsig_pdf_is_repaired(const vbsig_pdf_doc *doc)
{
    return doc->repaired;
}
