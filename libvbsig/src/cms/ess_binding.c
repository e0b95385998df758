/* ESS signing-certificate(-v2) matching, shared by CAdES signatures and
 * RFC 3161 tokens: the attribute binds a signature to one certificate so a
 * different certificate with the same key cannot stand in for it. */
#include <openssl/err.h>
#include <openssl/ess.h>

#include "cms/cms.h"

static void *decode_sequence(const ASN1_TYPE *t, int v2)
{
    if (t == NULL || t->type != V_ASN1_SEQUENCE)
        return NULL;
    const unsigned char *q = t->value.sequence->data;
    long len = t->value.sequence->length;
    return v2 ? (void *)d2i_ESS_SIGNING_CERT_V2(NULL, &q, len) : (void *)d2i_ESS_SIGNING_CERT(NULL, &q, len);
}

int vbsig_cms_ess_matches(const ASN1_TYPE *v1, const ASN1_TYPE *v2, X509 *cert)
{
    if (v1 == NULL && v2 == NULL)
        return 0;
    ESS_SIGNING_CERT *ss = decode_sequence(v1, 0);
    ESS_SIGNING_CERT_V2 *ssv2 = decode_sequence(v2, 1);
    STACK_OF(X509) *one = sk_X509_new_null();
    /* Every attribute present must decode; each one present must match. */
    int ok = (v1 == NULL || ss != NULL) && (v2 == NULL || ssv2 != NULL) && one != NULL &&
             sk_X509_push(one, cert) && OSSL_ESS_check_signing_certs(ss, ssv2, one, 1) > 0;
    sk_X509_free(one);
    ESS_SIGNING_CERT_free(ss);
    ESS_SIGNING_CERT_V2_free(ssv2);
    ERR_clear_error();
    return ok;
}
