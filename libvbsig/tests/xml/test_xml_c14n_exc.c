/* Our exclusive C14N writer against libxml2's xmlC14NExecute, byte for
 * byte: every corpus document, every element subtree of it, with and
 * without a subtree left out, and documents built to hit the corners
 * (namespace redeclaration and undeclaration, attribute order across
 * namespaces, escapes, document-level PIs and comments, CDATA, xml:*
 * attributes). Where the writer declines (relative namespace URIs), the
 * digest path must still equal libxml2's result. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/c14n.h>

#include "util/util.h"
#include "crypto/crypto.h"
#include "xml/xml.h"

static const char *const CRAFTED[] = {
    "<?xml version=\"1.0\"?>\n<?pi-before data?><!-- c1 -->\n<r xmlns=\"urn:d\" xmlns:a=\"urn:a\" xmlns:unused=\"urn:u\">"
    "<a:x b=\"2\" a:b=\"1\" xml:lang=\"vi\" c='&quot;&lt;&amp;&#9;&#10;&#13;&gt;'>t&amp;&lt;&gt;&#13;\"'</a:x>"
    "<y xmlns=\"\"><z xmlns=\"urn:d\"/><w/></y><a:p xmlns:a=\"urn:other\"><a:q/></a:p>"
    "<![CDATA[cd<&>]]><?inner?><!-- c2 --></r><?pi-after x?><!-- c3 -->",
    "<root xmlns:b=\"urn:b\" xmlns:a=\"urn:a\"><e b:z=\"1\" a:z=\"2\" z=\"3\" a:a=\"4\"/>"
    "<e xmlns:b=\"urn:b\"><b:f xmlns:b=\"urn:b2\" b:g=\"x\"/></e></root>",
    "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:X Algorithm=\"a\"/>"
    "</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue><ds:Object Id=\"o\"><HDon><Ten>Công ty</Ten></HDon>"
    "</ds:Object></ds:Signature>",
    "<a xmlns=\"urn:x\"><b xmlns=\"urn:y\"><c xmlns=\"urn:x\" xmlns:p=\"urn:p\" p:at=\"v\"><p:d/></c></b>\n  <e/>\n</a>",
    "<a>    <b>  spaces  </b>\t\n<c x=\"  a  b  \"/></a>",
};

/* Documents our writer declines; the digest path must fall back. */
static const char *const DECLINED[] = {
    "<a xmlns:r=\"relative/ns\"><r:b/></a>",
};

typedef struct sink_buf {
    vbsig_bytes b;
} sink_buf;

static int to_bytes(void *data, const uint8_t *p, size_t n)
{
    return vbsig_bytes_append(&((sink_buf *)data)->b, p, n) == VBSIG_OK ? 0 : -1;
}

typedef struct vis {
    xmlNodePtr top, exclude;
} vis;

static int visible(void *user, xmlNodePtr node, xmlNodePtr parent)
{
    const vis *v = user;
    const xmlNode *n = node == NULL || node->type == XML_NAMESPACE_DECL ? parent : node;
    if (n == NULL)
        return 1;
    int in_top = v->top == NULL, out = 0;
    for (const xmlNode *a = n; a != NULL; a = a->parent) {
        if (a == v->exclude)
            out = 1;
        if (a == v->top)
            in_top = 1;
    }
    return in_top && !out;
}

static void compare(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude, const char *what)
{
    vis v = {top != NULL && top->type == XML_DOCUMENT_NODE ? NULL : top, exclude};
    xmlBufferPtr xb = xmlBufferCreate();
    xmlOutputBufferPtr out = xmlOutputBufferCreateBuffer(xb, NULL);
    int n = xmlC14NExecute(doc, visible, &v, XML_C14N_EXCLUSIVE_1_0, NULL, 0, out);
    xmlOutputBufferClose(out);
    sink_buf ours;
    vbsig_bytes_init(&ours.b);
    int rc = vbsig_xml_c14n_exclusive(doc, top, exclude, to_bytes, &ours);
    if (n < 0) {
        /* libxml2 refused: ours must have declined too. */
        assert_int_equal(rc, VBSIG_E_UNSUPPORTED);
    } else {
        if (rc != VBSIG_OK)
            fail_msg("%s: our writer failed (%d)", what, rc);
        size_t len = (size_t)xmlBufferLength(xb);
        if (len != ours.b.len || memcmp(xmlBufferContent(xb), ours.b.data, len) != 0)
            fail_msg("%s: differs\nlibxml2: %.*s\nours:    %.*s", what, (int)(len < 600 ? len : 600),
                     (const char *)xmlBufferContent(xb), (int)(ours.b.len < 600 ? ours.b.len : 600),
                     (const char *)ours.b.data);
    }
    vbsig_bytes_free(&ours.b);
    xmlBufferFree(xb);
}

/* The whole document, then every element subtree, then every element
 * subtree with its first element child left out. */
