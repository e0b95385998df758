/* The report model: how statuses combine, and what an empty report says. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "util/util.h"
#include "validate/validate.h"

static void test_worsen_keeps_first_reason(void **state)
{
    (void)state;
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_report_create("cades", &r), VBSIG_OK);
    vbsig_sig_entry *e = NULL;
    assert_int_equal(vbsig_report_add_entry(r, &e), VBSIG_OK);
    assert_int_equal(e->indication, VBSIG_TOTAL_PASSED);
    vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND");
    vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "TRY_LATER");
    assert_string_equal(e->subindication, "NO_CERTIFICATE_CHAIN_FOUND");
    vbsig_entry_worsen(e, VBSIG_TOTAL_PASSED, NULL);
    assert_int_equal(e->indication, VBSIG_INDETERMINATE);
    vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "HASH_FAILURE");
    assert_int_equal(e->indication, VBSIG_TOTAL_FAILED);
    assert_string_equal(e->subindication, "HASH_FAILURE");
    /* The document is as bad as its worst signature. */
    assert_int_equal(vbsig_report_add_entry(r, &e), VBSIG_OK);
    assert_int_equal(vbsig_report_signature_count(r), 2);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_FAILED);
    assert_int_equal(vbsig_report_signature_indication(r, 1), VBSIG_TOTAL_PASSED);
    assert_int_equal(vbsig_report_signature_indication(r, 7), VBSIG_TOTAL_FAILED);
    assert_null(vbsig_report_signature_subindication(r, 7));
    vbsig_report_free(r);
}

static void test_empty_report_fails(void **state)
{
    (void)state;
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_report_create("cades", &r), VBSIG_OK);
    assert_int_equal(vbsig_report_indication(r), VBSIG_TOTAL_FAILED);
    vbsig_buf json = {0};
    assert_int_equal(vbsig_report_to_json(r, NULL, &json), VBSIG_OK);
    assert_non_null(strstr((const char *)json.data, "\"status\":\"TOTAL-FAILED\""));
    assert_non_null(strstr((const char *)json.data, "\"signatures\":[]"));
    vbsig_buf_free(&json);
    vbsig_buf text = {0};
    assert_int_equal(vbsig_report_to_text(r, NULL, &text), VBSIG_OK);
    assert_non_null(strstr((const char *)text.data, "no signature"));
    vbsig_buf_free(&text);
    vbsig_report_free(r);
}

static void test_notes_are_bounded(void **state)
{
    (void)state;
    vbsig_report *r = NULL;
    vbsig_sig_entry *e = NULL;
    assert_int_equal(vbsig_report_create("cades", &r), VBSIG_OK);
    assert_int_equal(vbsig_report_add_entry(r, &e), VBSIG_OK);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(vbsig_entry_note(e, "note %d", i), VBSIG_OK);
    assert_int_equal(e->message_count, 64);
    assert_string_equal(e->messages[63], "note 63");
    vbsig_report_free(r);
}

static void test_indication_names(void **state)
{
    (void)state;
    assert_string_equal(vbsig_indication_name(VBSIG_TOTAL_PASSED), "TOTAL-PASSED");
    assert_string_equal(vbsig_indication_name(VBSIG_INDETERMINATE), "INDETERMINATE");
    assert_string_equal(vbsig_indication_name(VBSIG_TOTAL_FAILED), "TOTAL-FAILED");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worsen_keeps_first_reason),
        cmocka_unit_test(test_empty_report_fails),
        cmocka_unit_test(test_notes_are_bounded),
        cmocka_unit_test(test_indication_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
