/* Cross-reference structure and revisions on purpose-built files: what a
 * verifier needs to see (as-of-revision objects, exact string spans) and
 * the tricks it must be told about (duplicates, generation games, hybrid
 * conflicts, looping or over-deep page trees, lying /Length objects). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pdf/pdf_internal.h"
#include "pdf_builder.h"

#define CATALOG "<< /Type /Catalog /Pages 2 0 R >>"
#define PAGES "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
#define PAGE "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"

static void base_document(pdfb *p)
{
    pdfb_begin(p);
    pdfb_obj(p, 1, 0, CATALOG);
    pdfb_obj(p, 2, 0, PAGES);
    pdfb_obj(p, 3, 0, PAGE);
}

static vbsig_pdf_doc *open_ok(const pdfb *p, const vbsig_ctx *ctx)
{
    vbsig_pdf_doc *doc = NULL;
    int rc = vbsig_pdf_open_memory(&doc, ctx, p->b.data, p->b.len, "built.pdf", 0);
    if (rc != VBSIG_OK)
        fail_msg("open: %s", vbsig_last_error());
    return doc;
}

static void open_fails(const pdfb *p, const vbsig_ctx *ctx, int status, const char *fragment)
{
    vbsig_pdf_doc *doc = NULL;
    int rc = vbsig_pdf_open_memory(&doc, ctx, p->b.data, p->b.len, "built.pdf", 0);
    if (rc != status || strstr(vbsig_last_error(), fragment) == NULL)
        fail_msg("open gave %d \"%s\", expected %d with \"%s\"", rc, vbsig_last_error(), status, fragment);
    assert_null(doc);
}

static void test_revisions_and_as_of(void **state)
{
    (void)state;
    pdfb p;
    base_document(&p);
    pdfb_obj(&p, 4, 0, "(original)");
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {0}};
    size_t x0 = pdfb_xref(&p, s0, "/Size 5 /Root 1 0 R");
    size_t end0 = p.b.len;
    pdfb_obj(&p, 4, 0, "(changed)");
    pdfb_obj(&p, 5, 0, "<< /Type /Sig /Contents <0011AAbb> /ByteRange [0 10 20 30] >>");
    static const unsigned s1[][3] = {{4, 0, 1}, {5, 0, 1}, {3, 0, 0}, {0}};
    char trailer[128];
    snprintf(trailer, sizeof trailer, "/Size 6 /Root 1 0 R /Prev %zu", x0);
    size_t x1 = pdfb_xref(&p, s1, trailer);
    vbsig_pdf_doc *doc = open_ok(&p, NULL);

    assert_int_equal(vbsig_pdf_revision_count(doc), 2);
    vbsig_pdf_revision_info r0, r1;
    assert_int_equal(vbsig_pdf_revision_get(doc, 0, &r0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_get(doc, 1, &r1), VBSIG_OK);
    assert_int_equal(r0.start, 0);
    assert_int_equal(r0.xref_offset, x0);
    assert_int_equal(r0.end, end0);
    assert_int_equal(r1.start, end0);
    assert_int_equal(r1.xref_offset, x1);
    assert_int_equal(r1.end, p.b.len);
    assert_int_equal(r0.flags | r1.flags, 0);
    assert_int_equal(r1.object_count, 4); /* 0, 3, 4, 5 */
    assert_int_equal(vbsig_pdf_revision_get(doc, 2, &r1), VBSIG_E_INVALID_ARG);

    uint32_t num;
    uint16_t gen;
    int in_use;
    const unsigned listed[][2] = {{0, 0}, {3, 0}, {4, 1}, {5, 1}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(vbsig_pdf_revision_object(doc, 1, i, &num, &gen, &in_use), VBSIG_OK);
        assert_int_equal(num, listed[i][0]);
        assert_int_equal(in_use, (int)listed[i][1]);
    }

    const vbsig_pdf_obj *o;
    const uint8_t *s;
    size_t n;
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 4, 0, &o), VBSIG_OK);
    assert_int_equal(vbsig_pdf_get_string(o, &s, &n), VBSIG_OK);
    assert_memory_equal(s, "original", n);
    assert_int_equal(vbsig_pdf_get_object(doc, VBSIG_PDF_NEWEST, 4, 0, &o), VBSIG_OK);
    assert_int_equal(vbsig_pdf_get_string(o, &s, &n), VBSIG_OK);
    assert_memory_equal(s, "changed", n);
    /* Object 5 did not exist in revision 0; the wrong generation is null too. */
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 5, 0, &o), VBSIG_OK);
    assert_int_equal(o->type, VBSIG_PDF_NULL);
    assert_int_equal(vbsig_pdf_get_object(doc, 1, 5, 1, &o), VBSIG_OK);
    assert_int_equal(o->type, VBSIG_PDF_NULL);
    /* The page was freed in revision 1: the page tree breaks there only. */
    size_t pages;
    assert_int_equal(vbsig_pdf_page_count(doc, 0, &pages), VBSIG_OK);
    assert_int_equal(pages, 1);
    assert_int_equal(vbsig_pdf_page_count(doc, 1, &pages), VBSIG_E_MALFORMED);

    /* The signature's /Contents span is exactly the hex string token. */
    assert_int_equal(vbsig_pdf_get_object(doc, 1, 5, 0, &o), VBSIG_OK);
    const vbsig_pdf_obj *contents = vbsig_pdf_dict_get(o, "Contents");
    assert_non_null(contents);
    assert_int_equal(contents->u.string.in_file, 1);
    assert_int_equal(contents->u.string.hex, 1);
    const char *tok = "<0011AAbb>";
    assert_int_equal(contents->u.string.token_end - contents->u.string.token_start, strlen(tok));
    assert_memory_equal(p.b.data + contents->u.string.token_start, tok, strlen(tok));
    assert_int_equal(contents->u.string.len, 4);
    assert_memory_equal(contents->u.string.data, "\x00\x11\xaa\xbb", 4);
    vbsig_pdf_close(doc);
    pdfb_free(&p);
}

