/* One request body in, one TimeStampResp out. Each worker owns an issuer:
 * OpenSSL's TS_RESP_CTX keeps per-request state and is not shared. It is
 * told to use ESSCertIDv2 (SHA-256), our serial and time callbacks, the
 * configured policies, digests and accuracy, and no ordering. Request
 * extensions are refused (unacceptedExtension), never copied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ts.h>

#include "tsa.h"

struct tsa_issuer {
    TS_RESP_CTX *ctx;
    struct timespec received; /* of the request being answered */
    time_t not_after;
};

static const struct {
    int bit;
    const char *name;
} failure_names[] = {
    { TSA_FAIL_BAD_ALG, "badAlg" },
    { TSA_FAIL_BAD_REQUEST, "badRequest" },
    { TSA_FAIL_BAD_DATA_FORMAT, "badDataFormat" },
    { TSA_FAIL_TIME_NOT_AVAILABLE, "timeNotAvailable" },
    { TSA_FAIL_UNACCEPTED_POLICY, "unacceptedPolicy" },
    { TSA_FAIL_UNACCEPTED_EXTENSION, "unacceptedExtension" },
    { TSA_FAIL_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable" },
    { TSA_FAIL_SYSTEM_FAILURE, "systemFailure" },
};

static ASN1_INTEGER *serial_cb(TS_RESP_CTX *ctx, void *data)
{
    (void)ctx;
    (void)data;
    return tsa_serial_new();
}

/* OpenSSL asks for the time after it has checked the request, so a bad
 * request is still told what is wrong with it even when the clock is not
 * usable. Returning 0 with our own status keeps that status. */
static int time_cb(TS_RESP_CTX *ctx, void *data, long *sec, long *usec)
{
    tsa_issuer *is = data;
    tsa_clock_state s = tsa_clock_check(NULL, NULL);
    if (!tsa_clock_usable(s)) {
        TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION,
                                    s == TSA_CLOCK_LEAP ? "leap second in progress"
                                                        : "clock not synchronised");
        TS_RESP_CTX_add_failure_info(ctx, TS_INFO_TIME_NOT_AVAILABLE);
        return 0;
    }
    if (is->received.tv_sec >= is->not_after) {
        TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "TSA certificate expired");
        TS_RESP_CTX_add_failure_info(ctx, TS_INFO_SYSTEM_FAILURE);
        return 0;
    }
    *sec = (long)is->received.tv_sec;
    *usec = is->received.tv_nsec / 1000;
    return 1;
}

static const EVP_MD *md_by_name(const char *name)
{
    static const struct { const char *name; int nid; } known[] = {
        { "sha256", NID_sha256 },     { "sha384", NID_sha384 },     { "sha512", NID_sha512 },
        { "sha3-256", NID_sha3_256 }, { "sha3-384", NID_sha3_384 }, { "sha3-512", NID_sha3_512 },
        { "sha1", NID_sha1 },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i].name) == 0)
            return EVP_get_digestbynid(known[i].nid);
    return NULL;
}

static int add_digests(TS_RESP_CTX *ctx, const char *list)
{
    char *copy = strdup(list);
    if (copy == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = VBSIG_OK, count = 0;
    char *save = NULL;
    for (char *name = strtok_r(copy, ", ", &save); name != NULL; name = strtok_r(NULL, ", ", &save)) {
        const EVP_MD *md = md_by_name(name);
        if (md == NULL) {
            rc = vbsig_fail(VBSIG_E_INVALID_ARG,
                            _("--hashes: unknown algorithm '%s' (sha256, sha384, sha512, sha3-256, "
                              "sha3-384, sha3-512, sha1)"),
                            name);
            break;
        }
        TS_RESP_CTX_add_md(ctx, md);
        count++;
    }
    free(copy);
    if (rc == VBSIG_OK && count == 0)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("--hashes: no algorithm given"));
    return rc;
}

static int add_policy(TS_RESP_CTX *ctx, const char *oid, int is_default)
{
    ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
    if (obj == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' is not a policy OID"), oid);
    int ok = is_default ? TS_RESP_CTX_set_def_policy(ctx, obj) : TS_RESP_CTX_add_policy(ctx, obj);
    ASN1_OBJECT_free(obj);
    return ok ? VBSIG_OK : vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot set policy %s"), oid);
}

static const EVP_MD *signing_digest(EVP_PKEY *key)
{
    /* Match the digest to the key's strength; SHA-256 below 384 bits of EC. */
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC && EVP_PKEY_get_bits(key) >= 384)
        return EVP_sha384();
    return EVP_sha256();
}

