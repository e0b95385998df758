/* A ToUnicode CMap read with the PDF lexer: the PostScript around the
 * mappings (dictionaries, procedure sets, def) is stepped over token by
 * token, and bytes the lexer refuses (the braces of a PostScript
 * procedure) are skipped one at a time, so a CMap is read as far as it
 * makes sense. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_cmap.h"
#include "pdf/pdf_internal.h"

#define LOOK_BACK 4096 /* maps a lookup looks at, at most */

void pdf_cmap_init(pdf_cmap *cm)
{
    memset(cm, 0, sizeof *cm);
}

void pdf_cmap_free(pdf_cmap *cm)
{
    free(cm->maps);
    free(cm->units);
    pdf_cmap_init(cm);
}

/* The bytes of a hex string token, at most cap (the rest ignored). */
static size_t hex_bytes(const pdf_lexer *lx, const pdf_token *t, uint8_t *buf, size_t cap)
{
    size_t o = 0;
    int high = -1;
    for (size_t i = t->start + 1; i + 1 < t->end && o < cap; i++) {
        int v = vbsig_hex_digit(lx->data[i]);
        if (v < 0)
            continue;
        if (high < 0) {
            high = v;
        } else {
            buf[o++] = (uint8_t)(high << 4 | v);
            high = -1;
        }
    }
    if (high >= 0 && o < cap)
        buf[o++] = (uint8_t)(high << 4);
    return o;
}

/* A source code: 1 to 4 bytes. */
static int code_of(const pdf_lexer *lx, const pdf_token *t, uint32_t *code, uint8_t *nbytes, uint8_t *bytes)
{
    uint8_t b[5];
    if (t->kind != PDF_TOK_HEXSTRING)
        return 0;
    size_t n = hex_bytes(lx, t, b, sizeof b);
    if (n == 0 || n > 4)
        return 0;
    *code = 0;
    for (size_t i = 0; i < n; i++)
        *code = *code << 8 | b[i];
    *nbytes = (uint8_t)n;
    if (bytes != NULL)
        memcpy(bytes, b, n);
    return 1;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return VBSIG_OK;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need)
        ncap *= 2;
    void *q = realloc(*p, ncap * size);
    if (q == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    *p = q;
    *cap = ncap;
    return VBSIG_OK;
}

/* Adds lo..hi -> the UTF-16BE destination bytes dst[0..n). Silently drops
 * what is past the bounds. */
static int add_map(pdf_cmap *cm, uint32_t lo, uint32_t hi, uint8_t nbytes, const uint8_t *dst, size_t n)
{
    size_t units = n / 2;
    if (units == 0 || units > PDF_CMAP_MAX_DEST_UNITS || cm->nmaps >= PDF_CMAP_MAX_MAPS ||
        cm->nunits + units > PDF_CMAP_MAX_UNITS || hi < lo)
        return VBSIG_OK;
    int rc = grow((void **)&cm->maps, &cm->maps_cap, cm->nmaps + 1, sizeof *cm->maps);
    if (rc == VBSIG_OK)
        rc = grow((void **)&cm->units, &cm->units_cap, cm->nunits + units, sizeof *cm->units);
    if (rc != VBSIG_OK)
        return rc;
    pdf_cmap_map *m = &cm->maps[cm->nmaps];
    m->lo = lo;
    m->hi = hi;
    m->nbytes = nbytes;
    m->count = (uint8_t)units;
    m->units = (uint32_t)cm->nunits;
    m->seq = (uint32_t)cm->nmaps;
    for (size_t i = 0; i < units; i++)
        cm->units[cm->nunits++] = (uint16_t)(dst[2 * i] << 8 | dst[2 * i + 1]);
    cm->nmaps++;
    return VBSIG_OK;
}

