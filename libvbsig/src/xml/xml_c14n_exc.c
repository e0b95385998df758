/* Exclusive XML Canonicalization 1.0 (without comments, empty
 * InclusiveNamespaces PrefixList) written straight from the parsed tree.
 * libxml2's xmlC14NExecute allocates a list per element, a copy of every
 * escaped text and attribute value, and asks a callback about every node
 * and namespace; on a large document that is most of the verification
 * time. This writer walks the tree once, iteratively, escapes runs of
 * bytes into a fixed buffer and keeps the rendered namespaces on a small
 * stack. Anything it does not model (entity references and other node
 * types a DOCTYPE-free parse does not produce) makes it stop with
 * VBSIG_E_UNSUPPORTED before a byte is judged, and the caller falls back
 * to libxml2. The unit tests compare both on every corpus document. */
#include <stdlib.h>
#include <string.h>

#include "xml.h"

#define OUT_BUF 65536
#define MAX_SORT 4096 /* attributes or namespaces on one element */

typedef struct ns_entry {
    const xmlChar *prefix; /* NULL: the default namespace */
    const xmlChar *href;   /* "" for xmlns="" */
    size_t depth;          /* element depth that rendered it */
} ns_entry;

typedef struct writer {
    vbsig_c14n_sink sink;
    void *sink_data;
    uint8_t buf[OUT_BUF];
    size_t n;
    int failed;
    ns_entry *ns;
    size_t ns_count, ns_cap;
} writer;

static void flush(writer *w)
{
    if (w->n > 0 && !w->failed && w->sink(w->sink_data, w->buf, w->n) != 0)
        w->failed = 1;
    w->n = 0;
}

static void put(writer *w, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        if (w->n == OUT_BUF)
            flush(w);
        size_t k = OUT_BUF - w->n < n ? OUT_BUF - w->n : n;
        memcpy(w->buf + w->n, b, k);
        w->n += k;
        b += k;
        n -= k;
    }
}

static void puts_(writer *w, const char *s)
{
    put(w, s, strlen(s));
}

/* Escapes of C14N 1.0 §2.3: text nodes replace & < > and CR; attribute
 * values & < " TAB LF CR. */
/* Bytes that may need an escape (1) or end the string (2); most text has
 * none, and the loop below only looks closer at these. */
static const uint8_t SPECIAL[256] = {[0] = 2, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1,
                                     ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};

static void put_escaped(writer *w, const xmlChar *s, int attr)
{
    if (s == NULL)
        return;
    const xmlChar *run = s;
    for (;; s++) {
        while (SPECIAL[*s] == 0)
            s++;
        if (*s == '\0')
            break;
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = attr ? NULL : "&gt;"; break;
        case '"': rep = attr ? "&quot;" : NULL; break;
        case '\t': rep = attr ? "&#x9;" : NULL; break;
        case '\n': rep = attr ? "&#xA;" : NULL; break;
        case '\r': rep = "&#xD;"; break;
        default: break;
        }
        if (rep == NULL)
            continue;
        put(w, run, (size_t)(s - run));
        puts_(w, rep);
        run = s + 1;
    }
    put(w, run, (size_t)(s - run));
}

static void put_qname(writer *w, const xmlNs *ns, const xmlChar *name)
{
    if (ns != NULL && ns->prefix != NULL) {
        puts_(w, (const char *)ns->prefix);
        put(w, ":", 1);
    }
    puts_(w, (const char *)name);
}

static int same(const xmlChar *a, const xmlChar *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return a == b || strcmp((const char *)a, (const char *)b) == 0;
}

/* The value the nearest output ancestor rendered for prefix, or NULL
 * (for the default namespace, "" when none was rendered). */
static const xmlChar *rendered(const writer *w, const xmlChar *prefix)
{
    for (size_t i = w->ns_count; i > 0; i--)
        if (same(w->ns[i - 1].prefix, prefix))
            return w->ns[i - 1].href;
    return prefix == NULL ? (const xmlChar *)"" : NULL;
}

