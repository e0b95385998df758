/* Reading untrusted CMS: bounded structure walk first, then OpenSSL. */
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "cms/cms.h"
#include "util/util.h"

static const uint8_t *skip_space(const uint8_t *p, const uint8_t *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static int starts_with(const uint8_t *p, const uint8_t *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

static int is_pem(const uint8_t *p, size_t n)
{
    return starts_with(skip_space(p, p + n), p + n, "-----BEGIN ");
}

/* The header line must be exactly one of the armours signatures come in;
 * every comparison is bounded by the line it reads. */
static int pem_label_accepted(const uint8_t *line, size_t len)
{
    static const char *const headers[] = {
        "-----BEGIN PKCS7-----",
        "-----BEGIN CMS-----",
        "-----BEGIN PKCS #7 SIGNED DATA-----",
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        if (len == strlen(headers[i]) && memcmp(line, headers[i], len) == 0)
            return 1;
    return 0;
}

/* Strips the PEM armour of a PKCS7 / CMS block and decodes its base64. */
static int pem_to_der(const uint8_t *p, size_t n, const char *what, uint8_t **der, size_t *der_len)
{
    const uint8_t *end = p + n;
    const uint8_t *line = skip_space(p, end);
    const uint8_t *eol = memchr(line, '\n', (size_t)(end - line));
    if (eol == NULL)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: PEM header without a line end"), what);
    size_t line_len = (size_t)(eol - line);
    if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;
    if (!pem_label_accepted(line, line_len))
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: PEM block is not a PKCS7 or CMS signature"), what);
    const uint8_t *body = eol + 1;
    const uint8_t *stop = body;
    while (stop < end && !starts_with(stop, end, "-----END "))
        stop++;
    if (stop >= end)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: PEM block has no END line"), what);
    return vbsig_base64_decode((const char *)body, (size_t)(stop - body), der, der_len);
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
