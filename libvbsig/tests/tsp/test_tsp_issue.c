/* RFC 3161 issuing through the public API (vbsig/tsp_issue.h), judged by
 * OpenSSL's own timestamp code: requests are built with TS_REQ, replies
 * parsed with d2i_TS_RESP and granted tokens verified with
 * TS_RESP_verify_response against the test PKI's root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "test_pki.h"
#include "vbsig/vbsig.h"

#define POLICY "1.3.6.1.4.1.99999.1.1"
#define OTHER_POLICY "1.3.6.1.4.1.99999.1.2"

typedef struct fixture {
    vbsig_signer *tsa;
    int signatures, last_status;
    int clock_ok;
} fixture;

static fixture g;

static int setup(void **state)
{
    (void)state;
    memset(&g, 0, sizeof g);
    g.clock_ok = 1;
    if (vbsig_signer_from_pkcs12(&g.tsa, pki_path("signers/tsa.p12"), "pass:vbsig-test") != VBSIG_OK)
        return -1;
    return vbsig_signer_add_chain_file(g.tsa, pki_path("chain.pem")) == VBSIG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vbsig_signer_free(g.tsa);
    return 0;
}

static int clock_cb(void *data, const char **why)
{
    fixture *f = data;
    if (!f->clock_ok)
        *why = "clock not synchronised";
    return f->clock_ok;
}

static void signed_cb(void *data, int status)
{
    fixture *f = data;
    f->signatures++;
    f->last_status = status;
}

static vbsig_tsp_issuer *new_issuer(const char *hashes)
{
    static const char *const accepted[] = {OTHER_POLICY};
    vbsig_tsp_issuer_opts o;
    vbsig_tsp_issuer_opts_init(&o);
    o.policy = POLICY;
    o.accept_policies = accepted;
    o.n_accept_policies = 1;
    o.hashes = hashes;
    o.accuracy_ms = 500;
    o.clock = clock_cb;
    o.clock_data = &g;
    o.on_signature = signed_cb;
    o.on_signature_data = &g;
    vbsig_tsp_issuer *iss = NULL;
    assert_int_equal(vbsig_tsp_issuer_new(&iss, g.tsa, &o), VBSIG_OK);
    return iss;
}

/* A DER TimeStampReq for SHA-256 of data, with a nonce and certReq. */
static int make_request(const EVP_MD *md, const char *policy, int nonce, uint8_t **der)
{
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    EVP_Digest("văn bản", strlen("văn bản"), digest, &dlen, md, NULL);
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, NULL);
    TS_MSG_IMPRINT_set_algo(mi, alg);
    TS_MSG_IMPRINT_set_msg(mi, digest, (int)dlen);
    TS_REQ_set_msg_imprint(req, mi);
    TS_REQ_set_version(req, 1);
    TS_REQ_set_cert_req(req, 1);
    if (policy != NULL) {
        ASN1_OBJECT *p = OBJ_txt2obj(policy, 1);
        TS_REQ_set_policy_id(req, p);
        ASN1_OBJECT_free(p);
    }
    if (nonce) {
        ASN1_INTEGER *n = ASN1_INTEGER_new();
        ASN1_INTEGER_set_int64(n, 0x1234567890LL);
        TS_REQ_set_nonce(req, n);
        ASN1_INTEGER_free(n);
    }
    *der = NULL;
    int len = i2d_TS_REQ(req, der);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(mi);
    TS_REQ_free(req);
    assert_true(len > 0);
    return len;
}

static X509_STORE *root_store(void)
{
    X509_STORE *st = X509_STORE_new();
    assert_int_equal(X509_STORE_load_file(st, pki_path("root/root.pem")), 1);
    return st;
}

static TS_RESP *parse_reply(const vbsig_buf *reply)
{
    const unsigned char *p = reply->data;
    TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)reply->len);
    assert_non_null(resp);
    assert_ptr_equal(p, reply->data + reply->len);
    return resp;
}

static int resp_status(TS_RESP *resp)
{
    return (int)ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp)));
}

