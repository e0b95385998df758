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
