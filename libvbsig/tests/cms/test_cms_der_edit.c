/* The SignedData editor behind CAdES B-LT/B-LTA (cms_der_edit.c,
 * cades_lt.c): strict DER reading, DER SET ordering, and adding and reading
 * back revocation values (a real CRL of the test PKI, an OCSP response as
 * id-ri-ocsp-response) with every signed byte kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/cms.h>
#include <openssl/err.h>

#include "cades/cades_lt.h"
#include "cms/cms_der_edit.h"
#include "vbsig/vbsig.h"

static char *pki_path(const char *rel)
{
    static char buf[1024];
    const char *dir = getenv("VBSIG_TEST_PKI");
    snprintf(buf, sizeof buf, "%s/%s", dir != NULL ? dir : "test-pki", rel);
    return buf;
}

static void test_read_strict(void **state)
{
    (void)state;
    cms_der_elem e;
    static const uint8_t short_form[] = {0x04, 0x02, 0xAA, 0xBB};
    assert_int_equal(cms_der_read(short_form, sizeof short_form, &e), 0);
    assert_int_equal(e.tag, 0x04);
    assert_int_equal(e.len, 4);
    assert_int_equal(e.clen, 2);
    static const uint8_t indefinite[] = {0x30, 0x80, 0x00, 0x00};
    assert_int_equal(cms_der_read(indefinite, sizeof indefinite, &e), -1);
    static const uint8_t not_minimal[] = {0x04, 0x81, 0x02, 0xAA, 0xBB};
    assert_int_equal(cms_der_read(not_minimal, sizeof not_minimal, &e), -1);
    static const uint8_t truncated[] = {0x04, 0x05, 0xAA};
    assert_int_equal(cms_der_read(truncated, sizeof truncated, &e), -1);
    static const uint8_t huge[] = {0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
    assert_int_equal(cms_der_read(huge, sizeof huge, &e), -1);
    static const uint8_t high_tag[] = {0x1F, 0x81, 0x01, 0x00};
    assert_int_equal(cms_der_read(high_tag, sizeof high_tag, &e), -1);
}

static void test_put_roundtrip(void **state)
{
    (void)state;
    static const size_t lens[] = {0, 1, 127, 128, 255, 256, 300, 65535, 65536, 70000};
    uint8_t *payload = calloc(1, 70000);
    assert_non_null(payload);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        vbsig_bytes b;
        vbsig_bytes_init(&b);
        assert_int_equal(cms_der_put(&b, 0x04, payload, lens[i]), VBSIG_OK);
        cms_der_elem e;
        assert_int_equal(cms_der_read(b.data, b.len, &e), 0);
        assert_int_equal(e.clen, lens[i]);
        assert_int_equal(e.len, b.len);
        vbsig_bytes_free(&b);
    }
    free(payload);
}

static void test_set_order(void **state)
{
    (void)state;
    static const uint8_t a[] = {0x04, 0x01, 0x02}, b[] = {0x04, 0x01, 0x01}, c[] = {0x02, 0x01, 0x00},
                         d[] = {0x04, 0x02, 0x01, 0x00};
    cms_der_list l = {0};
    assert_int_equal(cms_der_list_add(&l, a, sizeof a), VBSIG_OK);
    assert_int_equal(cms_der_list_add(&l, b, sizeof b), VBSIG_OK);
    assert_int_equal(cms_der_list_add(&l, c, sizeof c), VBSIG_OK);
    assert_int_equal(cms_der_list_add(&l, d, sizeof d), VBSIG_OK);
    assert_int_equal(cms_der_list_add(&l, a, sizeof a), VBSIG_OK); /* kept once */
    assert_int_equal(l.count, 4);
    vbsig_bytes out;
    vbsig_bytes_init(&out);
    assert_int_equal(cms_der_put_set(&out, 0x31, &l), VBSIG_OK);
    static const uint8_t want[] = {0x31, 0x0D, 0x02, 0x01, 0x00, 0x04, 0x01, 0x01, 0x04, 0x01, 0x02,
                                   0x04, 0x02, 0x01, 0x00};
    assert_int_equal(out.len, sizeof want);
    assert_memory_equal(out.data, want, sizeof want);
    vbsig_bytes_free(&out);
    cms_der_list_free(&l);
}

static vbsig_bytes read_file(const char *path)
{
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(vbsig_bytes_append(&b, buf, n), VBSIG_OK);
    fclose(f);
    return b;
}

