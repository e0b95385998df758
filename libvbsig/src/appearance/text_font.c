/* Loading an untrusted TrueType font and shaping a line of text with it. */
#include "appearance/text_font_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/unicode_nfc.h"
#include "vbsig/status.h"

/* The font's bytes are ours (copied), so the blob never points into a
 * file mapping that might change under it. */
static void free_data(void *p)
{
    free(p);
}

static int check_font(vbsig__text_font *f)
{
    /* A collection would need a face index, and hb_face_create silently
     * takes face 0; the caller should pass a single font. */
    if (hb_face_count(f->blob) != 1)
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: not a single TrueType font (a font collection or no font)"),
                          f->name);
    if (f->len < 12)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: not a TrueType font"), f->name);
    uint32_t tag = (uint32_t)f->data[0] << 24 | (uint32_t)f->data[1] << 16 | (uint32_t)f->data[2] << 8 | f->data[3];
    if (tag == HB_TAG('O', 'T', 'T', 'O'))
        return vbsig_fail(VBSIG_E_UNSUPPORTED,
                          _("%s: an OpenType font with CFF outlines; text stamps need TrueType (glyf) outlines"),
                          f->name);
    if (tag != 0x00010000u && tag != HB_TAG('t', 'r', 'u', 'e'))
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: not a TrueType font"), f->name);
    static const hb_tag_t needed[] = {HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
                                      HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
                                      HB_TAG('l', 'o', 'c', 'a'), HB_TAG('g', 'l', 'y', 'f'),
                                      HB_TAG('c', 'm', 'a', 'p')};
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        hb_blob_t *t = hb_face_reference_table(f->face, needed[i]);
        unsigned len = hb_blob_get_length(t);
        hb_blob_destroy(t);
        if (len == 0) {
            char name[5];
            hb_tag_to_string(needed[i], name);
            name[4] = 0;
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the TrueType font has no '%s' table"), f->name, name);
        }
    }
    unsigned upem = hb_face_get_upem(f->face);
    if (upem < 16 || upem > 16384)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: units per em %u out of range"), f->name, upem);
    if (hb_face_get_glyph_count(f->face) < 2)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the font has no glyphs"), f->name);
    f->upem = upem;
    return VBSIG_OK;
}

