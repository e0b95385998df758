/* Private pieces of PDF signature verification, one job per file:
 * pades_byterange.c (the USF/SWA rules), pades_contents.c (the CMS bytes
 * in /Contents), pades_modification*.c (what changed after a signature),
 * pades_verify.c (putting it together into a report). */
#ifndef VBSIG_PADES_VERIFY_PRIV_H
#define VBSIG_PADES_VERIFY_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "pdf/pdf.h"
#include "validate/validate.h"

/* ---- pades_byterange.c ---------------------------------------------------
 * Checks the /ByteRange of the signature dictionary sig (reached through
 * the field whose object, or /V reference, is holder): exactly four
 * non-negative integers [0 a b c] with a < b; the gap [a, b) is exactly
 * this dictionary's /Contents hex string, read from the file itself; the
 * dictionary's object starts in the signed bytes and was not redefined
 * after the signed revision; b + c is the end of a revision. On success
 * fills range[4] and *rev (0-based covered revision) and returns 1; else
 * writes the reason (translated) into why and returns 0. */
int vbsig_pades_check_byterange(vbsig_pdf_doc *doc, const vbsig_pdf_obj *sig, vbsig_pdf_objref holder,
                                uint64_t range[4], size_t *rev, char *why, size_t why_len);

/* ---- pades_contents.c -----------------------------------------------------
 * The length of the one BER/DER element at the start of p (definite or
 * indefinite lengths, depth-bounded). The zero padding after it must be
 * all zero bytes. Returns 1 and *len, or 0 when there is no complete
 * element or non-zero bytes follow it. */
int vbsig_pades_contents_length(const uint8_t *p, size_t n, size_t *len);

/* PDF date "D:YYYYMMDDHHmmSSOHH'mm'" to time_t; 0 when unreadable. */
time_t vbsig_pades_parse_date(const uint8_t *s, size_t n);

/* ---- pades_fieldmdp.c -----------------------------------------------------
 * The FieldMDP locks of one signature: its field's /Lock and the FieldMDP
 * entries of its /Reference, read as of revision rev (the signed one). */
enum { VBSIG_PADES_LOCK_ALL = 1, VBSIG_PADES_LOCK_INCLUDE, VBSIG_PADES_LOCK_EXCLUDE };
typedef struct vbsig_pades_lock {
    int action;                  /* VBSIG_PADES_LOCK_* */
    const vbsig_pdf_obj *fields; /* the /Fields array (Include, Exclude) */
    int in_reference;            /* 1: from the signature's /Reference, 0: the field's /Lock */
} vbsig_pades_lock;
typedef struct vbsig_pades_locks {
    vbsig_pdf_doc *doc;
    size_t rev;
    size_t count;
    vbsig_pades_lock lock[8];
} vbsig_pades_locks;

void vbsig_pades_read_locks(vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_objref field, const vbsig_pdf_obj *sig,
                            vbsig_pades_locks *out);
/* The fully qualified name (parent.child, UTF-8) of field or widget d as
 * of rev; 0 when it has none or it does not fit. */
int vbsig_pades_field_name(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *d, char *buf, size_t len);
/* The lock that covers the field called name (NULL: a field without a
 * name), or NULL when none does. */
const vbsig_pades_lock *vbsig_pades_locked(const vbsig_pades_locks *locks, const char *name);

/* ---- pades_modification.c ------------------------------------------------
 * Compares the document as of revision rev with its newest state and
 * records the result in e (modifications, mod_reasons) under DocMDP
 * level cert_p (0 = no certification) and the signature's FieldMDP locks
 * (NULL = none). Returns VBSIG_OK, or an error only when memory runs out;
 * unreadable objects count as disallowed changes. */
int vbsig_pades_analyse_changes(vbsig_pdf_doc *doc, size_t rev, int cert_p, const vbsig_pades_locks *locks,
                                vbsig_sig_entry *e);

/* ---- pades_trailing.c -----------------------------------------------------
 * What the file holds after its last revision (end = that revision's end):
 * whitespace, NUL padding and comment lines are nothing; anything else is
 * reported with the number of `N G obj` definitions in it. */
typedef struct vbsig_pades_trailing {
    size_t offset, size; /* the bytes from the first one that is not padding to the end; size 0 = none */
    size_t objects;      /* `N G obj` definitions among them */
    int xref;            /* an `xref`, `trailer` or `startxref` keyword among them */
} vbsig_pades_trailing;
void vbsig_pades_trailing_scan(const uint8_t *data, size_t len, size_t end, vbsig_pades_trailing *out);

/* ---- pades_appearance_read.c ---------------------------------------------
 * Fills e->appearance_* from field f's widget as of revision rev: visible
 * when it has a non-empty /Rect on a page and is neither Hidden nor
 * NoView. Never fails: what cannot be read counts as invisible. */
void vbsig__pades_read_appearance(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_sig_field *f, vbsig_sig_entry *e);

#endif
