/* Issuing RFC 3161 timestamps: the server side of vbsig/tsp.h. vbsig-tsa
 * is built on these calls; an application that answers timestamp requests
 * itself (an HSM appliance's own front end, a test responder) can use them
 * the same way.
 *
 * An issuer turns one DER TimeStampReq into one DER TimeStampResp: a
 * granted TimeStampToken (RFC 3161 §2.4.2 TSTInfo in a CMS SignedData,
 * RFC 5816 signing-certificate-v2, signed through any vbsig_signer, so a
 * key file, a PKCS#12 file and a PKCS#11 token take one road), or a
 * rejection with one PKIFailureInfo bit and a statusString. The request is
 * checked strictly (one DER value, version 1, an accepted imprint
 * algorithm with the right length and no parameters, an accepted policy,
 * no extensions). Durability, serial uniqueness across instances (serials
 * are 127 random bits) and the transport are the caller's. */
#ifndef VBSIG_TSP_ISSUE_H
#define VBSIG_TSP_ISSUE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vbsig/buf.h"
#include "vbsig/export.h"
#include "vbsig/signer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PKIFailureInfo bits (RFC 3161 §2.4.2 numbering). */
typedef enum vbsig_tsp_failure {
    VBSIG_TSP_FAIL_BAD_ALG = 0,
    VBSIG_TSP_FAIL_BAD_REQUEST = 2,
    VBSIG_TSP_FAIL_BAD_DATA_FORMAT = 5,
    VBSIG_TSP_FAIL_TIME_NOT_AVAILABLE = 14,
    VBSIG_TSP_FAIL_UNACCEPTED_POLICY = 15,
    VBSIG_TSP_FAIL_UNACCEPTED_EXTENSION = 16,
    VBSIG_TSP_FAIL_ADD_INFO_NOT_AVAILABLE = 17,
    VBSIG_TSP_FAIL_SYSTEM_FAILURE = 25
} vbsig_tsp_failure;

/* Asked for every request that passed its checks, just before the token is
 * made: 1 when tokens may be issued now, else 0 with *why (static text for
 * the statusString), and the request is rejected with timeNotAvailable. */
typedef int (*vbsig_tsp_clock_cb)(void *data, const char **why);
/* Told the status of every token signature (vbsig_signer_sign_digest's;
 * its message is in vbsig_last_error()), so a server can notice a pulled
 * token with the first request that fails. */
typedef void (*vbsig_tsp_signed_cb)(void *data, int status);

typedef struct vbsig_tsp_issuer_opts {
    unsigned version;                   /* set by _init */
    const char *policy;                 /* default policy OID; required */
    const char *const *accept_policies; /* further policy OIDs a request may ask for (at most 64) */
    size_t n_accept_policies;
    /* Imprint algorithms accepted, comma-separated, from sha256, sha384,
     * sha512, sha3-256, sha3-384, sha3-512, sha1. NULL: all but sha1. */
    const char *hashes;
    unsigned accuracy_ms;               /* declared accuracy (TSTInfo accuracy); 0: none */
    vbsig_tsp_clock_cb clock;           /* NULL: the clock is always usable */
    void *clock_data;
    vbsig_tsp_signed_cb on_signature;   /* may be NULL */
    void *on_signature_data;
} vbsig_tsp_issuer_opts;

#define VBSIG_TSP_ISSUER_OPTS_VERSION 1
VBSIG_API void vbsig_tsp_issuer_opts_init(vbsig_tsp_issuer_opts *opts);

/* Whether s may issue timestamps at time t (0: now): its certificate has a
 * critical extendedKeyUsage of timeStamping only, a keyUsage (if any)
 * allowing digitalSignature or nonRepudiation, t inside its validity
 * period, and the key matches the certificate (vbsig_signer_probe: one
 * test signature). VBSIG_E_KEY_UNUSABLE with a message naming the
 * certificate's subject and what is wrong. vbsig_tsp_issuer_new does not
 * repeat it: call it once before serving. */
VBSIG_API int vbsig_tsp_check_signer(vbsig_signer *s, time_t t);

typedef struct vbsig_tsp_issuer vbsig_tsp_issuer;

/* An issuer signing with s (not owned: it must outlive the issuer). The
 * signer's certificate and chain (vbsig_signer_add_chain_*; self-signed
 * roots are left out) go into tokens whose request sets certReq; the
 * digest follows the key (SHA-384 for EC keys of 384 bits and more, else
 * SHA-256). Everything that depends only on the key and certificate is
 * encoded here, once. The issuer is read-only afterwards: one issuer may
 * serve one thread at a time; give each worker thread its own.
 * VBSIG_E_INVALID_ARG for an unknown hash name or a malformed policy OID. */
VBSIG_API int vbsig_tsp_issuer_new(vbsig_tsp_issuer **out, vbsig_signer *s, const vbsig_tsp_issuer_opts *opts);
VBSIG_API void vbsig_tsp_issuer_free(vbsig_tsp_issuer *iss);

/* What became of one request, for the caller's journal and logs. */
typedef struct vbsig_tsp_issued {
    int granted;            /* 1: reply holds a token; 0: a rejection */
    int failure;            /* the PKIFailureInfo bit when rejected, else -1 */
    char failure_name[32];  /* "badAlg", "timeNotAvailable" …; "" when granted */
    char serial[40];        /* the token's serial, upper-case hex; "" when rejected */
    char policy[80];        /* dotted OID: the token's, else the one asked for; "" if none */
    char hash_alg[24];      /* the imprint's algorithm (short name or dotted OID); "" if unread */
    char *imprint;          /* the imprint, upper-case hex; NULL when the request was unreadable */
    char *nonce;            /* the nonce's content octets, upper-case hex; NULL without one */
    size_t token_offset;    /* the TimeStampToken's place inside the reply when granted */
    size_t token_len;
    /* A request that passed its checks but got systemFailure (the key did
     * not sign, no memory): the status and message of that failure, for
     * the server's log. VBSIG_OK and "" otherwise. */
    int error_status;
    char error[256];
} vbsig_tsp_issued;

/* Frees what vbsig_tsp_issue allocated in info and zeroes it; NULL is fine. */
VBSIG_API void vbsig_tsp_issued_clear(vbsig_tsp_issued *info);

/* Answers one request received at gen_time (the token's genTime, to the
 * millisecond). *reply gets a DER TimeStampResp, granted or rejected, and
 * info what the journal needs (info is cleared first). A request the
 * issuer refuses is not an error: the return is VBSIG_OK with a rejection
 * in reply; only a reply that could not be made at all (no memory) is an
 * error status, with nothing in reply. A token is never issued at or after
 * the certificate's notAfter (systemFailure). */
VBSIG_API int vbsig_tsp_issue(vbsig_tsp_issuer *iss, const uint8_t *req, size_t req_len,
                              const struct timespec *gen_time, vbsig_buf *reply, vbsig_tsp_issued *info);

/* A rejection TimeStampResp with one PKIFailureInfo bit (0…31) and text
 * (UTF-8, at most 1024 bytes) as its statusString: for requests a server
 * turns away before or after issuing (overload, a journal that could not
 * record the token). */
VBSIG_API int vbsig_tsp_reject(int failure, const char *text, vbsig_buf *reply);

#ifdef __cplusplus
}
#endif
#endif
