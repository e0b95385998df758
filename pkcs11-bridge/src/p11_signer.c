/* vbsig_signer_from_pkcs11: the token, the login, the key and its
 * certificate, wrapped as a vbsig signer. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "p11.h"
#include "p11_key.h"

#define P11_MAX_MATCHES 16

void vbsig_pkcs11_opts_init(vbsig_pkcs11_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = 1;
}

static void wipe_source(p11_key *k)
{
    if (k->pins.source != NULL) {
        p11_wipe(k->pins.source, strlen(k->pins.source));
        free(k->pins.source);
        k->pins.source = NULL;
    }
    k->pins.has_source = 0;
}

/* A "pass:" source is the PIN itself: once logged in, only keys that want
 * the PIN for every signature may keep it. env:, file: and fd: only say
 * where the PIN is, and stay for a login after re-insertion. */
static void forget_pin_source(p11_key *k)
{
    if (k->pins.source != NULL && strncmp(k->pins.source, "pass:", 5) == 0)
        wipe_source(k);
}

void p11_key_free(void *impl)
{
    p11_key *k = impl;
    if (k == NULL)
        return;
    if (k->m != NULL && !p11_module_is_stuck(k->m)) {
        for (size_t i = 0; i < k->idle_n; i++)
            k->m->f->C_CloseSession(k->idle[i]);
        if (k->login_session != CK_INVALID_HANDLE)
            k->m->f->C_CloseSession(k->login_session);
    }
    p11_module_close(k->m);
    pthread_mutex_destroy(&k->lock);
    pthread_mutex_destroy(&k->recover_lock);
    wipe_source(k);
    p11_uri_free(&k->uri);
    free(k->cert);
    free(k->token_label);
    free(k);
}

static int read_cert_file(const char *path, uint8_t **der, size_t *len)
{
    BIO *b = BIO_new_file(path, "rb");
    if (b == NULL)
        return p11_fail(VBSIG_E_IO_READ, _("%s: cannot open the certificate"), path);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    if (x == NULL) {
        BIO_reset(b);
        x = d2i_X509_bio(b, NULL);
    }
    BIO_free(b);
    if (x == NULL)
        return p11_fail(VBSIG_E_MALFORMED, _("%s: not a PEM or DER certificate"), path);
    int n = i2d_X509(x, NULL);
    *der = n > 0 ? malloc((size_t)n) : NULL;
    if (*der == NULL) {
        X509_free(x);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    uint8_t *p = *der;
    i2d_X509(x, &p);
    *len = (size_t)n;
    X509_free(x);
    return VBSIG_OK;
}

/* The token's RSA modulus must be the certificate's: a key paired with the
 * wrong certificate makes signatures nobody can verify. Tokens that hide
 * the modulus on the private key are trusted on their CKA_ID. */
static int check_rsa_pair(p11_key *k, const uint8_t *cert, size_t cert_len)
{
    if (k->key_type != CKK_RSA)
        return VBSIG_OK;
    uint8_t *mod = NULL;
    size_t mod_len = 0;
    int rc = p11_attr_get(k->m, k->login_session, k->key, CKA_MODULUS, &mod, &mod_len);
    if (rc != VBSIG_OK || mod == NULL)
        return rc;
    const uint8_t *p = cert;
    X509 *x = d2i_X509(NULL, &p, (long)cert_len);
    BIGNUM *n = NULL, *tok = BN_bin2bn(mod, (int)mod_len, NULL);
    EVP_PKEY *pub = x != NULL ? X509_get0_pubkey(x) : NULL;
    int same = pub != NULL && tok != NULL && EVP_PKEY_get_bn_param(pub, "n", &n) && BN_cmp(n, tok) == 0;
    BN_free(n);
    BN_free(tok);
    X509_free(x);
    free(mod);
    if (!same)
        return p11_fail(VBSIG_E_KEY_UNUSABLE, _("the certificate does not belong to the private key on token %s"),
                        k->token_label);
    return VBSIG_OK;
}

static int find_key(p11_key *k, const p11_uri *u)
{
    CK_OBJECT_HANDLE found[P11_MAX_MATCHES];
    size_t n = 0;
    int rc = p11_find_objects(k->m, k->login_session, CKO_PRIVATE_KEY, u->has_id ? u->id : NULL, u->id_len,
                              u->object, found, P11_MAX_MATCHES, &n);
    if (rc != VBSIG_OK)
        return rc;
    if (n != 1) {
        char *what = p11_uri_describe(u);
        rc = n == 0 ? p11_fail(VBSIG_E_KEY_NOT_FOUND, _("no private key matching %s on token %s"), what ? what : "?",
                               k->token_label)
                    : p11_fail(VBSIG_E_KEY_NOT_FOUND,
                               _("%zu private keys match %s on token %s; name one with object= or id="), n,
                               what ? what : "?", k->token_label);
        free(what);
        return rc;
    }
    k->key = found[0];
    CK_KEY_TYPE type = 0;
    CK_BBOOL always = CK_FALSE;
    CK_ATTRIBUTE a[2] = {{CKA_KEY_TYPE, &type, sizeof type}, {CKA_ALWAYS_AUTHENTICATE, &always, sizeof always}};
    CK_RV rv = k->m->f->C_GetAttributeValue(k->login_session, k->key, a, 2);
    if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID)
        return p11_fail_rv(rv, _("cannot read the private key's type"));
    if (a[0].ulValueLen == CK_UNAVAILABLE_INFORMATION || (type != CKK_RSA && type != CKK_EC))
        return p11_fail(VBSIG_E_KEY_UNUSABLE, _("the key on token %s is neither RSA nor EC"), k->token_label);
    k->key_type = type;
    k->always_auth = a[1].ulValueLen != CK_UNAVAILABLE_INFORMATION && always == CK_TRUE;
    return VBSIG_OK;
}