static void test_duplicate_and_generation_flags(void **state)
{
    (void)state;
    pdfb p;
    base_document(&p);
    pdfb_obj(&p, 4, 1, "(gen one)");
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 1, 1}, {0}};
    size_t x0 = pdfb_xref(&p, s0, "/Size 5 /Root 1 0 R");
    pdfb_obj(&p, 4, 0, "(gen zero again)");
    pdfb_obj(&p, 5, 0, "(listed twice)");
    static const unsigned s1[][3] = {{4, 0, 1}, {5, 0, 1}, {5, 0, 1}, {0}};
    char trailer[128];
    snprintf(trailer, sizeof trailer, "/Size 6 /Root 1 0 R /Prev %zu", x0);
    pdfb_xref(&p, s1, trailer);
    vbsig_pdf_doc *doc = open_ok(&p, NULL);
    vbsig_pdf_revision_info r0, r1;
    assert_int_equal(vbsig_pdf_revision_get(doc, 0, &r0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_get(doc, 1, &r1), VBSIG_OK);
    assert_int_equal(r0.flags, 0);
    assert_int_equal(r1.flags, VBSIG_PDF_REV_DUPLICATE_OBJECT | VBSIG_PDF_REV_GENERATION_DROP);
    vbsig_pdf_close(doc);
    pdfb_free(&p);
}

