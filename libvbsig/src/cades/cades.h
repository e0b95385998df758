/* Private view of the CAdES format (ETSI EN 319 122-1) built on cms/:
 * what PAdES, whose signatures are detached CAdES signatures (ETSI EN
 * 319 142-1 §6), shares with it. */
#ifndef VBSIG_CADES_PRIVATE_H
#define VBSIG_CADES_PRIVATE_H

#include "cms/cms.h"
#include "vbsig/cades.h"

/* Checks the signature timestamps (id-aa-signatureTimeStampToken) of a
 * SignerInfo whose signature value verified, and records the outcome in e:
 * the earliest valid one becomes the proven signing time and the level
 * B-T; when every one fails, e is INDETERMINATE. No timestamp: no change. */
struct vbsig_sig_entry;
void vbsig_cades_check_timestamps(vbsig_ctx *ctx, CMS_SignerInfo *si, struct vbsig_sig_entry *e);

/* Two-step preparation from a message digest computed by the caller (PAdES
 * hashes the byte ranges itself, streaming). opts must ask for a detached
 * signature; md_len must be the digest's length. with_signing_time 0 leaves
 * the signing-time attribute out (PAdES: the time goes in /M). */
int vbsig_cades_prepare_digest(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts,
                               const uint8_t *md_value, size_t md_len, int with_signing_time,
                               vbsig_cades_pending **out);
/* DER size of the SignedData once a signature value of sig_len bytes is set
 * (before any timestamp): what a PDF /Contents placeholder must hold. */
int vbsig_cades_pending_encoded_size(vbsig_cades_pending *p, size_t sig_len, size_t *out);

/* The check of a SignedData just encoded with one SignerInfo and no
 * unsigned attributes (cades_made_check.c): the DER has the expected
 * structure, carries sig as the signature value and signed attributes whose
 * digest is req->digest, and sig verifies over that digest with cert's
 * public key as req asks. VBSIG_E_CRYPTO for a wrong signature value,
 * VBSIG_E_INTERNAL for an encoding that differs from what was signed. */
int vbsig_cades_check_made(const uint8_t *der, size_t len, X509 *cert, const vbsig_sign_request *req,
                           const uint8_t *sig, size_t sig_len);

/* Verifies the one SignerInfo of cms (any other count is a FORMAT_FAILURE
 * recorded in e) over the content given as ranges, or over its own
 * encapsulated content when ranges is NULL; the outcome lands in e. Only
 * VBSIG_E_NOMEM / VBSIG_E_LIMIT are errors. */
int vbsig_cades_verify_one(vbsig_ctx *ctx, CMS_ContentInfo *cms, const vbsig_cms_range *ranges, size_t range_count,
                           struct vbsig_sig_entry *e);

#endif