static void test_granted_token_verifies_with_openssl(void **state)
{
    (void)state;
    vbsig_tsp_issuer *iss = new_issuer(NULL);
    uint8_t *req = NULL;
    int req_len = make_request(EVP_sha256(), NULL, 1, &req);
    struct timespec when = {time(NULL), 250000000};
    vbsig_buf reply = {0};
    vbsig_tsp_issued info;
    g.signatures = 0;
    assert_int_equal(vbsig_tsp_issue(iss, req, (size_t)req_len, &when, &reply, &info), VBSIG_OK);
    assert_int_equal(info.granted, 1);
    assert_int_equal(info.failure, -1);
    assert_string_equal(info.failure_name, "");
    assert_int_equal(strlen(info.serial), 32);
    assert_string_equal(info.policy, POLICY);
    assert_string_equal(info.hash_alg, "SHA256");
    assert_non_null(info.imprint);
    assert_int_equal(strlen(info.imprint), 64);
    assert_string_equal(info.nonce, "1234567890");
    assert_int_equal(g.signatures, 1);
    assert_int_equal(g.last_status, VBSIG_OK);

    TS_RESP *resp = parse_reply(&reply);
    assert_int_equal(resp_status(resp), 0);
    /* The token's place in the reply is exactly OpenSSL's token. */
    unsigned char *tok = NULL;
    int tok_len = i2d_PKCS7(TS_RESP_get_token(resp), &tok);
    assert_int_equal((size_t)tok_len, info.token_len);
    assert_memory_equal(tok, reply.data + info.token_offset, info.token_len);
    OPENSSL_free(tok);
    /* genTime keeps the milliseconds; accuracy is declared. */
    TS_TST_INFO *tst = TS_RESP_get_tst_info(resp);
    const ASN1_GENERALIZEDTIME *gt = TS_TST_INFO_get_time(tst);
    assert_non_null(strstr((const char *)ASN1_STRING_get0_data(gt), ".25Z"));
    assert_non_null(TS_TST_INFO_get_accuracy(tst));

    TS_REQ *parsed = NULL;
    const unsigned char *q = req;
    parsed = d2i_TS_REQ(NULL, &q, req_len);
    TS_VERIFY_CTX *vctx = TS_REQ_to_TS_VERIFY_CTX(parsed, NULL);
    X509_STORE *store = root_store();
    TS_VERIFY_CTX_set_store(vctx, store);
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    TS_VERIFY_CTX_set_certs(vctx, untrusted);
    TS_VERIFY_CTX_add_flags(vctx, TS_VFY_SIGNATURE | TS_VFY_SIGNER);
    assert_int_equal(TS_RESP_verify_response(vctx, resp), 1);
    TS_VERIFY_CTX_free(vctx); /* frees store and untrusted */
    TS_REQ_free(parsed);
    TS_RESP_free(resp);
    vbsig_buf_free(&reply);
    vbsig_tsp_issued_clear(&info);
    OPENSSL_free(req);
    vbsig_tsp_issuer_free(iss);
}

/* The request's failure bit and name, from the reply and from info. */
static void expect_rejection(vbsig_tsp_issuer *iss, const uint8_t *req, size_t len, const struct timespec *when,
                             int bit, const char *name)
{
    vbsig_buf reply = {0};
    vbsig_tsp_issued info;
    assert_int_equal(vbsig_tsp_issue(iss, req, len, when, &reply, &info), VBSIG_OK);
    assert_int_equal(info.granted, 0);
    assert_int_equal(info.failure, bit);
    assert_string_equal(info.failure_name, name);
    assert_string_equal(info.serial, "");
    assert_int_equal(info.token_len, 0);
    TS_RESP *resp = parse_reply(&reply);
    assert_int_equal(resp_status(resp), 2); /* rejection */
    const ASN1_BIT_STRING *fi = TS_STATUS_INFO_get0_failure_info(TS_RESP_get_status_info(resp));
    assert_non_null(fi);
    assert_int_equal(ASN1_BIT_STRING_get_bit(fi, bit), 1);
    assert_null(TS_RESP_get_token(resp));
    TS_RESP_free(resp);
    vbsig_buf_free(&reply);
    vbsig_tsp_issued_clear(&info);
}

static void test_rejections(void **state)
{
    (void)state;
    vbsig_tsp_issuer *iss = new_issuer("sha256,sha384");
    struct timespec now = {time(NULL), 0};
    uint8_t *req = NULL;
    int len;

    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01};
    expect_rejection(iss, junk, sizeof junk, &now, VBSIG_TSP_FAIL_BAD_DATA_FORMAT, "badDataFormat");
    expect_rejection(iss, (const uint8_t *)"", 0, &now, VBSIG_TSP_FAIL_BAD_DATA_FORMAT, "badDataFormat");

    len = make_request(EVP_sha256(), NULL, 0, &req);
    uint8_t *longer = malloc((size_t)len + 1);
    memcpy(longer, req, (size_t)len);
    longer[len] = 0;
    expect_rejection(iss, longer, (size_t)len + 1, &now, VBSIG_TSP_FAIL_BAD_DATA_FORMAT, "badDataFormat");
    free(longer);
    OPENSSL_free(req);

    len = make_request(EVP_sha512(), NULL, 0, &req);
    expect_rejection(iss, req, (size_t)len, &now, VBSIG_TSP_FAIL_BAD_ALG, "badAlg");
    OPENSSL_free(req);

    len = make_request(EVP_sha256(), "1.2.3.4.5", 0, &req);
    expect_rejection(iss, req, (size_t)len, &now, VBSIG_TSP_FAIL_UNACCEPTED_POLICY, "unacceptedPolicy");
    OPENSSL_free(req);

    /* An accepted second policy is stamped as asked. */
    len = make_request(EVP_sha256(), OTHER_POLICY, 0, &req);
    vbsig_buf reply = {0};
    vbsig_tsp_issued info;
    assert_int_equal(vbsig_tsp_issue(iss, req, (size_t)len, &now, &reply, &info), VBSIG_OK);
    assert_int_equal(info.granted, 1);
    assert_string_equal(info.policy, OTHER_POLICY);
    assert_null(info.nonce);
    vbsig_buf_free(&reply);
    vbsig_tsp_issued_clear(&info);

    /* The clock is asked only for requests that are otherwise fine. */
    g.clock_ok = 0;
    g.signatures = 0;
    expect_rejection(iss, req, (size_t)len, &now, VBSIG_TSP_FAIL_TIME_NOT_AVAILABLE, "timeNotAvailable");
    expect_rejection(iss, junk, sizeof junk, &now, VBSIG_TSP_FAIL_BAD_DATA_FORMAT, "badDataFormat");
    g.clock_ok = 1;
    assert_int_equal(g.signatures, 0);

    /* Never a token at or after the certificate's notAfter. */
    time_t not_after = 0;
    assert_int_equal(vbsig_signer_validity(g.tsa, NULL, &not_after), VBSIG_OK);
    struct timespec late = {not_after, 0};
    expect_rejection(iss, req, (size_t)len, &late, VBSIG_TSP_FAIL_SYSTEM_FAILURE, "systemFailure");
    OPENSSL_free(req);
    vbsig_tsp_issuer_free(iss);
}