/* A table whose /XRefStm places object 4 elsewhere than the table does. */
static void test_hybrid_conflict(void **state)
{
    (void)state;
    pdfb p;
    base_document(&p);
    pdfb_obj(&p, 4, 0, "(in the table)");
    size_t elsewhere = p.b.len;
    pdfb_obj(&p, 5, 0, "(hidden)");
    size_t stm_at = p.b.len;
    /* An uncompressed xref stream, W [1 4 2]: object 4 (type 1) at
     * `elsewhere`, object 6 compressed in stream 9 at index 0. */
    uint8_t rows[14] = {1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0};
    rows[1] = (uint8_t)(elsewhere >> 24);
    rows[2] = (uint8_t)(elsewhere >> 16);
    rows[3] = (uint8_t)(elsewhere >> 8);
    rows[4] = (uint8_t)elsewhere;
    pdfb_printf(&p, "7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Index [4 1 6 1] /Length 14 >>\nstream\n");
    pdfb_raw(&p, rows, sizeof rows);
    pdfb_printf(&p, "\nendstream\nendobj\n");
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {0}};
    char trailer[128];
    snprintf(trailer, sizeof trailer, "/Size 8 /Root 1 0 R /XRefStm %zu", stm_at);
    pdfb_xref(&p, s0, trailer);
    vbsig_pdf_doc *doc = open_ok(&p, NULL);
    vbsig_pdf_revision_info r0;
    assert_int_equal(vbsig_pdf_revision_get(doc, 0, &r0), VBSIG_OK);
    assert_int_equal(r0.hybrid, 1);
    assert_int_equal(r0.flags, VBSIG_PDF_REV_HYBRID_CONFLICT);
    /* The table wins, as in every hybrid-aware reader. */
    const vbsig_pdf_obj *o;
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 4, 0, &o), VBSIG_OK);
    assert_memory_equal(o->u.string.data, "in the table", 12);
    /* Object 6 sits in a stream (9) that does not exist. */
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 6, 0, &o), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "object 6 is in object stream 9"));
    vbsig_pdf_close(doc);
    pdfb_free(&p);
}

static void test_page_tree_loop_and_depth(void **state)
{
    (void)state;
    pdfb p;
    pdfb_begin(&p);
    pdfb_obj(&p, 1, 0, CATALOG);
    pdfb_obj(&p, 2, 0, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>");
    pdfb_obj(&p, 3, 0, PAGE);
    pdfb_obj(&p, 4, 0, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>");
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {0}};
    pdfb_xref(&p, s0, "/Size 5 /Root 1 0 R");
    vbsig_pdf_doc *doc = open_ok(&p, NULL);
    size_t n;
    assert_int_equal(vbsig_pdf_page_count(doc, 0, &n), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "page tree object 2: reached twice"));
    vbsig_pdf_close(doc);
    pdfb_free(&p);

    /* 80 nested /Pages nodes: deeper than the default limit of 64. */
    pdfb_begin(&p);
    pdfb_obj(&p, 1, 0, CATALOG);
    unsigned deep = 80, entries[90][3] = {{1, 0, 1}};
    for (unsigned i = 0; i < deep; i++) {
        char body[96];
        snprintf(body, sizeof body, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", i + 3);
        pdfb_obj(&p, i + 2, 0, body);
        entries[i + 1][0] = i + 2;
        entries[i + 1][2] = 1;
    }
    pdfb_obj(&p, deep + 2, 0, PAGE);
    entries[deep + 1][0] = deep + 2;
    entries[deep + 1][2] = 1;
    pdfb_xref(&p, (const unsigned (*)[3])entries, "/Size 90 /Root 1 0 R");
    doc = open_ok(&p, NULL);
    assert_int_equal(vbsig_pdf_page_count(doc, 0, &n), VBSIG_E_LIMIT);
    assert_non_null(strstr(vbsig_last_error(), "nests deeper than 64"));
    vbsig_pdf_close(doc);
    vbsig_ctx *ctx;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_limit(ctx, VBSIG_LIMIT_PDF_DEPTH, 100), VBSIG_OK);
    doc = open_ok(&p, ctx);
    assert_int_equal(vbsig_pdf_page_count(doc, 0, &n), VBSIG_OK);
    assert_int_equal(n, 1);
    vbsig_pdf_close(doc);
    vbsig_ctx_free(ctx);
    pdfb_free(&p);
}

