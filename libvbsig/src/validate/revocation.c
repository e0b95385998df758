/* Revocation status of every certificate of the signer's path below the
 * anchor: OCSP first, the CRL when OCSP gives no definite answer, then the
 * verdict at the signing time. A revocation only hurts a signature made
 * after it; only a timestamp proves when the signature was made. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "validate/rev.h"

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

/* The path as OpenSSL builds it at the entry's validation time (leaf
 * first). Built even when validation fails, so what can be checked is. */
static STACK_OF(X509) *build_path(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted, time_t at)
{
    STACK_OF(X509) *pool = sk_X509_new_null(), *chain = NULL;
    X509_STORE_CTX *sctx = X509_STORE_CTX_new();
    int ok = pool != NULL && sctx != NULL;
    for (int i = 0; ok && untrusted != NULL && i < sk_X509_num(untrusted); i++)
        ok = sk_X509_push(pool, sk_X509_value(untrusted, i)) > 0;
    for (int i = 0; ok && i < sk_X509_num(ctx->intermediates); i++)
        ok = sk_X509_push(pool, sk_X509_value(ctx->intermediates, i)) > 0;
    if (ok && X509_STORE_CTX_init(sctx, ctx->trust, leaf, pool)) {
        if (at != 0)
            X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(sctx), at);
        (void)X509_verify_cert(sctx); /* the verdict is cert_path.c's business */
        chain = X509_STORE_CTX_get1_chain(sctx);
    }
    ERR_clear_error();
    X509_STORE_CTX_free(sctx);
    sk_X509_free(pool);
    return chain;
}

void vbsig_rev_keep_evidence(vbsig_rev_answer *ans, vbsig_bytes *from)
{
    if (!ans->want_evidence || from->len == 0)
        return;
    vbsig_bytes_free(&ans->evidence);
    ans->evidence = *from;
    vbsig_bytes_init(from);
}

static int rank(vbsig_rev_state s)
{
    switch (s) {
    case VBSIG_REV_REVOKED: return 4;
    case VBSIG_REV_UNKNOWN: return 3;
    case VBSIG_REV_NONE: return 2;
    default: return 1;
    }
}

static const char *state_name(vbsig_rev_state s)
{
    switch (s) {
    case VBSIG_REV_REVOKED: return "revoked";
    case VBSIG_REV_UNKNOWN: return "unknown";
    case VBSIG_REV_NONE: return "unavailable";
    default: return "good";
    }
}

/* OCSP, then the CRL unless OCSP was definite. */
static void status_of(vbsig_ctx *ctx, X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted, time_t now,
                      time_t poe, vbsig_rev_answer *ans)
{
    vbsig_rev_answer ocsp = {0}, crl = {0};
    /* What the document carries comes first (long-term validation). */
    if (ctx->embedded != NULL && vbsig_rev_embedded_check(ctx, cert, issuer, untrusted, poe, ans))
        return;
    ocsp.want_evidence = crl.want_evidence = 1;
    vbsig_rev_ocsp_check(&ctx->net, ctx, cert, issuer, untrusted, now, &ocsp);
    if (ocsp.state == VBSIG_REV_GOOD || ocsp.state == VBSIG_REV_REVOKED) {
        *ans = ocsp;
        return;
    }
    vbsig_rev_crl_check(&ctx->net, cert, issuer, now, &crl);
    if (crl.state != VBSIG_REV_NONE || ocsp.state == VBSIG_REV_UNKNOWN) {
        int use_crl = crl.state != VBSIG_REV_NONE;
        vbsig_bytes_free(use_crl ? &ocsp.evidence : &crl.evidence);
        *ans = use_crl ? crl : ocsp;
        return;
    }
    vbsig_bytes_free(&ocsp.evidence);
    *ans = crl;
    snprintf(ans->why, sizeof ans->why, "%.120s%s%.120s", ocsp.why, ocsp.why[0] && crl.why[0] ? "; " : "", crl.why);
}

