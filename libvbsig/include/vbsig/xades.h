/* XML signatures: XMLDSig and XAdES baseline B-B (ETSI EN 319 132-1),
 * enveloped in the signed document. The document's bytes are kept: the
 * Signature element is inserted before the root element's end tag and
 * nothing else is rewritten, so earlier signatures stay valid. Documents
 * with a DOCTYPE are refused (VBSIG_E_REFUSED), when signing and verifying. */
#ifndef VBSIG_XADES_H
#define VBSIG_XADES_H

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

/* Canonicalization of what is signed and of SignedInfo. */
typedef enum vbsig_xml_c14n {
    VBSIG_XML_C14N_EXCLUSIVE = 0,   /* Exclusive C14N 1.0 (default): independent of the context */
    VBSIG_XML_C14N_INCLUSIVE = 1,   /* Canonical XML 1.0 */
    VBSIG_XML_C14N_INCLUSIVE_11 = 2 /* Canonical XML 1.1 */
} vbsig_xml_c14n;

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
} vbsig_xml_sign_opts;
#define VBSIG_XML_SIGN_OPTS_VERSION 1
VBSIG_API void vbsig_xml_sign_opts_init(vbsig_xml_sign_opts *opts);

/* Adds a signature (the enveloped-signature transform when
 * it sits inside what it signs) to the XML document in memory; out
 * receives the signed document. Signing is refused (VBSIG_E_REFUSED) when
 * the new signature would invalidate one the document already carries. */
VBSIG_API int vbsig_xml_sign(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_xml_sign_opts *opts,
                             const uint8_t *doc, size_t doc_len, vbsig_buf *out);
/* The same from file to file; out_path is written atomically. */
VBSIG_API int vbsig_xml_sign_file(vbsig_ctx *ctx, vbsig_signer *signer,
                                  const vbsig_xml_sign_opts *opts, const char *in_path,
                                  const char *out_path);

/* Verifies every ds:Signature of the document. The report's format is
 * "xades" when a signature carries XAdES properties, else "xmldsig"; one
 * entry per signature. Malformed XML or a DOCTYPE is an error, not a report. */
VBSIG_API int vbsig_xml_verify(vbsig_ctx *ctx, const uint8_t *doc, size_t doc_len,
                               vbsig_report **out);
VBSIG_API int vbsig_xml_verify_file(vbsig_ctx *ctx, const char *path, vbsig_report **out);

#ifdef __cplusplus
}
#endif
#endif
