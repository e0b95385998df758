/* Text stamps' fonts: loading (and refusing) fonts, shaping NFC text,
 * the subset's glyph renumbering checked against the full font's outlines,
 * the ToUnicode CMap, the PDF font objects and the TJ operators. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appearance/text_font.h"
#include "util/util.h"
#include "vbsig/status.h"

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    assert_true(n > 0);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void test_default_font_shapes_vietnamese(void **state)
{
    (void)state;
    vbsig__text_font *f = NULL;
    assert_int_equal(vbsig__text_font_open(NULL, &f), VBSIG_OK);
    assert_int_equal(vbsig__text_font_upem(f), 2048);
    /* Precomposed and decomposed (NFD, marks in the other canonical order
     * too) give the same glyphs: the text is NFC-normalised first. */
    vbsig__glyph_run a, b, c;
    assert_int_equal(vbsig__text_shape(f, "VĂN PHÒNG UBND TỈNH Nguyễn", &a), VBSIG_OK);
    assert_int_equal(vbsig__text_shape(f, "VA\xCC\x86N PHO\xCC\x80NG UBND TI\xCC\x89NH Nguye\xCC\x82\xCC\x83n", &b),
                     VBSIG_OK);
    assert_int_equal(vbsig__text_shape(f, "VA\xCC\x86N PHO\xCC\x80NG UBND TI\xCC\x89NH Nguye\xCC\x83\xCC\x82n", &c),
                     VBSIG_OK);
    assert_int_equal(a.n, b.n);
    assert_string_equal(a.text, b.text);
    for (size_t i = 0; i < a.n; i++) {
        assert_int_equal(a.g[i].gid, b.g[i].gid);
        assert_true(a.g[i].gid != 0);
    }
    /* The wrong canonical order (tilde before circumflex) is a different
     * letter, not ễ: NFC must not merge it into the same glyphs. */
    assert_string_not_equal(a.text, c.text);
    /* Each glyph stands for its letter: concatenated texts give the line. */
    char joined[256] = "";
    for (size_t i = 0; i < a.n; i++)
        strncat(joined, a.text + a.g[i].text_off, a.g[i].text_len);
    assert_string_equal(joined, "VĂN PHÒNG UBND TỈNH Nguyễn");
    /* Width: Liberation Serif is metric-compatible with Times New Roman,
     * whose "0" is half an em. */
    vbsig__glyph_run z;
    assert_int_equal(vbsig__text_shape(f, "0000", &z), VBSIG_OK);
    assert_int_equal(z.width, 4 * 1024);
    vbsig__glyph_run_free(&a);
    vbsig__glyph_run_free(&b);
    vbsig__glyph_run_free(&c);
    vbsig__glyph_run_free(&z);
    vbsig__text_font_free(f);
}

static void test_refusals(void **state)
{
    (void)state;
    vbsig__text_font *f = NULL;
    assert_int_equal(vbsig__text_font_open("/nonexistent/font.ttf", &f), VBSIG_E_IO_READ);
    assert_null(f);
    uint8_t junk[64];
    memset(junk, 'x', sizeof junk);
    assert_int_equal(vbsig__text_font_from_mem(junk, sizeof junk, "junk", &f), VBSIG_E_UNSUPPORTED);
    memcpy(junk, "OTTO\0\x01\0\0", 8);
    int rc = vbsig__text_font_from_mem(junk, sizeof junk, "cff", &f);
    assert_true(rc == VBSIG_E_UNSUPPORTED || rc == VBSIG_E_MALFORMED);
    assert_int_equal(vbsig__text_font_from_mem(junk, 0, "empty", &f), VBSIG_E_MALFORMED);
    assert_int_equal(vbsig__text_font_from_mem(junk, VBSIG__FONT_MAX_BYTES + 1u, "huge", &f), VBSIG_E_LIMIT);

    /* Truncations of the real font: refused or loaded, never a crash;
     * and shaping with what loaded stays safe. */
    size_t len = 0;
    uint8_t *ttf = read_all(VBSIG__DEFAULT_FONT_PATH, &len);
    size_t cuts[] = {12, 100, 300, 1000, 5000, len / 2, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        rc = vbsig__text_font_from_mem(ttf, cuts[i], "cut", &f);
        if (rc == VBSIG_OK) {
            vbsig__glyph_run r;
            if (vbsig__text_shape(f, "15/QĐ-UBND", &r) == VBSIG_OK)
                vbsig__glyph_run_free(&r);
            vbsig__text_font_free(f);
        } else {
            assert_null(f);
            assert_true(rc == VBSIG_E_MALFORMED || rc == VBSIG_E_UNSUPPORTED);
        }
    }
    free(ttf);

    assert_int_equal(vbsig__text_font_open(NULL, &f), VBSIG_OK);
    vbsig__glyph_run r;
    assert_int_equal(vbsig__text_shape(f, "line\nbreak", &r), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig__text_shape(f, "bad \xC3(", &r), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig__text_shape(f, "CJK \xE4\xB8\x80", &r), VBSIG_E_UNSUPPORTED); /* U+4E00 */
    assert_non_null(strstr(vbsig_last_error(), "U+4E00"));
    char *long_text = malloc(VBSIG__TEXT_MAX_BYTES + 2);
    assert_non_null(long_text);
    memset(long_text, 'a', VBSIG__TEXT_MAX_BYTES + 1);
    long_text[VBSIG__TEXT_MAX_BYTES + 1] = 0;
    assert_int_equal(vbsig__text_shape(f, long_text, &r), VBSIG_E_LIMIT);
    free(long_text);
    vbsig__text_font_free(f);
}

