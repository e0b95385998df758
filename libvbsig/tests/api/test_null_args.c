/* Every public function called with NULL in each pointer argument it
 * requires: VBSIG_E_INVALID_ARG and a message naming the argument, never a
 * crash (run under ASan too). Functions without a status (getters, frees,
 * _init) must accept NULL quietly. Arguments the headers document as
 * optional (detached data, a prompt, module NULL = p11-kit's proxy …) are
 * not passed NULL here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "test_pki.h"
#include "vbsig/vbsig.h"

#include "expect_null_arg.h"

static const uint8_t bytes[4] = {1, 2, 3, 4};

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *signer;
    vbsig_report *report;
    vbsig_buf buf;
    vbsig_tsp_opts tsp;
    vbsig_cades_extend_opts cades_extend;
    vbsig_xml_extend_opts xml_extend;
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    if (vbsig_ctx_new(&f.ctx) != VBSIG_OK)
        return -1;
    if (vbsig_signer_from_pkcs12(&f.signer, pki_path("signers/rsa2048.p12"), "pass:vbsig-test") != VBSIG_OK)
        return -1;
    /* A real report, for the render functions' other arguments. */
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    vbsig_buf sig = {0};
    if (vbsig_cades_sign(f.ctx, f.signer, &o, bytes, sizeof bytes, &sig) != VBSIG_OK)
        return -1;
    int rc = vbsig_cades_verify(f.ctx, sig.data, sig.len, NULL, 0, &f.report);
    vbsig_buf_free(&sig);
    if (rc != VBSIG_OK)
        return -1;
    vbsig_tsp_opts_init(&f.tsp);
    vbsig_cades_extend_opts_init(&f.cades_extend);
    f.cades_extend.tsp = &f.tsp;
    vbsig_xml_extend_opts_init(&f.xml_extend);
    f.xml_extend.tsp = &f.tsp;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vbsig_report_free(f->report);
    vbsig_signer_free(f->signer);
    vbsig_ctx_free(f->ctx);
    return 0;
}

static void test_status_ctx(void **state)
{
    fixture *f = *state;
    uint64_t lim = vbsig_ctx_get_limit(NULL, VBSIG_LIMIT_DER_DEPTH);
    (void)lim;
    time_t t;
    EXPECT_NULL_ARG(vbsig_ctx_new(NULL), "out");
    vbsig_ctx_free(NULL);
    EXPECT_NULL_ARG(vbsig_ctx_add_trust(NULL, "x"), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_add_trust(f->ctx, NULL), "path");
    EXPECT_NULL_ARG(vbsig_ctx_add_intermediates(NULL, "x"), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_add_intermediates(f->ctx, NULL), "path");
    EXPECT_NULL_ARG(vbsig_ctx_set_validation_time(NULL, 0), "ctx");
    EXPECT_NULL_ARG(vbsig_parse_time(NULL, &t), "iso8601");
    EXPECT_NULL_ARG(vbsig_parse_time("2026-01-01", NULL), "out");
    EXPECT_NULL_ARG(vbsig_ctx_set_revocation_mode(NULL, VBSIG_REVOCATION_SOFT), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_add_url_rewrite(NULL, "http://a/", "http://b/"), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_add_url_rewrite(f->ctx, NULL, "http://b/"), "from");
    EXPECT_NULL_ARG(vbsig_ctx_add_url_rewrite(f->ctx, "http://a/", NULL), "to");
    EXPECT_NULL_ARG(vbsig_ctx_set_cache_dir(NULL, "x"), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_set_offline(NULL, 1), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_add_trust_domain(NULL, "d", "x", 1), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_add_trust_domain(f->ctx, NULL, "x", 1), "name");
    EXPECT_NULL_ARG(vbsig_ctx_add_trust_domain(f->ctx, "d", NULL, 1), "path");
    EXPECT_NULL_ARG(vbsig_ctx_load_config(NULL, "x"), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_load_config(f->ctx, NULL), "path");
    assert_null(vbsig_ctx_config_serve(NULL, "listen", 0));
    assert_null(vbsig_ctx_config_serve(f->ctx, NULL, 0));
    EXPECT_NULL_ARG(vbsig_ctx_set_aia(NULL, 1), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_set_weak_policy(NULL, VBSIG_WEAK_FAIL), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_set_limit(NULL, VBSIG_LIMIT_DER_DEPTH, 3), "ctx");
    vbsig_network_opts net;
    vbsig_network_opts_init(&net);
    vbsig_network_opts_init(NULL);
    EXPECT_NULL_ARG(vbsig_ctx_set_network(NULL, &net), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_set_network(f->ctx, NULL), "opts");
    EXPECT_NULL_ARG(vbsig_ctx_get_network(NULL, &net), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_get_network(f->ctx, NULL), "out");
    assert_non_null(vbsig_status_name(0));
    assert_non_null(vbsig_last_error()); /* never NULL, "" when nothing failed */
    assert_non_null(vbsig_indication_name(VBSIG_TOTAL_PASSED));
    vbsig_buf_free(NULL);
    vbsig_free(NULL);
    EXPECT_NULL_ARG(vbsig_write_file(NULL, bytes, sizeof bytes, 0), "path");
    EXPECT_NULL_ARG(vbsig_write_file("x", NULL, sizeof bytes, 0), "data");
    EXPECT_NULL_ARG(vbsig_sync_dir(NULL), "dir");
    EXPECT_NULL_ARG(vbsig_secret_read("pass:x", NULL, NULL), "out");
    vbsig_secret_free(NULL);
    EXPECT_NULL_ARG(vbsig_set_error(VBSIG_E_IO_READ, NULL), "message");
    EXPECT_NULL_ARG(vbsig_ctx_set_keep_signed_content(NULL, 1), "ctx");
    EXPECT_NULL_ARG(vbsig_ctx_set_allow_lower_level(NULL, 1), "ctx");
    assert_null(vbsig_ctx_level_warning(NULL));
    assert_non_null(vbsig_version());
    /* NULL is documented: back to the environment's or built-in directory. */
    vbsig_set_localedir(NULL);
    char *config = vbsig_config_default_path();
    vbsig_free(config);
}

