/* Safe parsing of untrusted XML: a DOCTYPE is refused before libxml2 sees
 * the bytes, and libxml2 runs without network, entities or DTD loading. */
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "xml.h"
#include "util/util.h"

static size_t skip_space(const uint8_t *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

static size_t find(const uint8_t *p, size_t n, size_t i, const char *needle)
{
    size_t k = strlen(needle);
    for (; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return i + k;
    return n;
}

/* The prolog is XML declaration, comments, PIs and white space; a DOCTYPE
 * can only stand there. Anything else ends the prolog. */
int vbsig_xml_has_doctype(const uint8_t *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (;;) {
        i = skip_space(p, n, i);
        if (i >= n || p[i] != '<')
            return 0;
        if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0)
            i = find(p, n, i + 4, "-->");
        else if (n - i >= 2 && p[i + 1] == '?')
            i = find(p, n, i + 2, "?>");
        else
            return n - i >= 2 && p[i + 1] == '!';
    }
}

/* libxml2 2.9 copies a whole memory input into one buffer before parsing;
 * read through a callback instead, it keeps a small window that it refills
 * and shrinks, so a 10 MB document is not duplicated in memory. */
typedef struct mem_reader {
    const uint8_t *p;
    size_t n, off;
} mem_reader;

static int mem_read(void *ctx, char *buf, int len)
{
    mem_reader *r = ctx;
    size_t k = r->n - r->off < (size_t)len ? r->n - r->off : (size_t)len;
    memcpy(buf, r->p + r->off, k);
    r->off += k;
    return (int)k;
}

/* Our own words for libxml2's errors (its texts are English only); the
 * library's text still follows as a detail. */
static const char *xml_error_text(const xmlError *err)
{
    if (err == NULL)
        return _("the XML parser stopped");
    if (err->message != NULL && strstr(err->message, "Excessive depth") != NULL)
        return _("the elements are nested too deeply");
    if (err->message != NULL && strstr(err->message, "not proper UTF-8") != NULL)
        return _("the text is not valid in its encoding (UTF-8 expected)");
    switch (err->code) {
    case XML_ERR_DOCUMENT_START:
    case XML_ERR_DOCUMENT_EMPTY: return _("the document has no XML content");
    case XML_ERR_DOCUMENT_END: return _("there is more content after the end of the document");
    case XML_ERR_INVALID_CHAR: return _("a character that XML does not allow");
    case XML_ERR_INVALID_ENCODING: return _("the text is not valid in its encoding (UTF-8 expected)");
    case XML_ERR_UNDECLARED_ENTITY: return _("an entity that is not defined");
    case XML_ERR_STRING_NOT_CLOSED:
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
    case XML_ERR_LT_IN_ATTRIBUTE: return _("an attribute is malformed");
    case XML_ERR_ATTRIBUTE_REDEFINED: return _("an attribute is given twice");
    case XML_ERR_NAME_REQUIRED:
    case XML_ERR_GT_REQUIRED: return _("a tag is malformed");
    case XML_ERR_TAG_NAME_MISMATCH: return _("an end tag does not match its start tag");
    case XML_ERR_TAG_NOT_FINISHED: return _("the document ends before an element is closed");
    case XML_NS_ERR_UNDEFINED_NAMESPACE: return _("a namespace prefix is not declared");
    default: return _("the XML parser stopped on an error");
    }
}

int vbsig_xml_parse(const uint8_t *p, size_t n, uint64_t max_len, const char *what,
                    vbsig_xml_doc *out)
{
    memset(out, 0, sizeof *out);
    if (max_len != 0 && n > max_len)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the XML document is larger than the limit (%llu bytes)"),
                          what, (unsigned long long)max_len);
    if (n > (size_t)INT32_MAX)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: XML documents larger than 2 GiB are not supported"), what);
    if (vbsig_xml_has_doctype(p, n))
        return vbsig_fail(VBSIG_E_REFUSED,
                          _("%s: the XML document has a DOCTYPE; documents whose meaning depends on a DTD are refused"),
                          what);
    int loaded = vbsig_xml_require();
    if (loaded != VBSIG_OK)
        return loaded;
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (pc == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    /* COMPACT keeps short text inside its node (one allocation less per
     * small field of an e-invoice); the tree is only read afterwards. */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    mem_reader reader = {p, n, 0};
    xmlDocPtr doc = xmlCtxtReadIO(pc, mem_read, NULL, &reader, NULL, NULL, opts);
    if (doc == NULL || !pc->wellFormed) {
        xmlErrorPtr err = xmlCtxtGetLastError(pc);
        if (err != NULL && err->message != NULL) {
            size_t len = strlen(err->message);
            while (len > 0 && (err->message[len - 1] == '\n' || err->message[len - 1] == ' '))
                err->message[--len] = '\0';
            for (size_t i = 0; i < len; i++) /* a line of its own, like every error */
                if (err->message[i] == '\n' || err->message[i] == '\r')
                    err->message[i] = ' ';
        }
        int rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: not well-formed XML at line %d: %s (libxml2: %s)"), what,
                            err != NULL ? err->line : 0, xml_error_text(err),
                            err != NULL && err->message != NULL ? err->message : "-");
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(pc);
        return rc;
    }
    xmlFreeParserCtxt(pc);
    if (doc->intSubset != NULL || doc->extSubset != NULL) {
        xmlFreeDoc(doc);
        return vbsig_fail(VBSIG_E_REFUSED, _("%s: the XML document has a DOCTYPE"), what);
    }
    out->doc = doc;
    int rc = vbsig_xml_ids_build(out);
    if (rc == VBSIG_OK && out->node_count > VBSIG_XML_MAX_NODES)
        rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: the XML document has more than %u nodes"), what, VBSIG_XML_MAX_NODES);
    if (rc != VBSIG_OK)
        vbsig_xml_doc_clear(out);
    return rc;
}

void vbsig_xml_doc_clear(vbsig_xml_doc *d)
{
    if (d->ids != NULL)
        xmlHashFree(d->ids, NULL);
    xmlFreeDoc(d->doc);
    free(d->duplicate_id);
    memset(d, 0, sizeof *d);
}
