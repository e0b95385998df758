/* Classic cross-reference tables (ISO 32000-1 §7.5.4) and their trailers.
 * Entries are read as tokens, not as fixed 20-byte records, so the common
 * one-byte end-of-line variants read the same. */
#include "pdf/pdf_internal.h"

static int fail_at(const vbsig_pdf_doc *doc, size_t at, const char *what)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: %s at offset %zu"), doc->name, what, at);
}

static int read_entry(const vbsig_pdf_doc *doc, pdf_lexer *lx, pdf_section *sec, size_t *cap, uint32_t num)
{
    pdf_token off, gen, kind;
    int rc;
    if ((rc = pdf_lex_next(lx, &off)) != VBSIG_OK || (rc = pdf_lex_next(lx, &gen)) != VBSIG_OK ||
        (rc = pdf_lex_next(lx, &kind)) != VBSIG_OK)
        return rc;
    int in_use = pdf_tok_is_keyword(lx, &kind, "n");
    if (off.kind != PDF_TOK_INT || gen.kind != PDF_TOK_INT || off.integer < 0 || gen.integer < 0 ||
        (in_use && gen.integer > 65535) || (!in_use && !pdf_tok_is_keyword(lx, &kind, "f")))
        return fail_at(doc, off.start, _("malformed cross-reference entry"));
    pdf_entry e = {0};
    e.num = num;
    /* MuPDF writes 65536 for the head of the free list; a free entry's
     * generation only matters for reuse, so it is clamped. */
    e.gen = (uint16_t)(gen.integer > 65535 ? 65535 : gen.integer);
    e.kind = in_use ? PDF_ENTRY_FILE : PDF_ENTRY_FREE;
    e.where = (uint64_t)off.integer;
    return pdf_entries_push(sec, cap, &e);
}

int pdf_read_xref_table(vbsig_pdf_doc *doc, size_t offset, pdf_section *sec)
{
    pdf_lexer lx;
    pdf_lexer_init(&lx, doc->data, doc->len, offset, doc->name, 1);
    pdf_token t;
    int rc = pdf_lex_next(&lx, &t);
    if (rc != VBSIG_OK)
        return rc;
    if (!pdf_tok_is_keyword(&lx, &t, "xref"))
        return fail_at(doc, offset, _("no cross-reference table"));
    size_t cap = 0;
    for (;;) {
        if ((rc = pdf_lex_next(&lx, &t)) != VBSIG_OK)
            return rc;
        if (pdf_tok_is_keyword(&lx, &t, "trailer"))
            break;
        if (t.kind != PDF_TOK_INT) {
            if (t.kind == PDF_TOK_EOF || pdf_tok_is_keyword(&lx, &t, "startxref"))
                return fail_at(doc, offset, _("no trailer after the cross-reference table"));
            return fail_at(doc, t.start, _("expected a cross-reference subsection or trailer"));
        }
        pdf_token count;
        if ((rc = pdf_lex_next(&lx, &count)) != VBSIG_OK)
            return rc;
        if (count.kind != PDF_TOK_INT || t.integer < 0 || count.integer < 0)
            return fail_at(doc, t.start, _("malformed cross-reference subsection header"));
        if ((uint64_t)t.integer + (uint64_t)count.integer > doc->lim.max_objects ||
            sec->count + (uint64_t)count.integer > doc->lim.max_objects)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: the cross-reference table at offset %zu lists more objects than the limit of %u"),
                              doc->name, offset, doc->lim.max_objects);
        for (int64_t i = 0; i < count.integer; i++)
            if ((rc = read_entry(doc, &lx, sec, &cap, (uint32_t)(t.integer + i))) != VBSIG_OK)
                return rc;
    }
    size_t dict_at = lx.pos;
    if ((rc = pdf_parse_object(&lx, doc->lim.max_depth, &sec->trailer)) != VBSIG_OK)
        return rc;
    if (sec->trailer->type != VBSIG_PDF_DICT)
        return fail_at(doc, dict_at, _("the trailer is not a dictionary"));
    sec->body_end = lx.pos;
    return VBSIG_OK;
}
