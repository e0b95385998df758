/* Every corpus PDF opens with the page, revision, encryption and
 * signature-field counts recorded in corpus-expected.txt (made with qpdf),
 * and every object, stream and page of every revision can be read. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pdf_test_util.h"

/* Next to this source file (CMake compiles it by its absolute path). */
static const char *expected_path(void)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s", __FILE__);
    char *slash = strrchr(buf, '/');
    snprintf(slash != NULL ? slash + 1 : buf, sizeof buf - (size_t)(slash != NULL ? slash + 1 - buf : 0),
             "corpus-expected.txt");
    return buf;
}

static vbsig_pdf_doc *open_corpus(const char *name)
{
    vbsig_pdf_doc *doc = NULL;
    int rc = vbsig_pdf_open(&doc, NULL, corpus_path(name), 0);
    if (rc != VBSIG_OK)
        fail_msg("%s: %s", name, vbsig_last_error());
    return doc;
}

/* A revision ends just after "%%EOF" and its end-of-line. */
static void assert_ends_at_eof_marker(const uint8_t *data, size_t end)
{
    size_t p = end;
    while (p > 0 && (data[p - 1] == '\n' || data[p - 1] == '\r') && end - p < 2)
        p--;
    assert_true(p >= 5);
    assert_memory_equal(data + p - 5, "%%EOF", 5);
}

static void check_file(const char *name, size_t pages, size_t revisions, int encrypted, size_t sig_fields)
{
    vbsig_pdf_doc *doc = open_corpus(name);
    size_t n;
    assert_int_equal(vbsig_pdf_page_count(doc, VBSIG_PDF_NEWEST, &n), VBSIG_OK);
    if (n != pages)
        fail_msg("%s: %zu pages, expected %zu", name, n, pages);
    if (vbsig_pdf_revision_count(doc) != revisions)
        fail_msg("%s: %zu revisions, expected %zu", name, vbsig_pdf_revision_count(doc), revisions);
    assert_int_equal(vbsig_pdf_is_encrypted(doc), encrypted);
    assert_int_equal(vbsig_pdf_is_repaired(doc), 0);

    size_t len, prev_end = 0;
    const uint8_t *data = vbsig_pdf_data(doc, &len);
    for (size_t r = 0; r < revisions; r++) {
        vbsig_pdf_revision_info info;
        assert_int_equal(vbsig_pdf_revision_get(doc, r, &info), VBSIG_OK);
        assert_int_equal(info.start, prev_end);
        assert_true(info.xref_offset >= info.start && info.xref_offset < info.end);
        assert_ends_at_eof_marker(data, info.end);
        if (info.flags != 0)
            fail_msg("%s: revision %zu flagged %#x", name, r, info.flags);
        assert_int_equal(info.trailer->type, VBSIG_PDF_DICT);
        assert_true(info.object_count > 0);
        prev_end = info.end;
    }
    assert_int_equal(prev_end, len);

    for (size_t i = 0; i < pages; i++) {
        const vbsig_pdf_obj *page;
        assert_int_equal(vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, i, &page), VBSIG_OK);
        assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(page, "Type"), "Page"));
    }
    const vbsig_pdf_obj *page;
    assert_int_equal(vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, pages, &page), VBSIG_E_INVALID_ARG);

    size_t objects = 0, streams = 0;
    if (read_everything(doc, &objects, &streams) != VBSIG_OK)
        fail_msg("%s: %s", name, vbsig_last_error());
    assert_true(objects > pages && streams > 0);

    vbsig_pdf_sig_field *fields;
    assert_int_equal(vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n), VBSIG_OK);
    if (n != sig_fields)
        fail_msg("%s: %zu signature fields, expected %zu", name, n, sig_fields);
    for (size_t i = 0; i < n; i++) {
        assert_null(fields[i].value); /* the corpus carries no real signature */
        assert_true(fields[i].field.num > 0 && fields[i].name_len > 0);
    }
    vbsig_pdf_sig_fields_free(fields, n);
    vbsig_pdf_close(doc);
}

static void test_corpus_counts(void **state)
{
    (void)state;
    FILE *f = fopen(expected_path(), "r");
    assert_non_null(f);
    char line[512], name[256];
    size_t pages, revisions, sigs, files = 0;
    int encrypted;
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] == '#')
            continue;
        assert_int_equal(sscanf(line, "%255s %zu %zu %d %zu", name, &pages, &revisions, &encrypted, &sigs), 5);
        check_file(name, pages, revisions, encrypted, sigs);
        files++;
    }
    fclose(f);
    assert_int_equal(files, 21);
}

