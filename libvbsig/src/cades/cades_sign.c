/* CAdES B-B signing. One road for every signer: prepare the SignerInfo and
 * the digest of its signed attributes, have the digest signed (in-process
 * key, token, or an outside party in two-step signing), then finish. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "cades/cades.h"
#include "crypto/crypto.h"
#include "tsp/tsp.h"
#include "util/util.h"
#include "validate/validate.h"

struct vbsig_cades_pending {
    CMS_ContentInfo *cms;
    CMS_SignerInfo *si;      /* owned by cms */
    vbsig_sign_request req;
    uint8_t digest[EVP_MAX_MD_SIZE];
    vbsig_ctx *ctx;          /* for the timestamp of a B-T signature */
    vbsig_level level;
    const vbsig_tsp_opts *tsp;
};

void vbsig_cades_sign_opts_init(vbsig_cades_sign_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_CADES_SIGN_OPTS_VERSION;
    opts->digest = VBSIG_DIGEST_SHA256;
    opts->include_chain = 1;
    opts->verify_after_sign = 1;
}

/* Copies the caller's options into the current layout: a version 1
 * struct ends before `level`, and gets B-B. */
static int check_opts(const vbsig_cades_sign_opts *given, vbsig_cades_sign_opts *opts)
{
    if (given == NULL || (given->version != 1 && given->version != VBSIG_CADES_SIGN_OPTS_VERSION))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("CAdES options must be set up with vbsig_cades_sign_opts_init"));
    vbsig_cades_sign_opts_init(opts);
    memcpy(opts, given, given->version == 1 ? offsetof(vbsig_cades_sign_opts, level) : sizeof *opts);
    if (opts->level != VBSIG_LEVEL_B_B && opts->level != VBSIG_LEVEL_B_T && opts->level != VBSIG_LEVEL_B_LT &&
        opts->level != VBSIG_LEVEL_B_LTA)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown signature level %d"), (int)opts->level);
    if (opts->level != VBSIG_LEVEL_B_B) {
        /* B-LT and B-LTA rest on B-T: the signature timestamp comes first. */
        if (opts->tsp == NULL)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("level B-T needs a timestamp authority (--tsa URL)"));
        int rc = vbsig_tsp_opts_check(opts->tsp);
        if (rc != VBSIG_OK)
            return rc;
    }
    if (opts->digest == VBSIG_DIGEST_SHA1)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("SHA-1 may not be used for new signatures"));
    if (vbsig_digest_md(opts->digest) == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown digest algorithm"));
    return VBSIG_OK;
}

/* signing_time 0 leaves the signing-time attribute out: PAdES carries the
 * claimed time in the signature dictionary's /M instead (EN 319 142-1). */
static int add_attributes(CMS_SignerInfo *si, time_t signing_time, const uint8_t *md_value, size_t md_len)
{
    ASN1_TIME *when = signing_time != 0 ? ASN1_TIME_adj(NULL, signing_time, 0, 0) : NULL; /* UTCTime before 2050, as CMS asks */
    int ok = (signing_time == 0 || when != NULL) &&
             CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                         OBJ_nid2obj(NID_pkcs7_data), -1) &&
             (signing_time == 0 || CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type, when, -1)) &&
             CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                         md_value, (int)md_len);
    ASN1_TIME_free(when);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("adding the signed attributes failed"));
    return VBSIG_OK;
}