/* A stream's /Length is an object of its own; what it says as of each
 * revision decides where the stream ends. */
static void test_indirect_length_as_of_revision(void **state)
{
    (void)state;
    pdfb p;
    base_document(&p);
    p.off[6] = p.b.len;
    pdfb_printf(&p, "6 0 obj\n<< /Length 7 0 R >>\nstream\nabc\nendstream\nendobj\n");
    pdfb_obj(&p, 7, 0, "3");
    pdfb_obj(&p, 8, 0, "<< /Length 8 0 R >>"); /* a dictionary, so no loop yet */
    p.off[9] = p.b.len;
    pdfb_printf(&p, "9 0 obj\n<< /Length 9 0 R >>\nstream\nxyz\nendstream\nendobj\n");
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {6, 0, 1}, {7, 0, 1}, {9, 0, 1}, {0}};
    size_t x0 = pdfb_xref(&p, s0, "/Size 10 /Root 1 0 R");
    pdfb_obj(&p, 7, 0, "1000");
    static const unsigned s1[][3] = {{7, 0, 1}, {0}};
    char trailer[128];
    snprintf(trailer, sizeof trailer, "/Size 10 /Root 1 0 R /Prev %zu", x0);
    pdfb_xref(&p, s1, trailer);
    vbsig_pdf_doc *doc = open_ok(&p, NULL);
    const vbsig_pdf_obj *o;
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 6, 0, &o), VBSIG_OK);
    assert_int_equal(o->u.stream.data_len, 3);
    vbsig_bytes data;
    assert_int_equal(vbsig_pdf_stream_decode(doc, 0, o, &data), VBSIG_OK);
    assert_int_equal(data.len, 3);
    assert_memory_equal(data.data, "abc", 3);
    vbsig_bytes_free(&data);
    assert_int_equal(vbsig_pdf_get_object(doc, 1, 6, 0, &o), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "object 6: stream /Length 1000 runs past the end"));
    /* Revision 0 is still read as it was. */
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 6, 0, &o), VBSIG_OK);
    assert_int_equal(o->u.stream.data_len, 3);
    /* A stream whose /Length is the stream itself. */
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 9, 0, &o), VBSIG_E_MALFORMED);
    assert_non_null(strstr(vbsig_last_error(), "object 9 0 is needed to read itself"));
    vbsig_pdf_close(doc);
    pdfb_free(&p);
}