static int push_ns(writer *w, const xmlChar *prefix, const xmlChar *href, size_t depth)
{
    if (w->ns_count == w->ns_cap) {
        size_t cap = w->ns_cap == 0 ? 32 : w->ns_cap * 2;
        ns_entry *n = realloc(w->ns, cap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        w->ns = n;
        w->ns_cap = cap;
    }
    w->ns[w->ns_count++] = (ns_entry){prefix, href, depth};
    return VBSIG_OK;
}

static int cmp_prefix(const void *a, const void *b)
{
    const xmlChar *x = ((const ns_entry *)a)->prefix, *y = ((const ns_entry *)b)->prefix;
    return strcmp(x != NULL ? (const char *)x : "", y != NULL ? (const char *)y : "");
}

/* Attributes sort by namespace URI (none first), then local name; UTF-8
 * byte order is code point order. */
static int cmp_attr(const void *a, const void *b)
{
    const xmlAttr *x = *(const xmlAttr *const *)a, *y = *(const xmlAttr *const *)b;
    const char *ux = x->ns != NULL ? (const char *)x->ns->href : "";
    const char *uy = y->ns != NULL ? (const char *)y->ns->href : "";
    int c = strcmp(ux, uy);
    return c != 0 ? c : strcmp((const char *)x->name, (const char *)y->name);
}

/* A namespace the element or one of its attributes visibly uses, added
 * to the to-render list when the nearest output ancestor rendered the
 * prefix differently (or not at all). */
static int utilize(writer *w, ns_entry *list, size_t *count, const xmlNs *ns, int is_element, size_t depth)
{
    const xmlChar *prefix = ns != NULL ? ns->prefix : NULL;
    const xmlChar *href = ns != NULL ? ns->href : (const xmlChar *)"";
    if (ns == NULL && !is_element)
        return VBSIG_OK; /* an unprefixed attribute is in no namespace */
    if (prefix != NULL && strcmp((const char *)prefix, "xml") == 0)
        return VBSIG_OK; /* the xml namespace is never declared */
    if (href == NULL)
        href = (const xmlChar *)"";
    for (size_t i = 0; i < *count; i++)
        if (same(list[i].prefix, prefix))
            return VBSIG_OK;
    const xmlChar *have = rendered(w, prefix);
    if (have != NULL && same(have, href))
        return VBSIG_OK;
    if (*count == MAX_SORT)
        return VBSIG_E_UNSUPPORTED;
    list[(*count)++] = (ns_entry){prefix, href, depth};
    return VBSIG_OK;
}

/* A namespace URI libxml2's canonicalizer accepts: empty or with a scheme.
 * Relative namespace URIs make libxml2 refuse the document; the fallback
 * keeps that behaviour. */
static int absolute_ns(const xmlChar *href)
{
    if (href == NULL || href[0] == '\0')
        return 1;
    if (!((href[0] >= 'a' && href[0] <= 'z') || (href[0] >= 'A' && href[0] <= 'Z')))
        return 0;
    for (const xmlChar *c = href + 1; *c != '\0'; c++) {
        if (*c == ':')
            return 1;
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '+' ||
              *c == '-' || *c == '.'))
            return 0;
    }
    return 0;
}

typedef struct scratch {
    ns_entry ns[MAX_SORT];
    const xmlAttr *attrs[MAX_SORT];
} scratch;

static int start_element(writer *w, scratch *sc, const xmlNode *e, size_t depth)
{
    size_t nns = 0, nattr = 0;
    for (const xmlNs *d = e->nsDef; d != NULL; d = d->next)
        if (!absolute_ns(d->href))
            return VBSIG_E_UNSUPPORTED;
    int rc = utilize(w, sc->ns, &nns, e->ns, 1, depth);
    for (const xmlAttr *a = e->properties; rc == VBSIG_OK && a != NULL; a = a->next) {
        if (nattr == MAX_SORT)
            return VBSIG_E_UNSUPPORTED;
        sc->attrs[nattr++] = a;
        rc = utilize(w, sc->ns, &nns, a->ns, 0, depth);
    }
    if (rc != VBSIG_OK)
        return rc;
    if (nns > 1)
        qsort(sc->ns, nns, sizeof sc->ns[0], cmp_prefix);
    if (nattr > 1)
        qsort(sc->attrs, nattr, sizeof sc->attrs[0], cmp_attr);
    put(w, "<", 1);
    put_qname(w, e->ns, e->name);
    for (size_t i = 0; i < nns; i++) {
        if (sc->ns[i].prefix != NULL) {
            puts_(w, " xmlns:");
            puts_(w, (const char *)sc->ns[i].prefix);
        } else {
            puts_(w, " xmlns");
        }
        puts_(w, "=\"");
        put_escaped(w, sc->ns[i].href, 1);
        put(w, "\"", 1);
        rc = push_ns(w, sc->ns[i].prefix, sc->ns[i].href, depth);
        if (rc != VBSIG_OK)
            return rc;
    }
    for (size_t i = 0; i < nattr; i++) {
        const xmlAttr *a = sc->attrs[i];
        put(w, " ", 1);
        put_qname(w, a->ns, a->name);
        put(w, "=\"", 2);
        for (const xmlNode *t = a->children; t != NULL; t = t->next) {
            if (t->type != XML_TEXT_NODE)
                return VBSIG_E_UNSUPPORTED;
            put_escaped(w, t->content, 1);
        }
        put(w, "\"", 1);
    }
    put(w, ">", 1);
    return VBSIG_OK;
}

