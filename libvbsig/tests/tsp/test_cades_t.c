/* CAdES-T through the public API against a real TSA (OpenSSL's, behind
 * tests/tsa-shim/tsa_shim.py on 127.0.0.1): one-step and two-step B-T
 * signing, vbsig_cades_add_timestamp, and what verification reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_pki.h"
#include "vbsig/vbsig.h"

static const uint8_t DOC[] = "QUYẾT ĐỊNH về việc ban hành quy chế sử dụng chữ ký số";
#define DOC_LEN (sizeof DOC - 1)

typedef struct fixture {
    pid_t shim;
    char url[128];
    const char *urls[1];
    vbsig_tsp_opts tsp;
    vbsig_ctx *ctx;
    vbsig_signer *signer;
} fixture;

static int start_shim(fixture *f)
{
    static char dir[1024], port_file[1100], shim[1100];
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/unit-cades-t-%d", tmp != NULL ? tmp : "/tmp", (int)getpid());
    snprintf(port_file, sizeof port_file, "%s/port", dir);
    snprintf(shim, sizeof shim, "%s/../tests/tsa-shim/tsa_shim.py", getenv("VBSIG_TEST_DATA"));
    unlink(port_file);
    f->shim = fork();
    if (f->shim == 0) {
        execlp("python3", "python3", shim, "--pki", getenv("VBSIG_TEST_PKI"), "--work", dir, "--port-file",
               port_file, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        FILE *p = fopen(port_file, "r");
        int port = 0;
        if (p != NULL && fscanf(p, "%d", &port) == 1) {
            fclose(p);
            snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d/tsa", port);
            return 0;
        }
        if (p != NULL)
            fclose(p);
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (start_shim(f) != 0)
        return -1;
    f->urls[0] = f->url;
    vbsig_tsp_opts_init(&f->tsp);
    f->tsp.urls = f->urls;
    f->tsp.url_count = 1;
    if (vbsig_ctx_new(&f->ctx) != VBSIG_OK || vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")) != VBSIG_OK ||
        vbsig_ctx_set_revocation_mode(f->ctx, VBSIG_REVOCATION_OFF) != VBSIG_OK ||
        vbsig_signer_from_pkcs12(&f->signer, pki_path("signers/ecp256.p12"), "pass:vbsig-test") != VBSIG_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kill(f->shim, SIGTERM);
    waitpid(f->shim, NULL, 0);
    vbsig_signer_free(f->signer);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void assert_bt_passes(fixture *f, const vbsig_buf *sig, int detached)
{
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_cades_verify(f->ctx, sig->data, sig->len, detached ? DOC : NULL, detached ? DOC_LEN : 0, &r),
                     VBSIG_OK);
    assert_int_equal(vbsig_report_signature_count(r), 1);
    assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
    assert_string_equal(vbsig_report_signature_level(r, 0), "B-T");
    vbsig_buf json = {0};
    assert_int_equal(vbsig_report_to_json(r, NULL, &json), VBSIG_OK);
    assert_non_null(strstr((const char *)json.data, "\"tsa\":\"CN=vbsig Test TSA"));
    assert_non_null(strstr((const char *)json.data, "\"status\":\"TOTAL-PASSED\",\"subindication\":null}"));
    vbsig_buf_free(&json);
    vbsig_report_free(r);
}

static void test_one_step_b_t(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.level = VBSIG_LEVEL_B_T;
    o.tsp = &f->tsp;
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
    assert_bt_passes(f, &sig, 0);
    vbsig_buf_free(&sig);
    /* B-T without a TSA is the caller's mistake, caught before signing. */
    o.tsp = NULL;
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_E_INVALID_ARG);
    o.level = (vbsig_level)7;
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_E_INVALID_ARG);
}

