/* CAdES B-LT (ETSI EN 319 122-1 §5.4 / §6.4): the certificate values go
 * into SignedData.certificates and the revocation values into
 * SignedData.crls — CRLs as themselves, OCSP responses as
 * OtherRevocationInfoFormat id-ri-ocsp-response (RFC 5940) — which makes
 * the SignedData version 5 (RFC 5652 §5.1). Neither field is signed, so
 * the SignedData is rebuilt from its DER with every other byte copied as
 * it is, and checked again before it is returned. B-LTA (archive timestamp
 * v3) is in cades_ats.c. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "cades/cades_lt.h"
#include "cms/cms_der_edit.h"
#include "crypto/crypto.h"
#include "tsp/tsp.h"
#include "validate/lt_collect.h"

/* Every SignerInfo with signed attributes verifies with its certificate:
 * 0, else the 1-based index of the first that does not. */
static int first_bad_signer(const uint8_t *der, size_t len)
{
    const unsigned char *q = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)len);
    if (cms == NULL || q != der + len) {
        CMS_ContentInfo_free(cms);
        ERR_clear_error();
        return 1;
    }
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    int bad = sis == NULL || sk_CMS_SignerInfo_num(sis) == 0 ? 1 : 0;
    for (int i = 0; !bad && i < sk_CMS_SignerInfo_num(sis); i++) {
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, i);
        X509 *cert = NULL;
        for (int c = 0; cert == NULL && c < sk_X509_num(certs); c++)
            if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, c)) == 0)
                cert = sk_X509_value(certs, c);
        if (cert == NULL || CMS_signed_get_attr_count(si) <= 0)
            continue;
        CMS_SignerInfo_set1_signer_cert(si, cert);
        if (CMS_SignerInfo_verify(si) != 1)
            bad = i + 1;
    }
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return bad;
}

/* 1 when every SignerInfo has a signature timestamp (B-T): B-LT builds on it. */
static int all_timestamped(const uint8_t *der, size_t len)
{
    const unsigned char *q = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)len);
    STACK_OF(CMS_SignerInfo) *sis = cms != NULL ? CMS_get0_SignerInfos(cms) : NULL;
    int ok = sis != NULL && sk_CMS_SignerInfo_num(sis) > 0;
    for (int i = 0; ok && i < sk_CMS_SignerInfo_num(sis); i++)
        ok = CMS_unsigned_get_attr_by_NID(sk_CMS_SignerInfo_value(sis, i), NID_id_smime_aa_timeStampToken, -1) >= 0;
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return ok;
}

/* The input as DER (it may come as BER or PEM). */
static int to_der(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len, vbsig_bytes *out)
{
    CMS_ContentInfo *cms = NULL;
    int rc = vbsig_cms_parse(sig, sig_len, 0, (unsigned)ctx->limits[VBSIG_LIMIT_DER_DEPTH], _("signature"), &cms);
    if (rc != VBSIG_OK)
        return rc;
    unsigned char *der = NULL;
    int n = i2d_CMS_ContentInfo(cms, &der);
    vbsig_bytes_init(out);
    if (n <= 0)
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("encoding the signature failed"));
    else
        rc = vbsig_bytes_append(out, der, (size_t)n);
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}

/* An OCSPResponse as a RevocationInfoChoice: [1] IMPLICIT
 * OtherRevocationInfoFormat { id-ri-ocsp-response, OCSPResponse }. */
static int other_ocsp(const vbsig_bytes *ocsp, vbsig_bytes *out)
{
    vbsig_bytes c;
    vbsig_bytes_init(&c);
    vbsig_bytes_init(out);
    int rc = cms_der_put(&c, 0x06, cms_oid_ri_ocsp, sizeof cms_oid_ri_ocsp);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&c, ocsp->data, ocsp->len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(out, 0xA1, c.data, c.len);
    vbsig_bytes_free(&c);
    return rc;
}

/* 1 when a RevocationInfoChoice is an id-ri-ocsp-response; *ocsp then
 * points at the OCSPResponse inside. */
static int is_other_ocsp(const cms_der_elem *choice, cms_der_elem *ocsp)
{
    cms_der_elem oid;
    if (choice->tag != 0xA1 || cms_der_read(choice->c, choice->clen, &oid) != 0 || oid.tag != 0x06 ||
        oid.clen != sizeof cms_oid_ri_ocsp || memcmp(oid.c, cms_oid_ri_ocsp, sizeof cms_oid_ri_ocsp) != 0)
        return 0;
    return cms_der_read(choice->c + oid.len, choice->clen - oid.len, ocsp) == 0 &&
           oid.len + ocsp->len == choice->clen && ocsp->tag == 0x30;
}

