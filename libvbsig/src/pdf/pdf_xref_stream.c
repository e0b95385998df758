/* Cross-reference streams (ISO 32000-1 §7.5.8): binary rows of /W field
 * widths, grouped by /Index, usually FlateDecode with a PNG predictor. */
#include "pdf/pdf_internal.h"

#define XREF_FIELD_MAX_BYTES 8

static int fail_at(const vbsig_pdf_doc *doc, size_t at, const char *what)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: cross-reference stream at offset %zu: %s"), doc->name, at, what);
}

static uint64_t field(const uint8_t *p, int64_t width)
{
    uint64_t v = 0;
    for (int64_t i = 0; i < width; i++)
        v = v << 8 | p[i];
    return v;
}

static int read_widths(const vbsig_pdf_doc *doc, const vbsig_pdf_obj *dict, size_t at, int64_t w[3])
{
    const vbsig_pdf_obj *arr = vbsig_pdf_dict_get(dict, "W");
    if (vbsig_pdf_array_count(arr) != 3)
        return fail_at(doc, at, _("/W is not an array of three integers"));
    for (size_t i = 0; i < 3; i++)
        if (vbsig_pdf_get_int(vbsig_pdf_array_get(arr, i), &w[i]) != VBSIG_OK || w[i] < 0 ||
            w[i] > XREF_FIELD_MAX_BYTES)
            return fail_at(doc, at, _("/W holds a bad field width"));
    if (w[1] == 0)
        return fail_at(doc, at, _("/W gives the offset field no bytes"));
    return VBSIG_OK;
}

static int decode_row(const vbsig_pdf_doc *doc, size_t at, const uint8_t *row, const int64_t w[3], uint64_t num,
                      pdf_entry *e)
{
    uint64_t type = w[0] ? field(row, w[0]) : 1;
    uint64_t f2 = field(row + w[0], w[1]), f3 = field(row + w[0] + w[1], w[2]);
    e->num = (uint32_t)num;
    switch (type) {
    case 0:
        e->kind = PDF_ENTRY_FREE;
        e->gen = (uint16_t)(f3 > 65535 ? 65535 : f3);
        return 1;
    case 1:
        if (f3 > 65535)
            return fail_at(doc, at, _("an entry has a generation above 65535"));
        e->kind = PDF_ENTRY_FILE;
        e->where = f2;
        e->gen = (uint16_t)f3;
        return 1;
    case 2:
        if (f3 > UINT32_MAX)
            return fail_at(doc, at, _("an entry has an object stream index out of range"));
        e->kind = PDF_ENTRY_COMPRESSED;
        e->where = f2;
        e->index = (uint32_t)f3;
        return 1;
    default:
        return 0; /* ISO 32000 says unknown types are references to null */
    }
}

static int read_rows(vbsig_pdf_doc *doc, size_t at, const vbsig_pdf_obj *dict, const vbsig_bytes *rows,
                     pdf_section *sec)
{
    int64_t w[3], size;
    int rc = read_widths(doc, dict, at, w);
    if (rc != VBSIG_OK)
        return rc;
    if (vbsig_pdf_get_int(vbsig_pdf_dict_get(dict, "Size"), &size) != VBSIG_OK || size < 0)
        return fail_at(doc, at, _("/Size is missing or negative"));
    if ((uint64_t)size > doc->lim.max_objects)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: cross-reference stream at offset %zu: /Size %lld is above the limit of %u objects"),
                          doc->name, at, (long long)size, doc->lim.max_objects);
    const vbsig_pdf_obj *index = vbsig_pdf_dict_get(dict, "Index");
    size_t groups = index != NULL ? vbsig_pdf_array_count(index) : 2;
    if (index != NULL && (index->type != VBSIG_PDF_ARRAY || groups % 2 != 0))
        return fail_at(doc, at, _("/Index is not an array of pairs"));
    size_t row_len = (size_t)(w[0] + w[1] + w[2]), pos = 0, cap = 0;
    for (size_t g = 0; g < groups; g += 2) {
        int64_t first = 0, count = size;
        if (index != NULL && (vbsig_pdf_get_int(vbsig_pdf_array_get(index, g), &first) != VBSIG_OK ||
                              vbsig_pdf_get_int(vbsig_pdf_array_get(index, g + 1), &count) != VBSIG_OK ||
                              first < 0 || count < 0))
            return fail_at(doc, at, _("/Index holds a bad pair"));
        if ((uint64_t)first + (uint64_t)count > doc->lim.max_objects ||
            sec->count + (uint64_t)count > doc->lim.max_objects)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: cross-reference stream at offset %zu lists more objects than the limit of %u"),
                              doc->name, at, doc->lim.max_objects);
        if ((uint64_t)count > (rows->len - pos) / row_len)
            return fail_at(doc, at, _("the stream data is shorter than /Index and /W need"));
        for (int64_t i = 0; i < count; i++, pos += row_len) {
            pdf_entry e = {0};
            int r = decode_row(doc, at, rows->data + pos, w, (uint64_t)(first + i), &e);
            if (r < 0)
                return r;
            if (r > 0 && (rc = pdf_entries_push(sec, &cap, &e)) != VBSIG_OK)
                return rc;
        }
    }
    return VBSIG_OK;
}

int pdf_read_xref_stream(vbsig_pdf_doc *doc, size_t offset, pdf_section *sec, vbsig_pdf_obj **stream_obj)
{
    vbsig_pdf_obj *obj = NULL;
    size_t end = 0;
    int rc = pdf_parse_indirect(doc, 0, offset, PDF_ANY_OBJECT, 0, &obj, &end);
    if (rc != VBSIG_OK)
        return rc;
    if (obj->type != VBSIG_PDF_STREAM || !vbsig_pdf_is_name(vbsig_pdf_dict_get(obj, "Type"), "XRef")) {
        vbsig_pdf_obj_free(obj);
        return fail_at(doc, offset, _("neither a cross-reference table nor a /Type /XRef stream"));
    }
    vbsig_bytes rows;
    vbsig_bytes_init(&rows);
    rc = pdf_filters_apply(doc, 0, obj->u.stream.dict, doc->data + obj->u.stream.data_offset, obj->u.stream.data_len,
                           &rows);
    if (rc == VBSIG_OK)
        rc = read_rows(doc, offset, obj->u.stream.dict, &rows, sec);
    vbsig_bytes_free(&rows);
    if (rc != VBSIG_OK) {
        vbsig_pdf_obj_free(obj);
        return rc;
    }
    if (stream_obj != NULL)
        *stream_obj = obj;
    else
        vbsig_pdf_obj_free(obj);
    sec->body_end = end;
    return VBSIG_OK;
}
