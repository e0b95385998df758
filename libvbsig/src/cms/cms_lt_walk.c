/* Walking a CMS signature for its long-term validation data: the signers'
 * certificate paths, then the tokens of its signature timestamps and
 * archive timestamps (v3) and their TSAs' paths. It lives in the CMS layer
 * (it reads SignerInfos and the two timestamp attribute types, which every
 * format carrying CMS shares), below cades/; validate/ keeps only the data
 * container and the per-certificate collection it calls. */
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>

#include "cms/cms_lt.h"
#include "validate/lt_collect.h"
#include "validate/validate.h"

/* A signature's timestamps are collected; a token's own timestamps are not
 * a thing the baseline profiles use. */
#define LT_MAX_DEPTH 1

static int collect_cms(vbsig_ctx *ctx, const uint8_t *der, size_t len, const char *what, vbsig_lt_data *d, int depth);

/* The tokens of the signature timestamps and archive timestamps (v3) of si. */
static int collect_timestamps(vbsig_ctx *ctx, CMS_SignerInfo *si, const char *what, vbsig_lt_data *d, int depth)
{
    int rc = VBSIG_OK;
    int n = CMS_unsigned_get_attr_count(si);
    for (int pos = 0; rc == VBSIG_OK && pos < n; pos++) {
        X509_ATTRIBUTE *a = CMS_unsigned_get_attr(si, pos);
        const ASN1_OBJECT *type = X509_ATTRIBUTE_get0_object(a);
        if (OBJ_obj2nid(type) != NID_id_smime_aa_timeStampToken &&
            !vbsig_cms_is_ats_v3(OBJ_get0_data(type), OBJ_length(type)))
            continue;
        for (int v = 0; rc == VBSIG_OK && v < X509_ATTRIBUTE_count(a); v++) {
            ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(a, v);
            if (t != NULL && t->type == V_ASN1_SEQUENCE)
                rc = collect_cms(ctx, ASN1_STRING_get0_data(t->value.sequence),
                                 (size_t)ASN1_STRING_length(t->value.sequence), what, d, depth + 1);
        }
    }
    return rc;
}

static int collect_cms(vbsig_ctx *ctx, const uint8_t *der, size_t len, const char *what, vbsig_lt_data *d, int depth)
{
    CMS_ContentInfo *cms = NULL;
    int rc = vbsig_cms_parse(der, len, 0, (unsigned)ctx->limits[VBSIG_LIMIT_DER_DEPTH], what, &cms);
    if (rc != VBSIG_OK)
        return rc;
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    int n = sis != NULL ? sk_CMS_SignerInfo_num(sis) : 0;
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    if (certs == NULL)
        certs = sk_X509_new_null();
    if (certs == NULL)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    else if (n == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the signature has no signer"), what);
    for (int i = 0; rc == VBSIG_OK && i < n; i++) {
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, i);
        X509 *signer = NULL;
        for (int c = 0; signer == NULL && c < sk_X509_num(certs); c++)
            if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, c)) == 0)
                signer = sk_X509_value(certs, c);
        if (signer == NULL)
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the signature does not carry its signer's certificate"), what);
        /* A signature's own signers must get revocation data (a TSA's
         * path may name none: the timestamp stands with a warning). */
        d->for_signer = depth == 0 && d->signature;
        if (rc == VBSIG_OK)
            rc = vbsig_lt_collect_cert(ctx, signer, certs, what, d);
        d->for_signer = 0;
        if (rc == VBSIG_OK && depth < LT_MAX_DEPTH)
            rc = collect_timestamps(ctx, si, what, d, depth);
    }
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}

/* id-aa-ets-archiveTimestampV3 (ETSI EN 319 122-1 §5.5.3), content octets. */
static const uint8_t oid_ats_v3[6] = {0x04, 0x00, 0x8D, 0x45, 0x02, 0x04};

int vbsig_cms_is_ats_v3(const uint8_t *oid, size_t len)
{
    return len == sizeof oid_ats_v3 && memcmp(oid, oid_ats_v3, len) == 0;
}

int vbsig_lt_collect_cms(vbsig_ctx *ctx, const uint8_t *der, size_t len, const char *what, vbsig_lt_data *d)
{
    return collect_cms(ctx, der, len, what, d, 0);
}

