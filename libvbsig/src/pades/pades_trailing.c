/* Bytes after the last revision. A strict reader stops at the last %%EOF
 * its startxref chain reaches; a viewer that repairs files also reads any
 * `N G obj … endobj` it finds after it, and shows those objects in place
 * of the signed ones. Whitespace, NUL padding and comment lines are
 * harmless to both; anything else is reported. */
#include <string.h>

#include "pades/pades_verify_priv.h"

static int blank(uint8_t c)
{
    return c == 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

static int digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static int delimiter(uint8_t c)
{
    return blank(c) || c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

/* `N G obj` starting at p (p at the first digit of N, after a delimiter). */
static int obj_header_at(const uint8_t *d, size_t len, size_t p)
{
    size_t i = p;
    while (i < len && digit(d[i]))
        i++;
    if (i == p || i >= len || !blank(d[i]))
        return 0;
    while (i < len && blank(d[i]))
        i++;
    size_t g = i;
    while (i < len && digit(d[i]))
        i++;
    if (i == g || i >= len || !blank(d[i]))
        return 0;
    while (i < len && blank(d[i]))
        i++;
    return len - i >= 3 && memcmp(d + i, "obj", 3) == 0 && (len - i == 3 || delimiter(d[i + 3]));
}

static int keyword_at(const uint8_t *d, size_t len, size_t p, const char *kw)
{
    size_t n = strlen(kw);
    return len - p >= n && memcmp(d + p, kw, n) == 0 && (len - p == n || delimiter(d[p + n]));
}

void vbsig_pades_trailing_scan(const uint8_t *data, size_t len, size_t end, vbsig_pades_trailing *out)
{
    memset(out, 0, sizeof *out);
    size_t i = end < len ? end : len;
    /* padding: whitespace, NULs and whole comment lines */
    while (i < len) {
        if (blank(data[i])) {
            i++;
        } else if (data[i] == '%') {
            while (i < len && data[i] != '\r' && data[i] != '\n')
                i++;
        } else {
            break;
        }
    }
    if (i >= len)
        return;
    out->offset = i;
    out->size = len - i;
    for (size_t p = i; p < len; p++) {
        if (p > i && !delimiter(data[p - 1]))
            continue; /* only at the start of a token */
        if (digit(data[p]) && obj_header_at(data, len, p)) {
            out->objects++;
            while (p < len && digit(data[p]))
                p++; /* past N: G is no object number of its own */
        } else if (keyword_at(data, len, p, "xref") || keyword_at(data, len, p, "trailer") ||
                   keyword_at(data, len, p, "startxref")) {
            out->xref = 1;
        }
    }
}
