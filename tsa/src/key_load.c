/* The TSA's key, certificate and chain from files: a PEM or DER private key
 * with --cert, or a PKCS#12 file. PKCS#11 keys come with the bridge. */
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "tsa.h"

#define TSA_KEY_FILE_MAX (1024 * 1024)

static int pem_pass_cb(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    const char *pass = u;
    if (pass == NULL)
        return -1;
    size_t n = strlen(pass);
    if (n > (size_t)size)
        return -1;
    memcpy(buf, pass, n);
    return (int)n;
}

static int load_private_key(const uint8_t *p, size_t n, const char *pass, const char *path,
                            EVP_PKEY **out)
{
    BIO *bio = BIO_new_mem_buf(p, (int)n);
    if (bio == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, pem_pass_cb, (void *)pass);
    if (key == NULL) {
        BIO_reset(bio);
        key = d2i_PKCS8PrivateKey_bio(bio, NULL, pem_pass_cb, (void *)pass);
    }
    if (key == NULL) {
        const unsigned char *q = p;
        key = d2i_AutoPrivateKey(NULL, &q, (long)n);
    }
    BIO_free(bio);
    if (key == NULL)
        return vbsig_fail_ssl(VBSIG_E_AUTH,
                              _("%s: not a private key we can read (or wrong password)"), path);
    ERR_clear_error();
    *out = key;
    return VBSIG_OK;
}

static void drop_self_signed(STACK_OF(X509) *chain)
{
    /* Tokens ship the path to the root, never the root itself. */
    for (int i = sk_X509_num(chain) - 1; i >= 0; i--) {
        X509 *c = sk_X509_value(chain, i);
        if (X509_check_issued(c, c) == X509_V_OK) {
            sk_X509_delete(chain, i);
            X509_free(c);
        }
    }
}

static int load_pkcs12(tsa_keys *k, const uint8_t *p, size_t n, const char *pass,
                       const char *path)
{
    const unsigned char *q = p;
    PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)n);
    if (p12 == NULL)
        return VBSIG_E_MALFORMED; /* not PKCS#12: the caller tries a key file */
    STACK_OF(X509) *ca = NULL;
    X509 *cert = NULL;
    int ok = PKCS12_parse(p12, pass != NULL ? pass : "", &k->key, &cert, &ca);
    PKCS12_free(p12);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_AUTH, _("%s: cannot open the PKCS#12 file (wrong password?)"),
                              path);
    if (k->cert == NULL)
        k->cert = cert;
    else
        X509_free(cert);
    if (k->chain == NULL)
        k->chain = ca;
    else
        sk_X509_pop_free(ca, X509_free);
    return VBSIG_OK;
}

int tsa_keys_load(tsa_keys *k, const tsa_config *c)
{
    memset(k, 0, sizeof *k);
    if (strncmp(c->key, "pkcs11:", 7) == 0)
        return vbsig_fail(VBSIG_E_UNAVAILABLE,
                          _("%s: PKCS#11 keys are not available yet in vbsig-tsa; use a key file "
                            "or a PKCS#12 file"),
                          c->key);

    int rc;
    if (c->cert != NULL) {
        STACK_OF(X509) *certs = sk_X509_new_null();
        if (certs == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        rc = vbsig_certs_load_file(c->cert, certs, 1);
        if (rc == VBSIG_OK && sk_X509_num(certs) == 1)
            k->cert = sk_X509_shift(certs);
        sk_X509_pop_free(certs, X509_free);
        if (rc != VBSIG_OK)
            return rc;
        if (k->cert == NULL)
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: no certificate found"), c->cert);
    }
    if (c->chain != NULL) {
        k->chain = sk_X509_new_null();
        if (k->chain == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        rc = vbsig_certs_load_file(c->chain, k->chain, 16);
        if (rc != VBSIG_OK)
            return rc;
    }

    char *pass = NULL;
    if (c->pass != NULL) {
        rc = vbsig_secret_read(c->pass, _("Key password: "), &pass);
        if (rc != VBSIG_OK)
            return rc;
    }
    vbsig_file_map m;
    rc = vbsig_file_map_open(&m, c->key, TSA_KEY_FILE_MAX);
    if (rc == VBSIG_OK) {
        rc = load_pkcs12(k, m.data, m.len, pass, c->key);
        if (rc == VBSIG_E_MALFORMED)
            rc = load_private_key(m.data, m.len, pass, c->key, &k->key);
        vbsig_file_map_close(&m);
    }
    if (pass != NULL)
        vbsig_secret_free(pass);
    ERR_clear_error();
    if (rc != VBSIG_OK)
        return rc;
    if (k->cert == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: no certificate: give --cert FILE"), c->key);
    if (k->chain == NULL && (k->chain = sk_X509_new_null()) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    drop_self_signed(k->chain);
    return VBSIG_OK;
}

void tsa_keys_free(tsa_keys *k)
{
    EVP_PKEY_free(k->key);
    X509_free(k->cert);
    sk_X509_pop_free(k->chain, X509_free);
    memset(k, 0, sizeof *k);
}
