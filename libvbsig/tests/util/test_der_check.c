/* The DER/BER structure walker on valid and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/util.h"

#define CHECK(bytes, strict, depth) vbsig_der_check(bytes, sizeof bytes, strict, depth, "t.der")

static void expect_error(const uint8_t *p, size_t n, int strict, unsigned depth, int status, const char *part)
{
    int rc = vbsig_der_check(p, n, strict, depth, "sample.p7s");
    if (rc != status)
        fail_msg("expected %s, got %s (%s)", vbsig_status_name(status), vbsig_status_name(rc), vbsig_last_error());
    const char *m = vbsig_last_error();
    assert_non_null(strstr(m, "sample.p7s: DER: "));
    if (strstr(m, part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", m, part);
}

static void test_valid_nested(void **state)
{
    (void)state;
    /* SEQUENCE { INTEGER 5, SEQUENCE { OCTET STRING "abc" }, [0] { NULL } } */
    static const uint8_t der[] = {0x30, 0x0e, 0x02, 0x01, 0x05, 0x30, 0x05, 0x04, 0x03,
                                  0x61, 0x62, 0x63, 0xa0, 0x02, 0x05, 0x00};
    assert_int_equal(CHECK(der, 1, 64), VBSIG_OK);
    assert_int_equal(CHECK(der, 0, 64), VBSIG_OK);
    /* Three levels: a limit of 3 suffices, 2 does not. */
    assert_int_equal(CHECK(der, 1, 3), VBSIG_OK);
    expect_error(der, sizeof der, 1, 2, VBSIG_E_LIMIT, "deeper than 2 levels at offset 7");
}

static void test_valid_primitive_and_empty(void **state)
{
    (void)state;
    static const uint8_t null_value[] = {0x05, 0x00};
    static const uint8_t empty_seq[] = {0x30, 0x00};
    assert_int_equal(CHECK(null_value, 1, 64), VBSIG_OK);
    assert_int_equal(CHECK(empty_seq, 1, 64), VBSIG_OK);
    /* The contents of primitives are not interpreted. */
    static const uint8_t odd_int[] = {0x02, 0x03, 0x00, 0x00, 0x01};
    assert_int_equal(CHECK(odd_int, 1, 64), VBSIG_OK);
}

static void test_long_form_lengths(void **state)
{
    (void)state;
    /* OCTET STRING of 200 bytes: 0x81 0xc8 is the minimal encoding. */
    uint8_t der[203];
    der[0] = 0x04;
    der[1] = 0x81;
    der[2] = 200;
    memset(der + 3, 0xAB, 200);
    assert_int_equal(CHECK(der, 1, 64), VBSIG_OK);

    uint8_t big[4 + 300];
    big[0] = 0x04;
    big[1] = 0x82;
    big[2] = 0x01;
    big[3] = 0x2c;
    memset(big + 4, 0, 300);
    assert_int_equal(CHECK(big, 1, 64), VBSIG_OK);
}

static void test_high_tag_numbers(void **state)
{
    (void)state;
    static const uint8_t tag31[] = {0x9f, 0x1f, 0x01, 0x00};
    static const uint8_t tag200_constructed[] = {0xbf, 0x81, 0x48, 0x02, 0x05, 0x00};
    assert_int_equal(CHECK(tag31, 1, 64), VBSIG_OK);
    assert_int_equal(CHECK(tag200_constructed, 1, 64), VBSIG_OK);

    static const uint8_t leading_zero[] = {0x9f, 0x80, 0x1f, 0x01, 0x00};
    static const uint8_t low_number_in_long_form[] = {0x9f, 0x1e, 0x00};
    static const uint8_t cut_in_tag[] = {0x9f, 0x81, 0x82};
    static const uint8_t huge_tag[] = {0x9f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00};
    expect_error(leading_zero, sizeof leading_zero, 0, 64, VBSIG_E_MALFORMED, "tag at offset 0 is not minimally");
    expect_error(low_number_in_long_form, sizeof low_number_in_long_form, 0, 64, VBSIG_E_MALFORMED,
                 "not minimally encoded");
    expect_error(cut_in_tag, sizeof cut_in_tag, 0, 64, VBSIG_E_MALFORMED, "tag at offset 0 is truncated");
    expect_error(huge_tag, sizeof huge_tag, 0, 64, VBSIG_E_MALFORMED, "too large");
}

