/* Format detection, "sign this file in whatever format it is", and the
 * signer check without a signature, through the public API. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "test_pki.h"
#include "vbsig/vbsig.h"

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *signer;
    char dir[512];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(vbsig_ctx_new(&f->ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_revocation_mode(f->ctx, VBSIG_REVOCATION_OFF), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->signer, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(f->dir, sizeof f->dir, "%s/sign_any-%d", tmp != NULL ? tmp : "/tmp", (int)getpid());
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    (void)system(cmd);
    vbsig_signer_free(f->signer);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

static vbsig_format detect(const char *s)
{
    vbsig_format fmt = VBSIG_FORMAT_AUTO;
    assert_int_equal(vbsig_detect_format((const uint8_t *)s, strlen(s), &fmt), VBSIG_OK);
    return fmt;
}

static void test_detect_bytes(void **state)
{
    (void)state;
    assert_int_equal(detect("%PDF-1.7\n"), VBSIG_FORMAT_PADES);
    assert_int_equal(detect("junk before it %PDF-1.4"), VBSIG_FORMAT_PADES);
    assert_int_equal(detect("<?xml version=\"1.0\"?><a/>"), VBSIG_FORMAT_XADES);
    assert_int_equal(detect("\xEF\xBB\xBF \r\n<root/>"), VBSIG_FORMAT_XADES);
    assert_int_equal(detect("-----BEGIN PKCS7-----\n"), VBSIG_FORMAT_CADES);
    assert_int_equal(detect("\x30\x82\x01\x00%PDF-1.7"), VBSIG_FORMAT_CADES);
    assert_int_equal(detect("plain text to sign"), VBSIG_FORMAT_CADES);
    assert_int_equal(detect(""), VBSIG_FORMAT_CADES);
    /* %PDF- after the first KiB is not looked for. */
    char big[1100];
    memset(big, 'a', sizeof big);
    memcpy(big + 1050, "%PDF-", 5);
    big[sizeof big - 1] = '\0';
    assert_int_equal(detect(big), VBSIG_FORMAT_CADES);
    assert_string_equal(vbsig_format_name(VBSIG_FORMAT_XADES), "xades");
    assert_null(vbsig_format_name((vbsig_format)42));
    assert_int_equal(vbsig_detect_format((const uint8_t *)"x", 1, NULL), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "out"));
}

static void test_detect_file(void **state)
{
    (void)state;
    vbsig_format fmt = VBSIG_FORMAT_AUTO;
    assert_int_equal(vbsig_detect_format_file(pki_path("documents/lo-directive-vinhlong.pdf"), &fmt), VBSIG_OK);
    assert_int_equal(fmt, VBSIG_FORMAT_PADES);
    assert_int_equal(vbsig_detect_format_file(pki_path("documents/edxml-chithi-05-phuyen.xml"), &fmt), VBSIG_OK);
    assert_int_equal(fmt, VBSIG_FORMAT_XADES);
    assert_int_equal(vbsig_detect_format_file(pki_path("samples/openssl-cades-attached.p7m"), &fmt), VBSIG_OK);
    assert_int_equal(fmt, VBSIG_FORMAT_CADES);
    assert_int_equal(vbsig_detect_format_file("/nonexistent/file.pdf", &fmt), VBSIG_E_IO_READ);
    assert_non_null(strstr(vbsig_last_error(), "/nonexistent/file.pdf"));
    assert_int_equal(vbsig_detect_format_file(NULL, &fmt), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "path"));
}


static void same_str(json_t *o, const char *key, const char *got)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL || json_is_null(v))
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(json_string_value(v), got);
    }
}

