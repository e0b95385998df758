/* The RFC 3161 client core against OpenSSL's own TSA (`openssl ts -reply`,
 * run through tests/tsa-shim/tsa_shim.py --once): requests we build are
 * answered by it, and its tokens are checked the way the client and the
 * verifier check them. The transport is tested against a closed port here
 * and against the HTTP shim in tests/cli/test_timestamp*.sh. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "test_pki.h"
#include "tsp/tsp.h"
#include "validate/validate.h"
#include "vbsig/vbsig.h"

#define POLICY "1.3.6.1.4.1.99999.1.1"

static const char DOC[] = "Công văn số 123/UBND-VP về việc triển khai chữ ký số";

static char g_dir[1024];

static void sha256(const void *p, size_t n, uint8_t out[32])
{
    unsigned len = 0;
    EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

static uint8_t *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t buf[1 << 16];
    *n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint8_t *copy = malloc(*n);
    memcpy(copy, buf, *n);
    return copy;
}

/* OpenSSL's TSA answers the query; faketime NULL = the real clock. */
static uint8_t *tsa_reply(const vbsig_bytes *query, const char *faketime, size_t *n)
{
    char q[1200], r[1200], cmd[4096];
    snprintf(q, sizeof q, "%s/q.tsq", g_dir);
    snprintf(r, sizeof r, "%s/r.tsr", g_dir);
    unlink(r);
    write_file(q, query->data, query->len);
    snprintf(cmd, sizeof cmd, "python3 '%s/../tests/tsa-shim/tsa_shim.py' --pki '%s' --work '%s/shim' %s%s --once '%s' '%s'",
             getenv("VBSIG_TEST_DATA"), getenv("VBSIG_TEST_PKI"), g_dir, faketime ? "--faketime=" : "",
             faketime ? faketime : "", q, r);
    assert_int_equal(system(cmd), 0);
    return read_file(r, n);
}

typedef struct stamped {
    vbsig_bytes query;
    ASN1_INTEGER *nonce;
    uint8_t *reply;
    size_t reply_len;
    const uint8_t *token; /* inside reply */
    size_t token_len;
    uint8_t digest[32];
} stamped;

static void stamp(stamped *s, const char *policy, const char *faketime)
{
    memset(s, 0, sizeof *s);
    sha256(DOC, sizeof DOC - 1, s->digest);
    vbsig_bytes_init(&s->query);
    assert_int_equal(vbsig_tsp_request_build(VBSIG_DIGEST_SHA256, s->digest, 32, policy, &s->query, &s->nonce), VBSIG_OK);
    s->reply = tsa_reply(&s->query, faketime, &s->reply_len);
}

static void stamped_free(stamped *s)
{
    vbsig_bytes_free(&s->query);
    ASN1_INTEGER_free(s->nonce);
    free(s->reply);
}

static vbsig_ctx *trusting_ctx(void)
{
    vbsig_ctx *ctx = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(ctx, pki_path("root/root.pem")), VBSIG_OK);
    return ctx;
}

static void test_reply_verifies_and_answers_our_request(void **state)
{
    (void)state;
    stamped s;
    stamp(&s, NULL, NULL);
    assert_int_equal(vbsig_tsp_response_token(s.reply, s.reply_len, &s.token, &s.token_len), VBSIG_OK);
    vbsig_ctx *ctx = trusting_ctx();
    vbsig_tsp_result res;
    assert_int_equal(vbsig_tsp_token_check(ctx, s.token, s.token_len, VBSIG_DIGEST_SHA256, s.digest, 32, 1, &res), VBSIG_OK);
    assert_int_equal(res.indication, VBSIG_TOTAL_PASSED);
    assert_null(res.subindication);
    assert_true(llabs((long long)(res.gen_time - time(NULL))) < 120);
    assert_non_null(res.nonce);
    assert_int_equal(ASN1_INTEGER_cmp(res.nonce, s.nonce), 0);
    assert_string_equal(res.policy, POLICY);
    assert_non_null(strstr(res.tsa, "CN=vbsig Test TSA"));
    assert_non_null(res.serial);
    vbsig_tsp_result_clear(&res);
    vbsig_digest_alg alg = 0;
    assert_int_equal(vbsig_tsp_token_digest_alg(s.token, s.token_len, &alg), VBSIG_OK);
    assert_int_equal(alg, VBSIG_DIGEST_SHA256);
    vbsig_ctx_free(ctx);
    stamped_free(&s);
}

