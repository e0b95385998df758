/* PKCS#11's blank-padded fixed-size strings. */
#include <stdlib.h>
#include <string.h>

#include "p11.h"

static size_t unpadded_len(const CK_UTF8CHAR *p, size_t n)
{
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\0'))
        n--;
    return n;
}

char *p11_text_unpad(const CK_UTF8CHAR *p, size_t n)
{
    size_t len = unpadded_len(p, n);
    char *s = malloc(len + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

int p11_text_equal(const CK_UTF8CHAR *p, size_t n, const char *s)
{
    size_t len = unpadded_len(p, n);
    return strlen(s) == len && memcmp(p, s, len) == 0;
}

void p11_wipe(void *p, size_t n)
{
    if (p != NULL)
        explicit_bzero(p, n);
}
