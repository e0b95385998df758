/* Base64 and hex: round trips, the RFC 4648 vectors and every rejection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void check_b64_encode(const char *plain, const char *expect)
{
    char *out = NULL;
    size_t out_len = 99;
    assert_int_equal(vbsig_base64_encode((const uint8_t *)plain, strlen(plain), &out, &out_len), VBSIG_OK);
    assert_string_equal(out, expect);
    assert_int_equal(out_len, strlen(expect));
    free(out);
}

static void check_b64_decode(const char *text, const char *expect)
{
    uint8_t *out = NULL;
    size_t out_len = 99;
    assert_int_equal(vbsig_base64_decode(text, strlen(text), &out, &out_len), VBSIG_OK);
    assert_non_null(out);
    assert_int_equal(out_len, strlen(expect));
    assert_memory_equal(out, expect, out_len);
    free(out);
}

static void check_b64_rejected(const char *text, const char *msg_part)
{
    uint8_t *out = (uint8_t *)"sentinel";
    size_t out_len = 99;
    assert_int_equal(vbsig_base64_decode(text, strlen(text), &out, &out_len), VBSIG_E_MALFORMED);
    assert_null(out);
    assert_int_equal(out_len, 0);
    assert_non_null(strstr(vbsig_last_error(), msg_part));
}

static void test_base64_rfc4648_vectors(void **state)
{
    (void)state;
    static const char *const v[][2] = {
        {"", ""},           {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        check_b64_encode(v[i][0], v[i][1]);
        check_b64_decode(v[i][1], v[i][0]);
    }
}

static void test_base64_round_trip_all_lengths(void **state)
{
    (void)state;
    uint8_t data[300];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 167 + 13);
    for (size_t n = 0; n <= sizeof data; n++) {
        char *text = NULL;
        size_t text_len = 0;
        assert_int_equal(vbsig_base64_encode(data, n, &text, &text_len), VBSIG_OK);
        assert_int_equal(text_len, (n + 2) / 3 * 4);
        assert_int_equal(strlen(text), text_len);
        uint8_t *back = NULL;
        size_t back_len = 0;
        assert_int_equal(vbsig_base64_decode(text, text_len, &back, &back_len), VBSIG_OK);
        assert_int_equal(back_len, n);
        if (n > 0)
            assert_memory_equal(back, data, n);
        free(text);
        free(back);
    }
}

static void test_base64_all_byte_values(void **state)
{
    (void)state;
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    char *text = NULL;
    assert_int_equal(vbsig_base64_encode(all, sizeof all, &text, NULL), VBSIG_OK);
    /* Bytes 0xfb 0xff map to the two non-alphanumeric characters. */
    assert_non_null(strchr(text, '+'));
    assert_non_null(strchr(text, '/'));
    uint8_t *back = NULL;
    size_t back_len = 0;
    assert_int_equal(vbsig_base64_decode(text, strlen(text), &back, &back_len), VBSIG_OK);
    assert_int_equal(back_len, 256);
    assert_memory_equal(back, all, 256);
    free(text);
    free(back);
}

static void test_base64_skips_whitespace(void **state)
{
    (void)state;
    check_b64_decode("Zm9v\r\nYmFy\n", "foobar");
    check_b64_decode(" Z m 9 v\tY g = =\n", "foob");
    check_b64_decode("Zm8=\r\n\r\n", "fo");
    check_b64_decode("\n \t\r", "");
}

static void test_base64_decode_uses_length_not_nul(void **state)
{
    (void)state;
    uint8_t *out = NULL;
    size_t out_len = 0;
    assert_int_equal(vbsig_base64_decode("Zm9vYmFyGARBAGE", 8, &out, &out_len), VBSIG_OK);
    assert_int_equal(out_len, 6);
    assert_memory_equal(out, "foobar", 6);
    free(out);
}

