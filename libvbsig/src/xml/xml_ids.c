/* ID registration: only Id, ID and xml:id attributes count, and a value seen
 * twice is remembered so callers can refuse the document (signature
 * wrapping hides a second element behind a repeated ID). */
#include <string.h>

#include <libxml/hash.h>

#include "xml.h"
#include "util/util.h"

static int is_id_attr(const xmlAttr *a)
{
    const char *name = (const char *)a->name;
    if (a->ns == NULL)
        return strcmp(name, "Id") == 0 || strcmp(name, "ID") == 0;
    return strcmp(name, "id") == 0 && a->ns->href != NULL &&
           strcmp((const char *)a->ns->href, "http://www.w3.org/XML/1998/namespace") == 0;
}

static int register_element(vbsig_xml_doc *d, xmlNodePtr el, size_t *count)
{
    for (xmlAttrPtr a = el->properties; a != NULL; a = a->next) {
        if (!is_id_attr(a))
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        if (v == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        if (++*count > VBSIG_XML_MAX_IDS) {
            xmlFree(v);
            return vbsig_fail(VBSIG_E_LIMIT, _("the XML document has more than %u ID attributes"),
                              VBSIG_XML_MAX_IDS);
        }
        if (xmlHashLookup(d->ids, v) != NULL) {
            if (d->duplicate_id == NULL)
                d->duplicate_id = strdup((const char *)v);
        } else if (xmlHashAddEntry(d->ids, v, el) != 0) {
            xmlFree(v);
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        }
        xmlFree(v);
    }
    return VBSIG_OK;
}

int vbsig_xml_ids_build(vbsig_xml_doc *d)
{
    d->ids = xmlHashCreate(64);
    if (d->ids == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t count = 0;
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    /* The same walk counts the nodes for the parser's limit. */
    d->node_count = 0;
    for (xmlNodePtr cur = root; cur != NULL; cur = vbsig_xml_next_in_subtree(cur, root)) {
        if (++d->node_count > VBSIG_XML_MAX_NODES)
            return VBSIG_OK;
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        int rc = register_element(d, cur, &count);
        if (rc != VBSIG_OK)
            return rc;
    }
    return VBSIG_OK;
}

xmlNodePtr vbsig_xml_id_lookup(const vbsig_xml_doc *d, const char *id)
{
    if (d->ids == NULL || id == NULL)
        return NULL;
    return xmlHashLookup(d->ids, (const xmlChar *)id);
}