int tsa_issuer_new(tsa_issuer **out, const tsa_keys *k, const tsa_config *c)
{
    tsa_issuer *is = calloc(1, sizeof *is);
    if (is == NULL || (is->ctx = TS_RESP_CTX_new()) == NULL) {
        free(is);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    is->not_after = k->not_after;
    TS_RESP_CTX *ctx = is->ctx;
    int rc = VBSIG_OK;
    if (!TS_RESP_CTX_set_signer_cert(ctx, k->cert) || !TS_RESP_CTX_set_signer_key(ctx, k->key) ||
        !TS_RESP_CTX_set_certs(ctx, k->chain) ||
        !TS_RESP_CTX_set_signer_digest(ctx, signing_digest(k->key)) ||
        /* RFC 5816 signing-certificate-v2 instead of the SHA-1 v1 attribute. */
        !TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()) ||
        !TS_RESP_CTX_set_accuracy(ctx, (int)(c->accuracy_ms / 1000), (int)(c->accuracy_ms % 1000), 0) ||
        !TS_RESP_CTX_set_clock_precision_digits(ctx, 3))
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot set up the token builder"));
    if (rc == VBSIG_OK)
        rc = add_policy(ctx, c->policy, 1);
    for (size_t i = 0; rc == VBSIG_OK && i < c->n_accept_policies; i++)
        rc = add_policy(ctx, c->accept_policies[i], 0);
    if (rc == VBSIG_OK)
        rc = add_digests(ctx, c->hashes != NULL ? c->hashes
                                                : "sha256,sha384,sha512,sha3-256,sha3-384,sha3-512");
    TS_RESP_CTX_set_serial_cb(ctx, serial_cb, NULL);
    TS_RESP_CTX_set_time_cb(ctx, time_cb, is);
    if (rc != VBSIG_OK) {
        tsa_issuer_free(is);
        return rc;
    }
    *out = is;
    return VBSIG_OK;
}

void tsa_issuer_free(tsa_issuer *is)
{
    if (is == NULL)
        return;
    TS_RESP_CTX_free(is->ctx);
    free(is);
}

static char *hex_of(const unsigned char *p, size_t n)
{
    char *hex = NULL;
    if (vbsig_hex_encode(p, n, 1, &hex) != VBSIG_OK)
        return NULL;
    return hex;
}

static void text_of_object(const ASN1_OBJECT *obj, char *buf, size_t n)
{
    if (obj == NULL || OBJ_obj2txt(buf, (int)n, obj, 1) <= 0)
        buf[0] = '\0';
}

/* What the journal keeps of the request, read with OpenSSL's parser (the
 * same one TS_RESP_create_response uses). */
static void record_request(const TS_REQ *req, tsa_record *rec)
{
    TS_MSG_IMPRINT *mi = TS_REQ_get_msg_imprint((TS_REQ *)req);
    X509_ALGOR *alg = TS_MSG_IMPRINT_get_algo(mi);
    const ASN1_OBJECT *alg_obj = NULL;
    X509_ALGOR_get0(&alg_obj, NULL, NULL, alg);
    int nid = OBJ_obj2nid(alg_obj);
    if (nid != NID_undef)
        snprintf(rec->hash_alg, sizeof rec->hash_alg, "%s", OBJ_nid2sn(nid));
    else
        text_of_object(alg_obj, rec->hash_alg, sizeof rec->hash_alg);
    ASN1_OCTET_STRING *msg = TS_MSG_IMPRINT_get_msg(mi);
    free(rec->imprint);
    rec->imprint = hex_of(ASN1_STRING_get0_data(msg), (size_t)ASN1_STRING_length(msg));
    const ASN1_INTEGER *nonce = TS_REQ_get_nonce(req);
    if (nonce != NULL) {
        free(rec->nonce);
        rec->nonce = hex_of(ASN1_STRING_get0_data(nonce), (size_t)ASN1_STRING_length(nonce));
    }
    text_of_object(TS_REQ_get_policy_id((TS_REQ *)req), rec->policy, sizeof rec->policy);
}

static void failure_text(const TS_STATUS_INFO *si, char *buf, size_t n)
{
    const ASN1_BIT_STRING *bits = TS_STATUS_INFO_get0_failure_info(si);
    buf[0] = '\0';
    if (bits == NULL)
        return;
    size_t used = 0;
    for (size_t i = 0; i < sizeof failure_names / sizeof failure_names[0]; i++) {
        if (ASN1_BIT_STRING_get_bit(bits, failure_names[i].bit)) {
            int w = snprintf(buf + used, n - used, "%s%s", used ? "," : "", failure_names[i].name);
            if (w < 0 || (size_t)w >= n - used)
                break;
            used += (size_t)w;
        }
    }
}

static int reject(int bit, const char *text, uint8_t **reply, size_t *reply_len, tsa_record *rec)
{
    snprintf(rec->outcome, sizeof rec->outcome, "rejection");
    for (size_t i = 0; i < sizeof failure_names / sizeof failure_names[0]; i++)
        if (failure_names[i].bit == bit)
            snprintf(rec->failure, sizeof rec->failure, "%s", failure_names[i].name);
    return tsa_reject_der(bit, text, reply, reply_len);
}

