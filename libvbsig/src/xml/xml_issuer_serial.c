/* XAdES IssuerSerialV2: base64 of the DER IssuerSerial of RFC 5035, whose
 * GeneralNames holds the issuer as a directoryName. */
#include <openssl/x509v3.h>

#include "xml.h"
#include "util/util.h"

int vbsig_xml_issuer_serial_der(X509 *cert, uint8_t **out, size_t *out_len)
{
    /* IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER } */
    GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
    GENERAL_NAME *gn = GENERAL_NAME_new();
    X509_NAME *issuer = X509_NAME_dup(X509_get_issuer_name(cert));
    int rc = VBSIG_E_NOMEM;
    unsigned char *gder = NULL, *sder = NULL;
    if (names == NULL || gn == NULL || issuer == NULL)
        goto done;
    GENERAL_NAME_set0_value(gn, GEN_DIRNAME, issuer);
    issuer = NULL;
    if (sk_GENERAL_NAME_push(names, gn) <= 0)
        goto done;
    gn = NULL;
    int glen = i2d_GENERAL_NAMES(names, &gder);
    int slen = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &sder);
    if (glen <= 0 || slen <= 0)
        goto done;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    size_t body = (size_t)glen + (size_t)slen;
    uint8_t hdr[6] = {0x30};
    size_t hlen;
    if (body < 0x80) {
        hdr[1] = (uint8_t)body;
        hlen = 2;
    } else if (body < 0x100) {
        hdr[1] = 0x81, hdr[2] = (uint8_t)body;
        hlen = 3;
    } else if (body < 0x10000) {
        hdr[1] = 0x82, hdr[2] = (uint8_t)(body >> 8), hdr[3] = (uint8_t)body;
        hlen = 4;
    } else {
        goto done; /* no certificate issuer is that large */
    }
    if (vbsig_bytes_append(&b, hdr, hlen) != VBSIG_OK || vbsig_bytes_append(&b, gder, (size_t)glen) != VBSIG_OK ||
        vbsig_bytes_append(&b, sder, (size_t)slen) != VBSIG_OK) {
        vbsig_bytes_free(&b);
        goto done;
    }
    *out = b.data;
    *out_len = b.len;
    rc = VBSIG_OK;
done:
    OPENSSL_free(gder);
    OPENSSL_free(sder);
    GENERAL_NAME_free(gn);
    X509_NAME_free(issuer);
    GENERAL_NAMES_free(names);
    if (rc != VBSIG_OK)
        return vbsig_fail(rc, _("cannot encode the certificate's issuer and serial number"));
    return rc;
}