/* Every accessor agrees with the JSON report of the same verification. */
static void check_accessors(const vbsig_report *r)
{
    vbsig_report_render_opts ro;
    vbsig_report_render_opts_init(&ro);
    ro.utc = 1;
    vbsig_buf js = {0};
    assert_int_equal(vbsig_report_to_json(r, &ro, &js), VBSIG_OK);
    json_t *root = json_loadb((const char *)js.data, js.len, 0, NULL);
    assert_non_null(root);
    same_str(root, "format", vbsig_report_format(r));
    json_t *sigs = json_object_get(root, "signatures");
    assert_int_equal(json_array_size(sigs), vbsig_report_signature_count(r));
    for (size_t i = 0; i < vbsig_report_signature_count(r); i++) {
        json_t *o = json_array_get(sigs, i);
        json_t *signer = json_object_get(o, "signer");
        static const char *const keys[] = {"subject", "issuer", "serial", "key", "common_name",
                                           "organization", "title", "tax_code", "id_number", "budget_code"};
        for (int k = 0; k < 10; k++)
            same_str(signer, keys[k], vbsig_report_signer_field(r, i, (vbsig_signer_field)k));
        assert_non_null(vbsig_report_signer_field(r, i, VBSIG_SIGNER_NAME));
        same_str(o, "level", vbsig_report_signature_level(r, i));
        same_str(o, "digest_algorithm", vbsig_report_signature_digest_algorithm(r, i));
        same_str(o, "trust_domain", vbsig_report_signature_trust_domain(r, i));
        same_str(o, "modifications_after", vbsig_report_signature_modifications(r, i));
        assert_int_equal(json_is_true(json_object_get(o, "weak_algorithm")), vbsig_report_signature_weak(r, i));
        assert_true(vbsig_report_signature_time(r, i, VBSIG_TIME_VALIDATION) > 0);
        assert_int_equal(json_is_null(json_object_get(o, "claimed_signing_time")),
                         vbsig_report_signature_time(r, i, VBSIG_TIME_CLAIMED) == 0);
        json_t *chain = json_object_get(o, "chain");
        assert_int_equal(json_array_size(chain), vbsig_report_signature_chain_count(r, i));
        const char *src = NULL, *why = NULL;
        same_str(json_object_get(o, "revocation"), "status", vbsig_report_signature_revocation(r, i, &src, &why));
        same_str(json_object_get(o, "revocation"), "source", src);
        same_str(json_object_get(o, "revocation"), "reason", why);
        json_t *msgs = json_object_get(o, "messages");
        assert_int_equal(json_array_size(msgs), vbsig_report_signature_message_count(r, i));
        for (size_t j = 0; j < json_array_size(msgs); j++)
            assert_string_equal(json_string_value(json_array_get(msgs, j)), vbsig_report_signature_message(r, i, j));
        assert_null(vbsig_report_signature_message(r, i, json_array_size(msgs)));
        json_t *cov = json_object_get(o, "coverage");
        if (cov != NULL && json_is_object(cov)) {
            assert_int_equal(json_is_true(json_object_get(cov, "whole_document")),
                             vbsig_report_signature_whole_document(r, i));
            size_t rev = 0, revs = 0;
            int known = vbsig_report_signature_revision(r, i, &rev, &revs);
            assert_int_equal(known, json_object_get(cov, "revision") != NULL);
            if (known) {
                assert_true(rev >= 1);
                assert_int_equal(rev, json_integer_value(json_object_get(cov, "revision")));
                assert_int_equal(revs, json_integer_value(json_object_get(cov, "revisions")));
                same_str(o, "subfilter", vbsig_report_signature_subfilter(r, i));
            }
        }
    }
    /* Out of range and NULL: no crash. */
    size_t n = vbsig_report_signature_count(r);
    assert_null(vbsig_report_signer_field(r, n, VBSIG_SIGNER_NAME));
    assert_null(vbsig_report_signer_field(NULL, 0, VBSIG_SIGNER_NAME));
    assert_int_equal(vbsig_report_signature_time(r, n, VBSIG_TIME_SIGNING), 0);
    assert_int_equal(vbsig_report_signature_whole_document(r, n), -1);
    json_decref(root);
    vbsig_buf_free(&js);
}

