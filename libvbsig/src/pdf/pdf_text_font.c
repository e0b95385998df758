/* Fonts for text extraction (ISO 32000-1 §9.6.6 encodings, §9.10 extraction
 * of text content). The order follows the standard's §9.10.2: a ToUnicode
 * CMap; else, for simple fonts, the encoding's glyph names; else nothing
 * (the glyph is still placed and counted, with no text). */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"
#include "pdf/pdf_text_font.h"

/* Poppler's defaults (GfxFont), so boxes agree with pdftotext's. */
#define DEFAULT_ASCENT 950.0
#define DEFAULT_DESCENT (-350.0)

static const vbsig_pdf_obj *quiet(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o)
{
    return pdf_resolved_quiet(doc, rev, o);
}

static void set_fallback(pdf_text_font *f, const pdf_font_metrics *m)
{
    memset(f, 0, sizeof *f);
    f->metrics = m;
    f->split = PDF_SPLIT_ONE;
    pdf_encoding_base(PDF_ENC_STANDARD, f->simple);
    f->ascent = DEFAULT_ASCENT;
    f->descent = DEFAULT_DESCENT;
}

void pdf_text_font_cache_init(pdf_text_font_cache *c)
{
    memset(c, 0, sizeof *c);
    pdf_font_cache_init(&c->metrics);
    set_fallback(&c->fallback, &c->metrics.generous);
}

void pdf_text_font_release(pdf_text_font *f)
{
    pdf_cmap_free(&f->to_unicode);
    pdf_cmap_free(&f->codespace);
}

void pdf_text_font_cache_free(pdf_text_font_cache *c)
{
    for (size_t i = 0; i < c->count; i++) {
        pdf_text_font_release(c->fonts[i]);
        free(c->fonts[i]);
    }
    c->count = 0;
    pdf_font_cache_free(&c->metrics);
}

/* A CMap stream into cm; unreadable streams leave it as it is. */
static int read_cmap_stream(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *s, pdf_cmap *cm)
{
    if (s == NULL || s->type != VBSIG_PDF_STREAM)
        return VBSIG_OK;
    vbsig_bytes data;
    int rc = vbsig_pdf_stream_decode(doc, rev, s, &data);
    if (rc == VBSIG_OK)
        rc = pdf_cmap_parse(cm, data.data, data.len);
    vbsig_bytes_free(&data);
    if (rc != VBSIG_OK && rc != VBSIG_E_NOMEM) {
        vbsig_error_clear();
        rc = VBSIG_OK;
    }
    return rc;
}

static pdf_base_encoding base_named(const char *name)
{
    if (name == NULL)
        return PDF_ENC_STANDARD;
    if (strcmp(name, "WinAnsiEncoding") == 0)
        return PDF_ENC_WINANSI;
    if (strcmp(name, "MacRomanEncoding") == 0)
        return PDF_ENC_MACROMAN;
    return PDF_ENC_STANDARD;
}

/* /Encoding of a simple font: a name, or a dictionary with /BaseEncoding
 * and /Differences [code /name /name … code /name …]. */
static void read_simple_encoding(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font, pdf_text_font *f)
{
    const vbsig_pdf_obj *enc = quiet(doc, rev, vbsig_pdf_dict_get(font, "Encoding"));
    const char *name = NULL;
    if (enc != NULL && enc->type == VBSIG_PDF_NAME) {
        vbsig_pdf_get_name(enc, &name);
        pdf_encoding_base(base_named(name), f->simple);
        return;
    }
    vbsig_pdf_get_name(quiet(doc, rev, vbsig_pdf_dict_get(enc, "BaseEncoding")), &name);
    pdf_encoding_base(base_named(name), f->simple);
    const vbsig_pdf_obj *diff = quiet(doc, rev, vbsig_pdf_dict_get(enc, "Differences"));
    int64_t code = -1;
    for (size_t i = 0; i < vbsig_pdf_array_count(diff); i++) {
        const vbsig_pdf_obj *it = vbsig_pdf_array_get(diff, i);
        int64_t v;
        const char *glyph;
        if (vbsig_pdf_get_int(it, &v) == VBSIG_OK) {
            code = v;
        } else if (vbsig_pdf_get_name(it, &glyph) == VBSIG_OK && code >= 0 && code < 256) {
            f->simple[code] = pdf_glyph_name_cp(glyph);
            code++;
        }
    }
}

static void read_ascent(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *desc, pdf_text_font *f)
{
    double v;
    if (vbsig_pdf_get_number(quiet(doc, rev, vbsig_pdf_dict_get(desc, "Ascent")), &v) == VBSIG_OK) {
        v = v < 0 ? -v : v; /* poppler's repairs of broken descriptors */
        if (v != 0 && v < 3000)
            f->ascent = v;
    }
    if (vbsig_pdf_get_number(quiet(doc, rev, vbsig_pdf_dict_get(desc, "Descent")), &v) == VBSIG_OK) {
        v = v > 0 ? -v : v;
        if (v != 0 && v > -3000)
            f->descent = v;
    }
}