static void test_two_requests_have_different_nonces(void **state)
{
    (void)state;
    uint8_t d[32];
    sha256(DOC, sizeof DOC - 1, d);
    vbsig_bytes a, b;
    vbsig_bytes_init(&a);
    vbsig_bytes_init(&b);
    ASN1_INTEGER *na = NULL, *nb = NULL;
    assert_int_equal(vbsig_tsp_request_build(VBSIG_DIGEST_SHA256, d, 32, NULL, &a, &na), VBSIG_OK);
    assert_int_equal(vbsig_tsp_request_build(VBSIG_DIGEST_SHA256, d, 32, NULL, &b, &nb), VBSIG_OK);
    assert_int_not_equal(ASN1_INTEGER_cmp(na, nb), 0);
    assert_true(a.len == b.len && memcmp(a.data, b.data, a.len) != 0);
    /* The wrong length for the algorithm is the caller's mistake. */
    ASN1_INTEGER *nc = NULL;
    assert_int_equal(vbsig_tsp_request_build(VBSIG_DIGEST_SHA512, d, 32, NULL, &a, &nc), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_tsp_request_build(VBSIG_DIGEST_SHA256, d, 32, "not an oid", &a, &nc), VBSIG_E_INVALID_ARG);
    ASN1_INTEGER_free(na);
    ASN1_INTEGER_free(nb);
    vbsig_bytes_free(&a);
    vbsig_bytes_free(&b);
}

static void test_sha512_imprint(void **state)
{
    (void)state;
    uint8_t d[64];
    unsigned len = 0;
    EVP_Digest(DOC, sizeof DOC - 1, d, &len, EVP_sha512(), NULL);
    vbsig_bytes q;
    vbsig_bytes_init(&q);
    ASN1_INTEGER *n = NULL;
    assert_int_equal(vbsig_tsp_request_build(VBSIG_DIGEST_SHA512, d, 64, POLICY, &q, &n), VBSIG_OK);
    size_t rlen = 0;
    uint8_t *reply = tsa_reply(&q, NULL, &rlen);
    const uint8_t *tok = NULL;
    size_t tlen = 0;
    assert_int_equal(vbsig_tsp_response_token(reply, rlen, &tok, &tlen), VBSIG_OK);
    vbsig_digest_alg alg = 0;
    assert_int_equal(vbsig_tsp_token_digest_alg(tok, tlen, &alg), VBSIG_OK);
    assert_int_equal(alg, VBSIG_DIGEST_SHA512);
    vbsig_ctx *ctx = trusting_ctx();
    vbsig_tsp_result *r = NULL;
    assert_int_equal(vbsig_tsp_verify_token(ctx, tok, tlen, VBSIG_DIGEST_SHA512, d, 64, &r), VBSIG_OK);
    assert_int_equal(vbsig_tsp_result_indication(r), VBSIG_TOTAL_PASSED);
    assert_string_equal(vbsig_tsp_result_policy(r), POLICY);
    vbsig_tsp_result_free(r);
    /* The same bytes under another algorithm are not what was stamped. */
    uint8_t d256[32];
    sha256(DOC, sizeof DOC - 1, d256);
    assert_int_equal(vbsig_tsp_verify_token(ctx, tok, tlen, VBSIG_DIGEST_SHA256, d256, 32, &r), VBSIG_OK);
    assert_int_equal(vbsig_tsp_result_indication(r), VBSIG_TOTAL_FAILED);
    assert_string_equal(vbsig_tsp_result_subindication(r), "HASH_FAILURE");
    vbsig_tsp_result_free(r);
    vbsig_ctx_free(ctx);
    free(reply);
    ASN1_INTEGER_free(n);
    vbsig_bytes_free(&q);
}

