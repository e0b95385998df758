/* Serialising PDF objects for an incremental update. Only direct objects
 * are written here: the update never rewrites a stream. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pades/pades.h"

static int name_char_plain(uint8_t c)
{
    if (c < 0x21 || c > 0x7e || c == '#')
        return 0;
    return strchr("()<>[]{}/%", c) == NULL;
}

int pdfw_name(vbsig_bytes *b, const char *name, size_t len)
{
    int rc = vbsig_bytes_append(b, "/", 1);
    for (size_t i = 0; rc == VBSIG_OK && i < len; i++) {
        uint8_t c = (uint8_t)name[i];
        if (name_char_plain(c))
            rc = vbsig_bytes_append(b, &c, 1);
        else
            rc = vbsig_bytes_printf(b, "#%02X", c);
    }
    return rc;
}

int pdfw_hex_string(vbsig_bytes *b, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    if (n > (SIZE_MAX - 2) / 2)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = vbsig_bytes_reserve(b, 2 * n + 2);
    if (rc != VBSIG_OK)
        return rc;
    b->data[b->len++] = '<';
    for (size_t i = 0; i < n; i++) {
        b->data[b->len++] = (uint8_t)digits[p[i] >> 4];
        b->data[b->len++] = (uint8_t)digits[p[i] & 15];
    }
    b->data[b->len++] = '>';
    return VBSIG_OK;
}

/* The value a reader gets from the decimal text s (digits, one '.'), read
 * as pdf_lexer.c reads it: exactly when digits and scale fit a double. */
static int reads_back_as(const char *s, double v)
{
    uint64_t mant = 0;
    int frac = -1, neg = *s == '-';
    for (const char *p = s + neg; *p; p++) {
        if (*p == '.') {
            frac = 0;
            continue;
        }
        if (mant > (UINT64_C(1) << 53) / 10)
            return 0;
        mant = mant * 10 + (uint64_t)(*p - '0');
        if (frac >= 0)
            frac++;
    }
    static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (mant >= (UINT64_C(1) << 53) || frac > 22)
        return 0;
    double r = (double)mant / pow10[frac < 0 ? 0 : frac];
    return (neg ? -r : r) == v;
}

/* A real without exponent notation, which PDF does not have, with the
 * fewest decimals that read back as the same number: a number parsed from
 * the file is written as the file had it (595.303937007874 stays that, not
 * 595.303937), so rewriting an object changes none of its values. */
static int write_real(vbsig_bytes *b, double v)
{
    if (!isfinite(v))
        return vbsig_fail(VBSIG_E_MALFORMED, _("a real number to be written is not finite"));
    char tmp[400];
    int n = 0;
    for (int prec = 0; prec <= 22; prec++) {
        n = snprintf(tmp, sizeof tmp, "%.*f", prec, v);
        if (n <= 0 || (size_t)n >= sizeof tmp)
            return vbsig_fail(VBSIG_E_LIMIT, _("a real number is too large to write"));
        for (char *c = tmp; *c; c++)
            if (*c == ',')
                *c = '.'; /* a decimal comma from the caller's LC_NUMERIC */
        if (reads_back_as(tmp, v))
            break;
        if (prec == 22) /* beyond what a double holds exactly: six decimals, as PDF readers keep */
            n = snprintf(tmp, sizeof tmp, "%.6f", v);
    }
    for (char *c = tmp; *c; c++)
        if (*c == ',')
            *c = '.';
    if (strchr(tmp, '.') != NULL) {
        while (n > 1 && tmp[n - 1] == '0')
            tmp[--n] = '\0';
        if (tmp[n - 1] == '.')
            tmp[--n] = '\0';
    }
    if (strcmp(tmp, "-0") == 0)
        return vbsig_bytes_append(b, "0", 1);
    return vbsig_bytes_append(b, tmp, (size_t)n);
}

int pdfw_array_items(vbsig_bytes *b, const vbsig_pdf_obj *array)
{
    int rc = VBSIG_OK;
    for (size_t i = 0; rc == VBSIG_OK && i < array->u.array.count; i++) {
        rc = vbsig_bytes_append(b, " ", 1);
        if (rc == VBSIG_OK)
            rc = pdfw_obj(b, array->u.array.items[i]);
    }
    return rc;
}

static int in_list(const char *key, const char *const *skip)
{
    for (size_t i = 0; skip != NULL && skip[i] != NULL; i++)
        if (strcmp(skip[i], key) == 0)
            return 1;
    return 0;
}

int pdfw_dict_items(vbsig_bytes *b, const vbsig_pdf_obj *dict, const char *const *skip)
{
    int rc = VBSIG_OK;
    for (size_t i = 0; rc == VBSIG_OK && i < dict->u.dict.count; i++) {
        const vbsig_pdf_dict_item *it = &dict->u.dict.items[i];
        if (in_list(it->key, skip))
            continue;
        rc = vbsig_bytes_append(b, " ", 1);
        if (rc == VBSIG_OK)
            rc = pdfw_name(b, it->key, strlen(it->key));
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append(b, " ", 1);
        if (rc == VBSIG_OK)
            rc = pdfw_obj(b, it->value);
    }
    return rc;
}