static void end_element(writer *w, const xmlNode *e, size_t depth)
{
    put(w, "</", 2);
    put_qname(w, e->ns, e->name);
    put(w, ">", 1);
    while (w->ns_count > 0 && w->ns[w->ns_count - 1].depth == depth)
        w->ns_count--;
}

static void put_pi(writer *w, const xmlNode *n)
{
    put(w, "<?", 2);
    puts_(w, (const char *)n->name);
    if (n->content != NULL && n->content[0] != '\0') {
        put(w, " ", 1);
        puts_(w, (const char *)n->content);
    }
    put(w, "?>", 2);
}

/* One node that is not an element; doc_pos: 0 inside the root element,
 * -1 before it, 1 after it (document-level PIs get a line break between
 * them and the root). */
static int leaf(writer *w, const xmlNode *n, int doc_pos)
{
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        put_escaped(w, n->content, 0);
        return VBSIG_OK;
    case XML_COMMENT_NODE:
        return VBSIG_OK;
    case XML_PI_NODE:
        if (doc_pos > 0)
            put(w, "\n", 1);
        put_pi(w, n);
        if (doc_pos < 0)
            put(w, "\n", 1);
        return VBSIG_OK;
    default:
        return VBSIG_E_UNSUPPORTED;
    }
}

/* The subtree of element top, leaving out the subtree of exclude. */
static int walk(writer *w, scratch *sc, const xmlNode *top, const xmlNode *exclude)
{
    const xmlNode *cur = top;
    size_t depth = 0;
    for (;;) {
        int rc = VBSIG_OK;
        int descend = 0;
        if (cur != exclude) {
            if (cur->type == XML_ELEMENT_NODE) {
                depth++;
                rc = start_element(w, sc, cur, depth);
                if (rc == VBSIG_OK && cur->children != NULL)
                    descend = 1;
                else if (rc == VBSIG_OK)
                    end_element(w, cur, depth--);
            } else {
                rc = leaf(w, cur, 0);
            }
        }
        if (rc != VBSIG_OK || w->failed)
            return rc != VBSIG_OK ? rc : VBSIG_E_IO_WRITE;
        if (descend) {
            cur = cur->children;
            continue;
        }
        if (cur == top)
            return VBSIG_OK;
        while (cur->next == NULL) {
            cur = cur->parent;
            end_element(w, cur, depth--);
            if (cur == top)
                return VBSIG_OK;
        }
        cur = cur->next;
    }
}

int vbsig_xml_c14n_exclusive(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude, vbsig_c14n_sink sink,
                             void *sink_data)
{
    writer *w = malloc(sizeof *w);
    scratch *sc = malloc(sizeof *sc);
    if (w == NULL || sc == NULL) {
        free(w);
        free(sc);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    w->sink = sink;
    w->sink_data = sink_data;
    w->n = 0;
    w->failed = 0;
    w->ns = NULL;
    w->ns_count = w->ns_cap = 0;
    int rc = VBSIG_OK;
    if (top == NULL || top->type == XML_DOCUMENT_NODE) {
        int pos = -1;
        for (const xmlNode *n = doc->children; rc == VBSIG_OK && n != NULL; n = n->next) {
            if (n == exclude)
                continue;
            if (n->type == XML_ELEMENT_NODE) {
                rc = walk(w, sc, n, exclude);
                pos = 1;
            } else if (n->type == XML_DTD_NODE) {
                rc = VBSIG_E_UNSUPPORTED;
            } else {
                rc = leaf(w, n, pos);
            }
        }
    } else if (top->type == XML_ELEMENT_NODE) {
        /* XMLDSig §6.6.4: the Signature holding the enveloped-signature
         * transform leaves the node-set with all its descendants, wherever
         * the Reference points; a target inside it keeps no node at all. */
        if (exclude == NULL || !vbsig_xml_within(top, exclude))
            rc = walk(w, sc, top, exclude);
    } else {
        rc = VBSIG_E_UNSUPPORTED;
    }
    if (rc == VBSIG_OK)
        flush(w);
    if (rc == VBSIG_OK && w->failed)
        rc = VBSIG_E_IO_WRITE;
    free(w->ns);
    free(w);
    free(sc);
    return rc;
}
