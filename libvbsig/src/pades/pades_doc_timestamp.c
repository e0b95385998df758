/* PDF document timestamps (ISO 32000-2 §12.8.5, ETSI EN 319 142-1
 * ETSI.RFC3161): an incremental update whose signature dictionary holds an
 * RFC 3161 token over the byte ranges instead of a CMS signature. The
 * reservation cannot be sized from a trial (the TSA decides the token's
 * size), so a token that does not fit makes the update be laid out again
 * with room for it and a new token be asked for. */
#include <stdlib.h>
#include <string.h>

#include "cms/cms.h"
#include "crypto/crypto.h"
#include "pades/pades.h"
#include "pdf/pdf_internal.h"

/* A token with the TSA certificate and a short chain is 3 to 6 KiB. */
#define DOC_TS_FIRST_RESERVATION 16384
#define DOC_TS_MAX_RESERVATION (1u << 20)
#define DOC_TS_MAX_ATTEMPTS 3

static int hash_update(const vbsig_pdf_doc *doc, const pades_update *u, vbsig_digest_alg alg, uint8_t *md,
                       unsigned *md_len)
{
    size_t in_len = 0;
    const uint8_t *in = vbsig_pdf_data(doc, &in_len);
    size_t after = u->contents_at + u->contents_len;
    vbsig_cms_range r[3] = {{in, in_len, 0, NULL},
                            {u->bytes.data, u->contents_at, 0, NULL},
                            {u->bytes.data + after, u->bytes.len - after, 0, NULL}};
    return vbsig_cms_digest_ranges(vbsig_digest_md(alg), r, 3, md, md_len);
}

static void embed_hex(pades_update *u, const vbsig_buf *der)
{
    static const char digits[] = "0123456789abcdef";
    uint8_t *w = u->bytes.data + u->contents_at + 1;
    for (size_t i = 0; i < der->len; i++) {
        *w++ = (uint8_t)digits[der->data[i] >> 4];
        *w++ = (uint8_t)digits[der->data[i] & 15];
    }
}

int pades_doc_timestamp_update(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, vbsig_pdf_doc *doc, pades_update *out)
{
    if (tsp == NULL || tsp->url_count == 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a document timestamp needs a timestamp authority (--tsa URL)"));
    vbsig_digest_alg alg = tsp->digest != 0 ? tsp->digest : VBSIG_DIGEST_SHA256;
    size_t reserved = DOC_TS_FIRST_RESERVATION;
    for (int attempt = 0; attempt < DOC_TS_MAX_ATTEMPTS; attempt++) {
        uint8_t md[EVP_MAX_MD_SIZE];
        unsigned md_len = 0;
        vbsig_buf token = {0};
        int rc = pades_layout_doc_timestamp(doc, reserved, out);
        if (rc == VBSIG_OK)
            rc = hash_update(doc, out, alg, md, &md_len);
        if (rc == VBSIG_OK)
            rc = vbsig_tsp_timestamp_digest(ctx, tsp, alg, md, md_len, &token);
        if (rc == VBSIG_OK && token.len <= reserved) {
            embed_hex(out, &token);
            vbsig_buf_free(&token);
            return VBSIG_OK;
        }
        if (rc == VBSIG_OK && token.len > DOC_TS_MAX_RESERVATION)
            rc = vbsig_fail(VBSIG_E_LIMIT, _("the timestamp token is %zu bytes, more than the %u a PDF may hold here"),
                            token.len, (unsigned)DOC_TS_MAX_RESERVATION);
        if (rc == VBSIG_OK)
            reserved = token.len + 1024;
        vbsig_buf_free(&token);
        pades_update_free(out);
        if (rc != VBSIG_OK)
            return rc;
    }
    return vbsig_fail(VBSIG_E_INTERNAL, _("the timestamp token did not fit its reservation after %d tries"),
                      DOC_TS_MAX_ATTEMPTS);
}

int vbsig_pades_timestamp_file(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const char *in_path, const char *out_path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(tsp, "tsp");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    vbsig_i18n_ensure();
    if (in_path == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no input or no output file"));
    vbsig_pdf_doc *doc = NULL;
    int rc = pades_open_input(ctx, in_path, out_path, &doc);
    if (rc != VBSIG_OK)
        return rc;
    pades_update u;
    memset(&u, 0, sizeof u);
    rc = pades_doc_timestamp_update(ctx, tsp, doc, &u);
    if (rc == VBSIG_OK) {
        size_t in_len = 0;
        const uint8_t *in = vbsig_pdf_data(doc, &in_len);
        const vbsig_bytes *parts[1] = {&u.bytes};
        rc = pades_write_parts(out_path, in, in_len, parts, 1);
    }
    pades_update_free(&u);
    vbsig_pdf_close(doc);
    return rc;
}
