/* A test signature that proves a signer's key and certificate belong
 * together, for every kind of key: a token's key is checked by what it
 * signs, since its private half never leaves the token. */
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "util/util.h"

int vbsig_signer_probe(vbsig_signer *s)
{
    VBSIG_REQUIRE(s, "s");
    vbsig_i18n_ensure();
    if (s->cert == NULL)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("the signer has no certificate to check its key against"));
    uint8_t digest[32], sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    if (RAND_bytes(digest, sizeof digest) != 1)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("no random bytes"));
    vbsig_sign_request req = { .digest_alg = VBSIG_DIGEST_SHA256, .padding = VBSIG_RSA_PKCS1_V15,
                               .digest = digest, .digest_len = sizeof digest };
    int rc = vbsig_signer_sign_digest(s, &req, sig, &sig_len);
    if (rc != VBSIG_OK)
        return rc;
    EVP_PKEY *pub = X509_get0_pubkey(s->cert);
    EVP_PKEY_CTX *pctx = pub != NULL ? EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL) : NULL;
    int ok = pctx != NULL && EVP_PKEY_verify_init(pctx) > 0;
    if (ok && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
    ok = ok && EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) > 0 &&
         EVP_PKEY_verify(pctx, sig, sig_len, digest, sizeof digest) == 1;
    EVP_PKEY_CTX_free(pctx);
    ERR_clear_error();
    return ok ? VBSIG_OK : vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("the private key does not match the certificate"));
}