static void test_hybrid_reference(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc = open_corpus("hybrid-xref-vinhlong.pdf");
    vbsig_pdf_revision_info info;
    assert_int_equal(vbsig_pdf_revision_get(doc, 0, &info), VBSIG_OK);
    assert_int_equal(info.hybrid, 1);
    assert_int_equal(info.xref_is_stream, 0);
    assert_non_null(vbsig_pdf_dict_get(info.trailer, "XRefStm"));
    /* The pages live only in the object stream the /XRefStm lists: a reader
     * of the table alone would find none. */
    const vbsig_pdf_obj *page;
    assert_int_equal(vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, 3, &page), VBSIG_OK);
    assert_non_null(vbsig_pdf_dict_get(page, "MediaBox"));
    vbsig_pdf_close(doc);
}

static void test_linearized(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc = open_corpus("qpdf-linearized-phuyen.pdf");
    vbsig_pdf_revision_info info;
    assert_int_equal(vbsig_pdf_revision_get(doc, 0, &info), VBSIG_OK);
    assert_int_equal(info.linearized, 1);
    assert_true(info.xref_offset < 1024); /* the first-page table near the start */
    const vbsig_pdf_obj *lin;
    /* The linearization dictionary is the first object in the file. */
    size_t len;
    const uint8_t *data = vbsig_pdf_data(doc, &len);
    assert_non_null(strstr((const char *)data, "/Linearized"));
    uint32_t num;
    uint16_t gen;
    int in_use;
    int found = 0;
    for (size_t i = 0; i < info.object_count; i++) {
        assert_int_equal(vbsig_pdf_revision_object(doc, 0, i, &num, &gen, &in_use), VBSIG_OK);
        if (!in_use)
            continue;
        assert_int_equal(vbsig_pdf_get_object(doc, 0, num, gen, &lin), VBSIG_OK);
        found += vbsig_pdf_dict_get(lin, "Linearized") != NULL;
    }
    assert_int_equal(found, 1);
    vbsig_pdf_close(doc);
}

/* Annex F with cross-reference streams: the first-page stream has no
 * startxref after it; it and the main stream are one revision. */
static void test_linearized_xref_stream(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc = open_corpus("qpdf-linearized-objstm-vinhlong.pdf");
    assert_int_equal(vbsig_pdf_revision_count(doc), 1);
    vbsig_pdf_revision_info info;
    assert_int_equal(vbsig_pdf_revision_get(doc, 0, &info), VBSIG_OK);
    assert_int_equal(info.linearized, 1);
    assert_int_equal(info.xref_is_stream, 1);
    assert_true(info.xref_offset < 1024);
    assert_int_equal(info.flags & VBSIG_PDF_REV_STARTXREF_MISMATCH, 0);
    size_t len;
    vbsig_pdf_data(doc, &len);
    assert_int_equal(info.end, len);
    const vbsig_pdf_obj *page;
    assert_int_equal(vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, 3, &page), VBSIG_OK);
    vbsig_pdf_close(doc);
}

static void test_encrypted(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc = open_corpus("qpdf-encrypted-aes256-vinhlong.pdf");
    assert_int_equal(vbsig_pdf_is_encrypted(doc), 1);
    const vbsig_pdf_obj *page, *contents;
    assert_int_equal(vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, 0, &page), VBSIG_OK);
    assert_int_equal(vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, page, "Contents", &contents), VBSIG_OK);
    assert_int_equal(contents->type, VBSIG_PDF_STREAM);
    vbsig_bytes out;
    assert_int_equal(vbsig_pdf_stream_decode(doc, VBSIG_PDF_NEWEST, contents, &out), VBSIG_E_UNSUPPORTED);
    assert_non_null(strstr(vbsig_last_error(), "encrypted"));
    const uint8_t *raw;
    size_t raw_len;
    assert_int_equal(vbsig_pdf_stream_raw(doc, contents, &raw, &raw_len), VBSIG_OK);
    assert_true(raw_len > 0);
    vbsig_pdf_close(doc);
}

/* update 1 adds an /Info, update 2 a new catalog with an AcroForm and an
 * empty /Sig widget in a new object stream. */
