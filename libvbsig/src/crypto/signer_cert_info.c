/* What a front door may want to show or watch of a signer's certificate
 * without parsing it itself. */
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "util/util.h"

char *vbsig_signer_subject(const vbsig_signer *s)
{
    if (s == NULL || s->cert == NULL)
        return NULL;
    return vbsig_name_text(X509_get_subject_name(s->cert));
}

static int to_time_t(const ASN1_TIME *t, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
        return 0;
    *out = timegm(&tm);
    return 1;
}

int vbsig_signer_validity(const vbsig_signer *s, time_t *not_before, time_t *not_after)
{
    VBSIG_REQUIRE(s, "s");
    vbsig_i18n_ensure();
    if (s->cert == NULL)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("the signer has no certificate"));
    time_t nb = 0, na = 0;
    if (!to_time_t(X509_get0_notBefore(s->cert), &nb) || !to_time_t(X509_get0_notAfter(s->cert), &na))
        return vbsig_fail(VBSIG_E_MALFORMED, _("cannot read the certificate's validity period"));
    if (not_before != NULL)
        *not_before = nb;
    if (not_after != NULL)
        *not_after = na;
    return VBSIG_OK;
}
