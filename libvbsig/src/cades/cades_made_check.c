/* The check vbsig_cades_finish runs on every SignedData it encodes, before
 * anything is written: the signature value must verify with the signer
 * certificate's key over exactly the signed attributes found in the encoded
 * bytes. That catches a token (or an outside party in two-step signing)
 * that returns a wrong or garbage signature, and an encoding that does not
 * carry the attributes that were signed. It walks the DER and verifies one
 * signature: no OpenSSL re-parse of the whole CMS, no chain work — those
 * belong to the full verification the callers may still ask for
 * (verify_after_sign). */
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "cades/cades.h"
#include "cms/cms_der_edit.h"
#include "crypto/crypto.h"
#include "util/util.h"

/* The SignerInfo's fields (RFC 5652 §5.3) up to and including the
 * signature; unsigned attributes are not expected at this point. */
typedef struct signer_info_parts {
    cms_der_elem signed_attrs, signature;
} signer_info_parts;

static int split_signer_info(const cms_der_elem *set, signer_info_parts *out)
{
    cms_der_elem si, f[6];
    if (cms_der_read(set->c, set->clen, &si) != 0 || si.tag != 0x30 || si.len != set->clen)
        return -1; /* exactly one SignerInfo */
    size_t off = 0, count = 0;
    for (; off < si.clen && count < 6; count++) {
        if (cms_der_read(si.c + off, si.clen - off, &f[count]) != 0)
            return -1;
        off += f[count].len;
    }
    /* version, sid (IssuerAndSerialNumber or [0] SubjectKeyIdentifier),
     * digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature */
    if (off != si.clen || count != 6 || f[0].tag != 0x02 || (f[1].tag != 0x30 && f[1].tag != 0x80) ||
        f[2].tag != 0x30 || f[3].tag != 0xA0 || f[4].tag != 0x30 || f[5].tag != 0x04)
        return -1;
    out->signed_attrs = f[3];
    out->signature = f[5];
    return 0;
}

/* 1 when sig verifies over the digest with the key, as the request asked
 * it to be made (RSA PKCS#1 v1.5 or PSS with salt = digest length, ECDSA). */
static int signature_verifies(EVP_PKEY *pub, const vbsig_sign_request *req, const uint8_t *digest,
                              const uint8_t *sig, size_t sig_len)
{
    const EVP_MD *md = vbsig_digest_md(req->digest_alg);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
    int ok = pctx != NULL && md != NULL && EVP_PKEY_verify_init(pctx) > 0;
    if (ok && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA) {
        if (req->padding == VBSIG_RSA_PSS)
            ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
                 EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) > 0;
        else
            ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
    }
    ok = ok && EVP_PKEY_CTX_set_signature_md(pctx, md) > 0 &&
         EVP_PKEY_verify(pctx, sig, sig_len, digest, req->digest_len) == 1;
    EVP_PKEY_CTX_free(pctx);
    return ok;
}

int vbsig_cades_check_made(const uint8_t *der, size_t len, X509 *cert, const vbsig_sign_request *req,
                         const uint8_t *sig, size_t sig_len)
{
    cms_signed_data sd;
    signer_info_parts si;
    int rc = cms_der_split_signed_data(der, len, _("the new CMS signature"), &sd);
    if (rc != VBSIG_OK)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the new CMS signature is not encoded as expected (%s)"),
                          vbsig_last_error());
    if (split_signer_info(&sd.signer_infos, &si) != 0 || si.signature.clen != sig_len ||
        memcmp(si.signature.c, sig, sig_len) != 0)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the new CMS signature is not encoded as expected (%s)"),
                          _("its SignerInfo"));
    /* The signed attributes are signed as a SET (tag 0x31) and carried as
     * [0] IMPLICIT (0xA0): the same bytes but the first (RFC 5652 §5.4). */
    const EVP_MD *md = vbsig_digest_md(req->digest_alg);
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    static const uint8_t set_tag = 0x31;
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    int ok = mctx != NULL && md != NULL && EVP_DigestInit_ex(mctx, md, NULL) == 1 &&
             EVP_DigestUpdate(mctx, &set_tag, 1) == 1 &&
             EVP_DigestUpdate(mctx, si.signed_attrs.p + 1, si.signed_attrs.len - 1) == 1 &&
             EVP_DigestFinal_ex(mctx, digest, &dlen) == 1;
    EVP_MD_CTX_free(mctx);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("computing a %s digest failed"), md != NULL ? EVP_MD_get0_name(md) : "?");
    if (dlen != req->digest_len || memcmp(digest, req->digest, dlen) != 0)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the new CMS signature is not encoded as expected (%s)"),
                          _("its signed attributes"));
    EVP_PKEY *pub = cert != NULL ? X509_get0_pubkey(cert) : NULL;
    if (pub == NULL || !signature_verifies(pub, req, digest, sig, sig_len))
        return vbsig_fail_ssl(VBSIG_E_CRYPTO,
                              _("the signature value does not verify with the signer certificate's key"));
    ERR_clear_error();
    return VBSIG_OK;
}
