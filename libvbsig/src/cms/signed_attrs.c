/* Encoding signed attributes exactly as they are signed, so a signature can
 * come from a token or another party instead of an in-process key. */
#include <stdlib.h>
#include <string.h>

#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cms/cms.h"
#include "util/util.h"

typedef struct der_item {
    unsigned char *p;
    size_t n;
} der_item;

/* DER orders SET OF members by their encodings as octet strings, the
 * shorter one padded with zeros (X.690 §11.6). */
static int der_item_cmp(const void *a, const void *b)
{
    const der_item *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    if (c != 0)
        return c;
    return (x->n > y->n) - (x->n < y->n);
}

static size_t der_length_bytes(size_t len, unsigned char *out)
{
    if (len < 0x80) {
        out[0] = (unsigned char)len;
        return 1;
    }
    unsigned char tmp[sizeof(size_t)];
    size_t k = 0;
    while (len > 0) {
        tmp[k++] = (unsigned char)(len & 0xff);
        len >>= 8;
    }
    out[0] = (unsigned char)(0x80 | k);
    for (size_t i = 0; i < k; i++)
        out[1 + i] = tmp[k - 1 - i];
    return 1 + k;
}

int vbsig_cms_signed_attrs_der(CMS_SignerInfo *si, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    int count = CMS_signed_get_attr_count(si);
    if (count <= 0)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the signer has no signed attributes to encode"));
    der_item *items = calloc((size_t)count, sizeof *items);
    if (items == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t body = 0;
    int rc = VBSIG_OK;
    for (int i = 0; i < count; i++) {
        int n = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &items[i].p);
        if (n <= 0) {
            rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("encoding a signed attribute failed"));
            break;
        }
        items[i].n = (size_t)n;
        body += (size_t)n;
    }
    if (rc == VBSIG_OK) {
        qsort(items, (size_t)count, sizeof *items, der_item_cmp);
        unsigned char hdr[1 + 1 + sizeof(size_t)];
        hdr[0] = 0x31; /* SET, constructed */
        size_t h = 1 + der_length_bytes(body, hdr + 1);
        uint8_t *der = malloc(h + body);
        if (der == NULL) {
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        } else {
            memcpy(der, hdr, h);
            size_t off = h;
            for (int i = 0; i < count; i++) {
                memcpy(der + off, items[i].p, items[i].n);
                off += items[i].n;
            }
            *out = der;
            *out_len = off;
        }
    }
    for (int i = 0; i < count; i++)
        OPENSSL_free(items[i].p);
    free(items);
    return rc;
}

int vbsig_cms_set_pss_algorithm(CMS_SignerInfo *si, const EVP_MD *md)
{
    X509_ALGOR *sigalg = NULL;
    CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &sigalg);
    RSA_PSS_PARAMS *pss = RSA_PSS_PARAMS_new();
    X509_ALGOR *mgf1_hash = X509_ALGOR_new();
    ASN1_STRING *mgf1_param = NULL, *params = NULL;
    int ok = sigalg != NULL && pss != NULL && mgf1_hash != NULL &&
             (pss->hashAlgorithm = X509_ALGOR_new()) != NULL &&
             (pss->maskGenAlgorithm = X509_ALGOR_new()) != NULL &&
             (pss->saltLength = ASN1_INTEGER_new()) != NULL;
    if (ok) {
        X509_ALGOR_set_md(pss->hashAlgorithm, md);
        X509_ALGOR_set_md(mgf1_hash, md);
        mgf1_param = ASN1_item_pack(mgf1_hash, ASN1_ITEM_rptr(X509_ALGOR), NULL);
        ok = mgf1_param != NULL &&
             X509_ALGOR_set0(pss->maskGenAlgorithm, OBJ_nid2obj(NID_mgf1), V_ASN1_SEQUENCE, mgf1_param);
        if (!ok)
            ASN1_STRING_free(mgf1_param);
    }
    ok = ok && ASN1_INTEGER_set(pss->saltLength, EVP_MD_get_size(md));
    if (ok) {
        params = ASN1_item_pack(pss, ASN1_ITEM_rptr(RSA_PSS_PARAMS), NULL);
        ok = params != NULL && X509_ALGOR_set0(sigalg, OBJ_nid2obj(NID_rsassaPss), V_ASN1_SEQUENCE, params);
        if (!ok)
            ASN1_STRING_free(params);
    }
    X509_ALGOR_free(mgf1_hash);
    RSA_PSS_PARAMS_free(pss);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("setting the RSASSA-PSS algorithm parameters failed"));
    return VBSIG_OK;
}