/* A detached CAdES signature made here, then revocation values added. */
static void test_add_values(void **state)
{
    (void)state;
    vbsig_ctx *ctx = NULL;
    vbsig_signer *signer = NULL;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&signer, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.detached = 1;
    static const uint8_t data[] = "Quyết định số 15/QĐ-UBND";
    vbsig_buf sig = {0};
    assert_int_equal(vbsig_cades_sign(ctx, signer, &o, data, sizeof data - 1, &sig), VBSIG_OK);

    vbsig_lt_data d;
    vbsig_lt_data_init(&d);
    vbsig_bytes crl = read_file(pki_path("crl/intermediate.crl"));
    static const uint8_t fake_ocsp[] = {0x30, 0x03, 0x0A, 0x01, 0x06}; /* OCSPResponse { unauthorized } */
    assert_int_equal(vbsig_lt_data_add(&d, VBSIG_LT_CRL, crl.data, crl.len), VBSIG_OK);
    assert_int_equal(vbsig_lt_data_add(&d, VBSIG_LT_OCSP, fake_ocsp, sizeof fake_ocsp), VBSIG_OK);
    assert_int_equal(vbsig_lt_data_add(&d, VBSIG_LT_OCSP, fake_ocsp, sizeof fake_ocsp), VBSIG_OK);
    assert_int_equal(d.count[VBSIG_LT_OCSP], 1);

    vbsig_bytes lt, again;
    assert_int_equal(vbsig_cades_lt_add_values(sig.data, sig.len, &d, &lt), VBSIG_OK);
    /* adding the same values again changes nothing */
    assert_int_equal(vbsig_cades_lt_add_values(lt.data, lt.len, &d, &again), VBSIG_OK);
    assert_int_equal(again.len, lt.len);
    assert_memory_equal(again.data, lt.data, lt.len);

    /* OpenSSL reads it, the signature still verifies, the version is 5 */
    const unsigned char *q = lt.data;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)lt.len);
    assert_non_null(cms);
    BIO *content = BIO_new_mem_buf(data, (int)sizeof data - 1);
    int verified = CMS_verify(cms, NULL, NULL, content, NULL, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY);
    if (verified != 1)
        ERR_print_errors_fp(stdout);
    assert_int_equal(verified, 1);
    BIO_free(content);
    STACK_OF(X509_CRL) *crls = CMS_get1_crls(cms);
    assert_int_equal(sk_X509_CRL_num(crls), 1);
    sk_X509_CRL_pop_free(crls, X509_CRL_free);
    CMS_ContentInfo_free(cms);
    cms_signed_data sd;
    assert_int_equal(cms_der_split_signed_data(lt.data, lt.len, "test", &sd), VBSIG_OK);
    assert_int_equal(sd.version.clen, 1);
    assert_int_equal(sd.version.c[0], 5);

    /* read back: exactly the CRL and the OCSP response */
    vbsig_lt_data back;
    vbsig_lt_data_init(&back);
    assert_int_equal(vbsig_cades_lt_load(lt.data, lt.len, &back), VBSIG_OK);
    assert_int_equal(back.count[VBSIG_LT_CRL], 1);
    assert_int_equal(back.count[VBSIG_LT_OCSP], 1);
    assert_memory_equal(back.item[VBSIG_LT_CRL][0].data, crl.data, crl.len);
    assert_memory_equal(back.item[VBSIG_LT_OCSP][0].data, fake_ocsp, sizeof fake_ocsp);
    /* not DER at all: nothing, and no error */
    vbsig_lt_data none;
    vbsig_lt_data_init(&none);
    assert_int_equal(vbsig_cades_lt_load((const uint8_t *)"junk", 4, &none), VBSIG_OK);
    assert_int_equal(none.count[VBSIG_LT_CRL] + none.count[VBSIG_LT_OCSP], 0);
    /* a truncated signature is refused with a message */
    vbsig_bytes bad;
    assert_int_not_equal(vbsig_cades_lt_add_values(lt.data, lt.len - 1, &d, &bad), VBSIG_OK);

    vbsig_lt_data_free(&none);
    vbsig_lt_data_free(&back);
    vbsig_bytes_free(&again);
    vbsig_bytes_free(&lt);
    vbsig_bytes_free(&crl);
    vbsig_lt_data_free(&d);
    vbsig_buf_free(&sig);
    vbsig_signer_free(signer);
    vbsig_ctx_free(ctx);
    ERR_clear_error();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_strict),
        cmocka_unit_test(test_put_roundtrip),
        cmocka_unit_test(test_set_order),
        cmocka_unit_test(test_add_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