static int record_granted(TS_RESP *resp, tsa_record *rec)
{
    TS_TST_INFO *tst = TS_RESP_get_tst_info(resp);
    BIGNUM *bn = ASN1_INTEGER_to_BN(TS_TST_INFO_get_serial(tst), NULL);
    char *serial = bn != NULL ? BN_bn2hex(bn) : NULL;
    BN_free(bn);
    if (serial == NULL)
        return VBSIG_E_NOMEM;
    snprintf(rec->serial, sizeof rec->serial, "%s", serial);
    OPENSSL_free(serial);
    text_of_object(TS_TST_INFO_get_policy_id(tst), rec->policy, sizeof rec->policy);
    snprintf(rec->outcome, sizeof rec->outcome, "granted");
    unsigned char *der = NULL;
    int n = i2d_PKCS7(TS_RESP_get_token(resp), &der);
    if (n <= 0)
        return VBSIG_E_CRYPTO;
    rec->token = malloc((size_t)n);
    if (rec->token == NULL) {
        OPENSSL_free(der);
        return VBSIG_E_NOMEM;
    }
    memcpy(rec->token, der, (size_t)n);
    rec->token_len = (size_t)n;
    OPENSSL_free(der);
    return VBSIG_OK;
}

int tsa_issue(tsa_issuer *is, const uint8_t *req, size_t req_len, const struct timespec *received,
              uint8_t **reply, size_t *reply_len, tsa_record *rec)
{
    is->received = *received;
    struct tm tm;
    gmtime_r(&received->tv_sec, &tm);
    char when[24];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(rec->received, sizeof rec->received, "%s.%03ldZ", when, received->tv_nsec / 1000000);

    /* Strict DER with no trailing bytes before OpenSSL's lenient parser. */
    vbsig_error_clear();
    if (vbsig_der_check(req, req_len, 1, 16, "request") != VBSIG_OK)
        return reject(TSA_FAIL_BAD_DATA_FORMAT, "request is not one DER TimeStampReq", reply,
                      reply_len, rec);
    const unsigned char *p = req;
    TS_REQ *parsed = d2i_TS_REQ(NULL, &p, (long)req_len);
    if (parsed == NULL || p != req + req_len) {
        TS_REQ_free(parsed);
        ERR_clear_error();
        return reject(TSA_FAIL_BAD_DATA_FORMAT, "request is not a TimeStampReq", reply, reply_len,
                      rec);
    }
    record_request(parsed, rec);
    TS_REQ_free(parsed);

    BIO *in = BIO_new_mem_buf(req, (int)req_len);
    TS_RESP *resp = in != NULL ? TS_RESP_create_response(is->ctx, in) : NULL;
    BIO_free(in);
    ERR_clear_error();
    if (resp == NULL)
        return reject(TSA_FAIL_SYSTEM_FAILURE, "cannot build a response", reply, reply_len, rec);

    int rc = VBSIG_OK;
    TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
    long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si));
    if (status == TS_STATUS_GRANTED || status == TS_STATUS_GRANTED_WITH_MODS) {
        rc = record_granted(resp, rec);
    } else {
        snprintf(rec->outcome, sizeof rec->outcome, "rejection");
        failure_text(si, rec->failure, sizeof rec->failure);
    }
    if (rc == VBSIG_OK && rec->failure[0] == '\0' && strcmp(rec->outcome, "rejection") == 0)
        rc = VBSIG_E_CRYPTO; /* OpenSSL rejected without saying why: a failure on our side */
    if (rc != VBSIG_OK) {
        TS_RESP_free(resp);
        free(rec->token);
        rec->token = NULL;
        rec->token_len = 0;
        rec->serial[0] = '\0';
        tsa_log("error", "issue-failed", "status=%s", vbsig_status_name(rc));
        return reject(TSA_FAIL_SYSTEM_FAILURE, "internal error", reply, reply_len, rec);
    }
    unsigned char *der = NULL;
    int n = i2d_TS_RESP(resp, &der);
    TS_RESP_free(resp);
    if (n <= 0 || (*reply = malloc((size_t)n)) == NULL) {
        OPENSSL_free(der);
        ERR_clear_error();
        free(rec->token);
        rec->token = NULL;
        rec->token_len = 0;
        rec->serial[0] = '\0';
        return reject(TSA_FAIL_SYSTEM_FAILURE, "internal error", reply, reply_len, rec);
    }
    memcpy(*reply, der, (size_t)n);
    *reply_len = (size_t)n;
    OPENSSL_free(der);
    return VBSIG_OK;
}
