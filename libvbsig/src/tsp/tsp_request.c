/* Building the TimeStampReq (RFC 3161 §2.4.1). */
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include "crypto/crypto.h"
#include "tsp/tsp.h"

/* 128 random bits: far beyond what a TSA could guess, well inside the 160
 * bits EN 319 422 obliges servers to echo. */
#define NONCE_BYTES 16

static ASN1_INTEGER *random_nonce(void)
{
    unsigned char raw[NONCE_BYTES];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return NULL;
    raw[0] &= 0x7f; /* a positive INTEGER without a sign octet */
    raw[0] |= 0x40; /* and of full length, so the encoding never shrinks */
    BIGNUM *bn = BN_bin2bn(raw, sizeof raw, NULL);
    ASN1_INTEGER *n = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    BN_free(bn);
    return n;
}

static int build_imprint(TS_REQ *req, vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len)
{
    TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
    X509_ALGOR *algor = X509_ALGOR_new();
    int ok = imprint != NULL && algor != NULL && digest_len <= INT32_MAX;
    if (ok) {
        X509_ALGOR_set_md(algor, vbsig_digest_md(alg));
        ok = TS_MSG_IMPRINT_set_algo(imprint, algor) &&
             TS_MSG_IMPRINT_set_msg(imprint, (unsigned char *)digest, (int)digest_len) &&
             TS_REQ_set_msg_imprint(req, imprint);
    }
    X509_ALGOR_free(algor);
    TS_MSG_IMPRINT_free(imprint);
    return ok;
}

int vbsig_tsp_request_build(vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len,
                            const char *policy, vbsig_bytes *der, ASN1_INTEGER **nonce)
{
    *nonce = NULL;
    if (vbsig_digest_md(alg) == NULL || digest_len != vbsig_digest_size(alg))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the digest to timestamp does not match its algorithm"));
    ASN1_OBJECT *policy_oid = NULL;
    if (policy != NULL && (policy_oid = OBJ_txt2obj(policy, 1)) == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' is not a policy OID such as 1.2.3.4"), policy);
    TS_REQ *req = TS_REQ_new();
    ASN1_INTEGER *n = random_nonce();
    int ok = req != NULL && n != NULL && TS_REQ_set_version(req, 1) &&
             build_imprint(req, alg, digest, digest_len) &&
             (policy_oid == NULL || TS_REQ_set_policy_id(req, policy_oid)) &&
             TS_REQ_set_nonce(req, n) && TS_REQ_set_cert_req(req, 1);
    unsigned char *out = NULL;
    int len = ok ? i2d_TS_REQ(req, &out) : -1;
    int rc = VBSIG_OK;
    if (len <= 0)
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("building the timestamp request failed"));
    else
        rc = vbsig_bytes_append(der, out, (size_t)len);
    OPENSSL_free(out);
    TS_REQ_free(req);
    ASN1_OBJECT_free(policy_oid);
    if (rc == VBSIG_OK)
        *nonce = n;
    else
        ASN1_INTEGER_free(n);
    return rc;
}
