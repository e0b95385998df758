/* XAdES B-LT and B-LTA (ETSI EN 319 132-1 §5.4, §5.5): extending the
 * signatures of a document in its original bytes. B-LT inserts, at the end
 * of each signature's UnsignedSignatureProperties, xades:CertificateValues
 * (the certificate paths of the signer and of the timestamp authorities)
 * and xades:RevocationValues (CRLValues, OCSPValues: the CRLs and OCSP
 * responses of every certificate below the anchor, fetched now); when the
 * signature has them already (a renewal), only what is new goes into an
 * xadesv141:TimeStampValidationData. B-LTA then appends an
 * xadesv141:ArchiveTimeStamp (exclusive C14N) over what xml_lt.h lists,
 * followed by the archive TSA's own validation data. Nothing else in the
 * document changes: every insertion is text before an end tag. */
#include <stdlib.h>
#include <string.h>

#include <libxml/c14n.h>
#include <openssl/err.h>

#include "xml_lt.h"
#include "cms/cms_lt.h"
#include "tsp/tsp.h"
#include "vbsig/xades.h"

#define XML_MAX_EXTEND_INPUT ((uint64_t)512 << 20)
#define MAX_EXTEND_SIGS 64

typedef struct edit {
    size_t offset;
    vbsig_bytes text;
} edit;

typedef struct edits {
    edit e[MAX_EXTEND_SIGS];
    size_t count;
} edits;

static void edits_free(edits *x)
{
    for (size_t i = 0; i < x->count; i++)
        vbsig_bytes_free(&x->e[i].text);
    x->count = 0;
}

static int by_offset_desc(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    return x->offset < y->offset ? 1 : x->offset > y->offset ? -1 : 0;
}

/* The document with every edit's text inserted at its offset. */
static int apply_edits(const uint8_t *p, size_t n, edits *x, vbsig_bytes *out)
{
    qsort(x->e, x->count, sizeof x->e[0], by_offset_desc);
    vbsig_bytes_init(out);
    int rc = VBSIG_OK;
    size_t at = 0;
    for (size_t i = x->count; rc == VBSIG_OK && i > 0; i--) {
        const edit *e = &x->e[i - 1];
        rc = vbsig_bytes_append(out, p + at, e->offset - at);
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append(out, e->text.data, e->text.len);
        at = e->offset;
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(out, p + at, n - at);
    return rc;
}

/* One XAdES signature prepared for extension: the parts verification uses,
 * with the certificate whose key verifies SignatureValue. */
typedef struct ext_sig {
    vbsig_xml_sig s;
    vbsig_report *r;
    xmlNodePtr usp;
    char pfx[64]; /* "xades:" as the UnsignedSignatureProperties writes it, or "" */
} ext_sig;

static void ext_sig_clear(ext_sig *x)
{
    sk_X509_pop_free(x->s.certs, X509_free);
    vbsig_report_free(x->r);
    memset(x, 0, sizeof *x);
}

/* *skip = 1 for a plain XMLDSig signature (no XAdES properties to extend:
 * e-invoices may carry one beside the XAdES ones). */
static int ext_sig_open(vbsig_ctx *ctx, const vbsig_xml_doc *d, xmlNodePtr sig, size_t index, ext_sig *x, int *skip)
{
    *skip = 0;
    memset(x, 0, sizeof *x);
    vbsig_sig_entry *e = NULL;
    int rc = vbsig_report_create("xades", &x->r);
    if (rc == VBSIG_OK)
        rc = vbsig_report_add_entry(x->r, &e);
    if (rc != VBSIG_OK)
        return rc;
    x->s.d = d;
    x->s.sig = sig;
    x->s.e = e;
    if (vbsig_xml_check_structure(&x->s) != 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("signature %zu is not a well-formed XAdES signature"), index + 1);
    if (x->s.qualifying == NULL) {
        *skip = 1;
        return VBSIG_OK;
    }
    /* A changed document is not extended (a detached signature's data is
     * not at hand: its reference fails as a format matter, not a hash). */
    vbsig_xml_check_references(&x->s);
    vbsig_xml_check_signature_value(&x->s, (size_t)vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_CERTS));
    const char *sub = e->subindication;
    if (x->s.cert == NULL || (sub != NULL && (strcmp(sub, "HASH_FAILURE") == 0 || strcmp(sub, "SIG_CRYPTO_FAILURE") == 0)))
        return vbsig_fail(VBSIG_E_REFUSED, _("signature %zu: the signature value does not verify; it cannot be extended"),
                          index + 1);
    x->usp = vbsig_xml_usp(x->s.qualifying);
    int has_ts = 0;
    for (xmlNodePtr c = x->usp != NULL ? vbsig_xml_elem(x->usp->children) : NULL; c != NULL; c = vbsig_xml_elem(c->next))
        has_ts |= vbsig_xml_is(c, VBSIG_NS_XADES, "SignatureTimeStamp");
    if (!has_ts)
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("signature %zu has no SignatureTimeStamp (B-T): sign with --level B-T or higher first"),
                          index + 1);
    const xmlNs *ns = x->usp->ns;
    if (ns->prefix != NULL && strlen((const char *)ns->prefix) < sizeof x->pfx - 1)
        snprintf(x->pfx, sizeof x->pfx, "%s:", (const char *)ns->prefix);
    else if (ns->prefix != NULL)
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("signature %zu: its XAdES prefix is too long"), index + 1);
    return VBSIG_OK;
}