static void test_indefinite_only_when_not_strict(void **state)
{
    (void)state;
    /* SEQUENCE (indefinite) { INTEGER 5, SEQUENCE (indefinite) { NULL }, [1] { } } */
    static const uint8_t ber[] = {0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x80, 0x05, 0x00,
                                  0x00, 0x00, 0xa1, 0x00, 0x00, 0x00};
    assert_int_equal(CHECK(ber, 0, 64), VBSIG_OK);
    expect_error(ber, sizeof ber, 1, 64, VBSIG_E_MALFORMED, "indefinite length at offset 1 is not allowed");

    /* An indefinite value inside a definite one must end inside it. */
    static const uint8_t mixed[] = {0x30, 0x06, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00};
    assert_int_equal(CHECK(mixed, 0, 64), VBSIG_OK);
    static const uint8_t eoc_outside_parent[] = {0x30, 0x04, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00};
    expect_error(eoc_outside_parent, sizeof eoc_outside_parent, 0, 64, VBSIG_E_MALFORMED,
                 "offset 2 has no end-of-contents");
}

static void test_indefinite_rejections(void **state)
{
    (void)state;
    static const uint8_t no_eoc[] = {0x30, 0x80, 0x02, 0x01, 0x05};
    expect_error(no_eoc, sizeof no_eoc, 0, 64, VBSIG_E_MALFORMED, "at offset 0 has no end-of-contents");
    static const uint8_t half_eoc[] = {0x30, 0x80, 0x02, 0x01, 0x05, 0x00};
    expect_error(half_eoc, sizeof half_eoc, 0, 64, VBSIG_E_MALFORMED, "offset 5");
    static const uint8_t primitive_indefinite[] = {0x04, 0x80, 0x61, 0x00, 0x00};
    expect_error(primitive_indefinite, sizeof primitive_indefinite, 0, 64, VBSIG_E_MALFORMED,
                 "primitive element at offset 0 has an indefinite length");
    /* End-of-contents with a non-zero length, or where no indefinite value
     * is open, is not an end-of-contents. */
    static const uint8_t bad_eoc[] = {0x30, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00};
    expect_error(bad_eoc, sizeof bad_eoc, 0, 64, VBSIG_E_MALFORMED, "end-of-contents or tag 0 at offset 2");
    static const uint8_t eoc_in_definite[] = {0x30, 0x02, 0x00, 0x00};
    expect_error(eoc_in_definite, sizeof eoc_in_definite, 0, 64, VBSIG_E_MALFORMED, "at offset 2");
    static const uint8_t eoc_alone[] = {0x00, 0x00};
    expect_error(eoc_alone, sizeof eoc_alone, 0, 64, VBSIG_E_MALFORMED, "at offset 0");
}

static void test_non_minimal_lengths(void **state)
{
    (void)state;
    static const uint8_t long_form_small[] = {0x30, 0x81, 0x03, 0x02, 0x01, 0x05};
    static const uint8_t leading_zero[] = {0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05};
    static const uint8_t inner_leading_zero[] = {0x30, 0x04, 0x02, 0x82, 0x00, 0x00};
    expect_error(long_form_small, sizeof long_form_small, 1, 64, VBSIG_E_MALFORMED,
                 "length at offset 1 uses the long form");
    expect_error(leading_zero, sizeof leading_zero, 1, 64, VBSIG_E_MALFORMED,
                 "length at offset 1 has a leading zero");
    expect_error(inner_leading_zero, sizeof inner_leading_zero, 1, 64, VBSIG_E_MALFORMED,
                 "length at offset 3 has a leading zero");
    /* BER allows all three. */
    assert_int_equal(CHECK(long_form_small, 0, 64), VBSIG_OK);
    assert_int_equal(CHECK(leading_zero, 0, 64), VBSIG_OK);
    assert_int_equal(CHECK(inner_leading_zero, 0, 64), VBSIG_OK);

    static const uint8_t reserved[] = {0x30, 0xff, 0x00};
    expect_error(reserved, sizeof reserved, 0, 64, VBSIG_E_MALFORMED, "reserved length byte 0xff at offset 1");
}

