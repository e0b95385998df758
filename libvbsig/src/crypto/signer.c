/* The signer object: a certificate, its chain and a sign() implementation. */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "util/util.h"

/* Chains longer than this are not real PKI. */
#define SIGNER_CHAIN_MAX 16

int vbsig_signer_wrap(vbsig_signer **out, const vbsig_signer_ops *ops, void *impl, X509 *cert)
{
    *out = NULL;
    vbsig_signer *s = calloc(1, sizeof *s);
    int der_len = i2d_X509(cert, NULL);
    if (s == NULL || der_len <= 0 || (s->chain = sk_X509_new_null()) == NULL ||
        (s->cert_der = malloc((size_t)der_len)) == NULL) {
        if (s != NULL)
            sk_X509_free(s->chain);
        free(s);
        X509_free(cert);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    unsigned char *w = s->cert_der;
    s->cert_der_len = (size_t)i2d_X509(cert, &w);
    s->ops = *ops;
    s->impl = impl;
    s->cert = cert;
    s->padding = VBSIG_RSA_PKCS1_V15;
    *out = s;
    return VBSIG_OK;
}

int vbsig_signer_new(vbsig_signer **out, const vbsig_signer_ops *ops, void *impl,
                     const uint8_t *cert_der, size_t cert_len)
{
    VBSIG_REQUIRE(out, "out");
    VBSIG_REQUIRE(ops, "ops");
    VBSIG_REQUIRE_BYTES(cert_der, cert_len, "cert_der");
    vbsig_i18n_ensure();
    *out = NULL;
    if (ops == NULL || ops->version != 1 || ops->sign == NULL || cert_der == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("vbsig_signer_new: ops (version 1, with sign) and a certificate are required"));
    X509 *cert = NULL;
    int rc = vbsig_cert_from_bytes(cert_der, cert_len, _("signer certificate"), &cert);
    if (rc != VBSIG_OK)
        return rc;
    return vbsig_signer_wrap(out, ops, impl, cert);
}

void vbsig_signer_free(vbsig_signer *s)
{
    if (s == NULL)
        return;
    if (s->ops.free_impl != NULL)
        s->ops.free_impl(s->impl);
    X509_free(s->cert);
    free(s->cert_der);
    sk_X509_pop_free(s->chain, X509_free);
    free(s);
}

static int chain_take(vbsig_signer *s, STACK_OF(X509) *certs)
{
    while (sk_X509_num(certs) > 0) {
        X509 *x = sk_X509_shift(certs);
        /* The signer's own certificate inside a bundle is not chain. */
        if (X509_cmp(x, s->cert) == 0) {
            X509_free(x);
            continue;
        }
        if (sk_X509_num(s->chain) >= SIGNER_CHAIN_MAX) {
            X509_free(x);
            return vbsig_fail(VBSIG_E_LIMIT, _("a signer chain may hold at most %d certificates"), SIGNER_CHAIN_MAX);
        }
        if (!sk_X509_push(s->chain, x)) {
            X509_free(x);
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        }
    }
    return VBSIG_OK;
}

int vbsig_signer_add_chain_file(vbsig_signer *s, const char *path)
{
    VBSIG_REQUIRE(s, "s");
    VBSIG_REQUIRE(path, "path");
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (certs == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = vbsig_certs_load_file(path, certs, SIGNER_CHAIN_MAX);
    if (rc == VBSIG_OK)
        rc = chain_take(s, certs);
    sk_X509_pop_free(certs, X509_free);
    return rc;
}

int vbsig_signer_add_chain_der(vbsig_signer *s, const uint8_t *der, size_t len)
{
    VBSIG_REQUIRE(s, "s");
    VBSIG_REQUIRE_BYTES(der, len, "der");
    X509 *x = NULL;
    int rc = vbsig_cert_from_bytes(der, len, _("chain certificate"), &x);
    if (rc != VBSIG_OK)
        return rc;
    STACK_OF(X509) *one = sk_X509_new_null();
    if (one == NULL || !sk_X509_push(one, x)) {
        X509_free(x);
        sk_X509_free(one);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    rc = chain_take(s, one);
    sk_X509_pop_free(one, X509_free);
    return rc;
}

int vbsig_signer_set_rsa_padding(vbsig_signer *s, vbsig_rsa_padding padding)
{
    VBSIG_REQUIRE(s, "s");
    if (padding != VBSIG_RSA_PKCS1_V15 && padding != VBSIG_RSA_PSS)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown RSA padding"));
    s->padding = padding;
    return VBSIG_OK;
}

vbsig_key_type vbsig_signer_key_type(const vbsig_signer *s)
{
    if (s == NULL)
        return (vbsig_key_type)0;
    EVP_PKEY *pub = X509_get0_pubkey(s->cert);
    return pub != NULL && EVP_PKEY_get_base_id(pub) == EVP_PKEY_EC ? VBSIG_KEY_EC : VBSIG_KEY_RSA;
}

int vbsig_signer_key_bits(const vbsig_signer *s)
{
    if (s == NULL)
        return 0;
    EVP_PKEY *pub = X509_get0_pubkey(s->cert);
    return pub != NULL ? EVP_PKEY_get_bits(pub) : 0;
}

const uint8_t *vbsig_signer_cert_der(const vbsig_signer *s, size_t *len)
{
    if (len == NULL)
        return s != NULL ? s->cert_der : NULL;
    if (s == NULL) {
        *len = 0;
        return NULL;
    }
    *len = s->cert_der_len;
    return s->cert_der;
}

static int check_usable(const vbsig_signer *s, time_t when, const char *subject)
{
    if (X509_cmp_time(X509_get0_notBefore(s->cert), &when) >= 0)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("the signer certificate (%s) is not yet valid"), subject);
    if (X509_cmp_time(X509_get0_notAfter(s->cert), &when) <= 0)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("the signer certificate (%s) has expired"), subject);
    uint32_t ku = X509_get_key_usage(s->cert);
    if (ku != UINT32_MAX && (ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE,
                          _("the signer certificate (%s) does not allow digital signatures (key usage)"), subject);
    EVP_PKEY *pub = X509_get0_pubkey(s->cert);
    if (pub == NULL)
        return vbsig_fail_ssl(VBSIG_E_KEY_UNUSABLE, _("the signer certificate's public key cannot be read"));
    int id = EVP_PKEY_get_base_id(pub), bits = EVP_PKEY_get_bits(pub);
    if (id == EVP_PKEY_RSA && bits < 2048)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE,
                          _("RSA-%d keys are too weak to sign; at least 2048 bits are required"), bits);
    if (id == EVP_PKEY_EC && bits < 256)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE,
                          _("ECDSA keys below 256 bits are too weak to sign"));
    if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("the signer key type (%s) is not supported"),
                          OBJ_nid2sn(id));
    return VBSIG_OK;
}

