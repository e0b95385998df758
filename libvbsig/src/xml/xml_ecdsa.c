/* XMLDSig carries ECDSA signatures as raw r||s; signers and OpenSSL speak DER. */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "xml.h"
#include "util/util.h"

int vbsig_xml_ecdsa_der_to_raw(const uint8_t *der, size_t n, size_t field_len,
                               uint8_t *raw, size_t *raw_len)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)n);
    if (sig == NULL)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("the signer returned a malformed ECDSA signature"));
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    int ok = field_len * 2 <= *raw_len && BN_bn2binpad(r, raw, (int)field_len) > 0 &&
             BN_bn2binpad(s, raw + field_len, (int)field_len) > 0;
    ECDSA_SIG_free(sig);
    if (!ok)
        return vbsig_fail(VBSIG_E_CRYPTO, _("the ECDSA signature does not fit the key size"));
    *raw_len = field_len * 2;
    return VBSIG_OK;
}

int vbsig_xml_ecdsa_raw_to_der(const uint8_t *raw, size_t n, uint8_t **der, size_t *der_len)
{
    if (n == 0 || n % 2 != 0 || n > 264)
        return vbsig_fail(VBSIG_E_MALFORMED, _("an ECDSA SignatureValue must be r||s of equal halves"));
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)(n / 2), NULL), *s = BN_bin2bn(raw + n / 2, (int)(n / 2), NULL);
    if (sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    unsigned char *out = NULL;
    int len = i2d_ECDSA_SIG(sig, &out);
    ECDSA_SIG_free(sig);
    if (len <= 0)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot encode an ECDSA signature"));
    *der = out;
    *der_len = (size_t)len;
    return VBSIG_OK;
}
