/* Validation reports: one per document, one entry per signature, with the
 * ETSI EN 319 102-1 indications and sub-indications. Rendered as the JSON of
 * the CLI contract or as a text report for people (English or Vietnamese,
 * following the current locale). */
#ifndef VBSIG_REPORT_H
#define VBSIG_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vbsig/export.h"
#include "vbsig/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vbsig_report vbsig_report;

/* Ordered from best to worst, so the document's status is the maximum. */
typedef enum vbsig_indication {
    VBSIG_TOTAL_PASSED = 0,
    VBSIG_INDETERMINATE = 1,
    VBSIG_TOTAL_FAILED = 2
} vbsig_indication;

/* "TOTAL-PASSED", "INDETERMINATE", "TOTAL-FAILED". */
VBSIG_API const char *vbsig_indication_name(vbsig_indication ind);

/* The document's status: the worst of its signatures; TOTAL-FAILED when it
 * carries no signature at all. */
VBSIG_API vbsig_indication vbsig_report_indication(const vbsig_report *r);
VBSIG_API size_t vbsig_report_signature_count(const vbsig_report *r);
VBSIG_API vbsig_indication vbsig_report_signature_indication(const vbsig_report *r, size_t i);
/* ETSI sub-indication such as "HASH_FAILURE", or NULL when there is none. */
VBSIG_API const char *vbsig_report_signature_subindication(const vbsig_report *r, size_t i);
/* "B-B", "B-T" …, or NULL when the signature meets no baseline level. */
VBSIG_API const char *vbsig_report_signature_level(const vbsig_report *r, size_t i);

/* Sets the file name shown in the report (the library does not guess it). */
VBSIG_API int vbsig_report_set_file(vbsig_report *r, const char *name);

typedef struct vbsig_report_render_opts {
    unsigned version;
    int utc;    /* 1: times in UTC ("Z"); 0: Vietnam time (+07:00) */
    int pretty; /* JSON only: indented output */
} vbsig_report_render_opts;
#define VBSIG_REPORT_RENDER_OPTS_VERSION 1
VBSIG_API void vbsig_report_render_opts_init(vbsig_report_render_opts *opts);

VBSIG_API int vbsig_report_to_json(const vbsig_report *r, const vbsig_report_render_opts *opts,
                                   vbsig_buf *out);
VBSIG_API int vbsig_report_to_text(const vbsig_report *r, const vbsig_report_render_opts *opts,
                                   vbsig_buf *out);
/* The ETSI TS 119 102-2 XML validation report (namespace
 * http://uri.etsi.org/19102/v1.2.1#): per signature its identifier (SHA-256
 * of the signature value), validation time and best proof of existence,
 * claimed signing time and timestamp, signer certificate, main and
 * sub-indication (urn:etsi:019102:…); the chains' certificates and the
 * CRLs and OCSP responses relied on as validation objects. Times in UTC. */
VBSIG_API int vbsig_report_to_etsi_xml(const vbsig_report *r, vbsig_buf *out);
/* The same, written to path atomically. */
VBSIG_API int vbsig_report_write_etsi(const vbsig_report *r, const char *path);
VBSIG_API void vbsig_report_free(vbsig_report *r);

/* XML signatures: what each Reference signed, in SignedInfo's order. */
typedef struct vbsig_reference_info {
    const char *uri;      /* as written */
    const char *path;     /* the target such as /HDon/DLHDon ("/" = the document);
                             the data file's name for detached data */
    const char *id;       /* the target's Id/ID/xml:id, or NULL */
    const char *kind;     /* "content", "signed-properties" or "detached" */
    size_t bytes;         /* canonical bytes digested */
    int digest_ok;        /* 1 when the digest matched */
    const uint8_t *content; /* those bytes, when the context kept them
                               (vbsig_ctx_set_keep_signed_content), else NULL */
    size_t content_len;
} vbsig_reference_info;
VBSIG_API size_t vbsig_report_reference_count(const vbsig_report *r, size_t sig);
/* Fills out with pointers valid as long as the report. */
VBSIG_API int vbsig_report_reference(const vbsig_report *r, size_t sig, size_t ref, vbsig_reference_info *out);
/* Writes into the existing directory dir the canonical bytes of every
 * Reference whose digest matched, of every signature not TOTAL-FAILED, one
 * file each: "sig<N>-ref<M>-<Id or element name>.xml" (the detached data
 * under its file name), names reduced to [A-Za-z0-9._-]. Needs a report made
 * with vbsig_ctx_set_keep_signed_content(ctx, 1). Each file is written
 * atomically; an existing file is never replaced (VBSIG_E_IO_WRITE, checked
 * before anything is written). *written (may be NULL) gets the count. */
VBSIG_API int vbsig_report_write_signed_content(const vbsig_report *r, const char *dir, size_t *written);

#ifdef __cplusplus
}
#endif
#endif
