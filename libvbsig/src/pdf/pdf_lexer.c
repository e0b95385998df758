/* PDF tokens (ISO 32000-1 §7.2, §7.3): where each one starts and ends. The
 * decoding of strings and names is in pdf_token_decode.c. */
#include <math.h>
#include <string.h>

#include "pdf/pdf_internal.h"

/* Longest number token taken seriously: real files never come close, and
 * a bound keeps the digit loop from meaning anything for hostile input. */
#define PDF_NUMBER_MAX_CHARS 64

void pdf_lexer_init(pdf_lexer *lx, const uint8_t *data, size_t len, size_t pos, const char *name, int in_file)
{
    lx->data = data;
    lx->len = len;
    lx->pos = pos <= len ? pos : len;
    lx->name = name;
    lx->in_file = in_file;
}

int pdf_is_space(uint8_t c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

int pdf_is_delim(uint8_t c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == '/' || c == '%';
}

void pdf_skip_space(pdf_lexer *lx)
{
    while (lx->pos < lx->len) {
        uint8_t c = lx->data[lx->pos];
        if (pdf_is_space(c)) {
            lx->pos++;
        } else if (c == '%') {
            while (lx->pos < lx->len && lx->data[lx->pos] != '\r' && lx->data[lx->pos] != '\n')
                lx->pos++;
        } else {
            break;
        }
    }
}

static int lex_fail(const pdf_lexer *lx, size_t at, const char *what)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: %s at offset %zu"), lx->name, what, at);
}

/* Literal strings nest balanced parentheses; a backslash hides the next
 * byte from the count. */
static int scan_literal(pdf_lexer *lx, pdf_token *tok)
{
    size_t depth = 1, p = lx->pos + 1;
    while (p < lx->len) {
        uint8_t c = lx->data[p++];
        if (c == '\\') {
            if (p < lx->len)
                p++;
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0) {
                tok->kind = PDF_TOK_STRING;
                tok->end = p;
                lx->pos = p;
                return VBSIG_OK;
            }
        }
    }
    return lex_fail(lx, tok->start, _("unterminated literal string"));
}

static int scan_hex(pdf_lexer *lx, pdf_token *tok)
{
    size_t p = lx->pos + 1;
    while (p < lx->len) {
        uint8_t c = lx->data[p];
        if (c == '>') {
            tok->kind = PDF_TOK_HEXSTRING;
            tok->end = p + 1;
            lx->pos = p + 1;
            return VBSIG_OK;
        }
        if (!pdf_is_space(c) && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return lex_fail(lx, p, _("bad character in a hex string"));
        p++;
    }
    return lex_fail(lx, tok->start, _("unterminated hex string"));
}

static size_t regular_run_end(const pdf_lexer *lx, size_t p)
{
    while (p < lx->len && !pdf_is_space(lx->data[p]) && !pdf_is_delim(lx->data[p]))
        p++;
    return p;
}

/* Integers ([+-]digits) and reals ([+-]digits.digits, .5, 5.). Anything
 * else that starts like a number is malformed, not a keyword. */
static int scan_number(pdf_lexer *lx, pdf_token *tok, size_t end)
{
    const uint8_t *s = lx->data + tok->start;
    size_t n = end - tok->start, i = 0;
    if (n > PDF_NUMBER_MAX_CHARS)
        return lex_fail(lx, tok->start, _("number too long"));
    int neg = 0, dot = 0, digits = 0;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i = 1;
    }
    uint64_t ival = 0, mant = 0;
    int overflow = 0, mant_exact = 1, frac_digits = 0;
    double rval = 0, scale = 1;
    for (; i < n; i++) {
        if (s[i] == '.') {
            if (dot)
                return lex_fail(lx, tok->start, _("malformed number"));
            dot = 1;
        } else if (s[i] >= '0' && s[i] <= '9') {
            unsigned d = (unsigned)(s[i] - '0');
            digits++;
            if (mant > (UINT64_MAX - d) / 10)
                mant_exact = 0;
            else
                mant = mant * 10 + d;
            frac_digits += dot;
            if (dot) {
                scale /= 10;
                rval += d * scale;
            } else {
                rval = rval * 10 + d;
                if (ival > (UINT64_MAX - d) / 10)
                    overflow = 1;
                else
                    ival = ival * 10 + d;
            }
        } else {
            return lex_fail(lx, tok->start, _("malformed number"));
        }
    }
    if (digits == 0)
        return lex_fail(lx, tok->start, _("malformed number"));
    lx->pos = end;
    tok->end = end;
    if (dot) {
        tok->kind = PDF_TOK_REAL;
        /* Digits and a power of ten that doubles hold exactly give the
         * correctly rounded value (one IEEE division), the one strtod and
         * other readers get; a signer that writes the object back must
         * write the number the file had (pdf_writer.c), or a signature
         * over the earlier revision sees a changed /MediaBox. */
        static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        if (mant_exact && mant < (UINT64_C(1) << 53) && frac_digits <= 22)
            rval = (double)mant / pow10[frac_digits];
        tok->real = neg ? -rval : rval;
        if (!isfinite(tok->real))
            return lex_fail(lx, tok->start, _("number out of range"));
        return VBSIG_OK;
    }
    if (overflow || ival > (uint64_t)INT64_MAX) {
        /* Too large for 64 bits: read as a real, as poppler does, so that
         * whoever needs an integer here (a /ByteRange, an offset, an
         * object number) refuses it by name instead of the whole file. */
        tok->kind = PDF_TOK_REAL;
        tok->real = neg ? -rval : rval;
        if (!isfinite(tok->real))
            return lex_fail(lx, tok->start, _("number out of range"));
        return VBSIG_OK;
    }
    tok->kind = PDF_TOK_INT;
    tok->integer = neg ? -(int64_t)ival : (int64_t)ival;
    return VBSIG_OK;
}

