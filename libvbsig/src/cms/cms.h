/* Private view of CMS: shared by CAdES and, later, PAdES. */
#ifndef VBSIG_CMS_H
#define VBSIG_CMS_H

#include <openssl/cms.h>

#include "vbsig/cades.h"

/* DER of the SignerInfo's signedAttrs as they are signed: a SET OF
 * Attribute, in DER order (RFC 5652 §5.4). malloc'ed into *out. */
int vbsig_cms_signed_attrs_der(CMS_SignerInfo *si, uint8_t **out, size_t *out_len);

/* Sets the SignerInfo's signatureAlgorithm to RSASSA-PSS with explicit
 * parameters (hash, MGF1 with the same hash, salt = digest length). */
int vbsig_cms_set_pss_algorithm(CMS_SignerInfo *si, const EVP_MD *md);

/* 1 when the signing-certificate (v1) and/or -v2 attribute values given
 * (NULL when absent; at least one present) decode and identify cert. */
int vbsig_cms_ess_matches(const ASN1_TYPE *v1, const ASN1_TYPE *v2, X509 *cert);

/* Parses a CMS ContentInfo from DER, BER or PEM bytes after a bounded
 * structure walk. `what` names the input in messages. */
int vbsig_cms_parse(const uint8_t *p, size_t n, int strict_der, unsigned max_depth,
                    const char *what, CMS_ContentInfo **out);

/* Checks the signature timestamps (id-aa-signatureTimeStampToken) of a
 * SignerInfo whose signature value verified, and records the outcome in e:
 * the earliest valid one becomes the proven signing time and the level
 * B-T; when every one fails, e is INDETERMINATE. No timestamp: no change. */
struct vbsig_sig_entry;
void vbsig_cades_check_timestamps(vbsig_ctx *ctx, CMS_SignerInfo *si, struct vbsig_sig_entry *e);

#endif
