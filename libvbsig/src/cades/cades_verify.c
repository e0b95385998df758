/* CAdES / CMS verification: every SignerInfo gets a report entry with the
 * ETSI indication of what was found. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/rsa.h>

#include "cades/cades_lt.h"
#include "cades/cades.h"
#include "crypto/crypto.h"
#include "util/util.h"
#include "validate/rev.h"
#include "validate/validate.h"

typedef struct verify_input {
    vbsig_ctx *ctx;
    CMS_ContentInfo *cms;
    STACK_OF(X509) *certs;
    const uint8_t *data;     /* NULL when the signed data is not available */
    size_t data_len;
    const vbsig_cms_range *ranges; /* instead of data: the content in pieces (PAdES) */
    size_t range_count;
} verify_input;

/* The content digest, over data or over the ranges streamed in turn (no
 * copy of a large file is ever made). */
static int digest_content(const verify_input *in, const EVP_MD *md, uint8_t *digest, unsigned *digest_len)
{
    if (in->ranges == NULL)
        return vbsig_digest_bytes_md(md, in->data, in->data_len, digest, digest_len);
    return vbsig_cms_digest_ranges(md, in->ranges, in->range_count, digest, digest_len);
}

static X509 *find_signer_cert(CMS_SignerInfo *si, STACK_OF(X509) *certs)
{
    for (int i = 0; i < sk_X509_num(certs); i++)
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
            return sk_X509_value(certs, i);
    return NULL;
}

/* The one value of a single-valued signed attribute; NULL if absent. Sets
 * *dup when the attribute occurs more than once (a format failure). */
static ASN1_TYPE *signed_attr_value(CMS_SignerInfo *si, int nid, int *dup)
{
    int at = CMS_signed_get_attr_by_NID(si, nid, -1);
    if (at < 0)
        return NULL;
    if (CMS_signed_get_attr_by_NID(si, nid, at) >= 0)
        *dup = 1;
    X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, at);
    if (X509_ATTRIBUTE_count(attr) != 1)
        *dup = 1;
    return X509_ATTRIBUTE_get0_type(attr, 0);
}

static time_t asn1_time_to_time(const ASN1_TIME *t)
{
    struct tm tm;
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
        return 0;
    return timegm(&tm);
}

/* ESS signing-certificate(-v2): binds the signature to one certificate so
 * a different certificate with the same key cannot be substituted. */
static int check_ess_binding(CMS_SignerInfo *si, X509 *cert, vbsig_sig_entry *e, int *has_v2)
{
    int dup = 0;
    ASN1_TYPE *v2 = signed_attr_value(si, NID_id_smime_aa_signingCertificateV2, &dup);
    ASN1_TYPE *v1 = signed_attr_value(si, NID_id_smime_aa_signingCertificate, &dup);
    *has_v2 = v2 != NULL;
    if (v1 == NULL && v2 == NULL)
        return 0;
    int ok = !dup && vbsig_cms_ess_matches(v1, v2, cert);
    if (!ok) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND");
        vbsig_entry_note(e, _("the signing-certificate attribute does not identify the certificate that verifies the signature"));
        return 0;
    }
    if (v2 == NULL) {
        e->weak = 1;
        vbsig_entry_note(e, _("weak algorithm: the signer certificate is identified by a SHA-1 hash (signing-certificate v1)"));
    }
    return 1;
}

/* Signature without signed attributes (old PKCS#7): the key signs the
 * content digest directly. */
static int verify_without_attrs(CMS_SignerInfo *si, X509 *cert, const EVP_MD *md,
                                const uint8_t *digest, unsigned digest_len)
{
    X509_ALGOR *sigalg = NULL;
    CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &sigalg);
    if (sigalg != NULL && OBJ_obj2nid(sigalg->algorithm) == NID_rsassaPss)
        return 0; /* PSS without signed attributes is not a combination the field uses */
    ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, X509_get0_pubkey(cert), NULL);
    int ok = pctx != NULL && EVP_PKEY_verify_init(pctx) > 0 &&
             EVP_PKEY_CTX_set_signature_md(pctx, md) > 0 &&
             EVP_PKEY_verify(pctx, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig),
                             digest, digest_len) == 1;
    EVP_PKEY_CTX_free(pctx);
    ERR_clear_error();
    return ok;
}