int vbsig__text_font_from_mem(const uint8_t *data, size_t len, const char *name, vbsig__text_font **out)
{
    *out = NULL;
    if (len > VBSIG__FONT_MAX_BYTES)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: font file larger than %u bytes"), name, VBSIG__FONT_MAX_BYTES);
    if (len == 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: empty font file"), name);
    int loaded = vbsig__hb_require();
    if (loaded != VBSIG_OK)
        return loaded;
    vbsig__text_font *f = calloc(1, sizeof *f);
    if (f == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    f->name = strdup(name);
    f->data = malloc(len);
    if (f->name == NULL || f->data == NULL) {
        free(f->name);
        free(f->data);
        free(f);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    memcpy(f->data, data, len);
    f->len = len;
    f->blob = hb_blob_create_or_fail((const char *)f->data, (unsigned)len, HB_MEMORY_MODE_READONLY, f->data,
                                     free_data);
    if (f->blob == NULL) {
        free(f->data);
        free(f->name);
        free(f);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    f->face = hb_face_create(f->blob, 0);
    hb_face_make_immutable(f->face);
    int rc = check_font(f);
    if (rc == VBSIG_OK) {
        f->font = hb_font_create(f->face);
        if (f->font == hb_font_get_empty())
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    if (rc != VBSIG_OK) {
        vbsig__text_font_free(f);
        return rc;
    }
    *out = f;
    return VBSIG_OK;
}

int vbsig__text_font_open(const char *path, vbsig__text_font **out)
{
    *out = NULL;
    const char *p = path != NULL ? path : VBSIG__DEFAULT_FONT_PATH;
    struct stat st;
    if (path == NULL && stat(p, &st) != 0)
        return vbsig_fail(VBSIG_E_UNAVAILABLE,
                          _("the default font for text stamps (%s) is missing: install the package %s, or give a "
                            "TrueType font file"),
                          p, VBSIG__DEFAULT_FONT_PACKAGE);
    vbsig_file_map m;
    int rc = vbsig_file_map_open(&m, p, VBSIG__FONT_MAX_BYTES);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig__text_font_from_mem(m.data, m.len, p, out);
    vbsig_file_map_close(&m);
    return rc;
}

void vbsig__text_font_free(vbsig__text_font *f)
{
    if (f == NULL)
        return;
    if (f->font != NULL)
        hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob); /* frees data */
    free(f->name);
    free(f);
}

unsigned vbsig__text_font_upem(const vbsig__text_font *f)
{
    return f->upem;
}

void vbsig__glyph_run_free(vbsig__glyph_run *run)
{
    free(run->g);
    free(run->text);
    memset(run, 0, sizeof *run);
}

/* Control characters would shape to nothing visible (or to .notdef) and
 * line breaks belong to the layout, not to one line's text. */
static int check_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp = vbsig__utf8_decode(s, len, &i);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("text stamp: control character U+%04X in the text"),
                              (unsigned)cp);
    }
    return VBSIG_OK;
}

int vbsig__text_shape(vbsig__text_font *f, const char *utf8, vbsig__glyph_run *run)
{
    memset(run, 0, sizeof *run);
    size_t in_len = strlen(utf8);
    if (in_len > VBSIG__TEXT_MAX_BYTES)
        return vbsig_fail(VBSIG_E_LIMIT, _("text stamp: a line longer than %u bytes"), VBSIG__TEXT_MAX_BYTES);
    if (!vbsig_utf8_valid(utf8))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("text stamp: the text is not valid UTF-8"));
    size_t len = 0;
    char *text = vbsig_nfc_utf8(utf8, in_len, &len);
    if (text == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = check_text(text, len);
    if (rc != VBSIG_OK) {
        free(text);
        return rc;
    }
    hb_buffer_t *buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(buf)) {
        hb_buffer_destroy(buf);
        free(text);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    hb_buffer_add_utf8(buf, text, (int)len, 0, (int)len);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(f->font, buf, NULL, 0);
    unsigned n = 0;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    if (!hb_buffer_allocation_successful(buf)) {
        hb_buffer_destroy(buf);
        free(text);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    run->g = calloc(n ? n : 1, sizeof *run->g);
    if (run->g == NULL) {
        hb_buffer_destroy(buf);
        free(text);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    run->text = text;
    run->text_len = len;
    for (unsigned i = 0; i < n; i++) {
        uint32_t c = info[i].cluster;
        if (info[i].codepoint == 0) {
            size_t at = c < len ? c : 0;
            uint32_t cp = len ? vbsig__utf8_decode(text, len, &at) : 0;
            rc = vbsig_fail(VBSIG_E_UNSUPPORTED, _("text stamp: the font %s has no glyph for U+%04X"), f->name,
                            (unsigned)cp);
            break;
        }
        vbsig__shaped_glyph *g = &run->g[i];
        g->gid = info[i].codepoint;
        g->adv = pos[i].x_advance;
        g->dx = pos[i].x_offset;
        g->dy = pos[i].y_offset;
        /* The cluster's text goes with its first glyph: clusters are
         * monotone for left-to-right text, so the next different cluster
         * value (or the end) closes it. */
        if (i == 0 || info[i - 1].cluster != c) {
            uint32_t end = (uint32_t)len;
            for (unsigned k = i + 1; k < n; k++)
                if (info[k].cluster != c) {
                    end = info[k].cluster;
                    break;
                }
            if (end > c && end <= len) {
                g->text_off = c;
                g->text_len = end - c;
            }
        }
        run->width += g->adv;
    }
    run->n = n;
    hb_buffer_destroy(buf);
    if (rc != VBSIG_OK)
        vbsig__glyph_run_free(run);
    return rc;
}
