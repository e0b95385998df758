/* Base64, hex, SHA-256 for display and Assuan escaping: byte helpers of
 * the shim (the signature work is the library's). */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "serve.h"

char *serve_b64_encode(const uint8_t *data, size_t len)
{
    if (len > (SIZE_MAX / 4) * 3 - 3 || len > INT32_MAX / 2)
        return NULL;
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    /* In slices: EVP_EncodeBlock takes an int length. */
    for (size_t i = 0; i < len; i += 3 * 1024 * 1024) {
        size_t n = len - i < 3 * 1024 * 1024 ? len - i : 3 * 1024 * 1024;
        o += (size_t)EVP_EncodeBlock((unsigned char *)out + o, data + i, (int)n);
    }
    out[o] = '\0';
    return out;
}

uint8_t *serve_b64_decode(const char *text, size_t *len)
{
    size_t n = strlen(text);
    if (n % 4 != 0 || n > INT32_MAX)
        return NULL;
    uint8_t *out = malloc(n / 4 * 3 + 1);
    if (out == NULL)
        return NULL;
    int got = n > 0 ? EVP_DecodeBlock(out, (const unsigned char *)text, (int)n) : 0;
    if (got < 0) {
        free(out);
        return NULL;
    }
    size_t pad = n >= 1 && text[n - 1] == '=' ? (n >= 2 && text[n - 2] == '=' ? 2 : 1) : 0;
    *len = (size_t)got - pad;
    return out;
}

void serve_hex(const uint8_t *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

void serve_sha256_hex(const uint8_t *data, size_t len, char out[65])
{
    uint8_t md[32];
    SHA256(data, len, md);
    serve_hex(md, sizeof md, out);
}

char *serve_assuan_escape(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '%' || *p < 0x20 || *p == '+') {
            static const char digits[] = "0123456789ABCDEF";
            out[o++] = '%';
            out[o++] = digits[*p >> 4];
            out[o++] = digits[*p & 15];
        } else {
            out[o++] = (char)*p;
        }
    }
    out[o] = '\0';
    return out;
}
