/* OCSP (RFC 6960): ask the responders a certificate names, or reuse a
 * cached response that is still fresh. A response counts only when it is
 * signed by the issuer or by a responder the issuer delegated to
 * (id-kp-OCSPSigning), covers the certificate, and is current. */
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "validate/rev.h"

typedef struct ocsp_query {
    vbsig_ctx *ctx;
    const vbsig_rev_net *net;
    X509 *cert, *issuer;
    STACK_OF(X509) *untrusted; /* issuer, the signature's certificates, the context's intermediates */
    OCSP_CERTID *id;
    time_t now;
} ocsp_query;

/* The responder's own revocation status must be known unless it carries
 * id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1); its issuer's CRL tells. */
static int responder_trusted(const ocsp_query *q, OCSP_BASICRESP *bs, char *why, size_t why_len)
{
    X509 *signer = NULL;
    if (!OCSP_resp_get0_signer(bs, &signer, q->untrusted) || signer == NULL) {
        snprintf(why, why_len, "%s", _("the response does not name a known signer"));
        return 0;
    }
    if (X509_cmp(signer, q->issuer) == 0 || X509_get_ext_by_NID(signer, NID_id_pkix_OCSP_noCheck, -1) >= 0)
        return 1;
    vbsig_rev_answer sub = {0};
    vbsig_rev_crl_check(q->net, signer, q->issuer, q->now, &sub);
    if (sub.state == VBSIG_REV_GOOD)
        return 1;
    snprintf(why, why_len, "%s", _("the responder's certificate has no ocsp-nocheck and its own revocation status is not good"));
    return 0;
}

/* 1 when `der` is a usable response about q->cert; fresh_only: it must also
 * have a nextUpdate still ahead (the rule for reusing a cached answer). */
static int evaluate(const ocsp_query *q, const vbsig_bytes *der, OCSP_REQUEST *req, int fresh_only,
                    vbsig_rev_answer *ans, char *why, size_t why_len)
{
    const unsigned char *p = der->data;
    OCSP_RESPONSE *resp = vbsig_der_check(der->data, der->len, 1, 32, "OCSP") == VBSIG_OK
                              ? d2i_OCSP_RESPONSE(NULL, &p, (long)der->len) : NULL;
    OCSP_BASICRESP *bs = NULL;
    int ok = 0;
    if (resp == NULL || p != der->data + der->len) {
        snprintf(why, why_len, "%s", _("the answer is not an OCSP response"));
        goto out;
    }
    int rs = OCSP_response_status(resp);
    if (rs != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        snprintf(why, why_len, _("the responder refused: %s"), OCSP_response_status_str(rs));
        goto out;
    }
    bs = OCSP_response_get1_basic(resp);
    if (bs == NULL) {
        snprintf(why, why_len, "%s", _("the response is not a basic OCSP response"));
        goto out;
    }
    if (req != NULL && OCSP_check_nonce(req, bs) == 0) {
        snprintf(why, why_len, "%s", _("the response's nonce does not match the request (a replay?)"));
        goto out;
    }
    if (OCSP_basic_verify(bs, q->untrusted, q->ctx->trust, 0) <= 0) {
        snprintf(why, why_len, "%s", _("the response is not signed by the issuer or a responder it authorised (id-kp-OCSPSigning)"));
        goto out;
    }
    if (!responder_trusted(q, bs, why, why_len))
        goto out;
    int status = -1, reason = -1;
    ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
    if (!OCSP_resp_find_status(bs, q->id, &status, &reason, &rev, &thisupd, &nextupd)) {
        snprintf(why, why_len, "%s", _("the response does not cover the certificate"));
        goto out;
    }
    time_t this_update = vbsig_rev_time(thisupd), next_update = vbsig_rev_time(nextupd);
    if (this_update == 0 || this_update > q->now + VBSIG_REV_SKEW_SECONDS ||
        (nextupd != NULL && next_update <= q->now)) {
        snprintf(why, why_len, "%s", _("the response is not current (thisUpdate/nextUpdate)"));
        goto out;
    }
    if (fresh_only && nextupd == NULL) {
        snprintf(why, why_len, "%s", _("the cached response has no nextUpdate, so it is not reused"));
        goto out;
    }
    ans->source = "ocsp";
    ans->produced_at = vbsig_rev_time(OCSP_resp_get0_produced_at(bs));
    ans->reason = -1;
    if (status == V_OCSP_CERTSTATUS_GOOD) {
        ans->state = VBSIG_REV_GOOD;
    } else if (status == V_OCSP_CERTSTATUS_REVOKED) {
        ans->state = VBSIG_REV_REVOKED;
        ans->revoked_at = vbsig_rev_time(rev);
        ans->reason = reason;
    } else {
        ans->state = VBSIG_REV_UNKNOWN;
    }
    ok = 1;
out:
    ERR_clear_error();
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    return ok;
}

