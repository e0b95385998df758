/* CAdES / CMS signatures over arbitrary bytes (ETSI EN 319 122-1 baseline). */
#ifndef VBSIG_CADES_H
#define VBSIG_CADES_H

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

typedef struct vbsig_cades_sign_opts {
    unsigned version;            /* set by _init */
    int detached;                /* 1: the data stays outside the signature (.p7s) */
    vbsig_digest_alg digest;     /* default SHA-256 */
    int include_chain;           /* default 1: embed the signer's chain certificates */
    time_t signing_time;         /* 0 = now; the signing-time attribute */
    int verify_after_sign;       /* default 1: re-verify before the output is written */
} vbsig_cades_sign_opts;

#define VBSIG_CADES_SIGN_OPTS_VERSION 1
VBSIG_API void vbsig_cades_sign_opts_init(vbsig_cades_sign_opts *opts);

/* Signs the file in_path into out_path (DER), written atomically. The
 * signer's certificate is checked first (vbsig_signer_check_usable). */
VBSIG_API int vbsig_cades_sign_file(vbsig_ctx *ctx, vbsig_signer *signer,
                                    const vbsig_cades_sign_opts *opts,
                                    const char *in_path, const char *out_path);
/* The same over bytes in memory; out receives the DER SignedData. */
VBSIG_API int vbsig_cades_sign(vbsig_ctx *ctx, vbsig_signer *signer,
                               const vbsig_cades_sign_opts *opts,
                               const uint8_t *data, size_t data_len, vbsig_buf *out);

/* Two-step signing: prepare gives the digest the key holder must sign;
 * finish takes the signature bytes (raw RSA, DER ECDSA) and produces the
 * SignedData. The signer passed to prepare only needs a certificate. */
typedef struct vbsig_cades_pending vbsig_cades_pending;
VBSIG_API int vbsig_cades_prepare(vbsig_ctx *ctx, vbsig_signer *signer,
                                  const vbsig_cades_sign_opts *opts,
                                  const uint8_t *data, size_t data_len,
                                  vbsig_cades_pending **out);
/* The request to hand to the key holder; valid as long as the pending handle. */
VBSIG_API const vbsig_sign_request *vbsig_cades_pending_request(const vbsig_cades_pending *p);
VBSIG_API int vbsig_cades_finish(vbsig_cades_pending *p, const uint8_t *sig, size_t sig_len,
                                 vbsig_buf *out);
VBSIG_API void vbsig_cades_pending_free(vbsig_cades_pending *p);

/* Verifies a CMS/CAdES signature (DER, BER or PEM). data/data_len are the
 * signed bytes for a detached signature (NULL for attached ones). The
 * report has one entry per SignerInfo. */
VBSIG_API int vbsig_cades_verify(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len,
                                 const uint8_t *data, size_t data_len, vbsig_report **out);
/* The same on files; data_path may be NULL. Large data is hashed by mmap. */
VBSIG_API int vbsig_cades_verify_file(vbsig_ctx *ctx, const char *sig_path,
                                      const char *data_path, vbsig_report **out);

#ifdef __cplusplus
}
#endif
#endif
