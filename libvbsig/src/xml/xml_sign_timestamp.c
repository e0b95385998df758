/* XAdES B-T when signing: the SignatureTimeStamp covers the canonical form
 * of ds:SignatureValue. Exclusive C14N of that element depends only on the
 * element itself (its ds namespace and text), so it is taken from the
 * element parsed alone, and the timestamp stays valid wherever the
 * Signature is placed. The verifier recomputes it inside the document. */
#include <string.h>

#include <libxml/c14n.h>

#include "xml.h"
#include "util/util.h"

int vbsig_xml_signature_timestamp(struct vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const char *value_b64,
                                  vbsig_buf *token)
{
    vbsig_bytes text;
    vbsig_bytes_init(&text);
    int rc = vbsig_bytes_printf(&text, "<ds:SignatureValue xmlns:ds=\"" VBSIG_NS_DS "\">%s</ds:SignatureValue>",
                                value_b64);
    vbsig_buf frag_text = {0};
    vbsig_bytes_to_buf(&text, &frag_text);
    vbsig_bytes_free(&text);
    vbsig_xml_doc frag;
    if (rc == VBSIG_OK)
        rc = vbsig_xml_parse(frag_text.data, frag_text.len, 0, "SignatureValue", &frag);
    vbsig_buf_free(&frag_text);
    if (rc != VBSIG_OK)
        return rc;
    uint8_t md[EVP_MAX_MD_SIZE];
    size_t mdlen = 0;
    vbsig_c14n_alg exc = {XML_C14N_EXCLUSIVE_1_0, 0};
    rc = vbsig_xml_c14n_hash(frag.doc, xmlDocGetRootElement(frag.doc), NULL, &exc, NULL, tsp->digest, md, &mdlen);
    vbsig_xml_doc_clear(&frag);
    if (rc == VBSIG_OK)
        rc = vbsig_tsp_timestamp_digest(ctx, tsp, tsp->digest, md, mdlen, token);
    return rc;
}
