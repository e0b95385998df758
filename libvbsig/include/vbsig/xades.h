/* XML signatures: signing, extending and verifying XMLDSig and XAdES
 * (baseline B-B to B-LTA, ETSI EN 319 132-1); the signature is
 * enveloped in the signed document (default), enveloping it in a
 * ds:Object, or detached from the data. Enveloped: the document's bytes
 * are kept, the Signature element is inserted before the root element's
 * end tag and nothing else is rewritten, so earlier signatures stay valid.
 * Documents with a DOCTYPE are refused (VBSIG_E_REFUSED), when signing and
 * verifying. */
#ifndef VBSIG_XADES_H
#define VBSIG_XADES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vbsig/export.h"
#include "vbsig/buf.h"
#include "vbsig/cades.h"
#include "vbsig/ctx.h"
#include "vbsig/report.h"
#include "vbsig/signer.h"
#include "vbsig/tsp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Canonicalization of what is signed and of SignedInfo. */
typedef enum vbsig_xml_c14n {
    VBSIG_XML_C14N_EXCLUSIVE = 0,   /* Exclusive C14N 1.0 (default): independent of the context */
    VBSIG_XML_C14N_INCLUSIVE = 1,   /* Canonical XML 1.0 */
    VBSIG_XML_C14N_INCLUSIVE_11 = 2 /* Canonical XML 1.1 */
} vbsig_xml_c14n;

/* Where the signature sits relative to what it signs. */
typedef enum vbsig_xml_mode {
    VBSIG_XML_ENVELOPED = 0,  /* inside the document (default) */
    VBSIG_XML_ENVELOPING = 1, /* ds:Signature is the root; the document's root
                                 element goes into ds:Object Id="<sig id>-object" */
    VBSIG_XML_DETACHED = 2    /* the output is the Signature alone; its Reference
                                 names the data file and digests its exact bytes */
} vbsig_xml_mode;

typedef struct vbsig_xml_sign_opts {
    unsigned version;        /* set by _init */
    int xades;               /* default 1: XAdES B-B; 0: plain XMLDSig */
    vbsig_digest_alg digest; /* default SHA-256 (references and signature) */
    int include_chain;       /* default 1: the chain goes into KeyInfo after the certificate */
    time_t signing_time;     /* 0 = now; XAdES SigningTime */
    int verify_after_sign;   /* default 1: the output is verified before it is returned */
    /* What is signed: NULL = the whole document (Reference URI=""), or
     * "#id" = the element carrying that Id/ID/xml:id (as e-invoices sign
     * DLHDon, so that later signatures placed outside it coexist). */
    const char *reference;
    /* Where the Signature goes: NULL = last child of the root element, or
     * an XPath 1.0 expression selecting exactly one element (an empty one
     * such as DSCKS/NBan is filled). */
    const char *parent_xpath;
    vbsig_xml_c14n c14n;     /* default VBSIG_XML_C14N_EXCLUSIVE */
    vbsig_xml_mode mode;     /* default VBSIG_XML_ENVELOPED; reference and
                                parent_xpath apply to enveloped only */
    /* Detached: the data's file name as the Reference URI will carry it (a
     * bare name relative to the signature, no directory; it is
     * percent-encoded when written). Required for VBSIG_XML_DETACHED. */
    const char *detached_name;
    /* Non-NULL: XAdES B-T, a SignatureTimeStamp over the exclusive
     * canonical form of ds:SignatureValue from these TSAs (needs xades = 1
     * and a context). A TSA that gives no token fails the call with
     * VBSIG_E_UNAVAILABLE and nothing is returned. */
    const vbsig_tsp_opts *tsp;
    /* version 2 */
    /* B-B (default; B-T when tsp is given), B-T, B-LT or B-LTA (ETSI EN 319
     * 132-1). B-T and above need xades = 1, tsp and a context. B-LT and
     * B-LTA sign at B-T, then add what vbsig_xml_extend (detached:
     * vbsig_xml_extend_detached, over the data being signed) adds: the
     * certificate and revocation values, and for B-LTA an archive
     * timestamp from tsp. */
    vbsig_level level;
} vbsig_xml_sign_opts;
/* Callers built against version 1 (without level) keep working. */
#define VBSIG_XML_SIGN_OPTS_VERSION 2
VBSIG_API void vbsig_xml_sign_opts_init(vbsig_xml_sign_opts *opts);

/* Adds a signature (the enveloped-signature transform when
 * it sits inside what it signs) to the XML document in memory; out
 * receives the signed document. Signing is refused (VBSIG_E_REFUSED) when
 * the new signature would invalidate one the document already carries. */
VBSIG_API int vbsig_xml_sign(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_xml_sign_opts *opts,
                             const uint8_t *doc, size_t doc_len, vbsig_buf *out);
/* The same from file to file; out_path is written atomically. Detached
 * without detached_name uses in_path's base name. */
VBSIG_API int vbsig_xml_sign_file(vbsig_ctx *ctx, vbsig_signer *signer,
                                  const vbsig_xml_sign_opts *opts, const char *in_path,
                                  const char *out_path);

