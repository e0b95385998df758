/* The CMS inside /Contents: a hex string padded with zeros after the
 * signature. The element's own length decides where the signature ends
 * (NSS writes BER with indefinite lengths, so a DER-only walk is not
 * enough); what follows must be padding, never hidden data. */
#include <string.h>
#include <time.h>

#include "pades/pades_verify_priv.h"

#define BER_MAX_DEPTH 64

/* Reads one element at p[0..n); returns its total length or 0. */
static size_t ber_element(const uint8_t *p, size_t n, unsigned depth)
{
    if (depth > BER_MAX_DEPTH || n < 2)
        return 0;
    size_t i = 1;
    if ((p[0] & 0x1f) == 0x1f) { /* high tag number: base-128 digits */
        while (i < n && i < 6 && (p[i] & 0x80))
            i++;
        if (i >= n || (p[i] & 0x80))
            return 0;
        i++;
    }
    if (i >= n)
        return 0;
    uint8_t l = p[i++];
    if (l == 0x80) { /* indefinite: children up to the end-of-contents octets */
        if (!(p[0] & 0x20))
            return 0;
        for (;;) {
            if (n - i >= 2 && p[i] == 0 && p[i + 1] == 0)
                return i + 2;
            size_t child = ber_element(p + i, n - i, depth + 1);
            if (child == 0)
                return 0;
            i += child;
        }
    }
    size_t body = l;
    if (l & 0x80) {
        unsigned k = l & 0x7f;
        if (k == 0 || k > sizeof(size_t) || n - i < k)
            return 0;
        body = 0;
        for (unsigned j = 0; j < k; j++)
            body = (body << 8) | p[i++];
    }
    if (body > n - i)
        return 0;
    return i + body;
}

int vbsig_pades_contents_length(const uint8_t *p, size_t n, size_t *len)
{
    if (n == 0 || p[0] != 0x30) /* a ContentInfo is a SEQUENCE; zeros are an unused placeholder */
        return 0;
    size_t el = ber_element(p, n, 0);
    if (el == 0)
        return 0;
    for (size_t i = el; i < n; i++)
        if (p[i] != 0)
            return 0;
    *len = el;
    return 1;
}

static int digits(const uint8_t *s, size_t n, size_t at, size_t count, int *out)
{
    int v = 0;
    for (size_t i = 0; i < count; i++) {
        if (at + i >= n || s[at + i] < '0' || s[at + i] > '9')
            return 0;
        v = v * 10 + (s[at + i] - '0');
    }
    *out = v;
    return 1;
}

time_t vbsig_pades_parse_date(const uint8_t *s, size_t n)
{
    size_t at = n >= 2 && s[0] == 'D' && s[1] == ':' ? 2 : 0;
    int y, mo = 1, d = 1, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
    if (!digits(s, n, at, 4, &y))
        return 0;
    at += 4;
    int *parts[] = {&mo, &d, &h, &mi, &sec};
    for (size_t k = 0; k < 5 && at < n && s[at] >= '0' && s[at] <= '9'; k++, at += 2)
        if (!digits(s, n, at, 2, parts[k]))
            return 0;
    int sign = 0;
    if (at < n && (s[at] == '+' || s[at] == '-')) {
        sign = s[at] == '+' ? 1 : -1;
        at++;
        if (digits(s, n, at, 2, &oh)) {
            at += 2;
            if (at < n && s[at] == '\'')
                at++;
            if (!digits(s, n, at, 2, &om))
                om = 0;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return 0;
    time_t t = vbsig_time_from_utc_fields(y, mo, d, h, mi, sec);
    return t - (time_t)sign * (oh * 3600 + om * 60);
}