int pdf_lex_next(pdf_lexer *lx, pdf_token *tok)
{
    memset(tok, 0, sizeof *tok);
    pdf_skip_space(lx);
    tok->start = lx->pos;
    if (lx->pos >= lx->len) {
        tok->kind = PDF_TOK_EOF;
        tok->end = lx->pos;
        return VBSIG_OK;
    }
    uint8_t c = lx->data[lx->pos];
    uint8_t next = lx->pos + 1 < lx->len ? lx->data[lx->pos + 1] : 0;
    switch (c) {
    case '(':
        return scan_literal(lx, tok);
    case '<':
        if (next == '<') {
            tok->kind = PDF_TOK_DICT_OPEN;
            lx->pos += 2;
            tok->end = lx->pos;
            return VBSIG_OK;
        }
        return scan_hex(lx, tok);
    case '>':
        if (next != '>')
            return lex_fail(lx, lx->pos, _("stray '>'"));
        tok->kind = PDF_TOK_DICT_CLOSE;
        lx->pos += 2;
        tok->end = lx->pos;
        return VBSIG_OK;
    case '[':
    case ']':
        tok->kind = c == '[' ? PDF_TOK_ARRAY_OPEN : PDF_TOK_ARRAY_CLOSE;
        tok->end = ++lx->pos;
        return VBSIG_OK;
    case '/':
        tok->kind = PDF_TOK_NAME;
        tok->end = regular_run_end(lx, lx->pos + 1);
        lx->pos = tok->end;
        return VBSIG_OK;
    case ')':
    case '{':
    case '}':
        return lex_fail(lx, lx->pos, _("unexpected delimiter"));
    default:
        break;
    }
    size_t end = regular_run_end(lx, lx->pos);
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
        return scan_number(lx, tok, end);
    tok->kind = PDF_TOK_KEYWORD;
    tok->end = end;
    lx->pos = end;
    return VBSIG_OK;
}

int pdf_lex_peek(pdf_lexer *lx, pdf_token *tok)
{
    size_t save = lx->pos;
    int rc = pdf_lex_next(lx, tok);
    lx->pos = save;
    return rc;
}

int pdf_tok_is_keyword(const pdf_lexer *lx, const pdf_token *tok, const char *kw)
{
    size_t n = strlen(kw);
    return tok->kind == PDF_TOK_KEYWORD && tok->end - tok->start == n && memcmp(lx->data + tok->start, kw, n) == 0;
}