/* The base64 DER of the EncapsulatedTimeStamp children of the elements
 * named (ns, name) in the UnsignedSignatureProperties: their tokens'
 * validation data is collected. */
static int collect_tokens(vbsig_ctx *ctx, ext_sig *x, const char *ns, const char *name, const char *what,
                          vbsig_lt_data *d)
{
    int rc = VBSIG_OK;
    for (xmlNodePtr c = vbsig_xml_elem(x->usp->children); rc == VBSIG_OK && c != NULL; c = vbsig_xml_elem(c->next)) {
        if (!vbsig_xml_is(c, ns, name))
            continue;
        xmlNodePtr ets = vbsig_xml_only_child(c, VBSIG_NS_XADES, "EncapsulatedTimeStamp", NULL);
        char *text = ets != NULL ? vbsig_xml_text(ets) : NULL;
        uint8_t *der = NULL;
        size_t len = 0;
        if (text == NULL || vbsig_base64_decode(text, strlen(text), &der, &len) != VBSIG_OK)
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: a %s holds no base64 EncapsulatedTimeStamp"), what, name);
        else
            rc = vbsig_lt_collect_cms(ctx, der, len, what, d);
        free(text);
        free(der);
    }
    return rc;
}

/* What the signature already carries (KeyInfo and every value element),
 * as DER, so that only new items are written. */
static int carried(ext_sig *x, vbsig_lt_data *have)
{
    vbsig_xml_lt_load(&x->s, have);
    int rc = VBSIG_OK;
    for (int i = 0; rc == VBSIG_OK && i < sk_X509_num(x->s.certs); i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(sk_X509_value(x->s.certs, i), &der);
        rc = n > 0 ? vbsig_lt_data_add(have, VBSIG_LT_CERT, der, (size_t)n) : vbsig_fail_ssl(VBSIG_E_CRYPTO, "i2d_X509");
        OPENSSL_free(der);
    }
    return rc;
}

static int has_item(const vbsig_lt_data *d, int kind, const vbsig_bytes *b)
{
    for (size_t i = 0; i < d->count[kind]; i++)
        if (d->item[kind][i].len == b->len && memcmp(d->item[kind][i].data, b->data, b->len) == 0)
            return 1;
    return 0;
}

static int put_b64(vbsig_bytes *out, const char *pfx, const char *name, const vbsig_bytes *der)
{
    char *b64 = NULL;
    size_t n = 0;
    int rc = vbsig_base64_encode(der->data, der->len, &b64, &n);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(out, "<%s%s>%s</%s%s>", pfx, name, b64, pfx, name);
    free(b64);
    return rc;
}

/* CertificateValues and RevocationValues for the items of `d` not in
 * `have` (which then gets them); nothing when all are there. */
