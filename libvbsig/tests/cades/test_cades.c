#define _GNU_SOURCE /* memmem */
/* CAdES signing and verification through the public API: one-step and
 * two-step, attached and detached, and the failures a verifier must name. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "test_pki.h"
#include "util/util.h"
#include "vbsig/vbsig.h"

static const uint8_t DOC[] = "CHỈ THỊ về tăng cường ứng dụng công nghệ thông tin trong quản lý văn bản";
#define DOC_LEN (sizeof DOC - 1)

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *signer;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(vbsig_ctx_new(&f->ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->signer, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vbsig_signer_free(f->signer);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

static vbsig_report *verify(fixture *f, const vbsig_buf *sig, const uint8_t *data, size_t len)
{
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_cades_verify(f->ctx, sig->data, sig->len, data, len, &r), VBSIG_OK);
    assert_non_null(r);
    return r;
}

static void assert_single(vbsig_report *r, vbsig_indication ind, const char *sub)
{
    assert_int_equal(vbsig_report_signature_count(r), 1);
    assert_int_equal(vbsig_report_signature_indication(r, 0), ind);
    if (sub == NULL)
        assert_null(vbsig_report_signature_subindication(r, 0));
    else
        assert_string_equal(vbsig_report_signature_subindication(r, 0), sub);
}

static void test_detached_and_attached(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    for (int detached = 0; detached <= 1; detached++) {
        o.detached = detached;
        vbsig_buf sig = {0};
        assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
        vbsig_report *r = verify(f, &sig, detached ? DOC : NULL, detached ? DOC_LEN : 0);
        assert_single(r, VBSIG_TOTAL_PASSED, NULL);
        assert_string_equal(vbsig_report_signature_level(r, 0), "B-B");
        assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
        vbsig_report_free(r);
        /* An attached signature is longer by at least the document. */
        if (!detached)
            assert_true(memmem(sig.data, sig.len, DOC, DOC_LEN) != NULL);
        else
            assert_null(memmem(sig.data, sig.len, DOC, DOC_LEN));
        vbsig_buf_free(&sig);
    }
}

static void test_tampered_data_and_signature(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
    uint8_t changed[sizeof DOC];
    memcpy(changed, DOC, sizeof DOC);
    changed[3] ^= 0x20;
    vbsig_report *r = verify(f, &sig, changed, DOC_LEN);
    assert_single(r, VBSIG_TOTAL_FAILED, "HASH_FAILURE");
    vbsig_report_free(r);
    sig.data[sig.len - 3] ^= 0x01; /* inside the signature value, the last field */
    r = verify(f, &sig, DOC, DOC_LEN);
    assert_single(r, VBSIG_TOTAL_FAILED, "SIG_CRYPTO_FAILURE");
    vbsig_report_free(r);
    vbsig_buf_free(&sig);
}

/* The key holder is somewhere else: prepare with a certificate-only
 * signer, sign the digest with the key, finish with the bytes. */
