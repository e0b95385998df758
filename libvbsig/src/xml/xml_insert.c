/* Where an enveloped signature goes, in the original bytes: before the end
 * tag of the chosen parent element, or inside it when it is empty
 * ("<NBan/>" becomes "<NBan>…</NBan>", the same canonical form). The
 * document is well-formed and has no DTD (it was parsed first), so a small
 * tokenizer over tags, comments, PIs and CDATA finds the element by its
 * position among start tags; the output is parsed and verified again. */
#include <string.h>

#include "xml.h"

static size_t skip_past(const uint8_t *p, size_t n, size_t i, const char *end)
{
    size_t k = strlen(end);
    for (; i + k <= n; i++)
        if (memcmp(p + i, end, k) == 0)
            return i + k;
    return n;
}

/* From the '<' of a start tag: the index after its '>', and whether it is
 * an empty-element tag. Attribute values may hold '>'. */
static size_t start_tag_end(const uint8_t *p, size_t n, size_t i, int *empty)
{
    uint8_t quote = 0;
    for (i++; i < n; i++) {
        if (quote != 0) {
            if (p[i] == quote)
                quote = 0;
        } else if (p[i] == '"' || p[i] == '\'') {
            quote = p[i];
        } else if (p[i] == '>') {
            *empty = p[i - 1] == '/';
            return i + 1;
        }
    }
    return n;
}

int vbsig_xml_insertion_point(const uint8_t *p, size_t n, size_t element_index, vbsig_xml_insertion *out)
{
    size_t i = 0, starts = 0, depth = 0;
    int found = 0;
    while (i < n) {
        if (p[i] != '<') {
            i++;
            continue;
        }
        if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
            i = skip_past(p, n, i + 4, "-->");
        } else if (n - i >= 9 && memcmp(p + i, "<![CDATA[", 9) == 0) {
            i = skip_past(p, n, i + 9, "]]>");
        } else if (n - i >= 2 && p[i + 1] == '?') {
            i = skip_past(p, n, i + 2, "?>");
        } else if (n - i >= 2 && p[i + 1] == '!') {
            i = skip_past(p, n, i + 2, ">");
        } else if (n - i >= 2 && p[i + 1] == '/') {
            if (found && depth == 1) {
                out->offset = i;
                out->empty = 0;
                return VBSIG_OK;
            }
            if (found)
                depth--;
            i = skip_past(p, n, i + 2, ">");
        } else {
            int empty = 0;
            size_t end = start_tag_end(p, n, i, &empty);
            if (!found && starts == element_index) {
                if (empty) {
                    size_t name_end = i + 1;
                    while (name_end < end && strchr(" \t\r\n/>", p[name_end]) == NULL)
                        name_end++;
                    out->offset = end - 2; /* the "/>" */
                    out->empty = 1;
                    out->name = (const char *)p + i + 1;
                    out->name_len = name_end - i - 1;
                    return VBSIG_OK;
                }
                found = 1;
            }
            if (found && !empty)
                depth++;
            starts++;
            i = end;
        }
    }
    return vbsig_fail(VBSIG_E_INTERNAL, _("the place for the signature was not found in the document bytes"));
}

/* Enveloping: the root element's bytes, from its start tag to the end of
 * its end tag (or of its empty-element tag); the prolog and anything after
 * the root stay out. */
int vbsig_xml_root_span(const uint8_t *p, size_t n, size_t *start, size_t *end)
{
    size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n) {
        if (p[i] != '<') {
            i++;
        } else if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
            i = skip_past(p, n, i + 4, "-->");
        } else if (n - i >= 2 && (p[i + 1] == '?' || p[i + 1] == '!')) {
            i = skip_past(p, n, i + 2, ">");
        } else {
            break;
        }
    }
    vbsig_xml_insertion at;
    int rc = i < n ? vbsig_xml_insertion_point(p, n, 0, &at) : VBSIG_E_INTERNAL;
    if (rc != VBSIG_OK)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the root element was not found in the document bytes"));
    *start = i;
    *end = skip_past(p, n, at.offset, ">");
    return VBSIG_OK;
}