/* The renumbered subset, read back by HarfBuzz: each new glyph has the
 * outline extents and advance of the old glyph it came from. */
static void test_subset_renumbering(void **state)
{
    (void)state;
    vbsig__text_font *f = NULL;
    assert_int_equal(vbsig__text_font_open(NULL, &f), VBSIG_OK);
    vbsig__glyph_run r;
    assert_int_equal(vbsig__text_shape(f, "SAO Y VĂN PHÒNG UBND TỈNH 2026-11-22T09:30:15+07:00", &r), VBSIG_OK);
    uint32_t gids[128];
    for (size_t i = 0; i < r.n; i++)
        gids[i] = r.g[i].gid;
    vbsig__font_subset s;
    uint32_t cps[128];
    size_t ncps = 0;
    for (size_t i = 0; i < r.text_len;)
        cps[ncps++] = vbsig__utf8_decode(r.text, r.text_len, &i);
    assert_int_equal(vbsig__font_subset_make(f, gids, r.n, cps, ncps, &s), VBSIG_OK);
    assert_true(s.n >= 20 && s.n < 60);
    assert_true(s.file.len > 1000 && s.file.len < 20000);
    assert_int_equal(s.old_gid[0], 0);
    assert_string_equal(s.ps_name, "LiberationSerif");
    assert_true(s.ascent > 800 && s.ascent < 950 && s.descent < -150 && s.descent > -300);

    hb_blob_t *fb = hb_blob_create_from_file(VBSIG__DEFAULT_FONT_PATH);
    hb_face_t *full_face = hb_face_create(fb, 0);
    hb_font_t *full = hb_font_create(full_face);
    hb_blob_t *sb = hb_blob_create((const char *)s.file.data, (unsigned)s.file.len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *sub_face = hb_face_create(sb, 0);
    hb_font_t *sub = hb_font_create(sub_face);
    assert_int_equal(hb_face_get_glyph_count(sub_face), s.n);
    for (size_t i = 0; i < r.n; i++) {
        uint32_t cid = vbsig__font_subset_cid(&s, r.g[i].gid);
        assert_true(cid != UINT32_MAX && cid < s.n);
        hb_glyph_extents_t a, b;
        assert_true(hb_font_get_glyph_extents(full, r.g[i].gid, &a));
        assert_true(hb_font_get_glyph_extents(sub, cid, &b));
        assert_memory_equal(&a, &b, sizeof a);
        assert_int_equal(hb_font_get_glyph_h_advance(full, r.g[i].gid), hb_font_get_glyph_h_advance(sub, cid));
        assert_int_equal(s.width[cid], (hb_font_get_glyph_h_advance(full, r.g[i].gid) * 1000 + 1024) / 2048);
    }
    assert_int_equal(vbsig__font_subset_cid(&s, 9999), UINT32_MAX);
    /* The subset is a font of its own: it loads, and shapes the same line
     * to the renumbered glyphs. */
    vbsig__text_font *again = NULL;
    assert_int_equal(vbsig__text_font_from_mem(s.file.data, s.file.len, "subset", &again), VBSIG_OK);
    vbsig__glyph_run r2;
    assert_int_equal(vbsig__text_shape(again, "SAO Y VĂN PHÒNG UBND TỈNH 2026-11-22T09:30:15+07:00", &r2), VBSIG_OK);
    assert_int_equal(r2.n, r.n);
    for (size_t i = 0; i < r.n; i++)
        assert_int_equal(r2.g[i].gid, vbsig__font_subset_cid(&s, r.g[i].gid));
    vbsig__glyph_run_free(&r2);
    vbsig__text_font_free(again);
    hb_font_destroy(sub);
    hb_face_destroy(sub_face);
    hb_blob_destroy(sb);
    hb_font_destroy(full);
    hb_face_destroy(full_face);
    hb_blob_destroy(fb);
    vbsig__font_subset_free(&s);
    vbsig__glyph_run_free(&r);
    vbsig__text_font_free(f);
}

static void test_tounicode(void **state)
{
    (void)state;
    vbsig__cid_text m[] = {
        {5, "Đ", 2}, {1, "A", 1}, {5, "X", 1}, /* a second mapping of CID 5: the first wins */
        {2, "", 0},                            /* no text: left out */
        {3, "fi", 2}, {4, "\xF0\x9F\x98\x80", 4}, /* U+1F600: a surrogate pair */
    };
    vbsig_bytes out;
    vbsig_bytes_init(&out);
    assert_int_equal(vbsig__tounicode_cmap(m, sizeof m / sizeof m[0], &out), VBSIG_OK);
    assert_int_equal(vbsig_bytes_append(&out, "", 1), VBSIG_OK);
    const char *t = (const char *)out.data;
    assert_non_null(strstr(t, "4 beginbfchar\n<0001> <0041>\n<0003> <00660069>\n<0004> <D83DDE00>\n<0005> <0110>\n"
                              "endbfchar\n"));
    assert_null(strstr(t, "<0002>"));
    assert_non_null(strstr(t, "/CMapType 2 def"));
    vbsig_bytes_free(&out);

    /* More than 100 entries: blocks of at most 100. */
    vbsig__cid_text many[250];
    for (int i = 0; i < 250; i++)
        many[i] = (vbsig__cid_text){(uint32_t)i + 1, "a", 1};
    vbsig_bytes_init(&out);
    assert_int_equal(vbsig__tounicode_cmap(many, 250, &out), VBSIG_OK);
    assert_int_equal(vbsig_bytes_append(&out, "", 1), VBSIG_OK);
    t = (const char *)out.data;
    assert_non_null(strstr(t, "100 beginbfchar"));
    assert_non_null(strstr(t, "50 beginbfchar"));
    assert_null(strstr(t, "250 beginbfchar"));
    vbsig_bytes_free(&out);
}

/* A sink that keeps the objects' dictionaries, as the signer's writer
 * would number them. */
struct collected {
    char dict[8][4096];
    size_t data_len[8];
    int n;
};

static int collect(void *ud, const char *dict, size_t dict_len, const uint8_t *data, size_t data_len, int flate,
                   uint32_t *num)
{
    struct collected *c = ud;
    (void)data;
    (void)flate;
    assert_true(c->n < 8 && dict_len < sizeof c->dict[0]);
    memcpy(c->dict[c->n], dict, dict_len);
    c->dict[c->n][dict_len] = 0;
    c->data_len[c->n] = data_len;
    *num = (uint32_t)(100 + c->n++);
    return VBSIG_OK;
}

static void test_embed_and_show(void **state)
{
    (void)state;
    vbsig__text_font *f = NULL;
    assert_int_equal(vbsig__text_font_open(NULL, &f), VBSIG_OK);
    vbsig__glyph_run runs[2];
    assert_int_equal(vbsig__text_shape(f, "15/QĐ-UBND", &runs[0]), VBSIG_OK);
    assert_int_equal(vbsig__text_shape(f, "AVAT Tiếng Việt", &runs[1]), VBSIG_OK);
    struct collected c;
    memset(&c, 0, sizeof c);
    vbsig__embedded_font e;
    assert_int_equal(vbsig__font_embed(f, runs, 2, collect, &c, &e), VBSIG_OK);
    assert_int_equal(c.n, 5);
    assert_int_equal(e.type0_num, 104);
    assert_non_null(strstr(c.dict[0], "/Length1 "));
    assert_int_equal(c.data_len[0], e.sub.file.len);
    assert_non_null(strstr(c.dict[1], "/FontFile2 100 0 R"));
    assert_non_null(strstr(c.dict[3], "/Subtype /CIDFontType2"));
    assert_non_null(strstr(c.dict[3], "/FontDescriptor 101 0 R"));
    assert_non_null(strstr(c.dict[3], "/CIDToGIDMap /Identity"));
    assert_non_null(strstr(c.dict[3], "/W [0 ["));
    assert_non_null(strstr(c.dict[4], "/Encoding /Identity-H /DescendantFonts [103 0 R] /ToUnicode 102 0 R"));
    /* The subset tag: six capitals and a plus. */
    const char *bf = strstr(c.dict[4], "/BaseFont /");
    assert_non_null(bf);
    bf += strlen("/BaseFont /");
    for (int i = 0; i < 6; i++)
        assert_true(bf[i] >= 'A' && bf[i] <= 'Z');
    assert_memory_equal(bf + 6, "+LiberationSerif ", 17);

    vbsig_bytes content;
    vbsig_bytes_init(&content);
    assert_int_equal(vbsig__font_show_run(&e, f, &runs[1], "F1", 10, 12.5, 3, &content), VBSIG_OK);
    assert_int_equal(vbsig_bytes_append(&content, "", 1), VBSIG_OK);
    const char *t = (const char *)content.data;
    assert_memory_equal(t, "/F1 10 Tf 1 0 0 1 12.5 3 Tm\n[<", 30);
    assert_non_null(strstr(t, "] TJ\n"));
    /* "AVAT" is kerned in Liberation Serif (GPOS): after the A the pen
     * moves back by about a tenth of an em, a positive TJ number. */
    const char *after_a = strchr(t, '[') + 1 + 6;
    assert_true(*after_a == ' ');
    double kern = strtod(after_a, NULL);
    assert_true(kern > 50 && kern < 200);
    vbsig_bytes_free(&content);
    vbsig__embedded_font_free(&e);
    vbsig__glyph_run_free(&runs[0]);
    vbsig__glyph_run_free(&runs[1]);
    vbsig__text_font_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_font_shapes_vietnamese),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_subset_renumbering),
        cmocka_unit_test(test_tounicode),
        cmocka_unit_test(test_embed_and_show),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
