/* PAdES: signing, extending and verifying PDF documents (ETSI EN 319
 * 142-1 baseline B-B to B-LTA).
 *
 * A signature is added as an incremental update: the input's bytes stay
 * untouched and are followed by the new and changed objects (an invisible
 * signature field on the first page, the AcroForm, the signature
 * dictionary with its /Contents placeholder) and a cross-reference section
 * of the same kind as the input's last one. The CMS inside /Contents is a
 * detached CAdES signature (SubFilter ETSI.CAdES.detached) over the two byte
 * ranges around the placeholder. */
#ifndef VBSIG_PADES_H
#define VBSIG_PADES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vbsig/export.h"
#include "vbsig/buf.h"
#include "vbsig/cades.h"
#include "vbsig/ctx.h"
#include "vbsig/level.h"
#include "vbsig/report.h"
#include "vbsig/signer.h"
#include "vbsig/tsp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vbsig_pades_sign_opts {
    unsigned version;          /* set by _init */
    vbsig_digest_alg digest;   /* default SHA-256 */
    /* B-B (default), B-T, B-LT or B-LTA. B-LT and B-LTA: the file is signed
     * at B-T, then extended as vbsig_pades_extend_file does (/DSS, and for
     * B-LTA a document timestamp from tsp) before out_path appears; they
     * need a context with trust anchors and revocation sources. */
    vbsig_level level;
    const vbsig_tsp_opts *tsp; /* the TSAs for B-T and above; must outlive a two-step pending handle */
    int include_chain;         /* default 1 */
    /* Texts of the signature dictionary, UTF-8, NULL to leave out. */
    const char *reason, *location, *contact_info, *name;
    /* 0: an ordinary (approval) signature; 1, 2, 3: a certification
     * signature (DocMDP) allowing no changes / form filling and signing /
     * also annotations. Only allowed when the document has no signature. */
    int certify;
    const char *field_name;    /* NULL: "Signature1", "Signature2" … the first unused */
    time_t signing_time;       /* 0 = now; goes in /M (the CMS has no signing-time) */
    /* Bytes reserved for the CMS in /Contents; 0 sizes it from a trial
     * encoding plus the timestamp allowance. The one-shot functions redo
     * the preparation with a bigger reservation when the CMS does not fit. */
    size_t contents_size;
    /* Default 1: the written file is verified (vbsig_pades_verify_file)
     * before it replaces out_path; a new signature that fails is an error
     * and nothing is written. Needs a context. */
    int verify_after_sign;
} vbsig_pades_sign_opts;

#define VBSIG_PADES_SIGN_OPTS_VERSION 1
VBSIG_API void vbsig_pades_sign_opts_init(vbsig_pades_sign_opts *opts);

/* Signs in_path into out_path (written atomically; never in_path itself).
 * Refused with VBSIG_E_REFUSED: a file whose certification signature
 * allows no changes, certification of an already signed file. Refused with
 * VBSIG_E_UNSUPPORTED: encrypted files. VBSIG_E_MALFORMED: files that can
 * only be read after repairing their cross-reference data. */
VBSIG_API int vbsig_pades_sign_file(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_pades_sign_opts *opts,
                                    const char *in_path, const char *out_path);

/* Two-step signing. prepare reads the PDF, lays out the update with its
 * placeholder, hashes the byte ranges and builds the signed attributes;
 * the returned request holds the digest the key holder must sign (raw RSA
 * or DER ECDSA signature over it). finish embeds the CMS and writes the
 * output. The signer given to prepare only needs a certificate, and must
 * outlive the pending handle; so must in_path's file, which is kept mapped
 * and must not change in between. When a B-T timestamp makes the CMS larger
 * than the reservation, finish fails with VBSIG_E_LIMIT: prepare again with
 * a larger contents_size. */
typedef struct vbsig_pades_pending vbsig_pades_pending;
VBSIG_API int vbsig_pades_prepare(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_pades_sign_opts *opts,
                                  const char *in_path, vbsig_pades_pending **out);
VBSIG_API const vbsig_sign_request *vbsig_pades_pending_request(const vbsig_pades_pending *p);
VBSIG_API int vbsig_pades_finish(vbsig_pades_pending *p, const uint8_t *sig, size_t sig_len,
                                 const char *out_path);
VBSIG_API void vbsig_pades_pending_free(vbsig_pades_pending *p);

