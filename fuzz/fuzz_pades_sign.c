/* libFuzzer harness: the PAdES update layout on hostile PDFs. Whatever the
 * reader accepts, the update the signer appends must make a file the
 * reader accepts again, with exactly one more revision, a /Contents gap
 * where the /ByteRange says, and one more signed signature field. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pades/pades.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vbsig_ctx *g_ctx;

static vbsig_ctx *fuzz_ctx(void)
{
    if (g_ctx == NULL && vbsig_ctx_new(&g_ctx) == VBSIG_OK) {
        vbsig_ctx_set_limit(g_ctx, VBSIG_LIMIT_INFLATED_SIZE, 4u << 20);
        vbsig_ctx_set_limit(g_ctx, VBSIG_LIMIT_PDF_OBJECTS, 100000);
    }
    return g_ctx;
}

static size_t signed_fields(vbsig_pdf_doc *doc)
{
    vbsig_pdf_sig_field *f = NULL;
    size_t n = 0, k = 0;
    if (vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &f, &n) != VBSIG_OK)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        k += f[i].value != NULL;
    vbsig_pdf_sig_fields_free(f, n);
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vbsig_ctx *ctx = fuzz_ctx();
    vbsig_pdf_doc *doc = NULL;
    if (ctx == NULL || vbsig_pdf_open_memory(&doc, ctx, data, size, "fuzz.pdf", 0) != VBSIG_OK)
        return 0;
    size_t before = signed_fields(doc);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    o.reason = "Ph\xc3\xaa duy\xe1\xbb\x87t";
    pades_update u;
    if (before != (size_t)-1 && pades_layout(doc, &o, 1764547200, 64, &u) == VBSIG_OK) {
        size_t n = size + u.bytes.len;
        uint8_t *out = malloc(n);
        if (out == NULL)
            abort();
        memcpy(out, data, size);
        memcpy(out + size, u.bytes.data, u.bytes.len);
        size_t a = size + u.contents_at, b = a + u.contents_len;
        if (out[a] != '<' || out[b - 1] != '>' || b > n)
            abort();
        vbsig_pdf_doc *signed_doc = NULL;
        if (vbsig_pdf_open_memory(&signed_doc, ctx, out, n, "signed.pdf", 0) != VBSIG_OK)
            abort(); /* the signer would write a file nobody can read */
        if (vbsig_pdf_revision_count(signed_doc) != vbsig_pdf_revision_count(doc) + 1)
            abort();
        if (signed_fields(signed_doc) != before + 1)
            abort();
        vbsig_pdf_close(signed_doc);
        free(out);
        pades_update_free(&u);
    }
    vbsig_pdf_close(doc);
    return 0;
}
