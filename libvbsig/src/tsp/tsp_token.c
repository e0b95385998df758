/* Verifying a TimeStampToken (RFC 3161 §2.4.2, RFC 5816, EN 319 422):
 * the CMS signature of the TSA, the ESS binding to its certificate, the
 * certificate's fitness to timestamp, the imprint, and the chain. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "cms/cms.h"
#include "crypto/crypto.h"
#include "tsp/tsp.h"
#include "validate/validate.h"

typedef struct token_parts {
    CMS_ContentInfo *cms;
    CMS_SignerInfo *si;
    STACK_OF(X509) *certs;
    X509 *tsa_cert;                 /* owned by certs */
    TS_TST_INFO *tst;
    const unsigned char *content;   /* the DER TSTInfo, owned by cms */
    size_t content_len;
} token_parts;

static int verdict(vbsig_tsp_result *res, vbsig_indication ind, const char *sub, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records why the token does not pass; returns 0 so checks read
 *   if (...) return verdict(res, …); */
static int verdict(vbsig_tsp_result *res, vbsig_indication ind, const char *sub, const char *fmt, ...)
{
    res->indication = ind;
    res->subindication = sub;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof res->message, fmt, ap);
    va_end(ap);
    ERR_clear_error();
    return 0;
}

static time_t asn1_to_time(const ASN1_TIME *t)
{
    struct tm tm;
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
        return 0;
    return timegm(&tm);
}

static char *integer_hex(const ASN1_INTEGER *i)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(i, NULL);
    char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    char *copy = hex != NULL ? strdup(hex) : NULL;
    OPENSSL_free(hex);
    BN_free(bn);
    return copy;
}

static int read_structure(vbsig_ctx *ctx, const uint8_t *token, size_t len, token_parts *t,
                          vbsig_tsp_result *res)
{
    if (vbsig_cms_parse(token, len, 0, (unsigned)ctx->limits[VBSIG_LIMIT_DER_DEPTH], _("timestamp token"),
                        &t->cms) != VBSIG_OK)
        return verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", "%s", vbsig_last_error());
    ASN1_OCTET_STRING **content = CMS_get0_content(t->cms);
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(t->cms);
    if (OBJ_obj2nid(CMS_get0_eContentType(t->cms)) != NID_id_smime_ct_TSTInfo || content == NULL ||
        *content == NULL || sis == NULL || sk_CMS_SignerInfo_num(sis) != 1)
        return verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE",
                       _("the timestamp token is not a SignedData with one signer over a TSTInfo"));
    t->si = sk_CMS_SignerInfo_value(sis, 0);
    t->content = ASN1_STRING_get0_data(*content);
    t->content_len = (size_t)ASN1_STRING_length(*content);
    const unsigned char *q = t->content;
    t->tst = d2i_TS_TST_INFO(NULL, &q, (long)t->content_len);
    if (t->tst == NULL || q != t->content + t->content_len || TS_TST_INFO_get_version(t->tst) != 1)
        return verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("the timestamp token's TSTInfo is malformed"));
    res->gen_time = asn1_to_time(TS_TST_INFO_get_time(t->tst));
    res->serial = integer_hex(TS_TST_INFO_get_serial(t->tst));
    const ASN1_INTEGER *nonce = TS_TST_INFO_get_nonce(t->tst);
    res->nonce = nonce != NULL ? ASN1_INTEGER_dup(nonce) : NULL;
    char oid[128];
    if (OBJ_obj2txt(oid, sizeof oid, TS_TST_INFO_get_policy_id(t->tst), 1) > 0)
        res->policy = strdup(oid);
    if (res->gen_time == 0)
        return verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("the timestamp token's genTime cannot be read"));
    STACK_OF(X509_EXTENSION) *exts = TS_TST_INFO_get_exts(t->tst);
    for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++)
        if (X509_EXTENSION_get_critical(sk_X509_EXTENSION_value(exts, i)))
            return verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE",
                           _("the timestamp token has a critical extension vbsig does not know"));
    return 1;
}

