/* Thread-local error messages, status names and the version string. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>

#include "util/util.h"
#include "vbsig_config.h"

static void test_fail_sets_message_and_returns_status(void **state)
{
    (void)state;
    int rc = vbsig_fail(VBSIG_E_MALFORMED, "%s: bad length at offset %zu", "a.p7s", (size_t)17);
    assert_int_equal(rc, VBSIG_E_MALFORMED);
    assert_string_equal(vbsig_last_error(), "a.p7s: bad length at offset 17");

    rc = vbsig_fail(VBSIG_E_LIMIT, "second");
    assert_int_equal(rc, VBSIG_E_LIMIT);
    assert_string_equal(vbsig_last_error(), "second");

    vbsig_error_clear();
    assert_string_equal(vbsig_last_error(), "");
}

static void test_fail_can_wrap_the_previous_message(void **state)
{
    (void)state;
    vbsig_fail(VBSIG_E_IO_READ, "inner cause");
    int rc = vbsig_fail(VBSIG_E_IO_READ, "outer: %s", vbsig_last_error());
    assert_int_equal(rc, VBSIG_E_IO_READ);
    assert_string_equal(vbsig_last_error(), "outer: inner cause");
}

static void test_fail_truncates_at_1k(void **state)
{
    (void)state;
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    vbsig_fail(VBSIG_E_INTERNAL, "%s", big);
    assert_int_equal(strlen(vbsig_last_error()), 1023);
}

static void test_truncation_keeps_utf8_whole(void **state)
{
    (void)state;
    /* "ệ" is 3 bytes; 1023 is a multiple of 3, so offset the text by one
     * ASCII byte to make the cut fall inside a character. */
    char big[1 + 3 * 600 + 1];
    big[0] = 'a';
    for (size_t i = 0; i < 600; i++)
        memcpy(big + 1 + 3 * i, "\xe1\xbb\x87", 3);
    big[sizeof big - 1] = '\0';
    vbsig_fail(VBSIG_E_INTERNAL, "%s", big);
    const char *m = vbsig_last_error();
    size_t len = strlen(m);
    assert_true(len <= 1023);
    assert_int_equal((len - 1) % 3, 0);
    assert_int_equal(len, 1 + 3 * 340);
    assert_memory_equal(m + len - 3, "\xe1\xbb\x87", 3);
}

static void test_fail_ssl_appends_reason_and_clears_queue(void **state)
{
    (void)state;
    ERR_clear_error();
    ERR_raise(ERR_LIB_ASN1, ASN1_R_TOO_LONG);
    ERR_raise(ERR_LIB_ASN1, ASN1_R_HEADER_TOO_LONG);
    int rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, "cert.pem: cannot parse");
    assert_int_equal(rc, VBSIG_E_CRYPTO);
    /* The first (oldest) error is the root cause. */
    assert_string_equal(vbsig_last_error(), "cert.pem: cannot parse: too long");
    assert_int_equal(ERR_peek_error(), 0);
}

static void test_fail_ssl_without_queue_adds_nothing(void **state)
{
    (void)state;
    ERR_clear_error();
    int rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, "signing failed");
    assert_int_equal(rc, VBSIG_E_CRYPTO);
    assert_string_equal(vbsig_last_error(), "signing failed");
}

static void test_status_names(void **state)
{
    (void)state;
    static const struct {
        int code;
        const char *name;
    } all[] = {
        {VBSIG_OK, "VBSIG_OK"},
        {VBSIG_E_INVALID_ARG, "VBSIG_E_INVALID_ARG"},
        {VBSIG_E_NOMEM, "VBSIG_E_NOMEM"},
        {VBSIG_E_IO_READ, "VBSIG_E_IO_READ"},
        {VBSIG_E_IO_WRITE, "VBSIG_E_IO_WRITE"},
        {VBSIG_E_MALFORMED, "VBSIG_E_MALFORMED"},
        {VBSIG_E_UNSUPPORTED, "VBSIG_E_UNSUPPORTED"},
        {VBSIG_E_LIMIT, "VBSIG_E_LIMIT"},
        {VBSIG_E_CRYPTO, "VBSIG_E_CRYPTO"},
        {VBSIG_E_AUTH, "VBSIG_E_AUTH"},
        {VBSIG_E_PIN_LOCKED, "VBSIG_E_PIN_LOCKED"},
        {VBSIG_E_KEY_UNUSABLE, "VBSIG_E_KEY_UNUSABLE"},
        {VBSIG_E_UNAVAILABLE, "VBSIG_E_UNAVAILABLE"},
        {VBSIG_E_KEY_NOT_FOUND, "VBSIG_E_KEY_NOT_FOUND"},
        {VBSIG_E_TOKEN_ABSENT, "VBSIG_E_TOKEN_ABSENT"},
        {VBSIG_E_TOKEN_REMOVED, "VBSIG_E_TOKEN_REMOVED"},
        {VBSIG_E_MODULE_LOAD, "VBSIG_E_MODULE_LOAD"},
        {VBSIG_E_MECHANISM, "VBSIG_E_MECHANISM"},
        {VBSIG_E_REFUSED, "VBSIG_E_REFUSED"},
        {VBSIG_E_INTERNAL, "VBSIG_E_INTERNAL"},
        {VBSIG_E_TIMEOUT, "VBSIG_E_TIMEOUT"},
        {VBSIG_E_CANCELLED, "VBSIG_E_CANCELLED"},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_string_equal(vbsig_status_name(all[i].code), all[i].name);
    assert_string_equal(vbsig_status_name(1), "VBSIG_E_UNKNOWN");
    assert_string_equal(vbsig_status_name(-22), "VBSIG_E_UNKNOWN");
    assert_string_equal(vbsig_status_name(-1000), "VBSIG_E_UNKNOWN");
    assert_string_equal(vbsig_status_name(INT32_MIN), "VBSIG_E_UNKNOWN");
}

static void test_version(void **state)
{
    (void)state;
    const char *v = vbsig_version();
    assert_string_equal(v, VBSIG_VERSION_STRING);
    unsigned a, b, c;
    char tail;
    assert_int_equal(sscanf(v, "%u.%u.%u%c", &a, &b, &c, &tail), 3);
}

struct thread_seen {
    char before[64];
    char after[64];
};

static void *other_thread(void *arg)
{
    struct thread_seen *seen = arg;
    snprintf(seen->before, sizeof seen->before, "%s", vbsig_last_error());
    vbsig_fail(VBSIG_E_TIMEOUT, "message from the other thread");
    snprintf(seen->after, sizeof seen->after, "%s", vbsig_last_error());
    return NULL;
}

static void test_message_is_thread_local(void **state)
{
    (void)state;
    vbsig_fail(VBSIG_E_AUTH, "message from the main thread");
    struct thread_seen seen;
    memset(&seen, 0, sizeof seen);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, other_thread, &seen), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_string_equal(seen.before, "");
    assert_string_equal(seen.after, "message from the other thread");
    assert_string_equal(vbsig_last_error(), "message from the main thread");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_sets_message_and_returns_status),
        cmocka_unit_test(test_fail_can_wrap_the_previous_message),
        cmocka_unit_test(test_fail_truncates_at_1k),
        cmocka_unit_test(test_truncation_keeps_utf8_whole),
        cmocka_unit_test(test_fail_ssl_appends_reason_and_clears_queue),
        cmocka_unit_test(test_fail_ssl_without_queue_adds_nothing),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_message_is_thread_local),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
