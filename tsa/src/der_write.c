/* A small DER writer for the token builder. Structures are built inside
 * out: the content first, then tsa_der_wrap() puts the tag and length in
 * front. Sizes here are a few KiB at most (a token with its chain). */
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

static int grow(tsa_der *d, size_t extra)
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

void tsa_der_free(tsa_der *d)
{
    free(d->p);
    memset(d, 0, sizeof *d);
}

void tsa_der_put(tsa_der *d, const void *p, size_t n)
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

void tsa_der_tlv(tsa_der *d, uint8_t tag, const void *content, size_t n)
{
    uint8_t h[10];
    size_t hn = header(tag, n, h);
    tsa_der_put(d, h, hn);
    tsa_der_put(d, content, n);
}

void tsa_der_wrap(tsa_der *d, uint8_t tag)
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

void tsa_der_uint(tsa_der *d, uint8_t tag, uint64_t v)
{
    uint8_t b[9];
    size_t n = 0;
    do {
        b[8 - n++] = (uint8_t)(v & 0xff);
        v >>= 8;
    } while (v > 0);
    if (b[9 - n] & 0x80) /* keep it positive */
        b[8 - n++] = 0;
    tsa_der_tlv(d, tag, b + 9 - n, n);
}

void tsa_der_append(tsa_der *d, const tsa_der *other)
{
    if (other->failed)
        d->failed = 1;
    else
        tsa_der_put(d, other->p, other->len);
}
