/* Private view of CAdES B-LT / B-LTA (cades_lt.c, cades_ats.c). */
#ifndef VBSIG_CADES_LT_H
#define VBSIG_CADES_LT_H

#include "cades/cades.h"
#include "cms/cms_lt.h"
#include "validate/lt_collect.h"

/* The DER SignedData der with d's certificates added to certificates and
 * its CRLs and OCSP responses (RFC 5940 id-ri-ocsp-response) to crls; what
 * is there already stays, equal items once. */
int vbsig_cades_lt_add_values(const uint8_t *der, size_t len, const vbsig_lt_data *d, vbsig_bytes *out);
/* The revocation values a SignedData carries in crls, into d (certificates
 * come with CMS_get1_certs). Bytes that are not a DER SignedData give
 * nothing, not an error. */
int vbsig_cades_lt_load(const uint8_t *der, size_t len, vbsig_lt_data *d);

/* 1 when the SignedData carries revocation values or a SignerInfo has an
 * archive-time-stamp-v3: only then is its DER needed (verification of a
 * large attached B-B signature is not slowed down). */
int vbsig_cades_has_lt_parts(CMS_ContentInfo *cms);

/* B-LTA: an archive-time-stamp-v3 (0.4.0.1733.2.4) on every SignerInfo of the
 * DER SignedData der, its token carrying the ats-hash-index-v3; the TSA
 * chain's validation data goes into the SignedData first (d grows). */
int vbsig_cades_ats_add(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const uint8_t *der, size_t len, vbsig_lt_data *d,
                        vbsig_bytes *out);
/* Verification: the archive-time-stamp-v3 attributes of the SignerInfo
 * whose signature value is sigval, in the DER SignedData der; content is
 * the detached data or NULL. Each is recomputed from the
 * hash index it carries, every hash of which must name an item still
 * present; the token is checked with vbsig_tsp_token_check. Sets e->level
 * to B-LTA when one passes; a failing one makes e INDETERMINATE and is
 * noted. No attribute: no change. */
struct vbsig_sig_entry;
void vbsig_cades_ats_check(vbsig_ctx *ctx, const uint8_t *der, size_t len, const uint8_t *sigval, size_t sigval_len,
                           const uint8_t *content, size_t content_len, struct vbsig_sig_entry *e);


#endif
