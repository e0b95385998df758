/* Positioned text (pdf_text_extract.c, pdf_text_lines.c), its fonts
 * (pdf_cmap.c, pdf_text_font.c, pdf_glyph_names.c), NFC (util/unicode_nfc.c)
 * and the signature gap below a text anchor (pdf_anchor.c), on a document
 * built here: a simple font with /Widths and /Differences, a Type0
 * Identity-H font with a ToUnicode CMap (bfrange, bfrange arrays, bfchar,
 * a decomposed destination), a form XObject, and two pages, the first with
 * a signature block laid out as Decree 30 does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdf/pdf_anchor.h"
#include "pdf/pdf_builder.h"
#include "pdf/pdf_cmap.h"
#include "pdf/pdf_internal.h"
#include "pdf/pdf_text_font.h"
#include "pdf/pdf_text_lines.h"
#include "util/unicode_nfc.h"

static const char tounicode[] =
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Test def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "2 beginbfrange\n<0020> <007E> <0020>\n<0100> <0101> [<1EE6> <1ECA>]\nendbfrange\n"
    "5 beginbfchar\n<0102> <00C2>\n<0103> <00D3>\n<0104> <1EC5>\n<0105> <0103>\n<0200> <00550309>\nendbfchar\n"
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/* UTF-8 to the Identity-H codes of font F2 as hex ('~' is the code whose
 * ToUnicode text is "U" and a combining hook above). */
