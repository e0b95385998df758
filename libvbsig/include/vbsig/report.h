/* Validation reports: one per document, one entry per signature, with the
 * ETSI EN 319 102-1 indications and sub-indications. Rendered as the JSON of
 * the CLI contract or as a text report for people (English or Vietnamese,
 * following the current locale). */
#ifndef VBSIG_REPORT_H
#define VBSIG_REPORT_H

#include <stddef.h>
#include <time.h>
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

/* ---- Per-signature accessors: everything the JSON report says. A NULL
 * report or an index out of range gives NULL, 0 or -1; strings stay valid
 * as long as the report. ---- */

/* "cades", "pades", "xades", "xmldsig", "signer" (vbsig_signer_check). */
VBSIG_API const char *vbsig_report_format(const vbsig_report *r);
/* The name given with vbsig_report_set_file, or NULL. */
VBSIG_API const char *vbsig_report_file(const vbsig_report *r);
/* The signature's identifier (XML Id, PDF field name), or NULL. */
VBSIG_API const char *vbsig_report_signature_id(const vbsig_report *r, size_t i);

/* Fields of the signer's certificate; Vietnamese subjects name the person
 * or body (CN), the organisation (O), the title, the tax code (MST:) and
 * the citizen / ID number (CCCD:, CMND:). */
typedef enum vbsig_signer_field {
    VBSIG_SIGNER_SUBJECT = 0,      /* "CN=…,O=…" */
    VBSIG_SIGNER_ISSUER = 1,
    VBSIG_SIGNER_SERIAL = 2,       /* hex */
    VBSIG_SIGNER_KEY = 3,          /* "RSA-2048", "EC-P256" … */
    VBSIG_SIGNER_NAME = 4,         /* common name */
    VBSIG_SIGNER_ORGANIZATION = 5,
    VBSIG_SIGNER_TITLE = 6,
    VBSIG_SIGNER_TAX_CODE = 7,
    VBSIG_SIGNER_ID_NUMBER = 8,
    VBSIG_SIGNER_BUDGET_CODE = 9   /* mã quan hệ ngân sách */
} vbsig_signer_field;
/* NULL when the field is absent or the signer is unknown. */
VBSIG_API const char *vbsig_report_signer_field(const vbsig_report *r, size_t i, vbsig_signer_field field);

typedef enum vbsig_report_time {
    VBSIG_TIME_SIGNING = 0,            /* proven by a signature timestamp */
    VBSIG_TIME_CLAIMED = 1,            /* what the signature claims (not proof) */
    VBSIG_TIME_VALIDATION = 2,         /* the time the path was validated at */
    VBSIG_TIME_TIMESTAMP = 3,          /* genTime of the signature timestamp judged */
    VBSIG_TIME_REVOKED = 4,            /* revocation time when revoked */
    VBSIG_TIME_REVOCATION_PRODUCED = 5 /* OCSP producedAt / CRL thisUpdate relied on */
} vbsig_report_time;
/* 0 when there is none. */
VBSIG_API time_t vbsig_report_signature_time(const vbsig_report *r, size_t i, vbsig_report_time which);

/* The signature timestamp that proves the signing time (or, when none
 * passed, the first that failed): present, its verdict and its TSA. */
VBSIG_API int vbsig_report_signature_has_timestamp(const vbsig_report *r, size_t i);
VBSIG_API vbsig_indication vbsig_report_timestamp_indication(const vbsig_report *r, size_t i);
VBSIG_API const char *vbsig_report_timestamp_subindication(const vbsig_report *r, size_t i);
VBSIG_API const char *vbsig_report_timestamp_tsa(const vbsig_report *r, size_t i);

/* "SHA-256" …; the trust domain the chain ended in ("command-line" for
 * --trust anchors), NULL when no chain; 1 when a weak algorithm or key
 * was accepted. */
VBSIG_API const char *vbsig_report_signature_digest_algorithm(const vbsig_report *r, size_t i);
VBSIG_API const char *vbsig_report_signature_trust_domain(const vbsig_report *r, size_t i);
VBSIG_API int vbsig_report_signature_weak(const vbsig_report *r, size_t i);
/* The certificate chain as built, leaf first: subjects. */
VBSIG_API size_t vbsig_report_signature_chain_count(const vbsig_report *r, size_t i);
VBSIG_API const char *vbsig_report_signature_chain(const vbsig_report *r, size_t i, size_t j);
/* The signer's revocation status ("good", "revoked", "unknown",
 * "unavailable", "unchecked"); *source ("ocsp", "crl", …) and *reason
 * (RFC 5280 name when revoked) when those pointers are not NULL. */
VBSIG_API const char *vbsig_report_signature_revocation(const vbsig_report *r, size_t i, const char **source,
                                                        const char **reason);

/* Coverage: 1 when the signature covers the whole document, 0 when not
 * (CMS and XML signatures cover what they sign: 1), -1 for a NULL report or
 * an index out of range. PDF: the revision covered
 * (1-based) of how many (returns 1 when known), the /SubFilter, whether it
 * is a document timestamp, the DocMDP level of a certification signature
 * (1..3, else 0). */
