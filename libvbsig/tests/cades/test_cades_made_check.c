/* vbsig_cades_finish checks every SignedData it encodes with a DER walk and
 * one signature verification (cades_made_check.c) instead of a full
 * re-parse: a signer returning garbage, or a valid signature over other
 * bytes, must still be refused before anything is produced, and an
 * encoding that differs from what was signed must be caught. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cades/cades.h"
#include "crypto/crypto.h"
#include "test_pki.h"
#include "util/util.h"
#include "vbsig/vbsig.h"

static const uint8_t DOC[] = "QUYẾT ĐỊNH về việc ban hành quy chế ký số";
#define DOC_LEN (sizeof DOC - 1)

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *rsa; /* the real key */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(vbsig_ctx_new(&f->ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->rsa, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vbsig_signer_free(f->rsa);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* Outside signers with the rsa2048 certificate that misbehave. */
typedef enum { GARBAGE, OTHER_DIGEST, SHORT } misbehaviour;
typedef struct bad_token {
    misbehaviour how;
    vbsig_signer *real;
} bad_token;

static int bad_sign(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len)
{
    bad_token *t = impl;
    if (t->how == GARBAGE) {
        for (size_t i = 0; i < 256; i++)
            sig[i] = (uint8_t)(i * 37 + 11);
        *sig_len = 256;
        return VBSIG_OK;
    }
    /* A correct signature made with the right key, over a digest that is
     * not the one asked for (a token that signed the wrong data). */
    uint8_t other[EVP_MAX_MD_SIZE];
    memcpy(other, req->digest, req->digest_len);
    other[0] ^= 0x80;
    vbsig_sign_request wrong = *req;
    wrong.digest = other;
    int rc = vbsig_signer_sign_digest(t->real, &wrong, sig, sig_len);
    if (rc == VBSIG_OK && t->how == SHORT)
        *sig_len -= 1; /* truncated on the way back */
    return rc;
}

static void test_misbehaving_signers_refused(void **state)
{
    fixture *f = *state;
    size_t cert_len = 0;
    const uint8_t *cert = vbsig_signer_cert_der(f->rsa, &cert_len);
    const misbehaviour hows[] = {GARBAGE, OTHER_DIGEST, SHORT};
    for (size_t i = 0; i < 3; i++) {
        bad_token t = {hows[i], f->rsa};
        vbsig_signer_ops ops = {1, bad_sign, NULL};
        vbsig_signer *s = NULL;
        assert_int_equal(vbsig_signer_new(&s, &ops, &t, cert, cert_len), VBSIG_OK);
        vbsig_cades_sign_opts o;
        vbsig_cades_sign_opts_init(&o);
        o.detached = (int)(i % 2);
        vbsig_buf out = {0};
        assert_int_equal(vbsig_cades_sign(f->ctx, s, &o, DOC, DOC_LEN, &out), VBSIG_E_CRYPTO);
        assert_null(out.data);
        assert_non_null(strstr(vbsig_last_error(), "does not verify"));
        vbsig_signer_free(s);
    }
}

/* Signs DOC in two steps and keeps what the check needs. */
typedef struct made {
    vbsig_buf der;
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len;
    vbsig_sign_request req;
    uint8_t digest[EVP_MAX_MD_SIZE];
} made;

static void make(fixture *f, vbsig_signer *s, vbsig_digest_alg alg, made *m)
{
    vbsig_cades_sign_opts o;
    vbsig_cades_sign_opts_init(&o);
    o.digest = alg;
    vbsig_cades_pending *p = NULL;
    assert_int_equal(vbsig_cades_prepare(f->ctx, s, &o, DOC, DOC_LEN, &p), VBSIG_OK);
    m->req = *vbsig_cades_pending_request(p);
    memcpy(m->digest, m->req.digest, m->req.digest_len);
    m->req.digest = m->digest;
    m->sig_len = sizeof m->sig;
    assert_int_equal(vbsig_signer_sign_digest(s, &m->req, m->sig, &m->sig_len), VBSIG_OK);
    memset(&m->der, 0, sizeof m->der);
    assert_int_equal(vbsig_cades_finish(p, m->sig, m->sig_len, &m->der), VBSIG_OK);
    vbsig_cades_pending_free(p);
}

static uint8_t *find(uint8_t *hay, size_t n, const uint8_t *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static void test_check_on_encoded_bytes(void **state)
{
    fixture *f = *state;
    X509 *cert = f->rsa->cert;
    made m;
    make(f, f->rsa, VBSIG_DIGEST_SHA256, &m);
    assert_int_equal(vbsig_cades_check_made(m.der.data, m.der.len, cert, &m.req, m.sig, m.sig_len), VBSIG_OK);

    uint8_t *copy = malloc(m.der.len);
    /* A signed attribute changed in the encoding (the messageDigest value:
     * its OID 1.2.840.113549.1.9.4, then SET, OCTET STRING, value). */
    static const uint8_t md_oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04};
    memcpy(copy, m.der.data, m.der.len);
    uint8_t *at = find(copy, m.der.len, md_oid, sizeof md_oid);
    assert_non_null(at);
    at[sizeof md_oid + 4] ^= 1;
    assert_int_equal(vbsig_cades_check_made(copy, m.der.len, cert, &m.req, m.sig, m.sig_len), VBSIG_E_INTERNAL);
    assert_non_null(strstr(vbsig_last_error(), "signed attributes"));
    /* The signature value in the encoding is not the one returned. */
    memcpy(copy, m.der.data, m.der.len);
    copy[m.der.len - 1] ^= 1;
    assert_int_equal(vbsig_cades_check_made(copy, m.der.len, cert, &m.req, m.sig, m.sig_len), VBSIG_E_INTERNAL);
    /* Truncated, and trailing bytes. */
    assert_int_equal(vbsig_cades_check_made(m.der.data, m.der.len - 1, cert, &m.req, m.sig, m.sig_len),
                     VBSIG_E_INTERNAL);
    uint8_t *longer = malloc(m.der.len + 1);
    memcpy(longer, m.der.data, m.der.len);
    longer[m.der.len] = 0;
    assert_int_equal(vbsig_cades_check_made(longer, m.der.len + 1, cert, &m.req, m.sig, m.sig_len), VBSIG_E_INTERNAL);
    free(longer);
    /* Both agree, but the value does not verify: the bytes signed differ. */
    memcpy(copy, m.der.data, m.der.len);
    uint8_t bad_sig[VBSIG_MAX_SIGNATURE];
    memcpy(bad_sig, m.sig, m.sig_len);
    bad_sig[10] ^= 1;
    copy[m.der.len - m.sig_len + 10] ^= 1;
    assert_int_equal(vbsig_cades_check_made(copy, m.der.len, cert, &m.req, bad_sig, m.sig_len), VBSIG_E_CRYPTO);
    /* The signer certificate is another key's. */
    vbsig_signer *other = NULL;
    assert_int_equal(vbsig_signer_from_pkcs12(&other, pki_path("signers/rsa3072.p12"), "pass:vbsig-test"), VBSIG_OK);
    assert_int_equal(vbsig_cades_check_made(m.der.data, m.der.len, other->cert, &m.req, m.sig, m.sig_len),
                     VBSIG_E_CRYPTO);
    vbsig_signer_free(other);
    free(copy);
    vbsig_buf_free(&m.der);
}

/* The check accepts what every supported key and padding produces. */
static void test_check_accepts_pss_and_ecdsa(void **state)
{
    fixture *f = *state;
    made m;
    assert_int_equal(vbsig_signer_set_rsa_padding(f->rsa, VBSIG_RSA_PSS), VBSIG_OK);
    make(f, f->rsa, VBSIG_DIGEST_SHA512, &m);
    assert_int_equal(m.req.padding, VBSIG_RSA_PSS);
    vbsig_buf_free(&m.der);
    vbsig_signer_set_rsa_padding(f->rsa, VBSIG_RSA_PKCS1_V15);
    const char *ec[] = {"signers/ecp256.p12", "signers/ecp384.p12"};
    for (size_t i = 0; i < 2; i++) {
        vbsig_signer *s = NULL;
        assert_int_equal(vbsig_signer_from_pkcs12(&s, pki_path(ec[i]), "pass:vbsig-test"), VBSIG_OK);
        make(f, s, i == 0 ? VBSIG_DIGEST_SHA256 : VBSIG_DIGEST_SHA384, &m);
        vbsig_report *r = NULL;
        assert_int_equal(vbsig_cades_verify(f->ctx, m.der.data, m.der.len, NULL, 0, &r), VBSIG_OK);
        assert_int_equal(vbsig_report_signature_count(r), 1);
        assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
        vbsig_report_free(r);
        vbsig_buf_free(&m.der);
        vbsig_signer_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_misbehaving_signers_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_on_encoded_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_accepts_pss_and_ecdsa, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