static void test_truncated(void **state)
{
    (void)state;
    static const uint8_t full[] = {0x30, 0x0a, 0x02, 0x01, 0x05, 0x30, 0x05, 0x04, 0x03, 0x61, 0x62, 0x63};
    assert_int_equal(CHECK(full, 1, 64), VBSIG_OK);
    /* Every proper prefix is rejected, by both modes. */
    for (size_t n = 1; n < sizeof full; n++) {
        assert_int_equal(vbsig_der_check(full, n, 1, 64, "cut"), VBSIG_E_MALFORMED);
        assert_int_equal(vbsig_der_check(full, n, 0, 64, "cut"), VBSIG_E_MALFORMED);
    }
    expect_error(full, 1, 1, 64, VBSIG_E_MALFORMED, "header at offset 0 runs past the end of the input");
    expect_error(full, 5, 1, 64, VBSIG_E_MALFORMED, "length at offset 1 runs past the end");

    static const uint8_t cut_length[] = {0x30, 0x82, 0x01};
    expect_error(cut_length, sizeof cut_length, 0, 64, VBSIG_E_MALFORMED, "length at offset 1 runs past the end");
    /* Missing length bytes that would read as zero are still missing. */
    static const uint8_t cut_zero_length[] = {0x04, 0x82, 0x00};
    expect_error(cut_zero_length, sizeof cut_zero_length, 0, 64, VBSIG_E_MALFORMED,
                 "length at offset 1 runs past the end");
    static const uint8_t cut_zero_length_inner[] = {0x30, 0x04, 0x04, 0x83, 0x00, 0x00};
    expect_error(cut_zero_length_inner, sizeof cut_zero_length_inner, 0, 64, VBSIG_E_MALFORMED,
                 "length at offset 3 runs past the end of its parent");
    static const uint8_t tag_only[] = {0x30};
    expect_error(tag_only, sizeof tag_only, 0, 64, VBSIG_E_MALFORMED, "offset 0");
    expect_error(full, 0, 0, 64, VBSIG_E_MALFORMED, "empty");
}

static void test_children_must_fill_parent(void **state)
{
    (void)state;
    static const uint8_t child_too_long[] = {0x30, 0x03, 0x02, 0x02, 0x05, 0x05};
    expect_error(child_too_long, sizeof child_too_long, 1, 64, VBSIG_E_MALFORMED,
                 "length at offset 3 runs past the end of its parent");
    /* One byte left in the parent is not a whole child. */
    static const uint8_t leftover[] = {0x30, 0x04, 0x02, 0x01, 0x05, 0x05};
    expect_error(leftover, sizeof leftover, 1, 64, VBSIG_E_MALFORMED,
                 "header at offset 5 runs past the end of its parent");
}

static void test_trailing_bytes(void **state)
{
    (void)state;
    static const uint8_t one_extra[] = {0x30, 0x03, 0x02, 0x01, 0x05, 0x00};
    expect_error(one_extra, sizeof one_extra, 1, 64, VBSIG_E_MALFORMED, "1 trailing bytes");
    expect_error(one_extra, sizeof one_extra, 0, 64, VBSIG_E_MALFORMED, "at offset 5");
    static const uint8_t two_elements[] = {0x05, 0x00, 0x05, 0x00};
    expect_error(two_elements, sizeof two_elements, 1, 64, VBSIG_E_MALFORMED, "2 trailing bytes");
    static const uint8_t after_ber[] = {0x30, 0x80, 0x00, 0x00, 0x0a};
    expect_error(after_ber, sizeof after_ber, 0, 64, VBSIG_E_MALFORMED, "trailing");
}