static void cid_hex(const char *s, char *out)
{
    static const uint32_t map[][2] = {{0x1EE6, 0x100}, {0x1ECA, 0x101}, {0xC2, 0x102},
                                      {0xD3, 0x103},   {0x1EC5, 0x104}, {0x103, 0x105}};
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    out[o++] = '<';
    while (*p != 0) {
        uint32_t c = *p++;
        if (c >= 0xE0) {
            c = (c & 0x0F) << 12 | (uint32_t)(p[0] & 0x3F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else if (c >= 0xC0) {
            c = (c & 0x1F) << 6 | (p[0] & 0x3F);
            p += 1;
        }
        uint32_t cid = c == '~' ? 0x200 : c;
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (map[i][0] == c)
                cid = map[i][1];
        o += (size_t)sprintf(out + o, "%04X", cid);
    }
    out[o++] = '>';
    out[o] = 0;
}

static pdfb g_pdf;
static vbsig_pdf_doc *g_doc;
static const vbsig_pdf_obj *g_res;

static void stream_obj(pdfb *p, unsigned num, const char *dict, const char *data)
{
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    vbsig_bytes_printf(&b, "<< %s /Length %zu >>\nstream\n%s\nendstream", dict, strlen(data), data);
    p->off[num] = p->b.len;
    pdfb_printf(p, "%u 0 obj\n", num);
    pdfb_raw(p, b.data, b.len);
    pdfb_printf(p, "\nendobj\n");
    vbsig_bytes_free(&b);
}

/* Page 1: a signature block in F2 13 pt on the right, the "Nơi nhận" list
 * in F1 10 pt on the left; page 2: body text only. */
static void page1_content(char *out, size_t cap)
{
    char tm[256], kt[256], pho[256], name[256];
    cid_hex("TM. ỦY BAN NHÂN DÂN", tm);
    cid_hex("KT. CHỦ TỊCH", kt);
    cid_hex("PHÓ CH~ TỊCH", pho);
    cid_hex("Nguyễn Văn A", name);
    snprintf(out, cap,
             "BT /F2 13 Tf 300 500 Td %s Tj ET\n"
             "BT /F2 13 Tf 330 484 Td %s Tj ET\n"
             "BT /F2 13 Tf 330 468 Td %s Tj ET\n"
             "BT /F2 13 Tf 340 400 Td %s Tj ET\n"
             "BT /F1 10 Tf 80 500 Td (Noi nhan:) Tj 0 -14 Td (- Luu: VT.) Tj ET\n"
             "BT /F1 10 Tf 80 440 Td (- As above;) Tj ET\n",
             tm, kt, pho, name);
}

static int setup(void **state)
{
    (void)state;
    pdfb *p = &g_pdf;
    pdfb_begin(p);
    pdfb_obj(p, 1, 0, "<< /Type /Catalog /Pages 2 0 R >>");
    pdfb_obj(p, 2, 0, "<< /Type /Pages /Kids [3 0 R 11 0 R] /Count 2 /MediaBox [0 0 595 842] /Resources 4 0 R >>");
    pdfb_obj(p, 3, 0, "<< /Type /Page /Parent 2 0 R /Contents 10 0 R >>");
    pdfb_obj(p, 4, 0, "<< /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /Fm1 9 0 R >> /ExtGState << /G1 << /Font [5 0 R "
                      "20] >> >> >>");
    char f1[2048];
    size_t n = (size_t)snprintf(f1, sizeof f1,
                                "<< /Type /Font /Subtype /TrueType /FirstChar 1 /LastChar 128 /FontDescriptor 13 0 R "
                                "/Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /Uhookabove /Dcroat "
                                "/ohornhookabove /uni1EA1 /u1EA0 /a.sc] >> /Widths [");
    for (int i = 0; i < 128; i++)
        n += (size_t)snprintf(f1 + n, sizeof f1 - n, "500 ");
    snprintf(f1 + n, sizeof f1 - n, "] >>");
    pdfb_obj(p, 5, 0, f1);
    pdfb_obj(p, 6, 0, "<< /Type /Font /Subtype /Type0 /BaseFont /T /Encoding /Identity-H /DescendantFonts [7 0 R] "
                      "/ToUnicode 8 0 R >>");
    pdfb_obj(p, 7, 0, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /T /DW 500 /W [256 [700 700 700 700 700 700] "
                      "512 512 700] /FontDescriptor 14 0 R >>");
    stream_obj(p, 8, "", tounicode);
    stream_obj(p, 9, "/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 50 50]",
               "BT /F1 10 Tf (X) Tj ET");
    char content[4096];
    page1_content(content, sizeof content);
    stream_obj(p, 10, "", content);
    pdfb_obj(p, 11, 0, "<< /Type /Page /Parent 2 0 R /Contents 12 0 R >>");
    stream_obj(p, 12, "", "BT /F1 10 Tf 80 700 Td (Annex: the list of offices) Tj ET");
    pdfb_obj(p, 13, 0, "<< /Type /FontDescriptor /Ascent 900 /Descent -200 /FontBBox [0 -200 1000 900] >>");
    pdfb_obj(p, 14, 0, "<< /Type /FontDescriptor /Ascent 800 /Descent -300 /FontBBox [0 -300 1000 800] >>");
    unsigned e[16][3];
    size_t k = 0;
    for (unsigned num = 1; num <= 14; num++) {
        e[k][0] = num;
        e[k][1] = 0;
        e[k][2] = 1;
        k++;
    }
    e[k][0] = 0;
    pdfb_xref(p, (const unsigned(*)[3])e, "/Size 15 /Root 1 0 R");
    if (vbsig_pdf_open_memory(&g_doc, NULL, p->b.data, p->b.len, "text.pdf", 0) != VBSIG_OK)
        return -1;
    return vbsig_pdf_get_object(g_doc, VBSIG_PDF_NEWEST, 4, 0, &g_res) == VBSIG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vbsig_pdf_close(g_doc);
    pdfb_free(&g_pdf);
    return 0;
}

#define EPS 1e-6
#define assert_near(a, b)                                                                                    \
    do {                                                                                                     \
        double a_ = (a), b_ = (b);                                                                           \
        if (a_ < b_ - EPS || a_ > b_ + EPS)                                                                  \
            fail_msg("%s is %.6f, expected %.6f", #a, a_, b_);                                               \
    } while (0)

static void text(const char *content, vbsig_pdf_text_page *tp)
{
    assert_int_equal(vbsig_pdf_content_text(g_doc, VBSIG_PDF_NEWEST, (const uint8_t *)content, strlen(content), g_res, tp),
                     VBSIG_OK);
}

static void expect_line(const vbsig_pdf_text_page *tp, size_t i, const char *s, double x0, double y0, double x1,
                        double y1)
{
    assert_true(i < tp->count);
    const vbsig_pdf_text_line *l = &tp->lines[i];
    assert_string_equal(l->text, s);
    assert_int_equal(l->len, strlen(s));
    assert_near(l->box.x0, x0);
    assert_near(l->box.y0, y0);
    assert_near(l->box.x1, x1);
    assert_near(l->box.y1, y1);
}

/* ---- CMaps ---- */

static void cmap_of(const char *s, pdf_cmap *cm)
{
    pdf_cmap_init(cm);
    assert_int_equal(pdf_cmap_parse(cm, (const uint8_t *)s, strlen(s)), VBSIG_OK);
}

static void expect_map(const pdf_cmap *cm, uint32_t code, size_t nbytes, const uint32_t *want, size_t nwant)
{
    uint32_t cps[8];
    size_t n;
    assert_int_equal(pdf_cmap_lookup(cm, code, nbytes, cps, 8, &n), nwant > 0);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cps[i], want[i]);
}

static void test_cmap_mappings(void **state)
{
    (void)state;
    pdf_cmap cm;
    cmap_of(tounicode, &cm);
    assert_int_equal(cm.nspaces, 1);
    expect_map(&cm, 0x41, 2, (const uint32_t[]){0x41}, 1);       /* bfrange, counting up */
    expect_map(&cm, 0x7E, 2, (const uint32_t[]){0x7E}, 1);
    expect_map(&cm, 0x7F, 2, NULL, 0);                           /* past the range */
    expect_map(&cm, 0x101, 2, (const uint32_t[]){0x1ECA}, 1);    /* bfrange array */
    expect_map(&cm, 0x104, 2, (const uint32_t[]){0x1EC5}, 1);    /* bfchar */
    expect_map(&cm, 0x200, 2, (const uint32_t[]){0x55, 0x309}, 2); /* two units */
    pdf_cmap_free(&cm);

    /* surrogate pairs, a three-letter ligature, a later mapping winning,
     * one-byte codes, and PostScript braces stepped over */
    cmap_of("{ dup } bind 2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange\n"
            "3 beginbfchar <41> <D835DC00> <42> <006600660069> <43> <0043> endbfchar\n"
            "1 beginbfrange <43> <44> <0061> endbfrange\n"
            "1 beginbfchar <8001> <4E2D> endbfchar",
            &cm);
    expect_map(&cm, 0x41, 1, (const uint32_t[]){0x1D400}, 1);
    expect_map(&cm, 0x42, 1, (const uint32_t[]){'f', 'f', 'i'}, 3);
    expect_map(&cm, 0x43, 1, (const uint32_t[]){'a'}, 1);
    expect_map(&cm, 0x44, 1, (const uint32_t[]){'b'}, 1);
    expect_map(&cm, 0x8001, 2, (const uint32_t[]){0x4E2D}, 1);
    pdf_cmap_free(&cm);
    /* a wide range under many single codes still maps the codes between */
    vbsig_bytes wide;
    vbsig_bytes_init(&wide);
    vbsig_bytes_append_str(&wide, "1 beginbfrange <0000> <FFFF> <0000> endbfrange beginbfchar ");
    for (unsigned i = 0; i < 100; i++)
        vbsig_bytes_printf(&wide, "<%04X> <0041>\n", 0x100 + 2 * i);
    vbsig_bytes_append_str(&wide, "endbfchar");
    cmap_of((const char *)wide.data, &cm);
    vbsig_bytes_free(&wide);
    expect_map(&cm, 0x100, 2, (const uint32_t[]){'A'}, 1);
    expect_map(&cm, 0x101, 2, (const uint32_t[]){0x101}, 1);
    expect_map(&cm, 0x1C7, 2, (const uint32_t[]){0x1C7}, 1);
    expect_map(&cm, 0x1C6, 2, (const uint32_t[]){'A'}, 1);
    pdf_cmap_free(&cm);
    cmap_of("2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange "
            "3 beginbfchar <41> <D835DC00> <42> <006600660069> <43> <0043> endbfchar "
            "1 beginbfrange <43> <44> <0061> endbfrange 1 beginbfchar <8001> <4E2D> endbfchar",
            &cm);
    /* the same value with another width is found when no exact one is */
    expect_map(&cm, 0x41, 2, (const uint32_t[]){0x1D400}, 1);
    const uint8_t two[] = {0x80, 0x01}, one[] = {0x41, 0x80}, none[] = {0x7F + 1};
    assert_int_equal(pdf_cmap_code_length(&cm, two, 2), 2);
    assert_int_equal(pdf_cmap_code_length(&cm, one, 2), 1);
    assert_int_equal(pdf_cmap_code_length(&cm, none, 1), 0);
    pdf_cmap_free(&cm);
}

static void test_cmap_hostile(void **state)
{
    (void)state;
    pdf_cmap cm;
    /* cut short, odd digits, wrong token kinds, reversed ranges, overlong codes */
    cmap_of("beginbfchar <4> <0041> /x <0042> <0102030405> <0043> (s) <0044> <45> endbfchar "
            "beginbfrange <50> <4F> <0041> <60> <62> [<0061> (x) <0063> <0064>] <70> <71> /name "
            "beginbfrange <80> <81> [<0061>",
            &cm);
    expect_map(&cm, 0x40, 1, (const uint32_t[]){'A'}, 1); /* <4> is <40> */
    expect_map(&cm, 0x50, 1, NULL, 0);
    expect_map(&cm, 0x60, 1, (const uint32_t[]){'a'}, 1);
    expect_map(&cm, 0x61, 1, (const uint32_t[]){'c'}, 1);
    expect_map(&cm, 0x62, 1, (const uint32_t[]){'d'}, 1);
    expect_map(&cm, 0x80, 1, (const uint32_t[]){'a'}, 1);
    pdf_cmap_free(&cm);
    /* a flood of ranges stops at the bound */
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    vbsig_bytes_append_str(&b, "beginbfchar ");
    for (unsigned i = 0; i < PDF_CMAP_MAX_MAPS + 10; i++)
        vbsig_bytes_printf(&b, "<%04X> <0041>\n", i & 0xFFFF);
    cmap_of((const char *)b.data, &cm);
    assert_int_equal(cm.nmaps, PDF_CMAP_MAX_MAPS);
    pdf_cmap_free(&cm);
    vbsig_bytes_free(&b);
    uint16_t lone[] = {0xD800, 0x41, 0xDC00};
    uint32_t cps[3];
    assert_int_equal(pdf_utf16_to_cps(lone, 3, cps, 3), 3);
    assert_int_equal(cps[0], 0xFFFD);
    assert_int_equal(cps[1], 0x41);
    assert_int_equal(cps[2], 0xFFFD);
}

/* ---- names, encodings, NFC ---- */

static void test_glyph_names(void **state)
{
    (void)state;
    assert_int_equal(pdf_glyph_name_cp("A"), 'A');
    assert_int_equal(pdf_glyph_name_cp("space"), ' ');
    assert_int_equal(pdf_glyph_name_cp("uni1EA1"), 0x1EA1);
    assert_int_equal(pdf_glyph_name_cp("u1EA0"), 0x1EA0);
    assert_int_equal(pdf_glyph_name_cp("u1F600"), 0x1F600);
    assert_int_equal(pdf_glyph_name_cp("uni1ea1"), 0); /* lower-case digits are no AGL name */
    assert_int_equal(pdf_glyph_name_cp("Dcroat"), 0x110);
    assert_int_equal(pdf_glyph_name_cp("ohornhookabove"), 0x1EDF);
    assert_int_equal(pdf_glyph_name_cp("Acircumflexdotbelow"), 0x1EAC);
    assert_int_equal(pdf_glyph_name_cp("ecircumflextilde"), 0x1EC5);
    assert_int_equal(pdf_glyph_name_cp("uhorngrave"), 0x1EEB);
    assert_int_equal(pdf_glyph_name_cp("a.sc"), 'a');
    assert_int_equal(pdf_glyph_name_cp("f_i"), 'f');
    assert_int_equal(pdf_glyph_name_cp("g123"), 0);
    assert_int_equal(pdf_glyph_name_cp("qacute"), 0); /* no such letter */
    assert_int_equal(pdf_glyph_name_cp(""), 0);
    uint32_t t[256];
    pdf_encoding_base(PDF_ENC_WINANSI, t);
    assert_int_equal(t[0x80], 0x20AC);
    assert_int_equal(t[0x27], 0x27);
    assert_int_equal(t[0xE2], 0xE2);
    assert_int_equal(t[0x81], 0);
    pdf_encoding_base(PDF_ENC_STANDARD, t);
    assert_int_equal(t[0x27], 0x2019);
    assert_int_equal(t[0xAE], 0xFB01);
    pdf_encoding_base(PDF_ENC_MACROMAN, t);
    assert_int_equal(t[0x80], 0xC4);
}

static void expect_nfc(const char *in, const char *want)
{
    size_t len;
    char *out = vbsig_nfc_utf8(in, strlen(in), &len);
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
    free(out);
}

static void test_nfc(void **state)
{
    (void)state;
    expect_nfc("Nguye\xcc\x82\xcc\x83n", "Nguyễn");                 /* e + circumflex + tilde */
    expect_nfc("CHU\xcc\x89 TI\xcc\xa3" "CH", "CHỦ TỊCH");
    expect_nfc("a\xcc\xa3\xcc\x82", "ậ");                            /* dot below, then circumflex */
    expect_nfc("a\xcc\x82\xcc\xa3", "ậ");                            /* the other order: reordered */
    expect_nfc("U\xcc\x9b\xcc\x80", "Ừ");                            /* horn, grave */
    expect_nfc("\xe1\xba\xa1\xcc\x82", "ậ");                         /* ạ + circumflex */
    expect_nfc("ĐỐC", "ĐỐC");                                        /* already NFC */
    expect_nfc("a\xcc\x81\xcc\xa3", "ạ\xcc\x81");                    /* no letter ạ́: mark stays */
    expect_nfc("\xcc\x81" "a", "\xcc\x81" "a");                      /* a leading mark */
    expect_nfc("\xff" "A", "\xef\xbf\xbd" "A");                      /* invalid UTF-8 */
    expect_nfc("中文 x\xcc\x81", "中文 x\xcc\x81");
}

/* ---- text placement ---- */

static void test_simple_font(void **state)
{
    (void)state;
    vbsig_pdf_text_page tp;
    /* F1: every glyph 500, ascent 900, descent -200 */
    text("BT /F1 10 Tf 100 700 Td (AB) Tj ET", &tp);
    assert_int_equal(tp.count, 1);
    expect_line(&tp, 0, "AB", 100, 698, 110, 709);
    assert_near(tp.lines[0].baseline, 700);
    assert_near(tp.lines[0].size, 10);
    vbsig_pdf_text_page_free(&tp);
    /* /Differences with glyph names, WinAnsi above */
    text("BT /F1 10 Tf 0 0 Td <010203040506> Tj ( \\200) Tj ET", &tp);
    expect_line(&tp, 0, "ỦĐởạẠa €", 0, -2, 40, 9);
    vbsig_pdf_text_page_free(&tp);
    /* character spacing and horizontal scaling: (5 + 2) × 0.5 a glyph */
    text("BT /F1 10 Tf 2 Tc 50 Tz 100 700 Td (AB) Tj ET", &tp);
    expect_line(&tp, 0, "AB", 100, 698, 107, 709);
    vbsig_pdf_text_page_free(&tp);
    /* a font set by an ExtGState */
    text("BT /G1 gs 100 700 Td (A) Tj ET", &tp);
    expect_line(&tp, 0, "A", 100, 696, 110, 718);
    vbsig_pdf_text_page_free(&tp);
    /* rise */
    text("BT /F1 10 Tf 3 Ts 100 700 Td (A) Tj ET", &tp);
    assert_near(tp.lines[0].baseline, 703);
    vbsig_pdf_text_page_free(&tp);
}

static void test_type0_tounicode(void **state)
{
    (void)state;
    vbsig_pdf_text_page tp;
    char hex[256], content[512];
    cid_hex("CH~ TỊCH", hex);
    snprintf(content, sizeof content, "BT /F2 10 Tf 100 700 Td %s Tj ET", hex);
    text(content, &tp);
    /* C H Ủ(700) space T Ị(700) C H: 6 × 5 + 2 × 7 = 44; ascent 800, descent -300 */
    expect_line(&tp, 0, "CHỦ TỊCH", 100, 697, 144, 708);
    vbsig_pdf_text_page_free(&tp);
}

static void test_merging(void **state)
{
    (void)state;
    vbsig_pdf_text_page tp;
    /* a gap of 1 em is a word break; of 6 em, another line of the same row */
    text("BT /F1 10 Tf 100 700 Td (AB) Tj 20 0 Td (CD) Tj 70 0 Td (EF) Tj ET", &tp);
    assert_int_equal(tp.count, 2);
    expect_line(&tp, 0, "AB CD", 100, 698, 130, 709);
    expect_line(&tp, 1, "EF", 190, 698, 200, 709);
    assert_int_equal(tp.lines[0].row, tp.lines[1].row);
    vbsig_pdf_text_page_free(&tp);
    /* TJ adjustments: 0.3 em apart is a space, 0.1 em is not */
    text("BT /F1 10 Tf 0 0 Td [(A) -300 (B) -100 (C)] TJ ET", &tp);
    expect_line(&tp, 0, "A BC", 0, -2, 19, 9);
    vbsig_pdf_text_page_free(&tp);
    /* leading, T*, ', and rows top to bottom whatever the drawing order */
    text("BT /F1 10 Tf 12 TL 100 700 Td (A) Tj T* (B) Tj (C) ' ET BT /F1 10 Tf 100 720 Td (Z) Tj ET", &tp);
    assert_int_equal(tp.count, 4);
    assert_string_equal(tp.lines[0].text, "Z");
    assert_string_equal(tp.lines[1].text, "A");
    assert_string_equal(tp.lines[2].text, "B");
    expect_line(&tp, 3, "C", 100, 674, 105, 685);
    vbsig_pdf_text_page_free(&tp);
    /* spaces are text, not box; fake bold (drawn twice) once */
    text("BT /F1 10 Tf 100 700 Td (A  ) Tj ET BT /F1 10 Tf 100 700 Td (A) Tj ET BT /F1 10 Tf 100.3 700 Td (A) Tj ET",
         &tp);
    expect_line(&tp, 0, "A", 100, 698, 105, 709);
    vbsig_pdf_text_page_free(&tp);
    /* a baseline a little off (a superscript-free misalignment) is one row */
    text("BT /F1 10 Tf 100 700 Td (A) Tj ET BT /F1 10 Tf 108 701 Td (B) Tj ET", &tp);
    assert_int_equal(tp.count, 1);
    assert_string_equal(tp.lines[0].text, "A B");
    vbsig_pdf_text_page_free(&tp);
}

static void test_matrices_and_forms(void **state)
{
    (void)state;
    vbsig_pdf_text_page tp;
    text("q 2 0 0 2 0 0 cm BT /F1 10 Tf 10 10 Td (A) Tj ET Q BT /F1 10 Tf 100 100 Td (B) Tj ET", &tp);
    assert_int_equal(tp.count, 2);
    expect_line(&tp, 0, "B", 100, 98, 105, 109);
    expect_line(&tp, 1, "A", 20, 16, 30, 38);
    assert_near(tp.lines[1].size, 20);
    vbsig_pdf_text_page_free(&tp);
    /* Tm with scale, a form with /Matrix */
    text("BT /F1 1 Tf 10 0 0 10 200 300 Tm (A) Tj ET /Fm1 Do", &tp);
    assert_int_equal(tp.count, 2);
    expect_line(&tp, 0, "A", 200, 298, 205, 309);
    expect_line(&tp, 1, "X", 50, 48, 55, 59);
    vbsig_pdf_text_page_free(&tp);
    /* rotated and mirrored text is left out, and counted */
    text("BT /F1 10 Tf 0 1 -1 0 100 100 Tm (A) Tj -1 0 0 1 100 100 Tm (B) Tj ET", &tp);
    assert_int_equal(tp.count, 0);
    assert_int_equal(tp.skipped, 2);
    vbsig_pdf_text_page_free(&tp);
}

static void test_hostile_content(void **state)
{
    (void)state;
    vbsig_pdf_text_page tp;
    text("BT /F1 10 Tf 0 0 Td (A) Tj ] (B) Tj ET", &tp);
    assert_true(tp.truncated);
    assert_int_equal(tp.count, 1);
    vbsig_pdf_text_page_free(&tp);
    /* an unknown font: placed with the fallback (1 em a glyph) */
    text("BT /Nope 10 Tf 5 5 Td (AB) Tj ET", &tp);
    expect_line(&tp, 0, "AB", 5, 1.5, 25, 14.5);
    assert_false(tp.truncated);
    vbsig_pdf_text_page_free(&tp);
    /* operands missing or of the wrong kind, an inline image: no crash,
     * and text operators without their string say the page is cut */
    text("BT Tf Td Tm 1 Tj ' \" 1 2 (x) \" ET BI /W 1 /H 1 /BPC 8 /CS /G ID \x01 EI BT /F1 10 Tf (Q) Tj TJ ET", &tp);
    assert_true(tp.truncated);
    assert_int_equal(tp.count, 1);
    assert_string_equal(tp.lines[0].text, "Q");
    assert_int_equal(tp.skipped, 1); /* the x, shown before any Tf: size 0 */
    vbsig_pdf_text_page_free(&tp);
    /* q without Q, forms beyond the nesting limit: budgets, not crashes */
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    for (int i = 0; i < 100; i++)
        vbsig_bytes_append_str(&b, "q ");
    vbsig_bytes_append_str(&b, "BT /F1 10 Tf (A) Tj ET");
    text((const char *)b.data, &tp);
    assert_true(tp.truncated);
    assert_int_equal(tp.count, 1);
    vbsig_pdf_text_page_free(&tp);
    vbsig_bytes_free(&b);
}

/* ---- the signature gap ---- */

static void test_gap_default(void **state)
{
    (void)state;
    vbsig_pdf_signature_gap g;
    /* the last page has no title: page 1 has; the lowest title is taken */
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, NULL, -1, &g), VBSIG_OK);
    assert_int_equal(g.page, 0);
    assert_string_equal(g.anchor_text, "PHÓ CHỦ TỊCH"); /* the decomposed Ủ came out NFC */
    /* 9 glyphs of 500 and 3 of 700 at 13 pt; ascent 0.8, descent -0.3 */
    assert_near(g.anchor.x0, 330);
    assert_near(g.anchor.x1, 330 + (9 * 500 + 3 * 700) * 0.013);
    assert_near(g.anchor.y0, 468 - 0.3 * 13);
    assert_near(g.anchor.y1, 468 + 0.8 * 13);
    assert_true(g.has_next);
    assert_string_equal(g.next_text, "Nguyễn Văn A");
    assert_near(g.next.x0, 340);
    assert_near(g.next.y1, 400 + 0.8 * 13);
    /* the gap: between the two lines; its column from the left list's
     * "- As above;" (11 glyphs of 5 pt from 80) to the page's right edge */
    assert_near(g.gap.y0, 400 + 0.8 * 13);
    assert_near(g.gap.y1, 468 - 0.3 * 13);
    assert_near(g.gap.x0, 135);
    assert_near(g.gap.x1, 595);
    assert_near(g.page_box.x1, 595);
    vbsig__pdf_signature_gap_free(&g);
}

static void test_gap_anchor(void **state)
{
    (void)state;
    vbsig_pdf_signature_gap g;
    /* decomposed input, extra white space: NFC and collapsed */
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, "  KT.\tCHU\xcc\x89 TI\xcc\xa3" "CH ", 0, &g),
                     VBSIG_OK);
    assert_string_equal(g.anchor_text, "KT. CHỦ TỊCH");
    assert_string_equal(g.next_text, "PHÓ CHỦ TỊCH");
    vbsig__pdf_signature_gap_free(&g);
    /* a part of a line; the lowest line holding it */
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, "CHỦ TỊCH", -1, &g), VBSIG_OK);
    assert_string_equal(g.anchor_text, "PHÓ CHỦ TỊCH");
    vbsig__pdf_signature_gap_free(&g);
    /* case and diacritics are exact */
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, "Chủ tịch", -1, &g), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "\"Chủ tịch\""));
    assert_null(g.anchor_text);
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, "CHU TICH", -1, &g), VBSIG_E_MALFORMED);
    /* a page without it, a page out of range, bad anchors */
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, NULL, 1, &g), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "text.pdf"));
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, "CHỦ TỊCH", 1, &g), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "page 2"));
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, NULL, 2, &g), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, NULL, -2, &g), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, " \t", -1, &g), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, "\xc3", -1, &g), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig__pdf_find_signature_gap(NULL, VBSIG_PDF_NEWEST, NULL, -1, &g), VBSIG_E_INVALID_ARG);
    /* the last line of the page: no next line, the default height */
    assert_int_equal(vbsig__pdf_find_signature_gap(g_doc, VBSIG_PDF_NEWEST, "Annex", -1, &g), VBSIG_OK);
    assert_int_equal(g.page, 1);
    assert_false(g.has_next);
    assert_null(g.next_text);
    assert_near(g.gap.y1 - g.gap.y0, VBSIG_PDF_GAP_DEFAULT_EMS * 10);
    vbsig__pdf_signature_gap_free(&g);
}

