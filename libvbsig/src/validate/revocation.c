/* Revocation status of the signer's certificate.
 *
 * This version does not fetch CRLs or ask OCSP responders yet. It still
 * tells the truth: when a certificate names a revocation source that was
 * not consulted, the status is "unavailable" and (in hard mode) the
 * signature is INDETERMINATE/TRY_LATER, never TOTAL-PASSED. */
#include <openssl/x509v3.h>

#include "util/util.h"
#include "validate/validate.h"

static int names_revocation_source(X509 *cert)
{
    int found = 0;
    STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
    if (dps != NULL && sk_DIST_POINT_num(dps) > 0)
        found = 1;
    sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
    AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
    for (int i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++)
        if (OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(aia, i)->method) == NID_ad_OCSP)
            found = 1;
    AUTHORITY_INFO_ACCESS_free(aia);
    return found;
}

void vbsig_revocation_assess(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted,
                             vbsig_sig_entry *e)
{
    (void)untrusted;
    if (ctx->revocation == VBSIG_REVOCATION_OFF) {
        e->revocation_status = "unchecked";
        vbsig_entry_note(e, _("revocation was not checked (--revocation off)"));
        return;
    }
    if (!names_revocation_source(leaf)) {
        e->revocation_status = "unchecked";
        vbsig_entry_note(e, _("warning: the signer certificate names no CRL or OCSP source, so its revocation status cannot be checked"));
        return;
    }
    e->revocation_status = "unavailable";
    if (ctx->revocation == VBSIG_REVOCATION_SOFT) {
        vbsig_entry_note(e, _("warning: the revocation status of the signer certificate could not be obtained (this version does not fetch CRL or OCSP data)"));
        return;
    }
    vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "TRY_LATER");
    vbsig_entry_note(e, _("the revocation status of the signer certificate could not be obtained (this version does not fetch CRL or OCSP data); use --revocation soft to accept this"));
}
