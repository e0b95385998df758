/* CRLs (RFC 5280 §5): fetch or take from the cache, check that the
 * certificate's issuer signed a complete, current CRL, then look the
 * certificate's serial up. DER and PEM CRLs are both accepted (NEAC serves
 * its root CRL as PEM). */
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "validate/rev.h"

time_t vbsig_rev_time(const ASN1_TIME *t)
{
    struct tm tm;
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
        return 0;
    return timegm(&tm);
}

const char *vbsig_rev_reason_name(int reason)
{
    static const char *const names[] = {
        "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation", "certificateHold", NULL, "removeFromCRL", "privilegeWithdrawn",
        "aACompromise"};
    if (reason < 0 || reason >= (int)(sizeof names / sizeof names[0]))
        return NULL;
    return names[reason];
}

/* PEM files may start with explanatory text; look at the first 4 KiB. */
static int looks_pem(const vbsig_bytes *b)
{
    static const char mark[] = "-----BEGIN X509 CRL-----";
    size_t window = b->len < 4096 ? b->len : 4096;
    for (size_t i = 0; i + sizeof mark - 1 <= window; i++)
        if (memcmp(b->data + i, mark, sizeof mark - 1) == 0)
            return 1;
    return 0;
}

static X509_CRL *parse_crl(const vbsig_bytes *b)
{
    if (looks_pem(b)) {
        BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);
        X509_CRL *crl = bio != NULL ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
        return crl;
    }
    if (vbsig_der_check(b->data, b->len, 1, 32, "CRL") != VBSIG_OK)
        return NULL;
    const unsigned char *p = b->data;
    X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)b->len);
    if (crl != NULL && p != b->data + b->len) {
        X509_CRL_free(crl);
        return NULL;
    }
    return crl;
}

/* The CRL's DER: what is embedded as evidence (SignedData.crls, XAdES
 * EncapsulatedCRLValue, /DSS /CRLs all hold DER), also when it came as PEM. */
static int to_der(X509_CRL *crl, vbsig_bytes *data)
{
    if (!looks_pem(data))
        return VBSIG_OK;
    unsigned char *der = NULL;
    int n = i2d_X509_CRL(crl, &der);
    if (n <= 0) {
        ERR_clear_error();
        return vbsig_fail(VBSIG_E_CRYPTO, _("the CRL cannot be encoded as DER"));
    }
    vbsig_bytes_free(data);
    vbsig_bytes_init(data);
    int rc = vbsig_bytes_append(data, der, (size_t)n);
    OPENSSL_free(der);
    return rc;
}

/* Only complete CRLs that cover every certificate and reason are used;
 * delta and partitioned CRLs would need more machinery than they are worth
 * here, and using one as if it were complete would be wrong. */
static int is_complete(X509_CRL *crl)
{
    int crit = 0;
    ASN1_INTEGER *delta = X509_CRL_get_ext_d2i(crl, NID_delta_crl, &crit, NULL);
    ASN1_INTEGER_free(delta);
    if (crit != -1)
        return 0;
    ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, &crit, NULL);
    int ok = crit == -1 || (idp != NULL && !idp->onlyuser && !idp->onlyCA && !idp->onlyattr &&
                            idp->onlysomereasons == NULL && !idp->indirectCRL);
    ISSUING_DIST_POINT_free(idp);
    return ok;
}

/* 1 when crl is a usable CRL of issuer at `now`; otherwise 0 and why. */
static int crl_usable(X509_CRL *crl, X509 *issuer, time_t now, char *why, size_t why_len)
{
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0) {
        snprintf(why, why_len, "%s", _("the CRL is not from the certificate's issuer"));
        return 0;
    }
    if ((X509_get_extension_flags(issuer) & EXFLAG_KUSAGE) && !(X509_get_key_usage(issuer) & KU_CRL_SIGN)) {
        snprintf(why, why_len, "%s", _("the issuer may not sign CRLs (key usage)"));
        return 0;
    }
    EVP_PKEY *key = X509_get0_pubkey(issuer);
    if (key == NULL || X509_CRL_verify(crl, key) != 1) {
        ERR_clear_error();
        snprintf(why, why_len, "%s", _("the CRL signature does not verify with the issuer's key"));
        return 0;
    }
    if (!is_complete(crl)) {
        snprintf(why, why_len, "%s", _("the CRL is a delta or partitioned CRL, which is not supported"));
        return 0;
    }
    time_t this_update = vbsig_rev_time(X509_CRL_get0_lastUpdate(crl));
    time_t next_update = vbsig_rev_time(X509_CRL_get0_nextUpdate(crl));
    if (this_update == 0 || this_update > now + VBSIG_REV_SKEW_SECONDS) {
        snprintf(why, why_len, "%s", _("the CRL's thisUpdate is missing or in the future"));
        return 0;
    }
    if (next_update == 0 || next_update <= now) {
        snprintf(why, why_len, "%s", _("the CRL is stale (its nextUpdate has passed)"));
        return 0;
    }
    return 1;
}

