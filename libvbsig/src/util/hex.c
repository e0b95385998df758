/* Hexadecimal text for fingerprints, serial numbers and test vectors. */
#include <stdlib.h>

#include "util/util.h"

int vbsig_hex_encode(const uint8_t *in, size_t n, int upper, char **out)
{
    static const char lower_digits[16] = "0123456789abcdef";
    static const char upper_digits[16] = "0123456789ABCDEF";
    const char *digits = upper ? upper_digits : lower_digits;
    *out = NULL;
    if (n > 0 && in == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("hex: no input bytes"));
    if (n > (SIZE_MAX - 1) / 2)
        return vbsig_fail(VBSIG_E_NOMEM, _("hex: the input is too large to encode"));
    char *s = malloc(n * 2 + 1);
    if (s == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[in[i] >> 4];
        s[2 * i + 1] = digits[in[i] & 0xF];
    }
    s[n * 2] = '\0';
    *out = s;
    return VBSIG_OK;
}

int vbsig_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int vbsig_hex_decode(const char *in, size_t n, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (n > 0 && in == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("hex: no input text"));
    uint8_t *buf = malloc(n / 2 + 1);
    if (buf == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t olen = 0;
    int high = -1; /* the first digit of a pair while waiting for its second */
    size_t high_at = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        int v = vbsig_hex_digit(c);
        if (v < 0) {
            vbsig_wipe(buf, olen);
            free(buf);
            return vbsig_fail(VBSIG_E_MALFORMED, _("hex: invalid character 0x%02x at offset %zu"), c, i);
        }
        if (high < 0) {
            high = v;
            high_at = i;
        } else {
            buf[olen++] = (uint8_t)(high << 4 | v);
            high = -1;
        }
    }
    if (high >= 0) {
        vbsig_wipe(buf, olen);
        free(buf);
        return vbsig_fail(VBSIG_E_MALFORMED, _("hex: odd number of digits (the last one is at offset %zu)"), high_at);
    }
    buf[olen] = 0;
    *out = buf;
    *out_len = olen;
    return VBSIG_OK;
}
