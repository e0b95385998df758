/* XAdES B-LTA: what an xadesv141:ArchiveTimeStamp covers (see xml_lt.h for
 * the exact list) and checking the ones a signature carries; and reading
 * the long-term values (CertificateValues, RevocationValues) for
 * verification. */
#include <string.h>

#include <libxml/c14n.h>
#include <openssl/err.h>

#include "xml_lt.h"
#include "crypto/crypto.h"
#include "tsp/tsp.h"
#include "validate/validate.h"

#define MAX_ARCHIVE_TIMESTAMPS 16
/* Certificates taken from CertificateValues into the path-building pool. */
#define XML_MAX_LT_CERTS 1024

xmlNodePtr vbsig_xml_usp(xmlNodePtr qualifying)
{
    xmlNodePtr up = qualifying != NULL ? vbsig_xml_only_child(qualifying, VBSIG_NS_XADES, "UnsignedProperties", NULL) : NULL;
    return up != NULL ? vbsig_xml_only_child(up, VBSIG_NS_XADES, "UnsignedSignatureProperties", NULL) : NULL;
}

/* One Reference's output octets into md (step 1). */
static int reference_octets(const vbsig_xml_doc *d, xmlNodePtr sig, xmlNodePtr ref, const vbsig_xml_detached *detached,
                            EVP_MD_CTX *md)
{
    char *uri = vbsig_xml_attr(ref, "URI");
    xmlNodePtr top = NULL, exclude = NULL;
    int external = 0, rc = VBSIG_OK;
    if (uri == NULL)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("a Reference has no URI attribute"));
    else if (uri[0] == '\0')
        top = (xmlNodePtr)d->doc;
    else if (uri[0] == '#' && strncmp(uri, "#xpointer(", 10) != 0)
        top = vbsig_xml_id_lookup(d, uri + 1);
    else if (detached != NULL && vbsig_xml_uri_names_file(uri, detached->name))
        external = 1;
    else
        rc = vbsig_fail(VBSIG_E_UNSUPPORTED, _("reference URI '%s' cannot be archived: its data is not at hand"), uri);
    if (rc == VBSIG_OK && !external && top == NULL)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("reference URI '%s' names no registered ID"), uri);
    free(uri);
    if (rc != VBSIG_OK)
        return rc;
    if (external)
        return EVP_DigestUpdate(md, detached->data, detached->len) ? VBSIG_OK
                                                                   : vbsig_fail_ssl(VBSIG_E_CRYPTO, _("hashing failed"));
    vbsig_c14n_alg c14n = {XML_C14N_1_0, 0};
    char **prefixes = NULL;
    xmlNodePtr ts = vbsig_xml_elem(ref->children);
    if (vbsig_xml_is(ts, VBSIG_NS_DS, "Transforms")) {
        for (xmlNodePtr t = vbsig_xml_elem(ts->children); rc == VBSIG_OK && t != NULL; t = vbsig_xml_elem(t->next)) {
            char *alg = vbsig_xml_attr(t, "Algorithm");
            if (alg != NULL && strcmp(alg, VBSIG_XML_ENVELOPED_URI) == 0)
                exclude = sig;
            else if (prefixes == NULL && vbsig_xml_read_c14n(t, &c14n, &prefixes) == 0)
                ;
            else
                rc = vbsig_fail(VBSIG_E_UNSUPPORTED, _("transform '%s' is not allowed"), alg != NULL ? alg : "?");
            free(alg);
        }
    }
    c14n.with_comments = 0;
    if (rc == VBSIG_OK)
        rc = vbsig_xml_c14n_digest(d->doc, top, exclude, &c14n, prefixes, md);
    vbsig_xml_prefixes_free(prefixes);
    return rc;
}