/* The key holder signs elsewhere; finish adds the timestamp. */
static void test_two_step_b_t(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    o.level = VBSIG_LEVEL_B_T;
    o.tsp = &f->tsp;
    vbsig_signer *cert_only = NULL;
    assert_int_equal(vbsig_signer_from_cert_file(&cert_only, pki_path("signers/ecp256.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_add_chain_file(cert_only, pki_path("chain.pem")), VBSIG_OK);
    vbsig_cades_pending *p = NULL;
    assert_int_equal(vbsig_cades_prepare(f->ctx, cert_only, &o, DOC, DOC_LEN, &p), VBSIG_OK);
    uint8_t value[VBSIG_MAX_SIGNATURE];
    size_t len = sizeof value;
    assert_int_equal(vbsig_signer_sign_digest(f->signer, vbsig_cades_pending_request(p), value, &len), VBSIG_OK);
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_finish(p, value, len, &sig), VBSIG_OK);
    assert_bt_passes(f, &sig, 1);
    vbsig_buf_free(&sig);
    vbsig_cades_pending_free(p);
    vbsig_signer_free(cert_only);
}

/* Callers built against version 1 of the options get B-B, whatever lies
 * beyond the version 1 fields. */
static void test_version_1_options_sign_b_b(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    memset(&o, 0x5a, sizeof o);
    vbsig_cades_sign_opts_init(&o);
    o.version = 1;
    o.level = (vbsig_level)0x5a5a5a5a;
    memset(&o.tsp, 0x5a, sizeof o.tsp);
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &sig), VBSIG_OK);
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_cades_verify(f->ctx, sig.data, sig.len, NULL, 0, &r), VBSIG_OK);
    assert_string_equal(vbsig_report_signature_level(r, 0), "B-B");
    vbsig_report_free(r);
    vbsig_buf_free(&sig);
}

static void test_add_timestamp_and_reuse_token_api(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    vbsig_buf bb = {0}, bt = {0};
    assert_int_equal(vbsig_cades_sign(f->ctx, f->signer, &o, DOC, DOC_LEN, &bb), VBSIG_OK);
    assert_int_equal(vbsig_cades_add_timestamp(f->ctx, &f->tsp, bb.data, bb.len, &bt), VBSIG_OK);
    assert_true(bt.len > bb.len + 1000);
    assert_bt_passes(f, &bt, 1);
    /* "Timestamp these bytes" and "verify this token against them": the
     * calls a PDF document timestamp will make. */
    vbsig_buf token = {0};
    assert_int_equal(vbsig_tsp_timestamp_data(f->ctx, &f->tsp, DOC, DOC_LEN, &token), VBSIG_OK);
    vbsig_digest_alg alg = 0;
    assert_int_equal(vbsig_tsp_token_digest_alg(token.data, token.len, &alg), VBSIG_OK);
    assert_int_equal(alg, VBSIG_DIGEST_SHA256);
    vbsig_tsp_result *res = NULL;
    uint8_t wrong[32] = {0};
    assert_int_equal(vbsig_tsp_verify_token(f->ctx, token.data, token.len, alg, wrong, sizeof wrong, &res), VBSIG_OK);
    assert_int_equal(vbsig_tsp_result_indication(res), VBSIG_TOTAL_FAILED);
    assert_string_equal(vbsig_tsp_result_subindication(res), "HASH_FAILURE");
    assert_true(llabs((long long)(vbsig_tsp_result_time(res) - time(NULL))) < 120);
    vbsig_tsp_result_free(res);
    vbsig_buf_free(&token);
    /* A damaged signature is not timestamped. */
    bb.data[bb.len - 1] ^= 1;
    vbsig_buf none = {0};
    int rc = vbsig_cades_add_timestamp(f->ctx, &f->tsp, bb.data, bb.len, &none);
    assert_true(rc == VBSIG_E_REFUSED || rc == VBSIG_E_MALFORMED);
    assert_null(none.data);
    vbsig_buf_free(&bb);
    vbsig_buf_free(&bt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_step_b_t, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_step_b_t, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_1_options_sign_b_b, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_timestamp_and_reuse_token_api, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
