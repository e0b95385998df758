/* The text-stamp layouts of Decree 30/2020 Appendix I:
 *  - attachment / appendix file: the number and notation, then the signing time;
 *  - electronic copy: the copy form, the copying organisation, the signing time;
 * top right of the first page (as displayed), 10 pt, upright, black.
 *
 * Where exactly: the decree says only "top right". Its page margins
 * (Appendix I, section II) are 20-25 mm at the top and 15-20 mm on the
 * right, so the stamp's right edge sits 15 mm in (on the body text's right
 * edge or outside it) and its top 6 mm down: a three-line copy stamp ends
 * about 20 mm from the top, inside the top margin, off the document's text,
 * and clear of the unprintable edge of most printers (about 5 mm). */
#include <string.h>

#include "appearance/appearance.h"
#include "appearance/text_stamp.h"
#include "vbsig/status.h"

#define STAMP_RIGHT_MM 15.0
#define STAMP_TOP_MM 6.0

static int to_writer(void *ud, const char *dict, size_t dict_len, const uint8_t *data, size_t data_len, int flate,
                     uint32_t *num)
{
    return vbsig__ap_write_object(ud, dict, dict_len, data, data_len, flate, num);
}

int vbsig__appearance_build_text(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out)
{
    const vbsig_pades_appearance *ap = ac->ap;
    char when[32];
    vbsig_time_format(ac->signing_time, VBSIG_TZ_VIETNAM_MINUTES, when);
    const char *lines[3];
    size_t n = 0;
    if (ap->kind == VBSIG_APPEARANCE_ATTACHMENT) {
        lines[n++] = ap->doc_number;
    } else {
        lines[n++] = ap->copy_form;
        lines[n++] = ap->copy_org;
    }
    lines[n++] = when;
    for (size_t i = 0; i + 1 < n; i++)
        if (lines[i] == NULL || lines[i][0] == 0)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("text stamp: the text is empty"));

    /* vbsig__page_geom_get refuses a page the document does not have. */
    size_t page = ap->page > 0 ? ap->page - 1 : 0;
    vbsig__page_geom g;
    int rc = vbsig__page_geom_get(ac->doc, page, &g);
    if (rc != VBSIG_OK)
        return rc;
    int fixed = ap->rect_mm[2] > 0 && ap->rect_mm[3] > 0;
    double wh[2] = {ap->rect_mm[2] * VBSIG__PT_PER_MM, ap->rect_mm[3] * VBSIG__PT_PER_MM};
    vbsig__text_stamp st;
    rc = vbsig__text_stamp_build(lines, n, ap->font_path, fixed ? wh : NULL, to_writer, w, &st);
    if (rc != VBSIG_OK)
        return rc;
    out->page = page;
    if (fixed) {
        out->disp[0] = ap->rect_mm[0] * VBSIG__PT_PER_MM;
        out->disp[1] = ap->rect_mm[1] * VBSIG__PT_PER_MM;
    } else {
        /* On a page too small for the margins the stamp still stays on it. */
        out->disp[0] = vbsig__dmax(0, g.disp_w - STAMP_RIGHT_MM * VBSIG__PT_PER_MM - st.w);
        out->disp[1] = vbsig__dmin(STAMP_TOP_MM * VBSIG__PT_PER_MM, vbsig__dmax(0, g.disp_h - st.h));
    }
    out->disp[2] = st.w;
    out->disp[3] = st.h;
    out->content = st.content;
    out->resources = st.resources;
    return VBSIG_OK;
}
