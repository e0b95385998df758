/* Validation reports: one per document, one entry per signature, with the
 * ETSI EN 319 102-1 indications and sub-indications. Rendered as the JSON of
 * the CLI contract or as a text report for people (English or Vietnamese,
 * following the current locale). */
#ifndef VBSIG_REPORT_H
#define VBSIG_REPORT_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif
#endif
