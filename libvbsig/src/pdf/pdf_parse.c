/* Direct objects from tokens (ISO 32000-1 §7.3): numbers, strings, names,
 * arrays, dictionaries and `num gen R` references. Nesting is bounded by
 * the depth limit, so hostile input cannot exhaust the C stack. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

vbsig_pdf_obj *pdf_obj_new(vbsig_pdf_type type)
{
    vbsig_pdf_obj *o = calloc(1, sizeof *o);
    if (o != NULL)
        o->type = type;
    return o;
}

static int nomem(void)
{
    return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}

static int fail_at(const pdf_lexer *lx, size_t at, const char *what)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: %s at offset %zu"), lx->name, what, at);
}

/* After an integer: `gen R` makes it a reference. Looking ahead must not
 * consume anything when it is not one. */
static int try_reference(pdf_lexer *lx, const pdf_token *first, vbsig_pdf_obj **out)
{
    if (first->integer < 0 || first->integer > (int64_t)UINT32_MAX)
        return 0;
    size_t save = lx->pos;
    pdf_token gen, r;
    if (pdf_lex_next(lx, &gen) == VBSIG_OK && gen.kind == PDF_TOK_INT && gen.integer >= 0 &&
        gen.integer <= 65535 && pdf_lex_next(lx, &r) == VBSIG_OK && pdf_tok_is_keyword(lx, &r, "R")) {
        vbsig_pdf_obj *o = pdf_obj_new(VBSIG_PDF_REF);
        if (o == NULL)
            return -1;
        o->u.ref.num = (uint32_t)first->integer;
        o->u.ref.gen = (uint16_t)gen.integer;
        *out = o;
        return 1;
    }
    lx->pos = save;
    vbsig_error_clear();
    return 0;
}

static int grow(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return VBSIG_OK;
    size_t ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / size)
        return nomem();
    void *n = realloc(*items, ncap * size);
    if (n == NULL)
        return nomem();
    *items = n;
    *cap = ncap;
    return VBSIG_OK;
}

static int parse_array(pdf_lexer *lx, unsigned depth_left, vbsig_pdf_obj *arr)
{
    size_t cap = 0;
    for (;;) {
        pdf_token t;
        int rc = pdf_lex_peek(lx, &t);
        if (rc != VBSIG_OK)
            return rc;
        if (t.kind == PDF_TOK_ARRAY_CLOSE) {
            lx->pos = t.end;
            return VBSIG_OK;
        }
        if (t.kind == PDF_TOK_EOF)
            return fail_at(lx, t.start, _("unterminated array"));
        if ((rc = grow((void **)&arr->u.array.items, &cap, arr->u.array.count, sizeof(vbsig_pdf_obj *))) != VBSIG_OK)
            return rc;
        vbsig_pdf_obj *item = NULL;
        if ((rc = pdf_parse_object(lx, depth_left, &item)) != VBSIG_OK)
            return rc;
        arr->u.array.items[arr->u.array.count++] = item;
    }
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const vbsig_pdf_dict_item *)a)->key, ((const vbsig_pdf_dict_item *)b)->key);
}

static int parse_dict(pdf_lexer *lx, unsigned depth_left, vbsig_pdf_obj *dict, size_t open_at)
{
    size_t cap = 0;
    vbsig_pdf_dict_item **items = &dict->u.dict.items;
    for (;;) {
        pdf_token t;
        int rc = pdf_lex_next(lx, &t);
        if (rc != VBSIG_OK)
            return rc;
        if (t.kind == PDF_TOK_DICT_CLOSE)
            break;
        if (t.kind == PDF_TOK_EOF)
            return fail_at(lx, open_at, _("unterminated dictionary"));
        if (t.kind != PDF_TOK_NAME)
            return fail_at(lx, t.start, _("dictionary key is not a name"));
        if ((rc = grow((void **)items, &cap, dict->u.dict.count, sizeof **items)) != VBSIG_OK)
            return rc;
        vbsig_pdf_dict_item *it = &(*items)[dict->u.dict.count];
        size_t klen;
        if ((rc = pdf_decode_name(lx, &t, &it->key, &klen)) != VBSIG_OK)
            return rc;
        it->value = NULL;
        dict->u.dict.count++;
        if ((rc = pdf_parse_object(lx, depth_left, &it->value)) != VBSIG_OK)
            return rc;
    }
    /* Sorted keys give logarithmic lookups; a key given twice is ambiguous
     * (two readers could see two different documents), so it is refused. */
    if (dict->u.dict.count > 1)
        qsort(*items, dict->u.dict.count, sizeof **items, key_cmp);
    for (size_t i = 1; i < dict->u.dict.count; i++)
        if (strcmp((*items)[i - 1].key, (*items)[i].key) == 0)
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: key /%s appears twice in the dictionary at offset %zu"),
                              lx->name, (*items)[i].key, open_at);
    return VBSIG_OK;
}

