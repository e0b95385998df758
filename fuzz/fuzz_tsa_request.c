/* libFuzzer harness: vbsig-tsa's answer to one request body (tsa/src
 * issuer.c and token.c: strict DER check, TS_REQ parsing, the request
 * checks, TSTInfo and the signed token), with an ECDSA P-256 TSA key made
 * once in memory. Besides memory errors it checks the server's promises:
 * there is always a reply, it is one well-formed TimeStampResp, and the
 * journal record says granted exactly when a token was made. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "tsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tsa_keys keys;
static tsa_issuer *issuer;

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
    if (cert == NULL)
        abort();
    keys.cert = cert;
    keys.chain = sk_X509_new_null();
    keys.not_after = time(NULL) + 86400L * 365;
    X509_up_ref(cert);
    if (keys.chain == NULL || vbsig_signer_from_evp(&keys.signer, key, cert) != VBSIG_OK)
        abort();
    static char policy[] = "1.3.6.1.4.1.99999.1.1", extra[] = "1.3.6.1.4.1.99999.1.2";
    static char *accept[] = { extra };
    tsa_config c;
    memset(&c, 0, sizeof c); /* hashes NULL: the server's default list */
    c.policy = policy;
    c.accept_policies = accept;
    c.n_accept_policies = 1;
    c.accuracy_ms = 500;
    tsa_clock_init(c.accuracy_ms, 1);
    if (tsa_issuer_new(&issuer, &keys, &c) != VBSIG_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (issuer == NULL)
        setup();
    tsa_record rec;
    tsa_record_init(&rec);
    uint8_t *reply = NULL;
    size_t reply_len = 0;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (tsa_issue(issuer, data, size, &now, &reply, &reply_len, &rec) != VBSIG_OK || reply == NULL)
        abort(); /* only running out of memory may end without a reply */
    const unsigned char *p = reply;
    TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)reply_len);
    if (resp == NULL || p != reply + reply_len)
        abort();
    long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp)));
    int granted = strcmp(rec.outcome, "granted") == 0;
    if (granted != (status == TS_STATUS_GRANTED) || granted != (TS_RESP_get_token(resp) != NULL) ||
        granted != (rec.token_len > 0))
        abort();
    TS_RESP_free(resp);
    free(reply);
    tsa_record_clear(&rec);
    return 0;
}