static int read_type0(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font, pdf_text_font *f)
{
    const vbsig_pdf_obj *enc = quiet(doc, rev, vbsig_pdf_dict_get(font, "Encoding"));
    const char *name = NULL;
    f->split = PDF_SPLIT_TWO; /* Identity and the UCS-2 / UTF-16 CMaps */
    pdf_encoding_base(PDF_ENC_NONE, f->simple);
    if (vbsig_pdf_get_name(enc, &name) == VBSIG_OK) {
        size_t n = strlen(name);
        f->vertical = n >= 2 && strcmp(name + n - 2, "-V") == 0;
    } else if (enc != NULL && enc->type == VBSIG_PDF_STREAM) {
        int rc = read_cmap_stream(doc, rev, enc, &f->codespace);
        if (rc != VBSIG_OK)
            return rc;
        f->split = PDF_SPLIT_CMAP;
        int64_t wmode = 0;
        f->vertical = vbsig_pdf_get_int(vbsig_pdf_dict_get(enc, "WMode"), &wmode) == VBSIG_OK && wmode == 1;
    }
    const vbsig_pdf_obj *descendants = quiet(doc, rev, vbsig_pdf_dict_get(font, "DescendantFonts"));
    const vbsig_pdf_obj *cid = quiet(doc, rev, vbsig_pdf_array_get(descendants, 0));
    read_ascent(doc, rev, quiet(doc, rev, vbsig_pdf_dict_get(cid, "FontDescriptor")), f);
    return VBSIG_OK;
}

int pdf_text_font_read(pdf_text_font *f, pdf_font_cache *metrics, vbsig_pdf_doc *doc, size_t rev,
                       const vbsig_pdf_obj *font)
{
    set_fallback(f, &metrics->generous);
    f->font = font;
    int rc = pdf_font_metrics_get(metrics, doc, rev, font, &f->metrics);
    if (rc != VBSIG_OK)
        return rc;
    const char *subtype = "";
    vbsig_pdf_get_name(vbsig_pdf_dict_get(font, "Subtype"), &subtype);
    if (strcmp(subtype, "Type0") == 0) {
        rc = read_type0(doc, rev, font, f);
    } else {
        read_simple_encoding(doc, rev, font, f);
        read_ascent(doc, rev, quiet(doc, rev, vbsig_pdf_dict_get(font, "FontDescriptor")), f);
    }
    if (rc == VBSIG_OK)
        rc = read_cmap_stream(doc, rev, quiet(doc, rev, vbsig_pdf_dict_get(font, "ToUnicode")), &f->to_unicode);
    if (rc == VBSIG_OK && f->split == PDF_SPLIT_CMAP && f->codespace.nspaces == 0)
        f->split = f->to_unicode.nspaces > 0 ? PDF_SPLIT_CMAP : PDF_SPLIT_TWO;
    if (rc != VBSIG_OK)
        pdf_text_font_release(f);
    return rc;
}

int pdf_text_font_get(pdf_text_font_cache *c, vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *font,
                      const pdf_text_font **out)
{
    *out = &c->fallback;
    font = vbsig_pdf_dict_of(font);
    if (font == NULL)
        return VBSIG_OK;
    for (size_t i = 0; i < c->count; i++)
        if (c->fonts[i]->font == font) {
            *out = c->fonts[i];
            return VBSIG_OK;
        }
    if (c->count == PDF_TEXT_FONT_CACHE_SIZE)
        return VBSIG_OK;
    pdf_text_font *f = malloc(sizeof *f);
    if (f == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = pdf_text_font_read(f, &c->metrics, doc, rev, font);
    if (rc != VBSIG_OK) {
        free(f);
        return rc;
    }
    c->fonts[c->count++] = f;
    *out = f;
    return VBSIG_OK;
}

size_t pdf_text_font_glyph(const pdf_text_font *f, const uint8_t *s, size_t n, uint32_t *code, uint32_t *cps,
                           size_t cap, size_t *ncps, int *word_space)
{
    size_t len = 1;
    if (f->split == PDF_SPLIT_TWO) {
        len = 2;
    } else if (f->split == PDF_SPLIT_CMAP) {
        const pdf_cmap *cm = f->codespace.nspaces > 0 ? &f->codespace : &f->to_unicode;
        len = pdf_cmap_code_length(cm, s, n);
        if (len == 0)
            len = 1;
    }
    if (len > n)
        len = n; /* a truncated final code: what bytes there are */
    *code = 0;
    for (size_t i = 0; i < len; i++)
        *code = *code << 8 | s[i];
    *word_space = len == 1 && s[0] == 32;
    *ncps = 0;
    if (pdf_cmap_lookup(&f->to_unicode, *code, len, cps, cap, ncps))
        return len;
    if (f->split == PDF_SPLIT_ONE && f->simple[*code & 0xFF] != 0 && cap > 0) {
        cps[0] = f->simple[*code & 0xFF];
        *ncps = 1;
    }
    return len;
}
