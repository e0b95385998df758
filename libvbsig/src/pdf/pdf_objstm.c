/* Object streams (ISO 32000-1 §7.5.7): a decoded stream holding N
 * `num offset` pairs, then the objects themselves from /First on. One is
 * decoded once, the first time one of its objects is needed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

void pdf_objstm_free(pdf_objstm *s)
{
    if (s == NULL)
        return;
    free(s->data);
    free(s->nums);
    free(s->offsets);
    free(s->label);
    free(s);
}

static int fail_stm(const vbsig_pdf_doc *doc, uint32_t stm, const char *what)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object stream %u: %s"), doc->name, stm, what);
}

static int read_index(const vbsig_pdf_doc *doc, uint32_t stm, pdf_objstm *s)
{
    pdf_lexer lx;
    pdf_lexer_init(&lx, s->data, s->first, 0, s->label, 0);
    for (uint32_t i = 0; i < s->count; i++) {
        pdf_token n, off;
        int rc;
        if ((rc = pdf_lex_next(&lx, &n)) != VBSIG_OK || (rc = pdf_lex_next(&lx, &off)) != VBSIG_OK)
            return rc;
        if (n.kind != PDF_TOK_INT || off.kind != PDF_TOK_INT || n.integer < 0 || n.integer > (int64_t)UINT32_MAX ||
            off.integer < 0 || (uint64_t)off.integer >= s->len - s->first)
            return fail_stm(doc, stm, _("bad entry in the object index"));
        s->nums[i] = (uint32_t)n.integer;
        s->offsets[i] = (size_t)off.integer;
    }
    return VBSIG_OK;
}

static int load(vbsig_pdf_doc *doc, size_t rev, uint32_t stm, const vbsig_pdf_obj *obj, pdf_objstm **out)
{
    int rc;
    int64_t n, first;
    if (obj->type != VBSIG_PDF_STREAM || !vbsig_pdf_is_name(vbsig_pdf_dict_get(obj, "Type"), "ObjStm") ||
        vbsig_pdf_get_int(vbsig_pdf_dict_get(obj, "N"), &n) != VBSIG_OK ||
        vbsig_pdf_get_int(vbsig_pdf_dict_get(obj, "First"), &first) != VBSIG_OK || n < 0 || first < 0)
        return fail_stm(doc, stm, _("not a /Type /ObjStm stream with /N and /First"));
    if ((uint64_t)n > doc->lim.max_objects)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: object stream %u: /N %lld is above the limit of %u objects"),
                          doc->name, stm, (long long)n, doc->lim.max_objects);
    pdf_objstm *s = calloc(1, sizeof *s);
    if (s == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    vbsig_bytes data;
    rc = vbsig_pdf_stream_decode(doc, rev, obj, &data);
    s->data = data.data;
    s->len = data.len;
    if (rc == VBSIG_OK && (uint64_t)first > s->len)
        rc = fail_stm(doc, stm, _("/First is past the end of the decoded data"));
    /* Every index entry takes at least four bytes ("1 0 "), so /N cannot
     * claim more entries than /First leaves room for. */
    if (rc == VBSIG_OK && (uint64_t)n > (uint64_t)first / 2 + 1)
        rc = fail_stm(doc, stm, _("/N claims more objects than the index can hold"));
    if (rc == VBSIG_OK) {
        s->first = (size_t)first;
        s->count = (uint32_t)n;
        s->nums = calloc((size_t)n + 1, sizeof *s->nums);
        s->offsets = calloc((size_t)n + 1, sizeof *s->offsets);
        size_t lsz = strlen(doc->name) + 48;
        s->label = malloc(lsz);
        if (s->nums == NULL || s->offsets == NULL || s->label == NULL)
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        else
            snprintf(s->label, lsz, "%s, object stream %u", doc->name, stm);
    }
    if (rc == VBSIG_OK)
        rc = read_index(doc, stm, s);
    if (rc != VBSIG_OK) {
        pdf_objstm_free(s);
        return rc;
    }
    *out = s;
    return VBSIG_OK;
}

int pdf_objstm_get(vbsig_pdf_doc *doc, size_t rev, pdf_entry *e, vbsig_pdf_obj **out)
{
    *out = NULL;
    if (e->where > UINT32_MAX)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object %u: its object stream number is out of range"), doc->name,
                          e->num);
    uint32_t stm = (uint32_t)e->where;
    size_t found_in;
    pdf_entry *se = pdf_lookup(doc, rev, stm, &found_in);
    if (se == NULL || se->kind != PDF_ENTRY_FILE)
        return vbsig_fail(VBSIG_E_MALFORMED,
                          _("%s: object %u is in object stream %u, which is not an uncompressed object in the file"),
                          doc->name, e->num, stm);
    pdf_variant *v;
    int rc = pdf_get_variant(doc, rev, stm, se->gen, &v);
    if (rc != VBSIG_OK)
        return rc;
    if (v == NULL)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object stream %u of object %u does not exist"), doc->name, stm,
                          e->num);
    if (v->objstm == NULL && (rc = load(doc, rev, stm, v->obj, &v->objstm)) != VBSIG_OK)
        return rc;
    pdf_objstm *s = v->objstm;
    if (e->index >= s->count || s->nums[e->index] != e->num)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: object %u is not at index %u of object stream %u"), doc->name,
                          e->num, e->index, stm);
    pdf_lexer lx;
    pdf_lexer_init(&lx, s->data, s->len, s->first + s->offsets[e->index], s->label, 0);
    return pdf_parse_object(&lx, doc->lim.max_depth, out);
}
