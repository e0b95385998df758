/* Base64 (RFC 4648, standard alphabet, padded). */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static const char b64_alphabet[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int vbsig_base64_encode(const uint8_t *in, size_t n, char **out, size_t *out_len)
{
    *out = NULL;
    if (out_len != NULL)
        *out_len = 0;
    if (n > 0 && in == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("base64: no input bytes"));
    size_t groups = n / 3 + (n % 3 != 0);
    if (groups > (SIZE_MAX - 1) / 4)
        return vbsig_fail(VBSIG_E_NOMEM, _("base64: the input is too large to encode"));
    size_t len = groups * 4;
    char *s = malloc(len + 1);
    if (s == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));

    char *o = s;
    size_t i = 0;
    for (; n - i >= 3; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *o++ = b64_alphabet[v >> 18];
        *o++ = b64_alphabet[(v >> 12) & 63];
        *o++ = b64_alphabet[(v >> 6) & 63];
        *o++ = b64_alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *o++ = b64_alphabet[v >> 18];
        *o++ = b64_alphabet[(v >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        *o++ = b64_alphabet[v >> 18];
        *o++ = b64_alphabet[(v >> 12) & 63];
        *o++ = b64_alphabet[(v >> 6) & 63];
        *o++ = '=';
    }
    *o = '\0';
    *out = s;
    if (out_len != NULL)
        *out_len = len;
    return VBSIG_OK;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int is_b64_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int vbsig_base64_decode(const char *in, size_t n, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (n > 0 && in == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("base64: no input text"));
    /* Every 4 characters give at most 3 bytes, so this bound follows the
     * input size and never a value read from the input. */
    uint8_t *buf = malloc(n / 4 * 3 + 1);
    if (buf == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));

    size_t olen = 0;
    uint32_t acc = 0;
    unsigned quad = 0; /* characters of the current group seen so far */
    unsigned pad = 0;  /* '=' seen; once non-zero only '=' and whitespace may follow */
    size_t quad_start = 0;
    int rc = VBSIG_OK;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (is_b64_space(c))
            continue;
        if (quad == 0)
            quad_start = i;
        if (c == '=') {
            /* Padding may only fill positions 3 and 4 of the last group. */
            if (quad < 2) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("base64: misplaced padding at offset %zu"), i);
                goto out;
            }
            pad++;
            quad++;
        } else {
            int v = b64_value(c);
            if (v < 0) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("base64: invalid character 0x%02x at offset %zu"), c, i);
                goto out;
            }
            if (pad > 0) {
                rc = vbsig_fail(VBSIG_E_MALFORMED, _("base64: data after padding at offset %zu"), i);
                goto out;
            }
            acc = acc << 6 | (uint32_t)v;
            quad++;
        }
        if (quad == 4) {
            if (pad == 0) {
                buf[olen++] = (uint8_t)(acc >> 16);
                buf[olen++] = (uint8_t)(acc >> 8);
                buf[olen++] = (uint8_t)acc;
            } else if (pad == 1) {
                /* 18 bits carried 2 bytes; the last 2 bits must be zero. */
                if (acc & 0x3) {
                    rc = vbsig_fail(VBSIG_E_MALFORMED, _("base64: non-zero bits before the padding at offset %zu"),
                                    quad_start);
                    goto out;
                }
                buf[olen++] = (uint8_t)(acc >> 10);
                buf[olen++] = (uint8_t)(acc >> 2);
            } else {
                if (acc & 0xF) {
                    rc = vbsig_fail(VBSIG_E_MALFORMED, _("base64: non-zero bits before the padding at offset %zu"),
                                    quad_start);
                    goto out;
                }
                buf[olen++] = (uint8_t)(acc >> 4);
            }
            quad = 0;
            acc = 0;
            if (pad > 0)
                pad = 3; /* the padded group ends the text: only whitespace may follow */
        }
    }
    if (quad != 0) {
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("base64: the text ends inside a group of four characters (offset %zu)"),
                        quad_start);
        goto out;
    }
out:
    if (rc != VBSIG_OK) {
        vbsig_wipe(buf, olen);
        free(buf);
        return rc;
    }
    buf[olen] = 0;
    *out = buf;
    *out_len = olen;
    return VBSIG_OK;
}