int pdfw_obj(vbsig_bytes *b, const vbsig_pdf_obj *o)
{
    int rc;
    switch (o->type) {
    case VBSIG_PDF_NULL: return vbsig_bytes_append_str(b, "null");
    case VBSIG_PDF_BOOL: return vbsig_bytes_append_str(b, o->u.boolean ? "true" : "false");
    case VBSIG_PDF_INT: return vbsig_bytes_printf(b, "%lld", (long long)o->u.integer);
    case VBSIG_PDF_REAL: return write_real(b, o->u.real);
    case VBSIG_PDF_STRING: return pdfw_hex_string(b, o->u.string.data, o->u.string.len);
    case VBSIG_PDF_NAME: return pdfw_name(b, o->u.name.text, o->u.name.len);
    case VBSIG_PDF_REF: return vbsig_bytes_printf(b, "%u %u R", (unsigned)o->u.ref.num, (unsigned)o->u.ref.gen);
    case VBSIG_PDF_ARRAY:
        rc = vbsig_bytes_append(b, "[", 1);
        if (rc == VBSIG_OK)
            rc = pdfw_array_items(b, o);
        return rc == VBSIG_OK ? vbsig_bytes_append(b, " ]", 2) : rc;
    case VBSIG_PDF_DICT:
        rc = vbsig_bytes_append(b, "<<", 2);
        if (rc == VBSIG_OK)
            rc = pdfw_dict_items(b, o, NULL);
        return rc == VBSIG_OK ? vbsig_bytes_append(b, " >>", 3) : rc;
    case VBSIG_PDF_STREAM:
    default:
        return vbsig_fail(VBSIG_E_INTERNAL, _("a stream cannot be written as a direct object"));
    }
}

/* Decodes one UTF-8 sequence at s[*i]; -1 when it is not well-formed
 * (overlong forms, surrogates and values past U+10FFFF included). */
static long utf8_next(const uint8_t *s, size_t n, size_t *i)
{
    uint8_t c = s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    int extra = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? (c <= 0xef ? 2 : -1) : c >= 0xc2 ? 1 : -1;
    if (extra < 0 || *i + (size_t)extra >= n)
        return -1;
    long v = c & (0x3f >> extra);
    for (int k = 1; k <= extra; k++) {
        uint8_t d = s[*i + (size_t)k];
        if ((d & 0xc0) != 0x80)
            return -1;
        v = (v << 6) | (d & 0x3f);
    }
    static const long min_for[4] = {0, 0x80, 0x800, 0x10000};
    if (v < min_for[extra] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return -1;
    *i += (size_t)extra + 1;
    return v;
}

int pdfw_text_string(vbsig_bytes *b, const char *utf8, const char *what)
{
    const uint8_t *s = (const uint8_t *)utf8;
    size_t n = strlen(utf8);
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            ascii = 0;
    if (ascii) {
        int rc = vbsig_bytes_append(b, "(", 1);
        for (size_t i = 0; rc == VBSIG_OK && i < n; i++) {
            if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
                rc = vbsig_bytes_append(b, "\\", 1);
            if (rc == VBSIG_OK)
                rc = vbsig_bytes_append(b, &s[i], 1);
        }
        return rc == VBSIG_OK ? vbsig_bytes_append(b, ")", 1) : rc;
    }
    vbsig_bytes u16;
    vbsig_bytes_init(&u16);
    int rc = vbsig_bytes_append(&u16, "\xfe\xff", 2);
    for (size_t i = 0; rc == VBSIG_OK && i < n;) {
        long v = utf8_next(s, n, &i);
        if (v < 0) {
            rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("%s is not valid UTF-8 text"), what);
            break;
        }
        uint8_t unit[4];
        size_t k = 0;
        if (v >= 0x10000) {
            long w = v - 0x10000, hi = 0xd800 + (w >> 10), lo = 0xdc00 + (w & 0x3ff);
            unit[k++] = (uint8_t)(hi >> 8), unit[k++] = (uint8_t)hi;
            unit[k++] = (uint8_t)(lo >> 8), unit[k++] = (uint8_t)lo;
        } else {
            unit[k++] = (uint8_t)(v >> 8), unit[k++] = (uint8_t)v;
        }
        rc = vbsig_bytes_append(&u16, unit, k);
    }
    if (rc == VBSIG_OK)
        rc = pdfw_hex_string(b, u16.data, u16.len);
    vbsig_bytes_free(&u16);
    return rc;
}

int pdfw_date(vbsig_bytes *b, time_t t)
{
    time_t local = t + (time_t)VBSIG_TZ_VIETNAM_MINUTES * 60;
    struct tm tm;
    if (gmtime_r(&local, &tm) == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the signing time cannot be represented"));
    return vbsig_bytes_printf(b, "(D:%04d%02d%02d%02d%02d%02d+07'00')", tm.tm_year + 1900, tm.tm_mon + 1,
                              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
