/* Detached signatures name their data by a Reference URI. Only a bare file
 * name is written or accepted: no scheme, no directory, no query or
 * fragment, so a signature can never make the verifier open or fetch
 * anything — the data comes from the caller (--data), and the URI must name
 * exactly that file. */
#include <stdlib.h>
#include <string.h>

#include "xml.h"

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

static int bare_name(const char *name)
{
    return name != NULL && name[0] != '\0' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
           strchr(name, '/') == NULL;
}

int vbsig_xml_uri_from_name(const char *name, char **out)
{
    *out = NULL;
    if (!bare_name(name))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' is not a bare file name for a detached reference"),
                          name != NULL ? name : "");
    size_t n = strlen(name);
    char *uri = malloc(3 * n + 1);
    if (uri == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    static const char hex[] = "0123456789ABCDEF";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (unreserved(c)) {
            uri[k++] = (char)c;
        } else {
            uri[k++] = '%';
            uri[k++] = hex[c >> 4];
            uri[k++] = hex[c & 15];
        }
    }
    uri[k] = '\0';
    *out = uri;
    return VBSIG_OK;
}

int vbsig_xml_uri_names_file(const char *uri, const char *name)
{
    if (uri == NULL || !bare_name(name))
        return 0;
    size_t n = strlen(uri), k = 0, want = strlen(name);
    for (size_t i = 0; i < n; i++, k++) {
        char c = uri[i];
        /* ':' would start a scheme, '/' a path, '?'/'#' a query or fragment,
         * '\\' a Windows path: none of them belongs to a bare name. */
        if (c == ':' || c == '/' || c == '?' || c == '#' || c == '\\')
            return 0;
        if (c == '%') {
            int hi = i + 2 < n ? vbsig_hex_digit((unsigned char)uri[i + 1]) : -1;
            int lo = i + 2 < n ? vbsig_hex_digit((unsigned char)uri[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return 0;
            c = (char)(hi * 16 + lo);
            /* An encoded separator or NUL still may not name a directory. */
            if (c == '/' || c == '\0' || c == '\\')
                return 0;
            i += 2;
        }
        if (k >= want || name[k] != c)
            return 0;
    }
    return k == want;
}

int vbsig_xml_uri_is_bare_name(const char *uri)
{
    if (uri == NULL || uri[0] == '\0' || strpbrk(uri, ":/?#\\") != NULL)
        return 0;
    /* Decoded, it must still be a name: no separator, NUL, "." or "..". */
    size_t n = strlen(uri), k = 0, dots = 0;
    for (size_t i = 0; i < n; i++, k++) {
        int c = (unsigned char)uri[i];
        if (c == '%') {
            int hi = i + 2 < n ? vbsig_hex_digit((unsigned char)uri[i + 1]) : -1;
            int lo = i + 2 < n ? vbsig_hex_digit((unsigned char)uri[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return 0;
            c = hi * 16 + lo;
            if (c == '/' || c == '\0' || c == '\\')
                return 0;
            i += 2;
        }
        dots += c == '.';
    }
    return !(k == dots && k <= 2);
}
