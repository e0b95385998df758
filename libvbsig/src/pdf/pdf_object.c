/* Object lifetime and typed accessors. Accessors never follow references:
 * that needs a document and a revision (pdf_resolve.c). */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

void vbsig_pdf_obj_free(vbsig_pdf_obj *o)
{
    if (o == NULL)
        return;
    switch (o->type) {
    case VBSIG_PDF_STRING:
        free(o->u.string.data);
        break;
    case VBSIG_PDF_NAME:
        free(o->u.name.text);
        break;
    case VBSIG_PDF_ARRAY:
        for (size_t i = 0; i < o->u.array.count; i++)
            vbsig_pdf_obj_free(o->u.array.items[i]);
        free(o->u.array.items);
        break;
    case VBSIG_PDF_DICT:
        for (size_t i = 0; i < o->u.dict.count; i++) {
            free(o->u.dict.items[i].key);
            vbsig_pdf_obj_free(o->u.dict.items[i].value);
        }
        free(o->u.dict.items);
        break;
    case VBSIG_PDF_STREAM:
        vbsig_pdf_obj_free(o->u.stream.dict);
        break;
    default:
        break;
    }
    free(o);
}

static const char *type_name(const vbsig_pdf_obj *o)
{
    static const char *const names[] = {"null", "boolean", "integer", "real", "string",
                                        "name", "array", "dictionary", "reference", "stream"};
    return o == NULL ? "nothing" : names[o->type];
}

static int wrong_type(const vbsig_pdf_obj *o, const char *wanted)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("expected a PDF %s, found a %s"), wanted, type_name(o));
}

int vbsig_pdf_get_int(const vbsig_pdf_obj *o, int64_t *out)
{
    if (o == NULL || o->type != VBSIG_PDF_INT)
        return wrong_type(o, _("integer"));
    *out = o->u.integer;
    return VBSIG_OK;
}

int vbsig_pdf_get_number(const vbsig_pdf_obj *o, double *out)
{
    if (o != NULL && o->type == VBSIG_PDF_INT) {
        *out = (double)o->u.integer;
        return VBSIG_OK;
    }
    if (o != NULL && o->type == VBSIG_PDF_REAL) {
        *out = o->u.real;
        return VBSIG_OK;
    }
    return wrong_type(o, _("number"));
}

int vbsig_pdf_get_name(const vbsig_pdf_obj *o, const char **out)
{
    if (o == NULL || o->type != VBSIG_PDF_NAME)
        return wrong_type(o, _("name"));
    *out = o->u.name.text;
    return VBSIG_OK;
}

int vbsig_pdf_get_string(const vbsig_pdf_obj *o, const uint8_t **data, size_t *len)
{
    if (o == NULL || o->type != VBSIG_PDF_STRING)
        return wrong_type(o, _("string"));
    *data = o->u.string.data;
    *len = o->u.string.len;
    return VBSIG_OK;
}

int vbsig_pdf_get_ref(const vbsig_pdf_obj *o, uint32_t *num, uint16_t *gen)
{
    if (o == NULL || o->type != VBSIG_PDF_REF)
        return wrong_type(o, _("reference"));
    *num = o->u.ref.num;
    *gen = o->u.ref.gen;
    return VBSIG_OK;
}

int vbsig_pdf_is_name(const vbsig_pdf_obj *o, const char *name)
{
    return o != NULL && o->type == VBSIG_PDF_NAME && strcmp(o->u.name.text, name) == 0;
}

const vbsig_pdf_obj *vbsig_pdf_dict_of(const vbsig_pdf_obj *o)
{
    if (o == NULL)
        return NULL;
    if (o->type == VBSIG_PDF_STREAM)
        return o->u.stream.dict;
    return o->type == VBSIG_PDF_DICT ? o : NULL;
}

const vbsig_pdf_obj *vbsig_pdf_dict_get(const vbsig_pdf_obj *o, const char *key)
{
    const vbsig_pdf_obj *d = vbsig_pdf_dict_of(o);
    if (d == NULL)
        return NULL;
    size_t lo = 0, hi = d->u.dict.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(d->u.dict.items[mid].key, key);
        if (c == 0)
            return d->u.dict.items[mid].value;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t vbsig_pdf_array_count(const vbsig_pdf_obj *o)
{
    return o != NULL && o->type == VBSIG_PDF_ARRAY ? o->u.array.count : 0;
}

const vbsig_pdf_obj *vbsig_pdf_array_get(const vbsig_pdf_obj *o, size_t i)
{
    if (o == NULL || o->type != VBSIG_PDF_ARRAY || i >= o->u.array.count)
        return NULL;
    return o->u.array.items[i];
}
