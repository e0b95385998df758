/* Reading a canonicalization algorithm with exclusive C14N's
 * InclusiveNamespaces PrefixList (the interop trap of ignoring it). */
#include <string.h>

#include <libxml/c14n.h>

#include "xml.h"

#define MAX_PREFIXES 32

void vbsig_xml_prefixes_free(char **prefixes)
{
    for (size_t i = 0; prefixes != NULL && prefixes[i] != NULL; i++)
        free(prefixes[i]);
    free(prefixes);
}

int vbsig_xml_read_c14n(xmlNodePtr method, vbsig_c14n_alg *alg, char ***prefixes)
{
    *prefixes = NULL;
    char *uri = vbsig_xml_attr(method, "Algorithm");
    int rc = vbsig_xml_c14n_from_uri(uri, alg);
    free(uri);
    if (rc != 0 || alg->mode != XML_C14N_EXCLUSIVE_1_0)
        return rc;
    int count = 0;
    xmlNodePtr inc = vbsig_xml_only_child(method, VBSIG_NS_EXC_C14N, "InclusiveNamespaces", &count);
    if (count > 1)
        return -1;
    char *list = inc != NULL ? vbsig_xml_attr(inc, "PrefixList") : NULL;
    if (list == NULL)
        return 0;
    char **out = calloc(MAX_PREFIXES + 1, sizeof *out);
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(list, " \t\r\n", &save); out != NULL && tok != NULL;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == MAX_PREFIXES) {
            vbsig_xml_prefixes_free(out);
            out = NULL;
            break;
        }
        /* "#default" names the default namespace, which libxml2 spells as "". */
        out[n++] = strdup(strcmp(tok, "#default") == 0 ? "" : tok);
    }
    free(list);
    if (out == NULL)
        return -1;
    *prefixes = out;
    return 0;
}