int vbsig_cades_lt_add_values(const uint8_t *der, size_t len, const vbsig_lt_data *d, vbsig_bytes *out)
{
    cms_signed_data sd;
    int rc = cms_der_split_signed_data(der, len, _("signature"), &sd);
    if (rc != VBSIG_OK)
        return rc;
    cms_der_list certs = {0}, crls = {0};
    vbsig_bytes certs_der, crls_der, version, sis;
    vbsig_bytes_init(&certs_der);
    vbsig_bytes_init(&crls_der);
    vbsig_bytes_init(&version);
    vbsig_bytes_init(&sis);
    if (sd.has_certs)
        rc = cms_der_list_add_all(&certs, &sd.certs);
    if (rc == VBSIG_OK && sd.has_crls)
        rc = cms_der_list_add_all(&crls, &sd.crls);
    for (size_t i = 0; rc == VBSIG_OK && i < d->count[VBSIG_LT_CERT]; i++)
        rc = cms_der_list_add(&certs, d->item[VBSIG_LT_CERT][i].data, d->item[VBSIG_LT_CERT][i].len);
    for (size_t i = 0; rc == VBSIG_OK && i < d->count[VBSIG_LT_CRL]; i++)
        rc = cms_der_list_add(&crls, d->item[VBSIG_LT_CRL][i].data, d->item[VBSIG_LT_CRL][i].len);
    for (size_t i = 0; rc == VBSIG_OK && i < d->count[VBSIG_LT_OCSP]; i++) {
        vbsig_bytes choice;
        rc = other_ocsp(&d->item[VBSIG_LT_OCSP][i], &choice);
        if (rc == VBSIG_OK)
            rc = cms_der_list_add(&crls, choice.data, choice.len);
        vbsig_bytes_free(&choice);
    }
    /* Any other revocation format makes the version 5 (RFC 5652 §5.1). */
    int other = 0;
    for (size_t i = 0; i < crls.count; i++)
        other |= crls.items[i].len > 0 && crls.items[i].data[0] == 0xA1;
    if (rc == VBSIG_OK && certs.count > 0)
        rc = cms_der_put_set(&certs_der, 0xA0, &certs);
    if (rc == VBSIG_OK && crls.count > 0)
        rc = cms_der_put_set(&crls_der, 0xA1, &crls);
    if (rc == VBSIG_OK)
        rc = other ? cms_der_put(&version, 0x02, (const uint8_t *)"\x05", 1)
                   : vbsig_bytes_append(&version, sd.version.p, sd.version.len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&sis, sd.signer_infos.p, sd.signer_infos.len);
    if (rc == VBSIG_OK)
        rc = cms_der_join_signed_data(&sd, &version, &certs_der, &crls_der, &sis, out);
    cms_der_list_free(&certs);
    cms_der_list_free(&crls);
    vbsig_bytes_free(&certs_der);
    vbsig_bytes_free(&crls_der);
    vbsig_bytes_free(&version);
    vbsig_bytes_free(&sis);
    return rc;
}

int vbsig_cades_lt_load(const uint8_t *der, size_t len, vbsig_lt_data *d)
{
    cms_signed_data sd;
    if (cms_der_split_signed_data(der, len, _("signature"), &sd) != VBSIG_OK) {
        vbsig_error_clear(); /* not DER: the signature simply carries nothing usable */
        return VBSIG_OK;
    }
    int rc = VBSIG_OK;
    for (size_t off = 0; sd.has_crls && rc == VBSIG_OK && off < sd.crls.clen;) {
        cms_der_elem choice, ocsp;
        if (cms_der_read(sd.crls.c + off, sd.crls.clen - off, &choice) != 0)
            break;
        if (choice.tag == 0x30)
            rc = vbsig_lt_data_add(d, VBSIG_LT_CRL, choice.p, choice.len);
        else if (is_other_ocsp(&choice, &ocsp))
            rc = vbsig_lt_data_add(d, VBSIG_LT_OCSP, ocsp.p, ocsp.len);
        off += choice.len;
    }
    return rc;
}

int vbsig_cades_has_lt_parts(CMS_ContentInfo *cms)
{
    /* CRLs show through CMS_get1_crls; OCSP responses (other revocation
     * formats) do not, but B-LT builds on B-T, so a signature timestamp is
     * reason enough to look at the DER. */
    STACK_OF(X509_CRL) *crls = CMS_get1_crls(cms);
    int any = crls != NULL && sk_X509_CRL_num(crls) > 0;
    sk_X509_CRL_pop_free(crls, X509_CRL_free);
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    for (int i = 0; !any && sis != NULL && i < sk_CMS_SignerInfo_num(sis); i++) {
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, i);
        for (int a = 0; !any && a < CMS_unsigned_get_attr_count(si); a++) {
            const ASN1_OBJECT *type = X509_ATTRIBUTE_get0_object(CMS_unsigned_get_attr(si, a));
            any = vbsig_cms_is_ats_v3(OBJ_get0_data(type), OBJ_length(type)) ||
                  OBJ_obj2nid(type) == NID_id_smime_aa_timeStampToken;
        }
    }
    ERR_clear_error();
    return any;
}

