/* The /ToUnicode CMap of an embedded text-stamp font: what each CID
 * stands for, so pdftotext and viewers' search get the text back. */
#include <stdlib.h>
#include <string.h>

#include "appearance/text_font.h"
#include "vbsig/status.h"

uint32_t vbsig__utf8_decode(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t at = *i;
    unsigned c = s[at];
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (k == 0 || k > len - at) {
        *i = at + 1;
        return 0xFFFD;
    }
    uint32_t cp = k == 1 ? c : k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
    for (size_t j = 1; j < k; j++) {
        if ((s[at + j] & 0xC0) != 0x80) {
            *i = at + 1;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[at + j] & 0x3F);
    }
    *i = at + k;
    return cp;
}

struct entry {
    vbsig__cid_text t;
    size_t idx; /* the position in the caller's array: the first mapping wins */
};

static int by_cid(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->t.cid != y->t.cid)
        return x->t.cid < y->t.cid ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The UTF-16BE hex of a text, surrogate pairs above U+FFFF. */
static int put_utf16_hex(vbsig_bytes *out, const char *s, size_t len)
{
    int rc = VBSIG_OK;
    for (size_t i = 0; i < len && rc == VBSIG_OK;) {
        uint32_t cp = vbsig__utf8_decode(s, len, &i);
        if (cp > 0xFFFF) {
            cp -= 0x10000;
            rc = vbsig_bytes_printf(out, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)), (unsigned)(0xDC00 + (cp & 0x3FF)));
        } else {
            rc = vbsig_bytes_printf(out, "%04X", (unsigned)cp);
        }
    }
    return rc;
}

int vbsig__tounicode_cmap(const vbsig__cid_text *m, size_t n, vbsig_bytes *out)
{
    /* A sorted copy, duplicates and empty texts dropped; qsort is not
     * stable, hence the index in the key. */
    struct entry *v = malloc((n ? n : 1) * sizeof *v);
    if (v == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].len > 0 && m[i].cid <= 0xFFFF) {
            v[k].t = m[i];
            v[k++].idx = i;
        }
    qsort(v, k, sizeof *v, by_cid);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || v[u - 1].t.cid != v[i].t.cid)
            v[u++] = v[i];

    int rc = vbsig_bytes_append_str(out, "/CIDInit /ProcSet findresource begin\n"
                                         "12 dict begin\n"
                                         "begincmap\n"
                                         "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                                         "/CMapName /Adobe-Identity-UCS def\n"
                                         "/CMapType 2 def\n"
                                         "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* At most 100 entries per bfchar block (PDF 9.10.3, the CMap syntax). */
    for (size_t i = 0; i < u && rc == VBSIG_OK; i += 100) {
        size_t cnt = u - i < 100 ? u - i : 100;
        rc = vbsig_bytes_printf(out, "%zu beginbfchar\n", cnt);
        for (size_t j = i; j < i + cnt && rc == VBSIG_OK; j++) {
            rc = vbsig_bytes_printf(out, "<%04X> <", (unsigned)v[j].t.cid);
            if (rc == VBSIG_OK)
                rc = put_utf16_hex(out, v[j].t.utf8, v[j].t.len);
            if (rc == VBSIG_OK)
                rc = vbsig_bytes_append_str(out, ">\n");
        }
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(out, "endbfchar\n");
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(out, "endcmap\n"
                                         "CMapName currentdict /CMap defineresource pop\n"
                                         "end\n"
                                         "end\n");
    free(v);
    return rc == VBSIG_OK ? rc : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}