VBSIG_API int vbsig_report_signature_whole_document(const vbsig_report *r, size_t i);
VBSIG_API int vbsig_report_signature_revision(const vbsig_report *r, size_t i, size_t *revision,
                                              size_t *revision_count);
VBSIG_API const char *vbsig_report_signature_subfilter(const vbsig_report *r, size_t i);
VBSIG_API int vbsig_report_signature_is_document_timestamp(const vbsig_report *r, size_t i);
VBSIG_API int vbsig_report_signature_certification(const vbsig_report *r, size_t i);
/* Where a PDF signature shows on the page: returns 1 when its widget is
 * visible (a non-empty /Rect on a page, neither Hidden nor NoView), then
 * *page is its 1-based page and rect_mm x, y, width, height in millimetres
 * from the top-left corner of the page as displayed (after /Rotate,
 * relative to the CropBox); 0 for an invisible signature, a non-PDF one, a
 * NULL report or an index out of range (then *page and rect_mm are zeroed).
 * page and rect_mm may each be NULL. */
VBSIG_API int vbsig_report_signature_appearance(const vbsig_report *r, size_t i, size_t *page, double rect_mm[4]);
/* PDF modification findings after the signature: "none", "allowed",
 * "disallowed" (NULL: not analysed), and one line per change found. */
VBSIG_API const char *vbsig_report_signature_modifications(const vbsig_report *r, size_t i);
VBSIG_API size_t vbsig_report_signature_modification_count(const vbsig_report *r, size_t i);
VBSIG_API const char *vbsig_report_signature_modification(const vbsig_report *r, size_t i, size_t j);
/* The messages for a person (in the locale's language), in order. */
VBSIG_API size_t vbsig_report_signature_message_count(const vbsig_report *r, size_t i);
VBSIG_API const char *vbsig_report_signature_message(const vbsig_report *r, size_t i, size_t j);

/* The newest archive timestamp protecting signature i: a CAdES
 * archive-time-stamp-v3 or XAdES ArchiveTimeStamp of that signature, or for
 * a PDF signature the latest document timestamp over its revision (for a
 * document timestamp's own entry: its token). Returns how many archive
 * timestamps protect it (0: none, and the fields are zeroed; -1: a NULL
 * report or an index out of range). Any pointer may be NULL. weak is 1 when
 * its imprint or signature uses SHA-1, its TSA key is RSA under 2048 bits or
 * the TSA certificate's path is weak: it no longer proves anything for long. */
VBSIG_API int vbsig_report_signature_archive(const vbsig_report *r, size_t i, time_t *time, time_t *tsa_not_after,
                                             int *weak);

/* Why a document's archive needs renewing, or not (vbsig_report_renewal_due). */
typedef enum vbsig_renewal_reason {
    VBSIG_RENEWAL_NOT_DUE = 0,        /* every newest archive timestamp's TSA certificate outlives the window */
    VBSIG_RENEWAL_NO_ARCHIVE = 1,     /* a signature has no archive timestamp yet (below B-LTA) */
    VBSIG_RENEWAL_TSA_EXPIRES = 2,    /* a newest archive timestamp's TSA certificate expires within the window */
    VBSIG_RENEWAL_WEAK_ALGORITHM = 3, /* a newest archive timestamp uses an algorithm or key no longer acceptable */
    VBSIG_RENEWAL_NOT_VALID = 4,      /* the document is not TOTAL-PASSED: a new timestamp would not restore it */
    VBSIG_RENEWAL_NOTHING_TO_ARCHIVE = 5 /* no signature with a baseline level (only document
                                            timestamps, or XMLDSig without XAdES) */
} vbsig_renewal_reason;

typedef struct vbsig_renewal {
    int due;                     /* 1: extend to B-LTA now (NO_ARCHIVE, TSA_EXPIRES, WEAK_ALGORITHM) */
    vbsig_renewal_reason reason;
    size_t signature;            /* the signature that decided (the most urgent; 0 for NOT_VALID) */
    time_t archive_time;         /* its newest archive timestamp's genTime, 0 when none */
    time_t expires;              /* that timestamp's TSA certificate notAfter, 0 when none */
} vbsig_renewal;

/* Decides whether the document r reports on needs a new archive timestamp
 * before `now + within_seconds`: when a signature that can be archived (one
 * with a baseline level; document timestamps are archive timestamps
 * themselves) has none, when a newest one is weak, or when its TSA
 * certificate expires by then. The most urgent signature decides (no
 * archive or weak first, then the earliest expiry); when nothing is due,
 * out describes the earliest expiry. A document that is not TOTAL-PASSED
 * is VBSIG_RENEWAL_NOT_VALID, never due. within_seconds < 0 is
 * VBSIG_E_INVALID_ARG. */
VBSIG_API int vbsig_report_renewal_due(const vbsig_report *r, time_t now, long long within_seconds,
                                       vbsig_renewal *out);

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