static void add_codespace(pdf_cmap *cm, const pdf_lexer *lx, const pdf_token *a, const pdf_token *b)
{
    pdf_codespace s;
    uint32_t lo, hi;
    uint8_t na, nb;
    if (cm->nspaces == PDF_CMAP_MAX_CODESPACES || !code_of(lx, a, &lo, &na, s.lo) || !code_of(lx, b, &hi, &nb, s.hi) ||
        na != nb)
        return;
    s.nbytes = na;
    cm->spaces[cm->nspaces++] = s;
}

/* A token, skipping bytes the lexer cannot read; 0 at the end. */
static int next(pdf_lexer *lx, pdf_token *t)
{
    while (pdf_lex_next(lx, t) != VBSIG_OK) {
        vbsig_error_clear();
        lx->pos++;
    }
    return t->kind != PDF_TOK_EOF;
}

/* <lo> <hi> [<d0> <d1> …]: one mapping per code. */
static int range_array(pdf_cmap *cm, pdf_lexer *lx, uint32_t lo, uint32_t hi, uint8_t nbytes)
{
    pdf_token t;
    uint8_t dst[2 * PDF_CMAP_MAX_DEST_UNITS];
    uint32_t code = lo;
    while (next(lx, &t) && t.kind != PDF_TOK_ARRAY_CLOSE) {
        if (t.kind != PDF_TOK_HEXSTRING)
            continue;
        size_t n = hex_bytes(lx, &t, dst, sizeof dst);
        if (code <= hi) {
            int rc = add_map(cm, code, code, nbytes, dst, n);
            if (rc != VBSIG_OK)
                return rc;
        }
        if (code < UINT32_MAX)
            code++;
    }
    return VBSIG_OK;
}

/* Sections: "n begincodespacerange … endcodespacerange" and the like. */
static int read_section(pdf_cmap *cm, pdf_lexer *lx, int kind)
{
    static const char *const ends[] = {"endcodespacerange", "endbfchar", "endbfrange"};
    pdf_token t[3];
    size_t have = 0, want = kind == 2 ? 3 : 2;
    uint8_t dst[2 * PDF_CMAP_MAX_DEST_UNITS];
    while (next(lx, &t[have])) {
        if (pdf_tok_is_keyword(lx, &t[have], ends[kind]))
            return VBSIG_OK;
        if (t[have].kind == PDF_TOK_KEYWORD) {
            lx->pos = t[have].start; /* a section cut short: the next one starts here */
            return VBSIG_OK;
        }
        if (kind == 2 && have == 2 && t[2].kind == PDF_TOK_ARRAY_OPEN) {
            uint32_t lo, hi;
            uint8_t na, nb;
            have = 0;
            if (code_of(lx, &t[0], &lo, &na, NULL) && code_of(lx, &t[1], &hi, &nb, NULL) && na == nb) {
                int rc = range_array(cm, lx, lo, hi, na);
                if (rc != VBSIG_OK)
                    return rc;
            }
            continue;
        }
        if (++have < want)
            continue;
        have = 0;
        uint32_t lo, hi;
        uint8_t na, nb;
        if (kind == 0) {
            add_codespace(cm, lx, &t[0], &t[1]);
            continue;
        }
        if (!code_of(lx, &t[0], &lo, &na, NULL))
            continue;
        hi = lo;
        nb = na;
        const pdf_token *d = &t[want - 1];
        if ((kind == 2 && !code_of(lx, &t[1], &hi, &nb, NULL)) || nb != na || d->kind != PDF_TOK_HEXSTRING)
            continue; /* bfchar to a glyph name: not Unicode, skipped */
        size_t n = hex_bytes(lx, d, dst, sizeof dst);
        int rc = add_map(cm, lo, hi, na, dst, n);
        if (rc != VBSIG_OK)
            return rc;
    }
    return VBSIG_OK;
}

