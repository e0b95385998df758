/* The /Filter chain of a stream. Each stage is bounded by the
 * inflated-size limit, so a small hostile stream cannot claim memory. */
#include <string.h>

#include "pdf/pdf_internal.h"

#define PDF_MAX_FILTERS 8

static const vbsig_pdf_obj *direct(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o)
{
    if (o != NULL && o->type == VBSIG_PDF_REF && doc->nrevisions > 0 && vbsig_pdf_resolve(doc, rev, o, &o) != VBSIG_OK)
        return NULL;
    return o;
}

static int64_t parm_int(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *parms, const char *key, int64_t dflt)
{
    int64_t v;
    const vbsig_pdf_obj *o = direct(doc, rev, vbsig_pdf_dict_get(parms, key));
    return vbsig_pdf_get_int(o, &v) == VBSIG_OK ? v : dflt;
}

static int ascii_hex(const uint8_t *in, size_t n, size_t max_out, vbsig_bytes *out, const char *what)
{
    int high = -1;
    for (size_t i = 0; i < n && in[i] != '>'; i++) {
        uint8_t c = in[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) {
            if (pdf_is_space(c))
                continue;
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: bad ASCIIHexDecode character at data offset %zu"), what, i);
        }
        if (high < 0) {
            high = v;
            continue;
        }
        if (out->len >= max_out)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: the decoded stream exceeds the limit of %zu bytes"), what, max_out);
        uint8_t b = (uint8_t)(high << 4 | v);
        int rc = vbsig_bytes_append(out, &b, 1);
        if (rc != VBSIG_OK)
            return rc;
        high = -1;
    }
    if (high >= 0) {
        uint8_t b = (uint8_t)(high << 4);
        return vbsig_bytes_append(out, &b, 1);
    }
    return VBSIG_OK;
}

static int apply_one(vbsig_pdf_doc *doc, size_t rev, const char *filter, const vbsig_pdf_obj *parms,
                     const uint8_t *in, size_t n, vbsig_bytes *out, const char *what)
{
    size_t max = doc->lim.max_inflated;
    if (strcmp(filter, "FlateDecode") == 0 || strcmp(filter, "Fl") == 0) {
        int rc = pdf_flate_decode(in, n, max, out, what);
        if (rc == VBSIG_OK && parms != NULL)
            rc = pdf_predictor_decode(out, parm_int(doc, rev, parms, "Predictor", 1), parm_int(doc, rev, parms, "Colors", 1),
                                      parm_int(doc, rev, parms, "BitsPerComponent", 8),
                                      parm_int(doc, rev, parms, "Columns", 1), what);
        return rc;
    }
    if (strcmp(filter, "ASCIIHexDecode") == 0 || strcmp(filter, "AHx") == 0)
        return ascii_hex(in, n, max, out, what);
    return vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: the stream filter /%s is not supported"), what, filter);
}

int pdf_filters_apply(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *dict, const uint8_t *raw, size_t raw_len,
                      vbsig_bytes *out)
{
    vbsig_bytes_init(out);
    const char *what = doc->name;
    const vbsig_pdf_obj *filters = direct(doc, rev, vbsig_pdf_dict_get(dict, "Filter"));
    const vbsig_pdf_obj *parms = direct(doc, rev, vbsig_pdf_dict_get(dict, "DecodeParms"));
    size_t count = filters == NULL || filters->type == VBSIG_PDF_NULL ? 0
                   : filters->type == VBSIG_PDF_NAME                 ? 1
                                                                     : vbsig_pdf_array_count(filters);
    if (filters != NULL && filters->type != VBSIG_PDF_NAME && filters->type != VBSIG_PDF_ARRAY &&
        filters->type != VBSIG_PDF_NULL)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: /Filter is neither a name nor an array"), what);
    if (count > PDF_MAX_FILTERS)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: more than %d stream filters"), what, PDF_MAX_FILTERS);
    if (count == 0) {
        if (raw_len > doc->lim.max_inflated)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: the stream exceeds the limit of %zu bytes"), what,
                              doc->lim.max_inflated);
        return vbsig_bytes_append(out, raw, raw_len);
    }
    vbsig_bytes cur;
    vbsig_bytes_init(&cur);
    const uint8_t *in = raw;
    size_t n = raw_len;
    int rc = VBSIG_OK;
    for (size_t i = 0; i < count && rc == VBSIG_OK; i++) {
        const vbsig_pdf_obj *f = filters->type == VBSIG_PDF_NAME ? filters : direct(doc, rev, vbsig_pdf_array_get(filters, i));
        const vbsig_pdf_obj *p = filters->type == VBSIG_PDF_NAME ? parms : direct(doc, rev, vbsig_pdf_array_get(parms, i));
        const char *name;
        if (vbsig_pdf_get_name(f, &name) != VBSIG_OK) {
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: a stream filter is not a name"), what);
            break;
        }
        if (p != NULL && p->type != VBSIG_PDF_DICT)
            p = NULL;
        vbsig_bytes next;
        vbsig_bytes_init(&next);
        rc = apply_one(doc, rev, name, p, in, n, &next, what);
        vbsig_bytes_free(&cur);
        cur = next;
        in = cur.data;
        n = cur.len;
    }
    if (rc != VBSIG_OK) {
        vbsig_bytes_free(&cur);
        return rc;
    }
    *out = cur;
    return VBSIG_OK;
}
