/* One request body in, one TimeStampResp out. The request is parsed with
 * OpenSSL's TS_REQ after a strict DER check; everything after that is
 * ours: the checks (version, imprint algorithm and length, policy,
 * extensions, clock, certificate expiry), the TSTInfo and the token, which
 * issue_token.c signs through vbsig_signer for every kind of key. Request
 * extensions are refused (unacceptedExtension), never copied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include "crypto/crypto.h"
#include "tsp/issue.h"

#define ISSUER_MAX_POLICIES 65
#define ISSUER_MAX_DIGESTS 8

struct vbsig_tsp_issuer {
    vbsig_token_builder *builder;
    time_t not_after;
    unsigned accuracy_ms;
    vbsig_tsp_clock_cb clock;
    void *clock_data;
    ASN1_OBJECT *policies[ISSUER_MAX_POLICIES]; /* [0] is the default */
    size_t n_policies;
    int md_nids[ISSUER_MAX_DIGESTS];
    int md_sizes[ISSUER_MAX_DIGESTS]; /* looked up once, not per request */
    size_t n_mds;
};

static const struct {
    int bit;
    const char *name;
} failure_names[] = {
    { VBSIG_TSP_FAIL_BAD_ALG, "badAlg" },
    { VBSIG_TSP_FAIL_BAD_REQUEST, "badRequest" },
    { VBSIG_TSP_FAIL_BAD_DATA_FORMAT, "badDataFormat" },
    { VBSIG_TSP_FAIL_TIME_NOT_AVAILABLE, "timeNotAvailable" },
    { VBSIG_TSP_FAIL_UNACCEPTED_POLICY, "unacceptedPolicy" },
    { VBSIG_TSP_FAIL_UNACCEPTED_EXTENSION, "unacceptedExtension" },
    { VBSIG_TSP_FAIL_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable" },
    { VBSIG_TSP_FAIL_SYSTEM_FAILURE, "systemFailure" },
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

static int add_digests(vbsig_tsp_issuer *is, const char *list)
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
                            _("imprint algorithms: unknown algorithm '%s' (sha256, sha384, sha512, sha3-256, "
                              "sha3-384, sha3-512, sha1)"),
                            name);
            break;
        }
        int nid = EVP_MD_get_type(md), seen = 0;
        for (size_t i = 0; i < is->n_mds; i++)
            seen |= is->md_nids[i] == nid;
        if (!seen && is->n_mds < ISSUER_MAX_DIGESTS) {
            is->md_sizes[is->n_mds] = EVP_MD_get_size(md);
            is->md_nids[is->n_mds++] = nid;
        }
    }
    free(copy);
    if (rc == VBSIG_OK && is->n_mds == 0)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("imprint algorithms: none given"));
    return rc;
}

static int add_policy(vbsig_tsp_issuer *is, const char *oid)
{
    ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
    if (obj == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' is not a policy OID"), oid);
    if (is->n_policies >= ISSUER_MAX_POLICIES) {
        ASN1_OBJECT_free(obj);
        return vbsig_fail(VBSIG_E_LIMIT, _("accepted policies: at most 64"));
    }
    is->policies[is->n_policies++] = obj;
    return VBSIG_OK;
}

void vbsig_tsp_issuer_opts_init(vbsig_tsp_issuer_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_TSP_ISSUER_OPTS_VERSION;
}

static int cert_not_after(X509 *cert, time_t *out)
{
    struct tm tm;
    if (!ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm))
        return vbsig_fail(VBSIG_E_MALFORMED, _("cannot read the certificate's notAfter"));
    *out = timegm(&tm);
    return VBSIG_OK;
}