static void read_entry(X509_CRL *crl, X509 *cert, vbsig_rev_answer *ans)
{
    X509_REVOKED *rev = NULL;
    ans->source = "crl";
    ans->produced_at = vbsig_rev_time(X509_CRL_get0_lastUpdate(crl));
    if (X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(cert)) != 1) {
        ans->state = VBSIG_REV_GOOD; /* absent, or removeFromCRL (returns 2) */
        return;
    }
    ans->state = VBSIG_REV_REVOKED;
    ans->revoked_at = vbsig_rev_time(X509_REVOKED_get0_revocationDate(rev));
    ans->reason = -1;
    ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
    if (reason != NULL)
        ans->reason = (int)ASN1_ENUMERATED_get(reason);
    ASN1_ENUMERATED_free(reason);
}

/* 1 when the policy's freshness constraint (net->freshness seconds, 0:
 * none) allows a CRL issued at this_update to prove the status at t. */
static int fresh_enough(long freshness, time_t this_update, time_t t)
{
    return freshness <= 0 || this_update + freshness >= t;
}

/* Tries one CRL source: the cache first, then the network. */
static int try_url(const vbsig_rev_net *net, const char *url, X509 *cert, X509 *issuer, time_t now,
                   vbsig_rev_answer *ans)
{
    for (int from_cache = 1; from_cache >= 0; from_cache--) {
        if (!from_cache && net->offline) {
            snprintf(ans->why, sizeof ans->why, _("%s: not fetched (offline)"), url);
            return 0;
        }
        vbsig_bytes data;
        vbsig_bytes_init(&data);
        int rc = VBSIG_OK;
        char *target = NULL;
        if (from_cache) {
            rc = vbsig_rev_cache_get(net, url, VBSIG_REV_MAX_CRL, &data);
        } else {
            rc = vbsig_rev_rewrite(net, url, &target);
            if (rc == VBSIG_OK)
                rc = vbsig_rev_http(net, target, NULL, NULL, 0, VBSIG_REV_MAX_CRL, &data);
            if (rc != VBSIG_OK)
                snprintf(ans->why, sizeof ans->why, "%s", vbsig_last_error());
        }
        free(target);
        X509_CRL *crl = rc == VBSIG_OK && data.len > 0 ? parse_crl(&data) : NULL;
        ERR_clear_error();
        if (crl == NULL && rc == VBSIG_OK && !from_cache)
            snprintf(ans->why, sizeof ans->why, _("%s: the answer is not a CRL"), url);
        char why[200] = "";
        int usable = crl != NULL && crl_usable(crl, issuer, now, why, sizeof why);
        if (usable && !fresh_enough(net->freshness, vbsig_rev_time(X509_CRL_get0_lastUpdate(crl)), now)) {
            usable = 0; /* a cached one: a newer CRL is fetched */
            snprintf(why, sizeof why, _("the CRL is older than the policy's revocation freshness (%ld s)"), net->freshness);
        }
        if (crl != NULL && !usable && !from_cache)
            snprintf(ans->why, sizeof ans->why, "%s: %s", url, why);
        if (usable) {
            read_entry(crl, cert, ans);
            if (!from_cache)
                vbsig_rev_cache_put(net, url, &data);
            if (to_der(crl, &data) == VBSIG_OK)
                vbsig_rev_keep_evidence(ans, &data);
            else
                vbsig_error_clear();
        }
        X509_CRL_free(crl);
        vbsig_bytes_free(&data);
        if (usable)
            return 1;
    }
    return 0;
}

int vbsig_rev_crl_evaluate_der(X509 *cert, X509 *issuer, const vbsig_bytes *der, time_t poe, long freshness,
                               vbsig_rev_answer *ans)
{
    X509_CRL *crl = parse_crl(der);
    ERR_clear_error();
    if (crl == NULL)
        return 0;
    char why[200] = "";
    /* The status at t (the proven signing time, else now) is proven by a
     * CRL of the issuer that was current at t (thisUpdate <= t <
     * nextUpdate; Circular 15/2025 App. II: "the newest CRL at that time")
     * and fresh enough for the policy, or by one issued after t, judged as
     * of its own thisUpdate (a revocation before t would be on it). */
    time_t t = poe != 0 ? poe : time(NULL);
    time_t this_update = vbsig_rev_time(X509_CRL_get0_lastUpdate(crl));
    int usable = this_update != 0 && this_update + VBSIG_REV_SKEW_SECONDS >= t &&
                 crl_usable(crl, issuer, this_update, why, sizeof why);
    if (!usable)
        usable = this_update != 0 && fresh_enough(freshness, this_update, t) && crl_usable(crl, issuer, t, why, sizeof why);
    if (usable)
        read_entry(crl, cert, ans);
    X509_CRL_free(crl);
    return usable;
}

void vbsig_rev_crl_check(const vbsig_rev_net *net, X509 *cert, X509 *issuer, time_t now,
                         vbsig_rev_answer *ans)
{
    STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
    int done = 0;
    for (int i = 0; !done && dps != NULL && i < sk_DIST_POINT_num(dps); i++) {
        DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
        if (dp->distpoint == NULL || dp->distpoint->type != 0)
            continue;
        GENERAL_NAMES *names = dp->distpoint->name.fullname;
        for (int j = 0; !done && j < sk_GENERAL_NAME_num(names); j++) {
            GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, j);
            if (gn->type != GEN_URI)
                continue;
            const char *url = (const char *)ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier);
            if (strlen(url) != (size_t)ASN1_STRING_length(gn->d.uniformResourceIdentifier) ||
                (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
                continue; /* LDAP and embedded NULs are not followed */
            done = try_url(net, url, cert, issuer, now, ans);
        }
    }
    sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
}