static void verify_signer_info(const verify_input *in, CMS_SignerInfo *si, vbsig_sig_entry *e)
{
    e->whole_document = 1;
    const ASN1_OCTET_STRING *sigval = CMS_SignerInfo_get0_signature(si);
    if (sigval != NULL)
        vbsig_entry_set_signature_value(e, ASN1_STRING_get0_data(sigval), (size_t)ASN1_STRING_length(sigval));
    X509_ALGOR *digalg = NULL;
    CMS_SignerInfo_get0_algs(si, NULL, NULL, &digalg, NULL);
    int md_nid = digalg != NULL ? OBJ_obj2nid(digalg->algorithm) : NID_undef;
    vbsig_digest_alg alg = vbsig_digest_from_nid(md_nid);
    X509 *cert = find_signer_cert(si, in->certs);
    if (cert != NULL)
        vbsig_entry_set_signer(e, cert);
    if (alg == 0) {
        char oid[80] = "?";
        if (digalg != NULL)
            OBJ_obj2txt(oid, sizeof oid, digalg->algorithm, 1);
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
        vbsig_entry_note(e, _("the digest algorithm %s is not accepted (MD5 and unknown algorithms are refused)"), oid);
        return;
    }
    e->digest_algorithm = vbsig_digest_label(alg);
    if (alg == VBSIG_DIGEST_SHA1) {
        e->weak = 1;
        vbsig_entry_note(e, _("weak algorithm: SHA-1 is no longer allowed for signatures; accepted only for an old document"));
    }
    if (in->data == NULL && in->ranges == NULL) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "SIGNED_DATA_NOT_FOUND");
        vbsig_entry_note(e, _("the signature is detached and the signed data was not given (--data)"));
        return;
    }
    const EVP_MD *md = vbsig_digest_md(alg);
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned digest_len = 0;
    if (digest_content(in, md, digest, &digest_len) != VBSIG_OK) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
        vbsig_entry_note(e, "%s", vbsig_last_error());
        return;
    }
    int has_attrs = CMS_signed_get_attr_count(si) > 0;
    int dup = 0;
    if (has_attrs) {
        ASN1_TYPE *mdv = signed_attr_value(si, NID_pkcs9_messageDigest, &dup);
        ASN1_TYPE *ctype = signed_attr_value(si, NID_pkcs9_contentType, &dup);
        if (dup || mdv == NULL || mdv->type != V_ASN1_OCTET_STRING || ctype == NULL ||
            ctype->type != V_ASN1_OBJECT ||
            OBJ_cmp(ctype->value.object, CMS_get0_eContentType(in->cms)) != 0) {
            vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
            vbsig_entry_note(e, _("the signed attributes are malformed: message-digest and content-type must each appear once and match the content"));
            return;
        }
        ASN1_TYPE *st = signed_attr_value(si, NID_pkcs9_signingTime, &dup);
        if (st != NULL && (st->type == V_ASN1_UTCTIME || st->type == V_ASN1_GENERALIZEDTIME))
            e->claimed_signing_time = asn1_time_to_time(st->value.utctime);
        /* The level is what the signature is built as; whether it holds is
         * the indication's business. */
        if (e->claimed_signing_time != 0 &&
            (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0 ||
             CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificate, -1) >= 0))
            e->level = "B-B";
        if ((unsigned)mdv->value.octet_string->length != digest_len ||
            memcmp(mdv->value.octet_string->data, digest, digest_len) != 0) {
            vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "HASH_FAILURE");
            vbsig_entry_note(e, _("the signed data has been changed: its digest does not match the one that was signed"));
            return;
        }
    }
    if (cert == NULL) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND");
        vbsig_entry_note(e, _("the signer's certificate is not in the signature"));
        return;
    }
    int sig_ok;
    if (has_attrs) {
        CMS_SignerInfo_set1_signer_cert(si, cert);
        sig_ok = CMS_SignerInfo_verify(si) == 1;
        ERR_clear_error();
    } else {
        sig_ok = verify_without_attrs(si, cert, md, digest, digest_len);
    }
    if (!sig_ok) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "SIG_CRYPTO_FAILURE");
        vbsig_entry_note(e, _("the signature value does not verify with the signer's public key"));
        return;
    }
    int has_v2 = 0;
    int bound = has_attrs && check_ess_binding(si, cert, e, &has_v2);
    if (!has_attrs)
        vbsig_entry_note(e, _("plain PKCS#7 signature without signed attributes: not a CAdES baseline signature"));
    else if (!bound && e->indication == VBSIG_TOTAL_PASSED)
        vbsig_entry_note(e, _("no signing-certificate attribute: a plain CMS signature, not a CAdES baseline signature"));
    vbsig_cades_check_timestamps(in->ctx, si, e);
    /* Only a timestamp proves when the signature existed; the claimed
     * signing time does not (ETSI EN 319 102-1). */
    time_t at = vbsig_validation_time_for(in->ctx, e);
    vbsig_path_validate(in->ctx, cert, in->certs, at, e);
    vbsig_revocation_assess(in->ctx, cert, in->certs, e);
}