static int find_tsa_cert(vbsig_ctx *ctx, token_parts *t, vbsig_tsp_result *res)
{
    t->certs = CMS_get1_certs(t->cms);
    if (t->certs == NULL)
        t->certs = sk_X509_new_null();
    if (t->certs == NULL)
        return verdict(res, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND", _("out of memory"));
    if ((uint64_t)sk_X509_num(t->certs) > ctx->limits[VBSIG_LIMIT_CERTS])
        return verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("the timestamp token carries too many certificates"));
    for (int i = 0; i < sk_X509_num(t->certs) && t->tsa_cert == NULL; i++)
        if (CMS_SignerInfo_cert_cmp(t->si, sk_X509_value(t->certs, i)) == 0)
            t->tsa_cert = sk_X509_value(t->certs, i);
    if (t->tsa_cert == NULL)
        return verdict(res, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND",
                       _("the timestamp token does not carry the TSA certificate"));
    res->tsa = vbsig_name_text(X509_get_subject_name(t->tsa_cert));
    res->tsa_not_after = asn1_to_time(X509_get0_notAfter(t->tsa_cert));
    EVP_PKEY *pub = X509_get0_pubkey(t->tsa_cert);
    if (pub != NULL && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA && EVP_PKEY_get_bits(pub) < 2048)
        res->weak = 1;
    return 1;
}

/* The one value of a signed attribute, or NULL when absent or repeated. */
static ASN1_TYPE *single_attr(CMS_SignerInfo *si, int nid)
{
    int at = CMS_signed_get_attr_by_NID(si, nid, -1);
    if (at < 0 || CMS_signed_get_attr_by_NID(si, nid, at) >= 0)
        return NULL;
    X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, at);
    return X509_ATTRIBUTE_count(attr) == 1 ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;
}

static int check_signature(token_parts *t, vbsig_tsp_result *res)
{
    X509_ALGOR *digalg = NULL;
    CMS_SignerInfo_get0_algs(t->si, NULL, NULL, &digalg, NULL);
    vbsig_digest_alg alg = vbsig_digest_from_nid(digalg != NULL ? OBJ_obj2nid(digalg->algorithm) : NID_undef);
    if (alg == 0)
        return verdict(res, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
                       _("the timestamp token is signed with a digest algorithm vbsig does not support"));
    if (alg == VBSIG_DIGEST_SHA1)
        res->weak = 1;
    ASN1_TYPE *ctype = single_attr(t->si, NID_pkcs9_contentType);
    ASN1_TYPE *mdv = single_attr(t->si, NID_pkcs9_messageDigest);
    if (ctype == NULL || ctype->type != V_ASN1_OBJECT || OBJ_obj2nid(ctype->value.object) != NID_id_smime_ct_TSTInfo ||
        mdv == NULL || mdv->type != V_ASN1_OCTET_STRING)
        return verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE",
                       _("the timestamp token's signed attributes lack a proper content-type or message-digest"));
    uint8_t digest[EVP_MAX_MD_SIZE];
    size_t dlen = 0;
    if (vbsig_digest_bytes(alg, t->content, t->content_len, digest, &dlen) != VBSIG_OK ||
        (size_t)mdv->value.octet_string->length != dlen ||
        memcmp(mdv->value.octet_string->data, digest, dlen) != 0)
        return verdict(res, VBSIG_TOTAL_FAILED, "HASH_FAILURE",
                       _("the timestamp token's TSTInfo has been changed after the TSA signed it"));
    CMS_SignerInfo_set1_signer_cert(t->si, t->tsa_cert);
    if (CMS_SignerInfo_verify(t->si) != 1)
        return verdict(res, VBSIG_TOTAL_FAILED, "SIG_CRYPTO_FAILURE",
                       _("the timestamp token's signature does not verify with the TSA certificate's key"));
    ERR_clear_error();
    return 1;
}

/* ESS signing-certificate(-v2) is mandatory in tokens (RFC 3161 §2.4.2,
 * RFC 5816): it stops a different certificate with the same key from
 * standing in for the TSA's. */
static int check_ess(token_parts *t, vbsig_tsp_result *res)
{
    ASN1_TYPE *v2 = single_attr(t->si, NID_id_smime_aa_signingCertificateV2);
    ASN1_TYPE *v1 = single_attr(t->si, NID_id_smime_aa_signingCertificate);
    if (!vbsig_cms_ess_matches(v1, v2, t->tsa_cert))
        return verdict(res, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND",
                       _("the timestamp token's signing-certificate attribute is missing or names another certificate"));
    return 1;
}