static void test_object_and_inflate_limits(void **state)
{
    (void)state;
    pdfb p;
    base_document(&p);
    /* 64 KiB of zeros compress to a few hundred bytes. */
    size_t plain_len = 64 * 1024;
    uint8_t *plain = calloc(1, plain_len);
    uLongf packed_len = compressBound(plain_len);
    uint8_t *packed = malloc(packed_len);
    assert_non_null(plain);
    assert_non_null(packed);
    assert_int_equal(compress(packed, &packed_len, plain, plain_len), Z_OK);
    p.off[4] = p.b.len;
    pdfb_printf(&p, "4 0 obj\n<< /Length %lu /Filter /FlateDecode >>\nstream\n", (unsigned long)packed_len);
    pdfb_raw(&p, packed, packed_len);
    pdfb_printf(&p, "\nendstream\nendobj\n");
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {0}};
    pdfb_xref(&p, s0, "/Size 5 /Root 1 0 R");
    free(plain);
    free(packed);

    vbsig_pdf_doc *doc = open_ok(&p, NULL);
    const vbsig_pdf_obj *o;
    vbsig_bytes data;
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 4, 0, &o), VBSIG_OK);
    assert_int_equal(vbsig_pdf_stream_decode(doc, 0, o, &data), VBSIG_OK);
    assert_int_equal(data.len, plain_len);
    vbsig_bytes_free(&data);
    vbsig_pdf_close(doc);

    vbsig_ctx *ctx;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_limit(ctx, VBSIG_LIMIT_INFLATED_SIZE, 4096), VBSIG_OK);
    doc = open_ok(&p, ctx);
    assert_int_equal(vbsig_pdf_get_object(doc, 0, 4, 0, &o), VBSIG_OK);
    assert_int_equal(vbsig_pdf_stream_decode(doc, 0, o, &data), VBSIG_E_LIMIT);
    assert_non_null(strstr(vbsig_last_error(), "exceeds the limit of 4096 bytes"));
    vbsig_pdf_close(doc);

    assert_int_equal(vbsig_ctx_set_limit(ctx, VBSIG_LIMIT_PDF_OBJECTS, 4), VBSIG_OK);
    open_fails(&p, ctx, VBSIG_E_LIMIT, "more objects than the limit of 4");
    assert_int_equal(vbsig_ctx_set_limit(ctx, VBSIG_LIMIT_PDF_OBJECTS, 5), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_limit(ctx, VBSIG_LIMIT_PDF_DEPTH, 1), VBSIG_OK);
    /* The trailer needs one level; the catalog is fine; the page's
     * /MediaBox array inside its dictionary needs two. */
    doc = open_ok(&p, ctx);
    size_t n;
    assert_int_equal(vbsig_pdf_page_count(doc, 0, &n), VBSIG_E_LIMIT);
    assert_non_null(strstr(vbsig_last_error(), "nest too deeply"));
    vbsig_pdf_close(doc);
    vbsig_ctx_free(ctx);
    pdfb_free(&p);
}

/* Encodes rows with each PNG filter type in turn and checks the decoder
 * gives the rows back. */