static void test_settings_refused(void **state)
{
    (void)state;
    vbsig_tsp_issuer_opts o;
    vbsig_tsp_issuer_opts_init(&o);
    vbsig_tsp_issuer *iss = NULL;
    o.policy = "not an oid";
    assert_int_equal(vbsig_tsp_issuer_new(&iss, g.tsa, &o), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "not an oid"));
    o.policy = POLICY;
    o.hashes = "sha256,md5";
    assert_int_equal(vbsig_tsp_issuer_new(&iss, g.tsa, &o), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "md5"));
    o.hashes = " , ";
    assert_int_equal(vbsig_tsp_issuer_new(&iss, g.tsa, &o), VBSIG_E_INVALID_ARG);
    o.hashes = NULL;
    o.version = 99;
    assert_int_equal(vbsig_tsp_issuer_new(&iss, g.tsa, &o), VBSIG_E_INVALID_ARG);
    assert_null(iss);

    vbsig_buf reply = {0};
    assert_int_equal(vbsig_tsp_reject(32, "x", &reply), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_tsp_reject(VBSIG_TSP_FAIL_ADD_INFO_NOT_AVAILABLE, "overloaded", &reply), VBSIG_OK);
    TS_RESP *resp = parse_reply(&reply);
    assert_int_equal(resp_status(resp), 2);
    TS_RESP_free(resp);
    vbsig_buf_free(&reply);
}

static int sign_with_other(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    return vbsig_signer_sign_digest(impl, req, sig, sig_len);
}

static void test_signer_checks(void **state)
{
    (void)state;
    assert_int_equal(vbsig_tsp_check_signer(g.tsa, 0), VBSIG_OK);
    assert_int_equal(vbsig_signer_probe(g.tsa), VBSIG_OK);
    char *subject = vbsig_signer_subject(g.tsa);
    assert_non_null(subject);
    assert_non_null(strstr(subject, "CN="));
    vbsig_free(subject);

    vbsig_signer *plain = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&plain, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    assert_int_equal(vbsig_tsp_check_signer(plain, 0), VBSIG_E_KEY_UNUSABLE);
    assert_non_null(strstr(vbsig_last_error(), "timeStamping"));
    vbsig_signer_free(plain);

    /* After its notAfter the TSA certificate is refused. */
    time_t not_after = 0;
    assert_int_equal(vbsig_signer_validity(g.tsa, NULL, &not_after), VBSIG_OK);
    assert_int_equal(vbsig_tsp_check_signer(g.tsa, not_after + 1), VBSIG_E_KEY_UNUSABLE);
    assert_non_null(strstr(vbsig_last_error(), "expired"));

    /* A key that does not match its certificate fails the probe: an
     * outside signer whose key is rsa2048's under the TSA's certificate. */
    vbsig_signer *other = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&other, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    size_t cert_len = 0;
    const uint8_t *cert = vbsig_signer_cert_der(g.tsa, &cert_len);
    vbsig_signer_ops ops = {1, sign_with_other, NULL};
    vbsig_signer *mismatched = NULL;
    assert_int_equal(vbsig_signer_new(&mismatched, &ops, other, cert, cert_len), VBSIG_OK);
    assert_int_equal(vbsig_signer_probe(mismatched), VBSIG_E_KEY_UNUSABLE);
    assert_non_null(strstr(vbsig_last_error(), "does not match"));
    assert_int_equal(vbsig_tsp_check_signer(mismatched, 0), VBSIG_E_KEY_UNUSABLE);
    assert_non_null(strstr(vbsig_last_error(), "does not match"));
    vbsig_signer_free(mismatched);
    vbsig_signer_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_granted_token_verifies_with_openssl),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_settings_refused),
        cmocka_unit_test(test_signer_checks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