static int check_tsa_cert(token_parts *t, vbsig_tsp_result *res)
{
    int at = X509_get_ext_by_NID(t->tsa_cert, NID_ext_key_usage, -1);
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(t->tsa_cert, NID_ext_key_usage, NULL, NULL);
    int ok = at >= 0 && X509_EXTENSION_get_critical(X509_get_ext(t->tsa_cert, at)) && eku != NULL &&
             sk_ASN1_OBJECT_num(eku) == 1 && OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 0)) == NID_time_stamp;
    EXTENDED_KEY_USAGE_free(eku);
    if (!ok)
        return verdict(res, VBSIG_INDETERMINATE, "CHAIN_CONSTRAINTS_FAILURE",
                       _("the TSA certificate %s is not a timestamping certificate (its extended key usage must be timeStamping only, marked critical)"),
                       res->tsa != NULL ? res->tsa : "?");
    time_t from = asn1_to_time(X509_get0_notBefore(t->tsa_cert));
    time_t until = asn1_to_time(X509_get0_notAfter(t->tsa_cert));
    if (res->gen_time < from || res->gen_time > until) {
        char when[32];
        vbsig_time_format(res->gen_time, VBSIG_TZ_VIETNAM_MINUTES, when);
        return verdict(res, VBSIG_INDETERMINATE, "OUT_OF_BOUNDS_NO_POE",
                       _("the timestamp's time %s lies outside the validity of the TSA certificate %s"), when,
                       res->tsa != NULL ? res->tsa : "?");
    }
    return 1;
}

static int check_imprint(token_parts *t, vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len,
                         vbsig_tsp_result *res)
{
    TS_MSG_IMPRINT *imprint = TS_TST_INFO_get_msg_imprint(t->tst);
    X509_ALGOR *algor = TS_MSG_IMPRINT_get_algo(imprint);
    ASN1_OCTET_STRING *value = TS_MSG_IMPRINT_get_msg(imprint);
    vbsig_digest_alg got = vbsig_digest_from_nid(algor != NULL ? OBJ_obj2nid(algor->algorithm) : NID_undef);
    if (got == VBSIG_DIGEST_SHA1)
        res->weak = 1;
    if (got != alg || value == NULL || (size_t)ASN1_STRING_length(value) != digest_len ||
        memcmp(ASN1_STRING_get0_data(value), digest, digest_len) != 0)
        return verdict(res, VBSIG_TOTAL_FAILED, "HASH_FAILURE",
                       _("the timestamp does not cover these bytes: its message imprint differs"));
    return 1;
}

/* The TSA certificate's path, judged like a signer's, at the context's
 * validation time (now unless pinned), then (VBSIG_TSP_CHECK_FULL) its
 * revocation. */
static int check_chain(vbsig_ctx *ctx, token_parts *t, int how, vbsig_tsp_result *res)
{
    vbsig_report *scratch = NULL;
    vbsig_sig_entry *e = NULL;
    if (vbsig_report_create("tsp", &scratch) != VBSIG_OK || vbsig_report_add_entry(scratch, &e) != VBSIG_OK) {
        vbsig_report_free(scratch);
        return verdict(res, VBSIG_INDETERMINATE, "CERTIFICATE_CHAIN_GENERAL_FAILURE", _("out of memory"));
    }
    time_t at = ctx->validation_time != 0 ? ctx->validation_time : time(NULL);
    vbsig_path_validate(ctx, t->tsa_cert, t->certs, at, e);
    int ok = e->indication == VBSIG_TOTAL_PASSED;
    res->weak |= e->weak;
    if (!ok)
        verdict(res, e->indication, e->subindication, _("TSA certificate: %s"),
                e->message_count > 0 ? e->messages[e->message_count - 1] : "?");
    else if (how == VBSIG_TSP_CHECK_FULL)
        ok = vbsig_tsp_check_revocation(ctx, t->tsa_cert, t->certs, e, res);
    vbsig_report_free(scratch);
    return ok;
}

int vbsig_tsp_token_check(vbsig_ctx *ctx, const uint8_t *token, size_t token_len,
                          vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len,
                          int check_chain_too, vbsig_tsp_result *res)
{
    memset(res, 0, sizeof *res);
    res->indication = VBSIG_TOTAL_PASSED;
    token_parts t = {0};
    if (token == NULL || token_len == 0)
        verdict(res, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("the timestamp token is empty"));
    else if (read_structure(ctx, token, token_len, &t, res) && find_tsa_cert(ctx, &t, res) &&
             check_signature(&t, res) && check_ess(&t, res) && check_tsa_cert(&t, res) &&
             check_imprint(&t, alg, digest, digest_len, res) && check_chain_too != VBSIG_TSP_CHECK_NONE)
        check_chain(ctx, &t, check_chain_too, res);
    TS_TST_INFO_free(t.tst);
    sk_X509_pop_free(t.certs, X509_free);
    CMS_ContentInfo_free(t.cms);
    ERR_clear_error();
    return VBSIG_OK;
}

void vbsig_tsp_result_clear(vbsig_tsp_result *res)
{
    free(res->tsa);
    free(res->policy);
    free(res->serial);
    ASN1_INTEGER_free(res->nonce);
    memset(res, 0, sizeof *res);
}