/* The certificates the signature carries (possibly none), within the
 * context's limit; on an error *out is NULL. */
static int carried_certs(vbsig_ctx *ctx, CMS_ContentInfo *cms, STACK_OF(X509) **out)
{
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    if (certs == NULL)
        certs = sk_X509_new_null();
    *out = NULL;
    if (certs == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    if ((uint64_t)sk_X509_num(certs) > ctx->limits[VBSIG_LIMIT_CERTS]) {
        int rc = vbsig_fail(VBSIG_E_LIMIT, _("the signature carries %d certificates, more than the limit of %llu"),
                            sk_X509_num(certs), (unsigned long long)ctx->limits[VBSIG_LIMIT_CERTS]);
        sk_X509_pop_free(certs, X509_free);
        return rc;
    }
    *out = certs;
    return VBSIG_OK;
}

static int verify_cms(vbsig_ctx *ctx, CMS_ContentInfo *cms, const uint8_t *data, size_t data_len,
                      vbsig_report *r)
{
    verify_input in = {ctx, cms, NULL, data, data_len, NULL, 0};
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    int attached = content != NULL && *content != NULL;
    if (attached) {
        in.data = ASN1_STRING_get0_data(*content);
        in.data_len = (size_t)ASN1_STRING_length(*content);
    }
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    int count = sis != NULL ? sk_CMS_SignerInfo_num(sis) : 0;
    if ((uint64_t)count > ctx->limits[VBSIG_LIMIT_SIGNERS])
        return vbsig_fail(VBSIG_E_LIMIT, _("the signature holds %d signers, more than the limit of %llu"), count,
                          (unsigned long long)ctx->limits[VBSIG_LIMIT_SIGNERS]);
    int rc = carried_certs(ctx, cms, &in.certs);
    if (rc == VBSIG_E_NOMEM)
        return rc;
    /* B-LT / B-LTA: the revocation values the signature carries are
     * consulted before any cache or network (cades_lt.c, cades_ats.c). */
    unsigned char *der = NULL;
    int der_len = rc == VBSIG_OK && vbsig_cades_has_lt_parts(cms) ? i2d_CMS_ContentInfo(cms, &der) : 0;
    vbsig_lt_data lt;
    vbsig_lt_data_init(&lt);
    struct vbsig_rev_embedded emb;
    if (der_len > 0 && rc == VBSIG_OK)
        rc = vbsig_cades_lt_load(der, (size_t)der_len, &lt);
    vbsig_lt_embed_begin(ctx, &lt, &emb);
    for (int i = 0; rc == VBSIG_OK && i < count; i++) {
        vbsig_sig_entry *e = NULL;
        rc = vbsig_report_add_entry(r, &e);
        if (rc != VBSIG_OK)
            break;
        char id[32];
        snprintf(id, sizeof id, "SignerInfo-%d", i + 1);
        vbsig_entry_set_id(e, id);
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, i);
        verify_signer_info(&in, si, e);
        /* --data with an attached signature: the file must be the content
         * (one rule for every format: data that does not fit fails). */
        if (attached && data != NULL && (data_len != in.data_len || memcmp(data, in.data, data_len) != 0)) {
            vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "HASH_FAILURE");
            vbsig_entry_note(e, _("the given file is not the signed content: the signature carries its own data, and the file differs from it"));
        } else if (attached && data != NULL) {
            vbsig_entry_note(e, _("the signature carries its own data; the data file given was not used"));
        }
        if (e->level != NULL && strcmp(e->level, "B-T") == 0 && vbsig_lt_evidence_embedded(e, &lt))
            e->level = "B-LT";
        ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
        if (der_len > 0 && e->indication != VBSIG_TOTAL_FAILED)
            vbsig_cades_ats_check(ctx, der, (size_t)der_len, ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv),
                                  attached ? NULL : data, data_len, e);
    }
    vbsig_lt_embed_end(ctx);
    vbsig_lt_data_free(&lt);
    OPENSSL_free(der);
    ERR_clear_error();
    sk_X509_pop_free(in.certs, X509_free);
    return rc;
}

