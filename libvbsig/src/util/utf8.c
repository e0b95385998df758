/* Text that must be UTF-8 (JSON strings) made from bytes that may not be
 * (file names): each byte of an invalid sequence becomes U+FFFD. */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* The length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t seq_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && p[1] < 0xA0) /* overlong */
        return 0;
    if (c == 0xED && p[1] > 0x9F) /* surrogates */
        return 0;
    if (c == 0xF0 && p[1] < 0x90) /* overlong */
        return 0;
    if (c == 0xF4 && p[1] > 0x8F) /* above U+10FFFF */
        return 0;
    return len;
}

int vbsig_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = seq_len(p + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

char *vbsig_utf8_sanitize(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(n * 3 + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t k = seq_len(p + i, n - i);
        if (k == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3); /* U+FFFD */
            o += 3;
            i++;
        } else {
            memcpy(o, p + i, k);
            o += k;
            i += k;
        }
    }
    *o = '\0';
    return out;
}