static int values_text(const char *pfx, vbsig_lt_data *d, vbsig_lt_data *have, vbsig_bytes *out, int *any)
{
    static const char *const item[VBSIG_LT_KINDS] = {"EncapsulatedX509Certificate", "EncapsulatedOCSPValue",
                                                     "EncapsulatedCRLValue"};
    vbsig_bytes part[VBSIG_LT_KINDS];
    int rc = VBSIG_OK;
    for (int k = 0; k < VBSIG_LT_KINDS; k++)
        vbsig_bytes_init(&part[k]);
    *any = 0;
    for (int k = 0; rc == VBSIG_OK && k < VBSIG_LT_KINDS; k++)
        for (size_t i = 0; rc == VBSIG_OK && i < d->count[k]; i++) {
            if (has_item(have, k, &d->item[k][i]))
                continue;
            rc = put_b64(&part[k], pfx, item[k], &d->item[k][i]);
            if (rc == VBSIG_OK)
                rc = vbsig_lt_data_add(have, k, d->item[k][i].data, d->item[k][i].len);
        }
    if (rc == VBSIG_OK && part[VBSIG_LT_CERT].len > 0)
        rc = vbsig_bytes_printf(out, "<%sCertificateValues>%.*s</%sCertificateValues>", pfx, (int)part[VBSIG_LT_CERT].len,
                                (const char *)part[VBSIG_LT_CERT].data, pfx);
    if (rc == VBSIG_OK && part[VBSIG_LT_CRL].len + part[VBSIG_LT_OCSP].len > 0) {
        rc = vbsig_bytes_printf(out, "<%sRevocationValues>", pfx);
        if (rc == VBSIG_OK && part[VBSIG_LT_CRL].len > 0)
            rc = vbsig_bytes_printf(out, "<%sCRLValues>%.*s</%sCRLValues>", pfx, (int)part[VBSIG_LT_CRL].len,
                                    (const char *)part[VBSIG_LT_CRL].data, pfx);
        if (rc == VBSIG_OK && part[VBSIG_LT_OCSP].len > 0)
            rc = vbsig_bytes_printf(out, "<%sOCSPValues>%.*s</%sOCSPValues>", pfx, (int)part[VBSIG_LT_OCSP].len,
                                    (const char *)part[VBSIG_LT_OCSP].data, pfx);
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_printf(out, "</%sRevocationValues>", pfx);
    }
    *any = part[VBSIG_LT_CERT].len + part[VBSIG_LT_CRL].len + part[VBSIG_LT_OCSP].len > 0;
    for (int k = 0; k < VBSIG_LT_KINDS; k++)
        vbsig_bytes_free(&part[k]);
    return rc;
}

/* The values wrapped as the place needs: bare at the first extension,
 * inside xadesv141:TimeStampValidationData once the signature has values
 * (or an archive timestamp) already. */
static int values_element(const char *pfx, int wrap, vbsig_lt_data *d, vbsig_lt_data *have, vbsig_bytes *out)
{
    vbsig_bytes inner;
    vbsig_bytes_init(&inner);
    int any = 0;
    int rc = values_text(pfx, d, have, &inner, &any);
    if (rc == VBSIG_OK && any && wrap)
        rc = vbsig_bytes_printf(out,
                                "<xadesv141:TimeStampValidationData xmlns:xadesv141=\"" VBSIG_NS_XADES141
                                "\">%.*s</xadesv141:TimeStampValidationData>",
                                (int)inner.len, (const char *)inner.data);
    else if (rc == VBSIG_OK && any)
        rc = vbsig_bytes_append(out, inner.data, inner.len);
    vbsig_bytes_free(&inner);
    return rc;
}

static int usp_end(const uint8_t *p, size_t n, const vbsig_xml_doc *d, xmlNodePtr usp, size_t *offset)
{
    vbsig_xml_insertion at;
    int rc = vbsig_xml_insertion_point(p, n, vbsig_xml_element_index(d->doc, usp), &at);
    if (rc == VBSIG_OK && at.empty)
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the UnsignedSignatureProperties element is empty"));
    *offset = at.offset;
    return rc;
}

static int find_signatures(const vbsig_xml_doc *d, xmlNodePtr *sigs, size_t *count)
{
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    *count = 0;
    for (xmlNodePtr cur = root; cur != NULL; cur = vbsig_xml_next_in_subtree(cur, root)) {
        if (!vbsig_xml_is(cur, VBSIG_NS_DS, "Signature"))
            continue;
        if (*count == MAX_EXTEND_SIGS)
            return vbsig_fail(VBSIG_E_LIMIT, _("the XML document has more than %d signatures"), MAX_EXTEND_SIGS);
        sigs[(*count)++] = cur;
    }
    return *count > 0 ? VBSIG_OK : vbsig_fail(VBSIG_E_INVALID_ARG, _("the XML document has no signature to extend"));
}

