/* The certificate checks a TSA makes before it answers anyone (RFC 3161
 * §2.3: the certificate carries only the critical timeStamping purpose). */
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "tsp/issue.h"

int vbsig_tsp_check_signer(vbsig_signer *s, time_t t)
{
    VBSIG_REQUIRE(s, "s");
    vbsig_i18n_ensure();
    X509 *cert = s->cert;
    if (cert == NULL)
        return vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("the timestamp signer has no certificate"));
    if (t == 0)
        t = time(NULL);
    char *subject = vbsig_name_text(X509_get_subject_name(cert));
    const char *who = subject != NULL ? subject : "?";
    int rc = VBSIG_OK;

    int eku_at = X509_get_ext_by_NID(cert, NID_ext_key_usage, -1);
    uint32_t ext_flags = X509_get_extension_flags(cert); /* also caches the extensions */
    if (eku_at < 0 || !X509_EXTENSION_get_critical(X509_get_ext(cert, eku_at))) {
        rc = vbsig_fail(VBSIG_E_KEY_UNUSABLE,
                        _("%s: not a TSA certificate: it needs a critical extendedKeyUsage "
                          "timeStamping"),
                        who);
        goto out;
    }
    if (X509_get_extended_key_usage(cert) != XKU_TIMESTAMP) {
        rc = vbsig_fail(VBSIG_E_KEY_UNUSABLE,
                        _("%s: not a TSA certificate: extendedKeyUsage must be timeStamping only"),
                        who);
        goto out;
    }
    if ((ext_flags & EXFLAG_KUSAGE) &&
        !(X509_get_key_usage(cert) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
        rc = vbsig_fail(VBSIG_E_KEY_UNUSABLE,
                        _("%s: keyUsage does not allow digitalSignature"), who);
        goto out;
    }
    if (X509_cmp_time(X509_get0_notBefore(cert), &t) >= 0) {
        rc = vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("%s: the certificate is not valid yet"), who);
        goto out;
    }
    if (X509_cmp_time(X509_get0_notAfter(cert), &t) <= 0) {
        rc = vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("%s: the certificate has expired"), who);
        goto out;
    }
    rc = vbsig_signer_probe(s);
    if (rc == VBSIG_E_KEY_UNUSABLE)
        rc = vbsig_fail(VBSIG_E_KEY_UNUSABLE, _("%s: the key does not match the certificate"),
                        who);
out:
    ERR_clear_error();
    free(subject);
    return rc;
}