/* Each document signed by one call, verified in its own format. */
static void test_sign_any_format(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *in, *out;
        vbsig_format fmt;
        const char *report_format;
    } cases[] = {
        {"documents/lo-directive-vinhlong.pdf", "signed.pdf", VBSIG_FORMAT_PADES, "pades"},
        {"documents/edxml-chithi-05-phuyen.xml", "signed.xml", VBSIG_FORMAT_XADES, "xades"},
        {"documents/cong-van.txt", "signed.p7m", VBSIG_FORMAT_CADES, "cades"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vbsig_sign_opts o;
        vbsig_sign_opts_init(&o);
        char out[700];
        snprintf(out, sizeof out, "%s/%s", f->dir, cases[i].out);
        vbsig_format used = VBSIG_FORMAT_AUTO;
        assert_int_equal(vbsig_sign_file(f->ctx, f->signer, &o, pki_path(cases[i].in), out, &used), VBSIG_OK);
        assert_int_equal(used, cases[i].fmt);
        vbsig_report *r = NULL;
        if (used == VBSIG_FORMAT_PADES)
            assert_int_equal(vbsig_pades_verify_file(f->ctx, out, &r), VBSIG_OK);
        else if (used == VBSIG_FORMAT_XADES)
            assert_int_equal(vbsig_xml_verify_file(f->ctx, out, &r), VBSIG_OK);
        else
            assert_int_equal(vbsig_cades_verify_file(f->ctx, out, NULL, &r), VBSIG_OK);
        assert_int_equal(vbsig_report_signature_count(r), 1);
        assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
        assert_string_equal(vbsig_report_signature_level(r, 0), "B-B");
        assert_string_equal(vbsig_report_format(r), cases[i].report_format);
        check_accessors(r);
        if (used == VBSIG_FORMAT_PADES) {
            assert_int_equal(vbsig_report_signature_whole_document(r, 0), 1);
            assert_string_equal(vbsig_report_signature_modifications(r, 0), "none");
        } else {
            assert_null(vbsig_report_signature_modifications(r, 0));
        }
        vbsig_report_free(r);
    }
    /* A forced format: the PDF signed as data (CAdES, detached from options). */
    vbsig_cades_sign_opts co;
    vbsig_cades_sign_opts_init(&co);
    co.detached = 1;
    vbsig_sign_opts o;
    vbsig_sign_opts_init(&o);
    o.format = VBSIG_FORMAT_CADES;
    o.cades = &co;
    char out[700];
    snprintf(out, sizeof out, "%s/pdf.p7s", f->dir);
    assert_int_equal(vbsig_sign_file(f->ctx, f->signer, &o, pki_path("documents/lo-directive-vinhlong.pdf"), out, NULL),
                     VBSIG_OK);
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_cades_verify_file(f->ctx, out, pki_path("documents/lo-directive-vinhlong.pdf"), &r), VBSIG_OK);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_PASSED);
    vbsig_report_free(r);
    /* B-T without a TSA is refused before anything is written. */
    o.level = VBSIG_LEVEL_B_LTA;
    snprintf(out, sizeof out, "%s/none.p7s", f->dir);
    assert_int_equal(vbsig_sign_file(f->ctx, f->signer, &o, pki_path("documents/cong-van.txt"), out, NULL),
                     VBSIG_E_INVALID_ARG);
    assert_int_equal(access(out, F_OK), -1);
    assert_int_equal(vbsig_sign_file(f->ctx, NULL, &o, "a", "b", NULL), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "signer"));
    assert_int_equal(vbsig_sign_file(f->ctx, f->signer, NULL, "a", "b", NULL), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "opts"));
}

static void test_signer_check(void **state)
{
    fixture *f = *state;
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_signer_check(f->ctx, f->signer, 0, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_signature_count(r), 1);
    assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
    assert_string_equal(vbsig_report_format(r), "signer");
    check_accessors(r);
    vbsig_report_free(r);
    /* A signer of another root: no chain to the anchors. */
    vbsig_signer *other = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&other, pki_path("signers/unknownroot.p12"), "pass:vbsig-test"), VBSIG_OK);
    assert_int_equal(vbsig_signer_check(f->ctx, other, 0, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_INDETERMINATE);
    assert_string_equal(vbsig_report_signature_subindication(r, 0), "NO_CERTIFICATE_CHAIN_FOUND");
    vbsig_report_free(r);
    vbsig_signer_free(other);
    /* An expired certificate may not sign: the usability error itself. */
    vbsig_signer *expired = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&expired, pki_path("signers/expired.p12"), "pass:vbsig-test"), VBSIG_OK);
    r = NULL;
    assert_int_equal(vbsig_signer_check(f->ctx, expired, 0, &r), VBSIG_E_KEY_UNUSABLE);
    assert_null(r);
    vbsig_signer_free(expired);
    /* Revocation required but offline and no cache: not a verdict, TRY_LATER. */
    assert_int_equal(vbsig_ctx_set_revocation_mode(f->ctx, VBSIG_REVOCATION_HARD), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_offline(f->ctx, 1), VBSIG_OK);
    vbsig_signer *withrev = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&withrev, pki_path("signers/withrev.p12"), "pass:vbsig-test"), VBSIG_OK);
    assert_int_equal(vbsig_signer_check(f->ctx, withrev, 0, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_INDETERMINATE);
    assert_string_equal(vbsig_report_signature_subindication(r, 0), "TRY_LATER");
    vbsig_report_free(r);
    vbsig_signer_free(withrev);
    assert_int_equal(vbsig_signer_check(NULL, f->signer, 0, &r), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "ctx"));
    assert_int_equal(vbsig_signer_check(f->ctx, NULL, 0, &r), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "signer"));
    assert_int_equal(vbsig_signer_check(f->ctx, f->signer, 0, NULL), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "out"));
}

