/* Software signers: a private key held by OpenSSL in this process, loaded
 * from a key file or a PKCS#12 file; and certificate-only signers for
 * two-step signing. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>

#include "crypto/crypto.h"
#include "util/util.h"

#define KEY_FILE_MAX (1u << 20)

/* Prepared signing contexts are kept per signer, so that a signature costs
 * the signing only: creating and initialising an EVP_PKEY_CTX (provider
 * fetch, key checks, padding set-up) takes several microseconds, a good
 * part of an ECDSA P-256 signature. A context must not be used by two
 * threads at once (the TSA signs from many workers with one signer), so a
 * signature takes one out of the pool under the lock and puts it back when
 * done; the pool grows to the number of threads that ever signed at the
 * same moment, up to SOFTKEY_POOL_MAX (beyond that contexts are freed). */
#define SOFTKEY_POOL_MAX 64

typedef struct softkey_ctx {
    EVP_PKEY_CTX *pctx;
    vbsig_digest_alg digest;
    vbsig_rsa_padding padding;
} softkey_ctx;

typedef struct softkey {
    EVP_PKEY *pkey;
    int max_sig; /* EVP_PKEY_get_size: the largest signature */
    pthread_mutex_t lock;
    size_t count;
    softkey_ctx pool[SOFTKEY_POOL_MAX];
} softkey;

/* A context ready for EVP_PKEY_sign with this digest and padding; NULL
 * (OpenSSL's error queue set) on failure. */
static EVP_PKEY_CTX *softkey_ctx_new(EVP_PKEY *pkey, vbsig_digest_alg digest, vbsig_rsa_padding padding)
{
    const EVP_MD *md = vbsig_digest_md(digest);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = pctx != NULL && md != NULL && EVP_PKEY_sign_init(pctx) > 0;
    if (ok && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
        if (padding == VBSIG_RSA_PSS)
            ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
                 EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) > 0;
        else
            ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
    }
    ok = ok && EVP_PKEY_CTX_set_signature_md(pctx, md) > 0;
    if (!ok) {
        EVP_PKEY_CTX_free(pctx);
        return NULL;
    }
    return pctx;
}

/* Takes a prepared context out of the pool, or makes a new one. */
static EVP_PKEY_CTX *softkey_ctx_take(softkey *k, vbsig_digest_alg digest, vbsig_rsa_padding padding)
{
    EVP_PKEY_CTX *pctx = NULL;
    pthread_mutex_lock(&k->lock);
    for (size_t i = k->count; i-- > 0;) {
        if (k->pool[i].digest == digest && k->pool[i].padding == padding) {
            pctx = k->pool[i].pctx;
            k->pool[i] = k->pool[--k->count];
            break;
        }
    }
    pthread_mutex_unlock(&k->lock);
    return pctx != NULL ? pctx : softkey_ctx_new(k->pkey, digest, padding);
}

static void softkey_ctx_give_back(softkey *k, EVP_PKEY_CTX *pctx, vbsig_digest_alg digest,
                                  vbsig_rsa_padding padding)
{
    pthread_mutex_lock(&k->lock);
    if (k->count < SOFTKEY_POOL_MAX) {
        k->pool[k->count++] = (softkey_ctx){pctx, digest, padding};
        pctx = NULL;
    }
    pthread_mutex_unlock(&k->lock);
    EVP_PKEY_CTX_free(pctx);
}

static int softkey_sign(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    softkey *k = impl;
    if ((size_t)k->max_sig > *sig_len)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the signature buffer is too small"));
    /* PSS applies to RSA keys only; other keys ignore the padding asked. */
    vbsig_rsa_padding padding = EVP_PKEY_get_base_id(k->pkey) == EVP_PKEY_RSA ? req->padding : VBSIG_RSA_PKCS1_V15;
    EVP_PKEY_CTX *pctx = softkey_ctx_take(k, req->digest_alg, padding);
    int ok = pctx != NULL && EVP_PKEY_sign(pctx, sig, sig_len, req->digest, req->digest_len) > 0;
    if (ok)
        softkey_ctx_give_back(k, pctx, req->digest_alg, padding);
    else
        EVP_PKEY_CTX_free(pctx); /* a context that failed is not trusted again */
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("signing with the software key failed"));
    return VBSIG_OK;
}

static void softkey_free(void *impl)
{
    softkey *k = impl;
    if (k == NULL)
        return;
    for (size_t i = 0; i < k->count; i++)
        EVP_PKEY_CTX_free(k->pool[i].pctx);
    pthread_mutex_destroy(&k->lock);
    EVP_PKEY_free(k->pkey);
    free(k);
}

