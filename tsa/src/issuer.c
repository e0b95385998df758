/* One request body in, one TimeStampResp out. The request is parsed with
 * OpenSSL's TS_REQ after a strict DER check; everything after that is
 * ours: the checks (version, imprint algorithm and length, policy,
 * extensions, clock, certificate expiry), the TSTInfo and the token, which
 * token.c signs through vbsig_signer for every kind of key. Request
 * extensions are refused (unacceptedExtension), never copied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ts.h>

#include "tsa.h"

#define TSA_MAX_POLICIES 65
#define TSA_MAX_DIGESTS 8

struct tsa_issuer {
    tsa_token_builder *builder;
    time_t not_after;
    unsigned accuracy_ms;
    ASN1_OBJECT *policies[TSA_MAX_POLICIES]; /* [0] is the default */
    size_t n_policies;
    int md_nids[TSA_MAX_DIGESTS];
    int md_sizes[TSA_MAX_DIGESTS]; /* looked up once, not per request */
    size_t n_mds;
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

static int add_digests(tsa_issuer *is, const char *list)
{
    char *copy = strdup(list);
    if (copy == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = VBSIG_OK;
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
        int nid = EVP_MD_get_type(md), seen = 0;
        for (size_t i = 0; i < is->n_mds; i++)
            seen |= is->md_nids[i] == nid;
        if (!seen && is->n_mds < TSA_MAX_DIGESTS) {
            is->md_sizes[is->n_mds] = EVP_MD_get_size(md);
            is->md_nids[is->n_mds++] = nid;
        }
    }
    free(copy);
    if (rc == VBSIG_OK && is->n_mds == 0)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("--hashes: no algorithm given"));
    return rc;
}

