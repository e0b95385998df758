/* CKM_ECDSA returns r||s, each as long as the field; CMS wants the DER
 * SEQUENCE { r INTEGER, s INTEGER }. */
#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "p11.h"

int p11_ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, uint8_t *der, size_t *der_len)
{
    if (raw_len == 0 || raw_len % 2 != 0 || raw_len > 264)
        return p11_fail(VBSIG_E_UNAVAILABLE, _("the token returned an ECDSA signature of odd length %zu"), raw_len);
    size_t half = raw_len / 2;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)half, NULL);
    BIGNUM *s = BN_bin2bn(raw + half, (int)half, NULL);
    if (sig == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(sig, r, s)) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    int n = i2d_ECDSA_SIG(sig, NULL);
    if (n <= 0 || (size_t)n > *der_len) {
        ECDSA_SIG_free(sig);
        return p11_fail(VBSIG_E_INTERNAL, _("the ECDSA signature does not fit its buffer"));
    }
    uint8_t *p = der;
    i2d_ECDSA_SIG(sig, &p);
    *der_len = (size_t)n;
    ECDSA_SIG_free(sig);
    return VBSIG_OK;
}
