/* CAdES-T: the signature timestamp (ETSI EN 319 122-1 §5.3), an unsigned
 * attribute holding an RFC 3161 token over the SignerInfo's signature
 * value. Adding one to a signature, and judging the ones a signature has. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "cades/cades.h"
#include "crypto/crypto.h"
#include "tsp/tsp.h"
#include "util/util.h"
#include "validate/validate.h"

/* More signature timestamps on one signer than this are not examined. */
#define MAX_TIMESTAMPS_PER_SIGNER 16

static int signature_value_digest(CMS_SignerInfo *si, vbsig_digest_alg alg, uint8_t *out, size_t *out_len)
{
    ASN1_OCTET_STRING *value = CMS_SignerInfo_get0_signature(si);
    return vbsig_digest_bytes(alg, ASN1_STRING_get0_data(value), (size_t)ASN1_STRING_length(value), out, out_len);
}

static X509 *signer_cert(CMS_SignerInfo *si, STACK_OF(X509) *certs)
{
    for (int i = 0; i < sk_X509_num(certs); i++)
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
            return sk_X509_value(certs, i);
    return NULL;
}

/* Whether each SignerInfo's signed attributes still verify with its
 * certificate. Signers without signed attributes or without a certificate
 * in the signature cannot be checked here and are let through. */
static int signatures_verify(CMS_ContentInfo *cms, int *bad_index)
{
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    int ok = 1;
    for (int i = 0; ok && i < sk_CMS_SignerInfo_num(sis); i++) {
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, i);
        X509 *cert = signer_cert(si, certs);
        if (cert == NULL || CMS_signed_get_attr_count(si) <= 0)
            continue;
        CMS_SignerInfo_set1_signer_cert(si, cert);
        ok = CMS_SignerInfo_verify(si) == 1;
        *bad_index = i + 1;
    }
    sk_X509_pop_free(certs, X509_free);
    ERR_clear_error();
    return ok;
}

static int timestamp_signer(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, CMS_SignerInfo *si)
{
    uint8_t digest[EVP_MAX_MD_SIZE];
    size_t dlen = 0;
    int rc = signature_value_digest(si, tsp->digest, digest, &dlen);
    vbsig_buf token = {0};
    if (rc == VBSIG_OK)
        rc = vbsig_tsp_timestamp_digest(ctx, tsp, tsp->digest, digest, dlen, &token);
    if (rc != VBSIG_OK)
        return rc;
    /* A SEQUENCE-typed attribute value holds its complete encoding. */
    if (token.len > INT32_MAX ||
        !CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data, (int)token.len))
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("adding the signature timestamp attribute failed"));
    vbsig_buf_free(&token);
    return rc;
}

int vbsig_cades_add_timestamp(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const uint8_t *sig, size_t sig_len,
                              vbsig_buf *out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(tsp, "tsp");
    VBSIG_REQUIRE_BYTES(sig, sig_len, "sig");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (ctx == NULL || out == NULL || (sig == NULL && sig_len != 0))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_cades_add_timestamp needs a context, a signature and an output"));
    out->data = NULL;
    out->len = 0;
    int rc = vbsig_tsp_opts_check(tsp);
    if (rc != VBSIG_OK)
        return rc;
    CMS_ContentInfo *cms = NULL;
    rc = vbsig_cms_parse(sig != NULL ? sig : (const uint8_t *)"", sig_len, 0,
                         (unsigned)ctx->limits[VBSIG_LIMIT_DER_DEPTH], _("signature"), &cms);
    if (rc != VBSIG_OK)
        return rc;
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    int count = sis != NULL ? sk_CMS_SignerInfo_num(sis) : 0;
    int bad = 0;
    if (count == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("the signature has no signer to timestamp"));
    else if ((uint64_t)count > ctx->limits[VBSIG_LIMIT_SIGNERS])
        rc = vbsig_fail(VBSIG_E_LIMIT, _("the signature holds %d signers, more than the limit of %llu"), count,
                        (unsigned long long)ctx->limits[VBSIG_LIMIT_SIGNERS]);
    else if (!signatures_verify(cms, &bad))
        rc = vbsig_fail(VBSIG_E_REFUSED, _("signer %d: the signature value does not verify; a timestamp would prove nothing"), bad);
    for (int i = 0; rc == VBSIG_OK && i < count; i++)
        rc = timestamp_signer(ctx, tsp, sk_CMS_SignerInfo_value(sis, i));
    unsigned char *der = NULL;
    int n = 0;
    if (rc == VBSIG_OK && (n = i2d_CMS_ContentInfo(cms, &der)) <= 0)
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("encoding the timestamped signature failed"));
    CMS_ContentInfo_free(cms);
    cms = NULL;
    /* The re-encoded signature must still verify: an encoder that changed a
     * signed byte would otherwise ship a broken signature. */
    if (rc == VBSIG_OK) {
        const unsigned char *q = der;
        cms = d2i_CMS_ContentInfo(NULL, &q, n);
        if (cms == NULL || !signatures_verify(cms, &bad))
            rc = vbsig_fail(VBSIG_E_INTERNAL, _("the timestamped signature no longer verifies"));
    }
    if (rc == VBSIG_OK && (out->data = malloc((size_t)n)) == NULL)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (rc == VBSIG_OK) {
        memcpy(out->data, der, (size_t)n);
        out->len = (size_t)n;
    }
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}