static int embed_content(CMS_ContentInfo *cms, const uint8_t *data, size_t data_len)
{
    if (data_len > INT32_MAX)
        return vbsig_fail(VBSIG_E_LIMIT, _("an attached signature can hold at most 2 GiB; use --detached"));
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    if (content == NULL)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the SignedData has no content slot"));
    if (*content == NULL && (*content = ASN1_OCTET_STRING_new()) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    (*content)->flags &= ~ASN1_STRING_FLAG_CONT;
    if (!ASN1_OCTET_STRING_set(*content, data, (int)data_len))
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    return VBSIG_OK;
}

/* The road shared by CAdES (data known) and PAdES (message digest of the
 * byte ranges known): data is NULL when md_value is given. */
static int prepare_common(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *given,
                          const uint8_t *data, size_t data_len, const uint8_t *md_given, size_t md_given_len,
                          int with_signing_time, vbsig_cades_pending **out)
{
    vbsig_i18n_ensure();
    *out = NULL;
    vbsig_cades_sign_opts checked;
    const vbsig_cades_sign_opts *opts = &checked;
    int rc = check_opts(given, &checked);
    if (rc != VBSIG_OK)
        return rc;
    if (md_given != NULL && (!opts->detached || md_given_len != vbsig_digest_size(opts->digest)))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a precomputed message digest needs a detached signature and the digest's length"));
    if (opts->level != VBSIG_LEVEL_B_B && ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("level B-T needs a context (it verifies the TSA's reply)"));
    time_t when = opts->signing_time != 0 ? opts->signing_time : time(NULL);
    rc = vbsig_signer_check_usable(signer, when);
    if (rc != VBSIG_OK)
        return rc;
    const EVP_MD *md = vbsig_digest_md(opts->digest);
    vbsig_cades_pending *p = calloc(1, sizeof *p);
    if (p == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    unsigned flags = CMS_PARTIAL | CMS_BINARY | (opts->detached ? CMS_DETACHED : 0);
    p->cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    /* The public key stands in for the private one: OpenSSL only compares
     * it with the certificate here; the signature is made by the signer. */
    EVP_PKEY *pub = X509_get0_pubkey(signer->cert);
    if (p->cms == NULL || pub == NULL ||
        (p->si = CMS_add1_signer(p->cms, signer->cert, pub, md,
                                 CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES)) == NULL) {
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("building the CMS SignerInfo failed"));
        goto fail;
    }
    for (int i = 0; opts->include_chain && i < sk_X509_num(signer->chain); i++) {
        if (!CMS_add1_cert(p->cms, sk_X509_value(signer->chain, i))) {
            rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("adding a chain certificate failed"));
            goto fail;
        }
    }
    if (signer->padding == VBSIG_RSA_PSS && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA &&
        (rc = vbsig_cms_set_pss_algorithm(p->si, md)) != VBSIG_OK)
        goto fail;
    uint8_t md_value[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    if (md_given != NULL) {
        memcpy(md_value, md_given, md_given_len);
        md_len = (unsigned)md_given_len;
    } else if ((rc = vbsig_digest_bytes_md(md, data, data_len, md_value, &md_len)) != VBSIG_OK) {
        goto fail;
    }
    if ((rc = add_attributes(p->si, with_signing_time ? when : 0, md_value, md_len)) != VBSIG_OK)
        goto fail;
    if (!opts->detached && (rc = embed_content(p->cms, data, data_len)) != VBSIG_OK)
        goto fail;
    uint8_t *tbs = NULL;
    size_t tbs_len = 0;
    if ((rc = vbsig_cms_signed_attrs_der(p->si, &tbs, &tbs_len)) != VBSIG_OK)
        goto fail;
    size_t dlen = 0;
    rc = vbsig_digest_bytes(opts->digest, tbs, tbs_len, p->digest, &dlen);
    free(tbs);
    if (rc != VBSIG_OK)
        goto fail;
    p->req.digest_alg = opts->digest;
    p->req.padding = signer->padding;
    p->req.digest = p->digest;
    p->req.digest_len = dlen;
    p->ctx = ctx;
    p->level = opts->level;
    p->tsp = opts->tsp;
    *out = p;
    return VBSIG_OK;
fail:
    vbsig_cades_pending_free(p);
    return rc;
}

int vbsig_cades_prepare(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *given,
                        const uint8_t *data, size_t data_len, vbsig_cades_pending **out)
{
    VBSIG_REQUIRE(signer, "signer");
    VBSIG_REQUIRE(given, "opts");
    VBSIG_REQUIRE_BYTES(data, data_len, "data");
    VBSIG_REQUIRE(out, "out");
    return prepare_common(ctx, signer, given, data, data_len, NULL, 0, 1, out);
}

int vbsig_cades_prepare_digest(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts,
                               const uint8_t *md_value, size_t md_len, int with_signing_time,
                               vbsig_cades_pending **out)
{
    if (md_value == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no message digest was given"));
    return prepare_common(ctx, signer, opts, NULL, 0, md_value, md_len, with_signing_time, out);
}

int vbsig_cades_pending_encoded_size(vbsig_cades_pending *p, size_t sig_len, size_t *out)
{
    ASN1_OCTET_STRING *slot = CMS_SignerInfo_get0_signature(p->si);
    uint8_t zeros[VBSIG_MAX_SIGNATURE] = {0};
    if (sig_len == 0 || sig_len > sizeof zeros)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the signature value is empty or too long"));
    if (!ASN1_STRING_set(slot, zeros, (int)sig_len))
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int n = i2d_CMS_ContentInfo(p->cms, NULL);
    ASN1_STRING_set(slot, NULL, 0); /* finish sets the real value */
    if (n <= 0)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("encoding the CMS signature failed"));
    *out = (size_t)n;
    return VBSIG_OK;
}

const vbsig_sign_request *vbsig_cades_pending_request(const vbsig_cades_pending *p)
{
    if (p == NULL)
        return NULL;
    return &p->req;
}

int vbsig_cades_finish(vbsig_cades_pending *p, const uint8_t *sig, size_t sig_len, vbsig_buf *out)
{
    VBSIG_REQUIRE(p, "p");
    out->data = NULL;
    out->len = 0;
    if (sig == NULL || sig_len == 0 || sig_len > VBSIG_MAX_SIGNATURE)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the signature value is empty or too long"));
    if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(p->si), sig, (int)sig_len))
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    /* Encoded straight into the caller's buffer: an attached signature of a
     * large document is not worth holding twice. */
    int n = i2d_CMS_ContentInfo(p->cms, NULL);
    if (n <= 0)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("encoding the CMS signature failed"));
    uint8_t *der = malloc((size_t)n);
    if (der == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    unsigned char *w = der;
    if (i2d_CMS_ContentInfo(p->cms, &w) != n) {
        free(der);
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("encoding the CMS signature failed"));
    }
    /* A signature from a token or another party is checked against the
     * certificate before anything is written, on the very bytes produced
     * (cades_made_check.c: a DER walk and one signature verification). */
    X509 *cert = NULL;
    CMS_SignerInfo_get0_algs(p->si, NULL, &cert, NULL, NULL);
    int rc = vbsig_cades_check_made(der, (size_t)n, cert, &p->req, sig, sig_len);
    if (rc != VBSIG_OK) {
        free(der);
        return rc;
    }
    out->data = der;
    out->len = (size_t)n;
    if (p->level != VBSIG_LEVEL_B_B) {
        vbsig_buf stamped = {0};
        rc = vbsig_cades_add_timestamp(p->ctx, p->tsp, out->data, out->len, &stamped);
        vbsig_buf_free(out);
        if (rc != VBSIG_OK)
            return rc;
        *out = stamped;
    }
    if (p->level == VBSIG_LEVEL_B_LT || p->level == VBSIG_LEVEL_B_LTA) {
        /* The validation data (and the archive timestamp) of vbsig_cades_extend. */
        vbsig_buf extended = {0};
        vbsig_cades_extend_opts eo;
        vbsig_cades_extend_opts_init(&eo);
        eo.level = p->level;
        eo.tsp = p->tsp;
        rc = vbsig_cades_extend(p->ctx, &eo, out->data, out->len, &extended);
        vbsig_buf_free(out);
        if (rc != VBSIG_OK)
            return rc;
        *out = extended;
    }
    return VBSIG_OK;
}

