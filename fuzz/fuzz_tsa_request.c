/* libFuzzer harness: the RFC 3161 issuer's answer to one request body
 * (vbsig_tsp_issue, which vbsig-tsa serves: strict DER check, TS_REQ
 * parsing, the request checks, TSTInfo and the signed token), with an
 * ECDSA P-256 TSA key made once in memory. Besides memory errors it checks
 * the issuer's promises: there is always a reply, it is one well-formed
 * TimeStampResp, info says granted exactly when a token was made, and the
 * token's place in the reply is the token. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "vbsig/status.h"
#include "vbsig/tsp_issue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vbsig_signer *signer;
static vbsig_tsp_issuer *issuer;

static X509 *tsa_certificate(EVP_PKEY *key)
{
    X509 *cert = X509_new();
    X509_NAME *name = X509_NAME_new();
    X509V3_CTX v3;
    X509_EXTENSION *eku = NULL;
    int ok = cert != NULL && name != NULL && X509_set_version(cert, 2) &&
             ASN1_INTEGER_set(X509_get_serialNumber(cert), 7) &&
             X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"fuzz TSA",
                                        -1, -1, 0) &&
             X509_set_subject_name(cert, name) && X509_set_issuer_name(cert, name) &&
             X509_gmtime_adj(X509_getm_notBefore(cert), -3600) &&
             X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * 365) && X509_set_pubkey(cert, key);
    if (ok) {
        X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
        eku = X509V3_EXT_nconf_nid(NULL, &v3, NID_ext_key_usage, "critical,timeStamping");
        ok = eku != NULL && X509_add_ext(cert, eku, -1) && X509_sign(cert, key, EVP_sha256()) > 0;
    }
    X509_EXTENSION_free(eku);
    X509_NAME_free(name);
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

static void setup(void)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = key != NULL ? tsa_certificate(key) : NULL;
    if (cert == NULL || vbsig_signer_from_evp(&signer, key, cert) != VBSIG_OK)
        abort();
    static const char *const accept[] = { "1.3.6.1.4.1.99999.1.2" };
    vbsig_tsp_issuer_opts o;
    vbsig_tsp_issuer_opts_init(&o); /* hashes NULL: the default list */
    o.policy = "1.3.6.1.4.1.99999.1.1";
    o.accept_policies = accept;
    o.n_accept_policies = 1;
    o.accuracy_ms = 500;
    if (vbsig_tsp_issuer_new(&issuer, signer, &o) != VBSIG_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (issuer == NULL)
        setup();
    vbsig_buf reply = { 0 };
    vbsig_tsp_issued info;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (vbsig_tsp_issue(issuer, data, size, &now, &reply, &info) != VBSIG_OK || reply.data == NULL)
        abort(); /* only running out of memory may end without a reply */
    const unsigned char *p = reply.data;
    TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)reply.len);
    if (resp == NULL || p != reply.data + reply.len)
        abort();
    long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp)));
    PKCS7 *token = TS_RESP_get_token(resp);
    if (info.granted != (status == TS_STATUS_GRANTED) || info.granted != (token != NULL) ||
        info.granted != (info.token_len > 0) || info.granted != (info.failure < 0))
        abort();
    if (token != NULL) {
        unsigned char *der = NULL;
        int n = i2d_PKCS7(token, &der);
        if (n <= 0 || (size_t)n != info.token_len || info.token_offset + info.token_len > reply.len ||
            memcmp(der, reply.data + info.token_offset, info.token_len) != 0)
            abort();
        OPENSSL_free(der);
    }
    TS_RESP_free(resp);
    vbsig_buf_free(&reply);
    vbsig_tsp_issued_clear(&info);
    return 0;
}
