/* NFC in three steps, as UAX #15 defines it: full canonical decomposition
 * (by reversing the composition table, recursively), canonical ordering of
 * combining marks (a stable sort by combining class), then composition of
 * each starter with the marks that follow it and are not blocked. */
#include <stdlib.h>
#include <string.h>

#include "util/unicode_nfc.h"
#include "util/unicode_nfc_table.h"

#define NPAIRS (sizeof nfc_pairs / sizeof nfc_pairs[0])
#define NCLASSES (sizeof nfc_classes / sizeof nfc_classes[0])
/* A letter decomposes into at most a base and 3 marks here (ậ: a, ̣, ̂). */
#define MAX_DECOMP 8

static uint8_t ccc(uint32_t cp)
{
    size_t lo = 0, hi = NCLASSES;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nfc_classes[mid].mark == cp)
            return nfc_classes[mid].ccc;
        if (nfc_classes[mid].mark < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The pair composing to cp (the table is sorted by base, not by result:
 * linear, over ~600 entries, only for letters of the covered blocks). */
static const struct nfc_pair *decomposition(uint32_t cp)
{
    if (!((cp >= 0xC0 && cp < 0x250) || (cp >= 0x1E00 && cp < 0x1F00)))
        return NULL;
    for (size_t i = 0; i < NPAIRS; i++)
        if (nfc_pairs[i].composed == cp)
            return &nfc_pairs[i];
    return NULL;
}

static uint32_t compose(uint32_t base, uint32_t mark)
{
    size_t lo = 0, hi = NPAIRS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct nfc_pair *p = &nfc_pairs[mid];
        if (p->base == base && p->mark == mark)
            return p->composed;
        if (p->base < base || (p->base == base && p->mark < mark))
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* cp fully decomposed into out (at most MAX_DECOMP); returns the count. */
static size_t decompose(uint32_t cp, uint32_t *out)
{
    uint32_t marks[MAX_DECOMP];
    size_t nm = 0;
    const struct nfc_pair *p;
    while (nm < MAX_DECOMP - 1 && (p = decomposition(cp)) != NULL) {
        marks[nm++] = p->mark;
        cp = p->base;
    }
    out[0] = cp;
    for (size_t i = 0; i < nm; i++)
        out[1 + i] = marks[nm - 1 - i];
    return nm + 1;
}

size_t vbsig_nfc_cps(uint32_t *cps, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        /* One starter (or a leading mark) and the marks after it. */
        uint32_t seg[64];
        size_t ns = decompose(cps[i++], seg);
        while (i < n && ns + MAX_DECOMP <= sizeof seg / sizeof seg[0]) {
            uint32_t d[MAX_DECOMP];
            size_t nd = decompose(cps[i], d);
            if (ccc(d[0]) == 0)
                break;
            memcpy(seg + ns, d, nd * sizeof *d);
            ns += nd;
            i++;
        }
        /* canonical order: insertion sort by class, stable */
        for (size_t a = 2; a < ns; a++)
            for (size_t b = a; b > 1 && ccc(seg[b - 1]) > ccc(seg[b]); b--) {
                uint32_t t = seg[b];
                seg[b] = seg[b - 1];
                seg[b - 1] = t;
            }
        /* compose the marks not blocked from the starter */
        uint32_t starter = seg[0];
        size_t kept = 0;
        uint32_t rest[64];
        int last_ccc = -1;
        for (size_t k = 1; k < ns; k++) {
            int c = ccc(seg[k]);
            uint32_t comp = ccc(starter) == 0 && (last_ccc < 0 || last_ccc < c) ? compose(starter, seg[k]) : 0;
            if (comp != 0 && c != 0) {
                starter = comp;
            } else {
                rest[kept++] = seg[k];
                last_ccc = c;
            }
        }
        cps[o++] = starter;
        for (size_t k = 0; k < kept; k++)
            cps[o++] = rest[k];
    }
    return o;
}

size_t vbsig_utf8_put(uint32_t cp, char *out)
{
    unsigned char *p = (unsigned char *)out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        cp = 0xFFFD;
    if (cp < 0x80) {
        p[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (unsigned char)(0xC0 | cp >> 6);
        p[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (unsigned char)(0xE0 | cp >> 12);
        p[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        p[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (unsigned char)(0xF0 | cp >> 18);
    p[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    p[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    p[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One code point from UTF-8 (U+FFFD and one byte for an invalid one). */
static uint32_t utf8_get(const unsigned char *s, size_t n, size_t *used)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    *used = 1;
    if (len == 1)
        return c;
    if (len == 0 || len > n)
        return 0xFFFD;
    uint32_t cp = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        return 0xFFFD;
    *used = len;
    return cp;
}

char *vbsig_nfc_utf8(const char *s, size_t len, size_t *out_len)
{
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    if (cps == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t used;
        cps[n++] = utf8_get((const unsigned char *)s + i, len - i, &used);
        i += used;
    }
    n = vbsig_nfc_cps(cps, n);
    char *out = malloc(4 * n + 1);
    if (out != NULL) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++)
            o += vbsig_utf8_put(cps[i], out + o);
        out[o] = 0;
        if (out_len != NULL)
            *out_len = o;
    }
    free(cps);
    return out;
}
