/* The hostile corpus files are refused cleanly: the expected status and a
 * message naming the offset or object, no crash, and memory that stays
 * bounded (a child process with an address-space ceiling and a peak
 * resident-size check). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pdf_test_util.h"

/* Reading a 100 KiB file must not come near this, whatever it claims. */
#define RSS_GROWTH_MAX_KIB (48 * 1024)
#define ADDRESS_SPACE_MIB 1024

static void expect_refused(const char *name, int status, const char *fragment)
{
    char path[4096];
    snprintf(path, sizeof path, "malformed/%s", name);
    child_result res = read_in_child(corpus_path(path), 0, ADDRESS_SPACE_MIB);
    if (res.status != status || strstr(res.message, fragment) == NULL)
        fail_msg("%s: status %d \"%s\", expected %d with \"%s\"", name, res.status, res.message, status, fragment);
    if (strstr(res.message, name) == NULL)
        fail_msg("%s: the message does not name the file: %s", name, res.message);
    print_message("%s: peak resident size grew by %ld KiB\n", name, res.rss_growth_kib);
    if (res.rss_growth_kib > RSS_GROWTH_MAX_KIB)
        fail_msg("%s: reading grew the resident size by %ld KiB", name, res.rss_growth_kib);
}

static void test_length_1gb(void **state)
{
    (void)state;
    expect_refused("length-1gb-phuyen.pdf", VBSIG_E_MALFORMED,
                   "object 2: stream /Length 1073741824 runs past the end of the file at offset 23801");
    /* The document itself opens: only the lying stream is refused, and
     * the original revision, where object 2 is sound, still reads. */
    char path[4096];
    snprintf(path, sizeof path, "%s", corpus_path("malformed/length-1gb-phuyen.pdf"));
    vbsig_pdf_doc *doc;
    assert_int_equal(vbsig_pdf_open(&doc, NULL, path, 0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_count(doc), 2);
    const vbsig_pdf_obj *o;
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 2, 0, &o), VBSIG_OK);
    assert_int_equal(o->type, VBSIG_PDF_STREAM);
    assert_int_equal(vbsig_pdf_get_object(doc, 1, 2, 0, &o), VBSIG_E_MALFORMED);
    vbsig_pdf_close(doc);
}

static void test_objstm_self_reference(void **state)
{
    (void)state;
    expect_refused("objstm-self-reference-longan.pdf", VBSIG_E_MALFORMED,
                   "object 65 is in object stream 1, which is not an uncompressed object in the file");
}

static void test_prev_loop(void **state)
{
    (void)state;
    expect_refused("prev-loop-vinhlong.pdf", VBSIG_E_MALFORMED, "the /Prev chain loops back to the section at offset 65992");
}

static void test_startxref_past_eof(void **state)
{
    (void)state;
    expect_refused("startxref-past-eof-longan.pdf", VBSIG_E_MALFORMED,
                   "startxref 1111776 at offset 111753 points past the end of the file");
}

static void test_trailer_missing(void **state)
{
    (void)state;
    expect_refused("trailer-missing-phuyen.pdf", VBSIG_E_MALFORMED,
                   "no trailer after the cross-reference table at offset 73433");
}

static void test_truncated(void **state)
{
    (void)state;
    expect_refused("truncated-lo-vinhlong.pdf", VBSIG_E_MALFORMED, "no startxref");
}

static void test_offsets_shifted(void **state)
{
    (void)state;
    expect_refused("xref-offsets-shifted-phuyen.pdf", VBSIG_E_MALFORMED,
                   "object 18: no \"num gen obj\" where the cross-reference places it at offset 22891");
}

static void test_not_a_pdf(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc;
    assert_int_equal(vbsig_pdf_open(&doc, NULL, corpus_path("../README.md"), 0), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "not a PDF file"));
    assert_int_equal(vbsig_pdf_open(&doc, NULL, corpus_path("no-such-file.pdf"), 0), VBSIG_E_IO_READ);
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, (const uint8_t *)"", 0, "empty", 0), VBSIG_E_MALFORMED);
}

/* With VBSIG_PDF_OPEN_REPAIR the files a tolerant reader recovers open,
 * marked repaired, with the page counts qpdf 11.3 recovers; the others are
 * still refused; a sound file is not marked. */
static void test_repair_mode(void **state)
{
    (void)state;
    const struct {
        const char *name;
        int status, repaired;
        size_t pages;
        const char *fragment;
    } cases[] = {
        {"malformed/xref-offsets-shifted-phuyen.pdf", VBSIG_OK, 1, 3, NULL},
        {"malformed/startxref-past-eof-longan.pdf", VBSIG_OK, 1, 18, NULL},
        {"malformed/prev-loop-vinhlong.pdf", VBSIG_OK, 1, 4, NULL},
        {"malformed/trailer-missing-phuyen.pdf", VBSIG_OK, 1, 3, NULL},
        {"malformed/truncated-lo-vinhlong.pdf", VBSIG_E_MALFORMED, 0, 0, "repair found neither a trailer nor a catalog"},
        {"malformed/objstm-self-reference-longan.pdf", VBSIG_E_MALFORMED, 0, 0, "repair found neither a trailer nor a catalog"},
        {"malformed/length-1gb-phuyen.pdf", VBSIG_E_MALFORMED, 0, 3, "stream /Length 1073741824 runs past"},
        {"lo-txt-phuyen.pdf", VBSIG_OK, 0, 3, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        child_result res = read_in_child(corpus_path(cases[i].name), VBSIG_PDF_OPEN_REPAIR, ADDRESS_SPACE_MIB);
        if (res.status != cases[i].status)
            fail_msg("%s: status %d \"%s\", expected %d", cases[i].name, res.status, res.message, cases[i].status);
        if (cases[i].fragment != NULL && strstr(res.message, cases[i].fragment) == NULL)
            fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].name, res.message, cases[i].fragment);
        if (res.status == VBSIG_OK && (res.repaired != cases[i].repaired || res.pages != cases[i].pages))
            fail_msg("%s: repaired %d pages %zu", cases[i].name, res.repaired, res.pages);
        assert_true(res.rss_growth_kib <= RSS_GROWTH_MAX_KIB);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length_1gb),
        cmocka_unit_test(test_objstm_self_reference),
        cmocka_unit_test(test_prev_loop),
        cmocka_unit_test(test_startxref_past_eof),
        cmocka_unit_test(test_trailer_missing),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_offsets_shifted),
        cmocka_unit_test(test_not_a_pdf),
        cmocka_unit_test(test_repair_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