static void test_two_step(void **state)
{
    fixture *f = *state;
    vbsig_signer *cert_only = NULL;
    assert_int_equal(vbsig_signer_from_cert_file(&cert_only, pki_path("signers/rsa2048.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_add_chain_file(cert_only, pki_path("chain.pem")), VBSIG_OK);
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    vbsig_cades_pending *p = NULL;
    vbsig_buf out = {0};

    /* A certificate-only signer cannot sign in one step. */
    assert_int_equal(vbsig_cades_sign(f->ctx, cert_only, &o, DOC, DOC_LEN, &out), VBSIG_E_KEY_UNUSABLE);

    assert_int_equal(vbsig_cades_prepare(f->ctx, cert_only, &o, DOC, DOC_LEN, &p), VBSIG_OK);
    const vbsig_sign_request *req = vbsig_cades_pending_request(p);
    assert_int_equal(req->digest_alg, VBSIG_DIGEST_SHA256);
    assert_int_equal(req->digest_len, 32);
    /* Wrong bytes are refused before anything is produced. */
    uint8_t junk[256];
    memset(junk, 0x5a, sizeof junk);
    assert_int_equal(vbsig_cades_finish(p, junk, sizeof junk, &out), VBSIG_E_CRYPTO);
    assert_null(out.data);
    assert_int_equal(vbsig_signer_sign_digest(f->signer, req, sig, &sig_len), VBSIG_OK);
    assert_int_equal(vbsig_cades_finish(p, sig, sig_len, &out), VBSIG_OK);
    vbsig_cades_pending_free(p);
    vbsig_report *r = verify(f, &out, DOC, DOC_LEN);
    assert_single(r, VBSIG_TOTAL_PASSED, NULL);
    vbsig_report_free(r);
    vbsig_buf_free(&out);
    vbsig_signer_free(cert_only);
}

static void test_pss_and_ecdsa_digests(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    assert_int_equal(vbsig_signer_set_rsa_padding(f->signer, VBSIG_RSA_PSS), VBSIG_OK);
    const vbsig_digest_alg algs[] = {VBSIG_DIGEST_SHA256, VBSIG_DIGEST_SHA384, VBSIG_DIGEST_SHA512,
                                     VBSIG_DIGEST_SHA3_256, VBSIG_DIGEST_SHA3_512};
    for (size_t i = 0; i < 5; i++) {
        o.digest = algs[i];
        vbsig_buf sig = {0};
        assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
        vbsig_report *r = verify(f, &sig, DOC, DOC_LEN);
        assert_single(r, VBSIG_TOTAL_PASSED, NULL);
        vbsig_report_free(r);
        vbsig_buf_free(&sig);
    }
    vbsig_signer_set_rsa_padding(f->signer, VBSIG_RSA_PKCS1_V15);
    vbsig_signer *ec = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&ec, pki_path("signers/ecp384.p12"), "pass:vbsig-test"), VBSIG_OK);
    o.digest = VBSIG_DIGEST_SHA384;
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, ec, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
    vbsig_report *r = verify(f, &sig, DOC, DOC_LEN);
    assert_single(r, VBSIG_TOTAL_PASSED, NULL);
    vbsig_report_free(r);
    vbsig_buf_free(&sig);
    vbsig_signer_free(ec);
    o.digest = VBSIG_DIGEST_SHA1;
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_E_INVALID_ARG);
}