static int ask(const ocsp_query *q, const char *url, vbsig_bytes *reply, OCSP_REQUEST **req_out,
               char *why, size_t why_len)
{
    OCSP_REQUEST *req = OCSP_REQUEST_new();
    OCSP_CERTID *id = OCSP_CERTID_dup(q->id);
    unsigned char *der = NULL;
    int len = -1;
    if (req != NULL && id != NULL && OCSP_request_add0_id(req, id)) {
        id = NULL;
        /* A nonce guards fresh answers against replay; a response without
         * one is still accepted (RFC 6960 §4.4.1 makes it optional). */
        if (OCSP_request_add1_nonce(req, NULL, -1))
            len = i2d_OCSP_REQUEST(req, &der);
    }
    OCSP_CERTID_free(id);
    char *target = NULL;
    int rc = len > 0 ? vbsig_rev_rewrite(q->net, url, &target) : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (rc == VBSIG_OK)
        rc = vbsig_rev_http(q->net, target, "application/ocsp-request", der, (size_t)len, VBSIG_REV_MAX_OCSP, reply);
    if (rc != VBSIG_OK) {
        snprintf(why, why_len, "%s", vbsig_last_error());
        OCSP_REQUEST_free(req);
        req = NULL;
    }
    free(target);
    OPENSSL_free(der);
    ERR_clear_error();
    *req_out = req;
    return rc == VBSIG_OK;
}

static int try_url(const ocsp_query *q, const char *url, const char *key, vbsig_rev_answer *ans)
{
    char why[200] = "";
    vbsig_bytes data;
    vbsig_bytes_init(&data);
    int ok = vbsig_rev_cache_get(q->net, key, VBSIG_REV_MAX_OCSP, &data) == VBSIG_OK && data.len > 0 &&
             evaluate(q, &data, NULL, 1, ans, why, sizeof why);
    if (ok)
        vbsig_rev_keep_evidence(ans, &data);
    vbsig_bytes_free(&data);
    if (ok)
        return 1;
    if (q->net->offline) {
        snprintf(ans->why, sizeof ans->why, _("%s: not asked (offline)"), url);
        return 0;
    }
    OCSP_REQUEST *req = NULL;
    vbsig_bytes_init(&data);
    if (ask(q, url, &data, &req, why, sizeof why)) {
        ok = evaluate(q, &data, req, 0, ans, why, sizeof why);
        if (ok) {
            vbsig_rev_cache_put(q->net, key, &data);
            vbsig_rev_keep_evidence(ans, &data);
        } else
            snprintf(ans->why, sizeof ans->why, "%s: %s", url, why);
    } else {
        snprintf(ans->why, sizeof ans->why, "%s", why);
    }
    OCSP_REQUEST_free(req);
    vbsig_bytes_free(&data);
    return ok;
}

/* The cache key: the URL the certificate names and the CertID asked about. */
static char *cache_key(const char *url, OCSP_CERTID *id)
{
    unsigned char *der = NULL;
    int len = i2d_OCSP_CERTID(id, &der);
    char *hex = NULL, *key = NULL;
    if (len > 0 && vbsig_hex_encode(der, (size_t)len, 0, &hex) == VBSIG_OK) {
        size_t n = strlen(url) + strlen(hex) + 2;
        key = malloc(n);
        if (key != NULL)
            snprintf(key, n, "%s\n%s", url, hex);
    }
    free(hex);
    OPENSSL_free(der);
    return key;
}