static const vbsig_signer_ops softkey_ops = {1, softkey_sign, softkey_free};

int vbsig_signer_from_evp(vbsig_signer **out, EVP_PKEY *pkey, X509 *cert)
{
    if (X509_check_private_key(cert, pkey) != 1) {
        EVP_PKEY_free(pkey);
        X509_free(cert);
        return vbsig_fail_ssl(VBSIG_E_KEY_UNUSABLE, _("the private key does not match the certificate"));
    }
    softkey *k = calloc(1, sizeof *k);
    if (k == NULL || pthread_mutex_init(&k->lock, NULL) != 0) {
        free(k);
        EVP_PKEY_free(pkey);
        X509_free(cert);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    k->pkey = pkey;
    k->max_sig = EVP_PKEY_get_size(pkey);
    int rc = vbsig_signer_wrap(out, &softkey_ops, k, cert);
    if (rc != VBSIG_OK)
        softkey_free(k);
    return rc;
}

/* Password callback state: the source is read only if the key turns out to
 * be encrypted, so unencrypted keys never prompt. */
struct pass_state {
    const char *source;
    const char *path;
    int asked;
    int read_failed;
};

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    struct pass_state *st = u;
    st->asked = 1;
    char prompt[512];
    snprintf(prompt, sizeof prompt, _("Password for %s: "), st->path);
    char *secret = NULL;
    if (vbsig_secret_read(st->source, prompt, &secret) != VBSIG_OK) {
        st->read_failed = 1;
        return -1;
    }
    size_t n = strlen(secret);
    if (n >= (size_t)size) {
        vbsig_secret_free(secret);
        st->read_failed = 1;
        return -1;
    }
    memcpy(buf, secret, n);
    vbsig_secret_free(secret);
    return (int)n;
}

static int load_private_key(const char *path, const char *pass_source, EVP_PKEY **out)
{
    vbsig_file_map m;
    int rc = vbsig_file_map_open(&m, path, KEY_FILE_MAX);
    if (rc != VBSIG_OK)
        return rc;
    struct pass_state st = {pass_source, path, 0, 0};
    EVP_PKEY *pkey = NULL;
    BIO *bio = BIO_new_mem_buf(m.data, (int)m.len);
    if (bio != NULL) {
        pkey = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &st);
        if (pkey == NULL && !st.asked && !st.read_failed) {
            ERR_clear_error();
            (void)BIO_reset(bio);
            pkey = d2i_PKCS8PrivateKey_bio(bio, NULL, pass_cb, &st);
        }
        if (pkey == NULL && !st.asked && !st.read_failed) {
            ERR_clear_error();
            const unsigned char *q = m.data;
            pkey = d2i_AutoPrivateKey(NULL, &q, (long)m.len);
        }
        BIO_free(bio);
    }
    vbsig_file_map_close(&m);
    if (pkey != NULL) {
        ERR_clear_error();
        *out = pkey;
        return VBSIG_OK;
    }
    if (st.read_failed)
        return vbsig_last_error()[0] != '\0' ? VBSIG_E_INVALID_ARG
                                            : vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: no password given"), path);
    if (st.asked)
        return vbsig_fail_ssl(VBSIG_E_AUTH, _("%s: wrong password for the private key"), path);
    return vbsig_fail_ssl(VBSIG_E_MALFORMED, _("%s: not a PEM or DER private key"), path);
}