int vbsig_cades_verify_one(vbsig_ctx *ctx, CMS_ContentInfo *cms, const vbsig_cms_range *ranges, size_t range_count,
                         vbsig_sig_entry *e)
{
    verify_input in = {ctx, cms, NULL, NULL, 0, ranges, range_count};
    if (ranges == NULL) {
        ASN1_OCTET_STRING **content = CMS_get0_content(cms);
        if (content != NULL && *content != NULL) {
            in.data = ASN1_STRING_get0_data(*content);
            in.data_len = (size_t)ASN1_STRING_length(*content);
        }
    }
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    if (sis == NULL || sk_CMS_SignerInfo_num(sis) != 1) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
        vbsig_entry_note(e, _("the signature must hold exactly one SignerInfo, it holds %d"),
                         sis != NULL ? sk_CMS_SignerInfo_num(sis) : 0);
        return VBSIG_OK;
    }
    int rc = carried_certs(ctx, cms, &in.certs);
    if (rc == VBSIG_OK)
        verify_signer_info(&in, sk_CMS_SignerInfo_value(sis, 0), e);
    sk_X509_pop_free(in.certs, X509_free);
    ERR_clear_error();
    return rc;
}

static int verify_named(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len, const uint8_t *data,
                        size_t data_len, const char *what, vbsig_report **out)
{
    *out = NULL;
    if (ctx == NULL || (sig == NULL && sig_len != 0))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_cades_verify needs a context and a signature"));
    if (sig == NULL)
        sig = (const uint8_t *)""; /* an empty file maps to no memory at all */
    if ((uint64_t)sig_len > ctx->limits[VBSIG_LIMIT_DER_LENGTH])
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the signature has %zu bytes, more than the limit of %llu"), what,
                          sig_len, (unsigned long long)ctx->limits[VBSIG_LIMIT_DER_LENGTH]);
    CMS_ContentInfo *cms = NULL;
    int rc = vbsig_cms_parse(sig, sig_len, 0, (unsigned)ctx->limits[VBSIG_LIMIT_DER_DEPTH], what, &cms);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_report *r = NULL;
    rc = vbsig_report_create("cades", &r);
    if (rc == VBSIG_OK)
        rc = verify_cms(ctx, cms, data, data_len, r);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    if (rc != VBSIG_OK) {
        vbsig_report_free(r);
        return rc;
    }
    *out = r;
    return VBSIG_OK;
}

int vbsig_cades_verify(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len,
                       const uint8_t *data, size_t data_len, vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE_BYTES(sig, sig_len, "sig");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    return verify_named(ctx, sig, sig_len, data, data_len, _("signature"), out);
}

int vbsig_cades_verify_file(vbsig_ctx *ctx, const char *sig_path, const char *data_path,
                            vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(sig_path, "sig_path");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    *out = NULL;
    if (ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_cades_verify_file needs a context"));
    vbsig_file_map sig, data = {0};
    int rc = vbsig_file_map_open(&sig, sig_path, ctx->limits[VBSIG_LIMIT_INPUT_SIZE]);
    if (rc != VBSIG_OK)
        return rc;
    if (data_path != NULL)
        rc = vbsig_file_map_open(&data, data_path, ctx->limits[VBSIG_LIMIT_INPUT_SIZE]);
    if (rc == VBSIG_OK) {
        /* An empty data file is still data: point at a valid empty range. */
        const uint8_t *d = data_path != NULL ? (data.data != NULL ? data.data : (const uint8_t *)"") : NULL;
        rc = verify_named(ctx, sig.data, sig.len, d, data.len, sig_path, out);
        vbsig_file_map_close(&data);
    }
    vbsig_file_map_close(&sig);
    if (rc == VBSIG_OK)
        vbsig_report_set_file(*out, sig_path);
    return rc;
}