void vbsig_cades_extend_opts_init(vbsig_cades_extend_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_CADES_EXTEND_OPTS_VERSION;
    opts->level = VBSIG_LEVEL_B_LT;
}

int vbsig_cades_extend(vbsig_ctx *ctx, const vbsig_cades_extend_opts *opts, const uint8_t *sig, size_t sig_len,
                       vbsig_buf *out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_CADES_EXTEND_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s needs options set up with %s"), __func__, "vbsig_cades_extend_opts_init");
    VBSIG_REQUIRE_BYTES(sig, sig_len, "sig");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (ctx == NULL || out == NULL || (sig == NULL && sig_len != 0))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_cades_extend needs a context, a signature and an output"));
    out->data = NULL;
    out->len = 0;
    const vbsig_level level = opts->level;
    const vbsig_tsp_opts *tsp = opts->tsp;
    int rc = vbsig_lt_check_target(level, tsp);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_bytes der, lt;
    vbsig_bytes_init(&lt);
    rc = to_der(ctx, sig != NULL ? sig : (const uint8_t *)"", sig_len, &der);
    int bad = rc == VBSIG_OK ? first_bad_signer(der.data, der.len) : 0;
    if (bad)
        rc = vbsig_fail(VBSIG_E_REFUSED, _("signer %d: the signature value does not verify; it cannot be extended"), bad);
    /* B-LT builds on B-T: a signature without its timestamp gets one first. */
    if (rc == VBSIG_OK && !all_timestamped(der.data, der.len)) {
        if (tsp == NULL || tsp->url_count == 0) {
            rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("the signature has no signature timestamp (B-T); give --tsa URL to add one"));
        } else {
            vbsig_buf t = {0};
            rc = vbsig_cades_add_timestamp(ctx, tsp, der.data, der.len, &t);
            vbsig_bytes_free(&der);
            vbsig_bytes_init(&der);
            if (rc == VBSIG_OK)
                rc = vbsig_bytes_append(&der, t.data, t.len);
            vbsig_buf_free(&t);
        }
    }
    vbsig_lt_data d;
    vbsig_lt_data_init(&d);
    ctx->level_warning[0] = '\0';
    d.signature = 1;
    if (rc == VBSIG_OK)
        rc = vbsig_lt_collect_cms(ctx, der.data, der.len, _("signature"), &d);
    d.signature = 0; /* after the archive timestamp: its TSA only is new */
    if (rc == VBSIG_OK)
        rc = vbsig_cades_lt_add_values(der.data, der.len, &d, &lt);
    if (rc == VBSIG_OK && level == VBSIG_LEVEL_B_LTA) {
        vbsig_bytes lta;
        rc = vbsig_cades_ats_add(ctx, tsp, lt.data, lt.len, &d, &lta);
        if (rc == VBSIG_OK) {
            vbsig_bytes_free(&lt);
            lt = lta;
        }
    }
    if (rc == VBSIG_OK && (bad = first_bad_signer(lt.data, lt.len)) != 0)
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("signer %d: the extended signature no longer verifies"), bad);
    if (rc == VBSIG_OK)
        vbsig_bytes_to_buf(&lt, out);
    vbsig_lt_data_free(&d);
    vbsig_bytes_free(&lt);
    vbsig_bytes_free(&der);
    return rc;
}

int vbsig_cades_extend_file(vbsig_ctx *ctx, const vbsig_cades_extend_opts *opts, const char *in_path,
                            const char *out_path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_CADES_EXTEND_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s needs options set up with %s"), __func__, "vbsig_cades_extend_opts_init");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    vbsig_i18n_ensure();
    if (ctx == NULL || in_path == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_cades_extend_file needs a context and two paths"));
    vbsig_file_map in;
    int rc = vbsig_file_map_open(&in, in_path, ctx->limits[VBSIG_LIMIT_INPUT_SIZE]);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_buf out = {0};
    rc = vbsig_cades_extend(ctx, opts, in.data, in.len, &out);
    vbsig_file_map_close(&in);
    if (rc == VBSIG_OK)
        rc = vbsig_write_file_atomic(out_path, out.data, out.len);
    vbsig_buf_free(&out);
    return rc;
}
