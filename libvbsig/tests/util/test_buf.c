/* The growable byte buffer and the public release functions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void test_append_grows_and_terminates(void **state)
{
    (void)state;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);

    for (int i = 0; i < 1000; i++)
        assert_int_equal(vbsig_bytes_append(&b, "0123456789", 10), VBSIG_OK);
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], 0);
    for (size_t i = 0; i < b.len; i++)
        assert_int_equal(b.data[i], '0' + i % 10);

    assert_int_equal(vbsig_bytes_append(&b, NULL, 0), VBSIG_OK);
    assert_int_equal(b.len, 10000);
    vbsig_bytes_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void test_append_str_and_printf(void **state)
{
    (void)state;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    assert_int_equal(vbsig_bytes_append_str(&b, "Chữ ký: "), VBSIG_OK);
    assert_int_equal(vbsig_bytes_printf(&b, "%d/%s", 5, "CT-UBND"), VBSIG_OK);
    assert_string_equal((char *)b.data, "Chữ ký: 5/CT-UBND");
    assert_int_equal(b.len, strlen("Chữ ký: 5/CT-UBND"));

    /* Longer than the first allocation, so the second formatting pass runs. */
    char long_arg[500];
    memset(long_arg, 'q', sizeof long_arg - 1);
    long_arg[sizeof long_arg - 1] = '\0';
    size_t before = b.len;
    assert_int_equal(vbsig_bytes_printf(&b, "[%s]", long_arg), VBSIG_OK);
    assert_int_equal(b.len, before + 501);
    assert_int_equal(b.data[before], '[');
    assert_int_equal(b.data[b.len - 1], ']');
    assert_int_equal(b.data[b.len], 0);

    assert_int_equal(vbsig_bytes_printf(&b, "%s", ""), VBSIG_OK);
    assert_int_equal(b.len, before + 501);
    vbsig_bytes_free(&b);
}

static void test_printf_into_empty_buffer(void **state)
{
    (void)state;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    assert_int_equal(vbsig_bytes_printf(&b, "%zu", (size_t)42), VBSIG_OK);
    assert_string_equal((char *)b.data, "42");
    assert_int_equal(b.len, 2);
    vbsig_bytes_free(&b);
}

static void test_reserve_overflow_is_nomem(void **state)
{
    (void)state;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    assert_int_equal(vbsig_bytes_append(&b, "abc", 3), VBSIG_OK);
    assert_int_equal(vbsig_bytes_reserve(&b, SIZE_MAX), VBSIG_E_NOMEM);
    assert_int_equal(vbsig_bytes_reserve(&b, SIZE_MAX - 2), VBSIG_E_NOMEM);
    assert_int_equal(vbsig_bytes_append(&b, "x", SIZE_MAX), VBSIG_E_NOMEM);
    assert_true(strstr(vbsig_last_error(), "memory") != NULL);
    /* A failed reserve leaves the contents alone. */
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "abc", 3);

    size_t cap = b.cap;
    assert_int_equal(vbsig_bytes_reserve(&b, 1), VBSIG_OK);
    assert_int_equal(b.cap, cap);
    assert_int_equal(vbsig_bytes_reserve(&b, cap * 3), VBSIG_OK);
    assert_true(b.cap >= 3 + cap * 3);
    vbsig_bytes_free(&b);
}

static void test_to_buf_hands_over(void **state)
{
    (void)state;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    assert_int_equal(vbsig_bytes_append(&b, "\x30\x00", 2), VBSIG_OK);
    uint8_t *data = b.data;
    vbsig_buf out = {NULL, 0};
    vbsig_bytes_to_buf(&b, &out);
    assert_ptr_equal(out.data, data);
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "\x30\x00", 2);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    vbsig_buf_free(&out);
    assert_null(out.data);
    assert_int_equal(out.len, 0);
    vbsig_buf_free(&out);
    vbsig_buf_free(NULL);
}

static void test_wipe_and_free(void **state)
{
    (void)state;
    char secret[16] = "123456";
    vbsig_wipe(secret, sizeof secret);
    for (size_t i = 0; i < sizeof secret; i++)
        assert_int_equal(secret[i], 0);
    vbsig_wipe(NULL, 10);
    vbsig_wipe(secret, 0);

    char *p = strdup("returned string");
    assert_non_null(p);
    vbsig_free(p);
    vbsig_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_grows_and_terminates),
        cmocka_unit_test(test_append_str_and_printf),
        cmocka_unit_test(test_printf_into_empty_buffer),
        cmocka_unit_test(test_reserve_overflow_is_nomem),
        cmocka_unit_test(test_to_buf_hands_over),
        cmocka_unit_test(test_wipe_and_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