/* vbsig/file.h: the output-is-not-the-input checks every front door uses. */
static void test_file_identity(void **state)
{
    (void)state;
    vbsig_file_id id;
    const char *here = pki_path("signers/rsa2048.p12");
    EXPECT_NULL_ARG(vbsig_file_id_get(NULL, &id), "path");
    EXPECT_NULL_ARG(vbsig_file_id_get(here, NULL), "id");
    assert_int_equal(vbsig_file_id_get(here, &id), VBSIG_OK);
    assert_int_equal(vbsig_file_id_equal(&id, &id), 1);
    assert_int_equal(vbsig_file_id_equal(NULL, &id), 0);
    assert_int_equal(vbsig_file_id_equal(&id, NULL), 0);
    assert_int_equal(vbsig_same_file(NULL, here), 0);
    assert_int_equal(vbsig_same_file(here, NULL), 0);
    assert_int_equal(vbsig_same_file(here, here), 1);
    EXPECT_NULL_ARG(vbsig_check_output(NULL, NULL, 0), "out");
    EXPECT_NULL_ARG(vbsig_check_output("x", NULL, 2), "inputs");
    assert_int_equal(vbsig_check_output("x", NULL, 0), VBSIG_OK);
    const char *inputs[2] = {NULL, here};
    assert_int_equal(vbsig_check_output(here, inputs, 2), VBSIG_E_INVALID_ARG);
}

/* vbsig/tsp_issue.h and the signer accessors a server uses. */
static void test_tsp_issue(void **state)
{
    fixture *f = *state;
    vbsig_tsp_issuer_opts o;
    vbsig_tsp_issuer_opts_init(&o);
    vbsig_tsp_issuer_opts_init(NULL);
    vbsig_tsp_issuer *iss = NULL;
    vbsig_buf reply = {0};
    vbsig_tsp_issued info;
    struct timespec now = {0, 0};
    EXPECT_NULL_ARG(vbsig_tsp_issuer_new(NULL, f->signer, &o), "out");
    EXPECT_NULL_ARG(vbsig_tsp_issuer_new(&iss, NULL, &o), "s");
    EXPECT_NULL_ARG(vbsig_tsp_issuer_new(&iss, f->signer, NULL), "opts");
    EXPECT_NULL_ARG(vbsig_tsp_issuer_new(&iss, f->signer, &o), "opts->policy");
    o.policy = "1.2.3.4";
    o.n_accept_policies = 1;
    EXPECT_NULL_ARG(vbsig_tsp_issuer_new(&iss, f->signer, &o), "opts->accept_policies");
    o.n_accept_policies = 0;
    assert_int_equal(vbsig_tsp_issuer_new(&iss, f->signer, &o), VBSIG_OK);
    EXPECT_NULL_ARG(vbsig_tsp_issue(NULL, bytes, sizeof bytes, &now, &reply, &info), "iss");
    EXPECT_NULL_ARG(vbsig_tsp_issue(iss, NULL, sizeof bytes, &now, &reply, &info), "req");
    EXPECT_NULL_ARG(vbsig_tsp_issue(iss, bytes, sizeof bytes, NULL, &reply, &info), "gen_time");
    EXPECT_NULL_ARG(vbsig_tsp_issue(iss, bytes, sizeof bytes, &now, NULL, &info), "reply");
    EXPECT_NULL_ARG(vbsig_tsp_issue(iss, bytes, sizeof bytes, &now, &reply, NULL), "info");
    vbsig_tsp_issuer_free(iss);
    vbsig_tsp_issuer_free(NULL);
    vbsig_tsp_issued_clear(NULL);
    EXPECT_NULL_ARG(vbsig_tsp_reject(VBSIG_TSP_FAIL_SYSTEM_FAILURE, NULL, &reply), "text");
    EXPECT_NULL_ARG(vbsig_tsp_reject(VBSIG_TSP_FAIL_SYSTEM_FAILURE, "x", NULL), "reply");
    EXPECT_NULL_ARG(vbsig_tsp_check_signer(NULL, 0), "s");
    EXPECT_NULL_ARG(vbsig_signer_probe(NULL), "s");
    assert_null(vbsig_signer_subject(NULL));
    time_t nb, na;
    EXPECT_NULL_ARG(vbsig_signer_validity(NULL, &nb, &na), "s");
    assert_int_equal(vbsig_signer_validity(f->signer, NULL, NULL), VBSIG_OK);
}

static int sign_dummy(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    (void)impl, (void)req, (void)sig, (void)sig_len;
    return VBSIG_E_KEY_UNUSABLE;
}