static size_t compare_all(const uint8_t *p, size_t n, const char *name)
{
    vbsig_xml_doc d;
    int rc = vbsig_xml_parse(p, n, 0, name, &d);
    if (rc != VBSIG_OK)
        fail_msg("%s: %s", name, vbsig_last_error());
    compare(d.doc, (xmlNodePtr)d.doc, NULL, name);
    xmlNodePtr root = xmlDocGetRootElement(d.doc);
    size_t count = 0;
    for (xmlNodePtr cur = root; cur != NULL && count < 400; cur = vbsig_xml_next_in_subtree(cur, root)) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        char what[300];
        snprintf(what, sizeof what, "%s: subtree of <%s> #%zu", name, (const char *)cur->name, count);
        compare(d.doc, cur, NULL, what);
        xmlNodePtr first = vbsig_xml_elem(cur->children);
        if (first != NULL) {
            compare(d.doc, cur, first, what);
            compare(d.doc, (xmlNodePtr)d.doc, first, what);
        }
        count++;
    }
    vbsig_xml_doc_clear(&d);
    return count;
}

static void test_crafted(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof CRAFTED / sizeof CRAFTED[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "crafted-%zu", i);
        assert_true(compare_all((const uint8_t *)CRAFTED[i], strlen(CRAFTED[i]), name) > 0);
    }
}

static void test_corpus(void **state)
{
    (void)state;
    const char *dir = getenv("VBSIG_TEST_DATA");
    assert_non_null(dir);
    static const char *const files[] = {"einvoice-tt78-vinhlong.xml", "edxml-chithi-05-phuyen.xml",
                                        "namespaces-nfc-nfd-longan.xml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/corpus/xml/%s", dir, files[i]);
        vbsig_file_map m;
        assert_int_equal(vbsig_file_map_open(&m, path, 0), VBSIG_OK);
        assert_true(compare_all(m.data, m.len, files[i]) > 5);
        vbsig_file_map_close(&m);
    }
}

/* Declined documents: the digest path gives libxml2's answer (here libxml2
 * refuses relative namespace URIs, so the digest call fails cleanly). */
static void test_declined_falls_back(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof DECLINED / sizeof DECLINED[0]; i++) {
        vbsig_xml_doc d;
        assert_int_equal(vbsig_xml_parse((const uint8_t *)DECLINED[i], strlen(DECLINED[i]), 0, "declined", &d), VBSIG_OK);
        sink_buf ours;
        vbsig_bytes_init(&ours.b);
        assert_int_equal(vbsig_xml_c14n_exclusive(d.doc, (xmlNodePtr)d.doc, NULL, to_bytes, &ours), VBSIG_E_UNSUPPORTED);
        vbsig_bytes_free(&ours.b);
        vbsig_c14n_alg alg = {XML_C14N_EXCLUSIVE_1_0, 0};
        uint8_t md[EVP_MAX_MD_SIZE];
        size_t mdlen = 0;
        xmlChar *buf = NULL;
        int len = xmlC14NDocDumpMemory(d.doc, NULL, XML_C14N_EXCLUSIVE_1_0, NULL, 0, &buf);
        int rc = vbsig_xml_c14n_hash(d.doc, (xmlNodePtr)d.doc, NULL, &alg, NULL, VBSIG_DIGEST_SHA256, md, &mdlen);
        if (len < 0) {
            assert_int_equal(rc, VBSIG_E_MALFORMED);
        } else {
            uint8_t want[EVP_MAX_MD_SIZE];
            size_t want_len = 0;
            assert_int_equal(rc, VBSIG_OK);
            assert_int_equal(vbsig_digest_bytes(VBSIG_DIGEST_SHA256, buf, (size_t)len, want, &want_len), VBSIG_OK);
            assert_memory_equal(md, want, want_len);
        }
        xmlFree(buf);
        vbsig_xml_doc_clear(&d);
    }
}

/* The digest path through our writer equals the digest of libxml2's form. */
static void test_digest_path(void **state)
{
    (void)state;
    vbsig_xml_doc d;
    assert_int_equal(vbsig_xml_parse((const uint8_t *)CRAFTED[0], strlen(CRAFTED[0]), 0, "crafted", &d), VBSIG_OK);
    xmlChar *buf = NULL;
    int len = xmlC14NDocDumpMemory(d.doc, NULL, XML_C14N_EXCLUSIVE_1_0, NULL, 0, &buf);
    assert_true(len > 0);
    uint8_t want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
    size_t want_len = 0, got_len = 0;
    assert_int_equal(vbsig_digest_bytes(VBSIG_DIGEST_SHA384, buf, (size_t)len, want, &want_len), VBSIG_OK);
    vbsig_c14n_alg alg = {XML_C14N_EXCLUSIVE_1_0, 0};
    assert_int_equal(vbsig_xml_c14n_hash(d.doc, (xmlNodePtr)d.doc, NULL, &alg, NULL, VBSIG_DIGEST_SHA384, got, &got_len),
                     VBSIG_OK);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, got_len);
    xmlFree(buf);
    vbsig_xml_doc_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_declined_falls_back),
        cmocka_unit_test(test_digest_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
