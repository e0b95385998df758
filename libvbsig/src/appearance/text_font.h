/* Text of the visible text stamps (attachment, copy): a TrueType font
 * loaded from an untrusted file, text shaped with HarfBuzz, the glyphs used
 * subset with hb-subset and embedded in the PDF as a Type0 / CIDFontType2
 * font with /W widths and a /ToUnicode CMap (so the text stays extractable
 * and searchable).
 *
 * Files: text_font.c (loading, checks, shaping), font_subset.c (the
 * subset, its widths and glyph renumbering), tounicode.c (the CMap),
 * font_embed.c (the PDF objects). */
#ifndef VBSIG_TEXT_FONT_H
#define VBSIG_TEXT_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* The default font: Liberation Serif 2 (metric-compatible with Times New
 * Roman, covers Vietnamese), from the Debian package fonts-liberation2. */
#define VBSIG__DEFAULT_FONT_PATH "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
#define VBSIG__DEFAULT_FONT_PACKAGE "fonts-liberation2"

/* Limits on untrusted fonts and texts. */
#define VBSIG__FONT_MAX_BYTES (32u * 1024 * 1024)
#define VBSIG__TEXT_MAX_BYTES 1024u

typedef struct vbsig__text_font vbsig__text_font;

/* Loads a TrueType (glyf-outline) font. path NULL: the default font, and
 * when it is missing VBSIG_E_UNAVAILABLE naming the package to install.
 * Errors: VBSIG_E_IO_READ, VBSIG_E_LIMIT (too large), VBSIG_E_MALFORMED
 * (not a font), VBSIG_E_UNSUPPORTED (CFF outlines, a collection …). */
int vbsig__text_font_open(const char *path, vbsig__text_font **out);
/* The same from bytes (copied); name is used in messages. */
int vbsig__text_font_from_mem(const uint8_t *data, size_t len, const char *name, vbsig__text_font **out);
void vbsig__text_font_free(vbsig__text_font *f);

unsigned vbsig__text_font_upem(const vbsig__text_font *f);

/* One shaped glyph: the font's glyph id, advance and offsets in font
 * units, and the byte range of the text (NFC UTF-8) it stands for (the
 * whole cluster for its first glyph, empty for the others). */
typedef struct vbsig__shaped_glyph {
    uint32_t gid;
    int32_t adv, dx, dy;
    uint32_t text_off, text_len;
} vbsig__shaped_glyph;

typedef struct vbsig__glyph_run {
    vbsig__shaped_glyph *g;
    size_t n;
    char *text;       /* the NFC-normalised text shaped */
    size_t text_len;
    int64_t width;    /* sum of the advances, font units */
} vbsig__glyph_run;

/* NFC-normalises utf8 and shapes it as one left-to-right line. Refuses
 * invalid UTF-8, control characters, texts over VBSIG__TEXT_MAX_BYTES and
 * characters the font has no glyph for (VBSIG_E_UNSUPPORTED naming the
 * code point and the font). */
int vbsig__text_shape(vbsig__text_font *f, const char *utf8, vbsig__glyph_run *run);
void vbsig__glyph_run_free(vbsig__glyph_run *run);

/* ---- the subset (font_subset.c) ----------------------------------------- */
typedef struct vbsig__font_subset {
    vbsig_bytes file;       /* the subset TrueType font */
    uint32_t *old_gid;      /* new glyph id (= CID) -> glyph id in the full font */
    uint16_t *width;        /* new glyph id -> advance in 1/1000 em, for /W */
    size_t n;               /* glyphs in the subset, .notdef (0) included */
    /* Font-wide metrics in 1/1000 em, for the /FontDescriptor. */
    int bbox[4];
    int ascent, descent, cap_height;
    char ps_name[64];       /* PostScript name, [A-Za-z0-9-] only */
} vbsig__font_subset;

/* Subsets the font to gids (glyph 0 always kept), renumbering glyphs
 * compactly in the order of their old ids; the subset's cmap keeps the
 * code points cps (so the embedded font is itself a usable font). */
int vbsig__font_subset_make(vbsig__text_font *f, const uint32_t *gids, size_t n, const uint32_t *cps, size_t ncps,
                            vbsig__font_subset *out);
/* The new id of an old glyph id, or UINT32_MAX when it is not in the subset. */
uint32_t vbsig__font_subset_cid(const vbsig__font_subset *s, uint32_t old_gid);
void vbsig__font_subset_free(vbsig__font_subset *s);

/* ---- the ToUnicode CMap (tounicode.c) ----------------------------------- */
typedef struct vbsig__cid_text {
    uint32_t cid;
    const char *utf8;  /* what the glyph stands for */
    size_t len;
} vbsig__cid_text;

/* A /ToUnicode CMap for 2-byte CIDs (Identity-H): one bfchar per CID, the
 * first mapping of a CID winning, entries with no text left out. */
int vbsig__tounicode_cmap(const vbsig__cid_text *m, size_t n, vbsig_bytes *out);
/* The code point at s[*i] of valid UTF-8 (len bytes), advancing *i;
 * U+FFFD (and one byte) for a broken sequence. */
uint32_t vbsig__utf8_decode(const char *s, size_t len, size_t *i);

/* ---- the PDF objects (font_embed.c) ------------------------------------- */
/* Where an embedded font's objects go: the signer's update writer, or a
 * test's collector. Same contract as vbsig__ap_write_object. */
typedef int (*vbsig__obj_sink)(void *ud, const char *dict, size_t dict_len, const uint8_t *data, size_t data_len,
                               int flate, uint32_t *num);

typedef struct vbsig__embedded_font {
    vbsig__font_subset sub;
    uint32_t type0_num;  /* the /Type0 font object to name in /Resources */
} vbsig__embedded_font;

/* Subsets f to the glyphs of runs[0..nruns), writes FontFile2,
 * FontDescriptor, CIDFontType2, ToUnicode and Type0 objects, and keeps the
 * subset (for the glyph renumbering the content stream needs). */
int vbsig__font_embed(vbsig__text_font *f, const vbsig__glyph_run *runs, size_t nruns, vbsig__obj_sink sink,
                      void *ud, vbsig__embedded_font *out);
void vbsig__embedded_font_free(vbsig__embedded_font *e);

/* Appends to content the operators that show run at (x, y) in size pt
 * with font resource /name: a TJ array of the renumbered CIDs, kerning and
 * offsets as TJ adjustments and text rise. Inside BT … ET. */
int vbsig__font_show_run(const vbsig__embedded_font *e, const vbsig__text_font *f, const vbsig__glyph_run *run,
                         const char *name, double size, double x, double y, vbsig_bytes *content);

#endif