static void test_validation_time_and_trust(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
    /* Three years on, the certificate has expired and nothing proves the
     * signature existed before: INDETERMINATE, not TOTAL-FAILED. */
    vbsig_ctx_set_validation_time(f->ctx, time(NULL) + 3 * 365 * 86400);
    vbsig_report *r = verify(f, &sig, DOC, DOC_LEN);
    assert_single(r, VBSIG_INDETERMINATE, "OUT_OF_BOUNDS_NO_POE");
    vbsig_report_free(r);
    vbsig_ctx_set_validation_time(f->ctx, 0);
    /* A context that trusts nothing finds no chain. */
    vbsig_ctx *bare = NULL;
    assert_int_equal(vbsig_ctx_new(&bare), VBSIG_OK);
    assert_int_equal(vbsig_cades_verify(bare, sig.data, sig.len, DOC, DOC_LEN, &r), VBSIG_OK);
    assert_single(r, VBSIG_INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND");
    vbsig_report_free(r);
    /* The unknown root does not help either. */
    assert_int_equal(vbsig_ctx_add_trust(bare, pki_path("unknownroot/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_cades_verify(bare, sig.data, sig.len, DOC, DOC_LEN, &r), VBSIG_OK);
    assert_single(r, VBSIG_INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND");
    vbsig_report_free(r);
    vbsig_ctx_free(bare);
    vbsig_buf_free(&sig);
}

static void test_limits_and_garbage(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
    vbsig_report *r = NULL;
    vbsig_ctx *tight = NULL;
    assert_int_equal(vbsig_ctx_new(&tight), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_limit(tight, VBSIG_LIMIT_CERTS, 1), VBSIG_OK);
    assert_int_equal(vbsig_cades_verify(tight, sig.data, sig.len, NULL, 0, &r), VBSIG_E_LIMIT);
    assert_null(r);
    assert_int_equal(vbsig_ctx_set_limit(tight, VBSIG_LIMIT_DER_DEPTH, 3), VBSIG_OK);
    assert_int_equal(vbsig_cades_verify(tight, sig.data, sig.len, NULL, 0, &r), VBSIG_E_LIMIT);
    assert_int_equal(vbsig_ctx_set_limit(tight, VBSIG_LIMIT_DER_DEPTH, 0), VBSIG_E_INVALID_ARG);
    vbsig_ctx_free(tight);
    for (size_t cut = 1; cut < sig.len; cut += 97) {
        assert_int_equal(vbsig_cades_verify(f->ctx, sig.data, cut, NULL, 0, &r), VBSIG_E_MALFORMED);
        assert_true(strlen(vbsig_last_error()) > 0);
    }
    const uint8_t trailing_garbage_len = 1;
    uint8_t *longer = malloc(sig.len + trailing_garbage_len);
    memcpy(longer, sig.data, sig.len);
    longer[sig.len] = 0;
    assert_int_equal(vbsig_cades_verify(f->ctx, longer, sig.len + 1, NULL, 0, &r), VBSIG_E_MALFORMED);
    free(longer);
    vbsig_buf_free(&sig);
}

static void test_json_report(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    /* An hour ago, whatever year the suite runs in (the PKI is made fresh). */
    o.signing_time = time(NULL) - 3600;
    char want_vn[32], want_utc[32];
    vbsig_time_format(o.signing_time, VBSIG_TZ_VIETNAM_MINUTES, want_vn);
    vbsig_time_format(o.signing_time, 0, want_utc);
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
    vbsig_report *r = verify(f, &sig, NULL, 0);
    assert_int_equal(vbsig_report_set_file(r, "cong-van.p7m"), VBSIG_OK);
    vbsig_report_render_opts ro;
    vbsig_report_render_opts_init(&ro);
    vbsig_buf json = {0};
    assert_int_equal(vbsig_report_to_json(r, &ro, &json), VBSIG_OK);
    json_error_t jerr;
    json_t *root = json_loadb((const char *)json.data, json.len, 0, &jerr);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "file")), "cong-van.p7m");
    assert_string_equal(json_string_value(json_object_get(root, "format")), "cades");
    assert_string_equal(json_string_value(json_object_get(root, "status")), "TOTAL-PASSED");
    json_t *s0 = json_array_get(json_object_get(root, "signatures"), 0);
    assert_string_equal(json_string_value(json_object_get(s0, "claimed_signing_time")), want_vn);
    assert_true(strstr(want_vn, "+07:00") != NULL);
    assert_string_equal(json_string_value(json_object_get(s0, "digest_algorithm")), "SHA-256");
    json_t *signer = json_object_get(s0, "signer");
    assert_string_equal(json_string_value(json_object_get(signer, "common_name")), "Nguyễn Văn An");
    assert_string_equal(json_string_value(json_object_get(signer, "id_number")), "086090001234");
    assert_string_equal(json_string_value(json_object_get(signer, "key")), "RSA-2048");
    assert_int_equal(json_array_size(json_object_get(s0, "chain")), 3);
    json_decref(root);
    vbsig_buf_free(&json);
    ro.utc = 1;
    vbsig_buf text = {0};
    assert_int_equal(vbsig_report_to_text(r, &ro, &text), VBSIG_OK);
    assert_non_null(memmem(text.data, text.len, want_utc, strlen(want_utc)));
    assert_int_equal(want_utc[strlen(want_utc) - 1], 'Z');
    assert_non_null(memmem(text.data, text.len, "Nguyễn Văn An", strlen("Nguyễn Văn An")));
    vbsig_buf_free(&text);
    vbsig_report_free(r);
    vbsig_buf_free(&sig);
}

static void test_sign_file_is_atomic(void **state)
{
    fixture *f = *state;
    const char *tmp = getenv("VBSIG_TEST_TMP");
    char in[4096], out[4096];
    snprintf(in, sizeof in, "%s/cades-in.txt", tmp ? tmp : "/tmp");
    snprintf(out, sizeof out, "%s/cades-out.p7s", tmp ? tmp : "/tmp");
    if (tmp)
        mkdir(tmp, 0755);
    FILE *fp = fopen(in, "wb");
    assert_non_null(fp);
    fwrite(DOC, 1, DOC_LEN, fp);
    fclose(fp);
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    assert_int_equal(vbsig_cades_sign_file(f->ctx, f->signer, &o, in, out), VBSIG_OK);
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_cades_verify_file(f->ctx, out, in, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    vbsig_report_free(r);
    /* A refused signer leaves the earlier output as it was. */
    vbsig_signer *expired = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&expired, pki_path("signers/expired.p12"), "pass:vbsig-test"), VBSIG_OK);
    assert_int_equal(vbsig_cades_sign_file(f->ctx, expired, &o, in, out), VBSIG_E_KEY_UNUSABLE);
    assert_int_equal(vbsig_cades_verify_file(f->ctx, out, in, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    vbsig_report_free(r);
    vbsig_signer_free(expired);
    unlink(in);
    unlink(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_detached_and_attached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_data_and_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pss_and_ecdsa_digests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation_time_and_trust, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits_and_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_file_is_atomic, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
