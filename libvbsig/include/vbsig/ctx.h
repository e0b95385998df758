/* The context: trust anchors, validation policy and limits for untrusted
 * input. One context may serve many operations; use it from one thread at a
 * time. */
#ifndef VBSIG_CTX_H
#define VBSIG_CTX_H

#include <stdint.h>
#include <time.h>

#include "vbsig/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vbsig_ctx vbsig_ctx;

VBSIG_API int vbsig_ctx_new(vbsig_ctx **out);
VBSIG_API void vbsig_ctx_free(vbsig_ctx *ctx);

/* Adds trust anchors from a PEM or DER certificate file, or from every
 * .pem/.crt/.cer/.der file in a directory. Anchors are loaded once and serve
 * every later verification with this context. */
VBSIG_API int vbsig_ctx_add_trust(vbsig_ctx *ctx, const char *path);
/* Adds intermediate certificates (PEM bundle or DER) used to build paths but
 * never trusted on their own. */
VBSIG_API int vbsig_ctx_add_intermediates(vbsig_ctx *ctx, const char *path);

/* Validation time: 0 (the default) means "the signing time the signature
 * claims, else now". Any other value pins the time (verify --at). */
VBSIG_API int vbsig_ctx_set_validation_time(vbsig_ctx *ctx, time_t t);

/* Parses an ISO 8601 time ("2026-11-22", "2026-11-22T09:30:00+07:00", "…Z");
 * without an offset the time is Vietnam time (+07:00). */
VBSIG_API int vbsig_parse_time(const char *iso8601, time_t *out);

typedef enum vbsig_revocation_mode {
    VBSIG_REVOCATION_HARD = 0, /* unavailable status makes the signature INDETERMINATE */
    VBSIG_REVOCATION_SOFT = 1, /* unavailable status is a warning */
    VBSIG_REVOCATION_OFF = 2   /* not checked, and the report says so */
} vbsig_revocation_mode;
VBSIG_API int vbsig_ctx_set_revocation_mode(vbsig_ctx *ctx, vbsig_revocation_mode mode);

/* Revocation sources. A CRL or OCSP URL that starts with `from` is fetched
 * from `to` + the rest instead (some certificates name an internal host);
 * the first matching rule wins. Only http:// and https:// targets. */
VBSIG_API int vbsig_ctx_add_url_rewrite(vbsig_ctx *ctx, const char *from, const char *to);
/* A directory where fetched CRLs and OCSP responses are kept, keyed by the
 * URL the certificate names, and reused while still fresh (before their
 * nextUpdate). NULL: no cache (the default). The directory is created. */
VBSIG_API int vbsig_ctx_set_cache_dir(vbsig_ctx *ctx, const char *dir);
/* 1: make no network requests; only fresh cache entries are used. */
VBSIG_API int vbsig_ctx_set_offline(vbsig_ctx *ctx, int offline);

/* Limits for untrusted input; every one has a safe default. */
typedef enum vbsig_limit {
    VBSIG_LIMIT_DER_LENGTH = 1,   /* bytes of one signature (attached content included): 1 GiB */
    VBSIG_LIMIT_DER_DEPTH = 2,    /* nesting of DER structures: 64 */
    VBSIG_LIMIT_INPUT_SIZE = 3,   /* bytes of a document read for signing or verifying: 64 GiB */
    VBSIG_LIMIT_SIGNERS = 4,      /* signatures examined in one document: 64 */
    VBSIG_LIMIT_CERTS = 5,        /* certificates taken from one signature: 64 */
    VBSIG_LIMIT_PDF_DEPTH = 6,    /* nesting of PDF arrays and dictionaries: 64 */
    VBSIG_LIMIT_PDF_OBJECTS = 7,  /* object numbers in one PDF cross-reference structure: 4 Mi */
    VBSIG_LIMIT_INFLATED_SIZE = 8 /* bytes of one decompressed stream: 256 MiB */
} vbsig_limit;
VBSIG_API int vbsig_ctx_set_limit(vbsig_ctx *ctx, vbsig_limit which, uint64_t value);
VBSIG_API uint64_t vbsig_ctx_get_limit(const vbsig_ctx *ctx, vbsig_limit which);

/* Where the gettext catalogues live (default: the install prefix's
 * share/locale). Call before the first vbsig call that produces text. */
VBSIG_API void vbsig_set_localedir(const char *dir);

#ifdef __cplusplus
}
#endif
#endif
