/* The Signature element we write, as text: fixed prefixes (ds:, xades:) and
 * no default namespace, so its exclusive canonical form is the same inside
 * any document (inclusive forms are taken in the document, see xml_sign.c). No line breaks: nothing for line-ending normalisation to
 * change. */
#include "xml.h"

static int write_xades(const vbsig_xml_template *t, vbsig_bytes *b)
{
    int rc = vbsig_bytes_printf(
        b,
        "<ds:Object><xades:QualifyingProperties xmlns:xades=\"" VBSIG_NS_XADES "\" Target=\"#%s\">"
        "<xades:SignedProperties Id=\"%s-signedprops\"><xades:SignedSignatureProperties>"
        "<xades:SigningTime>%s</xades:SigningTime>"
        "<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>"
        "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
        "<ds:DigestValue>%s</ds:DigestValue></xades:CertDigest>"
        "<xades:IssuerSerialV2>%s</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2>"
        "</xades:SignedSignatureProperties><xades:SignedDataObjectProperties>"
        "<xades:DataObjectFormat ObjectReference=\"#%s-ref0\"><xades:MimeType>%s</xades:MimeType>"
        "</xades:DataObjectFormat></xades:SignedDataObjectProperties></xades:SignedProperties>",
        t->id, t->id, t->signing_time, t->cert_digest, t->issuer_serial, t->id,
        t->mime_type != NULL ? t->mime_type : "text/xml");
    /* B-T: the timestamp's canonicalization is always exclusive, so the
     * canonical SignatureValue is the same wherever the Signature sits. */
    if (rc == VBSIG_OK && t->timestamp != NULL)
        rc = vbsig_bytes_printf(
            b,
            "<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp>"
            "<ds:CanonicalizationMethod Algorithm=\"" VBSIG_NS_EXC_C14N "\"/>"
            "<xades:EncapsulatedTimeStamp>%s</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp>"
            "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>",
            t->timestamp);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "</xades:QualifyingProperties></ds:Object>");
    return rc;
}

int vbsig_xml_template_write(const vbsig_xml_template *t, vbsig_bytes *b)
{
    int rc = vbsig_bytes_printf(
        b,
        "<ds:Signature xmlns:ds=\"" VBSIG_NS_DS "\" Id=\"%s\"><ds:SignedInfo>"
        "<ds:CanonicalizationMethod Algorithm=\"%s\"/>"
        "<ds:SignatureMethod Algorithm=\"%s\"/>"
        "<ds:Reference Id=\"%s-ref0\" URI=\"%s\">",
        t->id, t->c14n_uri, t->sigalg_uri, t->id, t->ref_uri);
    /* An external reference digests the data's bytes as they are. */
    if (rc == VBSIG_OK && !t->external)
        rc = vbsig_bytes_printf(b, "<ds:Transforms>%s<ds:Transform Algorithm=\"%s\"/></ds:Transforms>",
                                t->enveloped ? "<ds:Transform Algorithm=\"" VBSIG_XML_ENVELOPED_URI "\"/>" : "",
                                t->c14n_uri);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, "<ds:DigestMethod Algorithm=\"%s\"/><ds:DigestValue>%s</ds:DigestValue></ds:Reference>",
                                t->digest_uri, t->doc_digest);
    if (rc == VBSIG_OK && t->xades)
        rc = vbsig_bytes_printf(
            b,
            "<ds:Reference Type=\"" VBSIG_XADES_SIGNED_PROPS_TYPE "\" URI=\"#%s-signedprops\">"
            "<ds:Transforms><ds:Transform Algorithm=\"%s\"/></ds:Transforms>"
            "<ds:DigestMethod Algorithm=\"%s\"/><ds:DigestValue>%s</ds:DigestValue></ds:Reference>",
            t->id, t->c14n_uri, t->digest_uri, t->props_digest);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, "</ds:SignedInfo><ds:SignatureValue>%s</ds:SignatureValue>"
                                   "<ds:KeyInfo><ds:X509Data>",
                                t->signature_value);
    for (size_t i = 0; rc == VBSIG_OK && i < t->cert_count; i++)
        rc = vbsig_bytes_printf(b, "<ds:X509Certificate>%s</ds:X509Certificate>", t->certs[i]);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "</ds:X509Data></ds:KeyInfo>");
    if (rc == VBSIG_OK && t->object != NULL)
        rc = vbsig_bytes_printf(b, "<ds:Object Id=\"%s-object\">", t->id);
    if (rc == VBSIG_OK && t->object != NULL)
        rc = vbsig_bytes_append(b, t->object, t->object_len);
    if (rc == VBSIG_OK && t->object != NULL)
        rc = vbsig_bytes_append_str(b, "</ds:Object>");
    if (rc == VBSIG_OK && t->xades)
        rc = write_xades(t, b);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "</ds:Signature>");
    return rc;
}