/* Adds a document timestamp (ISO 32000-2 §12.8.5; /Type /DocTimeStamp,
 * /SubFilter ETSI.RFC3161) to in_path, written to out_path atomically as
 * an incremental update: an invisible field whose /Contents is an RFC 3161
 * token over the SHA-256 (tsp->digest) of the /ByteRange bytes. The TSA's
 * reply is verified as vbsig_tsp_timestamp_digest does (with the context's
 * anchors, when it has any). Errors: VBSIG_E_UNAVAILABLE when no TSA gives
 * a token (nothing is written), VBSIG_E_MALFORMED, VBSIG_E_IO_*. */
VBSIG_API int vbsig_pades_timestamp_file(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const char *in_path,
                                         const char *out_path);

/* Long-term validation data (PAdES B-LT, B-LTA). */
/* The same shape as vbsig_cades_extend_opts and vbsig_xml_extend_opts. */
typedef struct vbsig_pades_extend_opts {
    unsigned version;           /* set by _init */
    /* VBSIG_LEVEL_B_LT (default: validation data only) or
     * VBSIG_LEVEL_B_LTA (then a document timestamp over everything, which
     * needs tsp). Any other level is VBSIG_E_INVALID_ARG. */
    vbsig_level level;
    const vbsig_tsp_opts *tsp;
} vbsig_pades_extend_opts;

/* Version 2 (ABI 2): `level` replaced version 1's int archive_timestamp. */
#define VBSIG_PADES_EXTEND_OPTS_VERSION 2
VBSIG_API void vbsig_pades_extend_opts_init(vbsig_pades_extend_opts *opts);

/* Extends every signature and document timestamp of in_path (and the
 * timestamps inside signatures) with validation data: the certificate
 * paths (built with the context's anchors, intermediates and AIA) and,
 * for every certificate below the anchor, an OCSP response (or a CRL when
 * OCSP gives no definite answer), fetched with the context's network
 * settings. They go into the catalog's /DSS (/Certs, /OCSPs, /CRLs and a
 * /VRI entry per signature keyed by the upper-case hex SHA-1 of its
 * /Contents bytes, padding included, as other PAdES tools key it), merged
 * with a /DSS already present. OCSP responses are only accepted when they
 * chain to the context's anchors, so give it the trust anchors. At
 * B-LTA a document timestamp follows. Extending again later
 * adds fresh data and a new document timestamp (archive renewal).
 * Errors: VBSIG_E_UNAVAILABLE when a certificate's revocation status
 * cannot be obtained or no TSA answers (nothing is written);
 * VBSIG_E_REFUSED for a document without signatures. A revoked certificate
 * is no error: its revocation data is embedded like any other, for the
 * verifier to judge against the signing time. */
VBSIG_API int vbsig_pades_extend_file(vbsig_ctx *ctx, const vbsig_pades_extend_opts *opts, const char *in_path,
                                      const char *out_path);

/* Verification of PDF signatures (PAdES, ETSI EN 319 142-1) with the
 * attack checklist: ByteRange rules, the CMS over the signed ranges, which
 * revision each signature covers and what changed after it. */
/* Verifies every signed signature field of the PDF at path (the file is
 * mapped, never copied; the byte ranges are hashed from the mapping).
 * *out gets one report entry per signature (format "pades"), in the
 * order of the AcroForm's /Fields, each with the subfilter, the revision
 * it covers, whether it covers the whole file, the modifications found
 * after it (none / allowed / disallowed, with reasons) and the DocMDP
 * level of a certification signature. A signature followed by
 * disallowed changes is TOTAL-FAILED (sub-indication FORMAT_FAILURE, the
 * reason naming the object). A file without signatures gives a report
 * with no entries (its status is TOTAL-FAILED).
 * Errors: VBSIG_E_IO_READ, VBSIG_E_MALFORMED (the PDF itself cannot be
 * read; the message names the offset or object), VBSIG_E_LIMIT,
 * VBSIG_E_NOMEM. */
VBSIG_API int vbsig_pades_verify_file(vbsig_ctx *ctx, const char *path, vbsig_report **out);

/* The same over a PDF in memory, which must stay alive during the call.
 * `name` appears in messages and as the report's file. */
VBSIG_API int vbsig_pades_verify(vbsig_ctx *ctx, const uint8_t *pdf, size_t len, const char *name,
                                 vbsig_report **out);

#ifdef __cplusplus
}
#endif
#endif