static int parse_token(pdf_lexer *lx, const pdf_token *t, unsigned max_depth, vbsig_pdf_obj **out)
{
    vbsig_pdf_obj *o = NULL;
    int rc = VBSIG_OK;
    switch (t->kind) {
    case PDF_TOK_INT: {
        int r = try_reference(lx, t, out);
        if (r < 0)
            return nomem();
        if (r > 0)
            return VBSIG_OK;
        if ((o = pdf_obj_new(VBSIG_PDF_INT)) == NULL)
            return nomem();
        o->u.integer = t->integer;
        break;
    }
    case PDF_TOK_REAL:
        if ((o = pdf_obj_new(VBSIG_PDF_REAL)) == NULL)
            return nomem();
        o->u.real = t->real;
        break;
    case PDF_TOK_STRING:
    case PDF_TOK_HEXSTRING:
        if ((o = pdf_obj_new(VBSIG_PDF_STRING)) == NULL)
            return nomem();
        o->u.string.hex = t->kind == PDF_TOK_HEXSTRING;
        o->u.string.token_start = t->start;
        o->u.string.token_end = t->end;
        o->u.string.in_file = lx->in_file;
        rc = o->u.string.hex ? pdf_decode_hex(lx, t, &o->u.string.data, &o->u.string.len)
                             : pdf_decode_literal(lx, t, &o->u.string.data, &o->u.string.len);
        break;
    case PDF_TOK_NAME:
        if ((o = pdf_obj_new(VBSIG_PDF_NAME)) == NULL)
            return nomem();
        rc = pdf_decode_name(lx, t, &o->u.name.text, &o->u.name.len);
        break;
    case PDF_TOK_ARRAY_OPEN:
    case PDF_TOK_DICT_OPEN:
        if (max_depth == 0)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: arrays and dictionaries nest too deeply at offset %zu"),
                              lx->name, t->start);
        if ((o = pdf_obj_new(t->kind == PDF_TOK_ARRAY_OPEN ? VBSIG_PDF_ARRAY : VBSIG_PDF_DICT)) == NULL)
            return nomem();
        rc = t->kind == PDF_TOK_ARRAY_OPEN ? parse_array(lx, max_depth - 1, o)
                                           : parse_dict(lx, max_depth - 1, o, t->start);
        break;
    case PDF_TOK_KEYWORD:
        if (pdf_tok_is_keyword(lx, t, "true") || pdf_tok_is_keyword(lx, t, "false")) {
            if ((o = pdf_obj_new(VBSIG_PDF_BOOL)) == NULL)
                return nomem();
            o->u.boolean = pdf_tok_is_keyword(lx, t, "true");
        } else if (pdf_tok_is_keyword(lx, t, "null")) {
            if ((o = pdf_obj_new(VBSIG_PDF_NULL)) == NULL)
                return nomem();
        } else {
            return fail_at(lx, t->start, _("unexpected keyword"));
        }
        break;
    case PDF_TOK_EOF:
        return fail_at(lx, t->start, _("unexpected end of data"));
    default:
        return fail_at(lx, t->start, _("unexpected token"));
    }
    if (rc != VBSIG_OK) {
        vbsig_pdf_obj_free(o);
        return rc;
    }
    *out = o;
    return VBSIG_OK;
}

int pdf_parse_object(pdf_lexer *lx, unsigned max_depth, vbsig_pdf_obj **out)
{
    *out = NULL;
    pdf_token t;
    int rc = pdf_lex_next(lx, &t);
    if (rc != VBSIG_OK)
        return rc;
    return parse_token(lx, &t, max_depth, out);
}
