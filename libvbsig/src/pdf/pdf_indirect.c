/* One indirect object in the file: `num gen obj <object> endobj`, or a
 * stream whose data is located (never copied) using its /Length. */
#include "pdf/pdf_internal.h"

static int fail_obj(const vbsig_pdf_doc *doc, uint32_t num, size_t at, const char *what)
{
    if (num == PDF_ANY_OBJECT)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: %s at offset %zu"), doc->name, what, at);
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object %u: %s at offset %zu"), doc->name, num, what, at);
}

static int expect_header(const vbsig_pdf_doc *doc, pdf_lexer *lx, size_t offset, uint32_t num, uint16_t gen)
{
    pdf_token tn, tg, tk;
    if (pdf_lex_next(lx, &tn) != VBSIG_OK || pdf_lex_next(lx, &tg) != VBSIG_OK || pdf_lex_next(lx, &tk) != VBSIG_OK ||
        tn.kind != PDF_TOK_INT || tg.kind != PDF_TOK_INT || !pdf_tok_is_keyword(lx, &tk, "obj"))
        return fail_obj(doc, num, offset, _("no \"num gen obj\" where the cross-reference places it"));
    if (num != PDF_ANY_OBJECT && (tn.integer != (int64_t)num || tg.integer != (int64_t)gen))
        return vbsig_fail(VBSIG_E_MALFORMED,
                          _("%s: object %u %u: the cross-reference points at object %lld %lld at offset %zu"),
                          doc->name, num, gen, (long long)tn.integer, (long long)tg.integer, offset);
    return VBSIG_OK;
}

static int stream_length(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *dict, uint32_t num, size_t at,
                         int64_t *len)
{
    const vbsig_pdf_obj *l = vbsig_pdf_dict_get(dict, "Length");
    if (l != NULL && l->type == VBSIG_PDF_REF && doc->nrevisions > 0) {
        int rc = vbsig_pdf_resolve(doc, rev, l, &l);
        if (rc != VBSIG_OK)
            return rc;
    }
    if (l == NULL || l->type != VBSIG_PDF_INT || l->u.integer < 0)
        return fail_obj(doc, num, at, _("the stream has no valid /Length"));
    *len = l->u.integer;
    return VBSIG_OK;
}

/* After the keyword `stream` comes CRLF or LF; the data starts after it. */
static int stream_data_start(const vbsig_pdf_doc *doc, size_t p, uint32_t num, size_t *start)
{
    if (p < doc->len && doc->data[p] == '\r')
        p++;
    if (p >= doc->len || doc->data[p] != '\n')
        return fail_obj(doc, num, p, _("no end-of-line after the keyword stream"));
    *start = p + 1;
    return VBSIG_OK;
}

static int read_stream(vbsig_pdf_doc *doc, size_t rev, pdf_lexer *lx, uint32_t num, vbsig_pdf_obj **obj)
{
    if ((*obj)->type != VBSIG_PDF_DICT)
        return fail_obj(doc, num, lx->pos, _("a stream without a dictionary"));
    size_t start = 0;
    int64_t len = 0;
    int rc = stream_data_start(doc, lx->pos, num, &start);
    if (rc == VBSIG_OK)
        rc = stream_length(doc, rev, *obj, num, start, &len);
    if (rc != VBSIG_OK)
        return rc;
    /* The claimed length is checked against the file before anything is
     * sized by it: a 1 GiB /Length in a 30 KiB file is just malformed. */
    if ((uint64_t)len > doc->len - start)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object %u: stream /Length %lld runs past the end of the file at offset %zu"),
                          doc->name, num, (long long)len, start);
    vbsig_pdf_obj *s = pdf_obj_new(VBSIG_PDF_STREAM);
    if (s == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    s->u.stream.dict = *obj;
    s->u.stream.data_offset = start;
    s->u.stream.data_len = (size_t)len;
    *obj = s;
    lx->pos = start + (size_t)len;
    pdf_token t;
    if ((rc = pdf_lex_next(lx, &t)) != VBSIG_OK)
        return rc;
    if (!pdf_tok_is_keyword(lx, &t, "endstream"))
        return fail_obj(doc, num, t.start, _("no endstream where /Length ends the stream"));
    return VBSIG_OK;
}

int pdf_parse_indirect(vbsig_pdf_doc *doc, size_t rev, size_t offset, uint32_t num, uint16_t gen,
                       vbsig_pdf_obj **out, size_t *end)
{
    *out = NULL;
    if (offset >= doc->len)
        return fail_obj(doc, num, offset, _("the cross-reference points past the end of the file"));
    pdf_lexer lx;
    pdf_lexer_init(&lx, doc->data, doc->len, offset, doc->name, 1);
    int rc = expect_header(doc, &lx, offset, num, gen);
    vbsig_pdf_obj *obj = NULL;
    if (rc == VBSIG_OK)
        rc = pdf_parse_object(&lx, doc->lim.max_depth, &obj);
    pdf_token t;
    if (rc == VBSIG_OK)
        rc = pdf_lex_next(&lx, &t);
    if (rc == VBSIG_OK && pdf_tok_is_keyword(&lx, &t, "stream")) {
        rc = read_stream(doc, rev, &lx, num, &obj);
        if (rc == VBSIG_OK)
            rc = pdf_lex_next(&lx, &t);
    }
    if (rc == VBSIG_OK && !pdf_tok_is_keyword(&lx, &t, "endobj"))
        rc = fail_obj(doc, num, t.start, _("no endobj after the object"));
    if (rc != VBSIG_OK) {
        vbsig_pdf_obj_free(obj);
        return rc;
    }
    if (end != NULL)
        *end = lx.pos;
    *out = obj;
    return VBSIG_OK;
}
