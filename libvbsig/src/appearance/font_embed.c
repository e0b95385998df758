/* A text stamp's font in the PDF: Type0 (Identity-H) over a CIDFontType2
 * whose CIDs are the subset's glyph ids, with /W widths, the subset as
 * /FontFile2 and a /ToUnicode CMap. Also the TJ operators that show a
 * shaped line with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appearance/text_font_priv.h"
#include "vbsig/status.h"

/* The six-letter subset tag ("ABCDEF+", PDF 9.6.4) from the subset's
 * bytes: different subsets get different tags, one subset always the same. */
static void subset_tag(const vbsig_bytes *file, char tag[7])
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < file->len; i++) {
        h ^= file->data[i];
        h *= 0x100000001b3ull;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

static int collect_glyphs(const vbsig__glyph_run *runs, size_t nruns, uint32_t **gids, size_t *n)
{
    size_t total = 0;
    for (size_t r = 0; r < nruns; r++)
        total += runs[r].n;
    *gids = malloc((total ? total : 1) * sizeof **gids);
    if (*gids == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (size_t r = 0; r < nruns; r++)
        for (size_t i = 0; i < runs[r].n; i++)
            (*gids)[k++] = runs[r].g[i].gid;
    *n = k;
    return VBSIG_OK;
}

static int build_cmap(const vbsig__font_subset *sub, const vbsig__glyph_run *runs, size_t nruns, vbsig_bytes *cmap)
{
    size_t total = 0;
    for (size_t r = 0; r < nruns; r++)
        total += runs[r].n;
    vbsig__cid_text *m = malloc((total ? total : 1) * sizeof *m);
    if (m == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t k = 0;
    for (size_t r = 0; r < nruns; r++)
        for (size_t i = 0; i < runs[r].n; i++) {
            const vbsig__shaped_glyph *g = &runs[r].g[i];
            m[k].cid = vbsig__font_subset_cid(sub, g->gid);
            m[k].utf8 = runs[r].text + g->text_off;
            m[k].len = g->text_len;
            k++;
        }
    int rc = vbsig__tounicode_cmap(m, k, cmap);
    free(m);
    return rc;
}

static int widths_array(const vbsig__font_subset *sub, vbsig_bytes *w)
{
    int rc = vbsig_bytes_append_str(w, "[0 [");
    for (size_t i = 0; i < sub->n && rc == VBSIG_OK; i++)
        rc = vbsig_bytes_printf(w, i ? " %u" : "%u", (unsigned)sub->width[i]);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(w, "]]");
    return rc;
}

static int put(vbsig__obj_sink sink, void *ud, vbsig_bytes *dict, const uint8_t *data, size_t len, int flate,
               uint32_t *num)
{
    return sink(ud, (const char *)dict->data, dict->len, data, len, flate, num);
}

int vbsig__font_embed(vbsig__text_font *f, const vbsig__glyph_run *runs, size_t nruns, vbsig__obj_sink sink,
                      void *ud, vbsig__embedded_font *out)
{
    memset(out, 0, sizeof *out);
    uint32_t *gids = NULL;
    size_t n = 0;
    int rc = collect_glyphs(runs, nruns, &gids, &n);
    if (rc != VBSIG_OK)
        return rc;
    /* The code points: at most one per text byte. */
    size_t bytes = 0;
    for (size_t r = 0; r < nruns; r++)
        bytes += runs[r].text_len;
    uint32_t *cps = malloc((bytes ? bytes : 1) * sizeof *cps);
    size_t ncps = 0;
    if (cps == NULL) {
        free(gids);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    for (size_t r = 0; r < nruns; r++)
        for (size_t i = 0; i < runs[r].text_len;)
            cps[ncps++] = vbsig__utf8_decode(runs[r].text, runs[r].text_len, &i);
    rc = vbsig__font_subset_make(f, gids, n, cps, ncps, &out->sub);
    free(cps);
    free(gids);
    if (rc != VBSIG_OK)
        return rc;

    vbsig_bytes d, cmap, w;
    vbsig_bytes_init(&d);
    vbsig_bytes_init(&cmap);
    vbsig_bytes_init(&w);
    char tag[7];
    subset_tag(&out->sub.file, tag);
    const vbsig__font_subset *s = &out->sub;
    uint32_t file_num = 0, fd_num = 0, cmap_num = 0, cid_num = 0;
    int mem = VBSIG_OK;

    mem |= vbsig_bytes_printf(&d, "<< /Length1 %zu >>", s->file.len);
    if (mem == VBSIG_OK)
        rc = put(sink, ud, &d, s->file.data, s->file.len, 1, &file_num);
    if (rc == VBSIG_OK && mem == VBSIG_OK) {
        d.len = 0;
        /* Flags 6: serif, symbolic (a CIDFont's glyphs are not in the
         * standard Latin character set; PDF 9.8.2). */
        mem |= vbsig_bytes_printf(&d,
                                  "<< /Type /FontDescriptor /FontName /%s+%s /Flags 6 /FontBBox [%d %d %d %d] "
                                  "/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %u 0 R >>",
                                  tag, s->ps_name, s->bbox[0], s->bbox[1], s->bbox[2], s->bbox[3], s->ascent,
                                  s->descent, s->cap_height, (unsigned)file_num);
        if (mem == VBSIG_OK)
            rc = put(sink, ud, &d, NULL, 0, 0, &fd_num);
    }
    if (rc == VBSIG_OK && mem == VBSIG_OK) {
        rc = build_cmap(s, runs, nruns, &cmap);
        d.len = 0;
        mem |= vbsig_bytes_append_str(&d, "<< >>");
        if (rc == VBSIG_OK && mem == VBSIG_OK)
            rc = put(sink, ud, &d, cmap.data, cmap.len, 1, &cmap_num);
    }
    if (rc == VBSIG_OK && mem == VBSIG_OK) {
        d.len = 0;
        mem |= widths_array(s, &w);
        if (mem == VBSIG_OK)
            mem |= vbsig_bytes_printf(&d,
                                      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s+%s "
                                      "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                                      "/FontDescriptor %u 0 R /DW 1000 /W %.*s /CIDToGIDMap /Identity >>",
                                      tag, s->ps_name, (unsigned)fd_num, (int)w.len, (const char *)w.data);
        if (mem == VBSIG_OK)
            rc = put(sink, ud, &d, NULL, 0, 0, &cid_num);
    }
    if (rc == VBSIG_OK && mem == VBSIG_OK) {
        d.len = 0;
        mem |= vbsig_bytes_printf(&d,
                                  "<< /Type /Font /Subtype /Type0 /BaseFont /%s+%s /Encoding /Identity-H "
                                  "/DescendantFonts [%u 0 R] /ToUnicode %u 0 R >>",
                                  tag, s->ps_name, (unsigned)cid_num, (unsigned)cmap_num);
        if (mem == VBSIG_OK)
            rc = put(sink, ud, &d, NULL, 0, 0, &out->type0_num);
    }
    if (rc == VBSIG_OK && mem != VBSIG_OK)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    vbsig_bytes_free(&d);
    vbsig_bytes_free(&cmap);
    vbsig_bytes_free(&w);
    if (rc != VBSIG_OK)
        vbsig__embedded_font_free(out);
    return rc;
}

void vbsig__embedded_font_free(vbsig__embedded_font *e)
{
    vbsig__font_subset_free(&e->sub);
    e->type0_num = 0;
}

/* Numbers in content streams: three decimals at most, no exponent, no
 * "-0"; callers pass page-sized values (no overflow of long long). */
static int put_num(vbsig_bytes *c, double v)
{
    double r = (double)(long long)(v * 1000.0 + (v < 0 ? -0.5 : 0.5)) / 1000.0;
    if (r == 0) /* no "-0" */
        r = 0;
    char buf[40];
    snprintf(buf, sizeof buf, "%.3f", r);
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = 0;
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = 0;
    return vbsig_bytes_append_str(c, buf);
}

int vbsig__font_show_run(const vbsig__embedded_font *e, const vbsig__text_font *f, const vbsig__glyph_run *run,
                         const char *name, double size, double x, double y, vbsig_bytes *c)
{
    const double upem = f->upem;
    int rc = vbsig_bytes_printf(c, "/%s ", name);
    rc |= put_num(c, size);
    rc |= vbsig_bytes_append_str(c, " Tf 1 0 0 1 ");
    rc |= put_num(c, x);
    rc |= vbsig_bytes_append_str(c, " ");
    rc |= put_num(c, y);
    rc |= vbsig_bytes_append_str(c, " Tm\n[");
    /* TJ adjustments are in 1/1000 em and move the pen left: after a glyph
     * drawn with its /W width, the pen is brought to where HarfBuzz put
     * the next glyph (kerning), and x offsets shift a single glyph. */
    double pending = 0, rise = 0;
    for (size_t i = 0; i < run->n && rc == VBSIG_OK; i++) {
        const vbsig__shaped_glyph *g = &run->g[i];
        uint32_t cid = vbsig__font_subset_cid(&e->sub, g->gid);
        if (cid == UINT32_MAX)
            return vbsig_fail(VBSIG_E_INTERNAL, _("text stamp: a glyph is missing from the font subset"));
        double dy = g->dy * size / upem;
        if (dy != rise) { /* a vertical offset: its own TJ with a text rise */
            rc |= vbsig_bytes_append_str(c, "] TJ ");
            rc |= put_num(c, dy);
            rc |= vbsig_bytes_append_str(c, " Ts [");
            rise = dy;
        }
        pending -= g->dx * 1000.0 / upem;
        if ((pending >= 0.001 || pending <= -0.001)) {
            rc |= put_num(c, pending);
            rc |= vbsig_bytes_append_str(c, " ");
        }
        rc |= vbsig_bytes_printf(c, "<%04X>", (unsigned)cid);
        pending = (g->dx - g->adv) * 1000.0 / upem + e->sub.width[cid];
        if ((pending >= 0.001 || pending <= -0.001))
            rc |= vbsig_bytes_append_str(c, " ");
    }
    rc |= vbsig_bytes_append_str(c, "] TJ");
    if (rise != 0)
        rc |= vbsig_bytes_append_str(c, " 0 Ts");
    rc |= vbsig_bytes_append_str(c, "\n");
    return rc == VBSIG_OK ? rc : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}