/* The certificate with the key's CKA_ID, else with its label. */
static int find_cert(p11_key *k, uint8_t **der, size_t *len)
{
    uint8_t *id = NULL, *label = NULL;
    size_t id_len = 0, label_len = 0;
    int rc = p11_attr_get(k->m, k->login_session, k->key, CKA_ID, &id, &id_len);
    if (rc == VBSIG_OK)
        rc = p11_attr_get(k->m, k->login_session, k->key, CKA_LABEL, &label, &label_len);
    CK_OBJECT_HANDLE found[P11_MAX_MATCHES];
    size_t n = 0;
    if (rc == VBSIG_OK && id != NULL && id_len > 0)
        rc = p11_find_objects(k->m, k->login_session, CKO_CERTIFICATE, id, id_len, NULL, found, P11_MAX_MATCHES, &n);
    if (rc == VBSIG_OK && n == 0 && label != NULL && label_len > 0)
        rc = p11_find_objects(k->m, k->login_session, CKO_CERTIFICATE, NULL, 0, (const char *)label, found,
                              P11_MAX_MATCHES, &n);
    if (rc == VBSIG_OK && n == 0)
        rc = p11_fail(VBSIG_E_KEY_NOT_FOUND,
                      _("token %s has no certificate for the key '%s' (same id or label); give one with --cert"),
                      k->token_label, label != NULL ? (const char *)label : "");
    if (rc == VBSIG_OK)
        rc = p11_attr_get(k->m, k->login_session, found[0], CKA_VALUE, der, len);
    if (rc == VBSIG_OK && *der == NULL)
        rc = p11_fail(VBSIG_E_KEY_NOT_FOUND, _("the certificate on token %s has no value"), k->token_label);
    free(id);
    free(label);
    return rc;
}

/* Finds the token, logs in and finds the key: at the start, and again
 * after the token was pulled out and put back. */
static int attach(p11_key *k, unsigned timeout_ms)
{
    CK_TOKEN_INFO ti;
    int rc = p11_find_token(k->m, &k->uri, timeout_ms, &k->slot, &ti);
    if (rc == VBSIG_OK && k->token_label == NULL && (k->token_label = p11_text_unpad(ti.label, sizeof ti.label)) == NULL)
        rc = p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (rc == VBSIG_OK) {
        CK_RV rv = k->m->f->C_OpenSession(k->slot, CKF_SERIAL_SESSION, NULL, NULL, &k->login_session);
        if (rv != CKR_OK)
            rc = p11_fail_rv(rv, _("cannot open a session on the token"));
    }
    if (rc == VBSIG_OK && (ti.flags & CKF_LOGIN_REQUIRED))
        rc = p11_login(k->m, k->login_session, k->slot, CKU_USER, &k->pins);
    if (rc == VBSIG_OK)
        rc = find_key(k, &k->uri);
    return rc;
}

