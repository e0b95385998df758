/* Turns string and name tokens into their bytes (ISO 32000-1 §7.3.4, §7.3.5).
 * The decoded form is never longer than the token, so the token length
 * bounds every allocation. */
#include <stdlib.h>

#include "pdf/pdf_internal.h"

static int nomem(void)
{
    return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}

int pdf_decode_literal(const pdf_lexer *lx, const pdf_token *tok, uint8_t **out, size_t *len)
{
    const uint8_t *s = lx->data + tok->start + 1;
    size_t n = tok->end - tok->start - 2, o = 0;
    uint8_t *buf = malloc(n + 1);
    if (buf == NULL)
        return nomem();
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '\r') {
            /* An end-of-line inside a string reads as a single LF. */
            if (i + 1 < n && s[i + 1] == '\n')
                i++;
            buf[o++] = '\n';
            continue;
        }
        if (c != '\\') {
            buf[o++] = c;
            continue;
        }
        if (++i >= n)
            break; /* cannot happen: the lexer pairs a final backslash with ')' */
        c = s[i];
        switch (c) {
        case 'n': buf[o++] = '\n'; break;
        case 'r': buf[o++] = '\r'; break;
        case 't': buf[o++] = '\t'; break;
        case 'b': buf[o++] = '\b'; break;
        case 'f': buf[o++] = '\f'; break;
        case '\r':
            if (i + 1 < n && s[i + 1] == '\n')
                i++;
            break; /* a backslash before an end-of-line continues the line */
        case '\n':
            break;
        default:
            if (c >= '0' && c <= '7') {
                unsigned v = (unsigned)(c - '0');
                for (int k = 0; k < 2 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
                    v = v * 8 + (unsigned)(s[++i] - '0');
                buf[o++] = (uint8_t)(v & 0xFF); /* high-order overflow is ignored, as the standard says */
            } else {
                buf[o++] = c; /* \( \) \\ and unknown escapes: the byte itself */
            }
        }
    }
    buf[o] = 0;
    *out = buf;
    *len = o;
    return VBSIG_OK;
}

int pdf_decode_hex(const pdf_lexer *lx, const pdf_token *tok, uint8_t **out, size_t *len)
{
    const uint8_t *s = lx->data + tok->start + 1;
    size_t n = tok->end - tok->start - 2, o = 0;
    uint8_t *buf = malloc(n / 2 + 2);
    if (buf == NULL)
        return nomem();
    int high = -1;
    for (size_t i = 0; i < n; i++) {
        int v = vbsig_hex_digit(s[i]);
        if (v < 0)
            continue; /* whitespace; the lexer refused anything else */
        if (high < 0) {
            high = v;
        } else {
            buf[o++] = (uint8_t)(high << 4 | v);
            high = -1;
        }
    }
    if (high >= 0)
        buf[o++] = (uint8_t)(high << 4); /* an odd final digit is followed by an implied 0 */
    buf[o] = 0;
    *out = buf;
    *len = o;
    return VBSIG_OK;
}

int pdf_decode_name(const pdf_lexer *lx, const pdf_token *tok, char **out, size_t *len)
{
    const uint8_t *s = lx->data + tok->start + 1;
    size_t n = tok->end - tok->start - 1, o = 0;
    char *buf = malloc(n + 1);
    if (buf == NULL)
        return nomem();
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '#') {
            int hi = i + 1 < n ? vbsig_hex_digit(s[i + 1]) : -1;
            int lo = i + 2 < n ? vbsig_hex_digit(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(buf);
                return vbsig_fail(VBSIG_E_MALFORMED, _("%s: bad #xx escape in a name at offset %zu"), lx->name,
                                  tok->start + 1 + i);
            }
            c = (uint8_t)(hi << 4 | lo);
            i += 2;
        }
        buf[o++] = (char)c;
    }
    buf[o] = 0;
    *out = buf;
    *len = o;
    return VBSIG_OK;
}