static void test_signer(void **state)
{
    fixture *f = *state;
    vbsig_signer *s = NULL;
    vbsig_digest_alg alg;
    size_t len;
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    vbsig_sign_request req = {VBSIG_DIGEST_SHA256, VBSIG_RSA_PKCS1_V15, bytes, sizeof bytes};
    vbsig_signer_ops ops = {1, sign_dummy, NULL};
    size_t cert_len;
    const uint8_t *cert = vbsig_signer_cert_der(f->signer, &cert_len);

    EXPECT_NULL_ARG(vbsig_digest_from_name(NULL, &alg), "name");
    EXPECT_NULL_ARG(vbsig_digest_from_name("sha256", NULL), "out");
    EXPECT_NULL_ARG(vbsig_signer_new(NULL, &ops, NULL, cert, cert_len), "out");
    EXPECT_NULL_ARG(vbsig_signer_new(&s, NULL, NULL, cert, cert_len), "ops");
    EXPECT_NULL_ARG(vbsig_signer_new(&s, &ops, NULL, NULL, cert_len), "cert_der");
    assert_null(s);
    EXPECT_NULL_ARG(vbsig_signer_from_key_file(NULL, "k", NULL, "c"), "out");
    EXPECT_NULL_ARG(vbsig_signer_from_key_file(&s, NULL, NULL, "c"), "key_path");
    EXPECT_NULL_ARG(vbsig_signer_from_key_file(&s, "k", NULL, NULL), "cert_path");
    EXPECT_NULL_ARG(vbsig_signer_from_pkcs12(NULL, "p", NULL), "out");
    EXPECT_NULL_ARG(vbsig_signer_from_pkcs12(&s, NULL, NULL), "path");
    EXPECT_NULL_ARG(vbsig_signer_from_cert_file(NULL, "c"), "out");
    EXPECT_NULL_ARG(vbsig_signer_from_cert_file(&s, NULL), "cert_path");
    assert_null(s);
    vbsig_signer_free(NULL);
    EXPECT_NULL_ARG(vbsig_signer_add_chain_file(NULL, "c"), "s");
    EXPECT_NULL_ARG(vbsig_signer_add_chain_file(f->signer, NULL), "path");
    EXPECT_NULL_ARG(vbsig_signer_add_chain_der(NULL, bytes, sizeof bytes), "s");
    EXPECT_NULL_ARG(vbsig_signer_add_chain_der(f->signer, NULL, sizeof bytes), "der");
    EXPECT_NULL_ARG(vbsig_signer_set_rsa_padding(NULL, VBSIG_RSA_PSS), "s");
    (void)vbsig_signer_key_type(NULL);
    assert_int_equal(vbsig_signer_key_bits(NULL), 0);
    assert_null(vbsig_signer_cert_der(NULL, &len));
    EXPECT_NULL_ARG(vbsig_signer_check_usable(NULL, 0), "s");
    EXPECT_NULL_ARG(vbsig_signer_sign_digest(NULL, &req, sig, &sig_len), "s");
    EXPECT_NULL_ARG(vbsig_signer_sign_digest(f->signer, NULL, sig, &sig_len), "req");
    EXPECT_NULL_ARG(vbsig_signer_sign_digest(f->signer, &req, NULL, &sig_len), "sig");
    EXPECT_NULL_ARG(vbsig_signer_sign_digest(f->signer, &req, sig, NULL), "sig_len");
}

static void test_report(void **state)
{
    fixture *f = *state;
    vbsig_report_render_opts ro;
    vbsig_report_render_opts_init(&ro);
    vbsig_report_render_opts_init(NULL);
    assert_int_equal(vbsig_report_indication(NULL), VBSIG_TOTAL_FAILED);
    assert_int_equal(vbsig_report_signature_count(NULL), 0);
    assert_int_equal(vbsig_report_signature_indication(NULL, 0), VBSIG_TOTAL_FAILED);
    assert_null(vbsig_report_signature_subindication(NULL, 0));
    assert_null(vbsig_report_signature_level(NULL, 0));
    EXPECT_NULL_ARG(vbsig_report_set_file(NULL, "x"), "r");
    EXPECT_NULL_ARG(vbsig_report_to_json(NULL, &ro, &f->buf), "r");
    EXPECT_NULL_ARG(vbsig_report_to_text(NULL, &ro, &f->buf), "r");
    EXPECT_NULL_ARG(vbsig_report_to_etsi_xml(NULL, &f->buf), "r");
    EXPECT_NULL_ARG(vbsig_report_write_etsi(NULL, "x"), "r");
    EXPECT_NULL_ARG(vbsig_report_to_json(f->report, &ro, NULL), "out");
    EXPECT_NULL_ARG(vbsig_report_to_text(f->report, &ro, NULL), "out");
    EXPECT_NULL_ARG(vbsig_report_to_etsi_xml(f->report, NULL), "out");
    EXPECT_NULL_ARG(vbsig_report_write_etsi(f->report, NULL), "path");
    vbsig_report_free(NULL);
}