void vbsig_cades_pending_free(vbsig_cades_pending *p)
{
    if (p == NULL)
        return;
    CMS_ContentInfo_free(p->cms);
    vbsig_wipe(p->digest, sizeof p->digest);
    free(p);
}

/* Prepare, sign with the signer, finish: the signature without the
 * verification after signing. */
static int sign_bytes(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts,
                      const uint8_t *data, size_t data_len, vbsig_buf *out)
{
    vbsig_cades_pending *p = NULL;
    int rc = vbsig_cades_prepare(ctx, signer, opts, data, data_len, &p);
    if (rc != VBSIG_OK)
        return rc;
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    rc = vbsig_signer_sign_digest(signer, &p->req, sig, &sig_len);
    if (rc == VBSIG_OK)
        rc = vbsig_cades_finish(p, sig, sig_len, out);
    vbsig_cades_pending_free(p);
    return rc;
}

/* Re-verifies what was just made; only the cryptographic and format checks
 * count here (the signer may legitimately lack a trusted chain). */
static int verify_made(vbsig_ctx *ctx, const vbsig_buf *sig, const uint8_t *data, size_t data_len,
                       int detached)
{
    vbsig_report *r = NULL;
    int rc = vbsig_cades_verify(ctx, sig->data, sig->len, detached ? data : NULL, detached ? data_len : 0, &r);
    if (rc != VBSIG_OK)
        return rc;
    const char *sub = r->count == 1 ? r->sigs[0].subindication : "FORMAT_FAILURE";
    int bad = r->count != 1 || r->sigs[0].indication == VBSIG_TOTAL_FAILED;
    if (bad)
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the signature just made does not verify (%s)"), sub ? sub : "?");
    vbsig_report_free(r);
    return rc;
}

int vbsig_cades_sign(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts,
                     const uint8_t *data, size_t data_len, vbsig_buf *out)
{
    VBSIG_REQUIRE(signer, "signer");
    VBSIG_REQUIRE(opts, "opts");
    VBSIG_REQUIRE_BYTES(data, data_len, "data");
    VBSIG_REQUIRE(out, "out");
    VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, opts);
    int rc = sign_bytes(ctx, signer, opts, data, data_len, out);
    if (rc == VBSIG_OK && opts->verify_after_sign) {
        rc = verify_made(ctx, out, data, data_len, opts->detached);
        if (rc != VBSIG_OK)
            vbsig_buf_free(out);
    }
    return rc;
}

int vbsig_cades_sign_file(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *given,
                          const char *in_path, const char *out_path)
{
    VBSIG_REQUIRE(signer, "signer");
    VBSIG_REQUIRE(given, "opts");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, given);
    vbsig_i18n_ensure();
    vbsig_cades_sign_opts checked;
    const vbsig_cades_sign_opts *opts = &checked;
    int rc = check_opts(given, &checked);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_file_map in;
    rc = vbsig_file_map_open(&in, in_path, ctx != NULL ? vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE) : 0);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_buf sig = {0};
    rc = sign_bytes(ctx, signer, given, in.data, in.len, &sig);
    if (rc == VBSIG_OK && opts->verify_after_sign)
        rc = verify_made(ctx, &sig, in.data, in.len, opts->detached);
    if (rc == VBSIG_OK)
        rc = vbsig_write_file_atomic(out_path, sig.data, sig.len);
    vbsig_buf_free(&sig);
    vbsig_file_map_close(&in);
    return rc;
}
