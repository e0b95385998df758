/* The Signature element we write, as text: fixed prefixes (ds:, xades:) and
 * no default namespace, so its exclusive canonical form is the same inside
 * any document (inclusive forms are taken in the document, see xml_sign.c). No line breaks: nothing for line-ending normalisation to
 * change. */
#include "xml.h"

static int write_xades(const vbsig_xml_template *t, vbsig_bytes *b)
{
    return vbsig_bytes_printf(
        b,
        "<ds:Object><xades:QualifyingProperties xmlns:xades=\"" VBSIG_NS_XADES "\" Target=\"#%s\">"
        "<xades:SignedProperties Id=\"%s-signedprops\"><xades:SignedSignatureProperties>"
        "<xades:SigningTime>%s</xades:SigningTime>"
        "<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>"
        "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
        "<ds:DigestValue>%s</ds:DigestValue></xades:CertDigest>"
        "<xades:IssuerSerialV2>%s</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2>"
        "</xades:SignedSignatureProperties><xades:SignedDataObjectProperties>"
        "<xades:DataObjectFormat ObjectReference=\"#%s-ref0\"><xades:MimeType>text/xml</xades:MimeType>"
        "</xades:DataObjectFormat></xades:SignedDataObjectProperties></xades:SignedProperties>"
        "</xades:QualifyingProperties></ds:Object>",
        t->id, t->id, t->signing_time, t->cert_digest, t->issuer_serial, t->id);
}

int vbsig_xml_template_write(const vbsig_xml_template *t, vbsig_bytes *b)
{
    int rc = vbsig_bytes_printf(
        b,
        "<ds:Signature xmlns:ds=\"" VBSIG_NS_DS "\" Id=\"%s\"><ds:SignedInfo>"
        "<ds:CanonicalizationMethod Algorithm=\"%s\"/>"
        "<ds:SignatureMethod Algorithm=\"%s\"/>"
        "<ds:Reference Id=\"%s-ref0\" URI=\"%s\"><ds:Transforms>%s"
        "<ds:Transform Algorithm=\"%s\"/></ds:Transforms>"
        "<ds:DigestMethod Algorithm=\"%s\"/><ds:DigestValue>%s</ds:DigestValue></ds:Reference>",
        t->id, t->c14n_uri, t->sigalg_uri, t->id, t->ref_uri,
        t->enveloped ? "<ds:Transform Algorithm=\"" VBSIG_XML_ENVELOPED "\"/>" : "", t->c14n_uri,
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
    if (rc == VBSIG_OK && t->xades)
        rc = write_xades(t, b);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "</ds:Signature>");
    return rc;
}