/* Pass 1 (B-LT) or pass 2 (B-LTA) over every signature of p. */
static int extend_pass(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, int archive, const vbsig_xml_detached *detached,
                       const uint8_t *p, size_t n, vbsig_bytes *out)
{
    vbsig_bytes_init(out);
    uint64_t max = vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE);
    vbsig_xml_doc d;
    int rc = vbsig_xml_parse(p, n, max < XML_MAX_EXTEND_INPUT ? max : XML_MAX_EXTEND_INPUT, _("the XML document"), &d);
    if (rc != VBSIG_OK)
        return rc;
    xmlNodePtr sigs[MAX_EXTEND_SIGS];
    size_t count = 0, extended = 0;
    edits x;
    x.count = 0;
    if (d.duplicate_id != NULL)
        rc = vbsig_fail(VBSIG_E_REFUSED, _("the document uses the ID '%s' twice"), d.duplicate_id);
    if (rc == VBSIG_OK)
        rc = find_signatures(&d, sigs, &count);
    for (size_t i = 0; rc == VBSIG_OK && i < count; i++) {
        ext_sig es;
        vbsig_lt_data want, have;
        vbsig_lt_data_init(&want);
        vbsig_lt_data_init(&have);
        char what[64];
        snprintf(what, sizeof what, _("signature %zu"), i + 1);
        edit *e = &x.e[x.count];
        vbsig_bytes_init(&e->text);
        x.count++;
        int skip = 0;
        rc = ext_sig_open(ctx, &d, sigs[i], i, &es, &skip);
        if (rc == VBSIG_OK && skip) {
            ext_sig_clear(&es);
            x.count--;
            continue;
        }
        extended++;
        if (rc == VBSIG_OK)
            rc = carried(&es, &have);
        int wrap = have.count[VBSIG_LT_OCSP] + have.count[VBSIG_LT_CRL] > 0;
        for (xmlNodePtr c = rc == VBSIG_OK ? vbsig_xml_elem(es.usp->children) : NULL; c != NULL; c = vbsig_xml_elem(c->next))
            wrap |= vbsig_xml_is(c, VBSIG_NS_XADES, "CertificateValues") ||
                    vbsig_xml_is(c, VBSIG_NS_XADES, "RevocationValues") ||
                    vbsig_xml_is(c, VBSIG_NS_XADES141, "ArchiveTimeStamp");
        if (rc == VBSIG_OK && !archive) {
            want.for_signer = 1;
            rc = vbsig_lt_collect_cert(ctx, es.s.cert, es.s.certs, what, &want);
            want.for_signer = 0;
            if (rc == VBSIG_OK)
                rc = collect_tokens(ctx, &es, VBSIG_NS_XADES, "SignatureTimeStamp", what, &want);
            if (rc == VBSIG_OK)
                rc = collect_tokens(ctx, &es, VBSIG_NS_XADES141, "ArchiveTimeStamp", what, &want);
            if (rc == VBSIG_OK)
                rc = values_element(es.pfx, wrap, &want, &have, &e->text);
        } else if (rc == VBSIG_OK) {
            vbsig_c14n_alg exc = {XML_C14N_EXCLUSIVE_1_0, 0};
            uint8_t md[EVP_MAX_MD_SIZE];
            size_t mdlen = 0;
            vbsig_buf token = {0};
            char *b64 = NULL;
            size_t b64_len = 0;
            rc = vbsig_xml_archive_digest(&d, es.s.sig, es.s.qualifying, NULL, detached, &exc, tsp->digest, md, &mdlen);
            if (rc == VBSIG_OK)
                rc = vbsig_tsp_timestamp_digest(ctx, tsp, tsp->digest, md, mdlen, &token);
            if (rc == VBSIG_OK)
                rc = vbsig_base64_encode(token.data, token.len, &b64, &b64_len);
            if (rc == VBSIG_OK)
                rc = vbsig_bytes_printf(&e->text,
                                        "<xadesv141:ArchiveTimeStamp xmlns:xadesv141=\"" VBSIG_NS_XADES141 "\">"
                                        "<ds:CanonicalizationMethod xmlns:ds=\"" VBSIG_NS_DS "\" Algorithm=\"" VBSIG_NS_EXC_C14N
                                        "\"/><%sEncapsulatedTimeStamp>%s</%sEncapsulatedTimeStamp></xadesv141:ArchiveTimeStamp>",
                                        es.pfx, b64, es.pfx);
            /* The archive TSA's own path and revocation data, after it. */
            if (rc == VBSIG_OK)
                rc = vbsig_lt_collect_cms(ctx, token.data, token.len, what, &want);
            if (rc == VBSIG_OK)
                rc = values_element(es.pfx, 1, &want, &have, &e->text);
            free(b64);
            vbsig_buf_free(&token);
        }
        if (rc == VBSIG_OK)
            rc = usp_end(p, n, &d, es.usp, &e->offset);
        ext_sig_clear(&es);
        vbsig_lt_data_free(&want);
        vbsig_lt_data_free(&have);
    }
    if (rc == VBSIG_OK && extended == 0)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("the XML document has no XAdES signature to extend"));
    if (rc == VBSIG_OK)
        rc = apply_edits(p, n, &x, out);
    edits_free(&x);
    vbsig_xml_doc_clear(&d);
    return rc;
}