void vbsig_rev_ocsp_check(const vbsig_rev_net *net, vbsig_ctx *ctx, X509 *cert, X509 *issuer,
                          STACK_OF(X509) *untrusted, time_t now, vbsig_rev_answer *ans)
{
    ocsp_query q = {ctx, net, cert, issuer, sk_X509_new_null(), NULL, now};
    AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
    q.id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
    int ok = q.untrusted != NULL && q.id != NULL && sk_X509_push(q.untrusted, issuer) > 0;
    for (int i = 0; ok && untrusted != NULL && i < sk_X509_num(untrusted); i++)
        ok = sk_X509_push(q.untrusted, sk_X509_value(untrusted, i)) > 0;
    for (int i = 0; ok && i < sk_X509_num(ctx->intermediates); i++)
        ok = sk_X509_push(q.untrusted, sk_X509_value(ctx->intermediates, i)) > 0;
    int done = 0;
    for (int i = 0; ok && !done && aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
        ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
        if (OBJ_obj2nid(ad->method) != NID_ad_OCSP || ad->location->type != GEN_URI)
            continue;
        ASN1_IA5STRING *uri = ad->location->d.uniformResourceIdentifier;
        const char *url = (const char *)ASN1_STRING_get0_data(uri);
        if (strlen(url) != (size_t)ASN1_STRING_length(uri) ||
            (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
            continue;
        char *key = cache_key(url, q.id);
        done = key != NULL && try_url(&q, url, key, ans);
        free(key);
    }
    ERR_clear_error();
    AUTHORITY_INFO_ACCESS_free(aia);
    OCSP_CERTID_free(q.id);
    sk_X509_free(q.untrusted); /* the certificates belong to their owners */
}

int vbsig_rev_ocsp_evaluate_der(vbsig_ctx *ctx, X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted,
                                const vbsig_bytes *der, time_t poe, vbsig_rev_answer *ans)
{
    /* With a proven signing time: judged as of the response's own
     * thisUpdate, which must not precede that time (embedded data is kept
     * for validation long after its nextUpdate). Without one: it must be
     * current, like a fetched response. */
    ocsp_query q = {ctx, &ctx->net, cert, issuer, sk_X509_new_null(), OCSP_cert_to_id(EVP_sha1(), cert, issuer), 0};
    int ok = q.untrusted != NULL && q.id != NULL && sk_X509_push(q.untrusted, issuer) > 0;
    for (int i = 0; ok && untrusted != NULL && i < sk_X509_num(untrusted); i++)
        ok = sk_X509_push(q.untrusted, sk_X509_value(untrusted, i)) > 0;
    for (int i = 0; ok && i < sk_X509_num(ctx->intermediates); i++)
        ok = sk_X509_push(q.untrusted, sk_X509_value(ctx->intermediates, i)) > 0;
    const unsigned char *p = der->data;
    OCSP_RESPONSE *resp = ok ? d2i_OCSP_RESPONSE(NULL, &p, (long)der->len) : NULL;
    OCSP_BASICRESP *bs = resp != NULL ? OCSP_response_get1_basic(resp) : NULL;
    ASN1_GENERALIZEDTIME *thisupd = NULL;
    int status = -1;
    ok = bs != NULL && OCSP_resp_find_status(bs, q.id, &status, NULL, NULL, &thisupd, NULL) == 1;
    q.now = ok ? vbsig_rev_time(thisupd) : 0;
    if (q.now != 0 && poe != 0 && q.now + VBSIG_REV_SKEW_SECONDS < poe)
        ok = 0; /* older than the signature: proves nothing about it */
    if (poe == 0)
        q.now = time(NULL);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    char why[200] = "";
    ok = ok && q.now != 0 && evaluate(&q, der, NULL, 0, ans, why, sizeof why);
    ERR_clear_error();
    OCSP_CERTID_free(q.id);
    sk_X509_free(q.untrusted);
    return ok;
}