/* XAdES in two steps: prepare with a certificate-only signer, the key
 * holder signs the digest, finish; the result verifies like a one-step
 * signature, and a wrong value is refused. */
static void test_xml_two_step(void **state)
{
    fixture *f = *state;
    static const char doc[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CongVan><So>12/UBND</So></CongVan>\n";
    const char *keys[] = {"signers/rsa2048.p12", "signers/ecp256.p12"};
    const char *certs[] = {"signers/rsa2048.pem", "signers/ecp256.pem"};
    for (int k = 0; k < 2; k++) {
        vbsig_signer *key = NULL, *cert_only = NULL;
        assert_int_equal(vbsig_signer_from_pkcs12(&key, pki_path(keys[k]), "pass:vbsig-test"), VBSIG_OK);
        assert_int_equal(vbsig_signer_from_cert_file(&cert_only, pki_path(certs[k])), VBSIG_OK);
        assert_int_equal(vbsig_signer_add_chain_file(cert_only, pki_path("chain.pem")), VBSIG_OK);
        vbsig_xml_sign_opts o;
        vbsig_xml_sign_opts_init(&o);
        vbsig_xml_pending *p = NULL;
        assert_int_equal(vbsig_xml_prepare(f->ctx, cert_only, &o, (const uint8_t *)doc, sizeof doc - 1, &p), VBSIG_OK);
        const vbsig_sign_request *req = vbsig_xml_pending_request(p);
        assert_non_null(req);
        assert_int_equal(req->digest_len, 32);
        uint8_t sig[VBSIG_MAX_SIGNATURE];
        size_t sig_len = sizeof sig;
        assert_int_equal(vbsig_signer_sign_digest(key, req, sig, &sig_len), VBSIG_OK);
        /* A value over something else is refused, and the handle is spent. */
        vbsig_buf out = {0};
        uint8_t bad[VBSIG_MAX_SIGNATURE];
        memcpy(bad, sig, sig_len);
        if (k == 0) {
            bad[sig_len / 2] ^= 1;
            vbsig_xml_pending *q = NULL;
            assert_int_equal(vbsig_xml_prepare(f->ctx, cert_only, &o, (const uint8_t *)doc, sizeof doc - 1, &q), VBSIG_OK);
            assert_int_equal(vbsig_xml_finish(q, bad, sig_len, &out), VBSIG_E_INTERNAL);
            assert_null(out.data);
            assert_int_equal(vbsig_xml_finish(q, sig, sig_len, &out), VBSIG_E_INVALID_ARG);
            vbsig_xml_pending_free(q);
        }
        assert_int_equal(vbsig_xml_finish(p, sig, sig_len, &out), VBSIG_OK);
        vbsig_xml_pending_free(p);
        vbsig_report *r = NULL;
        assert_int_equal(vbsig_xml_verify(f->ctx, out.data, out.len, &r), VBSIG_OK);
        assert_int_equal(vbsig_report_signature_count(r), 1);
        assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
        assert_string_equal(vbsig_report_signature_level(r, 0), "B-B");
        assert_string_equal(vbsig_report_format(r), "xades");
        vbsig_report_free(r);
        vbsig_buf_free(&out);
        vbsig_signer_free(key);
        vbsig_signer_free(cert_only);
    }
    vbsig_xml_pending *p = NULL;
    assert_int_equal(vbsig_xml_prepare(f->ctx, f->signer, NULL, (const uint8_t *)doc, 3, &p), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_xml_prepare(f->ctx, NULL, NULL, (const uint8_t *)doc, 3, &p), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "signer"));
    assert_int_equal(vbsig_xml_finish(NULL, (const uint8_t *)"x", 1, NULL), VBSIG_E_INVALID_ARG);
    assert_null(vbsig_xml_pending_request(NULL));
    vbsig_xml_pending_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_bytes),
        cmocka_unit_test(test_detect_file),
        cmocka_unit_test_setup_teardown(test_sign_any_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signer_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xml_two_step, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