int vbsig_tsp_issuer_new(vbsig_tsp_issuer **out, vbsig_signer *s, const vbsig_tsp_issuer_opts *opts)
{
    VBSIG_REQUIRE(out, "out");
    VBSIG_REQUIRE(s, "s");
    VBSIG_REQUIRE(opts, "opts");
    vbsig_i18n_ensure();
    *out = NULL;
    if (opts->version != VBSIG_TSP_ISSUER_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s needs options set up with %s"), __func__,
                          "vbsig_tsp_issuer_opts_init");
    if (opts->policy == NULL)
        return vbsig_null_arg(__func__, "opts->policy");
    if (opts->n_accept_policies > 0 && opts->accept_policies == NULL)
        return vbsig_null_arg(__func__, "opts->accept_policies");
    if (s->cert == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the timestamp signer has no certificate"));
    vbsig_tsp_issuer *is = calloc(1, sizeof *is);
    if (is == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    is->accuracy_ms = opts->accuracy_ms;
    is->clock = opts->clock;
    is->clock_data = opts->clock_data;
    int rc = cert_not_after(s->cert, &is->not_after);
    if (rc == VBSIG_OK)
        rc = vbsig__token_builder_new(&is->builder, s, opts->on_signature, opts->on_signature_data);
    if (rc == VBSIG_OK)
        rc = add_policy(is, opts->policy);
    for (size_t i = 0; rc == VBSIG_OK && i < opts->n_accept_policies; i++)
        rc = opts->accept_policies[i] != NULL ? add_policy(is, opts->accept_policies[i])
                                              : vbsig_null_arg(__func__, "opts->accept_policies[i]");
    if (rc == VBSIG_OK)
        rc = add_digests(is, opts->hashes != NULL ? opts->hashes
                                                  : "sha256,sha384,sha512,sha3-256,sha3-384,sha3-512");
    if (rc != VBSIG_OK) {
        vbsig_tsp_issuer_free(is);
        return rc;
    }
    *out = is;
    return VBSIG_OK;
}

void vbsig_tsp_issuer_free(vbsig_tsp_issuer *is)
{
    if (is == NULL)
        return;
    vbsig__token_builder_free(is->builder);
    for (size_t i = 0; i < is->n_policies; i++)
        ASN1_OBJECT_free(is->policies[i]);
    free(is);
}

void vbsig_tsp_issued_clear(vbsig_tsp_issued *info)
{
    if (info == NULL)
        return;
    free(info->imprint);
    free(info->nonce);
    memset(info, 0, sizeof *info);
    info->failure = -1;
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
static void record_request(const TS_REQ *req, vbsig_tsp_issued *rec)
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

static int reject(int bit, const char *text, vbsig_buf *reply, vbsig_tsp_issued *rec)
{
    rec->granted = 0;
    rec->failure = bit;
    for (size_t i = 0; i < sizeof failure_names / sizeof failure_names[0]; i++)
        if (failure_names[i].bit == bit)
            snprintf(rec->failure_name, sizeof rec->failure_name, "%s", failure_names[i].name);
    return vbsig_tsp_reject(bit, text, reply);
}

/* A fresh 127-bit random serial number: 16 bytes, positive, top byte at
 * least 0x40 so it is always 16 bytes long. Random, so serials stay
 * unique across restarts and instances without shared state (OpenSSL's
 * default serial callback answers 1 every time). */
static int serial_bytes(uint8_t out[16])
{
    if (RAND_bytes(out, 16) != 1)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("no random bytes for a serial number"));
    out[0] &= 0x7f;
    out[0] |= 0x40;
    return VBSIG_OK;
}

/* What is wrong with a parsed request, in the order RFC 3161 servers
 * usually check: a PKIFailureInfo bit, or REQUEST_OK when nothing is.
 * *policy is then the policy to stamp with. */
#define REQUEST_OK (-1)
static int check_request(const vbsig_tsp_issuer *is, TS_REQ *req, const ASN1_OBJECT **policy,
                         const char **why)
{
    if (TS_REQ_get_version(req) != 1) {
        *why = "Bad request version.";
        return VBSIG_TSP_FAIL_BAD_DATA_FORMAT;
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
        return VBSIG_TSP_FAIL_BAD_ALG;
    }
    if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL) {
        *why = "Superfluous message digest parameter.";
        return VBSIG_TSP_FAIL_BAD_ALG;
    }
    if (ASN1_STRING_length(TS_MSG_IMPRINT_get_msg(mi)) != size) {
        *why = "Bad message digest.";
        return VBSIG_TSP_FAIL_BAD_DATA_FORMAT;
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
            return VBSIG_TSP_FAIL_UNACCEPTED_POLICY;
        }
    }
    if (sk_X509_EXTENSION_num(TS_REQ_get_exts(req)) > 0) {
        *why = "Unsupported extension.";
        return VBSIG_TSP_FAIL_UNACCEPTED_EXTENSION;
    }
    return REQUEST_OK;
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
static void tst_info(const vbsig_tsp_issuer *is, TS_REQ *req, const ASN1_OBJECT *policy,
                     const uint8_t serial[16], const struct timespec *when, vbsig_der_out *t)
{
    vbsig__der_out_uint(t, 0x02, 1);
    VBSIG_DER_OUT_I2D(t, i2d_ASN1_OBJECT, policy);
    VBSIG_DER_OUT_I2D(t, i2d_TS_MSG_IMPRINT, TS_REQ_get_msg_imprint(req));
    vbsig__der_out_tlv(t, 0x02, serial, 16);
    char gt[32];
    gen_time(when, gt);
    vbsig__der_out_tlv(t, 0x18, gt, strlen(gt));
    if (is->accuracy_ms > 0) {
        vbsig_der_out acc = { 0 };
        if (is->accuracy_ms >= 1000)
            vbsig__der_out_uint(&acc, 0x02, is->accuracy_ms / 1000);
        if (is->accuracy_ms % 1000 != 0)
            vbsig__der_out_uint(&acc, 0x80, is->accuracy_ms % 1000); /* millis [0] IMPLICIT */
        vbsig__der_out_wrap(&acc, 0x30);
        vbsig__der_out_append(t, &acc);
        vbsig__der_out_free(&acc);
    }
    const ASN1_INTEGER *nonce = TS_REQ_get_nonce(req);
    if (nonce != NULL)
        VBSIG_DER_OUT_I2D(t, i2d_ASN1_INTEGER, nonce);
    vbsig__der_out_wrap(t, 0x30);
}

/* The token, the reply around it and the journal's copy. */
static int grant(const vbsig_tsp_issuer *is, TS_REQ *req, const ASN1_OBJECT *policy,
                 const struct timespec *when, vbsig_buf *reply, vbsig_tsp_issued *rec)
{
    uint8_t serial[16];
    int rc = serial_bytes(serial);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_der_out tst = { 0 }, resp = { 0 };
    tst_info(is, req, policy, serial, when, &tst);
    if (tst.failed) {
        vbsig__der_out_free(&tst);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    static const uint8_t granted[] = { 0x30, 0x03, 0x02, 0x01, 0x00 }; /* PKIStatusInfo */
    vbsig__der_out_put(&resp, granted, sizeof granted);
    size_t token_at = resp.len;
    rc = vbsig__token_build(is->builder, tst.p, tst.len, TS_REQ_get_cert_req(req), &resp);
    vbsig__der_out_free(&tst);
    if (rc == VBSIG_OK) {
        size_t token_len = resp.len - token_at;
        size_t before = resp.len;
        vbsig__der_out_wrap(&resp, 0x30);
        if (resp.failed) {
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        } else {
            /* The wrap put the outer header in front of everything. */
            rec->token_offset = token_at + (resp.len - before);
            rec->token_len = token_len;
        }
    }
    if (rc != VBSIG_OK) {
        vbsig__der_out_free(&resp);
        return rc;
    }
    for (int i = 0; i < 16; i++)
        snprintf(rec->serial + 2 * i, 3, "%02X", serial[i]);
    text_of_object(policy, rec->policy, sizeof rec->policy);
    rec->granted = 1;
    reply->data = resp.p; /* the buffer is handed over as it is */
    reply->len = resp.len;
    return VBSIG_OK;
}

int vbsig_tsp_issue(vbsig_tsp_issuer *is, const uint8_t *req, size_t req_len, const struct timespec *gen_time,
                    vbsig_buf *reply, vbsig_tsp_issued *info)
{
    VBSIG_REQUIRE(is, "iss");
    VBSIG_REQUIRE_BYTES(req, req_len, "req");
    VBSIG_REQUIRE(gen_time, "gen_time");
    VBSIG_REQUIRE(reply, "reply");
    VBSIG_REQUIRE(info, "info");
    vbsig_i18n_ensure();
    reply->data = NULL;
    reply->len = 0;
    memset(info, 0, sizeof *info);
    info->failure = -1;

    /* Strict DER with no trailing bytes before OpenSSL's lenient parser. */
    vbsig_error_clear();
    if (req_len == 0 || vbsig_der_check(req, req_len, 1, 16, "request") != VBSIG_OK)
        return reject(VBSIG_TSP_FAIL_BAD_DATA_FORMAT, "request is not one DER TimeStampReq", reply, info);
    const unsigned char *p = req;
    TS_REQ *parsed = d2i_TS_REQ(NULL, &p, (long)req_len);
    if (parsed == NULL || p != req + req_len) {
        TS_REQ_free(parsed);
        ERR_clear_error();
        return reject(VBSIG_TSP_FAIL_BAD_DATA_FORMAT, "request is not a TimeStampReq", reply, info);
    }
    record_request(parsed, info);

    const ASN1_OBJECT *policy = NULL;
    const char *why = NULL;
    int bad = check_request(is, parsed, &policy, &why);
    if (bad == REQUEST_OK) {
        /* The clock is asked after the request is checked, so a bad request
         * is told what is wrong with it even when the clock is not usable. */
        const char *clock_why = NULL;
        if (is->clock != NULL && !is->clock(is->clock_data, &clock_why)) {
            bad = VBSIG_TSP_FAIL_TIME_NOT_AVAILABLE;
            why = clock_why != NULL ? clock_why : "clock not usable";
        } else if (gen_time->tv_sec >= is->not_after) {
            bad = VBSIG_TSP_FAIL_SYSTEM_FAILURE;
            why = "TSA certificate expired";
        }
    }
    if (bad != REQUEST_OK) {
        TS_REQ_free(parsed);
        return reject(bad, why, reply, info);
    }
    int rc = grant(is, parsed, policy, gen_time, reply, info);
    TS_REQ_free(parsed);
    ERR_clear_error();
    if (rc != VBSIG_OK) {
        info->error_status = rc;
        snprintf(info->error, sizeof info->error, "%s", vbsig_last_error());
        info->serial[0] = '\0';
        info->token_offset = info->token_len = 0;
        return reject(VBSIG_TSP_FAIL_SYSTEM_FAILURE, "internal error", reply, info);
    }
    return VBSIG_OK;
}