static void test_as_of_revision_xref_streams(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc = open_corpus("incremental-xrefstream-longan.pdf");
    const vbsig_pdf_obj *cat0, *cat2, *form;
    assert_int_equal(vbsig_pdf_catalog(doc, 0, &cat0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_catalog(doc, 2, &cat2), VBSIG_OK);
    assert_ptr_not_equal(cat0, cat2);
    assert_null(vbsig_pdf_dict_get(cat0, "AcroForm"));
    assert_int_equal(vbsig_pdf_dict_resolve(doc, 2, cat2, "AcroForm", &form), VBSIG_OK);
    assert_int_equal(form->type, VBSIG_PDF_DICT);
    for (size_t r = 0; r < 3; r++) {
        vbsig_pdf_revision_info info;
        assert_int_equal(vbsig_pdf_revision_get(doc, r, &info), VBSIG_OK);
        assert_int_equal(info.xref_is_stream, 1);
        int64_t prev;
        if (r > 0) {
            vbsig_pdf_revision_info older;
            assert_int_equal(vbsig_pdf_revision_get(doc, r - 1, &older), VBSIG_OK);
            assert_int_equal(vbsig_pdf_get_int(vbsig_pdf_dict_get(info.trailer, "Prev"), &prev), VBSIG_OK);
            assert_int_equal((size_t)prev, older.xref_offset);
        }
        vbsig_pdf_sig_field *fields;
        size_t n;
        assert_int_equal(vbsig_pdf_sig_fields(doc, r, &fields, &n), VBSIG_OK);
        assert_int_equal(n, r == 2 ? 1 : 0);
        vbsig_pdf_sig_fields_free(fields, n);
    }
    /* The /Info of revision 0 and of revision 1 differ. */
    const vbsig_pdf_obj *info0, *info1;
    vbsig_pdf_revision_info r0, r1;
    assert_int_equal(vbsig_pdf_revision_get(doc, 0, &r0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_get(doc, 1, &r1), VBSIG_OK);
    assert_int_equal(vbsig_pdf_dict_resolve(doc, 1, r1.trailer, "Info", &info1), VBSIG_OK);
    assert_int_equal(info1->type, VBSIG_PDF_DICT);
    assert_int_equal(vbsig_pdf_dict_resolve(doc, 0, r0.trailer, "Info", &info0), VBSIG_OK);
    assert_ptr_not_equal(info0, info1);
    /* Page 2's dictionary was stored again in update 2. */
    const vbsig_pdf_obj *p0, *p2;
    assert_int_equal(vbsig_pdf_page(doc, 0, 1, &p0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_page(doc, 2, 1, &p2), VBSIG_OK);
    assert_ptr_not_equal(p0, p2);
    vbsig_pdf_close(doc);
}

static void test_as_of_revision_tables(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc = open_corpus("mutool-incremental-3updates-phuyen.pdf");
    for (size_t r = 0; r < 4; r++) {
        vbsig_pdf_sig_field *fields;
        size_t n;
        assert_int_equal(vbsig_pdf_sig_fields(doc, r, &fields, &n), VBSIG_OK);
        assert_int_equal(n, r == 3 ? 1 : 0);
        if (n == 1) {
            assert_string_equal(fields[0].name, "ChuKySo_LanhDao");
            assert_int_equal(fields[0].name_len, 15);
        }
        vbsig_pdf_sig_fields_free(fields, n);
    }
    vbsig_pdf_close(doc);
}

static void test_sig_field_names(void **state)
{
    (void)state;
    vbsig_pdf_doc *doc = open_corpus("sigfields-empty-phuyen.pdf");
    vbsig_pdf_sig_field *fields;
    size_t n;
    assert_int_equal(vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n), VBSIG_OK);
    assert_int_equal(n, 2);
    /* "Lãnh đạo ký số" as UTF-16BE with its byte-order mark: 2 + 14 * 2 bytes. */
    assert_int_equal(fields[0].name_len, 30);
    assert_memory_equal(fields[0].name, "\xfe\xff\x00L\x00\xe3\x00n\x00h", 10);
    assert_int_not_equal(fields[0].field.num, fields[1].field.num);
    vbsig_pdf_sig_fields_free(fields, n);
    vbsig_pdf_close(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_counts),
        cmocka_unit_test(test_hybrid_reference),
        cmocka_unit_test(test_linearized),
        cmocka_unit_test(test_linearized_xref_stream),
        cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_as_of_revision_xref_streams),
        cmocka_unit_test(test_as_of_revision_tables),
        cmocka_unit_test(test_sig_field_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