static void test_overlong_length_claims(void **state)
{
    (void)state;
    static const uint8_t claim_2g[] = {0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
    expect_error(claim_2g, sizeof claim_2g, 1, 64, VBSIG_E_MALFORMED, "length at offset 1 runs past the end");
    expect_error(claim_2g, sizeof claim_2g, 0, 64, VBSIG_E_MALFORMED, "length at offset 1 runs past the end");
    static const uint8_t claim_4g[] = {0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
    expect_error(claim_4g, sizeof claim_4g, 1, 64, VBSIG_E_MALFORMED, "runs past the end");
    static const uint8_t claim_2e64[] = {0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
    expect_error(claim_2e64, sizeof claim_2e64, 0, 64, VBSIG_E_MALFORMED, "offset 1");
    static const uint8_t claim_one_more[] = {0x04, 0x03, 0x00, 0x00};
    expect_error(claim_one_more, sizeof claim_one_more, 1, 64, VBSIG_E_MALFORMED, "runs past the end");
    /* 126 length bytes announced, only a few present. */
    static const uint8_t many_length_bytes[] = {0x04, 0xfe, 0x00, 0x00, 0x01};
    expect_error(many_length_bytes, sizeof many_length_bytes, 0, 64, VBSIG_E_MALFORMED, "runs past the end");
}

/* n nested SEQUENCEs around a NULL, each with a correct definite length. */
static uint8_t *nested_sequences(size_t levels, size_t *out_len)
{
    size_t cap = 2 + levels * 4;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    size_t start = cap - 2;
    buf[start] = 0x05;
    buf[start + 1] = 0x00;
    for (size_t i = 0; i < levels; i++) {
        size_t inner = cap - start;
        if (inner < 0x80) {
            buf[--start] = (uint8_t)inner;
        } else if (inner <= 0xff) {
            buf[--start] = (uint8_t)inner;
            buf[--start] = 0x81;
        } else {
            buf[--start] = (uint8_t)inner;
            buf[--start] = (uint8_t)(inner >> 8);
            buf[--start] = 0x82;
        }
        buf[--start] = 0x30;
    }
    *out_len = cap - start;
    memmove(buf, buf + start, *out_len);
    return buf;
}

static void test_depth_limit_10000_levels(void **state)
{
    (void)state;
    size_t n;
    uint8_t *der = nested_sequences(10000, &n);
    assert_int_equal(vbsig_der_check(der, n, 1, 64, "deep.der"), VBSIG_E_LIMIT);
    assert_non_null(strstr(vbsig_last_error(), "deep.der: DER: nesting deeper than 64 levels"));
    /* The structure is otherwise sound: allowing the depth accepts it. */
    assert_int_equal(vbsig_der_check(der, n, 1, 10001, "deep.der"), VBSIG_OK);
    assert_int_equal(vbsig_der_check(der, n, 1, 10000, "deep.der"), VBSIG_E_LIMIT);
    free(der);

    /* 10,000 indefinite-length headers that never end. */
    size_t m = 2 * 10000;
    uint8_t *ber = malloc(m);
    assert_non_null(ber);
    for (size_t i = 0; i < m; i += 2) {
        ber[i] = 0x30;
        ber[i + 1] = 0x80;
    }
    assert_int_equal(vbsig_der_check(ber, m, 0, 64, "deep.ber"), VBSIG_E_LIMIT);
    assert_int_equal(vbsig_der_check(ber, m, 0, 100000, "deep.ber"), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "no end-of-contents"));
    assert_int_equal(vbsig_der_check(ber, m, 1, 100000, "deep.ber"), VBSIG_E_MALFORMED);
    free(ber);
}

static void test_depth_zero_means_default(void **state)
{
    (void)state;
    size_t n;
    uint8_t *der = nested_sequences(63, &n);
    assert_int_equal(vbsig_der_check(der, n, 1, 0, "x"), VBSIG_OK);
    free(der);
    der = nested_sequences(64, &n);
    assert_int_equal(vbsig_der_check(der, n, 1, 0, "x"), VBSIG_E_LIMIT);
    free(der);
}

static void test_real_openssl_output(void **state)
{
    (void)state;
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(key);
    X509 *cert = X509_new();
    assert_non_null(cert);
    assert_int_equal(X509_set_version(cert, X509_VERSION_3), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), 20240229), 1);
    X509_NAME *name = X509_get_subject_name(cert);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)"Văn thư", -1, -1,
                                                0),
                     1);
    assert_int_equal(X509_set_issuer_name(cert, name), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), 0));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), 86400));
    assert_int_equal(X509_set_pubkey(cert, key), 1);
    assert_true(X509_sign(cert, key, EVP_sha256()) > 0);
    unsigned char *der = NULL;
    int len = i2d_X509(cert, &der);
    assert_true(len > 0);
    assert_int_equal(vbsig_der_check(der, (size_t)len, 1, 64, "cert.der"), VBSIG_OK);
    assert_int_equal(vbsig_der_check(der, (size_t)len - 1, 1, 64, "cert.der"), VBSIG_E_MALFORMED);
    OPENSSL_free(der);
    X509_free(cert);
    EVP_PKEY_free(key);
}

static void test_null_what_and_input(void **state)
{
    (void)state;
    static const uint8_t bad[] = {0x30, 0x01};
    assert_int_equal(vbsig_der_check(bad, sizeof bad, 1, 64, NULL), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "input: DER: "));
    assert_int_equal(vbsig_der_check(NULL, 5, 1, 64, "x"), VBSIG_E_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_nested),
        cmocka_unit_test(test_valid_primitive_and_empty),
        cmocka_unit_test(test_long_form_lengths),
        cmocka_unit_test(test_high_tag_numbers),
        cmocka_unit_test(test_indefinite_only_when_not_strict),
        cmocka_unit_test(test_indefinite_rejections),
        cmocka_unit_test(test_non_minimal_lengths),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_children_must_fill_parent),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_overlong_length_claims),
        cmocka_unit_test(test_depth_limit_10000_levels),
        cmocka_unit_test(test_depth_zero_means_default),
        cmocka_unit_test(test_real_openssl_output),
        cmocka_unit_test(test_null_what_and_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
