/* CAdES / CMS signatures over arbitrary bytes (ETSI EN 319 122-1
 * baseline): signing, extending and verifying. */
#ifndef VBSIG_CADES_H
#define VBSIG_CADES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vbsig/export.h"
#include "vbsig/buf.h"
#include "vbsig/ctx.h"
#include "vbsig/level.h"
#include "vbsig/report.h"
#include "vbsig/signer.h"
#include "vbsig/tsp.h"

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
    /* version 2 */
    vbsig_level level;           /* default B-B; B-T, B-LT, B-LTA need tsp and a context */
    const vbsig_tsp_opts *tsp;   /* the TSAs for B-T and above (B-LTA: also the archive
                                    timestamp); must outlive a two-step pending handle */
} vbsig_cades_sign_opts;

/* Callers built against version 1 of the options (without level and tsp)
 * keep working: they get B-B. */
#define VBSIG_CADES_SIGN_OPTS_VERSION 2
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

/* Adds a signature timestamp (CAdES-T: the unsigned attribute
 * id-aa-signatureTimeStampToken over the signature value) to every
 * SignerInfo of an existing signature. The signature values are checked
 * first (a signature that does not verify is refused with
 * VBSIG_E_REFUSED) and again after the attribute is added. A TSA that
 * cannot be reached or gives no valid token: VBSIG_E_UNAVAILABLE. */
VBSIG_API int vbsig_cades_add_timestamp(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp,
                                        const uint8_t *sig, size_t sig_len, vbsig_buf *out);
/* The same from file to file; out_path is written atomically, and not at
 * all when anything fails. */
VBSIG_API int vbsig_cades_add_timestamp_file(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp,
                                             const char *in_path, const char *out_path);

/* Options of vbsig_cades_extend(_file); the same shape as
 * vbsig_pades_extend_opts and vbsig_xml_extend_opts. */
typedef struct vbsig_cades_extend_opts {
    unsigned version;          /* set by _init */
    vbsig_level level;         /* VBSIG_LEVEL_B_LT (default) or VBSIG_LEVEL_B_LTA */
    const vbsig_tsp_opts *tsp; /* the TSAs: B-LTA's archive timestamp, and the
                                  signature timestamp a B-B signature lacks */
} vbsig_cades_extend_opts;
#define VBSIG_CADES_EXTEND_OPTS_VERSION 1
VBSIG_API void vbsig_cades_extend_opts_init(vbsig_cades_extend_opts *opts);

/* Extends a signature to B-LT or B-LTA (ETSI EN 319 122-1). B-LT: the
 * signer's and the timestamp authorities' certificate paths (built with the
 * context's anchors, intermediates, cache and AIA) go into
 * SignedData.certificates, and the revocation data of every certificate
 * below the anchor, fetched now as verification would (URL rewrites,
 * offline rules), into SignedData.crls: CRLs as such, OCSP responses as
 * id-ri-ocsp-response (RFC 5940). B-LTA adds an archive-time-stamp-v3
 * (id-aa-54, with its ats-hash-index-v3) from tsp to every SignerInfo, then
 * the archive TSA's own validation data; extending a B-LTA signature again
 * adds fresh data and another archive timestamp. A signer without a
 * signature timestamp gets one first from tsp (needed: B-LT rests on
 * B-T). Nothing signed changes; the result is checked before it is
 * returned. A status that cannot be obtained (responder down):
 * VBSIG_E_UNAVAILABLE; a revoked certificate: VBSIG_E_REFUSED. */
VBSIG_API int vbsig_cades_extend(vbsig_ctx *ctx, const vbsig_cades_extend_opts *opts,
                                 const uint8_t *sig, size_t sig_len, vbsig_buf *out);
/* The same from file to file; out_path is written atomically, and not at
 * all when anything fails. */
VBSIG_API int vbsig_cades_extend_file(vbsig_ctx *ctx, const vbsig_cades_extend_opts *opts,
                                      const char *in_path, const char *out_path);

/* Verifies a CMS/CAdES signature (DER, BER or PEM). data/data_len are the
 * signed bytes for a detached signature (NULL for attached ones). The
 * report has one entry per SignerInfo. A valid signature timestamp makes
 * its time the proven signing time at which the signer's certificate is
 * validated (unless the context pins a validation time). */
VBSIG_API int vbsig_cades_verify(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len,
                                 const uint8_t *data, size_t data_len, vbsig_report **out);
/* The same on files; data_path may be NULL. Large data is hashed by mmap. */
VBSIG_API int vbsig_cades_verify_file(vbsig_ctx *ctx, const char *sig_path,
                                      const char *data_path, vbsig_report **out);

#ifdef __cplusplus
}
#endif
#endif
