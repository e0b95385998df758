/* A small DER writer for the timestamp token builder. Sizes here are a
 * few KiB at most (a token with its chain), so one growing buffer and a
 * memmove per wrap cost less than computing lengths ahead. */
#include <stdlib.h>
#include <string.h>

#include "tsp/issue.h"

static int grow(vbsig_der_out *d, size_t extra)
{
    if (d->failed)
        return 0;
    if (extra > SIZE_MAX / 2 - d->len) {
        d->failed = 1;
        return 0;
    }
    size_t need = d->len + extra;
    if (need <= d->cap)
        return 1;
    size_t cap = d->cap != 0 ? d->cap : 256;
    while (cap < need)
        cap *= 2;
    uint8_t *p = realloc(d->p, cap);
    if (p == NULL) {
        d->failed = 1;
        return 0;
    }
    d->p = p;
    d->cap = cap;
    return 1;
}

void vbsig__der_out_free(vbsig_der_out *d)
{
    free(d->p);
    memset(d, 0, sizeof *d);
}

void vbsig__der_out_put(vbsig_der_out *d, const void *p, size_t n)
{
    if (n == 0 || !grow(d, n))
        return;
    memcpy(d->p + d->len, p, n);
    d->len += n;
}

static size_t header(uint8_t tag, size_t len, uint8_t out[10])
{
    out[0] = tag;
    if (len < 0x80) {
        out[1] = (uint8_t)len;
        return 2;
    }
    uint8_t tmp[sizeof(size_t)];
    size_t k = 0;
    while (len > 0) {
        tmp[k++] = (uint8_t)(len & 0xff);
        len >>= 8;
    }
    out[1] = (uint8_t)(0x80 | k);
    for (size_t i = 0; i < k; i++)
        out[2 + i] = tmp[k - 1 - i];
    return 2 + k;
}

void vbsig__der_out_tlv(vbsig_der_out *d, uint8_t tag, const void *content, size_t n)
{
    uint8_t h[10];
    size_t hn = header(tag, n, h);
    vbsig__der_out_put(d, h, hn);
    vbsig__der_out_put(d, content, n);
}

void vbsig__der_out_wrap(vbsig_der_out *d, uint8_t tag)
{
    if (d->failed)
        return;
    uint8_t h[10];
    size_t hn = header(tag, d->len, h);
    if (!grow(d, hn))
        return;
    memmove(d->p + hn, d->p, d->len);
    memcpy(d->p, h, hn);
    d->len += hn;
}

void vbsig__der_out_uint(vbsig_der_out *d, uint8_t tag, uint64_t v)
{
    uint8_t b[9];
    size_t n = 0;
    do {
        b[8 - n++] = (uint8_t)(v & 0xff);
        v >>= 8;
    } while (v > 0);
    if (b[9 - n] & 0x80) /* keep it positive */
        b[8 - n++] = 0;
    vbsig__der_out_tlv(d, tag, b + 9 - n, n);
}

void vbsig__der_out_append(vbsig_der_out *d, const vbsig_der_out *other)
{
    if (other->failed)
        d->failed = 1;
    else
        vbsig__der_out_put(d, other->p, other->len);
}
