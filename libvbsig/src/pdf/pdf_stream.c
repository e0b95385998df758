/* Stream data: the raw bytes inside the mapped file, or decoded through the
 * stream's filters within the inflated-size limit. */
#include "pdf/pdf_internal.h"

int vbsig_pdf_stream_raw(const vbsig_pdf_doc *doc, const vbsig_pdf_obj *stream, const uint8_t **data, size_t *len)
{
    if (stream == NULL || stream->type != VBSIG_PDF_STREAM)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the object is not a stream"), doc->name);
    *data = doc->data + stream->u.stream.data_offset;
    *len = stream->u.stream.data_len;
    return VBSIG_OK;
}

int vbsig_pdf_stream_decode(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *stream, vbsig_bytes *out)
{
    vbsig_bytes_init(out);
    const uint8_t *raw = NULL;
    size_t len = 0;
    int rc = vbsig_pdf_stream_raw(doc, stream, &raw, &len);
    if (rc != VBSIG_OK)
        return rc;
    /* Cross-reference streams are never encrypted; everything else in an
     * encrypted document is, and this reader holds no key. */
    if (doc->encrypted && !vbsig_pdf_is_name(vbsig_pdf_dict_get(stream, "Type"), "XRef"))
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: the stream at offset %zu is encrypted"), doc->name,
                          stream->u.stream.data_offset);
    return pdf_filters_apply(doc, rev, stream->u.stream.dict, raw, len, out);
}
