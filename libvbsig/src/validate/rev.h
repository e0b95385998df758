/* Revocation checking internals: where revocation data comes from (network
 * or the on-disk cache), and what a CRL or an OCSP response says about one
 * certificate. */
#ifndef VBSIG_REV_H
#define VBSIG_REV_H

#include <time.h>

#include <openssl/x509.h>

#include "util/util.h"
#include "validate/validate.h"

/* Bounds on what a server may send us. */
#define VBSIG_REV_MAX_CRL (32u << 20)
#define VBSIG_REV_MAX_OCSP (1u << 20)
#define VBSIG_REV_CONNECT_TIMEOUT_MS 5000L
#define VBSIG_REV_TIMEOUT_MS 15000L
/* Allowed clock difference between us and a CRL issuer or OCSP responder. */
#define VBSIG_REV_SKEW_SECONDS 300

/* ---- the context's settings (ctx_net.c; the type is in validate.h) ---- */
void vbsig_rev_net_clear(vbsig_rev_net *net);
/* Adds a rewrite rule; low = 1 ranks it after every low = 0 rule. */
int vbsig_rev_add_rewrite(vbsig_rev_net *net, const char *from, const char *to, int low);
/* The URL to contact for `url` after the rewrite rules (malloc'ed). */
int vbsig_rev_rewrite(const vbsig_rev_net *net, const char *url, char **out);

/* ---- HTTP (rev_fetch.c): GET when body is NULL, else POST with
 * content_type. Only http and https, no redirects, bounded time and size. */
int vbsig_rev_http(const vbsig_rev_net *net, const char *url, const char *content_type, const uint8_t *body,
                   size_t body_len, size_t max_reply, vbsig_bytes *reply);

/* ---- cache (rev_cache.c): entries keyed by a text key (the certificate's
 * URL, plus the certificate id for OCSP). Missing entries are not errors:
 * vbsig_rev_cache_get returns 0 and leaves `out` empty. */
int vbsig_rev_cache_get(const vbsig_rev_net *net, const char *key, size_t max_len, vbsig_bytes *out);
void vbsig_rev_cache_put(const vbsig_rev_net *net, const char *key, const vbsig_bytes *data);

/* ---- in-memory store (rev_memcache.c), shared between threads and
 * consulted before the on-disk cache; bounded in entries and bytes (when
 * full, answers are simply not kept). Reference counted. */
typedef struct vbsig_rev_memcache vbsig_rev_memcache;
vbsig_rev_memcache *vbsig_rev_memcache_new(void);
vbsig_rev_memcache *vbsig_rev_memcache_ref(vbsig_rev_memcache *m);
void vbsig_rev_memcache_unref(vbsig_rev_memcache *m);
/* 1 and a copy in `out` when the key is held, 0 when not, <0 on error. */
int vbsig_rev_memcache_get(vbsig_rev_memcache *m, const char *key, size_t max_len, vbsig_bytes *out);
void vbsig_rev_memcache_put(vbsig_rev_memcache *m, const char *key, const vbsig_bytes *data);

/* ---- what one source says about one certificate ---- */
typedef enum vbsig_rev_state {
    VBSIG_REV_NONE = 0,   /* no usable answer */
    VBSIG_REV_GOOD,
    VBSIG_REV_UNKNOWN,
    VBSIG_REV_REVOKED
} vbsig_rev_state;

typedef struct vbsig_rev_answer {
    vbsig_rev_state state;
    const char *source;   /* "ocsp" or "crl" */
    time_t revoked_at;
    int reason;           /* CRL reason code, -1 when none given */
    time_t produced_at;   /* OCSP producedAt, or the CRL's thisUpdate */
    char why[256];        /* for VBSIG_REV_NONE: why the source gave nothing */
    /* Set want_evidence = 1 to get the bytes of the CRL or OCSP response
     * the answer rests on (for the ETSI report); free them with
     * vbsig_bytes_free(&evidence). */
    int want_evidence;
    vbsig_bytes evidence;
} vbsig_rev_answer;

/* Takes the evidence out of `from` when it is usable (moves the bytes). */
void vbsig_rev_keep_evidence(vbsig_rev_answer *ans, vbsig_bytes *from);

/* Fetches (or takes from the cache) and checks the CRLs the certificate
 * names; `issuer` signed cert. */
void vbsig_rev_crl_check(const vbsig_rev_net *net, X509 *cert, X509 *issuer, time_t now,
                         vbsig_rev_answer *ans);
/* Asks (or takes from the cache) the OCSP responders the certificate names;
 * the response must be signed by the issuer or by a responder it delegated
 * to (id-kp-OCSPSigning) that chains to the context's anchors. */
void vbsig_rev_ocsp_check(const vbsig_rev_net *net, vbsig_ctx *ctx, X509 *cert, X509 *issuer,
                          STACK_OF(X509) *untrusted, time_t now, vbsig_rev_answer *ans);

/* ---- revocation data the document carries (rev_embedded.c) ----
 * A PDF /DSS (or other embedded validation data) loaded for one
 * verification; consulted before any network or cache. Each entry is judged
 * as of its own thisUpdate (it was kept to prove the status at signing
 * time, and may be read years after its nextUpdate). */
struct vbsig_rev_embedded {
    vbsig_bytes *ocsp, *crl;
    size_t ocsp_count, crl_count;
};
/* 1 and ans filled (with a copy of the bytes as evidence) when an embedded
 * OCSP response (preferred) or CRL gives a definite status for cert. poe:
 * the signing time a timestamp proves (0: none), which the data must not
 * precede; without one the data must be current. */
int vbsig_rev_embedded_check(vbsig_ctx *ctx, X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted,
                             time_t poe, vbsig_rev_answer *ans);
/* The checks of rev_ocsp.c and rev_crl.c over bytes in hand, with poe as
 * above; 1 when usable (ans filled, no evidence kept). */
int vbsig_rev_ocsp_evaluate_der(vbsig_ctx *ctx, X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted,
                                const vbsig_bytes *der, time_t poe, vbsig_rev_answer *ans);
/* A CRL also proves the status at poe when it was current then
 * (thisUpdate <= poe < nextUpdate) and, with freshness > 0 seconds (the
 * policy's constraint), issued no longer than freshness before poe. */
int vbsig_rev_crl_evaluate_der(X509 *cert, X509 *issuer, const vbsig_bytes *der, time_t poe, long freshness,
                               vbsig_rev_answer *ans);

/* An ASN.1 time as time_t; 0 for NULL or a malformed time. */
time_t vbsig_rev_time(const ASN1_TIME *t);
/* A static name for a CRL reason code (RFC 5280 §5.3.1), NULL for -1. */
const char *vbsig_rev_reason_name(int reason);

#endif
