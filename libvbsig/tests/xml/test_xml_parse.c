/* Safe parsing of hostile XML, ID registration and the byte-level
 * insertion point, on the corpus and on small crafted documents. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/util.h"
#include "xml/xml.h"

static int parse_text(const char *text, vbsig_xml_doc *d)
{
    return vbsig_xml_parse((const uint8_t *)text, strlen(text), 0, "test", d);
}

static int parse_corpus(const char *rel, vbsig_xml_doc *d)
{
    char path[4096];
    const char *root = getenv("VBSIG_TEST_DATA");
    snprintf(path, sizeof path, "%s/corpus/xml/%s", root != NULL ? root : "test-vectors", rel);
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 0), VBSIG_OK);
    int rc = vbsig_xml_parse(m.data, m.len, 0, rel, d);
    vbsig_file_map_close(&m);
    return rc;
}

static void test_doctype_detection(void **state)
{
    (void)state;
    const char *yes[] = {"<!DOCTYPE a><a/>", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE a []><a/>",
                         "<?pi x?> <!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x.dtd\"><a/>"};
    const char *no[] = {"<a/>", "<?xml version=\"1.0\"?><!-- <!DOCTYPE in a comment --><a/>", "<a><![CDATA[<!DOCTYPE]]></a>"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(vbsig_xml_has_doctype((const uint8_t *)yes[i], strlen(yes[i])), 1);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(vbsig_xml_has_doctype((const uint8_t *)no[i], strlen(no[i])), 0);
}

static void test_hostile_corpus_refused(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int status;
    } cases[] = {
        {"malformed/billion-laughs-vinhlong.xml", VBSIG_E_REFUSED},
        {"malformed/quadratic-blowup-vinhlong.xml", VBSIG_E_REFUSED},
        {"malformed/xxe-etc-passwd-phuyen.xml", VBSIG_E_REFUSED},
        {"malformed/external-dtd-loopback-longan.xml", VBSIG_E_REFUSED},
        {"malformed/deep-nesting-100k-longan.xml", VBSIG_E_MALFORMED},
        {"malformed/invalid-utf8-phuyen.xml", VBSIG_E_MALFORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vbsig_xml_doc d;
        clock_t t0 = clock();
        assert_int_equal(parse_corpus(cases[i].file, &d), cases[i].status);
        assert_null(d.doc);
        /* Refusal is immediate: no entity expansion, no deep recursion. */
        assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    }
    const char *msg = vbsig_last_error();
    assert_non_null(strstr(msg, "line"));
}

static void test_corpus_documents_parse(void **state)
{
    (void)state;
    const char *files[] = {"edxml-chithi-05-phuyen.xml", "einvoice-tt78-vinhlong.xml", "namespaces-nfc-nfd-longan.xml"};
    for (size_t i = 0; i < 3; i++) {
        vbsig_xml_doc d;
        assert_int_equal(parse_corpus(files[i], &d), VBSIG_OK);
        assert_non_null(d.doc);
        assert_null(d.duplicate_id);
        assert_true(d.node_count > 10);
        vbsig_xml_doc_clear(&d);
    }
    vbsig_xml_doc d;
    assert_int_equal(parse_corpus("einvoice-tt78-vinhlong.xml", &d), VBSIG_OK);
    xmlNodePtr el = vbsig_xml_id_lookup(&d, "DLHDon-C24TVL-00000127");
    assert_non_null(el);
    assert_string_equal((const char *)el->name, "DLHDon");
    vbsig_xml_doc_clear(&d);
}

static void test_ids(void **state)
{
    (void)state;
    vbsig_xml_doc d;
    assert_int_equal(parse_text("<r xmlns:x=\"urn:x\"><a Id=\"one\"/><b ID=\"two\"/><c xml:id=\"three\"/>"
                                "<d id=\"four\"/><e x:Id=\"five\"/></r>", &d), VBSIG_OK);
    assert_non_null(vbsig_xml_id_lookup(&d, "one"));
    assert_non_null(vbsig_xml_id_lookup(&d, "two"));
    assert_non_null(vbsig_xml_id_lookup(&d, "three"));
    /* Only Id, ID and xml:id are IDs: a look-alike must not resolve. */
    assert_null(vbsig_xml_id_lookup(&d, "four"));
    assert_null(vbsig_xml_id_lookup(&d, "five"));
    assert_null(d.duplicate_id);
    vbsig_xml_doc_clear(&d);
    assert_int_equal(parse_text("<r><a Id=\"x\"/><b><c ID=\"x\"/></b></r>", &d), VBSIG_OK);
    assert_string_equal(d.duplicate_id, "x");
    assert_string_equal((const char *)vbsig_xml_id_lookup(&d, "x")->name, "a");
    vbsig_xml_doc_clear(&d);
}

static void check_insertion(const char *text, const char *xpath_name, size_t index, const char *expect_after,
                            int empty)
{
    (void)xpath_name;
    vbsig_xml_insertion at;
    assert_int_equal(vbsig_xml_insertion_point((const uint8_t *)text, strlen(text), index, &at), VBSIG_OK);
    assert_int_equal(at.empty, empty);
    assert_memory_equal(text + at.offset, expect_after, strlen(expect_after));
}

static void test_insertion_point(void **state)
{
    (void)state;
    check_insertion("<?xml version=\"1.0\"?>\n<r a=\"x>y\"><b>t</b></r>\n<!-- c --><?pi </r> ?>", "r", 0, "</r>\n", 0);
    check_insertion("<r><!-- <x> --><a/><b><![CDATA[</b>]]><c/></b></r>", "b", 2, "</b></r>", 0);
    check_insertion("<r><p:a/><p:b /></r>", "b", 2, "/></r>", 1);
    check_insertion("<r><?pi a><b c=\"'\" ?><d/></r>", "d", 1, "/></r>", 1);
    vbsig_xml_insertion at;
    const char *t = "<r><p:a/><p:b /></r>";
    assert_int_equal(vbsig_xml_insertion_point((const uint8_t *)t, strlen(t), 2, &at), VBSIG_OK);
    assert_int_equal((int)at.name_len, 3);
    assert_memory_equal(at.name, "p:b", 3);
    vbsig_xml_doc d;
    assert_int_equal(parse_text("<r><a/><b><c/></b></r>", &d), VBSIG_OK);
    xmlNodePtr c = xmlDocGetRootElement(d.doc)->children->next->children;
    assert_int_equal(vbsig_xml_element_index(d.doc, c), 3);
    vbsig_xml_doc_clear(&d);
}

static void test_limits(void **state)
{
    (void)state;
    vbsig_xml_doc d;
    assert_int_equal(vbsig_xml_parse((const uint8_t *)"<a>0123456789</a>", 17, 16, "small", &d), VBSIG_E_LIMIT);
    assert_int_equal(parse_text("<a><b></a>", &d), VBSIG_E_MALFORMED);
    assert_int_equal(parse_text("", &d), VBSIG_E_MALFORMED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doctype_detection), cmocka_unit_test(test_hostile_corpus_refused),
        cmocka_unit_test(test_corpus_documents_parse), cmocka_unit_test(test_ids),
        cmocka_unit_test(test_insertion_point), cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