/* Two-step signing, as vbsig_cades_prepare / vbsig_pades_prepare: prepare
 * lays out the Signature (references digested, SignedProperties built)
 * and gives the request with the digest of the canonical SignedInfo for
 * the key holder to sign (raw RSA, or ECDSA as a token returns it: DER,
 * or raw r||s); finish checks that value with the signer's certificate,
 * adds the B-T timestamp, builds the document, runs the checks after
 * signing and, for B-LT / B-LTA, extends it; out receives the signed
 * document. The document's bytes are copied; the signer (it only needs a
 * certificate: vbsig_signer_from_cert_file), the context and the strings
 * and TSA options in opts must outlive the pending handle. finish may be
 * called once. */
typedef struct vbsig_xml_pending vbsig_xml_pending;
VBSIG_API int vbsig_xml_prepare(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_xml_sign_opts *opts,
                                const uint8_t *doc, size_t doc_len, vbsig_xml_pending **out);
VBSIG_API const vbsig_sign_request *vbsig_xml_pending_request(const vbsig_xml_pending *p);
VBSIG_API int vbsig_xml_finish(vbsig_xml_pending *p, const uint8_t *sig, size_t sig_len, vbsig_buf *out);
VBSIG_API void vbsig_xml_pending_free(vbsig_xml_pending *p);

/* Verifies every ds:Signature of the document. The report's format is
 * "xades" when a signature carries XAdES properties, else "xmldsig"; one
 * entry per signature. Malformed XML or a DOCTYPE is an error, not a report. */
VBSIG_API int vbsig_xml_verify(vbsig_ctx *ctx, const uint8_t *doc, size_t doc_len,
                               vbsig_report **out);
VBSIG_API int vbsig_xml_verify_file(vbsig_ctx *ctx, const char *path, vbsig_report **out);

/* A detached signature with its data: a Reference whose URI is a bare file
 * name equal (after percent-decoding) to data_name is checked against the
 * data's exact bytes; any other external URI is still refused. */
VBSIG_API int vbsig_xml_verify_detached(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len,
                                        const uint8_t *data, size_t data_len, const char *data_name,
                                        vbsig_report **out);
/* The same with files; the data's name is data_path's base name. */
VBSIG_API int vbsig_xml_verify_detached_file(vbsig_ctx *ctx, const char *sig_path, const char *data_path,
                                             vbsig_report **out);

/* Options of vbsig_xml_extend and friends; the same shape as
 * vbsig_pades_extend_opts and vbsig_cades_extend_opts. */
typedef struct vbsig_xml_extend_opts {
    unsigned version;          /* set by _init */
    vbsig_level level;         /* VBSIG_LEVEL_B_LT (default) or VBSIG_LEVEL_B_LTA */
    const vbsig_tsp_opts *tsp; /* the TSAs of B-LTA's archive timestamp */
} vbsig_xml_extend_opts;
#define VBSIG_XML_EXTEND_OPTS_VERSION 1
VBSIG_API void vbsig_xml_extend_opts_init(vbsig_xml_extend_opts *opts);

/* Extends every XAdES signature of the document to B-LT or B-LTA (ETSI EN
 * 319 132-1). Each signature must be B-T already (a SignatureTimeStamp).
 * B-LT appends to its UnsignedSignatureProperties xades:CertificateValues
 * (the certificate paths of the signer and of the timestamp authorities,
 * built with the context's anchors, intermediates, cache and AIA) and
 * xades:RevocationValues (CRLValues/OCSPValues: the CRLs and OCSP responses
 * of every certificate below the anchor, fetched now as verification would,
 * with the context's URL rewrites and offline rule); values already carried
 * are not repeated, and when the signature has some already, the new ones
 * go into an xadesv141:TimeStampValidationData. B-LTA then appends an
 * xadesv141:ArchiveTimeStamp from tsp (exclusive C14N) over the references'
 * data, SignedInfo, SignatureValue, KeyInfo, every unsigned signature
 * property before it and the other ds:Objects (EN 319 132-1 §5.5.2; a
 * detached signature's data is not at hand here, so it stops at B-LT:
 * vbsig_xml_extend_detached takes the data), followed by the archive TSA's
 * validation data. Extending a B-LTA
 * document again renews it. The document's bytes outside the inserted
 * elements are kept; the result is verified before it is returned.
 * Errors: VBSIG_E_UNAVAILABLE (a revocation status or a timestamp cannot be
 * obtained), VBSIG_E_REFUSED (a signature does not verify, a certificate is
 * revoked), VBSIG_E_INVALID_ARG (no SignatureTimeStamp, no TSA for B-LTA). */
VBSIG_API int vbsig_xml_extend(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts,
                               const uint8_t *doc, size_t doc_len, vbsig_buf *out);
/* The same from file to file; out_path is written atomically, and not at
 * all when anything fails. */
VBSIG_API int vbsig_xml_extend_file(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts,
                                    const char *in_path, const char *out_path);
/* vbsig_xml_extend for a detached signature (vbsig_xml_verify_detached's
 * arguments): the data whose Reference URI names data_name is digested into
 * the archive timestamp of B-LTA, and the extended signature is checked
 * against it. */
VBSIG_API int vbsig_xml_extend_detached(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts,
                                        const uint8_t *sig, size_t sig_len, const uint8_t *data,
                                        size_t data_len, const char *data_name, vbsig_buf *out);
/* The same from files: data_name is data_path's last component; out_path
 * is written atomically, and not at all when anything fails. */
VBSIG_API int vbsig_xml_extend_detached_file(vbsig_ctx *ctx, const vbsig_xml_extend_opts *opts,
                                             const char *sig_path, const char *data_path, const char *out_path);

#ifdef __cplusplus
}
#endif
#endif