static int load_one_cert(const char *path, X509 **out)
{
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (certs == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = vbsig_certs_load_file(path, certs, 16);
    if (rc == VBSIG_OK)
        *out = sk_X509_shift(certs); /* the first certificate is the signer's */
    sk_X509_pop_free(certs, X509_free);
    return rc;
}

int vbsig_signer_from_key_file(vbsig_signer **out, const char *key_path,
                               const char *pass_source, const char *cert_path)
{
    VBSIG_REQUIRE(out, "out");
    VBSIG_REQUIRE(key_path, "key_path");
    VBSIG_REQUIRE(cert_path, "cert_path");
    vbsig_i18n_ensure();
    *out = NULL;
    if (key_path == NULL || cert_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a key file needs its certificate (--cert)"));
    EVP_PKEY *pkey = NULL;
    int rc = load_private_key(key_path, pass_source, &pkey);
    if (rc != VBSIG_OK)
        return rc;
    X509 *cert = NULL;
    rc = load_one_cert(cert_path, &cert);
    if (rc != VBSIG_OK) {
        EVP_PKEY_free(pkey);
        return rc;
    }
    return vbsig_signer_from_evp(out, pkey, cert);
}

static int pkcs12_password(PKCS12 *p12, const char *path, const char *pass_source, char **out)
{
    *out = NULL;
    /* Many exports use an empty password; try it before asking anyone. */
    if (pass_source == NULL && (PKCS12_verify_mac(p12, "", 0) || PKCS12_verify_mac(p12, NULL, 0))) {
        *out = strdup("");
        return *out != NULL ? VBSIG_OK : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    char prompt[512];
    snprintf(prompt, sizeof prompt, _("Password for %s: "), path);
    /* Not checked here: PKCS12_parse checks the MAC with it anyway, and
     * each check is a full key derivation (about 0.4 ms of every CLI run);
     * a wrong password is recognised from PKCS12_parse's error instead. */
    return vbsig_secret_read(pass_source, prompt, out);
}

int vbsig_signer_from_pkcs12(vbsig_signer **out, const char *path, const char *pass_source)
{
    VBSIG_REQUIRE(out, "out");
    VBSIG_REQUIRE(path, "path");
    vbsig_i18n_ensure();
    *out = NULL;
    vbsig_file_map m;
    int rc = vbsig_file_map_open(&m, path, KEY_FILE_MAX);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_der_check(m.data, m.len, 0, 64, path);
    if (rc == VBSIG_E_MALFORMED)
        rc = vbsig_fail(VBSIG_E_MALFORMED,
                        _("%s: not a PKCS#12 file (a private key file needs its certificate file as well)"), path);
    PKCS12 *p12 = NULL;
    if (rc == VBSIG_OK) {
        const unsigned char *q = m.data;
        p12 = d2i_PKCS12(NULL, &q, (long)m.len);
        if (p12 == NULL)
            rc = vbsig_fail_ssl(VBSIG_E_MALFORMED, _("%s: not a PKCS#12 file"), path);
    }
    vbsig_file_map_close(&m);
    if (rc != VBSIG_OK)
        return rc;
    char *pass = NULL;
    rc = pkcs12_password(p12, path, pass_source, &pass);
    EVP_PKEY *pkey = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *ca = NULL;
    if (rc == VBSIG_OK && !PKCS12_parse(p12, pass, &pkey, &cert, &ca)) {
        /* The MAC does not verify with the password: it is the wrong one. */
        unsigned long e = ERR_peek_last_error();
        if (ERR_GET_LIB(e) == ERR_LIB_PKCS12 && ERR_GET_REASON(e) == PKCS12_R_MAC_VERIFY_FAILURE) {
            ERR_clear_error();
            rc = vbsig_fail(VBSIG_E_AUTH, _("%s: wrong password for the PKCS#12 file"), path);
        } else {
            rc = vbsig_fail_ssl(VBSIG_E_MALFORMED, _("%s: the PKCS#12 content cannot be read"), path);
        }
    }
    vbsig_secret_free(pass);
    PKCS12_free(p12);
    if (rc == VBSIG_OK && (pkey == NULL || cert == NULL))
        rc = vbsig_fail(VBSIG_E_KEY_NOT_FOUND, _("%s: the PKCS#12 file holds no key with its certificate"), path);
    if (rc != VBSIG_OK) {
        EVP_PKEY_free(pkey);
        X509_free(cert);
        sk_X509_pop_free(ca, X509_free);
        return rc;
    }
    rc = vbsig_signer_from_evp(out, pkey, cert);
    for (int i = 0; rc == VBSIG_OK && i < sk_X509_num(ca); i++) {
        X509 *x = sk_X509_value(ca, i);
        unsigned char *der = NULL;
        int len = i2d_X509(x, &der);
        if (len > 0)
            rc = vbsig_signer_add_chain_der(*out, der, (size_t)len);
        OPENSSL_free(der);
    }
    sk_X509_pop_free(ca, X509_free);
    if (rc != VBSIG_OK) {
        vbsig_signer_free(*out);
        *out = NULL;
    }
    return rc;
}

static int certonly_sign(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    (void)impl, (void)req, (void)sig, (void)sig_len;
    return vbsig_fail(VBSIG_E_KEY_UNUSABLE,
                      _("this signer holds only a certificate: use two-step signing (prepare/finish)"));
}

static const vbsig_signer_ops certonly_ops = {1, certonly_sign, NULL};

int vbsig_signer_from_cert_file(vbsig_signer **out, const char *cert_path)
{
    VBSIG_REQUIRE(out, "out");
    VBSIG_REQUIRE(cert_path, "cert_path");
    vbsig_i18n_ensure();
    *out = NULL;
    X509 *cert = NULL;
    int rc = load_one_cert(cert_path, &cert);
    if (rc != VBSIG_OK)
        return rc;
    return vbsig_signer_wrap(out, &certonly_ops, NULL, cert);
}
