/* RFC 3161 timestamps: ask a timestamp authority (TSA) to timestamp a
 * digest, and verify a timestamp token against the digest it should cover.
 * Every format uses these two calls: CAdES-T timestamps a signature value,
 * PAdES document timestamps a byte range. */
#ifndef VBSIG_TSP_H
#define VBSIG_TSP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vbsig/export.h"
#include "vbsig/buf.h"
#include "vbsig/ctx.h"
#include "vbsig/report.h"
#include "vbsig/signer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How to reach the TSA. URLs are tried in order; each gets 1 + retries
 * attempts when the transport fails (refused, timed out, HTTP 5xx), with a
 * delay that doubles after every attempt. A definite answer that is wrong
 * (a rejection, a reply that does not verify) moves on to the next URL. */
typedef struct vbsig_tsp_opts {
    unsigned version;               /* set by _init */
    const char *const *urls;        /* http:// or https:// */
    size_t url_count;
    vbsig_digest_alg digest;        /* imprint hash when data is given: SHA-256 */
    const char *policy;             /* requested policy OID ("1.2.3.4"), NULL: the TSA's default */
    const char *username;           /* HTTP basic authentication, NULL: none */
    const char *password_source;    /* "pass:…", "env:…", "file:…", "fd:…"; NULL: empty */
    /* 0 (the default): the context's network settings (vbsig_ctx_set_network:
     * 10 000 and 30 000 unless set there). */
    long connect_timeout_ms;
    long timeout_ms;                /* one whole attempt */
    unsigned retries;               /* extra attempts per URL; default 2 */
    long retry_delay_ms;            /* first delay between attempts; default 500 */
    const char *ca_file;            /* https: PEM roots for the TSA's TLS certificate;
                                       NULL: the context's (else the system's store) */
} vbsig_tsp_opts;

#define VBSIG_TSP_OPTS_VERSION 1
VBSIG_API void vbsig_tsp_opts_init(vbsig_tsp_opts *opts);

/* Timestamps a digest made with alg; token receives the DER TimeStampToken
 * (a CMS ContentInfo). Before it is returned the reply is checked: status
 * granted, our nonce, our imprint, the requested policy, the TSA signature,
 * its ESS signing-certificate binding, the TSA certificate's critical
 * timeStamping EKU and genTime inside its validity; and, when the context
 * has trust anchors, the TSA certificate's chain to them.
 * Errors: VBSIG_E_UNAVAILABLE (no TSA gave a usable token; the message names
 * every URL and what went wrong), VBSIG_E_INVALID_ARG. */
VBSIG_API int vbsig_tsp_timestamp_digest(vbsig_ctx *ctx, const vbsig_tsp_opts *opts,
                                         vbsig_digest_alg alg, const uint8_t *digest,
                                         size_t digest_len, vbsig_buf *token);
/* The same for bytes in memory, hashed with opts->digest. */
VBSIG_API int vbsig_tsp_timestamp_data(vbsig_ctx *ctx, const vbsig_tsp_opts *opts,
                                       const uint8_t *data, size_t data_len, vbsig_buf *token);

/* The outcome of verifying one token. */
typedef struct vbsig_tsp_result vbsig_tsp_result;

/* Verifies a token against the digest it should cover (alg must be the
 * token's imprint algorithm: see vbsig_tsp_token_digest_alg). The TSA chain
 * is validated against the context's anchors at the context's validation
 * time (now by default), and its revocation is checked under the context's
 * revocation mode (see vbsig_tsp_result_revocation_status). A token that is malformed or does not verify is
 * not an error of the call: the result says TOTAL-FAILED and why. */
VBSIG_API int vbsig_tsp_verify_token(vbsig_ctx *ctx, const uint8_t *token, size_t token_len,
                                     vbsig_digest_alg alg, const uint8_t *digest,
                                     size_t digest_len, vbsig_tsp_result **out);
/* The hash algorithm of a token's message imprint, so a caller can hash the
 * covered bytes (which may be several ranges) before verifying.
 * VBSIG_E_MALFORMED or VBSIG_E_UNSUPPORTED when it cannot be read. */
VBSIG_API int vbsig_tsp_token_digest_alg(const uint8_t *token, size_t token_len,
                                         vbsig_digest_alg *out);

VBSIG_API vbsig_indication vbsig_tsp_result_indication(const vbsig_tsp_result *r);
/* The TSA certificate's revocation status as verification found it:
 * "good", "revoked", "unknown", "unavailable", "unchecked" (--revocation
 * off, or no source named), or NULL when it was not checked (the token
 * failed before). A revoked one passes only when revoked after genTime for
 * a reason other than a key compromise; see vbsig_tsp_result_message. */
VBSIG_API const char *vbsig_tsp_result_revocation_status(const vbsig_tsp_result *r);
/* The RFC 5280 reason name of that revocation, NULL when none or not revoked. */
VBSIG_API const char *vbsig_tsp_result_revocation_reason(const vbsig_tsp_result *r);
/* ETSI sub-indication, or NULL when TOTAL-PASSED. */
VBSIG_API const char *vbsig_tsp_result_subindication(const vbsig_tsp_result *r);
/* Why it did not pass ("" when it passed). */
VBSIG_API const char *vbsig_tsp_result_message(const vbsig_tsp_result *r);
/* genTime (0 when the token could not be read). */
VBSIG_API time_t vbsig_tsp_result_time(const vbsig_tsp_result *r);
/* The TSA certificate's subject ("CN=…,O=…"), or NULL. */
VBSIG_API const char *vbsig_tsp_result_tsa(const vbsig_tsp_result *r);
/* The token's policy OID and serial number (hex), or NULL. */
VBSIG_API const char *vbsig_tsp_result_policy(const vbsig_tsp_result *r);
VBSIG_API const char *vbsig_tsp_result_serial(const vbsig_tsp_result *r);
VBSIG_API void vbsig_tsp_result_free(vbsig_tsp_result *r);

#ifdef __cplusplus
}
#endif
#endif