/* The extended document must still verify: no signature may fail where
 * the input's did not, which a wrong insertion would cause. */
static int check_result(vbsig_ctx *ctx, const vbsig_xml_detached *detached, const vbsig_bytes *out)
{
    vbsig_report *r = NULL;
    int rc = detached != NULL ? vbsig_xml_verify_detached(ctx, out->data, out->len, detached->data, detached->len,
                                                          detached->name, &r)
                              : vbsig_xml_verify(ctx, out->data, out->len, &r);
    for (size_t i = 0; rc == VBSIG_OK && i < vbsig_report_signature_count(r); i++) {
        const char *sub = vbsig_report_signature_subindication(r, i);
        /* A detached signature's data may not be at hand: only a broken
         * digest or value is the insertion's fault. */
        if (vbsig_report_signature_indication(r, i) == VBSIG_TOTAL_FAILED && sub != NULL &&
            (strcmp(sub, "HASH_FAILURE") == 0 || strcmp(sub, "SIG_CRYPTO_FAILURE") == 0))
            rc = vbsig_fail(VBSIG_E_INTERNAL, _("signature %zu of the extended document does not verify"), i + 1);
    }
    vbsig_report_free(r);
    return rc;
}

/* The data given for a detached signature must be what it signed: an
 * archive timestamp over other bytes would prove nothing. */
static int check_detached_data(vbsig_ctx *ctx, const vbsig_xml_detached *detached, const uint8_t *doc, size_t len)
{
    vbsig_report *r = NULL;
    int rc = vbsig_xml_verify_detached(ctx, doc, len, detached->data, detached->len, detached->name, &r);
    for (size_t i = 0; rc == VBSIG_OK && i < vbsig_report_signature_count(r); i++) {
        const char *sub = vbsig_report_signature_subindication(r, i);
        if (sub != NULL && strcmp(sub, "HASH_FAILURE") == 0)
            rc = vbsig_fail(VBSIG_E_REFUSED, _("%s does not match the data signature %zu signed"), detached->name, i + 1);
    }
    vbsig_report_free(r);
    return rc;
}

static int extend(vbsig_ctx *ctx, vbsig_level level, const vbsig_tsp_opts *tsp, const vbsig_xml_detached *detached,
                  const uint8_t *doc, size_t len, vbsig_buf *out)
{
    ctx->level_warning[0] = '\0';
    out->data = NULL;
    out->len = 0;
    int rc = vbsig_lt_check_target(level, tsp);
    if (rc != VBSIG_OK)
        return rc;
    if (detached != NULL && (rc = check_detached_data(ctx, detached, doc != NULL ? doc : (const uint8_t *)"", len)) != VBSIG_OK)
        return rc;
    if (level == VBSIG_LEVEL_B_LTA && (rc = vbsig_tsp_opts_check(tsp)) != VBSIG_OK)
        return rc;
    vbsig_bytes lt, lta;
    vbsig_bytes_init(&lta);
    rc = extend_pass(ctx, tsp, 0, detached, doc != NULL ? doc : (const uint8_t *)"", len, &lt);
    if (rc == VBSIG_OK && level == VBSIG_LEVEL_B_LTA) {
        rc = extend_pass(ctx, tsp, 1, detached, lt.data, lt.len, &lta);
        if (rc == VBSIG_OK) {
            vbsig_bytes_free(&lt);
            lt = lta;
            vbsig_bytes_init(&lta);
        }
    }
    if (rc == VBSIG_OK)
        rc = check_result(ctx, detached, &lt);
    if (rc == VBSIG_OK)
        vbsig_bytes_to_buf(&lt, out);
    vbsig_bytes_free(&lt);
    vbsig_bytes_free(&lta);
    return rc;
}

