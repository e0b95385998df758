/* Small, strict accessors for the signature elements. */
#include <string.h>

#include "xml.h"

int vbsig_xml_is(const xmlNode *n, const char *ns, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL && n->ns->href != NULL &&
           strcmp((const char *)n->ns->href, ns) == 0 && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr vbsig_xml_elem(xmlNodePtr n)
{
    while (n != NULL && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

xmlNodePtr vbsig_xml_only_child(xmlNodePtr parent, const char *ns, const char *name, int *count)
{
    xmlNodePtr found = NULL;
    int k = 0;
    for (xmlNodePtr c = vbsig_xml_elem(parent->children); c != NULL; c = vbsig_xml_elem(c->next))
        if (vbsig_xml_is(c, ns, name)) {
            found = c;
            k++;
        }
    if (count != NULL)
        *count = k;
    return k == 1 ? found : NULL;
}

char *vbsig_xml_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

char *vbsig_xml_text(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    if (v == NULL)
        return NULL;
    const char *s = (const char *)v;
    size_t len = strlen(s);
    while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
        len--;
    while (len > 0 && strchr(" \t\r\n", *s) != NULL) {
        s++;
        len--;
    }
    char *out = strndup(s, len);
    xmlFree(v);
    return out;
}

int vbsig_xml_within(const xmlNode *node, const xmlNode *anc)
{
    for (; node != NULL; node = node->parent)
        if (node == anc)
            return 1;
    return 0;
}

xmlNodePtr vbsig_xml_next_in_subtree(xmlNodePtr cur, xmlNodePtr root)
{
    if (cur->type == XML_ELEMENT_NODE && cur->children != NULL)
        return cur->children;
    while (cur != root && cur->next == NULL)
        cur = cur->parent;
    return cur == root ? NULL : cur->next;
}

size_t vbsig_xml_element_index(xmlDocPtr doc, xmlNodePtr el)
{
    size_t index = 0;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr cur = root; cur != NULL && cur != el; cur = vbsig_xml_next_in_subtree(cur, root))
        if (cur->type == XML_ELEMENT_NODE)
            index++;
    return index;
}

/* Same namespace URI (or both none) and same local name. */
static int same_expanded_name(const xmlNode *a, const xmlNode *b)
{
    if (a->type != XML_ELEMENT_NODE || b->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, (const char *)b->name) != 0)
        return 0;
    const char *na = a->ns != NULL && a->ns->href != NULL ? (const char *)a->ns->href : "";
    const char *nb = b->ns != NULL && b->ns->href != NULL ? (const char *)b->ns->href : "";
    return strcmp(na, nb) == 0;
}

static void path_step(vbsig_bytes *b, const xmlNode *n)
{
    size_t pos = 0, same = 0;
    if (n->parent != NULL)
        for (const xmlNode *c = n->parent->children; c != NULL; c = c->next)
            if (same_expanded_name(c, n)) {
                same++;
                if (c == n)
                    pos = same;
            }
    vbsig_bytes_append_str(b, "/");
    if (n->ns != NULL && n->ns->prefix != NULL)
        vbsig_bytes_printf(b, "%s:", (const char *)n->ns->prefix);
    vbsig_bytes_append_str(b, (const char *)n->name);
    if (same > 1)
        vbsig_bytes_printf(b, "[%zu]", pos);
}

char *vbsig_xml_path(const xmlNode *n)
{
    if (n == NULL || n->type != XML_ELEMENT_NODE)
        return strdup("/");
    size_t depth = 0;
    for (const xmlNode *a = n; a != NULL && a->type == XML_ELEMENT_NODE; a = a->parent)
        depth++;
    const xmlNode **chain = malloc(depth * sizeof *chain);
    if (chain == NULL)
        return NULL;
    size_t k = depth;
    for (const xmlNode *a = n; a != NULL && a->type == XML_ELEMENT_NODE; a = a->parent)
        chain[--k] = a;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    for (size_t i = 0; i < depth; i++)
        path_step(&b, chain[i]);
    free(chain);
    vbsig_bytes_append(&b, "", 0);
    return (char *)b.data; /* NULL when an append ran out of memory */
}

char *vbsig_xml_id_of(xmlNodePtr n)
{
    if (n == NULL || n->type != XML_ELEMENT_NODE)
        return NULL;
    char *id = vbsig_xml_attr(n, "Id");
    if (id == NULL)
        id = vbsig_xml_attr(n, "ID");
    for (xmlAttrPtr a = n->properties; id == NULL && a != NULL; a = a->next)
        if (a->ns != NULL && a->ns->href != NULL && strcmp((const char *)a->name, "id") == 0 &&
            strcmp((const char *)a->ns->href, "http://www.w3.org/XML/1998/namespace") == 0) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            if (v != NULL) {
                id = strdup((const char *)v);
                xmlFree(v);
            }
        }
    return id;
}

int vbsig_xml_same_name(const xmlNode *a, const xmlNode *b)
{
    return a != NULL && b != NULL && same_expanded_name(a, b);
}