static void test_tsp(void **state)
{
    fixture *f = *state;
    vbsig_tsp_result *res = NULL;
    vbsig_digest_alg alg;
    vbsig_tsp_opts_init(NULL);
    EXPECT_NULL_ARG(vbsig_tsp_timestamp_digest(f->ctx, NULL, VBSIG_DIGEST_SHA256, bytes, sizeof bytes, &f->buf), "opts");
    EXPECT_NULL_ARG(vbsig_tsp_timestamp_digest(f->ctx, &f->tsp, VBSIG_DIGEST_SHA256, NULL, sizeof bytes, &f->buf), "digest");
    EXPECT_NULL_ARG(vbsig_tsp_timestamp_digest(f->ctx, &f->tsp, VBSIG_DIGEST_SHA256, bytes, sizeof bytes, NULL), "token");
    EXPECT_NULL_ARG(vbsig_tsp_timestamp_data(f->ctx, NULL, bytes, sizeof bytes, &f->buf), "opts");
    EXPECT_NULL_ARG(vbsig_tsp_timestamp_data(f->ctx, &f->tsp, NULL, sizeof bytes, &f->buf), "data");
    EXPECT_NULL_ARG(vbsig_tsp_timestamp_data(f->ctx, &f->tsp, bytes, sizeof bytes, NULL), "token");
    EXPECT_NULL_ARG(vbsig_tsp_verify_token(NULL, bytes, sizeof bytes, VBSIG_DIGEST_SHA256, bytes, sizeof bytes, &res), "ctx");
    EXPECT_NULL_ARG(vbsig_tsp_verify_token(f->ctx, NULL, sizeof bytes, VBSIG_DIGEST_SHA256, bytes, sizeof bytes, &res), "token");
    EXPECT_NULL_ARG(vbsig_tsp_verify_token(f->ctx, bytes, sizeof bytes, VBSIG_DIGEST_SHA256, NULL, sizeof bytes, &res), "digest");
    EXPECT_NULL_ARG(vbsig_tsp_verify_token(f->ctx, bytes, sizeof bytes, VBSIG_DIGEST_SHA256, bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_tsp_token_digest_alg(NULL, sizeof bytes, &alg), "token");
    EXPECT_NULL_ARG(vbsig_tsp_token_digest_alg(bytes, sizeof bytes, NULL), "out");
    assert_int_equal(vbsig_tsp_result_indication(NULL), VBSIG_TOTAL_FAILED);
    assert_null(vbsig_tsp_result_revocation_status(NULL));
    assert_null(vbsig_tsp_result_revocation_reason(NULL));
    assert_null(vbsig_tsp_result_subindication(NULL));
    assert_non_null(vbsig_tsp_result_message(NULL));
    assert_int_equal(vbsig_tsp_result_time(NULL), 0);
    assert_null(vbsig_tsp_result_tsa(NULL));
    assert_null(vbsig_tsp_result_policy(NULL));
    assert_null(vbsig_tsp_result_serial(NULL));
    vbsig_tsp_result_free(NULL);
}

static void test_cades(void **state)
{
    fixture *f = *state;
    vbsig_cades_sign_opts o;
    vbsig_cades_pending *p = NULL;
    vbsig_report *r = NULL;
    const char *doc = pki_path("documents/cong-van.txt");
    const char *out = pki_path2("null-args.p7s");
    vbsig_cades_sign_opts_init(&o);
    vbsig_cades_sign_opts_init(NULL);
    EXPECT_NULL_ARG(vbsig_cades_sign_file(f->ctx, NULL, &o, doc, out), "signer");
    EXPECT_NULL_ARG(vbsig_cades_sign_file(f->ctx, f->signer, NULL, doc, out), "opts");
    EXPECT_NULL_ARG(vbsig_cades_sign_file(f->ctx, f->signer, &o, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_cades_sign_file(f->ctx, f->signer, &o, doc, NULL), "out_path");
    /* verify_after_sign (the default) needs a context. */
    EXPECT_NULL_ARG(vbsig_cades_sign_file(NULL, f->signer, &o, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_sign(NULL, f->signer, &o, bytes, sizeof bytes, &f->buf), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_sign(f->ctx, NULL, &o, bytes, sizeof bytes, &f->buf), "signer");
    EXPECT_NULL_ARG(vbsig_cades_sign(f->ctx, f->signer, NULL, bytes, sizeof bytes, &f->buf), "opts");
    EXPECT_NULL_ARG(vbsig_cades_sign(f->ctx, f->signer, &o, NULL, sizeof bytes, &f->buf), "data");
    EXPECT_NULL_ARG(vbsig_cades_sign(f->ctx, f->signer, &o, bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_cades_prepare(f->ctx, NULL, &o, bytes, sizeof bytes, &p), "signer");
    EXPECT_NULL_ARG(vbsig_cades_prepare(f->ctx, f->signer, NULL, bytes, sizeof bytes, &p), "opts");
    EXPECT_NULL_ARG(vbsig_cades_prepare(f->ctx, f->signer, &o, NULL, sizeof bytes, &p), "data");
    EXPECT_NULL_ARG(vbsig_cades_prepare(f->ctx, f->signer, &o, bytes, sizeof bytes, NULL), "out");
    assert_null(vbsig_cades_pending_request(NULL));
    EXPECT_NULL_ARG(vbsig_cades_finish(NULL, bytes, sizeof bytes, &f->buf), "p");
    vbsig_cades_pending_free(NULL);
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp(NULL, &f->tsp, bytes, sizeof bytes, &f->buf), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp(f->ctx, NULL, bytes, sizeof bytes, &f->buf), "tsp");
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp(f->ctx, &f->tsp, NULL, sizeof bytes, &f->buf), "sig");
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp(f->ctx, &f->tsp, bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp_file(NULL, &f->tsp, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp_file(f->ctx, NULL, doc, out), "tsp");
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp_file(f->ctx, &f->tsp, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_cades_add_timestamp_file(f->ctx, &f->tsp, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_cades_extend(NULL, &f->cades_extend, bytes, sizeof bytes, &f->buf), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_extend(f->ctx, &f->cades_extend, NULL, sizeof bytes, &f->buf), "sig");
    EXPECT_NULL_ARG(vbsig_cades_extend(f->ctx, &f->cades_extend, bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_cades_extend_file(NULL, &f->cades_extend, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_extend_file(f->ctx, &f->cades_extend, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_cades_extend_file(f->ctx, &f->cades_extend, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_cades_extend(f->ctx, NULL, bytes, sizeof bytes, &f->buf), "opts");
    EXPECT_NULL_ARG(vbsig_cades_extend_file(f->ctx, NULL, doc, out), "opts");
    vbsig_cades_extend_opts_init(NULL);
    EXPECT_NULL_ARG(vbsig_cades_verify(NULL, bytes, sizeof bytes, NULL, 0, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_verify(f->ctx, NULL, sizeof bytes, NULL, 0, &r), "sig");
    EXPECT_NULL_ARG(vbsig_cades_verify(f->ctx, bytes, sizeof bytes, NULL, 0, NULL), "out");
    EXPECT_NULL_ARG(vbsig_cades_verify_file(NULL, doc, NULL, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_cades_verify_file(f->ctx, NULL, NULL, &r), "sig_path");
    EXPECT_NULL_ARG(vbsig_cades_verify_file(f->ctx, doc, NULL, NULL), "out");
    assert_null(r);
    assert_null(p);
}

static void test_pades(void **state)
{
    fixture *f = *state;
    vbsig_pades_sign_opts o;
    vbsig_pades_extend_opts e;
    vbsig_pades_pending *p = NULL;
    vbsig_report *r = NULL;
    const char *doc = pki_path("documents/cong-van.txt");
    const char *out = pki_path2("null-args.pdf");
    vbsig_pades_sign_opts_init(&o);
    vbsig_pades_sign_opts_init(NULL);
    vbsig_pades_extend_opts_init(&e);
    vbsig_pades_extend_opts_init(NULL);
    vbsig_pades_appearance ap;
    vbsig_pades_appearance_init(&ap);
    assert_int_equal(ap.version, VBSIG_PADES_APPEARANCE_VERSION);
    vbsig_pades_appearance_init(NULL);
    EXPECT_NULL_ARG(vbsig_pades_sign_file(NULL, f->signer, &o, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_pades_sign_file(f->ctx, NULL, &o, doc, out), "signer");
    EXPECT_NULL_ARG(vbsig_pades_sign_file(f->ctx, f->signer, &o, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_pades_sign_file(f->ctx, f->signer, &o, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_pades_sign_file(f->ctx, f->signer, NULL, doc, out), "opts");
    EXPECT_NULL_ARG(vbsig_pades_prepare(f->ctx, NULL, &o, doc, &p), "signer");
    EXPECT_NULL_ARG(vbsig_pades_prepare(f->ctx, f->signer, &o, NULL, &p), "in_path");
    EXPECT_NULL_ARG(vbsig_pades_prepare(f->ctx, f->signer, NULL, doc, &p), "opts");
    EXPECT_NULL_ARG(vbsig_pades_prepare(f->ctx, f->signer, &o, doc, NULL), "out");
    assert_null(vbsig_pades_pending_request(NULL));
    EXPECT_NULL_ARG(vbsig_pades_finish(NULL, bytes, sizeof bytes, out), "p");
    vbsig_pades_pending_free(NULL);
    EXPECT_NULL_ARG(vbsig_pades_timestamp_file(NULL, &f->tsp, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_pades_timestamp_file(f->ctx, NULL, doc, out), "tsp");
    EXPECT_NULL_ARG(vbsig_pades_timestamp_file(f->ctx, &f->tsp, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_pades_timestamp_file(f->ctx, &f->tsp, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_pades_extend_file(NULL, &e, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_pades_extend_file(f->ctx, NULL, doc, out), "opts");
    EXPECT_NULL_ARG(vbsig_pades_extend_file(f->ctx, &e, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_pades_extend_file(f->ctx, &e, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_pades_verify_file(NULL, doc, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_pades_verify_file(f->ctx, NULL, &r), "path");
    EXPECT_NULL_ARG(vbsig_pades_verify_file(f->ctx, doc, NULL), "out");
    EXPECT_NULL_ARG(vbsig_pades_verify(NULL, bytes, sizeof bytes, "n", &r), "ctx");
    EXPECT_NULL_ARG(vbsig_pades_verify(f->ctx, NULL, sizeof bytes, "n", &r), "pdf");
    EXPECT_NULL_ARG(vbsig_pades_verify(f->ctx, bytes, sizeof bytes, "n", NULL), "out");
    assert_null(r);
    assert_null(p);
}

static void test_xml(void **state)
{
    fixture *f = *state;
    vbsig_xml_sign_opts o;
    vbsig_report *r = NULL;
    const char *doc = pki_path("documents/cong-van.txt");
    const char *out = pki_path2("null-args.xml");
    vbsig_xml_sign_opts_init(&o);
    vbsig_xml_sign_opts_init(NULL);
    EXPECT_NULL_ARG(vbsig_xml_sign(NULL, f->signer, &o, bytes, sizeof bytes, &f->buf), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_sign(f->ctx, NULL, &o, bytes, sizeof bytes, &f->buf), "signer");
    EXPECT_NULL_ARG(vbsig_xml_sign(f->ctx, f->signer, NULL, bytes, sizeof bytes, &f->buf), "opts");
    EXPECT_NULL_ARG(vbsig_xml_sign(f->ctx, f->signer, &o, NULL, sizeof bytes, &f->buf), "doc");
    EXPECT_NULL_ARG(vbsig_xml_sign(f->ctx, f->signer, &o, bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_xml_sign_file(NULL, f->signer, &o, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_sign_file(f->ctx, NULL, &o, doc, out), "signer");
    EXPECT_NULL_ARG(vbsig_xml_sign_file(f->ctx, f->signer, NULL, doc, out), "opts");
    EXPECT_NULL_ARG(vbsig_xml_sign_file(f->ctx, f->signer, &o, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_xml_sign_file(f->ctx, f->signer, &o, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_xml_verify(NULL, bytes, sizeof bytes, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_verify(f->ctx, NULL, sizeof bytes, &r), "doc");
    EXPECT_NULL_ARG(vbsig_xml_verify(f->ctx, bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_xml_verify_file(NULL, doc, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_verify_file(f->ctx, NULL, &r), "path");
    EXPECT_NULL_ARG(vbsig_xml_verify_file(f->ctx, doc, NULL), "out");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached(NULL, bytes, 4, bytes, 4, "n", &r), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached(f->ctx, NULL, 4, bytes, 4, "n", &r), "sig");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached(f->ctx, bytes, 4, NULL, 4, "n", &r), "data");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached(f->ctx, bytes, 4, bytes, 4, NULL, &r), "data_name");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached(f->ctx, bytes, 4, bytes, 4, "n", NULL), "out");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached_file(NULL, doc, doc, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached_file(f->ctx, NULL, doc, &r), "sig_path");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached_file(f->ctx, doc, NULL, &r), "data_path");
    EXPECT_NULL_ARG(vbsig_xml_verify_detached_file(f->ctx, doc, doc, NULL), "out");
    EXPECT_NULL_ARG(vbsig_xml_extend(NULL, &f->xml_extend, bytes, 4, &f->buf), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_extend(f->ctx, &f->xml_extend, NULL, 4, &f->buf), "doc");
    EXPECT_NULL_ARG(vbsig_xml_extend(f->ctx, &f->xml_extend, bytes, 4, NULL), "out");
    EXPECT_NULL_ARG(vbsig_xml_extend_file(NULL, &f->xml_extend, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_extend_file(f->ctx, &f->xml_extend, NULL, out), "in_path");
    EXPECT_NULL_ARG(vbsig_xml_extend_file(f->ctx, &f->xml_extend, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached(NULL, &f->xml_extend, bytes, 4, bytes, 4, "n", &f->buf), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached(f->ctx, &f->xml_extend, NULL, 4, bytes, 4, "n", &f->buf), "sig");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached(f->ctx, &f->xml_extend, bytes, 4, NULL, 4, "n", &f->buf), "data");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached(f->ctx, &f->xml_extend, bytes, 4, bytes, 4, NULL, &f->buf), "data_name");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached(f->ctx, &f->xml_extend, bytes, 4, bytes, 4, "n", NULL), "out");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached_file(NULL, &f->xml_extend, doc, doc, out), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached_file(f->ctx, &f->xml_extend, NULL, doc, out), "sig_path");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached_file(f->ctx, &f->xml_extend, doc, NULL, out), "data_path");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached_file(f->ctx, &f->xml_extend, doc, doc, NULL), "out_path");
    EXPECT_NULL_ARG(vbsig_xml_extend(f->ctx, NULL, bytes, 4, &f->buf), "opts");
    EXPECT_NULL_ARG(vbsig_xml_extend_file(f->ctx, NULL, doc, out), "opts");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached(f->ctx, NULL, bytes, 4, bytes, 4, "n", &f->buf), "opts");
    EXPECT_NULL_ARG(vbsig_xml_extend_detached_file(f->ctx, NULL, doc, doc, out), "opts");
    vbsig_xml_extend_opts_init(NULL);
    assert_null(r);
}

/* Any-format signing, detection, the signer check, XML two-step, the
 * report accessors and batch signing. */
static void test_any_batch(void **state)
{
    fixture *f = *state;
    vbsig_format fmt;
    vbsig_sign_opts so;
    vbsig_report *r = NULL;
    vbsig_xml_pending *xp = NULL;
    vbsig_pades_pending *pp = NULL;
    vbsig_xml_sign_opts xo;
    vbsig_pades_sign_opts po;
    vbsig_batch_opts bo;
    vbsig_batch *b = NULL;
    const char *doc = pki_path("documents/cong-van.txt");
    const char *out = pki_path2("null-args-any.p7m");
    vbsig_sign_opts_init(&so);
    vbsig_sign_opts_init(NULL);
    assert_non_null(vbsig_format_name(VBSIG_FORMAT_PADES));
    EXPECT_NULL_ARG(vbsig_detect_format(bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_detect_format(NULL, sizeof bytes, &fmt), "data");
    EXPECT_NULL_ARG(vbsig_detect_format_file(NULL, &fmt), "path");
    EXPECT_NULL_ARG(vbsig_detect_format_file(doc, NULL), "out");
    EXPECT_NULL_ARG(vbsig_sign_file(f->ctx, NULL, &so, doc, out, NULL), "signer");
    EXPECT_NULL_ARG(vbsig_sign_file(f->ctx, f->signer, NULL, doc, out, NULL), "opts");
    EXPECT_NULL_ARG(vbsig_sign_file(f->ctx, f->signer, &so, NULL, out, NULL), "in_path");
    EXPECT_NULL_ARG(vbsig_sign_file(f->ctx, f->signer, &so, doc, NULL, NULL), "out_path");
    /* verify_after_sign (every format's default) needs a context. */
    EXPECT_NULL_ARG(vbsig_sign_file(NULL, f->signer, &so, doc, out, NULL), "ctx");
    EXPECT_NULL_ARG(vbsig_signer_check(NULL, f->signer, 0, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_signer_check(f->ctx, NULL, 0, &r), "signer");
    EXPECT_NULL_ARG(vbsig_signer_check(f->ctx, f->signer, 0, NULL), "out");

    /* Two-step signing with verify_after_sign and no context: refused at
     * prepare, not skipped. */
    vbsig_xml_sign_opts_init(&xo);
    vbsig_pades_sign_opts_init(&po);
    EXPECT_NULL_ARG(vbsig_xml_prepare(NULL, f->signer, &xo, bytes, sizeof bytes, &xp), "ctx");
    EXPECT_NULL_ARG(vbsig_xml_prepare(f->ctx, NULL, &xo, bytes, sizeof bytes, &xp), "signer");
    EXPECT_NULL_ARG(vbsig_xml_prepare(f->ctx, f->signer, &xo, NULL, sizeof bytes, &xp), "doc");
    EXPECT_NULL_ARG(vbsig_xml_prepare(f->ctx, f->signer, &xo, bytes, sizeof bytes, NULL), "out");
    EXPECT_NULL_ARG(vbsig_pades_prepare(NULL, f->signer, &po, doc, &pp), "ctx");
    assert_null(vbsig_xml_pending_request(NULL));
    EXPECT_NULL_ARG(vbsig_xml_finish(NULL, bytes, sizeof bytes, &f->buf), "p");
    vbsig_xml_pending_free(NULL);
    assert_null(xp);
    assert_null(pp);

    /* Accessors: NULL reports give NULL, 0 or -1, never a crash. */
    const char *src = "x", *reason = "x";
    size_t rev = 9, revs = 9;
    vbsig_reference_info ref;
    assert_null(vbsig_report_format(NULL));
    assert_null(vbsig_report_file(NULL));
    assert_null(vbsig_report_signature_id(NULL, 0));
    assert_null(vbsig_report_signer_field(NULL, 0, VBSIG_SIGNER_NAME));
    assert_int_equal(vbsig_report_signature_time(NULL, 0, VBSIG_TIME_SIGNING), 0);
    assert_int_equal(vbsig_report_signature_has_timestamp(NULL, 0), 0);
    (void)vbsig_report_timestamp_indication(NULL, 0);
    assert_null(vbsig_report_timestamp_subindication(NULL, 0));
    assert_null(vbsig_report_timestamp_tsa(NULL, 0));
    assert_null(vbsig_report_signature_digest_algorithm(NULL, 0));
    assert_null(vbsig_report_signature_trust_domain(NULL, 0));
    (void)vbsig_report_signature_weak(NULL, 0);
    assert_int_equal(vbsig_report_signature_chain_count(NULL, 0), 0);
    assert_null(vbsig_report_signature_chain(NULL, 0, 0));
    assert_null(vbsig_report_signature_revocation(NULL, 0, &src, &reason));
    assert_int_equal(vbsig_report_signature_whole_document(NULL, 0), -1);
    (void)vbsig_report_signature_revision(NULL, 0, &rev, &revs);
    assert_int_equal(rev, 0);
    assert_null(vbsig_report_signature_subfilter(NULL, 0));
    (void)vbsig_report_signature_is_document_timestamp(NULL, 0);
    (void)vbsig_report_signature_certification(NULL, 0);
    size_t ap_page = 7;
    double ap_rect[4] = {1, 2, 3, 4};
    assert_int_equal(vbsig_report_signature_appearance(NULL, 0, &ap_page, ap_rect), 0);
    assert_int_equal(ap_page, 0);
    assert_true(ap_rect[0] == 0 && ap_rect[3] == 0);
    assert_int_equal(vbsig_report_signature_appearance(NULL, 0, NULL, NULL), 0);
    /* An invisible signature of a real report, out-of-range index too. */
    assert_int_equal(vbsig_report_signature_appearance(f->report, 0, &ap_page, NULL), 0);
    assert_int_equal(vbsig_report_signature_appearance(f->report, 999, NULL, ap_rect), 0);
    assert_null(vbsig_report_signature_modifications(NULL, 0));
    assert_int_equal(vbsig_report_signature_modification_count(NULL, 0), 0);
    assert_null(vbsig_report_signature_modification(NULL, 0, 0));
    assert_int_equal(vbsig_report_signature_message_count(NULL, 0), 0);
    assert_null(vbsig_report_signature_message(NULL, 0, 0));
    assert_int_equal(vbsig_report_reference_count(NULL, 0), 0);
    assert_int_not_equal(vbsig_report_reference(NULL, 0, 0, &ref), VBSIG_OK);
    EXPECT_NULL_ARG(vbsig_report_write_signed_content(NULL, ".", NULL), "r");
    EXPECT_NULL_ARG(vbsig_report_write_signed_content(f->report, NULL, NULL), "dir");

    /* Batch signing. */
    vbsig_batch_opts_init(&bo);
    vbsig_batch_opts_init(NULL);
    EXPECT_NULL_ARG(vbsig_batch_new(NULL, f->ctx, f->signer, &bo), "out");
    EXPECT_NULL_ARG(vbsig_batch_new(&b, f->ctx, NULL, &bo), "signer");
    EXPECT_NULL_ARG(vbsig_batch_new(&b, f->ctx, f->signer, NULL), "opts");
    assert_null(b);
    EXPECT_NULL_ARG(vbsig_batch_add(NULL, doc, out), "batch");
    EXPECT_NULL_ARG(vbsig_batch_run(NULL, NULL, NULL), "batch");
    assert_int_equal(vbsig_batch_count(NULL), 0);
    assert_int_equal(vbsig_batch_failed(NULL), 0);
    assert_int_equal(vbsig_batch_item_status(NULL, 0), VBSIG_E_INVALID_ARG);
    assert_string_equal(vbsig_batch_item_message(NULL, 0), "");
    assert_null(vbsig_batch_item_input(NULL, 0));
    assert_null(vbsig_batch_item_output(NULL, 0));
    assert_int_equal(vbsig_batch_item_format(NULL, 0), VBSIG_FORMAT_AUTO);
    vbsig_batch_free(NULL);
    assert_int_equal(vbsig_batch_new(&b, f->ctx, f->signer, &bo), VBSIG_OK);
    EXPECT_NULL_ARG(vbsig_batch_add(b, NULL, out), "in_path");
    /* Neither an output path nor an output directory. */
    assert_int_equal(vbsig_batch_add(b, doc, NULL), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_batch_item_status(b, 5), VBSIG_E_INVALID_ARG);
    /* The file signs, once; a second run and later additions are refused. */
    assert_int_equal(vbsig_batch_add(b, doc, out), VBSIG_OK);
    assert_int_equal(vbsig_batch_run(b, NULL, NULL), VBSIG_OK);
    assert_int_equal(vbsig_batch_item_status(b, 0), VBSIG_OK);
    assert_int_equal(vbsig_batch_item_format(b, 0), VBSIG_FORMAT_CADES);
    assert_string_equal(vbsig_batch_item_output(b, 0), out);
    assert_int_equal(vbsig_batch_run(b, NULL, NULL), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_batch_add(b, doc, out), VBSIG_E_INVALID_ARG);
    vbsig_batch_free(b);
    /* A batch without a context cannot verify after signing: that file
     * fails with the format's message naming the context, the batch runs. */
    assert_int_equal(vbsig_batch_new(&b, NULL, f->signer, &bo), VBSIG_OK);
    assert_int_equal(vbsig_batch_add(b, doc, out), VBSIG_OK);
    assert_int_equal(vbsig_batch_run(b, NULL, NULL), VBSIG_OK);
    assert_int_equal(vbsig_batch_item_status(b, 0), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_batch_item_message(b, 0), "'ctx'"));
    assert_int_equal(vbsig_batch_failed(b), 1);
    vbsig_batch_free(b);
}

/* The verification pool: NULLs, then a real run over files that fail in
 * known ways, delivered in order, and a callback that stops the run. */
typedef struct pool_seen {
    int statuses[8];
    size_t count;
    size_t stop_after;
} pool_seen;

static int pool_cb(void *user, const vbsig_verify_result *res)
{
    pool_seen *seen = user;
    if (res->index != seen->count)
        return -1;
    seen->statuses[seen->count++] = res->status;
    return seen->count == seen->stop_after;
}

static void test_verify_pool(void **state)
{
    fixture *f = *state;
    vbsig_report *r = NULL;
    vbsig_verify_pool *pool = NULL;
    EXPECT_NULL_ARG(vbsig_verify_file(f->ctx, "x.pdf", NULL, NULL), "out");
    EXPECT_NULL_ARG(vbsig_verify_file(NULL, "x.pdf", NULL, &r), "ctx");
    EXPECT_NULL_ARG(vbsig_verify_file(f->ctx, NULL, NULL, &r), "path");
    EXPECT_NULL_ARG(vbsig_verify_pool_new(NULL, f->ctx, 1), "out");
    EXPECT_NULL_ARG(vbsig_verify_pool_new(&pool, NULL, 1), "ctx");
    assert_null(pool);
    assert_int_equal(vbsig_verify_pool_new(&pool, f->ctx, 65), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_verify_pool_new(&pool, f->ctx, 2), VBSIG_OK);
    EXPECT_NULL_ARG(vbsig_verify_pool_add(NULL, "x"), "pool");
    EXPECT_NULL_ARG(vbsig_verify_pool_add(pool, NULL), "path");
    EXPECT_NULL_ARG(vbsig_verify_pool_run(NULL, pool_cb, NULL), "pool");
    EXPECT_NULL_ARG(vbsig_verify_pool_run(pool, NULL, NULL), "cb");
    assert_int_equal(vbsig_verify_pool_count(NULL), 0);
    vbsig_verify_pool_free(NULL);
    /* A missing file, a text file (not a signature), a missing one again. */
    assert_int_equal(vbsig_verify_pool_add(pool, "/nonexistent/a.pdf"), VBSIG_OK);
    assert_int_equal(vbsig_verify_pool_add(pool, pki_path("documents/cong-van.txt")), VBSIG_OK);
    assert_int_equal(vbsig_verify_pool_add(pool, "/nonexistent/b.xml"), VBSIG_OK);
    assert_int_equal(vbsig_verify_pool_count(pool), 3);
    pool_seen seen = {.stop_after = 0};
    assert_int_equal(vbsig_verify_pool_run(pool, pool_cb, &seen), VBSIG_OK);
    assert_int_equal(seen.count, 3);
    assert_int_equal(seen.statuses[0], VBSIG_E_IO_READ);
    assert_int_equal(seen.statuses[1], VBSIG_E_MALFORMED);
    assert_int_equal(seen.statuses[2], VBSIG_E_IO_READ);
    /* Run again, stopping after the first file. */
    pool_seen stop = {.stop_after = 1};
    assert_int_equal(vbsig_verify_pool_run(pool, pool_cb, &stop), VBSIG_E_CANCELLED);
    assert_int_equal(stop.count, 1);
    vbsig_verify_pool_free(pool);
}

/* Archive renewal: the decision on a report and the pool's renewal jobs. */
static int renew_cb(void *user, const vbsig_verify_result *res)
{
    int *checked = user;
    if (res->out_path == NULL || strcmp(res->out_path, "/nonexistent/out.pdf") != 0 || res->renewed ||
        res->status != VBSIG_E_IO_READ)
        return -1;
    (*checked)++;
    return 0;
}

static void test_renewal(void **state)
{
    fixture *f = *state;
    vbsig_renewal d;
    EXPECT_NULL_ARG(vbsig_report_renewal_due(NULL, 0, 0, &d), "r");
    EXPECT_NULL_ARG(vbsig_report_renewal_due(f->report, 0, 0, NULL), "out");
    assert_int_equal(vbsig_report_renewal_due(f->report, 0, -1, &d), VBSIG_E_INVALID_ARG);
    /* The fixture's B-B CAdES signature has no archive timestamp. */
    time_t t = 1, until = 1;
    int weak = 1;
    assert_int_equal(vbsig_report_signature_archive(f->report, 0, &t, &until, &weak), 0);
    assert_true(t == 0 && until == 0 && weak == 0);
    assert_int_equal(vbsig_report_signature_archive(f->report, 999, NULL, NULL, NULL), -1);
    assert_int_equal(vbsig_report_signature_archive(NULL, 0, NULL, NULL, NULL), -1);
    assert_int_equal(vbsig_report_renewal_due(f->report, time(NULL), 86400, &d), VBSIG_OK);
    int passed = vbsig_report_indication(f->report) == VBSIG_TOTAL_PASSED;
    assert_int_equal(d.reason, passed ? VBSIG_RENEWAL_NO_ARCHIVE : VBSIG_RENEWAL_NOT_VALID);
    assert_int_equal(d.due, passed);

    vbsig_renew_opts_init(NULL);
    vbsig_renew_opts ro;
    vbsig_renew_opts_init(&ro);
    vbsig_verify_pool *pool = NULL;
    assert_int_equal(vbsig_verify_pool_new(&pool, f->ctx, 1), VBSIG_OK);
    EXPECT_NULL_ARG(vbsig_verify_pool_set_renewal(NULL, &ro), "pool");
    EXPECT_NULL_ARG(vbsig_verify_pool_set_renewal(pool, NULL), "opts");
    EXPECT_NULL_ARG(vbsig_verify_pool_add_renewal(NULL, "a", "b"), "pool");
    EXPECT_NULL_ARG(vbsig_verify_pool_add_renewal(pool, NULL, "b"), "path");
    EXPECT_NULL_ARG(vbsig_verify_pool_add_renewal(pool, "a", NULL), "out_path");
    /* Before the renewal is set up, without a TSA, or with a bad version. */
    assert_int_equal(vbsig_verify_pool_add_renewal(pool, "a", "b"), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_verify_pool_set_renewal(pool, &ro), VBSIG_E_INVALID_ARG);
    static const char *const urls[] = {"http://127.0.0.1:9/tsa"};
    vbsig_tsp_opts tsp;
    vbsig_tsp_opts_init(&tsp);
    tsp.urls = urls;
    tsp.url_count = 1;
    ro.tsp = &tsp;
    ro.version = 0;
    assert_int_equal(vbsig_verify_pool_set_renewal(pool, &ro), VBSIG_E_INVALID_ARG);
    ro.version = VBSIG_RENEW_OPTS_VERSION;
    ro.within_seconds = -1;
    assert_int_equal(vbsig_verify_pool_set_renewal(pool, &ro), VBSIG_E_INVALID_ARG);
    ro.within_seconds = 86400;
    assert_int_equal(vbsig_verify_pool_set_renewal(pool, &ro), VBSIG_OK);
    /* Never into its own input. */
    assert_int_equal(vbsig_verify_pool_add_renewal(pool, "/nonexistent/a.pdf", "/nonexistent/a.pdf"),
                     VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_verify_pool_add_renewal(pool, "/nonexistent/a.pdf", "/nonexistent/out.pdf"), VBSIG_OK);
    int checked = 0;
    assert_int_equal(vbsig_verify_pool_run(pool, renew_cb, &checked), VBSIG_OK);
    assert_int_equal(checked, 1);
    vbsig_verify_pool_free(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_ctx), cmocka_unit_test(test_signer),
        cmocka_unit_test(test_report),     cmocka_unit_test(test_tsp),
        cmocka_unit_test(test_cades),      cmocka_unit_test(test_pades),
        cmocka_unit_test(test_xml),        cmocka_unit_test(test_any_batch),
        cmocka_unit_test(test_verify_pool), cmocka_unit_test(test_file_identity),
        cmocka_unit_test(test_tsp_issue),
        cmocka_unit_test(test_renewal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
