/* One signature on the token: pick the mechanism, run it in a pooled
 * session, shape the result the way CMS wants it. */
#include <stdlib.h>
#include <string.h>

#include "p11.h"
#include "p11_key.h"

/* DER DigestInfo headers (RFC 8017 §9.2 note 1 and NIST's SHA-3 OIDs):
 * CKM_RSA_PKCS over DigestInfo||hash is byte-identical to CKM_SHAxxx_RSA_PKCS
 * and works on tokens that offer nothing else. */
static const uint8_t DI_SHA256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t DI_SHA384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t DI_SHA512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
static const uint8_t DI_SHA3_256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                      0x65, 0x03, 0x04, 0x02, 0x08, 0x05, 0x00, 0x04, 0x20};
static const uint8_t DI_SHA3_512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                      0x65, 0x03, 0x04, 0x02, 0x0a, 0x05, 0x00, 0x04, 0x40};

typedef struct digest_params {
    const uint8_t *info;
    size_t info_len;
    CK_MECHANISM_TYPE hash;
    CK_RSA_PKCS_MGF_TYPE mgf;
} digest_params;

static int params_for(vbsig_digest_alg alg, digest_params *p)
{
    switch (alg) {
    case VBSIG_DIGEST_SHA256: *p = (digest_params){DI_SHA256, sizeof DI_SHA256, CKM_SHA256, CKG_MGF1_SHA256}; return VBSIG_OK;
    case VBSIG_DIGEST_SHA384: *p = (digest_params){DI_SHA384, sizeof DI_SHA384, CKM_SHA384, CKG_MGF1_SHA384}; return VBSIG_OK;
    case VBSIG_DIGEST_SHA512: *p = (digest_params){DI_SHA512, sizeof DI_SHA512, CKM_SHA512, CKG_MGF1_SHA512}; return VBSIG_OK;
    case VBSIG_DIGEST_SHA3_256: *p = (digest_params){DI_SHA3_256, sizeof DI_SHA3_256, CKM_SHA3_256, CKG_MGF1_SHA3_256}; return VBSIG_OK;
    case VBSIG_DIGEST_SHA3_512: *p = (digest_params){DI_SHA3_512, sizeof DI_SHA3_512, CKM_SHA3_512, CKG_MGF1_SHA3_512}; return VBSIG_OK;
    default: return p11_fail(VBSIG_E_UNSUPPORTED, _("the token signer cannot sign this digest algorithm"));
    }
}

static void mark_removed(p11_key *k)
{
    pthread_mutex_lock(&k->lock);
    k->removed = 1;
    pthread_mutex_unlock(&k->lock);
}

static int get_session(p11_key *k, CK_SESSION_HANDLE *s)
{
    pthread_mutex_lock(&k->lock);
    int removed = k->removed;
    pthread_mutex_unlock(&k->lock);
    if (removed) {
        int rc = p11_key_recover(k);
        if (rc != VBSIG_OK)
            return rc;
    }
    pthread_mutex_lock(&k->lock);
    int have = k->idle_n > 0;
    if (have)
        *s = k->idle[--k->idle_n];
    pthread_mutex_unlock(&k->lock);
    if (have)
        return VBSIG_OK;
    /* Sessions of a logged-in application share its login (PKCS#11 §5.6). */
    CK_RV rv = k->m->f->C_OpenSession(k->slot, CKF_SERIAL_SESSION, NULL, NULL, s);
    if (rv != CKR_OK) {
        if (p11_rv_is_removal(rv))
            mark_removed(k);
        char what[160];
        snprintf(what, sizeof what, _("cannot open a session on token %s"), k->token_label);
        return p11_fail_rv(rv, what);
    }
    return VBSIG_OK;
}

static void put_session(p11_key *k, CK_SESSION_HANDLE s, CK_RV last)
{
    if (p11_rv_is_removal(last)) {
        mark_removed(k);
        k->m->f->C_CloseSession(s);
        return;
    }
    pthread_mutex_lock(&k->lock);
    if (k->idle_n < P11_POOL_MAX) {
        k->idle[k->idle_n++] = s;
        s = CK_INVALID_HANDLE;
    }
    pthread_mutex_unlock(&k->lock);
    if (s != CK_INVALID_HANDLE)
        k->m->f->C_CloseSession(s);
}

int p11_key_sign(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    p11_key *k = impl;
    digest_params dp = {0};
    int rc = params_for(req->digest_alg, &dp);
    if (rc != VBSIG_OK)
        return rc;
    if (req->digest_len > 64)
        return p11_fail(VBSIG_E_INVALID_ARG, _("the digest is longer than any supported algorithm's"));
    uint8_t data[128];
    size_t data_len = 0;
    CK_RSA_PKCS_PSS_PARAMS pss = {dp.hash, dp.mgf, req->digest_len};
    CK_MECHANISM mech = {CKM_ECDSA, NULL, 0};
    if (k->key_type == CKK_RSA && req->padding == VBSIG_RSA_PSS) {
        mech = (CK_MECHANISM){CKM_RSA_PKCS_PSS, &pss, sizeof pss};
        memcpy(data, req->digest, req->digest_len);
        data_len = req->digest_len;
    } else if (k->key_type == CKK_RSA) {
        mech = (CK_MECHANISM){CKM_RSA_PKCS, NULL, 0};
        memcpy(data, dp.info, dp.info_len);
        memcpy(data + dp.info_len, req->digest, req->digest_len);
        data_len = dp.info_len + req->digest_len;
    } else {
        memcpy(data, req->digest, req->digest_len);
        data_len = req->digest_len;
    }
    CK_SESSION_HANDLE s;
    rc = get_session(k, &s);
    if (rc != VBSIG_OK)
        return rc;
    CK_RV rv = k->m->f->C_SignInit(s, &mech, k->key);
    if (rv == CKR_OK && k->always_auth) {
        /* CKA_ALWAYS_AUTHENTICATE: this one operation needs the PIN again. */
        rc = p11_login(k->m, s, k->slot, CKU_CONTEXT_SPECIFIC, &k->pins);
        if (rc != VBSIG_OK) {
            /* the session still holds the started operation: not reusable */
            if (!p11_module_is_stuck(k->m))
                k->m->f->C_CloseSession(s);
            return rc;
        }
    }
    uint8_t raw[VBSIG_MAX_SIGNATURE];
    CK_ULONG raw_len = sizeof raw;
    if (rv == CKR_OK)
        rv = k->m->f->C_Sign(s, data, data_len, raw, &raw_len);
    put_session(k, s, rv);
    if (rv != CKR_OK) {
        char what[200];
        if (p11_rv_is_removal(rv))
            snprintf(what, sizeof what, _("token %s stopped answering while signing"), k->token_label);
        else if (mech.mechanism == CKM_RSA_PKCS_PSS && p11_status_for_rv(rv) == VBSIG_E_MECHANISM)
            snprintf(what, sizeof what, _("token %s cannot sign with RSA-PSS; use --rsa-padding pkcs1"), k->token_label);
        else
            snprintf(what, sizeof what, _("token %s could not sign"), k->token_label);
        return p11_fail_rv(rv, what);
    }
    if (k->key_type == CKK_EC)
        return p11_ecdsa_raw_to_der(raw, raw_len, sig, sig_len);
    if (raw_len > *sig_len)
        return p11_fail(VBSIG_E_INTERNAL, _("the token's signature is larger than the buffer"));
    memcpy(sig, raw, raw_len);
    *sig_len = raw_len;
    return VBSIG_OK;
}