static void test_title_lines(void **state)
{
    (void)state;
    assert_true(vbsig__pdf_is_title_line("CHỦ TỊCH"));
    assert_true(vbsig__pdf_is_title_line("KT. CHỦ TỊCH"));
    assert_true(vbsig__pdf_is_title_line("TM. ỦY BAN NHÂN DÂN"));
    assert_true(vbsig__pdf_is_title_line("GIÁM ĐỐC"));
    assert_true(vbsig__pdf_is_title_line("KT."));
    assert_false(vbsig__pdf_is_title_line("CHỦ TỊCH UBND TỈNH LONG AN")); /* a heading, not a title line */
    assert_false(vbsig__pdf_is_title_line("KTX. A"));
    assert_false(vbsig__pdf_is_title_line("Chủ tịch"));
    assert_false(vbsig__pdf_is_title_line("- Phòng NC (TH+KT);"));
}

/* Words of one baseline spread by justification still make the anchor. */
static void test_gap_justified(void **state)
{
    (void)state;
    char kt[64], chu[64], tich[64], pho[128], name[128], content[1024];
    cid_hex("KT.", kt);
    cid_hex("CHỦ", chu);
    cid_hex("TỊCH", tich);
    cid_hex("PHÓ CHỦ TỊCH", pho);
    cid_hex("Nguyễn Văn A", name);
    snprintf(content, sizeof content,
             "BT /F2 13 Tf 300 500 Td %s Tj 60 0 Td %s Tj 60 0 Td %s Tj ET BT /F2 13 Tf 300 484 Td %s Tj ET "
             "BT /F2 13 Tf 320 420 Td %s Tj ET",
             kt, chu, tich, pho, name);
    pdfb p;
    pdfb_begin(&p);
    pdfb_obj(&p, 1, 0, "<< /Type /Catalog /Pages 2 0 R >>");
    pdfb_obj(&p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(&p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << "
                       "/F2 6 0 R >> >> >>");
    stream_obj(&p, 4, "", content);
    /* object 6 onwards: the fonts of the shared document, copied */
    const vbsig_pdf_obj *unused;
    (void)unused;
    pdfb_obj(&p, 6, 0, "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>");
    pdfb_obj(&p, 7, 0, "<< /Type /Font /Subtype /CIDFontType2 /DW 500 /W [256 [700 700 700 700 700 700] 512 512 700] "
                       "/FontDescriptor << /Ascent 800 /Descent -300 >> >>");
    stream_obj(&p, 8, "", tounicode);
    const unsigned e[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {6, 0, 1}, {7, 0, 1}, {8, 0, 1}, {0, 0, 0}};
    pdfb_xref(&p, e, "/Size 9 /Root 1 0 R");
    vbsig_pdf_doc *doc;
    assert_int_equal(vbsig_pdf_open_memory(&doc, NULL, p.b.data, p.b.len, "justified.pdf", 0), VBSIG_OK);
    vbsig_pdf_signature_gap g;
    assert_int_equal(vbsig__pdf_find_signature_gap(doc, VBSIG_PDF_NEWEST, "KT. CHỦ TỊCH", -1, &g), VBSIG_OK);
    assert_string_equal(g.anchor_text, "KT. CHỦ TỊCH");
    assert_near(g.anchor.x0, 300);
    assert_near(g.anchor.x1, 420 + (3 * 500 + 700) * 0.013); /* to the end of TỊCH */
    assert_string_equal(g.next_text, "PHÓ CHỦ TỊCH");
    vbsig__pdf_signature_gap_free(&g);
    assert_int_equal(vbsig__pdf_find_signature_gap(doc, VBSIG_PDF_NEWEST, NULL, -1, &g), VBSIG_OK);
    assert_string_equal(g.anchor_text, "PHÓ CHỦ TỊCH");
    assert_string_equal(g.next_text, "Nguyễn Văn A");
    vbsig__pdf_signature_gap_free(&g);
    vbsig_pdf_close(doc);
    pdfb_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmap_mappings),      cmocka_unit_test(test_cmap_hostile),
        cmocka_unit_test(test_glyph_names),        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_simple_font),        cmocka_unit_test(test_type0_tounicode),
        cmocka_unit_test(test_merging),            cmocka_unit_test(test_matrices_and_forms),
        cmocka_unit_test(test_hostile_content),    cmocka_unit_test(test_gap_default),
        cmocka_unit_test(test_gap_anchor),         cmocka_unit_test(test_title_lines),
        cmocka_unit_test(test_gap_justified),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