int vbsig_cades_add_timestamp_file(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const char *in_path,
                                   const char *out_path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(tsp, "tsp");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    vbsig_i18n_ensure();
    if (ctx == NULL || in_path == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_cades_add_timestamp_file needs a context and two paths"));
    int rc = vbsig_tsp_opts_check(tsp);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_file_map in;
    rc = vbsig_file_map_open(&in, in_path, ctx->limits[VBSIG_LIMIT_INPUT_SIZE]);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_buf out = {0};
    rc = vbsig_cades_add_timestamp(ctx, tsp, in.data, in.len, &out);
    vbsig_file_map_close(&in);
    if (rc == VBSIG_OK)
        rc = vbsig_write_file_atomic(out_path, out.data, out.len);
    vbsig_buf_free(&out);
    return rc;
}

/* ---- verification ---- */

static void judge_token(vbsig_ctx *ctx, CMS_SignerInfo *si, const ASN1_TYPE *value, vbsig_tsp_result *res)
{
    memset(res, 0, sizeof *res);
    vbsig_digest_alg alg = 0;
    uint8_t digest[EVP_MAX_MD_SIZE];
    size_t dlen = 0;
    if (value->type != V_ASN1_SEQUENCE) {
        res->indication = VBSIG_TOTAL_FAILED;
        res->subindication = "FORMAT_FAILURE";
        snprintf(res->message, sizeof res->message, "%s", _("the signature timestamp attribute does not hold a token"));
        return;
    }
    const uint8_t *token = value->value.sequence->data;
    size_t len = (size_t)value->value.sequence->length;
    /* The imprint's own algorithm decides how the signature value is
     * hashed; a token the algorithm cannot be read from fails below. */
    if (vbsig_tsp_token_digest_alg(token, len, &alg) != VBSIG_OK || signature_value_digest(si, alg, digest, &dlen) != VBSIG_OK)
        alg = VBSIG_DIGEST_SHA256, dlen = 0;
    vbsig_tsp_token_check(ctx, token, len, alg, digest, dlen, VBSIG_TSP_CHECK_FULL, res);
}

/* One judging loop for every format: tsp/tsp_tally.c. */
void vbsig_cades_check_timestamps(vbsig_ctx *ctx, CMS_SignerInfo *si, vbsig_sig_entry *e)
{
    vbsig_tsp_tally tally;
    memset(&tally, 0, sizeof tally);
    for (int at = -1; tally.seen < MAX_TIMESTAMPS_PER_SIGNER &&
                      (at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, at)) >= 0;) {
        X509_ATTRIBUTE *attr = CMS_unsigned_get_attr(si, at);
        for (int j = 0; j < X509_ATTRIBUTE_count(attr) && tally.seen < MAX_TIMESTAMPS_PER_SIGNER; j++) {
            vbsig_tsp_result res;
            judge_token(ctx, si, X509_ATTRIBUTE_get0_type(attr, j), &res);
            vbsig_tsp_tally_add(&tally, e, &res);
        }
    }
    ERR_clear_error();
    vbsig_tsp_tally_finish(&tally, e);
}