static int add_policy(tsa_issuer *is, const char *oid)
{
    ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
    if (obj == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' is not a policy OID"), oid);
    if (is->n_policies >= TSA_MAX_POLICIES) {
        ASN1_OBJECT_free(obj);
        return vbsig_fail(VBSIG_E_LIMIT, _("--accept-policy: at most 64 policies"));
    }
    is->policies[is->n_policies++] = obj;
    return VBSIG_OK;
}

int tsa_issuer_new(tsa_issuer **out, const tsa_keys *k, const tsa_config *c)
{
    tsa_issuer *is = calloc(1, sizeof *is);
    if (is == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    is->not_after = k->not_after;
    is->accuracy_ms = c->accuracy_ms;
    int rc = tsa_token_builder_new(&is->builder, k->signer, k->cert, k->chain, k->health);
    if (rc == VBSIG_OK)
        rc = add_policy(is, c->policy);
    for (size_t i = 0; rc == VBSIG_OK && i < c->n_accept_policies; i++)
        rc = add_policy(is, c->accept_policies[i]);
    if (rc == VBSIG_OK)
        rc = add_digests(is, c->hashes != NULL ? c->hashes
                                               : "sha256,sha384,sha512,sha3-256,sha3-384,sha3-512");
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
    tsa_token_builder_free(is->builder);
    for (size_t i = 0; i < is->n_policies; i++)
        ASN1_OBJECT_free(is->policies[i]);
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

static int reject(int bit, const char *text, uint8_t **reply, size_t *reply_len, tsa_record *rec)
{
    snprintf(rec->outcome, sizeof rec->outcome, "rejection");
    for (size_t i = 0; i < sizeof failure_names / sizeof failure_names[0]; i++)
        if (failure_names[i].bit == bit)
            snprintf(rec->failure, sizeof rec->failure, "%s", failure_names[i].name);
    return tsa_reject_der(bit, text, reply, reply_len);
}

/* What is wrong with a parsed request, in the order RFC 3161 servers
 * usually check: a PKIFailureInfo bit, or TSA_OK_REQUEST when nothing is.
 * *policy is then the policy to stamp with. */
#define TSA_OK_REQUEST (-1)
static int check_request(const tsa_issuer *is, TS_REQ *req, const ASN1_OBJECT **policy,
                         const char **why)
{
    if (TS_REQ_get_version(req) != 1) {
        *why = "Bad request version.";
        return TSA_FAIL_BAD_DATA_FORMAT;
    }
    TS_MSG_IMPRINT *mi = TS_REQ_get_msg_imprint(req);
    const ASN1_OBJECT *alg_obj = NULL;
    int ptype = V_ASN1_UNDEF;
    X509_ALGOR_get0(&alg_obj, &ptype, NULL, TS_MSG_IMPRINT_get_algo(mi));
    int nid = OBJ_obj2nid(alg_obj), size = -1;
    for (size_t i = 0; i < is->n_mds; i++)
        if (nid != NID_undef && is->md_nids[i] == nid)
            size = is->md_sizes[i];
    if (size < 0) {
        *why = "Message digest algorithm is not supported.";
        return TSA_FAIL_BAD_ALG;
    }
    if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL) {
        *why = "Superfluous message digest parameter.";
        return TSA_FAIL_BAD_ALG;
    }
    if (ASN1_STRING_length(TS_MSG_IMPRINT_get_msg(mi)) != size) {
        *why = "Bad message digest.";
        return TSA_FAIL_BAD_DATA_FORMAT;
    }
    const ASN1_OBJECT *asked = TS_REQ_get_policy_id(req);
    *policy = is->policies[0];
    if (asked != NULL) {
        *policy = NULL;
        for (size_t i = 0; i < is->n_policies && *policy == NULL; i++)
            if (OBJ_cmp(asked, is->policies[i]) == 0)
                *policy = is->policies[i];
        if (*policy == NULL) {
            *why = "Requested policy is not supported.";
            return TSA_FAIL_UNACCEPTED_POLICY;
        }
    }
    if (sk_X509_EXTENSION_num(TS_REQ_get_exts(req)) > 0) {
        *why = "Unsupported extension.";
        return TSA_FAIL_UNACCEPTED_EXTENSION;
    }
    return TSA_OK_REQUEST;
}

/* GeneralizedTime with milliseconds, trailing zeros of the fraction
 * dropped as DER asks (RFC 3161 §2.4.2). */
static void gen_time(const struct timespec *t, char out[32])
{
    struct tm tm;
    gmtime_r(&t->tv_sec, &tm);
    size_t len = strftime(out, 32, "%Y%m%d%H%M%S", &tm);
    unsigned ms = (unsigned)(t->tv_nsec / 1000000) % 1000;
    int digits = 3;
    while (ms > 0 && ms % 10 == 0) {
        ms /= 10;
        digits--;
    }
    if (ms > 0)
        snprintf(out + len, 32 - len, ".%0*uZ", digits, ms);
    else
        snprintf(out + len, 32 - len, "Z");
}

/* TSTInfo (RFC 3161 §2.4.2): version, policy, messageImprint, serial,
 * genTime, accuracy, nonce. No ordering, no tsa name, no extensions. */
static void tst_info(const tsa_issuer *is, TS_REQ *req, const ASN1_OBJECT *policy,
                     const uint8_t serial[16], const struct timespec *when, tsa_der *t)
{
    tsa_der_uint(t, 0x02, 1);
    TSA_DER_PUT_I2D(t, i2d_ASN1_OBJECT, policy);
    TSA_DER_PUT_I2D(t, i2d_TS_MSG_IMPRINT, TS_REQ_get_msg_imprint(req));
    tsa_der_tlv(t, 0x02, serial, 16);
    char gt[32];
    gen_time(when, gt);
    tsa_der_tlv(t, 0x18, gt, strlen(gt));
    if (is->accuracy_ms > 0) {
        tsa_der acc = { 0 };
        if (is->accuracy_ms >= 1000)
            tsa_der_uint(&acc, 0x02, is->accuracy_ms / 1000);
        if (is->accuracy_ms % 1000 != 0)
            tsa_der_uint(&acc, 0x80, is->accuracy_ms % 1000); /* millis [0] IMPLICIT */
        tsa_der_wrap(&acc, 0x30);
        tsa_der_append(t, &acc);
        tsa_der_free(&acc);
    }
    const ASN1_INTEGER *nonce = TS_REQ_get_nonce(req);
    if (nonce != NULL)
        TSA_DER_PUT_I2D(t, i2d_ASN1_INTEGER, nonce);
    tsa_der_wrap(t, 0x30);
}

/* The token, the reply around it and the journal's copy. */
static int grant(const tsa_issuer *is, TS_REQ *req, const ASN1_OBJECT *policy,
                 const struct timespec *when, uint8_t **reply, size_t *reply_len, tsa_record *rec)
{
    uint8_t serial[16];
    int rc = tsa_serial_bytes(serial);
    if (rc != VBSIG_OK)
        return rc;
    tsa_der tst = { 0 }, resp = { 0 };
    tst_info(is, req, policy, serial, when, &tst);
    if (tst.failed) {
        tsa_der_free(&tst);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    static const uint8_t granted[] = { 0x30, 0x03, 0x02, 0x01, 0x00 }; /* PKIStatusInfo */
    tsa_der_put(&resp, granted, sizeof granted);
    size_t token_at = resp.len;
    rc = tsa_token_build(is->builder, tst.p, tst.len, TS_REQ_get_cert_req(req), &resp);
    tsa_der_free(&tst);
    if (rc == VBSIG_OK) {
        size_t token_len = resp.len - token_at;
        rec->token = malloc(token_len);
        if (rec->token == NULL) {
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        } else {
            memcpy(rec->token, resp.p + token_at, token_len);
            rec->token_len = token_len;
            tsa_der_wrap(&resp, 0x30);
            if (resp.failed)
                rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        }
    }
    if (rc != VBSIG_OK) {
        tsa_der_free(&resp);
        return rc;
    }
    for (int i = 0; i < 16; i++)
        snprintf(rec->serial + 2 * i, 3, "%02X", serial[i]);
    text_of_object(policy, rec->policy, sizeof rec->policy);
    snprintf(rec->outcome, sizeof rec->outcome, "granted");
    *reply = resp.p; /* the buffer is handed over as it is */
    *reply_len = resp.len;
    return VBSIG_OK;
}

int tsa_issue(tsa_issuer *is, const uint8_t *req, size_t req_len, const struct timespec *received,
              uint8_t **reply, size_t *reply_len, tsa_record *rec)
{
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

    const ASN1_OBJECT *policy = NULL;
    const char *why = NULL;
    int bad = check_request(is, parsed, &policy, &why);
    if (bad == TSA_OK_REQUEST) {
        /* The clock is asked after the request is checked, so a bad request
         * is told what is wrong with it even when the clock is not usable. */
        tsa_clock_state s = tsa_clock_check(NULL, NULL);
        if (!tsa_clock_usable(s)) {
            bad = TSA_FAIL_TIME_NOT_AVAILABLE;
            why = s == TSA_CLOCK_LEAP ? "leap second in progress" : "clock not synchronised";
        } else if (received->tv_sec >= is->not_after) {
            bad = TSA_FAIL_SYSTEM_FAILURE;
            why = "TSA certificate expired";
        }
    }
    if (bad != TSA_OK_REQUEST) {
        TS_REQ_free(parsed);
        return reject(bad, why, reply, reply_len, rec);
    }
    int rc = grant(is, parsed, policy, received, reply, reply_len, rec);
    TS_REQ_free(parsed);
    ERR_clear_error();
    if (rc != VBSIG_OK) {
        free(rec->token);
        rec->token = NULL;
        rec->token_len = 0;
        rec->serial[0] = '\0';
        tsa_log("error", "issue-failed", "status=%s reason=\"%s\"", vbsig_status_name(rc),
                vbsig_last_error());
        return reject(TSA_FAIL_SYSTEM_FAILURE, "internal error", reply, reply_len, rec);
    }
    return VBSIG_OK;
}