int vbsig_xml_archive_digest(const vbsig_xml_doc *d, xmlNodePtr sig, xmlNodePtr qualifying, xmlNodePtr stop,
                             const vbsig_xml_detached *detached, const vbsig_c14n_alg *c14n, vbsig_digest_alg alg,
                             uint8_t *out, size_t *out_len)
{
    const EVP_MD *mdt = vbsig_digest_md(alg);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (mdt == NULL || md == NULL || !EVP_DigestInit_ex(md, mdt, NULL)) {
        EVP_MD_CTX_free(md);
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("hashing failed"));
    }
    xmlNodePtr si = vbsig_xml_elem(sig->children);
    xmlNodePtr sv = si != NULL ? vbsig_xml_elem(si->next) : NULL;
    xmlNodePtr ki = sv != NULL ? vbsig_xml_elem(sv->next) : NULL;
    int rc = vbsig_xml_is(si, VBSIG_NS_DS, "SignedInfo") && vbsig_xml_is(sv, VBSIG_NS_DS, "SignatureValue")
                 ? VBSIG_OK
                 : vbsig_fail(VBSIG_E_MALFORMED, _("the Signature does not start with SignedInfo, SignatureValue"));
    /* 1. the references' outputs */
    for (xmlNodePtr r = rc == VBSIG_OK ? vbsig_xml_elem(si->children) : NULL; rc == VBSIG_OK && r != NULL;
         r = vbsig_xml_elem(r->next))
        if (vbsig_xml_is(r, VBSIG_NS_DS, "Reference"))
            rc = reference_octets(d, sig, r, detached, md);
    /* 2-4. SignedInfo, SignatureValue, KeyInfo */
    if (rc == VBSIG_OK)
        rc = vbsig_xml_c14n_digest(d->doc, si, NULL, c14n, NULL, md);
    if (rc == VBSIG_OK)
        rc = vbsig_xml_c14n_digest(d->doc, sv, NULL, c14n, NULL, md);
    if (rc == VBSIG_OK && vbsig_xml_is(ki, VBSIG_NS_DS, "KeyInfo"))
        rc = vbsig_xml_c14n_digest(d->doc, ki, NULL, c14n, NULL, md);
    /* 5. the unsigned signature properties before this archive timestamp */
    xmlNodePtr usp = vbsig_xml_usp(qualifying);
    for (xmlNodePtr c = usp != NULL ? vbsig_xml_elem(usp->children) : NULL; rc == VBSIG_OK && c != NULL && c != stop;
         c = vbsig_xml_elem(c->next))
        rc = vbsig_xml_c14n_digest(d->doc, c, NULL, c14n, NULL, md);
    /* 6. the ds:Objects other than the one with QualifyingProperties */
    for (xmlNodePtr o = vbsig_xml_elem(sig->children); rc == VBSIG_OK && o != NULL; o = vbsig_xml_elem(o->next))
        if (vbsig_xml_is(o, VBSIG_NS_DS, "Object") && (qualifying == NULL || qualifying->parent != o))
            rc = vbsig_xml_c14n_digest(d->doc, o, NULL, c14n, NULL, md);
    unsigned n = 0;
    if (rc == VBSIG_OK && !EVP_DigestFinal_ex(md, out, &n))
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("hashing failed"));
    *out_len = n;
    EVP_MD_CTX_free(md);
    return rc;
}

/* ---- verification: the long-term values ---- */

static void load_values(vbsig_xml_sig *s, xmlNodePtr parent, const char *ns, const char *wrapper, const char *item,
                        int kind, vbsig_lt_data *lt)
{
    for (xmlNodePtr w = vbsig_xml_elem(parent->children); w != NULL; w = vbsig_xml_elem(w->next)) {
        if (!vbsig_xml_is(w, ns, wrapper))
            continue;
        for (xmlNodePtr c = vbsig_xml_elem(w->children); c != NULL; c = vbsig_xml_elem(c->next)) {
            if (!vbsig_xml_is(c, VBSIG_NS_XADES, item))
                continue;
            char *text = vbsig_xml_text(c);
            uint8_t *der = NULL;
            size_t len = 0;
            if (text == NULL || vbsig_base64_decode(text, strlen(text), &der, &len) != VBSIG_OK || len == 0) {
                vbsig_entry_note(s->e, _("warning: a %s of the signature is not base64 and was ignored"), item);
            } else if (kind == VBSIG_LT_CERT && sk_X509_num(s->certs) >= XML_MAX_LT_CERTS) {
                vbsig_entry_note(s->e, _("warning: the signature carries more than %d certificates; the rest were ignored"),
                                 XML_MAX_LT_CERTS);
                free(text);
                free(der);
                return;
            } else if (kind == VBSIG_LT_CERT) {
                X509 *cert = NULL;
                if (vbsig_cert_from_bytes(der, len, item, &cert) != VBSIG_OK || sk_X509_push(s->certs, cert) <= 0) {
                    X509_free(cert);
                    vbsig_error_clear();
                    vbsig_entry_note(s->e, _("warning: a %s of the signature is not a certificate and was ignored"), item);
                }
            } else if (vbsig_lt_data_add(lt, kind, der, len) != VBSIG_OK) {
                vbsig_error_clear();
            }
            free(text);
            free(der);
        }
    }
}

static void load_from(vbsig_xml_sig *s, xmlNodePtr holder, vbsig_lt_data *lt)
{
    load_values(s, holder, VBSIG_NS_XADES, "CertificateValues", "EncapsulatedX509Certificate", VBSIG_LT_CERT, lt);
    for (xmlNodePtr rv = vbsig_xml_elem(holder->children); rv != NULL; rv = vbsig_xml_elem(rv->next)) {
        if (!vbsig_xml_is(rv, VBSIG_NS_XADES, "RevocationValues"))
            continue;
        load_values(s, rv, VBSIG_NS_XADES, "CRLValues", "EncapsulatedCRLValue", VBSIG_LT_CRL, lt);
        load_values(s, rv, VBSIG_NS_XADES, "OCSPValues", "EncapsulatedOCSPValue", VBSIG_LT_OCSP, lt);
    }
}