int vbsig_signer_check_usable(const vbsig_signer *s, time_t t)
{
    VBSIG_REQUIRE(s, "s");
    time_t when = t != 0 ? t : time(NULL);
    char *name = vbsig_name_text(X509_get_subject_name(s->cert));
    const char *subject = name != NULL ? name : "?";
    int rc = check_usable(s, when, subject);
    free(name);
    return rc;
}

int vbsig_signer_sign_digest(vbsig_signer *s, const vbsig_sign_request *req,
                             uint8_t *sig, size_t *sig_len)
{
    VBSIG_REQUIRE(s, "s");
    VBSIG_REQUIRE(req, "req");
    VBSIG_REQUIRE(sig, "sig");
    VBSIG_REQUIRE(sig_len, "sig_len");
    if (req->digest_alg == VBSIG_DIGEST_SHA1)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("SHA-1 may not be used for new signatures"));
    if (req->digest_len != vbsig_digest_size(req->digest_alg))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the digest length does not match its algorithm"));
    vbsig_error_clear();
    int rc = s->ops.sign(s->impl, req, sig, sig_len);
    if (rc != VBSIG_OK && vbsig_last_error()[0] == '\0')
        vbsig_fail(rc, _("the signer failed (%s)"), vbsig_status_name(rc));
    return rc;
}

int vbsig_set_error(int status, const char *message)
{
    VBSIG_REQUIRE(message, "message");
    return vbsig_fail(status, "%s", message != NULL ? message : "");
}