static void test_png_predictors(void **state)
{
    (void)state;
    enum { COLUMNS = 7, COLORS = 3, ROWS = 10, BPP = 3, ROW = COLUMNS * COLORS };
    uint8_t plain[ROWS][ROW], prev[ROW] = {0};
    for (int r = 0; r < ROWS; r++)
        for (int i = 0; i < ROW; i++)
            plain[r][i] = (uint8_t)(r * 37 + i * i * 11 + (i % 3) * 101);
    vbsig_bytes enc;
    vbsig_bytes_init(&enc);
    for (int r = 0; r < ROWS; r++) {
        uint8_t type = (uint8_t)(r % 5), row[ROW + 1];
        row[0] = type;
        for (int i = 0; i < ROW; i++) {
            int a = i >= BPP ? plain[r][i - BPP] : 0, b = prev[i], c = i >= BPP ? prev[i - BPP] : 0, pred = 0;
            if (type == 1)
                pred = a;
            else if (type == 2)
                pred = b;
            else if (type == 3)
                pred = (a + b) / 2;
            else if (type == 4) {
                int pp = a + b - c, pa = abs(pp - a), pb = abs(pp - b), pc = abs(pp - c);
                pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
            row[1 + i] = (uint8_t)(plain[r][i] - pred);
        }
        memcpy(prev, plain[r], ROW);
        assert_int_equal(vbsig_bytes_append(&enc, row, sizeof row), VBSIG_OK);
    }
    assert_int_equal(pdf_predictor_decode(&enc, 12, COLORS, 8, COLUMNS, "rows"), VBSIG_OK);
    assert_int_equal(enc.len, sizeof plain);
    assert_memory_equal(enc.data, plain, sizeof plain);
    enc.data[0] = 9; /* not a PNG filter type; the first row's type byte is now bad */
    enc.len = ROW + 1;
    assert_int_equal(pdf_predictor_decode(&enc, 12, 1, 8, ROW, "rows"), VBSIG_E_MALFORMED);
    assert_int_equal(pdf_predictor_decode(&enc, 2, 1, 8, ROW, "rows"), VBSIG_E_UNSUPPORTED);
    assert_int_equal(pdf_predictor_decode(&enc, 12, 0, 8, ROW, "rows"), VBSIG_E_MALFORMED);
    /* A row wider than the data gives no rows, and allocates nothing by the
     * claimed width (32 colours x 16 bits x 2^24 columns would be 1 GiB). */
    assert_int_equal(pdf_predictor_decode(&enc, 12, 32, 16, 1 << 24, "rows"), VBSIG_OK);
    assert_int_equal(enc.len, 0);
    vbsig_bytes_free(&enc);

    /* Corrupt deflate data is refused, truncated data keeps what it gave. */
    vbsig_bytes out;
    vbsig_bytes_init(&out);
    assert_int_equal(pdf_flate_decode((const uint8_t *)"not zlib at all", 15, 1024, &out, "junk"), VBSIG_E_MALFORMED);
    vbsig_bytes_free(&out);
}

/* A caller's huge depth limit is capped: 200000 nested arrays must end in
 * VBSIG_E_LIMIT, not in a stack overflow. */
static void test_depth_ceiling(void **state)
{
    (void)state;
    size_t levels = 200000;
    char *body = malloc(2 * levels + 64);
    assert_non_null(body);
    strcpy(body, "<< /Type /Catalog /Pages 2 0 R /Deep ");
    size_t at = strlen(body);
    memset(body + at, '[', levels);
    memset(body + at + levels, ']', levels);
    strcpy(body + at + 2 * levels, " >>");
    pdfb p;
    pdfb_begin(&p);
    p.off[1] = p.b.len;
    pdfb_printf(&p, "1 0 obj\n");
    pdfb_raw(&p, body, strlen(body));
    pdfb_printf(&p, "\nendobj\n");
    free(body);
    pdfb_obj(&p, 2, 0, PAGES);
    pdfb_obj(&p, 3, 0, PAGE);
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {0}};
    pdfb_xref(&p, s0, "/Size 4 /Root 1 0 R");
    vbsig_ctx *ctx;
    assert_int_equal(vbsig_ctx_new(&ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_limit(ctx, VBSIG_LIMIT_PDF_DEPTH, UINT64_C(1) << 40), VBSIG_OK);
    open_fails(&p, ctx, VBSIG_E_LIMIT, "nest too deeply");
    vbsig_ctx_free(ctx);
    pdfb_free(&p);
}

static void test_prev_chain_shapes(void **state)
{
    (void)state;
    /* A /Prev that points into the middle of nowhere. */
    pdfb p;
    base_document(&p);
    static const unsigned s0[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {0}};
    pdfb_xref(&p, s0, "/Size 4 /Root 1 0 R /Prev 20");
    open_fails(&p, NULL, VBSIG_E_MALFORMED, "no \"num gen obj\" where the cross-reference places it at offset 20");
    pdfb_free(&p);
    /* A /Prev that names the section itself. */
    base_document(&p);
    size_t at = p.b.len;
    char trailer[128];
    snprintf(trailer, sizeof trailer, "/Size 4 /Root 1 0 R /Prev %zu", at);
    pdfb_xref(&p, s0, trailer);
    open_fails(&p, NULL, VBSIG_E_MALFORMED, "loops back to the section at offset");
    pdfb_free(&p);
    /* No /Root. */
    base_document(&p);
    pdfb_xref(&p, s0, "/Size 4");
    open_fails(&p, NULL, VBSIG_E_MALFORMED, "has no /Root reference");
    pdfb_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revisions_and_as_of),
        cmocka_unit_test(test_duplicate_and_generation_flags),
        cmocka_unit_test(test_hybrid_conflict),
        cmocka_unit_test(test_page_tree_loop_and_depth),
        cmocka_unit_test(test_indirect_length_as_of_revision),
        cmocka_unit_test(test_object_and_inflate_limits),
        cmocka_unit_test(test_png_predictors),
        cmocka_unit_test(test_depth_ceiling),
        cmocka_unit_test(test_prev_chain_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
