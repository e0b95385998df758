/* Whether a timestamp still proves anything once its TSA certificate's
 * revocation status is known. A token is only as good as the TSA key that
 * signed it: if that key may have fallen into other hands, anyone could
 * have made the token with any genTime.
 *
 * The rules (ETSI EN 319 102-1 §5.6.2 and §5.4, simplified), applied to the
 * TSA certificate and every CA certificate below the anchor, under the
 * same --revocation mode, --offline, cache and URL rewrites as the signer:
 *  - good, or no CRL/OCSP source named (a warning, as for signers): the
 *    token stands.
 *  - revoked after genTime for a reason that does not question the key
 *    (superseded, cessationOfOperation, affiliationChanged, …): the token was
 *    made while the certificate was good and its key is not suspect; it
 *    stands, with a warning naming the revocation.
 *  - revoked for keyCompromise, cACompromise, aACompromise, unspecified or
 *    no reason, whenever that happened, or revoked before genTime for any
 *    reason: the token is not trusted: TOTAL-FAILED / REVOKED with the
 *    reason, and the signature loses that proof of existence.
 *  - status unknown or not obtainable: --revocation soft keeps the token
 *    with a warning; hard makes it INDETERMINATE / TRY_LATER.
 *  - --revocation off: not checked ("unchecked"). */
#include <string.h>

#include "tsp/tsp.h"
#include "validate/validate.h"

static int questions_key(const char *reason)
{
    return reason == NULL || strcmp(reason, "unspecified") == 0 || strcmp(reason, "keyCompromise") == 0 ||
           strcmp(reason, "cACompromise") == 0 || strcmp(reason, "aACompromise") == 0;
}

/* What revocation checking said, joined: why a status is missing, which
 * certificate of the path was revoked. */
static void notes_since(const vbsig_sig_entry *e, size_t from, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = from; i < e->message_count && used + 1 < len; i++) {
        int n = snprintf(out + used, len - used, "%s%s", used > 0 ? "; " : "", e->messages[i]);
        if (n < 0)
            break;
        used += (size_t)n < len - used ? (size_t)n : len - used - 1;
    }
}

int vbsig_tsp_check_revocation(vbsig_ctx *ctx, X509 *tsa_cert, STACK_OF(X509) *certs, vbsig_sig_entry *e,
                               vbsig_tsp_result *res)
{
    if (ctx->revocation == VBSIG_REVOCATION_OFF) {
        res->revocation_status = "unchecked";
        return 1;
    }
    size_t before = e->message_count;
    /* revocation.c words its notes against the proven time: genTime here. */
    e->signing_time = res->gen_time;
    vbsig_revocation_assess(ctx, tsa_cert, certs, e);
    const char *status = e->revocation_status != NULL ? e->revocation_status : "unchecked";
    res->revocation_status = status;
    res->revocation_reason = e->revocation_reason;
    res->revoked_at = e->revoked_at;
    res->revocation_source = e->revocation_source;
    char notes[400];
    notes_since(e, before, notes, sizeof notes);
    const char *tsa = res->tsa != NULL ? res->tsa : "?";
    if (strcmp(status, "revoked") == 0) {
        char when[32];
        vbsig_time_format(e->revoked_at, VBSIG_TZ_VIETNAM_MINUTES, when);
        const char *reason = e->revocation_reason != NULL ? e->revocation_reason : _("no reason given");
        if (e->revoked_at > res->gen_time && !questions_key(e->revocation_reason)) {
            snprintf(res->warning, sizeof res->warning,
                     _("warning: the certificate path of the TSA %s was revoked at %s (%s), after the timestamp's time and not for a key compromise, so the timestamp keeps its value"),
                     tsa, when, reason);
            return 1;
        }
        res->indication = VBSIG_TOTAL_FAILED;
        res->subindication = "REVOKED";
        if (questions_key(e->revocation_reason))
            snprintf(res->message, sizeof res->message,
                     _("the certificate path of the TSA %s was revoked at %s (%s): its key may have been misused, so the timestamp proves nothing"),
                     tsa, when, reason);
        else
            snprintf(res->message, sizeof res->message,
                     _("the certificate path of the TSA %s was revoked at %s (%s), before the timestamp's time"), tsa,
                     when, reason);
        return 0;
    }
    if (strcmp(status, "unknown") != 0 && strcmp(status, "unavailable") != 0)
        return 1;
    if (ctx->revocation == VBSIG_REVOCATION_SOFT) {
        snprintf(res->warning, sizeof res->warning,
                 _("warning: the revocation status of the TSA %s is not known, the timestamp is used anyway (--revocation soft): %s"),
                 tsa, notes);
        return 1;
    }
    res->indication = VBSIG_INDETERMINATE;
    res->subindication = "TRY_LATER";
    snprintf(res->message, sizeof res->message, _("the revocation status of the TSA %s is not known: %s"), tsa, notes);
    return 0;
}