static int open_key(p11_key *k, const char *uri_text, const vbsig_pkcs11_opts *o, const char *ctx_module)
{
    int rc = p11_uri_parse(uri_text, &k->uri);
    if (rc != VBSIG_OK)
        return rc;
    if (k->uri.type != NULL && strcmp(k->uri.type, "private") != 0)
        return p11_fail(VBSIG_E_INVALID_ARG, _("the PKCS#11 URI must name a private key (type=private), not type=%s"),
                        k->uri.type);
    /* The options' module, then module-path= of the URI, then the context's. */
    const char *module = o->module != NULL ? o->module : k->uri.module_path != NULL ? k->uri.module_path : ctx_module;
    rc = p11_module_open(module, &k->m);
    if (rc == VBSIG_OK)
        rc = attach(k, o->timeout_ms);
    if (rc == VBSIG_OK)
        rc = o->cert_path != NULL ? read_cert_file(o->cert_path, &k->cert, &k->cert_len)
                                  : find_cert(k, &k->cert, &k->cert_len);
    if (rc == VBSIG_OK)
        rc = check_rsa_pair(k, k->cert, k->cert_len);
    return rc;
}

int p11_key_recover(p11_key *k)
{
    pthread_mutex_lock(&k->recover_lock);
    pthread_mutex_lock(&k->lock);
    int removed = k->removed;
    size_t n = k->idle_n;
    CK_SESSION_HANDLE old[P11_POOL_MAX];
    memcpy(old, k->idle, n * sizeof old[0]);
    k->idle_n = 0;
    pthread_mutex_unlock(&k->lock);
    int rc = VBSIG_OK;
    if (removed) {
        /* Sessions from before the removal are dead (and libp11 0.4.12 would
         * keep using them): drop them all, the login with them. */
        for (size_t i = 0; i < n; i++)
            k->m->f->C_CloseSession(old[i]);
        if (k->login_session != CK_INVALID_HANDLE)
            k->m->f->C_CloseSession(k->login_session);
        k->login_session = CK_INVALID_HANDLE;
        rc = attach(k, k->pins.timeout_ms);
        if (rc == VBSIG_OK)
            rc = check_rsa_pair(k, k->cert, k->cert_len);
        if (rc == VBSIG_E_TOKEN_ABSENT)
            rc = p11_fail(VBSIG_E_TOKEN_REMOVED, _("token %s was removed; insert it again to go on"), k->token_label);
        if (rc == VBSIG_OK) {
            pthread_mutex_lock(&k->lock);
            k->removed = 0;
            pthread_mutex_unlock(&k->lock);
        }
    }
    pthread_mutex_unlock(&k->recover_lock);
    return rc;
}

int vbsig_signer_from_pkcs11(vbsig_signer **out, vbsig_ctx *ctx, const char *uri, const vbsig_pkcs11_opts *opts)
{
    const char *missing = out == NULL ? "out" : uri == NULL ? "uri" : opts == NULL ? "opts" : NULL;
    if (missing != NULL)
        return p11_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), __func__, missing);
    *out = NULL;
    if (opts->version != 1)
        return p11_fail(VBSIG_E_INVALID_ARG, _("vbsig_signer_from_pkcs11: out, uri and options (version 1) are required"));
    /* What the options leave unset comes from the context's network
     * settings (module, time bound); without a context, the defaults. */
    vbsig_pkcs11_opts o = *opts;
    vbsig_network_opts net;
    const char *ctx_module = NULL;
    if (ctx != NULL && vbsig_ctx_get_network(ctx, &net) == VBSIG_OK) {
        if (o.timeout_ms == 0)
            o.timeout_ms = net.pkcs11_timeout_ms;
        ctx_module = net.pkcs11_module; /* NULL: p11-kit's proxy */
    }
    opts = &o;
    p11_key *k = calloc(1, sizeof *k);
    if (k == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    pthread_mutex_init(&k->lock, NULL);
    pthread_mutex_init(&k->recover_lock, NULL);
    k->login_session = CK_INVALID_HANDLE;
    k->pins.has_source = opts->pin_source != NULL;
    k->pins.cb = opts->pin_cb;
    k->pins.cb_data = opts->pin_cb_data;
    k->pins.timeout_ms = opts->timeout_ms;
    if (opts->pin_source != NULL && (k->pins.source = strdup(opts->pin_source)) == NULL) {
        p11_key_free(k);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    int rc = open_key(k, uri, opts, ctx_module);
    if (rc == VBSIG_OK && !k->always_auth)
        forget_pin_source(k);
    if (rc == VBSIG_OK) {
        static const vbsig_signer_ops ops = {1, p11_key_sign, p11_key_free};
        rc = vbsig_signer_new(out, &ops, k, k->cert, k->cert_len);
    }
    if (rc != VBSIG_OK) {
        /* keep the message of the failure, not of the clean-up */
        p11_key_free(k);
        *out = NULL;
    }
    return rc;
}
