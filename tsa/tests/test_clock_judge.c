/* The clock verdict for readings the test machine's kernel cannot be made
 * to give: every state, and the bound on esterror and maxerror at its edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/timex.h>

#include <cmocka.h>

#include "tsa.h"

static tsa_clock_reading synced(long maxerror_us, long esterror_us)
{
    tsa_clock_reading r = { .rc = TIME_OK, .status = STA_PLL, .maxerror_us = maxerror_us,
                            .esterror_us = esterror_us };
    return r;
}

static void test_within_bound(void **state)
{
    (void)state;
    tsa_clock_reading r = synced(250000, 1000);
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_SYNCED);
    r = synced(1000000, 1000000); /* at the bound: still within it */
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_SYNCED);
}

static void test_maxerror_above_bound(void **state)
{
    (void)state;
    /* A time daemon that stopped updating: esterror stays small while
     * maxerror grows past the bound long before the kernel sets STA_UNSYNC. */
    tsa_clock_reading r = synced(1000001, 500);
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_INACCURATE);
    r = synced(600000, 500);
    assert_int_equal(tsa_clock_judge(&r, 500000), TSA_CLOCK_INACCURATE);
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_SYNCED);
}

static void test_esterror_above_bound(void **state)
{
    (void)state;
    tsa_clock_reading r = synced(100000, 200000);
    assert_int_equal(tsa_clock_judge(&r, 100000), TSA_CLOCK_INACCURATE);
    assert_int_equal(tsa_clock_judge(&r, 200000), TSA_CLOCK_SYNCED);
}

static void test_unsynchronised(void **state)
{
    (void)state;
    tsa_clock_reading r = synced(0, 0);
    r.status |= STA_UNSYNC;
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_UNSYNCED);
    r = synced(0, 0);
    r.rc = TIME_ERROR;
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_UNSYNCED);
    r.rc = -1; /* the call itself failed (a seccomp filter, say) */
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_UNSYNCED);
    /* Unsynchronised wins over a small error. */
    r = synced(16000000, 16000000);
    r.status |= STA_UNSYNC;
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_UNSYNCED);
}

static void test_leap_second(void **state)
{
    (void)state;
    tsa_clock_reading r = synced(1000, 1000);
    r.rc = TIME_OOP;
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_LEAP);
    r.rc = TIME_INS; /* announced, not yet inside it */
    assert_int_equal(tsa_clock_judge(&r, 1000000), TSA_CLOCK_SYNCED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_within_bound),      cmocka_unit_test(test_maxerror_above_bound),
        cmocka_unit_test(test_esterror_above_bound), cmocka_unit_test(test_unsynchronised),
        cmocka_unit_test(test_leap_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