void vbsig_xml_extend_opts_init(vbsig_xml_extend_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_XML_EXTEND_OPTS_VERSION;
    opts->level = VBSIG_LEVEL_B_LT;
}

int vbsig_xml_extend(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts, const uint8_t *doc, size_t len, vbsig_buf *out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_XML_EXTEND_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s needs options set up with %s"), __func__, "vbsig_xml_extend_opts_init");
    VBSIG_REQUIRE_BYTES(doc, len, "doc");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (ctx == NULL || out == NULL || (doc == NULL && len != 0))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_extend needs a context, a document and an output"));
    return extend(ctx, opts->level, opts->tsp, NULL, doc, len, out);
}

int vbsig_xml_extend_detached(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts, const uint8_t *sig, size_t sig_len,
                              const uint8_t *data, size_t data_len, const char *data_name, vbsig_buf *out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_XML_EXTEND_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s needs options set up with %s"), __func__, "vbsig_xml_extend_opts_init");
    VBSIG_REQUIRE_BYTES(sig, sig_len, "sig");
    VBSIG_REQUIRE_BYTES(data, data_len, "data");
    VBSIG_REQUIRE(data_name, "data_name");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (ctx == NULL || out == NULL || (sig == NULL && sig_len != 0) || (data == NULL && data_len != 0) ||
        data_name == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("vbsig_xml_extend_detached needs a context, a signature, the data, its name and an output"));
    vbsig_xml_detached detached = {data != NULL ? data : (const uint8_t *)"", data_len, data_name, 0};
    return extend(ctx, opts->level, opts->tsp, &detached, sig, sig_len, out);
}

int vbsig_xml_extend_file(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts, const char *in_path, const char *out_path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_XML_EXTEND_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s needs options set up with %s"), __func__, "vbsig_xml_extend_opts_init");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    vbsig_i18n_ensure();
    if (ctx == NULL || in_path == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_extend_file needs a context and two paths"));
    vbsig_file_map in;
    int rc = vbsig_file_map_open(&in, in_path, XML_MAX_EXTEND_INPUT);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_buf out = {0};
    rc = vbsig_xml_extend(ctx, opts, in.data, in.len, &out);
    vbsig_file_map_close(&in);
    if (rc == VBSIG_OK)
        rc = vbsig_write_file_atomic(out_path, out.data, out.len);
    vbsig_buf_free(&out);
    return rc;
}

int vbsig_xml_extend_detached_file(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts, const char *sig_path,
                                   const char *data_path, const char *out_path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_XML_EXTEND_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s needs options set up with %s"), __func__, "vbsig_xml_extend_opts_init");
    VBSIG_REQUIRE(sig_path, "sig_path");
    VBSIG_REQUIRE(data_path, "data_path");
    VBSIG_REQUIRE(out_path, "out_path");
    vbsig_i18n_ensure();
    if (ctx == NULL || sig_path == NULL || data_path == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_extend_detached_file needs a context and three paths"));
    vbsig_file_map in, data;
    int rc = vbsig_file_map_open(&in, sig_path, XML_MAX_EXTEND_INPUT);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_file_map_open(&data, data_path, vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE));
    if (rc != VBSIG_OK) {
        vbsig_file_map_close(&in);
        return rc;
    }
    const char *slash = strrchr(data_path, '/');
    vbsig_buf out = {0};
    rc = vbsig_xml_extend_detached(ctx, opts, in.data, in.len, data.data, data.len,
                                   slash != NULL ? slash + 1 : data_path, &out);
    vbsig_file_map_close(&data);
    vbsig_file_map_close(&in);
    if (rc == VBSIG_OK)
        rc = vbsig_write_file_atomic(out_path, out.data, out.len);
    vbsig_buf_free(&out);
    return rc;
}
