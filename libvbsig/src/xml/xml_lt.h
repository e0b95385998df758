/* Private view of XAdES B-LT / B-LTA (xml_lt.c, xml_archive.c). */
#ifndef VBSIG_XML_LT_H
#define VBSIG_XML_LT_H

#include "xml.h"
#include "validate/lt_collect.h"

#define VBSIG_NS_XADES141 "http://uri.etsi.org/01903/v1.4.1#"

/* The UnsignedSignatureProperties of a XAdES signature, or NULL. */
xmlNodePtr vbsig_xml_usp(xmlNodePtr qualifying);

/* The digest (alg) of what an xadesv141:ArchiveTimeStamp covers (ETSI EN
 * 319 132-1 §5.5.2), each part canonicalized with `c14n` except the
 * references' own outputs:
 *   1. each ds:Reference of SignedInfo in order: the octets its transforms
 *      produce and its digest was computed on (the same-document node set
 *      canonicalized as the reference says, or the detached data's bytes);
 *   2. ds:SignedInfo; 3. ds:SignatureValue; 4. ds:KeyInfo when present;
 *   5. every child element of UnsignedSignatureProperties before `stop`
 *      (all of them when stop is NULL), in document order;
 *   6. every ds:Object of the Signature except the one holding
 *      QualifyingProperties.
 * A reference this cannot recompute (an external URI without the data)
 * is VBSIG_E_UNSUPPORTED. */
int vbsig_xml_archive_digest(const vbsig_xml_doc *d, xmlNodePtr sig, xmlNodePtr qualifying, xmlNodePtr stop,
                             const vbsig_xml_detached *detached, const vbsig_c14n_alg *c14n, vbsig_digest_alg alg,
                             uint8_t *out, size_t *out_len);

/* Verification: the CertificateValues and RevocationValues (also inside
 * xadesv141:TimeStampValidationData) of s: certificates into s->certs (the
 * path-building pool), revocation values into lt. Malformed values are
 * noted and skipped. */
void vbsig_xml_lt_load(vbsig_xml_sig *s, vbsig_lt_data *lt);
/* Verification: every xadesv141:ArchiveTimeStamp of s; B-LTA when the
 * entry is B-LT and all pass; a failing one makes it INDETERMINATE. */
void vbsig_xml_check_archive_timestamps(struct vbsig_ctx *ctx, vbsig_xml_sig *s);

#endif
