/* The TSA's key, certificate and chain: a PEM or DER private key with
 * --cert, a PKCS#12 file, or a pkcs11: URI (one login; the bridge's session
 * pool serves the worker threads). Each ends up as a vbsig_signer. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "tsa.h"
#include "vbsig/pkcs11.h"

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
                       const char *path, EVP_PKEY **key)
{
    const unsigned char *q = p;
    PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)n);
    if (p12 == NULL)
        return VBSIG_E_MALFORMED; /* not PKCS#12: the caller tries a key file */
    STACK_OF(X509) *ca = NULL;
    X509 *cert = NULL;
    int ok = PKCS12_parse(p12, pass != NULL ? pass : "", key, &cert, &ca);
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

/* A key on a token: the certificate from --cert if given (the bridge
 * checks it belongs to the key), else the token's certificate with the
 * key's CKA_ID. The PIN is asked for once; a wrong one ends here. */
static int load_pkcs11(tsa_keys *k, const tsa_config *c)
{
    vbsig_pkcs11_opts opts;
    vbsig_pkcs11_opts_init(&opts);
    opts.module = c->module;
    /* The environment as the server's defaults, as for the vbsig command
     * (the bridge itself reads none). */
    const char *env_module = getenv("VBSIG_PKCS11_MODULE");
    if (opts.module == NULL && env_module != NULL && env_module[0] != '\0' && strstr(c->key, "module-path=") == NULL)
        opts.module = env_module;
    const char *env_ms = getenv("VBSIG_PKCS11_TIMEOUT_MS");
    unsigned long ms = env_ms != NULL ? strtoul(env_ms, NULL, 10) : 0;
    if (ms > 0 && ms <= 3600000)
        opts.timeout_ms = (unsigned)ms;
    opts.pin_source = c->pin;
    opts.cert_path = c->cert;
    int rc = vbsig_signer_from_pkcs11(&k->signer, NULL, c->key, &opts);
    if (rc != VBSIG_OK || k->cert != NULL)
        return rc;
    size_t len = 0;
    const unsigned char *der = vbsig_signer_cert_der(k->signer, &len);
    k->cert = der != NULL ? d2i_X509(NULL, &der, (long)len) : NULL;
    if (k->cert == NULL)
        return vbsig_fail_ssl(VBSIG_E_MALFORMED, _("%s: cannot read the token's certificate"),
                              c->key);
    return VBSIG_OK;
}

/* A key file or PKCS#12 file, wrapped in a software signer. */
static int load_key_file(tsa_keys *k, const tsa_config *c)
{
    int rc;
    char *pass = NULL;
    if (c->pass != NULL) {
        rc = vbsig_secret_read(c->pass, _("Key password: "), &pass);
        if (rc != VBSIG_OK)
            return rc;
    }
    vbsig_file_map m;
    EVP_PKEY *key = NULL;
    rc = vbsig_file_map_open(&m, c->key, TSA_KEY_FILE_MAX);
    if (rc == VBSIG_OK) {
        rc = load_pkcs12(k, m.data, m.len, pass, c->key, &key);
        if (rc == VBSIG_E_MALFORMED)
            rc = load_private_key(m.data, m.len, pass, c->key, &key);
        vbsig_file_map_close(&m);
    }
    if (pass != NULL)
        vbsig_secret_free(pass);
    ERR_clear_error();
    if (rc == VBSIG_OK && k->cert == NULL)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: no certificate: give --cert FILE"), c->key);
    if (rc == VBSIG_OK) {
        /* The signer owns its own reference to the certificate. */
        X509_up_ref(k->cert);
        rc = vbsig_signer_from_evp(&k->signer, key, k->cert);
        key = NULL;
    }
    EVP_PKEY_free(key);
    return rc;
}

int tsa_keys_load(tsa_keys *k, const tsa_config *c)
{
    memset(k, 0, sizeof *k);
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

    rc = strncmp(c->key, "pkcs11:", 7) == 0 ? load_pkcs11(k, c) : load_key_file(k, c);
    if (rc != VBSIG_OK)
        return rc;
    if (k->chain == NULL && (k->chain = sk_X509_new_null()) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    drop_self_signed(k->chain);
    return VBSIG_OK;
}

void tsa_keys_free(tsa_keys *k)
{
    vbsig_signer_free(k->signer);
    X509_free(k->cert);
    sk_X509_pop_free(k->chain, X509_free);
    memset(k, 0, sizeof *k);
}
