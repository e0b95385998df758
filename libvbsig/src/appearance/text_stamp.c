/* A text stamp's form: a few lines, right-aligned, 10 pt, black, upright
 * in the form's own box, with the font subset embedded. Where the box goes
 * on the page is the layout's business (appearance_text.c). */
#include "appearance/text_stamp.h"

#include <string.h>

#include "vbsig/status.h"

int vbsig__text_stamp_build(const char *const *lines, size_t nlines, const char *font_path, const double *fixed_wh,
                            vbsig__obj_sink sink, void *ud, vbsig__text_stamp *out)
{
    memset(out, 0, sizeof *out);
    vbsig_bytes_init(&out->content);
    vbsig_bytes_init(&out->resources);
    if (nlines == 0 || nlines > VBSIG__STAMP_MAX_LINES)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("text stamp: %zu lines (1 to %d)"), nlines, VBSIG__STAMP_MAX_LINES);
    vbsig__text_font *f = NULL;
    int rc = vbsig__text_font_open(font_path, &f);
    if (rc != VBSIG_OK)
        return rc;
    vbsig__glyph_run runs[VBSIG__STAMP_MAX_LINES];
    memset(runs, 0, sizeof runs);
    size_t shaped = 0;
    for (; shaped < nlines && rc == VBSIG_OK; shaped++)
        rc = vbsig__text_shape(f, lines[shaped], &runs[shaped]);
    vbsig__embedded_font e;
    memset(&e, 0, sizeof e);
    if (rc == VBSIG_OK)
        rc = vbsig__font_embed(f, runs, nlines, sink, ud, &e);
    if (rc == VBSIG_OK) {
        const double size = VBSIG__STAMP_FONT_PT, pad = VBSIG__STAMP_PAD_PT;
        const double upem = vbsig__text_font_upem(f);
        double widest = 0;
        for (size_t i = 0; i < nlines; i++) {
            double w = (double)runs[i].width * size / upem;
            if (w > widest)
                widest = w;
        }
        /* The first line's ascent to the last line's descent, from the
         * same numbers the /FontDescriptor carries. */
        double asc = e.sub.ascent * size / 1000.0, desc = -e.sub.descent * size / 1000.0;
        double need_w = widest + 2 * pad;
        double need_h = 2 * pad + asc + desc + (double)(nlines - 1) * VBSIG__STAMP_LEADING_PT;
        out->w = need_w;
        out->h = need_h;
        if (fixed_wh != NULL) {
            if (fixed_wh[0] + 0.01 < need_w || fixed_wh[1] + 0.01 < need_h)
                rc = vbsig_fail(VBSIG_E_INVALID_ARG,
                                _("text stamp: the rectangle is too small for the text (it needs %.1f x %.1f mm)"),
                                need_w * 25.4 / 72.0, need_h * 25.4 / 72.0);
            out->w = fixed_wh[0];
            out->h = fixed_wh[1];
        }
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(&out->content, "q 0 g BT\n");
        double base = out->h - pad - asc;
        for (size_t i = 0; i < nlines && rc == VBSIG_OK; i++) {
            double x = out->w - pad - (double)runs[i].width * size / upem;
            rc = vbsig__font_show_run(&e, f, &runs[i], "F1", size, x, base, &out->content);
            base -= VBSIG__STAMP_LEADING_PT;
        }
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(&out->content, "ET Q\n");
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_printf(&out->resources, "<< /Font << /F1 %u 0 R >> /ProcSet [/PDF /Text] >>",
                                    (unsigned)e.type0_num);
        out->font_bytes = e.sub.file.len;
    }
    vbsig__embedded_font_free(&e);
    for (size_t i = 0; i < shaped; i++)
        vbsig__glyph_run_free(&runs[i]);
    vbsig__text_font_free(f);
    if (rc != VBSIG_OK)
        vbsig__text_stamp_free(out);
    return rc;
}

void vbsig__text_stamp_free(vbsig__text_stamp *s)
{
    vbsig_bytes_free(&s->content);
    vbsig_bytes_free(&s->resources);
    s->w = s->h = 0;
}