static int map_cmp(const void *a, const void *b)
{
    const pdf_cmap_map *x = a, *y = b;
    if (x->nbytes != y->nbytes)
        return x->nbytes < y->nbytes ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int pdf_cmap_parse(pdf_cmap *cm, const uint8_t *data, size_t len)
{
    pdf_lexer lx;
    pdf_token t;
    pdf_lexer_init(&lx, data, len, 0, "CMap", 0);
    int rc = VBSIG_OK;
    while (rc == VBSIG_OK && next(&lx, &t)) {
        if (pdf_tok_is_keyword(&lx, &t, "begincodespacerange"))
            rc = read_section(cm, &lx, 0);
        else if (pdf_tok_is_keyword(&lx, &t, "beginbfchar"))
            rc = read_section(cm, &lx, 1);
        else if (pdf_tok_is_keyword(&lx, &t, "beginbfrange"))
            rc = read_section(cm, &lx, 2);
    }
    if (cm->nmaps > 1)
        qsort(cm->maps, cm->nmaps, sizeof *cm->maps, map_cmp);
    for (size_t i = 0; i < cm->nmaps; i++) {
        pdf_cmap_map *m = &cm->maps[i];
        m->reach = i > 0 && cm->maps[i - 1].nbytes == m->nbytes && cm->maps[i - 1].reach > m->hi ? cm->maps[i - 1].reach : m->hi;
    }
    return rc;
}

size_t pdf_cmap_code_length(const pdf_cmap *cm, const uint8_t *s, size_t n)
{
    for (size_t len = 1; len <= 4 && len <= n; len++)
        for (size_t i = 0; i < cm->nspaces; i++) {
            const pdf_codespace *c = &cm->spaces[i];
            if (c->nbytes != len)
                continue;
            size_t k = 0;
            while (k < len && s[k] >= c->lo[k] && s[k] <= c->hi[k])
                k++;
            if (k == len)
                return len;
        }
    return 0;
}

size_t pdf_utf16_to_cps(const uint16_t *u, size_t n, uint32_t *cps, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < cap; i++) {
        uint32_t c = u[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        cps[o++] = c;
    }
    return o;
}

/* The newest mapping of nbytes-byte codes that holds code, or NULL. */
static const pdf_cmap_map *find(const pdf_cmap *cm, uint32_t code, size_t nbytes)
{
    size_t lo = 0, hi = cm->nmaps;
    while (lo < hi) { /* first map ordered after (nbytes, code) */
        size_t mid = lo + (hi - lo) / 2;
        const pdf_cmap_map *m = &cm->maps[mid];
        if (m->nbytes < nbytes || (m->nbytes == nbytes && m->lo <= code))
            lo = mid + 1;
        else
            hi = mid;
    }
    const pdf_cmap_map *best = NULL;
    /* Back over the maps starting at or before code, as long as one of
     * them still reaches it; overlaps are rare, and hostile piles of them
     * are cut off (the code then stays unmapped). */
    for (size_t i = lo, seen = 0; i > 0 && seen < LOOK_BACK; i--, seen++) {
        const pdf_cmap_map *m = &cm->maps[i - 1];
        if (m->nbytes != nbytes || m->reach < code)
            break;
        if (code >= m->lo && code <= m->hi && (best == NULL || m->seq > best->seq))
            best = m;
    }
    return best;
}

int pdf_cmap_lookup(const pdf_cmap *cm, uint32_t code, size_t nbytes, uint32_t *cps, size_t cap, size_t *ncps)
{
    const pdf_cmap_map *m = find(cm, code, nbytes);
    for (size_t other = 1; m == NULL && other <= 4; other++)
        if (other != nbytes && (other == 4 || code >> (8 * other) == 0))
            m = find(cm, code, other);
    *ncps = 0;
    if (m == NULL)
        return 0;
    uint16_t u[PDF_CMAP_MAX_DEST_UNITS];
    memcpy(u, cm->units + m->units, m->count * sizeof *u);
    /* bfrange: the last unit counts up with the code */
    u[m->count - 1] = (uint16_t)(u[m->count - 1] + (code - m->lo));
    *ncps = pdf_utf16_to_cps(u, m->count, cps, cap);
    return 1;
}
