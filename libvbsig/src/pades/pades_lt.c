/* Verification with the validation data a PDF carries (PAdES B-LT/B-LTA):
 * the /DSS certificates join the context's path-building certificates and
 * its OCSP responses and CRLs become the first revocation source, so a
 * long-term document verifies with no network; afterwards each signature's
 * level is raised to B-LT when its path and revocation data came from the
 * document, and to B-LTA when a valid document timestamp covers them. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "pades/pades.h"
#include "pades/pades_lt.h"
#include "validate/rev.h"

struct pades_lt {
    pades_dss dss;
    struct vbsig_rev_embedded emb;
    int attached;
};

static int views(const pades_dss_pool *p, vbsig_bytes **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (p->count == 0)
        return VBSIG_OK;
    *out = calloc(p->count, sizeof **out);
    if (*out == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t i = 0; i < p->count; i++) {
        (*out)[i].data = p->items[i].der; /* borrowed from the pool: never freed through the view */
        (*out)[i].len = p->items[i].len;
    }
    *count = p->count;
    return VBSIG_OK;
}

int pades_lt_attach(vbsig_ctx *ctx, vbsig_pdf_doc *doc, pades_lt **out)
{
    *out = NULL;
    pades_lt *lt = calloc(1, sizeof *lt);
    if (lt == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    pades_dss_init(&lt->dss);
    if (pades_dss_load(doc, &lt->dss) != VBSIG_OK) {
        /* An unreadable /DSS only means no embedded data; the modification
         * analysis judges the update that wrote it. */
        vbsig_error_clear();
        pades_dss_free(&lt->dss);
        pades_dss_init(&lt->dss);
    }
    const pades_dss_pool *certs = &lt->dss.pool[PADES_DSS_CERT];
    for (size_t i = 0; i < certs->count; i++) {
        const unsigned char *p = certs->items[i].der;
        X509 *x = d2i_X509(NULL, &p, (long)certs->items[i].len);
        if (x == NULL || !sk_X509_push(ctx->intermediates, x))
            X509_free(x);
    }
    ERR_clear_error();
    int rc = views(&lt->dss.pool[PADES_DSS_OCSP], &lt->emb.ocsp, &lt->emb.ocsp_count);
    if (rc == VBSIG_OK)
        rc = views(&lt->dss.pool[PADES_DSS_CRL], &lt->emb.crl, &lt->emb.crl_count);
    if (rc != VBSIG_OK) {
        pades_lt_detach(ctx, lt);
        return rc;
    }
    if (ctx->embedded == NULL) {
        ctx->embedded = &lt->emb;
        lt->attached = 1;
    }
    *out = lt;
    return VBSIG_OK;
}

static int in_pool(const pades_dss_pool *p, const uint8_t *der, size_t len)
{
    for (size_t i = 0; i < p->count; i++)
        if (p->items[i].len == len && memcmp(p->items[i].der, der, len) == 0)
            return 1;
    return 0;
}

/* Its signer certificate and every revocation answer come from the /DSS. */
static int long_term(const pades_lt *lt, const vbsig_sig_entry *e)
{
    if (e->chain_der_count == 0 || !in_pool(&lt->dss.pool[PADES_DSS_CERT], e->chain_der[0], e->chain_der_len[0]))
        return 0;
    if (e->revocation_status == NULL)
        return 0;
    /* As for XAdES and CAdES (validate/lt_collect.c): B-LT needs revocation
     * data for the signer's path, which a path naming no source cannot give. */
    if (e->rev_object_count == 0)
        return 0;
    for (size_t i = 0; i < e->rev_object_count; i++) {
        const vbsig_rev_object *o = &e->rev_objects[i];
        int kind = strcmp(o->type, "ocsp") == 0 ? PADES_DSS_OCSP : PADES_DSS_CRL;
        if (!in_pool(&lt->dss.pool[kind], o->der, o->len))
            return 0;
    }
    return 1;
}

/* The document had a /DSS as of revision rev (0-based). */
static int dss_in_revision(vbsig_pdf_doc *doc, size_t rev)
{
    const vbsig_pdf_obj *catalog = NULL, *dss = NULL;
    int ok = vbsig_pdf_catalog(doc, rev, &catalog) == VBSIG_OK &&
             vbsig_pdf_dict_resolve(doc, rev, catalog, "DSS", &dss) == VBSIG_OK && dss->type == VBSIG_PDF_DICT;
    vbsig_error_clear();
    return ok;
}

void pades_lt_levels(pades_lt *lt, vbsig_pdf_doc *doc, vbsig_report *r)
{
    if (lt == NULL)
        return;
    for (size_t i = 0; i < r->count; i++) {
        vbsig_sig_entry *e = &r->sigs[i];
        if (e->level == NULL || strcmp(e->level, "B-T") != 0 || e->indication == VBSIG_TOTAL_FAILED ||
            !long_term(lt, e))
            continue;
        e->level = "B-LT";
        for (size_t k = 0; k < r->count; k++) {
            const vbsig_sig_entry *d = &r->sigs[k];
            if (d->document_timestamp && d->indication == VBSIG_TOTAL_PASSED && d->revision > e->revision &&
                d->revision >= 1 && dss_in_revision(doc, d->revision - 1)) {
                e->level = "B-LTA";
                break;
            }
        }
    }
}

void pades_lt_detach(vbsig_ctx *ctx, pades_lt *lt)
{
    if (lt == NULL)
        return;
    if (lt->attached && ctx->embedded == &lt->emb)
        ctx->embedded = NULL;
    free(lt->emb.ocsp);
    free(lt->emb.crl);
    pades_dss_free(&lt->dss);
    free(lt);
}