static void judge(vbsig_ctx *ctx, vbsig_sig_entry *e, const vbsig_rev_answer *a, const char *who, int is_ca)
{
    char when[32];
    switch (a->state) {
    case VBSIG_REV_REVOKED:
        vbsig_time_format(a->revoked_at, VBSIG_TZ_VIETNAM_MINUTES, when);
        if (e->signing_time != 0 && e->signing_time < a->revoked_at) {
            vbsig_entry_note(e, _("the certificate %s was revoked at %s, after the signing time proven by a timestamp; the signature is not affected"), who, when);
        } else if (e->signing_time != 0) {
            vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "REVOKED");
            vbsig_entry_note(e, _("the certificate %s was revoked at %s, before the signing time proven by a timestamp"), who, when);
        } else {
            vbsig_entry_worsen(e, VBSIG_INDETERMINATE, is_ca ? "REVOKED_CA_NO_POE" : "REVOKED_NO_POE");
            vbsig_entry_note(e, _("the certificate %s was revoked at %s and no timestamp proves that the signature was made before that"), who, when);
        }
        break;
    case VBSIG_REV_UNKNOWN:
    case VBSIG_REV_NONE:
        if (a->state == VBSIG_REV_UNKNOWN)
            vbsig_entry_note(e, _("%sthe OCSP responder does not know the certificate %s"),
                             ctx->revocation == VBSIG_REVOCATION_SOFT ? _("warning: ") : "", who);
        else
            vbsig_entry_note(e, _("%sthe revocation status of the certificate %s could not be obtained: %s"),
                             ctx->revocation == VBSIG_REVOCATION_SOFT ? _("warning: ") : "", who, a->why);
        if (ctx->revocation != VBSIG_REVOCATION_SOFT) {
            vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "TRY_LATER");
            vbsig_entry_note(e, _("use --revocation soft to accept a signature whose revocation status is not known"));
        }
        break;
    default:
        break;
    }
}

static void subject_of(X509 *cert, char *buf, size_t len)
{
    char *text = vbsig_name_text(X509_get_subject_name(cert));
    snprintf(buf, len, "%s", text != NULL ? text : "?");
    free(text);
}

void vbsig_revocation_assess(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted,
                             vbsig_sig_entry *e)
{
    if (ctx->revocation == VBSIG_REVOCATION_OFF) {
        e->revocation_status = "unchecked";
        vbsig_entry_note(e, _("revocation was not checked (--revocation off)"));
        return;
    }
    e->revocation_status = "unchecked";
    STACK_OF(X509) *chain = NULL;
    if (e->built_path != NULL && sk_X509_num(e->built_path) > 0 && sk_X509_value(e->built_path, 0) == leaf &&
        e->built_path_time == e->validation_time)
        chain = X509_chain_up_ref(e->built_path);
    if (chain == NULL)
        chain = build_path(ctx, leaf, untrusted, e->validation_time);
    int n = chain != NULL ? sk_X509_num(chain) : 0;
    if (n == 0) {
        chain = chain != NULL ? chain : sk_X509_new_null();
        if (chain == NULL || !sk_X509_push(chain, leaf) || !X509_up_ref(leaf)) {
            vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "TRY_LATER");
            vbsig_entry_note(e, "%s", _("out of memory"));
            sk_X509_free(chain);
            return;
        }
        n = 1;
    }
    time_t now = time(NULL);
    int worst = 0;
    for (int i = 0; i < n; i++) {
        X509 *cert = sk_X509_value(chain, i);
        X509 *issuer = i + 1 < n ? sk_X509_value(chain, i + 1) : NULL;
        char who[512];
        subject_of(cert, who, sizeof who);
        if (issuer == NULL && i > 0)
            break; /* the anchor: trusted as it is */
        if (!names_revocation_source(cert)) {
            if (i == 0)
                vbsig_entry_note(e, _("warning: the signer certificate names no CRL or OCSP source, so its revocation status cannot be checked"));
            else
                vbsig_entry_note(e, _("warning: the CA certificate %s names no CRL or OCSP source, so its revocation status cannot be checked"), who);
            continue;
        }
        vbsig_rev_answer a = {0};
        if (issuer == NULL)
            snprintf(a.why, sizeof a.why, "%s", _("its issuer's certificate was not found"));
        else
            status_of(ctx, cert, issuer, untrusted, now, e->signing_time, &a);
        judge(ctx, e, &a, who, i > 0);
        vbsig_entry_add_rev_object(e, a.source, &a.evidence);
        vbsig_bytes_free(&a.evidence);
        if (rank(a.state) > worst) {
            worst = rank(a.state);
            e->revocation_status = state_name(a.state);
            e->revocation_source = a.state != VBSIG_REV_NONE ? a.source : NULL;
            e->revocation_produced_at = a.produced_at;
            e->revoked_at = a.state == VBSIG_REV_REVOKED ? a.revoked_at : 0;
            e->revocation_reason = a.state == VBSIG_REV_REVOKED ? vbsig_rev_reason_name(a.reason) : NULL;
        }
    }
    sk_X509_pop_free(chain, X509_free);
}
