/* Reading untrusted CMS: bounded structure walk first, then OpenSSL. */
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "cms/cms.h"
#include "util/util.h"

static int is_pem(const uint8_t *p, size_t n)
{
    static const char begin[] = "-----BEGIN ";
    while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++, n--;
    return n >= sizeof begin - 1 && memcmp(p, begin, sizeof begin - 1) == 0;
}

/* Strips the PEM armour of a PKCS7 / CMS block and decodes its base64. */
static int pem_to_der(const uint8_t *p, size_t n, const char *what, uint8_t **der, size_t *der_len)
{
    const char *text = (const char *)p;
    const char *end = text + n;
    const char *body = memchr(text, '\n', n);
    if (body == NULL)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: PEM header without a line end"), what);
    body++;
    static const char begin[] = "-----BEGIN ";
    const char *label = text;
    while (label < end && *label != '-')
        label++;
    label += sizeof begin - 1;
    if (label >= end || (strncmp(label, "PKCS7-----", 10) != 0 && strncmp(label, "CMS-----", 8) != 0 &&
                         strncmp(label, "PKCS #7 SIGNED DATA-----", 24) != 0))
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: PEM block is not a PKCS7 or CMS signature"), what);
    const char *stop = body;
    while (stop < end && !(end - stop >= 9 && memcmp(stop, "-----END ", 9) == 0))
        stop++;
    if (stop >= end)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: PEM block has no END line"), what);
    return vbsig_base64_decode(body, (size_t)(stop - body), der, der_len);
}

int vbsig_cms_parse(const uint8_t *p, size_t n, int strict_der, unsigned max_depth,
                    const char *what, CMS_ContentInfo **out)
{
    *out = NULL;
    if (n == 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the signature is empty"), what);
    uint8_t *decoded = NULL;
    size_t decoded_len = 0;
    if (is_pem(p, n)) {
        int rc = pem_to_der(p, n, what, &decoded, &decoded_len);
        if (rc != VBSIG_OK)
            return rc;
        p = decoded;
        n = decoded_len;
    }
    int rc = vbsig_der_check(p, n, strict_der, max_depth, what);
    if (rc == VBSIG_OK) {
        const unsigned char *q = p;
        CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)n);
        if (cms == NULL || q != p + n) {
            CMS_ContentInfo_free(cms);
            rc = vbsig_fail_ssl(VBSIG_E_MALFORMED, _("%s: not a CMS (PKCS#7) structure"), what);
        } else if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
            CMS_ContentInfo_free(cms);
            rc = vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: the CMS content is not SignedData"), what);
        } else {
            *out = cms;
        }
    }
    free(decoded);
    return rc;
}
