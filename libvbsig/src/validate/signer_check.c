/* Checking one's own certificate before signing (Decree 23/2025 art. 15):
 * the signer's certificate is validated as a verifier would validate it
 * in a signature made now — path to the context's anchors, revocation
 * under the context's mode — without asking the key for anything. */
#include "crypto/crypto.h"
#include "validate/validate.h"
#include "vbsig/signer.h"

int vbsig_signer_check(vbsig_ctx *ctx, vbsig_signer *signer, time_t t, vbsig_report **out)
{
    vbsig_i18n_ensure();
    if (out != NULL)
        *out = NULL;
    if (ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_signer_check", "ctx");
    if (signer == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_signer_check", "signer");
    if (out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_signer_check", "out");
    int rc = vbsig_signer_check_usable(signer, t);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_report *r = NULL;
    vbsig_sig_entry *e = NULL;
    rc = vbsig_report_create("signer", &r);
    if (rc == VBSIG_OK)
        rc = vbsig_report_add_entry(r, &e);
    if (rc == VBSIG_OK)
        rc = vbsig_entry_set_signer(e, signer->cert);
    if (rc != VBSIG_OK) {
        vbsig_report_free(r);
        return rc;
    }
    /* The chain the signer ships helps build the path, as it would inside
     * a signature; it is never trusted for that. */
    STACK_OF(X509) *pool = signer->chain != NULL ? X509_chain_up_ref(signer->chain) : sk_X509_new_null();
    if (pool == NULL) {
        vbsig_report_free(r);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    time_t at = t != 0 ? t : vbsig_validation_time_for(ctx, e);
    vbsig_path_validate(ctx, signer->cert, pool, at, e);
    vbsig_revocation_assess(ctx, signer->cert, pool, e);
    sk_X509_pop_free(pool, X509_free);
    *out = r;
    return VBSIG_OK;
}
