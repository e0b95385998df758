/* libFuzzer harness: the PDF reader on hostile bytes. Opens the input,
 * resolves every object of every revision as of that revision, decodes
 * every stream, walks the page tree and the signature fields, and checks
 * the promises the PAdES code will rely on. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pdf/pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vbsig_ctx *g_ctx;

/* Small limits keep each run fast; they change where a refusal happens,
 * not whether the code paths run. */
static vbsig_ctx *fuzz_ctx(void)
{
    if (g_ctx == NULL && vbsig_ctx_new(&g_ctx) == VBSIG_OK) {
        vbsig_ctx_set_limit(g_ctx, VBSIG_LIMIT_INFLATED_SIZE, 4u << 20);
        vbsig_ctx_set_limit(g_ctx, VBSIG_LIMIT_PDF_OBJECTS, 100000);
    }
    return g_ctx;
}

/* A string read from the file must name its exact token: PAdES hashes
 * around the /Contents span, so a wrong span would be a forged signature. */
static void check_strings(const vbsig_pdf_obj *o, const uint8_t *file, size_t len, unsigned depth)
{
    if (o == NULL || depth > 200)
        return;
    switch (o->type) {
    case VBSIG_PDF_STRING:
        if (o->u.string.in_file) {
            size_t a = o->u.string.token_start, b = o->u.string.token_end;
            if (a >= b || b > len || (file[a] != '(' && file[a] != '<') || (file[b - 1] != ')' && file[b - 1] != '>'))
                abort();
        }
        break;
    case VBSIG_PDF_ARRAY:
        for (size_t i = 0; i < o->u.array.count; i++)
            check_strings(o->u.array.items[i], file, len, depth + 1);
        break;
    case VBSIG_PDF_DICT:
        for (size_t i = 0; i < o->u.dict.count; i++)
            check_strings(o->u.dict.items[i].value, file, len, depth + 1);
        break;
    case VBSIG_PDF_STREAM:
        if (o->u.stream.data_offset > len || o->u.stream.data_len > len - o->u.stream.data_offset)
            abort();
        check_strings(o->u.stream.dict, file, len, depth + 1);
        break;
    default:
        break;
    }
}

static void walk_revision(vbsig_pdf_doc *doc, size_t r, const uint8_t *data, size_t size)
{
    vbsig_pdf_revision_info info;
    if (vbsig_pdf_revision_get(doc, r, &info) != VBSIG_OK)
        abort();
    if (info.end > size || info.start >= info.end || info.xref_offset >= size)
        abort(); /* revisions are ordered, non-empty byte ranges of the file */
    for (size_t i = 0; i < info.object_count; i++) {
        uint32_t num;
        uint16_t gen;
        int in_use;
        const vbsig_pdf_obj *o;
        if (vbsig_pdf_revision_object(doc, r, i, &num, &gen, &in_use) != VBSIG_OK)
            abort();
        if (!in_use || vbsig_pdf_get_object(doc, r, num, gen, &o) != VBSIG_OK)
            continue;
        check_strings(o, data, size, 0);
        if (o->type == VBSIG_PDF_STREAM) {
            vbsig_bytes out;
            int rc = vbsig_pdf_stream_decode(doc, r, o, &out);
            if (rc == VBSIG_OK && out.len > (4u << 20))
                abort(); /* the inflated-size limit held */
            vbsig_bytes_free(&out);
        }
    }
    size_t pages;
    (void)vbsig_pdf_page_count(doc, r, &pages);
    vbsig_pdf_sig_field *fields;
    size_t count;
    if (vbsig_pdf_sig_fields(doc, r, &fields, &count) == VBSIG_OK)
        vbsig_pdf_sig_fields_free(fields, count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vbsig_pdf_doc *doc;
    /* Strict first; what it refuses goes through the repair scan too. */
    if (vbsig_pdf_open_memory(&doc, fuzz_ctx(), data, size, "fuzz.pdf", 0) != VBSIG_OK &&
        vbsig_pdf_open_memory(&doc, fuzz_ctx(), data, size, "fuzz.pdf", VBSIG_PDF_OPEN_REPAIR) != VBSIG_OK)
        return 0;
    size_t prev_end = 0;
    for (size_t r = 0; r < vbsig_pdf_revision_count(doc); r++) {
        vbsig_pdf_revision_info info;
        if (vbsig_pdf_revision_get(doc, r, &info) != VBSIG_OK || info.start != prev_end)
            abort();
        prev_end = info.end;
        walk_revision(doc, r, data, size);
    }
    vbsig_pdf_close(doc);
    return 0;
}