static void expect_token(vbsig_ctx *ctx, const uint8_t *tok, size_t len, const uint8_t *digest,
                         vbsig_indication ind, const char *sub)
{
    vbsig_tsp_result *r = NULL;
    assert_int_equal(vbsig_tsp_verify_token(ctx, tok, len, VBSIG_DIGEST_SHA256, digest, 32, &r), VBSIG_OK);
    if (vbsig_tsp_result_indication(r) != ind || strcmp(vbsig_tsp_result_subindication(r) ? vbsig_tsp_result_subindication(r) : "-", sub) != 0)
        fail_msg("expected %s/%s, got %s/%s: %s", vbsig_indication_name(ind), sub,
                 vbsig_indication_name(vbsig_tsp_result_indication(r)),
                 vbsig_tsp_result_subindication(r) ? vbsig_tsp_result_subindication(r) : "-", vbsig_tsp_result_message(r));
    if (ind != VBSIG_TOTAL_PASSED)
        assert_true(strlen(vbsig_tsp_result_message(r)) > 10);
    vbsig_tsp_result_free(r);
}

static void test_what_the_verifier_catches(void **state)
{
    (void)state;
    stamped s;
    stamp(&s, NULL, NULL);
    assert_int_equal(vbsig_tsp_response_token(s.reply, s.reply_len, &s.token, &s.token_len), VBSIG_OK);
    vbsig_ctx *ctx = trusting_ctx();
    expect_token(ctx, s.token, s.token_len, s.digest, VBSIG_TOTAL_PASSED, "-");

    /* Another document's digest. */
    uint8_t other[32];
    sha256("khác", 5, other);
    expect_token(ctx, s.token, s.token_len, other, VBSIG_TOTAL_FAILED, "HASH_FAILURE");

    /* genTime changed after signing: the TSTInfo no longer matches the
     * message-digest the TSA signed. */
    uint8_t *copy = malloc(s.token_len);
    memcpy(copy, s.token, s.token_len);
    uint8_t *gt = memmem(copy, s.token_len, "\x18\x0f" "20", 4);
    assert_non_null(gt);
    gt[15] ^= 0x01; /* a digit of the seconds */
    expect_token(ctx, copy, s.token_len, s.digest, VBSIG_TOTAL_FAILED, "HASH_FAILURE");

    /* The signature value (the token's last bytes) damaged. */
    memcpy(copy, s.token, s.token_len);
    copy[s.token_len - 1] ^= 0x01;
    expect_token(ctx, copy, s.token_len, s.digest, VBSIG_TOTAL_FAILED, "SIG_CRYPTO_FAILURE");

    /* Cut short: not a token at all. */
    expect_token(ctx, s.token, s.token_len / 2, s.digest, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
    free(copy);

    /* A TSA that does not chain to the anchors given. */
    vbsig_ctx *bare = NULL;
    assert_int_equal(vbsig_ctx_new(&bare), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(bare, pki_path("unknownroot/root.pem")), VBSIG_OK);
    expect_token(bare, s.token, s.token_len, s.digest, VBSIG_INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND");
    vbsig_ctx_free(bare);
    vbsig_ctx_free(ctx);
    stamped_free(&s);
}

/* A TSA whose clock is 60 days behind issues tokens dated before its own
 * certificate (valid from now−30 days): such a token proves nothing. */
static void test_gen_time_outside_tsa_certificate(void **state)
{
    (void)state;
    stamped s;
    stamp(&s, NULL, "-60d");
    assert_int_equal(vbsig_tsp_response_token(s.reply, s.reply_len, &s.token, &s.token_len), VBSIG_OK);
    vbsig_ctx *ctx = trusting_ctx();
    vbsig_tsp_result res;
    assert_int_equal(vbsig_tsp_token_check(ctx, s.token, s.token_len, VBSIG_DIGEST_SHA256, s.digest, 32, 1, &res), VBSIG_OK);
    assert_int_equal(res.indication, VBSIG_INDETERMINATE);
    assert_string_equal(res.subindication, "OUT_OF_BOUNDS_NO_POE");
    assert_true(res.gen_time < time(NULL) - 59 * 86400);
    assert_non_null(strstr(res.message, "outside the validity"));
    vbsig_tsp_result_clear(&res);
    vbsig_ctx_free(ctx);
    stamped_free(&s);
}

static void test_rejection_is_reported_with_its_reason(void **state)
{
    (void)state;
    stamped s;
    stamp(&s, "1.2.3.4.5", NULL); /* a policy the TSA does not serve */
    assert_int_equal(vbsig_tsp_response_token(s.reply, s.reply_len, &s.token, &s.token_len), VBSIG_E_REFUSED);
    assert_non_null(strstr(vbsig_last_error(), "rejection"));
    assert_non_null(strstr(vbsig_last_error(), "unacceptedPolicy"));
    assert_null(s.token);
    stamped_free(&s);
}

static void test_malformed_replies(void **state)
{
    (void)state;
    stamped s;
    stamp(&s, NULL, NULL);
    const uint8_t *tok = NULL;
    size_t tlen = 0;
    assert_int_equal(vbsig_tsp_response_token(s.reply, s.reply_len - 1, &tok, &tlen), VBSIG_E_MALFORMED);
    uint8_t junk[200];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 37 + 11);
    assert_int_equal(vbsig_tsp_response_token(junk, sizeof junk, &tok, &tlen), VBSIG_E_MALFORMED);
    /* A status alone, granted, without a token. */
    static const uint8_t granted_only[] = {0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00};
    assert_int_equal(vbsig_tsp_response_token(granted_only, sizeof granted_only, &tok, &tlen), VBSIG_E_MALFORMED);
    assert_int_equal(vbsig_tsp_token_digest_alg(junk, sizeof junk, &(vbsig_digest_alg){0}), VBSIG_E_MALFORMED);
    stamped_free(&s);
}

static void test_options_are_checked(void **state)
{
    (void)state;
    vbsig_tsp_opts o;
    vbsig_tsp_opts_init(&o);
    assert_int_equal(vbsig_tsp_opts_check(&o), VBSIG_E_INVALID_ARG); /* no URL */
    const char *ftp[] = {"ftp://127.0.0.1/"};
    o.urls = ftp;
    o.url_count = 1;
    assert_int_equal(vbsig_tsp_opts_check(&o), VBSIG_E_INVALID_ARG);
    const char *ok[] = {"http://127.0.0.1:1/"};
    o.urls = ok;
    assert_int_equal(vbsig_tsp_opts_check(&o), VBSIG_OK);
    o.retries = 11;
    assert_int_equal(vbsig_tsp_opts_check(&o), VBSIG_E_INVALID_ARG);
    o.retries = 0;
    o.digest = VBSIG_DIGEST_SHA1;
    assert_int_equal(vbsig_tsp_opts_check(&o), VBSIG_E_INVALID_ARG);
    o.digest = VBSIG_DIGEST_SHA256;
    o.version = 99;
    assert_int_equal(vbsig_tsp_opts_check(&o), VBSIG_E_INVALID_ARG);
}

/* A port nobody listens on: bound, then closed. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_unreachable_tsas_are_all_named(void **state)
{
    (void)state;
    char u1[64], u2[64];
    snprintf(u1, sizeof u1, "http://127.0.0.1:%d/tsa", closed_port());
    snprintf(u2, sizeof u2, "http://127.0.0.1:%d/other", closed_port());
    const char *urls[] = {u1, u2};
    vbsig_tsp_opts o;
    vbsig_tsp_opts_init(&o);
    o.urls = urls;
    o.url_count = 2;
    o.retries = 2;
    o.retry_delay_ms = 100;
    vbsig_ctx *ctx = trusting_ctx();
    vbsig_buf tok = {(uint8_t *)"x", 1};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(vbsig_tsp_timestamp_data(ctx, &o, (const uint8_t *)DOC, sizeof DOC - 1, &tok), VBSIG_E_UNAVAILABLE);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_null(tok.data);
    assert_non_null(strstr(vbsig_last_error(), u1));
    assert_non_null(strstr(vbsig_last_error(), u2));
    /* Two retries per URL, 100 ms then 200 ms apart: at least 0.6 s in all. */
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs >= 0.6);
    vbsig_ctx_free(ctx);
}

int main(void)
{
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(g_dir, sizeof g_dir, "%s/unit-tsp-%d", tmp != NULL ? tmp : "/tmp", (int)getpid());
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", g_dir);
    if (system(cmd) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reply_verifies_and_answers_our_request),
        cmocka_unit_test(test_two_requests_have_different_nonces),
        cmocka_unit_test(test_sha512_imprint),
        cmocka_unit_test(test_what_the_verifier_catches),
        cmocka_unit_test(test_gen_time_outside_tsa_certificate),
        cmocka_unit_test(test_rejection_is_reported_with_its_reason),
        cmocka_unit_test(test_malformed_replies),
        cmocka_unit_test(test_options_are_checked),
        cmocka_unit_test(test_unreachable_tsas_are_all_named),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        return 1;
    return failed;
}