static void test_base64_rejections(void **state)
{
    (void)state;
    check_b64_rejected("Zm9v!mFy", "offset 4");
    check_b64_rejected("Zm9-", "invalid character");
    check_b64_rejected("Zm9_", "invalid character");
    check_b64_rejected("Zm9v\vYmFy", "invalid character");
    check_b64_rejected("Zm9v\xc3\xa9", "invalid character");
    /* Missing padding: RFC 4648 strict decoding requires it. */
    check_b64_rejected("Zg", "ends inside a group");
    check_b64_rejected("Zm8", "ends inside a group");
    check_b64_rejected("Zg=", "ends inside a group");
    check_b64_rejected("Z", "ends inside a group");
    /* Padding in the wrong place. */
    check_b64_rejected("=Zm8", "misplaced padding");
    check_b64_rejected("Z===", "misplaced padding");
    check_b64_rejected("====", "misplaced padding");
    check_b64_rejected("Zg=a", "after padding");
    check_b64_rejected("Zg==Zg==", "after padding");
    check_b64_rejected("Zm8=Zm8=", "after padding");
    check_b64_rejected("Zg===", "misplaced padding");
    /* Non-zero bits under the padding ("Zh==" would also decode to "f"). */
    check_b64_rejected("Zh==", "non-zero bits");
    check_b64_rejected("Zm9=", "non-zero bits");
    check_b64_rejected("Zm8vZm9=", "offset 4");
}

static void check_hex_decode(const char *text, const uint8_t *expect, size_t n)
{
    uint8_t *out = NULL;
    size_t out_len = 99;
    assert_int_equal(vbsig_hex_decode(text, strlen(text), &out, &out_len), VBSIG_OK);
    assert_non_null(out);
    assert_int_equal(out_len, n);
    if (n > 0)
        assert_memory_equal(out, expect, n);
    free(out);
}

static void check_hex_rejected(const char *text, const char *msg_part)
{
    uint8_t *out = (uint8_t *)"sentinel";
    size_t out_len = 99;
    assert_int_equal(vbsig_hex_decode(text, strlen(text), &out, &out_len), VBSIG_E_MALFORMED);
    assert_null(out);
    assert_int_equal(out_len, 0);
    assert_non_null(strstr(vbsig_last_error(), msg_part));
}

static void test_hex_encode(void **state)
{
    (void)state;
    static const uint8_t in[] = {0x00, 0x01, 0xab, 0xcd, 0xef, 0xff, 0x7f};
    char *s = NULL;
    assert_int_equal(vbsig_hex_encode(in, sizeof in, 0, &s), VBSIG_OK);
    assert_string_equal(s, "0001abcdefff7f");
    free(s);
    assert_int_equal(vbsig_hex_encode(in, sizeof in, 1, &s), VBSIG_OK);
    assert_string_equal(s, "0001ABCDEFFF7F");
    free(s);
    assert_int_equal(vbsig_hex_encode(NULL, 0, 0, &s), VBSIG_OK);
    assert_string_equal(s, "");
    free(s);
}

static void test_hex_decode(void **state)
{
    (void)state;
    static const uint8_t expect[] = {0xde, 0xad, 0xbe, 0xef, 0x01};
    check_hex_decode("deadbeef01", expect, sizeof expect);
    check_hex_decode("DEADBEEF01", expect, sizeof expect);
    check_hex_decode("De Ad\tbE\r\nef 0 1\n", expect, sizeof expect);
    check_hex_decode("", expect, 0);
    check_hex_decode(" \n", expect, 0);
}

static void test_hex_round_trip(void **state)
{
    (void)state;
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)(255 - i);
    for (int upper = 0; upper <= 1; upper++) {
        char *s = NULL;
        assert_int_equal(vbsig_hex_encode(all, sizeof all, upper, &s), VBSIG_OK);
        assert_int_equal(strlen(s), 512);
        uint8_t *back = NULL;
        size_t back_len = 0;
        assert_int_equal(vbsig_hex_decode(s, strlen(s), &back, &back_len), VBSIG_OK);
        assert_int_equal(back_len, 256);
        assert_memory_equal(back, all, 256);
        free(s);
        free(back);
    }
}

static void test_hex_rejections(void **state)
{
    (void)state;
    check_hex_rejected("abc", "odd number");
    check_hex_rejected("a b c", "offset 4");
    check_hex_rejected("0g", "invalid character 0x67 at offset 1");
    check_hex_rejected("0x12", "invalid character");
    check_hex_rejected("12:34", "invalid character");
    check_hex_rejected("12-34", "offset 2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_rfc4648_vectors),
        cmocka_unit_test(test_base64_round_trip_all_lengths),
        cmocka_unit_test(test_base64_all_byte_values),
        cmocka_unit_test(test_base64_skips_whitespace),
        cmocka_unit_test(test_base64_decode_uses_length_not_nul),
        cmocka_unit_test(test_base64_rejections),
        cmocka_unit_test(test_hex_encode),
        cmocka_unit_test(test_hex_decode),
        cmocka_unit_test(test_hex_round_trip),
        cmocka_unit_test(test_hex_rejections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
