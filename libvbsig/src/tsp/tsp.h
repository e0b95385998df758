/* Private view of the RFC 3161 client: request, transport, reply and token
 * checks. Formats (CAdES now, PAdES later) use these through the public
 * calls or directly. */
#ifndef VBSIG_TSP_PRIV_H
#define VBSIG_TSP_PRIV_H

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "util/util.h"
#include "vbsig/tsp.h"

/* Largest reply accepted from a TSA: a token with a few certificates is a
 * few KiB; anything far larger is not a timestamp reply. */
#define VBSIG_TSP_MAX_REPLY (256u * 1024u)
/* VBSIG_TSP_CONNECT_TIMEOUT_MS and VBSIG_TSP_TIMEOUT_MS, the defaults when
 * neither the options nor the context set them, are the context's
 * (validate/validate.h). */

struct vbsig_tsp_result {
    vbsig_indication indication;
    const char *subindication;      /* static ETSI name or NULL */
    char message[512];
    time_t gen_time;
    char *tsa;                      /* TSA certificate subject */
    char *policy;                   /* dotted OID */
    char *serial;                   /* hex */
    ASN1_INTEGER *nonce;            /* NULL when the token has none */
    /* The TSA certificate's revocation status (tsp_revocation.c): static
     * "good", "revoked", "unknown", "unavailable", "unchecked", or NULL when
     * it was not looked at (path-only checks, or an earlier failure). */
    const char *revocation_status;
    const char *revocation_reason;  /* static RFC 5280 reason name or NULL */
    time_t revoked_at;              /* when revocation_status is "revoked" */
    const char *revocation_source;  /* static "ocsp", "crl" or NULL */
    char warning[512];              /* a passing token's caveat, "" if none */
    /* For archive renewal (validate/renewal.c): the TSA certificate's
     * notAfter (0 when it was not found), and 1 when the token's imprint or
     * signature uses SHA-1 (or weaker) or the TSA's key is RSA under 2048
     * bits, or its path was weak. */
    time_t tsa_not_after;
    int weak;
};

/* ---- request (tsp_request.c) ----
 * A TimeStampReq for the digest with certReq true, a fresh random nonce and
 * the policy when given. *nonce receives that nonce for the reply check. */
int vbsig_tsp_request_build(vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len,
                            const char *policy, vbsig_bytes *der, ASN1_INTEGER **nonce);

/* ---- transport (tsp_http.c) ----
 * One HTTP POST of an application/timestamp-query. Errors name the URL:
 * VBSIG_E_UNAVAILABLE (no connection, HTTP error status, wrong content
 * type), VBSIG_E_TIMEOUT, VBSIG_E_LIMIT (reply larger than the bound).
 * *retryable says whether another attempt may help. */
int vbsig_tsp_http_post(const vbsig_tsp_opts *opts, const char *url, const char *password,
                        const vbsig_bytes *query, vbsig_bytes *reply, int *retryable);

/* ---- reply (tsp_response.c) ----
 * Checks the TimeStampResp status and hands out the exact bytes of its
 * token. VBSIG_E_MALFORMED, or VBSIG_E_REFUSED with the TSA's status,
 * failure info and text when it did not grant the request. */
int vbsig_tsp_response_token(const uint8_t *reply, size_t n, const uint8_t **token, size_t *token_len);

/* ---- token (tsp_token.c) ----
 * Verifies the token and fills res (indication, reasons, genTime, TSA,
 * policy, serial, nonce). check_chain says how far the TSA certificate is
 * examined: VBSIG_TSP_CHECK_NONE skips its path (signing without trust
 * anchors), VBSIG_TSP_CHECK_PATH validates the path only (signing: the token
 * was just made), VBSIG_TSP_CHECK_FULL (= 1, what verification uses) also
 * checks its revocation (tsp_revocation.c). Only VBSIG_E_NOMEM is an error;
 * everything about the token lands in res. */
#define VBSIG_TSP_CHECK_NONE 0
#define VBSIG_TSP_CHECK_FULL 1
#define VBSIG_TSP_CHECK_PATH 2
int vbsig_tsp_token_check(vbsig_ctx *ctx, const uint8_t *token, size_t token_len,
                          vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len,
                          int check_chain, vbsig_tsp_result *res);
void vbsig_tsp_result_clear(vbsig_tsp_result *res);

/* ---- the TSA certificate's revocation (tsp_revocation.c) ----
 * After its path validated into scratch (a throw-away report entry), checks
 * the revocation of tsa_cert and its CA certificates below the anchor under
 * the context's mode, and judges what that leaves of the token as a proof
 * of existence at res->gen_time. Returns 1 when the token still passes
 * (res->warning may say why only just), 0 with res's verdict otherwise. */
struct vbsig_sig_entry;
int vbsig_tsp_check_revocation(vbsig_ctx *ctx, X509 *tsa_cert, STACK_OF(X509) *certs,
                               struct vbsig_sig_entry *scratch, vbsig_tsp_result *res);
/* Copies a token's outcome (status, time, TSA, revocation) into the entry's
 * timestamp fields. */
void vbsig_tsp_record(struct vbsig_sig_entry *e, const vbsig_tsp_result *res);

/* ---- judging a signature's timestamps (tsp_tally.c) ----
 * Zero-initialise, add each token's result (ownership moves in), then
 * finish: the earliest passing token sets the entry's proven signing time,
 * a failing one is noted; none passing makes the entry INDETERMINATE /
 * SIG_CONSTRAINTS_FAILURE; any token turns level B-B into B-T. */
struct vbsig_sig_entry;
typedef struct vbsig_tsp_tally {
    int seen, passed, failed;
    vbsig_tsp_result first_failure;
} vbsig_tsp_tally;
void vbsig_tsp_tally_add(vbsig_tsp_tally *t, struct vbsig_sig_entry *e, vbsig_tsp_result *res);
void vbsig_tsp_tally_finish(vbsig_tsp_tally *t, struct vbsig_sig_entry *e);
/* Counts an archive timestamp of e (CAdES archive-time-stamp-v3, XAdES
 * ArchiveTimeStamp, a PDF document timestamp for its own entry) and keeps
 * the newest one's time, TSA certificate expiry and strength. */
void vbsig_tsp_archive_record(struct vbsig_sig_entry *e, const vbsig_tsp_result *res);

/* ---- options (tsp_client.c) ---- */
int vbsig_tsp_opts_check(const vbsig_tsp_opts *opts);

#endif
