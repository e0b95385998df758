/* Private view of the RFC 3161 client: request, transport, reply and token
 * checks. Formats (CAdES now, PAdES later) use these through the public
 * calls or directly. */
#ifndef VBSIG_TSP_PRIV_H
#define VBSIG_TSP_PRIV_H

#include <openssl/asn1.h>

#include "util/util.h"
#include "vbsig/tsp.h"

/* Largest reply accepted from a TSA: a token with a few certificates is a
 * few KiB; anything far larger is not a timestamp reply. */
#define VBSIG_TSP_MAX_REPLY (256u * 1024u)

struct vbsig_tsp_result {
    vbsig_indication indication;
    const char *subindication;      /* static ETSI name or NULL */
    char message[512];
    time_t gen_time;
    char *tsa;                      /* TSA certificate subject */
    char *policy;                   /* dotted OID */
    char *serial;                   /* hex */
    ASN1_INTEGER *nonce;            /* NULL when the token has none */
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
 * policy, serial, nonce). check_chain = 0 skips the TSA path validation
 * (used when signing without trust anchors). Only VBSIG_E_NOMEM is an
 * error; everything about the token lands in res. */
int vbsig_tsp_token_check(vbsig_ctx *ctx, const uint8_t *token, size_t token_len,
                          vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len,
                          int check_chain, vbsig_tsp_result *res);
void vbsig_tsp_result_clear(vbsig_tsp_result *res);

/* ---- options (tsp_client.c) ---- */
int vbsig_tsp_opts_check(const vbsig_tsp_opts *opts);

#endif
