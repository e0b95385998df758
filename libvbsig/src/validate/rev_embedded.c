/* Revocation data the document itself carries (PDF /DSS /OCSPs and /CRLs):
 * the source that makes a long-term signature verifiable with no network.
 * An OCSP response is preferred over a CRL, as online. */
#include <string.h>

#include "validate/rev.h"

/* The answer keeps a copy of the bytes it rests on, like a fetched one. */
static int take(vbsig_rev_answer *ans, const vbsig_bytes *der)
{
    vbsig_bytes_init(&ans->evidence);
    if (vbsig_bytes_append(&ans->evidence, der->data, der->len) != VBSIG_OK)
        vbsig_error_clear();
    return 1;
}

int vbsig_rev_embedded_check(vbsig_ctx *ctx, X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted,
                             time_t poe, vbsig_rev_answer *ans)
{
    const struct vbsig_rev_embedded *emb = ctx->embedded;
    if (emb == NULL || issuer == NULL)
        return 0;
    for (size_t i = 0; i < emb->ocsp_count; i++) {
        vbsig_rev_answer a;
        memset(&a, 0, sizeof a);
        if (vbsig_rev_ocsp_evaluate_der(ctx, cert, issuer, untrusted, &emb->ocsp[i], poe, &a) &&
            (a.state == VBSIG_REV_GOOD || a.state == VBSIG_REV_REVOKED)) {
            *ans = a;
            return take(ans, &emb->ocsp[i]);
        }
    }
    for (size_t i = 0; i < emb->crl_count; i++) {
        vbsig_rev_answer a;
        memset(&a, 0, sizeof a);
        if (vbsig_rev_crl_evaluate_der(cert, issuer, &emb->crl[i], poe, ctx->net.freshness, &a)) {
            *ans = a;
            return take(ans, &emb->crl[i]);
        }
    }
    return 0;
}
