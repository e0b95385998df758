/* ISO 8601 formatting and strict parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

static void check_format(time_t t, int offset, const char *expect)
{
    char buf[32];
    memset(buf, '#', sizeof buf);
    vbsig_time_format(t, offset, buf);
    assert_string_equal(buf, expect);
}

static void test_format(void **state)
{
    (void)state;
    check_format(0, 0, "1970-01-01T00:00:00Z");
    check_format(0, VBSIG_TZ_VIETNAM_MINUTES, "1970-01-01T07:00:00+07:00");
    check_format(1700000000, 0, "2023-11-14T22:13:20Z");
    check_format(1700000000, VBSIG_TZ_VIETNAM_MINUTES, "2023-11-15T05:13:20+07:00");
    check_format(0, -330, "1969-12-31T18:30:00-05:30");
    check_format(-1, 0, "1969-12-31T23:59:59Z");
    check_format(1735689599, VBSIG_TZ_VIETNAM_MINUTES, "2025-01-01T06:59:59+07:00");
    check_format(951782400, 0, "2000-02-29T00:00:00Z");
}

static void test_format_odd_inputs(void **state)
{
    (void)state;
    /* An impossible offset still names the same instant, in UTC. */
    check_format(1700000000, 5000, "2023-11-14T22:13:20Z");
    check_format(1700000000, -1440, "2023-11-14T22:13:20Z");
    /* Past year 9999: ISO 8601's expanded, signed year. */
    check_format(253402300800, 0, "+10000-01-01T00:00:00Z");
    check_format(253402300799, 0, "9999-12-31T23:59:59Z");
}

static void test_format_ignores_local_time_zone(void **state)
{
    (void)state;
    char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    assert_int_equal(setenv("TZ", "America/New_York", 1), 0);
    tzset();
    check_format(1700000000, VBSIG_TZ_VIETNAM_MINUTES, "2023-11-15T05:13:20+07:00");
    time_t t = 0;
    assert_int_equal(vbsig_time_parse("2024-02-29T10:20:30", &t), VBSIG_OK);
    assert_int_equal(t, 1709176830);
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

static void check_parse(const char *s, time_t expect)
{
    time_t t = 12345;
    int rc = vbsig_time_parse(s, &t);
    if (rc != VBSIG_OK)
        fail_msg("parse of \"%s\" failed: %s", s, vbsig_last_error());
    assert_int_equal(t, expect);
}

static void test_parse_forms(void **state)
{
    (void)state;
    /* A bare date is midnight in Vietnam. */
    check_parse("2024-02-29", 1709139600);
    check_parse("2024-02-29T10:20:30Z", 1709202030);
    check_parse("2024-02-29T10:20:30+07:00", 1709176830);
    check_parse("2024-02-29T10:20:30+0700", 1709176830);
    check_parse("2024-02-29T10:20:30", 1709176830);
    check_parse("2024-02-29T10:20-05:30", 1709221800);
    check_parse("2024-02-29T10:20:00-0530", 1709221800);
    check_parse("2024-02-29T10:20:30.123Z", 1709202030);
    check_parse("2024-02-29T10:20:30.999999999Z", 1709202030);
    check_parse("2024-02-29T10:20:30.5+07:00", 1709176830);
    check_parse("1970-01-01T00:00Z", 0);
    check_parse("1969-12-31T23:59:59Z", -1);
    check_parse("1970-01-01T07:00:00+07:00", 0);
    check_parse("2000-02-29T00:00:00Z", 951782400);
    check_parse("2024-12-31T23:59:59Z", 1735689599);
    check_parse("2024-01-01T00:00:00-00:00", 1704067200);
}

static void check_rejected(const char *s)
{
    time_t t = 777;
    int rc = vbsig_time_parse(s, &t);
    if (rc != VBSIG_E_INVALID_ARG)
        fail_msg("\"%s\" was not rejected (rc %d)", s, rc);
    assert_int_equal(t, 777);
    /* The message quotes the text so the user can see which argument. */
    assert_non_null(strstr(vbsig_last_error(), s));
}

static void test_parse_rejects_bad_dates(void **state)
{
    (void)state;
    check_rejected("2023-02-29");
    check_rejected("1900-02-29");
    check_rejected("2100-02-29T00:00Z");
    check_rejected("2024-02-30");
    check_rejected("2024-04-31");
    check_rejected("2024-06-31");
    check_rejected("2024-09-31");
    check_rejected("2024-11-31");
    check_rejected("2024-01-32");
    check_rejected("2024-13-01");
    check_rejected("2024-00-10");
    check_rejected("2024-01-00");
    check_rejected("2024-01-01T24:00");
    check_rejected("2024-01-01T23:60");
    check_rejected("2024-01-01T23:59:60Z");
    check_rejected("2024-01-01T10:00+24:00");
    check_rejected("2024-01-01T10:00+07:60");
    assert_non_null(strstr(vbsig_last_error(), "offset"));
}

static void test_parse_rejects_bad_syntax(void **state)
{
    (void)state;
    check_rejected("");
    check_rejected("2024");
    check_rejected("2024-1-01");
    check_rejected("24-01-01");
    check_rejected("02024-01-01");
    check_rejected("2024/01/01");
    check_rejected("2024-01-01 10:00");
    check_rejected("2024-01-01t10:00");
    check_rejected("2024-01-01T10");
    check_rejected("2024-01-01T1:00");
    check_rejected("2024-01-01T10:0");
    check_rejected("2024-01-01T10:00:");
    check_rejected("2024-01-01T10:00:0");
    check_rejected("2024-01-01T10:00:00.");
    check_rejected("2024-01-01T10:00:00.1234567890Z");
    check_rejected("2024-01-01T10:00:00Zx");
    check_rejected("2024-01-01T10:00:00z");
    check_rejected("2024-01-01T10:00+7:00");
    check_rejected("2024-01-01T10:00+07");
    check_rejected("2024-01-01T10:00+07:0");
    check_rejected("2024-01-01Z");
    check_rejected("2024-01-01T");
    check_rejected(" 2024-01-01");
    check_rejected("2024-01-01 ");
    check_rejected("+2024-01-01");
    time_t t;
    assert_int_equal(vbsig_time_parse(NULL, &t), VBSIG_E_INVALID_ARG);
}

static void test_round_trip(void **state)
{
    (void)state;
    static const time_t samples[] = {0, 1, -1, 86399, 951782400, 1709139600, 1700000000, 2147483647, 4102444800,
                                     253402300799 - 86400};
    static const int offsets[] = {0, VBSIG_TZ_VIETNAM_MINUTES, -330, 60, 845};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        for (size_t j = 0; j < sizeof offsets / sizeof offsets[0]; j++) {
            char buf[32];
            vbsig_time_format(samples[i], offsets[j], buf);
            time_t back = 0;
            assert_int_equal(vbsig_time_parse(buf, &back), VBSIG_OK);
            assert_int_equal(back, samples[i]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_odd_inputs),
        cmocka_unit_test(test_format_ignores_local_time_zone),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_rejects_bad_dates),
        cmocka_unit_test(test_parse_rejects_bad_syntax),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
