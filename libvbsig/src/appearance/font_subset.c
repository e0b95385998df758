/* The glyphs a text stamp uses, cut out of the font with hb-subset.
 * Glyphs are renumbered compactly (a few dozen instead of thousands keeps
 * the loca/hmtx tables small) and the CIDs of the embedded font are the new
 * glyph ids, so /CIDToGIDMap is /Identity. */
#include <stdlib.h>
#include <string.h>

#include "appearance/text_font_priv.h"
#include "vbsig/status.h"

static int to_milli(int32_t v, unsigned upem)
{
    double x = (double)v * 1000.0 / upem; /* rounded half away from zero; no libm */
    return (int)(x < 0 ? x - 0.5 : x + 0.5);
}

static int16_t be16s(const uint8_t *p)
{
    return (int16_t)(uint16_t)(p[0] << 8 | p[1]);
}

/* Font-wide numbers for the /FontDescriptor. */
static void read_metrics(vbsig__text_font *f, vbsig__font_subset *s)
{
    hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len = 0;
    const uint8_t *h = (const uint8_t *)hb_blob_get_data(head, &len);
    if (h != NULL && len >= 54) { /* xMin, yMin, xMax, yMax at offset 36 */
        for (int i = 0; i < 4; i++)
            s->bbox[i] = to_milli(be16s(h + 36 + 2 * i), f->upem);
    }
    hb_blob_destroy(head);
    hb_font_extents_t ext;
    memset(&ext, 0, sizeof ext);
    hb_font_get_h_extents(f->font, &ext);
    s->ascent = to_milli(ext.ascender, f->upem);
    s->descent = to_milli(ext.descender, f->upem);
    hb_position_t cap = 0;
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0)
        s->cap_height = to_milli(cap, f->upem);
    else
        s->cap_height = s->ascent * 7 / 10;

    /* The PostScript name for /BaseFont, cut to the characters a PDF name
     * takes without escapes. */
    char name[64];
    unsigned nlen = sizeof name;
    unsigned got = hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &nlen, name);
    size_t k = 0;
    for (unsigned i = 0; got > 0 && i < nlen && name[i] != 0 && k + 1 < sizeof s->ps_name; i++) {
        char c = name[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
            s->ps_name[k++] = c;
    }
    s->ps_name[k] = 0;
    if (k == 0)
        strcpy(s->ps_name, "Font");
}

int vbsig__font_subset_make(vbsig__text_font *f, const uint32_t *gids, size_t n, const uint32_t *cps, size_t ncps,
                            vbsig__font_subset *out)
{
    memset(out, 0, sizeof *out);
    vbsig_bytes_init(&out->file);
    unsigned total = hb_face_get_glyph_count(f->face);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (in == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    hb_set_t *gs = hb_subset_input_glyph_set(in);
    hb_set_add(gs, 0);
    for (size_t i = 0; i < n; i++)
        if (gids[i] < total)
            hb_set_add(gs, gids[i]);
    hb_set_t *us = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < ncps; i++)
        hb_set_add(us, cps[i]);
    /* Hinting is most of Liberation's bytes and does nothing for a PDF
     * viewer's rendering at 10 pt; layout tables are not used by PDF. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const hb_tag_t dropped[] = {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
                                       HB_TAG('G', 'D', 'E', 'F'), HB_TAG('k', 'e', 'r', 'n'),
                                       HB_TAG('D', 'S', 'I', 'G'), HB_TAG('g', 'a', 's', 'p')};
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
        hb_set_add(drop, dropped[i]);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    if (plan == NULL)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the font could not be subset"), f->name);
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    if (sub == NULL) {
        hb_subset_plan_destroy(plan);
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the font could not be subset"), f->name);
    }
    const hb_map_t *n2o = hb_subset_plan_new_to_old_glyph_mapping(plan);
    unsigned cnt = hb_face_get_glyph_count(sub);
    int rc = VBSIG_OK;
    if (cnt == 0 || cnt > 0xFFFF) {
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the font could not be subset"), f->name);
        goto done;
    }
    out->old_gid = calloc(cnt, sizeof *out->old_gid);
    out->width = calloc(cnt, sizeof *out->width);
    if (out->old_gid == NULL || out->width == NULL) {
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        goto done;
    }
    out->n = cnt;
    for (unsigned i = 0; i < cnt; i++) {
        uint32_t old = hb_map_get(n2o, i);
        out->old_gid[i] = old == HB_MAP_VALUE_INVALID ? UINT32_MAX : old;
        int w = old == HB_MAP_VALUE_INVALID ? 0 : to_milli(hb_font_get_glyph_h_advance(f->font, old), f->upem);
        out->width[i] = (uint16_t)(w < 0 ? 0 : w > 0xFFFF ? 0xFFFF : w);
    }
    /* A malformed font can make hb-subset drop a glyph the line uses (a
     * broken composite, a glyph past the loca table); the stamp would then
     * show other text than it says, so refuse it. */
    for (size_t i = 0; i < n; i++)
        if (vbsig__font_subset_cid(out, gids[i]) == UINT32_MAX) {
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: glyph %u of the text is missing from the font's subset"), f->name,
                            (unsigned)gids[i]);
            goto done;
        }
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned blen = 0;
    const char *bytes = hb_blob_get_data(blob, &blen);
    if (bytes == NULL || blen == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the font could not be subset"), f->name);
    else if (vbsig_bytes_append(&out->file, bytes, blen) != VBSIG_OK)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    hb_blob_destroy(blob);
    if (rc == VBSIG_OK)
        read_metrics(f, out);
done:
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    if (rc != VBSIG_OK)
        vbsig__font_subset_free(out);
    return rc;
}

uint32_t vbsig__font_subset_cid(const vbsig__font_subset *s, uint32_t old_gid)
{
    /* A linear search: a stamp's subset has a few dozen glyphs, and it
     * assumes nothing about the order hb-subset numbered them in. */
    for (size_t i = 0; i < s->n; i++)
        if (s->old_gid[i] == old_gid)
            return (uint32_t)i;
    return UINT32_MAX;
}

void vbsig__font_subset_free(vbsig__font_subset *s)
{
    vbsig_bytes_free(&s->file);
    free(s->old_gid);
    free(s->width);
    memset(s, 0, sizeof *s);
}