void vbsig_xml_lt_load(vbsig_xml_sig *s, vbsig_lt_data *lt)
{
    xmlNodePtr usp = vbsig_xml_usp(s->qualifying);
    if (usp == NULL || s->certs == NULL)
        return;
    load_from(s, usp, lt);
    for (xmlNodePtr c = vbsig_xml_elem(usp->children); c != NULL; c = vbsig_xml_elem(c->next))
        if (vbsig_xml_is(c, VBSIG_NS_XADES141, "TimeStampValidationData"))
            load_from(s, c, lt);
}

/* ---- verification: archive timestamps ---- */

static void judge(vbsig_ctx *ctx, vbsig_xml_sig *s, xmlNodePtr ats, vbsig_tsp_result *res)
{
    memset(res, 0, sizeof *res);
    vbsig_c14n_alg c14n = {XML_C14N_1_0, 0};
    char **prefixes = NULL;
    int count = 0;
    xmlNodePtr cm = vbsig_xml_only_child(ats, VBSIG_NS_DS, "CanonicalizationMethod", &count);
    xmlNodePtr ets = vbsig_xml_only_child(ats, VBSIG_NS_XADES, "EncapsulatedTimeStamp", NULL);
    char *text = ets != NULL ? vbsig_xml_text(ets) : NULL;
    uint8_t *token = NULL, md[EVP_MAX_MD_SIZE];
    size_t len = 0, mdlen = 0;
    vbsig_digest_alg alg = VBSIG_DIGEST_SHA256;
    const char *bad = NULL;
    if (count > 1 || (cm != NULL && vbsig_xml_read_c14n(cm, &c14n, &prefixes) != 0) || prefixes != NULL)
        bad = _("the ArchiveTimeStamp's CanonicalizationMethod is not one C14N algorithm without a PrefixList");
    else if (text == NULL || vbsig_base64_decode(text, strlen(text), &token, &len) != VBSIG_OK || len == 0)
        bad = _("the ArchiveTimeStamp needs exactly one base64 EncapsulatedTimeStamp");
    else if (vbsig_tsp_token_digest_alg(token, len, &alg) != VBSIG_OK ||
             vbsig_xml_archive_digest(s->d, s->sig, s->qualifying, ats, s->detached, &c14n, alg, md, &mdlen) != VBSIG_OK)
        mdlen = 0;
    if (bad != NULL) {
        res->indication = VBSIG_TOTAL_FAILED;
        res->subindication = "FORMAT_FAILURE";
        snprintf(res->message, sizeof res->message, "%s", bad);
    } else if (vbsig_tsp_token_check(ctx, token, len, alg, md, mdlen, 1, res) != VBSIG_OK) {
        res->indication = VBSIG_INDETERMINATE;
        snprintf(res->message, sizeof res->message, "%s", vbsig_last_error());
    }
    free(text);
    free(token);
    vbsig_xml_prefixes_free(prefixes);
    vbsig_error_clear();
    ERR_clear_error();
}

void vbsig_xml_check_archive_timestamps(vbsig_ctx *ctx, vbsig_xml_sig *s)
{
    xmlNodePtr usp = vbsig_xml_usp(s->qualifying);
    int seen = 0, passed = 0;
    for (xmlNodePtr c = usp != NULL ? vbsig_xml_elem(usp->children) : NULL; c != NULL && seen < MAX_ARCHIVE_TIMESTAMPS;
         c = vbsig_xml_elem(c->next)) {
        if (!vbsig_xml_is(c, VBSIG_NS_XADES141, "ArchiveTimeStamp"))
            continue;
        vbsig_tsp_result res;
        judge(ctx, s, c, &res);
        vbsig_tsp_archive_record(s->e, &res);
        seen++;
        if (res.indication == VBSIG_TOTAL_PASSED) {
            passed++;
        } else {
            vbsig_entry_worsen(s->e, VBSIG_INDETERMINATE, "SIG_CONSTRAINTS_FAILURE");
            vbsig_entry_note(s->e, _("archive timestamp %d is not valid: %s — %s"), seen,
                             res.subindication != NULL ? res.subindication : "?", res.message);
        }
        vbsig_tsp_result_clear(&res);
    }
    if (passed > 0 && passed == seen && s->e->level != NULL && strcmp(s->e->level, "B-LT") == 0)
        s->e->level = "B-LTA";
}
